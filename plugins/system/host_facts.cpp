#include "host_facts.hpp"

#include <sys/utsname.h>

#include <sstream>

#include "schedcp/sdk/sched_ext.hpp"

namespace schedcp::plugins::system {

namespace bj = boost::json;
namespace fs = std::filesystem;
using sdk::host::meminfo_kb;
using sdk::host::read_line;
using sdk::host::read_text;

namespace {
bj::value or_null(const std::optional<std::uint64_t>& v, std::uint64_t divide = 1) {
    return v ? bj::value(*v / divide) : bj::value(nullptr);
}
bool path_exists(const fs::path& p) {
    std::error_code ec;
    return fs::exists(p, ec);
}
}  // namespace

bj::object kernel_facts(const HostRoots& roots) {
    utsname u{};
    const bool have_uname = ::uname(&u) == 0;
    // From procfs so a test root can say it; uname where the file is missing.
    auto release = read_line(roots.proc / "sys/kernel/osrelease");
    if (!release && have_uname) release = u.release;
    auto arch = read_line(roots.proc / "sys/kernel/arch");
    if (!arch && have_uname) arch = u.machine;
    const fs::path btf = roots.sys / "kernel/btf/vmlinux";
    const fs::path psi = roots.proc / "pressure/cpu";
    // systemd's names: v2 alone at /sys/fs/cgroup, v2 beside v1 (at .../unified), v1 alone.
    const std::string mode = path_exists(roots.sys / "fs/cgroup/cgroup.controllers") ? "unified"
                             : path_exists(roots.sys / "fs/cgroup/unified/cgroup.controllers")
                                 ? "hybrid"
                                 : "legacy";
    bj::object o{{"release", release ? bj::value(*release) : bj::value(nullptr)},
                 {"architecture", arch ? bj::value(*arch) : bj::value(nullptr)},
                 {"btf", bj::object{{"available", path_exists(btf)}, {"path", btf.string()}}},
                 {"cgroup_v2", mode != "legacy"},
                 {"cgroup_mode", mode}};
    o["psi"] = read_text(psi)
                   ? bj::object{{"available", true}}
                   : bj::object{{"available", false},
                                {"reason", psi.string() + " is missing (needs CONFIG_PSI, and "
                                                          "psi=1 if disabled by default)"}};
    return o;
}

bj::object sched_ext_facts(const HostRoots& roots) {
    const fs::path root = roots.sys / "kernel/sched_ext";
    const auto status = sdk::sched_ext::read_status(root);
    bj::object o = sdk::sched_ext::to_json(status);
    o["present"] = status.present;  // the same as "sched_ext", under a plainer name
    if (!status.present) {
        o["reason"] = sdk::sched_ext::no_sched_ext_message(root);
        return o;
    }
    if (status.events) {
        bj::object counters = o["events"].as_object();
        o["events"] = bj::object{{"available", true}, {"counters", std::move(counters)}};
    } else {
        o["events"] =
            bj::object{{"available", false},
                       {"reason", sdk::sched_ext::events_unavailable_reason(status, root)}};
    }
    return o;
}

bj::object memory_facts(const HostRoots& roots) {
    auto text = read_text(roots.proc / "meminfo");
    if (!text)
        return bj::object{{"available", false},
                          {"reason", (roots.proc / "meminfo").string() + " is unreadable"}};
    return bj::object{{"total_mb", or_null(meminfo_kb(*text, "MemTotal"), 1024)},
                      {"available_mb", or_null(meminfo_kb(*text, "MemAvailable"), 1024)},
                      {"swap_total_mb", or_null(meminfo_kb(*text, "SwapTotal"), 1024)},
                      {"swap_free_mb", or_null(meminfo_kb(*text, "SwapFree"), 1024)}};
}

bj::object load_facts(const HostRoots& roots) {
    auto line = read_line(roots.proc / "loadavg");
    double l1 = 0, l5 = 0, l15 = 0;
    long runnable = 0, tasks = 0;
    char slash = 0;
    std::istringstream in(line.value_or(""));
    if (!(in >> l1 >> l5 >> l15 >> runnable >> slash >> tasks) || slash != '/')
        return bj::object{{"available", false},
                          {"reason", (roots.proc / "loadavg").string() +
                                         " is missing or not in the expected format"}};
    return bj::object{{"one_minute", l1},
                      {"five_minutes", l5},
                      {"fifteen_minutes", l15},
                      {"runnable", runnable},
                      {"tasks", tasks}};
}

}  // namespace schedcp::plugins::system
