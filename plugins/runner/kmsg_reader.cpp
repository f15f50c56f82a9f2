#include "kmsg_reader.hpp"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace schedcp::plugins::runner {

namespace {

constexpr std::size_t kMaxPending = 64 * 1024;  // a line longer than this is dropped

double clock_seconds(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

KmsgReader::~KmsgReader() {
    close();
}

void KmsgReader::open(const std::filesystem::path& path) {
    close();
    unavailable_.clear();
    if (path.empty()) return;
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) {
        const int err = errno;
        unavailable_ =
            "cannot read the kernel log " + path.string() + ": " + std::strerror(err) +
            (err == EPERM || err == EACCES ? " (kernel.dmesg_restrict: only root may read it)"
                                           : "");
        return;
    }
    // /dev/kmsg and files: from the end on. A FIFO cannot seek and has no past anyway.
    (void)::lseek(fd_, 0, SEEK_END);
}

void KmsgReader::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    pending_.clear();
}

void KmsgReader::deliver(std::string_view line, const Sink& sink) const {
    // /dev/kmsg continuation lines (" KEY=VALUE") carry no text of their own.
    if (line.empty() || line.front() == ' ') return;
    double logged_at = clock_seconds(CLOCK_REALTIME);
    // "PRIO,SEQ,USEC,FLAGS;text": USEC is CLOCK_MONOTONIC-based.
    auto semi = line.find(';');
    auto head = line.substr(0, semi == std::string_view::npos ? 0 : semi);
    auto c1 = head.find(',');
    auto c2 = c1 == std::string_view::npos ? c1 : head.find(',', c1 + 1);
    auto c3 = c2 == std::string_view::npos ? c2 : head.find(',', c2 + 1);
    long long usec = 0;
    if (c2 != std::string_view::npos &&
        std::from_chars(head.data() + c2 + 1,
                        head.data() + (c3 == std::string_view::npos ? head.size() : c3), usec)
                .ec == std::errc()) {
        logged_at -= clock_seconds(CLOCK_MONOTONIC) - static_cast<double>(usec) / 1e6;
        line.remove_prefix(semi + 1);
    }
    sink(line, logged_at);
}

void KmsgReader::drain(const Sink& sink) {
    if (fd_ < 0) return;
    std::array<char, 8192> buf;
    while (true) {
        ssize_t n = ::read(fd_, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EPIPE) continue;  // records overwritten before we read them
        if (n < 0 && errno != EAGAIN) {
            unavailable_ = std::string("reading the kernel log failed: ") + std::strerror(errno);
            close();
            return;
        }
        if (n <= 0) return;  // nothing more now (EAGAIN), or a FIFO without a writer
        pending_.append(buf.data(), static_cast<std::size_t>(n));
        std::size_t start = 0;
        for (auto nl = pending_.find('\n'); nl != std::string::npos;
             nl = pending_.find('\n', start)) {
            deliver(std::string_view(pending_).substr(start, nl - start), sink);
            start = nl + 1;
        }
        pending_.erase(0, start);
        if (pending_.size() > kMaxPending) pending_.clear();
    }
}

}  // namespace schedcp::plugins::runner
