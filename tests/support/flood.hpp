// Test support: a client that writes requests and reads none of the answers, from a thread
// of its own (the server stops reading when its answers are not read, and then these writes
// block: the point of the tests that use it). Destroyed, it stops and joins; a write that
// fails because the server went away ends it quietly.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "subprocess.hpp"

namespace schedcp::test {

class RequestFlood {
  public:
    // Writes make_line(0), make_line(1), ... up to `count` lines to the server's stdin.
    RequestFlood(Subprocess& server, int count, std::function<std::string(int)> make_line);
    ~RequestFlood();
    RequestFlood(const RequestFlood&) = delete;
    RequestFlood& operator=(const RequestFlood&) = delete;

    int sent() const { return sent_; }

  private:
    std::atomic<bool> stop_{false};
    std::atomic<int> sent_{0};
    std::thread thread_;
};

// An unfiltered list_schedulers call (about 120 KB of answer) with id `id`.
std::string list_schedulers_request(int id);

}  // namespace schedcp::test
