#include "process_cpu.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace schedcp::bench {

namespace {

// The next unsigned decimal field of `text` after spaces; advances `text` past it.
std::optional<std::uint64_t> next_field(std::string_view& text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data()) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return value;
}

}  // namespace

std::optional<ProcessCpu> parse_schedstat(std::string_view line) {
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    const auto run_ns = next_field(line);
    const auto wait_ns = next_field(line);
    const auto timeslices = next_field(line);
    if (!run_ns || !wait_ns || !timeslices || !line.empty()) return std::nullopt;
    return ProcessCpu{.on_cpu_ns = *run_ns, .runs = *timeslices};
}

ProcessCpu read_process_cpu(pid_t pid) {
    namespace fs = std::filesystem;
    const fs::path tasks = "/proc/" + std::to_string(pid) + "/task";
    std::error_code ec;
    fs::directory_iterator it(tasks, ec);
    if (ec) throw std::runtime_error("cannot list " + tasks.string() + ": " + ec.message());
    ProcessCpu sum;
    for (const auto& task : it) {
        std::ifstream in(task.path() / "schedstat");
        std::string line;
        if (!std::getline(in, line)) continue;  // the thread exited while we listed
        const auto one = parse_schedstat(line);
        if (!one)
            throw std::runtime_error((task.path() / "schedstat").string() +
                                     " does not hold three counts: '" + line + "'");
        sum.on_cpu_ns += one->on_cpu_ns;
        sum.runs += one->runs;
    }
    return sum;
}

CpuPerRequest per_request(const ProcessCpu& before, const ProcessCpu& after, std::size_t requests) {
    if (requests == 0) throw std::invalid_argument("no requests to divide by");
    // A thread that exited between the readings can make a sum shrink: count that as 0.
    const auto delta = [](std::uint64_t a, std::uint64_t b) { return b > a ? b - a : 0; };
    const auto n = static_cast<double>(requests);
    return {.on_cpu_us = static_cast<double>(delta(before.on_cpu_ns, after.on_cpu_ns)) / 1e3 / n,
            .runs = static_cast<double>(delta(before.runs, after.runs)) / n};
}

CpuPerRequest best_of(const std::vector<CpuPerRequest>& rounds) {
    if (rounds.empty()) throw std::invalid_argument("no rounds to take the best of");
    CpuPerRequest best = rounds.front();
    for (const auto& r : rounds) {
        best.on_cpu_us = std::min(best.on_cpu_us, r.on_cpu_us);
        best.runs = std::min(best.runs, r.runs);
    }
    return best;
}

}  // namespace schedcp::bench
