// Authorization and TLS on the real `schedcp --http`: bearer tokens minted with
// `schedcp-cli token new`, the 401 challenge and the resource metadata it points to, scopes
// against tool annotations (403 insufficient_scope), sessions bound to their token, the
// start-up refusals (token file permissions, non-loopback without auth), and HTTPS with a
// self-signed certificate made here, talked to by curl.
#include <sys/stat.h>

#include <csignal>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <tuple>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "http_client.hpp"
#include "mcp_client.hpp"
#include "subprocess.hpp"

using namespace schedcp::test;

namespace {

struct Minted {
    std::string token;
    std::string line;
};

// A token from `schedcp-cli token new` (the CLI needs a config; any will do).
Minted mint(const TempDir& dir, const std::string& id, const std::vector<std::string>& scopes) {
    const std::string cfg = write_config(dir, "  - name: catalog\n");
    std::vector<std::string> argv{
        bin("schedcp-cli"), "--config", cfg, "--json", "token", "new", id};
    for (const auto& s : scopes) argv.insert(argv.end(), {"--scope", s});
    auto r = run(argv);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
    auto v = bj::parse(r.out).as_object();
    BOOST_TEST(v.at("id").as_string() == id);
    return {std::string(v.at("token").as_string()), std::string(v.at("line").as_string())};
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string call_body(int id, const std::string& tool, const std::string& args = "{}") {
    return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
           R"(,"method":"tools/call","params":{"name":")" + tool + R"(","arguments":)" + args +
           "}}";
}

// A server (catalog + runner, or `plugins`) that requires tokens: `viewer` (read) and `ops`
// (admin).
struct AuthServer {
    AuthServer(const std::string& extra_http = {}, mode_t token_mode = 0600,
               const std::string& plugins = "  - name: catalog\n  - name: runner\n") {
        viewer = mint(dir, "viewer", {"read"});
        ops = mint(dir, "ops", {"admin"});
        const std::string tokens = dir.write("tokens", viewer.line + "\n" + ops.line + "\n");
        ::chmod(tokens.c_str(), token_mode);
        config = write_config(
            dir, plugins,
            "server: {http: {auth: {token_file: " + tokens + "}" + extra_http + "}}\n");
    }
    void start() { server = std::make_unique<HttpServerProcess>(config); }
    int port() const { return server->port(); }
    std::map<std::string, std::string> bearer(const Minted& m,
                                              std::map<std::string, std::string> h = {}) const {
        h["Authorization"] = "Bearer " + m.token;
        return h;
    }
    // initialize + initialized with `who`'s token; the session id.
    std::string open_session(const Minted& who) {
        auto init = http_request(port(), "POST", initialize_body(), bearer(who));
        BOOST_REQUIRE_EQUAL(init.status, 200);
        const std::string id = init.header("mcp-session-id");
        BOOST_REQUIRE(!id.empty());
        auto ack = http_request(port(), "POST",
                                R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
                                bearer(who, {{"Mcp-Session-Id", id}}));
        BOOST_REQUIRE_EQUAL(ack.status, 202);
        return id;
    }
    std::string log() const { return read_file(dir.file("data") + "/schedcp.log"); }
    // SIGHUP to the server, then whether the log says `outcome` within 4 s.
    bool hang_up_until_logged(const std::string& outcome) const {
        BOOST_REQUIRE(::kill(server->process().pid(), SIGHUP) == 0);
        for (int i = 0; i < 200; ++i) {
            if (log().find(outcome) != std::string::npos) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

    TempDir dir;
    Minted viewer, ops;
    std::string config;
    std::unique_ptr<HttpServerProcess> server;
};

bj::object only_message(const HttpResponse& r) {
    auto messages = r.messages();
    BOOST_REQUIRE_EQUAL(messages.size(), 1u);
    return messages.front().as_object();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_auth)

BOOST_AUTO_TEST_CASE(no_token_gets_401_with_the_metadata_link_and_the_metadata_is_public) {
    AuthServer s;
    s.start();
    const std::string origin = "http://127.0.0.1:" + std::to_string(s.port());
    auto r = http_request(s.port(), "POST", initialize_body());
    BOOST_TEST(r.status == 401);
    BOOST_TEST(r.header("www-authenticate") ==
               "Bearer resource_metadata=\"" + origin +
                   "/.well-known/oauth-protected-resource/mcp\", scope=\"read\"");
    BOOST_TEST(only_message(r).at("error").at("code").as_int64() == -32600);
    // GET and DELETE need the token too.
    BOOST_TEST(http_request(s.port(), "GET", "", {{"Accept", "text/event-stream"}}).status == 401);
    BOOST_TEST(http_request(s.port(), "DELETE", "", {{"Mcp-Session-Id", "x"}}).status == 401);

    for (const std::string path :
         {"/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"}) {
        auto m = http_request(s.port(), "GET", "", {{"Accept", "application/json"}}, path);
        BOOST_TEST_INFO(path);
        BOOST_TEST(m.status == 200);
        BOOST_TEST(m.header("content-type") == "application/json");
        auto doc = bj::parse(m.body).as_object();
        BOOST_TEST(doc.at("resource").as_string() == origin + "/mcp");
        BOOST_TEST(doc.at("scopes_supported") == (bj::array{"read", "admin"}));
        BOOST_TEST(doc.at("bearer_methods_supported") == (bj::array{"header"}));
    }
    BOOST_TEST(
        http_request(s.port(), "POST", "{}", {}, "/.well-known/oauth-protected-resource").status ==
        405);
    BOOST_TEST(
        http_request(s.port(), "GET", "", {}, "/.well-known/oauth-protected-resource/x").status ==
        404);
}

BOOST_AUTO_TEST_CASE(a_wrong_token_gets_401_invalid_token_and_is_never_logged) {
    AuthServer s;
    s.start();
    const std::string wrong = s.viewer.token + "x";
    auto r =
        http_request(s.port(), "POST", initialize_body(), {{"Authorization", "Bearer " + wrong}});
    BOOST_TEST(r.status == 401);
    BOOST_TEST(r.header("www-authenticate").find("error=\"invalid_token\"") != std::string::npos);
    BOOST_TEST(r.header("www-authenticate").find("resource_metadata=") != std::string::npos);
    auto basic =
        http_request(s.port(), "POST", initialize_body(), {{"Authorization", "Basic eDp5"}});
    BOOST_TEST(basic.status == 401);
    BOOST_TEST(s.log().find("refused an unauthenticated request: unknown token") !=
               std::string::npos);
    BOOST_TEST(s.log().find(wrong.substr(8, 20)) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_read_token_calls_read_only_tools_only) {
    AuthServer s;
    s.start();
    const std::string id = s.open_session(s.viewer);
    auto headers = s.bearer(s.viewer, {{"Mcp-Session-Id", id}});
    // tools/list lists every tool, whatever the scopes.
    auto list = http_request(s.port(), "POST", R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})",
                             headers);
    BOOST_TEST(list.status == 200);
    BOOST_TEST(only_message(list).at("result").at("tools").as_array().size() > 2u);

    auto ok = http_request(s.port(), "POST", call_body(2, "list_schedulers", R"({"name":"rusty"})"),
                           headers);
    BOOST_TEST(ok.status == 200);
    BOOST_TEST(!only_message(ok).at("result").at("isError").as_bool());
    auto status = http_request(s.port(), "POST", call_body(3, "list_executions"), headers);
    BOOST_TEST(status.status == 200);

    auto refused = http_request(s.port(), "POST",
                                call_body(4, "run_scheduler", R"({"name":"scx_rusty"})"), headers);
    BOOST_TEST(refused.status == 403);
    const std::string challenge = refused.header("www-authenticate");
    BOOST_TEST(challenge.find("Bearer error=\"insufficient_scope\", scope=\"admin\"") == 0u,
               challenge);
    BOOST_TEST(challenge.find("resource_metadata=\"http://127.0.0.1:") != std::string::npos);
    auto error = only_message(refused).at("error").as_object();
    BOOST_TEST(error.at("code").as_int64() == -32003);
    BOOST_TEST(only_message(refused).at("id").as_int64() == 4);
    BOOST_TEST(http_request(s.port(), "POST",
                            call_body(5, "stop_scheduler", R"({"execution_id":"x"})"), headers)
                   .status == 403);
    // The session carries on.
    BOOST_TEST(http_request(s.port(), "POST", call_body(6, "list_schedulers"), headers).status ==
               200);
    const std::string log = s.log();
    BOOST_TEST(log.find("refused tools/call run_scheduler for token 'viewer'") !=
               std::string::npos);
    BOOST_TEST(log.find(s.viewer.token) == std::string::npos);
    BOOST_TEST(log.find(s.ops.token) == std::string::npos);

    // A stateless 2026-07-28 request gets the same answer.
    auto modern = http_request(
        s.port(), "POST",
        modern_body(7, "tools/call", {{"name", "run_scheduler"}, {"arguments", bj::object{}}}),
        s.bearer(s.viewer, modern_headers("tools/call", "run_scheduler")));
    BOOST_TEST(modern.status == 403);
    BOOST_TEST(modern.header("www-authenticate").find("insufficient_scope") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_read_token_uses_the_read_commands_of_multi_command_tools) {
    AuthServer s({}, 0600,
                 "  - name: catalog\n  - name: runner\n  - name: workloads\n"
                 "  - name: evaluator\n  - name: monitor\n    settings: {runqlat: false}\n");
    s.start();
    const auto viewer = s.bearer(s.viewer, {{"Mcp-Session-Id", s.open_session(s.viewer)}});
    const auto ops = s.bearer(s.ops, {{"Mcp-Session-Id", s.open_session(s.ops)}});
    int id = 10;
    // The HTTP status of a call, and (200) whether the tool ran to an error result.
    auto call = [&](const std::map<std::string, std::string>& who, const std::string& tool,
                    const std::string& args) {
        return http_request(s.port(), "POST", call_body(++id, tool, args), who);
    };
    auto created = call(ops, "workload", R"({"command":"create","description":"a build"})");
    BOOST_REQUIRE_EQUAL(created.status, 200);
    const std::string workload = std::string(
        only_message(created).at("result").at("structuredContent").at("workload_id").as_string());
    const std::string with_id = R"(","workload_id":")" + workload + R"("})";

    // tools/list keeps the truth: none of them is read-only as a whole.
    auto list = only_message(http_request(
        s.port(), "POST", R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})", viewer));
    for (const auto& t : list.at("result").at("tools").as_array())
        for (const char* name : {"workload", "evaluation", "system_monitor", "scheduler_default"})
            if (t.at("name") == name) {
                BOOST_TEST_INFO(name);
                BOOST_TEST(t.at("annotations").at("readOnlyHint") == false);
            }

    // What a read token may do through them: 200, and the tool ran.
    for (const auto& [tool, args] : std::vector<std::pair<std::string, std::string>>{
             {"workload", R"({"command":"list"})"},
             {"workload", R"({"command":"get)" + with_id},
             {"workload", R"({"command":"get_history)" + with_id},
             {"workload",
              R"({"command":"recommend","metric":"time_s","goal":"min","workload_id":")" +
                  workload + R"("})"},
             {"evaluation", R"({"command":"list"})"},
             {"evaluation", R"({"command":"status","evaluation_id":"eval_none"})"},
             {"evaluation", R"({"command":"result","evaluation_id":"eval_none"})"},
             {"system_monitor", R"({"command":"status"})"},
             {"scheduler_default", R"({"command":"get"})"}}) {
        BOOST_TEST_INFO(tool + " " + args);
        auto r = call(viewer, tool, args);
        BOOST_TEST(r.status == 200);
        BOOST_TEST(only_message(r).contains("result"));
    }
    // ... and what it may not: 403 insufficient_scope naming the command; nothing changed.
    for (const auto& [tool, command, args] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"workload", "create", R"({"command":"create","description":"x"})"},
             {"workload", "delete", R"({"command":"delete)" + with_id},
             {"workload", "update", R"({"command":"update","description":"y)" + with_id},
             {"workload", "add_history",
              R"({"command":"add_history","execution_id":"1","result_description":"r)" + with_id},
             {"evaluation", "cancel", R"({"command":"cancel","evaluation_id":"eval_none"})"},
             {"system_monitor", "start", R"({"command":"start"})"},
             {"system_monitor", "stop", R"({"command":"stop"})"},
             {"scheduler_default", "clear", R"({"command":"clear"})"},
             {"scheduler_default", "set", R"({"command":"set","name":"scx_rusty"})"}}) {
        BOOST_TEST_INFO(tool + " " + args);
        auto r = call(viewer, tool, args);
        BOOST_TEST(r.status == 403);
        BOOST_TEST(r.header("www-authenticate").find("error=\"insufficient_scope\"") == 7u);
        auto error = only_message(r).at("error").as_object();
        BOOST_TEST(error.at("code").as_int64() == -32003);
        BOOST_TEST(error.at("message").as_string().starts_with(
                       "insufficient scope: " + tool + " command '" + command +
                       "' is not read-only; it needs the admin scope (the read scope may use " +
                       tool + " command "),
                   error.at("message").as_string());
    }
    // Arguments that do not validate run nothing, whoever sends them: the validation error.
    auto invalid = call(viewer, "workload", R"({"command":"drop"})");
    BOOST_TEST(invalid.status == 200);
    BOOST_TEST(only_message(invalid).at("result").at("isError").as_bool());
    // The profile is still there; admin deletes it.
    auto got = call(viewer, "workload", R"({"command":"get)" + with_id);
    BOOST_TEST(!only_message(got).at("result").at("isError").as_bool());
    auto deleted = call(ops, "workload", R"({"command":"delete)" + with_id);
    BOOST_TEST(deleted.status == 200);
    BOOST_TEST(!only_message(deleted).at("result").at("isError").as_bool());
    BOOST_TEST(call(ops, "system_monitor", R"({"command":"status"})").status == 200);
    BOOST_TEST(s.log().find("refused tools/call workload for token 'viewer': insufficient scope: "
                            "workload command 'create' is not read-only") != std::string::npos);

    // A stateless 2026-07-28 request is judged the same way.
    auto modern = [&](const std::string& command) {
        return http_request(
            s.port(), "POST",
            modern_body(++id, "tools/call",
                        {{"name", "workload"}, {"arguments", bj::object{{"command", command}}}}),
            s.bearer(s.viewer, modern_headers("tools/call", "workload")));
    };
    BOOST_TEST(modern("list").status == 200);
    BOOST_TEST(modern("create").status == 403);
}

