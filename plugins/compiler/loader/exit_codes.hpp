// schedcp-loader's exit codes: the compiler plugin and the runner tell these apart.
#pragma once

namespace schedcp::loader {

enum ExitCode : int {
    kOk = 0,            // verified, or detached cleanly on request
    kFailed = 1,        // the scheduler failed: rejected at load, attach failed, ejected
    kUsage = 2,         // bad arguments
    kNoSchedExt = 3,    // this kernel has no sched_ext
    kBusy = 4,          // another scheduler is loaded
    kNoPermission = 5,  // not root (or lacking CAP_BPF + CAP_SYS_ADMIN)
    kBadObject = 6,     // not a BPF object, or not a sched_ext scheduler
};

}  // namespace schedcp::loader
