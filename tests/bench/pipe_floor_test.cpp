// bench/pipe_floor through the harness's own ServerProcess: it echoes each request's id
// in an answer of exactly the size asked for, or in a recorded answer replayed byte for
// byte, answers no notification, and a server that never answers fails the read instead of
// hanging it.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

#include <boost/test/unit_test.hpp>

#include "answer_scan.hpp"
#include "mcp_session.hpp"
#include "run_to_exit.hpp"
#include "server_process.hpp"

using namespace schedcp::bench;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(bench_pipe_floor)

BOOST_AUTO_TEST_CASE(answers_echo_the_id_at_the_size_asked_for) {
    ServerProcess floor("floor", {PIPE_FLOOR, "500"}, 10s);
    floor.send(request_line(7, "ping", ""));
    std::string first(floor.read_line());
    BOOST_TEST(first.size() == 500u);
    BOOST_CHECK_NO_THROW(check_answer(first, 7));
    // A notification has no id and gets no answer: the next line answers the next request.
    floor.send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
               "\n");
    floor.send(request_line(123456789, "tools/call", R"({"name":"x","arguments":{"id":1}})"));
    std::string second(floor.read_line());
    BOOST_TEST(second.size() == 500u);
    BOOST_CHECK_NO_THROW(check_answer(second, 123456789));
    // Two requests in one write, and a string id: echoed as they are.
    floor.send(R"({"id": "a-1", "method":"ping"})"
               "\n"
               R"({"method":"ping","id":9})"
               "\n");
    BOOST_TEST(std::string(floor.read_line()).find(R"("id":"a-1",)") != std::string::npos);
    BOOST_CHECK_NO_THROW(check_answer(floor.read_line(), 9));
}

BOOST_AUTO_TEST_CASE(an_answer_smaller_than_its_frame_is_still_valid) {
    ServerProcess floor("floor", {PIPE_FLOOR, "0"}, 10s);
    floor.send(request_line(3, "ping", ""));
    BOOST_CHECK_NO_THROW(check_answer(floor.read_line(), 3));
}

// --answer FILE: the file's answer line, byte for byte, with each request's id in place of
// its own (an integer or a string, longer or shorter than the one in the file).
BOOST_AUTO_TEST_CASE(replays_a_recorded_answer_with_each_requests_id) {
    const std::string recorded =
        R"({"jsonrpc":"2.0","id":42,"result":{"content":[{"type":"text","text":"{\"id\":1}"}]}})";
    const std::string file = "/tmp/pipe_floor_test_answer_" + std::to_string(::getpid());
    {
        std::ofstream out(file);
        out << recorded << "\n";
    }
    ServerProcess floor("floor", {PIPE_FLOOR, "--answer", file}, 10s);
    floor.send(request_line(7, "ping", ""));
    std::string first(floor.read_line());
    BOOST_TEST(first == R"({"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"{\"id\":1}"}]}})");
    BOOST_CHECK_NO_THROW(check_answer(first, 7));
    floor.send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
               "\n");
    floor.send(R"({"jsonrpc":"2.0","id":"req-123456","method":"ping"})"
               "\n");
    BOOST_TEST(std::string(floor.read_line()) ==
               R"({"jsonrpc":"2.0","id":"req-123456","result":{"content":[{"type":"text","text":"{\"id\":1}"}]}})");
    std::remove(file.c_str());
}

BOOST_AUTO_TEST_CASE(refuses_an_answer_file_without_an_id) {
    const std::string file = "/tmp/pipe_floor_test_noid_" + std::to_string(::getpid());
    {
        std::ofstream out(file);
        out << R"({"jsonrpc":"2.0","result":{}})" << "\n";
    }
    // It exits at once, non-zero, saying why (time_to_exit throws, quoting its output).
    try {
        time_to_exit({PIPE_FLOOR, "--answer", file}, 5s);
        BOOST_FAIL("pipe_floor accepted an answer without an id");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()).find("no answer line with an \"id\"") != std::string::npos,
                   e.what());
    }
    std::remove(file.c_str());
}

BOOST_AUTO_TEST_CASE(a_silent_server_fails_the_read_with_its_name) {
    ServerProcess silent("silent", {"/bin/sleep", "60"}, 200ms);
    silent.send(request_line(1, "ping", ""));
    try {
        silent.read_line();
        BOOST_FAIL("read_line returned without an answer");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()).find("silent") != std::string::npos);
        BOOST_TEST(std::string(e.what()).find("no complete answer") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()
