// Kernel verification's outcome is typed: a kernel without sched_ext and a busy one are
// told apart by kind (compiler_core names our own running scheduler on `busy`), never by
// the reason's words.
#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "subprocess.hpp"
#include "verify.hpp"

namespace fs = std::filesystem;
using namespace schedcp::plugins::compiler;
using schedcp::test::TempDir;

BOOST_AUTO_TEST_SUITE(compiler_unit)
BOOST_AUTO_TEST_SUITE(verify_outcome)

BOOST_AUTO_TEST_CASE(a_kernel_with_a_scheduler_loaded_is_busy) {
    TempDir dir;
    fs::create_directories(dir.file("sysfs/root"));
    std::ofstream(dir.file("sysfs/state")) << "enabled\n";
    std::ofstream(dir.file("sysfs/root/ops")) << "rusty\n";
    auto v = kernel_unavailable(dir.file("sysfs"));
    BOOST_TEST_REQUIRE(v.has_value());
    BOOST_TEST((v->kind == VerifyKind::busy));
    BOOST_TEST(!v->attempted);
    BOOST_TEST(!v->verified());
    BOOST_TEST(!v->rejected());  // not the scheduler's fault: it may still be registered
    BOOST_TEST(v->reason.find("already has a scheduler ('rusty') loaded (state enabled)") !=
                   std::string::npos,
               v->reason);

    // Being unloaded is busy too; so is a state this code does not know.
    std::ofstream(dir.file("sysfs/state")) << "disabling\n";
    BOOST_TEST((kernel_unavailable(dir.file("sysfs"))->kind == VerifyKind::busy));
    std::ofstream(dir.file("sysfs/state")) << "something new\n";
    BOOST_TEST((kernel_unavailable(dir.file("sysfs"))->kind == VerifyKind::busy));
}

BOOST_AUTO_TEST_CASE(a_kernel_without_sched_ext_is_its_own_kind) {
    TempDir dir;
    auto v = kernel_unavailable(dir.file("absent"));
    BOOST_TEST_REQUIRE(v.has_value());
    BOOST_TEST((v->kind == VerifyKind::no_sched_ext));
    BOOST_TEST(v->reason.find("has no sched_ext: " + dir.file("absent") + " does not exist") !=
                   std::string::npos,
               v->reason);
}

BOOST_AUTO_TEST_CASE(a_free_kernel_can_take_one) {
    TempDir dir;
    fs::create_directories(dir.file("sysfs"));
    std::ofstream(dir.file("sysfs/state")) << "disabled\n";
    BOOST_TEST(!kernel_unavailable(dir.file("sysfs")).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
