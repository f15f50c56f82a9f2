// The table of requests a 2025-era session sent its client: ids of its own, bounded,
// answered by the matching response only, failed together when the session ends.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp/client_requests.hpp"

namespace bj = boost::json;
using namespace schedcp::host::mcp;

namespace {
const auto kFarAway = std::chrono::steady_clock::now() + std::chrono::hours(1);
}

BOOST_AUTO_TEST_SUITE(client_requests)

BOOST_AUTO_TEST_CASE(ids_are_the_servers_own_and_the_table_is_bounded) {
    boost::asio::io_context io;
    PendingClientRequests table(io.get_executor(), 2);
    auto a = table.open(kFarAway);
    auto b = table.open(kFarAway);
    BOOST_REQUIRE(a && b);
    BOOST_TEST(a->id.rfind("s:", 0) == 0);
    BOOST_TEST(a->id != b->id);
    BOOST_TEST(!table.open(kFarAway).has_value());  // the limit
    BOOST_TEST(table.outstanding() == 2u);
    table.forget(a->id);
    BOOST_TEST(table.open(kFarAway).has_value());
}

BOOST_AUTO_TEST_CASE(only_a_matching_response_answers) {
    boost::asio::io_context io;
    PendingClientRequests table(io.get_executor(), 4);
    auto slot = *table.open(kFarAway);
    // A bogus id, a number where we sent a string, and the client's own kind of id.
    BOOST_TEST(!table.complete(bj::value("s:999"), bj::object{}, nullptr));
    BOOST_TEST(!table.complete(bj::value(1), bj::object{}, nullptr));
    BOOST_TEST((slot.waiter->reply.kind == ClientReply::Kind::pending));
    BOOST_TEST(table.complete(bj::value(slot.id), bj::object{{"action", "accept"}}, nullptr));
    BOOST_TEST((slot.waiter->reply.kind == ClientReply::Kind::result));
    BOOST_TEST(slot.waiter->reply.body.at("action") == "accept");
    // A second response to the same id: ignored.
    BOOST_TEST(!table.complete(bj::value(slot.id), bj::object{}, nullptr));
    auto errored = *table.open(kFarAway);
    BOOST_TEST(table.complete(bj::value(errored.id), nullptr,
                              bj::object{{"code", -1}, {"message", "User rejected"}}));
    BOOST_TEST((errored.waiter->reply.kind == ClientReply::Kind::error));
}

BOOST_AUTO_TEST_CASE(a_waiter_wakes_on_the_answer_and_on_the_sessions_end) {
    boost::asio::io_context io;
    PendingClientRequests table(io.get_executor(), 4);
    auto answered = *table.open(kFarAway);
    auto abandoned = *table.open(kFarAway);
    int woken = 0;
    for (auto* slot : {&answered, &abandoned})
        boost::asio::co_spawn(
            io,
            [&woken, waiter = slot->waiter]() -> boost::asio::awaitable<void> {
                auto waiting = PendingClientRequests::wait(*waiter);
                co_await std::move(waiting);
                ++woken;
            },
            boost::asio::detached);
    io.poll();
    BOOST_TEST(woken == 0);
    table.complete(bj::value(answered.id), bj::object{}, nullptr);
    io.poll();
    BOOST_TEST(woken == 1);
    table.fail_all("the session ended");
    io.poll();
    BOOST_TEST(woken == 2);
    BOOST_TEST((abandoned.waiter->reply.kind == ClientReply::Kind::gone));
    BOOST_TEST(abandoned.waiter->reply.why == "the session ended");
    BOOST_TEST(table.outstanding() == 0u);
}

BOOST_AUTO_TEST_CASE(a_waiter_wakes_at_its_deadline_still_pending) {
    boost::asio::io_context io;
    PendingClientRequests table(io.get_executor(), 4);
    auto slot = *table.open(std::chrono::steady_clock::now());  // already due
    bool woken = false;
    boost::asio::co_spawn(
        io,
        [&woken, waiter = slot.waiter]() -> boost::asio::awaitable<void> {
            auto waiting = PendingClientRequests::wait(*waiter);
            co_await std::move(waiting);
            woken = true;
        },
        boost::asio::detached);
    io.run();
    BOOST_TEST(woken);
    BOOST_TEST((slot.waiter->reply.kind == ClientReply::Kind::pending));
}

BOOST_AUTO_TEST_SUITE_END()
