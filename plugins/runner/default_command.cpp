#include "default_command.hpp"

#include <boost/json/serialize.hpp>

#include "foreign_defaults.hpp"
#include "output_schemas.hpp"
#include "run_command.hpp"
#include "schedcp/sdk/blocking.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "scheduler_args.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;
namespace asio = boost::asio;

namespace {

bj::object input_schema() {
    return bj::object{
        {"type", "object"},
        {"properties",
         bj::object{
             {"command",
              bj::object{{"enum", bj::array{"get", "set", "clear", "import"}},
                         {"description",
                          "get: the stored default (when none: what scx_loader or scx.service "
                          "would start, marked as theirs); set: store name with args or mode; "
                          "clear: remove it; import: store what scx_loader or scx.service "
                          "would start, checked as set is"}}},
             {"from",
              bj::object{{"enum", bj::array{kScxLoaderTool, kScxServiceTool}},
                         {"description",
                          "import: whose configuration (needed when both name a scheduler)"}}},
             {"name", bj::object{{"type", "string"},
                                 {"minLength", 1},
                                 {"maxLength", 100},
                                 {"description", "set: the scheduler (one of list_schedulers)"}}},
             {"args",
              bj::object{{"type", "array"},
                         {"items", bj::object{{"type", "string"},
                                              {"maxLength", static_cast<std::int64_t>(
                                                                scheduler_args::kMaxArgBytes)}}},
                         {"maxItems", static_cast<std::int64_t>(scheduler_args::kMaxArgs)},
                         {"description", "set: flags for the scheduler"}}},
             {"mode",
              bj::object{{"enum", bj::array{"auto", "gaming", "powersave", "lowlatency", "server"}},
                         {"description", "set: scx_loader mode instead of args"}}}}},
        {"required", bj::array{"command"}},
        {"additionalProperties", false}};
}

bj::object describe(const BootDefaultStore& store, const BootDefaultStore::Loaded& loaded) {
    bj::object out{{"default", loaded.config ? bj::value(loaded.config->to_json()) : nullptr},
                   {"file", store.file().string()}};
    if (loaded.quarantined) {
        out["quarantined"] = loaded.quarantined->string();
        out["problem"] = loaded.problem;
    }
    return out;
}

// The one `import` adopts: `from`'s, or the only one that names a scheduler (or all agree).
ForeignDefault chosen_import(const std::vector<ForeignDefault>& found,
                             const std::optional<std::string>& from, const RunnerCore& core) {
    const auto& s = core.settings();
    std::string files;
    for (const auto& f : s.scx_loader_config) files += f.string() + ", ";
    files += s.scx_service_config.string();
    std::vector<const ForeignDefault*> candidates;
    for (const auto& d : found)
        if (!from || d.tool == *from) candidates.push_back(&d);
    if (candidates.empty())
        throw sdk::NotFound(from ? "nothing to import: no configuration of " + *from +
                                       " exists (looked at " + files + ")"
                                 : "nothing to import: neither scx_loader's nor scx.service's "
                                   "configuration exists (looked at " +
                                       files + ")");
    std::vector<const ForeignDefault*> usable;
    for (const auto* d : candidates) {
        if (from && !d->problem.empty())
            throw sdk::InvalidArgument("cannot import from " + d->tool + ": " + d->problem);
        if (d->importable()) usable.push_back(d);
    }
    if (usable.empty()) {
        std::string why;
        for (const auto* d : candidates) why += (why.empty() ? "" : "; ") + d->describe();
        throw sdk::InvalidArgument("nothing to import: " + why);
    }
    for (const auto* d : usable)
        if (d->config->to_json() != usable.front()->config->to_json())
            throw sdk::InvalidArgument("both scx_loader and scx.service name a scheduler (" +
                                       usable[0]->describe() + "; " + usable[1]->describe() +
                                       "): choose one with from (--from)");
    return *usable.front();
}

std::string quarantine_text(const bj::object& r) {
    if (!r.contains("quarantined")) return "";
    return "the stored default was unreadable (" + std::string(r.at("problem").as_string()) +
           "); moved aside to " + std::string(r.at("quarantined").as_string()) + "\n";
}

// One operation for the tool and the commands (the host checked args against the schema).
bj::object operate(const RunnerCore& core, const BootDefaultStore& store, const bj::object& args) {
    const std::string command = sdk::json::required_string(args, "command");
    const bool has_config = args.contains("name") || args.contains("args") || args.contains("mode");
    if (command != "set" && has_config)
        throw sdk::InvalidArgument(
            "name, args and mode are used only with command set (here: " + command + ")");
    if (command != "import" && args.contains("from"))
        throw sdk::InvalidArgument("from is used only with command import (here: " + command + ")");
    if (command == "get") {
        bj::object out = describe(store, store.load());
        if (!out.at("default").is_null()) {
            out["message"] = "boot default";
            return out;
        }
        // Not schedcp's: what the tools it would replace start at boot.
        bj::array others;
        for (const auto& d : read_foreign_defaults(core)) others.push_back(d.to_json());
        out["message"] = "no boot default set";
        if (!others.empty()) out["other_tools"] = std::move(others);
        return out;
    }
    if (command == "import") {
        const ForeignDefault d = chosen_import(read_foreign_defaults(core),
                                               sdk::json::optional_string(args, "from"), core);
        store.save(*d.config);
        return {{"default", d.config->to_json()},
                {"file", store.file().string()},
                {"imported_from", d.to_json()},
                {"message", "boot default imported from " + d.tool + " (" + d.file.string() +
                                (d.line ? ":" + std::to_string(d.line) : "") + ")"}};
    }
    if (command == "clear") {
        bool removed = store.clear();
        return {{"default", nullptr},
                {"file", store.file().string()},
                {"message", removed ? "boot default cleared" : "no boot default was set"}};
    }
    if (!args.contains("name")) throw sdk::InvalidArgument("command set needs name");
    StartRequest r = start_request_from(args);
    core.check_request(r);  // as run_scheduler would: known, its options, its mode
    LaunchConfig c{.name = r.name, .args = r.args, .mode = r.mode};
    store.save(c);
    return {
        {"default", c.to_json()}, {"file", store.file().string()}, {"message", "boot default set"}};
}

// What the other tools would start, as `default show` prints it (never as schedcp's own).
std::string other_tools_text(const bj::object& r) {
    const auto* others = r.if_contains("other_tools");
    if (!others) return "";
    std::string text;
    bool importable = false;
    for (const auto& o : others->as_array()) {
        const auto& d = o.as_object();
        const std::string tool(d.at("tool").as_string());
        std::string where(d.at("file").as_string());
        if (const auto* line = d.if_contains("line")) where += ":" + bj::serialize(*line);
        text += "  not schedcp's: ";
        if (const auto* problem = d.if_contains("problem")) {
            text += tool + " configuration unusable: " + std::string(problem->as_string()) + "\n";
            continue;
        }
        if (d.at("default").is_null()) {
            text += tool + " (" + where + "): " + std::string(d.at("note").as_string()) + "\n";
            continue;
        }
        importable = true;
        const auto& c = d.at("default").as_object();
        std::string args;
        for (const auto& a : d.at("args").as_array())
            args += (args.empty() ? "" : " ") + std::string(a.as_string());
        text += tool + " (" + where + ") would start " + std::string(c.at("name").as_string());
        if (const auto* m = c.if_contains("mode"))
            text += " --mode " + std::string(m->as_string()) + " (" + args + ")";
        else if (!args.empty())
            text += " -- " + args;
        if (const auto* note = d.if_contains("note")) text += "; " + std::string(note->as_string());
        text += "\n";
    }
    if (importable) text += "  (schedcp-cli default import adopts it as schedcp's boot default)\n";
    return text;
}

std::string render(const bj::object& r) {
    std::string text = quarantine_text(r);
    if (const auto* d = r.at("default").if_object()) {
        LaunchConfig c{.name = std::string(d->at("name").as_string())};
        if (const auto* m = d->if_contains("mode")) c.mode = std::string(m->as_string());
        if (const auto* a = d->if_contains("args")) {
            c.args.emplace();
            for (const auto& x : a->as_array()) c.args->emplace_back(x.as_string());
        }
        return text + std::string(r.at("message").as_string()) + ": " + c.command_line() + "\n";
    }
    return text + std::string(r.at("message").as_string()) + "\n" + other_tools_text(r);
}

sdk::CommandSpec command(std::shared_ptr<RunnerCore> core,
                         std::shared_ptr<const BootDefaultStore> store, const char* name,
                         std::string summary) {
    sdk::CommandSpec spec;
    spec.path = {"default", name};
    spec.summary = std::move(summary);
    spec.tool =
        sdk::ToolMapping{.tool = "scheduler_default",
                         .fixed = {{"command", name == std::string("show") ? "get" : name}}};
    spec.handler = [core, store](const sdk::CommandInvocation& inv,
                                 sdk::CommandContext& ctx) -> asio::awaitable<sdk::CommandResult> {
        auto op =
            sdk::run_blocking(ctx.blocking_executor(), [core, store, args = inv.tool_arguments] {
                return operate(*core, *store, args);
            });  // call, then await: see sdk/blocking.hpp
        bj::object r = co_await std::move(op);
        std::string text = render(r);
        co_return sdk::CommandResult{std::move(r), std::move(text), 0};
    };
    return spec;
}

}  // namespace

