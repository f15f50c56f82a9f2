// Custom scheduler names: ^[a-z][a-z0-9_]{0,47}$. A name becomes a directory under the
// data dir and a catalog entry, so it is never a path, and the error says exactly what
// is wrong with one and what is allowed.
#pragma once

#include <string>
#include <string_view>

namespace schedcp::plugins::compiler {

inline constexpr std::size_t kMaxNameLength = 48;
inline constexpr const char* kNameRule =
    "a scheduler name is 1 to 48 characters: a lowercase letter, then lowercase letters, digits "
    "and '_' (e.g. my_vtime_sched)";

// Throws sdk::InvalidArgument naming the problem.
void check_name(std::string_view name);

// A valid name derived from a file name ("My-Sched.bpf.c" -> "my_sched"), or "" when
// none can be made.
std::string name_from_file(std::string_view file_name);

}  // namespace schedcp::plugins::compiler
