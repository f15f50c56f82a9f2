// clang as the compiler plugin runs it, outside the plugin: the same build-directory layout
// and the same command line (clang_argv), so a benchmark can time the bare compile, or the
// compile confined as the plugin confines it, against anything that wraps it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "clang_toolchain.hpp"
#include "compile.hpp"
#include "schedcp/sdk/process.hpp"
#include "settings.hpp"

namespace schedcp::bench {

struct ClangRun {
    double seconds = 0;
    long rss_kib = 0;
    int code = -1;  // clang's exit code, -1 when it was killed or timed out
};

// A private build laid out as the plugin lays one out: <work>/build/<file_name> holds
// `source`, vmlinux.h is hard-linked beside it. Removed with `work` at destruction.
class ClangBuild {
  public:
    ClangBuild(const std::filesystem::path& work, const std::filesystem::path& vmlinux_h,
               const std::string& file_name, const std::string& source,
               const plugins::compiler::CompilerSettings& settings,
               const plugins::compiler::Clang& clang);
    ~ClangBuild();
    ClangBuild(const ClangBuild&) = delete;
    ClangBuild& operator=(const ClangBuild&) = delete;

    const plugins::compiler::CompileJob& job() const { return job_; }
    // The plugin's clang command line for this build.
    const std::vector<std::string>& argv() const { return argv_; }
    // Runs clang, bare (`confinement` null: this user, no limits) or confined.
    ClangRun run(const sdk::process::Confinement* confinement = nullptr) const;

  private:
    plugins::compiler::CompileJob job_;
    std::vector<std::string> argv_;
};

}  // namespace schedcp::bench
