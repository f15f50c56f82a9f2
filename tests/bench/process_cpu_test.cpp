// bench/support/process_cpu and cpu_placement: a server's CPU time and wake-ups per request
// from its threads' schedstat, and pinning a spawned server to a CPU.
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "answer_scan.hpp"
#include "cpu_placement.hpp"
#include "mcp_session.hpp"
#include "process_cpu.hpp"
#include "server_process.hpp"

using namespace schedcp::bench;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(bench_process_cpu)

BOOST_AUTO_TEST_CASE(a_schedstat_line_is_three_counts) {
    const auto one = parse_schedstat("123456789 42 17\n");
    BOOST_REQUIRE(one.has_value());
    BOOST_TEST(one->on_cpu_ns == 123456789u);
    BOOST_TEST(one->runs == 17u);
    BOOST_TEST(!parse_schedstat("").has_value());
    BOOST_TEST(!parse_schedstat("1 2").has_value());
    BOOST_TEST(!parse_schedstat("1 2 3 4").has_value());
    BOOST_TEST(!parse_schedstat("1 x 3").has_value());
    BOOST_TEST(!parse_schedstat("-1 2 3").has_value());
}

BOOST_AUTO_TEST_CASE(per_request_divides_the_difference) {
    const ProcessCpu before{.on_cpu_ns = 1'000'000, .runs = 10};
    const ProcessCpu after{.on_cpu_ns = 3'000'000, .runs = 2010};
    const CpuPerRequest r = per_request(before, after, 1000);
    BOOST_TEST(r.on_cpu_us == 2.0);
    BOOST_TEST(r.runs == 2.0);
    // A sum that shrank (a thread exited between the readings) counts as nothing spent.
    BOOST_TEST(per_request(after, before, 10).on_cpu_us == 0.0);
    BOOST_CHECK_THROW(per_request(before, after, 0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(best_of_takes_the_lowest_of_each_figure) {
    const CpuPerRequest best = best_of({{.on_cpu_us = 5, .runs = 1}, {.on_cpu_us = 3, .runs = 2}});
    BOOST_TEST(best.on_cpu_us == 3.0);
    BOOST_TEST(best.runs == 1.0);
    BOOST_CHECK_THROW(best_of({}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_served_request_shows_in_the_servers_counts) {
    ServerProcess floor("floor", {PIPE_FLOOR, "100"}, 10s);
    const ProcessCpu before = read_process_cpu(floor.pid());
    for (int i = 0; i < 50; ++i) {
        floor.send(request_line(i, "ping", ""));
        floor.read_line();
    }
    const ProcessCpu after = read_process_cpu(floor.pid());
    BOOST_TEST(after.on_cpu_ns > before.on_cpu_ns);
    // Requests wake the server, but not each one: on two CPUs the next request may arrive
    // while the server, having answered, is still on its CPU (seen: 49 runs for 50 requests).
    BOOST_TEST(after.runs > before.runs);
    BOOST_CHECK_THROW(read_process_cpu(-1), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(a_server_spawned_while_pinned_runs_on_that_cpu_only) {
    // The test's own CPU: allowed whatever the machine's size.
    const int cpu = ::sched_getcpu();
    BOOST_REQUIRE(cpu >= 0);
    BOOST_TEST(cpu_allowed(cpu));
    BOOST_TEST(!cpu_allowed(-1));
    BOOST_TEST(!cpu_allowed(CPU_SETSIZE));
    BOOST_TEST(!allowed_cpus().empty());
    cpu_set_t mine_before;
    BOOST_REQUIRE(::sched_getaffinity(0, sizeof mine_before, &mine_before) == 0);
    std::optional<ServerProcess> floor;
    {
        ScopedPinning pinned(cpu);
        floor.emplace("floor", std::vector<std::string>{PIPE_FLOOR, "100"}, 10s);
    }
    cpu_set_t server;
    BOOST_REQUIRE(::sched_getaffinity(floor->pid(), sizeof server, &server) == 0);
    BOOST_TEST(CPU_COUNT(&server) == 1);
    BOOST_TEST(CPU_ISSET(cpu, &server));
    // The caller's own mask is back as it was.
    cpu_set_t mine_after;
    BOOST_REQUIRE(::sched_getaffinity(0, sizeof mine_after, &mine_after) == 0);
    BOOST_TEST(CPU_EQUAL(&mine_before, &mine_after));
}

BOOST_AUTO_TEST_SUITE_END()
