// Measures what finding who is in charge of sched_ext costs on this host
// (sdk/sched_ext_manager.hpp): the cheap answers (nothing loaded; the caller's own
// execution loaded) and the worst case, a full /proc scan for the struct_ops link holder
// (a scheduler loaded that no known unit runs). A fake sched_ext tree says "enabled", so
// the scan runs here even without sched_ext; the processes and descriptors are this
// host's. Prints wall and CPU time per call and what the scan looked at.
//   bench/sched_ext_manager_bench [ITERATIONS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "schedcp/sdk/sched_ext_manager.hpp"
#include "support/cpu_time.hpp"

namespace fs = std::filesystem;
namespace mgr = schedcp::sdk::sched_ext;

namespace {

mgr::Manager last;

void measure(const char* what, const mgr::ManagerQuery& q, int n) {
    const double c0 = schedcp::bench::cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) last = mgr::find_manager(q);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = schedcp::bench::cpu_seconds() - c0;
    std::printf("%-34s %9.1f us wall %9.1f us CPU per call (%s; %zu processes, %zu fds%s)\n", what,
                wall / n * 1e6, cpu / n * 1e6,
                std::string(mgr::manager_kind_name(last.kind)).c_str(), last.scan.processes,
                last.scan.fds, last.scan.truncated ? ", truncated" : "");
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 200;
    const fs::path fake = fs::temp_directory_path() / "schedcp-manager-bench";
    fs::create_directories(fake / "root");
    std::ofstream(fake / "state") << "disabled\n";
    mgr::ManagerQuery q{.roots = {.sched_ext = fake}};
    measure("nothing loaded", q, n);
    std::ofstream(fake / "state") << "enabled\n";
    std::ofstream(fake / "root/ops") << "simple\n";
    q.own =
        mgr::OwnExecution{.execution_id = "sched_0", .scheduler = "scx_simple", .ops = "simple"};
    measure("own execution loaded", q, n);
    q.own.reset();
    measure("someone else's: full /proc scan", q, n);
    fs::remove_all(fake);
}
