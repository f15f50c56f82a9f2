// schedcp-cli: the command-line front end over the same host and plugins as schedcp.
#include <csignal>

#include "cli/app.hpp"
#include "logging.hpp"

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    int code = schedcp::host::cli::run(argc, argv);
    schedcp::host::flush_logging();
    return code;
}
