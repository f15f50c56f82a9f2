// The boot default: the scheduler configuration `schedcp-cli default run` starts (at boot,
// through packaging/systemd/schedcp-default.service). One JSON file in the runner's data dir,
// replaced atomically (sdk/storage.hpp) under its lock, so the server and the CLI never see
// half of one; a file that cannot be read as one is quarantined (kept aside) and reported.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "failure_policy.hpp"

namespace schedcp::plugins::runner {

class BootDefaultStore {
  public:
    explicit BootDefaultStore(std::filesystem::path file) : file_(std::move(file)) {}

    struct Loaded {
        std::optional<LaunchConfig> config;  // nullopt: none set
        // A file that was not a boot default: where it was moved, and what was wrong.
        std::optional<std::filesystem::path> quarantined;
        std::string problem;
    };
    Loaded load() const;
    void save(const LaunchConfig& config) const;
    bool clear() const;  // whether one was set

    const std::filesystem::path& file() const { return file_; }

  private:
    std::filesystem::path file_;
};

}  // namespace schedcp::plugins::runner
