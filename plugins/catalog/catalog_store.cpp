#include "catalog_store.hpp"

#include <algorithm>
#include <cctype>
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

bool is_number(const bj::value& v) {
    return v.is_int64() || v.is_uint64() || v.is_double();
}

// A value of the parameter's type: what the runner's check would let through for it (a
// string parameter's value is text; a switch's default is false or true).
bool has_type(const bj::value& v, std::string_view type) {
    if (type == "integer") return v.is_int64() || v.is_uint64();
    if (type == "float") return is_number(v);
    if (type == "boolean") return v.is_bool();
    return v.is_string();
}

// One tuning parameter: {type, flag, short_flag?, default?, range?, choices?, root_safe?,
// description}. Types are the ones the runner's argument check understands
// (plugins/runner/guard/scheduler_args.hpp).
void check_parameter(const bj::value& v, const std::string& pw) {
    require(v.is_object(), pw, "must be an object");
    const auto& po = v.get_object();
    auto* type = po.if_contains("type");
    // The runner's argument check knows these four (scheduler_args::parse_type); plugins do
    // not include each other, so the words are repeated here.
    static const std::set<std::string, std::less<>> types = {"integer", "float", "boolean",
                                                             "string"};
    require(type && type->is_string() && types.contains(std::string_view(type->get_string())),
            pw + ".type", "must be integer, float, boolean or string");
    const std::string_view t = type->get_string();
    auto* flag = po.if_contains("flag");
    require(flag && flag->is_string() && flag->get_string().starts_with("-"), pw + ".flag",
            "must be the command-line flag");
    if (auto* s = po.if_contains("short_flag")) {
        // -[A-Za-z0-9], checked by hand: a std::regex costs start-up time for nothing.
        auto is_short_flag = [](std::string_view f) {
            return f.size() == 2 && f[0] == '-' && std::isalnum(static_cast<unsigned char>(f[1]));
        };
        require(s->is_string() && is_short_flag(s->get_string()), pw + ".short_flag",
                "must be a dash and one letter or digit");
    }
    auto* desc = po.if_contains("description");
    require(desc && desc->is_string(), pw + ".description", "must be a string");
    // false marks a parameter that names a file to write or a program to run: never
    // passed to a scheduler, which runs as root (plugins/runner/guard/scheduler_args.hpp).
    if (auto* safe = po.if_contains("root_safe"))
        require(safe->is_bool(), pw + ".root_safe", "must be a boolean");
    const bj::value* dflt = po.if_contains("default");
    if (dflt) require(has_type(*dflt, t), pw + ".default", "must be a " + std::string(t));
    if (auto* range = po.if_contains("range")) {
        require(t == "integer" || t == "float", pw + ".range", "only numbers have a range");
        const auto* r = range->if_array();
        require(r && r->size() == 2 && is_number((*r)[0]) && is_number((*r)[1]) &&
                    (*r)[0].to_number<double>() <= (*r)[1].to_number<double>(),
                pw + ".range", "must be [low, high] with low <= high");
        if (dflt) {
            const double d = dflt->to_number<double>();
            require((*r)[0].to_number<double>() <= d && d <= (*r)[1].to_number<double>(),
                    pw + ".default", "must lie within range");
        }
    }
    if (auto* choices = po.if_contains("choices")) {
        require(t == "string", pw + ".choices", "only string parameters have choices");
        const auto* c = choices->if_array();
        require(c && !c->empty() &&
                    std::all_of(c->begin(), c->end(), [](auto& x) { return x.is_string(); }),
                pw + ".choices", "must be a non-empty array of strings");
        if (dflt)
            require(std::find(c->begin(), c->end(), *dflt) != c->end(), pw + ".default",
                    "must be one of the choices");
    }
}

bool declares_flag(const bj::object& params, std::string_view flag) {
    return std::any_of(params.begin(), params.end(), [&](const auto& p) {
        const auto* f = p.value().as_object().if_contains("flag");
        return f && f->is_string() && f->get_string() == flag;
    });
}

// Options the scheduler accepts that the catalog leaves out on purpose, each with why.
void check_omitted(const bj::value& v, const std::string& where) {
    const std::string ow = where + ".omitted_options";
    require(v.is_array(), ow, "must be an array of {flag, reason}");
    for (const auto& item : v.get_array()) {
        const auto* o = item.if_object();
        require(o && o->contains("flag") && o->at("flag").is_string() && o->contains("reason") &&
                    o->at("reason").is_string() && !o->at("reason").get_string().empty(),
                ow, "must be an array of {flag, reason}");
    }
}

