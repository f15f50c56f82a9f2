#include "plugin_prefetch.hpp"

#include <pthread.h>

namespace schedcp::host {

PluginPrefetch::PluginPrefetch(std::vector<PluginToLoad> plugins,
                               std::vector<std::filesystem::path> dirs)
    : plugins_(std::move(plugins)), dirs_(std::move(dirs)), loaded_(plugins_.size()) {
    results_.reserve(loaded_.size());
    for (auto& p : loaded_) results_.push_back(p.get_future());
    thread_ = std::thread([this] { load_all(); });
    ::pthread_setname_np(thread_.native_handle(), "schedcp-plugins");
}

PluginPrefetch::~PluginPrefetch() {
    stop_ = true;
    thread_.join();
}

void PluginPrefetch::load_all() {
    for (std::size_t i = 0; i < plugins_.size() && !stop_; ++i) {
        try {
            const auto file = find_plugin_file(plugins_[i].name, plugins_[i].path, dirs_);
            loaded_[i].set_value(load_plugin_library(plugins_[i].name, file));
        } catch (...) {
            loaded_[i].set_exception(std::current_exception());
            return;  // the host stops at this plugin: load nothing after it
        }
    }
}

LoadedLibrary PluginPrefetch::take(std::size_t i) {
    return results_.at(i).get();
}

}  // namespace schedcp::host
