#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "monitor/proc_sources.hpp"
#include "monitor/sampler.hpp"
#include "monitor/series.hpp"
#include "monitor/summary.hpp"
#include "schedcp/sdk/latency_histogram.hpp"
#include "scx_stats_server.hpp"
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
    auto s = series_stats(std::vector<double>{10, 20, 30, 40, 50, 60, 70, 80, 90, 100});
    BOOST_TEST(s.at("avg").as_double() == 55.0);
    BOOST_TEST(s.at("max").as_double() == 100.0);
    BOOST_TEST(s.at("p95").as_double() == 100.0);  // nearest rank: ceil(9.5) = 10th
    BOOST_TEST(s.at("min").as_double() == 10.0);
    std::vector<double> many;
    for (int i = 1; i <= 100; ++i) many.push_back(i);
    BOOST_TEST(series_stats(many).at("p95").as_double() == 95.0);
    BOOST_TEST(!series_stats(std::vector<double>{}).at("available").as_bool());
}

BOOST_AUTO_TEST_CASE(summary_rates_from_consecutive_samples) {
    // CPU0 fully busy, CPU1 idle: overall 50%, per CPU 100% and 0%.
    std::vector<Sample> samples = {sample_at(0, 0, 0, 0, 0, 1000),
                                   sample_at(1, 100, 0, 0, 100, 3000),
                                   sample_at(2, 200, 0, 0, 200, 4000)};
    bj::object sources{{"schedstat", {{"available", false}, {"reason", "no schedstat here"}}}};
    auto s = summarize(samples, sources, {.interval_secs = 1.0});
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
    auto s = summarize({a, b}, bj::object{}, {.interval_secs = 2.0});
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
        return summarize({first, last}, probed, {.interval_secs = 2.0}).at("scheduler").as_object();
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

BOOST_AUTO_TEST_CASE(histogram_buckets_are_log2_microseconds_as_runqlat_prints_them) {
    // bcc/libbpf-tools runqlat: 0 -> 1, 2 -> 3, 4 -> 7, ... 1024 -> 2047 us.
    using H = schedcp::sdk::LatencyHistogram;
    BOOST_TEST(H::slot_from_us(0) == 0.0);
    BOOST_TEST(H::slot_to_us(0) == 2.0);
    BOOST_TEST(H::slot_from_us(2) == 4.0);
    BOOST_TEST(H::slot_to_us(2) == 8.0);
    BOOST_TEST(H::slot_from_us(10) == 1024.0);
    BOOST_TEST(H::slot_to_us(10) == 2048.0);
}

BOOST_AUTO_TEST_CASE(histogram_percentiles_interpolate_and_stop_at_the_exact_max) {
    schedcp::sdk::LatencyHistogram h;
    h.slots[0] = 90;   // [0, 2) us
    h.slots[10] = 10;  // [1024, 2048) us
    h.max_us = 1500.0;
    BOOST_TEST(h.percentile_us(0.5) > 0.0);
    BOOST_TEST(h.percentile_us(0.5) < 2.0);
    // Interpolation would say 1945.6; nothing waited longer than 1500 us.
    BOOST_TEST(h.percentile_us(0.99) == 1500.0);
    // 0.95 of 100 is the 5th of the 10 in [1024, 2048): halfway.
    h.max_us = 4000.0;
    BOOST_TEST(h.percentile_us(0.95) == 1536.0);
    const schedcp::sdk::LatencyHistogram none;
    BOOST_TEST(none.percentile_us(0.5) == 0.0);
}

BOOST_AUTO_TEST_CASE(weighted_series_statistics) {
    // 9 s at 1 and 1 s at 100: the mean over time is 10.9, and 10% of the time is above 1.
    auto s = series_stats(std::vector<WeightedValue>{{1, 9}, {100, 1}});
    BOOST_TEST(s.at("avg").as_double() == 10.9);
    BOOST_TEST(s.at("p95").as_double() == 100.0);
    BOOST_TEST(s.at("min").as_double() == 1.0);
    // 19 s at 1 and 1 s at 100: 95% of the time at or below 1.
    BOOST_TEST(series_stats(std::vector<WeightedValue>{{1, 19}, {100, 1}}).at("p95").as_double() ==
               1.0);
    BOOST_TEST(!series_stats(std::vector<WeightedValue>{{5, 0}}).at("available").as_bool());
    // Levels: half of each neighbouring interval.
    auto w = level_weights({0, 1, 3});
    BOOST_TEST(w == (std::vector<double>{0.5, 1.5, 1.0}), boost::test_tools::per_element());
    BOOST_TEST(level_weights({7}) == std::vector<double>{1.0}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rates_are_weighted_by_interval_length) {
    // 1 s with CPU0 busy at 1000 switches/s, then 2 s with both idle at 4000/s.
    std::vector<Sample> samples = {sample_at(0, 0, 0, 0, 0, 0), sample_at(1, 100, 0, 0, 100, 1000),
                                   sample_at(3, 100, 200, 0, 300, 9000)};
    samples[0].load1 = 3;
    samples[1].load1 = 0;
    samples[2].load1 = 0;
    auto s = summarize(samples, bj::object{}, {.interval_secs = 1.0});
    // 9000 switches in 3 s; a plain mean of the two rates said 2500.
    BOOST_TEST(s.at("context_switches_per_sec").at("avg").as_double() == 3000.0);
    // 50% for 1 s, 0% for 2 s; a plain mean said 25%.
    BOOST_TEST(s.at("cpu").at("avg_percent").as_double() == 16.67);
    BOOST_TEST(s.at("cpu").at("per_cpu_percent").at(0).at("avg").as_double() == 33.33);
    // Load 3 only at the start: it counts for half a second of 3; a plain mean said 1.
    BOOST_TEST(s.at("load_average").at("one_minute").at("avg").as_double() == 0.5);
}

BOOST_AUTO_TEST_CASE(a_short_final_interval_is_merged_into_the_previous_one) {
    // Samples every second, then the stop sample 10 ms after the last one. PSI counts stall
    // per tick, so the 10 ms sliver shows none though the CPU stalled 10% of the time.
    std::vector<Sample> samples = {sample_at(0, 0, 0, 0, 0, 0), sample_at(1, 0, 0, 0, 0, 1000),
                                   sample_at(2, 0, 0, 0, 0, 2000),
                                   sample_at(2.01, 0, 0, 0, 0, 3000)};
    const std::uint64_t stall_us[] = {0, 100000, 200000, 200000};
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i].pressure = Pressure{0, stall_us[i]};
    BOOST_TEST(rate_sample_indices(samples, 1.0) == (std::vector<std::size_t>{0, 1, 3}),
               boost::test_tools::per_element());
    auto s = summarize(samples, bj::object{}, {.interval_secs = 1.0});
    // 3000 switches in 2.01 s (a plain mean of 1000, 1000 and 100000/s said 34000).
    BOOST_TEST(s.at("context_switches_per_sec").at("avg").as_double() == 1492.54);
    BOOST_TEST(s.at("context_switches_per_sec").at("max").as_double() == 1980.2);
    // 0.2 s stalled in 2.01 s (a plain mean of 10%, 10% and 0% said 6.67%).
    BOOST_TEST(s.at("cpu_pressure").at("some_stall_percent").at("avg").as_double() == 9.95);
    BOOST_TEST(s.at("cpu_pressure").at("some_stall_percent").at("min").as_double() == 9.9);
    // Half an interval or more stands on its own.
    samples[3].t = 2.5;
    BOOST_TEST(rate_sample_indices(samples, 1.0).size() == 4u);
    // Two samples: nothing to merge into.
    BOOST_TEST(rate_sample_indices({samples[0], samples[1]}, 10.0).size() == 2u);
}

BOOST_AUTO_TEST_CASE(sched_ext_event_deltas_per_interval) {
    namespace scx = schedcp::sdk::sched_ext;
    auto at = [](double t, std::uint64_t enable_seq, std::uint64_t fallback, std::uint64_t keep) {
        Sample s;
        s.t = t;
        s.sched_ext.present = true;
        s.sched_ext.state = scx::State::enabled;
        s.sched_ext.ops = "simple";
        s.sched_ext.enable_seq = enable_seq;
        s.sched_ext.events = std::vector<scx::EventCounter>{
            {"SCX_EV_SELECT_CPU_FALLBACK", fallback}, {"SCX_EV_DISPATCH_KEEP_LAST", keep}};
        return s;
    };
    // +10 in 1 s, +30 in 2 s, then a new scheduler (enable_seq 2) resets the counters: that
    // interval is not a delta.
    std::vector<Sample> samples = {at(0, 1, 5, 0), at(1, 1, 15, 0), at(3, 1, 45, 0),
                                   at(4, 2, 2, 0)};
    auto s = summarize(samples, bj::object{}, {.interval_secs = 1.0});
    const auto& ev = s.at("sched_ext").at("events").as_object();
    BOOST_REQUIRE_MESSAGE(ev.at("available").as_bool(), bj::serialize(ev));
    const auto& fb = ev.at("counters").at("SCX_EV_SELECT_CPU_FALLBACK").as_object();
    BOOST_TEST(fb.at("total").as_uint64() == 40u);
    BOOST_TEST(fb.at("per_sec").at("avg").as_double() == 13.33);  // 40 in 3 s
    BOOST_TEST(fb.at("per_sec").at("max").as_double() == 15.0);
    BOOST_TEST(fb.at("per_interval").at("max").as_double() == 30.0);
    BOOST_TEST(ev.at("counters").at("SCX_EV_DISPATCH_KEEP_LAST").at("total").as_uint64() == 0u);
}

BOOST_AUTO_TEST_CASE(sched_ext_events_absent_say_why) {
    schedcp::test::TempDir dir;
    std::filesystem::create_directories(dir.file("sched_ext"));
    std::ofstream(dir.file("sched_ext/state")) << "disabled\n";
    Sources sources{.proc_root = dir.file("proc"), .sched_ext_root = dir.file("sched_ext")};
    auto s = summarize({take_sample(sources, 0), take_sample(sources, 1)}, bj::object{},
                       {.interval_secs = 1.0, .sched_ext_root = sources.sched_ext_root});
    BOOST_TEST(bj::serialize(s.at("sched_ext").at("events")) ==
               bj::serialize(bj::object{
                   {"available", false},
                   {"reason", "no sched_ext scheduler is loaded (" + dir.file("sched_ext/root") +
                                  " exists only while one is)"}}));
}

BOOST_AUTO_TEST_CASE(scheduler_stats_numeric_fields_are_flattened) {
    auto f = numeric_fields(bj::parse(R"({"at":12,"busy":41.5,"name":"rusty","on":true,)"
                                      R"("doms":{"0":{"load":1.5}},"list":[1,2]})"));
    std::vector<std::string> names;
    for (const auto& [n, v] : f.fields) names.push_back(n + "=" + std::to_string(v));
    BOOST_TEST(names == (std::vector<std::string>{"at=12.000000", "busy=41.500000", "on=1.000000",
                                                  "doms.0.load=1.500000"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(scheduler_stats_sampled_from_the_socket_and_summarised) {
    schedcp::test::TempDir dir;
    int n = 0;
    schedcp::test::StatsServer server(dir, [&n](const bj::object&) {
        // busy 10 at the first sample, 40 at the second (3 s later), 40 at the third (1 s).
        const double busy = n++ == 0 ? 10 : 40;
        return std::optional<std::string>(R"({"errno":0,"args":{"resp":{"busy":)" +
                                          std::to_string(busy) + "}}}\n");
    });
    Sources sources{.proc_root = dir.file("proc"),
                    .sched_ext_root = dir.file("sched_ext"),
                    .scx_stats_socket = server.path()};
    auto a = take_sample(sources, 0), b = take_sample(sources, 3), c = take_sample(sources, 4);
    BOOST_REQUIRE_MESSAGE(a.scheduler_stats, a.scheduler_stats_reason);
    auto s = summarize({a, b, c}, bj::object{}, {.interval_secs = 1.0}).at("scheduler_stats");
    BOOST_TEST(s.at("samples").as_uint64() == 3u);
    // Weights 1.5, 2, 0.5 s: (15 + 80 + 20) / 4.
    BOOST_TEST(s.at("fields").at("busy").at("avg").as_double() == 28.75);
    BOOST_TEST(s.at("fields").at("busy").at("max").as_double() == 40.0);
}

BOOST_AUTO_TEST_CASE(scheduler_stats_without_a_socket_say_why) {
    schedcp::test::TempDir dir;
    Sources sources{.proc_root = dir.file("proc"),
                    .sched_ext_root = dir.file("sched_ext"),
                    .scx_stats_socket = dir.file("stats")};
    auto s = summarize({take_sample(sources, 0), take_sample(sources, 1)}, bj::object{},
                       {.interval_secs = 1.0});
    BOOST_TEST(bj::serialize(s.at("scheduler_stats")) ==
               bj::serialize(bj::object{
                   {"available", false},
                   {"reason", "no scx_stats socket at " + dir.file("stats") +
                                  " (the running scheduler publishes no statistics: scx's Rust "
                                  "schedulers do, the C ones do not)"}}));
}

BOOST_AUTO_TEST_SUITE_END()
