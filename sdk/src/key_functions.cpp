// Out-of-line virtual destructors ("key functions") of every polymorphic SDK type, so
// their vtables and typeinfo live once, in the SDK library, shared by host and plugins.
#include "schedcp/sdk/call_context.hpp"
#include "schedcp/sdk/plugin.hpp"
#include "schedcp/sdk/plugin_context.hpp"
#include "schedcp/sdk/services.hpp"
#include "schedcp/sdk/services/scheduler_catalog.hpp"
#include "schedcp/sdk/services/scheduler_runner.hpp"
#include "schedcp/sdk/services/workload_history.hpp"
#include "schedcp/sdk/services/workload_monitor.hpp"

namespace schedcp::sdk {

CallContext::~CallContext() = default;
CommandContext::~CommandContext() = default;
ServiceRegistry::~ServiceRegistry() = default;
PluginContext::~PluginContext() = default;
Plugin::~Plugin() = default;
void Plugin::start(PluginContext&) {}
void Plugin::stop() noexcept {}

namespace services {
SchedulerCatalog::~SchedulerCatalog() = default;
std::shared_ptr<const std::vector<SchedulerEntry>> SchedulerCatalog::snapshot() const {
    return std::make_shared<const std::vector<SchedulerEntry>>(list());
}
SchedulerLocator::~SchedulerLocator() = default;
SchedulerRunner::~SchedulerRunner() = default;
WorkloadHistory::~WorkloadHistory() = default;
RunObserver::~RunObserver() = default;
WorkloadMonitor::~WorkloadMonitor() = default;
}  // namespace services

}  // namespace schedcp::sdk
