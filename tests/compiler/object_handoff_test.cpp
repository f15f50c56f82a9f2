// The object clang wrote is taken out of the sandbox user's build directory once, and
// only if it is what clang leaves (a regular file of the sandbox user or ours, one link,
// bounded), never through a symlink; the build tree is removed without following one.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "object_handoff.hpp"
#include "private_tree.hpp"
#include "schedcp/sdk/error.hpp"
#include "subprocess.hpp"

using namespace schedcp::plugins::compiler;
using schedcp::test::TempDir;
namespace fs = std::filesystem;

namespace {

struct Tree {
    TempDir dir;
    fs::path work = dir.file("work/x-1-1");
    fs::path build = work / "build";
    fs::path object = build / "x.bpf.o";
    fs::path taken = dir.file("work/x-1-1.object");
    fs::path outside = dir.file("outside");

    Tree() {
        fs::create_directories(build);
        fs::create_directories(taken);
        fs::create_directories(outside);
        std::ofstream(outside / "root_file") << "root's";
    }

    fs::path take(std::optional<uid_t> owner = std::nullopt) const {
        return take_object(work, "build", "x.bpf.o", taken, owner);
    }

    // The refusal's message, or "" when it was taken.
    std::string refusal(std::optional<uid_t> owner = std::nullopt) const {
        try {
            take(owner);
            return "";
        } catch (const schedcp::sdk::Unavailable& e) {
            return e.what();
        }
    }
};

std::string slurp_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

bool contains(const std::string& s, const std::string& what) {
    return s.find(what) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compiler_unit)
BOOST_AUTO_TEST_SUITE(object_handoff)

BOOST_AUTO_TEST_CASE(the_object_is_copied_into_the_private_directory) {
    Tree t;
    std::ofstream(t.object) << "ELF object";
    fs::path copy = t.take();
    BOOST_TEST(copy == t.taken / "x.bpf.o");
    BOOST_TEST(slurp_file(copy) == "ELF object");
    struct stat st {};
    BOOST_REQUIRE(::lstat(copy.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
    BOOST_TEST(st.st_uid == ::geteuid());
    // Changing the build directory's file afterwards changes nothing that is used.
    std::ofstream(t.object) << "swapped";
    BOOST_TEST(slurp_file(copy) == "ELF object");
    // Owned by the sandbox user: accepted as well.
    if (::geteuid() == 0) {
        BOOST_REQUIRE(::chown(t.object.c_str(), 65534, 65534) == 0);
        BOOST_TEST(t.refusal(65534) == "");
    }
}

BOOST_AUTO_TEST_CASE(what_clang_does_not_leave_is_refused) {
    {
        Tree t;
        fs::create_symlink(t.outside / "root_file", t.object);
        BOOST_TEST(contains(t.refusal(), "symbolic link"), t.refusal());
        BOOST_TEST(!fs::exists(t.taken / "x.bpf.o"));
    }
    {
        Tree t;  // the build directory itself swapped for a symlink
        fs::remove_all(t.build);
        std::ofstream(t.outside / "x.bpf.o") << "elsewhere";
        fs::create_directory_symlink(t.outside, t.build);
        BOOST_TEST(contains(t.refusal(), "symbolic link"), t.refusal());
    }
    {
        Tree t;  // a hard link to a file of ours elsewhere
        fs::create_hard_link(t.outside / "root_file", t.object);
        BOOST_TEST(contains(t.refusal(), "2 hard links"), t.refusal());
    }
    {
        Tree t;  // a FIFO: refused at once, no hang
        BOOST_REQUIRE(::mkfifo(t.object.c_str(), 0666) == 0);
        BOOST_TEST(contains(t.refusal(), "not a regular file"), t.refusal());
    }
    {
        Tree t;  // larger than any object
        { std::ofstream(t.object) << "x"; }
        fs::resize_file(t.object, kMaxObjectBytes + 1);
        BOOST_TEST(contains(t.refusal(), "at most 67108864"), t.refusal());
    }
    if (::geteuid() == 0) {
        Tree t;  // someone else's
        std::ofstream(t.object) << "x";
        BOOST_REQUIRE(::chown(t.object.c_str(), 4242, 4242) == 0);
        BOOST_TEST(contains(t.refusal(65534), "belongs to uid 4242"), t.refusal(65534));
    }
}

BOOST_AUTO_TEST_CASE(the_build_tree_is_removed_without_following_symlinks) {
    Tree t;
    fs::create_directories(t.build / "a" / "b");
    std::ofstream(t.build / "a" / "b" / "f") << "f";
    fs::create_directory_symlink(t.outside, t.build / "a" / "to_outside");
    fs::create_symlink(t.outside / "root_file", t.build / "file_link");
    BOOST_TEST(remove_tree_nofollow(t.work));
    BOOST_TEST(!fs::exists(fs::symlink_status(t.work)));
    // What the symlinks pointed at is untouched (std::filesystem::remove_all resolves
    // paths: a directory swapped for a link mid-walk would be emptied instead).
    BOOST_TEST(slurp_file(t.outside / "root_file") == "root's");
    // The tree itself a symlink: only the link goes.
    fs::create_directory_symlink(t.outside, t.work);
    BOOST_TEST(remove_tree_nofollow(t.work));
    BOOST_TEST(fs::exists(t.outside / "root_file"));
    BOOST_TEST(remove_tree_nofollow(t.work));  // missing: fine
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
