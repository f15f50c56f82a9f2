// The runner's core: start a scheduler under the guard (as root or through sudo), follow
// its output, confirm with the kernel that it is loaded, stop it with escalation, and
// stop everything when the host exits. One instance per host; used by the tools, the
// CLI commands and the SchedulerRunner service.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "executions.hpp"
#include "guard_channels.hpp"
#include "privilege.hpp"
#include "program_cache.hpp"
#include "schedcp/sdk/log.hpp"
#include "schedcp/sdk/sched_ext.hpp"
#include "schedcp/sdk/sched_ext_manager.hpp"
#include "schedcp/sdk/services.hpp"
#include "schedcp/sdk/services/scheduler_catalog.hpp"
#include "scheduler_stats.hpp"

namespace schedcp::plugins::runner {

class ExecutionUpdates;

struct RunnerSettings {
    // The defaults of the runner's settings (runner_plugin.cpp binds them).
    std::vector<std::filesystem::path> scheduler_paths = {"/usr/local/bin", "/usr/bin"};
    std::filesystem::path sched_ext_root = "/sys/kernel/sched_ext";
    // Where to see who else is in charge of sched_ext (sdk/sched_ext_manager.hpp).
    std::filesystem::path proc_root = "/proc";
    std::filesystem::path cgroup_root = "/sys/fs/cgroup";
    std::filesystem::path guard;                    // schedcp-guard
    std::filesystem::path guard_policy;             // passed to the guard with --policy
    std::filesystem::path kmsg_path = "/dev/kmsg";  // the kernel's log: why a scheduler ended
    int start_timeout_ms = 15000;
    int stop_int_timeout_ms = 5000;
    int stop_term_timeout_ms = 3000;
    std::size_t output_lines = 200;
    std::size_t max_finished_executions = 50;        // older finished ones are forgotten
    FailurePolicy on_failure = FailurePolicy::none;  // run_scheduler's default
    // fallback_scheduler, with fallback_args or fallback_mode (setup() puts them in; they are
    // checked as run_scheduler's arguments when the runner loads).
    LaunchConfig fallback{.name = std::string(LaunchConfig::kKernelDefault)};
    std::vector<std::string> fallback_args;
    std::string fallback_mode;  // "": none
    RestartLimits restart;
    SudoPolicy sudo = SudoPolicy::automatic;  // use_sudo (its enumerators in the setting's order)
    std::string sudo_path = "/usr/bin/sudo";
    // The other tools' configuration (scx_loader_config.hpp, scx_service_config.hpp): what
    // `default show` reports and `default import` adopts; scx_loader's file also overrides
    // modes' arguments, as scx_loader does, unless scx_loader_modes is false.
    std::vector<std::filesystem::path> scx_loader_config = {
        "/etc/scx_loader/config.toml", "/etc/scx_loader.toml", "/usr/share/scx_loader/config.toml",
        "/usr/share/scx_loader.toml"};
    bool scx_loader_modes = true;
    std::filesystem::path scx_service_config = "/etc/default/scx";
    StatsSource scheduler_stats;  // get_execution_status' scheduler_stats, `status`
};

struct StartRequest {
    std::string name;
    std::optional<std::vector<std::string>> args;
    std::optional<std::string> mode;
    bool replace = false;
    bool cli = false;                         // started by schedcp-cli
    bool cli_sudo_flag = false;               // ... with --sudo
    std::optional<FailurePolicy> on_failure;  // else the on_failure setting
    std::optional<LaunchConfig> fallback;     // else the fallback_* settings
    // A switch from another process's scheduler (schedcp-cli switch): started again here
    // when this one does not reach enabled, as replace: true does for this process's own.
    std::optional<LaunchConfig> previous;
    // A restart or a fallback continues its run's chain, and records `event` in its history.
    std::shared_ptr<Supervision> supervision;
    std::string event;
};

// run_scheduler's arguments (checked against its input schema) as a request; `schedcp-cli
// run` gets the same arguments from the host (sdk::ToolMapping).
StartRequest start_request_from(const boost::json::object& tool_arguments);

class RunnerCore {
  public:
    RunnerCore(RunnerSettings settings, sdk::ServiceRegistry& services, sdk::Logger& log,
               std::shared_ptr<const sdk::SudoSecret> secret);

    const RunnerSettings& settings() const { return settings_; }
    sdk::sched_ext::Status kernel() const {
        return sdk::sched_ext::read_status(settings_.sched_ext_root);
    }

    // Who is in charge of sched_ext: this process when its own execution is the loaded one,
    // else what the kernel's facts say (sdk/sched_ext_manager.hpp).
    sdk::sched_ext::Manager manager() const;

