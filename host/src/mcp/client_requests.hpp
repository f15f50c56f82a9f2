// Requests this server sent to its client and awaits answers for (2025 revisions:
// elicitation/create, sampling/createMessage, roots/list from a running tool), per session.
//
// Ids are "s:<n>" from the session's own counter: they are matched only against the
// client's responses, never against the client's request ids, and a response whose id is
// not outstanding (bogus, late, duplicated) is ignored. At most `limit` are outstanding;
// each waits until its deadline, its tool call's cancellation, or the session's end.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/value.hpp>

namespace schedcp::host::mcp {

// What became of one request.
struct ClientReply {
    enum class Kind { pending, result, error, gone };
    Kind kind = Kind::pending;
    boost::json::value body;  // result: the result; error: the error object
    std::string why;          // gone: why no answer will come (session ended)
};

class PendingClientRequests {
  public:
    struct Waiter {
        explicit Waiter(boost::asio::any_io_executor ex) : timer(std::move(ex)) {}
        boost::asio::steady_timer timer;  // expires at the deadline; cancelled by an answer
        ClientReply reply;
    };
    struct Slot {
        std::string id;
        std::shared_ptr<Waiter> waiter;
    };

    PendingClientRequests(boost::asio::any_io_executor ex, std::size_t limit)
        : ex_(std::move(ex)), limit_(limit) {}

    // A new id and its waiter; nullopt when `limit` requests are outstanding already.
    std::optional<Slot> open(std::chrono::steady_clock::time_point deadline);
    // The client's response (`error` null for a result). False when no outstanding request
    // has this id.
    bool complete(const boost::json::value& id, const boost::json::value& result,
                  const boost::json::value& error);
    // The waiter stopped waiting (deadline, cancellation): a later answer is ignored.
    void forget(const std::string& id) { waiting_.erase(id); }
    // The session ends: every waiter wakes with `gone`.
    void fail_all(const std::string& why);

    std::size_t outstanding() const { return waiting_.size(); }
    std::size_t limit() const { return limit_; }

    // Waits (on the session's executor) until the waiter's reply is in, its deadline
    // passes, or the awaiting coroutine is cancelled; the reply stays `pending` then.
    static boost::asio::awaitable<void> wait(Waiter& waiter);

  private:
    boost::asio::any_io_executor ex_;
    std::size_t limit_;
    std::uint64_t next_ = 1;
    std::map<std::string, std::shared_ptr<Waiter>> waiting_;
};

}  // namespace schedcp::host::mcp
