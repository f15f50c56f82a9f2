// The other tools' configuration as schedcp reads it: scx_loader's TOML
// (scx_loader_config.hpp, with toml++) and scx.service's /etc/default/scx
// (scx_service_config.hpp, systemd's EnvironmentFile= syntax, never a shell). Every problem
// names the file and the line.
#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "runner/foreign_config_file.hpp"
#include "runner/scx_loader_config.hpp"
#include "runner/scx_service_config.hpp"
#include "schedcp/sdk/error.hpp"
#include "subprocess.hpp"

namespace runner = schedcp::plugins::runner;
using Args = std::vector<std::string>;

namespace {

const std::filesystem::path kToml = "/etc/scx_loader.toml";
const std::filesystem::path kEnv = "/etc/default/scx";

// The message of the sdk::InvalidArgument `f` throws ("" when it throws none).
template <class F>
std::string refusal(F f) {
    try {
        f();
    } catch (const schedcp::sdk::InvalidArgument& e) {
        return e.what();
    }
    return "";
}

std::string loader_refusal(const std::string& text) {
    return refusal([&] { runner::parse_scx_loader_config(text, kToml); });
}
std::string env_refusal(const std::string& text) {
    return refusal([&] { runner::parse_environment_file(text, kEnv); });
}
std::string env_value(const std::string& text, const std::string& key) {
    return runner::parse_environment_file(text, kEnv).at(key).value;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scx_loader_config)

BOOST_AUTO_TEST_CASE(reads_default_sched_default_mode_and_mode_arguments) {
    auto c = runner::parse_scx_loader_config(R"(# scx_loader
default_sched = "scx_lavd"
default_mode = "LowLatency"

[scheds.scx_lavd]
gaming_mode = ["--performance", "--slice-max-us", "4000"]
server_mode = []
unknown_key = 3

[scheds.scx_bpfland]
powersave_mode = ["-m", "powersave"]
)",
                                             kToml);
    BOOST_TEST(c.file == kToml);
    BOOST_TEST(*c.default_sched == "scx_lavd");
    BOOST_TEST(c.default_sched_line == 2u);
    BOOST_TEST(c.default_mode == "lowlatency");
    BOOST_TEST(c.default_mode_set);
    BOOST_TEST(c.mode_override("scx_lavd", "gaming")->args ==
                   (Args{"--performance", "--slice-max-us", "4000"}),
               boost::test_tools::per_element());
    // Present but empty replaces the built-in arguments with none (scx_loader's code does).
    BOOST_REQUIRE(c.mode_override("scx_lavd", "server"));
    BOOST_TEST(c.mode_override("scx_lavd", "server")->args.empty());
    BOOST_TEST(c.mode_override("scx_lavd", "gaming")->line == 6u);
    BOOST_TEST(c.mode_override("scx_lavd", "server")->line == 7u);
    BOOST_TEST(!c.mode_override("scx_lavd", "auto"));
    BOOST_TEST(c.mode_override("scx_bpfland", "powersave")->args == (Args{"-m", "powersave"}),
               boost::test_tools::per_element());
    BOOST_TEST(!c.mode_override("scx_rusty", "gaming"));
}

BOOST_AUTO_TEST_CASE(defaults_as_scx_loaders) {
    auto c = runner::parse_scx_loader_config("# only a comment\n", kToml);
    BOOST_TEST(!c.default_sched);
    BOOST_TEST(c.default_mode == "auto");  // scx_loader's default
    BOOST_TEST(!c.default_mode_set);
    c = runner::parse_scx_loader_config("default_sched = \"\"\n", kToml);
    BOOST_TEST(!c.default_sched);  // "" is none (scx_loader's configuration.md)
}

