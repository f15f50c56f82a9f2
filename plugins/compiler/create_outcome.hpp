// What each step of create() means to the caller: the errors that stop it (with the
// structured details a model can act on) and the result object when it succeeds.
// Kept apart from the loop itself (compiler_core.cpp), which only sequences the steps.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "clang_toolchain.hpp"
#include "compile.hpp"
#include "object_checks.hpp"
#include "registry.hpp"
#include "settings.hpp"
#include "verify.hpp"
#include "vmlinux_header.hpp"

namespace schedcp::plugins::compiler {

// Everything one successful create() learned, for its result and the stored metadata.
struct CreateFacts {
    std::string name;
    VmlinuxHeader vmlinux;
    Clang clang;
    CompileResult built;
    ObjectReport report;
    VerifyOutcome verification;
    double find_clang_s = 0, checks_s = 0, verify_s = 0, total_s = 0;
};

// Each throws sdk::InvalidArgument with a message for the author and details
// {"stage", "compiled", ...}.
[[noreturn]] void throw_compile_failure(const CompileResult& built, const Clang& clang,
                                        const std::string& display_name);
[[noreturn]] void throw_check_failure(const ObjectReport& report);
[[noreturn]] void throw_kernel_rejection(const ObjectReport& report, const VerifyOutcome& v);

boost::json::array callbacks_json(const ObjectReport& report);

// What the stored metadata records about the build and the verification.
boost::json::object build_facts(const CreateFacts& f, const CompilerSettings& settings);

// The tool's result: compiled, checks, callbacks, verified (or the reason), registered...
boost::json::object create_result(const CreateFacts& f, const StoredScheduler& stored,
                                  const CompilerSettings& settings);

}  // namespace schedcp::plugins::compiler
