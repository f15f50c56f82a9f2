#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/schema.hpp"

namespace bj = boost::json;
using schedcp::sdk::check_schema;
using schedcp::sdk::describe;
using schedcp::sdk::validate;

namespace {
std::string errors(const char* schema, const char* instance) {
    return describe(validate(bj::parse(schema), bj::parse(instance), "args"));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(schema)

BOOST_AUTO_TEST_CASE(accepts_valid_instances) {
    const char* s =
        R"({"type":"object","properties":{"name":{"type":"string","minLength":1,"maxLength":5},
        "n":{"type":"integer","minimum":1,"maximum":3},"tags":{"type":"array","items":{"type":"string"}}},
        "required":["name"],"additionalProperties":false})";
    BOOST_TEST(errors(s, R"({"name":"abc","n":2,"tags":["x"]})") == "");
    BOOST_TEST(errors(s, R"({"name":"abc","n":2.0})") == "");  // 2.0 is an integer in JSON Schema
}

BOOST_AUTO_TEST_CASE(reports_each_violation_with_its_path) {
    const char* s =
        R"({"type":"object","properties":{"name":{"type":"string","minLength":1,"maxLength":5},
        "n":{"type":"integer","minimum":1,"maximum":3},"tags":{"type":"array","items":{"type":"string"}}},
        "required":["name"],"additionalProperties":false})";
    BOOST_TEST(errors(s, R"({})") == "args.name is required");
    BOOST_TEST(errors(s, R"({"name":7})") == "args.name must be a string, got integer");
    BOOST_TEST(errors(s, R"({"name":""})") == "args.name must not be empty");
    BOOST_TEST(errors(s, R"({"name":"abcdef"})") ==
               "args.name must be at most 5 characters long, got 6");
    BOOST_TEST(errors(s, R"({"name":"a","n":9})") == "args.n must be <= 3, got 9");
    BOOST_TEST(errors(s, R"({"name":"a","n":1.5})") == "args.n must be an integer, got number");
    BOOST_TEST(errors(s, R"({"name":"a","tags":["x",1]})") ==
               "args.tags[1] must be a string, got integer");
    BOOST_TEST(errors(s, R"({"name":"a","bogus":1})") ==
               "args.bogus is not a known property; allowed: name, n, tags");
    BOOST_TEST(errors(s, R"([1])") == "args must be an object, got array");
}

// A tool's input schema is held as an object; validate() takes it as it is and says what
// it says of the same schema as a value.
BOOST_AUTO_TEST_CASE(a_schema_given_as_an_object_validates_as_the_value_does) {
    const bj::object s = bj::parse(
                             R"({"type":"object","properties":{"name":{"type":"string",
        "maxLength":3},"p":{"anyOf":[{"type":"boolean"},{"const":""}]}},"required":["name"],
        "additionalProperties":false})")
                             .as_object();
    for (const char* instance : {R"({"name":"abc","p":true})", R"({"name":"abcd","p":1,"x":0})",
                                 R"({})", R"([1])", R"("text")"}) {
        const bj::value v = bj::parse(instance);
        BOOST_TEST(describe(validate(s, v, "args")) == describe(validate(bj::value(s), v, "args")),
                   instance);
    }
    BOOST_TEST(describe(validate(s, bj::parse(R"({"name":"abcd"})"), "args")) ==
               "args.name must be at most 3 characters long, got 4");
}

BOOST_AUTO_TEST_CASE(a_pattern_is_never_matched_against_a_huge_string) {
    // libstdc++'s std::regex recursed per character: 1 MB overflowed the stack (SIGSEGV).
    const char* schema = R"({"type":"string","pattern":"^[a-z]+$"})";
    const std::string huge = "\"" + std::string(1 << 20, 'a') + "\"";
    const std::string fits = "\"" + std::string(4096, 'a') + "\"";
    BOOST_TEST(errors(schema, huge.c_str()) ==
               "args is 1048576 bytes long; a value checked against a pattern may have at most "
               "4096");
    BOOST_TEST(errors(schema, fits.c_str()) == "");
}

