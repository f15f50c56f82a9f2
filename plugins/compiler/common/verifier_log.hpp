// The part of a BPF verifier log that explains a rejection.
//
// The kernel writes the verifier's walk through the program and stops at the first
// problem: the explanation is the end of the log (the last instructions it checked
// and the error line, then a "processed N insns" summary). Full logs run to
// megabytes; callers keep the whole log in a file and show this tail.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace schedcp::compiler_common {

struct TrimmedLog {
    std::string text;             // the last lines, each at most 300 bytes
    std::size_t total_lines = 0;  // lines in the whole log
    std::size_t omitted_lines = 0;
};

// The last `max_lines` non-empty lines of `log`, ending with its last line.
TrimmedLog trim_verifier_log(std::string_view log, std::size_t max_lines = 30);

// The program libbpf names in its first "prog 'NAME': BPF program load failed" message,
// or "" (at most 256 bytes of it). A plain scan, linear in `messages` (text a loaded
// object influences: no std::regex, whose libstdc++ matcher recurses per character).
std::string failed_program_of(std::string_view messages);

}  // namespace schedcp::compiler_common
