// Compiling one scheduler source with clang for the BPF target, in a private build
// directory, through sdk::process (argv, never a shell) with a deadline; cancelling the
// call kills clang.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "clang_toolchain.hpp"
#include "diagnostics.hpp"
#include "schedcp/sdk/call_context.hpp"
#include "settings.hpp"
#include "vmlinux_header.hpp"

namespace schedcp::plugins::compiler {

struct CompileJob {
    std::string source;              // the C text
    std::string file_name;           // written as this in work_dir, e.g. "my_sched.bpf.c"
    std::string display_name;        // shown in diagnostics, e.g. "~/src/my_sched.bpf.c"
    std::filesystem::path work_dir;  // private, existing
    std::optional<std::filesystem::path> quote_dir;  // for #include "..." next to the user's file
};

struct CompileResult {
    bool ok = false;
    std::filesystem::path object;  // work_dir/<name>.bpf.o when ok
    CompilerOutput output;
    double seconds = 0;
};

// Throws sdk::Timeout after compile_timeout_seconds, sdk::Cancelled when cancelled,
// sdk::Unavailable when clang cannot be started. Call, then await.
boost::asio::awaitable<CompileResult> compile(const CompileJob& job, const Clang& clang,
                                              const VmlinuxHeader& vmlinux,
                                              const CompilerSettings& settings,
                                              sdk::CallContext& ctx);

// The clang command line (for tests and the record kept with each scheduler).
std::vector<std::string> clang_argv(const CompileJob& job, const Clang& clang,
                                    const VmlinuxHeader& vmlinux, const CompilerSettings& settings);

}  // namespace schedcp::plugins::compiler
