// Who may read or change the files server.http settings name: the token file (private),
// the TLS key (private, or root's shared with its group) and the JWK Set (trusted: nobody
// else may write it). The server's user is a parameter, so both a root server and an
// unprivileged one are checked here (the tests run as root and chown the files).
#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <string>

#include <boost/test/unit_test.hpp>

#include "mcp/http/setting_files.hpp"
#include "subprocess.hpp"

using namespace schedcp::host::mcp::http;

namespace {

constexpr uid_t kServerUser = 4242;  // an unprivileged server's uid
constexpr uid_t kSomeoneElse = 4343;

// "" when `check` accepts the file, else its message.
std::string refusal(const std::function<void()>& check) {
    try {
        check();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

struct File {
    schedcp::test::TempDir dir;
    std::string path = dir.write("f", "contents\n");
    void set(uid_t uid, mode_t mode) const {
        BOOST_REQUIRE(::chown(path.c_str(), uid, static_cast<gid_t>(-1)) == 0);
        BOOST_REQUIRE(::chmod(path.c_str(), mode) == 0);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(setting_files)

BOOST_AUTO_TEST_CASE(a_private_file_is_the_server_users_alone) {
    File f;
    auto check = [&] { check_private_file(f.path, kServerUser, "server.http.auth.token_file"); };
    f.set(kServerUser, 0600);
    BOOST_TEST(refusal(check) == "");
    f.set(kServerUser, 0400);
    BOOST_TEST(refusal(check) == "");
    for (mode_t mode : {0640, 0604, 0620, 0602, 0660}) {
        f.set(kServerUser, mode);
        BOOST_TEST(refusal(check).find("lets other users read or change it; chmod 600 it") !=
                       std::string::npos,
                   refusal(check));
    }
    f.set(0, 0600);  // root's file is not the unprivileged server's
    BOOST_TEST(
        refusal(check).find("owned by uid 0, not by the server's user (uid 4242); chown it") !=
        std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_key_is_the_server_users_alone_or_roots_shared_with_its_group) {
    File f;
    auto check = [&] { check_key_file(f.path, kServerUser, "server.http.tls.key"); };
    f.set(kServerUser, 0600);
    BOOST_TEST(refusal(check) == "");
    f.set(kServerUser, 0640);  // the server's own key: no group
    BOOST_TEST(refusal(check).find("server.http.tls.key " + f.path +
                                   ": mode 0640 lets other users read or change the private key; "
                                   "chmod 600 it") != std::string::npos,
               refusal(check));
    f.set(0, 0640);  // root:ssl-cert 0640, Debian's layout
    BOOST_TEST(refusal(check) == "");
    for (mode_t mode : {0644, 0660, 0604, 0642}) {
        f.set(0, mode);
        BOOST_TEST(
            refusal(check).find("lets users other than root and its group read or change "
                                "the private key; chmod 640 it (or 600)") != std::string::npos,
            refusal(check));
    }
    f.set(kSomeoneElse, 0600);
    BOOST_TEST(refusal(check).find("owned by uid 4343, not by the server's user (uid 4242) or "
                                   "root; chown it") != std::string::npos);
    // A root server: root's rule applies (0640 allowed), and a key of another user is refused.
    f.set(0, 0640);
    BOOST_TEST(refusal([&] { check_key_file(f.path, 0, "k"); }) == "");
    f.set(kSomeoneElse, 0600);
    BOOST_TEST(refusal([&] { check_key_file(f.path, 0, "k"); }).find("owned by uid 4343") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_trusted_file_may_be_read_by_anyone_but_changed_only_by_its_owner) {
    File f;
    auto check = [&] { check_trusted_file(f.path, kServerUser, "server.http.auth.jwks_file"); };
    for (uid_t owner : {kServerUser, uid_t{0}}) {
        for (mode_t mode : {0644, 0600, 0444}) {
            f.set(owner, mode);
            BOOST_TEST(refusal(check) == "");
        }
        for (mode_t mode : {0664, 0646, 0666}) {
            f.set(owner, mode);
            BOOST_TEST(refusal(check).find("lets other users change it; chmod go-w it") !=
                           std::string::npos,
                       refusal(check));
        }
    }
    f.set(kSomeoneElse, 0644);
    BOOST_TEST(refusal(check).find("owned by uid 4343") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_files_and_directories_are_named) {
    schedcp::test::TempDir dir;
    BOOST_TEST(refusal([&] {
                   check_key_file(dir.file("missing"), 0, "server.http.tls.key");
               }).find("server.http.tls.key " + dir.file("missing") + ": cannot be read") !=
               std::string::npos);
    BOOST_TEST(refusal([&] {
                   check_trusted_file(dir.path(), 0, "server.http.auth.jwks_file");
               }).find("not a regular file") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
