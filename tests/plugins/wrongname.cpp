// A plugin whose info() names another plugin than the file it is loaded as.
#include "schedcp/sdk/plugin.hpp"

namespace {
class WrongName final : public schedcp::sdk::Plugin {
  public:
    schedcp::sdk::PluginInfo info() const override { return {"somebody_else", "1", "", {}}; }
    void setup(schedcp::sdk::PluginContext&) override {}
};
}  // namespace

SCHEDCP_PLUGIN(WrongName)
