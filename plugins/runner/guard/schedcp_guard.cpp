// schedcp-guard: supervises one scheduler process for the runner plugin.
//
//   schedcp-guard [--int-timeout-ms N] [--term-timeout-ms N] -- PROGRAM [ARGS...]
//
// Why it exists: when schedcp is not root it starts schedulers through sudo, and then it
// can neither signal the root-owned scheduler nor rely on PR_SET_PDEATHSIG (sudo is
// set-uid, which clears it). The guard runs on the scheduler's side of sudo and makes
// both work the same way as for root:
//   - stdin is a lifeline: the runner keeps its end open. EOF (the runner stopped it, or
//     died, even with SIGKILL) or a "stop" line starts a graceful stop.
//   - a graceful stop sends SIGINT to the scheduler's process group (sched_ext
//     schedulers unload cleanly on it), then SIGTERM, then SIGKILL, after the timeouts.
//   - SIGINT/SIGTERM/SIGHUP to the guard itself (sudo relays them) also stop it.
//   - the scheduler gets PR_SET_PDEATHSIG=SIGKILL, so it cannot outlive the guard.
//   - the scheduler's output goes through the guard, which forwards it to its own stdout
//     and drops it when nobody reads any more: a scheduler whose runner died still
//     unloads cleanly instead of dying of SIGPIPE halfway.
// It reports on stderr, one line each, prefixed "[schedcp-guard] ":
//   started pid=N | stopping: SIGINT | exited code=N | killed signal=N
// and exits with the scheduler's exit code (or 128 + signal).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

void report(const std::string& line) {
    std::string out = "[schedcp-guard] " + line + "\n";
    (void)!::write(2, out.data(), out.size());
}

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int usage() {
    std::fprintf(
        stderr,
        "usage: schedcp-guard [--int-timeout-ms N] [--term-timeout-ms N] -- PROGRAM [ARGS...]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    long long int_timeout = 5000, term_timeout = 3000;
    int i = 1;
    for (; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") {
            ++i;
            break;
        }
        if ((a == "--int-timeout-ms" || a == "--term-timeout-ms") && i + 1 < argc) {
            char* end = nullptr;
            long long v = std::strtoll(argv[++i], &end, 10);
            if (!end || *end || v < 0 || v > 600000) return usage();
            (a == "--int-timeout-ms" ? int_timeout : term_timeout) = v;
        } else {
            return usage();
        }
    }
    if (i >= argc || argv[i][0] != '/') return usage();

    // Signals arrive through a signalfd, so the poll loop sees them in order.
    sigset_t mask;
    sigemptyset(&mask);
    for (int s : {SIGCHLD, SIGINT, SIGTERM, SIGHUP}) sigaddset(&mask, s);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) {
        report(std::string("signalfd: ") + std::strerror(errno));
        return 126;
    }

    // Nobody may be reading our output any more (the runner died): writes then fail
    // with EPIPE instead of killing us.
    signal(SIGPIPE, SIG_IGN);
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) {
        report(std::string("pipe: ") + std::strerror(errno));
        return 126;
    }

    const pid_t guard = getpid();
    pid_t child = fork();
    if (child < 0) {
        report(std::string("fork: ") + std::strerror(errno));
        return 126;
    }
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
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
        execv(argv[i], argv + i);
        std::string msg = std::string("[schedcp-guard] cannot run ") + argv[i] + ": " +
                          std::strerror(errno) + "\n";
        (void)!write(2, msg.data(), msg.size());
        _exit(127);
    }
    setpgid(child, child);  // also from this side, so killpg works whoever runs first
    close(out[1]);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    bool out_open = true;
    // Copies what the scheduler printed to our stdout; returns false at EOF.
    auto forward = [&]() {
        char buf[8192];
        while (true) {
            ssize_t n = read(out[0], buf, sizeof buf);
            if (n > 0) {
                (void)!write(1, buf, static_cast<size_t>(n));
                continue;
            }
            return !(n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR));
        }
    };
    report("started pid=" + std::to_string(child));

    bool stdin_open = true;
    int stage = 0;  // 0 running, 1 SIGINT sent, 2 SIGTERM sent, 3 SIGKILL sent
    long long stage_deadline = 0;
    std::string pending;
    auto escalate = [&](int to_stage) {
        static const int sigs[] = {0, SIGINT, SIGTERM, SIGKILL};
        static const char* names[] = {"", "SIGINT", "SIGTERM", "SIGKILL"};
        if (to_stage <= stage) return;
        stage = to_stage;
        report(std::string("stopping: ") + names[stage]);
        kill(-child, sigs[stage]);
        stage_deadline = now_ms() + (stage == 1 ? int_timeout : stage == 2 ? term_timeout : 1000);
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
        if (fds[2].revents && !forward()) out_open = false;
        if (fds[1].revents) {
            char buf[256];
            ssize_t n = read(0, buf, sizeof buf);
            if (n <= 0) {
                stdin_open = false;
                escalate(1);
            } else {
                pending.append(buf, static_cast<size_t>(n));
                if (pending.find("stop") != std::string::npos) escalate(1);
                if (pending.size() > 1024) pending.erase(0, pending.size() - 16);
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
                forward();  // its last words, before ours
                // Whatever else the scheduler left in its group goes too.
                kill(-child, SIGKILL);
                while (waitpid(-1, nullptr, WNOHANG) > 0) {
                }
                if (WIFEXITED(st)) {
                    report("exited code=" + std::to_string(WEXITSTATUS(st)));
                    return WEXITSTATUS(st);
                }
                report("killed signal=" + std::to_string(WTERMSIG(st)));
                return 128 + WTERMSIG(st);
            }
        }
    }
    kill(-child, SIGKILL);
    waitpid(child, nullptr, 0);
    return 125;
}
