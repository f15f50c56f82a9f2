#include "config.hpp"

#include <variant>

#include "mcp/http/listen_address.hpp"
#include "mcp/http/origin_policy.hpp"
#include "mcp/http/token_file.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "schedcp/sdk/install_layout.hpp"
#include "schedcp/sdk/system.hpp"
#include "schedcp/sdk/text.hpp"
#include "yaml_json.hpp"

namespace schedcp::host {

namespace fs = std::filesystem;

namespace {

class Reader {
  public:
    explicit Reader(fs::path source) : source_(std::move(source)) {}

    [[noreturn]] void fail(const YAML::Node& at, const std::string& key,
                           const std::string& what) const {
        std::ostringstream os;
        os << "config " << source_.string();
        if (at.IsDefined() && at.Mark().line >= 0)
            os << ":" << at.Mark().line + 1 << ":" << at.Mark().column + 1;
        os << ": " << key << ": " << what;
        throw ConfigError(os.str());
    }

    void only_keys(const YAML::Node& map, const std::string& where,
                   const std::set<std::string>& allowed) const {
        std::string list;
        for (const auto& k : allowed) list += (list.empty() ? "" : ", ") + k;
        for (const auto& kv : map) {
            std::string key = kv.first.as<std::string>();
            if (!allowed.count(key))
                fail(kv.first, where.empty() ? key : where + "." + key,
                     "unknown key; allowed: " + list);
        }
    }

    std::string string(const YAML::Node& n, const std::string& key) const {
        if (!n.IsScalar()) fail(n, key, "must be a string");
        return n.Scalar();
    }

    bool boolean(const YAML::Node& n, const std::string& key) const {
        auto v = yaml_to_json(n);
        if (!n.IsScalar() || !v.is_bool()) fail(n, key, "must be true or false");
        return v.get_bool();
    }

    std::size_t positive(const YAML::Node& n, const std::string& key, std::size_t max) const {
        auto v = yaml_to_json(n);
        if (!n.IsScalar() || !v.is_int64() || v.get_int64() <= 0 ||
            static_cast<std::size_t>(v.get_int64()) > max)
            fail(n, key, "must be an integer between 1 and " + std::to_string(max));
        return static_cast<std::size_t>(v.get_int64());
    }

    fs::path relative_to_source(const fs::path& p) const {
        fs::path e = sdk::system::expand_home(p);
        return e.is_absolute() ? e : source_.parent_path() / e;
    }

