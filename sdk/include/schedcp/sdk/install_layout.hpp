// Where an installation of schedcp keeps what, found from where its programs are: the one
// rule the host (its default config), the runner (the guard's default policy) and
// schedcp-guard itself (the only policy it accepts through sudo) share. CMake's install rules
// follow the same rule (packaging/cmake/InstallLayout.cmake.in), so `cmake --install --prefix P`, the
// Debian packages (prefix /usr) and the build tree all run without environment variables:
//
//   <prefix>/bin/schedcp, schedcp-cli
//   <prefix>/lib/schedcp/plugins/<name>.so
//   <prefix>/lib/schedcp/libexec/schedcp-guard, schedcp-loader, schedcp-http
//   <sysconf>/schedcp/schedcp.yaml, guard.policy
//
// where <sysconf> is /etc for the prefix /usr (the FHS, and what GNUInstallDirs does) and
// <prefix>/etc for any other prefix (/usr/local/etc, /opt/schedcp/etc, <build>/etc).
// Header-only and free of Boost: schedcp-guard includes it and links neither.
#pragma once

#include <filesystem>

namespace schedcp::sdk::install_layout {

// `dir` without "." / ".." parts or a trailing separator ("/usr/bin/.." -> "/usr").
inline std::filesystem::path normal_dir(const std::filesystem::path& dir) {
    std::filesystem::path n = dir.lexically_normal();
    if (!n.has_filename() && n != n.root_path()) n = n.parent_path();
    return n;
}

// The prefix of a program in <prefix>/bin.
inline std::filesystem::path prefix_of_bin_dir(const std::filesystem::path& bin_dir) {
    return normal_dir(bin_dir / "..");
}

// The prefix of a plugin directory, <prefix>/lib/schedcp/plugins, or of the helpers'
// directory, <prefix>/lib/schedcp/libexec (both are two levels below <prefix>/lib).
inline std::filesystem::path prefix_of_lib_schedcp_dir(const std::filesystem::path& dir) {
    return normal_dir(dir / "../../..");
}

// /etc for the prefix /usr, else <prefix>/etc.
inline std::filesystem::path sysconf_dir(const std::filesystem::path& prefix) {
    const std::filesystem::path p = normal_dir(prefix);
    return p == "/usr" ? std::filesystem::path("/etc") : p / "etc";
}

// <sysconf>/schedcp: schedcp.yaml (the default config) and guard.policy.
inline std::filesystem::path config_dir(const std::filesystem::path& prefix) {
    return sysconf_dir(prefix) / "schedcp";
}

}  // namespace schedcp::sdk::install_layout
