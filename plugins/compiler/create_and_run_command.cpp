#include "create_and_run_command.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "child_run.hpp"
#include "create_tool.hpp"
#include "names.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/sched_ext.hpp"
#include "schedcp/sdk/text.hpp"
#include "verify.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

std::string read_source(const std::string& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0)
        throw sdk::InvalidArgument("cannot read " + file + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw sdk::InvalidArgument(file + " is not a regular file");
    if (static_cast<std::size_t>(st.st_size) > kMaxSourceBytes)
        throw sdk::InvalidArgument(file + " is " + std::to_string(st.st_size) +
                                   " bytes; at most 1 MiB (1048576 bytes) is accepted");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    if (!in && !in.eof()) throw sdk::InvalidArgument("cannot read " + file);
    return std::move(all).str();
}

// Why the scheduler cannot be run here, or "" when it can.
std::string cannot_run(const CompilerSettings& s, bool sudo) {
    if (!sdk::sched_ext::read_status(s.sched_ext_root).present)
        return sdk::sched_ext::no_sched_ext_message(s.sched_ext_root) +
               "; run it on a sched_ext kernel with `schedcp-cli run NAME`";
    if (::geteuid() != 0 && !sudo)
        return "running a scheduler needs root: run as root, or pass --sudo";
    std::error_code ec;
    if (::geteuid() != 0 && !fs::exists(s.sudo_path, ec))
        return "sudo was not found at " + s.sudo_path;
    return "";
}

}  // namespace

sdk::CommandSpec create_and_run_command(std::shared_ptr<CompilerCore> core) {
    sdk::CommandSpec spec;
    spec.path = {"create-and-run"};
    spec.summary = "Compile, check, verify and register a scheduler, then run it until Ctrl-C";
    spec.description =
        "Does what the create_and_verify_scheduler tool does with FILE (a sched_ext scheduler in\n"
        "BPF C, written with <scx/common.bpf.h>): compiles it against the configured kernel BTF,\n"
        "checks the object, loads it into the kernel for a few seconds where sched_ext is there,\n"
        "and registers it as NAME (default: from the file name). Then, unless --verify-only, runs\n"
        "it with schedcp-loader in the foreground; Ctrl-C detaches it and prints its exit info.\n"
        "Later: schedcp-cli run NAME. Loading needs root; --sudo uses passwordless `sudo -n`.";
    spec.positionals = {{"file", "the scheduler source, e.g. my_sched.bpf.c"}};
    spec.options = {
        {.name = "name",
         .short_name = 'n',
         .type = sdk::OptionType::string,
         .value_name = "NAME",
         .help = "its name in the catalog (default: from FILE)"},
        {.name = "verify-only",
         .type = sdk::OptionType::flag,
         .help = "stop after registering; do not run it"},
        {.name = "sudo",
         .short_name = 's',
         .type = sdk::OptionType::flag,
         .help = "use `sudo -n` when not root (verify and run)"},
    };
    spec.passthrough = true;
    spec.passthrough_help = "-v: schedcp-loader shows libbpf's debug messages (nothing else)";
    spec.handler = [core](const sdk::CommandInvocation& inv,
                          sdk::CommandContext& ctx) -> asio::awaitable<sdk::CommandResult> {
        const std::string file = sdk::json::required_string(inv.values, "file");
        // The loader may run as root (sudo): only its verbosity is the user's to choose;
        // a custom scheduler itself takes no arguments.
        for (const auto& a : inv.passthrough)
            if (a != "-v" && a != "--verbose")
                throw sdk::InvalidArgument(
                    "after -- create-and-run takes only -v (libbpf's debug "
                    "messages), not '" +
                    a + "': custom schedulers take no arguments");
        CreateRequest req;
        req.source = read_source(file);
        if (auto n = sdk::json::optional_string(inv.values, "name")) {
            req.name = *n;
        } else {
            req.name = name_from_file(file);
            if (req.name.empty())
                throw sdk::InvalidArgument("cannot make a scheduler name from '" + file +
                                           "'; pass --name NAME (a lowercase letter, then "
                                           "lowercase letters, digits and '_')");
        }
        req.display_name = file;
        std::error_code ec;
        req.source_dir = fs::absolute(fs::path(file), ec).parent_path();
        req.cli = true;
        req.sudo = sdk::json::optional_bool(inv.values, "sudo").value_or(false);
        const bool text = !ctx.json_output();
        auto creating = core->create(req, ctx);  // call, then await: see sdk/blocking.hpp
        bj::object result = co_await std::move(creating);
        if (text) ctx.out() << render_result(result) << std::flush;
        if (sdk::json::optional_bool(inv.values, "verify_only").value_or(false))
            co_return sdk::CommandResult{std::move(result), "", 0};

        const CompilerSettings& s = core->settings();
        if (std::string why = cannot_run(s, req.sudo); !why.empty()) {
            result["run"] = bj::object{{"started", false}, {"reason", why}};
            co_return sdk::CommandResult{std::move(result), "Not running it: " + why + "\n", 1};
        }
        ChildSpec run;
        if (::geteuid() != 0) run.argv = {s.sudo_path, "-n", "--"};
        run.argv.insert(run.argv.end(),
                        {s.loader.string(), std::string(result.at("object").as_string())});
        run.argv.insert(run.argv.end(), inv.passthrough.begin(), inv.passthrough.end());
        run.argv.insert(run.argv.end(),
                        {"--sched-ext-root", s.sched_ext_root.string(), "--stdin-lifeline"});
        run.timeout = std::chrono::hours(24 * 365);  // until Ctrl-C
        run.stop_signal = SIGINT;                    // the loader detaches cleanly
        run.kill_after = std::chrono::seconds(10);
        run.stdin_pipe = true;
        run.max_output = 64 * 1024;
        if (text) {
            ctx.out() << "Running " << req.name << " (Ctrl-C stops it)..." << std::endl;
            run.on_line = [&ctx](std::string_view line) { ctx.out() << line << std::endl; };
        }
        auto running = run_child(run, ctx.stop_token());  // call, then await
        ChildOutcome out = co_await std::move(running);
        result["run"] = bj::object{{"started", true},
                                   {"exit", out.status.describe()},
                                   {"output", sdk::text::sanitize(out.output, 16 * 1024)}};
        int code = out.status.shell_code();
        std::string summary = req.name + " ended: schedcp-loader " + out.status.describe() + "\n";
        co_return sdk::CommandResult{std::move(result), text ? summary : "", code};
    };
    return spec;
}

}  // namespace schedcp::plugins::compiler
