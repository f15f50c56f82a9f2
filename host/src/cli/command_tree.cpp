#include "command_tree.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "schedcp/sdk/text.hpp"

namespace schedcp::host::cli {

namespace bj = boost::json;

namespace {

std::string key_of(const std::string& option_name) {
    std::string k = option_name;
    std::replace(k.begin(), k.end(), '-', '_');
    return k;
}

std::string to_upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string value_name(const sdk::OptionSpec& o) {
    if (!o.value_name.empty()) return o.value_name;
    switch (o.type) {
        case sdk::OptionType::integer:
            return "N";
        case sdk::OptionType::number:
            return "X";
        default:
            return "VALUE";
    }
}

std::string number_text(double d) {
    std::ostringstream os;
    os << d;
    return os.str();
}

bj::value convert(const sdk::OptionSpec& o, const std::string& text, const std::string& cmd) {
    const std::string flag = "--" + o.name;
    switch (o.type) {
        case sdk::OptionType::flag:
            return true;
        case sdk::OptionType::string: {
            if (!o.choices.empty() &&
                std::find(o.choices.begin(), o.choices.end(), text) == o.choices.end()) {
                std::string list;
                for (const auto& c : o.choices) list += (list.empty() ? "" : ", ") + c;
                throw UsageError(cmd, flag + " must be one of " + list + ", got '" + text + "'");
            }
            return bj::value(text);
        }
        case sdk::OptionType::integer: {
            std::int64_t v = 0;
            auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (text.empty() || ec != std::errc() || p != text.data() + text.size())
                throw UsageError(cmd, flag + " needs an integer, got '" + text + "'");
            if ((o.minimum && static_cast<double>(v) < *o.minimum) ||
                (o.maximum && static_cast<double>(v) > *o.maximum))
                throw UsageError(cmd, flag + " must be between " +
                                          number_text(o.minimum.value_or(-1e18)) + " and " +
                                          number_text(o.maximum.value_or(1e18)) + ", got " + text);
            return v;
        }
        case sdk::OptionType::number: {
            char* end = nullptr;
            double v = std::strtod(text.c_str(), &end);
            if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v))
                throw UsageError(cmd, flag + " needs a number, got '" + text + "'");
            if ((o.minimum && v < *o.minimum) || (o.maximum && v > *o.maximum))
                throw UsageError(cmd, flag + " must be between " +
                                          number_text(o.minimum.value_or(-1e18)) + " and " +
                                          number_text(o.maximum.value_or(1e18)) + ", got " + text);
            return v;
        }
    }
    return nullptr;
}

void store(bj::object& values, const sdk::OptionSpec& o, bj::value v, const std::string& cmd) {
    const std::string key = key_of(o.name);
    if (o.repeatable) {
        auto& slot = values[key];
        if (!slot.is_array()) slot = bj::array{};
        slot.get_array().push_back(std::move(v));
        return;
    }
    if (values.contains(key)) throw UsageError(cmd, "--" + o.name + " given more than once");
    values[key] = std::move(v);
}

std::string pad(const std::string& s, std::size_t width) {
    return s.size() >= width ? s + "  " : s + std::string(width - s.size(), ' ');
}

std::string summary_of(const Node& n) {
    if (n.spec) return n.spec->summary;
    if (!n.group_summary.empty()) return n.group_summary;
    std::string words;
    for (const auto& [w, child] : n.children) words += (words.empty() ? "" : ", ") + w;
    return "commands: " + words;
}

}  // namespace

void CommandTree::add(const sdk::CommandSpec& spec) {
    Node* node = &root_;
    for (const auto& word : spec.path) {
        auto& child = node->children[word];
        if (!child) {
            child = std::make_unique<Node>();
            child->word = word;
        }
        node = child.get();
    }
    node->spec = &spec;
}

void CommandTree::set_group_summary(const std::vector<std::string>& path, std::string summary) {
    Node* node = &root_;
    for (const auto& word : path) {
        auto it = node->children.find(word);
        if (it == node->children.end()) return;
        node = it->second.get();
    }
    node->group_summary = std::move(summary);
}

