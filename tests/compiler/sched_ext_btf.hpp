// Test support: the BTF of a sched_ext kernel, which compiling a scheduler needs.
//
// Looked for in order: $SCHEDCP_TEST_SCHED_EXT_BTF; the running kernel's
// /sys/kernel/btf/vmlinux if it has sched_ext; the newest vmlinux in the end-to-end
// suite's kernel cache (${SCHEDCP_E2E_CACHE:-/var/cache/schedcp-e2e}/<key>/vmlinux, built
// by tests/e2e/build-kernel.sh). A test that needs it and finds none FAILS, saying why
// and how to provide one: nothing is skipped silently.
#pragma once

#include <string>

namespace schedcp::test {

struct SchedExtBtf {
    std::string path;  // empty when none was found
    std::string why_missing;
};

const SchedExtBtf& sched_ext_btf();

// For tests that need it: true, or a loud BOOST_ERROR naming what is missing and false.
bool require_sched_ext_btf(const char* what_needs_it);

// True when this machine's kernel has sched_ext (/sys/kernel/sched_ext exists).
bool kernel_has_sched_ext();

// The shell-quoted-free YAML settings line for the compiler plugin's vmlinux_btf.
std::string vmlinux_setting();

// Writes, at `path`, raw BTF with nothing but `struct sched_ext_ops { int flags; }`: enough
// for the compiler to accept it as a sched_ext kernel's and run clang, for tests of what
// happens before and inside clang (the sandbox) that need no real kernel types.
std::string write_minimal_sched_ext_btf(const std::string& path);

}  // namespace schedcp::test
