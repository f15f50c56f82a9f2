// Loading one plugin library with Boost.DLL.
//
// Order matters: the file must exist and be an ELF with the SDK's symbols (checked in its
// dynamic symbol table without running any of its code: elf_dynamic_symbols.hpp), then it is loaded RTLD_LOCAL, its ABI version symbol is
// compared with the host's, and only then is the factory called.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "schedcp/sdk/plugin.hpp"

namespace schedcp::host {

class PluginLoadError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct LoadedLibrary {
    std::shared_ptr<boost::dll::shared_library> library;
    std::filesystem::path file;
    std::uint32_t abi_version = 0;
};

// Finds <name>.so: `explicit_path` if given, else the first of `dirs` that has it.
std::filesystem::path find_plugin_file(const std::string& name,
                                       const std::optional<std::filesystem::path>& explicit_path,
                                       const std::vector<std::filesystem::path>& dirs);

// Loads and ABI-checks the library. Throws PluginLoadError naming the plugin and file.
LoadedLibrary load_plugin_library(const std::string& name, const std::filesystem::path& file);

// Creates the plugin object. The returned pointer keeps `lib` loaded for as long as the
// object lives (its deleter holds the library), whatever order owners release it in.
std::shared_ptr<sdk::Plugin> create_plugin(const std::string& name, const LoadedLibrary& lib);

}  // namespace schedcp::host
