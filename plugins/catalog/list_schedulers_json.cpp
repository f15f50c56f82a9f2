#include "list_schedulers_json.hpp"

#include <algorithm>

#include "schedcp/sdk/json.hpp"

namespace schedcp::plugins::catalog {

namespace bj = boost::json;
using sdk::services::SchedulerEntry;

namespace {

// The keys list_schedulers adds to each entry, in the order it adds them.
constexpr const char* kAddedKeys[] = {"custom", "installed", "path", "fit"};

bool sets_an_added_key(const bj::object& metadata) {
    for (const char* key : kAddedKeys)
        if (metadata.contains(key)) return true;
    return false;
}

// The entry's fit for this host, as list_schedulers adds it; nullptr when it has none.
const bj::object* fit_of(const HostFit* fit, const SchedulerEntry& e) {
    if (!fit) return nullptr;
    const auto f = fit->by_name.find(e.name);
    return f == fit->by_name.end() ? nullptr : &f->second;
}

}  // namespace

std::shared_ptr<const ListingWriter::Serialised> ListingWriter::serialised_for(
    const std::shared_ptr<const std::vector<SchedulerEntry>>& snapshot,
    const std::shared_ptr<const HostFit>& fit) {
    std::lock_guard lock(mutex_);
    if (cache_ && cache_->snapshot == snapshot && cache_->fit == fit) return cache_;
    auto fresh = std::make_shared<Serialised>();
    fresh->snapshot = snapshot;
    fresh->fit = fit;
    for (const auto& e : *snapshot) {
        std::string open;
        std::string close = "}";
        if (!sets_an_added_key(e.metadata)) {
            sdk::json::append_compact(open, e.metadata);
            open.pop_back();  // the closing brace: the added keys follow
            if (const auto* f = fit_of(fit.get(), e)) {
                close = R"(,"fit":)";
                sdk::json::append_compact(close, *f);
                close += '}';
            }
        }
        fresh->open_objects.push_back(std::move(open));
        fresh->close_objects.push_back(std::move(close));
    }
    sdk::json::append_compact(fresh->fit_host, fit_host_of(fit.get()));
    cache_ = fresh;
    return cache_;
}

std::shared_ptr<const std::string> ListingWriter::write(
    const sdk::services::SchedulerCatalog& catalog, const sdk::ServiceRegistry& services,
    const ListFilter& filter, std::string_view scx_release,
    const std::shared_ptr<const HostFit>& fit) {
    const auto serialised = serialised_for(catalog.snapshot(), fit);
    const auto& entries = *serialised->snapshot;
    const std::string needle = name_needle(filter);
    // Which entries are listed, and where each is: all the answer depends on besides the
    // pieces, the filter and the release.
    std::vector<std::size_t> listed;
    std::vector<std::optional<std::string>> paths;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!matches(entries[i], filter, needle)) continue;
        listed.push_back(i);
        paths.push_back(locate(entries[i], services));
    }
    {
        std::lock_guard lock(mutex_);
        for (auto& a : answers_)
            if (a.pieces == serialised && a.filter == filter && a.scx_release == scx_release &&
                a.paths == paths) {
                a.last_use = ++clock_;
                return a.json;
            }
    }
    std::string out = R"({"schedulers":[)";
    std::int64_t installed = 0;
    for (std::size_t k = 0; k < listed.size(); ++k) {
        const std::size_t i = listed[k];
        const SchedulerEntry& e = entries[i];
        const auto& path = paths[k];
        if (k > 0) out += ',';
        if (path) ++installed;
        const std::string& open = serialised->open_objects[i];
        if (open.empty()) {
            // Built as list_schedulers builds it: an added key replaces the metadata's own.
            bj::object item = e.metadata;
            item["custom"] = e.custom;
            item["installed"] = path.has_value();
            item["path"] = path ? bj::value(*path) : bj::value(nullptr);
            if (const auto* f = fit_of(fit.get(), e)) item["fit"] = *f;
            sdk::json::append_compact(out, item);
            continue;
        }
        // Room for this entry at once (libstdc++ at least doubles a growing buffer, so a
        // long listing is not copied again per entry); appending piecemeal reallocated the
        // answer a dozen times on its way to a few kilobytes.
        out.reserve(out.size() + open.size() + serialised->close_objects[i].size() +
                    (path ? path->size() : 0) + 128);
        out += open;
        if (open.size() > 1) out += ',';  // "{" alone: the metadata was empty
        out += R"("custom":)";
        out += e.custom ? "true" : "false";
        out += R"(,"installed":)";
        out += path ? "true" : "false";
        out += R"(,"path":)";
        if (path)
            sdk::json::append_quoted(out, *path);
        else
            out += "null";
        out += serialised->close_objects[i];
    }
    out.reserve(out.size() + serialised->fit_host.size() + scx_release.size() + 96);
    out += R"(],"count":)";
    out += std::to_string(listed.size());
    out += R"(,"installed_count":)";
    out += std::to_string(installed);
    out += R"(,"fit_host":)";
    out += serialised->fit_host;
    out += R"(,"scx_release":)";
    sdk::json::append_quoted(out, scx_release);
    out += '}';
    auto json = std::make_shared<const std::string>(std::move(out));

    std::lock_guard lock(mutex_);
    // Answers written from older pieces can never match again.
    std::erase_if(answers_, [&](const Answer& a) { return a.pieces != serialised; });
    if (answers_.size() >= kAnswersKept)
        answers_.erase(std::min_element(
            answers_.begin(), answers_.end(),
            [](const Answer& a, const Answer& b) { return a.last_use < b.last_use; }));
    answers_.push_back({.pieces = serialised,
                        .filter = filter,
                        .scx_release = std::string(scx_release),
                        .paths = std::move(paths),
                        .json = json,
                        .last_use = ++clock_});
    return json;
}

}  // namespace schedcp::plugins::catalog
