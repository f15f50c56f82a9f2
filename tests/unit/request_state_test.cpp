// The MCP 2026-07-28 requestState: HMAC-SHA-256 itself (FIPS 180-4 / RFC 4231 vectors),
// the signed state (tamper, expiry, size), and reading a retried tools/call's round.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp/ask_client.hpp"
#include "mcp/hmac_sha256.hpp"
#include "mcp/request_state.hpp"

namespace bj = boost::json;
using namespace schedcp::host::mcp;

namespace {

// A codec whose clock the test moves.
struct TestClock {
    std::chrono::system_clock::time_point now{std::chrono::seconds(1'900'000'000)};
    RequestStateCodec codec(std::size_t max_bytes = 4096) {
        return RequestStateCodec("k3y-for-tests", std::chrono::seconds(60), max_bytes,
                                 [this] { return now; });
    }
};

RequestStateContent some_content() {
    return {.method = "tools/call",
            .name = "run_scheduler",
            .arguments = sha256_hex("{}"),
            .responses = bj::object{{"confirm", bj::object{{"action", "accept"}}}}};
}

Message tools_call(const char* params) {
    auto r = classify(bj::parse(
        std::string(R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":)") + params + "}"));
    BOOST_REQUIRE(std::holds_alternative<Message>(r));
    return std::get<Message>(r);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_state)

BOOST_AUTO_TEST_CASE(sha256_and_hmac_match_the_published_vectors) {
    BOOST_TEST(to_hex(sha256("")) ==
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(to_hex(sha256("abc")) ==
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // RFC 4231 test cases 1, 2 and 6 (a key longer than the block).
    BOOST_TEST(to_hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    BOOST_TEST(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    BOOST_TEST(to_hex(hmac_sha256(std::string(131, '\xaa'),
                                  "Test Using Larger Than Block-Size Key - Hash Key First")) ==
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// Bearer tokens (token_file) and request states are checked with it.
BOOST_AUTO_TEST_CASE(digests_are_compared_whole) {
    const Sha256Digest a = sha256("one");
    Sha256Digest first = a, last = a;
    first[0] ^= 1;
    last[31] ^= 0x80;
    BOOST_TEST(equal_in_constant_time(a, sha256("one")));
    BOOST_TEST(!equal_in_constant_time(a, first));
    BOOST_TEST(!equal_in_constant_time(a, last));
}

BOOST_AUTO_TEST_CASE(a_sealed_state_opens_to_what_was_sealed) {
    TestClock clock;
    auto codec = clock.codec();
    auto state = codec.seal(some_content());
    BOOST_REQUIRE(state.has_value());
    auto opened = codec.open(*state);
    BOOST_REQUIRE(std::holds_alternative<RequestStateContent>(opened));
    const auto& c = std::get<RequestStateContent>(opened);
    BOOST_TEST(c.name == "run_scheduler");
    BOOST_TEST(c.method == "tools/call");
    BOOST_TEST(c.arguments == sha256_hex("{}"));
    BOOST_TEST(bj::value(c.responses) == bj::value(some_content().responses));
}

BOOST_AUTO_TEST_CASE(an_altered_state_is_refused) {
    TestClock clock;
    auto codec = clock.codec();
    auto state = *codec.seal(some_content());
    for (std::string bad : {state + "-TAMPERED", std::string("x") + state, state.substr(1),
                            std::string(""), std::string("no-dot-at-all")}) {
        auto opened = codec.open(bad);
        BOOST_REQUIRE(std::holds_alternative<std::string>(opened));
        BOOST_TEST(std::get<std::string>(opened).find("integrity") != std::string::npos);
    }
    // A payload altered by one character, signature kept.
    std::string flipped = state;
    flipped[3] = flipped[3] == 'A' ? 'B' : 'A';
    BOOST_TEST(std::holds_alternative<std::string>(codec.open(flipped)));
    // Another process's key.
    RequestStateCodec other("another-key", std::chrono::seconds(60), 4096,
                            [&] { return clock.now; });
    BOOST_TEST(std::holds_alternative<std::string>(other.open(state)));
}

BOOST_AUTO_TEST_CASE(a_state_expires) {
    TestClock clock;
    auto codec = clock.codec();
    auto state = *codec.seal(some_content());
    clock.now += std::chrono::seconds(60);
    BOOST_TEST(std::holds_alternative<RequestStateContent>(codec.open(state)));
    clock.now += std::chrono::seconds(1);
    auto opened = codec.open(state);
    BOOST_REQUIRE(std::holds_alternative<std::string>(opened));
    BOOST_TEST(std::get<std::string>(opened).find("expired") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_state_is_bounded_in_size) {
    TestClock clock;
    auto codec = clock.codec(512);
    auto big = some_content();
    big.responses["essay"] =
        bj::object{{"action", "accept"}, {"content", bj::object{{"text", std::string(600, 'x')}}}};
    BOOST_TEST(!codec.seal(big).has_value());
    auto opened = codec.open(std::string(513, 'a'));
    BOOST_REQUIRE(std::holds_alternative<std::string>(opened));
    BOOST_TEST(std::get<std::string>(opened).find("larger") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_round_joins_the_state_and_the_new_answers) {
    const bj::object args{{"name", "scx_rusty"}};
    auto state = *RequestStateCodec::process().seal(
        {.method = "tools/call",
         .name = "run_scheduler",
         .arguments = sha256_hex(R"({"name":"scx_rusty"})"),
         .responses = bj::object{{"step1", bj::object{{"action", "accept"}}}}});
    auto msg = tools_call((R"({"name":"run_scheduler","arguments":{"name":"scx_rusty"},)"
                           R"("inputResponses":{"step2":{"action":"decline"}},"requestState":")" +
                           state + "\"}")
                              .c_str());
    auto read = read_input_round(msg, "run_scheduler", args);
    BOOST_REQUIRE(std::holds_alternative<InputRound>(read));
    const auto& round = std::get<InputRound>(read);
    BOOST_TEST(round.known.contains("step1"));
    BOOST_TEST(round.known.contains("step2"));

    // The same state for other arguments, or another tool: refused.
    auto other_args = read_input_round(msg, "run_scheduler", bj::object{{"name", "scx_lavd"}});
    BOOST_REQUIRE(std::holds_alternative<RpcError>(other_args));
    BOOST_TEST(std::get<RpcError>(other_args).code == rpc_error::invalid_params);
    BOOST_TEST(std::get<RpcError>(other_args).message.find("another call") != std::string::npos);
    BOOST_TEST(std::holds_alternative<RpcError>(read_input_round(msg, "stop_scheduler", args)));
}

BOOST_AUTO_TEST_CASE(malformed_input_responses_are_invalid_params) {
    for (const char* params :
         {R"({"name":"t","inputResponses":null})", R"({"name":"t","inputResponses":[]})",
          R"({"name":"t","inputResponses":{"user_name":12345}})",
          R"({"name":"t","requestState":42})"}) {
        auto read = read_input_round(tools_call(params), "t", {});
        BOOST_REQUIRE(std::holds_alternative<RpcError>(read));
        BOOST_TEST(std::get<RpcError>(read).code == rpc_error::invalid_params);
        BOOST_TEST(std::get<RpcError>(read).id.as_int64() == 5);
    }
    // No state at all: the answers alone (the state only carries earlier rounds').
    auto read = read_input_round(
        tools_call(R"({"name":"t","inputResponses":{"a":{"action":"accept"}}})"), "t", {});
    BOOST_REQUIRE(std::holds_alternative<InputRound>(read));
    BOOST_TEST(std::get<InputRound>(read).known.contains("a"));
}

BOOST_AUTO_TEST_CASE(client_results_are_read_per_kind) {
    using schedcp::sdk::ClientOutcome;
    using schedcp::sdk::ClientRequestKind;
    auto accept =
        interpret_client_result(ClientRequestKind::elicitation,
                                bj::parse(R"({"action":"accept","content":{"replace":true}})"));
    BOOST_TEST((accept.outcome == ClientOutcome::answered));
    BOOST_TEST(accept.result.at("replace").as_bool());
    BOOST_TEST((interpret_client_result(ClientRequestKind::elicitation,
                                        bj::parse(R"({"action":"decline"})"))
                    .outcome == ClientOutcome::declined));
    BOOST_TEST((
        interpret_client_result(ClientRequestKind::elicitation, bj::parse(R"({"action":"cancel"})"))
            .outcome == ClientOutcome::cancelled));
    BOOST_TEST(
        (interpret_client_result(ClientRequestKind::elicitation, bj::parse(R"({"action":"maybe"})"))
             .outcome == ClientOutcome::failed));
    BOOST_TEST((interpret_client_result(ClientRequestKind::sampling, bj::parse("12345")).outcome ==
                ClientOutcome::failed));
    BOOST_TEST(
        (interpret_client_result(ClientRequestKind::roots, bj::parse(R"({"roots":[]})")).outcome ==
         ClientOutcome::answered));
}

BOOST_AUTO_TEST_SUITE_END()