GlobalOptions parse_global(const std::vector<std::string>& args) {
    GlobalOptions g;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--json") {
            g.json = true;
        } else if (a == "-h" || a == "--help") {
            g.help = true;
        } else if (a == "--version") {
            g.version = true;
        } else if (a == "--config") {
            if (i + 1 >= args.size()) throw UsageError("schedcp-cli", "--config needs a FILE");
            g.config = args[++i];
        } else if (a.rfind("--config=", 0) == 0) {
            g.config = a.substr(9);
            if (g.config->empty()) throw UsageError("schedcp-cli", "--config needs a FILE");
        } else if (!a.empty() && a[0] == '-') {
            throw UsageError("schedcp-cli",
                             "unknown option '" + sdk::text::sanitize(a, 80) +
                                 "' (global options: --config FILE, --json, --help, --version)");
        } else {
            break;
        }
    }
    g.rest.assign(args.begin() + static_cast<long>(i), args.end());
    return g;
}

Resolved resolve(const CommandTree& tree, const std::vector<std::string>& words) {
    Resolved r{&tree.root(), {}, {}};
    std::size_t i = 0;
    for (; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (r.node->spec) break;               // reached a leaf: the rest are its arguments
        if (!w.empty() && w[0] == '-') break;  // options of a group (--help, --json)
        auto it = r.node->children.find(w);
        if (it == r.node->children.end()) {
            std::vector<std::string> names;
            for (const auto& [name, child] : r.node->children) names.push_back(name);
            std::string where = "schedcp-cli";
            for (const auto& p : r.path) where += " " + p;
            std::string msg = "unknown command '" + sdk::text::sanitize(w, 80) + "'";
            auto close = sdk::text::close_matches(w, names);
            if (!close.empty()) msg += "; did you mean '" + close.front() + "'?";
            throw UsageError(where, msg);
        }
        r.path.push_back(w);
        r.node = it->second.get();
    }
    r.rest.assign(words.begin() + static_cast<long>(i), words.end());
    return r;
}

Parsed parse_arguments(const sdk::CommandSpec& spec, const std::vector<std::string>& args,
                       const std::string& cmd) {
    Parsed p;
    std::size_t next_positional = 0;
    auto find_long = [&](const std::string& name) -> const sdk::OptionSpec* {
        for (const auto& o : spec.options)
            if (o.name == name) return &o;
        return nullptr;
    };
    auto find_short = [&](char c) -> const sdk::OptionSpec* {
        for (const auto& o : spec.options)
            if (o.short_name == c) return &o;
        return nullptr;
    };
    auto unknown = [&](const std::string& a) {
        std::vector<std::string> names;
        for (const auto& o : spec.options) names.push_back("--" + o.name);
        names.push_back("--json");
        names.push_back("--help");
        std::string msg = "unknown option '" + sdk::text::sanitize(a, 80) + "'";
        auto close = sdk::text::close_matches(a.substr(0, a.find('=')), names, 1);
        if (!close.empty()) msg += "; did you mean '" + close.front() + "'?";
        throw UsageError(cmd, msg);
    };

    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--") {
            if (!spec.passthrough)
                throw UsageError(cmd, "takes no pass-through arguments after '--'");
            p.invocation.passthrough.assign(args.begin() + static_cast<long>(i) + 1, args.end());
            break;
        }
        if (a == "--json") {
            p.json = true;
            continue;
        }
        if (a == "--help" || a == "-h") {
            p.help = true;
            continue;
        }
        if (a.size() > 2 && a.rfind("--", 0) == 0) {
            auto eq = a.find('=');
            std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            const sdk::OptionSpec* o = find_long(name);
            if (!o) unknown(a);
            if (o->type == sdk::OptionType::flag) {
                if (eq != std::string::npos)
                    throw UsageError(cmd, "--" + o->name + " takes no value");
                store(p.invocation.values, *o, true, cmd);
            } else {
                std::string value;
                if (eq != std::string::npos) {
                    value = a.substr(eq + 1);
                } else {
                    if (i + 1 >= args.size())
                        throw UsageError(
                            cmd, "--" + o->name + " needs a value (" + value_name(*o) + ")");
                    value = args[++i];
                }
                store(p.invocation.values, *o, convert(*o, value, cmd), cmd);
            }
            continue;
        }
        if (a.size() >= 2 && a[0] == '-' && a[1] != '-' &&
            !std::isdigit(static_cast<unsigned char>(a[1]))) {
            const sdk::OptionSpec* o = find_short(a[1]);
            if (!o) unknown(a);
            if (o->type == sdk::OptionType::flag) {
                if (a.size() > 2)
                    throw UsageError(cmd, "-" + std::string(1, a[1]) + " takes no value");
                store(p.invocation.values, *o, true, cmd);
            } else {
                std::string value;
                if (a.size() > 2) {
                    value = a.substr(2);
                } else {
                    if (i + 1 >= args.size())
                        throw UsageError(cmd, "-" + std::string(1, a[1]) + " needs a value (" +
                                                  value_name(*o) + ")");
                    value = args[++i];
                }
                store(p.invocation.values, *o, convert(*o, value, cmd), cmd);
            }
            continue;
        }
        if (a.size() > 1 && a[0] == '-' && !std::isdigit(static_cast<unsigned char>(a[1])))
            unknown(a);
        if (next_positional >= spec.positionals.size())
            throw UsageError(
                cmd, "unexpected argument '" + sdk::text::sanitize(a, 80) + "'" +
                         (spec.passthrough ? " (pass scheduler arguments after '--')" : ""));
        p.invocation.values[spec.positionals[next_positional++].name] = bj::value(a);
    }
    if (!p.help)
        for (std::size_t k = next_positional; k < spec.positionals.size(); ++k)
            if (spec.positionals[k].required)
                throw UsageError(cmd, "missing " + to_upper(spec.positionals[k].name));
    return p;
}

