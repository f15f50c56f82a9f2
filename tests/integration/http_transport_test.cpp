// The Streamable HTTP transport over the real server (`schedcp --http`): sessions, both
// eras, SSE streams, and what a hostile or broken client can do (DNS rebinding, oversized
// bodies, garbage, idle and surplus connections) without hurting the server.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "http_client.hpp"
#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

// `schedcp --http` with one plugin, and `extra` config (a `server: {...}` line).
HttpServerProcess serve(const TempDir& dir, const std::string& plugin = "catalog",
                        const std::string& extra = {}) {
    return HttpServerProcess(write_config(dir, "  - name: " + plugin + "\n", extra));
}

// Opens a 2025-11-25 session: initialize + notifications/initialized; returns its id.
std::string open_session(int port) {
    auto init = http_request(port, "POST", initialize_body());
    BOOST_REQUIRE_EQUAL(init.status, 200);
    const std::string id = init.header("mcp-session-id");
    BOOST_REQUIRE(!id.empty());
    auto ack =
        http_request(port, "POST", R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
                     {{"Mcp-Session-Id", id}});
    BOOST_REQUIRE_EQUAL(ack.status, 202);
    return id;
}

bj::object only_message(const HttpResponse& r) {
    auto messages = r.messages();
    BOOST_REQUIRE_EQUAL(messages.size(), 1u);
    return messages.front().as_object();
}

// A message POSTed in session `id`.
HttpResponse post_in(int port, const std::string& id, const std::string& body) {
    return http_request(port, "POST", body, {{"Mcp-Session-Id", id}});
}

// A ping in session `id`.
HttpResponse ping(int port, const std::string& id, int request_id) {
    return post_in(
        port, id,
        R"({"jsonrpc":"2.0","id":)" + std::to_string(request_id) + R"(,"method":"ping"})");
}

// A server with one plugin and an open 2025-11-25 session in it.
struct OpenSession {
    explicit OpenSession(const std::string& plugin)
        : server(serve(dir, plugin)), id(open_session(server.port())) {}
    HttpResponse post(const std::string& body) { return post_in(server.port(), id, body); }

    TempDir dir;
    HttpServerProcess server;
    std::string id;
};

int error_code(const HttpResponse& r) {
    return static_cast<int>(only_message(r).at("error").at("code").as_int64());
}

// The running program of process `pid` and whether it has OpenSSL mapped.
struct ProgramOf {
    std::string exe;
    bool openssl_mapped = false;
};
ProgramOf program_of(pid_t pid) {
    const std::string proc = "/proc/" + std::to_string(pid);
    ProgramOf p{.exe = std::filesystem::read_symlink(proc + "/exe").filename().string()};
    std::ifstream maps(proc + "/maps");
    for (std::string line; std::getline(maps, line);)
        if (line.find("/libssl.so") != std::string::npos ||
            line.find("/libcrypto.so") != std::string::npos)
            p.openssl_mapped = true;
    return p;
}

// Waits for the "listening on" line of a server started without --http.
bool reports_listening(Subprocess& server) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < until) {
        if (server.stderr_text().find("listening on http://127.0.0.1:") != std::string::npos)
            return true;
        if (server.wait(std::chrono::milliseconds(20))) return false;
    }
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_transport)

// schedcp serves HTTP by running schedcp-http in its place: the same process (the pid the
// client or systemd started and supervises), and only there is OpenSSL loaded; the stdio
// server never maps it (it would cost every stdio start-up about a millisecond).
BOOST_AUTO_TEST_CASE(http_is_served_by_the_helper_in_the_same_process) {
    TempDir dir;
    HttpServerProcess by_option = serve(dir);
    open_session(by_option.port());
    const ProgramOf http = program_of(by_option.process().pid());
    BOOST_TEST(http.exe == "schedcp-http");
    BOOST_TEST(http.openssl_mapped);

    // server.http.listen in the config: the same hand-off, unless --stdio.
    TempDir dir2;
    const std::string cfg =
        write_config(dir2, "  - name: catalog\n", "server: {http: {listen: \"127.0.0.1:0\"}}\n");
    Subprocess by_config({bin("schedcp"), "--config", cfg});
    BOOST_REQUIRE(reports_listening(by_config));
    BOOST_TEST(program_of(by_config.pid()).exe == "schedcp-http");

    McpClient stdio({bin("schedcp"), "--config", cfg, "--stdio"}, {});
    stdio.initialize();
    const ProgramOf plain = program_of(stdio.process().pid());
    BOOST_TEST(plain.exe == "schedcp");
    BOOST_TEST(!plain.openssl_mapped);
}

