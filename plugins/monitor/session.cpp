#include "session.hpp"

#include <cmath>
#include <random>
#include <sstream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "schedcp/sdk/blocking.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/services/scheduler_runner.hpp"

namespace schedcp::plugins::monitor {

namespace bj = boost::json;

namespace {

std::string new_id() {
    static std::random_device rd;
    static const char* hex = "0123456789abcdef";
    std::string id = "mon_";
    for (int i = 0; i < 8; ++i) id.push_back(hex[rd() % 16]);
    return id;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

bj::value Monitor::live_execution() const {
    auto runner = services_.find<sdk::services::SchedulerRunner>();
    if (!runner) return nullptr;
    auto e = runner->live();
    if (!e) return nullptr;
    return bj::object{{"execution_id", e->execution_id},
                      {"scheduler", e->scheduler},
                      {"status", sdk::services::execution_status_name(e->status)}};
}

void Monitor::sample(const std::shared_ptr<Session>& s, bool last) {
    if (s->samples.size() >= settings_.max_samples) {
        s->truncated = true;
        return;
    }
    s->samples.push_back(take_system_sample(settings_.sources, seconds_since(s->started)));
    ask_scheduler_stats(s, last);
    if (on_sample)
        on_sample(s->samples.back(),
                  s->samples.size() > 1 ? &s->samples[s->samples.size() - 2] : nullptr);
}

void Monitor::ask_scheduler_stats(const std::shared_ptr<Session>& s, bool last) {
    Sample& sample = s->samples.back();
    if (!socket_exists(settings_.sources)) {
        sample.scheduler_stats_reason = s->stats_reason = no_socket_reason(settings_.sources);
        return;
    }
    if (last || s->stats_in_flight) {
        // Not asked: the sample goes without, saying why the last read brought nothing.
        sample.scheduler_stats_reason =
            s->stats_in_flight
                ? "the scx_stats read asked at an earlier sample has not been answered yet"
            : !s->stats_reason.empty()
                ? s->stats_reason
                : "the stop sample does not wait for the scheduler's statistics";
        return;
    }
    s->stats_in_flight = true;
    auto reading = read_stats_into(s, s->samples.size() - 1, settings_.sources,
                                   blocking_);  // call, then spawn: see sdk/blocking.hpp
    boost::asio::co_spawn(ex_, std::move(reading), boost::asio::detached);
}

boost::asio::awaitable<void> Monitor::read_stats_into(std::shared_ptr<Session> s, std::size_t index,
                                                      Sources sources,
                                                      boost::asio::any_io_executor pool) {
    auto op = sdk::run_blocking(pool, [sources] { return read_scheduler_stats(sources); });
    StatsReading reading = co_await std::move(op);  // back on the session's executor
    s->stats_in_flight = false;
    s->stats_reason = reading.reason;
    if (s->ended || index >= s->samples.size()) co_return;
    s->samples[index].scheduler_stats = std::move(reading.stats);
    s->samples[index].scheduler_stats_reason = std::move(reading.reason);
}

void Monitor::schedule(std::shared_ptr<Session> s) {
    // From the previous deadline, not from now: samples stay on the interval's grid instead
    // of drifting by each sample's own cost.
    s->timer->expires_at(s->timer->expiry() + std::chrono::milliseconds(s->interval_ms));
    s->timer->async_wait([this, s](boost::system::error_code ec) {
        if (ec || session_ != s) return;  // stopped
        sample(s);
        schedule(s);
    });
}

bj::object Monitor::start(int interval_ms) {
    if (session_)
        throw sdk::Conflict("A monitoring session is already active (" + session_->id + ", " +
                            std::to_string(static_cast<int>(seconds_since(session_->started))) +
                            " s so far). Stop it first.");
    auto s = std::make_shared<Session>();
    s->id = new_id();
    s->interval_ms = interval_ms;
    s->started = std::chrono::steady_clock::now();
    s->started_unix = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    s->sources = probe_sources(settings_.sources);
    s->execution_at_start = live_execution();
    if (settings_.runqlat) {
        s->runqlat = RunqLat::open(s->runqlat_reason);
        if (!s->runqlat)
            SCHEDCP_LOG(log_, warning) << "run-queue latency unavailable: " << s->runqlat_reason;
    } else {
        s->runqlat_reason = "disabled by the monitor's runqlat setting";
    }
    s->timer = std::make_unique<boost::asio::steady_timer>(ex_, s->started);
    session_ = s;
    sample(s);  // the first sample now; rates start with the second
    schedule(s);
    SCHEDCP_LOG(log_, info) << "monitoring session " << s->id << " started (every " << interval_ms
                            << " ms)";
    bj::object sources = s->sources;
    sources["runqlat"] = s->runqlat
                             ? bj::object{{"available", true}}
                             : bj::object{{"available", false}, {"reason", s->runqlat_reason}};
    return bj::object{{"message", "System monitoring started with session ID: " + s->id},
                      {"session_id", s->id},
                      {"status", "started"},
                      {"interval_ms", interval_ms},
                      {"sources", std::move(sources)}};
}

bj::object Monitor::status() const {
    if (!session_) return bj::object{{"running", false}};
    return bj::object{{"running", true},
                      {"session_id", session_->id},
                      {"elapsed_secs", std::round(seconds_since(session_->started) * 10) / 10},
                      {"samples", static_cast<std::int64_t>(session_->samples.size())},
                      {"interval_ms", session_->interval_ms}};
}

bj::object Monitor::stop() {
    if (!session_)
        throw sdk::Conflict("No active monitoring session: start one with command 'start'");
    auto s = session_;
    session_.reset();
    s->timer->cancel();
    sample(s, true);  // the last sample now, so the summary spans the whole session
    s->ended = true;
    bj::object summary = summarize(s->samples, s->sources,
                                   {.interval_secs = s->interval_ms / 1000.0,
                                    .sched_ext_root = settings_.sources.sched_ext_root});
    summary["session_id"] = s->id;
    summary["interval_ms"] = s->interval_ms;
    summary["started_at"] = s->started_unix;
    if (s->truncated)
        summary["truncated_at_samples"] = static_cast<std::int64_t>(settings_.max_samples);
    summary["runqlat"] = s->runqlat
                             ? s->runqlat->summary()
                             : bj::object{{"available", false}, {"reason", s->runqlat_reason}};
    s->runqlat.reset();  // detach
    bj::value execution = live_execution();
    if (execution.is_null()) execution = s->execution_at_start;
    summary["execution"] = execution;
    const auto count = summary.at("sample_count").as_int64();
    std::ostringstream msg;
    msg << "Monitoring session " << s->id
        << " completed. Duration: " << summary.at("duration_secs").as_double()
        << "s, Samples: " << count;
    SCHEDCP_LOG(log_, info) << msg.str();
    return bj::object{
        {"message", msg.str()}, {"status", "stopped"}, {"summary", std::move(summary)}};
}

void Monitor::halt() noexcept {
    if (!session_) return;
    session_->ended = true;
    session_->timer->cancel();
    session_->runqlat.reset();
    session_.reset();
}

std::string render_summary(const bj::object& result) {
    const auto& s = result.at("summary").as_object();
    std::ostringstream os;
    os.setf(std::ios::fixed);
    os.precision(2);
    auto stat = [](const bj::value& v, const char* key) -> double {
        const auto* o = v.if_object();
        return o && o->contains(key) && o->at(key).is_number() ? o->at(key).to_number<double>()
                                                               : 0.0;
    };
    auto missing = [](const bj::object& o) {
        return "not available: " +
               std::string(o.contains("reason") ? o.at("reason").as_string().c_str() : "no data");
    };
    os << "=== System Monitoring Summary ===\n"
       << "Session " << s.at("session_id").as_string().c_str() << ": "
       << s.at("duration_secs").to_number<double>() << " s, " << s.at("sample_count").as_int64()
       << " samples (every " << s.at("interval_ms").as_int64() << " ms)\n";
    if (s.at("execution").is_object())
        os << "Scheduler:        " << s.at("execution").at("scheduler").as_string().c_str() << " ("
           << s.at("execution").at("execution_id").as_string().c_str() << ")\n";
    const auto& cpu = s.at("cpu").as_object();
    if (cpu.at("available").as_bool() && cpu.at("avg_percent").is_number())
        os << "CPU:              avg " << cpu.at("avg_percent").to_number<double>() << "%  p95 "
           << cpu.at("p95_percent").to_number<double>() << "%  max "
           << cpu.at("max_percent").to_number<double>() << "%\n";
    const auto& mem = s.at("memory").as_object();
    if (mem.at("available").as_bool() && mem.at("avg_percent").is_number())
        os << "Memory:           avg " << mem.at("avg_percent").to_number<double>() << "%  max "
           << mem.at("max_percent").to_number<double>() << "%  (used avg "
           << stat(mem.at("used_mb"), "avg") << " MB of " << mem.at("total_mb").to_number<double>()
           << " MB)\n";
    os << "Context switches: avg " << stat(s.at("context_switches_per_sec"), "avg") << "/s  max "
       << stat(s.at("context_switches_per_sec"), "max") << "/s\n";
    const auto& load = s.at("load_average").as_object();
    if (load.at("available").as_bool())
        os << "Load (1 min):     avg " << stat(load.at("one_minute"), "avg") << "\n";
    const auto& psi = s.at("cpu_pressure").as_object();
    os << "CPU pressure:     ";
    if (psi.at("available").as_bool())
        os << "some stall avg " << stat(psi.at("some_stall_percent"), "avg") << "%  max "
           << stat(psi.at("some_stall_percent"), "max") << "%\n";
    else
        os << missing(psi) << "\n";
    const auto& ss = s.at("schedstat").as_object();
    os << "Schedstat:        ";
    if (ss.at("available").as_bool())
        os << "run delay avg " << stat(ss.at("run_delay_ms_per_sec"), "avg") << " ms/s, "
           << stat(ss.at("timeslices_per_sec"), "avg") << " timeslices/s, wait per timeslice avg "
           << stat(ss.at("run_delay_us_per_timeslice"), "avg") << " us\n";
    else
        os << missing(ss) << "\n";
    const auto& sched = s.at("scheduler").as_object();
    os << "Timeslices:       ";
    if (sched.at("available").as_bool())
        os << sched.at("total_timeslices").to_number<std::uint64_t>() << " run, avg run time "
           << sched.at("avg_run_time_ns").to_number<std::uint64_t>() << " ns\n";
    else
        os << missing(sched) << "\n";
    const auto& rq = s.at("runqlat").as_object();
    os << "Run-queue latency: ";
    if (rq.at("available").as_bool())
        os << rq.at("count").to_number<std::uint64_t>() << " waits, p50 "
           << rq.at("p50_us").to_number<double>() << " us, p95 "
           << rq.at("p95_us").to_number<double>() << " us, p99 "
           << rq.at("p99_us").to_number<double>() << " us, max "
           << rq.at("max_us").to_number<double>() << " us\n";
    else
        os << missing(rq) << "\n";
    const auto& st = s.at("scheduler_stats").as_object();
    os << "Scheduler stats:  ";
    if (st.at("available").as_bool())
        os << st.at("fields").as_object().size() << " fields from scx_stats in "
           << st.at("samples").to_number<std::uint64_t>() << " samples\n";
    else
        os << missing(st) << "\n";
    const auto& se = s.at("sched_ext").as_object();
    os << "sched_ext:        ";
    if (se.at("available").as_bool()) {
        for (const auto& x : se.at("states_seen").as_array()) os << x.as_string().c_str() << " ";
        for (const auto& x : se.at("ops_seen").as_array())
            os << "(ops " << x.as_string().c_str() << ") ";
        os << "\n";
        const auto& ev = se.at("events").as_object();
        os << "sched_ext events: ";
        if (!ev.at("available").as_bool()) {
            os << missing(ev);
        } else {
            bool any = false;
            for (const auto& [name, c] : ev.at("counters").as_object())
                if (auto total = c.at("total").to_number<std::uint64_t>()) {
                    os << (any ? ", " : "") << std::string(name) << " +" << total;
                    any = true;
                }
            if (!any) os << "none counted";
        }
        os << "\n";
    } else {
        os << missing(se) << "\n";
    }
    return os.str();
}

}  // namespace schedcp::plugins::monitor
