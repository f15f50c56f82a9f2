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
//
// A tool may ask its client something (ask_client, elicit, sample, list_roots). Under MCP
// 2026-07-28 the host answers the first run with the questions and runs the handler AGAIN
// when the client retries with the answers (nothing waits between the two requests): so
// everything a handler does before it asks must be safe to repeat, and a handler that
// asks must not catch (...) around the asking (the host stops the first run by throwing
// through it; catch sdk::Error or std::exception instead, which that throw is not).
#pragma once

#include <optional>
#include <ostream>
#include <stop_token>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "schedcp/sdk/client_request.hpp"
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

    // Asks the client the questions (all at once; the answers in the same order). A
    // question whose capability the client did not declare is not asked (`when` says
    // what happens then). This default, for callers without an MCP client (the CLI),
    // answers every question `unsupported` (or throws MissingClientCapability).
    virtual boost::asio::awaitable<std::vector<ClientAnswer>> ask_client(
        std::vector<ClientRequest> questions, WhenUnsupported when = WhenUnsupported::answer);

    // One question each. elicit: `requested_schema` is the flat object schema of the
    // answer (primitive properties, enums); accept -> answered with the content,
    // decline -> declined, cancel -> cancelled. sample: `params` as sampling/createMessage
    // takes them. list_roots: the client's roots.
    boost::asio::awaitable<ClientAnswer> elicit(std::string message,
                                                boost::json::object requested_schema,
                                                std::string key = {},
                                                WhenUnsupported when = WhenUnsupported::answer);
    boost::asio::awaitable<ClientAnswer> sample(boost::json::object params, std::string key = {},
                                                WhenUnsupported when = WhenUnsupported::answer);
    boost::asio::awaitable<ClientAnswer> list_roots(std::string key = {},
                                                    WhenUnsupported when = WhenUnsupported::answer);

    // A long-running call may ask the transport to end the stream its answer would travel
    // on, now, while the call runs on: the client reconnects (HTTP GET with Last-Event-ID)
    // and gets the answer on the resumed stream, so no connection stays open for minutes
    // (MCP 2025-11-25, SEP-1699). Only where the revision has resumable streams (Streamable
    // HTTP, requests of 2025-11-25); on stdio, in the 2026-07-28 era and in the CLI it does
    // nothing, so a handler may call it unconditionally. Call it from the handler's
    // executor. Added in SDK ABI version 3.
    virtual void close_stream() {}

    // For tools with ToolSpec::task_support: from here on the call may run as a task. When
    // the host makes it one, the request is answered with the task handle now and the rest
    // of the handler runs in the background: its result (or error) becomes the task's, a
    // question it asks after this point waits for the client's answer (the task shows
    // "input_required" until then), and cancelling the task cancels the handler as
    // notifications/cancelled would. Everything before it runs synchronously, so the
    // arguments can be checked and the user asked (MCP 2026-07-28 input-required rounds)
    // before a task exists. Otherwise (forbidden, a client without tasks, the CLI, no room
    // for another task) it does nothing and the handler answers its request as usual.
    // Call it at most once; later calls do nothing. (ABI 3)
    virtual void run_as_task();
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
