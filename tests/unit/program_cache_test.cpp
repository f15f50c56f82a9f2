// The runner's ProgramCache: answers stay right while programs and directories come and go
// (inotify drops them; links and missing directories are looked at again).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include <boost/test/unit_test.hpp>

#include "runner/program_cache.hpp"
#include "subprocess.hpp"

namespace fs = std::filesystem;
using schedcp::plugins::runner::ProgramCache;
using schedcp::test::TempDir;

namespace {

// A name no directory on $PATH has.
const std::string kName = "scx_program_cache_test_" + std::to_string(::getpid());

// A new directory `name` in `tmp`.
fs::path directory(const TempDir& tmp, const std::string& name) {
    const fs::path dir = fs::path(tmp.path()) / name;
    fs::create_directory(dir);
    return dir;
}

void install(const fs::path& file, mode_t mode = 0755) {
    std::ofstream(file) << "#!/bin/sh\n";
    ::chmod(file.c_str(), mode);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(program_cache)

BOOST_AUTO_TEST_CASE(a_program_installed_or_removed_while_running_is_seen_by_the_next_call) {
    TempDir tmp;
    const fs::path first = directory(tmp, "first");
    const fs::path second = directory(tmp, "second");
    ProgramCache cache({first, second});

    BOOST_TEST(!cache.find(kName).has_value());
    BOOST_TEST(!cache.find(kName).has_value());  // the cached answer
    install(second / kName);
    BOOST_TEST(cache.find(kName).value() == second / kName);
    BOOST_TEST(cache.find(kName).value() == second / kName);
    install(first / kName);  // the earlier directory wins
    BOOST_TEST(cache.find(kName).value() == first / kName);
    fs::remove(first / kName);
    BOOST_TEST(cache.find(kName).value() == second / kName);
    ::chmod((second / kName).c_str(), 0644);  // no longer executable
    BOOST_TEST(!cache.find(kName).has_value());
    ::chmod((second / kName).c_str(), 0755);
    BOOST_TEST(cache.find(kName).value() == second / kName);
    fs::rename(second / kName, second / (kName + ".old"));
    BOOST_TEST(!cache.find(kName).has_value());
}

// The watches are set up by watch() (a worker, after the first find()) or, without a worker,
// by the first find(); either way a program installed after them, or between watch() and
// the first find(), is seen, and so is one installed before the cache existed.
BOOST_AUTO_TEST_CASE(changes_after_watch_or_before_the_first_call_are_seen) {
    TempDir tmp;
    const fs::path dir = directory(tmp, "dir");
    install(dir / (kName + "_early"));
    ProgramCache cache({dir});
    cache.watch();
    install(dir / kName);  // after the watch, before any call
    BOOST_TEST(cache.find(kName).value() == dir / kName);
    BOOST_TEST(cache.find(kName + "_early").value() == dir / (kName + "_early"));
    fs::remove(dir / kName);
    BOOST_TEST(!cache.find(kName).has_value());
    cache.watch();  // again: harmless
    install(dir / kName);
    BOOST_TEST(cache.find(kName).value() == dir / kName);
}

// With a worker, the first find() hands it watch() once and answers by searching until the
// watches are in place: right answers throughout, and nothing set up before the first find.
BOOST_AUTO_TEST_CASE(the_first_find_hands_the_watches_to_a_worker_and_answers_meanwhile) {
    TempDir tmp;
    const fs::path dir = directory(tmp, "dir");
    ProgramCache cache({dir});
    std::vector<std::function<void()>> handed;
    cache.watch_in_background([&](std::function<void()> job) { handed.push_back(std::move(job)); });
    BOOST_TEST(handed.empty());
    BOOST_TEST(!cache.find(kName).has_value());
    BOOST_REQUIRE_EQUAL(handed.size(), 1u);
    install(dir / kName);  // unwatched: seen all the same, the answer was not kept
    BOOST_TEST(cache.find(kName).value() == dir / kName);
    fs::remove(dir / kName);
    BOOST_TEST(!cache.find(kName).has_value());
    BOOST_TEST(handed.size() == 1u);  // handed over once
    BOOST_TEST(cache.kept_answers() == 0u);
    handed.front()();  // the worker runs it
    BOOST_TEST(!cache.find(kName).has_value());
    BOOST_TEST(cache.kept_answers() == 1u);  // watched: answers are kept from now on
    install(dir / kName);                    // watched now: the kept answer is dropped
    BOOST_TEST(cache.find(kName).value() == dir / kName);
    BOOST_TEST(handed.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_directory_that_appears_or_goes_is_followed) {
    TempDir tmp;
    const fs::path later = fs::path(tmp.path()) / "later";
    ProgramCache cache({later});
    BOOST_TEST(!cache.find(kName).has_value());
    fs::create_directory(later);
    install(later / kName);
    BOOST_TEST(cache.find(kName).value() == later / kName);
    fs::remove_all(later);
    BOOST_TEST(!cache.find(kName).has_value());
    fs::create_directory(later);  // back again, watched again
    BOOST_TEST(!cache.find(kName).has_value());
    install(later / kName);
    BOOST_TEST(cache.find(kName).value() == later / kName);
}

BOOST_AUTO_TEST_CASE(a_link_is_followed_to_its_target_every_time) {
    TempDir tmp;
    const fs::path dir = directory(tmp, "bin");
    const fs::path elsewhere = directory(tmp, "opt");
    fs::create_symlink(elsewhere / kName, dir / kName);  // points nowhere yet
    ProgramCache cache({dir});
    BOOST_TEST(!cache.find(kName).has_value());
    install(elsewhere / kName);  // nothing changes in the watched directory
    BOOST_TEST(cache.find(kName).value() == dir / kName);
    fs::remove(elsewhere / kName);
    BOOST_TEST(!cache.find(kName).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
