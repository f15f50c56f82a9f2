// The compiler plugin's settings (its `settings:` section in the config) and the paths
// it derives from where it is installed and where its data lives.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "schedcp/sdk/settings.hpp"

namespace schedcp::plugins::compiler {

struct CompilerSettings {
    // BTF the generated vmlinux.h comes from: raw BTF or a vmlinux ELF with .BTF.
    std::filesystem::path vmlinux_btf = "/sys/kernel/btf/vmlinux";
    std::string clang;  // a name in $PATH or an absolute path; "" = newest clang-21 .. clang-16
    std::vector<std::filesystem::path> include_dirs;  // extra -I, after the shipped headers
    int compile_timeout_seconds = 120;
    // The sandbox clang runs in (see compile_sandbox.hpp).
    std::string sandbox_user = "nobody";  // clang's user when the server is root
    int compile_memory_mb = 1024;         // clang's address space (RLIMIT_AS)
    int compile_cpu_seconds = 60;         // clang's CPU time (RLIMIT_CPU)
    int max_concurrent_compiles = 2;      // clang processes at once, over all requests
    int verify_seconds = 3;  // how long kernel verification keeps the scheduler attached
    // use_sudo: auto (true: sudo -n when not root) or never (false, the default: a sudoers
    // rule for schedcp-loader lets its user load any BPF object as root, i.e. is
    // root-equivalent).
    bool allow_sudo = false;
    std::string sudo_path = "/usr/bin/sudo";
    std::filesystem::path sched_ext_root = "/sys/kernel/sched_ext";

    // Derived from the installation and the data dir, not configurable.
    std::filesystem::path shipped_include;  // <plugin dir>/compiler/include (scx/*.h)
    std::filesystem::path loader;           // <plugin dir>/../libexec/schedcp-loader
    std::filesystem::path data_dir;         // <data_dir>/compiler
};

// Generated from the settings table (settings.cpp); the defaults are the initializers above.
boost::json::object settings_schema();
std::vector<sdk::SettingHelp> settings_help();

// Throws std::invalid_argument naming the key if `settings` breaks settings_schema() (the
// host has validated it already).
CompilerSettings parse_settings(const boost::json::object& settings,
                                const std::filesystem::path& plugin_dir,
                                const std::filesystem::path& data_dir);

}  // namespace schedcp::plugins::compiler
