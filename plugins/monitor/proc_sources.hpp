// Parsers for the kernel's text interfaces the monitor samples. Each takes the file's
// text (so tests feed captured fixtures) and returns what it found, or nullopt when the
// text is not in a format it knows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedcp::plugins::monitor {

// /proc/stat: jiffies per CPU (aggregate first), context switches, runnable tasks.
struct CpuTimes {
    std::uint64_t busy = 0;  // user+nice+system+irq+softirq+steal (guest is inside user/nice)
    std::uint64_t idle = 0;  // idle+iowait
    std::uint64_t total() const { return busy + idle; }
};
struct ProcStat {
    CpuTimes all;
    std::vector<CpuTimes> cpus;  // index = CPU number as listed
    std::vector<int> cpu_ids;
    std::uint64_t context_switches = 0;
    std::uint64_t procs_running = 0;
};
std::optional<ProcStat> parse_proc_stat(std::string_view text);

// /proc/meminfo, in kB.
struct MemInfo {
    std::uint64_t total_kb = 0;
    std::uint64_t available_kb = 0;
    double used_percent() const {
        return total_kb ? 100.0 * static_cast<double>(total_kb - available_kb) /
                              static_cast<double>(total_kb)
                        : 0.0;
    }
};
std::optional<MemInfo> parse_meminfo(std::string_view text);

// /proc/schedstat, versions 15 to 17: the cpu lines' run time, run delay and timeslice
// counters (fields 7, 8, 9; the same in all three versions, which differ in domain lines).
struct SchedStat {
    int version = 0;
    struct Cpu {
        int id = 0;
        std::uint64_t run_time_ns = 0;
        std::uint64_t run_delay_ns = 0;
        std::uint64_t timeslices = 0;
    };
    std::vector<Cpu> cpus;
};
// nullopt for an unknown version; the reason is put in `why`.
std::optional<SchedStat> parse_schedstat(std::string_view text, std::string* why = nullptr);

// /proc/pressure/cpu (PSI): the "some" line.
struct Pressure {
    double some_avg10 = 0;
    std::uint64_t some_total_us = 0;
};
std::optional<Pressure> parse_pressure(std::string_view text);

// /proc/loadavg: the 1-minute load.
std::optional<double> parse_loadavg(std::string_view text);

}  // namespace schedcp::plugins::monitor
