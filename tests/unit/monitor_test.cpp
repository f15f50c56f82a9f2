#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "monitor/proc_sources.hpp"
#include "monitor/sampler.hpp"
#include "subprocess.hpp"

namespace bj = boost::json;
using namespace schedcp::plugins::monitor;

namespace {
std::string fixture(const std::string& name) {
    std::ifstream in(std::string(SCHEDCP_SOURCE_DIR) + "/tests/fixtures/proc/" + name);
    BOOST_REQUIRE_MESSAGE(in, "missing fixture " << name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Sample sample_at(double t, std::uint64_t busy0, std::uint64_t idle0, std::uint64_t busy1,
                 std::uint64_t idle1, std::uint64_t ctxt) {
    Sample s;
    s.t = t;
    ProcStat st;
    st.cpus = {{busy0, idle0}, {busy1, idle1}};
    st.cpu_ids = {0, 1};
    st.all = {busy0 + busy1, idle0 + idle1};
    st.context_switches = ctxt;
    s.stat = st;
    s.mem = MemInfo{1024 * 1024, 512 * 1024};
    return s;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(monitor)

BOOST_AUTO_TEST_CASE(proc_stat) {
    auto s = parse_proc_stat(fixture("stat"));
    BOOST_REQUIRE(s);
    // busy = user+nice+system+irq+softirq+steal; idle = idle+iowait; guest is inside user.
    BOOST_TEST(s->all.busy == 10000u + 200 + 3000 + 100 + 50 + 25);
    BOOST_TEST(s->all.idle == 80500u);
    BOOST_TEST(s->cpus.size() == 2u);
    BOOST_TEST(s->cpu_ids[1] == 1);
    BOOST_TEST(s->context_switches == 987654u);
    BOOST_TEST(s->procs_running == 3u);
    BOOST_TEST(!parse_proc_stat("intr 1 2\n"));
    BOOST_TEST(!parse_proc_stat("cpu 1 x 3 4\n"));
}

BOOST_AUTO_TEST_CASE(meminfo_and_loadavg) {
    auto m = parse_meminfo(fixture("meminfo"));
    BOOST_REQUIRE(m);
    BOOST_TEST(m->total_kb == 16384000u);
    BOOST_TEST(m->used_percent() == 50.0);
    BOOST_TEST(!parse_meminfo("MemTotal: 10 kB\n"));  // no MemAvailable
    BOOST_TEST(*parse_loadavg(fixture("loadavg")) == 0.52);
    BOOST_TEST(!parse_loadavg("x"));
}

BOOST_AUTO_TEST_CASE(schedstat_versions_15_to_17) {
    for (const char* f : {"schedstat-v15", "schedstat-v16", "schedstat-v17"}) {
        auto s = parse_schedstat(fixture(f));
        BOOST_REQUIRE_MESSAGE(s, f);
        BOOST_TEST(s->cpus.size() == 2u, f);
        BOOST_TEST(s->cpus[1].run_time_ns == 7000000000u, f);
        BOOST_TEST(s->cpus[1].run_delay_ns == 750000000u, f);
        BOOST_TEST(s->cpus[1].timeslices == 1950u, f);  // field 9: pcount
    }
    BOOST_TEST(parse_schedstat(fixture("schedstat-v17"))->version == 17);
    std::string why;
    BOOST_TEST(!parse_schedstat(fixture("schedstat-v18"), &why));
    BOOST_TEST(why == "/proc/schedstat version 18 is not supported (15 to 17 are)");
    BOOST_TEST(!parse_schedstat("version 16\ncpu0 1 2\n", &why));
    BOOST_TEST(why == "/proc/schedstat cpu lines are not in the expected format");
}

BOOST_AUTO_TEST_CASE(pressure) {
    auto p = parse_pressure(fixture("pressure-cpu"));
    BOOST_REQUIRE(p);
    BOOST_TEST(p->some_avg10 == 1.25);
    BOOST_TEST(p->some_total_us == 123456789u);
    BOOST_TEST(parse_pressure(fixture("pressure-cpu-some-only"))->some_total_us ==
               42u);  // kernels before 5.13
    BOOST_TEST(!parse_pressure("full avg10=0.00 total=0\n"));
}

BOOST_AUTO_TEST_CASE(series_statistics) {
    auto s = series_stats({10, 20, 30, 40, 50, 60, 70, 80, 90, 100});
    BOOST_TEST(s.at("avg").as_double() == 55.0);
    BOOST_TEST(s.at("max").as_double() == 100.0);
    BOOST_TEST(s.at("p95").as_double() == 100.0);  // nearest rank: ceil(9.5) = 10th
    BOOST_TEST(s.at("min").as_double() == 10.0);
    std::vector<double> many;
    for (int i = 1; i <= 100; ++i) many.push_back(i);
    BOOST_TEST(series_stats(many).at("p95").as_double() == 95.0);
    BOOST_TEST(!series_stats({}).at("available").as_bool());
}

BOOST_AUTO_TEST_CASE(summary_rates_from_consecutive_samples) {
    // CPU0 fully busy, CPU1 idle: overall 50%, per CPU 100% and 0%.
    std::vector<Sample> samples = {sample_at(0, 0, 0, 0, 0, 1000),
                                   sample_at(1, 100, 0, 0, 100, 3000),
                                   sample_at(2, 200, 0, 0, 200, 4000)};
    bj::object sources{{"schedstat", {{"available", false}, {"reason", "no schedstat here"}}}};
    auto s = summarize(samples, sources);
    BOOST_TEST(s.at("sample_count").as_int64() == 3);
    BOOST_TEST(s.at("duration_secs").as_double() == 2.0);
    BOOST_TEST(s.at("cpu").at("avg_percent").as_double() == 50.0);
    BOOST_TEST(s.at("cpu").at("per_cpu_percent").at(0).at("max").as_double() == 100.0);
    BOOST_TEST(s.at("cpu").at("per_cpu_percent").at(1).at("max").as_double() == 0.0);
    BOOST_TEST(s.at("context_switches_per_sec").at("avg").as_double() == 1500.0);
    BOOST_TEST(s.at("context_switches_per_sec").at("max").as_double() == 2000.0);
    BOOST_TEST(s.at("memory").at("avg_percent").as_double() == 50.0);
    // A missing source is reported as such, not as zeros.
    BOOST_TEST(bj::serialize(s.at("schedstat")) ==
               R"({"available":false,"reason":"no schedstat here"})");
}

BOOST_AUTO_TEST_CASE(summary_schedstat_and_pressure_deltas) {
    Sample a, b;
    a.t = 0;
    b.t = 2;
    a.schedstat = parse_schedstat(fixture("schedstat-v16"));
    b.schedstat = a.schedstat;
    for (auto& c : b.schedstat->cpus) {
        c.run_time_ns += 1000000000;  // +1 s of run time per CPU
        c.run_delay_ns += 10000000;   // +10 ms of waiting per CPU
        c.timeslices += 100;
    }
    a.pressure = Pressure{0.5, 1000000};
    b.pressure = Pressure{1.5, 1200000};  // +0.2 s stalled over 2 s: 10%
    auto s = summarize({a, b}, bj::object{});
    BOOST_TEST(s.at("schedstat").at("run_time_ms_per_sec").at("avg").as_double() == 1000.0);
    BOOST_TEST(s.at("schedstat").at("run_delay_ms_per_sec").at("avg").as_double() == 10.0);
    BOOST_TEST(s.at("schedstat").at("timeslices_per_sec").at("avg").as_double() == 100.0);
    BOOST_TEST(s.at("schedstat").at("run_delay_us_per_timeslice").at("avg").as_double() == 100.0);
    BOOST_TEST(s.at("cpu_pressure").at("some_stall_percent").at("avg").as_double() == 10.0);
    BOOST_TEST(s.at("cpu_pressure").at("some_avg10_percent").at("max").as_double() == 1.5);
}

// SchedCP's summary.scheduler over a fake proc root: the samples the session takes at start
// and at stop, each from <proc_root>/schedstat as it is then.
struct SchedstatWindow {
    schedcp::test::TempDir dir;
    Sources sources{.proc_root = dir.path(), .sched_ext_root = dir.file("no_sched_ext")};

    bj::object summary_between(const std::optional<std::string>& at_start,
                               const std::optional<std::string>& at_stop) {
        write(at_start);
        auto probed = probe_sources(sources);
        auto first = take_sample(sources, 0);
        write(at_stop);
        auto last = take_sample(sources, 2);
        return summarize({first, last}, probed).at("scheduler").as_object();
    }
    void write(const std::optional<std::string>& schedstat) {
        std::filesystem::remove(dir.file("schedstat"));
        if (schedstat) dir.write("schedstat", *schedstat);
    }
};

const char* kSchedstatStart =
    "version 15\ntimestamp 100\n"
    "cpu0 0 0 10 2 8 3 1000000 500 10\n"
    "domain0 00000003 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25\n"
    "cpu1 0 0 20 4 16 6 2000000 700 20\n";

BOOST_FIXTURE_TEST_CASE(scheduler_summary_is_the_schedstat_delta_over_the_window, SchedstatWindow) {
    // +3 ms and +30 timeslices on cpu0, +1 ms and +10 on cpu1: 40 timeslices of 100 us.
    auto s = summary_between(kSchedstatStart,
                             "version 15\ntimestamp 300\n"
                             "cpu0 0 0 10 2 8 3 4000000 900 40\n"
                             "cpu1 0 0 20 4 16 6 3000000 900 30\n");
    BOOST_TEST(bj::serialize(s) ==
               R"({"available":true,"total_timeslices":40,"avg_run_time_ns":100000})");
}

BOOST_FIXTURE_TEST_CASE(scheduler_summary_without_timeslices_is_unavailable, SchedstatWindow) {
    auto s = summary_between(kSchedstatStart, std::string(kSchedstatStart));
    BOOST_TEST(!s.at("available").as_bool());
    BOOST_TEST(s.at("reason").as_string() ==
               "no timeslices ran during the monitoring window (/proc/schedstat)");
}

BOOST_FIXTURE_TEST_CASE(scheduler_summary_without_schedstat_says_why, SchedstatWindow) {
    auto s = summary_between(std::nullopt, std::nullopt);
    BOOST_TEST(!s.at("available").as_bool());
    BOOST_TEST(s.at("reason").as_string() ==
               dir.file("schedstat") +
                   " does not exist on this kernel (it needs CONFIG_SCHEDSTATS)");
}

BOOST_FIXTURE_TEST_CASE(scheduler_summary_of_an_unknown_schedstat_version_says_why,
                        SchedstatWindow) {
    auto v18 = fixture("schedstat-v18");
    auto s = summary_between(v18, v18);
    BOOST_TEST(!s.at("available").as_bool());
    BOOST_TEST(s.at("reason").as_string() ==
               "/proc/schedstat version 18 is not supported (15 to 17 are)");
}

BOOST_AUTO_TEST_CASE(scheduler_summary_needs_two_readings) {
    Sample one;
    one.schedstat = parse_schedstat(fixture("schedstat-v15"));
    auto s = scheduler_summary({one}, bj::object{});
    BOOST_TEST(!s.at("available").as_bool());
    BOOST_TEST(s.at("reason").as_string().find("fewer than two readings") == 0u);
}

BOOST_AUTO_TEST_CASE(histogram_percentiles) {
    unsigned long long slots[64] = {};
    slots[10] = 90;  // [1024, 2048) ns
    slots[20] = 10;  // [~1.05, ~2.1) ms
    BOOST_TEST(histogram_percentile_us(slots, 64, 0.5) > 1.024);
    BOOST_TEST(histogram_percentile_us(slots, 64, 0.5) < 2.048);
    BOOST_TEST(histogram_percentile_us(slots, 64, 0.99) > 1048.0);
    BOOST_TEST(histogram_percentile_us(slots, 64, 0.99) <= 2097.152);
    unsigned long long none[64] = {};
    BOOST_TEST(histogram_percentile_us(none, 64, 0.5) == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
