#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "monitor/proc_sources.hpp"
#include "monitor/sampler.hpp"

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
