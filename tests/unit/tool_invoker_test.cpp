// invoke_tool's result check (server.validate_tool_results): with it a result that breaks
// the tool's output schema is reported as the plugin's internal error; without it the
// result passes as the handler returned it. answer_ready (a tool's answer from memory)
// validates, maps errors and checks results the same way, and hands a declined call's
// arguments on.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "tool_invoker.hpp"

namespace bj = boost::json;
using namespace schedcp;
using namespace schedcp::host;

namespace {

struct IoCallContext final : sdk::CallContext {
    explicit IoCallContext(boost::asio::io_context& io) : io(io) {}
    boost::asio::any_io_executor executor() override { return io.get_executor(); }
    boost::asio::any_io_executor blocking_executor() override { return io.get_executor(); }
    sdk::Logger& logger() override { return log; }
    void report_progress(double, std::optional<double>, std::string_view) override {}
    std::stop_token stop_token() const override { return {}; }
    boost::asio::io_context& io;
    sdk::Logger log;
};

// A tool whose result lacks the property its output schema requires.
RegisteredTool broken_tool() {
    sdk::ToolSpec spec;
    spec.name = "broken";
    spec.description = "Returns a result its output schema refuses.";
    spec.input_schema = bj::object{{"type", "object"}};
    spec.output_schema = bj::object{{"type", "object"}, {"required", bj::array{"text"}}};
    spec.handler = [](const bj::object&,
                      sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
        co_return sdk::ToolResult::ok(bj::object{{"other", 1}});
    };
    return RegisteredTool{.spec = std::move(spec), .plugin = "testplug"};
}

sdk::ToolResult invoke(ResultCheck check) {
    boost::asio::io_context io;
    IoCallContext ctx(io);
    const RegisteredTool tool = broken_tool();
    sdk::ToolResult out;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            out = co_await invoke_tool(tool, bj::object{}, ctx, ctx.log, check);
        },
        boost::asio::detached);
    io.run();
    return out;
}

// A tool with a ready answer (sdk::ReadyAnswer): {"n": N} from memory for N < 10, declined
// for larger N, a thrown sdk::NotFound for N == 404, and a result breaking the output schema
// for N == 500. `asked` counts the ready answer's calls.
RegisteredTool ready_tool(int& asked) {
    sdk::ToolSpec spec;
    spec.name = "ready";
    spec.description = "Answers small numbers from memory.";
    spec.input_schema = bj::object{{"type", "object"},
                                   {"properties", bj::object{{"n", bj::object{{"type", "integer"}}}}},
                                   {"required", bj::array{"n"}}};
    spec.output_schema = bj::object{{"type", "object"}, {"required", bj::array{"n"}}};
    spec.handler = [](const bj::object&,
                      sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
        co_return sdk::ToolResult::ok(bj::object{{"n", "from the handler"}});
    };
    spec.ready_answer = [&asked](const bj::object& args) -> std::optional<sdk::ToolResult> {
        ++asked;
        const auto n = args.at("n").as_int64();
        if (n == 404) throw sdk::NotFound("no such number");
        if (n == 500) return sdk::ToolResult::ok_json(R"({"m":1})");
        if (n >= 10) return std::nullopt;
        return sdk::ToolResult::ok_json(R"({"n":)" + std::to_string(n) + "}");
    };
    return RegisteredTool{.spec = std::move(spec), .plugin = "testplug"};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ready_answers)

BOOST_AUTO_TEST_CASE(a_ready_answer_is_the_result_with_the_text_rendered_for_the_cli_shape) {
    int asked = 0;
    const RegisteredTool tool = ready_tool(asked);
    sdk::Logger log;
    bj::object args{{"n", 3}};
    auto r = answer_ready(tool, args, log, ResultCheck::none, EmptyText::render);
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(asked == 1);
    BOOST_TEST(!r->is_error);
    BOOST_TEST(r->structured == (bj::object{{"n", 3}}));  // parsed for callers that render
    BOOST_TEST(r->text == R"({"n":3})");
}

