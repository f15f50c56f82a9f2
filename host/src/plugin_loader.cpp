#include "plugin_loader.hpp"

#include <cstring>

#include <boost/dll/runtime_symbol_info.hpp>

#include "elf_dynamic_symbols.hpp"

namespace schedcp::host {

namespace fs = std::filesystem;

namespace {

constexpr const char* kAbiSymbol = "schedcp_plugin_abi_version";
constexpr const char* kHeadersHashSymbol = "schedcp_plugin_sdk_headers_hash";
constexpr const char* kBoostVersionSymbol = "schedcp_plugin_boost_version";
constexpr const char* kFactorySymbol = "schedcp_create_plugin";

// BOOST_VERSION 108100 -> "1.81.0".
std::string boost_version_text(std::uint32_t v) {
    return std::to_string(v / 100000) + "." + std::to_string(v / 100 % 1000) + "." +
           std::to_string(v % 100);
}

[[noreturn]] void fail(const std::string& name, const fs::path& file, const std::string& what) {
    throw PluginLoadError("plugin '" + name + "' (" + file.string() + "): " + what);
}

}  // namespace

fs::path find_plugin_file(const std::string& name, const std::optional<fs::path>& explicit_path,
                          const std::vector<fs::path>& dirs) {
    if (explicit_path) {
        std::error_code ec;
        if (!fs::is_regular_file(*explicit_path, ec)) fail(name, *explicit_path, "no such file");
        return *explicit_path;
    }
    std::string searched;
    for (const auto& d : dirs) {
        fs::path candidate = d / (name + ".so");
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) return candidate.lexically_normal();
        searched += (searched.empty() ? "" : ", ") + d.lexically_normal().string();
    }
    throw PluginLoadError("plugin '" + name + "' (" + name + ".so): not found in " +
                          (searched.empty() ? std::string("any plugin directory") : searched));
}

LoadedLibrary load_plugin_library(const std::string& name, const fs::path& file) {
    // Inspect the file without running it: a missing symbol is reported before any of
    // the library's static constructors run.
    std::optional<ElfDynamicSymbols> symbols;
    try {
        symbols = ElfDynamicSymbols::read(file);
    } catch (const ElfFormatError& e) {
        if (std::string_view(e.what()).starts_with("not an ELF file"))
            fail(name, file, "not an ELF shared library");
        fail(name, file, std::string("not a loadable shared library (") + e.what() + ")");
    } catch (const std::exception& e) {
        fail(name, file, std::string("cannot be read: ") + e.what());
    }
    auto has = [&](const char* s) { return symbols->defines(s); };
    if (!has(kAbiSymbol))
        fail(name, file,
             std::string("missing symbol '") + kAbiSymbol +
                 "' (not a schedcp plugin? use SCHEDCP_PLUGIN())");
    for (const char* s : {kHeadersHashSymbol, kBoostVersionSymbol})
        if (!has(s))
            fail(name, file,
                 std::string("missing symbol '") + s +
                     "' (built with an older SDK? rebuild the plugin against this SDK)");
    if (!has(kFactorySymbol))
        fail(name, file,
             std::string("missing symbol '") + kFactorySymbol + "' (use SCHEDCP_PLUGIN())");

    LoadedLibrary out;
    out.file = file;
    try {
        out.library = std::make_shared<boost::dll::shared_library>(
            file, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now);
    } catch (const std::exception& e) {
        fail(name, file, std::string("cannot be loaded: ") + e.what());
    }
    out.abi_version = out.library->get<const std::uint32_t>(kAbiSymbol);
    if (out.abi_version != SCHEDCP_SDK_ABI_VERSION)
        fail(name, file,
             "ABI version " + std::to_string(out.abi_version) + ", but this host needs " +
                 std::to_string(SCHEDCP_SDK_ABI_VERSION) +
                 " (rebuild the plugin against this SDK)");
    // The header hash is a NUL-terminated hex string; bound the read in case it is not.
    const char* hash = &out.library->get<const char>(kHeadersHashSymbol);
    const std::string plugin_hash(hash, strnlen(hash, 128));
    const std::uint32_t plugin_boost = out.library->get<const std::uint32_t>(kBoostVersionSymbol);
    if (plugin_hash != SCHEDCP_SDK_HEADERS_HASH || plugin_boost != BOOST_VERSION)
        fail(name, file,
             "built against SDK headers " + plugin_hash + " and Boost " +
                 boost_version_text(plugin_boost) + ", but this host has SDK headers " +
                 SCHEDCP_SDK_HEADERS_HASH + " and Boost " + boost_version_text(BOOST_VERSION) +
                 " (rebuild the plugin against this SDK)");
    return out;
}

std::shared_ptr<sdk::Plugin> create_plugin(const std::string& name, const LoadedLibrary& lib) {
    std::unique_ptr<sdk::Plugin> raw;
    try {
        auto& factory = lib.library->get_alias<sdk::PluginFactory>(kFactorySymbol);
        raw = factory();
    } catch (const std::exception& e) {
        fail(name, lib.file, std::string("factory failed: ") + e.what());
    } catch (...) {
        fail(name, lib.file, "factory threw a non-standard exception");
    }
    if (!raw) fail(name, lib.file, "factory returned no plugin");
    auto keep_loaded = lib.library;
    return std::shared_ptr<sdk::Plugin>(raw.release(), [keep_loaded](sdk::Plugin* p) { delete p; });
}

}  // namespace schedcp::host
