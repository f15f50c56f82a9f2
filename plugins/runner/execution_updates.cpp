#include "execution_updates.hpp"

namespace schedcp::plugins::runner {

std::string ExecutionUpdates::execution_uri(const std::string& id) {
    return "schedcp://executions/" + id;
}

void ExecutionUpdates::status_changed(const std::string& execution_id) {
    if (stopped_) return;
    ctx_.notify_resource_updated(execution_uri(execution_id));
}

void ExecutionUpdates::announce_output(const std::string& id) {
    ctx_.notify_resource_updated(execution_uri(id) + "/output");
}

void ExecutionUpdates::output_added(const std::string& execution_id) {
    if (stopped_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!armed_ && now - last_output_ >= kOutputInterval) {
        last_output_ = now;
        announce_output(execution_id);
        return;
    }
    pending_.insert(execution_id);
    if (armed_) return;
    armed_ = true;
    flush_.expires_at(last_output_ + kOutputInterval);
    flush_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;  // stopped
        flush_pending();
    });
}

void ExecutionUpdates::flush_pending() {
    armed_ = false;
    last_output_ = std::chrono::steady_clock::now();
    auto ids = std::move(pending_);
    pending_.clear();
    for (const auto& id : ids) announce_output(id);
}

void ExecutionUpdates::stop() noexcept {
    stopped_ = true;
    flush_.cancel();
    armed_ = false;
    pending_.clear();
}

}  // namespace schedcp::plugins::runner
