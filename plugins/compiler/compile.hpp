// Compiling one scheduler source with clang for the BPF target, in a private build
// directory, through sdk::process (argv, never a shell), confined (compile_sandbox.hpp:
// Landlock, user, memory and CPU limits), with a deadline; cancelling the call kills clang.
#pragma once

#include <sys/types.h>

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
    std::string source;        // the C text
    std::string file_name;     // written as this in work_dir/build, e.g. "my_sched.bpf.c"
    std::string display_name;  // shown in diagnostics, e.g. "~/src/my_sched.bpf.c"
    // Private, existing, laid out by prepare_build_dirs (compile_sandbox.hpp). Empty (tests
    // only): clang_argv uses absolute paths, for running clang outside the sandbox.
    std::filesystem::path work_dir;
    std::optional<std::filesystem::path> quote_dir;  // for #include "..." next to the user's file
};

struct CompileResult {
    bool ok = false;
    // work_dir/build/<name>.bpf.o when ok: in the sandbox user's directory, so never used
    // by path (take it with take_object, object_handoff.hpp).
    std::filesystem::path object;
    std::optional<uid_t> sandbox_uid;  // whom the object may belong to (nullopt: us)
    CompilerOutput output;
    double seconds = 0;
    long max_rss_kib = 0;    // clang's peak resident memory
    double cpu_seconds = 0;  // and CPU time
};

// Throws sdk::Timeout after compile_timeout_seconds, sdk::Cancelled when cancelled,
// sdk::Unavailable when clang cannot be started or confined (no Landlock: fails closed),
// sdk::InvalidArgument naming the setting when clang exceeded compile_memory_mb or
// compile_cpu_seconds. Call, then await.
boost::asio::awaitable<CompileResult> compile(const CompileJob& job, const Clang& clang,
                                              const VmlinuxHeader& vmlinux,
                                              const CompilerSettings& settings,
                                              sdk::CallContext& ctx);

// The clang command line (for tests and the record kept with each scheduler).
std::vector<std::string> clang_argv(const CompileJob& job, const Clang& clang,
                                    const VmlinuxHeader& vmlinux, const CompilerSettings& settings);

}  // namespace schedcp::plugins::compiler
