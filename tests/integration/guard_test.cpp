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
#include <map>
#include <thread>

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
    explicit SudoUser(std::string guard)
        : name_("schedcp-t" + std::to_string(::getpid())), guard_(std::move(guard)) {
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

    // The rule, exactly as the README documents it (for the guard installed at guard_).
    std::string rule() const { return name_ + " ALL=(root) NOPASSWD: " + guard_ + "\n"; }
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
    std::string guard_;
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

    // A copy of the guard installed in its own prefix, whose default policy
    // (<prefix>/etc/schedcp/guard.policy) is good_policy's text: through sudo only the
    // default policy may be named.
    std::string prefix = dir.file("prefix");
    std::string installed_guard = prefix + "/lib/schedcp/libexec/schedcp-guard";
    std::string installed_policy = prefix + "/etc/schedcp/guard.policy";

    GuardFixture() {
        fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read |
                                        fs::perms::group_exec | fs::perms::others_read |
                                        fs::perms::others_exec);
        fs::create_directories(bin);
        for (const char* name : {"scx_simple", "scx_chaos", "scx_layered", "scx_rusty"}) {
            fs::create_symlink(FAKE_SCHEDULER, bin + "/" + name);
            std::ofstream(bin + "/" + name + ".conf") << "lines=1\n";
        }
        std::ofstream(good_policy) << "# schedcp-guard policy 1\nscheduler_dir " << bin
                                   << "\ncustom_dir " << dir.file("custom") << "\n";
        fs::create_directories(fs::path(installed_guard).parent_path());
        fs::create_directories(fs::path(installed_policy).parent_path());
        fs::copy_file(SCHEDCP_GUARD, installed_guard);
        fs::copy_file(good_policy, installed_policy);
    }

    // Scheduler arguments that are no catalogued option (scheduler_args.hpp), each with its
    // refusal; `policy` is {"--policy", FILE} or {} (the default policy). Each would create
    // `marker` (a shell, a file written) if it ran.
    std::vector<std::pair<std::vector<std::string>, std::string>> hostile_scheduler_args(
        const std::vector<std::string>& policy) const {
        auto with = [&](std::vector<std::string> a) {
            a.insert(a.begin(), policy.begin(), policy.end());
            return a;
        };
        return {
            {with({"--scheduler", "scx_chaos", "--", "/bin/sh", "-c", "touch " + marker}),
             "scx_chaos takes no positional argument ('/bin/sh'); its options: "},
            {with({"--scheduler", "scx_chaos", "--", "--pid", "1", "--", "/bin/sh", "-c",
                   "touch " + marker}),
             "'--' is not allowed in scx_chaos's arguments"},
            {with({"--scheduler", "scx_simple", "--", "-f", "touch " + marker}),
             "scx_simple takes no positional argument"},
            {with({"--scheduler", "scx_rusty", "--", "--foo"}), "scx_rusty has no option '--foo'"},
            {with({"--scheduler", "scx_rusty", "--", "--interval", "$(touch " + marker + ")"}),
             "scx_rusty's option '--interval' takes a decimal number"},
            {with({"--scheduler", "scx_rusty", "--", "--cpumasks", "../../" + marker}),
             "without '..'"},
            {with({"--scheduler", "scx_layered", "--", "--example", marker}),
             "scx_layered's option '--example' is never allowed"},
            {with({"--scheduler", "scx_layered", "--", "--example=" + marker}),
             "'--example' is never allowed"},
        };
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

// Runs the guard with its lifeline open until its output channel shows `needle` (bounded),
// then closes the lifeline; returns all it printed there.
std::string output_once_it_shows(const std::vector<std::string>& argv, const std::string& needle) {
    Subprocess p(argv);
    std::string err;
    for (int i = 0; i < 500 && err.find(needle) == std::string::npos; ++i) {
        err += p.stderr_text();
        if (err.find(needle) == std::string::npos) ::usleep(20000);
    }
    p.close_stdin();
    p.wait();
    return err + p.stderr_text();
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
    for (const auto& [args, expect] : hostile_scheduler_args({"--policy", good_policy})) {
        std::vector<std::string> argv{SCHEDCP_GUARD};
        argv.insert(argv.end(), args.begin(), args.end());
        check_refused(run(argv), expect, marker, describe(args));
    }
    // The control: what the policy allows does run, and reports on its status channel only
    // (stdin is at EOF at once here: the lifeline is gone, so it is stopped with SIGINT).
    auto r = run({SCHEDCP_GUARD, "--policy", good_policy, "--scheduler", "scx_simple"});
    BOOST_TEST(r.out.find("started pid=") == 0u, r.out << r.err);
    BOOST_TEST(r.out.find("stopping signal=SIGINT\n") != std::string::npos, r.out);
    BOOST_TEST(r.err.find("started pid=") == std::string::npos, r.err);
    // Catalogued options with valid values run too.
    const std::string err =
        output_once_it_shows({SCHEDCP_GUARD, "--policy", good_policy, "--scheduler", "scx_rusty",
                              "--", "--slice-us-underutil", "30000", "--interval=0.5", "--partial"},
                             "\n");
    BOOST_TEST(err.find("args: [--slice-us-underutil] [30000] [--interval=0.5] [--partial]") !=
                   std::string::npos,
               err);
}

// Through sudo (SUDO_UID set, as sudo sets it) the caller cannot choose the policy: only the
// guard's default one may be named. Devices, FIFOs and FUSE files are never read as policy.
BOOST_AUTO_TEST_CASE(the_policy_is_not_the_sudo_callers_choice) {
    const std::map<std::string, std::string> sudo_env{{"SUDO_UID", "65534"}};
    for (const auto& policy : {good_policy, std::string("/dev/null"), std::string("relative")}) {
        auto r = run({installed_guard, "--policy", policy, "--scheduler", "scx_simple"}, sudo_env);
        check_refused(r, "is refused through sudo: only the default policy " + installed_policy,
                      marker, "SUDO_UID set, --policy " + policy);
    }
    // The default policy, however spelled, is accepted, and so is leaving it out.
    for (const std::vector<std::string>& policy :
         {std::vector<std::string>{"--policy", prefix + "/etc/schedcp/../schedcp/guard.policy"},
          std::vector<std::string>{}}) {
        std::vector<std::string> argv{installed_guard};
        argv.insert(argv.end(), policy.begin(), policy.end());
        argv.insert(argv.end(), {"--scheduler", "scx_simple"});
        auto r = run(argv, sudo_env);
        BOOST_TEST(r.out.find("started pid=") == 0u, describe(argv) << ": " << r.out << r.err);
    }
    // Without sudo, root may name a policy; still only a regular file, never a device or FIFO.
    const std::string fifo = dir.file("policy.fifo");
    BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    for (const auto& policy : {std::string("/dev/null"), fifo})
        check_refused(run({SCHEDCP_GUARD, "--policy", policy, "--scheduler", "scx_simple"}),
                      "the policy " + policy + " is not a regular file", marker, policy);
}

// A FUSE file system reports the owners and modes its server likes: nothing on it is
// trusted, whatever it claims (bindfs shows a root-owned copy of the good policy and bin).
BOOST_AUTO_TEST_CASE(nothing_on_fuse_is_trusted) {
    if (!executable("/usr/bin/bindfs") || ::geteuid() != 0 || !fs::exists("/dev/fuse")) {
        BOOST_TEST_MESSAGE(
            "bindfs or /dev/fuse missing, or not root: skipped "
            "(scripts/install-deps.sh installs bindfs)");
        return;
    }
    const std::string mnt = dir.file("fuse");
    fs::create_directories(mnt);
    auto m = run({"/usr/bin/bindfs", "-o", "allow_other", dir.path(), mnt});
    if (m.status != 0) {
        BOOST_TEST_MESSAGE("bindfs cannot mount here (" << m.err << "): skipped");
        return;
    }
    struct Unmount {
        std::string at;
        ~Unmount() { run({"/bin/umount", at}); }
    } unmount{mnt};
    check_refused(
        run({SCHEDCP_GUARD, "--policy", mnt + "/good.policy", "--scheduler", "scx_simple"}),
        "is on a FUSE file system", marker, "policy on FUSE");
    const std::string fuse_bin_policy = dir.file("fuse-bin.policy");
    std::ofstream(fuse_bin_policy) << "# schedcp-guard policy 1\nscheduler_dir " << mnt << "/bin\n";
    check_refused(run({SCHEDCP_GUARD, "--policy", fuse_bin_policy, "--scheduler", "scx_simple"}),
                  "is on a FUSE file system", marker, "scheduler_dir on FUSE");
}

BOOST_AUTO_TEST_CASE(through_sudo_an_unprivileged_user_cannot_run_a_shell) {
    if (!executable("/usr/bin/sudo") || !executable("/usr/sbin/useradd") ||
        !executable("/usr/sbin/runuser") || ::geteuid() != 0) {
        BOOST_TEST_MESSAGE(
            "sudo, useradd or runuser missing, or not root: skipped (install "
            "sudo: scripts/install-deps.sh does)");
        return;
    }
    SudoUser user(installed_guard);
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

    // Through sudo no policy but the default one may be named, so each policy of the list
    // is refused for that reason before it is even opened.
    auto hostile_list = hostile(user_dir + "/mine.policy", open_policy, user_dir_policy);
    for (auto& [args, expect] : hostile_list)
        if (args.size() > 1 && args[0] == "--policy" && args[1] != installed_policy &&
            expect.find("give one") == std::string::npos)
            expect = "is refused through sudo: only the default policy";
    for (auto& entry : hostile_scheduler_args({})) hostile_list.push_back(entry);
    for (const auto& [args, expect] : hostile_list) {
        std::vector<std::string> argv{"/usr/bin/sudo", "-n", installed_guard};
        argv.insert(argv.end(), args.begin(), args.end());
        check_refused(user.as_user(argv), expect, marker, "as " + user.name() + describe(args));
    }
    // The control: the rule works, and what the default policy allows runs, as root.
    auto r = user.as_user({"/usr/bin/sudo", "-n", installed_guard, "--scheduler", "scx_simple"});
    BOOST_TEST(r.out.find("started pid=") == 0u, r.out << r.err);
    BOOST_TEST(r.out.find("stopping signal=SIGINT\n") != std::string::npos, r.out);
}

// The scheduler starts in "/", with umask 022 and sane limits, whatever its caller had.
BOOST_AUTO_TEST_CASE(the_scheduler_does_not_inherit_the_callers_cwd_umask_or_limits) {
    std::ofstream(bin + "/scx_simple.conf") << "print_state=1\n";
    const std::string err = output_once_it_shows(
        {"/bin/sh", "-c",
         "cd \"$2\" && umask 077 && ulimit -S -f 100 && ulimit -c unlimited && "
         "ulimit -S -n 64 && exec \"$0\" --policy \"$1\" --scheduler scx_simple",
         SCHEDCP_GUARD, good_policy, dir.path()},
        "nofile=");
    BOOST_TEST(
        err.find("state: cwd=/ umask=0022 fsize=inf core=0 as=inf nofile=") != std::string::npos,
        err);
    const auto at = err.find("nofile=");
    BOOST_REQUIRE(at != std::string::npos);
    const std::string nofile = err.substr(at + 7, err.find('\n', at) - at - 7);
    const auto slash = nofile.find('/');
    BOOST_TEST(nofile.substr(0, slash) == nofile.substr(slash + 1), nofile);
}

// A scheduler that prints without pause while nobody reads the output channel: the guard
// drops what does not fit instead of blocking, so it keeps draining the scheduler and still
// hears "stop" on its lifeline.
BOOST_AUTO_TEST_CASE(a_chatty_scheduler_nobody_reads_cannot_stall_the_guard) {
    fs::create_symlink("/usr/bin/yes", bin + "/scx_chatty");
    const std::string policy = dir.file("chatty.policy");
    std::ofstream(policy) << "# schedcp-guard policy 1\nscheduler_dir " << bin
                          << "\nscheduler scx_chatty\n";
    Subprocess p({SCHEDCP_GUARD, "--policy", policy, "--scheduler", "scx_chatty"});
    auto started = p.read_line();
    BOOST_REQUIRE_MESSAGE(started && started->starts_with("started pid="), p.stderr_text());
    const std::string pid = started->substr(12);
    // Its stderr is never read here. Wait (bounded) until the scheduler has written far more
    // than any pipe holds: only possible if the guard keeps reading it.
    auto written = [&] {
        std::ifstream io("/proc/" + pid + "/io");
        for (std::string key; io >> key;) {
            unsigned long long v = 0;
            io >> v;
            if (key == "wchar:") return v;
        }
        return 0ull;
    };
    for (int i = 0; i < 250 && written() < (4u << 20); ++i) ::usleep(20000);
    BOOST_TEST(written() >= (4u << 20));
    p.write_line("stop");
    auto stopping = p.read_line();
    BOOST_TEST((stopping && *stopping == "stopping signal=SIGINT"), stopping.value_or("<none>"));
    BOOST_TEST(p.wait().has_value());
}

BOOST_AUTO_TEST_SUITE_END()
