// schedcp-cli end to end: the real binary, real plugins, real output and exit codes.
#include <signal.h>

#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "subprocess.hpp"

namespace bj = boost::json;
using namespace schedcp::test;

namespace {

struct CliFixture {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: catalog\n  - name: testplug\n");

    RunResult cli(std::vector<std::string> args,
                  const std::map<std::string, std::string>& env = {}) {
        args.insert(args.begin(), {bin("schedcp-cli"), "--config", cfg});
        return run(args, env);
    }
    bj::value json_of(const RunResult& r) {
        boost::system::error_code ec;
        auto v = bj::parse(r.out, ec);
        BOOST_REQUIRE_MESSAGE(!ec, "not JSON: " << r.out.substr(0, 300) << " / stderr: " << r.err);
        return v;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(cli, CliFixture)

BOOST_AUTO_TEST_CASE(help_lists_plugin_commands) {
    auto r = cli({"--help"});
    BOOST_TEST(r.status == 0);
    for (const char* c : {"list ", "plugins ", "call ", "test ", "help "})
        BOOST_TEST(r.out.find("\n  " + std::string(c)) != std::string::npos, c);
    r = cli({});
    BOOST_TEST(r.status == 2);  // no command is a usage error; help goes to stderr
    BOOST_TEST(r.err.find("Commands:") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(help_at_every_level) {
    auto r = cli({"test", "--help"});
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find("Usage: schedcp-cli test COMMAND") == 0u);
    BOOST_TEST(r.out.find("show") != std::string::npos);
    r = cli({"test"});
    BOOST_TEST(r.status == 2);
    r = cli({"help", "test", "show"});
    BOOST_TEST(r.status == 0);
    BOOST_TEST(
        r.out.find("Usage: schedcp-cli test show [OPTIONS] TARGET [EXTRA] [-- ARGS...]") == 0u,
        r.out);
    r = cli({"list", "-h"});
    BOOST_TEST(r.out.find("--production") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(list_production_json_has_the_production_schedulers) {
    auto r = cli({"list", "--production", "--json"});
    BOOST_TEST(r.status == 0, r.err);
    auto v = json_of(r);
    std::set<std::string> names;
    for (const auto& s : v.at("schedulers").as_array()) {
        BOOST_TEST(s.at("production_ready").as_bool());
        names.insert(std::string(s.at("name").as_string()));
    }
    for (const char* n : {"scx_rusty", "scx_simple", "scx_lavd", "scx_bpfland", "scx_layered",
                          "scx_flatcg", "scx_nest", "scx_flash", "scx_p2dq"})
        BOOST_TEST(names.count(n) == 1u, n);
    BOOST_TEST(v.at("count").as_int64() == static_cast<std::int64_t>(names.size()));
    // The sched-ext/scx release the parameters were checked against.
    BOOST_TEST(v.at("scx_release").as_string() == "v1.1.2");
    // --json before the command works the same.
    auto r2 = cli({"--json", "list", "--production"});
    BOOST_TEST(r2.out == r.out);
}

BOOST_AUTO_TEST_CASE(list_table_and_filters) {
    auto r = cli({"list", "--name", "RUSTY"});
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find("NAME") == 0u);
    BOOST_TEST(r.out.find("scx_rusty") != std::string::npos);
    BOOST_TEST(r.out.find("scx_simple") == std::string::npos);
    BOOST_TEST(r.out.find("Tuning parameters as of sched-ext/scx v1.1.2.\n") != std::string::npos,
               r.out);
    r = cli({"list", "-n", "zzz"});
    BOOST_TEST(r.out == "No scheduler matches.\n");
    r = cli({"list", "--name", "lavd", "--long"});
    BOOST_TEST(r.out.find("--slice-max-us") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("Modes (scx_loader):") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
    auto r = cli({"list", "--bogus"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err ==
               "schedcp-cli list: unknown option '--bogus'\nTry 'schedcp-cli list --help'.\n");
    r = cli({"lisst"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("unknown command 'lisst'; did you mean 'list'?") != std::string::npos);
    r = cli({"test", "show", "x", "--count", "99"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("--count must be between 1 and 10, got 99") != std::string::npos);
    r = cli({"list", "extra"});
    BOOST_TEST(r.status == 2);
}

BOOST_AUTO_TEST_CASE(commands_that_do_a_tools_work_are_checked_by_its_schema) {
    // The limits are written once, in the tools' input schemas; the command line is checked
    // against them as an MCP call would be, before the plugin's handler runs.
    const std::string plugins_cfg =
        write_config(dir, "  - name: catalog\n  - name: runner\n  - name: workloads\n");
    auto with_plugins = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {bin("schedcp-cli"), "--config", plugins_cfg});
        return run(args, {});
    };
    std::vector<std::string> run_args{"run", "scx_simple", "--"};
    for (int i = 0; i < 129; ++i) run_args.push_back("--fifo");
    auto r = with_plugins(run_args);
    BOOST_TEST(r.status == 2, r.err);
    BOOST_TEST(
        r.err.find("schedcp-cli run: invalid arguments for tool 'run_scheduler': "
                   "arguments.args must have at most 128 items, got 129") != std::string::npos,
        r.err);
    r = with_plugins({"run", "scx_simple", "--", "--slice-us=" + std::string(5000, '1')});
    BOOST_TEST(r.status == 2, r.err);
    BOOST_TEST(r.err.find("arguments.args[0]") != std::string::npos, r.err);

    r = with_plugins({"workload", "create", std::string(5000, 'x')});
    BOOST_TEST(r.status == 2, r.err);
    BOOST_TEST(r.err.find("schedcp-cli workload create: invalid arguments for tool 'workload': "
                          "arguments.description") != std::string::npos,
               r.err);
    r = with_plugins({"workload", "add-history", "w", "e", "ok", "-m", "p99=notanumber"});
    BOOST_TEST(r.status == 2, r.err);
    BOOST_TEST(r.err.find("--metric needs KEY=NUMBER, got 'p99=notanumber'") != std::string::npos,
               r.err);
    // The mapping is the tool's: --production is production_ready.
    r = with_plugins({"list", "--production", "--json"});
    BOOST_TEST(r.status == 0, r.err);
    const bj::value listed = json_of(r);
    BOOST_TEST(!listed.at("schedulers").as_array().empty());
    for (const auto& s : listed.at("schedulers").as_array())
        BOOST_TEST(s.at("production_ready").as_bool());
}

BOOST_AUTO_TEST_CASE(typed_options_and_passthrough) {
    auto r = cli({"test", "show", "target1", "-c", "3", "--ratio", "2.5", "-v", "-t", "a", "-t",
                  "b", "--json", "--", "--slice-us", "$(id)"});
    BOOST_TEST(r.status == 0, r.err);
    auto v = json_of(r);
    BOOST_TEST(bj::serialize(v.at("values")) ==
               R"({"target":"target1","count":3,"ratio":2.5E0,"verbose":true,"tag":["a","b"]})");
    BOOST_TEST(bj::serialize(v.at("passthrough")) == R"j(["--slice-us","$(id)"])j");
}

BOOST_AUTO_TEST_CASE(failures_exit_1_with_the_message) {
    auto r = cli({"test", "fail"});
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.err == "schedcp-cli test fail: nothing here\n");
    r = cli({"test", "fail", "--json"});
    BOOST_TEST(r.status == 1);
    BOOST_TEST(json_of(r).at("error").at("code").as_string() == "not_found");
}

BOOST_AUTO_TEST_CASE(a_handler_throwing_a_non_std_exception_still_answers) {
    // Through `call` (the tool invoker) and as a plugin command (the CLI's own path).
    auto r = cli({"call", "fail", R"({"code":"non_std"})"});
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.err.find("internal error in plugin 'testplug'") != std::string::npos, r.err);
    r = cli({"test", "throw"});
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.err.find("internal error") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(call_invokes_any_tool) {
    auto r = cli({"call", "list_schedulers", R"({"name":"simple"})", "--json"});
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(json_of(r).at("schedulers").as_array().at(0).at("name").as_string() == "scx_simple");
    // A tool's error is an error of the command: on stderr, exit 2 for bad arguments, else 1.
    r = cli({"call", "echo", R"({"text":1})"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.out.empty(), r.out);
    BOOST_TEST(r.err.find("arguments.text must be a string, got integer") != std::string::npos,
               r.err);
    r = cli({"call", "fail", R"({"code":"not_found"})", "--json"});
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.err.find("no such thing 'x'") != std::string::npos, r.err);
    BOOST_TEST(json_of(r).at("error").at("code").as_string() == "not_found");
    BOOST_TEST(json_of(r).at("error").at("details").at("close_matches").at(0).as_string() == "y");
    // The tool logs under its plugin's channel, as it does over MCP.
    r = cli({"call", "log", R"({"message":"logged through call"})"});
    BOOST_TEST(r.status == 0, r.err);
    std::string log = slurp(dir.file("data/schedcp.log"));
    BOOST_TEST(log.find("[warning] testplug: logged through call") != std::string::npos, log);
    r = cli({"call", "ech"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("unknown tool 'ech'; did you mean 'echo'?") != std::string::npos, r.err);
    r = cli({"call", "echo", "not json"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("ARGUMENTS is not valid JSON") != std::string::npos);
    r = cli({"call", "echo", "[1]"});
    BOOST_TEST(r.status == 2);
}

BOOST_AUTO_TEST_CASE(plugins_reports_files_abi_tools_commands) {
    auto r = cli({"plugins", "--json"});
    BOOST_TEST(r.status == 0);
    auto v = json_of(r);
    const auto& plugins = v.at("plugins").as_array();
    BOOST_REQUIRE(plugins.size() == 2u);
    BOOST_TEST(plugins[0].at("name").as_string() == "catalog");
    BOOST_TEST(plugins[0].at("file").as_string().ends_with("lib/schedcp/plugins/catalog.so"));
    BOOST_TEST(plugins[0].at("abi_version").as_int64() == 4);  // SCHEDCP_SDK_ABI_VERSION
    BOOST_TEST(bj::serialize(plugins[0].at("tools")) == R"(["list_schedulers"])");
    BOOST_TEST(bj::serialize(plugins[1].at("commands")) ==
               R"(["test show","test fail","test throw","test wait"])");
}

// Human output is text, not JSON: no quotes around plain strings, numbers as numbers.
BOOST_AUTO_TEST_CASE(list_long_renders_text_not_json) {
    auto r = cli({"list", "--name", "scx_lavd", "--long"}, {{"COLUMNS", "80"}});
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find('"') == std::string::npos, r.out);
    BOOST_TEST(r.out.find("Use cases:   gaming, ") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("  --autopilot (boolean, default false)") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("  --slice-max-us (integer, default ") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("Modes (scx_loader):\n  ") != std::string::npos, r.out);
}

// Piped, `plugins` fits $COLUMNS by wrapping its widest columns; nothing is lost, and
// --json is unchanged.
BOOST_AUTO_TEST_CASE(plugins_table_fits_the_width) {
    auto r = cli({"plugins"}, {{"COLUMNS", "80"}});
    BOOST_TEST(r.status == 0);
    std::istringstream lines(r.out);
    std::string line, joined;
    while (std::getline(lines, line)) {
        BOOST_TEST(line.size() <= 80u, line.size() << ": " << line);
        joined += line;
    }
    BOOST_TEST(r.out.find("PLUGIN") == 0u, r.out);
    for (const char* data : {"catalog", "testplug", "list_schedulers", "echo", "sleep", "list",
                             "test show", "test wait", "catalog.so", "testplug.so"})
        BOOST_TEST(joined.find(data) != std::string::npos, data << " in: " << r.out);
    auto wide = cli({"plugins"}, {{"COLUMNS", "10000"}});
    BOOST_TEST(wide.out.find("test show,test fail,test throw,test wait") != std::string::npos,
               wide.out);
}

// Every shipped plugin loads (so every schema it registers uses only keywords the
// validator implements), and `plugins --settings` prints each one's settings as its
// settings table describes them: type, default, help.
BOOST_AUTO_TEST_CASE(plugins_settings_prints_every_shipped_plugins_settings) {
    TempDir shipped;
    const std::string all = write_config(shipped,
                                         "  - name: catalog\n  - name: workloads\n"
                                         "  - name: monitor\n  - name: runner\n"
                                         "  - name: compiler\n");
    auto r =
        run({bin("schedcp-cli"), "--config", all, "plugins", "--settings"}, {{"COLUMNS", "300"}});
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(r.out.find("catalog: no settings\n") != std::string::npos, r.out);
    for (const char* line :
         {"workloads:\n", "monitor:\n", "runner:\n", "compiler:\n", "SETTING", "TYPE", "DEFAULT",
          "HELP", "start_timeout_ms", "integer 100..120000", "15000", "[/usr/local/bin, /usr/bin]",
          "auto | never | always",
          "<sysconf>/schedcp/guard.policy (/etc for the prefix /usr, else <prefix>/etc)",
          "schedcp_workloads.json", "runqlat", "max_concurrent_compiles", "never | auto",
          "sysfs directory of sched_ext (tests point it elsewhere)"})
        BOOST_TEST(r.out.find(line) != std::string::npos, line << " in: " << r.out);
    // sched_ext_root: one shared entry, the same in the runner, the compiler and the monitor.
    std::size_t at = 0, count = 0;
    while ((at = r.out.find("sched_ext_root", at)) != std::string::npos) ++count, ++at;
    BOOST_TEST(count == 3u, r.out);

    auto j = run({bin("schedcp-cli"), "--config", all, "plugins", "--json"});
    BOOST_TEST(j.status == 0, j.err);
    auto v = json_of(j);
    for (const auto& p : v.at("plugins").as_array()) {
        if (p.at("name") != "runner") continue;
        const auto& first = p.at("settings").at(0);
        BOOST_TEST(bj::serialize(first) ==
                   R"({"key":"scheduler_paths","type":"list of non-empty strings",)"
                   R"("default":"[/usr/local/bin, /usr/bin]",)"
                   R"("help":"directories searched for scheduler programs, before $PATH"})");
    }
    // A plugin without a settings table (testplug writes its schema by hand).
    auto t = cli({"plugins", "--settings"});
    BOOST_TEST(t.out.find("testplug: settings not described by the plugin\n") != std::string::npos,
               t.out);
}

BOOST_AUTO_TEST_CASE(interrupt_stops_a_foreground_command_cleanly) {
    Subprocess p({bin("schedcp-cli"), "--config", cfg, "test", "wait"});
    auto line = p.read_line(std::chrono::seconds(10));
    BOOST_REQUIRE(line);
    BOOST_TEST(*line == "waiting");
    p.kill(SIGINT);
    BOOST_TEST(p.read_line(std::chrono::seconds(5)).value_or("") == "interrupted cleanly");
    BOOST_TEST(p.wait(std::chrono::seconds(5)).value_or(-1) == 0);
}

BOOST_AUTO_TEST_CASE(version) {
    auto r = cli({"--version"});
    BOOST_TEST(r.out.find("schedcp-cli ") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
