// The system plugin's topology reader: this machine's real /sys and /proc captured into a
// temporary tree at run time, and synthetic trees (2 NUMA nodes x 2 LLCs with SMT; an
// Intel hybrid CPU; a big.LITTLE CPU), plus the CPU list and meminfo formats.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/sysfs_text.hpp"
#include "schedcp/sdk/topology.hpp"
#include "system_fake_host.hpp"

namespace bj = boost::json;
namespace fs = std::filesystem;
using namespace schedcp::sdk::host;
using schedcp::test::FakeHost;
using schedcp::test::TempDir;

namespace {

// Copies what read_topology reads from this machine into `to`: the CPU and node
// directories' small files, the PMUs' CPU lists, /proc/cpuinfo. Symbolic links and files
// that cannot be read are left out, as a copy of sysfs has to.
void capture_real_host(const fs::path& to) {
    auto copy_file = [&](const fs::path& from, const fs::path& rel) {
        auto text = read_text(from);
        if (!text) return;
        fs::create_directories((to / rel).parent_path());
        std::ofstream(to / rel) << *text;
    };
    auto copy_tree = [&](const fs::path& from, const fs::path& rel, int depth, auto& self) -> void {
        std::error_code ec;
        for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) {
            const auto name = it->path().filename().string();
            if (it->is_symlink(ec)) continue;
            if (it->is_directory(ec)) {
                // What topology needs; not power management, idle states or vulnerabilities.
                static const char* wanted[] = {"topology", "cache", "cpufreq", "smt"};
                bool keep = name.starts_with("cpu") || name.starts_with("node") ||
                            name.starts_with("index");
                for (const char* w : wanted) keep = keep || name == w;
                if (keep && depth < 4) self(it->path(), rel / name, depth + 1, self);
            } else if (it->is_regular_file(ec)) {
                copy_file(it->path(), rel / name);
            }
        }
    };
    copy_tree("/sys/devices/system/cpu", "sys/devices/system/cpu", 0, copy_tree);
    copy_tree("/sys/devices/system/node", "sys/devices/system/node", 0, copy_tree);
    std::error_code ec;
    for (fs::directory_iterator it("/sys/bus/event_source/devices", ec), end; !ec && it != end;
         it.increment(ec))
        copy_file(it->path() / "cpus",
                  fs::path("sys/bus/event_source/devices") / it->path().filename() / "cpus");
    copy_file("/proc/cpuinfo", "proc/cpuinfo");
}

