// `schedcp-cli create-and-run`: the same loop on a file, the name from the file name,
// diagnostics with the file as the user named it, and honest refusal to run here.
#include <sys/stat.h>

#include <filesystem>

#include <boost/test/unit_test.hpp>

#include "compiler_fixture.hpp"
#include "unit_constraints.hpp"

using namespace schedcp::test;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(compiler_integration)
BOOST_FIXTURE_TEST_SUITE(cli, CompilerFixture)

BOOST_AUTO_TEST_CASE(create_and_run_compiles_registers_and_says_why_it_does_not_run_here) {
    if (!require_sched_ext_btf("schedcp-cli create-and-run on a good scheduler")) return;
    std::string cfg = config();
    std::string file = dir.write("My-Vtime.bpf.c", test_data("vtime_sched.bpf.c"));
    auto verify_only =
        run({bin("schedcp-cli"), "--config", cfg, "create-and-run", file, "--verify-only"}, {}, {},
            std::chrono::seconds(180));
    BOOST_TEST(verify_only.status == 0, verify_only.err);
    BOOST_TEST(
        contains(
            verify_only.out,
            "Custom scheduler 'my_vtime' (ops 'schedcp_vtime') compiled, checked and registered."),
        verify_only.out);
    BOOST_TEST(fs::is_regular_file(data + "/schedulers/my_vtime/my_vtime.bpf.o"));
    if (kernel_has_sched_ext()) return;  // running it for real is the e2e suite's part

    auto run_it =
        run({bin("schedcp-cli"), "--config", cfg, "create-and-run", file, "--name", "vt2"}, {}, {},
            std::chrono::seconds(180));
    BOOST_TEST(run_it.status == 1);
    BOOST_TEST(contains(run_it.out, "Not running it: this kernel ("), run_it.out);
    BOOST_TEST(contains(run_it.out, "has no sched_ext"), run_it.out);

    auto json = run(
        {bin("schedcp-cli"), "--config", cfg, "create-and-run", file, "--name", "vt3", "--json"},
        {}, {}, std::chrono::seconds(180));
    BOOST_TEST(json.status == 1);
    auto v = bj::parse(json.out).as_object();
    BOOST_TEST(v.at("compiled").as_bool());
    BOOST_TEST(!v.at("verified").as_bool());
    BOOST_TEST(!v.at("run").at("started").as_bool());
    BOOST_TEST(contains(str(v.at("run").at("reason")), "no sched_ext"));
}

// As schedcp-http.service runs it: root with only the unit's CapabilityBoundingSet (no
// CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH: root cannot enter the sandbox user's 0700
// directories), UMask=0077, and a data dir of mode 0700 (StateDirectoryMode). The capability
// list is read from the unit itself, so the two cannot drift apart.
BOOST_AUTO_TEST_CASE(compiles_under_the_http_units_capabilities_and_umask) {
    if (!require_sched_ext_btf("a compile under the unit's capabilities")) return;
    if (::geteuid() != 0) return;  // the sandbox user exists only for root
    std::string cfg = config();
    fs::create_directories(dir.file("data"));
    ::chmod(dir.file("data").c_str(), 0700);
    std::string file = dir.write("unit_vtime.bpf.c", test_data("vtime_sched.bpf.c"));
    const auto argv = under_unit_capabilities(
        "schedcp-http.service",
        {bin("schedcp-cli"), "--config", cfg, "create-and-run", file, "--verify-only"});
    RunResult r;
    {
        ScopedUmask unit_umask(077);
        r = run(argv, {}, {}, std::chrono::seconds(180));
    }
    BOOST_TEST(r.status == 0, argv[2] << ":\n" << r.err << r.out);
    BOOST_TEST(contains(r.out,
                        "Custom scheduler 'unit_vtime' (ops 'schedcp_vtime') compiled, "
                        "checked and registered."),
               r.out);
    BOOST_TEST(fs::is_regular_file(data + "/schedulers/unit_vtime/unit_vtime.bpf.o"));
}

