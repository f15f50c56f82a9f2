#include "compiler_core.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>

#include "clang_toolchain.hpp"
#include "compile.hpp"
#include "compile_sandbox.hpp"
#include "create_outcome.hpp"
#include "names.hpp"
#include "object_checks.hpp"
#include "object_handoff.hpp"
#include "private_tree.hpp"
#include "schedcp/sdk/blocking.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/services/scheduler_catalog.hpp"
#include "schedcp/sdk/services/scheduler_runner.hpp"
#include "schedcp/sdk/text.hpp"
#include "verify.hpp"
#include "vmlinux_header.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;
namespace asio = boost::asio;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMaxInfoBytes = 4096;
constexpr double kSteps = 5;  // progress: vmlinux.h, compile, checks, verify, register
constexpr const char* kTextFields[] = {"description", "algorithm", "characteristics", "limitations",
                                       "performance_profile"};

// Progress while waiting in a queue, between `step` and the next: it grows as the
// waiters ahead go (notifications must increase).
double waiting_progress(double step, std::size_t ahead) {
    return step + 1.0 / (static_cast<double>(ahead) + 2.0);
}

double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string utc_stamp() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

// A directory of one create(): private (0700), and removed whatever happens. The build
// directory is handed to the sandbox user, so it is removed without following a symlink.
class WorkDir {
  public:
    explicit WorkDir(fs::path p) : path_(std::move(p)) {
        std::error_code ec;
        remove_tree_nofollow(path_);  // a stale one (same pid and counter after a crash)
        fs::create_directories(path_, ec);
        if (ec)
            throw sdk::Unavailable("cannot create the build directory " + path_.string() + ": " +
                                   ec.message());
        ::chmod(path_.c_str(), 0700);
    }
    ~WorkDir() { remove_tree_nofollow(path_); }
    WorkDir(const WorkDir&) = delete;
    WorkDir& operator=(const WorkDir&) = delete;
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

}  // namespace

CompilerCore::CompilerCore(CompilerSettings settings, sdk::ServiceRegistry& services,
                           sdk::Logger& log)
    : settings_(std::move(settings)),
      services_(services),
      log_(log),
      registry_(settings_.data_dir / "schedulers"),
      compile_gate_(static_cast<std::size_t>(settings_.max_concurrent_compiles)),
      verify_gate_(1) {}

void CompilerCore::check_request(const CreateRequest& r) const {
    check_name(r.name);
    if (r.source.empty())
        throw sdk::InvalidArgument("source_code is empty: give the scheduler's BPF C source");
    if (r.source.size() > kMaxSourceBytes)
        throw sdk::InvalidArgument("source_code is " + std::to_string(r.source.size()) +
                                   " bytes; at most 1 MiB (1048576 bytes) is accepted");
    if (r.source.find('\0') != std::string::npos)
        throw sdk::InvalidArgument("source_code contains a NUL byte; it must be C source text");
    for (const char* f : kTextFields)
        if (auto v = sdk::json::optional_string(r.info, f); v && v->size() > kMaxInfoBytes)
            throw sdk::InvalidArgument(std::string(f) + " is " + std::to_string(v->size()) +
                                       " bytes; at most 4096");
    auto catalog = services_.find<sdk::services::SchedulerCatalog>();
    if (!catalog)
        throw sdk::Unavailable(
            "the compiler registers schedulers in the catalog: add the catalog "
            "plugin to the config");
    if (auto existing = catalog->find(r.name); existing && !existing->custom)
        throw sdk::Conflict(
            "'" + r.name +
            "' is a built-in scheduler of the catalog; choose "
            "another name for a custom one (list_schedulers shows the names taken)");
    std::error_code ec;
    if (!fs::exists(settings_.loader, ec))
        throw sdk::Internal("schedcp-loader is missing at " + settings_.loader.string() +
                            " (broken installation: it is built and installed with the plugin)");
    if (!fs::exists(settings_.shipped_include / "scx" / "common.bpf.h", ec))
        throw sdk::Internal("the scx headers are missing at " + settings_.shipped_include.string() +
                            " (broken installation: they are installed with the plugin)");
}

