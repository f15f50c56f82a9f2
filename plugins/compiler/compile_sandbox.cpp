#include "compile_sandbox.hpp"

#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "compile.hpp"
#include "schedcp/sdk/error.hpp"

namespace schedcp::plugins::compiler {

namespace fs = std::filesystem;

namespace {

void make_dir(const fs::path& p, mode_t mode) {
    if (::mkdir(p.c_str(), mode) != 0 && errno != EEXIST)
        throw sdk::Unavailable("cannot create " + p.string() + ": " + std::strerror(errno));
    ::chmod(p.c_str(), mode);
}

void hand_over(const fs::path& p, uid_t uid, gid_t gid) {
    if (::chown(p.c_str(), uid, gid) != 0)
        throw sdk::Unavailable("cannot give " + p.string() +
                               " to the sandbox user: " + std::strerror(errno));
}

}  // namespace

void prepare_build_dirs(const fs::path& work_dir, const fs::path& vmlinux_header) {
    make_dir(work_dir / kBuildSubdir, 0700);
    make_dir(work_dir / kVmlinuxSubdir, 0755);
    fs::path link = work_dir / kVmlinuxSubdir / "vmlinux.h";
    // A hard link costs nothing; a copy (another filesystem) a few MB.
    if (::link(vmlinux_header.c_str(), link.c_str()) != 0) {
        std::error_code ec;
        fs::copy_file(vmlinux_header, link, fs::copy_options::overwrite_existing, ec);
        if (ec)
            throw sdk::Unavailable("cannot put vmlinux.h into the build directory " +
                                   link.string() + ": " + ec.message());
        ::chmod(link.c_str(), 0644);
    }
}

std::vector<fs::path> sandbox_read_paths(const CompileJob& job, const Clang& clang,
                                         const CompilerSettings& settings) {
    // The dynamic loader's cache and the shared libraries (merged /usr or not), the
    // system's public headers, and /usr/bin (a clang setting may name a wrapper script).
    std::vector<fs::path> paths{"/etc/ld.so.cache",
                                "/usr/lib",
                                "/usr/lib64",
                                "/usr/lib32",
                                "/lib",
                                "/lib64",
                                "/lib32",
                                "/usr/bin",
                                "/bin",
                                "/usr/include",
                                "/usr/local/include"};
    // clang itself, and its installation (lib/clang/N/include, its libraries).
    paths.push_back(clang.path);
    std::error_code ec;
    fs::path real = fs::canonical(clang.path, ec);
    if (!ec) {
        paths.push_back(real);
        if (real.parent_path().filename() == "bin")
            paths.push_back(real.parent_path().parent_path());
    }
#ifdef SCHEDCP_LIBBPF_INCLUDE_DIR
    paths.emplace_back(SCHEDCP_LIBBPF_INCLUDE_DIR);
#endif
    paths.push_back(settings.shipped_include);
    for (const auto& d : settings.include_dirs) paths.push_back(d);
    if (job.quote_dir) paths.push_back(*job.quote_dir);
    paths.push_back(job.work_dir / kVmlinuxSubdir);
    return paths;
}

sdk::process::Confinement confine_compile(const CompileJob& job, const Clang& clang,
                                          const CompilerSettings& settings) {
    const fs::path build = job.work_dir / kBuildSubdir;
    sdk::process::ConfinementSpec spec{
        .purpose = "compiling",
        .read_execute = sandbox_read_paths(job, clang, settings),
        .read_write = {build},
        .work_dir = build,
        .limits = {.address_space_bytes = static_cast<rlim_t>(settings.compile_memory_mb) << 20,
                   .cpu_seconds = static_cast<rlim_t>(settings.compile_cpu_seconds),
                   .file_size_bytes = kCompileMaxFileBytes,
                   .open_files = 256},
        .user_when_root = settings.sandbox_user};
    auto c = sdk::process::Confinement::prepare(spec);
    if (c.uid()) {
        hand_over(job.work_dir, *c.uid(), *c.gid());
        hand_over(build, *c.uid(), *c.gid());
    }
    return c;
}

bool user_can_search(const fs::path& dir, uid_t uid, gid_t gid) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(dir, ec);
    if (ec) return false;
    while (true) {
        struct stat st {};
        if (::stat(p.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
        mode_t need = st.st_uid == uid ? S_IXUSR : st.st_gid == gid ? S_IXGRP : S_IXOTH;
        if (!(st.st_mode & need)) return false;
        if (p == p.root_path()) return true;
        p = p.parent_path();
    }
}

}  // namespace schedcp::plugins::compiler
