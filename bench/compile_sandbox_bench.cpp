// Measures what the compile sandbox costs: the same clang command on the same source
// against the same vmlinux.h, bare (as this user, no limits) and confined exactly as the
// compiler plugin confines it (Landlock, sandbox user when root, limits, build dir
// layout, vmlinux.h hard-linked). Prints each run, the medians, and clang's peak RSS.
//   bench/compile_sandbox_bench VMLINUX_H SOURCE.bpf.c [RUNS]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "compile_sandbox.hpp"
#include "support/bare_clang.hpp"
#include "support/stats.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
namespace pc = schedcp::plugins::compiler;
namespace sb = schedcp::bench;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s VMLINUX_H SOURCE.bpf.c [RUNS]\n", argv[0]);
        return 2;
    }
    const fs::path vmlinux_h = fs::absolute(argv[1]);
    const fs::path source = fs::absolute(argv[2]);
    const int runs = argc > 3 ? std::atoi(argv[3]) : 5;
    pc::CompilerSettings s;
    s.shipped_include = fs::path(SCHEDCP_COMPILER_INCLUDE_DIR);
    pc::Clang clang = pc::find_clang("");
    const std::string text = sb::read_file(source);

    std::vector<double> bare, confined;
    long rss = 0;
    for (int i = 0; i < 2 * runs; ++i) {
        const bool sandboxed = i % 2 == 1;  // interleaved, so both see the same machine
        fs::path work = fs::temp_directory_path() /
                        ("compile-bench-" + std::to_string(::getpid()) + "-" + std::to_string(i));
        sb::ClangBuild build(work, vmlinux_h, source.filename().string(), text, s, clang);
        sb::ClangRun r;
        if (sandboxed) {
            auto t0 = std::chrono::steady_clock::now();
            schedcp::sdk::process::Confinement c = pc::confine_compile(build.job(), clang, s);
            double prep =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            r = build.run(&c);
            r.seconds += prep;
            confined.push_back(r.seconds);
            rss = std::max(rss, r.rss_kib);
        } else {
            r = build.run();
            bare.push_back(r.seconds);
        }
        std::printf("%-8s %.3f s  peak RSS %ld KiB  exit %d\n", sandboxed ? "confined" : "bare",
                    r.seconds, r.rss_kib, r.code);
    }
    double b = sb::median(bare), c = sb::median(confined);
    std::printf("median of %d: bare %.3f s, confined %.3f s (%+.1f%%); peak RSS %ld KiB\n", runs, b,
                c, (c / b - 1) * 100, rss);
    return 0;
}
