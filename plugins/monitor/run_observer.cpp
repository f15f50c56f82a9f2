#include "run_observer.hpp"

#include "sampler.hpp"

namespace schedcp::plugins::monitor {

namespace services = sdk::services;

RunObserverImpl::RunObserverImpl(std::filesystem::path proc_root, std::unique_ptr<RunqLat> runqlat,
                                 std::string runqlat_reason)
    : proc_root_(std::move(proc_root)),
      runqlat_(std::move(runqlat)),
      runqlat_reason_(std::move(runqlat_reason)) {}

std::optional<CpuTimes> RunObserverImpl::cpu_now(std::string& why) const {
    const auto text = read_text(proc_root_ / "stat");
    const auto stat = text ? parse_proc_stat(*text) : std::nullopt;
    if (!stat) {
        why = (proc_root_ / "stat").string() + " is missing or unreadable";
        return std::nullopt;
    }
    return stat->all;
}

void RunObserverImpl::begin() {
    cpu_reason_.clear();
    cpu_at_begin_ = cpu_now(cpu_reason_);
    if (runqlat_) runqlat_->reset();
}

services::RunObservation RunObserverImpl::end() {
    services::RunObservation o;
    if (runqlat_)
        o.runqlat = runqlat_->histogram();
    else
        o.runqlat_reason = runqlat_reason_;
    if (!cpu_at_begin_) {
        o.cpu_reason = cpu_reason_.empty() ? "begin() was not called" : cpu_reason_;
        return o;
    }
    const auto now = cpu_now(o.cpu_reason);
    if (!now) return o;
    if (now->busy < cpu_at_begin_->busy || now->total() < cpu_at_begin_->total()) {
        // A CPU that goes offline takes its counters out of the sum.
        o.cpu_reason =
            "/proc/stat's CPU counters went backwards during the run (a CPU went "
            "offline?)";
        return o;
    }
    o.cpu = services::CpuTicks{.busy = now->busy - cpu_at_begin_->busy,
                               .total = now->total() - cpu_at_begin_->total()};
    return o;
}

std::unique_ptr<services::RunObserver> WorkloadMonitorService::open() {
    std::string why = "disabled by the monitor's runqlat setting";
    std::unique_ptr<RunqLat> runqlat = runqlat_ ? RunqLat::open(why) : nullptr;
    return std::make_unique<RunObserverImpl>(proc_root_, std::move(runqlat), std::move(why));
}

}  // namespace schedcp::plugins::monitor
