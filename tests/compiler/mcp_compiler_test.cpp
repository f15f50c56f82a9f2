// create_and_verify_scheduler through the real schedcp server over MCP: a scheduler
// written the scx way compiles against sched_ext BTF and is registered (and, on this
// kernel, honestly not verified); compile errors, failed checks, bad names and missing
// arguments are tool errors that say what to fix; the registry survives a restart;
// progress, cancellation and the compile deadline.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "compiler_fixture.hpp"
#include "output_schema_check.hpp"

using namespace schedcp::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const std::string kCompileError =
    "#include <scx/common.bpf.h>\n"
    "char _license[] SEC(\"license\") = \"GPL\";\n"
    "void BPF_STRUCT_OPS(b_enqueue, struct task_struct *p, u64 enq_flags)\n"
    "{\n"
    "\tscx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flag);\n"
    "}\n"
    "SCX_OPS_DEFINE(b_ops, .enqueue = (void *)b_enqueue, .name = \"b\");\n";

bool alive(pid_t pid) {
    return pid > 0 && ::kill(pid, 0) == 0;
}

bool dir_empty(const std::string& p) {
    std::error_code ec;
    return !fs::exists(p, ec) || fs::is_empty(p, ec);
}

// A stand-in clang that reports a good version and then hangs on compiling: for
// cancellation and the compile deadline. It runs in the sandbox (as the sandbox user
// when root, writing only its build directory), so it lives in a directory that user can
// read and is found by its command line rather than a pid file.
std::string slow_clang(const TempDir& dir) {
    fs::permissions(dir.path(), fs::perms(0755));
    std::string path =
        dir.write("slow-clang",
                  "#!/bin/sh\n"
                  "if [ \"$1\" = --version ]; then echo 'clang version 19.1.0'; exit 0; fi\n"
                  // the sandbox lets it run its interpreter only, not /usr/bin/sleep
                  "while :; do :; done\n");
    fs::permissions(path, fs::perms(0755));
    return path;
}

// The pid of the running stand-in clang (compiling, not probed for its version).
pid_t clang_pid(const std::string& clang) {
    const std::string needle = clang + std::string(1, '\0') + "-target";
    for (const auto& e : fs::directory_iterator("/proc")) {
        std::string name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        if (slurp(e.path().string() + "/cmdline").find(needle) != std::string::npos)
            return static_cast<pid_t>(std::stol(name));
    }
    return -1;
}

pid_t wait_for_pid(const std::string& clang) {
    for (int i = 0; i < 600; ++i) {
        if (pid_t p = clang_pid(clang); p > 0) return p;
        std::this_thread::sleep_for(50ms);
    }
    return -1;
}

bool gone_within(pid_t pid, std::chrono::milliseconds t) {
    auto end = std::chrono::steady_clock::now() + t;
    while (alive(pid)) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compiler_integration)
BOOST_FIXTURE_TEST_SUITE(mcp, CompilerFixture)

