#include "schedcp/sdk/error.hpp"

namespace schedcp::sdk {

std::string_view to_string(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::invalid_argument:
            return "invalid_argument";
        case ErrorCode::not_found:
            return "not_found";
        case ErrorCode::conflict:
            return "conflict";
        case ErrorCode::permission_denied:
            return "permission_denied";
        case ErrorCode::unavailable:
            return "unavailable";
        case ErrorCode::cancelled:
            return "cancelled";
        case ErrorCode::timeout:
            return "timeout";
        case ErrorCode::internal:
            return "internal";
    }
    return "internal";
}

Error::Error(ErrorCode code, const std::string& message, boost::json::value details)
    : std::runtime_error(message), code_(code), details_(std::move(details)) {}
Error::~Error() = default;

InvalidArgument::~InvalidArgument() = default;
NotFound::~NotFound() = default;
Conflict::~Conflict() = default;
PermissionDenied::~PermissionDenied() = default;
Unavailable::~Unavailable() = default;
Cancelled::~Cancelled() = default;
Timeout::~Timeout() = default;
Internal::~Internal() = default;

}  // namespace schedcp::sdk
