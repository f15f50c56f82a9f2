// End-to-end scenarios on a real sched_ext kernel. This program runs INSIDE the QEMU guest
// that tests/e2e/run.sh boots (never on the development machine, whose kernel has no
// sched_ext): the real schedcp and schedcp-cli from the build tree drive the kernel's
// example schedulers (tools/sched_ext) and every claim is checked against
// /sys/kernel/sched_ext itself, not only against what schedcp reports.
//
// Environment (set by the guest's /init, see run.sh):
//   SCHEDCP_E2E_BIN   directory holding scx_simple, scx_qmap, scx_central, scx_flatcg
//   SCHEDCP_E2E_DATA  a writable directory (tmpfs) for configs and data dirs
//   SCHEDCP_E2E_RESULTS (optional) where each case's server log is copied (<case>.schedcp.log)
//
// Every scenario starts with sched_ext disabled (else it fails at once: the runner would
// refuse to start anything) and must leave it disabled; the fixture checks both, and if a
// scenario left a scheduler loaded it says so and unloads it for the next one.
#define BOOST_TEST_MODULE schedcp_e2e
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "unit_constraints.hpp"

namespace fs = std::filesystem;
using namespace schedcp::test;
using namespace std::chrono_literals;

namespace {

const fs::path kSchedExt = "/sys/kernel/sched_ext";
const std::vector<std::string> kExamples = {"scx_simple", "scx_qmap", "scx_central", "scx_flatcg"};
// Under TCG a BPF scheduler takes seconds to verify and load: be generous, the VM's own
// timeout bounds the whole run anyway.
constexpr auto kToolTimeout = 120s;

std::string env_or_die(const char* name) {
    const char* v = std::getenv(name);
    BOOST_REQUIRE_MESSAGE(v && *v, name << " is not set: this program runs inside the VM that "
                                           "tests/e2e/run.sh boots");
    return v;
}

std::string first_line(const fs::path& p) {
    std::ifstream in(p);
    std::string s;
    if (!in || !std::getline(in, s)) return "<unreadable " + p.string() + ">";
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
    return s;
}

std::string kernel_state() {
    return first_line(kSchedExt / "state");
}
std::string kernel_ops() {
    std::error_code ec;
    if (!fs::exists(kSchedExt / "root" / "ops", ec)) return "<none>";
    return first_line(kSchedExt / "root" / "ops");
}
std::string kernel_summary() {
    return "state=" + kernel_state() + " ops=" + kernel_ops() +
           " enable_seq=" + first_line(kSchedExt / "enable_seq");
}

bool wait_for_state(const std::string& want, std::chrono::milliseconds t) {
    auto deadline = std::chrono::steady_clock::now() + t;
    while (kernel_state() != want) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

bool alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    auto close = line.rfind(')');
    return close != std::string::npos && line.size() > close + 2 && line[close + 2] != 'Z';
}

bool gone_within(pid_t pid, std::chrono::milliseconds t) {
    auto deadline = std::chrono::steady_clock::now() + t;
    while (alive(pid)) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

// User processes whose program is one of the example schedulers (argv[0] scx_*). Kernel
// threads have no cmdline: sched_ext's own "scx_ops_enable_helper" kthread, which stays
// after the first scheduler is loaded, is not one of them.
std::vector<pid_t> scx_processes() {
    std::vector<pid_t> out;
    for (const auto& d : fs::directory_iterator("/proc")) {
        const std::string n = d.path().filename();
        if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream cmdline(d.path() / "cmdline");
        std::string argv0;
        if (!std::getline(cmdline, argv0, '\0') || argv0.empty()) continue;
        if (fs::path(argv0).filename().string().starts_with("scx_") && alive(std::stoi(n)))
            out.push_back(std::stoi(n));
    }
    return out;
}

std::string describe(const std::vector<pid_t>& pids) {
    std::string s;
    for (pid_t p : pids) {
        std::ifstream cmdline("/proc/" + std::to_string(p) + "/cmdline");
        std::string c, a;
        while (std::getline(cmdline, a, '\0')) c += (c.empty() ? "" : " ") + a;
        s += (s.empty() ? "" : ", ") + std::to_string(p) + " [" + c + "]";
    }
    return s;
}

std::string joined(const bj::array& lines) {
    std::string s;
    for (const auto& l : lines) s += std::string(l.as_string()) + "\n";
    return s;
}

struct Scenario {
    std::string bin_dir = env_or_die("SCHEDCP_E2E_BIN");
    std::string data_root = env_or_die("SCHEDCP_E2E_DATA");
    TempDir dir;  // under $TMPDIR, which /init points at the tmpfs

    Scenario() {
        BOOST_REQUIRE_MESSAGE(fs::is_directory(kSchedExt),
                              "this kernel has no " << kSchedExt << ": not the e2e VM?");
        BOOST_REQUIRE_MESSAGE(kernel_state() == "disabled",
                              "sched_ext must be disabled when a scenario starts; it is "
                                  << kernel_summary() << " (an earlier scenario left it loaded)");
        auto running = scx_processes();
        BOOST_REQUIRE_MESSAGE(
            running.empty(),
            "a scheduler is already running before the scenario: " << describe(running));
    }

    // The last word of every scenario: the kernel is back to disabled and no example
    // scheduler is left running. If not, it is a failure of this scenario, and the
    // leftovers are unloaded (SIGINT, then SIGKILL) so the next scenario can run.
    ~Scenario() {
        bool disabled = wait_for_state("disabled", 15s);
        auto left = scx_processes();
        BOOST_CHECK_MESSAGE(disabled, "the scenario left sched_ext loaded: " << kernel_summary());
        BOOST_CHECK_MESSAGE(left.empty(),
                            "the scenario left scheduler process(es) running: " << describe(left));
        // Keep the server's log beside the case's own log on the results share.
        if (const char* results = std::getenv("SCHEDCP_E2E_RESULTS"); results && *results) {
            std::error_code ec;
            fs::copy_file(
                dir.file("data/schedcp.log"),
                fs::path(results) / (boost::unit_test::framework::current_test_case().p_name.get() +
                                     ".schedcp.log"),
                fs::copy_options::overwrite_existing, ec);
        }
        for (pid_t p : left) ::kill(p, SIGINT);
        for (pid_t p : left)
            if (!gone_within(p, 10s)) ::kill(p, SIGKILL);
        wait_for_state("disabled", 10s);
    }

    // `runner_extra`: more of the runner's settings, each line indented by six spaces.
    std::string config(const std::string& runner_extra = "") {
        // schedcp-guard runs only what its policy leads to: the kernel's example schedulers
        // and the compiler's registry under this scenario's data_dir.
        const std::string policy = dir.write(
            "guard.policy", "# schedcp-guard policy 1\nscheduler_dir " + bin_dir + "\ncustom_dir " +
                                dir.file("data") + "/compiler/schedulers\n");
        // Every result is checked against its tool's outputSchema, here on the real kernel's
        // answers (sched_ext events, statistics, who holds the struct_ops link).
        std::string yaml =
            "server: {validate_tool_results: true}\n"
            "data_dir: " +
            dir.file("data") +
            "\n"
            "log: {file: schedcp.log, level: debug}\n"
            "plugins:\n"
            "  - name: catalog\n"
            "  - name: runner\n"
            "    settings:\n"
            "      scheduler_paths: [" +
            bin_dir +
            "]\n"
            "      guard_policy: " +
            policy +
            "\n"
            "      start_timeout_ms: 60000\n"
            "      stop_int_timeout_ms: 10000\n"
            "      stop_term_timeout_ms: 5000\n"
            "      output_lines: 200\n" +
            runner_extra +
            "  - name: workloads\n"
            "  - name: monitor\n"
            "  - name: compiler\n"
            "    settings: {verify_seconds: 2}\n"
            "  - name: system\n"
            "  - name: evaluator\n";
        return dir.write("schedcp.yaml", yaml);
    }

    std::string server_log() {
        std::ifstream in(dir.file("data/schedcp.log"));
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
};

// A field of a tool result. Its absence throws (Boost.Test reports the exception with the
// object) rather than failing deep inside Boost.JSON. It must not be a Boost.Test assertion:
// assertions nested in another assertion's message or condition corrupt the log.
const bj::value& get(const bj::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v)
        throw std::runtime_error("no \"" + std::string(key) + "\" in " +
                                 bj::serialize(o).substr(0, 3000));
    return *v;
}

// For failure messages: a field as JSON, or <missing KEY>. Never throws.
std::string js(const bj::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v ? bj::serialize(*v) : "<missing " + std::string(key) + ">";
}

// tools/call with a timeout fit for TCG (McpClient::call waits 10 s).
bj::object call(McpClient& c, const std::string& tool, bj::object args = {}) {
    return c.request("tools/call", bj::object{{"name", tool}, {"arguments", std::move(args)}},
                     kToolTimeout);
}

const bj::object& ok(const bj::object& r, const std::string& what) {
    BOOST_REQUIRE_MESSAGE(r.contains("result"), what << ": no result: " << bj::serialize(r));
    const auto& res = get(r, "result").as_object();
    BOOST_REQUIRE_MESSAGE(!get(res, "isError").as_bool(),
                          what << " failed: " << js(res, "content"));
    return get(res, "structuredContent").as_object();
}

std::string error_text(const bj::object& r, const std::string& what) {
    BOOST_REQUIRE_MESSAGE(r.contains("result"), what << ": no result: " << bj::serialize(r));
    const auto& res = get(r, "result").as_object();
    BOOST_REQUIRE_MESSAGE(get(res, "isError").as_bool(), what << " should have failed but returned "
                                                              << js(res, "structuredContent"));
    return std::string(get(res, "content").at(0).at("text").as_string());
}

std::string str(const bj::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    if (!v) return "<missing " + std::string(key) + ">";
    if (v->is_string()) return std::string(v->as_string());
    return bj::serialize(*v);
}

// run_scheduler NAME, which must come back running with the kernel agreeing.
bj::object start(McpClient& c, const std::string& name, const std::string& ops,
                 bj::array args = {}) {
    bj::object a{{"name", name}};
    if (!args.empty()) a["args"] = std::move(args);
    auto r = ok(call(c, "run_scheduler", std::move(a)), "run_scheduler " + name);
    BOOST_REQUIRE_MESSAGE(str(r, "status") == "running",
                          name << " did not reach running: status " << str(r, "status") << ": "
                               << str(r, "message") << "; output: " << js(r, "output")
                               << "; kernel " << kernel_summary());
    BOOST_TEST_REQUIRE(kernel_state() == "enabled",
                       "kernel after starting " << name << ": " << kernel_summary());
    BOOST_TEST(kernel_ops() == ops, "root/ops after starting " << name << ": " << kernel_summary());
    BOOST_TEST(str(r, "observed_ops") == ops);
    BOOST_TEST(
        str(r, "command").starts_with((fs::path(std::getenv("SCHEDCP_E2E_BIN")) / name).string()),
        "command " << str(r, "command") << " is not from the cache's bin dir");
    return r;
}

// What a foreground `schedcp-cli run` (or `default run`) prints up to "Press Ctrl-C": the
// scheduler is loaded by then.
std::string read_start_banner(Subprocess& p, const std::string& command) {
    std::string seen;
    while (seen.find("Press Ctrl-C") == std::string::npos) {
        auto line = p.read_line(kToolTimeout);
        BOOST_REQUIRE_MESSAGE(line, command << " printed no start banner; stdout: " << seen
                                            << " stderr: " << p.stderr_text() << " kernel "
                                            << kernel_summary());
        seen += *line + "\n";
    }
    return seen;
}

// Stops a foreground `schedcp-cli run` with `sig` (SIGINT: Ctrl-C; SIGTERM: systemd): it
// must exit 0 within 60 s with sched_ext disabled. Adds the rest of its stdout to `seen`.
int stop_foreground(Subprocess& p, int sig, std::string& seen) {
    p.kill(sig);
    auto code = p.wait(60s);
    BOOST_REQUIRE_MESSAGE(code, "schedcp-cli did not exit within 60 s of signal " << sig);
    while (auto line = p.read_line(1s)) seen += *line + "\n";
    BOOST_TEST(*code == 0, "exit code " << *code << "; stdout:\n"
                                        << seen << "stderr:\n"
                                        << p.stderr_text());
    BOOST_TEST(kernel_state() == "disabled", "after signal " << sig << ": " << kernel_summary());
    return *code;
}

// create_and_verify_scheduler with a source from tests/compiler/data; it must succeed.
bj::object create_from_test_data(McpClient& c, const std::string& name, const std::string& file,
                                 const std::string& description) {
    const std::string source = schedcp::test::slurp(std::string(COMPILER_TEST_DATA) + "/" + file);
    BOOST_TEST_REQUIRE(!source.empty(), file << " is empty or missing");
    return ok(call(c, "create_and_verify_scheduler",
                   {{"name", name}, {"source_code", source}, {"description", description}}),
              "create_and_verify_scheduler " + name);
}

// The vtime scheduler as schedcp_vtime (scenarios 6 and 15).
bj::object create_vtime_scheduler(McpClient& c) {
    return create_from_test_data(c, "schedcp_vtime", "vtime_sched.bpf.c", "e2e vtime scheduler");
}

}  // namespace

// 1. The catalog sees the example schedulers installed in the runner's scheduler_paths.
BOOST_FIXTURE_TEST_CASE(s01_list_schedulers_shows_the_examples_installed, Scenario) {
    McpClient c(config());
    c.initialize();
    auto r = ok(call(c, "list_schedulers"), "list_schedulers");
    const auto& all = get(r, "schedulers").as_array();
    for (const auto& name : kExamples) {
        const bj::object* found = nullptr;
        for (const auto& s : all)
            if (s.as_object().at("name").as_string() == name) found = &s.as_object();
        BOOST_TEST_REQUIRE(found != nullptr, "list_schedulers has no entry " << name);
        BOOST_TEST(found->at("installed").as_bool(), name << " is not reported installed");
        BOOST_TEST(str(*found, "path") == bin_dir + "/" + name,
                   name << " path: " << str(*found, "path"));
    }
    BOOST_TEST(get(r, "installed_count").as_int64() >= 4);
    BOOST_TEST_MESSAGE("4 example schedulers installed in " << bin_dir << " (installed_count "
                                                            << js(r, "installed_count") << ")");
}

// 2. run_scheduler scx_simple: sched_ext enabled with ops "simple"; status shows output.
BOOST_FIXTURE_TEST_CASE(s02_run_scheduler_loads_scx_simple, Scenario) {
    McpClient c(config());
    c.initialize();
    auto seq_before = first_line(kSchedExt / "enable_seq");
    auto r = start(c, "scx_simple", "simple");
    const std::string id = str(r, "execution_id");
    BOOST_TEST(id.starts_with("sched_"), id);
    BOOST_TEST(str(r, "privilege") == "root");
    BOOST_TEST(get(r, "pid").is_int64(), "no pid: " << bj::serialize(r));
    BOOST_TEST(str(get(r, "kernel").as_object(), "state") == "enabled");
    BOOST_TEST(str(get(r, "kernel").as_object(), "ops") == "simple");
    BOOST_TEST(first_line(kSchedExt / "enable_seq") != seq_before, "enable_seq did not move");
    if (get(r, "pid").is_int64()) {
        pid_t pid = static_cast<pid_t>(get(r, "pid").as_int64());
        BOOST_TEST(alive(pid));
        BOOST_TEST(first_line("/proc/" + std::to_string(pid) + "/comm") == "scx_simple");
    }

    // scx_simple prints its counters ("local=N global=N") once a second.
    bj::object st;
    std::string output;
    auto deadline = std::chrono::steady_clock::now() + 20s;
    do {
        std::this_thread::sleep_for(500ms);
        st = ok(call(c, "get_execution_status", {{"execution_id", id}}), "get_execution_status");
        output = joined(get(st, "output").as_array());
    } while (output.find("local=") == std::string::npos &&
             std::chrono::steady_clock::now() < deadline);
    BOOST_TEST(str(st, "status") == "running", "status: " << str(st, "status"));
    BOOST_TEST(str(get(st, "kernel").as_object(), "ops") == "simple");
    BOOST_TEST(output.find("[schedcp-guard] started pid=") != std::string::npos, output);
    BOOST_TEST(output.find("local=") != std::string::npos,
               "scx_simple's counters never appeared in the output:\n"
                   << output);
    BOOST_TEST(kernel_state() == "enabled");

    auto s = ok(call(c, "stop_scheduler", {{"execution_id", id}}), "stop_scheduler");
    BOOST_TEST(str(s, "status") == "stopped");
    const auto lines = get(st, "output").as_array().size();
    BOOST_TEST_MESSAGE("scx_simple ran as " << id << "; ops=simple; output had " << lines
                                            << " lines");
}

// 3. A second run_scheduler is refused with a conflict naming 'simple'; replace swaps.
BOOST_FIXTURE_TEST_CASE(s03_second_run_conflicts_and_replace_swaps, Scenario) {
    McpClient c(config());
    c.initialize();
    auto a = start(c, "scx_simple", "simple");
    const std::string first = str(a, "execution_id");

    std::string e = error_text(call(c, "run_scheduler", {{"name", "scx_qmap"}}),
                               "run_scheduler scx_qmap while scx_simple runs");
    BOOST_TEST(e.find("sched_ext already has 'simple' loaded (state enabled), started by this "
                      "server as execution " +
                      first) == 0u,
               "conflict message: " << e);
    BOOST_TEST(kernel_ops() == "simple",
               "the refused start disturbed the kernel: " << kernel_summary());
    BOOST_TEST(scx_processes().size() == 1u, "scx_qmap was started anyway");

    auto b = ok(call(c, "run_scheduler", {{"name", "scx_qmap"}, {"replace", true}}),
                "run_scheduler scx_qmap with replace: true");
    BOOST_REQUIRE_MESSAGE(
        str(b, "status") == "running",
        "scx_qmap did not reach running: " << str(b, "message") << "; output " << js(b, "output"));
    BOOST_TEST(kernel_state() == "enabled", kernel_summary());
    BOOST_TEST(kernel_ops() == "qmap", "after replace: " << kernel_summary());
    BOOST_TEST(str(get(b, "kernel").as_object(), "ops") == "qmap");
    auto old = ok(call(c, "get_execution_status", {{"execution_id", first}}),
                  "get_execution_status of the replaced execution");
    BOOST_TEST(str(old, "status") == "stopped", "the replaced scx_simple: " << str(old, "status"));
    BOOST_TEST(bj::serialize(get(old, "stop_signals")) == R"(["SIGINT"])");
    BOOST_TEST(!alive(static_cast<pid_t>(get(a, "pid").as_int64())), "scx_simple still runs");

    auto s = ok(call(c, "stop_scheduler", {{"execution_id", get(b, "execution_id")}}),
                "stop_scheduler scx_qmap");
    BOOST_TEST(str(s, "status") == "stopped", str(s, "message"));
    BOOST_TEST(kernel_state() == "disabled", "after stopping scx_qmap: " << kernel_summary());
    BOOST_TEST_MESSAGE("conflict: " << e.substr(0, 120) << "...; replace -> ops=qmap");
}

// 4. stop_scheduler: the kernel is disabled again and the status tells how it ended.
BOOST_FIXTURE_TEST_CASE(s04_stop_scheduler_disables_and_reports_the_end, Scenario) {
    McpClient c(config());
    c.initialize();
    auto a = start(c, "scx_simple", "simple");
    const std::string id = str(a, "execution_id");
    pid_t pid = static_cast<pid_t>(get(a, "pid").as_int64());
    std::this_thread::sleep_for(1s);

    auto s = ok(call(c, "stop_scheduler", {{"execution_id", id}}), "stop_scheduler");
    BOOST_TEST(kernel_state() == "disabled", "after stop_scheduler: " << kernel_summary());
    BOOST_TEST(kernel_ops() == "<none>");
    BOOST_TEST(str(s, "status") == "stopped", "status " << str(s, "status"));
    BOOST_TEST(bj::serialize(get(s, "stop_signals")) == R"(["SIGINT"])",
               "stop_signals " << js(s, "stop_signals"));
    BOOST_TEST(get(s, "exit_code").is_int64(), "exit_code " << js(s, "exit_code"));
    if (get(s, "exit_code").is_int64()) BOOST_TEST(get(s, "exit_code").as_int64() == 0);
    BOOST_TEST(get(s, "signal").is_null(), "signal " << js(s, "signal"));
    BOOST_TEST(!get(s, "ended_at").is_null());
    BOOST_TEST(str(s, "message").find("stopped on request (SIGINT); exit code 0") == 0u,
               "message: " << str(s, "message"));
    BOOST_TEST(str(get(s, "kernel").as_object(), "state") == "disabled");
    const std::string out = joined(get(s, "output").as_array());
    BOOST_TEST(out.find("EXIT: unregistered from user space") != std::string::npos,
               "scx_simple did not report a clean unregister:\n"
                   << out);
    BOOST_TEST(!alive(pid), "scx_simple (pid " << pid << ") is still running");

    auto st = ok(call(c, "get_execution_status", {{"execution_id", id}}), "get_execution_status");
    BOOST_TEST(str(st, "status") == "stopped");
    BOOST_TEST(str(get(st, "kernel").as_object(), "state") == "disabled");
    BOOST_TEST_MESSAGE("stopped: " << str(s, "message"));
}

// 8. schedcp-cli run in the foreground, interrupted with SIGINT.
BOOST_FIXTURE_TEST_CASE(s08_cli_run_in_the_foreground_and_sigint, Scenario) {
    Subprocess p({bin("schedcp-cli"), "--config", config(), "run", "scx_simple"});
    std::string seen = read_start_banner(p, "schedcp-cli run");
    BOOST_TEST(seen.find("Started scx_simple as execution sched_") == 0u, seen);
    BOOST_TEST(kernel_state() == "enabled", kernel_summary());
    BOOST_TEST(kernel_ops() == "simple", kernel_summary());
    // Another CLI process sees what the kernel has loaded.
    auto status = run({bin("schedcp-cli"), "--config", config(), "status"}, {}, {}, 60s);
    BOOST_TEST(status.status == 0, status.err);
    BOOST_TEST(status.out.starts_with("sched_ext: enabled, scheduler 'simple' loaded"),
               "schedcp-cli status while scx_simple runs:\n"
                   << status.out);
    // Let it print a counter line or two through the CLI.
    auto until = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < until)
        if (auto line = p.read_line(500ms)) seen += *line + "\n";
    const int code = stop_foreground(p, SIGINT, seen);
    BOOST_TEST(seen.find("EXIT: unregistered from user space") != std::string::npos, seen);
    BOOST_TEST(seen.find("sched_ext is now disabled") != std::string::npos, seen);
    BOOST_TEST_MESSAGE("schedcp-cli run scx_simple + SIGINT: exit " << code << ", kernel disabled");
}

