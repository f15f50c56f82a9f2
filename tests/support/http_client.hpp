// Test support: a real `schedcp --http` process, and a minimal HTTP/1.1 client on plain
// sockets, so tests can send what no well-behaved client would (oversized bodies, hostile
// headers, connections that never send anything) and read exactly what came back.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "subprocess.hpp"

namespace schedcp::test {

namespace bj = boost::json;

// `schedcp --config CONFIG --http 127.0.0.1:0`, with the port it reports on stderr.
class HttpServerProcess {
  public:
    explicit HttpServerProcess(const std::string& config);
    Subprocess& process() { return *proc_; }
    int port() const { return port_; }
    // Descriptors the server has open now (from /proc).
    std::size_t open_fds() const;

  private:
    std::unique_ptr<Subprocess> proc_;
    int port_ = 0;
};

// One TCP connection to 127.0.0.1:port.
class RawConnection {
  public:
    explicit RawConnection(int port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // False when the peer is gone.
    bool send(const std::string& bytes);
    // Reads until `needle` is in what was read, EOF, or the timeout; returns all read so far.
    std::string read_until(const std::string& needle,
                           std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Reads until EOF (true) or the timeout (false).
    bool read_to_eof(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    const std::string& received() const { return received_; }
    bool eof() const { return eof_; }

  private:
    int fd_ = -1;
    std::string received_;
    bool eof_ = false;
};

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;                            // de-chunked
    std::string header(const std::string& lower_name) const;
    // The JSON body, or the JSON-RPC messages of an SSE body (one per `data:` line).
    std::vector<bj::value> messages() const;
};

// Parses one complete response (Content-Length or chunked); nullopt while incomplete.
std::optional<HttpResponse> parse_response(const std::string& raw);

// A whole request with Connection: close: `host` as the Host header, Content-Type:
// application/json and Accept: application/json, text/event-stream, which `headers` add to
// and override (a header given an empty value is left out).
std::string close_request(const std::string& method, const std::string& target,
                          const std::string& host, const std::string& body,
                          const std::map<std::string, std::string>& headers);

// One request on a fresh connection (Connection: close). `headers` are added to, and
// override, Host: 127.0.0.1:PORT, Content-Type: application/json and
// Accept: application/json, text/event-stream; a header given an empty value is left out.
HttpResponse http_request(int port, const std::string& method, const std::string& body,
                          const std::map<std::string, std::string>& headers = {},
                          const std::string& target = "/mcp");

// An initialize request body for `version`.
std::string initialize_body(const std::string& version = "2025-11-25");
// A 2026-07-28 request body (the `_meta` envelope added to params) and the headers that
// must go with it.
std::string modern_body(int id, const std::string& method, bj::object params = {});
std::map<std::string, std::string> modern_headers(const std::string& method,
                                                  const std::string& name = {});

}  // namespace schedcp::test
