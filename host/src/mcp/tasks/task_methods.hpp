// The wire side of the MCP tasks extension (io.modelcontextprotocol/tasks, SEP-2663), as
// the 2026-07-28 era serves it: the task handle a tools/call answers with
// (CreateTaskResult, resultType "task"), and tasks/get, tasks/update, tasks/cancel.
// tasks/result and tasks/list do not exist in this version of the extension (-32601).
//
// Everything is gated on the request's own client capabilities (2026-07-28 has no session):
// a request whose _meta clientCapabilities lacks extensions["io.modelcontextprotocol/tasks"]
// gets -32021 naming the extension.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>

#include "../ask_client.hpp"
#include "../jsonrpc.hpp"
#include "task_store.hpp"

namespace schedcp::host::mcp {

inline constexpr std::string_view kTasksExtension = "io.modelcontextprotocol/tasks";
// The polling interval suggested to clients (pollIntervalMs).
inline constexpr std::int64_t kTaskPollIntervalMs = 1000;

bool is_task_method(std::string_view method);

// Whether these client capabilities declare the tasks extension.
bool client_supports_tasks(const boost::json::object& capabilities);

// -32021 (MissingRequiredClientCapability) with data.requiredCapabilities naming the
// extension; `what` says what needed it.
RpcError tasks_not_negotiated(const boost::json::value& id, const std::string& what);

// The fields of a CreateTaskResult (the caller adds resultType "task"): taskId, status,
// createdAt, lastUpdatedAt, ttlMs, pollIntervalMs.
boost::json::object task_handle(const Task& task, const TaskLimits& limits);

// Serves tasks/get, tasks/update or tasks/cancel for `owner`: the result (the caller adds
// resultType "complete") or the error (-32021 not negotiated, -32602 malformed or unknown
// task: another owner's task is unknown too).
std::variant<boost::json::object, RpcError> serve_task_method(
    TaskStore& store, const Message& msg, const std::string& owner,
    const boost::json::object& client_capabilities);

// ISO 8601 in UTC with milliseconds: 2026-07-28T12:34:56.789Z.
std::string iso8601(std::chrono::system_clock::time_point t);

}  // namespace schedcp::host::mcp
