// Names of sched_ext's exit kinds (enum scx_exit_kind, include/linux/sched/ext.h), as the
// loader reports them. Values are kernel ABI; a kind this table lacks is shown by number.
#pragma once

#include <string>

namespace schedcp::compiler_common {

inline std::string exit_kind_name(long kind) {
    switch (kind) {
        case 0:
            return "NONE";
        case 1:
            return "DONE";
        case 64:
            return "UNREG";  // unregistered from user space (the loader detached)
        case 65:
            return "UNREG_BPF";  // the scheduler called scx_bpf_exit()
        case 66:
            return "UNREG_KERN";  // the kernel unregistered it
        case 67:
            return "SYSRQ";  // SysRq-S
        case 1024:
            return "ERROR";  // runtime error
        case 1025:
            return "ERROR_BPF";  // the scheduler called scx_bpf_error()
        case 1026:
            return "ERROR_STALL";  // a runnable task was not scheduled in time
        default:
            return "KIND_" + std::to_string(kind);
    }
}

// Kinds from 1024 up are errors; below are orderly exits.
inline bool exit_kind_is_error(long kind) {
    return kind >= 1024;
}

}  // namespace schedcp::compiler_common