BOOST_AUTO_TEST_CASE(malformed_files_name_the_file_line_and_key) {
    BOOST_TEST(loader_refusal("") ==
               "/etc/scx_loader.toml: empty (scx_loader refuses an empty config)");
    auto e = loader_refusal("default_sched = \"scx_lavd\"\ndefault_mode = \n");
    BOOST_TEST(e.starts_with("/etc/scx_loader.toml:2: not valid TOML: "), e);
    // Each: a file, and the whole refusal.
    const std::vector<std::pair<std::string, std::string>> refusals{
        {"\n\ndefault_sched = 3\n",
         "/etc/scx_loader.toml:3: default_sched must be a string, not an integer"},
        {"default_mode = \"gaming\"\n",
         "/etc/scx_loader.toml:1: default_mode must be Auto, Gaming, PowerSave, LowLatency or "
         "Server (as scx_loader spells them), not 'gaming'"},
        {"scheds = 1\n",
         "/etc/scx_loader.toml:1: scheds must be a table ([scheds.NAME]), not an integer"},
        {"[scheds]\nscx_lavd = \"x\"\n",
         "/etc/scx_loader.toml:2: scheds.scx_lavd must be a table, not a string"},
        {"[scheds.scx_lavd]\ngaming_mode = \"--performance\"\n",
         "/etc/scx_loader.toml:2: scheds.scx_lavd.gaming_mode must be an array of strings (the "
         "scheduler's arguments), not a string"},
        {"[scheds.scx_lavd]\n\nauto_mode = [\"--autopilot\",\n  7]\n",
         "/etc/scx_loader.toml:4: scheds.scx_lavd.auto_mode[1] must be a string, not an integer"},
    };
    for (const auto& [text, want] : refusals) BOOST_TEST(loader_refusal(text) == want, text);
    // A duplicate key is invalid TOML (toml++ says where).
    e = loader_refusal("default_sched = \"a\"\ndefault_sched = \"b\"\n");
    BOOST_TEST(e.starts_with("/etc/scx_loader.toml:2: not valid TOML: "), e);
}

BOOST_AUTO_TEST_CASE(hostile_keys_are_printed_safely) {
    auto e = loader_refusal("[scheds.\"\\u001b[31mred\"]\nauto_mode = 1\n");
    BOOST_TEST(e.find('\x1b') == std::string::npos, e);
    BOOST_TEST(e.starts_with("/etc/scx_loader.toml:2: scheds."), e);
}

