#include "verifier_log.hpp"

#include <algorithm>
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

std::string failed_program_of(std::string_view messages) {
    constexpr std::string_view opening = "prog '";
    constexpr std::string_view failed = "': BPF program load failed";
    constexpr std::size_t kMaxName = 256;
    for (std::size_t at = messages.find(opening); at != std::string_view::npos;
         at = messages.find(opening, at + 1)) {
        const std::size_t name = at + opening.size();
        // The name runs to the next quote (no quote inside it), which also bounds the scan.
        const std::size_t quote = messages.find('\'', name);
        if (quote == std::string_view::npos) return "";
        if (quote > name && messages.substr(quote).starts_with(failed))
            return std::string(messages.substr(name, std::min(quote - name, kMaxName)));
    }
    return "";
}

}  // namespace schedcp::compiler_common
