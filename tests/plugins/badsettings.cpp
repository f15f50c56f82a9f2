// A plugin for the host's tests whose settings schema uses a keyword the SDK's validator
// does not implement ("format"): the host must refuse it rather than ignore the keyword.
#include "schedcp/sdk/plugin.hpp"

namespace {

namespace bj = boost::json;
using namespace schedcp;

class BadSettingsPlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        return {.name = "badsettings",
                .version = "1.0.0",
                .description = "its settings schema is not supported",
                .settings_schema = bj::object{
                    {"type", "object"},
                    {"properties",
                     bj::object{{"url", bj::object{{"type", "string"}, {"format", "uri"}}}}}}};
    }
    void setup(sdk::PluginContext&) override {}
};

}  // namespace

SCHEDCP_PLUGIN(BadSettingsPlugin)
