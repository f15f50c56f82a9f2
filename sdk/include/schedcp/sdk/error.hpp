// Typed errors a plugin throws from tool and command handlers.
//
// The host maps them to the caller's world: an MCP tool result with `isError: true`
// (the message is what the model reads, so say what was wrong and what is allowed), or a
// CLI exit code (InvalidArgument -> 2, usage error; everything else -> 1). Protocol errors
// (bad JSON, unknown method) are the host's business and never come from plugins.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk {

enum class ErrorCode {
    invalid_argument,   // the caller's input is wrong; the message says what is allowed
    not_found,          // a named thing (scheduler, execution, workload) does not exist
    conflict,           // the request clashes with current state (e.g. a scheduler is loaded)
    permission_denied,  // we lack the privilege (root, sudo, CAP_BPF)
    unavailable,        // this host cannot do it (no sched_ext, no clang, missing service)
    cancelled,          // the caller cancelled the request
    timeout,            // a bounded wait ran out
    internal,           // a bug or an unexpected system failure
};

// Stable lower-case name of a code ("invalid_argument", ...), used in JSON error details.
SCHEDCP_SDK_API std::string_view to_string(ErrorCode code) noexcept;

class SCHEDCP_SDK_API Error : public std::runtime_error {
  public:
    // `details` is optional structured context (e.g. {"close_matches": [...]}); it is
    // returned to MCP callers in structuredContent and printed by the CLI with --json.
    Error(ErrorCode code, const std::string& message, boost::json::value details = nullptr);
    ~Error() override;

    ErrorCode code() const noexcept { return code_; }
    const boost::json::value& details() const noexcept { return details_; }

  private:
    ErrorCode code_;
    boost::json::value details_;
};

// One subclass per code, so handlers read naturally: `throw sdk::NotFound("...")`.
#define SCHEDCP_SDK_DECLARE_ERROR(Name, code_value)                                     \
    class SCHEDCP_SDK_API Name : public Error {                                         \
      public:                                                                           \
        explicit Name(const std::string& message, boost::json::value details = nullptr) \
            : Error(ErrorCode::code_value, message, std::move(details)) {}              \
        ~Name() override;                                                               \
    };

SCHEDCP_SDK_DECLARE_ERROR(InvalidArgument, invalid_argument)
SCHEDCP_SDK_DECLARE_ERROR(NotFound, not_found)
SCHEDCP_SDK_DECLARE_ERROR(Conflict, conflict)
SCHEDCP_SDK_DECLARE_ERROR(PermissionDenied, permission_denied)
SCHEDCP_SDK_DECLARE_ERROR(Unavailable, unavailable)
SCHEDCP_SDK_DECLARE_ERROR(Cancelled, cancelled)
SCHEDCP_SDK_DECLARE_ERROR(Timeout, timeout)
SCHEDCP_SDK_DECLARE_ERROR(Internal, internal)

#undef SCHEDCP_SDK_DECLARE_ERROR

}  // namespace schedcp::sdk
