// The evaluator plugin over MCP with the runner's fake schedulers and a fake sched_ext
// sysfs: an interleaved evaluation of a short real command under default and a fake
// scheduler (statistics, history, progress), cancellation mid-run (no workload process
// and no scheduler left), the background mode, someone else's scheduler refused, and our
// own scheduler running again afterwards with its arguments.
#include <signal.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "subprocess.hpp"

namespace fs = std::filesystem;
using namespace schedcp::test;
using namespace std::chrono_literals;

namespace {

bool process_alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    auto close = line.rfind(')');
    return close != std::string::npos && line.size() > close + 2 && line[close + 2] != 'Z';
}

template <class F>
bool eventually(F condition, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

struct EvaluatorFixture {
    TempDir dir;
    std::string sysfs = dir.file("sysfs");
    std::string bin = dir.file("bin");
    std::string policy = dir.file("guard.policy");

    EvaluatorFixture() {
        fs::create_directories(sysfs);
        fs::create_directories(bin);
        std::ofstream(sysfs + "/state") << "disabled\n";
        std::ofstream(sysfs + "/enable_seq") << "0\n";
        std::ofstream(policy) << "# schedcp-guard policy 1\nscheduler_dir " << bin << "\n";
        fs::create_symlink(FAKE_SCHEDULER, bin + "/scx_simple");
        std::ofstream(bin + "/scx_simple.conf")
            << "sysfs=" << sysfs << "\npidfile=" << dir.file("scx_simple.pid") << "\n";
    }
    std::string state() {
        std::string s = slurp(sysfs + "/state");
        return s.substr(0, s.find('\n'));
    }
    // `more`: further plugin entries (the monitor), `evaluator`: more evaluator settings.
    std::string config(const std::string& more = "", const std::string& evaluator = "") {
        return write_config(
            dir, "  - name: catalog\n  - name: runner\n    settings:\n      scheduler_paths: [" +
                     bin + "]\n      sched_ext_root: " + sysfs + "\n      guard_policy: " + policy +
                     "\n      start_timeout_ms: 3000\n      stop_int_timeout_ms: 400\n"
                     "      stop_term_timeout_ms: 400\n  - name: workloads\n" +
                     more + "  - name: evaluator\n    settings:\n      default_settle_ms: 0\n" +
                     evaluator);
    }
    std::string store() { return dir.file("data") + "/workloads/schedcp_workloads.json"; }
};

const bj::object& ok(const bj::object& r) {
    BOOST_REQUIRE_MESSAGE(r.contains("result"), bj::serialize(r));
    const auto& res = r.at("result").as_object();
    BOOST_REQUIRE_MESSAGE(!res.at("isError").as_bool(), bj::serialize(r));
    return res.at("structuredContent").as_object();
}

std::string error_text(const bj::object& r) {
    const auto& res = r.at("result").as_object();
    BOOST_REQUIRE_MESSAGE(res.at("isError").as_bool(), bj::serialize(r));
    return std::string(res.at("content").at(0).at("text").as_string());
}

bj::array sleep_command() {
    return bj::array{"/bin/sleep", "0.05"};
}

// Counts the renames onto a file: each of the store's durable writes ends with one. The
// temporary files' creations are watched too: inotify merges an event into an identical
// unread one before it, and each write's IN_CREATE (of a uniquely named temporary file)
// keeps its rename from being merged into the previous write's.
class RenameCounter {
  public:
    explicit RenameCounter(const std::string& file)
        : name_(fs::path(file).filename()), fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
        BOOST_REQUIRE(fd_ >= 0);
        BOOST_REQUIRE(::inotify_add_watch(fd_, fs::path(file).parent_path().c_str(),
                                          IN_MOVED_TO | IN_CREATE) >= 0);
    }
    ~RenameCounter() { ::close(fd_); }
    int count() {
        alignas(inotify_event) char buf[64 * 1024];
        for (ssize_t n; (n = ::read(fd_, buf, sizeof buf)) > 0;)
            for (char* p = buf; p < buf + n;) {
                auto* e = reinterpret_cast<inotify_event*>(p);
                if ((e->mask & IN_MOVED_TO) && e->len && name_ == e->name) ++count_;
                p += sizeof(inotify_event) + e->len;
            }
        return count_;
    }

  private:
    std::string name_;
    int fd_;
    int count_ = 0;
};

