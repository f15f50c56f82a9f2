#include "round_trips.hpp"

#include <chrono>
#include <stdexcept>
#include <vector>

#include "answer_scan.hpp"

namespace schedcp::bench {

LatencySummary measure_round_trips(McpSession& session, const RequestKind& request,
                                   std::size_t count, std::size_t depth) {
    using Clock = std::chrono::steady_clock;
    if (count == 0 || depth == 0) throw std::invalid_argument("no requests to measure");
    ServerProcess& server = session.server();
    const std::int64_t first_id = session.next_id();
    // Ids first_id .. first_id + count - 1, reserved up front and sent in order.
    for (std::size_t i = 1; i < count; ++i) session.next_id();
    std::vector<Clock::time_point> sent_at(count);
    std::vector<bool> answered(count, false);
    std::vector<double> latencies_us;
    latencies_us.reserve(count);

    std::size_t sent = 0;
    auto send_next = [&] {
        const std::string line = request_line(first_id + static_cast<std::int64_t>(sent),
                                              request.method, request.params_json);
        sent_at[sent] = Clock::now();
        server.send(line);
        ++sent;
    };
    const auto start = Clock::now();
    while (sent < depth && sent < count) send_next();
    while (latencies_us.size() < count) {
        const std::string_view line = server.read_line();
        const auto now = Clock::now();
        const std::int64_t id = checked_answer_id(line);
        const std::int64_t index = id - first_id;
        if (index < 0 || index >= static_cast<std::int64_t>(sent) ||
            answered[static_cast<std::size_t>(index)])
            throw std::runtime_error(server.label() + ": an answer to id " + std::to_string(id) +
                                     ", which is not in flight");
        answered[static_cast<std::size_t>(index)] = true;
        latencies_us.push_back(std::chrono::duration<double, std::micro>(
                                   now - sent_at[static_cast<std::size_t>(index)])
                                   .count());
        if (sent < count) send_next();
    }
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    return summarize(std::move(latencies_us), wall);
}

}  // namespace schedcp::bench
