// schedcp-guard's resolution of what to run: the guard, not its caller, decides the
// program, from the policy's root-owned locations, and refuses anything else.
//   --scheduler NAME: NAME is catalogued (compiled in from the catalog) or listed by a
//     `scheduler NAME` policy line; the program is the first regular executable file NAME in
//     the policy's scheduler_dir directories.
//     Its arguments must pass scheduler_args.hpp against the catalog's rules compiled in
//     (a policy-only name takes none).
//   --custom NAME: <custom_dir>/NAME/NAME.bpf.o, run by the schedcp-loader beside the guard:
//     `schedcp-loader OBJ`; a custom scheduler takes no arguments.
#pragma once

#include <string>
#include <vector>

#include "policy.hpp"

namespace schedcp::guard {

enum class TargetKind { scheduler, custom };

struct Launch {
    int exec_fd = -1;               // the checked program, run with fexecve
    std::string program;            // its real path (for messages)
    std::vector<std::string> argv;  // argv[0] included
};

// The catalogued scheduler names compiled into the guard.
bool catalogued(std::string_view name);

// Resolves and checks what to run; `args` are the scheduler's own. Throws Refusal.
Launch resolve_launch(const Policy& policy, TargetKind kind, const std::string& name,
                      const std::vector<std::string>& args);

}  // namespace schedcp::guard
