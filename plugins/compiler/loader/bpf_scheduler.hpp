// A sched_ext scheduler object through its life in the loader: open it, load it (the
// kernel verifier runs here; its log is kept), attach its sched_ext_ops map through a
// BPF link, detach, and read the exit info the scheduler recorded.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "exit_codes.hpp"
#include "sched_ext_object.hpp"

struct bpf_object;
struct bpf_map;
struct bpf_link;

namespace schedcp::loader {

// A step failed; `code` is the loader's exit code for it, `stage` names the step.
struct LoaderError : std::runtime_error {
    LoaderError(ExitCode c, std::string s, const std::string& message)
        : std::runtime_error(message), code(c), stage(std::move(s)) {}
    ExitCode code;
    std::string stage;  // open, load, attach
};

class BpfScheduler {
  public:
    // Routes libbpf's messages: kept for reports, echoed to stderr (debug ones only
    // when verbose).
    static void capture_libbpf_output(bool verbose);
    // The libbpf warnings seen so far (the last few KiB).
    static std::string libbpf_messages();

    explicit BpfScheduler(std::string path);
    ~BpfScheduler();
    BpfScheduler(const BpfScheduler&) = delete;
    BpfScheduler& operator=(const BpfScheduler&) = delete;

    void open();    // throws LoaderError (kBadObject)
    void load();    // throws LoaderError (kFailed, kNoSchedExt, kNoPermission)
    void attach();  // throws LoaderError (kFailed, kBusy, kNoPermission)
    void detach() noexcept;
    bool attached() const { return link_ != nullptr; }

    const std::string& ops_name() const { return ops_name_; }
    bool has_exit_info() const { return uei_.has_value(); }
    // The recorded exit (kind 0 while running); nullopt without UEI or when unreadable.
    std::optional<compiler_common::ExitInfo> exit_info() const;

    // The verifier's log of the program that failed to load ("" after a success).
    const std::string& verifier_log() const { return verifier_log_; }
    // The program libbpf named as failing, if any.
    const std::string& failed_program() const { return failed_program_; }

  private:
    std::string path_;
    bpf_object* obj_ = nullptr;
    bpf_map* ops_map_ = nullptr;
    bpf_link* link_ = nullptr;
    std::string ops_name_;
    std::optional<compiler_common::UeiLayout> uei_;
    std::string log_buf_;  // handed to libbpf for the verifier log
    std::string verifier_log_;
    std::string failed_program_;
};

}  // namespace schedcp::loader
