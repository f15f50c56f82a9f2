#include "settings.hpp"

#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/system.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;

namespace {

bj::object absolute_path(const char* description) {
    return bj::object{{"type", "string"}, {"pattern", "^(/|~/)"}, {"description", description}};
}

bj::object integer(int min, int max, const char* description) {
    return bj::object{
        {"type", "integer"}, {"minimum", min}, {"maximum", max}, {"description", description}};
}

}  // namespace

bj::object settings_schema() {
    return bj::object{
        {"type", "object"},
        {"properties",
         bj::object{
             {"vmlinux_btf",
              absolute_path("BTF of the kernel schedulers are compiled for: raw BTF "
                            "(/sys/kernel/btf/vmlinux) or a vmlinux ELF file with .BTF")},
             {"clang", bj::object{{"type", "string"},
                                  {"minLength", 1},
                                  {"pattern", "^(/|[A-Za-z0-9._+-]+$)"},
                                  {"description",
                                   "clang to use: a name in $PATH or an absolute path (>= 16); "
                                   "default: the newest of clang-21 .. clang-16"}}},
             {"include_dirs", bj::object{{"type", "array"},
                                         {"items", absolute_path("an include directory")},
                                         {"maxItems", 32},
                                         {"description",
                                          "extra include directories, searched after the "
                                          "shipped scx headers"}}},
             {"compile_timeout_seconds", integer(5, 600, "clang is stopped after this long")},
             {"compile_memory_mb",
              integer(256, 65536,
                      "clang's address-space limit in MiB (RLIMIT_AS); a compile that needs "
                      "more is stopped with a message naming this setting")},
             {"compile_cpu_seconds",
              integer(5, 3600,
                      "clang's CPU-time limit in seconds (RLIMIT_CPU); a compile that needs "
                      "more is stopped with a message naming this setting")},
             {"max_concurrent_compiles",
              integer(1, 64,
                      "at most this many clang processes run at once over all requests; "
                      "the others wait their turn in order, with progress")},
             {"sandbox_user",
              bj::object{{"type", "string"},
                         {"pattern", "^[a-z_][a-z0-9_.-]{0,31}$"},
                         {"description",
                          "the unprivileged user clang runs as when the server is root "
                          "(besides Landlock); it must exist and must not be root"}}},
             {"verify_seconds",
              integer(1, 60, "how long kernel verification keeps a scheduler attached")},
             {"use_sudo",
              bj::object{{"enum", bj::array{"auto", "never"}},
                         {"description",
                          "never (default): kernel verification needs the server to be root; "
                          "auto: verify through `sudo -n schedcp-loader` when not root, which "
                          "needs a sudoers rule for schedcp-loader: that rule is "
                          "root-equivalent (it lets the user load any BPF program as root)"}}},
             {"sudo_path", bj::object{{"type", "string"}, {"pattern", "^/"}}},
             {"sched_ext_root",
              bj::object{
                  {"type", "string"},
                  {"pattern", "^/"},
                  {"description", "sysfs directory of sched_ext (tests point it elsewhere)"}}}}},
        {"additionalProperties", false}};
}

CompilerSettings parse_settings(const bj::object& s, const std::filesystem::path& plugin_dir,
                                const std::filesystem::path& data_dir) {
    CompilerSettings c;
    if (auto v = sdk::json::optional_string(s, "vmlinux_btf"))
        c.vmlinux_btf = sdk::system::expand_home(*v);
    c.clang = sdk::json::optional_string(s, "clang").value_or("");
    if (auto dirs = sdk::json::optional_string_array(s, "include_dirs"))
        for (const auto& d : *dirs) c.include_dirs.push_back(sdk::system::expand_home(d));
    c.compile_timeout_seconds =
        static_cast<int>(sdk::json::optional_int(s, "compile_timeout_seconds").value_or(120));
    c.verify_seconds = static_cast<int>(sdk::json::optional_int(s, "verify_seconds").value_or(3));
    c.sandbox_user = sdk::json::optional_string(s, "sandbox_user").value_or("nobody");
    c.compile_memory_mb =
        static_cast<int>(sdk::json::optional_int(s, "compile_memory_mb").value_or(1024));
    c.compile_cpu_seconds =
        static_cast<int>(sdk::json::optional_int(s, "compile_cpu_seconds").value_or(60));
    c.max_concurrent_compiles =
        static_cast<int>(sdk::json::optional_int(s, "max_concurrent_compiles").value_or(2));
    c.allow_sudo = sdk::json::optional_string(s, "use_sudo").value_or("never") == "auto";
    c.sudo_path = sdk::json::optional_string(s, "sudo_path").value_or("/usr/bin/sudo");
    c.sched_ext_root =
        sdk::json::optional_string(s, "sched_ext_root").value_or("/sys/kernel/sched_ext");
    c.shipped_include = plugin_dir / "compiler" / "include";
    c.loader = (plugin_dir / ".." / "libexec" / "schedcp-loader").lexically_normal();
    c.data_dir = data_dir;
    return c;
}

}  // namespace schedcp::plugins::compiler
