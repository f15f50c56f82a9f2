// invoke_tool's result check (server.validate_tool_results): with it a result that breaks
// the tool's output schema is reported as the plugin's internal error; without it the
// result passes as the handler returned it.
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

}  // namespace

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
