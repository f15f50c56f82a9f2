// A hostile scheduler source reveals no file, hangs nothing and is bounded: every
// preprocessor route to a file outside the toolchain and the include dirs (#line,
// #include absolute / with .. / through a macro / through a symlink next to the CLI's
// file, #embed, /dev/stdin, a FIFO, /dev/zero) is a compile error that carries nothing of
// the file, in the tool result, the CLI's output and the log; a macro bomb is stopped by
// its memory or CPU limit with a message naming the setting; at most
// max_concurrent_compiles clang processes run at once, the others wait with progress.
//
// These need no real sched_ext BTF: the compiler is pointed at a minimal BTF with just
// struct sched_ext_ops, and the sources never get past clang.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "compiler_fixture.hpp"

using namespace schedcp::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string random_marker() {
    std::random_device rd;
    char buf[40];
    std::snprintf(buf, sizeof buf, "SCHEDCPSECRET%08x%08x", rd(), rd());
    return buf;
}

// Command lines of the running processes that contain `needle`.
int processes_running(const std::string& needle) {
    int n = 0;
    for (const auto& e : fs::directory_iterator("/proc")) {
        std::string name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::string cmdline = slurp(e.path().string() + "/cmdline");
        if (cmdline.find(needle) != std::string::npos) ++n;
    }
    return n;
}

bool dir_is_empty_or_missing(const std::string& p) {
    std::error_code ec;
    return !fs::exists(p, ec) || fs::is_empty(p, ec);
}

long rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    return -1;
}

// A macro-expansion bomb: 10^24 tokens, gigabytes and minutes without a limit.
std::string macro_bomb() {
    std::string s = "#define A0 x x x x x x x x x x\n";
    for (int i = 1; i <= 24; ++i) {
        s += "#define A" + std::to_string(i);
        for (int j = 0; j < 10; ++j) s += " A" + std::to_string(i - 1);
        s += "\n";
    }
    return s + "int y = sizeof(A24);\n";
}

struct SandboxFixture : CompilerFixture {
    std::string btf = write_minimal_sched_ext_btf(dir.file("minimal.btf"));
    std::string marker = random_marker();
    // Private: mode 0600 in a 0700 root-owned directory (what DAC alone also protects).
    std::string secret_dir = make_dir("/tmp/schedcp-secret-XXXXXX", 0700);
    std::string secret = write_file(secret_dir + "/secret", 0600);
    // World-readable, outside every allowed path: only Landlock keeps it out.
    std::string public_dir = make_dir("/tmp/schedcp-public-XXXXXX", 0755);
    std::string public_secret = write_file(public_dir + "/public", 0644);

    ~SandboxFixture() {
        std::error_code ec;
        fs::remove_all(secret_dir, ec);
        fs::remove_all(public_dir, ec);
    }

    static std::string make_dir(std::string tmpl, mode_t mode) {
        BOOST_REQUIRE(::mkdtemp(tmpl.data()));
        ::chmod(tmpl.c_str(), mode);
        return tmpl;
    }

    std::string write_file(const std::string& path, mode_t mode) const {
        std::ofstream(path) << marker << " line one\n" << marker << " line two\n";
        ::chmod(path.c_str(), mode);
        return path;
    }

    std::string sandbox_config(const std::vector<std::string>& settings = {}) const {
        std::string yaml =
            "  - name: catalog\n  - name: runner\n  - name: compiler\n    settings:\n"
            "      vmlinux_btf: " +
            btf + "\n";
        for (const auto& s : settings) yaml += "      " + s + "\n";
        return write_config(dir, yaml);
    }

    std::string log() const { return slurp(dir.file("data/schedcp.log")); }