    boost::asio::awaitable<std::shared_ptr<Execution>> start(StartRequest request);
    boost::asio::awaitable<std::shared_ptr<Execution>> stop(const std::string& execution_id);
    // The execution, with its status refreshed from the kernel. Throws NotFound.
    std::shared_ptr<Execution> status(const std::string& execution_id);
    const ExecutionTable& table() const { return table_; }

    // What `r` would run: its catalog entry and arguments, checked as run_scheduler checks
    // them (a known scheduler; args or a mode it has; only its catalogued options). Throws
    // NotFound or InvalidArgument. The boot default is checked with it before it is stored.
    struct Checked {
        sdk::services::SchedulerEntry entry;
        std::vector<std::string> args;
    };
    // Where a mode's arguments come from: scx_loader's file when it sets them (and the
    // scx_loader_modes setting allows it), else the catalog; or the catalog only (the
    // fallback_* settings are checked at load without reading another tool's file).
    enum class ModeArgs { scx_loader_or_catalog, catalog };
    Checked check_request(const StartRequest& r,
                          ModeArgs modes = ModeArgs::scx_loader_or_catalog) const;
    // The fallback_* settings, checked as run_scheduler's arguments (when the catalog is
    // loaded). Throws sdk::InvalidArgument naming the setting.
    void check_fallback_setting() const;

    // Where a scheduler's program is: custom launch paths, scheduler_paths, then $PATH.
    std::optional<std::string> locate(const sdk::services::SchedulerEntry& entry) const;
    // What locate() keeps (the search directories' watches) is set up on `pool` after the
    // first locate(), not in the caller's way (see program_cache.hpp).
    void locate_with_pool(boost::asio::any_io_executor pool);

    // Host shutdown: stop every live execution, waiting (bounded) for each. Blocking.
    void stop_all() noexcept;

    // Result rendering shared by the tools and the CLI.
    boost::json::object render(const Execution& e, std::size_t lines = 0) const;

    // The catalog service; throws sdk::Unavailable when the catalog plugin is not loaded.
    std::shared_ptr<sdk::services::SchedulerCatalog> catalog() const;

    // Where status changes and new output lines are announced (MCP resource updates;
    // execution_updates.hpp). Unset (tests, before setup): nowhere.
    void set_updates(std::shared_ptr<ExecutionUpdates> updates) { updates_ = std::move(updates); }

  private:
    std::vector<std::string> resolve_args(const sdk::services::SchedulerEntry& entry,
                                          const StartRequest& r, ModeArgs modes) const;
    // scx_loader's arguments for `mode` of `scheduler`, when its file sets them.
    // Checked against the scheduler's rules here, so a refusal names the file's line.
    std::optional<std::vector<std::string>> scx_loader_mode_args(
        const sdk::services::SchedulerEntry& entry, const std::string& mode) const;
    void check_conflict(const sdk::sched_ext::Status& k, const std::shared_ptr<Execution>& ours,
                        bool replace) const;
    // The guard's channels (guard_channels.hpp) and its exit.
    boost::asio::awaitable<void> follow_status(std::shared_ptr<Execution> e, int fd);
    boost::asio::awaitable<void> follow_output(std::shared_ptr<Execution> e, int fd);
    boost::asio::awaitable<void> watch_exit(std::shared_ptr<Execution> e);
    // The failure policy, once e has ended (failure_policy.hpp).
    boost::asio::awaitable<void> apply_policy(std::shared_ptr<Execution> e);
    boost::asio::awaitable<void> fall_back(std::shared_ptr<Execution> e);
    // A switch that failed: stop the new one if it still starts, start `previous` again.
    boost::asio::awaitable<void> roll_back(std::shared_ptr<Execution> e, LaunchConfig previous,
                                           const StartRequest& r);
    boost::asio::awaitable<bool> relaunch(const std::shared_ptr<Execution>& e, StartRequest r);
    std::shared_ptr<Supervision> supervise(const StartRequest& r) const;
    // Why the policy must not start anything: someone else's scheduler is loaded.
    std::optional<std::string> foreign_scheduler() const;
    void apply_status_line(Execution& e, const std::string& line, bool cut);
    void answer_sudo(Execution& e, LineSplitter& lines);
    void finish(Execution& e);
    // Takes the kernel's log records about e's scheduler into its exit report.
    void read_kernel_log(Execution& e) const;
    void refresh(Execution& e) const;
    std::chrono::milliseconds stop_budget() const;

    RunnerSettings settings_;
    sdk::ServiceRegistry& services_;
    sdk::Logger& log_;
    std::shared_ptr<const sdk::SudoSecret> secret_;
    ExecutionTable table_;
    bool shutting_down_ = false;     // stop_all(): no policy starts anything any more
    mutable ProgramCache programs_;  // scheduler_paths, then $PATH
    std::shared_ptr<ExecutionUpdates> updates_;
    void status_changed(const Execution& e) const;
    void output_added(const Execution& e) const;
};

}  // namespace schedcp::plugins::runner
