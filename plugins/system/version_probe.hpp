// The `--version` output of scheduler programs: run as argv (never a shell), all at once,
// each with a deadline and a cap on what is kept, and remembered per program path and
// modification time so a second call runs nothing unless a program was replaced.
//
// A scheduler program is a loader: one that ignored `--version` would load itself into the
// kernel. So the probe never runs one with privileges: when we are root it runs as `user`
// (nobody), under Landlock (read and execute only, write nothing, no network) with
// no_new_privs, so it can neither load BPF nor gain a capability back. Without Landlock
// nothing runs (sdk::process::Confinement fails closed) and each result says why.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace schedcp::plugins::system {

struct VersionLimits {
    std::chrono::milliseconds timeout{2000};  // one deadline for the whole batch
    std::size_t max_output_bytes = 4096;      // output past this is read and dropped
    std::string user = "nobody";              // who runs them when we are root
};

struct VersionResult {
    std::optional<std::string> version;  // the first non-empty line of the output
    std::optional<std::string> error;    // "timed out after 2000 ms", "exit code 1", ...
};

class VersionProbe {
  public:
    explicit VersionProbe(VersionLimits limits) : limits_(limits) {}

    // One result per program, in order. Blocking (up to the timeout): not on the event loop.
    std::vector<VersionResult> versions(const std::vector<std::filesystem::path>& programs);

    // How many programs were run so far (cache misses), for tests.
    std::size_t runs() const;

  private:
    using Key = std::pair<std::string, std::filesystem::file_time_type>;
    VersionLimits limits_;
    mutable std::mutex mutex_;
    std::map<Key, VersionResult> cache_;
    std::size_t runs_ = 0;
};

// What the output says, given how the program ended: the pure part of the probe.
VersionResult interpret_version_output(const std::string& output, bool truncated,
                                       std::optional<int> exit_code, std::optional<int> signal,
                                       bool timed_out, std::chrono::milliseconds timeout);

}  // namespace schedcp::plugins::system