BOOST_AUTO_TEST_CASE(compile_errors_name_the_file_as_given) {
    if (!require_sched_ext_btf("schedcp-cli create-and-run compile errors")) return;
    std::string file =
        dir.write("broken.bpf.c",
                  "#include <scx/common.bpf.h>\n"
                  "char _license[] SEC(\"license\") = \"GPL\";\n"
                  "s32 BPF_STRUCT_OPS_SLEEPABLE(b_init) { return scx_bpf_create_dsq(0, -1) }\n"
                  "SCX_OPS_DEFINE(b_ops, .init = (void *)b_init, .name = \"b\");\n");
    auto r = run({bin("schedcp-cli"), "--config", config(), "create-and-run", file}, {}, {},
                 std::chrono::seconds(180));
    BOOST_TEST(r.status == 2);
    BOOST_TEST(contains(r.err, file + ":3:"), r.err);
    BOOST_TEST(contains(r.err, "expected ';'"), r.err);
    BOOST_TEST(!contains(r.err, data + "/work"), r.err);
}

BOOST_AUTO_TEST_CASE(quoted_includes_next_to_the_file_are_found) {
    if (!require_sched_ext_btf("local includes (they need a compile)")) return;
    fs::create_directories(dir.file("src"));
    dir.write("src/local.h", "#define LOCAL_DSQ 3\n");
    std::string file = dir.write(
        "src/local_inc.bpf.c",
        "#include <scx/common.bpf.h>\n#include \"local.h\"\n"
        "char _license[] SEC(\"license\") = \"GPL\";\n"
        "void BPF_STRUCT_OPS(l_dispatch, s32 cpu, struct task_struct *prev)\n"
        "{ scx_bpf_dsq_move_to_local(LOCAL_DSQ); }\n"
        "s32 BPF_STRUCT_OPS_SLEEPABLE(l_init) { return scx_bpf_create_dsq(LOCAL_DSQ, -1); }\n"
        "SCX_OPS_DEFINE(l_ops, .dispatch = (void *)l_dispatch, .init = (void *)l_init,"
        " .name = \"local\");\n");
    auto r =
        run({bin("schedcp-cli"), "--config", config(), "create-and-run", file, "--verify-only"}, {},
            {}, std::chrono::seconds(180));
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(contains(r.out, "'local_inc' (ops 'local')"), r.out);
}

BOOST_AUTO_TEST_CASE(a_source_directory_the_sandbox_user_cannot_search_is_explained) {
    if (!require_sched_ext_btf("local includes (they need a compile)")) return;
    fs::create_directories(dir.file("private"));
    ::chmod(dir.file("private").c_str(), 0700);  // root's own: nobody may not search it
    dir.write("private/local.h", "#define LOCAL_DSQ 3\n");
    std::string file = dir.write("private/p.bpf.c",
                                 "#include <scx/common.bpf.h>\n#include \"local.h\"\n"
                                 "char _license[] SEC(\"license\") = \"GPL\";\n");
    auto r =
        run({bin("schedcp-cli"), "--config", config(), "create-and-run", file, "--verify-only"}, {},
            {}, std::chrono::seconds(180));
    BOOST_TEST(r.status == 2);
    // The scx headers (found elsewhere) still work; only the neighbour is missing, and why.
    BOOST_TEST(contains(r.err, "'local.h' file not found"), r.err);
    BOOST_TEST(contains(r.err, dir.file("private") + " is not searchable by sandbox_user 'nobody'"),
               r.err);
}

BOOST_AUTO_TEST_CASE(files_and_names_that_cannot_be_used) {
    std::string cfg = config();
    auto missing =
        run({bin("schedcp-cli"), "--config", cfg, "create-and-run", dir.file("nope.bpf.c")});
    BOOST_TEST(missing.status == 2);
    BOOST_TEST(contains(missing.err, "cannot read " + dir.file("nope.bpf.c")), missing.err);

    std::string numeric = dir.write("123.bpf.c", "int x;\n");
    auto unnamed = run({bin("schedcp-cli"), "--config", cfg, "create-and-run", numeric});
    BOOST_TEST(unnamed.status == 2);
    BOOST_TEST(contains(unnamed.err, "pass --name NAME"), unnamed.err);

    auto bad =
        run({bin("schedcp-cli"), "--config", cfg, "create-and-run", numeric, "--name", "Bad-Name"});
    BOOST_TEST(bad.status == 2);
    BOOST_TEST(contains(bad.err, "does not start with a lowercase letter"), bad.err);

    auto help = run({bin("schedcp-cli"), "--config", cfg, "help", "create-and-run"});
    BOOST_TEST(help.status == 0);
    BOOST_TEST(contains(help.out, "--verify-only"), help.out);
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
