// The guard's status records (runner/guard/status_protocol.hpp) and the runner's line
// splitting of the guard's channels (runner/guard_channels.hpp): strict, bounded, no throw.
#include <boost/test/unit_test.hpp>

#include "runner/guard/status_protocol.hpp"
#include "runner/guard_channels.hpp"

namespace gp = schedcp::guard_protocol;
using schedcp::plugins::runner::LineSplitter;

BOOST_AUTO_TEST_SUITE(guard_channels)

BOOST_AUTO_TEST_CASE(valid_status_records_parse) {
    auto r = gp::parse_status_record("started pid=4242");
    BOOST_REQUIRE(r);
    BOOST_TEST((r->kind == gp::RecordKind::started));
    BOOST_TEST(r->value == 4242);
    r = gp::parse_status_record("exited code=0");
    BOOST_REQUIRE(r);
    BOOST_TEST((r->kind == gp::RecordKind::exited && r->value == 0));
    r = gp::parse_status_record("killed signal=9");
    BOOST_REQUIRE(r);
    BOOST_TEST((r->kind == gp::RecordKind::killed && r->value == 9));
    r = gp::parse_status_record("stopping signal=SIGTERM");
    BOOST_REQUIRE(r);
    BOOST_TEST((r->kind == gp::RecordKind::stopping && r->signal == "SIGTERM"));
    // What the guard writes is what the runner reads.
    for (const auto& line : {gp::format_started(1), gp::format_exited(255), gp::format_killed(64),
                             gp::format_stopping("SIGKILL")})
        BOOST_TEST(gp::parse_status_record(line.substr(0, line.size() - 1)).has_value(), line);
}

BOOST_AUTO_TEST_CASE(anything_else_is_a_protocol_error_not_an_exception) {
    for (const char* bad : {"started pid=99999999999999999999",
                            "started pid=2147483648",
                            "started pid=0",
                            "started pid=-1",
                            "started pid=+5",
                            "started pid=05",
                            "started pid=1 ",
                            " started pid=1",
                            "started pid=",
                            "started pid=1x",
                            "exited code=256",
                            "exited code=1e3",
                            "killed signal=0",
                            "killed signal=65",
                            "stopping signal=SIGUSR1",
                            "stopping: SIGINT",
                            "[schedcp-guard] exited code=0",
                            "[schedcp-guard] started pid=1",
                            "",
                            "exited code=0\r"}) {
        BOOST_CHECK_NO_THROW(gp::parse_status_record(bad));
        BOOST_TEST(!gp::parse_status_record(bad).has_value(), bad);
    }
    BOOST_TEST(!gp::parse_status_record(std::string(200, '1')).has_value());
}

BOOST_AUTO_TEST_CASE(lines_are_split_and_bounded) {
    std::vector<std::pair<std::string, bool>> got;
    LineSplitter s(8);
    auto sink = [&](std::string line, bool cut) { got.emplace_back(std::move(line), cut); };
    s.feed("ab", sink);
    s.feed("c\r\nde\n", sink);
    s.feed("0123456789abc\nxy", sink);
    BOOST_TEST(s.pending() == "xy");
    s.finish(sink);
    BOOST_REQUIRE(got.size() == 4u);
    BOOST_TEST(got[0].first == "abc");
    BOOST_TEST(got[1].first == "de");
    BOOST_TEST(got[2].first == "01234567");  // cut, and the rest of that line dropped
    BOOST_TEST(got[2].second);
    BOOST_TEST(got[3].first == "xy");
    BOOST_TEST(!got[3].second);
}

BOOST_AUTO_TEST_CASE(the_sudo_prompt_is_random_and_has_no_percent) {
    auto a = schedcp::plugins::runner::new_sudo_prompt();
    auto b = schedcp::plugins::runner::new_sudo_prompt();
    BOOST_TEST(a != b);
    BOOST_TEST(a.find('%') == std::string::npos);
    BOOST_TEST(a.size() >= 32u);
}

BOOST_AUTO_TEST_SUITE_END()
