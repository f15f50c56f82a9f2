#include "services_impl.hpp"

#include <stdexcept>

namespace schedcp::host {

void ServiceRegistryImpl::publish_raw(std::string_view key, std::shared_ptr<void> service) {
    if (!service)
        throw std::invalid_argument("service '" + std::string(key) + "' published as null");
    if (!services_.emplace(std::string(key), std::move(service)).second)
        throw std::logic_error("service '" + std::string(key) +
                               "' is already published by another plugin");
}

std::shared_ptr<void> ServiceRegistryImpl::find_raw(std::string_view key) const {
    auto it = services_.find(key);
    return it == services_.end() ? nullptr : it->second;
}

}  // namespace schedcp::host