// The topology without what changes from one read to the next (free memory).
bj::object stable(bj::object t) {
    for (auto& n : t["numa_nodes"].as_array()) n.as_object().erase("memory_free_mb");
    return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(system_topology)

// read_text reads in pieces: a file of any size up to the cap comes back whole, a larger
// one cut at 1 MiB, an empty one empty, a missing one not at all.
BOOST_AUTO_TEST_CASE(read_text_returns_the_whole_file_up_to_one_mebibyte) {
    TempDir dir;
    for (std::size_t size : {std::size_t{0}, std::size_t{5}, std::size_t{4096}, std::size_t{4097},
                             std::size_t{70000}, std::size_t{1} << 20}) {
        std::string text(size, 'x');
        for (std::size_t i = 0; i < size; i += 7) text[i] = static_cast<char>('a' + i % 26);
        const auto read = read_text(dir.write("f", text));
        BOOST_TEST_REQUIRE(read.has_value());
        BOOST_TEST((*read == text), size);
    }
    const std::string big((std::size_t{1} << 20) + 5000, 'y');
    BOOST_TEST(read_text(dir.write("big", big))->size() == std::size_t{1} << 20);
    BOOST_TEST(!read_text(dir.file("missing")));
}

BOOST_AUTO_TEST_CASE(cpu_lists_in_the_kernels_format) {
    BOOST_TEST(*parse_cpu_list("0-3,8,10-11\n") == (std::vector<int>{0, 1, 2, 3, 8, 10, 11}),
               boost::test_tools::per_element());
    BOOST_TEST(parse_cpu_list("\n")->empty());
    BOOST_TEST(!parse_cpu_list("0-x"));
    BOOST_TEST(!parse_cpu_list("3-1"));
    BOOST_TEST(!parse_cpu_list("0-7:2/4"));
    BOOST_TEST(format_cpu_list({0, 1, 2, 3, 8, 10, 11}) == "0-3,8,10-11");
    BOOST_TEST(format_cpu_list({}) == "");
    BOOST_TEST(*meminfo_kb("MemTotal:       16384000 kB\nMemFree: 12 kB\n", "MemFree") == 12u);
    BOOST_TEST(*meminfo_kb("Node 1 MemTotal:  2048 kB\n", "MemTotal") == 2048u);
    BOOST_TEST(!meminfo_kb("MemTotal: 1 kB\n", "MemAvailable"));
}

BOOST_AUTO_TEST_CASE(this_machine_captured_reads_as_the_live_one) {
    TempDir captured;
    capture_real_host(captured.path());
    const HostRoots copy{.sys = captured.file("sys"), .proc = captured.file("proc")};
    const auto live = to_json(read_topology({}));
    const auto from_copy = to_json(read_topology(copy));
    // Everything comes from under the roots: the copy says what the machine says.
    BOOST_TEST(bj::serialize(stable(from_copy)) == bj::serialize(stable(live)));
    BOOST_TEST(from_copy.at("logical_cpus").as_uint64() ==
               static_cast<std::uint64_t>(::sysconf(_SC_NPROCESSORS_ONLN)));
    BOOST_TEST(from_copy.at("cores").as_int64() >= 1);
    BOOST_TEST(from_copy.at("packages").as_int64() >= 1);
    BOOST_TEST(!from_copy.at("numa_nodes").as_array().empty());
}

BOOST_AUTO_TEST_CASE(two_numa_nodes_of_two_llcs_with_smt) {
    FakeHost h;
    h.two_numa_nodes_of_two_llcs_with_smt();
    const auto t = to_json(read_topology(h.roots));
    BOOST_TEST(t.at("model").as_string() == "AMD EPYC 7302P 16-Core Processor");
    BOOST_TEST(t.at("logical_cpus").as_uint64() == 16u);
    BOOST_TEST(t.at("cores").as_int64() == 8);
    BOOST_TEST(t.at("threads_per_core").as_int64() == 2);
    BOOST_TEST(t.at("smt_active").as_bool());
    BOOST_TEST(t.at("smt_siblings").as_array().size() == 8u);
    BOOST_TEST(t.at("smt_siblings").at(7).as_string() == "14-15");
    BOOST_TEST(t.at("packages").as_int64() == 2);
    BOOST_TEST(t.at("offline_cpus").as_string() == "16");
    BOOST_TEST(t.at("isolated_cpus").as_string() == "15");
    BOOST_TEST(t.at("possible_cpus").as_string() == "0-16");
    BOOST_TEST(bj::serialize(t.at("llc_domains")) ==
               R"([{"level":3,"size":"16384K","cpus":"0-3","cpu_count":4},)"
               R"({"level":3,"size":"16384K","cpus":"4-7","cpu_count":4},)"
               R"({"level":3,"size":"16384K","cpus":"8-11","cpu_count":4},)"
               R"({"level":3,"size":"16384K","cpus":"12-15","cpu_count":4}])");
    BOOST_TEST(
        bj::serialize(t.at("numa_nodes")) ==
        R"([{"node":0,"cpus":"0-7","cpu_count":8,"memory_total_mb":16384,"memory_free_mb":8192},)"
        R"({"node":1,"cpus":"8-15","cpu_count":8,"memory_total_mb":8192,"memory_free_mb":1024}])");
    BOOST_TEST(!t.at("hybrid").at("hybrid").as_bool());
    BOOST_TEST(bj::serialize(t.at("frequency_mhz")) == R"({"min":400,"max":3700})");
}

BOOST_AUTO_TEST_CASE(an_intel_hybrid_cpu_from_its_pmus) {
    FakeHost h;
    h.intel_hybrid();
    const auto t = to_json(read_topology(h.roots));
    BOOST_TEST(t.at("logical_cpus").as_uint64() == 12u);
    BOOST_TEST(t.at("cores").as_int64() == 8);
    BOOST_TEST(t.at("threads_per_core").as_int64() == 2);
    BOOST_TEST(t.at("smt_siblings").as_array().size() == 4u);
    BOOST_TEST(t.at("llc_domains").as_array().size() == 1u);
    BOOST_TEST(bj::serialize(t.at("hybrid")) == R"({"hybrid":true,"source":"pmu","core_types":[)"
                                                R"({"type":"atom","cpus":"8-11","cpu_count":4},)"
                                                R"({"type":"core","cpus":"0-7","cpu_count":8}]})");
    BOOST_TEST(t.at("frequency_mhz").at("max").is_null());
}

BOOST_AUTO_TEST_CASE(a_big_little_cpu_from_cpu_capacity) {
    FakeHost h;
    h.put("sys/devices/system/cpu/online", "0-7\n");
    for (int c = 0; c < 8; ++c) {
        h.cpu_topology(c, 0, c, std::to_string(c), c < 4 ? "0-3" : "4-7", "0-7");
        h.cpu(c, "cpu_capacity", c < 4 ? "446" : "1024");
    }
    h.put("proc/cpuinfo", "processor\t: 0\nBogoMIPS\t: 48.00\nCPU part\t: 0xd05\n");
    const auto t = to_json(read_topology(h.roots));
    BOOST_TEST(t.at("model").is_null());
    BOOST_TEST(t.at("threads_per_core").as_int64() == 1);
    BOOST_TEST(t.at("smt_siblings").as_array().empty());
    BOOST_TEST(t.at("numa_nodes").as_array().empty());
    BOOST_TEST(bj::serialize(t.at("hybrid")) ==
               R"({"hybrid":true,"source":"cpu_capacity","core_types":[)"
               R"({"type":"big","cpus":"4-7","cpu_count":4,"capacity":1024},)"
               R"({"type":"little","cpus":"0-3","cpu_count":4,"capacity":446}]})");
}

BOOST_AUTO_TEST_SUITE_END()