  private:
    fs::path source_;
};

std::vector<std::string> string_list(const Reader& r, const YAML::Node& n, const std::string& key) {
    if (!n.IsSequence()) r.fail(n, key, "must be a list of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n.size(); ++i)
        out.push_back(r.string(n[i], key + "[" + std::to_string(i) + "]"));
    return out;
}

bool absolute_http_url(const std::string& s) {
    return (s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0) &&
           s.find('#') == std::string::npos && s.find_first_of(" \t\"") == std::string::npos &&
           s.size() > s.find("://") + 3;
}

HttpAuthConfig read_http_auth(const Reader& r, const YAML::Node& auth) {
    if (!auth.IsMap()) r.fail(auth, "server.http.auth", "must be a mapping");
    r.only_keys(auth, "server.http.auth",
                {"token_file", "jwks_file", "issuer", "audience", "resource",
                 "authorization_servers", "scopes", "clock_skew_seconds"});
    HttpAuthConfig c;
    if (auto n = auth["token_file"])
        c.token_file = r.relative_to_source(r.string(n, "server.http.auth.token_file"));
    if (auto n = auth["jwks_file"])
        c.jwks_file = r.relative_to_source(r.string(n, "server.http.auth.jwks_file"));
    if (auto n = auth["issuer"]) c.issuer = r.string(n, "server.http.auth.issuer");
    if (auto n = auth["audience"]) c.audience = r.string(n, "server.http.auth.audience");
    if (auto n = auth["resource"]) {
        c.resource = r.string(n, "server.http.auth.resource");
        if (!absolute_http_url(*c.resource))
            r.fail(n, "server.http.auth.resource",
                   "must be an absolute https:// (or http://) URL without a fragment, such as "
                   "https://mcp.example.org/mcp");
    }
    if (auto n = auth["authorization_servers"]) {
        c.authorization_servers = string_list(r, n, "server.http.auth.authorization_servers");
        for (std::size_t i = 0; i < c.authorization_servers.size(); ++i)
            if (!absolute_http_url(c.authorization_servers[i]))
                r.fail(n[i], "server.http.auth.authorization_servers[" + std::to_string(i) + "]",
                       "must be an absolute https:// URL (an authorization server's issuer)");
    }
    if (auto n = auth["scopes"]) {
        if (!n.IsMap()) r.fail(n, "server.http.auth.scopes", "must be a mapping");
        r.only_keys(n, "server.http.auth.scopes", {"read", "admin"});
        if (auto s = n["read"]) c.read_scope = r.string(s, "server.http.auth.scopes.read");
        if (auto s = n["admin"]) c.admin_scope = r.string(s, "server.http.auth.scopes.admin");
        for (const auto& [key, value] :
             {std::pair{"read", &c.read_scope}, std::pair{"admin", &c.admin_scope}})
            if (!mcp::http::valid_scope_name(*value))
                r.fail(n[key], std::string("server.http.auth.scopes.") + key,
                       "must be 1 to 64 visible ASCII characters without '\"', '\\' or ','");
        if (c.read_scope == c.admin_scope)
            r.fail(n, "server.http.auth.scopes", "read and admin must be different names");
    }
    if (auto n = auth["clock_skew_seconds"])
        c.clock_skew_seconds = r.positive(n, "server.http.auth.clock_skew_seconds", 600);
    if (!c.token_file && !c.jwks_file)
        r.fail(auth, "server.http.auth",
               "needs token_file (bearer tokens of `schedcp-cli token new`) or jwks_file (JWTs), "
               "or both");
    if (c.jwks_file && !c.issuer)
        r.fail(auth, "server.http.auth.issuer",
               "is required with jwks_file: a JWT's iss must equal it");
    if (c.jwks_file && !c.audience && !c.resource)
        r.fail(auth, "server.http.auth.audience",
               "is required with jwks_file (or set resource): a JWT's aud must name this server");
    if (c.authorization_servers.empty() && c.issuer) c.authorization_servers = {*c.issuer};
    return c;
}

HttpTlsConfig read_http_tls(const Reader& r, const YAML::Node& tls) {
    if (!tls.IsMap()) r.fail(tls, "server.http.tls", "must be a mapping");
    r.only_keys(tls, "server.http.tls", {"certificate", "key"});
    if (!tls["certificate"])
        r.fail(tls, "server.http.tls.certificate", "is required (a PEM certificate chain)");
    if (!tls["key"]) r.fail(tls, "server.http.tls.key", "is required (a PEM private key)");
    return HttpTlsConfig{.certificate = r.relative_to_source(
                             r.string(tls["certificate"], "server.http.tls.certificate")),
                         .key = r.relative_to_source(r.string(tls["key"], "server.http.tls.key"))};
}

HttpConfig read_http(const Reader& r, const YAML::Node& http) {
    if (!http.IsMap()) r.fail(http, "server.http", "must be a mapping");
    r.only_keys(
        http, "server.http",
        {"listen", "path", "allow_non_loopback", "allowed_hosts", "allowed_origins",
         "max_connections", "max_sessions", "idle_seconds", "session_idle_seconds", "auth", "tls"});
    HttpConfig c;
    if (auto n = http["listen"]; n && !n.IsNull()) {
        std::string text = r.string(n, "server.http.listen");
        auto parsed = mcp::http::parse_listen_address(text);
        if (auto* why = std::get_if<std::string>(&parsed)) r.fail(n, "server.http.listen", *why);
        c.listen = text;
    }
    if (auto n = http["path"]) {
        c.path = r.string(n, "server.http.path");
        if (c.path.empty() || c.path.front() != '/' ||
            c.path.find_first_of("?# \t") != std::string::npos)
            r.fail(n, "server.http.path", "must be an absolute path such as /mcp");
    }
    if (auto n = http["allow_non_loopback"])
        c.allow_non_loopback = r.boolean(n, "server.http.allow_non_loopback");
    if (auto n = http["allowed_hosts"]) {
        struct utsname names {};
        ::uname(&names);
        for (const auto& entry : string_list(r, n, "server.http.allowed_hosts")) {
            try {
                c.allowed_hosts.push_back(mcp::http::expand_host_entry(entry, names.nodename));
            } catch (const std::invalid_argument& e) {
                r.fail(n, "server.http.allowed_hosts", e.what());
            }
        }
    }
    if (auto n = http["allowed_origins"])
        c.allowed_origins = string_list(r, n, "server.http.allowed_origins");
    if (auto n = http["max_connections"])
        c.max_connections = r.positive(n, "server.http.max_connections", 4096);
    if (auto n = http["max_sessions"])
        c.max_sessions = r.positive(n, "server.http.max_sessions", 4096);
    if (auto n = http["idle_seconds"])
        c.idle_seconds = r.positive(n, "server.http.idle_seconds", 3600);
    if (auto n = http["session_idle_seconds"])
        c.session_idle_seconds = r.positive(n, "server.http.session_idle_seconds", 7 * 86400);
    if (auto n = http["auth"]; n && !n.IsNull()) c.auth = read_http_auth(r, n);
    if (auto n = http["tls"]; n && !n.IsNull()) c.tls = read_http_tls(r, n);
    return c;
}

}  // namespace

fs::path default_data_dir() {
    if (::geteuid() == 0) return "/var/lib/schedcp";
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg == '/')
        return fs::path(xdg) / "schedcp";
    return sdk::system::expand_home("~/.local/share/schedcp");
}

HostConfig parse_config(const std::string& yaml_text, const fs::path& source) {
    Reader r(source);
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception& e) {
        std::ostringstream os;
        os << "config " << source.string() << ":" << e.mark.line + 1 << ":" << e.mark.column + 1
           << ": invalid YAML: " << e.msg;
        throw ConfigError(os.str());
    }
    if (!root.IsMap())
        r.fail(root, "(top level)",
               "must be a mapping with the keys log, data_dir, plugin_dirs, server, plugins");
    r.only_keys(root, "", {"log", "data_dir", "plugin_dirs", "server", "plugins"});