// Without its helper, schedcp says what is missing instead of serving something else.
BOOST_AUTO_TEST_CASE(a_missing_helper_is_named) {
    TempDir prefix;
    std::filesystem::create_directories(prefix.file("bin"));
    std::filesystem::copy_file(bin("schedcp"), prefix.file("bin/schedcp"));
    std::filesystem::permissions(prefix.file("bin/schedcp"), std::filesystem::perms::owner_all);
    TempDir dir;
    const std::string cfg = write_config(dir, "  - name: catalog\n");
    auto r = run({prefix.file("bin/schedcp"), "--config", cfg, "--http", "127.0.0.1:0"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err == "schedcp: cannot run " + prefix.file("lib/schedcp/libexec/schedcp-http") +
                            ", which serves Streamable HTTP: No such file or directory\n",
               r.err);
}

BOOST_AUTO_TEST_CASE(a_session_is_opened_used_and_ended) {
    TempDir dir;
    HttpServerProcess server = serve(dir);
    auto init = http_request(server.port(), "POST", initialize_body());
    BOOST_TEST(init.status == 200);
    BOOST_TEST(init.header("content-type") == "application/json");
    const std::string id = init.header("mcp-session-id");
    BOOST_TEST(!id.empty());
    for (char c : id) BOOST_TEST((c >= 0x21 && c <= 0x7e));  // visible ASCII only
    BOOST_TEST(only_message(init).at("result").at("protocolVersion").as_string() == "2025-11-25");

    auto ack =
        post_in(server.port(), id, R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    BOOST_TEST(ack.status == 202);
    BOOST_TEST(ack.body.empty());

    auto list =
        http_request(server.port(), "POST", R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})",
                     {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-11-25"}});
    BOOST_TEST(list.status == 200);
    const bj::object listed = only_message(list);
    const auto& tools = listed.at("result").at("tools").as_array();
    BOOST_REQUIRE_EQUAL(tools.size(), 1u);
    BOOST_TEST(tools[0].at("name").as_string() == "list_schedulers");

    auto call = post_in(
        server.port(), id,
        R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_schedulers","arguments":{"name":"rusty"}}})");
    BOOST_TEST(call.status == 200);
    BOOST_TEST(!only_message(call).at("result").at("isError").as_bool());

    BOOST_TEST(http_request(server.port(), "DELETE", "", {{"Mcp-Session-Id", id}}).status == 200);
    auto after = ping(server.port(), id, 4);
    BOOST_TEST(after.status == 404);
    BOOST_TEST(error_code(after) == -32600);
    BOOST_TEST(http_request(server.port(), "DELETE", "", {{"Mcp-Session-Id", id}}).status == 404);
}

BOOST_AUTO_TEST_CASE(a_2025_request_without_a_session_is_refused) {
    TempDir dir;
    HttpServerProcess server = serve(dir);
    auto r =
        http_request(server.port(), "POST", R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
    BOOST_TEST(r.status == 400);
    BOOST_TEST(error_code(r) == -32600);
    BOOST_TEST(only_message(r).at("id").as_int64() == 1);
    BOOST_TEST(ping(server.port(), "no-such-session", 1).status == 404);
}

BOOST_AUTO_TEST_CASE(foreign_origin_and_host_are_forbidden) {
    TempDir dir;
    HttpServerProcess server = serve(dir);
    const std::string port = std::to_string(server.port());
    auto origin =
        http_request(server.port(), "POST", initialize_body(), {{"Origin", "http://evil.example"}});
    BOOST_TEST(origin.status == 403);
    BOOST_TEST(origin.header("mcp-session-id").empty());  // nothing was opened
    auto host =
        http_request(server.port(), "POST", initialize_body(), {{"Host", "evil.example:" + port}});
    BOOST_TEST(host.status == 403);
    auto null_origin = http_request(server.port(), "POST", initialize_body(), {{"Origin", "null"}});
    BOOST_TEST(null_origin.status == 403);
    // Loopback names, with any port, are what a local client sends.
    for (const std::string name : {"localhost", "127.0.0.1", "[::1]"}) {
        auto ok =
            http_request(server.port(), "POST", initialize_body(),
                         {{"Host", name + ":" + port}, {"Origin", "http://" + name + ":" + port}});
        BOOST_TEST(ok.status == 200, name);
    }
}

BOOST_AUTO_TEST_CASE(configured_hosts_and_origins_are_allowed) {
    TempDir dir;
    HttpServerProcess server =
        serve(dir, "catalog",
              "server: {http: {allowed_hosts: [mcp.example.org], allowed_origins: "
              "['https://app.example.org']}}\n");
    auto ok =
        http_request(server.port(), "POST", initialize_body(),
                     {{"Host", "mcp.example.org:443"}, {"Origin", "https://app.example.org"}});
    BOOST_TEST(ok.status == 200);
    auto other = http_request(server.port(), "POST", initialize_body(),
                              {{"Origin", "https://other.example.org"}});
    BOOST_TEST(other.status == 403);
}

BOOST_AUTO_TEST_CASE(an_oversized_body_is_refused_unread_and_the_server_carries_on) {
    TempDir dir;
    HttpServerProcess server = serve(dir, "catalog", "server: {max_message_bytes: 65536}\n");
    const std::string id = open_session(server.port());
    std::string big = R"({"jsonrpc":"2.0","id":7,"method":"ping","params":{"pad":")" +
                      std::string(200000, 'x') + "\"}}";
    auto r = http_request(server.port(), "POST", big, {{"Mcp-Session-Id", id}});
    BOOST_TEST(r.status == 413);
    BOOST_TEST(error_code(r) == -32600);
    BOOST_TEST(only_message(r).at("error").at("message").as_string().find("65536") !=
               std::string::npos);
    auto pong = ping(server.port(), id, 8);
    BOOST_TEST(pong.status == 200);
    BOOST_TEST(only_message(pong).at("id").as_int64() == 8);
}

BOOST_AUTO_TEST_CASE(malformed_messages_get_the_right_error_and_the_session_carries_on) {
    TempDir dir;
    HttpServerProcess server = serve(dir);
    const std::string id = open_session(server.port());
    const std::map<std::string, std::string> in_session{{"Mcp-Session-Id", id}};
    auto garbage =
        http_request(server.port(), "POST", R"({"jsonrpc":"2.0","id":1,"method":)", in_session);
    BOOST_TEST(garbage.status == 400);
    BOOST_TEST(error_code(garbage) == -32700);
    auto no_method = http_request(server.port(), "POST", R"({"jsonrpc":"2.0","id":2})", in_session);
    BOOST_TEST(no_method.status == 400);
    BOOST_TEST(error_code(no_method) == -32600);
    auto batch = http_request(server.port(), "POST",
                              R"([{"jsonrpc":"2.0","id":3,"method":"ping"}])", in_session);
    BOOST_TEST(batch.status == 400);
    BOOST_TEST(error_code(batch) == -32600);
    auto unknown = http_request(server.port(), "POST",
                                R"({"jsonrpc":"2.0","id":4,"method":"no/such"})", in_session);
    BOOST_TEST(unknown.status == 200);  // a JSON-RPC error in the 2025 transport
    BOOST_TEST(error_code(unknown) == -32601);
    auto wrong_type =
        http_request(server.port(), "POST", R"({"jsonrpc":"2.0","id":5,"method":"ping"})",
                     {{"Mcp-Session-Id", id}, {"Content-Type", "text/plain"}});
    BOOST_TEST(wrong_type.status == 415);
    auto no_sse = http_request(server.port(), "POST", R"({"jsonrpc":"2.0","id":6,"method":"ping"})",
                               {{"Mcp-Session-Id", id}, {"Accept", "application/json"}});
    BOOST_TEST(no_sse.status == 406);
    auto put = http_request(server.port(), "PUT", "{}", in_session);
    BOOST_TEST(put.status == 405);
    auto elsewhere = http_request(
        server.port(), "POST", R"({"jsonrpc":"2.0","id":7,"method":"ping"})", in_session, "/other");
    BOOST_TEST(elsewhere.status == 404);
    auto pong = ping(server.port(), id, 8);
    BOOST_TEST(pong.status == 200);
    BOOST_TEST(only_message(pong).at("result").as_object().empty());
}

BOOST_AUTO_TEST_CASE(progress_makes_the_answer_an_sse_stream) {
    OpenSession s("testplug");
    auto r = s.post(
        R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":300},"_meta":{"progressToken":"p"}}})");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("content-type") == "text/event-stream");
    auto messages = r.messages();
    BOOST_REQUIRE_GE(messages.size(), 2u);
    for (std::size_t i = 0; i + 1 < messages.size(); ++i) {
        BOOST_TEST(messages[i].at("method").as_string() == "notifications/progress");
        BOOST_TEST(messages[i].at("params").at("progressToken").as_string() == "p");
    }
    BOOST_TEST(messages.back().at("id").as_int64() == 5);
    BOOST_TEST(messages.back().at("result").at("structuredContent").at("slept_ms").as_int64() ==
               300);
}

BOOST_AUTO_TEST_CASE(log_records_follow_their_request_else_reach_the_sessions_get_stream) {
    OpenSession s("testplug");
    const std::string& id = s.id;
    auto& server = s.server;
    auto level =
        s.post(R"({"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"info"}})");
    BOOST_TEST(level.status == 200);

    RawConnection get(server.port());
    get.send(
        "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nMcp-Session-Id: " +
        id + "\r\n\r\n");
    BOOST_TEST(get.read_until("\r\n\r\n").find("text/event-stream") != std::string::npos);
    // A second standalone stream for the same session is refused.
    auto second = http_request(server.port(), "GET", "",
                               {{"Mcp-Session-Id", id}, {"Accept", "text/event-stream"}});
    BOOST_TEST(second.status == 409);

    // A tool's record travels with its call's answer (an SSE stream), not the GET stream.
    auto call = post_in(
        server.port(), id,
        R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"log","arguments":{"message":"hello over http"}}})");
    BOOST_TEST(call.status == 200);
    auto messages = call.messages();
    BOOST_REQUIRE_EQUAL(messages.size(), 2u);
    BOOST_TEST(messages[0].at("method").as_string() == "notifications/message");
    BOOST_TEST(messages[0].at("params").at("data").as_string() == "hello over http");
    BOOST_TEST(messages[1].at("id").as_int64() == 3);

    // A record of no call (the host noting a cancellation) goes to the GET stream.
    RawConnection slow(server.port());
    const std::string body =
        R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":5000},"_meta":{"progressToken":"p"}}})";
    slow.send(
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " +
        id + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    // Running once its first progress arrives: only then can it be cancelled.
    BOOST_TEST(slow.read_until("notifications/progress").find("notifications/progress") !=
               std::string::npos);
    BOOST_TEST(
        post_in(
            server.port(), id,
            R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":4,"reason":"stop now please"}})")
            .status == 202);
    const std::string seen = get.read_until("stop now please");
    BOOST_TEST(seen.find("notifications/message") != std::string::npos);
    BOOST_TEST(seen.find("stop now please") != std::string::npos);
    BOOST_TEST(seen.find("hello over http") == std::string::npos);
    // Ending the session ends its stream.
    BOOST_TEST(http_request(server.port(), "DELETE", "", {{"Mcp-Session-Id", id}}).status == 200);
    BOOST_TEST(get.read_until("0\r\n\r\n").find("0\r\n\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stateless_2026_requests_are_checked_against_their_headers) {
    TempDir dir;
    HttpServerProcess server = serve(dir);
    auto list = http_request(server.port(), "POST", modern_body(1, "tools/list"),
                             modern_headers("tools/list"));
    BOOST_TEST(list.status == 200);
    BOOST_TEST(list.header("mcp-session-id").empty());  // no sessions in 2026-07-28
    BOOST_TEST(only_message(list).at("result").at("resultType").as_string() == "complete");

    bj::object args{{"name", "list_schedulers"}, {"arguments", bj::object{{"name", "rusty"}}}};
    auto call = http_request(server.port(), "POST", modern_body(2, "tools/call", args),
                             modern_headers("tools/call", "list_schedulers"));
    BOOST_TEST(call.status == 200);

    auto no_method = http_request(server.port(), "POST", modern_body(3, "tools/list"),
                                  {{"MCP-Protocol-Version", "2026-07-28"}});
    BOOST_TEST(no_method.status == 400);
    BOOST_TEST(error_code(no_method) == -32020);
    auto wrong_name = http_request(server.port(), "POST", modern_body(4, "tools/call", args),
                                   modern_headers("tools/call", "other_tool"));
    BOOST_TEST(wrong_name.status == 400);
    BOOST_TEST(error_code(wrong_name) == -32020);
    auto wrong_version =
        http_request(server.port(), "POST", modern_body(5, "tools/list"),
                     {{"MCP-Protocol-Version", "2025-11-25"}, {"Mcp-Method", "tools/list"}});
    BOOST_TEST(wrong_version.status == 400);
    BOOST_TEST(error_code(wrong_version) == -32020);
    auto unknown =
        http_request(server.port(), "POST", modern_body(6, "no/such"), modern_headers("no/such"));
    BOOST_TEST(unknown.status == 404);
    BOOST_TEST(error_code(unknown) == -32601);
    // No standalone stream and no sessions to end.
    BOOST_TEST(http_request(server.port(), "GET", "", {{"Accept", "text/event-stream"}}).status ==
               405);
    BOOST_TEST(http_request(server.port(), "DELETE", "").status == 405);
}

BOOST_AUTO_TEST_CASE(connections_are_bounded_and_idle_ones_closed) {
    TempDir dir;
    HttpServerProcess server =
        serve(dir, "catalog", "server: {http: {max_connections: 8, idle_seconds: 1}}\n");
    const std::size_t baseline = server.open_fds();
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 40; ++i) idle.push_back(std::make_unique<RawConnection>(server.port()));
    // Every connection is either refused at once or closed after idle_seconds: all end.
    std::size_t ended = 0;
    for (auto& c : idle) {
        // Meanwhile the server never holds more than the limit (plus the one it may have
        // just accepted in order to close it).
        BOOST_TEST(server.open_fds() <= baseline + 8 + 1);
        if (c->read_to_eof(std::chrono::seconds(20))) ++ended;
    }
    BOOST_TEST(ended == idle.size());
    idle.clear();
    const std::string id = open_session(server.port());
    auto pong = ping(server.port(), id, 2);
    BOOST_TEST(pong.status == 200);
}

BOOST_AUTO_TEST_CASE(sessions_are_bounded) {
    TempDir dir;
    HttpServerProcess server = serve(dir, "catalog", "server: {http: {max_sessions: 2}}\n");
    const std::string first = open_session(server.port());
    open_session(server.port());
    auto third = http_request(server.port(), "POST", initialize_body());
    BOOST_TEST(third.status == 503);
    BOOST_TEST(http_request(server.port(), "DELETE", "", {{"Mcp-Session-Id", first}}).status ==
               200);
    BOOST_TEST(http_request(server.port(), "POST", initialize_body()).status == 200);
}

BOOST_AUTO_TEST_CASE(listening_beyond_loopback_needs_the_config_to_say_so) {
    TempDir dir;
    const std::string cfg = write_config(dir, "  - name: catalog\n");
    auto remote = run({bin("schedcp"), "--config", cfg, "--http", "0.0.0.0:0"});
    BOOST_TEST(remote.status == 2);
    BOOST_TEST(remote.err.find("allow_non_loopback") != std::string::npos);
    auto garbage = run({bin("schedcp"), "--config", cfg, "--http", "here"});
    BOOST_TEST(garbage.status == 2);
    BOOST_TEST(garbage.err.find("ADDRESS:PORT") != std::string::npos);
    auto both = run({bin("schedcp"), "--config", cfg, "--http", "127.0.0.1:0", "--stdio"});
    BOOST_TEST(both.status == 2);
}

BOOST_AUTO_TEST_CASE(sigterm_stops_the_http_server) {
    TempDir dir;
    HttpServerProcess server = serve(dir);
    open_session(server.port());
    server.process().kill(SIGTERM);
    auto status = server.process().wait(std::chrono::seconds(20));
    BOOST_REQUIRE(status.has_value());
    BOOST_TEST(*status == 0);
}

BOOST_AUTO_TEST_SUITE_END()
