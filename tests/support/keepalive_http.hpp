// Test and benchmark support: one HTTP/1.1 keep-alive connection to `schedcp --http` on
// 127.0.0.1, POSTing MCP messages to /mcp, as a real client does for many calls (the raw
// client in http_client.hpp opens a connection per request). Answers are read by their
// Content-Length: the server answers a call whose response comes first with one JSON body.
// (An SSE answer, chunked, is not read here: the callers send calls that do not stream.)
// Built into test_support and bench_support.
#pragma once

#include <string>

namespace schedcp::test {

struct KeepAliveAnswer {
    int status = 0;    // 0: the connection failed or the answer was not Content-Length framed
    std::string head;  // the status line and headers
    std::string body;
    // A header's value ("" when absent); `name` as the server spells it.
    std::string header(const std::string& name) const;
};

class KeepAliveHttp {
  public:
    // Connects to 127.0.0.1:port; throws std::runtime_error when it cannot.
    explicit KeepAliveHttp(int port);
    ~KeepAliveHttp();
    KeepAliveHttp(const KeepAliveHttp&) = delete;
    KeepAliveHttp& operator=(const KeepAliveHttp&) = delete;

    // POST /mcp with `body`, in the session `session` ("" for none).
    KeepAliveAnswer post(const std::string& body, const std::string& session = {});
    // DELETE /mcp: ends the session.
    KeepAliveAnswer end_session(const std::string& session);

  private:
    KeepAliveAnswer exchange(const std::string& request);
    bool fill();

    int port_;
    int fd_ = -1;
    std::string buffer_;
};

}  // namespace schedcp::test
