// The kernel's log (/dev/kmsg, or a file or FIFO a test writes), read from the moment an
// execution starts: opened non-blocking and positioned at its end, so only what the kernel
// logs from then on is seen; drained while the execution runs and right after it ends.
// Without the right to read it (dmesg_restrict, not root) it says why and reads nothing.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace schedcp::plugins::runner {

class KmsgReader {
  public:
    KmsgReader() = default;
    ~KmsgReader();
    KmsgReader(const KmsgReader&) = delete;
    KmsgReader& operator=(const KmsgReader&) = delete;

    // Opens `path` and skips what it holds already. Never throws: on failure unavailable()
    // says why.
    void open(const std::filesystem::path& path);
    // Every complete record logged since open() or the last drain: its text (the record's
    // header and continuation lines removed) and when it was logged (Unix seconds; "now" for
    // a line without a /dev/kmsg header).
    using Sink = std::function<void(std::string_view text, double logged_at)>;
    void drain(const Sink& sink);
    void close();

    bool is_open() const { return fd_ >= 0; }
    // Why the log cannot be read ("" when it can, or was never asked for).
    const std::string& unavailable() const { return unavailable_; }

  private:
    void deliver(std::string_view line, const Sink& sink) const;

    int fd_ = -1;
    std::string pending_;  // an unfinished line (files and FIFOs deliver bytes, not records)
    std::string unavailable_;
};

}  // namespace schedcp::plugins::runner