bj::object CompilerCore::metadata_for(const CreateRequest& r, const bj::object& facts) const {
    auto text = [&](const char* key, const char* fallback) {
        return sdk::text::sanitize(sdk::json::optional_string(r.info, key).value_or(fallback),
                                   kMaxInfoBytes);
    };
    bj::array use_cases;
    if (auto uses = sdk::json::optional_string_array(r.info, "use_cases"))
        for (const auto& u : *uses) use_cases.push_back(bj::string(sdk::text::sanitize(u, 200)));
    bj::object m{
        {"name", r.name},
        {"production_ready", false},
        {"custom", true},
        {"description", text("description", "Custom sched_ext scheduler compiled by schedcp.")},
        {"algorithm", text("algorithm", "custom")},
        {"use_cases", std::move(use_cases)},
        {"characteristics", text("characteristics", "")},  // filled from the callbacks when empty
        {"tuning_parameters", bj::object{}},
        {"limitations",
         text("limitations", "Custom scheduler: experimental, not production-ready.")},
        {"performance_profile", text("performance_profile", "")},
        {"origin", bj::object{{"project", "custom (schedcp compiler)"}, {"language", "c"}}},
        {"created_at", static_cast<std::int64_t>(std::time(nullptr))}};
    for (const auto& kv : facts) m[kv.key()] = kv.value();
    if (m["characteristics"].as_string().empty()) {
        std::string cbs;
        for (const auto& c : m["callbacks"].as_array())
            cbs += (cbs.empty() ? "" : ", ") + std::string(c.at("callback").as_string());
        m["characteristics"] =
            "custom sched_ext scheduler; callbacks: " + (cbs.empty() ? "none" : cbs);
    }
    return m;
}

asio::awaitable<bj::object> CompilerCore::create(const CreateRequest& r, sdk::CallContext& ctx) {
    const auto total_start = Clock::now();
    check_request(r);
    CreateFacts f;
    f.name = r.name;

    // 1. vmlinux.h for the target kernel, and clang (blocking: hashing, maybe a dump).
    ctx.report_progress(1, kSteps, "preparing vmlinux.h from " + settings_.vmlinux_btf.string());
    const CompilerSettings* s = &settings_;
    auto preparing = sdk::run_blocking(ctx.blocking_executor(), [s] {
        CreateFacts tc;
        tc.vmlinux = ensure_vmlinux_header(s->vmlinux_btf, s->data_dir / "vmlinux");
        auto t = Clock::now();
        tc.clang = find_clang(s->clang);
        tc.find_clang_s = since(t);
        return tc;
    });
    CreateFacts toolchain = co_await std::move(preparing);
    f.vmlinux = toolchain.vmlinux;
    f.clang = toolchain.clang;
    f.find_clang_s = toolchain.find_clang_s;

    // 2. Compile in a private build directory, removed whatever happens.
    const std::string work_name =
        r.name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++work_counter_);
    WorkDir work(settings_.data_dir / "work" / work_name);
    // Root's own: the object is copied here once clang is done (object_handoff.hpp).
    WorkDir taken(settings_.data_dir / "work" / (work_name + ".object"));
    prepare_build_dirs(work.path(), f.vmlinux.dir / "vmlinux.h");
    CompileJob job = compile_job(r, work.path());
    auto queueing = compile_gate_.acquire(
        ctx.stop_token(),
        [&ctx](std::size_t ahead) {
            ctx.report_progress(waiting_progress(1, ahead), kSteps,
                                "waiting for a compile slot: " + std::to_string(ahead) + " ahead");
        },
        "compilation cancelled while waiting for a compile slot");
    FifoGate::Slot compile_slot = co_await std::move(queueing);
    ctx.report_progress(2, kSteps, "compiling with clang " + f.clang.version);
    auto compiling = compile(job, f.clang, f.vmlinux, settings_, ctx);  // call, then await
    f.built = co_await std::move(compiling);
    compile_slot = FifoGate::Slot();  // the next compile may start
    if (!f.built.ok) throw_compile_failure(f.built, f.clang, job.display_name);

    // 3. Static checks of the object: of our copy, the only one used from here on.
    ctx.report_progress(3, kSteps, "checking the object");
    auto t = Clock::now();
    const fs::path work_dir = work.path(), taken_dir = taken.path();
    const std::string object_file = f.built.object.filename().string();
    const std::optional<uid_t> owner = f.built.sandbox_uid;
    auto taking = sdk::run_blocking(ctx.blocking_executor(), [=] {
        return take_object(work_dir, kBuildSubdir, object_file, taken_dir, owner);
    });
    const fs::path object = co_await std::move(taking);
    f.built.object = object;
    auto checking =
        sdk::run_blocking(ctx.blocking_executor(), [object] { return check_object(object); });
    f.report = co_await std::move(checking);
    f.checks_s = since(t);
    if (!f.report.passed()) throw_check_failure(f.report);

    // 4. Kernel verification, one at a time (one scheduler fits in the kernel).
    ctx.report_progress(
        4, kSteps, "verifying in the kernel (" + std::to_string(settings_.verify_seconds) + " s)");
    t = Clock::now();
    auto verifying = verify(r, object, ctx);  // call, then await
    f.verification = co_await std::move(verifying);
    f.verify_s = since(t);
    if (f.verification.rejected()) {
        SCHEDCP_LOG(log_, info) << "create " << r.name
                                << ": rejected by the kernel: " << f.verification.reason;
        throw_kernel_rejection(f.report, f.verification);
    }

    // 5. Store and register.
    ctx.report_progress(5, kSteps, "registering");
    const Registry* reg = &registry_;
    bj::object metadata = metadata_for(r, build_facts(f, settings_));
    const std::string name = r.name;
    const std::string source = r.source;
    auto storing =
        sdk::run_blocking(ctx.blocking_executor(), [reg, name, source, object, metadata] {
            return reg->store(name, source, object, metadata);
        });
    StoredScheduler stored = co_await std::move(storing);
    services_.find<sdk::services::SchedulerCatalog>()->add_custom(
        catalog_entry(stored, settings_.loader));
    SCHEDCP_LOG(log_, info) << "create " << r.name << ": registered (ops '"
                            << f.report.ops_name.value_or("") << "', vmlinux.h "
                            << (f.vmlinux.generated ? "generated" : "cached") << ", "
                            << (f.verification.verified()
                                    ? "verified"
                                    : "not verified: " + f.verification.reason)
                            << ")";
    f.total_s = since(total_start);
    co_return create_result(f, stored, settings_);
}

