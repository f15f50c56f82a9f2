#include "compile_sandbox.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

#include "compile.hpp"
#include "schedcp/sdk/error.hpp"
#include "unique_fd.hpp"

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

namespace {

// Where a clang binary's installation keeps its libraries and its resource directory:
// <prefix>/lib, <prefix>/lib/clang/<major>, for <prefix>/bin/clang. Nothing when clang is
// not in a bin/ directory.
struct ClangInstall {
    std::optional<fs::path> lib;
    std::optional<fs::path> resource_dir;
};

ClangInstall clang_install(const fs::path& real_clang, int major) {
    if (real_clang.parent_path().filename() != "bin") return {};
    const fs::path lib = real_clang.parent_path().parent_path() / "lib";
    return {.lib = lib, .resource_dir = lib / "clang" / std::to_string(major)};
}

// The interpreter of a script (`#!/bin/sh`: the clang setting may name a wrapper), or
// nothing for a binary.
std::optional<fs::path> interpreter_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string first;
    first.resize(256);
    in.read(first.data(), static_cast<std::streamsize>(first.size()));
    first.resize(static_cast<std::size_t>(in.gcount()));
    if (!first.starts_with("#!")) return std::nullopt;
    std::size_t start = first.find_first_not_of(" \t", 2);
    if (start == std::string::npos) return std::nullopt;
    std::size_t end = first.find_first_of(" \t\r\n", start);
    fs::path interpreter = first.substr(start, end == std::string::npos ? end : end - start);
    if (!interpreter.is_absolute()) return std::nullopt;
    return interpreter;
}

}  // namespace

std::vector<fs::path> sandbox_execute_paths(const Clang& clang) {
    // clang (the configured path, and the file it resolves to).
    std::vector<fs::path> paths{clang.path};
    std::error_code ec;
    fs::path real = fs::canonical(clang.path, ec);
    if (ec) return paths;
    paths.push_back(real);
    // A wrapper script's interpreter (the file alone: whatever else the script runs must
    // be in the directories below).
    if (auto interpreter = interpreter_of(real)) {
        paths.push_back(*interpreter);
        if (fs::path target = fs::canonical(*interpreter, ec); !ec) paths.push_back(target);
    }
    // The dynamic loader and the shared libraries: the multiarch directories (Debian), else
    // lib/ (Arch), and lib64/ (the x86-64 loader; Fedora's libraries); merged /usr or not.
    utsname u{};
    ::uname(&u);
    const std::string multiarch = std::string(u.machine) + "-linux-gnu";
    if (fs::is_directory(fs::path("/usr/lib") / multiarch, ec))
        paths.insert(paths.end(), {fs::path("/usr/lib") / multiarch, fs::path("/lib") / multiarch});
    else
        paths.insert(paths.end(), {"/usr/lib", "/lib"});
    paths.insert(paths.end(), {"/usr/lib64", "/lib64"});
    // clang's own libraries (libclang-cpp, libLLVM in /usr/lib/llvm-N/lib); its resource
    // directory below is headers, but one rule grants a whole hierarchy.
    if (auto lib = clang_install(real, clang.major).lib) paths.push_back(*lib);
    return paths;
}

std::vector<fs::path> sandbox_read_paths(const CompileJob& job, const Clang& clang,
                                         const CompilerSettings& settings) {
    // The loader's cache, the system's public headers, clang's resource directory
    // (stddef.h & co.), never its whole installation prefix (/usr, /, a home directory).
    std::vector<fs::path> paths{"/etc/ld.so.cache", "/usr/include", "/usr/local/include"};
    std::error_code ec;
    fs::path real = fs::canonical(clang.path, ec);
    if (!ec)
        if (auto resource = clang_install(real, clang.major).resource_dir)
            paths.push_back(*resource);
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
        .read_execute = sandbox_execute_paths(clang),
        .read_only = sandbox_read_paths(job, clang, settings),
        .read_write = {build},
        .work_dir = build,
        .limits = {.address_space_bytes = static_cast<rlim_t>(settings.compile_memory_mb) << 20,
                   .cpu_seconds = static_cast<rlim_t>(settings.compile_cpu_seconds),
                   .file_size_bytes = kCompileMaxFileBytes,
                   .open_files = 256},
        .user_when_root = settings.sandbox_user};
    auto c = sdk::process::Confinement::prepare(spec);
    if (c.uid()) {
        // work_dir stays ours: the sandbox user only passes through it (to vmlinux/ and
        // build/), so it can never replace build/ with something else.
        if (::chmod(job.work_dir.c_str(), 0711) != 0)
            throw sdk::Unavailable("cannot open " + job.work_dir.string() +
                                   " to the sandbox user: " + std::strerror(errno));
        // The source first (written with our umask, 0077 under the systemd units): once
        // build/ is the sandbox user's, a root without CAP_DAC_OVERRIDE cannot enter it.
        hand_over(build / job.file_name, *c.uid(), *c.gid());
        hand_over(build, *c.uid(), *c.gid());
    }
    return c;
}

void take_back_build_dir(const fs::path& work_dir) {
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    auto fail = [&](const std::string& what) {
        throw sdk::Unavailable("cannot take back " + (work_dir / kBuildSubdir / what).string() +
                               " from the sandbox user: " + std::strerror(errno));
    };
    const Fd work(::open(work_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (work.get() < 0) fail("");
    if (::fchownat(work.get(), kBuildSubdir, uid, gid, AT_SYMLINK_NOFOLLOW) != 0) fail("");
    Fd build_fd(
        ::openat(work.get(), kBuildSubdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (build_fd.get() < 0) fail("");
    const int build = build_fd.get();
    DIR* entries = ::fdopendir(build);
    if (!entries) fail("");
    build_fd.release();  // the DIR owns it now
    std::unique_ptr<DIR, int (*)(DIR*)> closer(entries, ::closedir);
    int seen = 0;
    while (dirent* e = ::readdir(entries)) {
        const std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        if (++seen > 4096) {
            errno = E2BIG;
            fail("(more than 4096 entries)");
        }
        if (::fchownat(build, name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0) fail(name);
    }
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
