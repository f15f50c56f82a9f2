// A plugin built against a different SDK ABI: the host must refuse it before calling it.
#include "schedcp/sdk/plugin.hpp"

#undef SCHEDCP_SDK_ABI_VERSION
#define SCHEDCP_SDK_ABI_VERSION 999u

namespace {
class BadAbi final : public schedcp::sdk::Plugin {
  public:
    schedcp::sdk::PluginInfo info() const override { return {"badabi", "1", "", {}}; }
    void setup(schedcp::sdk::PluginContext&) override {}
};
}  // namespace

SCHEDCP_PLUGIN(BadAbi)