    // A compile error that says nothing of the secret files, anywhere.
    bj::object refused(const bj::object& response, const std::string& route) {
        auto e = error(response);
        BOOST_TEST(!contains(bj::serialize(response), marker), route << ": " << response);
        BOOST_TEST(!contains(bj::serialize(response), "line one"), route);
        BOOST_TEST(!contains(log(), marker), route << ": the log holds the secret");
        return e;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(compiler_integration)
BOOST_FIXTURE_TEST_SUITE(sandbox, SandboxFixture)

BOOST_AUTO_TEST_CASE(no_preprocessor_route_reveals_a_file) {
    McpClient c(sandbox_config());
    c.initialize();

    // #line names a file: its lines are never read (the old code returned its line 1).
    for (const std::string& f : {secret, public_secret, std::string("/etc/shadow")}) {
        auto e = refused(create(c, "line_leak", "#line 1 \"" + f + "\"\n#error a\n"), "#line " + f);
        const auto& d = e.at("details").at("diagnostics").at(0);
        BOOST_TEST(str(d.at("file")) == f);
        BOOST_TEST(str(d.at("source_line")) == "");
    }

    std::string relative = "../../../../../../../../../../../../.." + secret;
    const std::vector<std::pair<std::string, std::string>> routes{
        {"#include absolute", "#include \"" + secret + "\"\n"},
        {"#include absolute, world-readable", "#include \"" + public_secret + "\"\n"},
        {"#include <absolute>", "#include <" + public_secret + ">\n"},
        {"#include with ..", "#include \"" + relative + "\"\n"},
        {"#include through a macro", "#define F \"" + public_secret + "\"\n#include F\n"},
        {"#embed + _Static_assert",
         "static const char d[] = {\n#embed \"" + public_secret +
             "\"\n};\n_Static_assert(d[0] == 0 && d[1] == 0, \"leak\");\n"},
        {"#embed <>", "static const char d[] = {\n#embed <" + public_secret + ">\n};\n"},
    };
    for (const auto& [route, source] : routes) {
        auto e = refused(create(c, "leak", source), route);
        BOOST_TEST(e.at("details").at("errors").as_int64() >= 1, route);
    }
    BOOST_TEST(!fs::exists(data + "/schedulers/leak"));
}

BOOST_AUTO_TEST_CASE(devices_and_fifos_answer_at_once_without_growing_the_server) {
    std::string fifo = public_dir + "/fifo";
    BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0666) == 0);
    McpClient c(sandbox_config());
    c.initialize();
    long before = rss_kib(c.process().pid());
    for (const std::string& f :
         {std::string("/dev/zero"), std::string("/dev/stdin"), fifo, std::string("/dev/urandom")}) {
        // The old code read these on the event loop: hung forever, or grew by GBs.
        refused(create(c, "dev_line", "#line 1 \"" + f + "\"\n#error a\n"), "#line " + f);
        refused(create(c, "dev_inc", "#include \"" + f + "\"\n"), "#include " + f);
    }
    long after = rss_kib(c.process().pid());
    BOOST_TEST(after - before < 64 * 1024, "server RSS " << before << " -> " << after << " KiB");
    // Still answering.
    BOOST_TEST(c.request("tools/list").contains("result"));
}

BOOST_AUTO_TEST_CASE(huge_diagnostic_lines_and_line_numbers_are_ordinary_compile_errors) {
    McpClient c(sandbox_config());
    c.initialize();
    // clang prints the 100 KB line back: the old std::regex parse of it overflowed the
    // server's stack (SIGSEGV), and #line 2147483647 made it an internal error (std::stoi).
    auto e = error(create(c, "long_line", "#error " + std::string(100 * 1024, 'x') + "\n"));
    const auto& d = e.at("details").as_object();
    BOOST_TEST(str(d.at("stage")) == "compile");
    BOOST_TEST(d.at("errors").as_int64() == 1);
    const auto& first = d.at("diagnostics").at(0).as_object();
    BOOST_TEST(first.at("line").as_int64() == 1);
    BOOST_TEST(str(first.at("severity")) == "error");
    BOOST_TEST(str(first.at("message")).size() <= 2048u);

    e = error(create(c, "line_max", "#line 2147483647\n#error at the end\n"));
    const auto& at_max = e.at("details").at("diagnostics").at(0).as_object();
    BOOST_TEST(str(e.at("details").at("stage")) == "compile");
    BOOST_TEST(at_max.at("line").as_int64() == 2147483647);
    BOOST_TEST(str(at_max.at("message")) == "at the end");
    BOOST_TEST(c.request("tools/list").contains("result"));  // still answering
}

BOOST_AUTO_TEST_CASE(a_symlink_next_to_the_cli_file_reveals_nothing) {
    std::string src = make_dir("/tmp/schedcp-src-XXXXXX", 0755);
    fs::create_symlink(secret, src + "/link.h");
    fs::create_symlink(public_secret, src + "/public_link.h");
    std::ofstream(src + "/local.h") << "#define LOCAL 1\n";
    std::string cfg = sandbox_config();
    for (const std::string& header : {"link.h", "public_link.h"}) {
        std::string file = src + "/evil.bpf.c";
        std::ofstream(file) << "#include \"local.h\"\n#include \"" << header << "\"\n";
        auto r = run({bin("schedcp-cli"), "--config", cfg, "create-and-run", file, "--verify-only"},
                     {}, {}, 60s);
        BOOST_TEST(r.status == 2, r.out << r.err);
        BOOST_TEST(!contains(r.out + r.err, marker), header << ": " << r.out << r.err);
        // local.h next to the file was read (the route itself works); the link was not.
        BOOST_TEST(!contains(r.err, "'local.h' file not found"), r.err);
        BOOST_TEST(contains(r.err, header), r.err);
    }
    BOOST_TEST(!contains(log(), marker));
    fs::remove_all(src);
}