BOOST_AUTO_TEST_CASE(declined_it_leaves_the_checked_arguments_for_the_handler) {
    int asked = 0;
    const RegisteredTool tool = ready_tool(asked);
    sdk::Logger log;
    bj::object args{{"n", 12}};
    auto r = answer_ready(tool, args, log, ResultCheck::none, EmptyText::keep);
    BOOST_TEST(!r.has_value());
    BOOST_TEST(asked == 1);
    BOOST_TEST(args == (bj::object{{"n", 12}}));
}

BOOST_AUTO_TEST_CASE(invalid_arguments_are_refused_without_asking_the_tool) {
    int asked = 0;
    const RegisteredTool tool = ready_tool(asked);
    sdk::Logger log;
    bj::object args{{"n", "three"}};
    auto r = answer_ready(tool, args, log, ResultCheck::none, EmptyText::keep);
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(asked == 0);
    BOOST_TEST(r->is_error);
    BOOST_TEST(r->structured.at("error").at("code").as_string() == "invalid_argument");
    BOOST_TEST(r->text.find("invalid arguments for tool 'ready'") != std::string::npos, r->text);
}

BOOST_AUTO_TEST_CASE(what_it_throws_becomes_an_error_result_as_from_a_handler) {
    int asked = 0;
    const RegisteredTool tool = ready_tool(asked);
    sdk::Logger log;
    bj::object args{{"n", 404}};
    auto r = answer_ready(tool, args, log, ResultCheck::none, EmptyText::keep);
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(r->is_error);
    BOOST_TEST(r->structured.at("error").at("code").as_string() == "not_found");
    BOOST_TEST(r->structured.at("error").at("message").as_string() == "no such number");
}

BOOST_AUTO_TEST_CASE(its_results_are_checked_against_the_output_schema_when_asked) {
    int asked = 0;
    const RegisteredTool tool = ready_tool(asked);
    sdk::Logger log;
    bj::object args{{"n", 500}};
    auto checked = answer_ready(tool, args, log, ResultCheck::output_schema, EmptyText::keep);
    BOOST_REQUIRE(checked.has_value());
    BOOST_TEST(checked->is_error);
    BOOST_TEST(checked->text.find("result does not match the tool's output schema") !=
                   std::string::npos,
               checked->text);
    bj::object again{{"n", 500}};
    auto unchecked = answer_ready(tool, again, log, ResultCheck::none, EmptyText::keep);
    BOOST_REQUIRE(unchecked.has_value());
    BOOST_TEST(!unchecked->is_error);
    BOOST_TEST(*unchecked->structured_json == R"({"m":1})");
}

BOOST_AUTO_TEST_CASE(a_tool_without_one_is_not_answered) {
    const RegisteredTool tool = broken_tool();
    sdk::Logger log;
    bj::object args;
    BOOST_TEST(!answer_ready(tool, args, log, ResultCheck::none).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tool_invoker)

BOOST_AUTO_TEST_CASE(a_result_that_breaks_its_output_schema_is_an_internal_error_when_checked) {
    const sdk::ToolResult r = invoke(ResultCheck::output_schema);
    BOOST_TEST(r.is_error);
    BOOST_TEST(r.text ==
                   "internal error in plugin 'testplug': result does not match the tool's output "
                   "schema: result.text is required",
               r.text);
    BOOST_TEST(r.structured.at("error").at("code").as_string() == "internal");
}

BOOST_AUTO_TEST_CASE(results_pass_unchecked_without_the_check) {
    const sdk::ToolResult r = invoke(ResultCheck::none);
    BOOST_TEST(!r.is_error);
    BOOST_TEST(r.structured == (bj::object{{"other", 1}}));
    BOOST_TEST(r.text == R"({"other":1})");
}

BOOST_AUTO_TEST_CASE(the_config_setting_picks_the_check) {
    HostConfig config;
    BOOST_TEST((result_check(config) == ResultCheck::none));
    config.validate_tool_results = true;
    BOOST_TEST((result_check(config) == ResultCheck::output_schema));
}

BOOST_AUTO_TEST_SUITE_END()
