// The catalog plugin: every sched_ext scheduler schedcp knows, with SchedCP-compatible
// metadata, whether it is installed here, and scx_loader's mode flags. Publishes the
// SchedulerCatalog service that the runner and compiler use.
#include <memory>
#include <string>
#include <string_view>

#include "catalog_store.hpp"
#include "host_fit.hpp"
#include "list_schedulers.hpp"
#include "list_schedulers_json.hpp"
#include "schedcp/sdk/blocking.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/plugin.hpp"
#include "schedcp/sdk/text.hpp"

extern "C" const unsigned char schedcp_catalog_json[];
extern "C" const unsigned long schedcp_catalog_json_size;

namespace schedcp::plugins::catalog {

namespace bj = boost::json;

namespace {

// The fit for this host: read once, the first time, on the blocking pool (the topology is
// many small sysfs files); every later call shares it.
boost::asio::awaitable<std::shared_ptr<const HostFit>> host_fit(std::shared_ptr<HostFitCache> cache,
                                                                boost::asio::any_io_executor pool) {
    if (auto ready = cache->ready()) co_return ready;
    auto op = sdk::run_blocking(pool, [cache] { return cache->compute(); });  // see blocking.hpp
    co_return co_await std::move(op);
}

}  // namespace

class CatalogPlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        // No settings: an empty schema allows none (a key under `settings:` is an error).
        return {.name = "catalog",
                .version = "0.1.0",
                .description =
                    "sched_ext scheduler catalog: metadata, availability, mode flags, "
                    "fit for this host"};
    }

    void setup(sdk::PluginContext& ctx) override {
        std::string_view data(reinterpret_cast<const char*>(schedcp_catalog_json),
                              schedcp_catalog_json_size);
        FitRuleBook rules;
        store_ = std::make_shared<CatalogStore>(parse_catalog(data, &scx_release_, &rules));
        // The host's own /sys: the unit tests judge synthetic layouts through HostFitCache.
        fit_ = std::make_shared<HostFitCache>(std::move(rules), sdk::host::HostRoots{});
        auto pool = ctx.blocking_executor();
        ctx.services().publish<sdk::services::SchedulerCatalog>(store_);
        sdk::ServiceRegistry* services = &ctx.services();

        sdk::ToolSpec tool;
        tool.name = "list_schedulers";
        tool.title = "List sched_ext schedulers";
        tool.description =
            "List available sched_ext schedulers with detailed information: description, "
            "algorithm, use "
            "cases, characteristics, tuning parameters (with their command-line flags), "
            "limitations, "
            "performance profile, scx_loader mode flags, and whether each is installed on this "
            "host, and how well each suits this host's CPU layout (fit: good, poor or neutral, "
            "with the reasons from the scheduler's documentation). "
            "Always use this tool first when you are choosing, running or writing a scheduler.";
        tool.input_schema = list_input_schema();
        tool.output_schema = list_output_schema();
        tool.annotations = {
            .read_only = true, .destructive = false, .idempotent = true, .open_world = false};
        tool.handler = [this, services, pool](
                           const bj::object& args,
                           sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
            auto fitting = host_fit(fit_, pool);  // call, then await: see sdk/blocking.hpp
            const auto fit = co_await std::move(fitting);
            // Written straight to JSON; schedcp-cli's list builds the tree (list_schedulers).
            co_return listing(args, *services, fit);
        };
        // From memory once the fit is known (the first call reads the topology above).
        tool.ready_answer = [this,
                             services](const bj::object& args) -> std::optional<sdk::ToolResult> {
            auto fit = fit_->ready();
            if (!fit) return std::nullopt;
            return listing(args, *services, fit);
        };
        ctx.add_tool(std::move(tool));
        ctx.add_instructions("list_schedulers shows what exists and what is installed here.");
        register_scheduler_resource(ctx);

        sdk::CommandSpec cmd;
        cmd.path = {"list"};
        cmd.summary = "List the schedulers schedcp knows, and which are installed here";
        cmd.options = {
            {.name = "name",
             .short_name = 'n',
             .type = sdk::OptionType::string,
             .value_name = "S",
             .help = "only names containing S (case-insensitive)"},
            {.name = "production",
             .short_name = 'p',
             .type = sdk::OptionType::flag,
             .help = "only production-ready schedulers"},
            {.name = "long",
             .short_name = 'l',
             .type = sdk::OptionType::flag,
             .help = "show every detail: parameters, modes, limitations"},
        };
        // list_schedulers' arguments: --production is production_ready: true (absent: all).
        cmd.tool = sdk::ToolMapping{.tool = "list_schedulers",
                                    .build = [](const sdk::CommandInvocation& inv) {
                                        bj::object a;
                                        if (auto* n = inv.values.if_contains("name"))
                                            a["name"] = *n;
                                        if (inv.values.contains("production"))
                                            a["production_ready"] = true;
                                        return a;
                                    }};
        cmd.handler = [this, services, pool](
                          const sdk::CommandInvocation& inv,
                          sdk::CommandContext&) -> boost::asio::awaitable<sdk::CommandResult> {
            auto fitting = host_fit(fit_, pool);  // call, then await: see sdk/blocking.hpp
            const auto fit = co_await std::move(fitting);
            bj::object result = list_schedulers(
                *store_, *services, filter_from_args(inv.tool_arguments), scx_release_, fit.get());
            bool details = sdk::json::optional_bool(inv.values, "long").value_or(false);
            std::string text = details ? render_long(result) : render_table(result);
            co_return sdk::CommandResult{std::move(result), std::move(text), 0};
        };
        ctx.add_command(std::move(cmd));
    }

  private:
    // The MCP tool's answer for these arguments, from the listing's cached pieces.
    sdk::ToolResult listing(const bj::object& args, const sdk::ServiceRegistry& services,
                            const std::shared_ptr<const HostFit>& fit) {
        return sdk::ToolResult::ok_json(
            listing_.write(*store_, services, filter_from_args(args), scx_release_, fit));
    }

    // schedcp://schedulers/{name}: one catalog entry as list_schedulers shows it.
    void register_scheduler_resource(sdk::PluginContext& ctx) {
        sdk::ServiceRegistry* services = &ctx.services();
        auto pool = ctx.blocking_executor();
        auto store = store_;
        ctx.add_resource_template(sdk::ResourceTemplateSpec{
            .uri_template = "schedcp://schedulers/{name}",
            .name = "scheduler",
            .title = "sched_ext scheduler",
            .description =
                "One scheduler of the catalog as list_schedulers shows it: description, "
                "algorithm, use cases, tuning parameters, modes, whether it is installed here and "
                "its fit for this host.",
            .mime_type = "application/json",
            .read = [this, services, pool](const std::string& uri, const sdk::UriVariables& vars,
                                           sdk::CallContext&)
                -> boost::asio::awaitable<std::vector<sdk::ResourceContents>> {
                const std::string& name = vars.at("name");
                auto entry = store_->find(name);
                if (!entry) {
                    auto close = store_->close_matches(name);
                    std::string hint;
                    for (const auto& c : close) hint += (hint.empty() ? "" : ", ") + c;
                    throw sdk::NotFound("no scheduler '" + sdk::text::sanitize(name, 80) +
                                        "' in the catalog" +
                                        (hint.empty() ? std::string(" (list_schedulers shows all)")
                                                      : "; did you mean " + hint + "?"));
                }
                auto fitting = host_fit(fit_, pool);  // call, then await: see sdk/blocking.hpp
                const auto fit = co_await std::move(fitting);
                co_return std::vector{sdk::ResourceContents::of_text(
                    uri, "application/json",
                    sdk::json::compact(scheduler_item(*entry, *services, fit.get())))};
            },
            .complete = {{"name", [store](std::string_view partial, const auto&) {
                              std::vector<std::string> names;
                              for (const auto& e : *store->snapshot()) names.push_back(e.name);
                              return sdk::complete_from(names, partial);
                          }}}});
    }

    std::shared_ptr<CatalogStore> store_;
    std::shared_ptr<HostFitCache> fit_;  // each scheduler's fit for this host, once
    ListingWriter listing_;              // the MCP tool's answer, from cached pieces
    std::string scx_release_;            // the sched-ext/scx release the data describes
};

}  // namespace schedcp::plugins::catalog

SCHEDCP_PLUGIN(schedcp::plugins::catalog::CatalogPlugin)
