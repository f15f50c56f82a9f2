#include "workload_ops.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <regex>
#include <set>

#include <boost/json/parse.hpp>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/services/scheduler_runner.hpp"
#include "schedcp/sdk/storage.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::workloads {

namespace bj = boost::json;
using sdk::InvalidArgument;

namespace {

constexpr std::size_t kMaxDescription = 4096;
constexpr std::size_t kMaxResult = 8192;
constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxMetrics = 32;

std::int64_t now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string uuid4() {
    static std::random_device rd;
    unsigned char b[16];
    for (auto& x : b) x = static_cast<unsigned char>(rd());
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
        s.push_back(hex[b[i] >> 4]);
        s.push_back(hex[b[i] & 15]);
    }
    return s;
}

std::string require(const bj::object& args, const char* key, const std::string& command) {
    auto v = sdk::json::optional_string(args, key);
    if (!v) throw InvalidArgument(std::string(key) + " is required for " + command + " command");
    return *v;
}

// Text that a model will read back later: cleaned, non-empty, bounded.
std::string text_arg(const bj::object& args, const char* key, const std::string& command,
                     std::size_t max, bool required = true) {
    auto v = sdk::json::optional_string(args, key);
    if (!v) {
        if (required)
            throw InvalidArgument(std::string(key) + " is required for " + command + " command");
        return "";
    }
    if (v->size() > max)
        throw InvalidArgument(std::string(key) + " is " + std::to_string(v->size()) +
                              " bytes; at most " + std::to_string(max) + " are allowed");
    std::string clean = sdk::text::sanitize(*v, max);
    if (clean.find_first_not_of(" \t\n") == std::string::npos)
        throw InvalidArgument(std::string(key) + " must not be empty");
    return clean;
}

const bj::object& profile_of(const bj::object& root, const std::string& id) {
    const auto& profiles = root.at("profiles").get_object();
    auto* p = profiles.if_contains(id);
    if (!p) {
        std::vector<std::string> ids;
        for (const auto& kv : profiles) ids.emplace_back(kv.key());
        auto close = sdk::text::close_matches(id, ids, 1);
        throw sdk::NotFound("Workload profile '" + sdk::text::sanitize(id, 100) + "' not found" +
                                (close.empty() ? std::string(" (workload list shows them)")
                                               : "; did you mean " + close[0] + "?"),
                            bj::object{{"workload_id", id}});
    }
    return p->get_object();
}

bj::array history_of(const bj::object& root, const std::string& id) {
    bj::array out;
    const auto& h = root.at("history").get_array();
    for (const auto& e : h)  // insertion order (oldest first), as SchedCP returns it
        if (e.at("workload_id").get_string() == id) out.push_back(e);
    return out;
}

std::size_t history_count(const bj::object& root, const std::string& id) {
    std::size_t n = 0;
    for (const auto& e : root.at("history").get_array())
        if (e.at("workload_id").get_string() == id) ++n;
    return n;
}

}  // namespace

bj::object workload_input_schema() {
    auto str = [](std::size_t max, const char* d) {
        return bj::object{{"type", "string"}, {"maxLength", max}, {"description", d}};
    };
    return bj::object{
        {"type", "object"},
        {"properties",
         bj::object{
             {"command",
              bj::object{{"enum", bj::array{"create", "list", "get", "get_history", "add_history",
                                            "update", "delete", "recommend"}},
                         {"description", "what to do"}}},
             {"name", str(kMaxName, "create: a short name for the workload (optional)")},
             {"description",
              str(kMaxDescription, "create/update: the workload in natural language")},
             {"workload_id", str(100, "the profile's id (from create or list)")},
             {"execution_id",
              str(100, "add_history: the run_scheduler execution this result is about")},
             {"result_description",
              str(kMaxResult, "add_history: what the run achieved, in words")},
             {"scheduler",
              str(100,
                  "add_history: the scheduler, when the execution is not known to this server")},
             {"args", bj::object{{"type", "array"},
                                 {"maxItems", 128},
                                 {"items", bj::object{{"type", "string"}, {"maxLength", 4096}}}}},
             {"metrics",
              bj::object{
                  {"type", "object"},
                  {"additionalProperties", bj::object{{"type", "number"}}},
                  {"description",
                   "add_history: numbers such as {\"throughput_rps\": 1452, \"p99_ms\": 19.1}"}}},
             {"metric", str(64, "recommend: the metric to rank by")},
             {"goal", bj::object{{"enum", bj::array{"min", "max"}},
                                 {"description", "recommend: lower or higher is better"}}}}},
        {"required", bj::array{"command"}},
        {"additionalProperties", false}};
}

WorkloadStore::Query WorkloadOps::reading_query(const bj::object& args) const {
    const std::string command = sdk::json::required_string(args, "command");
    if (command == "list") return list_query();
    if (command == "get") return get_query(require(args, "workload_id", "get"));
    if (command == "get_history")
        return get_history_query(require(args, "workload_id", "get_history"));
    return nullptr;
}

