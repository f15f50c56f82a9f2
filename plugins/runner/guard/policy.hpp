// schedcp-guard's policy: where the guard may find what it runs. A small text file:
//
//   # schedcp-guard policy 1
//   scheduler_dir /usr/local/bin      (searched in order for --scheduler NAME)
//   scheduler_dir /usr/bin
//   custom_dir /var/lib/schedcp/compiler/schedulers   (NAME/NAME.bpf.o for --custom NAME)
//   scheduler scx_mine                (a name allowed besides the catalogued ones)
//
// The first line must be the header exactly; then blank lines, comments (#...), and the
// lines above, one space between keyword and value. Anything else is an error naming the
// line. The file is read only when it is trusted (trust.hpp).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace schedcp::guard {

inline constexpr std::string_view kPolicyHeader = "# schedcp-guard policy 1";

struct Policy {
    std::string path;  // the real path it was read from
    std::vector<std::string> scheduler_dirs;
    std::vector<std::string> custom_dirs;
    std::set<std::string, std::less<>> schedulers;
};

// [a-z][a-z0-9_]{0,63}: a scheduler or custom scheduler name.
bool valid_name(std::string_view name);

// Parses policy text; `path` names it in errors. Throws Refusal.
Policy parse_policy(std::string_view text, const std::string& path);

// Reads and parses the policy at `path` after the trust checks. Throws Refusal.
Policy load_policy(const std::string& path);

}  // namespace schedcp::guard