// 9. The server is SIGKILLed while scx_simple runs: the scheduler does not outlive it.
BOOST_FIXTURE_TEST_CASE(s09_server_sigkill_leaves_no_scheduler, Scenario) {
    auto c = std::make_unique<McpClient>(config());
    c->initialize();
    auto a = start(*c, "scx_simple", "simple");
    BOOST_REQUIRE_MESSAGE(get(a, "pid").is_int64(), "no pid: " << bj::serialize(a));
    pid_t pid = static_cast<pid_t>(get(a, "pid").as_int64());
    BOOST_REQUIRE(alive(pid));
    c->process().kill(SIGKILL);
    BOOST_TEST(c->process().wait(10s).value_or(-1) == 128 + SIGKILL);
    BOOST_TEST(gone_within(pid, 30s),
               "scx_simple (pid " << pid << ") outlived the SIGKILLed server by 30 s");
    BOOST_TEST(wait_for_state("disabled", 30s),
               "sched_ext not disabled 30 s after the server died: " << kernel_summary());
    c.reset();
    BOOST_TEST_MESSAGE("server SIGKILLed: scx_simple gone, sched_ext disabled");
}

// 10. A workload's history records a real execution: the runner supplies the scheduler.
BOOST_FIXTURE_TEST_CASE(s10_workload_history_with_a_real_execution, Scenario) {
    const std::string cfg = config();
    McpClient c(cfg);
    c.initialize();
    auto created = ok(call(c, "workload",
                           {{"command", "create"},
                            {"name", "e2e"},
                            {"description", "end-to-end: a busy loop on 2 vCPUs under TCG"}}),
                      "workload create");
    const std::string wid = str(created, "workload_id");

    auto a = start(c, "scx_simple", "simple", bj::array{"-f"});  // FIFO mode
    const std::string id = str(a, "execution_id");
    std::this_thread::sleep_for(1s);
    auto added = ok(call(c, "workload",
                         {{"command", "add_history"},
                          {"workload_id", wid},
                          {"execution_id", id},
                          {"result_description", "ran under scx_simple -f"},
                          {"metrics", {{"seconds", 1.0}}}}),
                    "workload add_history");
    BOOST_TEST(str(added, "message") == "Execution history added", bj::serialize(added));
    ok(call(c, "stop_scheduler", {{"execution_id", id}}), "stop_scheduler");

    auto h = ok(call(c, "workload", {{"command", "get_history"}, {"workload_id", wid}}),
                "workload get_history");
    const auto& hist = get(h, "history").as_array();
    BOOST_REQUIRE_MESSAGE(hist.size() == 1u, "history: " << bj::serialize(hist));
    const auto& e = hist[0].as_object();
    BOOST_TEST(str(e, "execution_id") == id);
    BOOST_TEST(str(e, "scheduler_name") == "scx_simple",
               "scheduler_name not filled from the runner: " << bj::serialize(e));
    BOOST_TEST(bj::serialize(get(e, "args")) == R"(["-f"])", "args: " << bj::serialize(e));
    BOOST_TEST(str(e, "result_description") == "ran under scx_simple -f");

    // The CLI reads the same store.
    c.process().close_stdin();
    BOOST_TEST(c.process().wait(30s).value_or(-1) == 0);
    auto r = run({bin("schedcp-cli"), "--config", cfg, "workload", "history", wid}, {}, {}, 60s);
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(r.out.find(id) != std::string::npos, r.out);
    BOOST_TEST(r.out.find("scx_simple") != std::string::npos, r.out);
    BOOST_TEST_MESSAGE("workload " << wid << " history: " << id << " scx_simple [-f]");
}

