// A plugin for the host's own tests: tools that echo, sleep (honouring cancellation),
// report progress, log, and fail with each SDK error type; commands that exercise every
// option type, groups and pass-through; an optional marker file recording start/stop.
#include <chrono>
#include <fstream>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/plugin.hpp"

namespace {

namespace bj = boost::json;
using namespace schedcp;

void mark(const std::string& file, const std::string& what) {
    if (file.empty()) return;
    std::ofstream(file, std::ios::app) << what << "\n";
}

class TestPlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        return {
            "testplug", "1.0.0", "tools and commands for the host's tests",
            bj::object{{"type", "object"},
                       {"properties",
                        bj::object{{"marker_file", bj::object{{"type", "string"}}},
                                   {"greeting", bj::object{{"type", "string"}, {"minLength", 1}}}}},
                       {"additionalProperties", false}}};
    }

    void setup(sdk::PluginContext& ctx) override {
        marker_ = sdk::json::optional_string(ctx.settings(), "marker_file").value_or("");
        greeting_ = sdk::json::optional_string(ctx.settings(), "greeting").value_or("hello");
        mark(marker_, "setup testplug");

        sdk::ToolSpec echo;
        echo.name = "echo";
        echo.title = "Echo";
        echo.description = "Returns its arguments.";
        echo.input_schema = bj::object{
            {"type", "object"},
            {"properties", bj::object{{"text", bj::object{{"type", "string"}}},
                                      {"count", bj::object{{"type", "integer"}, {"minimum", 0}}}}},
            {"required", bj::array{"text"}},
            {"additionalProperties", false}};
        echo.output_schema = bj::object{{"type", "object"}, {"required", bj::array{"text"}}};
        echo.annotations = {true, false, true, false};
        echo.handler = [this](const bj::object& args,
                              sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
            bj::object out = args;
            out["greeting"] = greeting_;
            co_return sdk::ToolResult::ok(std::move(out));
        };
        ctx.add_tool(std::move(echo));

        // A tool with a ready answer (sdk::ReadyAnswer): keys "a" and "b" from memory,
        // "boom" a conflict thrown from there, any other key declined to the handler.
        sdk::ToolSpec recall;
        recall.name = "recall";
        recall.description =
            "Answers the keys it remembers (a, b) from memory and any other from its handler; "
            "'boom' is a conflict.";
        recall.input_schema =
            bj::object{{"type", "object"},
                       {"properties", bj::object{{"key", bj::object{{"type", "string"}}}}},
                       {"required", bj::array{"key"}},
                       {"additionalProperties", false}};
        recall.output_schema = bj::object{{"type", "object"}, {"required", bj::array{"key", "from"}}};
        recall.annotations = {true, false, true, false};
        recall.handler = [](const bj::object& args,
                            sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
            co_return sdk::ToolResult::ok(bj::object{{"key", args.at("key")}, {"from", "handler"}});
        };
        recall.ready_answer = [](const bj::object& args) -> std::optional<sdk::ToolResult> {
            const auto& key = args.at("key").as_string();
            if (key == "boom") throw sdk::Conflict("boom from memory");
            if (key != "a" && key != "b") return std::nullopt;
            return sdk::ToolResult::ok(bj::object{{"key", key}, {"from", "memory"}});
        };
        ctx.add_tool(std::move(recall));

        sdk::ToolSpec sleep;
        sleep.name = "sleep";
        sleep.description =
            "Sleeps for ms milliseconds, reporting progress every 100 ms; the answer carries pad "
            "bytes of padding (a large answer from a request that waited).";
        sleep.input_schema = bj::object{
            {"type", "object"},
            {"properties",
             bj::object{
                 {"ms", bj::object{{"type", "integer"}, {"minimum", 0}, {"maximum", 600000}}},
                 {"pad", bj::object{{"type", "integer"}, {"minimum", 0}, {"maximum", 4000000}}}}},
            {"required", bj::array{"ms"}}};
        sleep.handler = [this](const bj::object& args,
                               sdk::CallContext& ctx) -> boost::asio::awaitable<sdk::ToolResult> {
            auto ms = *sdk::json::optional_int(args, "ms");
            boost::asio::steady_timer timer(ctx.executor());
            std::int64_t slept = 0;
            while (slept < ms) {
                auto step = std::min<std::int64_t>(100, ms - slept);
                timer.expires_after(std::chrono::milliseconds(step));
                co_await timer.async_wait(boost::asio::use_awaitable);  // throws when cancelled
                slept += step;
                ctx.report_progress(static_cast<double>(slept), static_cast<double>(ms),
                                    "slept " + std::to_string(slept) + " ms");
            }
            ++completed_sleeps_;
            bj::object out{{"slept_ms", slept}, {"completed_sleeps", completed_sleeps_}};
            if (auto pad = sdk::json::optional_int(args, "pad"); pad && *pad > 0)
                out["padding"] = std::string(static_cast<std::size_t>(*pad), 'x');
            co_return sdk::ToolResult::ok(std::move(out));
        };
        ctx.add_tool(std::move(sleep));

        sdk::ToolSpec fail;
        fail.name = "fail";
        fail.description =
            "Throws the SDK error named by code, a std::runtime_error for 'std', an int for "
            "'non_std'.";
        fail.input_schema = bj::object{
            {"type", "object"},
            {"properties",
             bj::object{{"code", bj::object{{"enum", bj::array{"invalid_argument", "not_found",
                                                               "conflict", "unavailable",
                                                               "internal", "std", "non_std"}}}}}},
            {"required", bj::array{"code"}}};
        fail.handler = [](const bj::object& args,
                          sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
            std::string code = sdk::json::required_string(args, "code");
            if (code == "invalid_argument") throw sdk::InvalidArgument("bad value; allowed: a, b");
            if (code == "not_found")
                throw sdk::NotFound("no such thing 'x'",
                                    bj::object{{"close_matches", bj::array{"y"}}});
            if (code == "conflict") throw sdk::Conflict("already loaded");
            if (code == "unavailable") throw sdk::Unavailable("not on this kernel");
            if (code == "internal") throw sdk::Internal("broken");
            if (code == "non_std") throw 42;  // not derived from std::exception
            throw std::runtime_error("plain std exception");
            co_return sdk::ToolResult{};
        };
        ctx.add_tool(std::move(fail));

        sdk::ToolSpec log;
        log.name = "log";
        log.description = "Writes one log record at the given level.";
        log.input_schema =
            bj::object{{"type", "object"},
                       {"properties", bj::object{{"message", bj::object{{"type", "string"}}}}},
                       {"required", bj::array{"message"}}};
        log.handler = [](const bj::object& args,
                         sdk::CallContext& ctx) -> boost::asio::awaitable<sdk::ToolResult> {
            SCHEDCP_LOG(ctx.logger(), warning) << sdk::json::required_string(args, "message");
            co_return sdk::ToolResult::ok(bj::object{{"logged", true}});
        };
        ctx.add_tool(std::move(log));

        sdk::CommandSpec show;
        show.path = {"test", "show"};
        show.summary = "Print the parsed arguments";
        show.options = {
            {"name", 'n', sdk::OptionType::string, "S", "a string"},
            {"count", 'c', sdk::OptionType::integer, "N", "an integer", false, 1, 10},
            {"ratio", 0, sdk::OptionType::number, "X", "a number"},
            {"verbose", 'v', sdk::OptionType::flag, "", "a flag"},
            {"mode",
             'm',
             sdk::OptionType::string,
             "M",
             "a choice",
             false,
             std::nullopt,
             std::nullopt,
             {"fast", "slow"}},
            {"tag", 't', sdk::OptionType::string, "T", "repeatable", true},
        };
        show.positionals = {{"target", "what to show", true}, {"extra", "optional", false}};
        show.passthrough = true;
        show.passthrough_help = "arguments passed through";
        show.handler = [](const sdk::CommandInvocation& inv,
                          sdk::CommandContext&) -> boost::asio::awaitable<sdk::CommandResult> {
            bj::array pass;
            for (const auto& p : inv.passthrough) pass.push_back(bj::string(p));
            bj::object data{{"values", inv.values}, {"passthrough", std::move(pass)}};
            std::string text = "values: " + bj::serialize(inv.values) + "\n";
            co_return sdk::CommandResult{std::move(data), std::move(text), 0};
        };
        ctx.add_command(std::move(show));

        sdk::CommandSpec fails;
        fails.path = {"test", "fail"};
        fails.summary = "Fail with a not_found error";
        fails.handler = [](const sdk::CommandInvocation&,
                           sdk::CommandContext&) -> boost::asio::awaitable<sdk::CommandResult> {
            throw sdk::NotFound("nothing here");
            co_return sdk::CommandResult{};
        };
        ctx.add_command(std::move(fails));

        sdk::CommandSpec throws;
        throws.path = {"test", "throw"};
        throws.summary = "Throw something that is not a std::exception";
        throws.handler = [](const sdk::CommandInvocation&,
                            sdk::CommandContext&) -> boost::asio::awaitable<sdk::CommandResult> {
            throw 42;
            co_return sdk::CommandResult{};
        };
        ctx.add_command(std::move(throws));

        sdk::CommandSpec wait;
        wait.path = {"test", "wait"};
        wait.summary = "Wait until interrupted (Ctrl-C), then exit 0";
        wait.handler = [](const sdk::CommandInvocation&,
                          sdk::CommandContext& ctx) -> boost::asio::awaitable<sdk::CommandResult> {
            boost::asio::steady_timer timer(ctx.executor());
            ctx.out() << "waiting" << std::endl;
            while (!ctx.cancelled()) {
                timer.expires_after(std::chrono::milliseconds(20));
                co_await timer.async_wait(boost::asio::use_awaitable);
            }
            co_return sdk::CommandResult{bj::object{{"interrupted", true}}, "interrupted cleanly\n",
                                         0};
        };
        ctx.add_command(std::move(wait));
    }

    void start(sdk::PluginContext&) override { mark(marker_, "start testplug"); }
    void stop() noexcept override { mark(marker_, "stop testplug"); }

  private:
    std::string marker_;
    std::string greeting_;
    std::int64_t completed_sleeps_ = 0;
};

}  // namespace

SCHEDCP_PLUGIN(TestPlugin)
