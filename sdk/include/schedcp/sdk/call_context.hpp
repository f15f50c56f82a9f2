// What a tool or command handler gets from the host while it runs.
//
// Handlers are coroutines on the host's Asio executor (single-threaded: plugin state
// needs no locks as long as it is only touched from handlers and timers). Blocking work
// (a syscall that can take long, CPU-heavy parsing) goes to blocking_executor() through
// run_blocking() in blocking.hpp.
//
// Cancellation arrives two ways: Asio operations the handler is awaiting complete with
// operation_aborted (the host cancels the coroutine), and stop_token() fires callbacks
// (std::stop_callback) for work that is not an Asio operation, e.g. a child process.
#pragma once

#include <optional>
#include <ostream>
#include <stop_token>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>

#include "schedcp/sdk/export.hpp"
#include "schedcp/sdk/log.hpp"

namespace schedcp::sdk {

class SCHEDCP_SDK_API CallContext {
  public:
    virtual ~CallContext();

    virtual boost::asio::any_io_executor executor() = 0;
    virtual boost::asio::any_io_executor blocking_executor() = 0;
    virtual Logger& logger() = 0;

    // Reports progress on a long operation. MCP callers that sent a progressToken get a
    // progress notification; the CLI shows it on a terminal; otherwise it is dropped.
    // `progress` must increase from call to call; `total` is optional.
    virtual void report_progress(double progress, std::optional<double> total,
                                 std::string_view message) = 0;

    virtual std::stop_token stop_token() const = 0;
    bool cancelled() const { return stop_token().stop_requested(); }
};

// Commands additionally talk to a terminal.
class SCHEDCP_SDK_API CommandContext : public CallContext {
  public:
    ~CommandContext() override;

    virtual std::ostream& out() = 0;       // stdout: the command's own output
    virtual std::ostream& err() = 0;       // stderr: diagnostics
    virtual bool json_output() const = 0;  // --json was given: print only JSON to out()
    virtual bool interactive() const = 0;  // stdout is a terminal (live lines are welcome)
};

}  // namespace schedcp::sdk
