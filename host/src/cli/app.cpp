#include "app.hpp"

#include <unistd.h>

#include <csignal>
#include <iostream>
#include <mutex>
#include <stop_token>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/system_error.hpp>

#include "../bootstrap.hpp"
#include "../handler_errors.hpp"
#include "../logging.hpp"
#include "../plugin_context_impl.hpp"
#include "../tool_invoker.hpp"
#include "builtins.hpp"
#include "command_tree.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/text.hpp"

#ifndef SCHEDCP_VERSION
#define SCHEDCP_VERSION "0.0.0"
#endif

namespace schedcp::host::cli {

namespace bj = boost::json;

namespace {

class CommandContextImpl final : public sdk::CommandContext {
  public:
    CommandContextImpl(Host& host, sdk::Logger& logger, bool json, std::stop_token stop)
        : host_(host),
          logger_(logger),
          json_(json),
          stop_(std::move(stop)),
          interactive_(::isatty(STDOUT_FILENO) == 1),
          progress_tty_(::isatty(STDERR_FILENO) == 1) {}

    boost::asio::any_io_executor executor() override { return host_.io().get_executor(); }
    boost::asio::any_io_executor blocking_executor() override { return host_.blocking_executor(); }
    sdk::Logger& logger() override { return logger_; }
    std::stop_token stop_token() const override { return stop_; }
    std::ostream& out() override { return std::cout; }
    std::ostream& err() override { return std::cerr; }
    bool json_output() const override { return json_; }
    bool interactive() const override { return interactive_; }

    void report_progress(double progress, std::optional<double> total,
                         std::string_view message) override {
        if (!progress_tty_ || json_) return;
        std::lock_guard lock(mutex_);
        std::cerr << "\r\033[K";
        if (total && *total > 0)
            std::cerr << "[" << static_cast<int>(100.0 * progress / *total) << "%] ";
        std::cerr << sdk::text::sanitize(message, 200) << std::flush;
        progress_shown_ = true;
    }
    void end_progress() {
        if (progress_shown_) std::cerr << "\r\033[K" << std::flush;
    }

