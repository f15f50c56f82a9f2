#include "bootstrap.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include "logging.hpp"
#include "private_dir.hpp"
#include "schedcp/sdk/sudo_secret.hpp"

namespace schedcp::host {

std::filesystem::path executable_dir() {
    return std::filesystem::path(boost::dll::program_location().string()).parent_path();
}

std::variant<HostConfig, std::string> load_host_config(
    const std::optional<std::filesystem::path>& config_path, const std::filesystem::path& bin_dir) {
    try {
        return load_config(resolve_config_path(config_path, bin_dir));
    } catch (const std::exception& e) {
        return std::string(e.what());
    }
}

namespace {

// The sudo password leaves the environment (and /proc/<pid>/environ) before a plugin or a
// child could see it; false, with the reason in `r`, when it is refused.
bool take_sudo_password(BootResult& r) {
    try {
        sdk::sudo_secret::take_from_environment();  // once: later calls do nothing
        return true;
    } catch (const std::exception& e) {
        r.error = e.what();
        return false;
    }
}

}  // namespace

BootResult boot(HostConfig config, sdk::HostMode mode, const std::filesystem::path& bin_dir) {
    BootResult r;
    if (!take_sudo_password(r)) return r;  // before anything else, whatever the config loads
    try {
        make_private_directory(config.data_dir);
        init_logging(config.log_file, config.log_level);
        auto host = std::make_unique<Host>(std::move(config), mode, bin_dir);
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

BootResult boot(const std::optional<std::filesystem::path>& config_path, sdk::HostMode mode) {
    BootResult r;
    if (!take_sudo_password(r)) return r;  // first, even if the config fails
    const auto bin_dir = executable_dir();
    auto config = load_host_config(config_path, bin_dir);
    if (auto* error = std::get_if<std::string>(&config)) {
        r.error = *error;
        return r;
    }
    return boot(std::get<HostConfig>(std::move(config)), mode, bin_dir);
}

}  // namespace schedcp::host
