#include "schedcp/sdk/sudo_secret.hpp"

#include <sys/mman.h>
#include <sys/prctl.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>

extern char** environ;

namespace schedcp::sdk {

struct SudoSecretAccess {
    static std::shared_ptr<SudoSecret> make(const char* value) {
        std::shared_ptr<SudoSecret> s(new SudoSecret);
        s->line_.reserve(std::strlen(value) + 2);
        s->line_.assign(value);
        s->line_.push_back('\n');
        ::mlock(s->line_.data(), s->line_.capacity());
        return s;
    }
};

namespace {

std::mutex g_mutex;
std::shared_ptr<const SudoSecret> g_secret;
bool g_taken = false;

}  // namespace

SudoSecret::~SudoSecret() {
    ::explicit_bzero(line_.data(), line_.size());
    ::munlock(line_.data(), line_.capacity());
}

namespace sudo_secret {

void take_from_environment(const char* var) {
    std::lock_guard lock(g_mutex);
    if (g_taken) return;
    g_taken = true;
    const std::size_t n = std::strlen(var);
    for (char** e = environ; e && *e; ++e) {
        if (std::strncmp(*e, var, n) != 0 || (*e)[n] != '=') continue;
        char* entry = *e;
        // sudo -S reads the password up to the first newline; the rest would be read by the
        // command it runs, schedcp-guard, as lifeline lines. So such a password is refused
        // (wiped all the same, and never printed).
        const bool has_newline = std::strpbrk(entry + n + 1, "\n\r") != nullptr;
        if (!has_newline) g_secret = SudoSecretAccess::make(entry + n + 1);
        // Drop the variable, then wipe its bytes, name included, in the environment block
        // itself (what /proc/<pid>/environ shows).
        ::unsetenv(var);
        ::explicit_bzero(entry, std::strlen(entry));
        // No core dumps or ptrace-by-same-user reads of a process that holds it.
        ::prctl(PR_SET_DUMPABLE, 0);
        if (has_newline)
            throw std::invalid_argument(
                std::string(var) +
                " contains a line break: sudo reads a password only up to the first one, and "
                "the rest would reach the scheduler's supervisor; use a password without line "
                "breaks (the password is not shown)");
        return;
    }
}

std::shared_ptr<const SudoSecret> get() {
    std::lock_guard lock(g_mutex);
    return g_secret;
}

}  // namespace sudo_secret

}  // namespace schedcp::sdk
