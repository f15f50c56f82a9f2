#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp/jsonrpc.hpp"

namespace bj = boost::json;
using namespace schedcp::host::mcp;

namespace {
RpcError error_of(const char* text) {
    auto r = classify(bj::parse(text));
    BOOST_REQUIRE(std::holds_alternative<RpcError>(r));
    return std::get<RpcError>(r);
}
Message message_of(const char* text) {
    auto r = classify(bj::parse(text));
    BOOST_REQUIRE(std::holds_alternative<Message>(r));
    return std::get<Message>(r);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(jsonrpc)

BOOST_AUTO_TEST_CASE(classifies_requests_notifications_responses) {
    auto req = message_of(R"({"jsonrpc":"2.0","id":7,"method":"ping"})");
    BOOST_TEST((req.kind == Message::Kind::request));
    BOOST_TEST(req.id.as_int64() == 7);
    auto note = message_of(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    BOOST_TEST((note.kind == Message::Kind::notification));
    auto resp = message_of(R"({"jsonrpc":"2.0","id":"a","result":{}})");
    BOOST_TEST((resp.kind == Message::Kind::response));
    auto with_params = message_of(R"({"jsonrpc":"2.0","id":"x","method":"m","params":{"a":1}})");
    BOOST_TEST(with_params.params.at("a").as_int64() == 1);
}

BOOST_AUTO_TEST_CASE(bad_envelopes_are_invalid_requests) {
    BOOST_TEST(error_of("[]").code == rpc_error::invalid_request);
    BOOST_TEST(error_of("1").code == rpc_error::invalid_request);
    BOOST_TEST(error_of("null").code == rpc_error::invalid_request);
    BOOST_TEST(error_of(R"({"id":1,"method":"ping"})").code == rpc_error::invalid_request);
    BOOST_TEST(error_of(R"({"jsonrpc":"1.0","id":1,"method":"ping"})").code ==
               rpc_error::invalid_request);
    BOOST_TEST(error_of(R"({"jsonrpc":"2.0","id":{},"method":"ping"})").code ==
               rpc_error::invalid_request);
    BOOST_TEST(error_of(R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})").code ==
               rpc_error::invalid_request);
    BOOST_TEST(error_of(R"({"jsonrpc":"2.0","id":1,"method":3})").code ==
               rpc_error::invalid_request);
    BOOST_TEST(error_of(R"({"jsonrpc":"2.0","id":1})").code == rpc_error::invalid_request);
    // The id is echoed when it could be read.
    BOOST_TEST(error_of(R"({"jsonrpc":"1.0","id":9,"method":"ping"})").id.as_int64() == 9);
}

BOOST_AUTO_TEST_CASE(params_must_be_an_object) {
    auto e = error_of(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":[1]})");
    BOOST_TEST(e.code == rpc_error::invalid_params);
    BOOST_TEST(e.id.as_int64() == 1);
}

BOOST_AUTO_TEST_CASE(builds_responses_and_errors) {
    BOOST_TEST(bj::serialize(make_response(3, bj::object{})) ==
               R"({"jsonrpc":"2.0","id":3,"result":{}})");
    BOOST_TEST(bj::serialize(make_error({-32601, "nope", nullptr, "a"})) ==
               R"({"jsonrpc":"2.0","id":"a","error":{"code":-32601,"message":"nope"}})");
    BOOST_TEST(id_key(bj::value("1")) != id_key(bj::value(1)));
}

BOOST_AUTO_TEST_SUITE_END()