std::string leaf_help(const sdk::CommandSpec& spec, const std::string& cmd) {
    std::ostringstream os;
    os << "Usage: " << cmd;
    if (!spec.options.empty()) os << " [OPTIONS]";
    for (const auto& p : spec.positionals)
        os << " " << (p.required ? "" : "[") << to_upper(p.name) << (p.required ? "" : "]");
    if (spec.passthrough) os << " [-- ARGS...]";
    os << "\n\n" << spec.summary << "\n";
    if (!spec.description.empty()) os << "\n" << spec.description << "\n";
    if (!spec.positionals.empty() || spec.passthrough) {
        os << "\nArguments:\n";
        for (const auto& p : spec.positionals)
            os << "  " << pad(to_upper(p.name), 24) << p.help << "\n";
        if (spec.passthrough)
            os << "  " << pad("-- ARGS...", 24)
               << (spec.passthrough_help.empty() ? "passed through unchanged"
                                                 : spec.passthrough_help)
               << "\n";
    }
    os << "\nOptions:\n";
    for (const auto& o : spec.options) {
        std::string left = o.short_name ? std::string("-") + o.short_name + ", " : "    ";
        left += "--" + o.name;
        if (o.type != sdk::OptionType::flag) left += " " + value_name(o);
        std::string help = o.help;
        if (!o.choices.empty()) {
            std::string list;
            for (const auto& c : o.choices) list += (list.empty() ? "" : "|") + c;
            help += " (" + list + ")";
        }
        if (o.minimum || o.maximum)
            help += " [" + number_text(o.minimum.value_or(0)) + ".." +
                    (o.maximum ? number_text(*o.maximum) : "") + "]";
        if (o.repeatable) help += " (repeatable)";
        os << "  " << pad(left, 24) << help << "\n";
    }
    os << "  " << pad("    --json", 24) << "print JSON instead of text\n";
    os << "  " << pad("-h, --help", 24) << "show this help\n";
    return os.str();
}

std::string group_help(const Node& node, const std::string& cmd) {
    std::ostringstream os;
    os << "Usage: " << cmd << " COMMAND [ARGS...]\n\n" << summary_of(node) << "\n\nCommands:\n";
    for (const auto& [w, child] : node.children)
        os << "  " << pad(w, 16) << summary_of(*child) << "\n";
    os << "\nRun '" << cmd << " COMMAND --help' for a command's options.\n";
    return os.str();
}

std::string top_help(const Node& root) {
    std::ostringstream os;
    os << "Usage: schedcp-cli [--config FILE] [--json] COMMAND [ARGS...]\n\n"
       << "Manage Linux sched_ext CPU schedulers from the command line: the same plugins and\n"
       << "tools as the schedcp MCP server.\n\nCommands:\n";
    for (const auto& [w, child] : root.children)
        os << "  " << pad(w, 16) << summary_of(*child) << "\n";
    os << "\nGlobal options:\n"
       << "  " << pad("--config FILE", 18)
       << "config file (default: $SCHEDCP_CONFIG, else the one beside the binary)\n"
       << "  " << pad("--json", 18)
       << "print JSON instead of text (also accepted after the command)\n"
       << "  " << pad("-h, --help", 18) << "show help (also 'schedcp-cli COMMAND --help')\n"
       << "  " << pad("--version", 18) << "print the version\n"
       << "\nExit codes: 0 ok, 1 failure, 2 usage error.\n";
    return os.str();
}

}  // namespace schedcp::host::cli
