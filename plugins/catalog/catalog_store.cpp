#include "catalog_store.hpp"

#include <algorithm>
#include <regex>
#include <set>
#include <stdexcept>

#include <boost/json/parse.hpp>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::catalog {

namespace bj = boost::json;

namespace {

void require(bool ok, const std::string& where, const std::string& what) {
    if (!ok) throw std::runtime_error("catalog data: " + where + ": " + what);
}

SchedulerEntry parse_entry(const bj::value& v, std::size_t index) {
    std::string where = "schedulers[" + std::to_string(index) + "]";
    require(v.is_object(), where, "must be an object");
    const auto& o = v.get_object();
    auto str = [&](const char* key) {
        auto* f = o.if_contains(key);
        require(f && f->is_string() && !f->get_string().empty(), where + "." + key,
                "must be a non-empty string");
        return std::string(f->get_string());
    };
    SchedulerEntry e;
    e.name = str("name");
    where += " (" + e.name + ")";
    static const std::regex name_re("scx_[a-z0-9_]+");
    require(std::regex_match(e.name, name_re), where, "name must match scx_[a-z0-9_]+");
    for (const char* key :
         {"description", "algorithm", "characteristics", "limitations", "performance_profile"})
        str(key);
    auto* ready = o.if_contains("production_ready");
    require(ready && ready->is_bool(), where + ".production_ready", "must be a boolean");
    e.production_ready = ready->get_bool();
    auto* uses = o.if_contains("use_cases");
    require(uses && uses->is_array(), where + ".use_cases", "must be an array of strings");
    for (const auto& u : uses->get_array())
        require(u.is_string(), where + ".use_cases", "must be an array of strings");
    auto* params = o.if_contains("tuning_parameters");
    require(params && params->is_object(), where + ".tuning_parameters", "must be an object");
    static const std::set<std::string> types = {"integer", "float", "boolean", "string"};
    for (const auto& p : params->get_object()) {
        std::string pw = where + ".tuning_parameters." + std::string(p.key());
        require(p.value().is_object(), pw, "must be an object");
        const auto& po = p.value().get_object();
        auto* type = po.if_contains("type");
        require(type && type->is_string() && types.count(std::string(type->get_string())),
                pw + ".type", "must be integer, float, boolean or string");
        auto* flag = po.if_contains("flag");
        require(flag && flag->is_string() && flag->get_string().starts_with("-"), pw + ".flag",
                "must be the command-line flag");
        auto* desc = po.if_contains("description");
        require(desc && desc->is_string(), pw + ".description", "must be a string");
        // false marks a parameter that names a file to write or a program to run: never
        // passed to a scheduler, which runs as root (plugins/runner/guard/scheduler_args.hpp).
        if (auto* safe = po.if_contains("root_safe"))
            require(safe->is_bool(), pw + ".root_safe", "must be a boolean");
    }
    auto* origin = o.if_contains("origin");
    require(origin && origin->is_object(), where + ".origin", "must be an object");
    if (auto* modes = o.if_contains("modes")) {
        require(modes->is_object(), where + ".modes", "must be an object");
        for (const auto& m : modes->get_object()) {
            std::string mode(m.key());
            bool known = std::find(std::begin(sdk::services::kSchedulerModes),
                                   std::end(sdk::services::kSchedulerModes),
                                   mode) != std::end(sdk::services::kSchedulerModes);
            require(known, where + ".modes." + mode, "unknown mode");
            require(m.value().is_array(), where + ".modes." + mode, "must be an array of strings");
            std::vector<std::string> flags;
            for (const auto& f : m.value().get_array()) {
                require(f.is_string(), where + ".modes." + mode, "must be an array of strings");
                flags.emplace_back(f.get_string());
            }
            e.modes[mode] = std::move(flags);
        }
    }
    e.metadata = o;
    return e;
}

}  // namespace

std::vector<SchedulerEntry> parse_catalog(std::string_view json_text) {
    boost::system::error_code ec;
    bj::value root = bj::parse(json_text, ec);
    if (ec) throw std::runtime_error("catalog data: not valid JSON: " + ec.message());
    require(root.is_object(), "(top level)", "must be an object");
    auto* version = root.get_object().if_contains("schema_version");
    require(version && version->is_int64() && version->get_int64() == 1, "schema_version",
            "must be 1");
    auto* list = root.get_object().if_contains("schedulers");
    require(list && list->is_array(), "schedulers", "must be an array");
    std::vector<SchedulerEntry> out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->get_array().size(); ++i) {
        auto e = parse_entry(list->get_array()[i], i);
        require(seen.insert(e.name).second, "schedulers[" + std::to_string(i) + "]",
                "duplicate name " + e.name);
        out.push_back(std::move(e));
    }
    return out;
}

CatalogStore::CatalogStore(std::vector<SchedulerEntry> builtins) : builtins_(std::move(builtins)) {
    std::sort(builtins_.begin(), builtins_.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
}

std::vector<SchedulerEntry> CatalogStore::list() const {
    std::lock_guard lock(mutex_);
    std::vector<SchedulerEntry> all = builtins_;
    all.insert(all.end(), customs_.begin(), customs_.end());
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return all;
}

std::optional<SchedulerEntry> CatalogStore::find(std::string_view name) const {
    std::lock_guard lock(mutex_);
    for (const auto* list : {&builtins_, &customs_})
        for (const auto& e : *list)
            if (e.name == name) return e;
    return std::nullopt;
}

std::vector<std::string> CatalogStore::close_matches(std::string_view name) const {
    std::vector<std::string> names;
    for (const auto& e : list()) names.push_back(e.name);
    return sdk::text::close_matches(name, names);
}

void CatalogStore::add_custom(SchedulerEntry entry) {
    std::lock_guard lock(mutex_);
    for (const auto& b : builtins_)
        if (b.name == entry.name)
            throw sdk::Conflict("'" + entry.name +
                                "' is a built-in scheduler; choose another name");
    entry.custom = true;
    entry.metadata["custom"] = true;
    for (auto& c : customs_)
        if (c.name == entry.name) {
            c = std::move(entry);
            return;
        }
    customs_.push_back(std::move(entry));
}

}  // namespace schedcp::plugins::catalog
