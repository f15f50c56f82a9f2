// The host under a hostile or broken client, and the files it leaves: a client that stops
// reading cannot grow the server and cannot keep it from exiting; a handler that throws
// anything still answers; the data dir and the log are private, and one log record is
// one line whatever a message contains.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "flood.hpp"
#include "mcp_client.hpp"

namespace fs = std::filesystem;
using namespace schedcp::test;
using namespace std::chrono_literals;

namespace {

// Resident memory of a process, in KiB (0 when it is gone).
long rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    return 0;
}

unsigned mode_of(const std::string& path) {
    struct stat st {};
    BOOST_REQUIRE_MESSAGE(::stat(path.c_str(), &st) == 0, "cannot stat " << path);
    return st.st_mode & 07777;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hardening)

BOOST_AUTO_TEST_CASE(a_client_that_stops_reading_does_not_grow_the_server) {
    TempDir dir;
    McpClient c(write_config(dir, "  - name: catalog\n  - name: testplug\n"));
    c.initialize();
    const pid_t pid = c.process().pid();
    const long before = rss_kib(pid);
    {
        // 20,000 unfiltered list_schedulers (about 120 KB each): 2.4 GB of answers, unread.
        RequestFlood flood(c.process(), 20000,
                           [](int i) { return list_schedulers_request(1000 + i); });
        std::this_thread::sleep_for(4s);
        const long during = rss_kib(pid);
        BOOST_TEST_MESSAGE("RSS before " << before << " KiB, with " << flood.sent()
                                         << " requests sent and nothing read: " << during
                                         << " KiB");
        // 16 MiB of unsent answers at most, plus the requests in progress.
        BOOST_TEST(during < before + 120 * 1024);
        BOOST_TEST(flood.sent() < 20000);  // it stopped taking requests
        // SIGTERM still ends it promptly, although its stdout is full.
        c.process().kill(SIGTERM);
        auto status = c.process().wait(10s);
        BOOST_REQUIRE_MESSAGE(status, "the server did not exit within 10 s of SIGTERM");
        BOOST_TEST(*status == 0);
    }
    std::string log = slurp(dir.file("data/schedcp.log"));
    BOOST_TEST(log.find("the client is not reading its answers") != std::string::npos, log);
    BOOST_TEST(log.find("shutting down: SIGTERM") != std::string::npos);
    // Plugins are stopped before the answers are flushed (stop testplug comes first).
    BOOST_TEST(log.find("stopped plugin testplug") < log.find("bytes of answers unsent"));
}

BOOST_AUTO_TEST_CASE(a_client_that_never_reads_is_disconnected) {
    TempDir dir;
    McpClient c(write_config(dir, "  - name: catalog\n  - name: testplug\n",
                             "server: {max_outgoing_bytes: 65536, stalled_client_seconds: 1}\n"));
    c.initialize();
    {
        // Answers pile up past the limit, or wait unread for stalled_client_seconds: either
        // way the client is cut off and the server exits as if it had gone.
        RequestFlood flood(c.process(), 2000,
                           [](int i) { return list_schedulers_request(1000 + i); });
        auto status = c.process().wait(20s);
        BOOST_REQUIRE_MESSAGE(status, "the server kept a client that never reads");
        BOOST_TEST(*status == 0);
    }
    std::string log = slurp(dir.file("data/schedcp.log"));
    BOOST_TEST(log.find("disconnecting the client: ") != std::string::npos, log);
}

BOOST_AUTO_TEST_CASE(a_reading_client_gets_every_answer_of_a_pipelined_burst) {
    // Back-pressure is not loss: a client that reads while it writes gets all answers.
    TempDir dir;
    McpClient c(write_config(dir, "  - name: catalog\n  - name: testplug\n",
                             "server: {max_outgoing_bytes: 1048576}\n"));
    c.initialize();
    RequestFlood flood(c.process(), 300, [](int i) { return list_schedulers_request(1000 + i); });
    int answered = 0;
    while (answered < 300) {
        auto v = c.next(20s);
        BOOST_REQUIRE_MESSAGE(v, "answer " << answered << " did not come");
        if (v->as_object().contains("id")) ++answered;
    }
    BOOST_TEST(answered == 300);
}

