// Reading why a scheduler ended: its own exit lines (scx's "EXIT: ...", schedcp-loader's
// "exit: kind ..."), the kernel's sched_ext lines, and the kernel log reader (/dev/kmsg's
// record format from a file, read from where it was opened).
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "runner/exit_report.hpp"
#include "runner/kmsg_reader.hpp"
#include "subprocess.hpp"

using namespace schedcp::plugins::runner;

BOOST_AUTO_TEST_SUITE(exit_report)

BOOST_AUTO_TEST_CASE(scx_exit_lines_give_reason_kind_and_message) {
    ExitReport r;
    BOOST_TEST(read_exit_line("Error: EXIT: runnable task stall (a[1] failed (stuck) 2s)", r));
    BOOST_TEST(*r.kind == "ERROR_STALL");
    BOOST_TEST(*r.reason == "runnable task stall");
    BOOST_TEST(*r.message == "a[1] failed (stuck) 2s");
    BOOST_TEST(r.error());

    ExitReport quiet;
    BOOST_TEST(read_exit_line("12:00:01 [INFO] EXIT: unregistered from user space", quiet));
    BOOST_TEST(*quiet.kind == "UNREG");
    BOOST_TEST(!quiet.message);
    BOOST_TEST(!quiet.error());

    ExitReport none;
    BOOST_TEST(!read_exit_line("fake line 3", none));
    BOOST_TEST(!none.kind);
}

BOOST_AUTO_TEST_CASE(the_loaders_exit_line_names_the_kind_itself) {
    ExitReport r;
    BOOST_TEST(
        read_exit_line("schedcp-loader: the kernel ended it: kind ERROR_BPF (1025), code 0, "
                       "reason: scx_bpf_error, message: bad dsq",
                       r));
    BOOST_TEST(*r.kind == "ERROR_BPF");
    BOOST_TEST(*r.reason == "scx_bpf_error");
    BOOST_TEST(*r.message == "bad dsq");
    ExitReport unknown;
    BOOST_TEST(read_exit_line("schedcp-loader: exit: kind KIND_2000 (2000), code 3", unknown));
    BOOST_TEST(*unknown.kind == "KIND_2000");
    BOOST_TEST(!unknown.reason);
}

BOOST_AUTO_TEST_CASE(kernel_lines_about_other_schedulers_are_ignored) {
    BOOST_TEST(!parse_kernel_line("sched_ext: BPF scheduler \"other\" disabled (runtime error)",
                                  "simple"));
    BOOST_TEST(!parse_kernel_line("sched_ext: BPF scheduler \"simple\" enabled", "simple"));
    auto d =
        parse_kernel_line("sched_ext: BPF scheduler \"simple\" disabled (runtime error)", "simple");
    BOOST_REQUIRE(d);
    BOOST_TEST(d->disabled);
    BOOST_TEST(d->detail == "runtime error");
    auto m = parse_kernel_line("sched_ext: simple: invalid CPU 9 from ops.select_cpu()", "simple");
    BOOST_REQUIRE(m);
    BOOST_TEST(!m->disabled);

    ExitReport r;
    read_exit_line("EXIT: runtime error", r);
    apply_kernel_line(*m, 1.0, r);
    apply_kernel_line(*d, 2.0, r);
    BOOST_TEST(*r.kind == "ERROR");
    BOOST_TEST(*r.message == "invalid CPU 9 from ops.select_cpu()");
    BOOST_TEST(*r.kernel_message == d->text);
    BOOST_TEST(*r.kernel_message_at == 2.0);
}

BOOST_AUTO_TEST_CASE(the_kmsg_reader_reads_only_what_comes_after_it_opened) {
    schedcp::test::TempDir dir;
    const std::string path = dir.file("kmsg");
    std::ofstream(path) << "6,1,10,-;before\n";
    KmsgReader reader;
    reader.open(path);
    BOOST_TEST(reader.unavailable().empty());
    std::ofstream(path, std::ios::app) << "3,2,20,-;sched_ext: one\n SUBSYSTEM=x\nplain two\npart";
    std::vector<std::string> seen;
    reader.drain([&](std::string_view text, double) { seen.emplace_back(text); });
    BOOST_TEST(seen == (std::vector<std::string>{"sched_ext: one", "plain two"}),
               boost::test_tools::per_element());
    std::ofstream(path, std::ios::app) << "ial\n";
    reader.drain([&](std::string_view text, double) { seen.emplace_back(text); });
    BOOST_TEST(seen.back() == "partial");

    KmsgReader missing;
    missing.open(dir.file("absent"));
    BOOST_TEST(!missing.is_open());
    BOOST_TEST(missing.unavailable().find("No such file") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