const std::string kMonitor = "  - name: monitor\n";

// A background evaluation's result, once it has ended.
bj::object final_result(McpClient& c, const std::string& id) {
    bj::object result;
    BOOST_REQUIRE(eventually(
        [&] {
            auto r = c.call("evaluation", {{"command", "result"}, {"evaluation_id", id}});
            if (r.at("result").at("isError").as_bool()) return false;
            result = r.at("result").at("structuredContent").as_object();
            return true;
        },
        30s));
    return result;
}

// An evaluation that may take longer than a plain call's 10 s on a loaded machine.
bj::object evaluate(McpClient& c, bj::object args) {
    return c.request("tools/call", {{"name", "evaluate_scheduler"}, {"arguments", std::move(args)}},
                     60s);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(evaluator, EvaluatorFixture)

BOOST_AUTO_TEST_CASE(interleaved_runs_with_statistics_history_and_progress) {
    McpClient c(config());
    c.initialize();
    const std::string workload(
        ok(c.call("workload", {{"command", "create"}, {"description", "sleep"}}))
            .at("workload_id")
            .as_string());
    auto r = c.request("tools/call",
                       {{"name", "evaluate_scheduler"},
                        {"arguments", bj::object{{"command", sleep_command()},
                                                 {"schedulers", bj::array{"default", "scx_simple"}},
                                                 {"repeats", 2},
                                                 {"warmup", 1},
                                                 {"workload_id", workload}}},
                        {"_meta", bj::object{{"progressToken", "ev"}}}},
                       60s);
    const auto& out = ok(r);
    BOOST_TEST(out.at("state").as_string() == "completed");
    BOOST_TEST(out.at("baseline").as_string() == "default");
    // Interleaved: a warm-up round, then two counted rounds, each default then scx_simple.
    const auto& runs = out.at("runs").as_array();
    BOOST_REQUIRE_EQUAL(runs.size(), 6u);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        BOOST_TEST(runs[i].at("configuration").as_string() == (i % 2 ? "scx_simple" : "default"));
        BOOST_TEST(runs[i].at("counted").as_bool() == (i >= 2));
        BOOST_TEST(runs[i].at("ok").as_bool(), bj::serialize(runs[i]));
        BOOST_TEST(runs[i].at("figure").as_double() >= 0.05);
        BOOST_TEST(runs[i].at("execution_id").as_string().starts_with("sched_") == (i % 2 == 1));
    }
    for (const auto& v : out.at("configurations").as_array()) {
        BOOST_TEST(v.at("n").as_int64() == 2);
        BOOST_TEST(v.at("mean").as_double() >= 0.05);
        BOOST_TEST(v.at("ci95").as_array().size() == 2u);
    }
    const auto& simple = out.at("configurations").as_array()[1].as_object();
    BOOST_TEST(simple.contains("p_value"));
    BOOST_TEST(simple.at("verdict").as_string().size() > 0u);
    BOOST_TEST(out.at("sched_ext_after").as_string() == "nothing loaded, as before");
    BOOST_TEST(state() == "disabled");

    int progress = 0;
    for (const auto& n : c.notifications())
        if (n.at("method") == "notifications/progress") {
            const std::string message(n.at("params").at("message").as_string());
            BOOST_TEST(message.starts_with("run " + std::to_string(++progress) + "/6: "), message);
        }
    BOOST_TEST(progress == 6);

    auto history = ok(c.call("workload", {{"command", "get_history"}, {"workload_id", workload}}));
    const auto& entries = history.at("history").as_array();
    BOOST_REQUIRE_EQUAL(entries.size(), 4u);  // the counted runs only
    BOOST_TEST(entries[0].at("scheduler_name").as_string() == "default");
    BOOST_TEST(entries[1].at("scheduler_name").as_string() == "scx_simple");
    BOOST_TEST(entries[1].at("execution_id").as_string().starts_with("sched_"));
    BOOST_TEST(entries[1].at("metrics").at("wall_time_s").as_double() >= 0.05);
}

