// Where an installation keeps its config and the guard's policy (schedcp/sdk/install_layout.hpp),
// and the host's default config found through it for a prefix other than /usr.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "config.hpp"
#include "schedcp/sdk/install_layout.hpp"
#include "subprocess.hpp"

namespace layout = schedcp::sdk::install_layout;
using std::filesystem::path;

BOOST_AUTO_TEST_SUITE(install_layout)

BOOST_AUTO_TEST_CASE(usr_keeps_its_config_in_etc) {
    BOOST_TEST(layout::sysconf_dir("/usr") == path("/etc"));
    BOOST_TEST(layout::sysconf_dir("/usr/") == path("/etc"));
    BOOST_TEST(layout::config_dir(layout::prefix_of_bin_dir("/usr/bin")) == path("/etc/schedcp"));
    BOOST_TEST(layout::config_dir(layout::prefix_of_lib_schedcp_dir("/usr/lib/schedcp/libexec")) ==
               path("/etc/schedcp"));
    BOOST_TEST(layout::config_dir(layout::prefix_of_lib_schedcp_dir("/usr/lib/schedcp/plugins/")) ==
               path("/etc/schedcp"));
}

BOOST_AUTO_TEST_CASE(other_prefixes_keep_it_under_the_prefix) {
    BOOST_TEST(layout::sysconf_dir("/usr/local") == path("/usr/local/etc"));
    BOOST_TEST(layout::sysconf_dir("/") == path("/etc"));
    BOOST_TEST(layout::config_dir(layout::prefix_of_bin_dir("/opt/schedcp/bin")) ==
               path("/opt/schedcp/etc/schedcp"));
    BOOST_TEST(layout::config_dir(layout::prefix_of_lib_schedcp_dir(
                   "/work/build/lib/schedcp/libexec")) == path("/work/build/etc/schedcp"));
    // A prefix that only ends in "usr" is not /usr.
    BOOST_TEST(layout::sysconf_dir("/home/usr") == path("/home/usr/etc"));
}

BOOST_AUTO_TEST_CASE(host_finds_the_config_of_its_own_prefix) {
    schedcp::test::TempDir dir;
    std::filesystem::create_directories(dir.file("prefix/bin"));
    std::filesystem::create_directories(dir.file("prefix/etc/schedcp"));
    std::string file = dir.write("prefix/etc/schedcp/schedcp.yaml", "plugins: []\n");
    ::unsetenv("SCHEDCP_CONFIG");
    BOOST_TEST(schedcp::host::resolve_config_path(std::nullopt, dir.file("prefix/bin")) ==
               path(file));
}

BOOST_AUTO_TEST_SUITE_END()
