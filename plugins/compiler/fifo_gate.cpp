#include "fifo_gate.hpp"

#include <algorithm>
#include <list>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "schedcp/sdk/error.hpp"

namespace schedcp::plugins::compiler {

namespace asio = boost::asio;

namespace {

struct Waiter {
    explicit Waiter(const asio::any_io_executor& ex) : timer(ex) {
        timer.expires_at(asio::steady_timer::time_point::max());
    }
    asio::steady_timer timer;  // never expires: cancelled to wake the waiter
    bool granted = false;
    bool cancelled = false;
};

}  // namespace

struct FifoGate::State {
    std::size_t slots;
    std::size_t holders = 0;
    std::list<std::shared_ptr<Waiter>> queue;

    // Lets waiters in while there is room, then wakes every waiter: the ones let in
    // proceed, the others see their new place.
    void admit_and_wake() {
        std::vector<std::shared_ptr<Waiter>> admitted;
        while (holders < slots && !queue.empty()) {
            auto w = queue.front();
            queue.pop_front();
            w->granted = true;
            ++holders;
            admitted.push_back(std::move(w));
        }
        for (auto& w : admitted) w->timer.cancel();
        for (auto& w : queue) w->timer.cancel();
    }

    void release() {
        --holders;
        admit_and_wake();
    }

    std::size_t ahead_of(const std::shared_ptr<Waiter>& w) const {
        return static_cast<std::size_t>(
            std::distance(queue.begin(), std::find(queue.begin(), queue.end(), w)));
    }
};

FifoGate::FifoGate(std::size_t slots) : state_(std::make_shared<State>()) {
    state_->slots = std::max<std::size_t>(1, slots);
}

FifoGate::Slot& FifoGate::Slot::operator=(Slot&& o) noexcept {
    if (this != &o) {
        if (state_) state_->release();
        state_ = std::move(o.state_);
    }
    return *this;
}

FifoGate::Slot::~Slot() {
    if (state_) state_->release();
}

std::size_t FifoGate::holders() const {
    return state_->holders;
}

std::size_t FifoGate::waiting() const {
    return state_->queue.size();
}

asio::awaitable<FifoGate::Slot> FifoGate::acquire(std::stop_token stop,
                                                  std::function<void(std::size_t)> on_wait,
                                                  std::string cancelled_message) {
    auto st = state_;
    if (st->queue.empty() && st->holders < st->slots) {
        ++st->holders;
        co_return Slot(st);
    }
    auto ex = co_await asio::this_coro::executor;
    auto w = std::make_shared<Waiter>(ex);
    st->queue.push_back(w);
    // However this frame ends (a throw, or destroyed while suspended), the waiter leaves
    // the queue, and a slot granted to it but never handed over is given back.
    struct Leave {
        std::shared_ptr<State> st;
        std::shared_ptr<Waiter> w;
        bool handed_over = false;
        ~Leave() {
            if (handed_over) return;
            if (w->granted) {
                st->release();
            } else if (auto it = std::find(st->queue.begin(), st->queue.end(), w);
                       it != st->queue.end()) {
                st->queue.erase(it);
                st->admit_and_wake();
            }
        }
    } leave{st, w};
    // stop_callback may run on another thread: hop onto the executor first.
    std::stop_callback on_stop(stop, [w, ex] {
        asio::post(ex, [w] {
            if (w->granted) return;
            w->cancelled = true;
            w->timer.cancel();
        });
    });
    std::size_t reported = static_cast<std::size_t>(-1);
    // No lost wake-ups: the state is checked and the wait begun without suspending in
    // between, and the queue only changes in handlers that run while we wait.
    while (!w->granted && !w->cancelled) {
        if (std::size_t ahead = st->ahead_of(w); ahead != reported) {
            reported = ahead;
            if (on_wait) on_wait(ahead);
        }
        boost::system::error_code ec;
        co_await w->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (!w->granted) throw sdk::Cancelled(cancelled_message);
    leave.handed_over = true;
    co_return Slot(st);
}

}  // namespace schedcp::plugins::compiler
