// The other tools' configuration, written by the test where the runner's settings point:
// scx_loader's TOML and scx.service's /etc/default/scx. `default show` (scheduler_default get)
// reports what they would start, marked as not schedcp's; `default import` adopts it, checked
// as `default set` is; scx_loader's [scheds.NAME] <mode>_mode replaces a mode's arguments when
// the runner resolves a mode; malformed files are reported with file and line, never a crash;
// the fallback_* settings carry arguments or a mode and are checked when the runner loads.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "runner_fixture.hpp"

using namespace schedcp::test;
using namespace schedcp::test::runner_fixture;

namespace {

const char* kLoaderToml = R"(# scx_loader's own file
default_sched = "scx_lavd"
default_mode = "Gaming"

[scheds.scx_lavd]
gaming_mode = ["--performance", "--slice-max-us", "4000"]
)";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(runner_foreign_config, RunnerFixture)

BOOST_AUTO_TEST_CASE(show_reports_what_the_other_tools_would_start_as_theirs) {
    const std::string cfg = config();
    std::ofstream(scx_loader_file) << kLoaderToml;
    std::ofstream(scx_service_file) << "# scx.service\nSCX_SCHEDULER=scx_rusty\n"
                                       "SCX_FLAGS='--slice-us-underutil 30000 -k'\n";
    auto r = cli(cfg, {"default", "show"});
    BOOST_TEST(r.status == 0, r.out + r.err);
    BOOST_TEST(r.out ==
                   "no boot default set\n"
                   "  not schedcp's: scx_loader (" +
                       scx_loader_file +
                       ":2) would start scx_lavd --mode gaming (--performance "
                       "--slice-max-us 4000)\n"
                       "  not schedcp's: scx.service (" +
                       scx_service_file +
                       ":2) would start scx_rusty -- --slice-us-underutil 30000 -k\n"
                       "  (schedcp-cli default import adopts it as schedcp's boot default)\n",
               r.out);

    McpClient c(cfg);
    c.initialize();
    auto got = ok(c.call("scheduler_default", {{"command", "get"}}));
    BOOST_TEST(got.at("default").is_null());  // schedcp's own: none
    const auto& others = got.at("other_tools").as_array();
    BOOST_REQUIRE_EQUAL(others.size(), 2u);
    BOOST_TEST(bj::serialize(others[0]) ==
               R"({"tool":"scx_loader","file":")" + scx_loader_file +
                   R"(","default":{"name":"scx_lavd","mode":"gaming"},"line":2,)"
                   R"("args":["--performance","--slice-max-us","4000"]})");
    BOOST_TEST(
        bj::serialize(others[1]) ==
        R"({"tool":"scx.service","file":")" + scx_service_file +
            R"(","default":{"name":"scx_rusty","args":["--slice-us-underutil","30000","-k"]},)"
            R"("line":2,"args":["--slice-us-underutil","30000","-k"]})");

    // Once schedcp has its own, that is what show reports.
    ok(c.call("scheduler_default", {{"command", "set"}, {"name", "scx_simple"}}));
    got = ok(c.call("scheduler_default", {{"command", "get"}}));
    BOOST_TEST(!got.contains("other_tools"), bj::serialize(got));
}

BOOST_AUTO_TEST_CASE(show_without_a_scheduler_named_and_without_files) {
    const std::string cfg = config();
    auto r = cli(cfg, {"default", "show"});
    BOOST_TEST(r.out == "no boot default set\n", r.out + r.err);
    std::ofstream(scx_loader_file) << "default_mode = \"Auto\"\n";
    std::ofstream(scx_service_file) << "#SCX_SCHEDULER=scx_rusty\n";
    r = cli(cfg, {"default", "show"});
    BOOST_TEST(r.out == "no boot default set\n  not schedcp's: scx_loader (" + scx_loader_file +
                            "): no default_sched: scx_loader starts nothing at boot\n"
                            "  not schedcp's: scx.service (" +
                            scx_service_file + "): no SCX_SCHEDULER: scx.service starts nothing\n",
               r.out + r.err);
    r = cli(cfg, {"default", "import"});
    BOOST_TEST(r.status != 0);
    BOOST_TEST(r.err.find("nothing to import: scx_loader (" + scx_loader_file +
                          "): no default_sched") != std::string::npos,
               r.err);
    fs::remove(scx_loader_file);
    fs::remove(scx_service_file);
    r = cli(cfg, {"default", "import"});
    BOOST_TEST(r.err.find("nothing to import: neither scx_loader's nor scx.service's "
                          "configuration exists (looked at " +
                          scx_loader_file + ", " + scx_service_file + ")") != std::string::npos,
               r.err);
}

