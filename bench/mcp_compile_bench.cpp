// What create_and_verify_scheduler costs over the compile itself: the tool called through
// a real schedcp server (catalog and compiler plugins; kernel verification impossible here or the
// run is refused) against bare clang with the plugin's own command line on the same source
// and vmlinux.h, interleaved; prints each run, the medians and their ratio.
//   bench/mcp_compile_bench [--runs N] [--btf VMLINUX] [--source FILE.bpf.c]
// --btf defaults to $SCHEDCP_TEST_SCHED_EXT_BTF, else /sys/kernel/btf/vmlinux; it must
// describe a kernel with sched_ext (the e2e kernel's vmlinux does).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include <boost/json.hpp>

#include "support/bare_clang.hpp"
#include "support/mcp_session.hpp"
#include "support/stats.hpp"
#include "support/temp_dir.hpp"
#include "vmlinux_header.hpp"

namespace bj = boost::json;
namespace fs = std::filesystem;
namespace pc = schedcp::plugins::compiler;
namespace sb = schedcp::bench;

namespace {

struct Options {
    int runs = 5;
    fs::path btf;
    fs::path source = fs::path(SCHEDCP_SOURCE_DIR) / "tests/compiler/data/vtime_sched.bpf.c";
};

Options parse(int argc, char** argv) {
    Options o;
    const char* env_btf = std::getenv("SCHEDCP_TEST_SCHED_EXT_BTF");
    o.btf = env_btf && *env_btf ? env_btf : "/sys/kernel/btf/vmlinux";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) throw std::invalid_argument(a + ": unknown, or missing its value");
        if (a == "--runs") {
            o.runs = std::atoi(argv[++i]);
            if (o.runs < 1) throw std::invalid_argument("--runs takes an integer >= 1");
        } else if (a == "--btf") {
            o.btf = argv[++i];
        } else if (a == "--source") {
            o.source = argv[++i];
        } else {
            throw std::invalid_argument("unknown argument '" + a + "'");
        }
    }
    return o;
}

// One create_and_verify_scheduler call: its wall time (request written to answer read).
double create_once(sb::McpSession& session, const std::string& params, bool print_verification) {
    const auto t0 = std::chrono::steady_clock::now();
    const bj::object result = session.call("tools/call", params);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const bj::object& r = result.at("structuredContent").as_object();
    if (r.at("verified").as_bool())
        throw std::runtime_error(
            "the scheduler was verified in the kernel: the figure would include verify_seconds; "
            "run this where sched_ext cannot load it");
    if (print_verification)
        std::printf("kernel verification skipped, as the result says: %s\n",
                    std::string(r.at("reason").as_string()).c_str());
    std::printf("mcp      %.3f s  (server's timings_ms: %s)\n", seconds,
                bj::serialize(r.at("timings_ms")).c_str());
    return seconds;
}

double bare_once(const fs::path& scratch, int i, const fs::path& vmlinux_h, const Options& o,
                 const std::string& text, const pc::CompilerSettings& s, const pc::Clang& clang) {
    sb::ClangBuild build(scratch / ("bare-" + std::to_string(i)), vmlinux_h,
                         o.source.filename().string(), text, s, clang);
    const sb::ClangRun r = build.run();
    if (r.code != 0)
        throw std::runtime_error("bare clang failed with exit " + std::to_string(r.code));
    std::printf("bare     %.3f s  peak RSS %ld KiB\n", r.seconds, r.rss_kib);
    return r.seconds;
}

}  // namespace

int main(int argc, char** argv) try {
    Options o;
    try {
        o = parse(argc, argv);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr,
                     "mcp_compile_bench: %s\nusage: %s [--runs N] [--btf VMLINUX] "
                     "[--source FILE.bpf.c]\n",
                     e.what(), argv[0]);
        return 2;
    }
    sb::TempDir scratch("schedcp-bench-compile");
    const std::string text = sb::read_file(o.source);
    // The server: the compiler plugin and the catalog it registers schedulers in, the BTF
    // given, a throw-away data dir.
    const fs::path config = scratch.write(
        "schedcp.yaml",
        "data_dir: " + (scratch.path() / "data").string() +
            "\nplugins:\n  - name: catalog\n  - name: compiler\n    settings: {vmlinux_btf: " +
            bj::serialize(bj::value(o.btf.string())) + "}\n");
    sb::ServerProcess server(
        "schedcp", {std::string(SCHEDCP_BIN_DIR) + "/schedcp", "--config", config.string()},
        std::chrono::minutes(3));
    sb::McpSession session(server);
    session.handshake();
    const std::string params = bj::serialize(
        bj::object{{"name", "create_and_verify_scheduler"},
                   {"arguments", bj::object{{"name", "bench_vtime"}, {"source_code", text}}}});

    // Bare clang: the plugin's command line, against vmlinux.h generated from the same BTF.
    pc::CompilerSettings settings;
    settings.shipped_include = fs::path(SCHEDCP_COMPILER_INCLUDE_DIR);
    const pc::Clang clang = pc::find_clang("");
    const fs::path vmlinux_h =
        pc::ensure_vmlinux_header(o.btf, scratch.path() / "vmlinux-cache").dir / "vmlinux.h";

    std::printf("warm-up (the server generates and caches its vmlinux.h):\n");
    create_once(session, params, true);
    bare_once(scratch.path(), -1, vmlinux_h, o, text, settings, clang);
    std::printf("measured, interleaved:\n");
    std::vector<double> mcp, bare;
    for (int i = 0; i < o.runs; ++i) {
        mcp.push_back(create_once(session, params, false));
        bare.push_back(bare_once(scratch.path(), i, vmlinux_h, o, text, settings, clang));
    }
    const double m = sb::median(mcp), b = sb::median(bare);
    std::printf(
        "median of %d: create_and_verify_scheduler over MCP %.3f s, bare clang %.3f s: "
        "ratio %.3f (%+.1f%%; issue #14: overhead <= 10%%)\n",
        o.runs, m, b, m / b, (m / b - 1) * 100);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "mcp_compile_bench: FAILED: %s\n", e.what());
    return 1;
}
