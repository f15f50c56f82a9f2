#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "config.hpp"
#include "host.hpp"
#include "plugin_context_impl.hpp"
#include "plugin_prefetch.hpp"
#include "subprocess.hpp"
#include "tool_invoker.hpp"

namespace bj = boost::json;
using namespace schedcp;
using namespace schedcp::host;

namespace {

struct Fixture {
    test::TempDir dir;

    std::unique_ptr<Host> make(const std::string& plugins_yaml) {
        std::string yaml = "data_dir: " + dir.file("data") + "\nplugin_dirs: [" + TEST_PLUGIN_DIR +
                           "]\nplugins:\n" + plugins_yaml;
        auto cfg = parse_config(yaml, dir.file("schedcp.yaml"));
        return std::make_unique<Host>(std::move(cfg), sdk::HostMode::cli, SCHEDCP_BIN_DIR);
    }

    // The error load_and_start() throws ("" if none).
    std::string load_error(const std::string& plugins_yaml) {
        auto host = make(plugins_yaml);
        try {
            host->load_and_start();
        } catch (const std::exception& e) {
            return e.what();
        }
        return "";
    }

    std::string marker() {
        std::ifstream in(dir.file("marker"));
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
};

struct CallCtx final : sdk::CallContext {
    explicit CallCtx(Host& h) : host(h) {}
    boost::asio::any_io_executor executor() override { return host.io().get_executor(); }
    boost::asio::any_io_executor blocking_executor() override { return host.blocking_executor(); }
    sdk::Logger& logger() override { return host.logger(); }
    void report_progress(double, std::optional<double>, std::string_view) override {}
    std::stop_token stop_token() const override { return {}; }
    Host& host;
};

sdk::ToolResult call(Host& host, const std::string& tool, bj::object args) {
    CallCtx ctx(host);
    sdk::ToolResult out;
    auto* t = host.find_tool(tool);
    BOOST_REQUIRE(t);
    boost::asio::co_spawn(
        host.io(),
        [&]() -> boost::asio::awaitable<void> {
            out = co_await invoke_tool(*t, args, ctx, host.logger(), ResultCheck::output_schema);
        },
        boost::asio::detached);
    host.io().restart();
    host.io().run();
    return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(plugin_loading, Fixture)

BOOST_AUTO_TEST_CASE(loads_registers_and_stops_in_reverse_order) {
    const std::string m = dir.file("marker");
    {
        auto host = make("  - name: lifecycle\n    settings: {marker_file: " + m +
                         "}\n"
                         "  - name: testplug\n    settings: {marker_file: " +
                         m + ", greeting: hi}\n");
        host->load_and_start();
        BOOST_REQUIRE(host->plugins().size() == 2u);
        BOOST_TEST(host->plugins()[1].abi_version == SCHEDCP_SDK_ABI_VERSION);
        std::vector<std::string> tools;
        for (const auto& t : host->tools()) tools.push_back(t.spec.name);
        BOOST_TEST((tools == std::vector<std::string>{"echo", "recall", "sleep", "fail", "log"}));
        BOOST_TEST(host->commands().size() == 4u);
        BOOST_TEST(host->plugins()[1].tools.size() == 5u);
        host->stop();
    }
    BOOST_TEST(marker() ==
               "setup lifecycle\nsetup testplug\nstart lifecycle\nstart testplug\nstop "
               "testplug\nstop lifecycle\n");
}

BOOST_AUTO_TEST_CASE(disabled_plugins_are_not_loaded) {
    auto host =
        make("  - name: testplug\n    enabled: false\n  - name: ghost\n    enabled: false\n");
    host->load_and_start();
    BOOST_TEST(host->plugins().empty());
    BOOST_TEST(host->tools().empty());
}

BOOST_AUTO_TEST_CASE(missing_file) {
    std::string e = load_error("  - name: ghost\n");
    BOOST_TEST(
        e.find("plugin 'ghost' (ghost.so): not found in " + std::string(TEST_PLUGIN_DIR)) == 0u, e);
    e = load_error("  - name: ghost\n    path: /nonexistent/ghost.so\n");
    BOOST_TEST(e == "plugin 'ghost' (/nonexistent/ghost.so): no such file");
}

BOOST_AUTO_TEST_CASE(not_a_plugin) {
    std::string e = load_error("  - name: nosymbol\n");
    BOOST_TEST(e.find("plugin 'nosymbol' (") == 0u);
    BOOST_TEST(e.find("missing symbol 'schedcp_plugin_abi_version'") != std::string::npos, e);
    std::string junk = dir.write("junk.so", "this is not an ELF file");
    e = load_error("  - name: junk\n    path: " + junk + "\n");
    BOOST_TEST(e.find("plugin 'junk' (" + junk + "): not an ELF shared library") == 0u, e);
}

// The libraries load ahead in config order; take(i) gives each, or its own error, and
// nothing after a failed one is loaded.
BOOST_AUTO_TEST_CASE(libraries_load_ahead_in_order_and_stop_at_the_first_failure) {
    PluginPrefetch prefetch({{.name = "testplug", .path = std::nullopt},
                             {.name = "ghost", .path = std::nullopt},
                             {.name = "lifecycle", .path = std::nullopt}},
                            {TEST_PLUGIN_DIR});
    const LoadedLibrary first = prefetch.take(0);
    BOOST_TEST(first.file == std::filesystem::path(TEST_PLUGIN_DIR) / "testplug.so");
    BOOST_TEST(first.abi_version == SCHEDCP_SDK_ABI_VERSION);
    std::string error;
    try {
        prefetch.take(1);
    } catch (const PluginLoadError& e) {
        error = e.what();
    }
    BOOST_TEST(error.find("plugin 'ghost' (ghost.so): not found in ") == 0u, error);
    error.clear();
    try {
        prefetch.take(2);
    } catch (const PluginLoadError& e) {
        error = e.what();
    }
    BOOST_TEST(error ==
               "plugin 'lifecycle': not loaded, since plugin 'ghost' before it failed to load");
}

BOOST_AUTO_TEST_CASE(abi_mismatch) {
    std::string e = load_error("  - name: badabi\n");
    BOOST_TEST(e.find("ABI version 999, but this host needs " +
                      std::to_string(SCHEDCP_SDK_ABI_VERSION)) != std::string::npos,
               e);
    BOOST_TEST(e.find("badabi.so") != std::string::npos);
}

// BOOST_VERSION 108100 -> "1.81.0", as the loader prints it.
std::string boost_text(unsigned v) {
    return std::to_string(v / 100000) + "." + std::to_string(v / 100 % 1000) + "." +
           std::to_string(v % 100);
}

BOOST_AUTO_TEST_CASE(sdk_headers_hash_mismatch) {
    std::string e = load_error("  - name: badhash\n");
    const std::string zeros(64, '0');
    BOOST_TEST(e == "plugin 'badhash' (" + std::string(TEST_PLUGIN_DIR) +
                        "/badhash.so): built against SDK headers " + zeros + " and Boost " +
                        boost_text(BOOST_VERSION) + ", but this host has SDK headers " +
                        SCHEDCP_SDK_HEADERS_HASH + " and Boost " + boost_text(BOOST_VERSION) +
                        " (rebuild the plugin against this SDK)",
               e);
}

BOOST_AUTO_TEST_CASE(boost_version_mismatch) {
    std::string e = load_error("  - name: badboost\n");
    BOOST_TEST(e == "plugin 'badboost' (" + std::string(TEST_PLUGIN_DIR) +
                        "/badboost.so): built against SDK headers " + SCHEDCP_SDK_HEADERS_HASH +
                        " and Boost 1.74.0, but this host has SDK headers " +
                        SCHEDCP_SDK_HEADERS_HASH + " and Boost " + boost_text(BOOST_VERSION) +
                        " (rebuild the plugin against this SDK)",
               e);
}

BOOST_AUTO_TEST_CASE(headers_hash_is_a_sha256) {
    const std::string hash = SCHEDCP_SDK_HEADERS_HASH;
    BOOST_TEST(hash.size() == 64u);
    BOOST_TEST(hash.find_first_not_of("0123456789abcdef") == std::string::npos, hash);
    BOOST_TEST(SCHEDCP_SDK_BOOST_VERSION == BOOST_VERSION);
}

BOOST_AUTO_TEST_CASE(name_mismatch) {
    std::string e = load_error("  - name: wrongname\n");
    BOOST_TEST(
        e.find("the library is plugin 'somebody_else', but the config loads it as 'wrongname'") !=
            std::string::npos,
        e);
}

BOOST_AUTO_TEST_CASE(failing_setup_and_start) {
    std::string e = load_error("  - name: lifecycle\n    settings: {fail_in: setup}\n");
    BOOST_TEST(e.find("plugin 'lifecycle' (") == 0u);
    BOOST_TEST(e.find("setup failed: told to fail in setup") != std::string::npos, e);

    const std::string m = dir.file("marker");
    e = load_error("  - name: testplug\n    settings: {marker_file: " + m +
                   "}\n"
                   "  - name: lifecycle\n    settings: {fail_in: start, marker_file: " +
                   m + "}\n");
    BOOST_TEST(e.find("start failed: told to fail in start") != std::string::npos, e);
    // What had started is stopped again.
    BOOST_TEST(marker() ==
               "setup testplug\nsetup lifecycle\nstart testplug\nstart lifecycle\nstop testplug\n");
}

BOOST_AUTO_TEST_CASE(settings_are_validated_against_the_plugin_schema) {
    std::string e = load_error("  - name: testplug\n    settings: {bogus: 1}\n");
    BOOST_TEST(e.find(dir.file("schedcp.yaml") +
                      ":4: plugins entry 'testplug': settings.bogus is not a known property; "
                      "allowed: marker_file, greeting") != std::string::npos,
               e);
    e = load_error("  - name: testplug\n    settings: {greeting: 5}\n");
    BOOST_TEST(e.find("settings.greeting must be a string, got integer") != std::string::npos, e);
}

// The schema validator refuses what it does not implement, naming the keyword and where
// it is, so no plugin believes an unchecked keyword constrains anything.
BOOST_AUTO_TEST_CASE(schemas_with_unsupported_keywords_are_refused_at_registration) {
    std::string e = load_error("  - name: lifecycle\n    settings: {unsupported_schema: input}\n");
    BOOST_TEST(e.find("setup failed: tool 'odd': input schema.properties.a: unsupported keyword "
                      "'patternProperties'") != std::string::npos,
               e);
    e = load_error("  - name: lifecycle\n    settings: {unsupported_schema: output}\n");
    BOOST_TEST(e.find("setup failed: tool 'odd': output schema.properties.a: unsupported keyword "
                      "'patternProperties'") != std::string::npos,
               e);
    e = load_error("  - name: badsettings\n");
    BOOST_TEST(e.find("plugin 'badsettings' (") == 0u, e);
    BOOST_TEST(e.find("its settings schema is invalid: schema.properties.url: unsupported "
                      "keyword 'format'") != std::string::npos,
               e);
}

BOOST_AUTO_TEST_CASE(duplicate_tool_names_are_refused) {
    std::string e = load_error(
        "  - name: testplug\n  - name: lifecycle\n    settings: {register_echo: true}\n");
    BOOST_TEST(e.find("setup failed: tool 'echo' is already registered by plugin 'testplug'") !=
                   std::string::npos,
               e);
}

BOOST_AUTO_TEST_CASE(a_command_may_map_only_to_its_own_plugins_tool) {
    // Another plugin's tool, and a tool nobody registered: refused when the plugin loads.
    std::string e = load_error(
        "  - name: testplug\n  - name: lifecycle\n    settings: {command_for_tool: echo}\n");
    BOOST_TEST(
        e.find("setup failed: command 'lifecycle-cmd' maps to tool 'echo', which plugin "
               "'lifecycle' has not registered (register the tool first)") != std::string::npos,
        e);
    e = load_error("  - name: lifecycle\n    settings: {command_for_tool: nothing_here}\n");
    BOOST_TEST(e.find("maps to tool 'nothing_here'") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(errors_thrown_in_plugins_keep_their_type_across_the_boundary) {
    auto host = make("  - name: testplug\n");
    host->load_and_start();
    auto r = call(*host, "fail", {{"code", "not_found"}});
    BOOST_TEST(r.is_error);
    BOOST_TEST(r.structured.at("error").at("code").as_string() == "not_found");
    BOOST_TEST(r.text.find("no such thing 'x'") == 0u);
    BOOST_TEST(r.text.find("close_matches") != std::string::npos);  // details ride along
    r = call(*host, "fail", {{"code", "conflict"}});
    BOOST_TEST(r.structured.at("error").at("code").as_string() == "conflict");
    r = call(*host, "fail", {{"code", "std"}});
    BOOST_TEST(r.structured.at("error").at("code").as_string() == "internal");
    BOOST_TEST(r.text == "internal error in plugin 'testplug': plain std exception");
    r = call(*host, "echo", {{"text", 5}});
    BOOST_TEST(r.is_error);
    BOOST_TEST(r.text ==
               "invalid arguments for tool 'echo': arguments.text must be a string, got integer");
    r = call(*host, "echo", {{"text", "x"}});
    BOOST_TEST(!r.is_error);
    BOOST_TEST(r.structured.at("greeting").as_string() == "hello");
    host->stop();
}

BOOST_AUTO_TEST_CASE(plugin_data_dir_is_private) {
    auto host = make("  - name: testplug\n");
    host->load_and_start();
    auto path = host->plugins()[0].context->data_dir();
    BOOST_TEST(path == std::filesystem::path(dir.file("data")) / "testplug");
    struct stat st {};
    BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0700u);
    host->stop();
}

BOOST_AUTO_TEST_SUITE_END()
