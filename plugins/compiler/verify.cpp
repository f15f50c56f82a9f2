#include "verify.hpp"

#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "child_run.hpp"
#include "loader/exit_codes.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/sched_ext.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

namespace scx = sdk::sched_ext;

// What the loader's exit code says about the kernel's judgement.
VerifyKind kind_of_loader_exit(int code) {
    switch (code) {
        case loader::kNoSchedExt:
            return VerifyKind::no_sched_ext;
        case loader::kBusy:
            return VerifyKind::busy;
        case loader::kNoPermission:
            return VerifyKind::no_permission;
        case loader::kFailed:
        case loader::kBadObject:
            return VerifyKind::rejected;
        default:
            return VerifyKind::failed;
    }
}

// The loader's result: the last output line that is a JSON object.
std::optional<bj::object> result_line(const std::string& output) {
    std::size_t end = output.size();
    while (end > 0) {
        std::size_t start = output.rfind('\n', end - 1);
        start = start == std::string::npos ? 0 : start + 1;
        std::string_view line(output.data() + start, end - start);
        if (line.starts_with("{\"")) {
            boost::system::error_code ec;
            bj::value v = bj::parse(line, ec);
            if (!ec && v.is_object()) return v.as_object();
        }
        end = start == 0 ? 0 : start - 1;
    }
    return std::nullopt;
}

std::string text_of(const bj::object& o, const char* key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

std::optional<VerifyOutcome> kernel_unavailable(const fs::path& sched_ext_root) {
    scx::Status k = scx::read_status(sched_ext_root);
    if (!k.present)
        return VerifyOutcome{
            .kind = VerifyKind::no_sched_ext,
            .reason = scx::no_sched_ext_message(sched_ext_root) +
                      ", so the scheduler was compiled and checked but not loaded into a kernel. "
                      "It is verified when it first runs on a sched_ext kernel"};
    if (k.busy())
        return VerifyOutcome{
            .kind = VerifyKind::busy,
            .reason = "sched_ext already has a scheduler" +
                      (k.ops ? " ('" + *k.ops + "')" : std::string()) + " loaded (state " +
                      k.state_text() +
                      "); only one can be loaded at a time, so this one was not loaded. Stop the "
                      "running one and call again to verify"};
    return std::nullopt;
}

bj::object VerifyOutcome::to_json() const {
    bj::object o{{"attempted", attempted}, {"verified", verified()}};
    if (!reason.empty()) o["reason"] = reason;
    if (!privilege.empty()) o["privilege"] = privilege;
    if (!loader_result.empty()) o["result"] = loader_result;
    if (!output.empty()) o["loader_output"] = output;
    return o;
}

asio::awaitable<VerifyOutcome> verify_in_kernel(const VerifyRequest& req,
                                                const CompilerSettings& settings,
                                                sdk::CallContext& ctx) {
    if (auto why = kernel_unavailable(settings.sched_ext_root)) co_return std::move(*why);
    VerifyOutcome v;
    std::vector<std::string> argv;
    if (::geteuid() == 0) {
        v.privilege = "root";
    } else if (std::error_code ec; req.allow_sudo && fs::exists(settings.sudo_path, ec)) {
        v.privilege = "sudo -n";
        argv = {settings.sudo_path, "-n", "--"};
    } else {
        v.kind = VerifyKind::no_permission;
        v.reason =
            std::string(
                "loading a scheduler into the kernel needs root, and this process "
                "is not root") +
            (req.cli ? "; run as root, or pass --sudo (passwordless sudo)"
                     : (settings.allow_sudo ? "; sudo was not found at " + settings.sudo_path
                                            : std::string("; the compiler plugin may not use "
                                                          "sudo (use_sudo: never)")));
        co_return v;
    }
    argv.insert(argv.end(),
                {settings.loader.string(), req.object.string(), "--verify",
                 std::to_string(settings.verify_seconds), "--verifier-log", req.log_file.string(),
                 "--sched-ext-root", settings.sched_ext_root.string(), "--stdin-lifeline"});
    ChildSpec spec;
    spec.argv = std::move(argv);
    spec.timeout = std::chrono::seconds(settings.verify_seconds + 40);
    spec.stop_signal = SIGINT;  // the loader detaches the scheduler cleanly on SIGINT
    spec.kill_after = std::chrono::seconds(5);
    spec.max_output = 256 * 1024;
    spec.stdin_pipe = true;                            // if we go away, the loader detaches
    auto running = run_child(spec, ctx.stop_token());  // call, then await: see sdk/blocking.hpp
    ChildOutcome out = co_await std::move(running);
    v.attempted = true;
    if (out.cancelled)
        throw sdk::Cancelled("kernel verification cancelled; the scheduler was detached");
    auto result = result_line(out.output);
    std::string shown = out.output;
    if (result) {
        // The JSON line is reported as `result`; keep the human lines.
        auto pos = shown.rfind(bj::serialize(*result));
        if (pos != std::string::npos) shown.erase(pos);
    }
    v.output = sdk::text::sanitize(shown, 8 * 1024);
    if (out.timed_out) {
        v.kind = VerifyKind::failed;
        v.reason = "schedcp-loader did not finish within " +
                   std::to_string(settings.verify_seconds + 40) + " s and was stopped";
        co_return v;
    }
    if (!result) {
        v.attempted = false;
        if (v.privilege == "sudo -n" && shown.find("password") != std::string::npos) {
            v.kind = VerifyKind::no_permission;
            v.reason =
                "loading a scheduler needs root, and `sudo -n` needs a password here; "
                "allow passwordless sudo for " +
                settings.loader.string() + ", or run as root";
        } else {
            v.reason = "schedcp-loader " + out.status.describe() +
                       " without a result: " + sdk::text::sanitize(shown, 600);
        }
        co_return v;
    }
    v.loader_result = *result;
    if (auto* ok = result->if_contains("verified"); ok && ok->is_bool() && ok->get_bool()) {
        v.kind = VerifyKind::verified;
        co_return v;
    }
    std::string error = text_of(*result, "error");
    v.kind = kind_of_loader_exit(out.status.code.value_or(loader::kFailed));
    if (v.kind == VerifyKind::no_sched_ext || v.kind == VerifyKind::busy ||
        v.kind == VerifyKind::no_permission) {
        v.attempted = false;  // the kernel never judged the scheduler
        v.reason = error;
    } else {
        v.reason = error.empty() ? "schedcp-loader " + out.status.describe() : error;
    }
    co_return v;
}

}  // namespace schedcp::plugins::compiler