BOOST_AUTO_TEST_CASE(
    a_scheduler_written_the_scx_way_is_compiled_registered_and_honest_about_verification) {
    if (!require_sched_ext_btf("create_and_verify_scheduler on a good scheduler")) return;
    McpClient c(config());
    c.initialize();
    auto t0 = std::chrono::steady_clock::now();
    auto response = create(c, "vtime_sched", test_data("vtime_sched.bpf.c"),
                           {{"description", "weighted vtime on one shared DSQ"},
                            {"algorithm", "vruntime"},
                            {"use_cases", bj::array{"testing"}}});
    double first_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // The result is what the tool's outputSchema says, field for field.
    OutputSchemaCheck(c).check("create_and_verify_scheduler", {}, response);
    auto r = ok(response);
    BOOST_TEST(r.at("compiled").as_bool());
    BOOST_TEST(r.at("registered").as_bool());
    BOOST_TEST(str(r.at("ops_name")) == "schedcp_vtime");
    BOOST_TEST(r.at("static_checks").at("passed").as_bool());
    BOOST_TEST(str(r.at("static_checks").at("license")) == "GPL");
    BOOST_TEST(r.at("callbacks").as_array().size() == 8u);
    BOOST_TEST(str(r.at("callbacks").at(6).at("callback")) == "init");
    BOOST_TEST(r.at("callbacks").at(6).at("sleepable").as_bool());
    BOOST_TEST(r.at("vmlinux").at("generated").as_bool());
    BOOST_TEST(fs::is_regular_file(str(r.at("object"))));
    BOOST_TEST(contains(str(r.at("object")), data + "/schedulers/vtime_sched/"));
    BOOST_TEST(dir_empty(data + "/work"));  // the build directory is gone
    if (!kernel_has_sched_ext()) {
        // The acceptance criterion: compiled, and why it was not kernel-verified here.
        BOOST_TEST(!r.at("verified").as_bool());
        BOOST_TEST(!r.at("verification").at("attempted").as_bool());
        BOOST_TEST(contains(str(r.at("reason")), "has no sched_ext"), str(r.at("reason")));
        BOOST_TEST(contains(text_of(response), "Kernel verification: NOT done."));
    }
    BOOST_TEST(contains(text_of(response), "compiled, checked and registered"));

    // Again (replacing it): vmlinux.h comes from the cache.
    t0 = std::chrono::steady_clock::now();
    auto again = ok(create(c, "vtime_sched", test_data("vtime_sched.bpf.c")));
    double second_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    BOOST_TEST(!again.at("vmlinux").at("generated").as_bool());
    BOOST_TEST_MESSAGE("create_and_verify_scheduler: first call "
                       << first_s << " s (timings " << bj::serialize(r.at("timings_ms"))
                       << "), second " << second_s << " s (timings "
                       << bj::serialize(again.at("timings_ms")) << ")");

    // The catalog lists it as custom, installed (runnable through schedcp-loader).
    auto list = ok(call(c, "list_schedulers", {{"name", "vtime_sched"}}));
    BOOST_REQUIRE(list.at("count").as_int64() == 1);
    const auto& s = list.at("schedulers").at(0).as_object();
    BOOST_TEST(s.at("custom").as_bool());
    BOOST_TEST(!s.at("production_ready").as_bool());
    BOOST_TEST(s.at("installed").as_bool());
    BOOST_TEST(str(s.at("path")) == SCHEDCP_LOADER);
    BOOST_TEST(str(s.at("ops_name")) == "schedcp_vtime");
}

BOOST_AUTO_TEST_CASE(the_6_12_kfunc_names_compile_too) {
    if (!require_sched_ext_btf("create_and_verify_scheduler with 6.12 kfunc names")) return;
    McpClient c(config());
    c.initialize();
    auto r = ok(create(c, "fifo_old", test_data("fifo_old_names.bpf.c")));
    BOOST_TEST(str(r.at("ops_name")) == "schedcp_fifo");
    BOOST_TEST(r.at("registered").as_bool());
}

BOOST_AUTO_TEST_CASE(compile_errors_point_at_the_users_line) {
    if (!require_sched_ext_btf("compile errors")) return;
    McpClient c(config());
    c.initialize();
    auto response = create(c, "broken", kCompileError);
    auto e = error(response);
    std::string msg = str(e.at("message"));
    BOOST_TEST(contains(msg, "compiling broken.bpf.c failed (1 error)"), msg);
    BOOST_TEST(contains(msg, "broken.bpf.c:5:"), msg);
    BOOST_TEST(contains(msg, "use of undeclared identifier 'enq_flag'"), msg);
    BOOST_TEST(contains(msg, "scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flag);"),
               msg);
    BOOST_TEST(!contains(msg, data), "the build directory leaks into: " << msg);
    BOOST_REQUIRE(e.contains("details"));
    const auto& d = e.at("details").as_object();
    BOOST_TEST(str(d.at("stage")) == "compile");
    BOOST_TEST(!d.at("compiled").as_bool());
    const auto& first = d.at("diagnostics").at(0).as_object();
    BOOST_TEST(str(first.at("file")) == "broken.bpf.c");
    BOOST_TEST(first.at("line").as_int64() == 5);
    BOOST_TEST(first.at("column").as_int64() > 1);
    BOOST_TEST(str(first.at("severity")) == "error");
    BOOST_TEST(str(first.at("source_line")) ==
               "\tscx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flag);");
    // Nothing registered, nothing left behind.
    BOOST_TEST(ok(call(c, "list_schedulers", {{"name", "broken"}})).at("count").as_int64() == 0);
    BOOST_TEST(!fs::exists(data + "/schedulers/broken"));
    BOOST_TEST(dir_empty(data + "/work"));
}

