// A plugin built against another Boost (same ABI number, same SDK headers): the host must
// refuse it, by the Boost version, before calling its factory.
#include "schedcp/sdk/plugin.hpp"

#undef BOOST_VERSION
#define BOOST_VERSION 107400

namespace {
class BadBoost final : public schedcp::sdk::Plugin {
  public:
    BadBoost() { throw std::runtime_error("badboost: the factory must not run"); }
    schedcp::sdk::PluginInfo info() const override { return {"badboost", "1", "", {}}; }
    void setup(schedcp::sdk::PluginContext&) override {}
};
}  // namespace

SCHEDCP_PLUGIN(BadBoost)
