#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "host.hpp"
#include "schedcp/sdk/error.hpp"
#include "services_impl.hpp"
#include "subprocess.hpp"
#include "workloads/workload_ops.hpp"

namespace bj = boost::json;
namespace fs = std::filesystem;
using namespace schedcp;
using schedcp::plugins::workloads::WorkloadOps;
using schedcp::plugins::workloads::WorkloadStore;

using schedcp::test::slurp;

namespace {

struct Fixture {
    test::TempDir dir;
    host::ServiceRegistryImpl services;  // no runner: executions must name their scheduler
    fs::path file = fs::path(dir.path()) / "schedcp_workloads.json";
    WorkloadOps ops{WorkloadStore(file), services};

    std::string create(const std::string& d) {
        return std::string(ops.create({{"description", d}}).at("workload_id").as_string());
    }
    bj::object add(const std::string& id, const std::string& exec, double p99) {
        return ops.add_history({{"workload_id", id},
                                {"execution_id", exec},
                                {"result_description", "ran"},
                                {"scheduler", "scx_rusty"},
                                {"metrics", {{"p99_ms", p99}}}});
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(workload_store, Fixture)

BOOST_AUTO_TEST_CASE(round_trip_in_schedcp_format) {
    std::string id = create("nginx, latency sensitive");
    BOOST_TEST(id.size() == 36u);  // a UUID, as SchedCP writes them
    add(id, "sched_00000001", 19.1);
    add(id, "sched_00000002", 21.0);
    auto root = bj::parse(slurp(file)).as_object();
    BOOST_TEST(root.at("profiles").at(id).at("description").as_string() ==
               "nginx, latency sensitive");
    BOOST_TEST(root.at("history").as_array().size() == 2u);
    const auto& e = root.at("history").at(0).as_object();
    for (const char* k : {"id", "workload_id", "execution_id", "scheduler_name", "args",
                          "result_description", "created_at"})
        BOOST_TEST(e.contains(k), k);
    auto h = ops.get_history({{"workload_id", id}});
    BOOST_TEST(h.at("history").at(0).at("execution_id").as_string() ==
               "sched_00000001");  // insertion order, as SchedCP returns it
    BOOST_TEST(h.at("history").at(1).at("execution_id").as_string() == "sched_00000002");
    BOOST_TEST(ops.list().at("profiles").at(0).at("history_count").as_int64() == 2);
    BOOST_TEST(bj::parse(slurp(file)).as_object() == root);  // reading changes nothing
    struct stat st {};
    BOOST_REQUIRE(::stat(file.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
}

BOOST_AUTO_TEST_CASE(an_unknown_execution_without_scheduler_is_recorded_as_unknown) {
    // SchedCP's exact call shape for a run this process did not start (e.g. before a restart).
    std::string id = create("redis");
    auto r = ops.add_history(
        {{"workload_id", id}, {"execution_id", "sched_1"}, {"result_description", "r"}});
    BOOST_TEST(r.at("entry").at("scheduler_name").as_string() == "unknown");
    BOOST_TEST(r.at("entry").at("args").as_array().empty());
    BOOST_TEST(r.at("message").as_string() ==
               "Execution history added; execution 'sched_1' is not known to this server, so its "
               "scheduler is recorded as 'unknown' (pass scheduler and args to record them)");
    auto h = ops.get_history({{"workload_id", id}});
    BOOST_REQUIRE(h.at("history").as_array().size() == 1u);
    BOOST_TEST(h.at("history").at(0).at("execution_id").as_string() == "sched_1");
}

BOOST_AUTO_TEST_CASE(update_delete_recommend) {
    std::string id = create("batch");
    add(id, "a", 30);
    add(id, "b", 10);
    ops.add_history({{"workload_id", id},
                     {"execution_id", "c"},
                     {"result_description", "ok"},
                     {"scheduler", "scx_lavd"},
                     {"args", bj::array{"--performance"}},
                     {"metrics", {{"p99_ms", 15}}}});
    auto r = ops.recommend({{"workload_id", id}, {"metric", "p99_ms"}, {"goal", "min"}});
    BOOST_TEST(r.at("ranking").at(0).at("scheduler").as_string() == "scx_lavd");
    BOOST_TEST(r.at("ranking").at(1).at("mean").as_double() == 20.0);
    BOOST_TEST(r.at("ranking").at(1).at("runs").as_int64() == 2);
    r = ops.recommend({{"workload_id", id}, {"metric", "p99_ms"}, {"goal", "max"}});
    BOOST_TEST(r.at("ranking").at(0).at("scheduler").as_string() == "scx_rusty");
    BOOST_CHECK_THROW(ops.recommend({{"workload_id", id}, {"metric", "rps"}, {"goal", "max"}}),
                      sdk::NotFound);
    ops.update({{"workload_id", id}, {"description", "batch, updated"}});
    BOOST_TEST(ops.get({{"workload_id", id}}).at("profile").at("description").as_string() ==
               "batch, updated");
    BOOST_TEST(ops.remove({{"workload_id", id}}).at("deleted_history").as_int64() == 3);
    BOOST_CHECK_THROW(ops.get({{"workload_id", id}}), sdk::NotFound);
}

BOOST_AUTO_TEST_CASE(input_limits) {
    std::string id = create("x");
    auto msg = [&](const bj::object& args) {
        try {
            ops.run(args);
        } catch (const sdk::Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    BOOST_TEST(msg({{"command", "create"}}) == "description is required for create command");
    BOOST_TEST(msg({{"command", "create"}, {"description", " \n "}}) ==
               "description must not be empty");
    BOOST_TEST(msg({{"command", "create"}, {"description", std::string(5000, 'a')}}) ==
               "description is 5000 bytes; at most 4096 are allowed");
    BOOST_TEST(msg({{"command", "get_history"}}) ==
               "workload_id is required for get_history command");
    BOOST_TEST(msg({{"command", "get_history"}, {"workload_id", "nope"}})
                   .find("Workload profile 'nope' not found") == 0u);
    BOOST_TEST(msg({{"command", "add_history"},
                    {"workload_id", id},
                    {"execution_id", "e"},
                    {"result_description", "r"},
                    {"scheduler", "s"},
                    {"metrics", {{"bad key!", 1}}}})
                   .find("metric name 'bad key!'") == 0u);
    BOOST_TEST(msg({{"command", "frob"}}).find("Unknown command: frob") == 0u);
    BOOST_TEST(msg({{"command", "recommend"}, {"workload_id", id}, {"metric", "m"}}) ==
               "goal is required for recommend command: min or max");
}

BOOST_AUTO_TEST_CASE(two_processes_writing_at_once_lose_nothing) {
    std::string id = create("shared");
    constexpr int kPerProcess = 40;
    pid_t kids[2];
    for (int k = 0; k < 2; ++k) {
        kids[k] = ::fork();
        if (kids[k] == 0) {
            host::ServiceRegistryImpl s;
            WorkloadOps mine(WorkloadStore(file), s);
            for (int i = 0; i < kPerProcess; ++i)
                mine.add_history(
                    {{"workload_id", id},
                     {"execution_id", "p" + std::to_string(k) + "_" + std::to_string(i)},
                     {"result_description", "r"},
                     {"scheduler", "scx_simple"}});
            ::_exit(0);
        }
    }
    for (pid_t p : kids) {
        int st = 0;
        ::waitpid(p, &st, 0);
        BOOST_TEST((WIFEXITED(st) && WEXITSTATUS(st) == 0));
    }
    auto root = bj::parse(slurp(file)).as_object();
    BOOST_TEST(root.at("history").as_array().size() == 2u * kPerProcess);
}

BOOST_AUTO_TEST_CASE(many_entries_in_one_write_all_or_none) {
    std::string id = create("batched");
    add(id, "sched_before", 1.0);
    auto request = [&](const std::string& exec, double v) {
        return bj::object{{"workload_id", id},           {"execution_id", exec},
                          {"result_description", "run"}, {"scheduler", "scx_simple"},
                          {"args", bj::array{"-f"}},     {"metrics", {{"time_s", v}}}};
    };
    const auto ids =
        ops.add_history_all({request("e1", 1.5), request("e2", 2.5), request("e3", 3.5)});
    BOOST_REQUIRE_EQUAL(ids.size(), 3u);
    const auto history = ops.get_history({{"workload_id", id}});
    const auto& h = history.at("history").as_array();
    BOOST_REQUIRE_EQUAL(h.size(), 4u);
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST(h[i + 1].at("id").as_string() == ids[i]);
        BOOST_TEST(h[i + 1].at("execution_id").as_string() == "e" + std::to_string(i + 1));
        BOOST_TEST(h[i + 1].at("metrics").at("time_s").as_double() == 1.5 + static_cast<double>(i));
        BOOST_TEST(h[i + 1].at("scheduler_name").as_string() == "scx_simple");
        BOOST_TEST(h[i + 1].at("args").as_array() == bj::array{"-f"});
    }
    // One bad record (an unknown profile, or a metric outside the limits) adds none.
    const std::string before = slurp(file);
    auto unknown = request("e4", 4);
    unknown["workload_id"] = "00000000-0000-4000-8000-000000000000";
    BOOST_CHECK_THROW(ops.add_history_all({request("e5", 5), unknown}), sdk::NotFound);
    auto bad_metric = request("e6", 6);
    bad_metric["metrics"] = bj::object{{"no spaces", 1}};
    BOOST_CHECK_THROW(ops.add_history_all({request("e7", 7), bad_metric}), sdk::InvalidArgument);
    BOOST_TEST(slurp(file) == before);
    BOOST_TEST(ops.add_history_all({}).empty());
}

// kill -9 at any moment of a writer appending batches of 10 leaves the old or the new
// complete store: it always parses, has the store's shape, and holds whole batches only.
BOOST_AUTO_TEST_CASE(a_writer_killed_at_any_moment_leaves_whole_batches) {
    std::string id = create("crash");
    constexpr std::size_t kBatch = 10;
    std::vector<bj::object> batch;
    for (std::size_t i = 0; i < kBatch; ++i)
        batch.push_back({{"workload_id", id},
                         {"execution_id", "run_" + std::to_string(i)},
                         {"result_description", std::string(200, 'r')},
                         {"scheduler", "scx_simple"},
                         {"metrics", {{"time_s", 1.0}}}});
    std::size_t seen = 0;
    for (int round = 0; round < 12; ++round) {
        pid_t kid = ::fork();
        if (kid == 0) {
            host::ServiceRegistryImpl s;
            WorkloadOps mine(WorkloadStore(file), s);
            for (;;) mine.add_history_all(batch);
        }
        // Kill it at a different moment each round, from before its first write to mid-way.
        ::usleep(static_cast<useconds_t>(2000 + round * 1700));
        ::kill(kid, SIGKILL);
        int st = 0;
        ::waitpid(kid, &st, 0);
        BOOST_TEST(WIFSIGNALED(st));
        boost::system::error_code ec;
        const auto root = bj::parse(slurp(file), ec);
        BOOST_REQUIRE_MESSAGE(!ec, "round " << round << ": the store does not parse");
        BOOST_TEST(WorkloadStore::check(root) == "");
        const std::size_t n = root.at("history").as_array().size();
        BOOST_TEST(n % kBatch == 0u, "round " << round << ": " << n << " entries");
        BOOST_TEST(n >= seen);  // what was written stays written
        seen = n;
    }
    for (const auto& f : fs::directory_iterator(dir.path()))
        BOOST_TEST(f.path().filename().string().find(".corrupt-") == std::string::npos);
    BOOST_TEST_MESSAGE(seen << " entries after 12 kills");
}

BOOST_AUTO_TEST_CASE(a_corrupt_store_is_kept_aside_never_overwritten) {
    std::ofstream(file) << "{\"profiles\": {\"x\": 1}, \"history\": [";
    const std::string original = slurp(file);
    try {
        ops.list();
        BOOST_FAIL("expected an error");
    } catch (const sdk::Unavailable& e) {
        std::string m = e.what();
        BOOST_TEST(m.find("is corrupt: not valid JSON") != std::string::npos, m);
        BOOST_TEST(
            m.find("moved, untouched, to " + file.string() + ".corrupt-") != std::string::npos, m);
        fs::path kept(e.details().at("kept_as").as_string().c_str());
        BOOST_TEST(slurp(kept) == original);
    }
    BOOST_TEST(!fs::exists(file));
    create("fresh start");  // the next write starts a new store
    BOOST_TEST(ops.list().at("profiles").as_array().size() == 1u);
    // Valid JSON of the wrong shape is corrupt too.
    std::ofstream(file)
        << R"({"profiles": {"a": {"id": "b", "description": "d", "created_at": 1, "updated_at": 1}}, "history": []})";
    try {
        ops.list();
        BOOST_FAIL("expected an error");
    } catch (const sdk::Unavailable& e) {
        BOOST_TEST(std::string(e.what()).find("profiles[\"a\"].id does not match its key") !=
                   std::string::npos);
    }
    int corrupt = 0;
    for (const auto& f : fs::directory_iterator(dir.path()))
        if (f.path().filename().string().find(".corrupt-") != std::string::npos) ++corrupt;
    BOOST_TEST(corrupt == 2);
}

BOOST_AUTO_TEST_CASE(a_read_only_directory_fails_cleanly_and_keeps_the_data) {
    if (::geteuid() == 0) {
        // root ignores directory permissions; an unwritable file system is the real case.
        BOOST_TEST_MESSAGE("running as root: checking with a directory replaced by a file instead");
    }
    std::string id = create("keep me");
    const std::string before = slurp(file);
    fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec);
    if (::geteuid() != 0) {
        BOOST_CHECK_THROW(add(id, "e", 1), sdk::Unavailable);
        fs::permissions(dir.path(), fs::perms::owner_all);
        BOOST_TEST(slurp(file) == before);
    } else {
        fs::permissions(dir.path(), fs::perms::owner_all);
        // As root: the temporary file cannot be created when its directory is gone.
        fs::path moved = fs::path(dir.path()) / "elsewhere";
        WorkloadOps broken(WorkloadStore(fs::path(dir.path()) / "missing-dir" / "store.json"),
                           services);
        try {
            broken.create({{"description", "x"}});
            BOOST_FAIL("expected an error");
        } catch (const sdk::Unavailable& e) {
            BOOST_TEST(std::string(e.what()).find("missing-dir") != std::string::npos, e.what());
        }
        BOOST_TEST(slurp(file) == before);
    }
}

BOOST_AUTO_TEST_CASE(import_a_schedcp_store) {
    std::string id = create("mine");
    std::string other = dir.write("schedcp_workloads.json.import", R"({
  "profiles": {"11111111-2222-4333-8444-555555555555": {"id": "11111111-2222-4333-8444-555555555555",
     "description": "kernel build", "created_at": 1757000000, "updated_at": 1757000100}},
  "history": [{"id": "h1", "workload_id": "11111111-2222-4333-8444-555555555555", "execution_id": "sched_9ac42d68",
     "scheduler_name": "scx_rusty", "args": [], "result_description": "8.31 s", "created_at": 1757000100}]})");
    auto r = ops.import_file(other);
    BOOST_TEST(r.at("profiles").as_int64() == 1);
    BOOST_TEST(r.at("history").as_int64() == 1);
    BOOST_TEST(ops.import_file(other).at("skipped_existing").as_int64() == 2);  // idempotent
    BOOST_TEST(ops.list().at("profiles").as_array().size() == 2u);
    BOOST_TEST(ops.get_history({{"workload_id", "11111111-2222-4333-8444-555555555555"}})
                   .at("history")
                   .at(0)
                   .at("result_description")
                   .as_string() == "8.31 s");
    std::string bad = dir.write("bad.json", R"({"profiles": []})");
    BOOST_CHECK_THROW(ops.import_file(bad), sdk::InvalidArgument);
    (void)id;
}

BOOST_AUTO_TEST_CASE(import_checks_every_field_readers_rely_on) {
    // Each of these once passed the check and then broke `workload list` or `history`.
    const std::string profile =
        R"("p1": {"id": "p1", "description": "d", "created_at": 1, "updated_at": 1)";
    const std::string entry =
        R"({"id": "h1", "workload_id": "p1", "execution_id": "e", "scheduler_name": "s",
            "result_description": "r", "created_at": 1, )";
    struct Case {
        std::string json, problem;
    };
    const Case cases[] = {
        {R"({"profiles": {)" + profile + R"(, "name": 7}}, "history": []})",
         R"(profiles["p1"].name must be a string, is integer)"},
        {R"({"profiles": {)" + profile + R"(}}, "history": [)" + entry + R"("args": [1]}]})",
         "history[0].args[0] must be a string, is integer"},
        {R"({"profiles": {)" + profile + R"(}}, "history": [)" + entry +
             R"("args": [], "metrics": [1]}]})",
         "history[0].metrics must be an object, is array"},
        {R"({"profiles": {)" + profile + R"(}}, "history": [)" + entry +
             R"("args": [], "metrics": {"p99": "fast"}}]})",
         R"(history[0].metrics["p99"] must be a number, is string)"},
    };
    for (const auto& c : cases) {
        std::string file = dir.write("bad-shape.json", c.json);
        try {
            ops.import_file(file);
            BOOST_ERROR("accepted: " << c.json);
        } catch (const sdk::InvalidArgument& e) {
            BOOST_TEST(std::string(e.what()).find(c.problem) != std::string::npos, e.what());
        }
    }
    // A SchedCP profile whose name is null is fine, and lists.
    std::string file = dir.write(
        "null-name.json", R"({"profiles": {)" + profile + R"(, "name": null}}, "history": []})");
    BOOST_TEST(ops.import_file(file).at("profiles").as_int64() == 1);
    BOOST_TEST(ops.list().at("profiles").as_array().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
