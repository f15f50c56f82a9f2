// Test support: compile a scheduler source the way the plugin does (its own clang
// command line, headers and vmlinux.h), for tests of what comes after compiling.
#pragma once

#include <string>

namespace schedcp::test {

struct TestBuild {
    bool ok = false;
    std::string object;  // dir/name.bpf.o
    std::string output;  // clang's
};

// Needs the sched_ext BTF (sched_ext_btf.hpp); the caller checks require_sched_ext_btf().
TestBuild build_object(const std::string& dir, const std::string& name, const std::string& source);

// A file of tests/compiler/data.
std::string test_data(const std::string& name);

}  // namespace schedcp::test