// Beyond the numbered scenarios: each example scheduler loads, the kernel reports the ops
// name the runner expects of it (the catalog's), and it unloads cleanly on stop.
BOOST_FIXTURE_TEST_CASE(s11_each_example_scheduler_loads_and_unloads, Scenario) {
    McpClient c(config());
    c.initialize();
    std::string summary;
    for (const auto& name : kExamples) {
        const std::string ops = name.substr(4);
        auto a = start(c, name, ops);
        BOOST_TEST(str(a, "expected_ops") == ops);
        auto s = ok(call(c, "stop_scheduler", {{"execution_id", get(a, "execution_id")}}),
                    "stop_scheduler " + name);
        BOOST_TEST(str(s, "status") == "stopped", name << ": " << str(s, "message"));
        // scx_central of linux-source 6.12.117 unregisters cleanly on SIGINT ("EXIT:
        // unregistered from user space"), then aborts in its own teardown (glibc: "free():
        // invalid pointer", a bug of the example, also with schedcp as it was before this
        // suite's hardening). The kernel side, which is what schedcp is responsible for, is
        // checked below; the abort is reported as it is, and named, not hidden.
        const std::string output = js(s, "output");
        const bool known_teardown_abort =
            name == "scx_central" && js(s, "signal") == "\"SIGABRT\"" &&
            output.find("EXIT: unregistered from user space") != std::string::npos &&
            output.find("free(): invalid pointer") != std::string::npos;
        if (known_teardown_abort)
            BOOST_TEST_MESSAGE(name << ": unregistered, then aborted in its own teardown "
                                       "(known bug of the example: free(): invalid pointer)");
        else
            BOOST_TEST(js(s, "exit_code") == "0",
                       name << ": " << str(s, "message") << "; output: " << output);
        BOOST_TEST(wait_for_state("disabled", 15s), name << " stopped: " << kernel_summary());
        summary +=
            (summary.empty() ? "" : ", ") + name + " ops=" + ops + " (" + str(s, "message") + ")";
    }
    BOOST_TEST_MESSAGE(summary);
}

