// Kernel verification of a compiled scheduler: `schedcp-loader OBJ --verify N` loads it
// (the kernel's verifier runs), attaches it, confirms sched_ext reports it enabled,
// keeps it N seconds, detaches it and reports the exit the scheduler recorded. Runs as
// root directly, else through `sudo -n` when allowed; never claims a verification that
// did not happen: every way it can be skipped has its reason.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "schedcp/sdk/call_context.hpp"
#include "settings.hpp"

namespace schedcp::plugins::compiler {

struct VerifyRequest {
    std::filesystem::path object;
    std::filesystem::path log_file;  // where a rejected program's full verifier log goes
    bool allow_sudo = false;         // sudo -n when not root
    bool cli = false;                // reasons name the CLI's --sudo instead of the setting
};

// How a verification ended. Callers branch on this, never on the reason's words.
enum class VerifyKind {
    verified,       // loaded, enabled for the configured time, detached cleanly
    no_sched_ext,   // this kernel has no sched_ext: nothing was loaded
    busy,           // another scheduler is loaded (only one can be): nothing was loaded
    no_permission,  // not root, and no usable sudo: nothing was loaded
    rejected,       // the kernel refused or ejected it: do not register it
    failed,         // the loader could not say (timed out, no result, bad usage)
};

struct VerifyOutcome {
    VerifyKind kind = VerifyKind::failed;
    bool attempted = false;  // the loader ran against the kernel
    bool verified() const { return kind == VerifyKind::verified; }
    bool rejected() const { return kind == VerifyKind::rejected; }
    std::string reason;                 // why it is not verified (empty when verified)
    std::string privilege;              // root, sudo -n
    boost::json::object loader_result;  // the loader's JSON line, when it printed one
    std::string output;                 // the loader's own output (sanitized, bounded)
    boost::json::object to_json() const;
};

// Throws sdk::Cancelled when cancelled (the loader detached the scheduler first) and
// sdk::Unavailable when the loader cannot be started. Call, then await.
boost::asio::awaitable<VerifyOutcome> verify_in_kernel(const VerifyRequest& request,
                                                       const CompilerSettings& settings,
                                                       sdk::CallContext& ctx);

// Why the kernel at `sched_ext_root` cannot take a scheduler now (no sched_ext: kind
// no_sched_ext; another one loaded: kind busy), or nullopt when it can. Nothing is loaded.
std::optional<VerifyOutcome> kernel_unavailable(const std::filesystem::path& sched_ext_root);

}  // namespace schedcp::plugins::compiler
