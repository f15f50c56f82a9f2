// A file descriptor closed when it goes out of scope (the compiler's openat() walks through
// the build directory: object_handoff.cpp, compile_sandbox.cpp).
#pragma once

#include <unistd.h>

namespace schedcp::plugins::compiler {

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    // Hands the descriptor to an owner of another kind (fdopendir); -1 is left behind.
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

  private:
    int fd_;
};

}  // namespace schedcp::plugins::compiler
