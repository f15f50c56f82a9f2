// The workload store's snapshot (plugins/workloads/store_snapshot.hpp): reads of an
// unchanged store are answered from it, and nothing another writer changed is ever served
// from it: a replacement by rename (the CLI), an in-place edit of the same size, a removal,
// the directory swapped under the path, and a load that raced with a change.
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/storage.hpp"
#include "services_impl.hpp"
#include "subprocess.hpp"
#include "workloads/store_snapshot.hpp"
#include "workloads/workload_ops.hpp"

namespace bj = boost::json;
namespace fs = std::filesystem;
using namespace schedcp;
using namespace schedcp::plugins::workloads;
using schedcp::test::slurp;

namespace {

// A store shared by a server (cached) and another process (the CLI: never cached).
struct Fixture {
    test::TempDir dir;
    host::ServiceRegistryImpl services;
    fs::path file = dir.path() / fs::path("schedcp_workloads.json");
    WorkloadOps server{WorkloadStore(file, WorkloadStore::Caching::snapshot), services};
    WorkloadOps other{WorkloadStore(file), services};
    std::string id =
        std::string(other.create({{"description", "first"}}).at("workload_id").as_string());

    bj::object get_args() const { return {{"command", "get"}, {"workload_id", id}}; }
    std::string description_of(const bj::object& answer) const {
        return std::string(answer.at("profile").at("description").as_string());
    }
    // Loads the snapshot through the worker pool's path, and checks it is now used.
    void load_snapshot() {
        BOOST_TEST(description_of(server.run(get_args())).size() > 0u);
        BOOST_REQUIRE(server.run_cached(get_args()).has_value());
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(workload_store_snapshot, Fixture)

BOOST_AUTO_TEST_CASE(reads_of_an_unchanged_store_come_from_the_snapshot) {
    // Nothing is kept before the file was read once.
    BOOST_TEST(!server.run_cached(get_args()).has_value());
    load_snapshot();
    BOOST_TEST(description_of(*server.run_cached(get_args())) == "first");
    auto listed = server.run_cached({{"command", "list"}});
    BOOST_REQUIRE(listed.has_value());
    BOOST_TEST(listed->at("profiles").as_array().size() == 1u);
    BOOST_TEST(server.run_cached({{"command", "get_history"}, {"workload_id", id}}).has_value());
    // Commands that write never run from it.
    BOOST_TEST(!server.run_cached({{"command", "create"}, {"description", "x"}}).has_value());
    // A missing profile is the same error from the snapshot as from the file.
    BOOST_CHECK_THROW(server.run_cached({{"command", "get"}, {"workload_id", "no-such-profile"}}),
                      sdk::NotFound);
}

BOOST_AUTO_TEST_CASE(another_writers_replacement_is_never_served_stale) {
    load_snapshot();
    other.update({{"workload_id", id}, {"description", "second"}});  // rename over the file
    BOOST_TEST(!server.run_cached(get_args()).has_value());
    BOOST_TEST(description_of(server.run(get_args())) == "second");
    BOOST_TEST(description_of(*server.run_cached(get_args())) == "second");
}

BOOST_AUTO_TEST_CASE(an_in_place_edit_of_the_same_size_is_seen) {
    load_snapshot();
    std::string text = slurp(file);
    const auto at = text.find("\"first\"", text.find("\"description\""));
    BOOST_REQUIRE(at != std::string::npos);
    text.replace(at, 7, "\"FIRST\"");
    std::fstream(file, std::ios::in | std::ios::out | std::ios::binary) << text;  // same inode
    BOOST_TEST(!server.run_cached(get_args()).has_value());
    BOOST_TEST(description_of(server.run(get_args())) == "FIRST");
}

BOOST_AUTO_TEST_CASE(a_removed_store_is_not_served) {
    load_snapshot();
    fs::remove(file);
    BOOST_TEST(!server.run_cached(get_args()).has_value());
    BOOST_CHECK_THROW(server.run(get_args()), sdk::NotFound);
}

BOOST_AUTO_TEST_CASE(a_directory_swapped_under_the_path_is_seen) {
    load_snapshot();
    // Another store at the same path, in a new directory put where the old one was.
    const fs::path base = fs::path(dir.path()) / "swap";
    fs::create_directory(base);
    const fs::path store = base / "data" / "w.json";
    fs::create_directory(base / "data");
    WorkloadOps cached{WorkloadStore(store, WorkloadStore::Caching::snapshot), services};
    WorkloadOps writer{WorkloadStore(store), services};
    const std::string a =
        std::string(writer.create({{"description", "old dir"}}).at("workload_id").as_string());
    const bj::object get_a{{"command", "get"}, {"workload_id", a}};
    cached.run(get_a);
    BOOST_REQUIRE(cached.run_cached(get_a).has_value());
    fs::rename(base / "data", base / "data.old");
    fs::create_directory(base / "data");
    sdk::storage::atomic_write(store, "{\"schema_version\":1,\"profiles\":{},\"history\":[]}\n");
    BOOST_TEST(!cached.run_cached(get_a).has_value());
    BOOST_CHECK_THROW(cached.run(get_a), sdk::NotFound);
}

BOOST_AUTO_TEST_CASE(a_load_that_raced_with_a_change_is_not_kept) {
    StoreSnapshot snapshot(file);
    const auto ticket = snapshot.begin_load();
    auto loaded = std::make_shared<const bj::object>(bj::parse(slurp(file)).as_object());
    other.update({{"workload_id", id}, {"description", "changed while loading"}});
    snapshot.keep(ticket, loaded);
    BOOST_TEST(snapshot.current() == nullptr);
    // A load with nothing in between is kept.
    const auto again = snapshot.begin_load();
    snapshot.keep(again, std::make_shared<const bj::object>(bj::parse(slurp(file)).as_object()));
    BOOST_TEST(snapshot.current() != nullptr);
}

BOOST_AUTO_TEST_CASE(an_uncached_store_keeps_nothing) {
    other.run(get_args());
    BOOST_TEST(!other.run_cached(get_args()).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
