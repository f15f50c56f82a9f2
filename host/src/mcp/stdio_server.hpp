// The MCP server on stdio: one McpSession fed by the StdioTransport, for the life of the
// process. Owns what only a stdio server has: the end of input (requests already
// received may finish, bounded), the signals, and the shutdown that flushes answers.
#pragma once

#include <memory>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "../host.hpp"
#include "session.hpp"
#include "stdio_transport.hpp"

namespace schedcp::host::mcp {

class StdioServer {
  public:
    StdioServer(Host& host, int in_fd, int out_fd);
    ~StdioServer();

    // Starts reading; returns immediately. The host's io_context then runs the server
    // until the client goes away or a signal arrives.
    void start();

  private:
    void begin_shutdown(const char* why);
    void finish_shutdown();

    Host& host_;
    std::shared_ptr<StdioTransport> transport_;
    std::shared_ptr<McpSession> session_;
    boost::asio::signal_set signals_;
    boost::asio::steady_timer grace_timer_;
    bool input_closed_ = false;
    bool shutting_down_ = false;
};

}  // namespace schedcp::host::mcp
