#include "modes.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>
#include <optional>
#include <thread>

#include "exit_kinds.hpp"
#include "schedcp/sdk/sched_ext_sysfs_core.hpp"

namespace schedcp::loader {

namespace {

namespace scx = schedcp::sdk::sched_ext;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kEnableTimeout = 5s;
constexpr auto kPoll = 100ms;

volatile std::sig_atomic_t g_stop_signal = 0;

void on_signal(int sig) {
    g_stop_signal = sig;
}

// Sleeps up to `d`; false when it is time to stop (a signal, or stdin closed with
// --stdin-lifeline).
bool pause_for(std::chrono::milliseconds d, bool lifeline) {
    if (g_stop_signal) return false;
    pollfd p{0, POLLIN, 0};
    int n = ::poll(lifeline ? &p : nullptr, lifeline ? 1 : 0, static_cast<int>(d.count()));
    if (g_stop_signal) return false;
    if (lifeline && n > 0 && (p.revents & (POLLHUP | POLLERR | POLLIN))) {
        char buf[256];
        if (p.revents & (POLLHUP | POLLERR) || ::read(0, buf, sizeof buf) <= 0) return false;
    }
    return true;
}

std::string describe_exit(const compiler_common::ExitInfo& e) {
    std::string s = "kind " + compiler_common::exit_kind_name(e.kind) + " (" +
                    std::to_string(e.kind) + "), code " + std::to_string(e.exit_code);
    if (!e.reason.empty()) s += ", reason: " + e.reason;
    if (!e.msg.empty()) s += ", message: " + e.msg;
    return s;
}

void print_exit(const BpfScheduler& s) {
    if (!s.has_exit_info()) {
        say("exit info: not recorded (the scheduler has no UEI_DEFINE/UEI_RECORD)");
        return;
    }
    auto e = s.exit_info();
    if (!e || e->kind == 0)
        say("exit info: none recorded");
    else
        say("exit: " + describe_exit(*e));
}

void add_exit(JsonLine& j, const BpfScheduler& s) {
    auto e = s.has_exit_info() ? s.exit_info() : std::nullopt;
    if (!e || e->kind == 0) {
        j.add_null("exit_kind");
        j.add("exit_recorded", false);
        return;
    }
    j.add("exit_kind", compiler_common::exit_kind_name(e->kind));
    j.add("exit_kind_code", e->kind);
    j.add("exit_code", e->exit_code);
    j.add("reason", e->reason);
    j.add("msg", e->msg);
}

// Waits until sched_ext reports our ops enabled; the reason if it does not.
std::optional<std::string> wait_enabled(const Options& o, const BpfScheduler& s) {
    auto deadline = Clock::now() + kEnableTimeout;
    scx::Status k;
    while (true) {
        if (auto e = s.exit_info(); e && e->kind != 0)
            return "the kernel disabled the scheduler while enabling it: " + describe_exit(*e);
        k = scx::read_status(o.sched_ext_root);
        if (k.enabled_with(s.ops_name())) return std::nullopt;
        if (Clock::now() >= deadline) break;
        if (!pause_for(kPoll, o.stdin_lifeline))
            return "interrupted while waiting for sched_ext to enable it";
    }
    return "sched_ext did not report ops '" + s.ops_name() + "' enabled within " +
           std::to_string(std::chrono::seconds(kEnableTimeout).count()) +
           " s (state: " + k.describe() + ")";
}

// Why the scheduler is no longer running, or nullopt while it is.
std::optional<std::string> ejected(const Options& o, const BpfScheduler& s) {
    if (auto e = s.exit_info(); e && e->kind != 0)
        return "the kernel ended it: " + describe_exit(*e);
    scx::Status k = scx::read_status(o.sched_ext_root);
    if (!k.enabled_with(s.ops_name()))
        return "sched_ext is no longer running it (state: " + k.describe() + ")";
    return std::nullopt;
}

}  // namespace

void say(const std::string& line) {
    std::cerr << "schedcp-loader: " << line << std::endl;
}

void install_signal_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a signal interrupts the wait at once
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
}

