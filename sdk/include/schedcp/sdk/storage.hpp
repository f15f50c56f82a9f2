// Durable files for plugins' persistent data (under PluginContext::data_dir()).
//
//  - atomic_write(): a temp file in the same directory, written in full, fsync'd, renamed
//    over the target, and the directory fsync'd: after it returns the new content is on
//    disk, and a crash at any moment leaves either the old file or the new one.
//  - FileLock: flock(2) on a separate, stable "<file>.lock" (rename swaps the data file's
//    inode, so locking the data file itself would not exclude anyone), shared or
//    exclusive, across processes (the server and the CLI) and threads.
//  - quarantine(): moves a file that cannot be trusted aside under a timestamped name,
//    never overwriting it.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk::storage {

// Throws sdk::Unavailable (with the path and the errno text) when it cannot.
SCHEDCP_SDK_API void atomic_write(const std::filesystem::path& path, std::string_view content,
                                  unsigned mode = 0600);

// The file's content, or nullopt if it does not exist. Refuses symlinks. Throws
// sdk::Unavailable when it exists but cannot be read.
SCHEDCP_SDK_API std::optional<std::string> read_file(const std::filesystem::path& path);

class SCHEDCP_SDK_API FileLock {
  public:
    // Locks "<path>.lock". Throws sdk::Timeout after `timeout`, sdk::Unavailable on errors.
    // A shared lock where we may neither create nor open the lock file (a store we may only
    // read) holds nothing: reads are safe anyway, since writers replace the file by rename.
    FileLock(const std::filesystem::path& path, bool exclusive,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

  private:
    int fd_ = -1;
};

// Renames `path` to "<path>.corrupt-<UTC timestamp>" (with a counter if taken); returns
// the new name.
SCHEDCP_SDK_API std::filesystem::path quarantine(const std::filesystem::path& path);

}  // namespace schedcp::sdk::storage
