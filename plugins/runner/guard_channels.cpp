#include "guard_channels.hpp"

#include <random>

namespace schedcp::plugins::runner {

void LineSplitter::feed(std::string_view bytes, const Sink& sink) {
    while (!bytes.empty()) {
        const auto nl = bytes.find('\n');
        const std::string_view part = bytes.substr(0, nl);
        bytes = nl == std::string_view::npos ? std::string_view() : bytes.substr(nl + 1);
        if (!dropping_) {
            const std::size_t room = max_line_ - pending_.size();
            pending_.append(part.substr(0, room));
            if (part.size() > room) {
                std::string line = std::move(pending_);
                pending_.clear();
                dropping_ = true;
                sink(std::move(line), true);
            }
        }
        if (nl == std::string_view::npos) break;
        if (dropping_) {
            dropping_ = false;
            continue;
        }
        std::string line = std::move(pending_);
        pending_.clear();
        if (!line.empty() && line.back() == '\r') line.pop_back();
        sink(std::move(line), false);
    }
}

void LineSplitter::finish(const Sink& sink) {
    if (!pending_.empty() && !dropping_) sink(std::move(pending_), false);
    pending_.clear();
    dropping_ = false;
}

std::string new_sudo_prompt() {
    static const char* hex = "0123456789abcdef";
    std::random_device rd;
    std::string p = "[schedcp sudo password prompt ";
    for (int i = 0; i < 32; ++i) p.push_back(hex[rd() % 16]);
    p += "]";
    return p;
}

}  // namespace schedcp::plugins::runner
