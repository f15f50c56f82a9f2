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
            // The host stops at this plugin: nothing after it is loaded (or waited for).
            for (std::size_t j = i + 1; j < plugins_.size(); ++j)
                loaded_[j].set_exception(std::make_exception_ptr(PluginLoadError(
                    "plugin '" + plugins_[j].name + "': not loaded, since plugin '" +
                    plugins_[i].name + "' before it failed to load")));
            return;
        }
    }
}

LoadedLibrary PluginPrefetch::take(std::size_t i) {
    return results_.at(i).get();
}

}  // namespace schedcp::host
