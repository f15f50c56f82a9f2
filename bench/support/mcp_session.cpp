#include "mcp_session.hpp"

#include <stdexcept>

#include <boost/json/parse.hpp>

#include "answer_scan.hpp"

namespace schedcp::bench {

std::string request_line(std::int64_t id, std::string_view method, std::string_view params_json) {
    std::string line = R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")";
    line += method;
    line += '"';
    if (!params_json.empty()) {
        line += R"(,"params":)";
        line += params_json;
    }
    line += "}\n";
    return line;
}

void McpSession::handshake() {
    call("initialize", R"({"protocolVersion":"2025-11-25","capabilities":{},)"
                       R"("clientInfo":{"name":"schedcp-bench","version":"0"}})");
    server_.send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
                 "\n");
}

boost::json::object McpSession::call(std::string_view method, std::string_view params_json,
                                     std::string* answer_line) {
    const std::int64_t id = next_id();
    server_.send(request_line(id, method, params_json));
    const std::string_view line = server_.read_line();
    check_answer(line, id);
    if (answer_line) *answer_line = line;
    boost::system::error_code ec;
    boost::json::value answer = boost::json::parse(line, ec);
    if (ec || !answer.is_object() || !answer.as_object().at("result").is_object())
        throw std::runtime_error(server_.label() + ": the answer to " + std::string(method) +
                                 " has no result object");
    return std::move(answer.as_object().at("result").as_object());
}

}  // namespace schedcp::bench
