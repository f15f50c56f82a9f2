#include "settings.hpp"

#include "schedcp/sdk/settings.hpp"

namespace schedcp::plugins::compiler {

namespace {

using sdk::SettingType;

const char kCompileLimitHelp[] =
    "; a compile that needs more is stopped with a message naming "
    "this setting";

// The compiler's settings: the section's keys, their rules and where they go.
const sdk::Settings<CompilerSettings>& settings() {
    static const sdk::Settings<CompilerSettings> table({
        {.key = "vmlinux_btf",
         .type = SettingType::path,
         .help = "BTF of the kernel schedulers are compiled for: raw BTF (/sys/kernel/btf/vmlinux) "
                 "or a vmlinux ELF file with .BTF",
         .member = &CompilerSettings::vmlinux_btf,
         .expand_home = true},
        {.key = "clang",
         .type = SettingType::string,
         .help = "clang to use: a name in $PATH or an absolute path (>= 16)",
         .member = &CompilerSettings::clang,
         .pattern = "^(/|[A-Za-z0-9._+-]+$)",
         .min_length = 1,
         .default_help = "the newest of clang-21 .. clang-16"},
        {.key = "include_dirs",
         .type = SettingType::path_list,
         .help = "extra include directories, searched after the shipped scx headers",
         .member = &CompilerSettings::include_dirs,
         .max_items = 32,
         .expand_home = true},
        {.key = "compile_timeout_seconds",
         .type = SettingType::integer,
         .help = "clang is stopped after this long",
         .member = &CompilerSettings::compile_timeout_seconds,
         .minimum = 5,
         .maximum = 600},
        {.key = "compile_memory_mb",
         .type = SettingType::integer,
         .help = std::string("clang's address-space limit in MiB (RLIMIT_AS)") + kCompileLimitHelp,
         .member = &CompilerSettings::compile_memory_mb,
         .minimum = 256,
         .maximum = 65536},
        {.key = "compile_cpu_seconds",
         .type = SettingType::integer,
         .help = std::string("clang's CPU-time limit in seconds (RLIMIT_CPU)") + kCompileLimitHelp,
         .member = &CompilerSettings::compile_cpu_seconds,
         .minimum = 5,
         .maximum = 3600},
        {.key = "max_concurrent_compiles",
         .type = SettingType::integer,
         .help = "at most this many clang processes run at once over all requests; the others "
                 "wait their turn in order, with progress",
         .member = &CompilerSettings::max_concurrent_compiles,
         .minimum = 1,
         .maximum = 64},
        {.key = "sandbox_user",
         .type = SettingType::string,
         .help = "the unprivileged user clang runs as when the server is root (besides "
                 "Landlock); it must exist and must not be root",
         .member = &CompilerSettings::sandbox_user,
         .pattern = "^[a-z_][a-z0-9_.-]{0,31}$"},
        {.key = "verify_seconds",
         .type = SettingType::integer,
         .help = "how long kernel verification keeps a scheduler attached",
         .member = &CompilerSettings::verify_seconds,
         .minimum = 1,
         .maximum = 60},
        {.key = "use_sudo",
         .type = SettingType::choice,
         .help = "never: kernel verification needs the server to be root; auto: verify through "
                 "`sudo -n schedcp-loader` when not root, which needs a sudoers rule for "
                 "schedcp-loader: that rule is root-equivalent (it lets the user load any BPF "
                 "program as root)",
         .member = &CompilerSettings::allow_sudo,
         .choices = {"never", "auto"}},
        {.key = "sudo_path",
         .type = SettingType::path,
         .help = "the sudo program",
         .member = &CompilerSettings::sudo_path},
        sdk::sched_ext_root_setting(&CompilerSettings::sched_ext_root),
    });
    return table;
}

}  // namespace

boost::json::object settings_schema() {
    return settings().schema();
}

std::vector<sdk::SettingHelp> settings_help() {
    return settings().help();
}

CompilerSettings parse_settings(const boost::json::object& section,
                                const std::filesystem::path& plugin_dir,
                                const std::filesystem::path& data_dir) {
    CompilerSettings c = settings().parse(section);
    c.shipped_include = plugin_dir / "compiler" / "include";
    c.loader = (plugin_dir / ".." / "libexec" / "schedcp-loader").lexically_normal();
    c.data_dir = data_dir;
    return c;
}

}  // namespace schedcp::plugins::compiler
