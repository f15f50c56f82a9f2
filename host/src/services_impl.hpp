// The host's ServiceRegistry: a map from service key to the published object.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "schedcp/sdk/services.hpp"

namespace schedcp::host {

class ServiceRegistryImpl final : public sdk::ServiceRegistry {
  public:
    void clear() { services_.clear(); }

  protected:
    void publish_raw(std::string_view key, std::shared_ptr<void> service) override;
    std::shared_ptr<void> find_raw(std::string_view key) const override;

  private:
    std::map<std::string, std::shared_ptr<void>, std::less<>> services_;
};

}  // namespace schedcp::host
