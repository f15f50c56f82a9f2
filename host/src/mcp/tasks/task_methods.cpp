#include "task_methods.hpp"

#include <cstdio>
#include <ctime>

#include "schedcp/sdk/text.hpp"

namespace schedcp::host::mcp {

namespace bj = boost::json;

bool is_task_method(std::string_view method) {
    return method == "tasks/get" || method == "tasks/update" || method == "tasks/cancel";
}

bool client_supports_tasks(const bj::object& capabilities) {
    const bj::value* ext = capabilities.if_contains("extensions");
    return ext && ext->is_object() && ext->get_object().contains(kTasksExtension);
}

RpcError tasks_not_negotiated(const bj::value& id, const std::string& what) {
    bj::object extensions;
    extensions[kTasksExtension] = bj::object{};
    return RpcError{
        kMissingClientCapability,
        "Missing required client capability: extensions." + std::string(kTasksExtension) + " (" +
            what + ")",
        bj::object{{"requiredCapabilities", bj::object{{"extensions", std::move(extensions)}}}},
        id};
}

std::string iso8601(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms % 1000));
    return buf;
}

bj::object task_handle(const Task& task, const TaskLimits& limits) {
    return bj::object{{"taskId", task.id},
                      {"status", to_string(task.status)},
                      {"createdAt", iso8601(task.created_at)},
                      {"lastUpdatedAt", iso8601(task.updated_at)},
                      {"ttlMs", static_cast<std::int64_t>(limits.ttl.count())},
                      {"pollIntervalMs", kTaskPollIntervalMs}};
}

namespace {

// tasks/get: the handle plus what the status carries (DetailedTask).
bj::object detailed_task(const Task& task, const TaskLimits& limits) {
    bj::object out = task_handle(task, limits);
    switch (task.status) {
        case TaskStatus::input_required:
            out["inputRequests"] = task.input_requests;
            break;
        case TaskStatus::completed:
            out["result"] = task.result;
            break;
        case TaskStatus::failed:
            out["error"] = task.error;
            break;
        case TaskStatus::working:
        case TaskStatus::cancelled:
            break;
    }
    return out;
}

// tasks/update: answers for the questions the task waits on. Answers to questions it does
// not wait on are ignored (the extension asks servers to ignore what they do not know);
// the task goes back to working once every question is answered, and its handler wakes.
void deliver_answers(TaskStore& store, Task& task, const bj::object& responses) {
    bool delivered = false;
    for (const auto& [key, answer] : responses) {
        if (!task.input_requests.contains(key)) continue;
        task.input_requests.erase(key);
        task.input_responses[key] = answer;
        delivered = true;
    }
    if (!delivered) return;
    if (task.input_requests.empty()) store.set_status(task, TaskStatus::working);
    if (task.wake_handler) task.wake_handler();
}

}  // namespace

std::variant<bj::object, RpcError> serve_task_method(TaskStore& store, const Message& msg,
                                                     const std::string& owner,
                                                     const bj::object& client_capabilities) {
    if (!client_supports_tasks(client_capabilities))
        return tasks_not_negotiated(msg.id, msg.method + " is part of the tasks extension");
    const auto invalid = [&](std::string text) {
        return RpcError{rpc_error::invalid_params, "invalid params: " + std::move(text), nullptr,
                        msg.id};
    };
    const bj::value* id = msg.params.if_contains("taskId");
    if (!id || !id->is_string() || id->get_string().empty())
        return invalid(msg.method + " needs params.taskId, the id a task handle gave");
    const bj::object* responses = nullptr;
    if (msg.method == "tasks/update") {
        const bj::value* r = msg.params.if_contains("inputResponses");
        if (!r || !r->is_object())
            return invalid(
                "tasks/update needs params.inputResponses: input key -> the client's result");
        for (const auto& [key, answer] : r->get_object())
            if (!answer.is_object())
                return invalid("params.inputResponses." + sdk::text::sanitize(key, 64) +
                               " must be an object (an elicitation, sampling or roots result)");
        responses = &r->get_object();
    }
    auto task = store.find(id->get_string(), owner);
    if (!task)
        return RpcError{rpc_error::invalid_params,
                        "invalid params: no task '" + sdk::text::sanitize(id->get_string(), 80) +
                            "' (unknown, expired after its ttlMs, or not yours)",
                        bj::object{{"taskId", *id}}, msg.id};
    if (msg.method == "tasks/get") return detailed_task(*task, store.limits());
    if (msg.method == "tasks/update")
        deliver_answers(store, *task, *responses);
    else
        store.cancel(*task);
    return bj::object{};  // an empty acknowledgement: the state shows on the next tasks/get
}

}  // namespace schedcp::host::mcp