// Beyond the numbered scenarios: a scheduler loaded by someone else (started here directly,
// not through schedcp) is refused, named, and left alone, even with replace: true.
BOOST_FIXTURE_TEST_CASE(s12_a_foreign_scheduler_is_refused_and_left_alone, Scenario) {
    Subprocess foreign({bin_dir + "/scx_simple"});
    BOOST_REQUIRE_MESSAGE(
        wait_for_state("enabled", 60s),
        "scx_simple started directly did not load: " << kernel_summary() << foreign.stderr_text());
    McpClient c(config());
    c.initialize();
    for (bool replace : {false, true}) {
        std::string e =
            error_text(call(c, "run_scheduler", {{"name", "scx_qmap"}, {"replace", replace}}),
                       std::string("run_scheduler scx_qmap over a foreign scx_simple, replace ") +
                           (replace ? "true" : "false"));
        BOOST_TEST(e.find("sched_ext already has 'simple' loaded (state enabled), not started "
                          "by this server") == 0u,
                   "replace " << replace << ": " << e);
    }
    BOOST_TEST(kernel_ops() == "simple",
               "the foreign scheduler was disturbed: " << kernel_summary());
    BOOST_TEST(alive(foreign.pid()), "the foreign scx_simple was stopped");
    BOOST_TEST(
        get(ok(call(c, "list_executions"), "list_executions"), "executions").as_array().empty());
    foreign.kill(SIGINT);
    BOOST_TEST(foreign.wait(30s).value_or(-1) == 0);
    BOOST_TEST_MESSAGE("foreign scx_simple refused (replace false and true) and left loaded");
}

// Beyond the numbered scenarios: a scheduler killed behind the server's back is reported
// as failed, with the signal, and the kernel (which unloads it on its own) as disabled.
BOOST_FIXTURE_TEST_CASE(s13_a_scheduler_killed_behind_the_servers_back_is_reported, Scenario) {
    McpClient c(config());
    c.initialize();
    auto a = start(c, "scx_simple", "simple");
    const std::string id = str(a, "execution_id");
    pid_t pid = static_cast<pid_t>(get(a, "pid").as_int64());
    ::kill(pid, SIGKILL);
    BOOST_TEST(gone_within(pid, 10s));
    BOOST_TEST(wait_for_state("disabled", 30s), "after SIGKILL: " << kernel_summary());
    bj::object st;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    do {
        std::this_thread::sleep_for(200ms);
        st = ok(call(c, "get_execution_status", {{"execution_id", id}}), "get_execution_status");
    } while (str(st, "status") == "running" && std::chrono::steady_clock::now() < deadline);
    BOOST_TEST(str(st, "status") == "failed",
               "status " << str(st, "status") << ": " << str(st, "message"));
    BOOST_TEST(str(st, "signal") == "SIGKILL", "signal " << js(st, "signal"));
    BOOST_TEST(str(st, "message").find("ended unexpectedly; killed by SIGKILL") == 0u,
               str(st, "message"));
    BOOST_TEST(str(get(st, "kernel").as_object(), "state") == "disabled");
    // The slot is free again: a new run starts without replace.
    auto b = start(c, "scx_simple", "simple");
    ok(call(c, "stop_scheduler", {{"execution_id", get(b, "execution_id")}}), "stop_scheduler");
    BOOST_TEST_MESSAGE("killed behind its back: " << str(st, "message"));
}

// 5. system_monitor across a run: schedstat and run-queue latency are present and non-zero
//    on this kernel, and the summary names the live execution and the ops it saw.
BOOST_FIXTURE_TEST_CASE(s05_system_monitor_across_a_run, Scenario) {
    McpClient c(config());
    c.initialize();
    auto r = start(c, "scx_simple", "simple");
    ok(call(c, "system_monitor", {{"command", "start"}, {"interval_ms", 500}}),
       "system_monitor start");
    // Something to schedule: a few short-lived processes while it samples.
    for (int i = 0; i < 20; ++i) run({"/bin/true"}, {}, {}, 30s);
    std::this_thread::sleep_for(3s);
    auto stopped = ok(call(c, "system_monitor", {{"command", "stop"}}), "system_monitor stop");
    const auto& s = get(stopped, "summary").as_object();
    BOOST_TEST(get(s, "sample_count").as_int64() >= 2);
    const auto& ss = get(s, "schedstat").as_object();
    BOOST_TEST_REQUIRE(get(ss, "available").as_bool(),
                       "schedstat not available: " << bj::serialize(ss));
    BOOST_TEST(get(get(ss, "timeslices_per_sec").as_object(), "avg").to_number<double>() > 0.0,
               "schedstat timeslices: " << bj::serialize(ss));
    BOOST_TEST(get(get(ss, "run_time_ms_per_sec").as_object(), "avg").to_number<double>() > 0.0);
    // SchedCP's summary.scheduler, from the same counters over the whole window.
    const auto& sched = get(s, "scheduler").as_object();
    BOOST_TEST_REQUIRE(get(sched, "available").as_bool(), bj::serialize(sched));
    BOOST_TEST(get(sched, "total_timeslices").to_number<std::uint64_t>() > 0u);
    BOOST_TEST(get(sched, "avg_run_time_ns").to_number<std::uint64_t>() > 0u);
    const auto& rq = get(s, "runqlat").as_object();
    BOOST_TEST_REQUIRE(get(rq, "available").as_bool(),
                       "runqlat not available: " << bj::serialize(rq));
    BOOST_TEST(get(rq, "count").to_number<std::uint64_t>() > 0u);
    BOOST_TEST(get(rq, "p99_us").to_number<double>() > 0.0);
    BOOST_TEST(str(get(s, "execution").as_object(), "execution_id") == str(r, "execution_id"));
    BOOST_TEST(bj::serialize(get(get(s, "sched_ext").as_object(), "ops_seen")) == R"(["simple"])");
    // Linux 6.12 has no root/events: said so, with the reason, not zeros.
    const auto& events = get(get(s, "sched_ext").as_object(), "events").as_object();
    if (!fs::exists(kSchedExt / "root" / "events")) {
        BOOST_TEST(!get(events, "available").as_bool(), bj::serialize(events));
        BOOST_TEST(str(events, "reason").find("no sched_ext event counters") != std::string::npos,
                   bj::serialize(events));
    } else {
        BOOST_TEST(get(events, "available").as_bool(), bj::serialize(events));
    }
    ok(call(c, "stop_scheduler", {{"execution_id", get(r, "execution_id")}}), "stop_scheduler");
    BOOST_TEST_MESSAGE("runqlat " << js(rq, "count") << " waits, p99 " << js(rq, "p99_us")
                                  << " us; schedstat " << js(ss, "version"));
}

// 6. A scheduler written for the test (scx style, several callbacks, a map) is compiled and
//    verified by this kernel, then listed and run through run_scheduler with its own ops.
BOOST_FIXTURE_TEST_CASE(s06_create_and_verify_then_run_a_custom_scheduler, Scenario) {
    McpClient c(config());
    c.initialize();
    auto r = create_vtime_scheduler(c);
    BOOST_TEST(get(r, "compiled").as_bool());
    BOOST_TEST(get(r, "verified").as_bool(), "not verified: " << bj::serialize(r).substr(0, 2000));
    BOOST_TEST(get(r, "registered").as_bool());
    BOOST_TEST(kernel_state() == "disabled");  // verification detached it again
    auto list = ok(call(c, "list_schedulers", {{"name", "schedcp_vtime"}}), "list_schedulers");
    BOOST_TEST_REQUIRE(get(list, "count").as_int64() == 1);
    const auto& entry = get(list, "schedulers").at(0).as_object();
    BOOST_TEST(get(entry, "custom").as_bool());
    BOOST_TEST(get(entry, "installed").as_bool());
    auto run_r =
        ok(call(c, "run_scheduler", {{"name", "schedcp_vtime"}}), "run_scheduler schedcp_vtime");
    BOOST_TEST_REQUIRE(str(run_r, "status") == "running",
                       "status " << str(run_r, "status") << ": " << str(run_r, "message"));
    BOOST_TEST(kernel_state() == "enabled");
    BOOST_TEST(kernel_ops() == "schedcp_vtime");
    auto stopped = ok(call(c, "stop_scheduler", {{"execution_id", get(run_r, "execution_id")}}),
                      "stop_scheduler");
    BOOST_TEST(str(stopped, "status") == "stopped");
}

