// Runs a program to its end (argv, never a shell) and times it: for the start-up figures
// of short commands such as `schedcp-cli --version`. Its output is read (and discarded) so
// it never blocks on a full pipe; a run that outlives the timeout is killed and fails.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace schedcp::bench {

// The wall time in seconds from spawn to exit. Throws std::runtime_error when the program
// cannot start, exits with another code than 0 (quoting its output) or times out.
double time_to_exit(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

}  // namespace schedcp::bench
