#include "handler_errors.hpp"

#include <exception>
#include <string>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

namespace schedcp::host {

namespace {

sdk::Error internal(const HandlerCall& call, sdk::Logger& log, const std::string& what,
                    const std::string& logged) {
    SCHEDCP_LOG(log, error) << call.operation << " (plugin " << call.plugin
                            << ") failed: " << logged;
    return sdk::Internal("internal error in plugin '" + std::string(call.plugin) + "': " + what);
}

sdk::Error internal(const HandlerCall& call, sdk::Logger& log, const std::string& what) {
    return internal(call, log, what, what);
}

}  // namespace

sdk::Error error_from_current_exception(const HandlerCall& call, sdk::Logger& log) {
    try {
        throw;
    } catch (const sdk::Error& e) {
        SCHEDCP_LOG(log, info) << call.operation << " failed (" << sdk::to_string(e.code())
                               << "): " << e.what();
        return e;
    } catch (const boost::system::system_error& e) {
        if (e.code() == boost::asio::error::operation_aborted && call.cancelled)
            return sdk::Cancelled(std::string(call.cancelled_message));
        return internal(call, log, e.what());
    } catch (const std::exception& e) {
        return internal(call, log, e.what());
    } catch (...) {
        // Anything else a plugin may throw (an int, a type of its own): still an answer.
        return internal(call, log, "it threw something that is not a std::exception",
                        "threw something that is not a std::exception");
    }
}

}  // namespace schedcp::host