// 7. A scheduler the verifier must reject (a map value used without a NULL check) comes
//    back as an error carrying the verifier's explanation, and is not registered.
BOOST_FIXTURE_TEST_CASE(s07_verifier_rejection_is_explained, Scenario) {
    McpClient c(config());
    c.initialize();
    const std::string source =
        schedcp::test::slurp(std::string(COMPILER_TEST_DATA) + "/verifier_reject.bpf.c");
    BOOST_TEST_REQUIRE(!source.empty());
    std::string e = error_text(call(c, "create_and_verify_scheduler",
                                    {{"name", "schedcp_reject"}, {"source_code", source}}),
                               "create_and_verify_scheduler of a bad scheduler");
    BOOST_TEST(e.find("map_value_or_null") != std::string::npos,
               "no verifier explanation in: " << e.substr(0, 2000));
    auto list = ok(call(c, "list_schedulers", {{"name", "schedcp_reject"}}), "list_schedulers");
    BOOST_TEST(get(list, "count").as_int64() == 0);
}

// 14. get_system_info follows sched_ext: present and disabled, then enabled with ops
//     "simple" while scx_simple runs, enable_seq one higher; the topology is the VM's.
BOOST_FIXTURE_TEST_CASE(s14_get_system_info_follows_sched_ext, Scenario) {
    McpClient c(config());
    c.initialize();
    auto before = ok(call(c, "get_system_info"), "get_system_info before");
    const auto& se0 = get(before, "sched_ext").as_object();
    BOOST_TEST(get(se0, "present").as_bool());
    BOOST_TEST(str(se0, "state") == "disabled");
    BOOST_TEST(get(se0, "ops").is_null(), js(se0, "ops"));
    const auto seq0 = get(se0, "enable_seq").to_number<std::uint64_t>();
    BOOST_TEST(get(get(before, "cpu").as_object(), "logical_cpus").to_number<long>() ==
               ::sysconf(_SC_NPROCESSORS_ONLN));
    auto r = start(c, "scx_simple", "simple");
    auto during = ok(call(c, "get_system_info"), "get_system_info while scx_simple runs");
    const auto& se1 = get(during, "sched_ext").as_object();
    BOOST_TEST(str(se1, "state") == "enabled", bj::serialize(se1));
    BOOST_TEST(str(se1, "ops") == "simple", bj::serialize(se1));
    BOOST_TEST(get(se1, "enable_seq").to_number<std::uint64_t>() == seq0 + 1, bj::serialize(se1));
    BOOST_TEST(str(se1, "enable_seq") == first_line(kSchedExt / "enable_seq"));
    // The installed example schedulers are listed (their --version may fail: the kernel's
    // examples have no such option, and that is reported, not fatal).
    const auto& installed = get(get(during, "schedulers").as_object(), "installed").as_array();
    BOOST_TEST(installed.size() >= 4u, js(get(during, "schedulers").as_object(), "installed"));
    ok(call(c, "stop_scheduler", {{"execution_id", get(r, "execution_id")}}), "stop_scheduler");
    BOOST_TEST(wait_for_state("disabled", 15s));
    BOOST_TEST_MESSAGE("get_system_info: sched_ext disabled -> enabled (ops simple), enable_seq "
                       << seq0 << " -> " << str(se1, "enable_seq") << "; events "
                       << js(se1, "events"));
}

// 15. evaluate_scheduler on the real kernel: hackbench (rt-tests, from the host's root file
//     system) under the kernel's own scheduler, scx_simple and a custom scheduler compiled in
//     this run (the vtime scheduler of scenario 6), 3 counted runs each after a warm-up
//     round. Every figure is checked against the runs it summarises, sched_ext is disabled
//     afterwards, and the counted runs are in the workload's history.
BOOST_FIXTURE_TEST_CASE(s15_evaluate_scheduler_with_hackbench, Scenario) {
    McpClient c(config());
    c.initialize();
    auto compiled = create_vtime_scheduler(c);
    BOOST_TEST_REQUIRE(get(compiled, "registered").as_bool(), bj::serialize(compiled));
    const std::string wid = str(ok(call(c, "workload",
                                        {{"command", "create"},
                                         {"name", "e2e-hackbench"},
                                         {"description", "hackbench -g 2 -l 50 on 2 vCPUs (TCG)"}}),
                                   "workload create"),
                                "workload_id");

    const std::vector<std::string> labels = {"default", "scx_simple", "schedcp_vtime"};
    constexpr int kRepeats = 3;
    bj::array schedulers;
    for (const auto& l : labels) schedulers.push_back(bj::string(l));
    // 12 runs, 8 scheduler loads under TCG: more than one ordinary tool call's timeout.
    auto response = c.request(
        "tools/call",
        bj::object{{"name", "evaluate_scheduler"},
                   {"arguments", bj::object{{"benchmark", "hackbench"},
                                            {"params", bj::object{{"groups", 2}, {"loops", 50}}},
                                            {"schedulers", std::move(schedulers)},
                                            {"repeats", kRepeats},
                                            {"warmup", 1},
                                            {"settle_ms", 200},
                                            {"workload_id", wid}}}},
        240s);
    const auto& r = ok(response, "evaluate_scheduler");
    BOOST_TEST(kernel_state() == "disabled", "after the evaluation: " << kernel_summary());
    BOOST_TEST(str(r, "state") == "completed", "state " << str(r, "state") << ": " << js(r, "error")
                                                        << "; failed " << js(r, "failed_runs"));
    BOOST_TEST(str(r, "sched_ext_after") == "nothing loaded, as before");
    BOOST_TEST(str(r, "baseline") == "default");
    BOOST_TEST(get(r, "failed_runs").as_array().empty(), js(r, "failed_runs"));
    BOOST_TEST(str(get(r, "workload").as_object(), "source") == "parser");

    // Each configuration's figures agree with its counted runs.
    const auto& runs = get(r, "runs").as_array();
    BOOST_TEST(runs.size() == labels.size() * (kRepeats + 1));
    const auto& configs = get(r, "configurations").as_array();
    BOOST_TEST_REQUIRE(configs.size() == labels.size());
    std::string figures;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        const auto& conf = configs[i].as_object();
        const std::string label = str(conf, "label");
        BOOST_TEST(label == labels[i]);
        std::vector<double> from_runs;
        for (const auto& run : runs) {
            const auto& o = run.as_object();
            if (str(o, "configuration") == label && get(o, "counted").as_bool() &&
                get(o, "ok").as_bool())
                from_runs.push_back(get(o, "figure").to_number<double>());
        }
        std::vector<double> values;
        for (const auto& v : get(conf, "values").as_array())
            values.push_back(v.to_number<double>());
        BOOST_TEST(values == from_runs, label << ": values " << js(conf, "values"));
        BOOST_TEST(get(conf, "n").as_int64() == kRepeats, label);
        BOOST_TEST_REQUIRE(values.size() == std::size_t(kRepeats), label);
        const double mean = get(conf, "mean").to_number<double>();
        const double lo = get(conf, "min").to_number<double>();
        const double hi = get(conf, "max").to_number<double>();
        for (double v : values) BOOST_TEST(v > 0.0, label << ": figure " << v);
        BOOST_TEST(lo == *std::min_element(values.begin(), values.end()), label);
        BOOST_TEST(hi == *std::max_element(values.begin(), values.end()), label);
        BOOST_TEST((lo <= mean && mean <= hi),
                   label << ": mean " << mean << " outside " << lo << " .. " << hi);
        // What the monitor saw while the counted runs ran (BPF and /proc/stat on the real
        // kernel): present and plausible.
        const auto& rq = get(conf, "run_queue_latency").as_object();
        const auto& cpu = get(conf, "cpu").as_object();
        BOOST_TEST_REQUIRE(get(rq, "available").as_bool(), label << ": " << bj::serialize(rq));
        BOOST_TEST_REQUIRE(get(cpu, "available").as_bool(), label << ": " << bj::serialize(cpu));
        const double p50 = get(rq, "p50_us").to_number<double>();
        const double p99 = get(rq, "p99_us").to_number<double>();
        const double pct = get(cpu, "percent").to_number<double>();
        BOOST_TEST(get(rq, "runs").as_int64() == kRepeats, label);
        BOOST_TEST(get(rq, "count").to_number<std::uint64_t>() > 0u, label);
        BOOST_TEST(p50 <= p99, label << ": p50 " << p50 << " > p99 " << p99);
        BOOST_TEST(p99 <= get(rq, "max_us").to_number<double>(), label);
        BOOST_TEST((pct > 0.0 && pct <= 100.0), label << ": CPU " << pct << " %");
        figures +=
            "\n  " + label + ": mean " + std::to_string(mean) + " s, min " + std::to_string(lo) +
            ", max " + std::to_string(hi) + ", values " + js(conf, "values") +
            (conf.contains("verdict") ? "; " + str(conf, "verdict") : std::string()) +
            "; run-queue latency p50 " + std::to_string(p50) + " us, p99 " + std::to_string(p99) +
            " us over " + js(rq, "count") + " waits; CPU " + std::to_string(pct) + " %";
    }
    // Every scheduler really ran: its runs carry the runner's execution (sched_ for the
    // catalog's, custom_ for the compiled one); the kernel's own runs have none.
    for (const auto& run : runs) {
        const auto& o = run.as_object();
        const std::string conf = str(o, "configuration"), id = str(o, "execution_id");
        const std::string prefix = conf == "schedcp_vtime" ? "custom_" : "sched_";
        BOOST_TEST((conf == "default" ? id.empty() : id.starts_with(prefix)), bj::serialize(o));
    }

    auto h = ok(call(c, "workload", {{"command", "get_history"}, {"workload_id", wid}}),
                "workload get_history");
    const auto& hist = get(h, "history").as_array();
    BOOST_TEST(hist.size() == labels.size() * kRepeats, "history: " << bj::serialize(hist));
    for (const auto& l : labels) {
        const auto n = std::count_if(hist.begin(), hist.end(), [&](const bj::value& e) {
            return str(e.as_object(), "scheduler_name") == l;
        });
        BOOST_TEST(n == kRepeats,
                   l << " in the history " << n << " times: " << bj::serialize(hist));
    }
    BOOST_TEST_MESSAGE("hackbench -g 2 -l 50, " << kRepeats << " runs each (seconds):" << figures
                                                << "\n  best " << str(r, "best") << "; "
                                                << str(r, "verdict") << "; history " << hist.size()
                                                << " entries in " << wid);
}

