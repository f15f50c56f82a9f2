#include "jsonrpc.hpp"

#include "schedcp/sdk/json.hpp"

namespace schedcp::host::mcp {

namespace bj = boost::json;

std::variant<Message, RpcError> classify(const bj::value& v) {
    if (!v.is_object())
        return RpcError{rpc_error::invalid_request,
                        "invalid request: a JSON-RPC message must be an object"};
    const auto& o = v.as_object();
    bj::value id = nullptr;
    bool has_id = false;
    if (auto it = o.find("id"); it != o.end()) {
        has_id = true;
        if (it->value().is_string() || it->value().is_int64() || it->value().is_uint64()) {
            id = it->value();
        } else {
            return RpcError{rpc_error::invalid_request,
                            "invalid request: 'id' must be a string or an integer, got " +
                                sdk::json::compact(it->value()).substr(0, 40)};
        }
    }
    auto version = o.find("jsonrpc");
    if (version == o.end() || version->value() != "2.0")
        return RpcError{rpc_error::invalid_request, "invalid request: 'jsonrpc' must be \"2.0\"",
                        nullptr, id};

    auto method = o.find("method");
    if (method == o.end()) {
        if (has_id && (o.contains("result") || o.contains("error"))) {
            Message m{Message::Kind::response, id, {}, {}};
            if (auto r = o.find("result"); r != o.end()) m.result = r->value();
            if (auto e = o.find("error"); e != o.end()) m.error = e->value();
            return m;
        }
        return RpcError{rpc_error::invalid_request, "invalid request: 'method' is missing", nullptr,
                        id};
    }
    if (!method->value().is_string())
        return RpcError{rpc_error::invalid_request, "invalid request: 'method' must be a string",
                        nullptr, id};

    Message m{has_id ? Message::Kind::request : Message::Kind::notification,
              id,
              std::string(method->value().get_string()),
              {}};
    if (auto p = o.find("params"); p != o.end() && !p->value().is_null()) {
        if (!p->value().is_object())
            return RpcError{.code = rpc_error::invalid_params,
                            .message = "invalid params: 'params' must be an object",
                            .id = id,
                            .notification = !has_id};
        m.params = p->value().get_object();
    }
    return m;
}

bj::object make_response(const bj::value& id, bj::value result) {
    return bj::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

bj::object make_error(const RpcError& e) {
    bj::object err{{"code", e.code}, {"message", e.message}};
    if (!e.data.is_null()) err["data"] = e.data;
    return bj::object{{"jsonrpc", "2.0"}, {"id", e.id}, {"error", std::move(err)}};
}

bj::object make_notification(const std::string& method, bj::object params) {
    return bj::object{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

std::string id_key(const bj::value& id) {
    if (id.is_string()) return "s:" + std::string(id.get_string());
    return "n:" + sdk::json::compact(id);
}

}  // namespace schedcp::host::mcp
