#include "test_build.hpp"

#include <fstream>

#include "clang_toolchain.hpp"
#include "compile.hpp"
#include "sched_ext_btf.hpp"
#include "subprocess.hpp"
#include "vmlinux_header.hpp"

namespace schedcp::test {

namespace pc = schedcp::plugins::compiler;

TestBuild build_object(const std::string& dir, const std::string& name, const std::string& source) {
    pc::CompilerSettings s;
    s.shipped_include = SCHEDCP_COMPILER_INCLUDE_DIR;
    pc::VmlinuxHeader v = pc::ensure_vmlinux_header(sched_ext_btf().path, dir + "/vmlinux-cache");
    pc::Clang clang = pc::find_clang("");
    pc::CompileJob job;
    job.file_name = dir + "/" + name + ".bpf.c";
    std::ofstream(job.file_name) << source;
    TestBuild b;
    b.object = dir + "/" + name + ".bpf.o";
    auto r = run(pc::clang_argv(job, clang, v, s), {}, {}, std::chrono::seconds(120));
    b.ok = r.status == 0;
    b.output = r.out + r.err;
    return b;
}

std::string test_data(const std::string& name) {
    return slurp(std::string(COMPILER_TEST_DATA) + "/" + name);
}

}  // namespace schedcp::test
