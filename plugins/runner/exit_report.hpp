// Why a scheduler ended, in the kernel's words: what the scheduler itself printed about its
// exit (scx schedulers print "EXIT: reason (message)"; schedcp-loader prints "exit: kind
// ERROR_STALL (1026), code 0, reason: ..., message: ...") and the kernel's own log line
// ("sched_ext: BPF scheduler "NAME" disabled (reason)", then "sched_ext: NAME: message").
// Pure parsing, no I/O; kmsg_reader.hpp reads the kernel's log.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace schedcp::plugins::runner {

// What is known about an end; each field from the best source that said it.
struct ExitReport {
    std::optional<std::string> kind;     // enum scx_exit_kind's name: ERROR_STALL, UNREG, ...
    std::optional<std::string> reason;   // the kernel's reason text: "runnable task stall"
    std::optional<std::string> message;  // the detail: "comm[pid] failed to run for 0.5s"
    std::optional<std::string> kernel_message;  // the kernel's "disabled (...)" line, as logged
    std::optional<double> kernel_message_at;    // when the kernel logged it, Unix seconds

    // Kinds from ERROR up are errors (the kernel ejected it); below, orderly ends.
    bool error() const;
};

// The kind the kernel's reason text stands for (kernel/sched/ext.c scx_exit_reason()).
std::optional<std::string> exit_kind_for_reason(std::string_view reason);

// Takes what a line of the scheduler's output says about its exit into `report` (kind,
// reason, message); returns whether it said anything. Lines the runner itself added are
// not passed here.
bool read_exit_line(std::string_view line, ExitReport& report);

// One record of the kernel's log that concerns sched_ext's scheduler `ops`.
struct KernelExitLine {
    bool disabled = false;  // "BPF scheduler "ops" disabled (reason)"; else the message line
    std::string text;       // the whole record's text, e.g. sched_ext: BPF scheduler "x" ...
    std::string detail;     // the reason (disabled) or the message
};
std::optional<KernelExitLine> parse_kernel_line(std::string_view text, std::string_view ops);

// Takes a kernel record about `ops` into `report` (the kernel's reason wins over the
// scheduler's, its message fills a missing one).
void apply_kernel_line(const KernelExitLine& line, double logged_at, ExitReport& report);

}  // namespace schedcp::plugins::runner
