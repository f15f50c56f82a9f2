#include "policy.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "trust.hpp"

namespace schedcp::guard {

namespace {

constexpr std::size_t kMaxPolicyBytes = 64 * 1024;
constexpr std::size_t kMaxDirs = 64;

}  // namespace

bool valid_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || name[0] < 'a' || name[0] > 'z') return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

Policy parse_policy(std::string_view text, const std::string& path) {
    Policy p;
    p.path = path;
    std::size_t line_no = 0;
    auto fail = [&](const std::string& why) {
        throw Refusal("policy " + printable(path) + " line " + std::to_string(line_no) + ": " +
                      why);
    };
    while (!text.empty()) {
        ++line_no;
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line_no == 1) {
            if (line != kPolicyHeader)
                fail("the first line must be '" + std::string(kPolicyHeader) +
                     "' (is this a schedcp-guard policy?)");
            continue;
        }
        if (line.empty() || line.front() == '#') continue;
        const auto space = line.find(' ');
        if (space == std::string_view::npos) fail("expected 'KEYWORD VALUE': " + printable(line));
        const std::string_view key = line.substr(0, space), value = line.substr(space + 1);
        for (unsigned char c : value)
            if (c < 0x20 || c == 0x7f || c == ' ')
                fail("the value contains a space or a control character: " + printable(line));
        if (key == "scheduler_dir" || key == "custom_dir") {
            if (value.empty() || value.front() != '/')
                fail(std::string(key) + " needs an absolute directory, not '" + printable(value) +
                     "'");
            auto& dirs = key == "scheduler_dir" ? p.scheduler_dirs : p.custom_dirs;
            if (dirs.size() >= kMaxDirs)
                fail("more than " + std::to_string(kMaxDirs) + " " + std::string(key) + " lines");
            dirs.emplace_back(value);
        } else if (key == "scheduler") {
            if (!valid_name(value))
                fail("'" + printable(value) + "' is not a scheduler name ([a-z][a-z0-9_]{0,63})");
            p.schedulers.emplace(value);
        } else {
            fail("unknown keyword '" + printable(key) +
                 "' (expected scheduler_dir, custom_dir or scheduler)");
        }
    }
    if (line_no == 0) fail("the policy is empty");
    return p;
}

Policy load_policy(const std::string& path) {
    if (path.empty() || path.front() != '/')
        throw Refusal("--policy needs an absolute path, not '" + printable(path) + "'");
    std::string real;
    const int fd = open_trusted_file(path, "the policy", &real);
    std::string text;
    char buf[4096];
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            throw Refusal("cannot read the policy " + printable(real) + ": " + std::strerror(e));
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > kMaxPolicyBytes) {
            ::close(fd);
            throw Refusal("the policy " + printable(real) + " is larger than 64 KiB");
        }
    }
    ::close(fd);
    return parse_policy(text, real);
}

}  // namespace schedcp::guard
