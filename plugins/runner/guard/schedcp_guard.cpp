// schedcp-guard: supervises one scheduler process for the runner plugin.
//
//   schedcp-guard [--int-timeout-ms N] [--term-timeout-ms N] [--policy FILE]
//                 (--scheduler NAME | --custom NAME) [-- ARGS...]
//
// Why it exists: when schedcp is not root it starts schedulers through sudo, and then it
// can neither signal the root-owned scheduler nor rely on PR_SET_PDEATHSIG (sudo is
// set-uid, which clears it). The guard runs on the scheduler's side of sudo and makes
// both work the same way as for root.
//
// It is what a sudoers rule allows, so it is narrow: it runs only a scheduler it resolves
// itself from its policy (policy.hpp, resolve.hpp), after checking that root owns every
// file and directory involved (trust.hpp); the program is executed through the descriptor
// that was checked. Its caller chooses a name and the scheduler's own arguments, nothing
// else. It ignores its environment: the scheduler gets PATH, LANG and (when it is plain) TERM.
// Default policy: <sysconf>/schedcp/guard.policy of the prefix this executable is installed
// under (<prefix>/lib/schedcp/libexec): /etc/schedcp/guard.policy for /usr,
// <prefix>/etc/schedcp/guard.policy otherwise, build/etc/schedcp/guard.policy in the build
// tree (schedcp/sdk/install_layout.hpp).
// Through sudo (SUDO_UID set) --policy may only name that default policy: a sudo caller
// does not choose where the guard looks. The scheduler starts in "/", with umask 022, and
// with RLIMIT_FSIZE/AS unlimited, RLIMIT_CORE 0 and RLIMIT_NOFILE raised to its hard limit,
// whatever its caller had.
//
// File descriptors (sudo closes every other one):
//   stdin  the lifeline: the runner keeps its end open. EOF (the runner stopped it, or
//          died, even with SIGKILL) or the exact line "stop" starts a graceful stop;
//          anything else is ignored.
//   stdout the status channel: records of status_protocol.hpp, and nothing else.
//   stderr the scheduler's stdout and stderr, forwarded, and the guard's own messages
//          (refusals, "cannot run"). Forwarded without blocking: what does not fit in the
//          pipe (nobody reads, or not fast enough) is dropped and counted in a note, so the
//          guard always notices the lifeline and signals, and a scheduler whose runner died
//          still unloads cleanly instead of dying of SIGPIPE halfway. The status channel
//          stays blocking: its few records are never dropped.
// A graceful stop sends SIGINT to the scheduler's process group (sched_ext schedulers
// unload cleanly on it), then SIGTERM, then SIGKILL, after the timeouts. SIGINT/SIGTERM/
// SIGHUP to the guard itself (sudo relays them) also stop it. The scheduler gets
// PR_SET_PDEATHSIG=SIGKILL, so it cannot outlive the guard.
// Exit status: the scheduler's exit code (or 128 + signal); 2 usage; 126 refused.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "policy.hpp"
#include "resolve.hpp"
#include "schedcp/sdk/install_layout.hpp"
#include "scheduler_args.hpp"
#include "status_protocol.hpp"
#include "trust.hpp"

