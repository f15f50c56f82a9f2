#include "schedcp/sdk/sysfs_text.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace schedcp::sdk::host {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kMaxFileBytes = 1 << 20;

template <class T>
std::optional<T> number(std::string_view s) {
    T v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}
}  // namespace

std::optional<std::string> read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    // Read in pieces up to the cap: sysfs and procfs files are a few bytes to a few KiB,
    // and zero-filling 1 MiB per file (what a buffer of the cap cost) was most of the
    // first listing's fit computation (14 files, 14.7 M instructions).
    constexpr std::size_t kPiece = 4096;
    std::string out;
    while (out.size() < kMaxFileBytes) {
        const std::size_t at = out.size();
        out.resize(std::min(at + kPiece, kMaxFileBytes));
        in.read(out.data() + at, static_cast<std::streamsize>(out.size() - at));
        out.resize(at + static_cast<std::size_t>(in.gcount()));
        if (!in) break;
    }
    if (in.bad()) return std::nullopt;
    return out;
}

std::optional<std::string> read_line(const fs::path& p) {
    std::ifstream in(p);
    std::string s;
    if (!in || !std::getline(in, s)) return std::nullopt;
    return std::string(trim(s));
}

std::optional<std::uint64_t> read_number(const fs::path& p) {
    auto s = read_line(p);
    if (!s) return std::nullopt;
    return number<std::uint64_t>(*s);
}

std::optional<std::vector<int>> parse_cpu_list(std::string_view text) {
    std::istringstream in{std::string(trim(text))};
    std::vector<int> out;
    for (std::string range; std::getline(in, range, ',');) {
        const std::string_view part = range;
        auto dash = part.find('-');
        auto lo = number<int>(part.substr(0, dash));
        auto hi = dash == std::string_view::npos ? lo : number<int>(part.substr(dash + 1));
        if (!lo || !hi || *lo < 0 || *hi < *lo || *hi - *lo > 65536) return std::nullopt;
        for (int c = *lo; c <= *hi; ++c) out.push_back(c);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string format_cpu_list(const std::vector<int>& cpus) {
    std::string out;
    for (std::size_t i = 0; i < cpus.size();) {
        std::size_t j = i;
        while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
        if (!out.empty()) out += ',';
        out += std::to_string(cpus[i]);
        if (j > i) out += '-' + std::to_string(cpus[j]);
        i = j + 1;
    }
    return out;
}

std::optional<std::uint64_t> meminfo_kb(std::string_view text, std::string_view key) {
    std::istringstream in{std::string(text)};
    for (std::string line; std::getline(in, line);) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string_view name = trim(std::string_view(line).substr(0, colon));
        // A node's meminfo says "Node 0 MemTotal".
        if (auto sp = name.rfind(' '); sp != std::string_view::npos) name = name.substr(sp + 1);
        if (name != key) continue;
        std::string_view value = trim(std::string_view(line).substr(colon + 1));
        if (value.ends_with(" kB")) value.remove_suffix(3);
        return number<std::uint64_t>(trim(value));
    }
    return std::nullopt;
}

}  // namespace schedcp::sdk::host
