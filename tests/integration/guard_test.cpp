// schedcp-guard is what the README's sudoers rule allows, so it must be no root shell: it
// runs only a scheduler it resolves itself from a root-owned policy. Hostile arguments,
// given by an unprivileged user through real sudo (a throw-away user and a sudoers drop-in
// written exactly as the README documents it) and directly as root, are each refused with
// their reason, and nothing runs: the shell command they carry would create a marker file,
// which never appears.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"

namespace fs = std::filesystem;
using namespace schedcp::test;

namespace {

bool executable(const std::string& p) {
    return ::access(p.c_str(), X_OK) == 0;
}

// A throw-away system user with the README's sudoers rule for the guard; both removed in
// the destructor, also when a test fails.
class SudoUser {
  public:
    SudoUser() : name_("schedcp-t" + std::to_string(::getpid())) {
        auto r = run({"/usr/sbin/useradd", "--system", "--no-create-home", "--shell",
                      "/usr/sbin/nologin", name_});
        if (r.status != 0) throw std::runtime_error("useradd " + name_ + ": " + r.err);
        created_ = true;
        struct passwd* pw = ::getpwnam(name_.c_str());
        if (!pw) throw std::runtime_error("getpwnam " + name_);
        uid_ = pw->pw_uid;
        gid_ = pw->pw_gid;
        dropin_ = "/etc/sudoers.d/schedcp-guard-test-" + std::to_string(::getpid());
        std::ofstream(dropin_) << rule();
        fs::permissions(dropin_, fs::perms::owner_read | fs::perms::group_read);
        r = run({"/usr/sbin/visudo", "-c", "-f", dropin_});
        if (r.status != 0) throw std::runtime_error("visudo rejects the drop-in: " + r.out + r.err);
    }
    ~SudoUser() {
        std::error_code ec;
        if (!dropin_.empty()) fs::remove(dropin_, ec);
        if (created_) run({"/usr/sbin/userdel", name_});
    }
    SudoUser(const SudoUser&) = delete;
    SudoUser& operator=(const SudoUser&) = delete;

    // The rule, exactly as the README documents it.
    std::string rule() const { return name_ + " ALL=(root) NOPASSWD: " SCHEDCP_GUARD "\n"; }
    const std::string& name() const { return name_; }
    uid_t uid() const { return uid_; }
    gid_t gid() const { return gid_; }

    // Runs `argv` as this user.
    RunResult as_user(const std::vector<std::string>& argv) const {
        std::vector<std::string> full{"/usr/sbin/runuser", "-u", name_, "--"};
        full.insert(full.end(), argv.begin(), argv.end());
        return run(full);
    }

  private:
    std::string name_;
    std::string dropin_;
    bool created_ = false;
    uid_t uid_ = 0;
    gid_t gid_ = 0;
};

struct GuardFixture {
    TempDir dir;
    std::string marker = dir.file("shell-ran");
    std::string bin = dir.file("bin");
    std::string good_policy = dir.file("good.policy");

    GuardFixture() {
        fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read |
                                        fs::perms::group_exec | fs::perms::others_read |
                                        fs::perms::others_exec);
        fs::create_directories(bin);
        fs::create_symlink(FAKE_SCHEDULER, bin + "/scx_simple");
        std::ofstream(bin + "/scx_simple.conf") << "lines=1\n";
        std::ofstream(good_policy) << "# schedcp-guard policy 1\nscheduler_dir " << bin
                                   << "\ncustom_dir " << dir.file("custom") << "\n";
    }

    // A policy that would allow /bin/sh, if the guard trusted it.
    std::string shell_policy(const std::string& path) const {
        std::ofstream(path) << "# schedcp-guard policy 1\nscheduler_dir /bin\nscheduler sh\n";
        return path;
    }

    // Hostile argument lists and the refusal each must get. Every one carries a shell
    // command that would create `marker`.
    std::vector<std::pair<std::vector<std::string>, std::string>> hostile(
        const std::string& user_policy, const std::string& open_policy,
        const std::string& user_dir_policy) const {
        const std::vector<std::string> shell{"-c", "touch " + marker};
        auto with = [&](std::vector<std::string> a, bool dashdash = true) {
            if (dashdash) a.emplace_back("--");
            a.insert(a.end(), shell.begin(), shell.end());
            return a;
        };
        return {
            {with({"--", "/bin/sh"}, false), "--scheduler NAME or --custom NAME is required"},
            {with({"/bin/sh"}, false), "unknown option '/bin/sh'"},
            {with({"--policy", good_policy, "--scheduler", "sh"}),
             "'sh' is not a catalogued scheduler"},
            {with({"--policy", good_policy, "--scheduler", "../../bin/sh"}),
             "'../../bin/sh' is not a valid scheduler name"},
            {with({"--policy", good_policy, "--scheduler", "/bin/sh"}),
             "'/bin/sh' is not a valid scheduler name"},
            {with({"--policy", user_policy, "--scheduler", "sh"}), "not by root: not trusted"},
            {with({"--policy", open_policy, "--scheduler", "sh"}),
             "is writable by others: not trusted"},
            {with({"--policy", user_dir_policy, "--scheduler", "sh"}), "not by root: not trusted"},
            {with({"--policy", good_policy, "--custom", "../x"}),
             "'../x' is not a valid custom scheduler name"},
            {with({"--policy", "relative.policy", "--scheduler", "scx_simple"}),
             "--policy needs an absolute path"},
            {with({"--policy", "/etc/passwd", "--scheduler", "sh"}),
             "line 1: the first line must be '# schedcp-guard policy 1'"},
            {with({"--policy", good_policy, "--scheduler", "scx_simple", "--custom", "sh"}),
             "give one --scheduler or --custom"},
            {with({"--policy", good_policy, "--custom", "nosuch"}),
             "custom scheduler 'nosuch' was not found"},
        };
    }
};