CompileJob CompilerCore::compile_job(const CreateRequest& r, const fs::path& work_dir) const {
    CompileJob job;
    job.source = r.source;
    job.file_name = r.name + ".bpf.c";
    job.display_name = r.display_name.empty() ? job.file_name : r.display_name;
    job.work_dir = work_dir;
    job.quote_dir = r.source_dir;
    std::ofstream out(work_dir / kBuildSubdir / job.file_name, std::ios::binary);
    out << r.source;
    if (!out.flush()) throw sdk::Unavailable("cannot write the source into " + work_dir.string());
    return job;
}

asio::awaitable<VerifyOutcome> CompilerCore::verify(const CreateRequest& r, const fs::path& object,
                                                    sdk::CallContext& ctx) {
    auto waiting = verify_gate_.acquire(
        ctx.stop_token(),
        [&ctx](std::size_t ahead) {
            ctx.report_progress(waiting_progress(4, ahead), kSteps,
                                "waiting for the kernel (another verification runs): " +
                                    std::to_string(ahead) + " ahead");
        },
        "kernel verification cancelled while waiting for another one to finish");
    FifoGate::Slot turn = co_await std::move(waiting);
    std::error_code ec;
    fs::create_directories(settings_.data_dir / "logs", ec);
    VerifyRequest req;
    req.object = object;
    req.log_file = settings_.data_dir / "logs" / (r.name + "-" + utc_stamp() + ".verifier.log");
    req.allow_sudo = r.cli ? r.sudo : settings_.allow_sudo;
    req.cli = r.cli;
    auto verifying = verify_in_kernel(req, settings_, ctx);  // call, then await
    VerifyOutcome v = co_await std::move(verifying);
    // A scheduler of ours in the way: say which, and how to stop it.
    if (v.kind == VerifyKind::busy)
        if (auto runner = services_.find<sdk::services::SchedulerRunner>())
            if (auto live = runner->live())
                v.reason += " (it is " + live->scheduler + ", execution " + live->execution_id +
                            " of this server: stop_scheduler stops it)";
    co_return v;
}

void CompilerCore::register_stored() {
    auto catalog = services_.find<sdk::services::SchedulerCatalog>();
    std::vector<std::string> problems;
    auto stored = registry_.load_all(problems);
    for (const auto& p : problems) SCHEDCP_LOG(log_, warning) << "custom scheduler " << p;
    if (!catalog) {
        if (!stored.empty())
            SCHEDCP_LOG(log_, warning)
                << stored.size() << " custom schedulers not registered: no catalog plugin";
        return;
    }
    for (const auto& s : stored) {
        try {
            catalog->add_custom(catalog_entry(s, settings_.loader));
        } catch (const sdk::Error& e) {
            // e.g. a built-in of a newer catalog now has this name
            SCHEDCP_LOG(log_, warning)
                << "custom scheduler " << s.name << " not registered: " << e.what();
        }
    }
    if (!stored.empty())
        SCHEDCP_LOG(log_, info) << "registered " << stored.size() << " custom schedulers from "
                                << registry_.root().string();
}

}  // namespace schedcp::plugins::compiler
