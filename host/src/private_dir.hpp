// The host's data directory is private to the user schedcp runs as: it holds the log,
// workload histories, compiled schedulers and their build directories, none of which
// another local user has any business reading (or planting files in).
#pragma once

#include <filesystem>

namespace schedcp::host {

// Creates `dir` (and missing parents, with the usual modes) as mode 0700; an existing
// `dir` that we own is tightened to 0700. Throws std::runtime_error naming the directory
// when it cannot be created, or when it exists but is not a directory.
void make_private_directory(const std::filesystem::path& dir);

}  // namespace schedcp::host
