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
#include <fstream>
#include <sstream>

#include "clang_toolchain.hpp"
#include "compile.hpp"
#include "compile_sandbox.hpp"
#include "schedcp/sdk/process.hpp"

namespace fs = std::filesystem;
namespace pc = schedcp::plugins::compiler;
namespace sp = schedcp::sdk::process;

namespace {

struct Run {
    double seconds;
    long rss_kib;
    int code;
};

Run once(const std::vector<std::string>& argv, const sp::Confinement* c, const fs::path& cwd) {
    sp::SpawnOptions o;
    o.argv = argv;
    o.env = sp::clean_environment();
    o.capture_output = false;
    if (!c) o.cwd = cwd;
    o.confinement = c;
    auto t0 = std::chrono::steady_clock::now();
    sp::Child child = sp::spawn(o);
    auto st = child.wait_for(std::chrono::minutes(5));
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return {s, st ? st->max_rss_kib : 0, st && st->code ? *st->code : -1};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

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
    std::ifstream in(source);
    std::stringstream text;
    text << in.rdbuf();

    std::vector<double> bare, confined;
    long rss = 0;
    for (int i = 0; i < 2 * runs; ++i) {
        const bool sandboxed = i % 2 == 1;  // interleaved, so both see the same machine
        fs::path work = fs::temp_directory_path() /
                        ("compile-bench-" + std::to_string(::getpid()) + "-" + std::to_string(i));
        fs::create_directories(work);
        pc::prepare_build_dirs(work, vmlinux_h);
        pc::CompileJob job;
        job.file_name = source.filename().string();
        job.work_dir = work;
        std::ofstream(work / pc::kBuildSubdir / job.file_name) << text.str();
        pc::VmlinuxHeader v;
        auto argv_ = pc::clang_argv(job, clang, v, s);
        Run r;
        if (sandboxed) {
            auto t0 = std::chrono::steady_clock::now();
            sp::Confinement c = pc::confine_compile(job, clang, s);
            double prep =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            r = once(argv_, &c, work / pc::kBuildSubdir);
            r.seconds += prep;
            confined.push_back(r.seconds);
            rss = std::max(rss, r.rss_kib);
        } else {
            r = once(argv_, nullptr, work / pc::kBuildSubdir);
            bare.push_back(r.seconds);
        }
        std::printf("%-8s %.3f s  peak RSS %ld KiB  exit %d\n", sandboxed ? "confined" : "bare",
                    r.seconds, r.rss_kib, r.code);
        fs::remove_all(work);
    }
    double b = median(bare), c = median(confined);
    std::printf("median of %d: bare %.3f s, confined %.3f s (%+.1f%%); peak RSS %ld KiB\n", runs, b,
                c, (c / b - 1) * 100, rss);
    return 0;
}