namespace {

// A child process named "scxstall" that stays runnable (it yields in a loop): the stalling
// scheduler never dispatches it, so the kernel's watchdog ejects that scheduler.
class StallingTask {
  public:
    StallingTask() {
        pid_ = ::fork();
        BOOST_REQUIRE_MESSAGE(pid_ >= 0, "fork failed");
        if (pid_ == 0) {
            ::prctl(PR_SET_NAME, "scxstall", 0, 0, 0);
            for (;;) ::sched_yield();
        }
    }
    ~StallingTask() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    StallingTask(const StallingTask&) = delete;
    StallingTask& operator=(const StallingTask&) = delete;

  private:
    pid_t pid_ = -1;
};

double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

// Issue 16: a custom scheduler that never dispatches one runnable task (timeout_ms 1000) is
// ejected by the kernel's watchdog; get_execution_status names the kernel's reason within
// 2 s of the kernel logging it, and the run's fallback (scx_simple) is what the kernel runs.
BOOST_FIXTURE_TEST_CASE(s16_a_stalling_scheduler_is_ejected_and_falls_back, Scenario) {
    McpClient c(config());
    c.initialize();
    auto created = create_from_test_data(c, "schedcp_stall", "stall_sched.bpf.c",
                                         "e2e: stalls tasks named scxstall");
    BOOST_TEST_REQUIRE(get(created, "registered").as_bool(), bj::serialize(created));
    auto a = ok(call(c, "run_scheduler",
                     {{"name", "schedcp_stall"},
                      {"on_failure", "fallback"},
                      {"fallback", {{"name", "scx_simple"}}}}),
                "run_scheduler schedcp_stall");
    BOOST_TEST_REQUIRE(str(a, "status") == "running",
                       "status " << str(a, "status") << ": " << str(a, "message"));
    BOOST_TEST_REQUIRE(kernel_ops() == "schedcp_stall", kernel_summary());
    const std::string id = str(a, "execution_id");

    std::optional<StallingTask> stall(std::in_place);
    // Poll until the execution has the kernel's reason; note when it was first seen.
    bj::object st;
    double seen_at = 0;
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
        st = ok(call(c, "get_execution_status", {{"execution_id", id}}), "get_execution_status");
        if (st.contains("kernel_message") && get(st, "kernel_message").is_string()) {
            seen_at = unix_now();
            stall.reset();  // ejected: it is no longer needed, and it spins on a vCPU
            break;
        }
        std::this_thread::sleep_for(100ms);
    }
    BOOST_TEST_REQUIRE(seen_at > 0, "no kernel_message within 60 s: " << bj::serialize(st));
    // Seen while the scheduler's process may still be ending: the kernel's word comes first.
    BOOST_TEST(str(st, "exit_kind") == "ERROR_STALL", "exit_kind " << js(st, "exit_kind"));
    BOOST_TEST(str(st, "exit_reason") == "runnable task stall", js(st, "exit_reason"));
    BOOST_TEST(str(st, "kernel_message") ==
               "sched_ext: BPF scheduler \"schedcp_stall\" disabled (runnable task stall)");
    BOOST_TEST(str(st, "exit_message").find("scxstall[") != std::string::npos,
               "exit_message " << js(st, "exit_message"));
    const double logged_at = get(st, "kernel_message_at").to_number<double>();
    BOOST_TEST(seen_at - logged_at <= 2.0, "the kernel logged the ejection at "
                                               << logged_at << ", reported " << seen_at - logged_at
                                               << " s later");

    // The process ends too, and the execution is a failure, not an orderly exit.
    deadline = std::chrono::steady_clock::now() + 30s;
    while (get(st, "ended_at").is_null() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(100ms);
        st = ok(call(c, "get_execution_status", {{"execution_id", id}}), "get_execution_status");
    }
    BOOST_TEST(str(st, "status") == "failed",
               "status " << str(st, "status") << ": " << str(st, "message"));
    BOOST_TEST(str(st, "message").starts_with("ejected by the kernel: runnable task stall"),
               str(st, "message"));

    // The fallback: scx_simple, enabled in the kernel.
    bj::object fb;
    deadline = std::chrono::steady_clock::now() + 90s;
    while (std::chrono::steady_clock::now() < deadline) {
        st = ok(call(c, "get_execution_status", {{"execution_id", id}}), "get_execution_status");
        const auto& p = get(st, "failure_policy").as_object();
        if (str(p, "state") == "fell_back" && str(p, "current_execution_id") != id) {
            fb = ok(
                call(c, "get_execution_status", {{"execution_id", get(p, "current_execution_id")}}),
                "get_execution_status of the fallback");
            if (str(fb, "status") != "starting") break;
        }
        std::this_thread::sleep_for(200ms);
    }
    BOOST_TEST_REQUIRE(str(fb, "status") == "running", "fallback: " << bj::serialize(fb)
                                                                    << "; policy "
                                                                    << js(st, "failure_policy"));
    BOOST_TEST(str(fb, "name") == "scx_simple");
    BOOST_TEST(kernel_state() == "enabled", kernel_summary());
    BOOST_TEST(kernel_ops() == "simple", kernel_summary());
    auto s = ok(call(c, "stop_scheduler", {{"execution_id", id}}), "stop_scheduler");
    BOOST_TEST(str(s, "name") == "scx_simple");
    BOOST_TEST(str(s, "status") == "stopped");
    BOOST_TEST_MESSAGE("ejected: " << str(st, "kernel_message") << "; reported "
                                   << seen_at - logged_at << " s after; fallback scx_simple ran");
}

// Issue 16: a switch (replace: true) to a scheduler that fails at once rolls back to the one
// that ran. scx_central -c 99 loads its BPF program, then cannot pin itself to CPU 99 (the
// guest has no such CPU: "Failed to affinitize to central CPU 99") and exits before it
// attaches: it never reaches enabled.
BOOST_FIXTURE_TEST_CASE(s17_a_switch_to_a_failing_scheduler_rolls_back, Scenario) {
    McpClient c(config());
    c.initialize();
    auto a = start(c, "scx_simple", "simple", bj::array{"-f"});
    auto b = ok(call(c, "run_scheduler",
                     {{"name", "scx_central"}, {"args", {"-c", "99"}}, {"replace", true}}),
                "run_scheduler scx_central -c 99, replace");
    BOOST_TEST(str(b, "status") == "failed",
               "status " << str(b, "status") << ": " << str(b, "message"));
    BOOST_TEST_REQUIRE(b.contains("rollback"), "no rollback: " << bj::serialize(b));
    const auto& rb = get(b, "rollback").as_object();
    BOOST_TEST(str(rb, "restored_status") == "running", bj::serialize(rb));
    BOOST_TEST(str(b, "message").ends_with("; rolled back to scx_simple (running)"),
               str(b, "message"));
    BOOST_TEST(kernel_state() == "enabled", kernel_summary());
    BOOST_TEST(kernel_ops() == "simple", kernel_summary());
    auto restored =
        ok(call(c, "get_execution_status", {{"execution_id", get(rb, "restored_execution_id")}}),
           "get_execution_status of the restored one");
    BOOST_TEST(str(restored, "status") == "running");
    BOOST_TEST(bj::serialize(get(restored, "args")) == R"(["-f"])");
    BOOST_TEST(str(restored, "execution_id") != str(a, "execution_id"));
    ok(call(c, "stop_scheduler", {{"execution_id", get(rb, "restored_execution_id")}}),
       "stop_scheduler");
    BOOST_TEST_MESSAGE("switch to scx_central -c 99: " << str(b, "message"));
}