BOOST_AUTO_TEST_CASE(include_dirs_from_the_settings_are_searched) {
    if (!require_sched_ext_btf("the include_dirs setting (it needs a compile)")) return;
    fs::create_directories(dir.file("inc/team"));
    dir.write("inc/team/slices.h", "#define TEAM_SLICE_NS (3 * NSEC_PER_MSEC)\n");
    McpClient c(config({"include_dirs: [" + dir.file("inc") + "]"}));
    c.initialize();
    std::string src =
        "#include <scx/common.bpf.h>\n#include <team/slices.h>\n"
        "char _license[] SEC(\"license\") = \"GPL\";\n"
        "void BPF_STRUCT_OPS(t_enqueue, struct task_struct *p, u64 f)\n"
        "{ scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, TEAM_SLICE_NS, f); }\n"
        "SCX_OPS_DEFINE(t_ops, .enqueue = (void *)t_enqueue, .name = \"team\");\n";
    auto r = ok(create(c, "team", src));
    BOOST_TEST(str(r.at("ops_name")) == "team");
    // Warnings are reported, not fatal.
    BOOST_TEST(r.at("static_checks").at("warnings").as_array().size() >= 1u);
}

BOOST_AUTO_TEST_CASE(an_object_the_kernel_would_refuse_fails_the_static_checks) {
    if (!require_sched_ext_btf("static check failures over MCP")) return;
    McpClient c(config());
    c.initialize();
    std::string no_license =
        "#include <scx/common.bpf.h>\n"
        "void BPF_STRUCT_OPS(n_enqueue, struct task_struct *p, u64 f)\n"
        "{ scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, f); }\n"
        "SCX_OPS_DEFINE(n_ops, .enqueue = (void *)n_enqueue, .name = \"bad-name\");\n";
    auto e = error(create(c, "unlicensed", no_license));
    std::string msg = str(e.at("message"));
    BOOST_TEST(contains(msg, "compiled but is not a loadable sched_ext scheduler"), msg);
    BOOST_TEST(contains(msg, "no license"), msg);
    BOOST_TEST(contains(msg, "\"bad-name\" has characters the kernel refuses"), msg);
    BOOST_TEST(str(e.at("details").at("stage")) == "static_checks");
    BOOST_TEST(!fs::exists(data + "/schedulers/unlicensed"));
}

BOOST_AUTO_TEST_CASE(bad_names_are_refused_before_anything_is_done) {
    std::string cfg = config();
    McpClient c(cfg);
    c.initialize();
    const std::pair<std::string, std::string> cases[] = {
        {"../../etc/cron.d/x", "looks like a path"},
        {"a/b", "looks like a path"},
        {"MySched", "does not start with a lowercase letter"},
        {"my-sched", "'-' at position 3"},
        {std::string(49, 'a'), "49 characters long, more than 48"},
        {"9lives", "does not start with a lowercase letter"},
        {"", "the name is empty"},
    };
    for (const auto& [name, why] : cases) {
        auto e = error(create(c, name, "int x;"));
        BOOST_TEST(contains(str(e.at("message")), why), name << ": " << str(e.at("message")));
    }
    BOOST_TEST(cli_error_code(cfg, {{"name", "a/b"}, {"source_code", "int x;"}}) ==
               "invalid_argument");
    auto builtin = error(create(c, "scx_rusty", "int x;"));
    BOOST_TEST(contains(str(builtin.at("message")), "'scx_rusty' is a built-in scheduler"));
    BOOST_TEST(cli_error_code(cfg, {{"name", "scx_rusty"}, {"source_code", "int x;"}}) ==
               "conflict");
    // Nothing was written for any of them.
    BOOST_TEST(dir_empty(data + "/schedulers"));
    BOOST_TEST(!fs::exists(dir.file("etc")));
}

