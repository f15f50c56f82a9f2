// sdk::process waits on pidfds: a wait returns the child's status once it exits, waits for
// many children share one budget, and destroying a Child that still runs kills it and
// leaves no zombie behind, without waiting for it itself.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/process.hpp"

namespace proc = schedcp::sdk::process;
using namespace std::chrono_literals;

namespace {

// `sh -c SCRIPT` (the tests' own fixed scripts; the SDK itself never runs a shell).
proc::Child shell(const std::string& script) {
    return proc::spawn({.argv = {"/bin/sh", "-c", script},
                        .env = proc::clean_environment(),
                        .capture_output = false});
}

// The process's state letter from /proc (Z: a zombie), nullopt once it is gone (reaped).
std::optional<char> state_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return std::nullopt;
    auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 >= line.size()) return std::nullopt;
    return line[close + 2];
}

// Whether `pid` disappears (is reaped by someone) within a generous bound. Not a timing
// assertion: the bound only keeps a broken implementation from hanging the suite.
bool reaped_eventually(pid_t pid) {
    for (auto deadline = std::chrono::steady_clock::now() + 30s;
         std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(10ms))
        if (!state_of(pid)) return true;
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(process)

BOOST_AUTO_TEST_CASE(wait_for_returns_the_exit_status_and_reaps_the_child) {
    auto child = shell("sleep 0.2; exit 7");
    const pid_t pid = child.pid();
    BOOST_TEST(child.pidfd() >= 0);
    auto st = child.wait_for(60s);
    BOOST_REQUIRE(st.has_value());
    BOOST_TEST(st->code.value_or(-1) == 7);
    BOOST_TEST(child.reaped());
    BOOST_TEST(!state_of(pid).has_value());  // reaped: no zombie left

    auto killed = shell("kill -TERM $$; sleep 100");
    auto kst = killed.wait_for(60s);
    BOOST_REQUIRE(kst.has_value());
    BOOST_TEST(kst->signal.value_or(0) == SIGTERM);
}

BOOST_AUTO_TEST_CASE(wait_for_gives_up_at_its_timeout_and_leaves_the_child_running) {
    auto child = shell("sleep 100");
    BOOST_TEST(!child.wait_for(50ms).has_value());
    BOOST_TEST(!child.reaped());
    BOOST_TEST(state_of(child.pid()).value_or('?') != 'Z');
    child.signal(SIGKILL);
    auto st = child.wait_for(60s);
    BOOST_REQUIRE(st.has_value());
    BOOST_TEST(st->signal.value_or(0) == SIGKILL);
}

BOOST_AUTO_TEST_CASE(destroying_a_running_child_kills_it_and_leaves_no_zombie) {
    pid_t pid = -1;
    {
        auto child = shell("sleep 100");
        pid = child.pid();
        BOOST_REQUIRE(state_of(pid).has_value());
    }  // ~Child: SIGKILL, reaped by the SDK (at once or by its reaper)
    BOOST_TEST(reaped_eventually(pid));
    // It was ours and is gone: nothing is left for this process to reap.
    BOOST_TEST(::waitpid(pid, nullptr, WNOHANG) == -1);
    BOOST_TEST(errno == ECHILD);
}

BOOST_AUTO_TEST_CASE(many_destroyed_children_are_all_reaped) {
    std::vector<pid_t> pids;
    for (int i = 0; i < 20; ++i) {
        auto child = shell("sleep 100");
        pids.push_back(child.pid());
    }
    for (pid_t pid : pids) BOOST_TEST(reaped_eventually(pid), "pid " << pid);
}

BOOST_AUTO_TEST_CASE(wait_all_for_waits_for_every_child_at_once) {
    std::vector<proc::Child> children;
    for (int code : {3, 4, 5}) children.push_back(shell("sleep 0.1; exit " + std::to_string(code)));
    std::vector<proc::Child*> all;
    for (auto& c : children) all.push_back(&c);
    all.push_back(nullptr);  // skipped
    proc::wait_all_for(all, 60s);
    for (int i = 0; i < 3; ++i) {
        BOOST_REQUIRE(children[i].reaped());
        BOOST_TEST(children[i].status()->code.value_or(-1) == 3 + i);
    }

    // The budget ends the wait for one that does not exit; the one that did is reaped.
    auto quick = shell("exit 0");
    auto stuck = shell("sleep 100");
    proc::wait_all_for({&quick, &stuck}, 2s);
    BOOST_TEST(quick.reaped());
    BOOST_TEST(!stuck.reaped());
}

BOOST_AUTO_TEST_CASE(async_wait_returns_the_status_on_the_event_loop) {
    boost::asio::io_context io;
    auto child = shell("sleep 0.1; exit 9");
    auto done = boost::asio::co_spawn(io, proc::async_wait(child), boost::asio::use_future);
    io.run();
    auto st = done.get();
    BOOST_TEST(st.code.value_or(-1) == 9);
    BOOST_TEST(child.reaped());

    // A Child that was never spawned has no process to wait for: an error, not a hang.
    proc::Child none;
    auto never = boost::asio::co_spawn(io, proc::async_wait(none), boost::asio::use_future);
    io.restart();
    io.run();
    BOOST_CHECK_THROW(never.get(), schedcp::sdk::Internal);
}

BOOST_AUTO_TEST_SUITE_END()