BOOST_AUTO_TEST_CASE(import_adopts_it_checked_as_set_is) {
    const std::string cfg = config();
    std::ofstream(scx_loader_file) << kLoaderToml;
    std::ofstream(scx_service_file) << "SCX_SCHEDULER=scx_rusty\n";
    // Both name one, and they differ: which is for the caller to say.
    auto r = cli(cfg, {"default", "import"});
    BOOST_TEST(r.status == 2, r.out + r.err);
    BOOST_TEST(r.err.find("both scx_loader and scx.service name a scheduler") != std::string::npos,
               r.err);
    BOOST_TEST(r.err.find("choose one with from (--from)") != std::string::npos, r.err);
    BOOST_TEST(!fs::exists(dir.file("data/runner/boot_default.json")));

    r = cli(cfg, {"default", "import", "--from", "scx_loader"});
    BOOST_TEST(r.status == 0, r.out + r.err);
    BOOST_TEST(r.out == "boot default imported from scx_loader (" + scx_loader_file +
                            ":2): scx_lavd --mode gaming\n",
               r.out);
    r = cli(cfg, {"default", "show"});
    BOOST_TEST(r.out == "boot default: scx_lavd --mode gaming\n", r.out);

    McpClient c(cfg);
    c.initialize();
    auto got = ok(c.call("scheduler_default", {{"command", "import"}, {"from", "scx.service"}}));
    BOOST_TEST(bj::serialize(got.at("default")) == R"({"name":"scx_rusty"})");
    BOOST_TEST(got.at("imported_from").at("tool").as_string() == "scx.service");
    // The only one that names a scheduler needs no `from`.
    fs::remove(scx_loader_file);
    std::ofstream(scx_service_file) << "SCX_SCHEDULER=scx_simple\nSCX_FLAGS=-f\n";
    got = ok(c.call("scheduler_default", {{"command", "import"}}));
    BOOST_TEST(bj::serialize(got.at("default")) == R"({"name":"scx_simple","args":["-f"]})");
    auto e = error_text(c.call("scheduler_default", {{"command", "get"}, {"from", "scx_loader"}}));
    BOOST_TEST(e.find("from is used only with command import (here: get)") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(unknown_schedulers_and_options_are_refused_with_file_and_line) {
    McpClient c(config());
    c.initialize();
    std::ofstream(scx_loader_file) << "\ndefault_sched = \"scx_nope\"\n";
    std::ofstream(scx_service_file) << "SCX_SCHEDULER=scx_rusty\nSCX_FLAGS=\"--bogus 1\"\n";
    auto e =
        error_text(c.call("scheduler_default", {{"command", "import"}, {"from", "scx_loader"}}));
    BOOST_TEST(e.find("cannot import from scx_loader: " + scx_loader_file +
                      ":2: default_sched: unknown scheduler 'scx_nope' (schedcp knows: ") !=
                   std::string::npos,
               e);
    BOOST_TEST(e.find("scx_lavd") != std::string::npos, e);  // ... the catalog's names
    e = error_text(c.call("scheduler_default", {{"command", "import"}, {"from", "scx.service"}}));
    BOOST_TEST(e.find("cannot import from scx.service: " + scx_service_file +
                      ":2: SCX_FLAGS: scx_rusty has no option '--bogus'") != std::string::npos,
               e);
    // A custom scheduler takes no arguments, wherever they come from.
    std::ofstream(scx_service_file) << "SCX_SCHEDULER=/usr/bin/scx_simple\nSCX_FLAGS=-x\n";
    e = error_text(c.call("scheduler_default", {{"command", "import"}}));
    BOOST_TEST(e.find(":2: SCX_FLAGS: scx_simple has no option '-x'") != std::string::npos, e);
    // Nothing was stored.
    auto got = ok(c.call("scheduler_default", {{"command", "get"}}));
    BOOST_TEST(got.at("default").is_null());
}

BOOST_AUTO_TEST_CASE(malformed_and_hostile_files_are_reported_not_fatal) {
    McpClient c(config());
    c.initialize();
    std::ofstream(scx_loader_file) << "default_sched = \"scx_lavd\"\n[scheds.scx_lavd]\n"
                                      "gaming_mode = [\"--performance\", \n";
    std::ofstream(scx_service_file) << "export SCX_SCHEDULER=scx_rusty\n";
    auto got = ok(c.call("scheduler_default", {{"command", "get"}}));
    const auto& others = got.at("other_tools").as_array();
    BOOST_REQUIRE_EQUAL(others.size(), 2u);
    const std::string loader_problem(others[0].at("problem").as_string());
    BOOST_TEST(loader_problem.starts_with(scx_loader_file + ":3: not valid TOML: "),
               loader_problem);
    BOOST_TEST(others[1].at("problem").as_string() ==
               scx_service_file +
                   ":1: 'export SCX_SCHEDULER' is not a variable name [A-Za-z_][A-Za-z0-9_]* "
                   "(systemd ignores the line, so scx.service would not see it; drop 'export')");
    auto e = error_text(c.call("scheduler_default", {{"command", "import"}}));
    BOOST_TEST(e.find("nothing to import: scx_loader: unusable: " + scx_loader_file + ":3:") !=
                   std::string::npos,
               e);

    // Binary junk, a directory, a FIFO where a file was expected: reported, the server goes on.
    std::ofstream(scx_loader_file, std::ios::binary) << std::string("\x01\xff\0[[[", 6);
    fs::remove(scx_service_file);
    fs::create_directories(scx_service_file);
    got = ok(c.call("scheduler_default", {{"command", "get"}}));
    BOOST_TEST(got.at("other_tools").at(0).at("problem").as_string() ==
               scx_loader_file + ":1: holds a NUL byte: not a text file");
    BOOST_TEST(got.at("other_tools").at(1).at("problem").as_string() ==
               scx_service_file + ": not a regular file");
    fs::remove(scx_loader_file);
    BOOST_REQUIRE(::mkfifo(scx_loader_file.c_str(), 0600) == 0);
    got = ok(c.call("scheduler_default", {{"command", "get"}}));
    BOOST_TEST(got.at("other_tools").at(0).at("problem").as_string() ==
               scx_loader_file + ": not a regular file");
}

BOOST_AUTO_TEST_CASE(scx_loaders_mode_arguments_replace_the_catalogs) {
    scheduler("scx_bpfland");
    std::ofstream(scx_loader_file) << "[scheds.scx_bpfland]\ngaming_mode = [\"--slice-us\", "
                                      "\"5000\"]\nserver_mode = []\n";
    McpClient c(config());
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"mode", "gaming"}}));
    BOOST_TEST(a.at("status").as_string() == "running", bj::serialize(a));
    BOOST_TEST(bj::serialize(a.at("args")) == R"(["--slice-us","5000"])");
    BOOST_TEST(a.at("mode").as_string() == "gaming");
    auto b = ok(
        c.call("run_scheduler", {{"name", "scx_bpfland"}, {"mode", "server"}, {"replace", true}}));
    BOOST_TEST(b.at("status").as_string() == "running", bj::serialize(b));
    BOOST_TEST(bj::serialize(b.at("args")) == "[]");  // an empty array replaces them too
    // A mode the file leaves out keeps the catalog's arguments.
    auto d =
        ok(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"mode", "auto"}, {"replace", true}}));
    BOOST_TEST(bj::serialize(d.at("args")) == R"(["--primary-domain","auto"])");
    ok(c.call("stop_scheduler", {{"execution_id", d.at("execution_id")}}));

    // Arguments from the file are checked as any others, naming the file's line.
    std::ofstream(scx_loader_file) << "[scheds.scx_bpfland]\n\ngaming_mode = [\"--bogus\"]\n";
    auto e = error_text(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"mode", "gaming"}}));
    BOOST_TEST(e.starts_with(scx_loader_file +
                             ":3: scheds.scx_bpfland.gaming_mode: scx_bpfland has no option "
                             "'--bogus'"),
               e);
    // A broken file stops modes (as it stops scx_loader), not runs with args.
    std::ofstream(scx_loader_file) << "[scheds.scx_bpfland]\ngaming_mode = 1\n";
    e = error_text(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"mode", "auto"}}));
    BOOST_TEST(e == "mode 'auto': scx_loader's configuration may set its arguments, and it "
                    "cannot be read: " +
                        scx_loader_file +
                        ":2: scheds.scx_bpfland.gaming_mode must be an array of strings (the "
                        "scheduler's arguments), not an integer (fix the file, or set the "
                        "runner's scx_loader_modes: false)",
               e);
    auto f = ok(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"args", {"--slice-us", "1"}}}));
    BOOST_TEST(f.at("status").as_string() == "running");
    ok(c.call("stop_scheduler", {{"execution_id", f.at("execution_id")}}));
}

