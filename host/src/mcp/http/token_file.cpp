#include "token_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base64.hpp"
#include "setting_files.hpp"

namespace schedcp::host::mcp::http {

namespace {

constexpr std::string_view kTokenPrefix = "schedcp_";

std::optional<Digest> parse_hex_digest(std::string_view hex) {
    if (hex.size() != 64) return std::nullopt;
    Digest d{};
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < 32; ++i) {
        const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        d[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return d;
}

}  // namespace

bool valid_scope_name(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == ',') return false;
    return true;
}

bool valid_token_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    return true;
}

TokenFile TokenFile::load(const std::filesystem::path& file, const ScopeNames& names) {
    const std::string setting = "server.http.auth.token_file";
    check_private_file(file, ::geteuid(), setting);
    return parse(read_setting_file(file, setting), setting + " " + file.string(), names);
}

TokenFile TokenFile::parse(std::string_view text, const std::string& source,
                           const ScopeNames& names) {
    TokenFile out;
    std::set<std::string, std::less<>> ids;
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos || line[first] == '#') continue;
        auto fail = [&](const std::string& why) {
            throw std::runtime_error(source + ":" + std::to_string(line_no) + ": " + why);
        };
        const auto c1 = line.find(':');
        const auto c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
        if (c2 == std::string_view::npos)
            fail("expected id:sha256-hex:scope[,scope] (see schedcp-cli token new)");
        const std::string_view id = line.substr(0, c1);
        const std::string_view hash = line.substr(c1 + 1, c2 - c1 - 1);
        std::string_view scope_list = line.substr(c2 + 1);
        if (!valid_token_id(id)) fail("the id must be 1 to 64 of A-Z a-z 0-9 . _ -");
        if (ids.count(id))
            fail("the id '" + std::string(id) + "' is already used on an earlier line");
        auto digest = parse_hex_digest(hash);
        if (!digest) fail("the hash must be 64 hexadecimal digits (the token's SHA-256)");
        TokenEntry e{.id = std::string(id), .hash = *digest, .scopes = {}};
        if (scope_list.empty()) fail("no scope; give " + names.read + " and/or " + names.admin);
        while (true) {
            const auto comma = scope_list.find(',');
            const std::string_view scope = scope_list.substr(0, comma);
            if (scope == names.read)
                e.scopes.read = true;
            else if (scope == names.admin)
                e.scopes.admin = true;
            else
                fail("unknown scope '" + std::string(scope.substr(0, 64)) + "'; the scopes are " +
                     names.read + " and " + names.admin + " (server.http.auth.scopes)");
            if (comma == std::string_view::npos) break;
            scope_list = scope_list.substr(comma + 1);
        }
        ids.emplace(id);
        out.entries_.push_back(std::move(e));
    }
    return out;
}

const TokenEntry* TokenFile::find(std::string_view secret) const {
    const Digest digest = sha256(secret);
    const TokenEntry* found = nullptr;
    for (const auto& e : entries_)
        if (equal_in_constant_time(e.hash, digest) && !found) found = &e;
    return found;
}

MintedToken mint_token(const std::string& id, const std::vector<std::string>& scopes) {
    if (!valid_token_id(id))
        throw std::invalid_argument("token id '" + id + "': must be 1 to 64 of A-Z a-z 0-9 . _ -");
    if (scopes.empty()) throw std::invalid_argument("give at least one --scope");
    std::string line = id + ":";
    std::string scope_text;
    for (const auto& s : scopes) {
        if (!valid_scope_name(s))
            throw std::invalid_argument("scope '" + s +
                                        "': must be visible ASCII without '\"', '\\' or ','");
        scope_text += (scope_text.empty() ? "" : ",") + s;
    }
    // The kernel's generator (getrandom(2)): it blocks only until it is first seeded.
    unsigned char random[32];
    for (std::size_t got = 0; got < sizeof random;) {
        const ssize_t n = ::getrandom(random + got, sizeof random - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw std::runtime_error(std::string("no random bytes: getrandom: ") +
                                     std::strerror(errno));
        got += static_cast<std::size_t>(n);
    }
    MintedToken out;
    out.secret = std::string(kTokenPrefix) +
                 base64url_encode(std::string_view(reinterpret_cast<char*>(random), sizeof random));
    ::explicit_bzero(random, sizeof random);
    out.line = line + to_hex(sha256(out.secret)) + ":" + scope_text;
    return out;
}

}  // namespace schedcp::host::mcp::http
