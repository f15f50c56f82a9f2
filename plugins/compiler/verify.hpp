// Kernel verification of a compiled scheduler: `schedcp-loader OBJ --verify N` loads it
// (the kernel's verifier runs), attaches it, confirms sched_ext reports it enabled,
// keeps it N seconds, detaches it and reports the exit the scheduler recorded. Runs as
// root directly, else through `sudo -n` when allowed; never claims a verification that
// did not happen: every way it can be skipped has its reason.
#pragma once

#include <filesystem>
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

struct VerifyOutcome {
    bool attempted = false;  // the loader ran against the kernel
    bool verified = false;
    bool rejected = false;              // the kernel refused or ejected it: do not register it
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

// The loaded scheduler's ops name and state when sched_ext is busy, else nullopt.
struct SchedExtNow {
    bool present = false;
    std::string state;
    std::string ops;
};
SchedExtNow read_sched_ext(const std::filesystem::path& root);

}  // namespace schedcp::plugins::compiler
