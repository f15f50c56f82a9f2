#include "request_state.hpp"

#include <random>

#include <boost/json/parse.hpp>

#include "hmac_sha256.hpp"
#include "http/base64.hpp"
#include "schedcp/sdk/json.hpp"

namespace schedcp::host::mcp {

namespace bj = boost::json;

namespace {

constexpr int kVersion = 1;

std::optional<Sha256Digest> from_hex(std::string_view s) {
    if (s.size() != 64) return std::nullopt;
    Sha256Digest d{};
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < 32; ++i) {
        int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        d[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return d;
}

std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string sha256_hex(std::string_view text) {
    return to_hex(sha256(text));
}

RequestStateCodec::RequestStateCodec(std::string key, std::chrono::seconds lifetime,
                                     std::size_t max_bytes, Clock clock)
    : key_(std::move(key)), lifetime_(lifetime), max_bytes_(max_bytes), clock_(std::move(clock)) {}

const RequestStateCodec& RequestStateCodec::process() {
    static const RequestStateCodec codec = [] {
        std::random_device rd;  // getrandom(2)
        std::string key;
        for (int i = 0; i < 8; ++i) {
            const auto v = rd();
            for (int b = 0; b < 4; ++b) key += static_cast<char>((v >> (8 * b)) & 0xff);
        }
        return RequestStateCodec(std::move(key), std::chrono::minutes(30), 256 * 1024);
    }();
    return codec;
}

std::optional<std::string> RequestStateCodec::seal(const RequestStateContent& content) const {
    const bj::object payload{{"v", kVersion},          {"m", content.method},
                             {"n", content.name},      {"a", content.arguments},
                             {"r", content.responses}, {"e", unix_seconds(clock_() + lifetime_)}};
    std::string body = http::base64url_encode(sdk::json::compact(payload));
    std::string state = body + "." + to_hex(hmac_sha256(key_, body));
    if (state.size() > max_bytes_) return std::nullopt;
    return state;
}

std::variant<RequestStateContent, std::string> RequestStateCodec::open(
    std::string_view state) const {
    if (state.size() > max_bytes_)
        return "requestState is larger than any this server issues (" + std::to_string(max_bytes_) +
               " bytes at most)";
    const auto dot = state.rfind('.');
    const auto mac = dot == std::string_view::npos ? std::nullopt : from_hex(state.substr(dot + 1));
    if (!mac || !equal_in_constant_time(*mac, hmac_sha256(key_, state.substr(0, dot))))
        return std::string(
            "requestState failed its integrity check (altered, or issued by another server "
            "process)");
    auto text = http::base64url_decode(state.substr(0, dot));
    boost::system::error_code ec;
    bj::value v = text ? bj::parse(*text, ec) : bj::value();
    const bj::object* o = v.if_object();
    // Signed by us, so well-formed unless the format changed under a running client.
    const auto has_all = [o] {
        for (const char* k : {"v", "m", "n", "a", "r", "e"})
            if (!o->contains(k)) return false;
        return true;
    };
    if (ec || !o || !has_all() || o->at("v") != kVersion || !o->at("m").is_string() ||
        !o->at("n").is_string() || !o->at("a").is_string() || !o->at("r").is_object() ||
        !o->at("e").is_int64())
        return std::string("requestState is not in this server's format");
    if (o->at("e").get_int64() < unix_seconds(clock_()))
        return std::string("requestState has expired; call again without it to start over");
    return RequestStateContent{.method = std::string(o->at("m").get_string()),
                               .name = std::string(o->at("n").get_string()),
                               .arguments = std::string(o->at("a").get_string()),
                               .responses = o->at("r").get_object()};
}

}  // namespace schedcp::host::mcp
