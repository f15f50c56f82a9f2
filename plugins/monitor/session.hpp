// A monitoring session: samples every interval on the host's Asio timer (never blocking
// other requests), with run-queue latency from BPF while it runs; stop() returns the
// summary. One at a time per process.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
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
    Monitor(MonitorSettings settings, boost::asio::any_io_executor ex,
            const sdk::ServiceRegistry& services, sdk::Logger& log)
        : settings_(std::move(settings)), ex_(std::move(ex)), services_(services), log_(log) {}
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
    };
    void sample(Session& s);
    void schedule(std::shared_ptr<Session> s);
    boost::json::value live_execution() const;

    MonitorSettings settings_;
    boost::asio::any_io_executor ex_;
    const sdk::ServiceRegistry& services_;
    sdk::Logger& log_;
    std::shared_ptr<Session> session_;
};

// The CLI's human rendering of a stop() result.
std::string render_summary(const boost::json::object& result);

}  // namespace schedcp::plugins::monitor
