#include "bare_clang.hpp"

#include <chrono>
#include <fstream>

#include "compile_sandbox.hpp"

namespace schedcp::bench {

namespace fs = std::filesystem;
namespace pc = plugins::compiler;
namespace sp = sdk::process;

ClangBuild::ClangBuild(const fs::path& work, const fs::path& vmlinux_h,
                       const std::string& file_name, const std::string& source,
                       const pc::CompilerSettings& settings, const pc::Clang& clang) {
    fs::create_directories(work);
    pc::prepare_build_dirs(work, vmlinux_h);
    job_.file_name = file_name;
    job_.work_dir = work;
    std::ofstream(work / pc::kBuildSubdir / file_name) << source;
    // vmlinux.h is beside the source (prepare_build_dirs), so no -I for its own directory.
    argv_ = pc::clang_argv(job_, clang, pc::VmlinuxHeader{}, settings);
}

ClangBuild::~ClangBuild() {
    std::error_code ec;
    fs::remove_all(job_.work_dir, ec);
}

ClangRun ClangBuild::run(const sp::Confinement* confinement) const {
    sp::SpawnOptions o;
    o.argv = argv_;
    o.env = sp::clean_environment();
    o.capture_output = false;
    if (!confinement) o.cwd = job_.work_dir / pc::kBuildSubdir;
    o.confinement = confinement;
    const auto t0 = std::chrono::steady_clock::now();
    sp::Child child = sp::spawn(o);
    const auto st = child.wait_for(std::chrono::minutes(5));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return {
        .seconds = s, .rss_kib = st ? st->max_rss_kib : 0, .code = st && st->code ? *st->code : -1};
}

}  // namespace schedcp::bench
