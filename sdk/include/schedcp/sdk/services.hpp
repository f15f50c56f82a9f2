// The service registry: how plugins offer and use each other's interfaces.
//
// A service is a small abstract interface declared in sdk/include/schedcp/sdk/services/
// with a `static constexpr std::string_view service_key`. Lookup is by that key, never
// by dynamic_cast (which is unreliable across RTLD_LOCAL plugins). Publish in
// Plugin::setup(); look up in Plugin::start() or later, since plugins set up in config
// order. A service that is absent degrades a feature with a clear message, never crashes.
#pragma once

#include <memory>
#include <string_view>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk {

class SCHEDCP_SDK_API ServiceRegistry {
  public:
    virtual ~ServiceRegistry();

    template <class Service>
    void publish(std::shared_ptr<Service> service) {
        publish_raw(Service::service_key, std::static_pointer_cast<void>(std::move(service)));
    }

    // nullptr when no loaded plugin publishes it.
    template <class Service>
    std::shared_ptr<Service> find() const {
        return std::static_pointer_cast<Service>(find_raw(Service::service_key));
    }

  protected:
    // Throws std::logic_error when the key is already published.
    virtual void publish_raw(std::string_view key, std::shared_ptr<void> service) = 0;
    virtual std::shared_ptr<void> find_raw(std::string_view key) const = 0;
};

}  // namespace schedcp::sdk
