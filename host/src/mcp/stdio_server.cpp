#include "stdio_server.hpp"

#include <csignal>

#include "../logging.hpp"

namespace schedcp::host::mcp {

namespace {

constexpr auto kEofGrace = std::chrono::seconds(30);
// How long answers already queued may take to reach the client at shutdown.
constexpr auto kFlushDeadline = std::chrono::milliseconds(2000);

// stdio has one stream: every message goes to stdout in order.
class StdioOutbound final : public Outbound {
  public:
    explicit StdioOutbound(std::shared_ptr<StdioTransport> transport)
        : transport_(std::move(transport)) {}
    void send(std::string serialised, const boost::json::value&, OutboundKind kind) override {
        transport_->send(std::move(serialised), kind == OutboundKind::notification
                                                    ? StdioTransport::Sent::notification
                                                    : StdioTransport::Sent::answer);
    }

  private:
    std::shared_ptr<StdioTransport> transport_;
};

}  // namespace

StdioServer::StdioServer(Host& host, int in_fd, int out_fd)
    : host_(host), signals_(host.io(), SIGINT, SIGTERM, SIGHUP), grace_timer_(host.io()) {
    StdioTransport::Handlers handlers;
    handlers.on_line = [this](std::string line) { session_->on_line(std::move(line)); };
    handlers.on_oversize = [this](std::size_t dropped) {
        session_->reply_error({rpc_error::invalid_request,
                               "invalid request: message of " + std::to_string(dropped) +
                                   " bytes exceeds the limit of " +
                                   std::to_string(host_.config().max_message_bytes) +
                                   " bytes (server.max_message_bytes); it was discarded"});
    };
    handlers.on_eof = [this] {
        input_closed_ = true;
        SCHEDCP_LOG(host_.logger(), info) << "stdin closed";
        if (session_->running() == 0) {
            finish_shutdown();
            return;
        }
        // Let requests already received finish (their replies are still wanted), bounded.
        grace_timer_.expires_after(kEofGrace);
        grace_timer_.async_wait([this](boost::system::error_code ec) {
            if (!ec) begin_shutdown("requests still running 30 s after stdin closed");
        });
    };
    handlers.line_settled = [this] { return session_->line_settled(); };
    handlers.on_write_error = [this] { begin_shutdown("stdout closed"); };
    handlers.on_disconnect = [this](const std::string& why) {
        SCHEDCP_LOG(host_.logger(), warning) << "disconnecting the client: " << why;
        begin_shutdown("client disconnected: it does not read its answers");
    };
    handlers.on_backpressure = [this](bool paused, std::size_t queued) {
        if (paused)
            SCHEDCP_LOG(host_.logger(), warning)
                << "the client is not reading its answers (" << queued
                << " bytes unsent): no more requests are served until it does";
        else
            SCHEDCP_LOG(host_.logger(), info)
                << "the client reads again (" << queued << " bytes unsent): serving requests";
    };
    const StdioTransport::Limits limits{
        .max_line = host.config().max_message_bytes,
        .max_outgoing = host.config().max_outgoing_bytes,
        .stall_timeout = std::chrono::seconds(host.config().stalled_client_seconds)};
    transport_ = std::make_shared<StdioTransport>(host.io().get_executor(), in_fd, out_fd, limits,
                                                  std::move(handlers));
    session_ = std::make_shared<McpSession>(host, std::make_shared<StdioOutbound>(transport_));
    session_->set_on_idle([this] {
        if (input_closed_) finish_shutdown();
    });
}

StdioServer::~StdioServer() {
    session_->close();
    transport_->stop();
}

void StdioServer::start() {
    signals_.async_wait([this](boost::system::error_code ec, int sig) {
        if (!ec) begin_shutdown(sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP");
    });
    transport_->start();
    SCHEDCP_LOG(host_.logger(), info)
        << "MCP server ready on stdio (" << host_.tools().size() << " tools)";
}

void StdioServer::begin_shutdown(const char* why) {
    if (shutting_down_) return;
    SCHEDCP_LOG(host_.logger(), info) << "shutting down: " << why;
    session_->close();
    finish_shutdown();
}

void StdioServer::finish_shutdown() {
    if (shutting_down_) return;
    shutting_down_ = true;
    session_->close();
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    grace_timer_.cancel();
    // Plugins first (in reverse order: they unload schedulers, stop timers, detach BPF), so
    // nothing a client does or fails to do can keep a scheduler loaded; then the answers
    // already queued get a bounded chance to reach a client that still reads.
    host_.stop();
    if (!transport_->flush(kFlushDeadline))
        SCHEDCP_LOG(host_.logger(), warning)
            << "exiting with " << transport_->queued_bytes()
            << " bytes of answers unsent: the client did not read them";
    transport_->stop();
    host_.io().stop();
}

}  // namespace schedcp::host::mcp
