#include "schedcp/sdk/text.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

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

bool is_lower_name(std::string_view s, std::size_t max_length, char separator) {
    if (s.empty() || s.size() > max_length || s[0] < 'a' || s[0] > 'z') return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == separator)) return false;
    return true;
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

namespace {

// Display width of UTF-8 text, counting code points (cells are sanitized, so valid UTF-8).
std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

// Byte offset of every code point of `s`, and s.size() at the end.
std::vector<std::size_t> code_point_offsets(std::string_view s) {
    std::vector<std::size_t> at;
    for (std::size_t i = 0; i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) at.push_back(i);
    at.push_back(s.size());
    return at;
}

// `cell` in pieces of at most `width` code points, broken after a space, ',' or '/' when
// one falls in the piece (the space itself is dropped), else in the middle of a word.
std::vector<std::string> wrap_cell(const std::string& cell, std::size_t width) {
    std::vector<std::string> pieces;
    auto at = code_point_offsets(cell);
    std::size_t begin = 0, count = at.size() - 1;
    while (begin < count) {
        if (count - begin <= width) {
            pieces.push_back(cell.substr(at[begin]));
            break;
        }
        std::size_t cut = begin + width, next = cut;  // piece [begin, cut), resume at next
        for (std::size_t k = begin + width; k > begin; --k) {
            char c = cell[at[k]];
            if (c == ' ') {
                cut = k;
                next = k + 1;
                break;
            }
            char before = cell[at[k - 1]];
            if ((before == ',' || before == '/') && k - 1 > begin) {
                cut = next = k;
                break;
            }
        }
        pieces.push_back(cell.substr(at[begin], at[cut] - at[begin]));
        begin = next;
        while (begin < count && cell[at[begin]] == ' ') ++begin;
    }
    if (pieces.empty()) pieces.emplace_back();
    return pieces;
}

}  // namespace

std::string Table::render() const {
    return render(std::numeric_limits<std::size_t>::max());
}

std::string Table::render(std::size_t max_width) const {
    constexpr std::size_t kGap = 2, kNarrowest = 6;
    const std::size_t n = headers_.size();
    std::vector<std::size_t> w(n), least(n);
    for (std::size_t i = 0; i < n; ++i) {
        w[i] = display_width(headers_[i]);
        least[i] = std::max(w[i], kNarrowest);
    }
    for (const auto& r : rows_)
        for (std::size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], display_width(r[i]));
    auto total = [&] {
        std::size_t t = n == 0 ? 0 : kGap * (n - 1);
        for (auto x : w) t += x;
        return t;
    };
    // Narrow the widest column that can still give, one column at a time.
    while (total() > max_width) {
        std::size_t widest = n;
        for (std::size_t i = 0; i < n; ++i)
            if (w[i] > least[i] && (widest == n || w[i] > w[widest])) widest = i;
        if (widest == n) break;
        --w[widest];
    }
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
        std::vector<std::vector<std::string>> pieces;
        std::size_t height = 1;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            pieces.push_back(wrap_cell(cells[i], std::max<std::size_t>(w[i], 1)));
            height = std::max(height, pieces.back().size());
        }
        for (std::size_t k = 0; k < height; ++k) {
            std::string l;
            for (std::size_t i = 0; i < cells.size(); ++i) {
                const std::string piece = k < pieces[i].size() ? pieces[i][k] : std::string();
                l += piece;
                if (i + 1 < cells.size()) l.append(w[i] - display_width(piece) + kGap, ' ');
            }
            while (!l.empty() && l.back() == ' ') l.pop_back();
            out += l + "\n";
        }
    };
    line(headers_);
    for (const auto& r : rows_) line(r);
    return out;
}

}  // namespace schedcp::sdk::text
