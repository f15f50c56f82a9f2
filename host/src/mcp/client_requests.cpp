#include "client_requests.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace schedcp::host::mcp {

std::optional<PendingClientRequests::Slot> PendingClientRequests::open(
    std::chrono::steady_clock::time_point deadline) {
    if (waiting_.size() >= limit_) return std::nullopt;
    Slot slot{.id = "s:" + std::to_string(next_++), .waiter = std::make_shared<Waiter>(ex_)};
    slot.waiter->timer.expires_at(deadline);
    waiting_[slot.id] = slot.waiter;
    return slot;
}

bool PendingClientRequests::complete(const boost::json::value& id, const boost::json::value& result,
                                     const boost::json::value& error) {
    if (!id.is_string()) return false;
    auto it = waiting_.find(std::string(id.get_string()));
    if (it == waiting_.end()) return false;
    auto waiter = it->second;
    waiting_.erase(it);
    if (error.is_null())
        waiter->reply = {.kind = ClientReply::Kind::result, .body = result};
    else
        waiter->reply = {.kind = ClientReply::Kind::error, .body = error};
    waiter->timer.cancel();
    return true;
}

void PendingClientRequests::fail_all(const std::string& why) {
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& [id, waiter] : waiting) {
        waiter->reply = {.kind = ClientReply::Kind::gone, .why = why};
        waiter->timer.cancel();
    }
}

boost::asio::awaitable<void> PendingClientRequests::wait(Waiter& waiter) {
    // The reply may be in already (several questions are awaited one after the other).
    if (waiter.reply.kind != ClientReply::Kind::pending) co_return;
    // Ends with success at the deadline, operation_aborted on an answer or a cancellation.
    (void)co_await waiter.timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

}  // namespace schedcp::host::mcp
