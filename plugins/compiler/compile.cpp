#include "compile.hpp"

#include <sys/utsname.h>

#include <chrono>
#include <string_view>

#include "child_run.hpp"
#include "compile_sandbox.hpp"
#include "schedcp/sdk/error.hpp"

namespace schedcp::plugins::compiler {

namespace fs = std::filesystem;
namespace asio = boost::asio;

namespace {

// bpf_tracing.h needs the target architecture to read registers (PT_REGS_*).
std::string target_arch() {
    utsname u{};
    ::uname(&u);
    std::string_view m = u.machine;
    if (m == "aarch64") return "arm64";
    if (m == "riscv64") return "riscv";
    if (m == "s390x") return "s390";
    if (m.starts_with("ppc64")) return "powerpc";
    if (m == "loongarch64") return "loongarch";
    return "x86";
}

std::string object_name(const std::string& file_name) {
    std::string stem = file_name;
    for (std::string_view ext : {".bpf.c", ".c"})
        if (stem.ends_with(ext)) {
            stem.resize(stem.size() - ext.size());
            break;
        }
    return stem + ".bpf.o";
}

// Whether a line of clang's output starts with `what` (a diagnostic of the source, e.g.
// `#error LLVM ERROR: ...`, starts with its file name instead).
bool said(const std::string& output, std::string_view what) {
    return output.starts_with(what) || output.find("\n" + std::string(what)) != std::string::npos;
}

// A limit of the sandbox stopped clang: say which, and the setting that sets it. What
// really happens (clang 19): past RLIMIT_AS an allocation fails and clang prints "LLVM
// ERROR: out of memory" (or std::bad_alloc) and exits 1 or aborts; past RLIMIT_CPU the
// kernel sends SIGXCPU, which LLVM's crash handler catches (a stack dump, then an
// unrelated "IO failure on output stream" error, exit 1), then SIGKILL 2 s later.
void throw_if_limit_exceeded(const ChildOutcome& out, const CompilerSettings& settings) {
    const auto& st = out.status;
    const bool ours = out.timed_out || out.cancelled;  // our own SIGKILL
    // RLIMIT_CPU is set with soft = hard, so the kernel ends clang with SIGKILL at the limit
    // (a SIGKILL that is not ours, with about the limit's CPU time: rusage reads a little
    // under it, measured 4.7 s for 5 s, so not exactly); SIGXCPU covers a soft-only limit.
    const bool failed = st.code != 0;
    const double limit = settings.compile_cpu_seconds;
    if (!ours && ((st.signal == SIGKILL && st.cpu_seconds >= 0.8 * limit) || st.signal == SIGXCPU ||
                  (failed && st.cpu_seconds >= limit)))
        throw sdk::InvalidArgument(
            "clang exceeded compile_cpu_seconds (" + std::to_string(settings.compile_cpu_seconds) +
                " s of CPU time) and was stopped",
            boost::json::object{{"stage", "compile"}, {"limit", "compile_cpu_seconds"}});
    if (failed && (said(out.output, "LLVM ERROR: out of memory") ||
                   said(out.output,
                        "terminate called after throwing an instance of "
                        "'std::bad_alloc'")))
        throw sdk::InvalidArgument(
            "clang exceeded compile_memory_mb (" + std::to_string(settings.compile_memory_mb) +
                " MiB) and was stopped",
            boost::json::object{{"stage", "compile"}, {"limit", "compile_memory_mb"}});
    if (st.signal == SIGXFSZ)
        throw sdk::InvalidArgument(
            "clang wrote a file larger than " + std::to_string(kCompileMaxFileBytes >> 20) +
                " MiB and was stopped",
            boost::json::object{{"stage", "compile"}, {"limit", "file_size"}});
}

}  // namespace

std::vector<std::string> clang_argv(const CompileJob& job, const Clang& clang,
                                    const VmlinuxHeader& vmlinux,
                                    const CompilerSettings& settings) {
    std::vector<std::string> argv{
        clang.path.string(), "-target", "bpf", "-O2", "-g", "-mcpu=v3",
        "-D__TARGET_ARCH_" + target_arch(), "-Wall", "-Wno-compare-distinct-pointer-types",
        "-fno-color-diagnostics", "-ferror-limit=30",
        // no reproducer files (they would hold the source)
        "-fno-crash-diagnostics",
        "-I" + (job.work_dir.empty() ? vmlinux.dir.string() : std::string(kVmlinuxInclude)),
        "-I" + settings.shipped_include.string()};
    for (const auto& d : settings.include_dirs) argv.push_back("-I" + d.string());
    if (job.quote_dir) argv.push_back("-iquote" + job.quote_dir->string());
#ifdef SCHEDCP_LIBBPF_INCLUDE_DIR
    // libbpf's bpf/*.h, when they are not in a directory clang searches anyway.
    if (std::string_view(SCHEDCP_LIBBPF_INCLUDE_DIR) != "/usr/include")
        argv.push_back("-idirafter" + std::string(SCHEDCP_LIBBPF_INCLUDE_DIR));
#endif
    std::error_code ec;
    utsname u{};
    ::uname(&u);
    // <asm/...> for sources that include uapi headers.
    fs::path multiarch = fs::path("/usr/include") / (std::string(u.machine) + "-linux-gnu");
    if (fs::is_directory(multiarch, ec)) argv.push_back("-idirafter" + multiarch.string());
    argv.insert(argv.end(), {"-c", job.file_name, "-o", object_name(job.file_name)});
    return argv;
}

asio::awaitable<CompileResult> compile(const CompileJob& job, const Clang& clang,
                                       const VmlinuxHeader& vmlinux,
                                       const CompilerSettings& settings, sdk::CallContext& ctx) {
    auto start = std::chrono::steady_clock::now();
    // Prepared before anything runs: without Landlock this throws, and clang never starts.
    sdk::process::Confinement sandbox = confine_compile(job, clang, settings);
    // The CLI's source directory serves `#include "..."` only if the sandbox user may search
    // it (Landlock grants, it does not override permissions); otherwise a lookup there fails
    // with EACCES, which clang treats as fatal even for headers found further on.
    CompileJob searched = job;
    std::string quote_note;
    if (job.quote_dir && sandbox.uid() &&
        !user_can_search(*job.quote_dir, *sandbox.uid(), *sandbox.gid())) {
        searched.quote_dir.reset();
        quote_note = "note: " + job.quote_dir->string() + " is not searchable by sandbox_user '" +
                     settings.sandbox_user +
                     "', so files next to the source cannot be included with #include \"...\" "
                     "(make the directory searchable by others, e.g. chmod o+x, or add it to "
                     "include_dirs)\n";
    }
    ChildSpec spec;
    spec.argv = clang_argv(searched, clang, vmlinux, settings);
    spec.confinement = &sandbox;
    spec.timeout = std::chrono::seconds(settings.compile_timeout_seconds);
    spec.stop_signal = SIGKILL;
    spec.max_output = 256 * 1024;
    auto running = run_child(spec, ctx.stop_token());  // call, then await: see sdk/blocking.hpp
    ChildOutcome out = co_await std::move(running);
    // Ours again before anything is read or removed (clang has exited: run_child waited).
    if (sandbox.uid()) take_back_build_dir(job.work_dir);
    if (out.cancelled) throw sdk::Cancelled("compilation cancelled; clang was stopped");
    if (out.timed_out)
        throw sdk::Timeout("clang did not finish within " +
                           std::to_string(settings.compile_timeout_seconds) +
                           " s (compile_timeout_seconds) and was stopped");
    throw_if_limit_exceeded(out, settings);
    CompileResult r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.max_rss_kib = out.status.max_rss_kib;
    r.cpu_seconds = out.status.cpu_seconds;
    const fs::path build = job.work_dir / kBuildSubdir;
    std::string raw = std::move(out.output);
    replace_all(raw, std::string(kVmlinuxInclude) + "/", "");  // "vmlinux.h:12:3: ..."
    r.output = parse_clang_output(raw, job.file_name, job.display_name, build, job.source);
    r.object = build / object_name(job.file_name);
    r.sandbox_uid = sandbox.uid();
    // Whether clang left an object; what it is, take_object checks when it takes it.
    std::error_code ec;
    r.ok =
        out.status.code == 0 && fs::symlink_status(r.object, ec).type() != fs::file_type::not_found;
    if (!r.ok && r.output.errors == 0 && out.status.code != 0) {
        // clang died without a diagnostic (a crash, a signal): say so rather than nothing.
        r.output.text += "clang " + out.status.describe() + "\n";
    }
    if (!r.ok) r.output.text += quote_note;
    co_return r;
}

}  // namespace schedcp::plugins::compiler
