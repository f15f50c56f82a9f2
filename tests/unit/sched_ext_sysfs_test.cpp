// The one sched_ext sysfs reader (schedcp/sdk/sched_ext.hpp) over fake trees, and the
// runner's execution status names.
#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/sched_ext.hpp"
#include "schedcp/sdk/services/scheduler_runner.hpp"
#include "subprocess.hpp"

namespace bj = boost::json;
namespace fs = std::filesystem;
namespace scx = schedcp::sdk::sched_ext;
using schedcp::test::TempDir;

namespace {

// A fake /sys/kernel/sched_ext with `state` and, when given, root/ops and the counters.
fs::path fake_sysfs(const TempDir& dir, const std::string& state, const std::string& ops = "") {
    fs::path root = dir.file("sched_ext");
    fs::create_directories(root);
    std::ofstream(root / "state") << state << "\n";
    if (!ops.empty()) {
        fs::create_directories(root / "root");
        std::ofstream(root / "root" / "ops") << ops << "\n";
    }
    return root;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sched_ext_sysfs)

BOOST_AUTO_TEST_CASE(each_state_the_kernel_writes_is_typed) {
    const std::pair<const char*, scx::State> states[] = {{"disabled", scx::State::disabled},
                                                         {"enabling", scx::State::enabling},
                                                         {"enabled", scx::State::enabled},
                                                         {"disabling", scx::State::disabling}};
    for (const auto& [text, state] : states) {
        TempDir dir;
        auto s = scx::read_status(fake_sysfs(dir, text));
        BOOST_TEST(s.present);
        BOOST_TEST((s.state == state), text);
        BOOST_TEST(s.state_text() == text);
        BOOST_TEST(s.busy() == (state != scx::State::disabled), text);
        BOOST_TEST(scx::state_name(scx::parse_state(text)) == text);
    }
}

BOOST_AUTO_TEST_CASE(an_unknown_state_keeps_the_kernels_text) {
    TempDir dir;
    auto s = scx::read_status(fake_sysfs(dir, "reloading"));
    BOOST_TEST((s.state == scx::State::unknown));
    BOOST_TEST(s.raw_state == "reloading");
    BOOST_TEST(s.state_text() == "reloading");
    BOOST_TEST(s.busy());  // not known to be free: nothing may be loaded over it
    BOOST_TEST(bj::serialize(scx::to_json(s)) ==
               R"({"sched_ext":true,"state":"reloading","ops":null})");
}

BOOST_AUTO_TEST_CASE(ops_and_counters_are_read_when_there) {
    TempDir dir;
    auto root = fake_sysfs(dir, "enabled", "rusty");
    std::ofstream(root / "enable_seq") << "7\n";
    std::ofstream(root / "nr_rejected") << "0\n";
    std::ofstream(root / "switch_all") << "1\n";
    std::ofstream(root / "hotplug_seq") << "3\n";
    auto s = scx::read_status(root);
    BOOST_TEST(s.ops.value_or("") == "rusty");
    BOOST_TEST(s.enabled_with("rusty"));
    BOOST_TEST(!s.enabled_with("simple"));
    BOOST_TEST(s.describe() == "enabled (ops 'rusty')");
    BOOST_TEST(bj::serialize(scx::to_json(s)) ==
               R"({"sched_ext":true,"state":"enabled","ops":"rusty","enable_seq":7,)"
               R"("nr_rejected":0,"switch_all":true,"hotplug_seq":3})");
}

BOOST_AUTO_TEST_CASE(missing_files_leave_their_fields_empty) {
    TempDir dir;
    fs::create_directories(dir.file("sched_ext"));  // the directory, nothing in it
    auto s = scx::read_status(dir.file("sched_ext"));
    BOOST_TEST(s.present);
    BOOST_TEST((s.state == scx::State::unknown));
    BOOST_TEST(s.raw_state.empty());
    BOOST_TEST(s.state_text() == "unknown");
    BOOST_TEST(!s.ops.has_value());
    BOOST_TEST(!s.enable_seq.has_value());
    BOOST_TEST(!s.switch_all.has_value());
    BOOST_TEST(!s.hotplug_seq.has_value());
    // A counter that is not a number is not one.
    std::ofstream(dir.file("sched_ext/enable_seq")) << "12x\n";
    BOOST_TEST(!scx::read_status(dir.file("sched_ext")).enable_seq.has_value());
}

BOOST_AUTO_TEST_CASE(event_counters_are_read_from_root_events) {
    TempDir dir;
    auto root = fake_sysfs(dir, "enabled", "simple");
    // The format of kernel/sched/ext.c's scx_attr_events_show: "%s %llu\n" per counter.
    std::ofstream(root / "root" / "events") << "SCX_EV_SELECT_CPU_FALLBACK 12\n"
                                               "SCX_EV_DISPATCH_KEEP_LAST 0\n"
                                               "not a counter\n"
                                               "SCX_EV_BYPASS_DURATION 18446744073709551615\n";
    auto s = scx::read_status(root);
    BOOST_REQUIRE(s.events.has_value());
    BOOST_TEST(s.events->size() == 3u);
    BOOST_TEST(s.events->at(0).name == "SCX_EV_SELECT_CPU_FALLBACK");
    BOOST_TEST(s.events->at(0).value == 12u);
    BOOST_TEST(s.events->at(2).value == 18446744073709551615ull);
    BOOST_TEST(scx::events_unavailable_reason(s, root).empty());
    BOOST_TEST(bj::serialize(scx::to_json(s)) ==
               R"({"sched_ext":true,"state":"enabled","ops":"simple","events":)"
               R"({"SCX_EV_SELECT_CPU_FALLBACK":12,"SCX_EV_DISPATCH_KEEP_LAST":0,)"
               R"("SCX_EV_BYPASS_DURATION":18446744073709551615}})");
}

BOOST_AUTO_TEST_CASE(missing_event_counters_say_why) {
    TempDir dir;
    auto idle = fake_sysfs(dir, "disabled");
    auto s = scx::read_status(idle);
    BOOST_TEST(!s.events.has_value());
    BOOST_TEST(scx::events_unavailable_reason(s, idle) == "no sched_ext scheduler is loaded (" +
                                                              (idle / "root").string() +
                                                              " exists only while one is)");
    TempDir old_kernel;
    auto loaded = fake_sysfs(old_kernel, "enabled", "simple");  // root/ops but no root/events
    BOOST_TEST(scx::events_unavailable_reason(scx::read_status(loaded), loaded) ==
               (loaded / "root" / "events").string() + " does not exist: this kernel (" +
                   scx::kernel_release() +
                   ") has no sched_ext event counters (they need Linux >= 6.15)");
    BOOST_TEST(
        scx::events_unavailable_reason(scx::read_status(dir.file("absent")), dir.file("absent")) ==
        scx::no_sched_ext_message(dir.file("absent")));
}

BOOST_AUTO_TEST_CASE(a_missing_directory_is_a_kernel_without_sched_ext) {
    TempDir dir;
    auto s = scx::read_status(dir.file("absent"));
    BOOST_TEST(!s.present);
    BOOST_TEST(!s.busy());
    BOOST_TEST(s.describe() == "absent");
    BOOST_TEST(bj::serialize(scx::to_json(s)) == R"({"sched_ext":false})");
    std::string m = scx::no_sched_ext_message(dir.file("absent"));
    BOOST_TEST(m == "this kernel (" + scx::kernel_release() +
                        ") has no sched_ext: " + dir.file("absent") +
                        " does not exist (sched_ext needs Linux >= 6.12 built with "
                        "CONFIG_SCHED_CLASS_EXT=y)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(execution_status)

BOOST_AUTO_TEST_CASE(names_round_trip_and_nothing_else_parses) {
    using schedcp::sdk::services::ExecutionStatus;
    namespace svc = schedcp::sdk::services;
    for (const char* name : {"starting", "running", "stopped", "exited", "failed"}) {
        auto s = svc::parse_execution_status(name);
        BOOST_TEST_REQUIRE(s.has_value(), name);
        BOOST_TEST(svc::execution_status_name(*s) == name);
    }
    BOOST_TEST((svc::parse_execution_status("running") == ExecutionStatus::running));
    BOOST_TEST(!svc::parse_execution_status("Running").has_value());
    BOOST_TEST(!svc::parse_execution_status("").has_value());
    BOOST_TEST(!svc::parse_execution_status("killed").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
