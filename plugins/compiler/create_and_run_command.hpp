// `schedcp-cli create-and-run FILE.bpf.c [--name N] [--verify-only] [--sudo] [-- ARGS]`:
// the tool's loop on a file, then the scheduler in the foreground until Ctrl-C.
//
// It runs schedcp-loader itself rather than through the runner: the SchedulerRunner
// service has no way to start an execution, and a CLI process that owns its loader
// directly gets the same clean stop (SIGINT -> the loader detaches and prints the exit
// info) with nothing added to the SDK. The loader refuses to attach while another
// scheduler is loaded. Later runs go through the runner: `schedcp-cli run NAME`.
#pragma once

#include <memory>

#include "compiler_core.hpp"
#include "schedcp/sdk/command.hpp"

namespace schedcp::plugins::compiler {

sdk::CommandSpec create_and_run_command(std::shared_ptr<CompilerCore> core);

}  // namespace schedcp::plugins::compiler