std::optional<bj::object> WorkloadOps::run_cached(const bj::object& args) const {
    if (auto query = reading_query(args)) return store_.read_cached(query);
    return std::nullopt;
}

bj::object WorkloadOps::run(const bj::object& args) const {
    if (auto query = reading_query(args)) return store_.read(query);
    const std::string command = sdk::json::required_string(args, "command");
    if (command == "create") return create(args);
    if (command == "add_history") return add_history(args);
    if (command == "update") return update(args);
    if (command == "delete") return remove(args);
    if (command == "recommend") return recommend(args);
    throw InvalidArgument(
        "Unknown command: " + sdk::text::sanitize(command, 50) +
        ". Use create, list, get, get_history, add_history, update, delete or recommend");
}

bj::object WorkloadOps::create(const bj::object& args) const {
    std::string description = text_arg(args, "description", "create", kMaxDescription);
    std::string name = text_arg(args, "name", "create", kMaxName, false);
    if (name.empty()) {
        name = description.substr(0, 40);
        std::replace(name.begin(), name.end(), '\n', ' ');
    }
    return store_.modify([&](bj::object& root, bool& changed) {
        std::string id = uuid4();
        auto t = now();
        bj::object profile{{"id", id},
                           {"name", name},
                           {"description", description},
                           {"created_at", t},
                           {"updated_at", t}};
        root["profiles"].get_object()[id] = profile;
        changed = true;
        return bj::object{{"message", "Workload profile '" + id + "' created"},
                          {"workload_id", id},
                          {"profile", profile}};
    });
}

bj::object WorkloadOps::list() const {
    return store_.read(list_query());
}

WorkloadStore::Query WorkloadOps::list_query() {
    return [](const bj::object& root) {
        bj::array out;
        const auto& profiles = root.at("profiles").get_object();
        std::vector<const bj::object*> ps;
        for (const auto& kv : profiles) ps.push_back(&kv.value().get_object());
        std::stable_sort(ps.begin(), ps.end(), [](const bj::object* a, const bj::object* b) {
            return a->at("created_at").to_number<std::int64_t>() >
                   b->at("created_at").to_number<std::int64_t>();
        });
        for (const auto* p : ps) {
            bj::object o = *p;
            o["history_count"] = static_cast<std::int64_t>(
                history_count(root, std::string(p->at("id").get_string())));
            out.push_back(std::move(o));
        }
        return bj::object{{"profiles", std::move(out)}};
    };
}

bj::object WorkloadOps::get(const bj::object& args) const {
    return store_.read(get_query(require(args, "workload_id", "get")));
}

WorkloadStore::Query WorkloadOps::get_query(std::string id) {
    return [id = std::move(id)](const bj::object& root) {
        return bj::object{{"profile", profile_of(root, id)},
                          {"history_count", static_cast<std::int64_t>(history_count(root, id))}};
    };
}

bj::object WorkloadOps::get_history(const bj::object& args) const {
    return store_.read(get_history_query(require(args, "workload_id", "get_history")));
}

WorkloadStore::Query WorkloadOps::get_history_query(std::string id) {
    return [id = std::move(id)](const bj::object& root) {
        return bj::object{{"profile", profile_of(root, id)}, {"history", history_of(root, id)}};
    };
}

// One add_history request, checked and resolved (outside the store's lock: the runner is
// asked for the execution's scheduler), ready to append.
struct WorkloadOps::PreparedEntry {
    std::string workload_id;
    bj::object entry;  // everything but the id and the time
    bool scheduler_unknown = false;
};

