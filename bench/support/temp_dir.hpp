// A private temporary directory for one benchmark run (configs, data dirs, build dirs),
// removed with everything in it at destruction.
#pragma once

#include <filesystem>
#include <string>

namespace schedcp::bench {

class TempDir {
  public:
    explicit TempDir(const std::string& prefix);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    // Writes `content` to path()/name and returns that path.
    std::filesystem::path write(const std::string& name, const std::string& content) const;

  private:
    std::filesystem::path path_;
};

// A whole file's content; throws std::runtime_error naming the file when it cannot be read.
std::string read_file(const std::filesystem::path& file);

}  // namespace schedcp::bench