// Issue 16: the boot default. `schedcp-cli default set scx_simple -- -f`, then `schedcp-cli
// default run` (what schedcp-default.service runs at boot) loads it; SIGTERM (what systemd
// sends on stop) unloads it cleanly.
BOOST_FIXTURE_TEST_CASE(s18_default_run_starts_the_boot_default, Scenario) {
    const std::string cfg = config();
    auto set =
        run({bin("schedcp-cli"), "--config", cfg, "default", "set", "scx_simple", "--", "-f"}, {},
            {}, 60s);
    BOOST_TEST_REQUIRE(set.status == 0, set.out << set.err);
    BOOST_TEST(set.out == "boot default set: scx_simple -- -f\n", set.out);
    Subprocess p({bin("schedcp-cli"), "--config", cfg, "default", "run"});
    std::string seen = read_start_banner(p, "schedcp-cli default run");
    BOOST_TEST(seen.find("Started scx_simple as execution sched_") == 0u, seen);
    BOOST_TEST(kernel_state() == "enabled", kernel_summary());
    BOOST_TEST(kernel_ops() == "simple", kernel_summary());
    const int code = stop_foreground(p, SIGTERM, seen);
    BOOST_TEST(seen.find("sched_ext is now disabled") != std::string::npos, seen);
    BOOST_TEST_MESSAGE("default run: scx_simple -f loaded; SIGTERM: exit " << code
                                                                           << ", kernel disabled");
}

// Issue 16: a scheduler that fails on every start, run with on_failure: restart, is started
// again with backoff until the burst limit and then left alone: "gave up after 3 failures in
// 600 s". scx_central -c 99 loads its BPF program and exits before attaching (the guest has no
// CPU 99), so the kernel never enables it (enable_seq stays as it was) and nothing is left.
BOOST_FIXTURE_TEST_CASE(s19_a_scheduler_failing_every_start_gives_up_after_the_burst_limit,
                        Scenario) {
    McpClient c(
        config("      restart_backoff_ms: 200\n      restart_backoff_max_ms: 400\n"
               "      restart_burst: 3\n      restart_burst_seconds: 600\n"));
    c.initialize();
    const std::string enable_seq = first_line(kSchedExt / "enable_seq");
    auto a = ok(call(c, "run_scheduler",
                     {{"name", "scx_central"}, {"args", {"-c", "99"}}, {"on_failure", "restart"}}),
                "run_scheduler scx_central -c 99, on_failure restart");
    BOOST_TEST(str(a, "status") == "failed",
               "status " << str(a, "status") << ": " << str(a, "message"));
    const std::string id = str(a, "execution_id");

    // Wait for the policy's end: it gives up, it never goes on.
    bj::object st, p;
    auto deadline = std::chrono::steady_clock::now() + 300s;
    while (std::chrono::steady_clock::now() < deadline) {
        st = ok(call(c, "get_execution_status", {{"execution_id", id}}), "get_execution_status");
        p = get(st, "failure_policy").as_object();
        if (str(p, "state") == "gave_up") break;
        std::this_thread::sleep_for(200ms);
    }
    BOOST_TEST_REQUIRE(str(p, "state") == "gave_up", "policy: " << bj::serialize(p));
    std::vector<std::string> events;
    for (const auto& h : get(p, "history").as_array())
        events.emplace_back(get(h.as_object(), "event").as_string());
    const std::vector<std::string> want{"failed",     "restarting", "restarted", "failed",
                                        "restarting", "restarted",  "failed",    "gave_up"};
    BOOST_TEST(events == want, boost::test_tools::per_element());
    const auto& history = get(p, "history").as_array();
    BOOST_TEST(str(history.at(1).as_object(), "detail") == "in 200 ms");
    BOOST_TEST(str(history.at(4).as_object(), "detail") == "in 400 ms");
    BOOST_TEST(str(history.back().as_object(), "detail") == "gave up after 3 failures in 600 s");

    // Three attempts, each its own failed execution; the last one says it gave up.
    const auto& ids = get(p, "execution_ids").as_array();
    BOOST_TEST_REQUIRE(ids.size() == 3u, bj::serialize(p));
    for (const auto& each : ids) {
        auto e = ok(call(c, "get_execution_status", {{"execution_id", each}}),
                    "get_execution_status of an attempt");
        BOOST_TEST(str(e, "status") == "failed", str(e, "execution_id")
                                                     << ": " << str(e, "message"));
        BOOST_TEST(str(e, "name") == "scx_central");
    }
    auto last = ok(call(c, "get_execution_status", {{"execution_id", ids.at(2)}}),
                   "get_execution_status of the last attempt");
    BOOST_TEST(str(last, "message").ends_with("; gave up after 3 failures in 600 s"),
               str(last, "message"));
    // Nothing more was started after giving up, and the kernel never ran it.
    auto listed = ok(call(c, "list_executions"), "list_executions");
    BOOST_TEST(get(listed, "executions").as_array().size() == 3u);
    BOOST_TEST(kernel_state() == "disabled", kernel_summary());
    BOOST_TEST(first_line(kSchedExt / "enable_seq") == enable_seq, kernel_summary());
    BOOST_TEST(scx_processes().empty(), describe(scx_processes()));
    const std::string log = server_log();
    BOOST_TEST(log.find("gave up after 3 failures in 600 s, not restarting it") !=
               std::string::npos);
    BOOST_TEST_MESSAGE("scx_central -c 99 with on_failure restart: " << str(last, "message"));
}

// Issues 16/17: who is in charge, from the kernel's facts. scx_simple started directly (not
// by schedcp) holds a struct_ops BPF link: get_system_info names it "someone else" with its
// pid and command, run_scheduler refuses naming the pid, and `schedcp-cli status` says the
// same. Then a `schedcp-cli run` is seen from another schedcp process as "another schedcp
// process", with its pid and its guard.
BOOST_FIXTURE_TEST_CASE(s20_the_manager_in_charge_is_found_from_the_bpf_link, Scenario) {
    const std::string cfg = config();
    {
        Subprocess foreign({bin_dir + "/scx_simple"});
        BOOST_REQUIRE_MESSAGE(wait_for_state("enabled", 60s),
                              "scx_simple started directly did not load: "
                                  << kernel_summary() << foreign.stderr_text());
        McpClient c(cfg);
        c.initialize();
        auto info = ok(call(c, "get_system_info"), "get_system_info");
        const auto& m = get(info, "manager").as_object();
        BOOST_TEST(str(m, "kind") == "other", bj::serialize(m));
        BOOST_TEST(str(m, "evidence") == "bpf_link", bj::serialize(m));
        BOOST_TEST_REQUIRE(m.contains("holder"), bj::serialize(m));
        BOOST_TEST(get(get(m, "holder").as_object(), "pid").as_int64() == foreign.pid(),
                   bj::serialize(m));
        BOOST_TEST(str(get(m, "holder").as_object(), "command") == bin_dir + "/scx_simple",
                   bj::serialize(m));
        const std::string e = error_text(call(c, "run_scheduler", {{"name", "scx_qmap"}}),
                                         "run_scheduler over a foreign scx_simple");
        BOOST_TEST(e.find("not started by this server; in charge: someone else: 'simple' is held "
                          "by pid " +
                          std::to_string(foreign.pid())) != std::string::npos,
                   e);
        auto status = run({bin("schedcp-cli"), "--config", cfg, "status"}, {}, {}, 60s);
        BOOST_TEST(status.out.find("in charge: someone else: 'simple' is held by pid " +
                                   std::to_string(foreign.pid())) != std::string::npos,
                   status.out);
        BOOST_TEST(kernel_ops() == "simple", "the foreign scheduler was disturbed");
        BOOST_TEST_MESSAGE("foreign: " << str(m, "summary") << "; scan " << js(m, "scan"));
        foreign.kill(SIGINT);
        BOOST_TEST(foreign.wait(30s).value_or(-1) == 0);
    }
    BOOST_REQUIRE(wait_for_state("disabled", 30s));
    Subprocess p({bin("schedcp-cli"), "--config", cfg, "run", "scx_simple"});
    std::string seen = read_start_banner(p, "schedcp-cli run");
    auto status = run({bin("schedcp-cli"), "--config", cfg, "status", "--json"}, {}, {}, 60s);
    BOOST_TEST_REQUIRE(status.status == 0, status.err);
    const auto m = bj::parse(status.out).at("manager").as_object();
    BOOST_TEST(str(m, "kind") == "schedcp", bj::serialize(m));
    BOOST_TEST_REQUIRE(m.contains("owner"), bj::serialize(m));
    BOOST_TEST(get(get(m, "owner").as_object(), "pid").as_int64() == p.pid(), bj::serialize(m));
    BOOST_TEST(str(get(m, "guard").as_object(), "comm") == "schedcp-guard", bj::serialize(m));
    BOOST_TEST_MESSAGE("schedcp-cli run seen from another process: " << str(m, "summary"));
    stop_foreground(p, SIGINT, seen);
}

