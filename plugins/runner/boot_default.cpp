#include "boot_default.hpp"

#include <variant>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/storage.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;
namespace storage = sdk::storage;

namespace {

constexpr std::int64_t kFormatVersion = 1;

// The stored configuration, or why the text is not one.
std::variant<LaunchConfig, std::string> parse(const std::string& text) {
    boost::system::error_code ec;
    bj::value v = bj::parse(text, ec);
    if (ec) return "not JSON: " + ec.message();
    const auto* o = v.if_object();
    if (!o) return std::string("not a JSON object");
    const auto* version = o->if_contains("version");
    if (!version || !version->is_int64() || version->as_int64() != kFormatVersion)
        return "no \"version\": " + std::to_string(kFormatVersion);
    const auto* name = o->if_contains("name");
    if (!name || !name->is_string() || name->as_string().empty())
        return std::string("no scheduler \"name\"");
    LaunchConfig c{.name = std::string(name->as_string())};
    if (const auto* args = o->if_contains("args")) {
        if (!args->is_array()) return std::string("\"args\" is not an array");
        c.args.emplace();
        for (const auto& a : args->as_array()) {
            if (!a.is_string()) return std::string("\"args\" holds a non-string");
            c.args->emplace_back(a.as_string());
        }
    }
    if (const auto* mode = o->if_contains("mode")) {
        if (!mode->is_string()) return std::string("\"mode\" is not a string");
        c.mode = std::string(mode->as_string());
    }
    return c;
}

}  // namespace

BootDefaultStore::Loaded BootDefaultStore::load() const {
    // Exclusive: a corrupt file is moved aside, which must not race a writer.
    storage::FileLock lock(file_, /*exclusive=*/true);
    auto text = storage::read_file(file_);
    if (!text) return {};
    auto parsed = parse(*text);
    if (auto* c = std::get_if<LaunchConfig>(&parsed)) return {.config = std::move(*c)};
    return {.quarantined = storage::quarantine(file_), .problem = std::get<std::string>(parsed)};
}

void BootDefaultStore::save(const LaunchConfig& config) const {
    bj::object o = config.to_json();
    o["version"] = kFormatVersion;
    storage::FileLock lock(file_, /*exclusive=*/true);
    storage::atomic_write(file_, bj::serialize(o) + "\n");
}

bool BootDefaultStore::clear() const {
    storage::FileLock lock(file_, /*exclusive=*/true);
    std::error_code ec;
    bool removed = std::filesystem::remove(file_, ec);
    if (ec)
        throw sdk::Unavailable("cannot remove the boot default " + file_.string() + ": " +
                               ec.message());
    return removed;
}

}  // namespace schedcp::plugins::runner