namespace {

namespace gp = schedcp::guard_protocol;
using schedcp::guard::Refusal;

void write_all(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        ssize_t n = ::write(fd, s.data() + off, s.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // nobody reads any more
        off += static_cast<std::size_t>(n);
    }
}

// A status record, on the status channel only.
void report(const std::string& record) {
    write_all(1, record);
}

// A message for people, on the output channel.
void say(const std::string& message) {
    write_all(2, "schedcp-guard: " + message + "\n");
}

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int usage(const std::string& why) {
    say(why);
    say("usage: schedcp-guard [--int-timeout-ms N] [--term-timeout-ms N] [--policy FILE] "
        "(--scheduler NAME | --custom NAME) [-- ARGS...]");
    return 2;
}

struct Options {
    long long int_timeout = 5000, term_timeout = 3000;
    std::optional<std::string> policy;
    std::optional<schedcp::guard::TargetKind> kind;
    std::string name;
    std::vector<std::string> args;
};

// Returns the usage error, or "" when the options are complete.
std::string parse_options(int argc, char** argv, Options& o) {
    bool timeouts_seen[2] = {false, false};
    int i = 1;
    for (; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") {
            ++i;
            break;
        }
        if (i + 1 >= argc) return "option '" + schedcp::guard::printable(a) + "' needs a value";
        const std::string v = argv[++i];
        if (a == "--int-timeout-ms" || a == "--term-timeout-ms") {
            const bool is_int = a == "--int-timeout-ms";
            if (timeouts_seen[is_int ? 0 : 1]) return a + " given twice";
            timeouts_seen[is_int ? 0 : 1] = true;
            auto n = gp::detail::number(v, 0, 600000);
            if (!n) return a + " takes a whole number of milliseconds from 0 to 600000";
            (is_int ? o.int_timeout : o.term_timeout) = *n;
        } else if (a == "--policy") {
            if (o.policy) return "--policy given twice";
            o.policy = v;
        } else if (a == "--scheduler" || a == "--custom") {
            if (o.kind) return "give one --scheduler or --custom";
            o.kind = a == "--scheduler" ? schedcp::guard::TargetKind::scheduler
                                        : schedcp::guard::TargetKind::custom;
            o.name = v;
        } else {
            return "unknown option '" + schedcp::guard::printable(a) +
                   "' (the program is never given: use --scheduler NAME or --custom NAME, and "
                   "pass the scheduler's arguments after --)";
        }
    }
    if (!o.kind) return "--scheduler NAME or --custom NAME is required";
    for (; i < argc; ++i) o.args.emplace_back(argv[i]);
    if (auto why = schedcp::scheduler_args::check_bounds(o.args)) return *why;
    return {};
}

std::string default_policy() {
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) throw Refusal("cannot read /proc/self/exe to find the default policy");
    std::string exe(buf, static_cast<std::size_t>(n));
    namespace layout = schedcp::sdk::install_layout;
    const std::string libexec = exe.substr(0, exe.rfind('/'));
    return (layout::config_dir(layout::prefix_of_lib_schedcp_dir(libexec)) / "guard.policy")
        .string();
}

// Through sudo (sudo sets SUDO_UID itself; its caller cannot remove it) the caller does not
// choose the policy: --policy is accepted only when it names the default one, compared as
// real paths. Checked before the named file is opened at all.
void check_policy_through_sudo(const std::string& given) {
    const std::string def = default_policy();
    const std::string real_def = schedcp::guard::real_path(def);
    const std::string real_given =
        given.empty() || given.front() != '/' ? std::string() : schedcp::guard::real_path(given);
    if (real_def.empty() || real_given != real_def)
        throw Refusal("--policy " + schedcp::guard::printable(given) +
                      " is refused through sudo: only the default policy " +
                      schedcp::guard::printable(real_def.empty() ? def : real_def) +
                      " may be named (or leave --policy out)");
}

// What the scheduler inherits from whoever started the guard, reset: the sudo caller's
// working directory, umask and resource limits are not the root scheduler's business (a
// tiny RLIMIT_FSIZE could cut its writes, a core limit could dump its memory). Errors are
// ignored: a guard that is not root cannot raise hard limits, and then has nothing to
// protect.
void reset_inherited_state() {
    (void)!::chdir("/");
    ::umask(022);
    // Unlimited; without CAP_SYS_RESOURCE (some containers) at least up to the hard limit.
    for (int which : {RLIMIT_FSIZE, RLIMIT_AS}) {
        const rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
        rlimit now{};
        if (::setrlimit(which, &unlimited) != 0 && ::getrlimit(which, &now) == 0) {
            now.rlim_cur = now.rlim_max;
            ::setrlimit(which, &now);
        }
    }
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
}

