// Scheduler names: what is accepted, and that every refusal says what is wrong.
#include <boost/test/unit_test.hpp>

#include "names.hpp"
#include "schedcp/sdk/error.hpp"

using namespace schedcp::plugins::compiler;

namespace {

std::string refusal(const std::string& name) {
    try {
        check_name(name);
    } catch (const schedcp::sdk::InvalidArgument& e) {
        return e.what();
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compiler_unit)
BOOST_AUTO_TEST_SUITE(names)

BOOST_AUTO_TEST_CASE(valid_names_pass) {
    for (std::string n : {std::string("a"), std::string("my_sched"), std::string("vtime2"),
                          std::string("a_b_c_1"), std::string(48, 'x')})
        BOOST_TEST(refusal(n).empty(), n);
}

BOOST_AUTO_TEST_CASE(each_refusal_says_why) {
    BOOST_TEST(refusal("").find("empty") != std::string::npos);
    BOOST_TEST(refusal("../etc/passwd").find("looks like a path") != std::string::npos);
    BOOST_TEST(refusal("a/b").find("looks like a path") != std::string::npos);
    BOOST_TEST(refusal("..").find("looks like a path") != std::string::npos);
    BOOST_TEST(refusal(std::string(49, 'x')).find("49 characters long, more than 48") !=
               std::string::npos);
    BOOST_TEST(refusal("1sched").find("does not start with a lowercase letter") !=
               std::string::npos);
    BOOST_TEST(refusal("_sched").find("does not start with a lowercase letter") !=
               std::string::npos);
    BOOST_TEST(refusal("MySched").find("does not start with a lowercase letter") !=
               std::string::npos);
    BOOST_TEST(refusal("mySched").find("an uppercase letter at position 3") != std::string::npos);
    BOOST_TEST(refusal("my-sched").find("'-' at position 3") != std::string::npos);
    BOOST_TEST(refusal("my sched").find("a space at position 3") != std::string::npos);
    BOOST_TEST(refusal("my.sched").find("'.' at position 3") != std::string::npos);
    BOOST_TEST(refusal("caf\xc3\xa9").find("non-ASCII") != std::string::npos);
    // Every message ends with the rule, so the caller can fix the name.
    BOOST_TEST(
        refusal("my-sched").find("a lowercase letter, then lowercase letters, digits and '_'") !=
        std::string::npos);
}

BOOST_AUTO_TEST_CASE(names_from_file_names) {
    BOOST_TEST(name_from_file("my_sched.bpf.c") == "my_sched");
    BOOST_TEST(name_from_file("/home/u/src/My-Sched.bpf.c") == "my_sched");
    BOOST_TEST(name_from_file("vtime.c") == "vtime");
    BOOST_TEST(name_from_file("a--b..c.bpf.c") == "a_b_c");
    BOOST_TEST(name_from_file("123.bpf.c") == "");  // no valid name: the CLI asks for --name
    BOOST_TEST(name_from_file(std::string(60, 'y') + ".bpf.c") == std::string(48, 'y'));
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
