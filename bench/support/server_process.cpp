#include "server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace schedcp::bench {

namespace {

constexpr std::size_t kReadChunk = 256 * 1024;
constexpr std::size_t kStderrKept = 4096;
constexpr std::chrono::milliseconds kExitGrace{2000};

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

ServerProcess::ServerProcess(std::string label, const std::vector<std::string>& argv,
                             std::chrono::milliseconds timeout,
                             std::optional<std::filesystem::path> cwd)
    : label_(std::move(label)), timeout_(timeout) {
    sdk::process::SpawnOptions options;
    options.argv = argv;
    options.env = sdk::process::clean_environment();
    options.pipe_stdin = true;
    options.capture_output = true;
    options.separate_stderr = true;
    options.parent_death_signal = SIGKILL;  // never outlive the benchmark
    options.cwd = std::move(cwd);
    try {
        child_ = sdk::process::spawn(options);
    } catch (const std::exception& e) {
        throw std::runtime_error(label_ + ": cannot start " + argv.front() + ": " + e.what());
    }
    in_ = child_.take_stdin();
    out_ = child_.take_output();
    err_ = child_.take_error();
    // Writes wait in poll() with the deadline, never in a write() that blocks.
    ::fcntl(in_, F_SETFL, ::fcntl(in_, F_GETFL) | O_NONBLOCK);
    err_thread_ = std::thread([this] { drain_stderr(); });
}

ServerProcess::~ServerProcess() {
    if (in_ >= 0) ::close(in_);  // EOF: a well-behaved server exits now
    if (!child_.wait_for(kExitGrace)) {
        child_.signal(SIGKILL);
        child_.wait_for(kExitGrace);
    }
    stopping_ = true;
    err_thread_.join();
    if (out_ >= 0) ::close(out_);
    if (err_ >= 0) ::close(err_);
}

void ServerProcess::fail(const std::string& what) const {
    std::string message = label_ + " (pid " + std::to_string(pid()) + "): " + what;
    if (auto tail = stderr_tail(); !tail.empty()) message += "\n  its stderr ends with:\n" + tail;
    throw std::runtime_error(message);
}

void ServerProcess::send(std::string_view bytes) {
    const auto deadline = Clock::now() + timeout_;
    while (!bytes.empty()) {
        const ssize_t n = ::write(in_, bytes.data(), bytes.size());
        if (n > 0) {
            bytes.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            fail(std::string("cannot write a request: ") + std::strerror(errno));
        pollfd p{.fd = in_, .events = POLLOUT, .revents = 0};
        if (::poll(&p, 1, remaining_ms(deadline)) == 0)
            fail("took no input for " + std::to_string(timeout_.count()) + " ms");
    }
}

std::string_view ServerProcess::read_line() {
    if (consumed_ > 0 && consumed_ == scanned_ && consumed_ == buffer_.size()) {
        buffer_.clear();
        consumed_ = scanned_ = 0;
    }
    const auto deadline = Clock::now() + timeout_;
    for (;;) {
        const void* nl = std::memchr(buffer_.data() + scanned_, '\n', buffer_.size() - scanned_);
        if (nl != nullptr) {
            const auto end =
                static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_.data());
            std::string_view line(buffer_.data() + consumed_, end - consumed_);
            consumed_ = scanned_ = end + 1;
            return line;
        }
        scanned_ = buffer_.size();
        if (consumed_ > 0) {  // keep only the partial line
            buffer_.erase(0, consumed_);
            scanned_ -= consumed_;
            consumed_ = 0;
        }
        pollfd p{.fd = out_, .events = POLLIN, .revents = 0};
        const int ready = ::poll(&p, 1, remaining_ms(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0)
            fail("no complete answer within " + std::to_string(timeout_.count()) + " ms");
        const std::size_t old = buffer_.size();
        buffer_.resize(old + kReadChunk);
        const ssize_t n = ::read(out_, buffer_.data() + old, kReadChunk);
        buffer_.resize(old + static_cast<std::size_t>(n > 0 ? n : 0));
        if (n == 0) fail("closed its stdout (exited?) while an answer was awaited");
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            fail(std::string("cannot read its stdout: ") + std::strerror(errno));
    }
}

long ServerProcess::rss_kib() const {
    std::ifstream status("/proc/" + std::to_string(pid()) + "/status");
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") {
            long kib = 0;
            status >> kib;
            return kib;
        }
        status.ignore(4096, '\n');
    }
    fail("no VmRSS in /proc/" + std::to_string(pid()) + "/status");
}

std::string ServerProcess::stderr_tail() const {
    std::lock_guard lock(err_mutex_);
    return err_tail_;
}

void ServerProcess::drain_stderr() {
    char chunk[4096];
    // Polls with a short timeout so the destructor can stop it even when a grandchild
    // still holds the pipe open.
    while (!stopping_) {
        pollfd p{.fd = err_, .events = POLLIN, .revents = 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        const ssize_t n = ::read(err_, chunk, sizeof chunk);
        if (n <= 0) return;
        std::lock_guard lock(err_mutex_);
        err_tail_.append(chunk, static_cast<std::size_t>(n));
        if (err_tail_.size() > kStderrKept) err_tail_.erase(0, err_tail_.size() - kStderrKept);
    }
}

}  // namespace schedcp::bench
