// The sandbox clang compiles an untrusted source in (a hostile source can name any path
// in #include, #embed or #line): Landlock lets it execute only clang and the directories
// of its libraries and the dynamic loader, read only those, the system's public headers,
// clang's resource directory, the compiler's include dirs, the generated vmlinux.h and (CLI) the
// source's own directory, and write only its build directory; it runs as sandbox_user
// when the server is root, with compile_memory_mb, compile_cpu_seconds, a file-size and
// an open-file limit, no core dumps, no network, and no_new_privs. Without Landlock,
// compiling fails closed.
//
// The build directory of one compile (`work_dir`, private):
//   work_dir/            0700, owned by the sandbox user (root: chown)
//   work_dir/vmlinux/    vmlinux.h: a hard link to the cached header (else a copy); read-only
//   work_dir/build/      clang's working directory: the source and the object; writable
// clang is given relative paths and enters build/ before dropping root, so the sandbox
// user never needs to traverse the (root-only) data directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "clang_toolchain.hpp"
#include "schedcp/sdk/confinement.hpp"
#include "settings.hpp"

namespace schedcp::plugins::compiler {

struct CompileJob;

inline constexpr const char* kBuildSubdir = "build";
inline constexpr const char* kVmlinuxSubdir = "vmlinux";
// clang's -I for vmlinux.h, relative to build/.
inline constexpr const char* kVmlinuxInclude = "../vmlinux";

// Creates build/ and vmlinux/vmlinux.h in `work_dir` (which exists). Blocking.
void prepare_build_dirs(const std::filesystem::path& work_dir,
                        const std::filesystem::path& vmlinux_header);

// What clang may read and execute: its binary, the dynamic loader's and the shared
// libraries' directories, and its installation's lib/ (existing ones only are granted).
std::vector<std::filesystem::path> sandbox_execute_paths(const Clang& clang);

// What clang may only read: the loader's cache, the system headers, clang's resource
// directory (<prefix>/lib/clang/<major>), then the compiler's include dirs and the job's.
std::vector<std::filesystem::path> sandbox_read_paths(const CompileJob& job, const Clang& clang,
                                                      const CompilerSettings& settings);

// The prepared confinement for `job` (Landlock ruleset, limits, user); as root, also
// hands build/ and the source in it to the sandbox user, and leaves work_dir ours with mode
// 0711 (the sandbox user passes through, cannot list or change it). Throws sdk::Unavailable
// (no Landlock, no such user, no CAP_CHOWN). Blocking.
sdk::process::Confinement confine_compile(const CompileJob& job, const Clang& clang,
                                          const CompilerSettings& settings);

// After clang, as root: build/ and what is in it (not following links, at most 4096
// entries) made ours again. A root without CAP_DAC_OVERRIDE (schedcp-http.service) could
// neither read clang's object nor remove the directory otherwise, and from here on nothing
// running as the sandbox user can change what we are about to read. Throws sdk::Unavailable.
// Blocking.
void take_back_build_dir(const std::filesystem::path& work_dir);

// Whether `uid` (with only its primary group `gid`: the sandbox drops the others) may search
// `dir` and every directory above it, by their permission bits. Blocking.
bool user_can_search(const std::filesystem::path& dir, uid_t uid, gid_t gid);

// Bytes clang may write into one file (RLIMIT_FSIZE).
inline constexpr rlim_t kCompileMaxFileBytes = 256ULL << 20;

}  // namespace schedcp::plugins::compiler