WorkloadOps::PreparedEntry WorkloadOps::prepare_history(const bj::object& args) const {
    std::string workload_id = require(args, "workload_id", "add_history");
    std::string execution_id = require(args, "execution_id", "add_history");
    std::string result = text_arg(args, "result_description", "add_history", kMaxResult);
    auto scheduler = sdk::json::optional_string(args, "scheduler");
    auto exec_args = sdk::json::optional_string_array(args, "args");
    bj::object metrics;
    if (auto* m = args.if_contains("metrics"); m && !m->is_null()) {
        if (!m->is_object()) throw InvalidArgument("metrics must be an object of numbers");
        if (m->get_object().size() > kMaxMetrics)
            throw InvalidArgument("at most " + std::to_string(kMaxMetrics) + " metrics per entry");
        static const std::regex key_re("[A-Za-z0-9_.%/-]{1,64}");
        for (const auto& kv : m->get_object()) {
            std::string k(kv.key());
            if (!std::regex_match(k, key_re))
                throw InvalidArgument("metric name '" + sdk::text::sanitize(k, 70) +
                                      "' must be 1-64 characters of letters, digits and _ . % / -");
            if (!kv.value().is_number() || !std::isfinite(kv.value().to_number<double>()))
                throw InvalidArgument("metrics." + k + " must be a finite number");
            metrics[k] = kv.value();
        }
    }
    // The execution's scheduler and arguments come from the runner when it knows the
    // execution. An execution it does not know (a run from before a restart, or from another
    // tool) is recorded as SchedCP records it: with the scheduler given, else "unknown".
    std::string mode;
    if (auto runner = services_.find<sdk::services::SchedulerRunner>()) {
        if (auto e = runner->find(execution_id)) {
            if (!scheduler) scheduler = e->scheduler;
            if (!exec_args) exec_args = e->args;
            mode = e->mode;
        }
    }
    PreparedEntry p{.workload_id = workload_id, .scheduler_unknown = !scheduler};
    bj::array a;
    for (const auto& s : exec_args.value_or(std::vector<std::string>{})) a.push_back(bj::string(s));
    p.entry = bj::object{{"workload_id", workload_id},
                         {"execution_id", execution_id},
                         {"scheduler_name", scheduler.value_or("unknown")},
                         {"args", std::move(a)},
                         {"result_description", result},
                         {"created_at", 0}};  // set when appended
    if (!mode.empty()) p.entry["mode"] = mode;
    if (!metrics.empty()) p.entry["metrics"] = metrics;
    return p;
}

std::vector<bj::object> WorkloadOps::append_history(std::vector<PreparedEntry> entries) const {
    std::vector<bj::object> added;
    store_.modify([&](bj::object& root, bool& changed) {
        for (const auto& p : entries) profile_of(root, p.workload_id);  // all, or none
        const auto t = now();
        for (auto& p : entries) {
            bj::object entry{{"id", uuid4()}};
            for (auto& kv : p.entry) entry[kv.key()] = std::move(kv.value());
            entry["created_at"] = t;  // keeps its place after result_description
            root["history"].get_array().push_back(entry);
            root["profiles"].get_object()[p.workload_id].get_object()["updated_at"] = t;
            added.push_back(std::move(entry));
        }
        changed = !entries.empty();
        return bj::object{};
    });
    return added;
}

bj::object WorkloadOps::add_history(const bj::object& args) const {
    std::vector<PreparedEntry> one;
    one.push_back(prepare_history(args));
    const bool scheduler_unknown = one.front().scheduler_unknown;
    bj::object entry = std::move(append_history(std::move(one)).front());
    std::string message = "Execution history added";
    if (scheduler_unknown)
        message += "; execution '" +
                   sdk::text::sanitize(entry.at("execution_id").as_string(), 100) +
                   "' is not known to this server, so its scheduler is recorded as "
                   "'unknown' (pass scheduler and args to record them)";
    std::string id(entry.at("id").as_string());
    return bj::object{{"history_id", id}, {"message", message}, {"entry", std::move(entry)}};
}

std::vector<std::string> WorkloadOps::add_history_all(
    const std::vector<bj::object>& requests) const {
    std::vector<PreparedEntry> entries;
    for (const auto& r : requests) entries.push_back(prepare_history(r));
    std::vector<std::string> ids;
    for (const auto& e : append_history(std::move(entries)))
        ids.emplace_back(e.at("id").as_string());
    return ids;
}

bj::object WorkloadOps::update(const bj::object& args) const {
    std::string id = require(args, "workload_id", "update");
    std::string description = text_arg(args, "description", "update", kMaxDescription);
    return store_.modify([&](bj::object& root, bool& changed) {
        profile_of(root, id);
        auto& p = root["profiles"].get_object()[id].get_object();
        p["description"] = description;
        p["updated_at"] = now();
        changed = true;
        return bj::object{{"message", "Workload profile '" + id + "' updated"}, {"profile", p}};
    });
}

bj::object WorkloadOps::remove(const bj::object& args) const {
    std::string id = require(args, "workload_id", "delete");
    return store_.modify([&](bj::object& root, bool& changed) {
        profile_of(root, id);
        root["profiles"].get_object().erase(id);
        auto& h = root["history"].get_array();
        std::size_t before = h.size();
        h.erase(std::remove_if(
                    h.begin(), h.end(),
                    [&](const bj::value& e) { return e.at("workload_id").get_string() == id; }),
                h.end());
        changed = true;
        return bj::object{{"message", "Workload profile '" + id + "' deleted"},
                          {"workload_id", id},
                          {"deleted_history", static_cast<std::int64_t>(before - h.size())}};
    });
}

