// Pure functions: clang diagnostics parsing and path rewriting, verifier log trimming,
// SHA-256, the loader's JSON line.
#include <boost/test/unit_test.hpp>

#include "diagnostics.hpp"
#include "sha256.hpp"
#include "verifier_log.hpp"

using namespace schedcp::plugins::compiler;

BOOST_AUTO_TEST_SUITE(compiler_unit)
BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(clang_diagnostics_name_the_users_file_and_line) {
    const std::string source = "#include <scx/common.bpf.h>\nint x = y;\nvoid f(void) { g(); }\n";
    const std::string raw =
        "In file included from my.bpf.c:1:\n"
        "/opt/inc/scx/common.bpf.h:3:1: warning: something [-Wfoo]\n"
        "my.bpf.c:2:9: error: use of undeclared identifier 'y'\n"
        "    2 | int x = y;\n"
        "      |         ^\n"
        "/data/compiler/work/my-1-1/my.bpf.c:3:16: error: call to undeclared function 'g'\n"
        "2 errors generated.\n";
    auto out =
        parse_clang_output(raw, "my.bpf.c", "~/src/my.bpf.c", "/data/compiler/work/my-1-1", source);
    BOOST_TEST(out.errors == 2);
    BOOST_TEST(out.warnings == 1);
    BOOST_REQUIRE(out.diagnostics.size() == 3u);
    BOOST_TEST(out.diagnostics[1].file == "~/src/my.bpf.c");
    BOOST_TEST(out.diagnostics[1].line == 2);
    BOOST_TEST(out.diagnostics[1].column == 9);
    BOOST_TEST(out.diagnostics[1].severity == "error");
    BOOST_TEST(out.diagnostics[1].message == "use of undeclared identifier 'y'");
    BOOST_TEST(out.diagnostics[1].source_line == "int x = y;");
    // An absolute build path is rewritten too.
    BOOST_TEST(out.diagnostics[2].file == "~/src/my.bpf.c");
    BOOST_TEST(out.diagnostics[2].source_line == "void f(void) { g(); }");
    // The text stays verbatim but for the paths: no build directory in it.
    BOOST_TEST(out.text.find("/data/compiler/work") == std::string::npos);
    BOOST_TEST(out.text.find("In file included from ~/src/my.bpf.c:1:") != std::string::npos);
    BOOST_TEST(out.text.find("~/src/my.bpf.c:2:9: error: use of undeclared identifier 'y'") !=
               std::string::npos);
    BOOST_TEST(out.text.find("    2 | int x = y;") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(diagnostic_lines_are_parsed_like_clang_prints_them) {
    auto d = parse_diagnostic_line("a:b.c:12:3: fatal error: 'x.h' file not found");
    BOOST_REQUIRE(d);
    BOOST_TEST(d->file == "a:b.c");  // the shortest prefix followed by a location
    BOOST_TEST(d->line == 12);
    BOOST_TEST(d->column == 3);
    BOOST_TEST(d->severity == "fatal error");
    BOOST_TEST(d->message == "'x.h' file not found");
    d = parse_diagnostic_line("f.c:1:2: note: ");
    BOOST_REQUIRE(d);
    BOOST_TEST(d->severity == "note");
    BOOST_TEST(d->message == "");
    for (const char* not_one :
         {"f.c:1:2: remark: x", "f.c:1: error: x", ":1:2: error: x", "f.c:x:2: error: x",
          "f.c:1:2:error: x", "f.c:1:2: error x", "3 errors generated.", ""})
        BOOST_TEST(!parse_diagnostic_line(not_one).has_value(), not_one);
}

BOOST_AUTO_TEST_CASE(huge_lines_and_numbers_are_bounded_not_fatal) {
    // The old std::regex recursed per character: a 60 KB line overflowed the stack
    // (SIGSEGV of the server); #line 2147483647 made std::stoi throw.
    const std::string huge(1 << 20, 'x');
    auto out = parse_clang_output("f.bpf.c:3:2: error: " + huge + "\n" + huge + ":1:1\n", "f.bpf.c",
                                  "f.bpf.c", "/w", "a\nb\nc\n");
    BOOST_TEST(out.errors == 1);
    BOOST_REQUIRE(out.diagnostics.size() == 1u);
    BOOST_TEST(out.diagnostics[0].line == 3);
    BOOST_TEST(out.diagnostics[0].source_line == "c");
    BOOST_TEST(out.diagnostics[0].message.size() <= 2048u);
    BOOST_TEST(out.diagnostics[0].message.starts_with("xxxx"));
    // A location past the first 4 KiB of a line is not looked for.
    BOOST_TEST(!parse_diagnostic_line(std::string(5000, 'f') + ":1:1: error: x").has_value());
    BOOST_TEST(parse_diagnostic_line(std::string(4000, 'f') + ":1:1: error: x").has_value());

    auto big = parse_diagnostic_line("f.c:2147483648:99999999999999999999999: error: x");
    BOOST_REQUIRE(big);
    BOOST_TEST(big->line == 2147483647);
    BOOST_TEST(big->column == 2147483647);
    out = parse_clang_output("f.c:2147483647:2: error: x\n", "f.c", "f.c", "/w", "a\n");
    BOOST_REQUIRE(out.diagnostics.size() == 1u);
    BOOST_TEST(out.diagnostics[0].line == 2147483647);
    BOOST_TEST(out.diagnostics[0].source_line == "");
}

BOOST_AUTO_TEST_CASE(the_failed_program_is_found_in_libbpf_messages_by_a_plain_scan) {
    using schedcp::compiler_common::failed_program_of;
    BOOST_TEST(failed_program_of("libbpf: prog 'enqueue': BPF program load failed: -EACCES\n") ==
               "enqueue");
    BOOST_TEST(failed_program_of("prog '': BPF program load failed\nprog 'x' y\n") == "");
    BOOST_TEST(failed_program_of("prog 'a' loaded\nprog 'b': BPF program load failed") == "b");
    BOOST_TEST(failed_program_of("no such message") == "");
    // Long input (the old std::regex_search recursed per character of the name).
    std::string name(1 << 20, 'p');
    BOOST_TEST(failed_program_of("prog '" + name + "': BPF program load failed").size() == 256u);
    BOOST_TEST(failed_program_of("prog '" + name) == "");
}

BOOST_AUTO_TEST_CASE(line_of_counts_from_one) {
    BOOST_TEST(line_of("a\nb\r\nc", 2) == "b");
    BOOST_TEST(line_of("a\nb\nc", 3) == "c");
    BOOST_TEST(line_of("a\nb", 5) == "");
    BOOST_TEST(line_of("a", 0) == "");
}

BOOST_AUTO_TEST_CASE(verifier_log_keeps_the_end) {
    std::string log;
    for (int i = 0; i < 100; ++i) log += std::to_string(i) + ": (bf) r1 = r2\n\n";
    log += "R0 invalid mem access 'map_value_or_null'\nprocessed 9 insns (limit 1000000)\n";
    auto t = schedcp::compiler_common::trim_verifier_log(log, 10);
    BOOST_TEST(t.total_lines == 102u);
    BOOST_TEST(t.omitted_lines == 92u);
    BOOST_TEST(t.text.find("R0 invalid mem access 'map_value_or_null'\nprocessed 9 insns") !=
               std::string::npos);
    BOOST_TEST(t.text.find("92: (bf)") != std::string::npos);
    BOOST_TEST(t.text.find("91: (bf)") == std::string::npos);
    auto longline = schedcp::compiler_common::trim_verifier_log(std::string(1000, 'x'));
    BOOST_TEST(longline.text.size() < 320u);
}

BOOST_AUTO_TEST_CASE(sha256_matches_known_digests) {
    schedcp::compiler_common::Sha256 empty;
    BOOST_TEST(empty.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    schedcp::compiler_common::Sha256 abc;
    abc.update("abc");
    BOOST_TEST(abc.hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // Split updates across block boundaries give the same digest.
    std::string million(1000000, 'a');
    schedcp::compiler_common::Sha256 whole, parts;
    whole.update(million);
    for (std::size_t i = 0; i < million.size(); i += 77) parts.update(million.substr(i, 77));
    std::string expect = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    BOOST_TEST(whole.hex() == expect);
    BOOST_TEST(parts.hex() == expect);
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
