// The host's registry of resources, templates and prompts (resource_prompt_registry.hpp):
// what it refuses at registration, how a URI resolves, who hears about updates.
#include <boost/test/unit_test.hpp>

#include "resource_prompt_registry.hpp"

using namespace schedcp;
using host::ResourcePromptRegistry;

namespace {

sdk::ResourceReader reader() {
    return [](const std::string&, const sdk::UriVariables&,
              sdk::CallContext&) -> boost::asio::awaitable<std::vector<sdk::ResourceContents>> {
        co_return std::vector<sdk::ResourceContents>{};
    };
}

sdk::ResourceSpec resource(std::string uri) {
    return sdk::ResourceSpec{.uri = std::move(uri), .name = "r", .read = reader()};
}

sdk::ResourceTemplateSpec templ(std::string uri_template) {
    return sdk::ResourceTemplateSpec{
        .uri_template = std::move(uri_template), .name = "t", .read = reader()};
}

sdk::PromptSpec prompt(std::string name, std::vector<sdk::PromptArgument> args = {}) {
    return sdk::PromptSpec{
        .name = std::move(name),
        .description = "d",
        .arguments = std::move(args),
        .handler = [](const sdk::PromptArguments&, sdk::CallContext&)
            -> boost::asio::awaitable<sdk::PromptResult> { co_return sdk::PromptResult{}; }};
}

std::string refusal(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resource_prompt_registry)

BOOST_AUTO_TEST_CASE(resources_need_an_absolute_unique_uri_a_name_and_a_reader) {
    ResourcePromptRegistry r;
    r.add_resource("a", resource("test://static-text"));
    BOOST_TEST(refusal([&] { r.add_resource("b", resource("test://static-text")); }) ==
               "resource 'test://static-text' is already registered by plugin 'a'");
    BOOST_TEST(refusal([&] {
                   r.add_resource("a", resource("no-scheme"));
               }).find("not an absolute URI") != std::string::npos);
    BOOST_TEST(refusal([&] { r.add_resource("a", resource("x://a b")); }).find("whitespace") !=
               std::string::npos);
    BOOST_TEST(refusal([&] {
                   r.add_resource("a", resource("x://" + std::string(2000, 'a')));
               }).find("the limit is 1024") != std::string::npos);
    auto nameless = resource("x://n");
    nameless.name.clear();
    BOOST_TEST(refusal([&] { r.add_resource("a", nameless); }) == "resource 'x://n' has no name");
    auto unreadable = resource("x://u");
    unreadable.read = nullptr;
    BOOST_TEST(refusal([&] { r.add_resource("a", unreadable); }) ==
               "resource 'x://u' has no read handler");
}

BOOST_AUTO_TEST_CASE(templates_need_a_literal_scheme_and_complete_only_their_variables) {
    ResourcePromptRegistry r;
    BOOST_TEST(refusal([&] {
                   r.add_template("a", templ("{scheme}://x"));
               }).find("literal scheme") != std::string::npos);
    BOOST_TEST(refusal([&] { r.add_template("a", templ("x://{+id}")); }).find("level 1") !=
               std::string::npos);
    auto t = templ("x://items/{id}");
    t.complete["name"] = [](std::string_view, const std::map<std::string, std::string>&) {
        return sdk::Completion{};
    };
    BOOST_TEST(refusal([&] { r.add_template("a", t); }).find("completes 'name', which is not") !=
               std::string::npos);
    r.add_template("a", templ("x://items/{id}"));
    BOOST_TEST(refusal([&] {
                   r.add_template("b", templ("x://items/{id}"));
               }).find("already registered by plugin 'a'") != std::string::npos);
    BOOST_TEST(!r.has_completions());
}

BOOST_AUTO_TEST_CASE(a_fixed_uri_wins_over_a_template_then_templates_in_order) {
    ResourcePromptRegistry r;
    r.add_template("first", templ("x://items/{id}"));
    r.add_template("second", templ("x://items/{id}/more"));
    r.add_resource("fixed", resource("x://items/special"));
    BOOST_TEST(r.resolve("x://items/special")->plugin == "fixed");
    BOOST_TEST(r.resolve("x://items/special")->variables.empty());
    auto item = r.resolve("x://items/42");
    BOOST_REQUIRE(item);
    BOOST_TEST(item->plugin == "first");
    BOOST_TEST(item->variables.at("id") == "42");
    BOOST_TEST(r.resolve("x://items/42/more")->plugin == "second");
    BOOST_TEST(!r.resolve("x://items/"));
    BOOST_TEST(!r.resolve("y://items/42"));
}

BOOST_AUTO_TEST_CASE(prompts_need_a_valid_unique_name_a_description_and_distinct_arguments) {
    ResourcePromptRegistry r;
    r.add_prompt("a", prompt("tune_for_workload", {{.name = "workload", .required = true}}));
    BOOST_TEST(r.find_prompt("tune_for_workload")->plugin == "a");
    BOOST_TEST(!r.find_prompt("nope"));
    BOOST_TEST(refusal([&] {
                   r.add_prompt("b", prompt("tune_for_workload"));
               }).find("already registered by plugin 'a'") != std::string::npos);
    BOOST_TEST(refusal([&] { r.add_prompt("a", prompt("Bad-Name")); }).find("must match") !=
               std::string::npos);
    auto undescribed = prompt("p");
    undescribed.description.clear();
    BOOST_TEST(refusal([&] { r.add_prompt("a", undescribed); }) == "prompt 'p' has no description");
    BOOST_TEST(refusal([&] {
                   r.add_prompt("a", prompt("q", {{.name = "x"}, {.name = "x"}}));
               }) == "prompt 'q': argument 'x' is declared twice");
    BOOST_TEST(refusal([&] {
                   r.add_prompt("a", prompt("s", {{.name = "1x"}}));
               }).find("must match [A-Za-z]") != std::string::npos);
    r.add_prompt("a", prompt("camel", {{.name = "resourceUri", .complete = [](auto, const auto&) {
                                            return sdk::Completion{};
                                        }}}));
    BOOST_TEST(r.has_completions());
}

BOOST_AUTO_TEST_CASE(updates_reach_live_listeners_only) {
    ResourcePromptRegistry r;
    std::vector<std::string> heard;
    auto owner = std::make_shared<int>(0);
    r.listen(owner, [&](const std::string& uri) { heard.push_back(uri); });
    {
        auto gone = std::make_shared<int>(0);
        r.listen(gone, [&](const std::string& uri) { heard.push_back("gone:" + uri); });
    }
    r.resource_updated("x://a");
    owner.reset();
    r.resource_updated("x://b");
    BOOST_TEST(heard == std::vector<std::string>{"x://a"});
}

BOOST_AUTO_TEST_CASE(client_uris_are_checked_before_any_lookup) {
    BOOST_TEST(host::uri_problem("test://static-text").empty());
    BOOST_TEST(host::uri_problem("") == "is empty");
    BOOST_TEST(host::uri_problem("relative/path").find("absolute") != std::string::npos);
    BOOST_TEST(host::uri_problem("x://a\nb").find("control") != std::string::npos);
    BOOST_TEST(host::uri_problem("9x://a").find("absolute") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
