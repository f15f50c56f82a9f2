// The compiler plugin: custom sched_ext schedulers from BPF C source. Compiles them with
// clang against the target kernel's BTF and schedcp's scx headers, checks the object,
// verifies it in the kernel with schedcp-loader, and registers it in the catalog so the
// runner runs it (through schedcp-loader) like any built-in scheduler.
//
// Tool: create_and_verify_scheduler. CLI: create-and-run. Stored schedulers are
// registered again at start, so they survive restarts.
#include <memory>

#include "compiler_core.hpp"
#include "create_and_run_command.hpp"
#include "create_tool.hpp"
#include "registry_watcher.hpp"
#include "schedcp/sdk/plugin.hpp"
#include "settings.hpp"
#include "write_scheduler_prompt.hpp"

namespace schedcp::plugins::compiler {

class CompilerPlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        return {.name = "compiler",
                .version = "0.1.0",
                .description =
                    "compiles, checks, kernel-verifies and registers custom sched_ext schedulers",
                .settings_schema = settings_schema(),
                .settings_help = settings_help()};
    }

    void setup(sdk::PluginContext& ctx) override {
        core_ = std::make_shared<CompilerCore>(
            parse_settings(ctx.settings(), ctx.plugin_dir(), ctx.data_dir()), ctx.services(),
            ctx.logger());
        ctx.add_tool(create_tool(core_));
        ctx.add_instructions("create_and_verify_scheduler writes and verifies your own scheduler.");
        ctx.add_command(create_and_run_command(core_));
        ctx.add_prompt(write_scheduler_prompt());
    }

    // The catalog is looked up here, not in setup(): plugins set up in config order.
    void start(sdk::PluginContext& ctx) override {
        core_->register_stored();
        if (ctx.mode() == sdk::HostMode::server) {
            // Schedulers the CLI creates meanwhile show up in this server too.
            auto core = core_;
            watcher_ = std::make_shared<RegistryWatcher>(ctx.executor(), core_->registry().root(),
                                                         [core] { core->register_stored(); });
            watcher_->start();
        }
    }

    void stop() noexcept override {
        if (watcher_) watcher_->stop();
    }

  private:
    std::shared_ptr<CompilerCore> core_;
    std::shared_ptr<RegistryWatcher> watcher_;
};

}  // namespace schedcp::plugins::compiler

SCHEDCP_PLUGIN(schedcp::plugins::compiler::CompilerPlugin)