// The monitor observes each counted run: per configuration run-queue latency merged over
// its runs and CPU %, and each run's own figures. Run-queue latency needs BPF (root, as
// the monitor's own tests require).
BOOST_AUTO_TEST_CASE(per_configuration_run_queue_latency_and_cpu_from_the_monitor) {
    McpClient c(config(kMonitor));
    c.initialize();
    const auto out = ok(evaluate(c, {{"command", bj::array{BUSY_LOOP, "150"}},
                                     {"schedulers", bj::array{"default", "scx_simple"}},
                                     {"repeats", 2},
                                     {"warmup", 1}}));
    BOOST_TEST(out.at("state").as_string() == "completed");
    for (const auto& v : out.at("configurations").as_array()) {
        const auto& q = v.at("run_queue_latency").as_object();
        BOOST_REQUIRE_MESSAGE(q.at("available").as_bool(), bj::serialize(q));
        BOOST_TEST(q.at("runs").as_int64() == 2);
        BOOST_TEST(q.at("count").to_number<std::uint64_t>() > 0u);
        BOOST_TEST(q.at("p50_us").to_number<double>() <= q.at("p99_us").to_number<double>());
        BOOST_TEST(q.at("p99_us").to_number<double>() <= q.at("max_us").to_number<double>());
        const auto& cpu = v.at("cpu").as_object();
        BOOST_REQUIRE_MESSAGE(cpu.at("available").as_bool(), bj::serialize(cpu));
        BOOST_TEST(cpu.at("runs").as_int64() == 2);
        // One CPU spun the whole run: at least part of the machine was busy.
        BOOST_TEST(cpu.at("percent").to_number<double>() > 0.0);
        BOOST_TEST(cpu.at("percent").to_number<double>() <= 100.0);
        BOOST_TEST_MESSAGE(v.at("label").as_string()
                           << ": run-queue latency p50 " << q.at("p50_us") << " us, p99 "
                           << q.at("p99_us") << " us over " << q.at("count") << " waits; CPU "
                           << cpu.at("percent") << " %");
    }
    // The counted runs carry their own figures; warm-up runs are not observed.
    for (const auto& r : out.at("runs").as_array()) {
        BOOST_TEST(r.as_object().contains("cpu_percent") == r.at("counted").as_bool());
        BOOST_TEST(r.as_object().contains("run_queue_latency") == r.at("counted").as_bool());
    }
    // The text (and the CLI's table) shows them.
    const auto r = c.call("evaluate_scheduler", {{"command", bj::array{BUSY_LOOP, "50"}},
                                                 {"schedulers", bj::array{"default"}},
                                                 {"repeats", 1},
                                                 {"warmup", 0}});
    const std::string text(r.at("result").at("content").at(0).at("text").as_string());
    BOOST_TEST(text.find("RUNQ P50/P99 US") != std::string::npos, text);
    BOOST_TEST(text.find("CPU %") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(unobserved_runs_say_why) {
    auto first_config = [](const bj::object& out) {
        return out.at("configurations").as_array()[0].as_object();
    };
    const bj::object args{{"command", sleep_command()},
                          {"schedulers", bj::array{"default"}},
                          {"repeats", 1},
                          {"warmup", 0}};
    {
        // No monitor plugin in the config.
        McpClient c(config());
        c.initialize();
        const auto r = c.call("evaluate_scheduler", args);
        const auto conf = first_config(ok(r));
        for (const char* k : {"run_queue_latency", "cpu"}) {
            BOOST_TEST(!conf.at(k).at("available").as_bool());
            BOOST_TEST(conf.at(k).at("reason").as_string() ==
                       "no monitor plugin is loaded (add it to the config to observe the runs)");
        }
        const std::string text(r.at("result").at("content").at(0).at("text").as_string());
        BOOST_TEST(text.find("Run-queue latency: not available: no monitor plugin is loaded") !=
                       std::string::npos,
                   text);
    }
    {
        // The monitor's BPF turned off: CPU still, run-queue latency with the reason.
        McpClient c(config("  - name: monitor\n    settings: {runqlat: false}\n"));
        c.initialize();
        const auto conf = first_config(ok(c.call("evaluate_scheduler", args)));
        BOOST_TEST(conf.at("run_queue_latency").at("reason").as_string() ==
                   "disabled by the monitor's runqlat setting");
        BOOST_TEST(conf.at("cpu").as_object().contains("available"));
        // And not asked for.
        auto off = args;
        off["monitor"] = false;
        const auto unasked = first_config(ok(c.call("evaluate_scheduler", off)));
        BOOST_TEST(unasked.at("cpu").at("reason").as_string() == "not observed (monitor: false)");
        BOOST_TEST(unasked.at("run_queue_latency").at("reason").as_string() ==
                   "not observed (monitor: false)");
    }
}

// The counted runs' history records go to the store together: one durable write for the
// evaluation (by default), or one per run with history_commit_seconds: 0; either way each
// counted run has its entry, in order.
BOOST_AUTO_TEST_CASE(history_is_written_once_per_evaluation) {
    for (const bool per_run : {false, true}) {
        McpClient c(config("", per_run ? "      history_commit_seconds: 0\n" : ""));
        c.initialize();
        const std::string workload(
            ok(c.call("workload", {{"command", "create"}, {"description", "batched"}}))
                .at("workload_id")
                .as_string());
        RenameCounter writes(store());
        const auto out = ok(evaluate(c, {{"command", sleep_command()},
                                         {"schedulers", bj::array{"default", "scx_simple"}},
                                         {"repeats", 2},
                                         {"warmup", 1},
                                         {"workload_id", workload}}));
        BOOST_TEST(writes.count() == (per_run ? 4 : 1));
        const auto history =
            ok(c.call("workload", {{"command", "get_history"}, {"workload_id", workload}}));
        const auto& entries = history.at("history").as_array();
        std::vector<std::string> ids;
        for (const auto& r : out.at("runs").as_array())
            if (r.at("counted").as_bool()) ids.emplace_back(r.at("history_id").as_string());
        BOOST_REQUIRE_EQUAL(entries.size(), ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i)
            BOOST_TEST(entries[i].at("id").as_string() == ids[i]);
    }
}

// Cancelled mid-way, the counted runs done so far are still recorded.
BOOST_AUTO_TEST_CASE(a_cancelled_evaluation_still_records_its_counted_runs) {
    McpClient c(config());
    c.initialize();
    const std::string workload(
        ok(c.call("workload", {{"command", "create"}, {"description", "cut short"}}))
            .at("workload_id")
            .as_string());
    const std::string marker = dir.file("third.started");
    // Runs 1 and 2 end at once; run 3 marks that it started, then sleeps until cancelled.
    const std::string script =
        "n=$(ls " + dir.file("count") + " 2>/dev/null | wc -l); touch " + dir.file("count") +
        "/$$; if [ -e " + dir.file("count") + "/.two ]; then touch " + marker +
        "; exec sleep 60; fi; [ $n -ge 1 ] && touch " + dir.file("count") + "/.two; exit 0";
    fs::create_directories(dir.file("count"));
    auto started = ok(c.call("evaluate_scheduler", {{"command", bj::array{"/bin/sh", "-c", script}},
                                                    {"schedulers", bj::array{"default"}},
                                                    {"repeats", 5},
                                                    {"warmup", 0},
                                                    {"workload_id", workload},
                                                    {"background", true}}));
    const std::string id(started.at("evaluation_id").as_string());
    BOOST_REQUIRE(eventually([&] { return fs::exists(marker); }, 30s));
    ok(c.call("evaluation", {{"command", "cancel"}, {"evaluation_id", id}}));
    const bj::object result = final_result(c, id);
    BOOST_TEST(result.at("state").as_string() == "cancelled");
    const auto history =
        ok(c.call("workload", {{"command", "get_history"}, {"workload_id", workload}}));
    BOOST_TEST(history.at("history").as_array().size() == 2u, bj::serialize(result));
}

BOOST_AUTO_TEST_CASE(cancelling_mid_run_leaves_no_workload_and_no_scheduler) {
    McpClient c(config());
    c.initialize();
    const std::string pidfile = dir.file("workload.pid");
    // The test's workload writes its pid, then sleeps long (a shell is the test's choice of
    // program here; the evaluator itself never uses one).
    c.send(bj::object{
        {"jsonrpc", "2.0"},
        {"id", "ev"},
        {"method", "tools/call"},
        {"params",
         bj::object{{"name", "evaluate_scheduler"},
                    {"arguments",
                     bj::object{{"command", bj::array{"/bin/sh", "-c",
                                                      "echo $$ > " + pidfile + "; exec sleep 60"}},
                                {"schedulers", bj::array{"scx_simple"}},
                                {"warmup", 0}}}}}});
    BOOST_REQUIRE(eventually([&] { return fs::exists(pidfile) && fs::file_size(pidfile) > 0; }));
    const pid_t workload = static_cast<pid_t>(std::stol(slurp(pidfile)));
    const pid_t scheduler = static_cast<pid_t>(std::stol(slurp(dir.file("scx_simple.pid"))));
    BOOST_TEST(state() == "enabled");
    c.notify("notifications/cancelled", {{"requestId", "ev"}});
    BOOST_TEST(eventually([&] { return !process_alive(workload); }));
    BOOST_TEST(eventually([&] { return !process_alive(scheduler); }));
    BOOST_TEST(eventually([&] { return state() == "disabled"; }));
    const auto listed = c.call("list_executions");
    for (const auto& e : ok(listed).at("executions").as_array())
        BOOST_TEST(e.at("status").as_string() == "stopped");
}

BOOST_AUTO_TEST_CASE(background_status_result_and_list) {
    McpClient c(config());
    c.initialize();
    auto started =
        ok(c.call("evaluate_scheduler", {{"command", sleep_command()},
                                         {"schedulers", bj::array{"default", "scx_simple"}},
                                         {"repeats", 2},
                                         {"background", true}}));
    const std::string id(started.at("evaluation_id").as_string());
    BOOST_TEST(id.starts_with("eval_"));
    BOOST_TEST(started.at("runs_total").as_int64() == 6);
    auto status = ok(c.call("evaluation", {{"command", "status"}, {"evaluation_id", id}}));
    BOOST_TEST(status.at("runs_total").as_int64() == 6);
    const bj::object result = final_result(c, id);
    BOOST_TEST(result.at("state").as_string() == "completed");
    BOOST_TEST(result.at("runs_done").as_int64() == 6);
    BOOST_TEST(
        ok(c.call("evaluation", {{"command", "list"}})).at("evaluations").as_array().size() == 1u);
    BOOST_TEST(
        error_text(c.call("evaluation", {{"command", "status"}, {"evaluation_id", "eval_x"}}))
            .find("not found") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_scheduler_someone_else_loaded_is_refused_up_front) {
    fs::create_directories(sysfs + "/root");
    std::ofstream(sysfs + "/state") << "enabled\n";
    std::ofstream(sysfs + "/root/ops") << "lavd\n";
    McpClient c(config());
    c.initialize();
    auto e = error_text(c.call("evaluate_scheduler", {{"command", sleep_command()},
                                                      {"schedulers", bj::array{"default"}}}));
    BOOST_TEST(e.find("not started by this server") != std::string::npos, e);
    BOOST_TEST(!fs::exists(dir.file("scx_simple.pid")));
}

BOOST_AUTO_TEST_CASE(our_running_scheduler_runs_again_afterwards_with_its_arguments) {
    McpClient c(config());
    c.initialize();
    auto before = ok(c.call("run_scheduler", {{"name", "scx_simple"}, {"args", bj::array{"-f"}}}));
    auto out = ok(c.call("evaluate_scheduler", {{"command", sleep_command()},
                                                {"schedulers", bj::array{"default"}},
                                                {"repeats", 1},
                                                {"warmup", 0}}));
    BOOST_TEST(out.at("state").as_string() == "completed");
    BOOST_TEST(out.at("sched_ext_after").as_string().starts_with("scx_simple running again"));
    BOOST_TEST(state() == "enabled");
    const auto listed = c.call("list_executions");
    const auto& list = ok(listed).at("executions").as_array();
    BOOST_REQUIRE(!list.empty());
    BOOST_TEST(list[0].at("status").as_string() == "running");
    BOOST_TEST(list[0].at("args").as_array() == bj::array{"-f"});
    BOOST_TEST(list[0].at("execution_id") != before.at("execution_id"));
}

BOOST_AUTO_TEST_CASE(bad_requests_are_explained) {
    McpClient c(config());
    c.initialize();
    auto bad = [&](bj::object args) { return error_text(c.call("evaluate_scheduler", args)); };
    BOOST_TEST(bad({{"schedulers", bj::array{"default"}}}).find("either command") !=
               std::string::npos);
    BOOST_TEST(bad({{"command", sleep_command()},
                    {"schedulers", bj::array{"default"}},
                    {"figure_regex", "([0-9]+) ([0-9]+)"}})
                   .find("exactly one capture group") != std::string::npos);
    BOOST_TEST(bad({{"command", sleep_command()}, {"schedulers", bj::array{"scx_nope"}}})
                   .find("unknown scheduler") != std::string::npos);
    BOOST_TEST(bad({{"command", sleep_command()},
                    {"schedulers", bj::array{"default"}},
                    {"repeats", 100000}})
                   .find("repeats") != std::string::npos);
    BOOST_TEST(bad({{"benchmark", "hackbench"},
                    {"params", bj::object{{"groups", 1000}}},
                    {"schedulers", bj::array{"default"}}})
                   .find("groups must be an integer from 1 to 64") != std::string::npos);
}

// schedcp-cli evaluate: the same evaluation from the command line, as a table, as JSON,
// and as a box plot whose SVG an XML parser accepts, with one box per configuration.
BOOST_AUTO_TEST_CASE(cli_evaluate_prints_a_table_json_and_a_box_plot) {
    const std::string cfg = config();
    const std::vector<std::string> evaluate = {schedcp::test::bin("schedcp-cli"),
                                               "--config",
                                               cfg,
                                               "evaluate",
                                               "-s",
                                               "default",
                                               "-s",
                                               "scx_simple",
                                               "-r",
                                               "2",
                                               "-w",
                                               "0",
                                               "--",
                                               "/bin/sleep",
                                               "0.05"};

    auto table = run(evaluate, {}, {}, 60s);
    BOOST_TEST(table.status == 0, table.out << table.err);
    BOOST_TEST(table.out.find("CONFIGURATION") != std::string::npos, table.out);
    BOOST_TEST(table.out.find("\ndefault ") != std::string::npos, table.out);
    BOOST_TEST(table.out.find("\nscx_simple ") != std::string::npos, table.out);
    BOOST_TEST(table.out.find("wall_time_s in s, lower is better; 4/4 runs, interleaved") !=
                   std::string::npos,
               table.out);
    BOOST_TEST(table.out.find("Best: ") != std::string::npos, table.out);
    BOOST_TEST(
        table.out.find("sched_ext afterwards: nothing loaded, as before") != std::string::npos,
        table.out);
    BOOST_TEST(state() == "disabled");

    const std::string svg = dir.file("plot.svg");
    auto with_json = evaluate;
    with_json.insert(with_json.begin() + 4, {"--json", "--plot", svg});
    auto json = run(with_json, {}, {}, 60s);
    BOOST_TEST_REQUIRE(json.status == 0, json.out << json.err);
    boost::system::error_code ec;
    const auto report = bj::parse(json.out, ec);
    BOOST_TEST_REQUIRE(!ec, "not JSON: " << json.out);
    BOOST_TEST(report.at("state").as_string() == "completed");
    const auto& configs = report.at("configurations").as_array();
    BOOST_TEST_REQUIRE(configs.size() == 2u);
    for (const auto& c : configs) BOOST_TEST(c.at("n").as_int64() == 2);
    BOOST_TEST(report.at("baseline").as_string() == "default");

    // Well-formed (the XML parser throws otherwise), one box per configuration, the
    // baseline marked.
    boost::property_tree::ptree doc;
    std::istringstream in(slurp(svg));
    BOOST_REQUIRE_NO_THROW(boost::property_tree::read_xml(in, doc));
    int boxes = 0, baselines = 0;
    std::vector<std::string> labels;
    for (const auto& [tag, node] : doc.get_child("svg")) {
        const std::string cls = node.get("<xmlattr>.class", "");
        if (tag == "rect" && cls == "box") ++boxes;
        if (tag == "line" && cls == "baseline") ++baselines;
        if (tag == "text") labels.push_back(node.data());
    }
    BOOST_TEST(boxes == 2);
    BOOST_TEST(baselines == 1);
    for (const char* l : {"default", "scx_simple"})
        BOOST_TEST(std::count(labels.begin(), labels.end(), l) == 1, l);
}

// The MCP tasks extension (2026-07-28): a client that declares it gets the evaluation as a
// task after its checks, and its result from tasks/get; a bad argument still answers at once.
BOOST_FIXTURE_TEST_CASE(a_client_with_tasks_gets_the_evaluation_as_a_task, EvaluatorFixture) {
    McpClient c(config());
    const bj::object meta{
        {"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
        {"io.modelcontextprotocol/clientCapabilities",
         bj::object{{"extensions", bj::object{{"io.modelcontextprotocol/tasks", bj::object{}}}}}}};
    const auto evaluate = [&](bj::array schedulers) {
        return c.request("tools/call", {{"name", "evaluate_scheduler"},
                                        {"arguments", bj::object{{"command", sleep_command()},
                                                                 {"schedulers", schedulers},
                                                                 {"repeats", 2},
                                                                 {"warmup", 0}}},
                                        {"_meta", meta}});
    };
    const auto created = evaluate({"default"});
    const auto& handle = created.at("result").as_object();
    BOOST_TEST_REQUIRE(handle.at("resultType") == "task");
    const bj::value id = handle.at("taskId");
    bj::object task;
    BOOST_REQUIRE(eventually(
        [&] {
            task =
                c.request("tasks/get", {{"taskId", id}, {"_meta", meta}}).at("result").as_object();
            return task.at("status") != "working";
        },
        30s));
    BOOST_TEST(task.at("status") == "completed");
    const auto& out = task.at("result").at("structuredContent");
    BOOST_TEST(out.at("configurations").as_array().size() == 1u);
    BOOST_TEST(out.at("configurations").at(0).at("n") == 2);

    const auto refused = evaluate({"no_such_scheduler"});
    BOOST_TEST(refused.at("result").at("resultType") == "complete");
    BOOST_TEST(refused.at("result").at("isError") == true);
}

BOOST_AUTO_TEST_SUITE_END()