  private:
    Host& host_;
    sdk::Logger& logger_;
    bool json_;
    std::stop_token stop_;
    bool interactive_;
    bool progress_tty_;
    bool progress_shown_ = false;
    std::mutex mutex_;
};

std::string join(const std::vector<std::string>& words) {
    std::string s = "schedcp-cli";
    for (const auto& w : words) s += " " + w;
    return s;
}

int usage_error(const std::string& command, const std::string& message) {
    std::cerr << command << ": " << message << "\nTry '" << command << " --help'.\n";
    return 2;
}

bool wants_help(const std::vector<std::string>& args) {
    for (const auto& a : args) {
        if (a == "--") return false;
        if (a == "--help" || a == "-h") return true;
    }
    return false;
}

struct Outcome {
    sdk::CommandResult result;
    std::optional<sdk::Error> error;
};

// The tool arguments of a command that does a tool's work (sdk::ToolMapping), checked
// against the tool's input schema like an MCP call's.
bj::object tool_arguments(const Host& host, const sdk::CommandSpec& spec,
                          const sdk::CommandInvocation& inv) {
    const sdk::ToolMapping& m = *spec.tool;
    bj::object given;
    if (m.build) {
        given = m.build(inv);
    } else {
        given = inv.values;
        for (const auto& name : m.command_only) given.erase(name);
        for (const auto& kv : m.fixed) given[kv.key()] = kv.value();
        if (!m.passthrough_as.empty() && !inv.passthrough.empty()) {
            bj::array rest;
            for (const auto& a : inv.passthrough) rest.push_back(bj::string(a));
            given[m.passthrough_as] = std::move(rest);
        }
    }
    const RegisteredTool* tool = host.find_tool(m.tool);  // checked at registration
    bj::object args;
    if (auto bad = prepare_arguments(*tool, std::move(given), args)) throw *bad;
    return args;
}

}  // namespace

int run(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    GlobalOptions global;
    try {
        global = parse_global(args);
    } catch (const UsageError& e) {
        return usage_error(e.command(), e.what());
    }
    if (global.version) {
        std::cout << "schedcp-cli " << SCHEDCP_VERSION << "\n";
        return 0;
    }

    std::optional<std::filesystem::path> config;
    if (global.config) config = *global.config;
    auto boot = host::boot(config, sdk::HostMode::cli);
    if (!boot.host) {
        std::cerr << "schedcp-cli: " << boot.error << "\n";
        return 2;
    }
    Host& host = *boot.host;

    // The command tree: built-ins first, then what the plugins registered.
    std::vector<sdk::CommandSpec> builtins = builtin_commands(host);
    CommandTree tree;
    for (const auto& spec : builtins) tree.add(spec);
    for (const auto& c : host.commands()) tree.add(c.spec);
    sdk::CommandSpec help_spec;
    help_spec.path = {"help"};
    help_spec.summary = "Show help for a command ('schedcp-cli help workload create')";
    tree.add(help_spec);

    if (global.rest.empty()) {
        if (global.help) {
            std::cout << top_help(tree.root());
            return 0;
        }
        std::cerr << top_help(tree.root());
        return 2;
    }

    std::vector<std::string> words = global.rest;
    bool help = global.help;
    if (words.front() == "help") {
        words.erase(words.begin());
        help = true;
        if (words.empty()) {
            std::cout << top_help(tree.root());
            return 0;
        }
    }

    Resolved r;
    try {
        r = resolve(tree, words);
    } catch (const UsageError& e) {
        return usage_error(e.command(), e.what());
    }
    const std::string name = join(r.path);
    if (!r.node->spec) {  // a group such as `workload`
        if (help || wants_help(r.rest)) {
            std::cout << group_help(*r.node, name);
            return 0;
        }
        if (!r.rest.empty())
            return usage_error(name,
                               "unknown option '" + sdk::text::sanitize(r.rest.front(), 80) + "'");
        std::cerr << group_help(*r.node, name);
        return 2;
    }
    const sdk::CommandSpec& spec = *r.node->spec;
    Parsed parsed;
    try {
        parsed = parse_arguments(spec, r.rest, name);
    } catch (const UsageError& e) {
        if (help || wants_help(r.rest)) {
            std::cout << leaf_help(spec, name);
            return 0;
        }
        return usage_error(e.command(), e.what());
    }
    if (help || parsed.help) {
        std::cout << leaf_help(spec, name);
        return 0;
    }
    const bool json = global.json || parsed.json;

    // The plugin's own logger, so its records carry its channel.
    sdk::Logger* logger = &host.logger();
    std::string plugin = "host";  // built-in commands (plugins, call) belong to the host
    for (const auto& c : host.commands())
        if (&c.spec == &spec)
            for (const auto& p : host.plugins())
                if (p.name == c.plugin) {
                    logger = &p.context->logger();
                    plugin = p.name;
                }

    // Ctrl-C: the first asks the command to stop cleanly (stop_token), the second
    // cancels whatever it awaits, the third exits at once.
    std::stop_source stop;
    boost::asio::cancellation_signal cancel;
    int interrupts = 0;
    boost::asio::signal_set signals(host.io(), SIGINT, SIGTERM);
    std::function<void(boost::system::error_code, int)> on_signal =
        [&](boost::system::error_code ec, int sig) {
            if (ec) return;
            ++interrupts;
            SCHEDCP_LOG(host.logger(), info) << "signal " << sig << " (" << interrupts << ")";
            if (interrupts == 1) {
                stop.request_stop();
            } else if (interrupts == 2) {
                cancel.emit(boost::asio::cancellation_type::terminal);
            } else {
                host.stop();
                std::_Exit(130);
            }
            signals.async_wait(on_signal);
        };
    signals.async_wait(on_signal);

    CommandContextImpl ctx(host, *logger, json, stop.get_token());
    Outcome outcome;
    bool done = false;
    boost::asio::co_spawn(
        host.io(),
        [&]() -> boost::asio::awaitable<void> {
            try {
                if (spec.tool)
                    parsed.invocation.tool_arguments =
                        tool_arguments(host, spec, parsed.invocation);
                outcome.result = co_await spec.handler(parsed.invocation, ctx);
            } catch (...) {
                outcome.error = error_from_current_exception({.plugin = plugin,
                                                              .operation = name,
                                                              .cancelled = stop.stop_requested(),
                                                              .cancelled_message = "interrupted"},
                                                             *logger);
            }
            done = true;
            boost::system::error_code ignored;
            signals.cancel(ignored);
        },
        boost::asio::bind_cancellation_slot(cancel.slot(), boost::asio::detached));
    while (!done && host.io().run_one() > 0) {
    }
    ctx.end_progress();
    host.stop();

    if (outcome.error) {
        const sdk::Error& e = *outcome.error;
        if (json) {
            bj::object err{{"code", sdk::to_string(e.code())}, {"message", e.what()}};
            if (!e.details().is_null()) err["details"] = e.details();
            std::cout << sdk::json::pretty(bj::object{{"error", std::move(err)}}) << "\n";
        }
        // Details are structured data for --json; the message already says it in words.
        std::cerr << name << ": " << e.what() << "\n";
        return e.code() == sdk::ErrorCode::invalid_argument ? 2 : 1;
    }
    if (json) {
        std::cout << sdk::json::pretty(outcome.result.data) << "\n";
    } else if (!outcome.result.text.empty()) {
        std::cout << outcome.result.text;
        if (outcome.result.text.back() != '\n') std::cout << "\n";
    }
    std::cout.flush();
    return outcome.result.exit_code;
}

}  // namespace schedcp::host::cli