    HostConfig cfg;
    cfg.source = source;
    cfg.data_dir = default_data_dir();
    if (auto n = root["data_dir"]; n && !n.IsNull()) {
        fs::path p = sdk::system::expand_home(r.string(n, "data_dir"));
        cfg.data_dir = p.is_absolute() ? p : source.parent_path() / p;
    }

    fs::path log_file = "schedcp.log";
    if (auto log = root["log"]; log && !log.IsNull()) {
        if (!log.IsMap()) r.fail(log, "log", "must be a mapping with the keys file, level");
        r.only_keys(log, "log", {"file", "level"});
        if (auto f = log["file"]) log_file = sdk::system::expand_home(r.string(f, "log.file"));
        if (auto l = log["level"]) {
            std::string text = r.string(l, "log.level");
            auto level = sdk::parse_log_level(text);
            if (!level)
                r.fail(
                    l, "log.level",
                    "must be one of trace, debug, info, notice, warning, error, critical; got '" +
                        text + "'");
            cfg.log_level = *level;
        }
    }
    cfg.log_file = log_file.is_absolute() ? log_file : cfg.data_dir / log_file;

    if (auto dirs = root["plugin_dirs"]; dirs && !dirs.IsNull()) {
        if (!dirs.IsSequence()) r.fail(dirs, "plugin_dirs", "must be a list of directories");
        for (std::size_t i = 0; i < dirs.size(); ++i)
            cfg.plugin_dirs.push_back(
                r.relative_to_source(r.string(dirs[i], "plugin_dirs[" + std::to_string(i) + "]")));
    }

    if (auto server = root["server"]; server && !server.IsNull()) {
        if (!server.IsMap()) r.fail(server, "server", "must be a mapping");
        r.only_keys(server, "server",
                    {"max_message_bytes", "max_concurrent_requests", "max_outgoing_bytes",
                     "stalled_client_seconds", "client_request_seconds", "max_client_requests",
                     "validate_tool_results", "max_tasks", "max_tasks_per_principal",
                     "task_ttl_seconds", "http"});
        if (auto n = server["max_message_bytes"])
            cfg.max_message_bytes = r.positive(n, "server.max_message_bytes", std::size_t{1} << 30);
        if (auto n = server["max_concurrent_requests"])
            cfg.max_concurrent_requests = r.positive(n, "server.max_concurrent_requests", 4096);
        if (auto n = server["max_outgoing_bytes"]) {
            cfg.max_outgoing_bytes =
                r.positive(n, "server.max_outgoing_bytes", std::size_t{1} << 32);
            if (cfg.max_outgoing_bytes < 65536)
                r.fail(n, "server.max_outgoing_bytes", "must be at least 65536 (64 KiB)");
        }
        if (auto n = server["stalled_client_seconds"])
            cfg.stalled_client_seconds = r.positive(n, "server.stalled_client_seconds", 86400);
        if (auto n = server["client_request_seconds"])
            cfg.client_request_seconds = r.positive(n, "server.client_request_seconds", 86400);
        if (auto n = server["max_client_requests"])
            cfg.max_client_requests = r.positive(n, "server.max_client_requests", 4096);
        if (auto n = server["validate_tool_results"])
            cfg.validate_tool_results = r.boolean(n, "server.validate_tool_results");
        if (auto n = server["max_tasks"]) cfg.max_tasks = r.positive(n, "server.max_tasks", 4096);
        if (auto n = server["max_tasks_per_principal"])
            cfg.max_tasks_per_principal = r.positive(n, "server.max_tasks_per_principal", 4096);
        if (auto n = server["task_ttl_seconds"])
            cfg.task_ttl_seconds = r.positive(n, "server.task_ttl_seconds", 7 * 86400);
        if (auto http = server["http"]; http && !http.IsNull()) cfg.http = read_http(r, http);
    }

