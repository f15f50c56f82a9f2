#include "sched_ext_btf.hpp"

#include <bpf/btf.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

namespace schedcp::test {

namespace fs = std::filesystem;

namespace {

bool has_sched_ext(const fs::path& p) {
    btf* b = btf__parse(p.c_str(), nullptr);
    if (!b) return false;
    bool ok = btf__find_by_name_kind(b, "sched_ext_ops", BTF_KIND_STRUCT) >= 0;
    btf__free(b);
    return ok;
}

SchedExtBtf find() {
    SchedExtBtf r;
    if (const char* env = std::getenv("SCHEDCP_TEST_SCHED_EXT_BTF"); env && *env) {
        if (has_sched_ext(env))
            r.path = env;
        else
            r.why_missing = std::string("no usable BTF: SCHEDCP_TEST_SCHED_EXT_BTF=") + env +
                            " has no struct sched_ext_ops";
        return r;
    }
    if (has_sched_ext("/sys/kernel/btf/vmlinux")) {
        r.path = "/sys/kernel/btf/vmlinux";
        return r;
    }
    const char* cache_env = std::getenv("SCHEDCP_E2E_CACHE");
    fs::path cache = cache_env && *cache_env ? cache_env : "/var/cache/schedcp-e2e";
    fs::file_time_type newest{};
    std::error_code ec;
    for (const auto& d : fs::directory_iterator(cache, ec)) {
        fs::path v = d.path() / "vmlinux";
        if (d.path().filename().string().starts_with(".") || !fs::is_regular_file(v, ec)) continue;
        auto t = fs::last_write_time(v, ec);
        if (has_sched_ext(v) && (r.path.empty() || t > newest)) {
            r.path = v.string();
            newest = t;
        }
    }
    if (r.path.empty())
        r.why_missing =
            "no BTF of a sched_ext kernel: this kernel's /sys/kernel/btf/vmlinux has no struct "
            "sched_ext_ops, SCHEDCP_TEST_SCHED_EXT_BTF is not set, and " +
            cache.string() +
            " holds no <key>/vmlinux with sched_ext (tests/e2e/build-kernel.sh builds one)";
    return r;
}

}  // namespace

const SchedExtBtf& sched_ext_btf() {
    static const SchedExtBtf found = find();
    return found;
}

bool require_sched_ext_btf(const char* what) {
    if (!sched_ext_btf().path.empty()) return true;
    BOOST_ERROR("CANNOT TEST " << what
                               << ": it needs to compile a scheduler against sched_ext "
                                  "BTF, and there is "
                               << sched_ext_btf().why_missing);
    return false;
}

bool kernel_has_sched_ext() {
    std::error_code ec;
    return fs::is_directory("/sys/kernel/sched_ext", ec);
}

std::string write_minimal_sched_ext_btf(const std::string& path) {
    btf* b = btf__new_empty();
    BOOST_REQUIRE(b);
    int int_id = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
    BOOST_REQUIRE(int_id > 0);
    BOOST_REQUIRE(btf__add_struct(b, "sched_ext_ops", 4) > 0);
    BOOST_REQUIRE(btf__add_field(b, "flags", int_id, 0, 0) == 0);
    __u32 size = 0;
    const void* raw = btf__raw_data(b, &size);
    BOOST_REQUIRE(raw);
    std::ofstream(path, std::ios::binary).write(static_cast<const char*>(raw), size);
    btf__free(b);
    return path;
}

std::string vmlinux_setting() {
    return sched_ext_btf().path.empty() ? "/sys/kernel/btf/vmlinux" : sched_ext_btf().path;
}

}  // namespace schedcp::test
