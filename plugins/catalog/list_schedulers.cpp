#include "list_schedulers.hpp"

#include <algorithm>
#include <sstream>

#include <boost/json/monotonic_resource.hpp>

#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/services/scheduler_catalog.hpp"
#include "schedcp/sdk/system.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::catalog {

namespace bj = boost::json;
using sdk::services::SchedulerEntry;

namespace {

char lower_ascii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string s) {
    for (auto& c : s) c = lower_ascii(c);
    return s;
}

// Whether `needle` (already lower case) occurs in `text`, ignoring ASCII case; without
// a lower-cased copy of every name on every call.
bool contains_ignoring_case(std::string_view text, std::string_view needle) {
    if (needle.size() > text.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && lower_ascii(text[i + k]) == needle[k]) ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

}  // namespace

// The runner owns the search path and publishes a locator; without it (a catalog-only
// config) we search $PATH.
std::optional<std::string> locate(const SchedulerEntry& e, const sdk::ServiceRegistry& services) {
    if (auto locator = services.find<sdk::services::SchedulerLocator>()) return locator->locate(e);
    if (!e.launch.empty()) {
        std::error_code ec;
        for (const auto& part : e.launch)
            if (part.starts_with("/") && !std::filesystem::exists(part, ec)) return std::nullopt;
        return e.launch.front();
    }
    if (auto p = sdk::system::find_executable(e.name, {})) return p->string();
    return std::nullopt;
}

std::string name_needle(const ListFilter& filter) {
    return filter.name ? lower(*filter.name) : "";
}

bool matches(const SchedulerEntry& e, const ListFilter& filter, const std::string& needle) {
    if (filter.name && !contains_ignoring_case(e.name, needle)) return false;
    return !filter.production_ready || e.production_ready == *filter.production_ready;
}

namespace {

// A JSON value as a person reads it: strings without quotes, numbers in their shortest
// round-trip form, lists joined by ", ", a [low, high] range as "low..high".
std::string plain(const bj::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_array()) {
        std::string out;
        for (const auto& e : v.get_array()) out += (out.empty() ? "" : ", ") + plain(e);
        return out;
    }
    return sdk::json::compact(v);
}

std::string plain_range(const bj::value& v) {
    if (v.is_array() && v.get_array().size() == 2)
        return plain(v.get_array()[0]) + ".." + plain(v.get_array()[1]);
    return plain(v);
}

std::string shorten(const std::string& s, std::size_t n) {
    if (s.size() <= n) return s;
    std::size_t cut = s.rfind(' ', n - 3);
    if (cut == std::string::npos || cut < n / 2) cut = n - 3;
    return s.substr(0, cut) + "...";
}

}  // namespace

bj::object scheduler_item(const SchedulerEntry& e, const sdk::ServiceRegistry& services,
                          const HostFit* fit) {
    bj::object item = e.metadata;
    item["custom"] = e.custom;
    auto path = locate(e, services);
    item["installed"] = path.has_value();
    item["path"] = path ? bj::value(*path) : bj::value(nullptr);
    if (fit)
        if (auto f = fit->by_name.find(e.name); f != fit->by_name.end()) item["fit"] = f->second;
    return item;
}

ListFilter filter_from_args(const bj::object& args) {
    ListFilter f;
    if (auto* n = args.if_contains("name"); n && n->is_string() && !n->get_string().empty())
        f.name = std::string(n->get_string());
    if (auto* p = args.if_contains("production_ready"); p && p->is_bool())
        f.production_ready = p->get_bool();
    return f;
}

bj::object fit_host_of(const HostFit* fit) {
    // No judgement (no topology to judge on): no facts. (This once returned a JSON Schema
    // describing the field, as data.)
    return fit ? to_json(fit->facts) : bj::object{};
}

bj::object list_schedulers(const sdk::services::SchedulerCatalog& catalog,
                           const sdk::ServiceRegistry& services, const ListFilter& filter,
                           std::string_view scx_release, const HostFit* fit) {
    // The returned entries are copies of the catalog's (it can change under a later call);
    // all of the result lives in one monotonic arena, released at once with the result,
    // instead of one allocation and one free per string, array and object copied.
    bj::storage_ptr arena = bj::make_shared_resource<bj::monotonic_resource>();
    bj::array out(arena);
    std::size_t installed = 0;
    const std::string needle = name_needle(filter);
    const auto entries = catalog.snapshot();  // shared, not copied
    for (const auto& e : *entries) {
        if (!matches(e, filter, needle)) continue;
        bj::object& item = out.emplace_back(bj::object(e.metadata, arena)).get_object();
        item["custom"] = e.custom;
        auto path = locate(e, services);
        item["installed"] = path.has_value();
        item["path"] = path ? bj::value(*path, arena) : bj::value(nullptr);
        if (path) ++installed;
        if (fit)
            if (auto f = fit->by_name.find(e.name); f != fit->by_name.end())
                item["fit"] = f->second;
    }
    auto count = static_cast<std::int64_t>(out.size());
    bj::object result(arena);
    result.reserve(5);
    result.emplace("schedulers", std::move(out));
    result.emplace("count", count);
    result.emplace("installed_count", static_cast<std::int64_t>(installed));
    result.emplace("fit_host", fit_host_of(fit));
    result.emplace("scx_release", scx_release);
    return result;
}

