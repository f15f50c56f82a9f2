// Taking the object clang wrote out of the sandbox user's build directory, once.
//
// The build directory belongs to the sandbox user (nobody, shared with whatever else runs
// as nobody), so after clang exits another process could swap build/<name>.bpf.o for a
// symlink, a FIFO, a hard link to a root file or another object. Root must not use that
// path again: the object is opened once (every component O_NOFOLLOW, O_NONBLOCK), checked
// (a regular file, owned by the sandbox user or by us, one link, at most
// kMaxObjectBytes) and copied into a directory only the server can write; the static
// checks, the kernel verification and the registry use that copy only.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace schedcp::plugins::compiler {

inline constexpr std::uint64_t kMaxObjectBytes = 64ULL << 20;

// Copies `work_dir`/`build_subdir`/`object_name` into `private_dir` (which exists, owned by
// us, mode 0700) under the same name and returns the copy's path (mode 0600). `work_dir`'s
// own parent must be ours (it is not re-checked); the components below it are opened
// without following symlinks. `owner`: the uid the object may belong to besides ours.
// Throws sdk::Unavailable naming what was wrong. Blocking.
std::filesystem::path take_object(const std::filesystem::path& work_dir,
                                  const std::string& build_subdir, const std::string& object_name,
                                  const std::filesystem::path& private_dir,
                                  std::optional<uid_t> owner);

}  // namespace schedcp::plugins::compiler
