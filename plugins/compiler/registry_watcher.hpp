// Keeps a long-running server's catalog in step with the registry on disk: a scheduler
// created by `schedcp-cli create-and-run` (another process) is registered here within a
// few seconds, without a restart. Polls the metadata files' modification times on the
// host's executor; stop() cancels it (Plugin::stop).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "registry.hpp"

namespace schedcp::plugins::compiler {

class RegistryWatcher : public std::enable_shared_from_this<RegistryWatcher> {
  public:
    // `changed` runs (on the executor) whenever an entry appeared or was rewritten.
    RegistryWatcher(boost::asio::any_io_executor ex, std::filesystem::path root,
                    std::function<void()> changed,
                    std::chrono::milliseconds period = std::chrono::seconds(5));
    void start();
    void stop() noexcept;

  private:
    void arm();
    std::map<std::string, std::int64_t> fingerprint() const;

    boost::asio::steady_timer timer_;
    std::filesystem::path root_;
    std::function<void()> changed_;
    std::chrono::milliseconds period_;
    std::map<std::string, std::int64_t> seen_;
    bool stopped_ = false;
};

}  // namespace schedcp::plugins::compiler