// Writes the full verifier log for the caller; returns the file or "" if none.
std::string save_verifier_log(const Options& o, const BpfScheduler& s) {
    if (o.verifier_log.empty() || s.verifier_log().empty()) return "";
    int fd =
        ::open(o.verifier_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        say("cannot write the verifier log to " + o.verifier_log + ": " + std::strerror(errno));
        return "";
    }
    // Readable by the (unprivileged) caller that asked for it through sudo.
    ::fchmod(fd, 0644);
    const std::string& log = s.verifier_log();
    bool ok = ::write(fd, log.data(), log.size()) == static_cast<ssize_t>(log.size());
    ::close(fd);
    return ok ? o.verifier_log : "";
}

// Checks that apply before loading anything: sched_ext present and free.
void check_kernel(const Options& o) {
    scx::Status k = scx::read_status(o.sched_ext_root);
    if (!k.present)
        throw LoaderError(kNoSchedExt, "kernel", scx::no_sched_ext_message(o.sched_ext_root));
    if (k.busy())
        throw LoaderError(kBusy, "kernel",
                          "sched_ext already has a scheduler: state " + k.describe() +
                              "; only one can be loaded at a time");
}

int run(const Options& o, BpfScheduler& s) {
    s.load();
    s.attach();
    if (auto why = wait_enabled(o, s)) {
        s.detach();
        say(*why);
        print_exit(s);
        return kFailed;
    }
    say("sched_ext enabled ops '" + s.ops_name() + "'; Ctrl-C (SIGINT) or SIGTERM detaches it");
    scx::State last = scx::State::enabled;
    while (pause_for(kPoll, o.stdin_lifeline)) {
        scx::Status k = scx::read_status(o.sched_ext_root);
        if (k.state != last) {
            say("sched_ext state: " + k.describe());
            last = k.state;
        }
        if (auto why = ejected(o, s)) {
            say(*why);
            s.detach();
            auto e = s.exit_info();
            return e && compiler_common::exit_kind_is_error(e->kind) ? kFailed : kOk;
        }
    }
    say(g_stop_signal ? std::string("got ") + sigabbrev_np(g_stop_signal) + ", detaching"
                      : std::string("stdin closed, detaching"));
    s.detach();
    print_exit(s);
    say("sched_ext state: " + scx::read_status(o.sched_ext_root).describe());
    return kOk;
}

int verify(const Options& o, BpfScheduler& s, JsonLine& j) {
    const int seconds = *o.verify_seconds;
    s.load();
    s.attach();
    if (auto why = wait_enabled(o, s)) {
        s.detach();
        j.add("verified", false).add("stage", "enable").add("error", *why);
        add_exit(j, s);
        return kFailed;
    }
    say("sched_ext enabled ops '" + s.ops_name() + "'; keeping it " + std::to_string(seconds) +
        " s");
    auto until = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < until) {
        if (auto why = ejected(o, s)) {
            s.detach();
            j.add("verified", false).add("stage", "run").add("error", *why);
            add_exit(j, s);
            return kFailed;
        }
        if (!pause_for(kPoll, o.stdin_lifeline)) {
            s.detach();
            j.add("verified", false)
                .add("stage", "run")
                .add("error", "interrupted before " + std::to_string(seconds) + " s");
            add_exit(j, s);
            return kFailed;
        }
    }
    s.detach();
    scx::Status after = scx::read_status(o.sched_ext_root);
    for (auto end = Clock::now() + kEnableTimeout;
         after.state != scx::State::disabled && Clock::now() < end;) {
        std::this_thread::sleep_for(kPoll);
        after = scx::read_status(o.sched_ext_root);
    }
    auto e = s.exit_info();
    if (e && compiler_common::exit_kind_is_error(e->kind)) {
        j.add("verified", false)
            .add("stage", "detach")
            .add("error", "it exited with an error when detached: " + describe_exit(*e));
        add_exit(j, s);
        return kFailed;
    }
    say("verified: enabled for " + std::to_string(seconds) + " s, then detached");
    j.add("verified", true).add("stage", "done");
    add_exit(j, s);
    j.add("state_after", after.describe());
    return kOk;
}

}  // namespace schedcp::loader
