// Asking the client from a tool call that runs as a task (MCP tasks extension): nothing
// answers a question on the tool call's own request any more (it was answered with the task
// handle), so the questions are parked on the task: tasks/get shows them as `inputRequests`
// with status "input_required", tasks/update delivers the answers (all at once or some at
// a time), and the handler waits here until every question it asked is answered, the task
// is cancelled (tasks/cancel, expiry, server exit) or the call is stopped.
//
// Questions a 2026-07-28 input-required round answered before the call became a task
// (the answers in its inputResponses/requestState) are answered from that round, as the
// handler's earlier run saw them.
#pragma once

#include <memory>
#include <optional>
#include <stop_token>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "../ask_client.hpp"
#include "schedcp/sdk/client_request.hpp"
#include "task_store.hpp"

namespace schedcp::host::mcp {

// `answers` comes in with `unsupported` for the questions whose capability the client
// lacks (not asked) and is returned complete.
boost::asio::awaitable<std::vector<sdk::ClientAnswer>> ask_within_task(
    TaskStore& store, std::shared_ptr<Task> task, const std::vector<sdk::ClientRequest>& questions,
    std::vector<sdk::ClientAnswer> answers, std::optional<InputRound>& round, std::stop_token stop);

}  // namespace schedcp::host::mcp
