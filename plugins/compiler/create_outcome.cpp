#include "create_outcome.hpp"

#include <sys/utsname.h>

#include <ctime>

#include "schedcp/sdk/error.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;

namespace {

std::int64_t ms(double s) {
    return static_cast<std::int64_t>(s * 1000 + 0.5);
}

bj::array diagnostics_json(const std::vector<Diagnostic>& ds, bool only_warnings) {
    bj::array a;
    for (const auto& d : ds)
        if (!only_warnings || d.severity == "warning") a.push_back(d.to_json());
    return a;
}

}  // namespace

void throw_compile_failure(const CompileResult& built, const Clang& clang,
                           const std::string& display) {
    const auto& out = built.output;
    std::string count = out.errors == 1 ? "1 error" : std::to_string(out.errors) + " errors";
    throw sdk::InvalidArgument("compiling " + display + " failed (" + count + "):\n" + out.text,
                               bj::object{{"stage", "compile"},
                                          {"compiled", false},
                                          {"errors", out.errors},
                                          {"warnings", out.warnings},
                                          {"diagnostics", diagnostics_json(out.diagnostics, false)},
                                          {"clang", clang.path.string() + " " + clang.version}});
}

void throw_check_failure(const ObjectReport& report) {
    std::string list;
    for (const auto& e : report.errors) list += "  - " + e + "\n";
    throw sdk::InvalidArgument(
        "the object compiled but is not a loadable sched_ext scheduler:\n" + list,
        bj::object{
            {"stage", "static_checks"}, {"compiled", true}, {"static_checks", report.to_json()}});
}

void throw_kernel_rejection(const ObjectReport& report, const VerifyOutcome& v) {
    std::string msg = "the kernel rejected the scheduler: " + v.reason;
    if (auto* log = v.loader_result.if_contains("verifier_log"); log && log->is_string())
        msg += "\n\nverifier log (end):\n" + std::string(log->get_string());
    if (auto* file = v.loader_result.if_contains("verifier_log_file"); file && file->is_string())
        msg += "\nfull verifier log: " + std::string(file->get_string());
    throw sdk::InvalidArgument(msg, bj::object{{"stage", "kernel_verification"},
                                               {"compiled", true},
                                               {"static_checks", report.to_json()},
                                               {"verification", v.to_json()},
                                               {"registered", false}});
}

bj::array callbacks_json(const ObjectReport& report) {
    bj::array a;
    for (const auto& c : report.callbacks)
        a.push_back(bj::object{
            {"callback", c.callback}, {"program", c.program}, {"sleepable", c.sleepable}});
    return a;
}

bj::object build_facts(const CreateFacts& f, const CompilerSettings& settings) {
    utsname u{};
    ::uname(&u);
    const VerifyOutcome& v = f.verification;
    return bj::object{
        {"ops_name", f.report.ops_name.value_or("")},
        {"callbacks", callbacks_json(f.report)},
        {"kernel_verified", v.verified()},
        {"verification", bj::object{{"verified", v.verified()},
                                    {"attempted", v.attempted},
                                    {"reason", v.reason},
                                    {"kernel", u.release},
                                    {"at", static_cast<std::int64_t>(std::time(nullptr))}}},
        {"compiled_with", bj::object{{"clang", f.clang.version},
                                     {"vmlinux_btf", settings.vmlinux_btf.string()},
                                     {"btf_sha256", f.vmlinux.btf_sha256}}}};
}

bj::object create_result(const CreateFacts& f, const StoredScheduler& stored,
                         const CompilerSettings& settings) {
    const VerifyOutcome& v = f.verification;
    bj::object result{
        {"name", f.name},
        {"compiled", true},
        {"ops_name", f.report.ops_name.value_or("")},
        {"callbacks", callbacks_json(f.report)},
        {"static_checks", f.report.to_json()},
        {"verified", v.verified()},
        {"verification", v.to_json()},
        {"registered", true},
        {"object", stored.object.string()},
        {"source", stored.source.string()},
        {"compiler", bj::object{{"clang", f.clang.path.string()},
                                {"version", f.clang.version},
                                {"warnings", diagnostics_json(f.built.output.diagnostics, true)},
                                {"output", f.built.output.text}}},
        {"vmlinux", bj::object{{"btf", settings.vmlinux_btf.string()},
                               {"sha256", f.vmlinux.btf_sha256},
                               {"generated", f.vmlinux.generated}}},
        {"timings_ms", bj::object{{"vmlinux_h", ms(f.vmlinux.seconds)},
                                  {"find_clang", ms(f.find_clang_s)},
                                  {"compile", ms(f.built.seconds)},
                                  {"checks", ms(f.checks_s)},
                                  {"verify", ms(f.verify_s)},
                                  {"total", ms(f.total_s)}}},
        {"run_with", bj::object{{"tool", "run_scheduler"},
                                {"arguments", bj::object{{"name", f.name}}},
                                {"cli", "schedcp-cli run " + f.name}}}};
    if (!v.verified()) result["reason"] = v.reason;
    return result;
}

}  // namespace schedcp::plugins::compiler