BOOST_AUTO_TEST_CASE(enum_const_pattern_and_anyof) {
    BOOST_TEST(errors(R"({"enum":["start","stop"]})", R"("go")") ==
               R"(args must be one of "start", "stop", got "go")");
    BOOST_TEST(errors(R"({"type":"string","pattern":"^[a-z]+$"})", R"("A1")") ==
               R"(args must match the pattern ^[a-z]+$, got "A1")");
    const char* any = R"({"anyOf":[{"type":"boolean"},{"type":"null"},{"const":""}]})";
    BOOST_TEST(errors(any, "true") == "");
    BOOST_TEST(errors(any, "null") == "");
    BOOST_TEST(errors(any, R"("")") == "");
    BOOST_TEST(errors(any, R"("yes")") == "args must be a boolean, got string");
    BOOST_TEST(errors(R"({"type":["string","null"]})", "3") ==
               "args must be a string or null, got integer");
    BOOST_TEST(errors(R"({"type":"array","uniqueItems":true})", "[1,2,1]") ==
               "args must not repeat items (items 0 and 2 are equal)");
    BOOST_TEST(errors(R"({"oneOf":[{"type":"integer"},{"type":"number"}]})", "1") ==
               "args matches more than one of the allowed forms");
}

BOOST_AUTO_TEST_CASE(unicode_lengths_count_code_points) {
    BOOST_TEST(errors(R"({"type":"string","maxLength":2})", R"("éé")") == "");
    BOOST_TEST(errors(R"({"type":"string","maxLength":1})", R"("éé")") ==
               "args must be at most 1 characters long, got 2");
}

BOOST_AUTO_TEST_CASE(check_schema_refuses_unsupported_keywords) {
    BOOST_CHECK_NO_THROW(check_schema(bj::parse(R"({"type":"object","title":"t","description":"d",
        "properties":{"a":{"type":"string","default":"x"}}})")));
    BOOST_CHECK_THROW(check_schema(bj::parse(R"({"type":"object","patternProperties":{}})")),
                      std::invalid_argument);
    BOOST_CHECK_THROW(check_schema(bj::parse(R"({"type":"strnig"})")), std::invalid_argument);
    BOOST_CHECK_THROW(check_schema(bj::parse(R"({"type":"string","pattern":"("})")),
                      std::invalid_argument);
    BOOST_CHECK_THROW(check_schema(bj::parse(R"({"properties":{"a":{"minLength":-1}}})")),
                      std::invalid_argument);
    BOOST_CHECK_THROW(check_schema(bj::parse(R"({"enum":[]})")), std::invalid_argument);
}

// The 2020-12 vocabulary tools such as the conformance suite's fixture use: $defs with
// $ref (by JSON pointer or $anchor), allOf, if/then/else.
BOOST_AUTO_TEST_CASE(defs_refs_allof_and_conditionals) {
    const char* s = R"({"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
        "$defs":{"address":{"$anchor":"addressDef","type":"object",
                            "properties":{"city":{"type":"string"}}}},
        "properties":{"address":{"$ref":"#/$defs/address"},"home":{"$ref":"#addressDef"},
                      "contact":{"enum":["phone","email"]},"phone":{"type":"string"},
                      "email":{"type":"string"}},
        "allOf":[{"anyOf":[{"required":["phone"]},{"required":["email"]}]}],
        "if":{"properties":{"contact":{"const":"phone"}},"required":["contact"]},
        "then":{"required":["phone"]},"else":{"required":["email"]},
        "additionalProperties":false})";
    BOOST_CHECK_NO_THROW(check_schema(bj::parse(s)));
    BOOST_TEST(errors(s, R"({"contact":"phone","phone":"1"})") == "");
    BOOST_TEST(errors(s, R"({"email":"a@b"})") == "");
    BOOST_TEST(errors(s, R"({"contact":"phone","email":"a@b"})") == "args.phone is required");
    BOOST_TEST(errors(s, R"({"phone":"1"})") == "args.email is required");
    BOOST_TEST(errors(s, R"({"email":"a@b","address":{"city":3}})") ==
               "args.address.city must be a string, got integer");
    BOOST_TEST(errors(s, R"({"email":"a@b","home":{"city":3}})") ==
               "args.home.city must be a string, got integer");
}

BOOST_AUTO_TEST_CASE(check_schema_refuses_references_it_cannot_follow) {
    for (const char* bad :
         {R"({"$ref":"https://example.com/schema"})",                 // remote
          R"({"$ref":"#/properties/a"})",                             // not into $defs
          R"({"$defs":{"a":{"type":"string"}},"$ref":"#/$defs/b"})",  // no such definition
          R"({"properties":{"a":{"$defs":{"b":{}}}}})",               // $defs below the root
          R"({"$defs":{"a":{"$anchor":"1x"}}})",                      // not an anchor name
          R"({"allOf":[]})"})
        BOOST_CHECK_THROW(check_schema(bj::parse(bad)), std::invalid_argument);
    // References going round in a circle are reported, never followed forever.
    const char* loop = R"({"$defs":{"a":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"})";
    BOOST_CHECK_NO_THROW(check_schema(bj::parse(loop)));
    BOOST_TEST(errors(loop, "1").find("round in a circle") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
