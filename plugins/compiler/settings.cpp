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
             {"verify_seconds",
              integer(1, 60, "how long kernel verification keeps a scheduler attached")},
             {"use_sudo",
              bj::object{{"enum", bj::array{"auto", "never"}},
                         {"description", "auto: verify through `sudo -n` when not root; never"}}},
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
    c.allow_sudo = sdk::json::optional_string(s, "use_sudo").value_or("auto") == "auto";
    c.sudo_path = sdk::json::optional_string(s, "sudo_path").value_or("/usr/bin/sudo");
    c.sched_ext_root =
        sdk::json::optional_string(s, "sched_ext_root").value_or("/sys/kernel/sched_ext");
    c.shipped_include = plugin_dir / "compiler" / "include";
    c.loader = (plugin_dir / ".." / "libexec" / "schedcp-loader").lexically_normal();
    c.data_dir = data_dir;
    return c;
}

}  // namespace schedcp::plugins::compiler