BOOST_AUTO_TEST_CASE(missing_and_oversized_arguments_are_tool_errors) {
    McpClient c(config());
    c.initialize();
    auto no_source = error(call(c, "create_and_verify_scheduler", {{"name", "x"}}));
    BOOST_TEST(contains(str(no_source.at("message")), "source_code"), str(no_source.at("message")));
    auto no_name = error(call(c, "create_and_verify_scheduler", {{"source_code", "int x;"}}));
    BOOST_TEST(contains(str(no_name.at("message")), "name"), str(no_name.at("message")));
    auto extra = error(call(c, "create_and_verify_scheduler",
                            {{"name", "x"}, {"source_code", "int x;"}, {"flavour", "spicy"}}));
    BOOST_TEST(contains(str(extra.at("message")), "flavour"), str(extra.at("message")));
    auto empty = error(create(c, "x", ""));
    BOOST_TEST(contains(str(empty.at("message")), "source_code is empty"),
               str(empty.at("message")));
    // 600,000 two-byte characters: within the schema's character count, over 1 MiB of bytes.
    std::string big;
    for (int i = 0; i < 600000; ++i) big += "\xc3\xa9";
    auto huge = error(create(c, "x", big));
    BOOST_TEST(contains(str(huge.at("message")), "source_code is 1200000 bytes; at most 1 MiB"),
               str(huge.at("message")));
    auto long_text = error(create(c, "x", "int x;", {{"description", std::string(5000, 'd')}}));
    BOOST_TEST(contains(str(long_text.at("message")), "4096"), str(long_text.at("message")));
}

BOOST_AUTO_TEST_CASE(btf_without_sched_ext_is_refused_with_what_to_do) {
    if (kernel_has_sched_ext()) {
        BOOST_TEST_MESSAGE("this kernel has sched_ext; its BTF is usable, nothing to refuse");
        return;
    }
    std::string cfg =
        write_config(dir, "  - name: catalog\n  - name: compiler\n");  // default vmlinux_btf
    McpClient c(cfg);
    c.initialize();
    auto e = error(create(c, "x", "int x;"));
    BOOST_TEST(cli_error_code(cfg, {{"name", "x"}, {"source_code", "int x;"}}) == "unavailable");
    std::string msg = str(e.at("message"));
    BOOST_TEST(contains(msg, "/sys/kernel/btf/vmlinux (the running kernel"), msg);
    BOOST_TEST(contains(msg, "has no struct sched_ext_ops"), msg);
    BOOST_TEST(contains(msg, "vmlinux_btf"), msg);
}

