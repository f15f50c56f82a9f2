#include "foreign_defaults.hpp"

#include <boost/json/array.hpp>

#include "foreign_config_file.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/text.hpp"
#include "scx_loader_config.hpp"
#include "scx_service_config.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;

namespace {

std::string joined(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
    return s;
}

// The catalog's names, for a refusal that says what is allowed.
std::string known_names(const RunnerCore& core) {
    std::string s;
    for (const auto& e : core.catalog()->list()) s += (s.empty() ? "" : ", ") + e.name;
    return s;
}

// Where in the file each part of d.config was set, for the message that refuses it.
struct Keys {
    std::string name_key;
    std::size_t name_line = 0;
    std::string args_key;
    std::size_t args_line = 0;
};

// Checks d.config as `default set` would, filling d.args, or d.problem with why not (and
// clearing d.config).
void check(const RunnerCore& core, ForeignDefault& d, const Keys& keys) {
    try {
        if (!core.catalog()->find(d.config->name)) {
            const std::string known = known_names(core);
            d.problem = at_line(d.file, keys.name_line,
                                keys.name_key + ": unknown scheduler '" +
                                    sdk::text::sanitize(d.config->name, 100) +
                                    "' (schedcp knows: " + known + ")");
        } else {
            d.args =
                core.check_request(
                        {.name = d.config->name, .args = d.config->args, .mode = d.config->mode})
                    .args;
        }
    } catch (const sdk::Error& e) {
        // A mode's arguments from the file itself: that message names its own line.
        const std::string what = e.what();
        d.problem = what.starts_with(d.file.string() + ":")
                        ? what
                        : at_line(d.file, keys.args_line, keys.args_key + ": " + what);
    }
    if (!d.problem.empty()) d.config.reset();
}

std::optional<ForeignDefault> from_scx_loader(const RunnerCore& core) {
    ForeignDefault d{.tool = std::string(kScxLoaderTool)};
    std::optional<ScxLoaderConfig> config;
    try {
        config = load_scx_loader_config(core.settings().scx_loader_config);
    } catch (const sdk::Error& e) {
        d.problem = e.what();
        return d;
    }
    if (!config) return std::nullopt;
    d.file = config->file;
    if (!config->default_sched) {
        d.note = "no default_sched: scx_loader starts nothing at boot";
        return d;
    }
    d.line = config->default_sched_line;
    d.config = LaunchConfig{.name = *config->default_sched, .mode = config->default_mode};
    // scx_loader starts every scheduler in a mode; one whose mode neither the catalog nor the
    // file knows gets no arguments from scx_loader.
    std::optional<sdk::services::SchedulerEntry> entry;
    try {
        entry = core.catalog()->find(d.config->name);
    } catch (const sdk::Error&) {  // no catalog: check() says so
    }
    if (entry && !entry->modes.contains(config->default_mode) &&
        !(core.settings().scx_loader_modes &&
          config->mode_override(d.config->name, config->default_mode))) {
        d.note = "the catalog has no '" + config->default_mode + "' mode for " + d.config->name +
                 ": it runs without arguments";
        d.config->mode.reset();
    }
    const std::string mode_key =
        config->default_mode_set ? "default_mode" : "default_mode (Auto when absent)";
    check(core, d,
          {.name_key = "default_sched",
           .name_line = d.line,
           .args_key = "default_sched " + d.config->name + ", " + mode_key,
           .args_line = d.line});
    return d;
}

std::optional<ForeignDefault> from_scx_service(const RunnerCore& core) {
    ForeignDefault d{.tool = std::string(kScxServiceTool),
                     .file = core.settings().scx_service_config};
    std::optional<ScxServiceConfig> config;
    try {
        config = load_scx_service_config(d.file);
    } catch (const sdk::Error& e) {
        d.problem = e.what();
        return d;
    }
    if (!config) return std::nullopt;
    if (!config->scheduler) {
        d.note = "no SCX_SCHEDULER: scx.service starts nothing";
        return d;
    }
    d.line = config->scheduler_line;
    d.config = LaunchConfig{.name = *config->scheduler};
    if (!config->flags.empty()) d.config->args = config->flags;
    check(core, d,
          {.name_key = "SCX_SCHEDULER",
           .name_line = d.line,
           .args_key = "SCX_FLAGS",
           .args_line = config->flags_line ? config->flags_line : d.line});
    return d;
}

}  // namespace

bj::object ForeignDefault::to_json() const {
    bj::object o{{"tool", tool},
                 {"file", file.string()},
                 {"default", config ? bj::value(config->to_json()) : bj::value(nullptr)}};
    if (line) o["line"] = line;
    if (config) {
        bj::array a;
        for (const auto& x : args) a.push_back(bj::string(x));
        o["args"] = std::move(a);
    }
    if (!note.empty()) o["note"] = note;
    if (!problem.empty()) o["problem"] = problem;
    return o;
}

std::string ForeignDefault::describe() const {
    if (!problem.empty()) return tool + ": unusable: " + problem;
    const std::string where = file.string() + (line ? ":" + std::to_string(line) : "");
    if (!config) return tool + " (" + where + "): " + note;
    std::string s = tool + " (" + where + ") would start " + config->name;
    if (config->mode) s += " --mode " + *config->mode + " (" + joined(args) + ")";
    if (!config->mode && !args.empty()) s += " -- " + joined(args);
    if (!note.empty()) s += "; " + note;
    return s;
}

std::vector<ForeignDefault> read_foreign_defaults(const RunnerCore& core) {
    std::vector<ForeignDefault> out;
    if (auto d = from_scx_loader(core)) out.push_back(std::move(*d));
    if (auto d = from_scx_service(core)) out.push_back(std::move(*d));
    return out;
}

}  // namespace schedcp::plugins::runner
