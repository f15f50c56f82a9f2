// Running a helper program (clang, schedcp-loader) from a handler: argv only, in its own
// process group, output captured (bounded), with a deadline and cancellation.
//
// When the deadline passes or the call is cancelled (CallContext::stop_token), the
// group gets `stop_signal` (SIGKILL for clang; SIGINT for the loader, which then
// detaches its scheduler cleanly), and SIGKILL `kill_after` later if it is still there.
// If the awaiting coroutine itself is destroyed, sdk::process::Child kills and reaps it.
#pragma once

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "schedcp/sdk/process.hpp"

namespace schedcp::plugins::compiler {

struct ChildSpec {
    std::vector<std::string> argv;  // argv[0]: absolute path
    std::optional<std::filesystem::path> cwd;
    std::chrono::milliseconds timeout{60000};
    int stop_signal = SIGKILL;
    std::chrono::milliseconds kill_after{3000};
    std::size_t max_output = 1 << 20;  // bytes kept; the rest is counted, not stored
    bool stdin_pipe = false;           // hold a pipe on its stdin (a lifeline) instead of /dev/null
    // Confines the child (see sdk/confinement.hpp); must outlive the spawn. With a
    // confinement that has a work_dir, leave `cwd` unset.
    const sdk::process::Confinement* confinement = nullptr;
    // Called with each complete line of output as it arrives (live output for the CLI).
    std::function<void(std::string_view)> on_line;
};

struct ChildOutcome {
    sdk::process::ExitStatus status;
    std::string output;  // stdout and stderr interleaved
    std::size_t dropped_bytes = 0;
    bool timed_out = false;
    bool cancelled = false;
};

// Spawns and awaits the child. Throws sdk::Unavailable when it cannot be started. Call,
// then await (see sdk/blocking.hpp): `auto op = run_child(spec, stop); co_await std::move(op);`
// with `spec` a named object that outlives the await.
boost::asio::awaitable<ChildOutcome> run_child(const ChildSpec& spec, std::stop_token stop);

// A blocking, short run (e.g. `clang --version`) for code already on the worker pool.
ChildOutcome run_child_blocking(const std::vector<std::string>& argv,
                                std::chrono::milliseconds timeout);

}  // namespace schedcp::plugins::compiler
