// At most N holders at once, the others waiting in arrival order: clang processes over
// all requests (max_concurrent_compiles), and kernel verifications (one at a time, as
// only one scheduler fits in the kernel).
//
// Event-driven on the caller's executor (no polling): a waiter sleeps on a timer that
// never expires and is woken (cancelled) when the queue changes. Every member is used
// from that one executor; only cancellation arrives from elsewhere and is posted to it.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>

#include <boost/asio/awaitable.hpp>

namespace schedcp::plugins::compiler {

class FifoGate {
    struct State;

  public:
    explicit FifoGate(std::size_t slots);

    // A held slot; released (and the next waiter let in) when destroyed.
    class Slot {
      public:
        Slot() = default;
        explicit Slot(std::shared_ptr<State> s) : state_(std::move(s)) {}
        Slot(Slot&& o) noexcept = default;
        Slot& operator=(Slot&& o) noexcept;
        Slot(const Slot&) = delete;
        ~Slot();

      private:
        std::shared_ptr<State> state_;
    };

    // Waits for a slot. `on_wait(ahead)` is called when it has to wait and again each
    // time the number of waiters ahead of it changes. Throws sdk::Cancelled with
    // `cancelled_message` when `stop` is requested while waiting. Call, then await.
    boost::asio::awaitable<Slot> acquire(std::stop_token stop,
                                         std::function<void(std::size_t ahead)> on_wait,
                                         std::string cancelled_message);

    std::size_t holders() const;
    std::size_t waiting() const;

  private:
    std::shared_ptr<State> state_;
};

}  // namespace schedcp::plugins::compiler
