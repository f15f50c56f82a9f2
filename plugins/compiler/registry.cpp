#include "registry.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "names.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/storage.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;
namespace fs = std::filesystem;

namespace {

std::string read_whole(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw sdk::Internal("cannot read the compiled object " + p.string());
    std::ostringstream all;
    all << in.rdbuf();
    return std::move(all).str();
}

void make_private_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw sdk::Unavailable("cannot create " + dir.string() + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
}

}  // namespace

StoredScheduler Registry::store(const std::string& name, std::string_view source,
                                const fs::path& built_object, bj::object metadata) const {
    check_name(name);  // the name becomes a directory: checked here too, whoever calls
    StoredScheduler s;
    s.name = name;
    s.dir = root_ / name;
    s.source = s.dir / (name + ".bpf.c");
    s.object = s.dir / (name + ".bpf.o");
    make_private_dir(s.dir);
    std::string object = read_whole(built_object);
    metadata["source_file"] = s.source.string();
    metadata["object_file"] = s.object.string();
    if (auto* origin = metadata.if_contains("origin"); origin && origin->is_object())
        origin->as_object()["path"] = s.source.string();
    s.metadata = std::move(metadata);
    sdk::storage::FileLock lock(s.dir / "metadata.json", true);
    sdk::storage::atomic_write(s.source, source, 0600);
    sdk::storage::atomic_write(s.object, object, 0600);
    sdk::storage::atomic_write(s.dir / "metadata.json", sdk::json::pretty(s.metadata) + "\n", 0600);
    return s;
}

std::vector<StoredScheduler> Registry::load_all(std::vector<std::string>& problems) const {
    std::vector<StoredScheduler> out;
    std::error_code ec;
    if (!fs::is_directory(root_, ec)) return out;
    for (const auto& d : fs::directory_iterator(root_, ec)) {
        if (!d.is_directory(ec) || d.is_symlink(ec)) continue;
        const std::string name = d.path().filename().string();
        try {
            check_name(name);
        } catch (const sdk::Error&) {
            problems.push_back(d.path().string() + ": not a scheduler name, ignored");
            continue;
        }
        StoredScheduler s;
        s.name = name;
        s.dir = d.path();
        s.source = s.dir / (name + ".bpf.c");
        s.object = s.dir / (name + ".bpf.o");
        try {
            sdk::storage::FileLock lock(s.dir / "metadata.json", false);
            auto text = sdk::storage::read_file(s.dir / "metadata.json");
            if (!text) {
                problems.push_back(name + ": no metadata.json (an interrupted store), ignored");
                continue;
            }
            boost::system::error_code jec;
            bj::value v = bj::parse(*text, jec);
            if (jec || !v.is_object()) {
                problems.push_back(name + ": metadata.json is not a JSON object, ignored");
                continue;
            }
            s.metadata = v.as_object();
        } catch (const sdk::Error& e) {
            problems.push_back(name + ": " + e.what());
            continue;
        }
        if (!fs::is_regular_file(s.object, ec)) {
            problems.push_back(name + ": its object " + s.object.string() + " is missing, ignored");
            continue;
        }
        out.push_back(std::move(s));
    }
    return out;
}

sdk::services::SchedulerEntry catalog_entry(const StoredScheduler& s, const fs::path& loader) {
    sdk::services::SchedulerEntry e;
    e.name = s.name;
    e.custom = true;
    e.production_ready = false;
    e.metadata = s.metadata;
    e.metadata["name"] = s.name;
    e.metadata["custom"] = true;
    e.metadata["production_ready"] = false;
    e.launch = {loader.string(), s.object.string()};
    return e;
}

}  // namespace schedcp::plugins::compiler