BOOST_AUTO_TEST_CASE(scx_loader_modes_false_keeps_the_catalogs) {
    scheduler("scx_bpfland");
    std::ofstream(scx_loader_file) << "[scheds.scx_bpfland]\ngaming_mode = [\"--slice-us\", "
                                      "\"5000\"]\n";
    McpClient c(config("", "      scx_loader_modes: false\n"));
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"mode", "gaming"}}));
    BOOST_TEST(bj::serialize(a.at("args")) == R"(["--primary-domain","all"])");
    ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));
}

BOOST_AUTO_TEST_CASE(import_then_default_run_uses_the_files_mode_arguments) {
    scheduler("scx_bpfland");
    std::ofstream(scx_loader_file) << "default_sched = \"scx_bpfland\"\ndefault_mode = \"Gaming\"\n"
                                      "[scheds.scx_bpfland]\ngaming_mode = [\"--slice-us\", "
                                      "\"5000\"]\n";
    const std::string cfg = config();
    auto r = cli(cfg, {"default", "import"});
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out + r.err);
    McpClient c(cfg);
    c.initialize();
    auto got = ok(c.call("scheduler_default", {{"command", "get"}}));
    BOOST_TEST(bj::serialize(got.at("default")) == R"({"name":"scx_bpfland","mode":"gaming"})");
    // What `default run` starts is that mode, resolved as scx_loader resolves it.
    auto a = ok(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"mode", "gaming"}}));
    BOOST_TEST(bj::serialize(a.at("args")) == R"(["--slice-us","5000"])");
    ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));
}

