#include "foreign_config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "schedcp/sdk/error.hpp"

namespace schedcp::plugins::runner {

std::string at_line(const std::filesystem::path& file, std::size_t line, const std::string& what) {
    return file.string() + (line ? ":" + std::to_string(line) : std::string()) + ": " + what;
}

std::optional<std::string> read_foreign_config(const std::filesystem::path& file) {
    // O_NONBLOCK: a FIFO put where a config was expected must not hang the caller.
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
        throw sdk::InvalidArgument(
            at_line(file, 0, "cannot open: " + std::string(std::strerror(errno))));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw sdk::InvalidArgument(at_line(file, 0, "not a regular file"));
    if (static_cast<std::size_t>(st.st_size) > kMaxForeignConfigBytes)
        throw sdk::InvalidArgument(at_line(file, 0,
                                           "too large (" + std::to_string(st.st_size) +
                                               " bytes; at most " +
                                               std::to_string(kMaxForeignConfigBytes) + ")"));
    std::string text;
    char buf[8192];
    while (true) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw sdk::InvalidArgument(
                at_line(file, 0, "cannot read: " + std::string(std::strerror(errno))));
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > kMaxForeignConfigBytes)  // it grew while being read
            throw sdk::InvalidArgument(at_line(file, 0, "too large"));
    }
    if (const auto nul = text.find('\0'); nul != std::string::npos) {
        const std::size_t line =
            1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + nul, '\n'));
        throw sdk::InvalidArgument(at_line(file, line, "holds a NUL byte: not a text file"));
    }
    return text;
}

}  // namespace schedcp::plugins::runner