BOOST_AUTO_TEST_CASE(a_macro_bomb_is_stopped_by_the_memory_limit) {
    McpClient c(sandbox_config({"compile_memory_mb: 512"}));
    c.initialize();
    auto e = error(create(c, "bomb", macro_bomb()));
    BOOST_TEST(contains(str(e.at("message")),
                        "clang exceeded compile_memory_mb (512 MiB) and was stopped"),
               str(e.at("message")));
    BOOST_TEST(str(e.at("details").at("limit")) == "compile_memory_mb");
    BOOST_TEST(dir_is_empty_or_missing(data + "/work"));
}

BOOST_AUTO_TEST_CASE(a_macro_bomb_is_stopped_by_the_cpu_limit) {
    McpClient c(sandbox_config({"compile_memory_mb: 16384", "compile_cpu_seconds: 5"}));
    c.initialize();
    auto e = error(create(c, "bomb", macro_bomb()));
    BOOST_TEST(contains(str(e.at("message")), "clang exceeded compile_cpu_seconds (5 s"),
               str(e.at("message")));
    BOOST_TEST(str(e.at("details").at("limit")) == "compile_cpu_seconds");
}

BOOST_AUTO_TEST_CASE(at_most_max_concurrent_compiles_clangs_run_the_others_wait_in_turn) {
    // A stand-in clang that takes a while; the sandbox user must be able to run it. The
    // sandbox lets it execute its interpreter only (not /usr/bin/sleep): shell builtins.
    ::chmod(dir.path().c_str(), 0755);
    std::string clang = dir.write("queued-clang",
                                  "#!/bin/sh\n"
                                  "if [ \"$1\" = --version ]; then echo 'clang version 19.1.0'; "
                                  "exit 0; fi\n"
                                  "i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done\n"
                                  "echo 'error: stand-in clang' >&2\nexit 1\n");
    fs::permissions(clang, fs::perms(0755));
    McpClient c(sandbox_config({"clang: " + clang, "max_concurrent_compiles: 1"}));
    c.initialize();
    error(create(c, "warm", "int x;"));  // clang --version is probed once, here

    const int calls = 3;  // N + 2
    for (int i = 0; i < calls; ++i)
        c.send(bj::object{
            {"jsonrpc", "2.0"},
            {"id", "q" + std::to_string(i)},
            {"method", "tools/call"},
            {"params",
             {{"name", "create_and_verify_scheduler"},
              {"arguments", {{"name", "q" + std::to_string(i)}, {"source_code", "int x;"}}},
              {"_meta", {{"progressToken", "t" + std::to_string(i)}}}}}});
    int most = 0, answered = 0;
    std::set<std::string> done;
    for (int i = 0; i < 600 && answered < calls; ++i) {
        // argv is NUL-separated in /proc/PID/cmdline: "/bin/sh\0<clang>\0-target\0..."
        most = std::max(most, processes_running(clang + std::string(1, '\0') + "-target"));
        while (auto m = c.next(10ms)) {
            if (m->as_object().contains("id"))
                ++answered;
            else
                c.notifications().push_back(m->as_object());
        }
        std::this_thread::sleep_for(10ms);
    }
    BOOST_TEST(answered == calls);
    BOOST_TEST(most == 1, "at most 1 clang at once; seen " << most);
    std::vector<std::string> waiting;
    for (const auto& n : c.notifications())
        if (n.at("method").as_string() == "notifications/progress" &&
            contains(str(n.at("params").at("message")), "waiting for a compile slot"))
            waiting.push_back(str(n.at("params").at("message")));
    BOOST_TEST(waiting.size() >= 2u);
    BOOST_TEST(std::count(waiting.begin(), waiting.end(), "waiting for a compile slot: 1 ahead") ==
               1);
}

BOOST_AUTO_TEST_CASE(a_sandbox_user_that_does_not_exist_fails_closed) {
    if (::geteuid() != 0) return;  // the user only matters when the server is root
    McpClient c(sandbox_config({"sandbox_user: schedcp_no_such_user"}));
    c.initialize();
    auto e = error(create(c, "nouser", "int x;"));
    BOOST_TEST(contains(str(e.at("message")),
                        "runs as the user 'schedcp_no_such_user' when the server is root, and "
                        "there is no such user"),
               str(e.at("message")));
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
