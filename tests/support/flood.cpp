#include "flood.hpp"

#include <signal.h>

namespace schedcp::test {

RequestFlood::RequestFlood(Subprocess& server, int count,
                           std::function<std::string(int)> make_line) {
    ::signal(SIGPIPE, SIG_IGN);  // the server may go away mid-write: EPIPE, not death
    thread_ = std::thread([this, &server, count, make_line = std::move(make_line)] {
        try {
            for (int i = 0; i < count && !stop_; ++i) {
                server.write_line(make_line(i));
                ++sent_;
            }
        } catch (...) {
            // The server went away (EPIPE).
        }
    });
}

RequestFlood::~RequestFlood() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

std::string list_schedulers_request(int id) {
    return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
           R"(,"method":"tools/call","params":{"name":"list_schedulers","arguments":{}}})";
}

}  // namespace schedcp::test
