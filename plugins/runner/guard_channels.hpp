// The runner's side of schedcp-guard's channels (see guard/schedcp_guard.cpp): the status
// channel (the guard's stdout, strict records of guard/status_protocol.hpp) and the output
// channel (the guard's stderr: the scheduler's output, the guard's and sudo's messages, and
// sudo's password prompt). Pure helpers, no I/O.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace schedcp::plugins::runner {

// Splits a byte stream into lines, holding at most `max_line` bytes of an unfinished one:
// a longer line is delivered cut, marked `cut`, and the rest of it up to its newline is
// dropped. "\r\n" is taken as a newline.
class LineSplitter {
  public:
    using Sink = std::function<void(std::string line, bool cut)>;
    explicit LineSplitter(std::size_t max_line) : max_line_(max_line) {}

    void feed(std::string_view bytes, const Sink& sink);
    // What is left at EOF (an unfinished last line), delivered once.
    void finish(const Sink& sink);

    // The unfinished line so far (sudo's prompt has no newline).
    const std::string& pending() const { return pending_; }
    void drop_pending_suffix(std::size_t n) { pending_.resize(pending_.size() - n); }

  private:
    std::size_t max_line_;
    std::string pending_;
    bool dropping_ = false;
};

// A fresh random prompt for `sudo -S -p PROMPT`: the runner writes the password only after
// it has seen exactly this on the output channel. No '%' (sudo expands those).
std::string new_sudo_prompt();

}  // namespace schedcp::plugins::runner
