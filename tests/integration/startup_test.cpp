// Start-up of both executables: config and plugin failures stop them with one clear
// line on stderr and exit code 2.
#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "subprocess.hpp"

using namespace schedcp::test;

namespace {
int lines(const std::string& s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(startup)

BOOST_AUTO_TEST_CASE(missing_plugin_stops_both_binaries_with_its_name) {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: catalog\n  - name: nonexistent_plugin\n");
    for (const char* exe : {"schedcp", "schedcp-cli"}) {
        std::vector<std::string> argv{bin(exe), "--config", cfg};
        if (std::string(exe) == "schedcp-cli") argv.push_back("plugins");
        auto r = run(argv);
        BOOST_TEST(r.status == 2, exe);
        BOOST_TEST(
            r.err.find("plugin 'nonexistent_plugin' (nonexistent_plugin.so): not found in") !=
                std::string::npos,
            r.err);
        BOOST_TEST(lines(r.err) == 1, r.err);
        BOOST_TEST(r.out.empty());
    }
}

BOOST_AUTO_TEST_CASE(abi_mismatch_and_failing_start_exit_2) {
    TempDir dir;
    auto r = run({bin("schedcp"), "--config", write_config(dir, "  - name: badabi\n")});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("schedcp: plugin 'badabi' (" + std::string(TEST_PLUGIN_DIR) +
                          "/badabi.so): ABI version 999") == 0u,
               r.err);
    BOOST_TEST(lines(r.err) == 1, r.err);
    // Another Boost: refused the same way, one line naming both versions and the file.
    r = run({bin("schedcp-cli"), "--config", write_config(dir, "  - name: badboost\n"), "plugins"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("schedcp-cli: plugin 'badboost' (" + std::string(TEST_PLUGIN_DIR) +
                          "/badboost.so): built against SDK headers ") == 0u,
               r.err);
    BOOST_TEST(r.err.find(" and Boost 1.74.0, but this host has SDK headers ") != std::string::npos,
               r.err);
    BOOST_TEST(r.err.find("must not run") == std::string::npos, r.err);
    BOOST_TEST(lines(r.err) == 1, r.err);
    r = run({bin("schedcp-cli"), "--config",
             write_config(dir, "  - name: lifecycle\n    settings: {fail_in: start}\n"),
             "plugins"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("start failed: told to fail in start") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(bad_config_names_key_and_file) {
    TempDir dir;
    std::string cfg = dir.write("bad.yaml", "plugins:\n  - name: catalog\n    setings: {}\n");
    auto r = run({bin("schedcp"), "--config", cfg});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(
        r.err ==
        "schedcp: config " + cfg +
            ":3:5: plugins[0].setings: unknown key; allowed: enabled, name, path, settings\n");
    r = run({bin("schedcp-cli"), "--config", dir.file("nope.yaml"), "list"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("no such file (from --config)") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(config_from_environment) {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: testplug\n");
    auto r = run({bin("schedcp-cli"), "plugins", "--json"}, {{"SCHEDCP_CONFIG", cfg}});
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(r.out.find("\"testplug\"") != std::string::npos);
    BOOST_TEST(r.out.find("catalog") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(default_config_beside_the_binary_loads_the_catalog) {
    TempDir home;
    auto r = run({bin("schedcp-cli"), "plugins", "--json"},
                 {{"SCHEDCP_CONFIG", ""}, {"HOME", home.path()}});
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(r.out.find("etc/schedcp/schedcp.yaml") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("\"catalog\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(server_help_and_bad_arguments) {
    auto r = run({bin("schedcp"), "--help"});
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find("Usage: schedcp [--config FILE]") == 0u);
    r = run({bin("schedcp"), "--bogus"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("unknown argument '--bogus'") != std::string::npos);
    r = run({bin("schedcp"), "--version"});
    BOOST_TEST(r.out.find("schedcp ") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
