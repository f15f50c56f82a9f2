#include "rtt_table.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "process_cpu.hpp"
#include "stats.hpp"
#include "targets.hpp"
#include "workloads.hpp"

namespace schedcp::bench {

namespace {

struct Contender {
    std::string label;
    McpSession* session;
    std::size_t bytes;  // its answer's size
};

// One workload and who serves it; contenders.front() is its floor.
struct Row {
    Workload workload;
    std::vector<Contender> contenders;
    std::vector<std::vector<std::vector<LatencySummary>>> rounds;  // [mode][contender][round]
    std::vector<std::vector<std::vector<CpuPerRequest>>> cpu;      // [mode][contender][round]
};

struct Mode {
    std::string name;
    std::size_t depth;
};

const Contender* find(const Row& row, const std::string& label) {
    for (const auto& c : row.contenders)
        if (c.label == label) return &c;
    return nullptr;
}

// The columns up to p99/flr are those of earlier runs (comparable with their figures); the
// last three are the server's own CPU time per request, how many times its threads were put
// on a CPU per request, and that CPU time over the floor's.
void print_table(const std::vector<Row>& rows, const std::vector<Mode>& modes) {
    std::printf("%-13s %-6s %-8s %7s %9s %9s %9s %9s %8s %8s %8s %6s %8s\n", "workload", "mode",
                "server", "bytes", "p50 us", "p99 us", "p99.9 us", "req/s", "p50/flr", "p99/flr",
                "cpu us", "runs", "cpu/flr");
    for (const auto& row : rows) {
        for (std::size_t m = 0; m < modes.size(); ++m) {
            const LatencySummary floor = best_of(row.rounds[m][0]);
            const CpuPerRequest floor_cpu = best_of(row.cpu[m][0]);
            for (std::size_t c = 0; c < row.contenders.size(); ++c) {
                const LatencySummary s = best_of(row.rounds[m][c]);
                const CpuPerRequest cpu = best_of(row.cpu[m][c]);
                std::printf(
                    "%-13s %-6s %-8s %7zu %9.1f %9.1f %9.1f %9.0f %8.2f %8.2f %8.1f %6.2f %8.2f\n",
                    row.workload.name.c_str(), modes[m].name.c_str(),
                    row.contenders[c].label.c_str(), row.contenders[c].bytes, s.p50_us, s.p99_us,
                    s.p999_us, s.per_second, s.p50_us / floor.p50_us, s.p99_us / floor.p99_us,
                    cpu.on_cpu_us, cpu.runs, cpu.on_cpu_us / floor_cpu.on_cpu_us);
            }
        }
    }
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

std::string placement(const RttOptions& o) {
    const std::string client = o.client_cpu ? "CPU " + std::to_string(*o.client_cpu) : "unpinned";
    const std::string servers = o.server_cpu   ? "CPU " + std::to_string(*o.server_cpu)
                                : o.client_cpu ? "the same CPU"
                                               : "unpinned";
    return "benchmark on " + client + ", servers on " + servers;
}

// The ratios issue #14 states its acceptance in, for the measured server (`subject`).
void print_acceptance(const std::vector<Row>& rows, const std::vector<Mode>& modes,
                      const std::string& subject) {
    std::printf("\nratios (issue #14 targets in brackets):\n");
    for (const auto& row : rows) {
        const Contender* s = find(row, subject);
        const Contender* ts = find(row, "ts-sdk");
        const bool list_rusty = row.workload.name == "list rusty";
        const bool big = row.workload.name == "tools/list" || row.workload.name == "list all";
        if (!s || !(list_rusty || big)) continue;
        const auto s_index = static_cast<std::size_t>(s - row.contenders.data());
        for (std::size_t m = 0; m < modes.size(); ++m) {
            const LatencySummary mine = best_of(row.rounds[m][s_index]);
            const LatencySummary floor = best_of(row.rounds[m][0]);
            std::printf(
                "  %-12s %-6s p50 %s/floor(same bytes) %.2f  [<= %s]; its CPU per request "
                "%.1f us / the floor's %.1f us = %.2f\n",
                row.workload.name.c_str(), modes[m].name.c_str(), subject.c_str(),
                mine.p50_us / floor.p50_us, list_rusty ? "1.5" : "3",
                best_of(row.cpu[m][s_index]).on_cpu_us, best_of(row.cpu[m][0]).on_cpu_us,
                best_of(row.cpu[m][s_index]).on_cpu_us / best_of(row.cpu[m][0]).on_cpu_us);
            if (list_rusty && ts) {
                const auto t_index = static_cast<std::size_t>(ts - row.contenders.data());
                const LatencySummary ref = best_of(row.rounds[m][t_index]);
                std::printf("  %-12s %-6s p99 %s/ts-sdk %.2f  [<= 0.2]\n",
                            row.workload.name.c_str(), modes[m].name.c_str(), subject.c_str(),
                            mine.p99_us / ref.p99_us);
            }
        }
    }
}

}  // namespace

void run_rtt_table(const RttOptions& o) {
    const std::string load_at_start = load_average();
    TempDir scratch("schedcp-bench-rtt");
    const ServerTarget subject_target = schedcp_target(o.server_argv, scratch);
    Launched subject = launch(subject_target, o.timeout, o.server_cpu);
    Launched reference;
    if (o.reference) {
        std::string why_not;
        if (auto t = ts_target(why_not))
            reference = launch(*t, o.timeout, o.server_cpu);
        else
            std::cerr << "note: the TypeScript SDK reference server is skipped: " << why_not
                      << "\n";
    }
    const std::vector<Mode> modes = {{"seq", 1}, {"pipe" + std::to_string(o.depth), o.depth}};

    // Every answer is checked once in full before any is timed; the floor then answers
    // with the measured server's own answer (its id replaced): the client reads the same
    // bytes from both, so what differs is the servers' work alone.
    std::vector<Row> rows;
    std::vector<Launched> floors;
    for (auto& w : prepare_workloads(*subject.session)) {
        Row row{.workload = w, .contenders = {}, .rounds = {}};
        const std::string answer = check_workload(*subject.session, w);
        const auto answer_file =
            scratch.write("answer-" + std::to_string(rows.size()) + ".json", answer + "\n");
        floors.push_back(launch(floor_replaying(answer_file), o.timeout, o.server_cpu));
        row.contenders.push_back({"floor", floors.back().session.get(), answer.size()});
        row.contenders.push_back({subject_target.label, subject.session.get(), answer.size()});
        if (reference.session && !w.schedcp_only)
            row.contenders.push_back({"ts-sdk", reference.session.get(),
                                      check_workload(*reference.session, w).size()});
        row.rounds.assign(modes.size(),
                          std::vector<std::vector<LatencySummary>>(row.contenders.size()));
        row.cpu.assign(modes.size(),
                       std::vector<std::vector<CpuPerRequest>>(row.contenders.size()));
        rows.push_back(std::move(row));
    }

    std::fprintf(stderr, "warming up (%zu requests per row)...\n", o.warmup);
    for (auto& row : rows)
        for (const auto& mode : modes)
            for (auto& c : row.contenders)
                if (o.warmup > 0)
                    measure_round_trips(*c.session, row.workload.request, o.warmup, mode.depth);
    // Interleaved: each round measures every row, mode and server in turn, so all of them
    // meet the same machine; each figure printed is the best of its rounds.
    for (std::size_t r = 0; r < o.rounds; ++r) {
        std::fprintf(stderr, "round %zu of %zu...\n", r + 1, o.rounds);
        for (auto& row : rows)
            for (std::size_t m = 0; m < modes.size(); ++m)
                for (std::size_t c = 0; c < row.contenders.size(); ++c) {
                    ServerProcess& server = row.contenders[c].session->server();
                    const ProcessCpu before = read_process_cpu(server.pid());
                    row.rounds[m][c].push_back(measure_round_trips(*row.contenders[c].session,
                                                                   row.workload.request, o.requests,
                                                                   modes[m].depth));
                    row.cpu[m][c].push_back(
                        per_request(before, read_process_cpu(server.pid()), o.requests));
                }
    }
    std::printf(
        "mcp_rtt: %zu requests per row and round, best of %zu interleaved rounds "
        "(each figure its best round); pipelined rows keep %zu in flight\n"
        "%s; load average %s at the start, %s at the end\n",
        o.requests, o.rounds, o.depth, placement(o).c_str(), load_at_start.c_str(),
        load_average().c_str());
    print_table(rows, modes);
    print_acceptance(rows, modes, subject_target.label);
}

}  // namespace schedcp::bench