BOOST_AUTO_TEST_CASE(a_reading_client_gets_every_answer_of_requests_that_finish_together) {
    // Requests that wait (here on a timer; list_schedulers on the host's fit the first time)
    // keep running while more are taken, then finish together: their answers, far past
    // max_outgoing_bytes at once, are owed to a client that reads them, not a reason to cut
    // it off (the pipelined burst above failed this way when its first calls waited for the
    // fit).
    TempDir dir;
    McpClient c(
        write_config(dir, "  - name: testplug\n", "server: {max_outgoing_bytes: 1048576}\n"));
    c.initialize();
    constexpr int kCalls = 24;  // about 1 MB of answer each
    RequestFlood flood(c.process(), kCalls, [](int i) {
        return R"({"jsonrpc":"2.0","id":)" + std::to_string(2000 + i) +
               R"(,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":300,"pad":500000}}})";
    });
    int answered = 0;
    while (answered < kCalls) {
        auto v = c.next(20s);
        BOOST_REQUIRE_MESSAGE(v, "answer " << answered << " did not come");
        if (!v->as_object().contains("id")) continue;
        BOOST_TEST(v->as_object().contains("result"), bj::serialize(*v).substr(0, 300));
        ++answered;
    }
    c.process().close_stdin();
    c.process().wait();
    const std::string log = slurp(dir.file("data/schedcp.log"));
    BOOST_TEST(log.find("disconnecting the client") == std::string::npos, log);
}

BOOST_AUTO_TEST_CASE(a_handler_that_throws_a_non_std_exception_answers) {
    TempDir dir;
    McpClient c(write_config(dir, "  - name: testplug\n"));
    c.initialize();
    auto r = c.call("fail", bj::object{{"code", "non_std"}});
    BOOST_REQUIRE_MESSAGE(r.contains("result"), bj::serialize(r));
    const auto& result = r.at("result").as_object();
    BOOST_TEST(result.at("isError").as_bool());
    std::string text(result.at("content").at(0).at("text").as_string());
    BOOST_TEST(text.find("internal error in plugin 'testplug'") != std::string::npos, text);
    BOOST_TEST(c.request("ping").contains("result"));  // and it carries on
    c.process().close_stdin();
    c.process().wait();
    std::string log = slurp(dir.file("data/schedcp.log"));
    BOOST_TEST(log.find("(plugin testplug) failed: threw something that is not a std::exception") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(data_dir_and_log_are_private_and_records_are_lines) {
    TempDir dir;
    McpClient c(write_config(dir, "  - name: testplug\n  - name: workloads\n"));
    c.initialize();
    const std::string forged = "2026-01-01T00:00:00.000000 [critical] runner: forged record";
    auto r = c.call("log", bj::object{{"message", "first line\n" + forged + "\r\x1b[2Jend"}});
    BOOST_REQUIRE(r.contains("result"));
    c.process().close_stdin();
    c.process().wait();

    BOOST_TEST(mode_of(dir.file("data")) == 0700u);
    BOOST_TEST(mode_of(dir.file("data/workloads")) == 0700u);
    BOOST_TEST(mode_of(dir.file("data/schedcp.log")) == 0600u);
    std::istringstream log(slurp(dir.file("data/schedcp.log")));
    std::string line;
    bool seen = false;
    while (std::getline(log, line)) {
        BOOST_TEST(!line.starts_with(forged), "a message started a record: " << line);
        BOOST_TEST(line.find('\x1b') == std::string::npos, line);
        if (line.find("first line\\n" + forged + "\\r\\x1b[2Jend") != std::string::npos)
            seen = true;
    }
    BOOST_TEST(seen, "the record with its newlines escaped is in the log");
}

BOOST_AUTO_TEST_CASE(existing_data_dir_and_log_are_tightened_and_a_symlinked_log_refused) {
    TempDir dir;
    fs::create_directories(dir.file("data"));
    ::chmod(dir.file("data").c_str(), 0755);
    dir.write("data/schedcp.log", "old record\n");
    ::chmod(dir.file("data/schedcp.log").c_str(), 0644);
    auto r =
        run({bin("schedcp-cli"), "--config", write_config(dir, "  - name: testplug\n"), "plugins"});
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(mode_of(dir.file("data")) == 0700u);
    BOOST_TEST(mode_of(dir.file("data/schedcp.log")) == 0600u);
    BOOST_TEST(slurp(dir.file("data/schedcp.log")).starts_with("old record\n"));

    // A log planted as a symbolic link (to a file the attacker wants appended to) is refused.
    dir.write("victim", "precious\n");
    fs::remove(dir.file("data/schedcp.log"));
    fs::create_symlink(dir.file("victim"), dir.file("data/schedcp.log"));
    r = run({bin("schedcp-cli"), "--config", dir.file("schedcp.yaml"), "plugins"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("symbolic link") != std::string::npos, r.err);
    BOOST_TEST(slurp(dir.file("victim")) == "precious\n");

    // Someone else's file in its place is not written to (nor made ours).
    fs::remove(dir.file("data/schedcp.log"));
    dir.write("data/schedcp.log", "");
    BOOST_REQUIRE(::chown(dir.file("data/schedcp.log").c_str(), 65534, 65534) == 0);
    r = run({bin("schedcp-cli"), "--config", dir.file("schedcp.yaml"), "plugins"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("belongs to uid 65534") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()
