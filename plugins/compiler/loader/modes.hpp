// What schedcp-loader does with a scheduler once it is open: run it until a signal (or
// the end of stdin with --stdin-lifeline), or verify it (attach, confirm, hold, detach)
// and describe the outcome in the --verify JSON line. Both refuse to start when the
// kernel has no sched_ext or another scheduler is loaded (check_kernel).
#pragma once

#include <string>

#include "bpf_scheduler.hpp"
#include "json_line.hpp"
#include "options.hpp"

namespace schedcp::loader {

// SIGINT, SIGTERM and SIGHUP end the wait (no SA_RESTART).
void install_signal_handlers();

void say(const std::string& line);  // "schedcp-loader: <line>" on stderr

// Throws LoaderError (kNoSchedExt, kBusy).
void check_kernel(const Options& o);

// Each returns the exit code; loading and attaching throw LoaderError.
int run(const Options& o, BpfScheduler& s);
int verify(const Options& o, BpfScheduler& s, JsonLine& j);

// Writes the full verifier log where --verifier-log says; the file, or "" if none.
std::string save_verifier_log(const Options& o, const BpfScheduler& s);

}  // namespace schedcp::loader
