// A monitoring session: samples every interval on the host's Asio timer (never blocking
// other requests), with run-queue latency from BPF while it runs; stop() returns the
// summary. One at a time per process. The scheduler's statistics (scx_stats) are the one
// source that can wait on another process: they are read on the blocking pool, one read at a
// time, and filed under the sample that asked for them when the answer comes.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include "runqlat.hpp"
#include "sampler.hpp"
#include "schedcp/sdk/log.hpp"
#include "schedcp/sdk/services.hpp"
#include "summary.hpp"

namespace schedcp::plugins::monitor {

struct MonitorSettings {
    Sources sources;
    bool runqlat = true;
    std::size_t max_samples = 86400;
};

class Monitor {
  public:
    // `ex` runs the sampling; `blocking` the scheduler's statistics reads.
    Monitor(MonitorSettings settings, boost::asio::any_io_executor ex,
            boost::asio::any_io_executor blocking, const sdk::ServiceRegistry& services,
            sdk::Logger& log)
        : settings_(std::move(settings)),
          ex_(std::move(ex)),
          blocking_(std::move(blocking)),
          services_(services),
          log_(log) {}
    ~Monitor() { halt(); }

    // Throws sdk::Conflict if a session is active.
    boost::json::object start(int interval_ms);
    // Throws sdk::Conflict if none is.
    boost::json::object stop();
    boost::json::object status() const;
    bool running() const { return session_ != nullptr; }

    // Called after each sample (the CLI's live line).
    std::function<void(const Sample&, const Sample* previous)> on_sample;

    // Stops sampling and detaches BPF without a summary (host shutdown).
    void halt() noexcept;

  private:
    struct Session {
        std::string id;
        int interval_ms = 1000;
        std::chrono::steady_clock::time_point started;
        std::int64_t started_unix = 0;
        std::vector<Sample> samples;
        bool truncated = false;
        boost::json::object sources;
        std::unique_ptr<RunqLat> runqlat;
        std::string runqlat_reason;
        boost::json::value execution_at_start;
        std::unique_ptr<boost::asio::steady_timer> timer;
        bool ended = false;            // stopped or halted: late statistics are dropped
        bool stats_in_flight = false;  // a read is waiting on the socket
        std::string stats_reason;      // why the last read brought no statistics
    };
    // `last`: the stop sample, which asks for no statistics (stop() does not wait for them).
    void sample(const std::shared_ptr<Session>& s, bool last = false);
    void ask_scheduler_stats(const std::shared_ptr<Session>& s, bool last);
    static boost::asio::awaitable<void> read_stats_into(std::shared_ptr<Session> s,
                                                        std::size_t index, Sources sources,
                                                        boost::asio::any_io_executor pool);
    void schedule(std::shared_ptr<Session> s);
    boost::json::value live_execution() const;

    MonitorSettings settings_;
    boost::asio::any_io_executor ex_;
    boost::asio::any_io_executor blocking_;
    const sdk::ServiceRegistry& services_;
    sdk::Logger& log_;
    std::shared_ptr<Session> session_;
};

// The CLI's human rendering of a stop() result.
std::string render_summary(const boost::json::object& result);

}  // namespace schedcp::plugins::monitor
