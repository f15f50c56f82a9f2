// The plugin libraries of a start-up, loaded in config order on a thread of their own while
// the host sets up the plugins before them.
//
// Loading a library (mapping it, relocating it against Boost and libstdc++, running its
// static constructors) took about as long at start-up as setting its plugin up (building
// its schemas, parsing its data), and both ran one after the other on the main thread. Here
// library i+1 loads while plugin i is set up, on the second core when there is one: the
// host's start-up is the longer of the two sums instead of their total. Nothing else
// changes: take(i) gives library i, or throws its PluginLoadError, in the order and with
// the message of the loading it replaces, and every plugin is still created, set up and
// registered on the host's thread in config order. A library is loaded only once the
// previous one loaded, and after one that failed nothing further is. One difference: a
// library may already be loaded (its static constructors run) when an earlier plugin's
// set-up fails; the start-up stops as before and the library is unloaded unused.
#pragma once

#include <atomic>
#include <filesystem>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "plugin_loader.hpp"

namespace schedcp::host {

struct PluginToLoad {
    std::string name;
    std::optional<std::filesystem::path> path;  // the config's explicit path, if any
};

class PluginPrefetch {
  public:
    PluginPrefetch(std::vector<PluginToLoad> plugins, std::vector<std::filesystem::path> dirs);
    // Stops after the library being loaded, if any, and waits for it; libraries nobody took
    // are unloaded.
    ~PluginPrefetch();
    PluginPrefetch(const PluginPrefetch&) = delete;
    PluginPrefetch& operator=(const PluginPrefetch&) = delete;

    // Library `i` (in the order given), once loaded; throws what loading it threw.
    LoadedLibrary take(std::size_t i);

  private:
    void load_all();

    std::vector<PluginToLoad> plugins_;
    std::vector<std::filesystem::path> dirs_;
    std::vector<std::promise<LoadedLibrary>> loaded_;
    std::vector<std::future<LoadedLibrary>> results_;
    std::atomic<bool> stop_{false};
    std::thread thread_;  // last: started once everything above exists
};

}  // namespace schedcp::host
