// The CPU time this process has used so far (user + system), for the benchmarks that report
// CPU per operation beside wall time.
#pragma once

#include <sys/resource.h>

namespace schedcp::bench {

inline double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace schedcp::bench
