#include "origin_policy.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace schedcp::host::mcp::http {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// "name[:port]" -> "name" ("[::1]:80" -> "[::1]"); empty when malformed.
std::string name_of(std::string_view authority) {
    if (authority.empty()) return {};
    if (authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return {};
        auto rest = authority.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') return {};
        return lower(authority.substr(0, close + 1));
    }
    auto colon = authority.find(':');
    return lower(authority.substr(0, colon));
}

bool port_ok(std::string_view authority) {
    auto at = authority.front() == '[' ? authority.find("]:") : authority.find(':');
    if (at == std::string_view::npos) return true;
    auto port = authority.substr(at + (authority.front() == '[' ? 2 : 1));
    return !port.empty() && port.size() <= 5 &&
           std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool loopback_name(const std::string& name) {
    return name == "localhost" || name == "127.0.0.1" || name == "[::1]";
}

}  // namespace

std::string expand_host_entry(std::string_view entry, std::string_view nodename) {
    constexpr std::string_view kPlaceholder = "{hostname}";
    std::string out;
    for (std::size_t i = 0; i < entry.size();) {
        if (entry.compare(i, kPlaceholder.size(), kPlaceholder) == 0) {
            if (nodename.empty())
                throw std::invalid_argument("{hostname}: this machine has no host name");
            out += nodename;
            i += kPlaceholder.size();
        } else if (entry[i] == '{' || entry[i] == '}') {
            throw std::invalid_argument("'" + std::string(entry) +
                                        "': the only placeholder is {hostname}");
        } else {
            out += entry[i++];
        }
    }
    return out;
}

OriginPolicy::OriginPolicy(std::vector<std::string> hosts, std::vector<std::string> origins) {
    for (auto& h : hosts) hosts_.push_back(lower(h));
    for (auto& o : origins) origins_.push_back(lower(o));
}

bool OriginPolicy::host_allowed(std::string_view host) const {
    const std::string name = name_of(host);
    if (name.empty() || !port_ok(host)) return false;
    if (loopback_name(name)) return true;
    const std::string full = lower(host);
    return std::any_of(hosts_.begin(), hosts_.end(),
                       [&](const std::string& h) { return h == full || h == name; });
}

bool OriginPolicy::origin_allowed(std::string_view origin, bool present) const {
    if (!present) return true;
    const std::string full = lower(origin);
    if (std::find(origins_.begin(), origins_.end(), full) != origins_.end()) return true;
    for (std::string_view scheme : {"http://", "https://"}) {
        if (full.rfind(scheme, 0) != 0) continue;
        std::string_view authority = std::string_view(full).substr(scheme.size());
        if (authority.empty() || authority.find('/') != std::string_view::npos) return false;
        return port_ok(authority) && loopback_name(name_of(authority));
    }
    return false;  // "null", other schemes, garbage
}

}  // namespace schedcp::host::mcp::http
