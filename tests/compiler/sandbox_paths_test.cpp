// What the compile sandbox grants: execute only on clang, its interpreter when it is a
// script, and the directories of the shared libraries and the dynamic loader; read-only
// on headers; never /, /usr, /usr/bin or clang's whole installation prefix.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "compile.hpp"
#include "compile_sandbox.hpp"
#include "subprocess.hpp"

using namespace schedcp::plugins::compiler;
using schedcp::test::TempDir;
namespace fs = std::filesystem;

namespace {

bool has(const std::vector<fs::path>& v, const fs::path& p) {
    return std::find(v.begin(), v.end(), p) != v.end();
}

void never_too_wide(const std::vector<fs::path>& v, const fs::path& prefix) {
    for (const fs::path& wide : {fs::path("/"), fs::path("/usr"), fs::path("/usr/bin"),
                                 fs::path("/bin"), fs::path("/home"), fs::path("/root"), prefix})
        BOOST_TEST(!has(v, wide), wide << " is granted");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compiler_unit)
BOOST_AUTO_TEST_SUITE(sandbox_paths)

BOOST_AUTO_TEST_CASE(clang_in_a_prefix_gets_its_lib_and_resource_dir_not_the_prefix) {
    TempDir dir;
    const fs::path prefix = fs::canonical(dir.path()) / "toolchain";
    fs::create_directories(prefix / "bin");
    fs::create_directories(prefix / "lib" / "clang" / "19" / "include");
    const fs::path clang_file = prefix / "bin" / "clang";
    std::ofstream(clang_file) << "\x7f"
                                 "ELF";
    Clang clang{.path = clang_file, .major = 19, .version = "19.1.0"};
    CompilerSettings settings;
    settings.shipped_include = "/opt/shipped/include";
    CompileJob job;
    job.work_dir = prefix / "work";

    auto exec = sandbox_execute_paths(clang);
    BOOST_TEST(has(exec, clang_file));
    BOOST_TEST(has(exec, prefix / "lib"));
    BOOST_TEST(has(exec, "/usr/lib64"));
    never_too_wide(exec, prefix);
    auto read = sandbox_read_paths(job, clang, settings);
    BOOST_TEST(has(read, prefix / "lib" / "clang" / "19"));
    BOOST_TEST(has(read, "/usr/include"));
    BOOST_TEST(has(read, "/opt/shipped/include"));
    never_too_wide(read, prefix);
    // Headers are never executable.
    for (const fs::path& headers : {fs::path("/usr/include"), fs::path("/usr/local/include"),
                                    prefix / "lib" / "clang" / "19", job.work_dir / "vmlinux"})
        BOOST_TEST(!has(exec, headers), headers);
}

BOOST_AUTO_TEST_CASE(a_wrapper_script_gets_its_interpreter_and_nothing_of_bin) {
    TempDir dir;
    const fs::path script = fs::canonical(dir.path()) / "clang-wrapper";
    std::ofstream(script) << "#!/bin/sh\nexec true\n";
    Clang clang{.path = script, .major = 19, .version = "19.1.0"};
    auto exec = sandbox_execute_paths(clang);
    BOOST_TEST(has(exec, script));
    BOOST_TEST(has(exec, "/bin/sh"));
    BOOST_TEST(has(exec, fs::canonical("/bin/sh")));
    never_too_wide(exec, fs::canonical(dir.path()));
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
