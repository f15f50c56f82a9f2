#include "bootstrap.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include "logging.hpp"
#include "private_dir.hpp"
#include "schedcp/sdk/sudo_secret.hpp"

namespace schedcp::host {

std::filesystem::path executable_dir() {
    return std::filesystem::path(boost::dll::program_location().string()).parent_path();
}

BootResult boot(const std::optional<std::filesystem::path>& config_path, sdk::HostMode mode) {
    // Before anything else, and whatever plugins the config loads: the sudo password leaves
    // the environment (and /proc/<pid>/environ) before a plugin or a child could see it.
    BootResult r;
    try {
        sdk::sudo_secret::take_from_environment();
    } catch (const std::exception& e) {
        r.error = e.what();
        return r;
    }
    try {
        const auto exe_dir = executable_dir();
        HostConfig cfg = load_config(resolve_config_path(config_path, exe_dir));
        make_private_directory(cfg.data_dir);
        init_logging(cfg.log_file, cfg.log_level);
        auto host = std::make_unique<Host>(std::move(cfg), mode, exe_dir);
        SCHEDCP_LOG(host->logger(), info)
            << (mode == sdk::HostMode::server ? "schedcp" : "schedcp-cli")
            << " starting with config " << host->config().source.string();
        host->load_and_start();
        r.host = std::move(host);
    } catch (const std::exception& e) {
        r.error = e.what();
    }
    return r;
}

}  // namespace schedcp::host
