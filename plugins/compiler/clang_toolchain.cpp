#include "clang_toolchain.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <regex>

#include "child_run.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/system.hpp"

namespace schedcp::plugins::compiler {

namespace fs = std::filesystem;

namespace {

constexpr int kNewestTried = 21;

std::mutex g_mutex;
std::map<std::string, std::optional<Clang>> g_known;  // path -> version (nullopt: not clang)

// The version of the clang at `path`, or nullopt when it does not say.
std::optional<Clang> probe(const fs::path& path) {
    {
        std::lock_guard lock(g_mutex);
        if (auto it = g_known.find(path.string()); it != g_known.end()) return it->second;
    }
    std::optional<Clang> c;
    try {
        auto out = run_child_blocking({path.string(), "--version"}, std::chrono::seconds(10));
        static const std::regex version(R"(clang version (\d+)\.(\d+)(\.\d+)?)");
        std::smatch m;
        if (out.status.code == 0 && std::regex_search(out.output, m, version))
            c = Clang{path, std::stoi(m[1]), m[1].str() + "." + m[2].str() + m[3].str()};
    } catch (const sdk::Error&) {
        // not executable: treated as "not a clang"
    }
    std::lock_guard lock(g_mutex);
    g_known[path.string()] = c;
    return c;
}

std::string too_old(const Clang& c) {
    return "clang " + c.version + " at " + c.path.string() +
           " is too old: sched_ext schedulers need clang >= " + std::to_string(kMinClangMajor) +
           " (BPF CO-RE, 64-bit enums, kfunc declarations). Install clang-19 (apt-get install "
           "clang-19) or set the compiler plugin's clang setting to a newer one";
}

std::optional<fs::path> locate(const std::string& name) {
    if (name.starts_with("/")) {
        std::error_code ec;
        return fs::exists(name, ec) ? std::optional<fs::path>(name) : std::nullopt;
    }
    return sdk::system::find_executable(name, {}, true);
}

}  // namespace

Clang find_clang(const std::string& setting) {
    if (!setting.empty()) {
        auto path = locate(setting);
        if (!path)
            throw sdk::Unavailable("the compiler plugin's clang setting names '" + setting +
                                   "', which " +
                                   (setting.starts_with("/") ? std::string("does not exist")
                                                             : std::string("is not in $PATH")));
        auto c = probe(*path);
        if (!c)
            throw sdk::Unavailable(path->string() +
                                   " (the clang setting) does not report a clang "
                                   "version with --version; is it clang?");
        if (c->major < kMinClangMajor) throw sdk::Unavailable(too_old(*c));
        return *c;
    }
    std::optional<Clang> old;
    for (int v = kNewestTried; v >= kMinClangMajor; --v) {
        for (fs::path candidate : {fs::path("clang-" + std::to_string(v)),
                                   fs::path("/usr/lib/llvm-" + std::to_string(v) + "/bin/clang")}) {
            auto path = locate(candidate.string());
            if (!path) continue;
            if (auto c = probe(*path); c && c->major >= kMinClangMajor) return *c;
        }
    }
    if (auto path = locate("clang")) {
        if (auto c = probe(*path)) {
            if (c->major >= kMinClangMajor) return *c;
            old = c;
        }
    }
    if (old)
        throw sdk::Unavailable(too_old(*old) + " (no clang-" + std::to_string(kNewestTried) +
                               " .. clang-" + std::to_string(kMinClangMajor) + " was found)");
    throw sdk::Unavailable("no clang found: looked for clang-" + std::to_string(kNewestTried) +
                           " .. clang-" + std::to_string(kMinClangMajor) +
                           " and clang in $PATH and /usr/lib/llvm-N/bin. Install clang-19 "
                           "(apt-get install clang-19) or set the compiler plugin's clang setting");
}

}  // namespace schedcp::plugins::compiler
