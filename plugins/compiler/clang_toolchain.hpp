// Which clang compiles schedulers: the `clang` setting (a name in $PATH or an absolute
// path), or the newest of clang-21 .. clang-16 found. BPF CO-RE, 64-bit enums in BTF and
// the kfunc declarations sched_ext needs want clang >= 16; older is refused.
#pragma once

#include <filesystem>
#include <string>

namespace schedcp::plugins::compiler {

inline constexpr int kMinClangMajor = 16;

struct Clang {
    std::filesystem::path path;
    int major = 0;
    std::string version;  // "19.1.7"
};

// Blocking (runs `clang --version` once per path; remembered). Throws sdk::Unavailable
// naming what was found and what is needed.
Clang find_clang(const std::string& setting);

}  // namespace schedcp::plugins::compiler