void check_refused(const RunResult& r, const std::string& expect, const std::string& marker,
                   const std::string& what) {
    BOOST_TEST((r.status == 126 || r.status == 2), what << ": exit " << r.status << ": " << r.err);
    BOOST_TEST(r.err.find(expect) != std::string::npos,
               what << ": expected '" << expect << "' in: " << r.err);
    BOOST_TEST(r.out.empty(), what << ": status channel: " << r.out);
    BOOST_TEST(!fs::exists(marker), what << ": the shell ran");
}

std::string describe(const std::vector<std::string>& args) {
    std::string s;
    for (const auto& a : args) s += " [" + a + "]";
    return s;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(guard, GuardFixture)

BOOST_AUTO_TEST_CASE(as_root_the_guard_runs_no_program_it_did_not_resolve) {
    // As root every file is "owned by root", so: a policy in a directory anybody may write.
    const std::string open_dir = dir.file("open");
    fs::create_directories(open_dir);
    fs::permissions(open_dir, fs::perms::all);
    const std::string open_policy = shell_policy(open_dir + "/p.policy");
    for (const auto& [args, expect] : hostile(open_policy, open_policy, open_policy)) {
        std::vector<std::string> argv{SCHEDCP_GUARD};
        argv.insert(argv.end(), args.begin(), args.end());
        check_refused(run(argv),
                      expect == "not by root: not trusted" ? "is writable by others" : expect,
                      marker, describe(args));
    }
    // The control: what the policy allows does run, and reports on its status channel only
    // (stdin is at EOF at once here: the lifeline is gone, so it is stopped with SIGINT).
    auto r = run({SCHEDCP_GUARD, "--policy", good_policy, "--scheduler", "scx_simple"});
    BOOST_TEST(r.out.find("started pid=") == 0u, r.out << r.err);
    BOOST_TEST(r.out.find("stopping signal=SIGINT\n") != std::string::npos, r.out);
    BOOST_TEST(r.err.find("started pid=") == std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(through_sudo_an_unprivileged_user_cannot_run_a_shell) {
    if (!executable("/usr/bin/sudo") || !executable("/usr/sbin/useradd") ||
        !executable("/usr/sbin/runuser") || ::geteuid() != 0) {
        BOOST_TEST_MESSAGE(
            "sudo, useradd or runuser missing, or not root: skipped (install "
            "sudo: scripts/install-deps.sh does)");
        return;
    }
    SudoUser user;
    // A directory and a policy the user owns, one anybody may write, and a root-owned
    // policy that points into the user's directory (where the user put a link to /bin/sh).
    const std::string user_dir = dir.file("user");
    fs::create_directories(user_dir);
    BOOST_REQUIRE(::chown(user_dir.c_str(), user.uid(), user.gid()) == 0);
    auto w = user.as_user(
        {"/bin/sh", "-c",
         "printf '# schedcp-guard policy 1\\nscheduler_dir /bin\\nscheduler sh\\n' > " + user_dir +
             "/mine.policy && ln -s /bin/sh " + user_dir + "/sh"});
    BOOST_REQUIRE_MESSAGE(w.status == 0, w.err);
    const std::string open_dir = dir.file("open");
    fs::create_directories(open_dir);
    fs::permissions(open_dir, fs::perms::all);
    const std::string open_policy = shell_policy(open_dir + "/p.policy");
    const std::string user_dir_policy = dir.file("user-dir.policy");
    std::ofstream(user_dir_policy)
        << "# schedcp-guard policy 1\nscheduler_dir " << user_dir << "\nscheduler sh\n";

    // The user cannot make a root-owned policy: sudo allows it the guard and nothing else.
    const std::string forged = "/etc/schedcp-guard-test-forged.policy";
    auto t = user.as_user({"/usr/bin/sudo", "-n", "/usr/bin/tee", forged});
    BOOST_TEST(t.status != 0);
    BOOST_TEST(!fs::exists(forged));

    for (const auto& [args, expect] :
         hostile(user_dir + "/mine.policy", open_policy, user_dir_policy)) {
        std::vector<std::string> argv{"/usr/bin/sudo", "-n", SCHEDCP_GUARD};
        argv.insert(argv.end(), args.begin(), args.end());
        check_refused(user.as_user(argv), expect, marker, "as " + user.name() + describe(args));
    }
    // The control: the rule works, and what the policy allows runs, as root.
    auto r = user.as_user({"/usr/bin/sudo", "-n", SCHEDCP_GUARD, "--policy", good_policy,
                           "--scheduler", "scx_simple"});
    BOOST_TEST(r.out.find("started pid=") == 0u, r.out << r.err);
    BOOST_TEST(r.out.find("stopping signal=SIGINT\n") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
