// Splits the bytes read from stdin into messages: one per newline, a last one without a
// newline at the end of input. A message longer than the limit is not buffered: it is
// skipped up to its newline and reported once with the number of bytes dropped.
#pragma once

#include <cstddef>
#include <string>

namespace schedcp::host::mcp {

struct InboundLine {
    std::string line;
    std::size_t oversize = 0;  // > 0: a dropped over-long message of this many bytes
};

class LineSplitter {
  public:
    explicit LineSplitter(std::size_t max_line) : max_line_(max_line) {}

    // Calls emit(InboundLine&&) for each message completed by these bytes, in order.
    template <class Emit>
    void feed(const char* data, std::size_t n, Emit&& emit) {
        std::size_t start = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (data[i] != '\n') continue;
            if (discarding_) {
                emit(InboundLine{.oversize = dropped_ + (i - start)});
                discarding_ = false;
                dropped_ = 0;
            } else if (line_.size() + (i - start) > max_line_) {
                // Whole within what was read: still over the limit.
                emit(InboundLine{.oversize = line_.size() + (i - start)});
                line_.clear();
            } else {
                line_.append(data + start, i - start);
                emit(InboundLine{.line = std::move(line_)});
                line_.clear();
            }
            start = i + 1;
        }
        keep_rest(data + start, n - start);
    }

    // End of input: what is left is a message too (or the report of a dropped one).
    template <class Emit>
    void finish(Emit&& emit) {
        if (discarding_)
            emit(InboundLine{.oversize = dropped_});
        else if (!line_.empty())
            emit(InboundLine{.line = std::move(line_)});
        line_.clear();
        discarding_ = false;
        dropped_ = 0;
    }

  private:
    void keep_rest(const char* data, std::size_t n);

    std::size_t max_line_;
    std::string line_;         // the message read so far
    bool discarding_ = false;  // inside an over-long message: skip to its newline
    std::size_t dropped_ = 0;
};

}  // namespace schedcp::host::mcp
