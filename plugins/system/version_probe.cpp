#include "version_probe.hpp"

#include <poll.h>
#include <unistd.h>

#include <csignal>

#include "schedcp/sdk/confinement.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/process.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::system {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Running {
    std::size_t index = 0;  // into the programs
    sdk::process::Child child;
    int fd = -1;
    std::string output;
    bool truncated = false;
    bool eof = false;
};

// Reads what every child has written until all have closed their output or the deadline
// passes; keeps at most `max` bytes of each.
void drain(std::vector<Running>& running, Clock::time_point deadline, std::size_t max) {
    char buf[4096];
    for (;;) {
        std::vector<pollfd> fds;
        std::vector<Running*> owners;
        for (auto& r : running)
            if (!r.eof) {
                fds.push_back({.fd = r.fd, .events = POLLIN, .revents = 0});
                owners.push_back(&r);
            }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (fds.empty() || left <= 0) return;
        if (::poll(fds.data(), fds.size(), static_cast<int>(left)) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (!fds[i].revents) continue;
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                if (n < 0 && errno == EINTR) continue;
                owners[i]->eof = true;
                continue;
            }
            auto& out = owners[i]->output;
            const std::size_t keep =
                std::min<std::size_t>(static_cast<std::size_t>(n), max - std::min(max, out.size()));
            out.append(buf, keep);
            if (keep < static_cast<std::size_t>(n)) owners[i]->truncated = true;
        }
    }
}

}  // namespace

VersionResult interpret_version_output(const std::string& output, bool truncated,
                                       std::optional<int> exit_code, std::optional<int> signal,
                                       bool timed_out, std::chrono::milliseconds timeout) {
    VersionResult r;
    if (timed_out) {
        r.error = "timed out after " + std::to_string(timeout.count()) + " ms";
        return r;
    }
    const std::string clean = sdk::text::sanitize(output, output.size() + 64);
    std::size_t pos = 0;
    while (pos < clean.size()) {
        auto eol = clean.find('\n', pos);
        std::string line = clean.substr(pos, eol == std::string::npos ? eol : eol - pos);
        pos = eol == std::string::npos ? clean.size() : eol + 1;
        line.erase(0, line.find_first_not_of(" \t"));
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
        if (!line.empty()) {
            r.version = line;
            break;
        }
    }
    if (signal)
        r.error = "killed by " + sdk::process::signal_name(*signal);
    else if (exit_code && *exit_code != 0)
        r.error = "exit code " + std::to_string(*exit_code) + " (it may not know --version)";
    if (truncated && r.version) *r.version += " [output truncated]";
    return r;
}

std::size_t VersionProbe::runs() const {
    std::lock_guard lock(mutex_);
    return runs_;
}

std::vector<VersionResult> VersionProbe::versions(const std::vector<fs::path>& programs) {
    std::vector<VersionResult> results(programs.size());
    // See the header: unprivileged and confined, or not at all.
    std::optional<sdk::process::Confinement> confinement;
    try {
        confinement.emplace(
            sdk::process::Confinement::prepare({.purpose = "running a scheduler's --version",
                                                .read_execute = {"/"},
                                                .limits = {.cpu_seconds = 5, .open_files = 64},
                                                .user_when_root = limits_.user}));
    } catch (const std::exception& e) {
        for (auto& r : results) r.error = std::string("not run: ") + e.what();
        return results;
    }
    std::vector<Key> keys(programs.size());
    std::vector<Running> running;
    {
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < programs.size(); ++i) {
            std::error_code ec;
            keys[i] = {programs[i].string(), fs::last_write_time(programs[i], ec)};
            if (ec) {
                results[i].error = "cannot read " + programs[i].string() + ": " + ec.message();
                continue;
            }
            if (auto it = cache_.find(keys[i]); it != cache_.end()) {
                results[i] = it->second;
                continue;
            }
            ++runs_;
            try {
                Running r{.index = i,
                          .child = sdk::process::spawn({.argv = {programs[i].string(), "--version"},
                                                        .env = sdk::process::clean_environment(),
                                                        .parent_death_signal = SIGKILL,
                                                        .confinement = &*confinement})};
                r.fd = r.child.take_output();
                running.push_back(std::move(r));
            } catch (const std::exception& e) {
                results[i].error = std::string("cannot run it: ") + e.what();
            }
        }
    }
    const auto deadline = Clock::now() + limits_.timeout;
    drain(running, deadline, limits_.max_output_bytes);
    std::vector<sdk::process::Child*> children;
    for (auto& r : running) children.push_back(&r.child);
    // Output closed: the programs are exiting; give them what is left of the deadline.
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    sdk::process::wait_all_for(children, std::max(left, std::chrono::milliseconds(0)));
    std::lock_guard lock(mutex_);
    for (auto& r : running) {
        const bool timed_out = !r.child.reaped();
        if (timed_out) r.child.signal(SIGKILL);  // ~Child reaps it without blocking
        if (r.fd >= 0) ::close(r.fd);
        const auto& st = r.child.status();
        results[r.index] =
            interpret_version_output(r.output, r.truncated, st ? st->code : std::nullopt,
                                     st ? st->signal : std::nullopt, timed_out, limits_.timeout);
        // A timeout is not remembered: the next call tries again.
        if (!timed_out) cache_[keys[r.index]] = results[r.index];
    }
    return results;
}

}  // namespace schedcp::plugins::system
