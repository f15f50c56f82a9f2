// schedcp-loader as a program: its arguments, its exit codes, and what it says on a
// machine without sched_ext. (Loading and attaching for real is the e2e suite's part.)
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "clang_toolchain.hpp"
#include "sched_ext_btf.hpp"
#include "subprocess.hpp"
#include "test_build.hpp"

using namespace schedcp::test;
namespace bj = boost::json;
namespace fs = std::filesystem;

namespace {

const std::string kLoader = SCHEDCP_LOADER;

// The JSON result line of --verify (the last line of stdout).
bj::object verify_result(const RunResult& r) {
    auto end = r.out.find_last_not_of('\n');
    BOOST_REQUIRE_MESSAGE(end != std::string::npos, "no output; stderr: " << r.err);
    auto start = r.out.rfind('\n', end);
    std::string line = r.out.substr(start == std::string::npos ? 0 : start + 1, end + 1);
    boost::system::error_code ec;
    auto v = bj::parse(line, ec);
    BOOST_REQUIRE_MESSAGE(!ec && v.is_object(), "not a JSON line: " << line);
    return v.as_object();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compiler_integration)
BOOST_AUTO_TEST_SUITE(loader)

BOOST_AUTO_TEST_CASE(arguments_are_checked) {
    auto none = run({kLoader});
    BOOST_TEST(none.status == 2);
    BOOST_TEST(none.err.find("no object file given") != std::string::npos);
    BOOST_TEST(none.err.find("usage: schedcp-loader OBJ.bpf.o") != std::string::npos);

    auto help = run({kLoader, "--help"});
    BOOST_TEST(help.status == 0);
    BOOST_TEST(help.out.find("exit codes:") != std::string::npos);

    auto unknown = run({kLoader, "x.bpf.o", "--slice-us", "5000"});
    BOOST_TEST(unknown.status == 2);
    BOOST_TEST(unknown.err.find("unknown option '--slice-us'") != std::string::npos);
    BOOST_TEST(unknown.err.find("takes --verify") != std::string::npos);

    for (std::string bad : {"0", "601", "abc", "3s", ""}) {
        auto r = run({kLoader, "x.bpf.o", "--verify", bad});
        BOOST_TEST(r.status == 2, bad);
        BOOST_TEST(r.err.find("--verify takes a whole number of seconds from 1 to 600") !=
                   std::string::npos);
    }
    auto missing_value = run({kLoader, "x.bpf.o", "--verify"});
    BOOST_TEST(missing_value.status == 2);
    BOOST_TEST(missing_value.err.find("--verify needs a value") != std::string::npos);

    auto two = run({kLoader, "a.bpf.o", "b.bpf.o"});
    BOOST_TEST(two.status == 2);
    BOOST_TEST(two.err.find("unexpected argument 'b.bpf.o'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(nothing_after_double_dash_is_an_option_and_custom_schedulers_take_no_args) {
    TempDir dir;
    const std::string log = dir.file("written-as-root.log");
    // The runner passes a user's args only after --: they must never reach the loader's
    // own options (--verifier-log opens its path as root with O_TRUNC).
    auto injected = run({kLoader, dir.file("x.bpf.o"), "--", "--verifier-log", log, "-v"});
    BOOST_TEST(injected.status == 2);
    BOOST_TEST(injected.err.find("custom schedulers take no arguments (got '--verifier-log' and "
                                 "2 more after --)") != std::string::npos,
               injected.err);
    BOOST_TEST(!fs::exists(log));
    auto plain = run({kLoader, dir.file("x.bpf.o"), "--", "fast"});
    BOOST_TEST(plain.status == 2);
    BOOST_TEST(plain.err.find("custom schedulers take no arguments (got 'fast' after --)") !=
                   std::string::npos,
               plain.err);
    // A bare -- at the end is no argument at all.
    auto nothing = run({kLoader, dir.file("nope.bpf.o"), "--verify", "1", "--"});
    BOOST_TEST(nothing.status == 6, nothing.err);
}

BOOST_AUTO_TEST_CASE(files_that_are_not_schedulers_are_refused) {
    TempDir dir;
    auto missing = run({kLoader, dir.file("nope.bpf.o"), "--verify", "1"});
    BOOST_TEST(missing.status == 6);
    auto j = verify_result(missing);
    BOOST_TEST(j.at("verified").as_bool() == false);
    BOOST_TEST(j.at("stage").as_string() == "open");
    BOOST_TEST(std::string(j.at("error").as_string()).find("No such file or directory") !=
               std::string::npos);

    auto text = run({kLoader, dir.write("notes.txt", "hello\n")});
    BOOST_TEST(text.status == 6);
    BOOST_TEST(text.err.find("is not a BPF object libbpf can open") != std::string::npos);

    auto directory = run({kLoader, dir.path()});
    BOOST_TEST(directory.status == 6);
    BOOST_TEST(directory.err.find("is not a regular file") != std::string::npos);

    // A BPF object, but not a scheduler (no sched_ext_ops table).
    std::string src = dir.write(
        "tp.bpf.c",
        "#include <linux/types.h>\n#include <bpf/bpf_helpers.h>\n"
        "char _license[] SEC(\"license\") = \"GPL\";\n"
        "SEC(\"tracepoint/sched/sched_switch\") int on_switch(void *ctx) { return 0; }\n");
    auto clang = schedcp::plugins::compiler::find_clang("");
    auto built = run({clang.path.string(), "-target", "bpf", "-O2", "-g",
                      "-I/usr/include/x86_64-linux-gnu", "-c", src, "-o", dir.file("tp.bpf.o")});
    BOOST_REQUIRE_MESSAGE(built.status == 0, built.err);
    auto tp = run({kLoader, dir.file("tp.bpf.o"), "--verify", "1"});
    BOOST_TEST(tp.status == 6);
    BOOST_TEST(
        std::string(verify_result(tp).at("error").as_string()).find("has no struct_ops map") !=
        std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_kernel_without_sched_ext_is_named_with_its_own_exit_code) {
    if (kernel_has_sched_ext()) {
        BOOST_TEST_MESSAGE(
            "this kernel has sched_ext: the no-sched_ext path is tested on kernels without it");
        return;
    }
    if (!require_sched_ext_btf("the loader on a real scheduler object")) return;
    TempDir dir;
    auto b = build_object(dir.path(), "vtime_sched", test_data("vtime_sched.bpf.c"));
    BOOST_REQUIRE_MESSAGE(b.ok, b.output);

    // Run mode: says so and exits 3.
    auto run_mode = run({kLoader, b.object});
    BOOST_TEST(run_mode.status == 3);
    BOOST_TEST(run_mode.err.find("has no sched_ext: /sys/kernel/sched_ext does not exist") !=
               std::string::npos);

    // --verify: the same, as JSON, with the ops name it would have checked.
    auto verify = run({kLoader, b.object, "--verify", "1"});
    BOOST_TEST(verify.status == 3);
    auto j = verify_result(verify);
    BOOST_TEST(j.at("verified").as_bool() == false);
    BOOST_TEST(j.at("no_sched_ext").as_bool() == true);
    BOOST_TEST(j.at("ops").as_string() == "schedcp_vtime");

    // A sysfs that claims sched_ext is there: the loader gets as far as libbpf, whose
    // kernel BTF has no sched_ext_ops, and says that (exit 3 too). Needs root to get there.
    if (::geteuid() == 0) {
        fs::create_directories(dir.file("sysfs"));
        std::ofstream(dir.file("sysfs/state")) << "disabled\n";
        auto fake =
            run({kLoader, b.object, "--verify", "1", "--sched-ext-root", dir.file("sysfs")});
        BOOST_TEST(fake.status == 3, fake.err);
        auto f = verify_result(fake);
        BOOST_TEST(f.at("stage").as_string() == "load");
        BOOST_TEST(
            std::string(f.at("error").as_string()).find("struct sched_ext_ops is not in its BTF") !=
            std::string::npos);
    }

    // A sysfs reporting another scheduler loaded: refused before loading anything (exit 4).
    fs::create_directories(dir.file("busy/root"));
    std::ofstream(dir.file("busy/state")) << "enabled\n";
    std::ofstream(dir.file("busy/root/ops")) << "rusty\n";
    auto busy = run({kLoader, b.object, "--verify", "1", "--sched-ext-root", dir.file("busy")});
    BOOST_TEST(busy.status == 4);
    BOOST_TEST(
        std::string(verify_result(busy).at("error").as_string()).find("enabled (ops 'rusty')") !=
        std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
