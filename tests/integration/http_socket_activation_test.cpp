// Socket activation (`schedcp --http systemd`, schedcp-http.socket): the server serves the
// listening sockets it inherits by sd_listen_fds(3)'s protocol, TCP and AF_UNIX alike, with
// the same checks as a socket it binds itself; and GET /healthz, the readiness probe's
// endpoint, answers before any check.
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "activated_server.hpp"
#include "http_client.hpp"
#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

std::string catalog_config(const TempDir& dir, const std::string& extra = {}) {
    return write_config(dir, "  - name: catalog\n", extra);
}

// The flags line of /proc/PID/fdinfo/FD includes O_CLOEXEC (octal 02000000).
bool close_on_exec(pid_t pid, int fd) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(fd));
    std::string key, value;
    while (in >> key >> value)
        if (key == "flags:") return (std::stoul(value, nullptr, 8) & 02000000) != 0;
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_socket_activation)

BOOST_AUTO_TEST_CASE(inherited_tcp_and_unix_sockets_are_served) {
    TempDir dir;
    const std::string socket_path = dir.file("http.sock");
    const TcpListener tcp = listen_loopback_tcp();
    const int unix_fd = listen_unix(socket_path);
    ActivatedServer server(catalog_config(dir), {tcp.fd, unix_fd}, dir.file("stderr"));
    BOOST_REQUIRE_MESSAGE(server.wait_listening(2), server.stderr_text());
    const std::string err = server.stderr_text();
    BOOST_TEST(err.find("listening on http://127.0.0.1:" + std::to_string(tcp.port) + "/mcp") !=
               std::string::npos);
    BOOST_TEST(err.find("listening on unix:" + socket_path + "/mcp") != std::string::npos);
    // Taken as sd_listen_fds(1) does: no scheduler or helper the server starts inherits them.
    BOOST_TEST(close_on_exec(server.pid(), 3));
    BOOST_TEST(close_on_exec(server.pid(), 4));

    // TCP: a session as with --http ADDRESS:PORT.
    auto tcp_init = http_request(tcp.port, "POST", initialize_body());
    BOOST_TEST(tcp_init.status == 200);
    BOOST_TEST(!tcp_init.header("mcp-session-id").empty());

    // The unix socket: the same server, Host: localhost as curl --unix-socket sends it.
    auto init = unix_http_request(socket_path, "POST", "/mcp", initialize_body());
    BOOST_REQUIRE_EQUAL(init.status, 200);
    const std::string id = init.header("mcp-session-id");
    BOOST_REQUIRE(!id.empty());
    auto list = unix_http_request(socket_path, "POST", "/mcp",
                                  R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})",
                                  {{"Mcp-Session-Id", id}});
    BOOST_REQUIRE_EQUAL(list.status, 200);
    auto messages = list.messages();
    BOOST_REQUIRE_EQUAL(messages.size(), 1u);
    BOOST_TEST(!messages.front().at("result").at("tools").as_array().empty());
    // DNS-rebinding protection holds on the unix socket too (a proxy in front of it may
    // forward a browser's request).
    auto foreign = unix_http_request(socket_path, "POST", "/mcp", initialize_body(),
                                     {{"Host", "evil.example"}});
    BOOST_TEST(foreign.status == 403);
    auto origin = unix_http_request(socket_path, "POST", "/mcp", initialize_body(),
                                    {{"Origin", "https://evil.example"}});
    BOOST_TEST(origin.status == 403);

    server.signal(SIGTERM);
    BOOST_TEST(server.wait_exit().value_or(-1) == 0);
}

BOOST_AUTO_TEST_CASE(sockets_that_are_not_ours_or_not_listening_are_refused) {
    TempDir dir;
    const std::string config = catalog_config(dir);
    {
        // LISTEN_PID names another process: the sockets are not for us.
        const TcpListener tcp = listen_loopback_tcp();
        ActivatedServer server(config, {tcp.fd}, dir.file("pid.err"), 1);
        BOOST_TEST(server.wait_exit().value_or(-1) == 2);
        BOOST_TEST(server.stderr_text().find("LISTEN_PID does not name this process") !=
                   std::string::npos);
    }
    {
        // A socket that does not listen (systemd's Accept=yes passes connections).
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ActivatedServer server(config, {fd}, dir.file("accept.err"));
        BOOST_TEST(server.wait_exit().value_or(-1) == 2);
        BOOST_TEST(server.stderr_text().find("descriptor 3 from systemd is not listening") !=
                   std::string::npos);
    }
    {
        // A datagram socket (ListenDatagram=).
        const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ActivatedServer server(config, {fd}, dir.file("dgram.err"));
        BOOST_TEST(server.wait_exit().value_or(-1) == 2);
        BOOST_TEST(server.stderr_text().find("not a stream socket") != std::string::npos);
    }
    {
        // No sockets at all.
        auto r = run({bin("schedcp"), "--config", config, "--http", "systemd"},
                     {{"LISTEN_FDS", ""}, {"LISTEN_PID", ""}});
        BOOST_TEST(r.status == 2);
        BOOST_TEST(r.err.find("no sockets from systemd") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(an_inherited_socket_beyond_loopback_needs_allow_non_loopback) {
    TempDir dir;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    BOOST_REQUIRE(::listen(fd, 8) == 0);
    ActivatedServer server(catalog_config(dir), {fd}, dir.file("stderr"));
    BOOST_TEST(server.wait_exit().value_or(-1) == 2);
    BOOST_TEST(server.stderr_text().find("is not a loopback address") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(healthz_answers_ok_before_any_check_and_nothing_else) {
    TempDir dir;
    HttpServerProcess server(catalog_config(dir));
    // The probe's Host is the node's address: not refused, and nothing but "ok" comes back.
    auto probe =
        http_request(server.port(), "GET", "",
                     {{"Host", "10.1.2.3:8765"}, {"Content-Type", ""}, {"Accept", ""}}, "/healthz");
    BOOST_TEST(probe.status == 200);
    BOOST_TEST(probe.body == "ok\n");
    BOOST_TEST(probe.header("content-type") == "text/plain");
    auto query = http_request(server.port(), "GET", "", {}, "/healthz?verbose=1");
    BOOST_TEST(query.body == "ok\n");
    auto post = http_request(server.port(), "POST", "{}", {}, "/healthz");
    BOOST_TEST(post.status == 405);
    BOOST_TEST(post.header("allow") == "GET, HEAD");
    // Other paths are still screened: a foreign Host gets 403 there.
    auto other = http_request(server.port(), "GET", "", {{"Host", "10.1.2.3:8765"}}, "/mcp");
    BOOST_TEST(other.status == 403);
}

BOOST_AUTO_TEST_SUITE_END()