BOOST_AUTO_TEST_CASE(custom_schedulers_survive_a_restart) {
    if (!require_sched_ext_btf("registry persistence (it needs a compiled scheduler)")) return;
    std::string cfg = config();
    {
        McpClient c(cfg);
        c.initialize();
        ok(create(c, "persisted", test_data("vtime_sched.bpf.c"),
                  {{"description", "kept across restarts"},
                   {"algorithm", "vruntime"},
                   {"use_cases", bj::array{"batch", "testing"}},
                   {"limitations", "a test"}}));
    }
    BOOST_TEST(fs::is_regular_file(data + "/schedulers/persisted/metadata.json"));
    BOOST_TEST(fs::is_regular_file(data + "/schedulers/persisted/persisted.bpf.c"));
    BOOST_TEST(fs::is_regular_file(data + "/schedulers/persisted/persisted.bpf.o"));
    McpClient c(cfg);
    c.initialize();
    auto list = ok(call(c, "list_schedulers", {{"name", "persisted"}}));
    BOOST_REQUIRE(list.at("count").as_int64() == 1);
    const auto& s = list.at("schedulers").at(0).as_object();
    BOOST_TEST(s.at("custom").as_bool());
    BOOST_TEST(s.at("installed").as_bool());
    BOOST_TEST(str(s.at("description")) == "kept across restarts");
    BOOST_TEST(str(s.at("algorithm")) == "vruntime");
    BOOST_TEST(s.at("use_cases").as_array().size() == 2u);
    BOOST_TEST(str(s.at("limitations")) == "a test");
    BOOST_TEST(str(s.at("ops_name")) == "schedcp_vtime");
    // The runner resolves it (an unknown name would be not_found); here the kernel decides.
    auto run = c.request("tools/call",
                         {{"name", "run_scheduler"}, {"arguments", {{"name", "persisted"}}}});
    if (!kernel_has_sched_ext()) {
        auto e = error(run);
        BOOST_TEST(contains(str(e.at("message")), "has no sched_ext"), str(e.at("message")));
    }
    // The CLI sees it too.
    auto cli =
        schedcp::test::run({bin("schedcp-cli"), "--config", cfg, "list", "--name", "persisted"});
    BOOST_TEST(cli.status == 0);
    BOOST_TEST(contains(cli.out, "persisted"), cli.out);
    BOOST_TEST(contains(cli.out, "no (custom)"), cli.out);
}

BOOST_AUTO_TEST_CASE(a_scheduler_the_cli_creates_reaches_a_running_server) {
    if (!require_sched_ext_btf("CLI creations reaching a server (they need a compile)")) return;
    std::string cfg = config();
    McpClient c(cfg);
    c.initialize();
    BOOST_TEST(ok(call(c, "list_schedulers", {{"name", "from_cli"}})).at("count").as_int64() == 0);
    std::string file = dir.write("from_cli.bpf.c", test_data("fifo_old_names.bpf.c"));
    auto r = run({bin("schedcp-cli"), "--config", cfg, "create-and-run", file, "--verify-only"}, {},
                 {}, std::chrono::seconds(180));
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
    bool seen = false;
    for (int i = 0; i < 60 && !seen; ++i) {
        seen = ok(call(c, "list_schedulers", {{"name", "from_cli"}})).at("count").as_int64() == 1;
        if (!seen) std::this_thread::sleep_for(250ms);
    }
    BOOST_TEST(seen, "the server did not pick up the scheduler the CLI registered");
}

BOOST_AUTO_TEST_CASE(verification_goes_through_the_loader_and_reports_why_it_did_not_happen) {
    if (!require_sched_ext_btf("kernel verification through schedcp-loader")) return;
    if (kernel_has_sched_ext()) {
        BOOST_TEST_MESSAGE("this kernel has sched_ext: real verification is the e2e suite's part");
        return;
    }
    // A sysfs claiming sched_ext is present and free: the plugin runs the loader, which
    // finds that the kernel's BTF has no sched_ext_ops and says so.
    fs::create_directories(dir.file("sysfs"));
    std::ofstream(dir.file("sysfs/state")) << "disabled\n";
    McpClient c(config({"sched_ext_root: " + dir.file("sysfs"), "use_sudo: never"}));
    c.initialize();
    auto r = ok(create(c, "through_loader", test_data("vtime_sched.bpf.c")));
    BOOST_TEST(!r.at("verified").as_bool());
    BOOST_TEST(r.at("registered").as_bool());
    std::string reason = str(r.at("reason"));
    if (::geteuid() == 0) {
        BOOST_TEST(contains(reason, "struct sched_ext_ops is not in its BTF"), reason);
        BOOST_TEST(str(r.at("verification").at("privilege")) == "root");
        BOOST_TEST(r.at("verification").at("result").at("no_sched_ext").as_bool());
        BOOST_TEST(
            contains(str(r.at("verification").at("loader_output")), "schedcp-loader: loading"));
    } else {
        BOOST_TEST(contains(reason, "needs root"), reason);
    }

    // Another scheduler loaded: not loaded over it, and the reason names it.
    fs::create_directories(dir.file("sysfs/root"));
    std::ofstream(dir.file("sysfs/state")) << "enabled\n";
    std::ofstream(dir.file("sysfs/root/ops")) << "rusty\n";
    auto busy = ok(create(c, "while_busy", test_data("vtime_sched.bpf.c")));
    BOOST_TEST(!busy.at("verified").as_bool());
    BOOST_TEST(contains(str(busy.at("reason")), "already has a scheduler ('rusty') loaded"),
               str(busy.at("reason")));
}

