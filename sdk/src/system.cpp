#include "schedcp/sdk/system.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <system_error>

namespace schedcp::sdk::system {

namespace fs = std::filesystem;

std::filesystem::path expand_home(const fs::path& p) {
    const std::string s = p.string();
    if (s == "~" || s.rfind("~/", 0) == 0) {
        const char* home = std::getenv("HOME");
        if (home && *home) return fs::path(home) / s.substr(s.size() > 1 ? 2 : 1);
    }
    return p;
}

std::optional<fs::path> find_executable(std::string_view name, const std::vector<fs::path>& dirs,
                                        bool search_path) {
    if (name.empty() || name.find('/') != std::string_view::npos || name == "." || name == "..")
        return std::nullopt;
    auto usable = [](const fs::path& candidate) {
        std::error_code ec;
        return fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0;
    };
    for (const auto& d : dirs) {
        fs::path candidate = expand_home(d) / std::string(name);
        if (usable(candidate)) return candidate;
    }
    if (search_path) {
        const char* path = std::getenv("PATH");
        std::string_view rest = path ? path : "/usr/local/bin:/usr/bin:/bin";
        while (true) {
            auto colon = rest.find(':');
            std::string_view dir = rest.substr(0, colon);
            // An empty PATH entry means the current directory; never search it as root.
            if (!dir.empty() && dir.front() == '/') {
                fs::path candidate = fs::path(std::string(dir)) / std::string(name);
                if (usable(candidate)) return candidate;
            }
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
    return std::nullopt;
}

}  // namespace schedcp::sdk::system
