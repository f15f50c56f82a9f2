#include "health_endpoint.hpp"

#include <string_view>

namespace schedcp::host::mcp::http {

namespace bhttp = boost::beast::http;

std::optional<bhttp::response<bhttp::string_body>> health_answer(
    const bhttp::request<bhttp::string_body>& req) {
    std::string_view target = req.target();
    target = target.substr(0, target.find('?'));
    if (target != kHealthPath) return std::nullopt;
    const bool head = req.method() == bhttp::verb::head;
    if (req.method() != bhttp::verb::get && !head) {
        bhttp::response<bhttp::string_body> res{bhttp::status::method_not_allowed, req.version()};
        res.set(bhttp::field::allow, "GET, HEAD");
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        return res;
    }
    bhttp::response<bhttp::string_body> res{bhttp::status::ok, req.version()};
    res.set(bhttp::field::content_type, "text/plain");
    res.set(bhttp::field::cache_control, "no-store");
    res.body() = "ok\n";
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    if (head) res.body().clear();  // Content-Length stays that of the GET answer
    return res;
}

}  // namespace schedcp::host::mcp::http
