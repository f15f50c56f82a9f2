#include "registry_watcher.hpp"

#include <sys/stat.h>

#include <filesystem>

namespace schedcp::plugins::compiler {

namespace fs = std::filesystem;

RegistryWatcher::RegistryWatcher(boost::asio::any_io_executor ex, fs::path root,
                                 std::function<void()> changed, std::chrono::milliseconds period)
    : timer_(ex), root_(std::move(root)), changed_(std::move(changed)), period_(period) {}

void RegistryWatcher::start() {
    seen_ = fingerprint();
    arm();
}

void RegistryWatcher::stop() noexcept {
    stopped_ = true;
    timer_.cancel();
}

void RegistryWatcher::arm() {
    timer_.expires_after(period_);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || self->stopped_) return;
        auto now = self->fingerprint();
        if (now != self->seen_) {
            self->seen_ = std::move(now);
            self->changed_();
        }
        self->arm();
    });
}

// name -> metadata.json's mtime (ns): what changes when an entry is stored.
std::map<std::string, std::int64_t> RegistryWatcher::fingerprint() const {
    std::map<std::string, std::int64_t> f;
    std::error_code ec;
    for (const auto& d : fs::directory_iterator(root_, ec)) {
        struct stat st {};
        if (::stat((d.path() / "metadata.json").c_str(), &st) == 0)
            f[d.path().filename().string()] =
                static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    }
    return f;
}

}  // namespace schedcp::plugins::compiler
