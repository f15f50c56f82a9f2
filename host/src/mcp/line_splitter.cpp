#include "line_splitter.hpp"

namespace schedcp::host::mcp {

void LineSplitter::keep_rest(const char* data, std::size_t n) {
    if (discarding_) {
        dropped_ += n;
    } else if (line_.size() + n > max_line_) {
        discarding_ = true;
        dropped_ = line_.size() + n;
        line_.clear();
        line_.shrink_to_fit();
    } else {
        line_.append(data, n);
    }
}

}  // namespace schedcp::host::mcp