// Issue 16: `schedcp-cli switch` from a scheduler another schedcp process runs (a
// `schedcp-cli run scx_simple -- -f`, as the boot-default unit's `default run` would) to a
// broken one (scx_central -c 99 exits before it attaches) ends that run, fails, and starts
// scx_simple -f again in the switching process; both outcomes are printed.
BOOST_FIXTURE_TEST_CASE(s21_a_cli_switch_to_a_broken_scheduler_rolls_back, Scenario) {
    const std::string cfg = config();
    Subprocess a({bin("schedcp-cli"), "--config", cfg, "run", "scx_simple", "--", "-f"});
    read_start_banner(a, "schedcp-cli run");
    BOOST_TEST_REQUIRE(kernel_ops() == "simple", kernel_summary());
    const auto seq_before = std::stoull(first_line(kSchedExt / "enable_seq"));
    Subprocess b({bin("schedcp-cli"), "--config", cfg, "switch", "scx_central", "--", "-c", "99"});
    std::string seen = read_start_banner(b, "schedcp-cli switch");
    BOOST_TEST(seen.find("Stopping scx_simple -- -f (pid " + std::to_string(a.pid())) == 0u, seen);
    BOOST_TEST(a.wait(60s).has_value(), "the other run did not end");
    BOOST_TEST(seen.find("Switch to scx_central failed (") != std::string::npos, seen);
    BOOST_TEST(seen.find("); rolled back to scx_simple (running, pid ") != std::string::npos, seen);
    BOOST_TEST(kernel_state() == "enabled", kernel_summary());
    BOOST_TEST(kernel_ops() == "simple", kernel_summary());
    const auto seq_after = std::stoull(first_line(kSchedExt / "enable_seq"));
    BOOST_TEST(seq_after >= seq_before + 1, "enable_seq " << seq_before << " -> " << seq_after);
    auto status = run({bin("schedcp-cli"), "--config", cfg, "status", "--json"}, {}, {}, 60s);
    const auto m = bj::parse(status.out).at("manager").as_object();
    BOOST_TEST(get(get(m, "owner").as_object(), "pid").as_int64() == b.pid(), bj::serialize(m));
    BOOST_TEST(str(get(m, "holder").as_object(), "command") == bin_dir + "/scx_simple -f",
               bj::serialize(m));
    b.kill(SIGINT);
    auto code = b.wait(60s);
    BOOST_TEST_REQUIRE(code.has_value(), "schedcp-cli switch did not exit after SIGINT");
    while (auto line = b.read_line(1s)) seen += *line + "\n";
    BOOST_TEST(*code == 1, "exit code " << *code << ": " << seen);
    BOOST_TEST(seen.find("switch to scx_central rolled back to scx_simple") != std::string::npos,
               seen);
    BOOST_TEST_MESSAGE("switch: " << seen);
}

// 22. Issue 17: fit and scheduler statistics on the real kernel. list_schedulers judges the
//     catalogued schedulers on the VM's own topology (fit_host as the kernel reports it;
//     scx_rusty's verdict follows the VM's LLC count, as its README rule says), and
//     scx_simple, a C scheduler with no scx_stats socket, is reported by get_execution_status
//     and `schedcp-cli status` with scheduler_stats available: false and the reason.
BOOST_FIXTURE_TEST_CASE(s22_fit_and_scheduler_stats_on_the_real_kernel, Scenario) {
    const std::string cfg = config();
    McpClient c(cfg);
    c.initialize();
    auto list = ok(call(c, "list_schedulers"), "list_schedulers");
    const auto& host = get(list, "fit_host").as_object();
    BOOST_TEST(get(host, "logical_cpus").to_number<long>() == ::sysconf(_SC_NPROCESSORS_ONLN),
               bj::serialize(host));
    BOOST_TEST(get(host, "numa_nodes").to_number<long>() >= 1, bj::serialize(host));
    const bj::value& llc = get(host, "llc_count");
    std::string rusty_verdict = "<no fit>", simple_fit = "<no entry>";
    for (const auto& v : get(list, "schedulers").as_array()) {
        const auto& s = v.as_object();
        if (str(s, "name") == "scx_rusty")
            rusty_verdict = str(get(s, "fit").as_object(), "verdict");
        if (str(s, "name") == "scx_simple") simple_fit = js(s, "fit");
    }
    // One LLC: one domain, nothing for rusty's balancer; several on one node: its best case;
    // a VM whose sysfs has no cache information: no LLC rule applies.
    const std::string expected = llc.is_null()                  ? "neutral"
                                 : llc.to_number<long>() == 1   ? "poor"
                                 : get(host, "numa_nodes") == 1 ? "good"
                                                                : "poor";
    BOOST_TEST(rusty_verdict == expected, "fit_host " << bj::serialize(host));
    BOOST_TEST(simple_fit == "<missing fit>");  // no rule for it in the catalog
    auto listed = run({bin("schedcp-cli"), "--config", cfg, "list", "--name", "rusty", "--long"},
                      {}, {}, 60s);
    BOOST_TEST(listed.out.find("Fit here:    " + expected) != std::string::npos, listed.out);

    auto r = start(c, "scx_simple", "simple");
    BOOST_TEST(!fs::exists("/var/run/scx/root/stats"), "scx_simple publishes no statistics");
    auto st = ok(call(c, "get_execution_status", {{"execution_id", get(r, "execution_id")}}),
                 "get_execution_status");
    const auto& stats = get(st, "scheduler_stats").as_object();
    BOOST_TEST(!get(stats, "available").as_bool(), bj::serialize(stats));
    BOOST_TEST(str(stats, "reason") ==
                   "no scx_stats socket at /var/run/scx/root/stats (no scheduler publishes "
                   "statistics there: scx's Rust schedulers do while they run, the C ones never)",
               bj::serialize(stats));
    auto status = run({bin("schedcp-cli"), "--config", cfg, "status"}, {}, {}, 60s);
    BOOST_TEST(status.out.find("scheduler statistics: not available: no scx_stats socket") !=
                   std::string::npos,
               status.out << status.err);
    ok(call(c, "stop_scheduler", {{"execution_id", get(r, "execution_id")}}), "stop_scheduler");
    BOOST_TEST(wait_for_state("disabled", 15s));
    BOOST_TEST_MESSAGE("fit on " << bj::serialize(host) << ": scx_rusty " << rusty_verdict
                                 << "; scx_simple scheduler_stats: " << str(stats, "reason"));
}

// 23. The HTTP unit's privileges are enough on the real kernel: the server runs as root with
//     only schedcp-http.service's CapabilityBoundingSet (read from the unit: no
//     CAP_DAC_OVERRIDE, no CAP_NET_*, ...), UMask=0077 and a data dir of mode 0700, and
//     compiles, verifies in the kernel, runs and stops a custom scheduler, runs scx_simple
//     and samples it with system_monitor (BPF programs, perf counters, schedstat). Without
//     CAP_CHOWN every compile failed this way. What a booting systemd adds (ProtectSystem=,
//     PrivateNetwork=, the syscall filter) is not checked here.
BOOST_FIXTURE_TEST_CASE(s23_the_http_units_privileges_are_enough_on_the_real_kernel, Scenario) {
    const std::string cfg = config();
    fs::create_directories(dir.file("data"));
    ::chmod(dir.file("data").c_str(), 0700);
    std::unique_ptr<McpClient> server;
    {
        schedcp::test::ScopedUmask unit_umask(077);
        server = std::make_unique<McpClient>(
            schedcp::test::under_unit_capabilities("schedcp-http.service",
                                                   {bin("schedcp"), "--config", cfg}),
            std::map<std::string, std::string>{});
    }
    McpClient& c = *server;
    c.initialize();
    auto created = create_vtime_scheduler(c);
    BOOST_TEST(get(created, "verified").as_bool(),
               "not verified: " << bj::serialize(created).substr(0, 2000));
    auto custom =
        ok(call(c, "run_scheduler", {{"name", "schedcp_vtime"}}), "run_scheduler schedcp_vtime");
    BOOST_TEST_REQUIRE(str(custom, "status") == "running", str(custom, "message"));
    BOOST_TEST(kernel_ops() == "schedcp_vtime");
    ok(call(c, "stop_scheduler", {{"execution_id", get(custom, "execution_id")}}),
       "stop_scheduler schedcp_vtime");
    BOOST_TEST(wait_for_state("disabled", 15s));

    auto r = start(c, "scx_simple", "simple");
    ok(call(c, "system_monitor", {{"command", "start"}, {"interval_ms", 500}}),
       "system_monitor start");
    for (int i = 0; i < 10; ++i) run({"/bin/true"}, {}, {}, 30s);
    std::this_thread::sleep_for(2s);
    auto stopped = ok(call(c, "system_monitor", {{"command", "stop"}}), "system_monitor stop");
    const auto& s = get(stopped, "summary").as_object();
    BOOST_TEST(get(get(s, "schedstat").as_object(), "available").as_bool(), bj::serialize(s));
    BOOST_TEST(get(get(s, "runqlat").as_object(), "available").as_bool(),
               "runqlat (BPF) not available: " << js(s, "runqlat"));
    ok(call(c, "stop_scheduler", {{"execution_id", get(r, "execution_id")}}), "stop_scheduler");
    BOOST_TEST(wait_for_state("disabled", 15s));
    BOOST_TEST_MESSAGE("under " << schedcp::test::unit_bounding_set("schedcp-http.service")
                                << ": compiled, verified, ran schedcp_vtime and scx_simple");
}
