#include "object_handoff.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "schedcp/sdk/error.hpp"
#include "unique_fd.hpp"

namespace schedcp::plugins::compiler {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(const fs::path& p, const std::string& why) {
    throw sdk::Unavailable("refusing the compiled object " + p.string() + ": " + why +
                           " (something else running as the sandbox user changed the build "
                           "directory after clang finished)");
}

std::string open_error(int e) {
    if (e == ELOOP || e == ENOTDIR) return "it or a directory above it is a symbolic link";
    return std::strerror(e);
}

}  // namespace

fs::path take_object(const fs::path& work_dir, const std::string& build_subdir,
                     const std::string& object_name, const fs::path& private_dir,
                     std::optional<uid_t> owner) {
    const fs::path shown = work_dir / build_subdir / object_name;
    Fd work(::open(work_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (work.get() < 0) refuse(shown, open_error(errno));
    Fd build(::openat(work.get(), build_subdir.c_str(),
                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (build.get() < 0) refuse(shown, open_error(errno));
    // O_NONBLOCK: a FIFO planted there must not hang us (fstat refuses it next).
    Fd in(::openat(build.get(), object_name.c_str(),
                   O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (in.get() < 0) refuse(shown, open_error(errno));
    struct stat st {};
    if (::fstat(in.get(), &st) != 0) refuse(shown, std::strerror(errno));
    if (!S_ISREG(st.st_mode)) refuse(shown, "it is not a regular file");
    if (st.st_uid != ::geteuid() && (!owner || st.st_uid != *owner))
        refuse(shown, "it belongs to uid " + std::to_string(st.st_uid) +
                          ", neither the sandbox user nor us");
    if (st.st_nlink != 1)
        refuse(shown, "it has " + std::to_string(st.st_nlink) + " hard links (one expected)");
    if (static_cast<std::uint64_t>(st.st_size) > kMaxObjectBytes)
        refuse(shown, "it is " + std::to_string(st.st_size) + " bytes; at most " +
                          std::to_string(kMaxObjectBytes) + " are accepted");

    const fs::path copy = private_dir / object_name;
    ::unlink(copy.c_str());
    Fd out(::open(copy.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (out.get() < 0)
        throw sdk::Unavailable("cannot create " + copy.string() + ": " + std::strerror(errno));
    // It may still be written to while we read: what we read is what is used, bounded.
    std::vector<char> buf(1 << 16);
    std::uint64_t total = 0;
    while (true) {
        ssize_t n = ::read(in.get(), buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) refuse(shown, std::string("cannot read it: ") + std::strerror(errno));
        if (n == 0) break;
        total += static_cast<std::uint64_t>(n);
        if (total > kMaxObjectBytes)
            refuse(shown, "it grew past " + std::to_string(kMaxObjectBytes) + " bytes");
        for (ssize_t done = 0; done < n;) {
            ssize_t w = ::write(out.get(), buf.data() + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0)
                throw sdk::Unavailable("cannot write " + copy.string() + ": " +
                                       std::strerror(errno));
            done += w;
        }
    }
    return copy;
}

}  // namespace schedcp::plugins::compiler
