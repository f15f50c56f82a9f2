// The system plugin: the facts about this host a scheduler's choice depends on, in one
// call (get_system_info; schedcp-cli info): the kernel and its features, sched_ext's state
// and event counters, the CPU topology (SMT, LLC domains, NUMA nodes, hybrid cores),
// memory, load, and the schedulers installed here with their versions.
//
// A plugin of its own rather than part of the monitor: the monitor samples how the system
// behaves over a window; these are what the host is, read once per call.
#include <memory>

#include "schedcp/sdk/blocking.hpp"
#include "schedcp/sdk/plugin.hpp"
#include "schedcp/sdk/settings.hpp"
#include "system_info.hpp"
#include "system_schema.hpp"

namespace schedcp::plugins::system {

namespace bj = boost::json;
namespace asio = boost::asio;

namespace {

struct SystemSettings {
    HostRoots roots;
    int version_timeout_ms = 2000;
    std::size_t version_output_bytes = 4096;
    std::string version_user = "nobody";
};

const sdk::Settings<SystemSettings>& settings() {
    using sdk::SettingType;
    static const sdk::Settings<SystemSettings> table({
        {.key = "sys_root",
         .type = SettingType::path,
         .help = "the sysfs mount (tests point it at a captured tree)",
         .member = {&SystemSettings::roots, &HostRoots::sys}},
        {.key = "proc_root",
         .type = SettingType::path,
         .help = "the proc file system (tests point it elsewhere)",
         .member = {&SystemSettings::roots, &HostRoots::proc}},
        {.key = "version_timeout_ms",
         .type = SettingType::integer,
         .help = "how long the installed schedulers' --version may take, all together",
         .member = &SystemSettings::version_timeout_ms,
         .minimum = 100,
         .maximum = 60000},
        {.key = "version_output_bytes",
         .type = SettingType::integer,
         .help = "output of each --version kept; the rest is read and dropped",
         .member = &SystemSettings::version_output_bytes,
         .minimum = 64,
         .maximum = 1048576},
        {.key = "version_user",
         .type = SettingType::string,
         .help = "the unprivileged user --version runs as when the server is root (under "
                 "Landlock: it can load nothing into the kernel); it must exist and not be root",
         .member = &SystemSettings::version_user,
         .pattern = "^[a-z_][a-z0-9_.-]{0,31}$"},
    });
    return table;
}

}  // namespace

class SystemPlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        return {.name = "system",
                .version = "0.1.0",
                .description = "host facts: kernel, sched_ext, CPU topology, installed schedulers",
                .settings_schema = settings().schema(),
                .settings_help = settings().help()};
    }

    void setup(sdk::PluginContext& ctx) override {
        const SystemSettings s = settings().parse(ctx.settings());
        auto versions = std::make_shared<VersionProbe>(
            VersionLimits{.timeout = std::chrono::milliseconds(s.version_timeout_ms),
                          .max_output_bytes = s.version_output_bytes,
                          .user = s.version_user});
        const sdk::ServiceRegistry* services = &ctx.services();
        auto pool = ctx.blocking_executor();
        auto gather = [roots = s.roots, services, versions, pool]() {
            return sdk::run_blocking(pool, [roots, services, versions] {
                return system_info(roots, *services, *versions);
            });
        };

        sdk::ToolSpec tool;
        tool.name = "get_system_info";
        tool.title = "Describe this machine";
        tool.description =
            "What machine this is and what sched_ext can do on it, from the kernel's own files: "
            "kernel release, architecture, BTF, cgroup v2, PSI; sched_ext present, state, ops, "
            "switch_all, enable_seq, nr_rejected, hotplug_seq and its event counters; who is in "
            "charge of it (this server, another schedcp process, scx_loader, scx.service, or "
            "someone else, with pid and command); the CPU "
            "topology (model, logical CPUs, cores, SMT siblings, packages, last-level cache "
            "domains, NUMA nodes with memory, hybrid core types, frequency range, isolated and "
            "offline CPUs); memory; load; and the schedulers installed here with their "
            "--version. Facts the kernel does not provide are null or available: false with "
            "the reason.";
        tool.input_schema = bj::object{
            {"type", "object"}, {"properties", bj::object{}}, {"additionalProperties", false}};
        tool.output_schema = system_info_output_schema();
        tool.annotations = {
            .read_only = true, .destructive = false, .idempotent = true, .open_world = false};
        tool.handler = [gather](const bj::object&,
                                sdk::CallContext&) -> asio::awaitable<sdk::ToolResult> {
            auto op = gather();
            co_return sdk::ToolResult::ok(co_await std::move(op));
        };
        ctx.add_tool(std::move(tool));
        ctx.add_instructions(
            "get_system_info tells what machine this is (topology, sched_ext) before choosing "
            "a scheduler.");

        sdk::CommandSpec cmd;
        cmd.path = {"info"};
        cmd.summary = "Describe this machine: kernel, sched_ext, CPU topology, schedulers";
        cmd.tool =
            sdk::ToolMapping{.tool = "get_system_info",
                             .build = [](const sdk::CommandInvocation&) { return bj::object{}; }};
        cmd.handler = [gather](const sdk::CommandInvocation&,
                               sdk::CommandContext&) -> asio::awaitable<sdk::CommandResult> {
            auto op = gather();
            bj::object info = co_await std::move(op);
            std::string text = render_system_info(info);
            co_return sdk::CommandResult{std::move(info), std::move(text), 0};
        };
        ctx.add_command(std::move(cmd));
    }
};

}  // namespace schedcp::plugins::system

SCHEDCP_PLUGIN(schedcp::plugins::system::SystemPlugin)