BOOST_AUTO_TEST_CASE(an_admin_token_calls_every_tool) {
    AuthServer s;
    s.start();
    const std::string id = s.open_session(s.ops);
    auto headers = s.bearer(s.ops, {{"Mcp-Session-Id", id}});
    auto stop = http_request(s.port(), "POST",
                             call_body(2, "stop_scheduler", R"({"execution_id":"none"})"), headers);
    BOOST_TEST(stop.status == 200);  // the tool ran (and found no such execution)
    BOOST_TEST(only_message(stop).at("result").at("isError").as_bool());
    BOOST_TEST(http_request(s.port(), "POST", call_body(3, "list_schedulers"), headers).status ==
               200);
}

BOOST_AUTO_TEST_CASE(a_session_is_bound_to_the_token_that_opened_it) {
    AuthServer s;
    s.start();
    const std::string id = s.open_session(s.ops);
    const std::string ping = R"({"jsonrpc":"2.0","id":9,"method":"ping"})";
    auto hijack =
        http_request(s.port(), "POST", ping, s.bearer(s.viewer, {{"Mcp-Session-Id", id}}));
    BOOST_TEST(hijack.status == 404);
    BOOST_TEST(
        http_request(s.port(), "GET", "",
                     s.bearer(s.viewer, {{"Mcp-Session-Id", id}, {"Accept", "text/event-stream"}}))
            .status == 404);
    BOOST_TEST(
        http_request(s.port(), "DELETE", "", s.bearer(s.viewer, {{"Mcp-Session-Id", id}})).status ==
        404);
    BOOST_TEST(http_request(s.port(), "POST", ping, {{"Mcp-Session-Id", id}}).status == 401);
    // The owner still has it.
    BOOST_TEST(
        http_request(s.port(), "POST", ping, s.bearer(s.ops, {{"Mcp-Session-Id", id}})).status ==
        200);
    BOOST_TEST(s.log().find("refused token 'viewer' on session " + id +
                            ", which token 'ops' opened") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_bad_origin_is_403_before_the_token_is_looked_at) {
    AuthServer s;
    s.start();
    auto r = http_request(s.port(), "POST", initialize_body(),
                          s.bearer(s.ops, {{"Origin", "https://evil.example"}}));
    BOOST_TEST(r.status == 403);
    BOOST_TEST(r.header("www-authenticate").empty());
}

BOOST_AUTO_TEST_CASE(a_token_file_others_can_read_stops_the_start) {
    AuthServer s({}, 0644);
    auto r = run({bin("schedcp"), "--config", s.config, "--http", "127.0.0.1:0"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("server.http.auth.token_file " + s.dir.file("tokens") +
                          ": mode 0644 lets other users read or change it; chmod 600 it") !=
                   std::string::npos,
               r.err);
}

BOOST_AUTO_TEST_CASE(beyond_loopback_needs_auth_or_the_explicit_override) {
    TempDir dir;
    const std::string open = write_config(dir, "  - name: catalog\n");
    auto refused = run({bin("schedcp"), "--config", open, "--http", "0.0.0.0:0"});
    BOOST_TEST(refused.status == 2);
    BOOST_TEST(refused.err.find("server.http.auth is not set") != std::string::npos, refused.err);

    AuthServer s;
    Subprocess server({bin("schedcp"), "--config", s.config, "--http", "0.0.0.0:0"});
    std::string err;
    for (int i = 0; i < 500 && err.find("listening on") == std::string::npos; ++i) {
        if (server.wait(std::chrono::milliseconds(20))) break;
        err = server.stderr_text();
    }
    BOOST_TEST(err.find("listening on http://0.0.0.0:") != std::string::npos, err);
    server.kill(SIGTERM);
    BOOST_TEST(server.wait().value_or(-1) == 0);
}

// SIGHUP reads the token file again: a token taken out is refused from then on, a new one
// accepted, without a restart (which would unload the schedulers the server runs); a file
// that cannot be used leaves the tokens in use as they were, and says so in the log.
BOOST_AUTO_TEST_CASE(sighup_reloads_the_token_file_and_a_bad_one_changes_nothing) {
    AuthServer s;
    s.start();
    auto status_with = [&](const Minted& who) {
        return http_request(s.port(), "POST", initialize_body(), s.bearer(who)).status;
    };
    BOOST_TEST(status_with(s.viewer) == 200);
    const Minted newcomer = mint(s.dir, "newcomer", {"read"});
    BOOST_TEST(status_with(newcomer) == 401);

    // The viewer revoked, the newcomer added.
    const std::string tokens = s.dir.file("tokens");
    s.dir.write("tokens.new", s.ops.line + "\n" + newcomer.line + "\n");
    BOOST_REQUIRE(::chmod(s.dir.file("tokens.new").c_str(), 0600) == 0);
    BOOST_REQUIRE(::rename(s.dir.file("tokens.new").c_str(), tokens.c_str()) == 0);
    BOOST_REQUIRE_MESSAGE(s.hang_up_until_logged("SIGHUP: reloaded the token file"), s.log());
    BOOST_TEST(status_with(s.viewer) == 401);
    BOOST_TEST(status_with(newcomer) == 200);
    BOOST_TEST(status_with(s.ops) == 200);

    // A file others can read: refused, the tokens in use stay, the server keeps serving.
    BOOST_REQUIRE(::chmod(tokens.c_str(), 0644) == 0);
    BOOST_REQUIRE_MESSAGE(
        s.hang_up_until_logged("SIGHUP: reload failed, the files read before stay in use: "
                               "server.http.auth.token_file " +
                               tokens + ": mode 0644"),
        s.log());
    BOOST_TEST(status_with(newcomer) == 200);
    BOOST_TEST(status_with(s.viewer) == 401);
    BOOST_TEST(s.log().find(newcomer.token) == std::string::npos);  // never the secret
}

BOOST_AUTO_TEST_CASE(https_with_a_self_signed_certificate) {
    AuthServer s;
    auto made = run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                     "ec_paramgen_curve:P-256", "-nodes", "-keyout", s.dir.file("key.pem"), "-out",
                     s.dir.file("cert.pem"), "-days", "2", "-subj", "/CN=localhost", "-addext",
                     "subjectAltName=DNS:localhost,IP:127.0.0.1"});
    BOOST_REQUIRE_MESSAGE(made.status == 0, made.err);
    s.config = write_config(s.dir, "  - name: catalog\n  - name: runner\n",
                            "server: {http: {auth: {token_file: " + s.dir.file("tokens") +
                                "}, tls: {certificate: cert.pem, key: key.pem}}}\n");
    s.start();
    const std::string url = "https://localhost:" + std::to_string(s.port()) + "/mcp";
    // -w "\n": run() collects whole lines, and a body ends without one.
    auto curl = [&](const std::vector<std::string>& extra) {
        std::vector<std::string> argv{"/usr/bin/curl",
                                      "-sS",
                                      "-i",
                                      "-w",
                                      "\\n",
                                      "--cacert",
                                      s.dir.file("cert.pem"),
                                      "--resolve",
                                      "localhost:" + std::to_string(s.port()) + ":127.0.0.1",
                                      "-H",
                                      "Content-Type: application/json",
                                      "-H",
                                      "Accept: application/json, text/event-stream"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back(url);
        return run(argv);
    };
    auto init = curl({"-H", "Authorization: Bearer " + s.ops.token, "--data", initialize_body()});
    BOOST_REQUIRE_MESSAGE(init.status == 0, init.err);
    auto parsed = parse_response(init.out);
    BOOST_REQUIRE_MESSAGE(parsed.has_value(), init.out + init.err);
    BOOST_TEST(parsed->status == 200);
    BOOST_TEST(!parsed->header("mcp-session-id").empty());
    BOOST_TEST(only_message(*parsed).at("result").at("protocolVersion").as_string() ==
               "2025-11-25");
    // The challenge names the https resource.
    auto anonymous = parse_response(curl({"--data", initialize_body()}).out);
    BOOST_REQUIRE(anonymous.has_value());
    BOOST_TEST(anonymous->status == 401);
    BOOST_TEST(anonymous->header("www-authenticate")
                   .find("resource_metadata=\"https://localhost:" + std::to_string(s.port()) +
                         "/.well-known/oauth-protected-resource/mcp\"") != std::string::npos);
    // TLS 1.2 is accepted; a plain-HTTP request gets no HTTP answer.
    auto tls12 = curl({"--tlsv1.2", "--tls-max", "1.2", "-H",
                       "Authorization: Bearer " + s.ops.token, "--data", initialize_body()});
    BOOST_TEST(tls12.status == 0, tls12.err);
    RawConnection plain(s.port());
    plain.send("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}");
    plain.read_to_eof();
    BOOST_TEST(plain.received().find("HTTP/1.1") == std::string::npos);

    // A renewed certificate and key, loaded by SIGHUP: new connections get it, so the old
    // certificate no longer verifies the server and the new one does.
    const std::string old_cert = read_file(s.dir.file("cert.pem"));
    s.dir.write("old-cert.pem", old_cert);
    auto renewed = run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", s.dir.file("key2.pem"),
                        "-out", s.dir.file("cert2.pem"), "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"});
    BOOST_REQUIRE_MESSAGE(renewed.status == 0, renewed.err);
    BOOST_REQUIRE(::rename(s.dir.file("key2.pem").c_str(), s.dir.file("key.pem").c_str()) == 0);
    BOOST_REQUIRE(::rename(s.dir.file("cert2.pem").c_str(), s.dir.file("cert.pem").c_str()) == 0);
    BOOST_REQUIRE_MESSAGE(s.hang_up_until_logged("and the TLS certificate and key"), s.log());
    auto with_new =
        curl({"-H", "Authorization: Bearer " + s.ops.token, "--data", initialize_body()});
    BOOST_TEST(with_new.status == 0, with_new.err);
    auto with_old = run({"/usr/bin/curl", "-sS", "--cacert", s.dir.file("old-cert.pem"),
                         "--resolve", "localhost:" + std::to_string(s.port()) + ":127.0.0.1", url});
    BOOST_TEST(with_old.status != 0);  // curl: the server's certificate does not verify
}