bj::object list_input_schema() {
    return bj::object{
        {"type", "object"},
        {"properties",
         bj::object{
             {"name",
              bj::object{{"type", bj::array{"string", "null"}},
                         {"maxLength", 100},
                         {"description",
                          "Filter by scheduler name (case-insensitive substring, e.g. \"rusty\"). "
                          "Leave out to list all."}}},
             {"production_ready",
              bj::object{
                  {"anyOf", bj::array{bj::object{{"type", "boolean"}}, bj::object{{"type", "null"}},
                                      bj::object{{"const", ""}}}},
                  {"description",
                   "Only production-ready (true) or only experimental (false) "
                   "schedulers. Leave out to list all."}}}}},
        {"additionalProperties", false}};
}

namespace {
bj::object fit_schema() {
    const bj::object verdict{{"enum", bj::array{"good", "poor", "neutral"}}};
    return bj::object{
        {"type", "object"},
        {"description",
         "how well the scheduler suits this host's CPU layout, from the catalog's rules (each "
         "citing the scheduler's documentation): poor if any applying rule says poor, else good "
         "if any says good, else neutral"},
        {"properties",
         bj::object{
             {"verdict", verdict},
             {"matched",
              bj::object{
                  {"type", "array"},
                  {"items", bj::object{{"type", "object"},
                                       {"properties",
                                        bj::object{{"verdict", verdict},
                                                   {"reason", bj::object{{"type", "string"}}},
                                                   {"based_on", bj::object{{"type", "string"}}},
                                                   {"when", bj::object{{"type", "object"}}}}},
                                       {"required",
                                        bj::array{"verdict", "reason", "based_on", "when"}}}}}}}},
        {"required", bj::array{"verdict", "matched"}}};
}
}  // namespace

bj::object list_output_schema() {
    return bj::object{
        {"type", "object"},
        {"properties",
         bj::object{
             {"schedulers",
              bj::object{
                  {"type", "array"},
                  {"items",
                   bj::object{
                       {"type", "object"},
                       {"properties",
                        bj::object{{"name", bj::object{{"type", "string"}}},
                                   {"production_ready", bj::object{{"type", "boolean"}}},
                                   {"installed", bj::object{{"type", "boolean"}}},
                                   {"path", bj::object{{"type", bj::array{"string", "null"}}}},
                                   {"custom", bj::object{{"type", "boolean"}}},
                                   {"fit", fit_schema()}}},
                       {"required",
                        bj::array{"name", "production_ready", "description", "algorithm",
                                  "use_cases", "characteristics", "tuning_parameters",
                                  "limitations", "performance_profile", "installed"}}}}}},
             {"count", bj::object{{"type", "integer"}}},
             {"installed_count", bj::object{{"type", "integer"}}},
             {"scx_release",
              bj::object{{"type", "string"},
                         {"description",
                          "sched-ext/scx release whose command-line definitions the tuning "
                          "parameters were checked against"}}},
             {"fit_host",
              bj::object{{"type", "object"},
                         {"description", "the host facts each scheduler's fit was judged on"}}}}},
        {"required",
         bj::array{"schedulers", "count", "installed_count", "scx_release", "fit_host"}},
        {"additionalProperties", false}};
}

std::string render_table(const bj::object& result) {
    sdk::text::Table t({"NAME", "READY", "INSTALLED", "ALGORITHM", "DESCRIPTION"});
    for (const auto& v : result.at("schedulers").get_array()) {
        const auto& s = v.get_object();
        std::string installed =
            s.at("installed").get_bool() ? std::string(s.at("path").get_string()) : "-";
        std::string ready = s.at("production_ready").get_bool() ? "yes" : "no";
        if (s.at("custom").get_bool()) ready += " (custom)";
        t.add_row({std::string(s.at("name").get_string()), ready, installed,
                   std::string(s.at("algorithm").get_string()),
                   shorten(std::string(s.at("description").get_string()), 60)});
    }
    std::ostringstream os;
    if (t.empty()) {
        os << "No scheduler matches.\n";
        return os.str();
    }
    os << t.render() << "\n"
       << result.at("count").to_number<std::int64_t>() << " schedulers, "
       << result.at("installed_count").to_number<std::int64_t>()
       << " installed here. Details: schedcp-cli list --name NAME --long\n";
    if (auto* r = result.if_contains("scx_release"); r && r->is_string())
        os << "Tuning parameters as of sched-ext/scx " << plain(*r) << ".\n";
    return os.str();
}