BOOST_AUTO_TEST_CASE(the_first_existing_path_wins_even_when_broken) {
    schedcp::test::TempDir dir;
    const std::string a = dir.file("a.toml"), b = dir.file("b.toml"), c = dir.file("c.toml");
    std::ofstream(b) << "default_sched = \"scx_rusty\"\n";
    std::ofstream(c) << "default_sched = \"scx_lavd\"\n";
    auto got = runner::load_scx_loader_config({a, b, c});
    BOOST_REQUIRE(got);
    BOOST_TEST(got->file == b);
    BOOST_TEST(*got->default_sched == "scx_rusty");
    std::ofstream(a) << "default_sched = [\n";
    auto e = refusal([&] { runner::load_scx_loader_config({a, b, c}); });
    BOOST_TEST(e.starts_with(a + ":"), e);
    BOOST_TEST(!runner::load_scx_loader_config({dir.file("none.toml")}));
    BOOST_TEST(!runner::load_scx_loader_config({}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(scx_service_config)

BOOST_AUTO_TEST_CASE(environment_file_syntax_as_systemd_reads_it) {
    BOOST_TEST(env_value("A=plain\n", "A") == "plain");
    BOOST_TEST(env_value("  A  =   spaced out   \n", "A") == "spaced out");
    BOOST_TEST(env_value("A='-s 3000 -k'\n", "A") == "-s 3000 -k");
    BOOST_TEST(env_value("A=\"x \\\"y\\\" \\$z \\n\"\n", "A") == "x \"y\" $z \\n");
    BOOST_TEST(env_value("A='single \\ kept'\n", "A") == "single \\ kept");
    BOOST_TEST(env_value("A=one\\\ntwo\n", "A") == "onetwo");  // continued line
    BOOST_TEST(env_value("A=a\\ b\n", "A") == "a b");
    BOOST_TEST(env_value("A=$(reboot)\n", "A") == "$(reboot)");  // nothing is expanded
    BOOST_TEST(env_value("A=\nB=x", "A") == "");
    BOOST_TEST(env_value("A=1\nA=2\n", "A") == "2");  // the last one counts
    BOOST_TEST(env_value("# c\n; c\n\n  # c \\\n  still a comment=1\nA=1\r\n", "A") == "1");
    auto values = runner::parse_environment_file("\n\nSCX_FLAGS='-a\n-b'\nX=1\n", kEnv);
    BOOST_TEST(values.at("SCX_FLAGS").line == 3u);
    BOOST_TEST(values.at("SCX_FLAGS").value == "-a\n-b");
    BOOST_TEST(values.at("X").line == 5u);
    BOOST_TEST(!values.contains("still a comment"));
}

BOOST_AUTO_TEST_CASE(lines_systemd_would_ignore_are_refused) {
    // Each: a file, and the whole refusal.
    const std::vector<std::pair<std::string, std::string>> refusals{
        {"A=1\nSCX_SCHEDULER scx_rusty\n",
         "/etc/default/scx:2: 'SCX_SCHEDULER scx_rusty' is not an assignment KEY=VALUE (systemd "
         "would ignore the line)"},
        {"export SCX_SCHEDULER=scx_rusty\n",
         "/etc/default/scx:1: 'export SCX_SCHEDULER' is not a variable name "
         "[A-Za-z_][A-Za-z0-9_]* (systemd ignores the line, so scx.service would not see it; "
         "drop 'export')"},
        {"1A=x\n",
         "/etc/default/scx:1: '1A' is not a variable name [A-Za-z_][A-Za-z0-9_]* (systemd "
         "ignores the line, so scx.service would not see it)"},
        {"\nA='open\nB=2\n", "/etc/default/scx:2: a value opened with ' is never closed"},
    };
    for (const auto& [text, want] : refusals) BOOST_TEST(env_refusal(text) == want, text);
}

BOOST_AUTO_TEST_CASE(scheduler_and_flags) {
    auto c = runner::parse_scx_service_config(
        "# List of scx_schedulers: scx_bpfland scx_rusty\nSCX_SCHEDULER=scx_rusty\n\n"
        "SCX_FLAGS='--slice-us-underutil 30000   -k'\n",
        kEnv);
    BOOST_TEST(*c.scheduler == "scx_rusty");
    BOOST_TEST(c.scheduler_line == 2u);
    BOOST_TEST(c.flags == (Args{"--slice-us-underutil", "30000", "-k"}),
               boost::test_tools::per_element());
    BOOST_TEST(c.flags_line == 4u);
    c = runner::parse_scx_service_config("SCX_SCHEDULER=/usr/bin/scx_lavd\n", kEnv);
    BOOST_TEST(*c.scheduler == "scx_lavd");
    BOOST_TEST(c.flags.empty());
    c = runner::parse_scx_service_config("#SCX_SCHEDULER=scx_lavd\n", kEnv);
    BOOST_TEST(!c.scheduler);
    auto e =
        refusal([] { runner::parse_scx_service_config("SCX_SCHEDULER='scx_rusty -k'\n", kEnv); });
    BOOST_TEST(e ==
               "/etc/default/scx:1: SCX_SCHEDULER holds 2 words; it names one scheduler "
               "(its flags go in SCX_FLAGS)");
    e = refusal([] {
        runner::parse_scx_service_config("SCX_SCHEDULER=scx_rusty\nSCX_FLAGS=--cpus *\n", kEnv);
    });
    BOOST_TEST(e ==
               "/etc/default/scx:2: SCX_FLAGS: '*' has * ? or [: scx.service's bash would "
               "expand it as a file pattern");
}

BOOST_AUTO_TEST_CASE(files_that_are_not_configuration) {
    schedcp::test::TempDir dir;
    BOOST_TEST(!runner::load_scx_service_config(dir.file("absent")));
    std::filesystem::create_directories(dir.file("a_dir"));
    auto e = refusal([&] { runner::load_scx_service_config(dir.file("a_dir")); });
    BOOST_TEST(e == dir.file("a_dir") + ": not a regular file");
    std::ofstream(dir.file("nul"), std::ios::binary) << std::string("A=1\nB=\0x\n", 9);
    e = refusal([&] { runner::load_scx_service_config(dir.file("nul")); });
    BOOST_TEST(e == dir.file("nul") + ":2: holds a NUL byte: not a text file");
    std::ofstream(dir.file("big")) << std::string(runner::kMaxForeignConfigBytes + 1, '#');
    e = refusal([&] { runner::load_scx_service_config(dir.file("big")); });
    BOOST_TEST(e.starts_with(dir.file("big") + ": too large ("), e);
}

BOOST_AUTO_TEST_SUITE_END()