BOOST_AUTO_TEST_CASE(a_certificate_that_is_not_one_stops_the_start) {
    AuthServer s;
    s.dir.write("cert.pem", "not a certificate\n");
    s.dir.write("key.pem", "not a key\n");
    s.config = write_config(s.dir, "  - name: catalog\n",
                            "server: {http: {tls: {certificate: cert.pem, key: key.pem}}}\n");
    auto r = run({bin("schedcp"), "--config", s.config, "--http", "127.0.0.1:0"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("server.http.tls.certificate " + s.dir.file("cert.pem") +
                          ": not a usable PEM certificate chain") != std::string::npos,
               r.err);
}

BOOST_AUTO_TEST_CASE(a_key_other_users_can_read_stops_the_start) {
    AuthServer s;
    auto made = run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                     "ec_paramgen_curve:P-256", "-nodes", "-keyout", s.dir.file("key.pem"), "-out",
                     s.dir.file("cert.pem"), "-days", "2", "-subj", "/CN=localhost"});
    BOOST_REQUIRE_MESSAGE(made.status == 0, made.err);
    BOOST_REQUIRE(::chmod(s.dir.file("key.pem").c_str(), 0644) == 0);
    s.config = write_config(s.dir, "  - name: catalog\n",
                            "server: {http: {tls: {certificate: cert.pem, key: key.pem}}}\n");
    auto r = run({bin("schedcp"), "--config", s.config, "--http", "127.0.0.1:0"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("server.http.tls.key " + s.dir.file("key.pem") +
                          ": mode 0644 lets users other than root and its group read or change "
                          "the private key; chmod 640 it (or 600)") != std::string::npos,
               r.err);
}

BOOST_AUTO_TEST_SUITE_END()