    auto plugins = root["plugins"];
    if (!plugins || plugins.IsNull())
        r.fail(root, "plugins", "is required: the list of plugins to load");
    if (!plugins.IsSequence())
        r.fail(plugins, "plugins", "must be a list of {name, path?, enabled?, settings?}");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < plugins.size(); ++i) {
        const std::string where = "plugins[" + std::to_string(i) + "]";
        auto p = plugins[i];
        if (!p.IsMap())
            r.fail(p, where, "must be a mapping with the keys name, path, enabled, settings");
        r.only_keys(p, where, {"name", "path", "enabled", "settings"});
        PluginConfig pc;
        pc.line = p.Mark().line + 1;
        if (!p["name"]) r.fail(p, where + ".name", "is required");
        pc.name = r.string(p["name"], where + ".name");
        if (!sdk::text::is_lower_name(pc.name, 64, '_'))
            r.fail(p["name"], where + ".name",
                   "must match [a-z][a-z0-9_]{0,63} (it names a file and a directory), got '" +
                       pc.name + "'");
        if (!seen.insert(pc.name).second)
            r.fail(p["name"], where + ".name", "plugin '" + pc.name + "' is listed twice");
        if (auto path = p["path"]; path && !path.IsNull())
            pc.path = r.relative_to_source(r.string(path, where + ".path"));
        if (auto en = p["enabled"]; en && !en.IsNull())
            pc.enabled = r.boolean(en, where + ".enabled");
        if (auto s = p["settings"]; s && !s.IsNull()) {
            if (!s.IsMap()) r.fail(s, where + ".settings", "must be a mapping");
            pc.settings = yaml_to_json(s).as_object();
        }
        cfg.plugins.push_back(std::move(pc));
    }
    return cfg;
}

HostConfig load_config(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw ConfigError("config " + file.string() + ": cannot be read");
    std::stringstream ss;
    ss << in.rdbuf();
    std::error_code ec;
    fs::path abs = fs::absolute(file, ec);
    return parse_config(ss.str(), ec ? file : abs.lexically_normal());
}

fs::path resolve_config_path(const std::optional<fs::path>& explicit_path,
                             const fs::path& exe_dir) {
    if (explicit_path) {
        if (!fs::exists(*explicit_path))
            throw ConfigError("config " + explicit_path->string() +
                              ": no such file (from --config)");
        return *explicit_path;
    }
    if (const char* env = std::getenv("SCHEDCP_CONFIG"); env && *env) {
        if (!fs::exists(env))
            throw ConfigError(std::string("config ") + env +
                              ": no such file (from SCHEDCP_CONFIG)");
        return env;
    }
    // <sysconf>/schedcp of our own prefix first (/etc/schedcp for /usr/bin, <build>/etc/schedcp
    // in the build tree: sdk/install_layout.hpp), then the source tree's config/.
    namespace layout = sdk::install_layout;
    const fs::path candidates[] = {
        layout::config_dir(layout::prefix_of_bin_dir(exe_dir)) / "schedcp.yaml",
        exe_dir / "../config/schedcp.yaml", "/etc/schedcp/schedcp.yaml"};
    for (const auto& c : candidates)
        if (fs::exists(c)) return c.lexically_normal();
    throw ConfigError("no config file: pass --config FILE or set SCHEDCP_CONFIG (looked in " +
                      candidates[0].lexically_normal().string() + ", " +
                      candidates[1].lexically_normal().string() + ", " + candidates[2].string() +
                      ")");
}

}  // namespace schedcp::host
