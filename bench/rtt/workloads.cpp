#include "workloads.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include <boost/json/serialize.hpp>

namespace schedcp::bench {

namespace bj = boost::json;

namespace {

const char* const kListFiltered = R"({"name":"list_schedulers","arguments":{"name":"rusty"}})";
const char* const kListAll = R"({"name":"list_schedulers","arguments":{}})";

bool has_tool(const bj::object& tools_list, const std::string& name) {
    const auto& tools = tools_list.at("tools").as_array();
    return std::any_of(tools.begin(), tools.end(), [&](const bj::value& t) {
        return t.as_object().at("name").as_string() == name;
    });
}

const bj::object& structured(const bj::object& result, const Workload& w) {
    const auto* s = result.if_contains("structuredContent");
    if (!s || !s->is_object())
        throw std::runtime_error(w.name + ": the result has no structuredContent object");
    return s->as_object();
}

void expect(bool ok, const Workload& w, const std::string& what, const bj::object& result) {
    if (ok) return;
    std::string shown = bj::serialize(result).substr(0, 300);
    throw std::runtime_error(w.name + ": " + what + "; the result begins " + shown);
}

}  // namespace

std::vector<Workload> prepare_workloads(McpSession& schedcp) {
    std::vector<Workload> out = {
        {.name = "ping", .request = {"ping", ""}, .schedcp_only = false},
        {.name = "tools/list", .request = {"tools/list", ""}, .schedcp_only = false},
    };
    const bj::object tools = schedcp.call("tools/list", "");
    if (has_tool(tools, "list_schedulers")) {
        out.push_back({.name = "list rusty",
                       .request = {"tools/call", kListFiltered},
                       .schedcp_only = false});
        out.push_back(
            {.name = "list all", .request = {"tools/call", kListAll}, .schedcp_only = false});
    } else {
        std::cerr << "note: " << schedcp.server().label()
                  << " has no list_schedulers tool; its workloads are left out\n";
    }
    if (!has_tool(tools, "workload")) {
        std::cerr << "note: " << schedcp.server().label()
                  << " has no workload tool; `workload get` is left out\n";
        return out;
    }
    const bj::object created = schedcp.call(
        "tools/call", R"({"name":"workload","arguments":{"command":"create","name":"bench",)"
                      R"("description":"schedcp benchmark workload"}})");
    const auto& id = created.at("structuredContent").as_object().at("workload_id").as_string();
    out.push_back({.name = "workload get",
                   .request = {"tools/call", R"({"name":"workload","arguments":{"command":"get",)"
                                             R"("workload_id":")" +
                                                 std::string(id) + R"("}})"},
                   .schedcp_only = true});
    return out;
}

std::string check_workload(McpSession& session, const Workload& w) {
    std::string line;
    const bj::object result = session.call(w.request.method, w.request.params_json, &line);
    if (w.request.method == "tools/list") {
        expect(has_tool(result, "list_schedulers"), w, "no list_schedulers in tools/list", result);
    } else if (w.request.params_json == kListFiltered) {
        const auto& list = structured(result, w).at("schedulers").as_array();
        expect(!list.empty(), w, "no scheduler matches \"rusty\"", result);
        for (const auto& s : list)
            expect(s.as_object().at("name").as_string().find("rusty") != bj::string::npos, w,
                   "a scheduler that does not match \"rusty\"", result);
    } else if (w.request.params_json == kListAll) {
        expect(structured(result, w).at("count").to_number<std::int64_t>() > 1, w,
               "fewer than two schedulers listed", result);
    } else if (w.name == "workload get") {
        const auto text = bj::serialize(structured(result, w));
        expect(text.find("schedcp benchmark workload") != std::string::npos, w,
               "the profile's description is missing", result);
    }
    return line;
}

}  // namespace schedcp::bench
