// Removing a directory tree another user could change while we remove it (the build
// directory the sandbox user owns): walked with openat/unlinkat relative to directory
// descriptors opened O_NOFOLLOW|O_DIRECTORY, so a subdirectory swapped for a symlink
// mid-walk is unlinked as the symlink, never followed (std::filesystem::remove_all
// resolves paths, and a root process following such a link deletes the target's files).
#pragma once

#include <filesystem>

namespace schedcp::plugins::compiler {

// Removes `dir` (whose parent must not be writable by others) and everything in it,
// following no symlink; a missing `dir` is fine. Directories nested deeper than 64 levels
// are left in place. Best effort: returns false if anything remained. Blocking.
bool remove_tree_nofollow(const std::filesystem::path& dir) noexcept;

}  // namespace schedcp::plugins::compiler
