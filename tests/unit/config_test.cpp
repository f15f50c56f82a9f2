#include <sys/utsname.h>

#include <yaml-cpp/yaml.h>
#include <boost/test/unit_test.hpp>

#include "config.hpp"
#include "mcp/http/origin_policy.hpp"
#include "subprocess.hpp"

using schedcp::host::ConfigError;
using schedcp::host::parse_config;

namespace {
// The message of the ConfigError that parsing `yaml` throws ("" if none).
std::string error_of(const std::string& yaml) {
    try {
        parse_config(yaml, "/etc/x/schedcp.yaml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(full_config_parses) {
    auto cfg = parse_config(R"(
log: {file: /var/log/schedcp.log, level: debug}
data_dir: /srv/schedcp
plugin_dirs: [plugins, /opt/p]
server: {max_message_bytes: 1024, max_concurrent_requests: 3}
plugins:
  - name: catalog
  - name: runner
    path: lib/runner.so
    enabled: false
    settings:
      scheduler_paths: [/usr/bin, "~/bin"]
      timeout_ms: 250
      ratio: 0.5
      quoted: "true"
      nothing: ~
)",
                            "/etc/x/schedcp.yaml");
    BOOST_TEST(cfg.log_file == "/var/log/schedcp.log");
    BOOST_TEST(static_cast<int>(cfg.log_level) == static_cast<int>(schedcp::sdk::LogLevel::debug));
    BOOST_TEST(cfg.data_dir == "/srv/schedcp");
    BOOST_REQUIRE(cfg.plugin_dirs.size() == 2u);
    BOOST_TEST(cfg.plugin_dirs[0] == "/etc/x/plugins");  // relative to the config file
    BOOST_TEST(cfg.plugin_dirs[1] == "/opt/p");
    BOOST_TEST(cfg.max_message_bytes == 1024u);
    BOOST_TEST(cfg.max_concurrent_requests == 3u);
    BOOST_REQUIRE(cfg.plugins.size() == 2u);
    BOOST_TEST(cfg.plugins[0].enabled);
    BOOST_TEST(!cfg.plugins[1].enabled);
    BOOST_TEST(cfg.plugins[1].path->string() == "/etc/x/lib/runner.so");
    const auto& s = cfg.plugins[1].settings;
    BOOST_TEST(s.at("timeout_ms").is_int64());
    BOOST_TEST(s.at("ratio").is_double());
    BOOST_TEST(s.at("quoted").is_string());  // quoted scalars stay strings
    BOOST_TEST(s.at("nothing").is_null());
    BOOST_TEST(s.at("scheduler_paths").as_array().size() == 2u);
}

BOOST_AUTO_TEST_CASE(defaults) {
    auto cfg = parse_config("plugins: []\n", "/etc/x/schedcp.yaml");
    BOOST_TEST(cfg.log_file == cfg.data_dir / "schedcp.log");
    BOOST_TEST(cfg.max_message_bytes == 4u * 1024 * 1024);
    BOOST_TEST(!cfg.validate_tool_results);  // results are not checked unless asked
    BOOST_TEST(cfg.plugins.empty());
}

BOOST_AUTO_TEST_CASE(validate_tool_results_is_a_boolean) {
    auto cfg =
        parse_config("server: {validate_tool_results: true}\nplugins: []\n", "/etc/x/schedcp.yaml");
    BOOST_TEST(cfg.validate_tool_results);
    BOOST_TEST(error_of("server: {validate_tool_results: sometimes}\nplugins: []\n") ==
               "config /etc/x/schedcp.yaml:1:33: server.validate_tool_results: must be true or "
               "false");
}

BOOST_AUTO_TEST_CASE(unknown_keys_name_the_key_file_and_line) {
    BOOST_TEST(error_of("plugins: []\nlogg: {}\n") ==
               "config /etc/x/schedcp.yaml:2:1: logg: unknown key; allowed: data_dir, log, "
               "plugin_dirs, plugins, server");
    BOOST_TEST(error_of("plugins:\n  - name: catalog\n    enabeld: true\n") ==
               "config /etc/x/schedcp.yaml:3:5: plugins[0].enabeld: unknown key; allowed: enabled, "
               "name, path, settings");
    BOOST_TEST(error_of("log: {lvl: info}\nplugins: []\n").find("log.lvl: unknown key") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_types_are_errors) {
    BOOST_TEST(error_of("plugins: catalog\n").find("plugins: must be a list") != std::string::npos);
    BOOST_TEST(error_of("plugins:\n  - name: catalog\n    enabled: maybe\n")
                   .find("plugins[0].enabled: must be true or false") != std::string::npos);
    BOOST_TEST(error_of("log: {level: verbose}\nplugins: []\n").find("log.level: must be one of") !=
               std::string::npos);
    BOOST_TEST(error_of("server: {max_message_bytes: -1}\nplugins: []\n")
                   .find("server.max_message_bytes: must be an integer") != std::string::npos);
    BOOST_TEST(error_of("data_dir: [a]\nplugins: []\n").find("data_dir: must be a string") !=
               std::string::npos);
    BOOST_TEST(error_of("plugins:\n  - name: ../evil\n").find("must match [a-z][a-z0-9_]") !=
               std::string::npos);
    BOOST_TEST(error_of("plugins:\n  - name: a\n  - name: a\n").find("listed twice") !=
               std::string::npos);
    BOOST_TEST(error_of("plugins:\n  - path: x.so\n").find("plugins[0].name: is required") !=
               std::string::npos);
    BOOST_TEST(error_of("log: {}\n").find("plugins: is required") != std::string::npos);
    BOOST_TEST(error_of("plugins:\n  - name: a\n    settings: [1]\n")
                   .find("plugins[0].settings: must be a mapping") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(invalid_yaml_reports_position) {
    std::string e = error_of("plugins: [\n");
    BOOST_TEST(e.find("config /etc/x/schedcp.yaml:") == 0u);
    BOOST_TEST(e.find("invalid YAML") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(config_path_resolution) {
    schedcp::test::TempDir dir;
    BOOST_CHECK_THROW(schedcp::host::resolve_config_path(
                          std::filesystem::path(dir.file("missing.yaml")), dir.path()),
                      ConfigError);
    std::string file = dir.write("c.yaml", "plugins: []\n");
    BOOST_TEST(schedcp::host::resolve_config_path(std::filesystem::path(file), dir.path()) == file);
    BOOST_TEST(schedcp::host::load_config(file).source == file);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(config_http)

BOOST_AUTO_TEST_CASE(http_defaults_serve_stdio_on_loopback_limits) {
    auto cfg = parse_config("plugins: []\n", "/etc/x/schedcp.yaml");
    BOOST_TEST(!cfg.http.listen.has_value());  // stdio unless asked
    BOOST_TEST(cfg.http.path == "/mcp");
    BOOST_TEST(!cfg.http.allow_non_loopback);
    BOOST_TEST(cfg.http.max_connections == 64u);
    BOOST_TEST(cfg.http.max_sessions == 32u);
    BOOST_TEST(cfg.http.idle_seconds == 30u);
    BOOST_TEST(cfg.http.session_idle_seconds == 1800u);
}

BOOST_AUTO_TEST_CASE(http_section_parses) {
    auto cfg = parse_config(
        "server:\n  http:\n    listen: '[::1]:9000'\n    path: /x/mcp\n    allowed_hosts: "
        "[a.example]\n"
        "    allowed_origins: ['https://b.example']\n    max_connections: 5\n    max_sessions: 3\n"
        "    idle_seconds: 7\n    session_idle_seconds: 60\nplugins: []\n",
        "/etc/x/schedcp.yaml");
    BOOST_TEST(*cfg.http.listen == "[::1]:9000");
    BOOST_TEST(cfg.http.path == "/x/mcp");
    BOOST_TEST(cfg.http.allowed_hosts == std::vector<std::string>{"a.example"});
    BOOST_TEST(cfg.http.allowed_origins == std::vector<std::string>{"https://b.example"});
    BOOST_TEST(cfg.http.max_connections == 5u);
    BOOST_TEST(cfg.http.max_sessions == 3u);
    BOOST_TEST(cfg.http.idle_seconds == 7u);
    BOOST_TEST(cfg.http.session_idle_seconds == 60u);
}

// One config for many machines: "{hostname}" is this machine's name (uname -n).
BOOST_AUTO_TEST_CASE(allowed_hosts_name_this_machine_with_the_hostname_placeholder) {
    struct utsname names {};
    BOOST_REQUIRE(::uname(&names) == 0);
    const std::string me = names.nodename;
    auto cfg = parse_config(
        "server:\n  http:\n    allowed_hosts: ['{hostname}', '{hostname}.example.org:8443', "
        "fixed.example]\nplugins: []\n",
        "/etc/x/schedcp.yaml");
    BOOST_TEST(cfg.http.allowed_hosts ==
               (std::vector<std::string>{me, me + ".example.org:8443", "fixed.example"}));
    BOOST_TEST(error_of("server: {http: {allowed_hosts: ['{host}.example']}}\nplugins: []\n")
                   .find("server.http.allowed_hosts: '{host}.example': the only placeholder is "
                         "{hostname}") != std::string::npos);
    using schedcp::host::mcp::http::expand_host_entry;
    BOOST_TEST(expand_host_entry("{hostname}.lab:80", "node-7") == "node-7.lab:80");
    BOOST_TEST(expand_host_entry("plain.example", "node-7") == "plain.example");
    BOOST_CHECK_THROW(expand_host_entry("{hostname", "node-7"), std::invalid_argument);
    BOOST_CHECK_THROW(expand_host_entry("x}", "node-7"), std::invalid_argument);
    BOOST_CHECK_THROW(expand_host_entry("{hostname}", ""), std::invalid_argument);
}

// The DaemonSet's ConfigMap carries a schedcp.yaml: the real parser must accept it, and its
// allowed_hosts name the node it runs on.
BOOST_AUTO_TEST_CASE(the_kubernetes_configmaps_config_is_valid_and_names_its_node) {
    const YAML::Node map = YAML::LoadFile(KUBERNETES_CONFIGMAP_FILE);
    const std::string text = map["data"]["schedcp.yaml"].as<std::string>();
    auto cfg = parse_config(text, "/etc/schedcp/schedcp.yaml");
    struct utsname names {};
    BOOST_REQUIRE(::uname(&names) == 0);
    BOOST_TEST(cfg.http.allowed_hosts.size() >= 1u);
    BOOST_TEST(cfg.http.allowed_hosts.front() == std::string(names.nodename));
    BOOST_TEST(cfg.http.auth.has_value());
}

BOOST_AUTO_TEST_CASE(http_errors_name_the_key) {
    BOOST_TEST(error_of("server: {http: {listen: 'nowhere'}}\nplugins: []\n")
                   .find("server.http.listen: 'nowhere': expected ADDRESS:PORT") !=
               std::string::npos);
    BOOST_TEST(error_of("server: {http: {path: mcp}}\nplugins: []\n")
                   .find("server.http.path: must be an absolute path") != std::string::npos);
    BOOST_TEST(error_of("server: {http: {max_connections: 0}}\nplugins: []\n")
                   .find("server.http.max_connections: must be an integer between 1 and") !=
               std::string::npos);
    BOOST_TEST(error_of("server: {http: {allowed_hosts: a.example}}\nplugins: []\n")
                   .find("server.http.allowed_hosts: must be a list of strings") !=
               std::string::npos);
    BOOST_TEST(error_of("server: {http: {port: 1}}\nplugins: []\n")
                   .find("server.http.port: unknown key") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(http_auth_and_tls_parse) {
    auto cfg = parse_config(
        "server:\n  http:\n    auth:\n      token_file: tokens\n      jwks_file: /k/jwks.json\n"
        "      issuer: https://auth.example.org\n      resource: https://m.example.org/mcp\n"
        "      scopes: {read: 'mcp:read', admin: 'mcp:admin'}\n      clock_skew_seconds: 5\n"
        "    tls: {certificate: cert.pem, key: /k/key.pem}\nplugins: []\n",
        "/etc/x/schedcp.yaml");
    BOOST_REQUIRE(cfg.http.auth.has_value());
    const auto& auth = *cfg.http.auth;
    BOOST_TEST(auth.token_file->string() == "/etc/x/tokens");
    BOOST_TEST(auth.jwks_file->string() == "/k/jwks.json");
    BOOST_TEST(*auth.issuer == "https://auth.example.org");
    BOOST_TEST(!auth.audience.has_value());  // the resource is the audience
    BOOST_TEST(*auth.resource == "https://m.example.org/mcp");
    BOOST_TEST(auth.authorization_servers == std::vector<std::string>{"https://auth.example.org"});
    BOOST_TEST(auth.read_scope == "mcp:read");
    BOOST_TEST(auth.admin_scope == "mcp:admin");
    BOOST_TEST(auth.clock_skew_seconds == 5u);
    BOOST_REQUIRE(cfg.http.tls.has_value());
    BOOST_TEST(cfg.http.tls->certificate.string() == "/etc/x/cert.pem");
    BOOST_TEST(cfg.http.tls->key.string() == "/k/key.pem");

    auto defaults = parse_config("server: {http: {auth: {token_file: /t}}}\nplugins: []\n",
                                 "/etc/x/schedcp.yaml");
    BOOST_TEST(defaults.http.auth->read_scope == "read");
    BOOST_TEST(defaults.http.auth->admin_scope == "admin");
    BOOST_TEST(defaults.http.auth->clock_skew_seconds == 60u);
    BOOST_TEST(defaults.http.auth->authorization_servers.empty());
    BOOST_TEST(!defaults.http.tls.has_value());
    BOOST_TEST(!parse_config("plugins: []\n", "/etc/x/schedcp.yaml").http.auth.has_value());
}

BOOST_AUTO_TEST_CASE(http_auth_and_tls_errors_name_the_key) {
    auto error = [](const std::string& http) {
        return error_of("server: {http: " + http + "}\nplugins: []\n");
    };
    BOOST_TEST(error("{auth: {}}").find("server.http.auth: needs token_file") != std::string::npos);
    BOOST_TEST(error("{auth: {jwks_file: /j, audience: a}}")
                   .find("server.http.auth.issuer: is required with jwks_file") !=
               std::string::npos);
    BOOST_TEST(error("{auth: {jwks_file: /j, issuer: https://i}}")
                   .find("server.http.auth.audience: is required with jwks_file") !=
               std::string::npos);
    BOOST_TEST(error("{auth: {token_file: /t, resource: mcp.example.org}}")
                   .find("server.http.auth.resource: must be an absolute https://") !=
               std::string::npos);
    BOOST_TEST(error("{auth: {token_file: /t, authorization_servers: [x]}}")
                   .find("server.http.auth.authorization_servers[0]: must be an absolute") !=
               std::string::npos);
    BOOST_TEST(error("{auth: {token_file: /t, scopes: {read: 'a b'}}}")
                   .find("server.http.auth.scopes.read: must be 1 to 64 visible ASCII") !=
               std::string::npos);
    BOOST_TEST(error("{auth: {token_file: /t, scopes: {read: x, admin: x}}}")
                   .find("server.http.auth.scopes: read and admin must be different") !=
               std::string::npos);
    BOOST_TEST(error("{auth: {token_file: /t, scopes: {write: x}}}")
                   .find("server.http.auth.scopes.write: unknown key") != std::string::npos);
    BOOST_TEST(
        error("{auth: {token_file: /t, tokens: x}}").find("server.http.auth.tokens: unknown key") !=
        std::string::npos);
    BOOST_TEST(error("{tls: {certificate: c}}").find("server.http.tls.key: is required") !=
               std::string::npos);
    BOOST_TEST(error("{tls: {key: k}}").find("server.http.tls.certificate: is required") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
