// The compiler's one loop, behind both the create_and_verify_scheduler tool and
// `schedcp-cli create-and-run`: check the request -> vmlinux.h -> clang -> static checks
// -> kernel verification -> store and register in the catalog.
//
// Outcomes: a result object (compiled, checked, verified or why not, registered), or a
// thrown sdk::Error whose message says what was wrong and whose details carry the
// structured part: bad names and arguments, compile errors (diagnostics with the source
// line), failed static checks, a kernel rejection (the verifier's explanation and the
// file with its full log). A scheduler the kernel rejected is never registered; one
// that could not be verified here (no sched_ext, not root) is, and says so.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "compile.hpp"
#include "fifo_gate.hpp"
#include "registry.hpp"
#include "schedcp/sdk/call_context.hpp"
#include "schedcp/sdk/log.hpp"
#include "schedcp/sdk/services.hpp"
#include "settings.hpp"
#include "verify.hpp"

namespace schedcp::plugins::compiler {

inline constexpr std::size_t kMaxSourceBytes = 1 << 20;

struct CreateRequest {
    std::string name;
    std::string source;
    std::string display_name;  // the file name diagnostics show ("<name>.bpf.c" over MCP)
    std::optional<std::filesystem::path> source_dir;  // CLI: where #include "..." looks
    // description, algorithm, use_cases, characteristics, limitations, performance_profile
    boost::json::object info;
    bool cli = false;
    bool sudo = false;  // CLI --sudo
};

class CompilerCore {
  public:
    CompilerCore(CompilerSettings settings, sdk::ServiceRegistry& services, sdk::Logger& log);

    const CompilerSettings& settings() const { return settings_; }
    const Registry& registry() const { return registry_; }

    // Call, then await (see sdk/blocking.hpp).
    boost::asio::awaitable<boost::json::object> create(const CreateRequest& request,
                                                       sdk::CallContext& ctx);

    // Registers every stored scheduler in the catalog (at plugin start). Blocking;
    // problems are logged, never thrown.
    void register_stored();

  private:
    void check_request(const CreateRequest& r) const;
    // Writes the source into `work_dir` and describes the compile.
    CompileJob compile_job(const CreateRequest& r, const std::filesystem::path& work_dir) const;
    boost::asio::awaitable<VerifyOutcome> verify(const CreateRequest& r,
                                                 const std::filesystem::path& object,
                                                 sdk::CallContext& ctx);
    boost::json::object metadata_for(const CreateRequest& r,
                                     const boost::json::object& facts) const;

    CompilerSettings settings_;
    sdk::ServiceRegistry& services_;
    sdk::Logger& log_;
    Registry registry_;
    FifoGate compile_gate_;  // at most max_concurrent_compiles clang processes at once
    FifoGate verify_gate_;   // one kernel verification at a time (one scheduler fits)
    unsigned work_counter_ = 0;
};

// The tool's input schema: name, source_code, and SchedCP's optional metadata fields.
boost::json::object create_input_schema();

// A readable summary of create()'s result.
std::string render_result(const boost::json::object& result);

}  // namespace schedcp::plugins::compiler
