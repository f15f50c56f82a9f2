#include "create_schema.hpp"

#include "schedcp/sdk/schema_builder.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;
using namespace sdk::schema;

namespace {

// ObjectReport::to_json.
bj::object static_checks() {
    return closed_object(
        bj::object{{"passed", type("boolean")},
                   {"errors", array_of(type("string"))},
                   {"warnings", array_of(type("string"))},
                   {"struct_ops_map", nullable("string")},
                   {"sched_ext_ops", type("boolean")},
                   {"ops_name", nullable("string")},
                   {"license", nullable("string")},
                   {"gpl_compatible", type("boolean")},
                   {"link", type("boolean")},
                   {"exit_info", type("boolean")},
                   {"programs", array_of(type("string"))},
                   {"flags", type("integer")},
                   {"timeout_ms", type("integer")}},
        {"passed", "errors", "warnings", "struct_ops_map", "sched_ext_ops", "ops_name", "license",
         "gpl_compatible", "link", "exit_info", "programs"});
}

// VerifyOutcome::to_json.
bj::object verification() {
    return closed_object(bj::object{{"attempted", type("boolean")},
                                    {"verified", type("boolean")},
                                    {"reason", type("string")},
                                    {"privilege", type("string")},
                                    {"result", type("object", "schedcp-loader's JSON line")},
                                    {"loader_output", type("string")}},
                         {"attempted", "verified"});
}

// Diagnostic::to_json.
bj::object diagnostic() {
    return closed_object(bj::object{{"file", type("string")},
                                    {"line", type("integer")},
                                    {"column", type("integer")},
                                    {"severity", type("string")},
                                    {"message", type("string")},
                                    {"source_line", type("string")}},
                         {"file", "line", "column", "severity", "message", "source_line"});
}

}  // namespace

bj::object create_output_schema() {
    const bj::object ms = type("integer", "milliseconds");
    bj::object result = closed_object(
        bj::object{{"name", type("string")},
                   {"compiled", bj::object{{"const", true}}},
                   {"ops_name", type("string")},
                   {"callbacks", array_of(closed_object(bj::object{{"callback", type("string")},
                                                                   {"program", type("string")},
                                                                   {"sleepable", type("boolean")}},
                                                        {"callback", "program", "sleepable"}))},
                   {"static_checks", static_checks()},
                   {"verified", type("boolean")},
                   {"verification", verification()},
                   {"registered", bj::object{{"const", true}}},
                   {"object", type("string", "the registered object file")},
                   {"source", type("string", "the stored source")},
                   {"compiler", closed_object(bj::object{{"clang", type("string")},
                                                         {"version", type("string")},
                                                         {"warnings", array_of(diagnostic())},
                                                         {"output", type("string")}},
                                              {"clang", "version", "warnings", "output"})},
                   {"vmlinux", closed_object(bj::object{{"btf", type("string")},
                                                        {"sha256", type("string")},
                                                        {"generated", type("boolean")}},
                                             {"btf", "sha256", "generated"})},
                   {"timings_ms", closed_object(bj::object{{"vmlinux_h", ms},
                                                           {"find_clang", ms},
                                                           {"compile", ms},
                                                           {"checks", ms},
                                                           {"verify", ms},
                                                           {"total", ms}},
                                                {"vmlinux_h", "find_clang", "compile", "checks",
                                                 "verify", "total"})},
                   {"run_with",
                    closed_object(
                        bj::object{{"tool", bj::object{{"const", "run_scheduler"}}},
                                   {"arguments",
                                    closed_object(bj::object{{"name", type("string")}}, {"name"})},
                                   {"cli", type("string")}},
                        {"tool", "arguments", "cli"})},
                   {"reason", type("string", "why it was not verified here")}},
        {"name", "compiled", "ops_name", "callbacks", "static_checks", "verified", "verification",
         "registered", "object", "source", "compiler", "vmlinux", "timings_ms", "run_with"});
    // Not verified: the reason is there.
    result["if"] =
        bj::object{{"properties", bj::object{{"verified", bj::object{{"const", false}}}}}};
    result["then"] = bj::object{{"required", bj::array{"reason"}}};
    return result;
}

}  // namespace schedcp::plugins::compiler
