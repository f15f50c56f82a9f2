#include "workload_store.hpp"

#include <boost/json/parse.hpp>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/storage.hpp"

namespace schedcp::plugins::workloads {

namespace bj = boost::json;
namespace storage = sdk::storage;

namespace {

std::string need(const bj::object& o, const char* key, const char* type, const std::string& where) {
    auto* v = o.if_contains(key);
    if (!v) return where + "." + key + " is missing";
    std::string_view t = sdk::json::type_name(*v);
    if (t != type) return where + "." + key + " must be " + type + ", is " + std::string(t);
    return "";
}

std::string pretty(const bj::object& root) {
    return sdk::json::pretty(root) + "\n";
}

}  // namespace

WorkloadStore::WorkloadStore(std::filesystem::path file, Caching caching)
    : file_(std::move(file)),
      snapshot_(caching == Caching::snapshot ? std::make_shared<StoreSnapshot>(file_) : nullptr) {}

bj::object WorkloadStore::empty() {
    return bj::object{{"schema_version", 1}, {"profiles", bj::object{}}, {"history", bj::array{}}};
}

std::string WorkloadStore::check(const bj::value& root) {
    if (!root.is_object()) return "the top level must be an object";
    const auto& o = root.get_object();
    if (auto* v = o.if_contains("schema_version"); v && !(v->is_int64() && v->get_int64() == 1))
        return "schema_version " + std::string(sdk::json::type_name(*v)) +
               " is not 1 (written by a newer schedcp?)";
    if (auto e = need(o, "profiles", "object", "store"); !e.empty()) return e;
    if (auto e = need(o, "history", "array", "store"); !e.empty()) return e;
    for (const auto& kv : o.at("profiles").get_object()) {
        std::string where = "profiles[\"" + std::string(kv.key()) + "\"]";
        if (!kv.value().is_object()) return where + " must be an object";
        const auto& p = kv.value().get_object();
        for (auto [k, t] : {std::pair{"id", "string"},
                            {"description", "string"},
                            {"created_at", "integer"},
                            {"updated_at", "integer"}})
            if (auto e = need(p, k, t, where); !e.empty()) return e;
        if (p.at("id").get_string() != kv.key()) return where + ".id does not match its key";
        // Optional in SchedCP's format, but every reader relies on its type when present.
        if (auto* n = p.if_contains("name"); n && !n->is_string() && !n->is_null())
            return where + ".name must be a string, is " + std::string(sdk::json::type_name(*n));
    }
    std::size_t i = 0;
    for (const auto& h : o.at("history").get_array()) {
        std::string where = "history[" + std::to_string(i++) + "]";
        if (!h.is_object()) return where + " must be an object";
        const auto& e = h.get_object();
        for (auto [k, t] : {std::pair{"id", "string"},
                            {"workload_id", "string"},
                            {"execution_id", "string"},
                            {"scheduler_name", "string"},
                            {"args", "array"},
                            {"result_description", "string"},
                            {"created_at", "integer"}})
            if (auto err = need(e, k, t, where); !err.empty()) return err;
        std::size_t j = 0;
        for (const auto& a : e.at("args").get_array()) {
            if (!a.is_string())
                return where + ".args[" + std::to_string(j) + "] must be a string, is " +
                       std::string(sdk::json::type_name(a));
            ++j;
        }
        if (auto* m = e.if_contains("metrics"); m && !m->is_null()) {
            if (!m->is_object())
                return where + ".metrics must be an object, is " +
                       std::string(sdk::json::type_name(*m));
            for (const auto& kv : m->get_object())
                if (!kv.value().is_number())
                    return where + ".metrics[\"" + std::string(kv.key()) +
                           "\"] must be a number, is " +
                           std::string(sdk::json::type_name(kv.value()));
        }
    }
    return "";
}

std::optional<bj::object> WorkloadStore::try_load(std::string& problem) const {
    auto text = storage::read_file(file_);
    if (!text) return empty();
    boost::system::error_code ec;
    bj::value root = bj::parse(*text, ec);
    problem = ec ? "not valid JSON (" + ec.message() + ")" : check(root);
    if (problem.empty()) return std::move(root.get_object());
    return std::nullopt;
}

bj::object WorkloadStore::load() const {
    std::string problem;
    if (auto root = try_load(problem)) return std::move(*root);
    // Never overwrite what we cannot read: keep it aside and say where.
    auto kept = storage::quarantine(file_);
    throw sdk::Unavailable(
        "the workload store " + file_.string() + " is corrupt: " + problem +
            ". It was moved, untouched, to " + kept.string() +
            "; a new, empty store will be used from now on (repair the old one and bring it "
            "back with 'schedcp-cli workload import')",
        bj::object{{"store", file_.string()}, {"kept_as", kept.string()}, {"problem", problem}});
}

std::optional<bj::object> WorkloadStore::read_cached(const Query& fn) const {
    if (!snapshot_) return std::nullopt;
    const auto content = snapshot_->current();
    if (!content) return std::nullopt;
    return fn(*content);
}

bj::object WorkloadStore::read(const Query& fn) const {
    if (auto answer = read_cached(fn)) return std::move(*answer);
    {
        // Begun before the file is read: a change from here on keeps this load from
        // becoming the snapshot.
        const StoreSnapshot::Ticket ticket =
            snapshot_ ? snapshot_->begin_load() : StoreSnapshot::Ticket{};
        // Readers share the lock (and a store that is read-only to us can still be read).
        storage::FileLock lock(file_, false);
        std::string problem;
        if (auto root = try_load(problem)) {
            if (!snapshot_) return fn(*root);
            auto content = std::make_shared<const bj::object>(std::move(*root));
            snapshot_->keep(ticket, content);
            return fn(*content);
        }
    }
    // A corrupt file is moved aside, which needs the exclusive lock: look again under it.
    storage::FileLock lock(file_, true);
    return fn(load());
}

bj::object WorkloadStore::modify(const std::function<bj::object(bj::object&, bool&)>& fn) const {
    storage::FileLock lock(file_, true);
    bj::object root = load();
    bool changed = false;
    bj::object result = fn(root, changed);
    if (changed) {
        root["schema_version"] = 1;
        storage::atomic_write(file_, pretty(root));
    }
    return result;
}

}  // namespace schedcp::plugins::workloads
