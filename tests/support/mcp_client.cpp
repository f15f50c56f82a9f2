#include "mcp_client.hpp"

#include <boost/test/unit_test.hpp>

namespace schedcp::test {

McpClient::McpClient(const std::string& config, const std::map<std::string, std::string>& env)
    : proc_(std::make_unique<Subprocess>(
          std::vector<std::string>{bin("schedcp"), "--config", config}, env)) {}

McpClient::McpClient(const std::vector<std::string>& argv,
                     const std::map<std::string, std::string>& env)
    : proc_(std::make_unique<Subprocess>(argv, env)) {}

void McpClient::notify(const std::string& method, bj::object params) {
    send(bj::object{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
}

std::optional<bj::value> McpClient::next(std::chrono::milliseconds timeout) {
    if (!pending_.empty()) {
        auto v = std::move(pending_.front());
        pending_.pop_front();
        return v;
    }
    auto line = proc_->read_line(timeout);
    if (!line) return std::nullopt;
    boost::system::error_code ec;
    bj::value v = bj::parse(*line, ec);
    BOOST_REQUIRE_MESSAGE(!ec, "server wrote a line that is not JSON: " << line->substr(0, 300));
    return v;
}

std::optional<bj::object> McpClient::response(const bj::value& id,
                                              std::chrono::milliseconds timeout) {
    for (auto it = pending_.begin(); it != pending_.end(); ++it)
        if (it->is_object() && it->as_object().if_contains("id") &&
            it->as_object().at("id") == id) {
            auto o = it->as_object();
            pending_.erase(it);
            return o;
        }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        auto line = proc_->read_line(left);
        if (!line) return std::nullopt;
        boost::system::error_code ec;
        bj::value v = bj::parse(*line, ec);
        BOOST_REQUIRE_MESSAGE(!ec,
                              "server wrote a line that is not JSON: " << line->substr(0, 300));
        if (v.is_object() && !v.as_object().contains("id")) {
            notifications_.push_back(v.as_object());
            continue;
        }
        if (v.is_object() && v.as_object().at("id") == id) return v.as_object();
        pending_.push_back(std::move(v));
    }
}

bj::object McpClient::request_with_id(bj::value id, const std::string& method, bj::object params,
                                      std::chrono::milliseconds timeout) {
    bj::object msg{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.empty()) msg["params"] = std::move(params);
    send(msg);
    auto r = response(id, timeout);
    BOOST_REQUIRE_MESSAGE(r, "no response to " << method << " (id " << bj::serialize(id) << ")");
    return *r;
}

bj::object McpClient::request(const std::string& method, bj::object params,
                              std::chrono::milliseconds timeout) {
    return request_with_id(next_id_++, method, std::move(params), timeout);
}

bj::object McpClient::initialize(const std::string& version) {
    auto r = request(
        "initialize",
        bj::object{{"protocolVersion", version},
                   {"capabilities", bj::object{}},
                   {"clientInfo", bj::object{{"name", "schedcp-tests"}, {"version", "1"}}}});
    notify("notifications/initialized");
    return r;
}

bj::object McpClient::call(const std::string& tool, bj::object args, bj::object meta) {
    bj::object params{{"name", tool}, {"arguments", std::move(args)}};
    if (!meta.empty()) params["_meta"] = std::move(meta);
    return request("tools/call", std::move(params));
}

std::string write_config(const TempDir& dir, const std::string& plugins_yaml,
                         const std::string& extra) {
    // Tests check every tool result against its output schema (server.validate_tool_results,
    // off by default); a test's own `server: {...}` line gets the key added.
    static const std::string kServer = "server: {";
    std::string settings = extra;
    if (settings.starts_with(kServer))
        settings.insert(kServer.size(), "validate_tool_results: true, ");
    else
        settings = "server: {validate_tool_results: true}\n" + settings;
    std::string yaml = "data_dir: " + dir.file("data") + "\n" +
                       "log: {file: schedcp.log, level: debug}\n" + "plugin_dirs: [" +
                       std::string(TEST_PLUGIN_DIR) + "]\n" + settings + "plugins:\n" +
                       plugins_yaml;
    return dir.write("schedcp.yaml", yaml);
}

}  // namespace schedcp::test
