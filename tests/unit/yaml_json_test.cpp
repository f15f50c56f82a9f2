// Plugin settings from YAML: plain scalars typed the YAML 1.2 core-schema way (integers,
// hex, floats in every written form), anything else, and every quoted scalar, a string.
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include "yaml_json.hpp"

namespace bj = boost::json;
using schedcp::host::yaml_to_json;

namespace {

bj::value scalar(const std::string& text) {
    return yaml_to_json(YAML::Load("v: " + text)["v"]);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(yaml_json)

BOOST_AUTO_TEST_CASE(numbers_in_every_core_schema_form) {
    BOOST_TEST(scalar("12") == bj::value(12));
    BOOST_TEST(scalar("+12") == bj::value(12));
    BOOST_TEST(scalar("-7") == bj::value(-7));
    BOOST_TEST(scalar("0x1f") == bj::value(31));
    BOOST_TEST(scalar("1.5") == bj::value(1.5));
    BOOST_TEST(scalar(".5") == bj::value(0.5));
    BOOST_TEST(scalar("-.5") == bj::value(-0.5));
    BOOST_TEST(scalar("2.") == bj::value(2.0));
    BOOST_TEST(scalar("1e3") == bj::value(1000.0));
    BOOST_TEST(scalar("-1.5E-2") == bj::value(-0.015));
    BOOST_TEST(scalar("+.inf").as_double() == std::numeric_limits<double>::infinity());
    BOOST_TEST(scalar("99999999999999999999") == bj::value(1e20));  // past int64: a float
}

BOOST_AUTO_TEST_CASE(near_numbers_and_quoted_numbers_stay_strings) {
    for (const char* text : {"1e", "e3", "+", "0x", "0xg1", "12a", "1.2.3", "1e+", "--1", "1_000",
                             "0X1F", "'12'", "\"1.5\"", ".e1"}) {
        const bj::value v = scalar(text);
        BOOST_TEST_CONTEXT(text) {
            BOOST_TEST(v.is_string(), bj::serialize(v));
        }
    }
    BOOST_TEST(scalar("true") == bj::value(true));
    BOOST_TEST(scalar("~").is_null());
}

BOOST_AUTO_TEST_SUITE_END()
