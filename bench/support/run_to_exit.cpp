#include "run_to_exit.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "schedcp/sdk/process.hpp"

namespace schedcp::bench {

double time_to_exit(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    using Clock = std::chrono::steady_clock;
    sdk::process::SpawnOptions options;
    options.argv = argv;
    options.env = sdk::process::clean_environment();
    options.parent_death_signal = SIGKILL;
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    sdk::process::Child child = sdk::process::spawn(options);
    const int out = child.take_output();
    std::string head;  // the start of its output, for the failure message
    char chunk[16384];
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd p{.fd = out, .events = POLLIN, .revents = 0};
        if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) == 0) {
            ::close(out);
            throw std::runtime_error(argv.front() + " did not finish within " +
                                     std::to_string(timeout.count()) + " ms");
        }
        const ssize_t n = ::read(out, chunk, sizeof chunk);
        if (n <= 0) break;
        if (head.size() < 2000) head.append(chunk, static_cast<std::size_t>(n));
    }
    ::close(out);
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const auto status = child.wait_for(std::max(left, std::chrono::milliseconds(0)));
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!status) throw std::runtime_error(argv.front() + " closed its output but did not exit");
    if (status->code != 0)
        throw std::runtime_error(argv.front() + " ended with " + status->describe() + ": " + head);
    return seconds;
}

}  // namespace schedcp::bench