BOOST_AUTO_TEST_CASE(the_fallback_setting_carries_args_or_a_mode_checked_at_load) {
    scheduler("scx_qmap");
    scheduler("scx_simple");
    scheduler("scx_bpfland");
    McpClient c(config("",
                       "      on_failure: fallback\n      fallback_scheduler: scx_simple\n"
                       "      fallback_args: [\"-f\"]\n"));
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_qmap"}}));
    BOOST_TEST(bj::serialize(a.at("failure_policy").at("fallback")) ==
               R"({"name":"scx_simple","args":["-f"]})");
    ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));

    // Each: the settings, and what the refusal at start-up (exit 2) says.
    const std::vector<std::pair<std::string, std::string>> refused{
        {"      fallback_scheduler: scx_simple\n      fallback_args: [\"--nope\"]\n",
         "runner settings: fallback_scheduler scx_simple: scx_simple has no option '--nope'"},
        {"      fallback_scheduler: scx_simple\n      fallback_mode: gaming\n",
         "scx_simple has no 'gaming' mode"},
        {"      fallback_args: [\"-f\"]\n",
         "fallback_args and fallback_mode need a fallback_scheduler"},
        {"      fallback_scheduler: scx_nope\n",
         "runner settings: fallback_scheduler scx_nope: unknown scheduler 'scx_nope'"},
        {"      fallback_mode: Gaming\n", "fallback_mode"},
    };
    for (const auto& [extra, why] : refused) {
        auto r = run({schedcp::test::bin("schedcp-cli"), "--config", config("", extra), "status"});
        BOOST_TEST(r.status == 2, extra << r.out + r.err);
        BOOST_TEST(r.err.find(why) != std::string::npos, r.err);
    }
    auto r =
        run({schedcp::test::bin("schedcp-cli"), "--config",
             config("", "      fallback_scheduler: scx_bpfland\n      fallback_mode: gaming\n"),
             "status"});
    BOOST_TEST(r.status == 0, r.out + r.err);
}

BOOST_AUTO_TEST_SUITE_END()
