// The scx_stats client (schedcp/sdk/scx_stats.hpp) against a server written here that
// follows rust/scx_stats' framing: one JSON request per line, {"req", "args": {string:
// string}}, one JSON answer per line, {"errno", "args": {"resp"}}.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/scx_stats.hpp"
#include "scx_stats_server.hpp"

namespace bj = boost::json;
namespace stats = schedcp::sdk::scx_stats;
using schedcp::test::StatsServer;
using schedcp::test::TempDir;
using namespace std::chrono_literals;

namespace {

// What scx_rusty-like servers answer.
std::optional<std::string> rusty(const bj::object& r) {
    const auto& req = r.at("req").as_string();
    const auto* args = r.at("args").as_object().if_contains("target");
    if (req == "stats" && args && args->as_string() == "top")
        return R"({"errno":0,"args":{"resp":{"at":12,"cpu_busy":41.5,"load":3.25,)"
               R"("nr_migrations":7,"doms":{"0":{"load":1.5}}}}})"
               "\n";
    if (req == "stats_meta")
        return R"({"errno":0,"args":{"resp":{"top":{"name":"top","attrs":{"top":null},)"
               R"("fields":{"cpu_busy":{"data":{"Datum":"Float"},"attrs":{"desc":"CPU busy %"}}}}}}})"
               "\n";
    return R"({"errno":22,"args":{"resp":"unknown stat target"}})"
           "\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scx_stats)

BOOST_AUTO_TEST_CASE(stats_and_meta_in_scx_stats_framing) {
    TempDir dir;
    StatsServer server(dir, rusty);
    auto s = stats::read_stats(server.path());
    BOOST_REQUIRE_MESSAGE(s.at("available").as_bool(), bj::serialize(s));
    BOOST_TEST(s.at("stats").at("cpu_busy").as_double() == 41.5);
    BOOST_TEST(s.at("stats").at("doms").at("0").at("load").as_double() == 1.5);
    auto m = stats::read_meta(server.path());
    BOOST_REQUIRE(m.at("available").as_bool());
    BOOST_TEST(m.at("meta").at("top").at("fields").at("cpu_busy").at("attrs").at("desc") ==
               "CPU busy %");
    // The requests as scx_stats' client writes them: args are strings.
    BOOST_TEST(server.requests().at(0) == R"({"req":"stats","args":{"target":"top"}})");
    BOOST_TEST(server.requests().at(1) == R"({"req":"stats_meta","args":{}})");
}

BOOST_AUTO_TEST_CASE(a_refusal_carries_errno_and_text) {
    TempDir dir;
    StatsServer server(dir, rusty);
    auto s = stats::read_stats(server.path(), "no_such_target");
    BOOST_TEST(!s.at("available").as_bool());
    BOOST_TEST(s.at("reason").as_string() ==
               "the scheduler refused 'stats': errno 22 (Invalid argument): unknown stat target");
}

BOOST_AUTO_TEST_CASE(no_socket_and_nobody_listening_say_so) {
    TempDir dir;
    auto s = stats::read_stats(dir.file("absent"));
    BOOST_TEST(s.at("reason").as_string() ==
               "no scx_stats socket at " + dir.file("absent") +
                   " (no scheduler publishes statistics there: scx's Rust schedulers do while "
                   "they run, the C ones never)");
    { StatsServer gone(dir, rusty); }  // the socket file stays, nobody listens
    BOOST_TEST(stats::read_stats(dir.file("stats")).at("reason").as_string() ==
               "nothing listens on " + dir.file("stats") +
                   " (the scheduler that served statistics there has exited)");
}

BOOST_AUTO_TEST_CASE(silence_too_much_and_not_json_are_bounded) {
    TempDir dir;
    {
        StatsServer silent(dir, [](const bj::object&) { return std::nullopt; });
        auto s = stats::read_stats(silent.path(), "top", {.timeout = 200ms});
        BOOST_TEST(s.at("reason").as_string() ==
                   "no answer from " + silent.path() + " within 200 ms");
    }
    std::filesystem::remove(dir.file("stats"));
    {
        StatsServer huge(dir, [](const bj::object&) {
            return std::optional<std::string>(R"({"errno":0,"args":{"resp":")" +
                                              std::string(100000, 'x') + "\"}}\n");
        });
        auto s = stats::read_stats(huge.path(), "top", {.max_answer_bytes = 4096});
        BOOST_TEST(s.at("reason").as_string() ==
                   "the answer from " + huge.path() + " is longer than 4096 bytes");
    }
    std::filesystem::remove(dir.file("stats"));
    {
        StatsServer garbage(
            dir, [](const bj::object&) { return std::optional<std::string>("{\"resp\": 1}\n"); });
        BOOST_TEST(stats::read_stats(garbage.path()).at("reason").as_string() ==
                   "the answer from " + garbage.path() +
                       " is not scx_stats' {\"errno\": N, \"args\": {...}}");
    }
}

BOOST_AUTO_TEST_SUITE_END()
