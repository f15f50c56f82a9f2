#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <thread>

namespace schedcp::test {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::chrono::steady_clock::time_point deadline_after(std::chrono::milliseconds t) {
    return std::chrono::steady_clock::now() + t;
}

}  // namespace

HttpServerProcess::HttpServerProcess(const std::string& config) {
    proc_ = std::make_unique<Subprocess>(
        std::vector<std::string>{bin("schedcp"), "--config", config, "--http", "127.0.0.1:0"});
    static const std::regex listening(R"(listening on https?://127\.0\.0\.1:([0-9]+)/)");
    const auto until = deadline_after(std::chrono::seconds(20));
    std::string err;
    while (std::chrono::steady_clock::now() < until) {
        err = proc_->stderr_text();
        std::smatch m;
        if (std::regex_search(err, m, listening)) {
            port_ = std::stoi(m[1]);
            return;
        }
        if (proc_->wait(std::chrono::milliseconds(20)))
            throw std::runtime_error("schedcp --http exited: " + err);
    }
    throw std::runtime_error("schedcp --http did not report its port: " + err);
}

std::size_t HttpServerProcess::open_fds() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e :
         std::filesystem::directory_iterator("/proc/" + std::to_string(proc_->pid()) + "/fd"))
        ++n;
    return n;
}

RawConnection::RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("connect() to 127.0.0.1:" + std::to_string(port) + " failed");
}

RawConnection::~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

std::string RawConnection::read_until(const std::string& needle,
                                      std::chrono::milliseconds timeout) {
    const auto until = deadline_after(timeout);
    while (!eof_ && (needle.empty() || received_.find(needle) == std::string::npos)) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char buf[65536];
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) {
            eof_ = true;
            break;
        }
        received_.append(buf, static_cast<std::size_t>(n));
    }
    return received_;
}

bool RawConnection::read_to_eof(std::chrono::milliseconds timeout) {
    read_until("", timeout);
    return eof_;
}

std::string HttpResponse::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

std::vector<bj::value> HttpResponse::messages() const {
    std::vector<bj::value> out;
    if (header("content-type").find("text/event-stream") == std::string::npos) {
        if (!body.empty()) out.push_back(bj::parse(body));
        return out;
    }
    std::size_t pos = 0;
    while (pos < body.size()) {
        auto end = body.find('\n', pos);
        if (end == std::string::npos) end = body.size();
        std::string line = body.substr(pos, end - pos);
        // An event without data (the priming event of a resumable stream) carries no message.
        if (line.rfind("data: ", 0) == 0 && line.size() > 6)
            out.push_back(bj::parse(line.substr(6)));
        pos = end + 1;
    }
    return out;
}

std::optional<HttpResponse> parse_response(const std::string& raw) {
    auto head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos) return std::nullopt;
    HttpResponse r;
    std::size_t pos = raw.find("\r\n");
    const std::string status_line = raw.substr(0, pos);
    if (status_line.size() < 12) return std::nullopt;
    r.status = std::stoi(status_line.substr(9, 3));
    pos += 2;
    while (pos < head_end) {
        auto end = raw.find("\r\n", pos);
        std::string line = raw.substr(pos, end - pos);
        auto colon = line.find(':');
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        r.headers[lower(line.substr(0, colon))] = value;
        pos = end + 2;
    }
    std::size_t body = head_end + 4;
    if (lower(r.header("transfer-encoding")) == "chunked") {
        for (;;) {
            auto line_end = raw.find("\r\n", body);
            if (line_end == std::string::npos) return std::nullopt;
            std::size_t size = std::stoul(raw.substr(body, line_end - body), nullptr, 16);
            if (size == 0) return r;
            if (raw.size() < line_end + 2 + size + 2) return std::nullopt;
            r.body += raw.substr(line_end + 2, size);
            body = line_end + 2 + size + 2;
        }
    }
    std::size_t length =
        r.headers.count("content-length") ? std::stoul(r.header("content-length")) : 0;
    if (raw.size() < body + length) return std::nullopt;
    r.body = raw.substr(body, length);
    return r;
}

std::string close_request(const std::string& method, const std::string& target,
                          const std::string& host, const std::string& body,
                          const std::map<std::string, std::string>& headers) {
    std::map<std::string, std::string> all{
        {"Host", host},
        {"Content-Type", "application/json"},
        {"Accept", "application/json, text/event-stream"},
    };
    for (const auto& [k, v] : headers) all[k] = v;
    std::string req = method + " " + target + " HTTP/1.1\r\n";
    for (const auto& [k, v] : all)
        if (!v.empty()) req += k + ": " + v + "\r\n";
    return req + "Connection: close\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

HttpResponse http_request(int port, const std::string& method, const std::string& body,
                          const std::map<std::string, std::string>& headers,
                          const std::string& target) {
    RawConnection c(port);
    c.send(close_request(method, target, "127.0.0.1:" + std::to_string(port), body, headers));
    c.read_to_eof(std::chrono::seconds(30));
    auto parsed = parse_response(c.received());
    if (!parsed) throw std::runtime_error("incomplete HTTP response: " + c.received());
    return *parsed;
}

std::string initialize_body(const std::string& version) {
    return bj::serialize(bj::object{
        {"jsonrpc", "2.0"},
        {"id", 1},
        {"method", "initialize"},
        {"params",
         bj::object{{"protocolVersion", version},
                    {"capabilities", bj::object{}},
                    {"clientInfo", bj::object{{"name", "http-test"}, {"version", "1"}}}}}});
}

std::string modern_body(int id, const std::string& method, bj::object params) {
    params["_meta"] = bj::object{{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                                 {"io.modelcontextprotocol/clientCapabilities", bj::object{}}};
    return bj::serialize(
        bj::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
}

std::map<std::string, std::string> modern_headers(const std::string& method,
                                                  const std::string& name) {
    std::map<std::string, std::string> h{{"MCP-Protocol-Version", "2026-07-28"},
                                         {"Mcp-Method", method}};
    if (!name.empty()) h["Mcp-Name"] = name;
    return h;
}

}  // namespace schedcp::test