namespace {
// "Fit here:    poor" and each applying rule's reason with what it rests on.
std::string render_fit(const bj::object& scheduler) {
    const auto* fit = scheduler.if_contains("fit");
    if (!fit || !fit->is_object()) return "";
    const auto& matched = fit->at("matched").as_array();
    std::string out = "Fit here:    " + plain(fit->at("verdict"));
    if (matched.empty()) out += " (no rule of its applies to this host's layout)";
    out += "\n";
    for (const auto& m : matched)
        out += "  " + plain(m.at("verdict")) + ": " + plain(m.at("reason")) + " [" +
               plain(m.at("based_on")) + "]\n";
    return out;
}
}  // namespace

std::string render_long(const bj::object& result) {
    std::ostringstream os;
    for (const auto& v : result.at("schedulers").get_array()) {
        const auto& s = v.get_object();
        auto text = [&](const char* k) {
            auto* f = s.if_contains(k);
            return f && f->is_string() ? std::string(f->get_string()) : std::string();
        };
        os << std::string(78, '=') << "\n"
           << text("name")
           << (s.at("production_ready").get_bool() ? "  [production ready]" : "  [experimental]")
           << (s.at("custom").get_bool() ? "  [custom]" : "") << "\n"
           << "Installed:   " << (s.at("installed").get_bool() ? text("path") : "no") << "\n"
           << render_fit(s) << "Algorithm:   " << text("algorithm") << "\n";
        if (auto* origin = s.if_contains("origin"); origin && origin->is_object()) {
            const auto& o = origin->get_object();
            if (auto* p = o.if_contains("project"); p && p->is_string()) {
                os << "Origin:      " << plain(*p);
                if (auto* path = o.if_contains("path"); path && path->is_string())
                    os << " " << plain(*path);
                os << "\n";
            }
        }
        os << "\n"
           << text("description") << "\n\nCharacteristics: " << text("characteristics") << "\n";
        if (auto* uses = s.if_contains("use_cases"); uses && uses->is_array()) {
            os << "Use cases:   " << plain(*uses) << "\n";
        }
        if (auto* params = s.if_contains("tuning_parameters");
            params && params->is_object() && !params->get_object().empty()) {
            os << "\nTuning parameters:\n";
            for (const auto& p : params->get_object()) {
                const auto& po = p.value().get_object();
                os << "  " << plain(po.at("flag"));
                if (auto* f = po.if_contains("short_flag")) os << ", " << plain(*f);
                os << " (" << plain(po.at("type"));
                if (auto* d = po.if_contains("default")) os << ", default " << plain(*d);
                if (auto* r = po.if_contains("range")) os << ", range " << plain_range(*r);
                if (auto* c = po.if_contains("choices")) os << ", one of " << plain(*c);
                os << ")\n      " << plain(po.at("description")) << "\n";
            }
        }
        if (auto* modes = s.if_contains("modes"); modes && modes->is_object()) {
            os << "\nModes (scx_loader):\n";
            for (const auto& m : modes->get_object()) {
                os << "  " << m.key() << ":";
                if (m.value().get_array().empty()) os << " (default flags)";
                for (const auto& f : m.value().get_array()) os << " " << plain(f);
                os << "\n";
            }
        }
        if (auto* omitted = s.if_contains("omitted_options");
            omitted && omitted->is_array() && !omitted->get_array().empty()) {
            os << "\nLeft out on purpose:\n";
            for (const auto& o : omitted->get_array())
                os << "  " << plain(o.at("flag")) << ": " << plain(o.at("reason")) << "\n";
        }
        os << "\nLimitations: " << text("limitations")
           << "\nPerformance: " << text("performance_profile") << "\n";
        if (auto r = text("requirements"); !r.empty()) os << "Requirements: " << r << "\n";
    }
    if (result.at("schedulers").get_array().empty()) os << "No scheduler matches.\n";
    if (auto* host = result.if_contains("fit_host");
        host && host->is_object() && !host->get_object().empty()) {
        os << "\nFit judged on this host's";
        for (const auto& [fact, value] : host->get_object())
            os << " " << std::string(fact) << "=" << plain(value);
        os << "\n";
    }
    return os.str();
}

}  // namespace schedcp::plugins::catalog
