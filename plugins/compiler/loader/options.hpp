// schedcp-loader's command line: the options and their parsing (usage errors exit 2).
#pragma once

#include <optional>
#include <string>

namespace schedcp::loader {

struct Options {
    std::string object;
    std::optional<int> verify_seconds;  // --verify SECONDS
    std::string verifier_log;           // --verifier-log FILE
    std::string sched_ext_root = "/sys/kernel/sched_ext";
    bool stdin_lifeline = false;
    bool verbose = false;
};

// Exits (0 for --help, 2 with the usage for a mistake) when it cannot return Options.
Options parse_options(int argc, char** argv);

}  // namespace schedcp::loader
