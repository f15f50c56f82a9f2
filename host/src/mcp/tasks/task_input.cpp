#include "task_input.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace schedcp::host::mcp {

namespace bj = boost::json;
namespace net = boost::asio;

boost::asio::awaitable<std::vector<sdk::ClientAnswer>> ask_within_task(
    TaskStore& store, std::shared_ptr<Task> task, const std::vector<sdk::ClientRequest>& questions,
    std::vector<sdk::ClientAnswer> answers, std::optional<InputRound>& round,
    std::stop_token stop) {
    std::vector<std::size_t> waiting;  // indexes of the questions parked on the task
    for (std::size_t i = 0; i < questions.size(); ++i) {
        if (answers[i].outcome == sdk::ClientOutcome::unsupported) continue;
        const auto& q = questions[i];
        if (const bj::value* known = round ? round->known.if_contains(q.key) : nullptr) {
            answers[i] = interpret_client_result(q.kind, *known);
            continue;
        }
        task->input_requests[q.key] =
            bj::object{{"method", method_of(q.kind)}, {"params", q.params}};
        waiting.push_back(i);
    }
    if (waiting.empty()) co_return answers;
    store.set_status(*task, TaskStatus::input_required);

    // tasks/update wakes the handler by cancelling a timer that never expires on its own.
    auto timer = std::make_shared<net::steady_timer>(co_await net::this_coro::executor,
                                                     net::steady_timer::time_point::max());
    task->wake_handler = [weak = std::weak_ptr(timer)] {
        if (auto t = weak.lock()) t->cancel();
    };
    const auto all_answered = [&] {
        for (std::size_t i : waiting)
            if (!task->input_responses.contains(questions[i].key)) return false;
        return true;
    };
    while (!stop.stop_requested() && !task->terminal() && !all_answered()) {
        timer->expires_at(net::steady_timer::time_point::max());
        co_await timer->async_wait(net::as_tuple(net::use_awaitable));
    }
    task->wake_handler = nullptr;

    for (std::size_t i : waiting) {
        const auto& key = questions[i].key;
        if (const bj::value* answer = task->input_responses.if_contains(key)) {
            answers[i] = interpret_client_result(questions[i].kind, *answer);
            task->input_responses.erase(key);
        } else {
            task->input_requests.erase(key);
            answers[i] = {.outcome = sdk::ClientOutcome::cancelled,
                          .message = "the task was cancelled before the client answered"};
        }
    }
    co_return answers;
}

}  // namespace schedcp::host::mcp