// The output channel (stderr) for forwarding, opened anew without blocking: a scheduler that
// prints while nobody reads must not stall the guard, which then would miss the lifeline and
// signals. Its own description, so the caller's (a terminal, say) keeps its flags. -1 when
// it cannot be reopened (then output goes to stderr as is).
int nonblocking_output() {
    return ::open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
}

// The scheduler's whole environment; nothing of the guard's own is passed on but a plain
// TERM.
std::vector<std::string> scheduler_environment() {
    std::vector<std::string> env{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"};
    if (const char* term = std::getenv("TERM")) {
        std::string t = term;
        bool plain = !t.empty() && t.size() <= 32 && std::all_of(t.begin(), t.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_' || c == '.' || c == '+';
        });
        if (plain) env.push_back("TERM=" + t);
    }
    return env;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt;
    if (std::string why = parse_options(argc, argv, opt); !why.empty()) return usage(why);

    schedcp::guard::Launch launch;
    try {
        if (opt.policy && std::getenv("SUDO_UID")) check_policy_through_sudo(*opt.policy);
        const std::string policy_path = opt.policy ? *opt.policy : default_policy();
        const auto policy = schedcp::guard::load_policy(policy_path);
        launch = schedcp::guard::resolve_launch(policy, *opt.kind, opt.name, opt.args);
    } catch (const Refusal& e) {
        say(std::string("refused: ") + e.what());
        return 126;
    }

    // Everything the child needs is built before fork().
    std::vector<char*> child_argv, child_env;
    for (auto& a : launch.argv) child_argv.push_back(a.data());
    child_argv.push_back(nullptr);
    auto env = scheduler_environment();
    for (auto& e : env) child_env.push_back(e.data());
    child_env.push_back(nullptr);

    // Signals arrive through a signalfd, so the poll loop sees them in order.
    sigset_t mask;
    sigemptyset(&mask);
    for (int s : {SIGCHLD, SIGINT, SIGTERM, SIGHUP}) sigaddset(&mask, s);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) {
        say(std::string("signalfd: ") + std::strerror(errno));
        return 126;
    }

    // Nobody may be reading our output any more (the runner died): writes then fail
    // with EPIPE instead of killing us.
    signal(SIGPIPE, SIG_IGN);
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) {
        say(std::string("pipe: ") + std::strerror(errno));
        return 126;
    }

    const pid_t guard = getpid();
    pid_t child = fork();
    if (child < 0) {
        say(std::string("fork: ") + std::strerror(errno));
        return 126;
    }
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        reset_inherited_state();
        if (getppid() != guard) _exit(127);
        setpgid(0, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        signal(SIGPIPE, SIG_DFL);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);  // the lifeline is the guard's, not the scheduler's
        dup2(out[1], 1);
        dup2(out[1], 2);
        ::syscall(SYS_close_range, 3u, ~0u, 4u /* CLOSE_RANGE_CLOEXEC */);
        // The descriptor that was checked: the file cannot be swapped in between.
        fexecve(launch.exec_fd, child_argv.data(), child_env.data());
        std::string msg =
            "schedcp-guard: cannot run " + launch.program + ": " + std::strerror(errno) + "\n";
        (void)!write(2, msg.data(), msg.size());
        _exit(127);
    }
    setpgid(child, child);  // also from this side, so killpg works whoever runs first
    close(out[1]);
    close(launch.exec_fd);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    bool out_open = true;
    const int forward_fd = nonblocking_output();
    unsigned long long dropped = 0, dropped_reported = 0;
    // Writes without blocking; what does not fit now is dropped and counted.
    auto forward_bytes = [&](const char* data, std::size_t n) {
        if (dropped > dropped_reported) {
            const std::string note =
                "schedcp-guard: " + std::to_string(dropped - dropped_reported) +
                " bytes of scheduler output dropped (nobody was reading)\n";
            if (::write(forward_fd >= 0 ? forward_fd : 2, note.data(), note.size()) ==
                static_cast<ssize_t>(note.size()))
                dropped_reported = dropped;
        }
        ssize_t w = ::write(forward_fd >= 0 ? forward_fd : 2, data, n);
        if (w < 0) w = 0;
        dropped += n - static_cast<std::size_t>(w);
    };
    // Copies what the scheduler printed to the output channel; returns false at EOF. At most
    // `rounds` reads, so a scheduler that prints without pause cannot keep the loop from the
    // lifeline and the signals.
    auto forward = [&](int rounds) {
        char buf[8192];
        for (int k = 0; k < rounds; ++k) {
            ssize_t n = read(out[0], buf, sizeof buf);
            if (n > 0) {
                forward_bytes(buf, static_cast<std::size_t>(n));
                continue;
            }
            return !(n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR));
        }
        return true;
    };
    // Before anything the scheduler printed is forwarded: the runner relies on this order.
    report(gp::format_started(child));

    bool stdin_open = true;
    int stage = 0;  // 0 running, 1 SIGINT sent, 2 SIGTERM sent, 3 SIGKILL sent
    long long stage_deadline = 0;
    std::string lifeline_line;
    bool lifeline_overlong = false;
    auto escalate = [&](int to_stage) {
        static const int sigs[] = {0, SIGINT, SIGTERM, SIGKILL};
        static const char* names[] = {"", "SIGINT", "SIGTERM", "SIGKILL"};
        if (to_stage <= stage) return;
        stage = to_stage;
        report(gp::format_stopping(names[stage]));
        kill(-child, sigs[stage]);
        stage_deadline = now_ms() + (stage == 1   ? opt.int_timeout
                                     : stage == 2 ? opt.term_timeout
                                                  : 1000);
    };
    // The lifeline's lines: only an exact "stop" acts.
    auto lifeline_bytes = [&](const char* data, std::size_t n) {
        for (std::size_t k = 0; k < n; ++k) {
            if (data[k] == '\n') {
                if (!lifeline_overlong && lifeline_line == "stop") escalate(1);
                lifeline_line.clear();
                lifeline_overlong = false;
            } else if (lifeline_line.size() < 16) {
                lifeline_line.push_back(data[k]);
            } else {
                lifeline_overlong = true;
            }
        }
    };

    while (true) {
        pollfd fds[3] = {{sfd, POLLIN, 0},
                         {stdin_open ? 0 : -1, POLLIN, 0},
                         {out_open ? out[0] : -1, POLLIN, 0}};
        int timeout = -1;
        if (stage > 0 && stage < 3)
            timeout = static_cast<int>(std::max<long long>(0, stage_deadline - now_ms()));
        int r = poll(fds, 3, timeout);
        if (r < 0 && errno != EINTR) break;
        if (stage > 0 && stage < 3 && now_ms() >= stage_deadline) escalate(stage + 1);
        if (fds[2].revents && !forward(16)) out_open = false;
        if (fds[1].revents) {
            char buf[256];
            ssize_t n = read(0, buf, sizeof buf);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
                stdin_open = false;
                escalate(1);
            } else if (n > 0) {
                lifeline_bytes(buf, static_cast<std::size_t>(n));
            }
        }
        if (fds[0].revents) {
            signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
                if (si.ssi_signo == SIGCHLD) continue;
                escalate(1);
            }
            int st = 0;
            pid_t w = waitpid(child, &st, WNOHANG);
            if (w == child) {
                forward(64);  // its last words, before ours
                // Whatever else the scheduler left in its group goes too.
                kill(-child, SIGKILL);
                while (waitpid(-1, nullptr, WNOHANG) > 0) {
                }
                if (WIFEXITED(st)) {
                    report(gp::format_exited(WEXITSTATUS(st)));
                    return WEXITSTATUS(st);
                }
                report(gp::format_killed(WTERMSIG(st)));
                return 128 + WTERMSIG(st);
            }
        }
    }
    kill(-child, SIGKILL);
    waitpid(child, nullptr, 0);
    return 125;
}
