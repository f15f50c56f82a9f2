#include "execution_resources.hpp"

#include <boost/json/serialize.hpp>

#include "launcher.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/uri_template.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;

namespace {

std::vector<std::string> newest_ids(const RunnerCore& core) {
    std::vector<std::string> ids;
    for (const auto& e : core.table().all_newest_first()) ids.push_back(e->id);
    return ids;
}

sdk::Completer complete_ids(std::shared_ptr<RunnerCore> core) {
    return [core](std::string_view partial, const std::map<std::string, std::string>&) {
        return sdk::complete_from(newest_ids(*core), partial);
    };
}

void check_execution_id(std::string_view id) {
    sdk::check_uri_id(id, "an execution id", "such as sched_1a2b3c4d (list_executions shows them)");
}

}  // namespace

void register_execution_resources(sdk::PluginContext& ctx, std::shared_ptr<RunnerCore> core) {
    ctx.add_resource_template(sdk::ResourceTemplateSpec{
        .uri_template = "schedcp://executions/{id}",
        .name = "execution",
        .title = "Scheduler execution",
        .description =
            "One scheduler execution this server started: scheduler, arguments, status, pid, "
            "times, exit code or signal, why it ended, and its last 20 output lines (as "
            "get_execution_status, without the live statistics). Ids: list_executions.",
        .mime_type = "application/json",
        .read = [core](const std::string& uri, const sdk::UriVariables& vars, sdk::CallContext&)
            -> boost::asio::awaitable<std::vector<sdk::ResourceContents>> {
            const std::string& id = vars.at("id");
            check_execution_id(id);
            auto e = core->status(id);  // sdk::NotFound naming the known ids
            co_return std::vector{sdk::ResourceContents::of_text(
                uri, "application/json", bj::serialize(core->render(*e, 20)))};
        },
        .complete = {{"id", complete_ids(core)}}});
    ctx.add_resource_template(sdk::ResourceTemplateSpec{
        .uri_template = "schedcp://executions/{id}/output",
        .name = "execution-output",
        .title = "Scheduler execution output",
        .description = "Everything an execution's scheduler printed that is still kept (the "
                       "runner keeps its newest lines), one line per line.",
        .mime_type = "text/plain",
        .read = [core](const std::string& uri, const sdk::UriVariables& vars, sdk::CallContext&)
            -> boost::asio::awaitable<std::vector<sdk::ResourceContents>> {
            const std::string& id = vars.at("id");
            check_execution_id(id);
            auto e = core->status(id);
            std::string text;
            if (e->output_dropped > 0)
                text = "[" + std::to_string(e->output_dropped) + " earlier lines dropped]\n";
            for (const auto& line : e->output) text += line + "\n";
            co_return std::vector{sdk::ResourceContents::of_text(uri, "text/plain", text)};
        },
        .complete = {{"id", complete_ids(core)}}});
}

}  // namespace schedcp::plugins::runner