BOOST_AUTO_TEST_CASE(progress_is_reported_for_each_step) {
    if (!require_sched_ext_btf("progress notifications (they follow a whole compile)")) return;
    McpClient c(config());
    c.initialize();
    auto response = call(c, "create_and_verify_scheduler",
                         {{"name", "progress"}, {"source_code", test_data("vtime_sched.bpf.c")}},
                         {{"progressToken", "p1"}});
    ok(response);
    std::vector<std::string> messages;
    double last = 0;
    for (const auto& n : c.notifications()) {
        if (n.at("method").as_string() != "notifications/progress") continue;
        const auto& p = n.at("params").as_object();
        BOOST_TEST(p.at("progressToken").as_string() == "p1");
        BOOST_TEST(p.at("progress").to_number<double>() > last);
        BOOST_TEST(p.at("total").to_number<double>() == 5.0);
        last = p.at("progress").to_number<double>();
        messages.push_back(str(p.at("message")));
    }
    BOOST_REQUIRE(messages.size() == 5u);
    BOOST_TEST(contains(messages[0], "preparing vmlinux.h"));
    BOOST_TEST(contains(messages[1], "compiling with clang"));
    BOOST_TEST(contains(messages[2], "checking the object"));
    BOOST_TEST(contains(messages[3], "verifying in the kernel"));
    BOOST_TEST(contains(messages[4], "registering"));
}

BOOST_AUTO_TEST_CASE(cancelling_stops_clang_and_cleans_up) {
    if (!require_sched_ext_btf("cancellation (it happens after the vmlinux.h step)")) return;
    std::string clang = slow_clang(dir);
    McpClient c(config({"clang: " + clang}));
    c.initialize();
    c.send(bj::object{{"jsonrpc", "2.0"},
                      {"id", "slow"},
                      {"method", "tools/call"},
                      {"params",
                       {{"name", "create_and_verify_scheduler"},
                        {"arguments", {{"name", "slow"}, {"source_code", "int x;"}}}}}});
    pid_t pid = wait_for_pid(clang);
    BOOST_REQUIRE_MESSAGE(pid > 0, "the stand-in clang never started");
    BOOST_TEST(alive(pid));
    c.notify("notifications/cancelled", {{"requestId", "slow"}, {"reason", "test"}});
    BOOST_TEST(gone_within(pid, 3s), "clang " << pid << " still runs after the cancel");
    BOOST_TEST(
        !c.response(bj::value("slow"), 700ms).has_value());  // a cancelled call gets no response
    for (int i = 0; i < 50 && !dir_empty(data + "/work"); ++i) std::this_thread::sleep_for(20ms);
    BOOST_TEST(dir_empty(data + "/work"));
    BOOST_TEST(!fs::exists(data + "/schedulers/slow"));
}

BOOST_AUTO_TEST_CASE(a_compile_that_takes_too_long_is_stopped) {
    if (!require_sched_ext_btf("the compile deadline (it follows the vmlinux.h step)")) return;
    std::string clang = slow_clang(dir);
    McpClient c(config({"clang: " + clang, "compile_timeout_seconds: 5"}));
    c.initialize();
    auto t0 = std::chrono::steady_clock::now();
    auto e = error(create(c, "slowpoke", "int x;"));
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    BOOST_TEST(contains(str(e.at("message")), "did not finish within 5 s"), str(e.at("message")));
    BOOST_TEST(took < 15.0);
    BOOST_TEST(clang_pid(clang) == -1, "the stand-in clang still runs");
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
