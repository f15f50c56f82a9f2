#include "verifier_log.hpp"

#include <deque>

namespace schedcp::compiler_common {

TrimmedLog trim_verifier_log(std::string_view log, std::size_t max_lines) {
    constexpr std::size_t kMaxLineBytes = 300;
    TrimmedLog out;
    std::deque<std::string_view> tail;
    std::size_t pos = 0;
    while (pos < log.size()) {
        std::size_t nl = log.find('\n', pos);
        std::string_view line = log.substr(pos, nl == std::string_view::npos ? log.npos : nl - pos);
        pos = nl == std::string_view::npos ? log.size() : nl + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        ++out.total_lines;
        tail.push_back(line);
        if (tail.size() > max_lines) tail.pop_front();
    }
    out.omitted_lines = out.total_lines - tail.size();
    for (auto line : tail) {
        if (line.size() > kMaxLineBytes) {
            out.text.append(line.substr(0, kMaxLineBytes));
            out.text += " ...";
        } else {
            out.text.append(line);
        }
        out.text += '\n';
    }
    return out;
}

}  // namespace schedcp::compiler_common