void register_boot_default(sdk::PluginContext& ctx, std::shared_ptr<RunnerCore> core,
                           std::shared_ptr<const BootDefaultStore> store) {
    sdk::ToolSpec tool;
    tool.name = "scheduler_default";
    tool.title = "Boot default scheduler";
    tool.description =
        "The scheduler started at boot (schedcp-cli default run, by the schedcp-default systemd "
        "unit). command 'get' shows it (when none is set, other_tools reports what scx_loader "
        "or scx.service would start from their own configuration; that is not schedcp's "
        "default); 'set' (name, and args or mode) stores it, checked as run_scheduler checks its "
        "arguments; 'import' stores what scx_loader or scx.service would start (from: which), "
        "checked the same way; 'clear' removes it. It does not start or stop anything now.";
    tool.input_schema = input_schema();
    tool.output_schema = default_output_schema();
    tool.annotations = {
        .read_only = false, .destructive = true, .idempotent = true, .open_world = false};
    // get shows the stored default (moving a corrupt file aside, as any reader does): an HTTP
    // `read` token may use it.
    tool.read_only_commands = sdk::ReadOnlyCommands{.argument = "command", .values = {"get"}};
    tool.handler = [core, store](const bj::object& args,
                                 sdk::CallContext& c) -> asio::awaitable<sdk::ToolResult> {
        auto op = sdk::run_blocking(c.blocking_executor(), [core, store, args] {
            return operate(*core, *store, args);
        });  // call, then await: see sdk/blocking.hpp
        co_return sdk::ToolResult::ok(co_await std::move(op));
    };
    ctx.add_tool(std::move(tool));

    sdk::CommandSpec set = command(core, store, "set", "Store the scheduler started at boot");
    set.positionals = {{"name", "the scheduler, e.g. scx_rusty"}};
    set.options = {{.name = "mode",
                    .short_name = 'm',
                    .type = sdk::OptionType::string,
                    .value_name = "MODE",
                    .help = "scx_loader mode instead of arguments",
                    .choices = {"auto", "gaming", "powersave", "lowlatency", "server"}}};
    set.passthrough = true;
    set.passthrough_help = "arguments for the scheduler";
    set.tool->passthrough_as = "args";
    ctx.add_command(std::move(set));
    ctx.add_command(command(core, store, "show",
                            "Show the scheduler started at boot (when none: what scx_loader or "
                            "scx.service would start)"));
    sdk::CommandSpec import = command(core, store, "import",
                                      "Adopt what scx_loader or scx.service would start as the "
                                      "boot default");
    import.options = {
        {.name = "from",
         .type = sdk::OptionType::string,
         .value_name = "TOOL",
         .help = "whose configuration, when both name a scheduler",
         .choices = {
             std::string(kScxLoaderTool),
             std::string(kScxServiceTool)
         } }};
    ctx.add_command(std::move(import));
    ctx.add_command(command(core, store, "clear", "Remove the boot default"));

    sdk::CommandSpec run;
    run.path = {"default", "run"};
    run.summary = "Run the boot default in the foreground until Ctrl-C (what a boot does)";
    run.description =
        "Starts the stored default (schedcp-cli default set) with the runner's failure policy "
        "(on_failure),\nstreams its output, and stops it on Ctrl-C or SIGTERM, like "
        "'schedcp-cli run'. Fails\nwhen no default is set.";
    run.handler = [core, store](const sdk::CommandInvocation&,
                                sdk::CommandContext& ctx) -> asio::awaitable<sdk::CommandResult> {
        auto op = sdk::run_blocking(ctx.blocking_executor(), [store] { return store->load(); });
        BootDefaultStore::Loaded loaded = co_await std::move(op);
        if (!loaded.config) {
            bj::object r = describe(*store, loaded);
            r["message"] = "no boot default set (schedcp-cli default set NAME)";
            std::string text = render(r);
            co_return sdk::CommandResult{std::move(r), std::move(text), 1};
        }
        StartRequest r{.name = loaded.config->name,
                       .args = loaded.config->args,
                       .mode = loaded.config->mode,
                       .cli = true};
        co_return co_await run_in_foreground(core, std::move(r), ctx);
    };
    ctx.add_command(std::move(run));
}

}  // namespace schedcp::plugins::runner
