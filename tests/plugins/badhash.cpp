// A plugin built against other SDK headers (same ABI number, same Boost): the host must
// refuse it, by the header hash, before calling its factory.
#include "schedcp/sdk/plugin.hpp"

#undef SCHEDCP_SDK_HEADERS_HASH
#define SCHEDCP_SDK_HEADERS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

namespace {
class BadHash final : public schedcp::sdk::Plugin {
  public:
    BadHash() { throw std::runtime_error("badhash: the factory must not run"); }
    schedcp::sdk::PluginInfo info() const override { return {"badhash", "1", "", {}}; }
    void setup(schedcp::sdk::PluginContext&) override {}
};
}  // namespace

SCHEDCP_PLUGIN(BadHash)
