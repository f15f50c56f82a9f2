// The custom-scheduler registry writes as root under the data dir: a symlink planted
// where it writes (a scheduler's directory, or one of its files) is refused with a
// precise error, and nothing is written through it.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "registry.hpp"
#include "schedcp/sdk/error.hpp"
#include "subprocess.hpp"

using namespace schedcp::plugins::compiler;
using namespace schedcp::test;
namespace fs = std::filesystem;

namespace {

std::string refusal(const Registry& r, const std::string& name, const std::string& object) {
    try {
        r.store(name, "int x;\n", object, {{"name", name}});
    } catch (const schedcp::sdk::Unavailable& e) {
        return e.what();
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compiler_unit)
BOOST_AUTO_TEST_SUITE(registry)

BOOST_AUTO_TEST_CASE(stores_a_scheduler_privately) {
    TempDir dir;
    std::string object = dir.write("built.bpf.o", "ELF");
    Registry r(dir.file("schedulers"));
    auto s = r.store("mine", "int x;\n", object, {{"name", "mine"}});
    BOOST_TEST(slurp(s.object.string()) == "ELF");
    BOOST_TEST(slurp(s.source.string()) == "int x;\n");
    struct stat st {};
    BOOST_REQUIRE(::stat(s.dir.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0700u);
    BOOST_REQUIRE(::stat(s.object.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
    std::vector<std::string> problems;
    BOOST_TEST(r.load_all(problems).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_symlinked_scheduler_directory_is_refused) {
    TempDir dir;
    std::string object = dir.write("built.bpf.o", "ELF");
    fs::create_directories(dir.file("schedulers"));
    fs::create_directories(dir.file("elsewhere"));
    fs::create_directory_symlink(dir.file("elsewhere"), dir.file("schedulers/evil"));
    Registry r(dir.file("schedulers"));
    std::string why = refusal(r, "evil", object);
    BOOST_TEST(why == "refusing to store a scheduler in " + dir.file("schedulers/evil") +
                          ": it is a symbolic link or not a directory (remove it)",
               why);
    BOOST_TEST(fs::is_empty(dir.file("elsewhere")));
}

BOOST_AUTO_TEST_CASE(a_symlinked_file_in_a_scheduler_directory_is_refused) {
    TempDir dir;
    std::string object = dir.write("built.bpf.o", "ELF");
    std::string target = dir.write("precious", "keep me\n");
    Registry r(dir.file("schedulers"));
    r.store("mine", "int x;\n", object, {{"name", "mine"}});
    for (const std::string& f : {"mine.bpf.c", "mine.bpf.o", "metadata.json"}) {
        fs::path p = dir.file("schedulers/mine/" + f);
        fs::remove(p);
        fs::create_symlink(target, p);
        std::string why = refusal(r, "mine", object);
        BOOST_TEST(why == "refusing to write " + p.string() +
                              ": it is a symbolic link or not a regular file (remove it)",
                   why);
        BOOST_TEST(slurp(target) == "keep me\n");
        fs::remove(p);
    }
}

BOOST_AUTO_TEST_CASE(a_symlinked_registry_root_is_refused) {
    TempDir dir;
    std::string object = dir.write("built.bpf.o", "ELF");
    fs::create_directories(dir.file("elsewhere"));
    fs::create_directory_symlink(dir.file("elsewhere"), dir.file("schedulers"));
    Registry r(dir.file("schedulers"));
    std::string why = refusal(r, "mine", object);
    BOOST_TEST(why.find("refusing to store a scheduler in " + dir.file("schedulers")) == 0, why);
    BOOST_TEST(fs::is_empty(dir.file("elsewhere")));
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