bj::object WorkloadOps::recommend(const bj::object& args) const {
    std::string id = require(args, "workload_id", "recommend");
    std::string metric = require(args, "metric", "recommend");
    std::string goal = sdk::json::optional_string(args, "goal").value_or("");
    if (goal != "min" && goal != "max")
        throw InvalidArgument("goal is required for recommend command: min or max");
    return store_.read([&](const bj::object& root) {
        profile_of(root, id);
        struct Group {
            std::string scheduler;
            bj::array args;
            std::vector<double> values;
            std::string last_execution;
        };
        std::map<std::string, Group> groups;  // by scheduler + args: one configuration
        std::size_t without = 0;
        std::set<std::string> seen_metrics;
        const auto& h = root.at("history").get_array();
        for (const auto& v : h) {
            const auto& e = v.get_object();
            if (e.at("workload_id").get_string() != id) continue;
            const bj::object* m = e.if_contains("metrics") ? e.at("metrics").if_object() : nullptr;
            if (m)
                for (const auto& kv : *m) seen_metrics.insert(std::string(kv.key()));
            if (!m || !m->contains(metric) || !m->at(metric).is_number()) {
                ++without;
                continue;
            }
            std::string key = std::string(e.at("scheduler_name").get_string()) + "\x1f" +
                              sdk::json::compact(e.at("args"));
            auto& g = groups[key];
            g.scheduler = e.at("scheduler_name").get_string();
            g.args = e.at("args").get_array();
            g.values.push_back(m->at(metric).to_number<double>());
            g.last_execution = e.at("execution_id").get_string();
        }
        if (groups.empty()) {
            std::string known;
            for (const auto& s : seen_metrics) known += (known.empty() ? "" : ", ") + s;
            throw sdk::NotFound(
                "no run of workload '" + id + "' recorded the metric '" + metric + "'" +
                (known.empty()
                     ? std::string(" (no run recorded any metrics; add them with add_history)")
                     : " (recorded metrics: " + known + ")"));
        }
        std::vector<bj::object> ranking;
        for (auto& [key, g] : groups) {
            double sum = 0, best = g.values[0], worst = g.values[0];
            for (double x : g.values) {
                sum += x;
                best = goal == "min" ? std::min(best, x) : std::max(best, x);
                worst = goal == "min" ? std::max(worst, x) : std::min(worst, x);
            }
            ranking.push_back(bj::object{{"scheduler", g.scheduler},
                                         {"args", g.args},
                                         {"runs", static_cast<std::int64_t>(g.values.size())},
                                         {"mean", sum / static_cast<double>(g.values.size())},
                                         {"best", best},
                                         {"worst", worst},
                                         {"last_execution_id", g.last_execution}});
        }
        std::stable_sort(ranking.begin(), ranking.end(),
                         [&](const bj::object& a, const bj::object& b) {
                             double x = a.at("mean").as_double(), y = b.at("mean").as_double();
                             return goal == "min" ? x < y : x > y;
                         });
        bj::array out;
        std::size_t rank = 1;
        for (auto& r : ranking) {
            r["rank"] = static_cast<std::int64_t>(rank++);
            out.push_back(std::move(r));
        }
        return bj::object{{"workload_id", id},
                          {"metric", metric},
                          {"goal", goal},
                          {"ranking", std::move(out)},
                          {"runs_without_metric", static_cast<std::int64_t>(without)}};
    });
}

bj::object WorkloadOps::import_file(const std::string& path) const {
    auto text = sdk::storage::read_file(path);
    if (!text) throw sdk::NotFound("no such file: " + path);
    boost::system::error_code ec;
    bj::value incoming = bj::parse(*text, ec);
    if (ec) throw InvalidArgument(path + " is not valid JSON: " + ec.message());
    if (auto problem = WorkloadStore::check(incoming); !problem.empty())
        throw InvalidArgument(path + " is not a workload store: " + problem);
    return store_.modify([&](bj::object& root, bool& changed) {
        std::size_t profiles = 0, entries = 0, skipped = 0;
        auto& mine = root["profiles"].get_object();
        for (const auto& kv : incoming.get_object().at("profiles").get_object()) {
            if (mine.contains(kv.key())) {
                ++skipped;
                continue;
            }
            mine[kv.key()] = kv.value();
            ++profiles;
        }
        std::set<std::string> ids;
        auto& history = root["history"].get_array();
        for (const auto& e : history) ids.insert(std::string(e.at("id").get_string()));
        for (const auto& e : incoming.get_object().at("history").get_array()) {
            if (ids.count(std::string(e.at("id").get_string()))) {
                ++skipped;
                continue;
            }
            history.push_back(e);
            ++entries;
        }
        changed = profiles + entries > 0;
        return bj::object{
            {"message", "imported " + std::to_string(profiles) + " profiles and " +
                            std::to_string(entries) + " history entries from " + path},
            {"profiles", static_cast<std::int64_t>(profiles)},
            {"history", static_cast<std::int64_t>(entries)},
            {"skipped_existing", static_cast<std::int64_t>(skipped)}};
    });
}

}  // namespace schedcp::plugins::workloads
