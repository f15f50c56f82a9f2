#include "schedcp/sdk/text.hpp"

#include <algorithm>
#include <cstdint>

namespace schedcp::sdk::text {

namespace {

// Length of a valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) return 0;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
        auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return len;
}

// Skips an ANSI escape sequence starting at s[i] (ESC); returns its length.
std::size_t escape_length(std::string_view s, std::size_t i) {
    std::size_t j = i + 1;
    if (j >= s.size()) return 1;
    if (s[j] == '[') {  // CSI: parameters, then a final byte 0x40..0x7E
        ++j;
        while (j < s.size() && !(s[j] >= 0x40 && s[j] <= 0x7E)) ++j;
        return std::min(j + 1, s.size()) - i;
    }
    if (s[j] == ']') {  // OSC: until BEL or ESC backslash
        ++j;
        while (j < s.size() && s[j] != '\a' &&
               !(s[j] == '\x1b' && j + 1 < s.size() && s[j + 1] == '\\'))
            ++j;
        if (j < s.size() && s[j] == '\x1b') ++j;
        return std::min(j + 1, s.size()) - i;
    }
    return 2;  // two-byte escape
}

}  // namespace

std::string sanitize(std::string_view in, std::size_t max_bytes) {
    std::string out;
    out.reserve(std::min(in.size(), max_bytes));
    std::size_t i = 0;
    while (i < in.size()) {
        if (out.size() >= max_bytes) break;
        auto c = static_cast<unsigned char>(in[i]);
        if (c == 0x1b) {
            i += escape_length(in, i);
            continue;
        }
        if (c < 0x20 || c == 0x7f) {
            if (c == '\n' || c == '\t') out.push_back(static_cast<char>(c));
            ++i;
            continue;
        }
        std::size_t len = utf8_sequence(in, i);
        if (len == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        // C1 control characters (U+0080..U+009F) are encoded as C2 80..C2 9F.
        if (len == 2 && c == 0xC2 && static_cast<unsigned char>(in[i + 1]) < 0xA0) {
            i += 2;
            continue;
        }
        out.append(in.substr(i, len));
        i += len;
    }
    if (i < in.size()) out += "... [truncated " + std::to_string(in.size() - i) + " bytes]";
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::vector<std::string> close_matches(std::string_view word,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max) {
    auto lower = [](std::string_view s) {
        std::string r(s);
        for (auto& ch : r) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return r;
    };
    const std::string w = lower(word);
    std::vector<std::string> out;
    if (w.empty()) return out;
    for (const auto& c : candidates)
        if (out.size() < max && lower(c).find(w) != std::string::npos) out.push_back(c);
    std::vector<std::pair<std::size_t, std::size_t>> scored;  // distance, index
    const std::size_t limit = w.size() / 3 + 1;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (std::find(out.begin(), out.end(), candidates[i]) != out.end()) continue;
        std::string c = lower(candidates[i]);
        std::size_t d = edit_distance(w, c);
        // Also compare without the conventional "scx_" prefix, so "rusty" finds scx_rusty.
        if (c.rfind("scx_", 0) == 0 && w.rfind("scx_", 0) != 0)
            d = std::min(d, edit_distance(w, std::string_view(c).substr(4)));
        if (d <= limit) scored.emplace_back(d, i);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [d, i] : scored) {
        if (out.size() >= max) break;
        out.push_back(candidates[i]);
    }
    return out;
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::add_row(std::vector<std::string> cells) {
    cells.resize(headers_.size());
    for (auto& c : cells) {
        c = sanitize(c, 4096);
        std::replace(c.begin(), c.end(), '\n', ' ');
        std::replace(c.begin(), c.end(), '\t', ' ');
    }
    rows_.push_back(std::move(cells));
}

std::string Table::render() const {
    auto width = [](const std::string& s) {
        std::size_t n = 0;
        for (unsigned char c : s)
            if ((c & 0xC0) != 0x80) ++n;
        return n;
    };
    std::vector<std::size_t> w(headers_.size());
    for (std::size_t i = 0; i < headers_.size(); ++i) w[i] = width(headers_[i]);
    for (const auto& r : rows_)
        for (std::size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], width(r[i]));
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
        std::string l;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            l += cells[i];
            if (i + 1 < cells.size()) l.append(w[i] - width(cells[i]) + 2, ' ');
        }
        while (!l.empty() && l.back() == ' ') l.pop_back();
        out += l + "\n";
    };
    line(headers_);
    for (const auto& r : rows_) line(r);
    return out;
}

}  // namespace schedcp::sdk::text
