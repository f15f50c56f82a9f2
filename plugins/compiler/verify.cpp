#include "verify.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "child_run.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

// schedcp-loader's exit codes (loader/exit_codes.hpp).
constexpr int kLoaderFailed = 1, kLoaderNoSchedExt = 3, kLoaderBusy = 4, kLoaderNoPermission = 5,
              kLoaderBadObject = 6;

std::string first_line(const fs::path& p) {
    std::ifstream in(p);
    std::string s;
    std::getline(in, s);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
    return s;
}

std::string kernel_release() {
    utsname u{};
    ::uname(&u);
    return u.release;
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

SchedExtNow read_sched_ext(const fs::path& root) {
    SchedExtNow n;
    std::error_code ec;
    n.present = fs::is_directory(root, ec);
    if (!n.present) return n;
    n.state = first_line(root / "state");
    n.ops = first_line(root / "root" / "ops");
    return n;
}

bj::object VerifyOutcome::to_json() const {
    bj::object o{{"attempted", attempted}, {"verified", verified}};
    if (!reason.empty()) o["reason"] = reason;
    if (!privilege.empty()) o["privilege"] = privilege;
    if (!loader_result.empty()) o["result"] = loader_result;
    if (!output.empty()) o["loader_output"] = output;
    return o;
}

asio::awaitable<VerifyOutcome> verify_in_kernel(const VerifyRequest& req,
                                                const CompilerSettings& settings,
                                                sdk::CallContext& ctx) {
    VerifyOutcome v;
    SchedExtNow k = read_sched_ext(settings.sched_ext_root);
    if (!k.present) {
        v.reason = "this kernel (" + kernel_release() +
                   ") has no sched_ext: " + settings.sched_ext_root.string() +
                   " does not exist (sched_ext needs Linux >= 6.12 built with "
                   "CONFIG_SCHED_CLASS_EXT=y), so the scheduler was compiled and checked but not "
                   "loaded into a kernel. It is verified when it first runs on a sched_ext kernel";
        co_return v;
    }
    if (k.state != "disabled") {
        v.reason = "sched_ext already has a scheduler" +
                   (k.ops.empty() ? std::string() : " ('" + k.ops + "')") + " loaded (state " +
                   k.state +
                   "); only one can be loaded at a time, so this one was not loaded. Stop the "
                   "running one and call again to verify";
        co_return v;
    }
    std::vector<std::string> argv;
    if (::geteuid() == 0) {
        v.privilege = "root";
    } else if (std::error_code ec; req.allow_sudo && fs::exists(settings.sudo_path, ec)) {
        v.privilege = "sudo -n";
        argv = {settings.sudo_path, "-n", "--"};
    } else {
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
        v.rejected = false;
        v.reason = "schedcp-loader did not finish within " +
                   std::to_string(settings.verify_seconds + 40) + " s and was stopped";
        co_return v;
    }
    if (!result) {
        v.attempted = false;
        if (v.privilege == "sudo -n" && shown.find("password") != std::string::npos)
            v.reason =
                "loading a scheduler needs root, and `sudo -n` needs a password here; "
                "allow passwordless sudo for " +
                settings.loader.string() + ", or run as root";
        else
            v.reason = "schedcp-loader " + out.status.describe() +
                       " without a result: " + sdk::text::sanitize(shown, 600);
        co_return v;
    }
    v.loader_result = *result;
    if (auto* ok = result->if_contains("verified"); ok && ok->is_bool() && ok->get_bool()) {
        v.verified = true;
        co_return v;
    }
    std::string error = text_of(*result, "error");
    int code = out.status.code.value_or(kLoaderFailed);
    if (code == kLoaderNoSchedExt || code == kLoaderBusy || code == kLoaderNoPermission) {
        v.attempted = false;  // the kernel never judged the scheduler
        v.reason = error;
    } else {
        v.rejected = code == kLoaderFailed || code == kLoaderBadObject;
        v.reason = error.empty() ? "schedcp-loader " + out.status.describe() : error;
    }
    co_return v;
}

}  // namespace schedcp::plugins::compiler