// Takes `v`'s object as the entry's metadata (moved, not copied) once it has been checked.
SchedulerEntry parse_entry(bj::value& v, std::size_t index, std::vector<FitRule>& fit_rules) {
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
    // scx_[a-z0-9_]+: scx_ then the rest of a lower-case name.
    const bool name_ok = e.name.starts_with("scx_") && e.name.size() > 4 &&
                         sdk::text::is_lower_name("s" + e.name.substr(4), e.name.size(), '_');
    require(name_ok, where, "name must match scx_[a-z0-9_]+");
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
    for (const auto& p : params->get_object())
        check_parameter(p.value(), where + ".tuning_parameters." + std::string(p.key()));
    if (auto* omitted = o.if_contains("omitted_options")) check_omitted(*omitted, where);
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
                // A mode is trusted data the runner passes as is: it may only use the
                // parameters' declared (long) flags, so list_schedulers explains every one.
                if (flags.back().starts_with("-"))
                    require(declares_flag(params->get_object(), flags.back()),
                            where + ".modes." + mode,
                            "uses '" + flags.back() + "', which is not a tuning parameter's flag");
            }
            e.modes[mode] = std::move(flags);
        }
    }
    // The rules stay in the catalog: list_schedulers shows their verdict for this host.
    const bool has_rules = o.contains("fit_rules");
    if (has_rules) fit_rules = parse_fit_rules(o.at("fit_rules"), where);
    e.metadata = std::move(v.get_object());
    if (has_rules) e.metadata.erase("fit_rules");
    return e;
}

}  // namespace

std::vector<SchedulerEntry> parse_catalog(std::string_view json_text, std::string* scx_release,
                                          FitRuleBook* fit_rules) {
    boost::system::error_code ec;
    bj::value root = bj::parse(json_text, ec);
    if (ec) throw std::runtime_error("catalog data: not valid JSON: " + ec.message());
    require(root.is_object(), "(top level)", "must be an object");
    auto* version = root.get_object().if_contains("schema_version");
    require(version && version->is_int64() && version->get_int64() == 1, "schema_version",
            "must be 1");
    // The sched-ext/scx release whose command-line definitions the data was checked against.
    auto* release = root.get_object().if_contains("scx_release");
    require(release && release->is_string() && !release->get_string().empty(), "scx_release",
            "must be the sched-ext/scx release tag the data describes");
    if (scx_release) *scx_release = std::string(release->get_string());
    auto* list = root.get_object().if_contains("schedulers");
    require(list && list->is_array(), "schedulers", "must be an array");
    std::vector<SchedulerEntry> out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->get_array().size(); ++i) {
        std::vector<FitRule> rules;
        auto e = parse_entry(list->get_array()[i], i, rules);  // the document is not kept
        require(seen.insert(e.name).second, "schedulers[" + std::to_string(i) + "]",
                "duplicate name " + e.name);
        if (fit_rules && !rules.empty()) (*fit_rules)[e.name] = std::move(rules);
        out.push_back(std::move(e));
    }
    return out;
}

namespace {
std::shared_ptr<const std::vector<SchedulerEntry>> by_name(std::vector<SchedulerEntry> entries) {
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return std::make_shared<const std::vector<SchedulerEntry>>(std::move(entries));
}
}  // namespace

CatalogStore::CatalogStore(std::vector<SchedulerEntry> builtins)
    : builtins_(by_name(std::move(builtins))) {
    std::lock_guard lock(mutex_);
    publish();
}

void CatalogStore::publish() {
    // Without custom schedulers (every start) the snapshot is the built-ins themselves,
    // shared rather than copied.
    if (customs_.empty()) {
        all_ = builtins_;
        return;
    }
    auto all = std::make_shared<std::vector<SchedulerEntry>>(*builtins_);
    all->insert(all->end(), customs_.begin(), customs_.end());
    std::sort(all->begin(), all->end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    all_ = std::move(all);
}

std::shared_ptr<const std::vector<SchedulerEntry>> CatalogStore::snapshot() const {
    std::lock_guard lock(mutex_);
    return all_;
}

std::vector<SchedulerEntry> CatalogStore::list() const {
    return *snapshot();
}

std::optional<SchedulerEntry> CatalogStore::find(std::string_view name) const {
    for (const auto& e : *snapshot())
        if (e.name == name) return e;
    return std::nullopt;
}

std::vector<std::string> CatalogStore::close_matches(std::string_view name) const {
    std::vector<std::string> names;
    for (const auto& e : *snapshot()) names.push_back(e.name);
    return sdk::text::close_matches(name, names);
}

void CatalogStore::add_custom(SchedulerEntry entry) {
    std::lock_guard lock(mutex_);
    for (const auto& b : *builtins_)
        if (b.name == entry.name)
            throw sdk::Conflict("'" + entry.name +
                                "' is a built-in scheduler; choose another name");
    entry.custom = true;
    entry.metadata["custom"] = true;
    auto same = std::find_if(customs_.begin(), customs_.end(),
                             [&](const auto& c) { return c.name == entry.name; });
    if (same != customs_.end())
        *same = std::move(entry);
    else
        customs_.push_back(std::move(entry));
    publish();
}

}  // namespace schedcp::plugins::catalog
