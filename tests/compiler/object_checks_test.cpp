// Static checks on real objects compiled the plugin's way, and the BTF -> vmlinux.h step.
#include <chrono>
#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "clang_toolchain.hpp"
#include "elf_file.hpp"
#include "names.hpp"
#include "object_checks.hpp"
#include "sched_ext_btf.hpp"
#include "schedcp/sdk/error.hpp"
#include "subprocess.hpp"
#include "test_build.hpp"
#include "vmlinux_header.hpp"
#include "write_scheduler_prompt.hpp"

using namespace schedcp::test;
namespace pc = schedcp::plugins::compiler;
namespace fs = std::filesystem;

namespace {

// A scheduler with one thing changed from a good one.
std::string variant(const std::string& license, const std::string& ops_fields,
                    const std::string& extra = "") {
    return "#include <scx/common.bpf.h>\n" +
           (license.empty() ? std::string()
                            : "char _license[] SEC(\"license\") = \"" + license + "\";\n") +
           "UEI_DEFINE(uei);\n"
           "void BPF_STRUCT_OPS(v_enqueue, struct task_struct *p, u64 enq_flags)\n"
           "{ scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags); }\n"
           "void BPF_STRUCT_OPS(v_exit, struct scx_exit_info *ei) { UEI_RECORD(uei, ei); }\n" +
           extra + "SCX_OPS_DEFINE(v_ops, .enqueue = (void *)v_enqueue, .exit = (void *)v_exit, " +
           ops_fields + ");\n";
}

bool mentions(const std::vector<std::string>& lines, const std::string& what) {
    for (const auto& l : lines)
        if (l.find(what) != std::string::npos) return true;
    return false;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + " | ";
    return s;
}

pc::ObjectReport checked(const TempDir& dir, const std::string& name, const std::string& source) {
    auto b = build_object(dir.path(), name, source);
    BOOST_REQUIRE_MESSAGE(b.ok, "compiling " << name << " failed:\n" << b.output);
    return pc::check_object(b.object);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compiler_unit)
BOOST_AUTO_TEST_SUITE(object_checks)

// The write_scheduler prompt's skeleton compiles and passes every static check without a
// warning, and the prompt states the rules with the checks' own limits.
BOOST_AUTO_TEST_CASE(the_write_scheduler_skeleton_passes_every_check) {
    if (!require_sched_ext_btf("compiling the write_scheduler skeleton")) return;
    TempDir dir;
    auto r = checked(dir, "skeleton", pc::write_scheduler_skeleton());
    BOOST_TEST(r.passed(), joined(r.errors));
    BOOST_TEST(r.warnings.empty(), joined(r.warnings));
    BOOST_TEST(r.ops_name.value_or("") == "my_sched");
    const std::string text = pc::write_scheduler_text("favour interactive tasks");
    BOOST_TEST(text.find("favour interactive tasks") != std::string::npos);
    BOOST_TEST(text.find(pc::write_scheduler_skeleton()) != std::string::npos);
    BOOST_TEST(text.find(pc::kNameRule) != std::string::npos);
    BOOST_TEST(text.find(std::to_string(pc::kMaxTimeoutMs)) != std::string::npos);
    BOOST_TEST(text.find("Dual BSD/GPL") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_good_scheduler_passes_and_its_callbacks_are_named) {
    if (!require_sched_ext_btf("the static checks of a compiled scheduler")) return;
    TempDir dir;
    auto r = checked(dir, "vtime_sched", test_data("vtime_sched.bpf.c"));
    BOOST_TEST(r.passed(), joined(r.errors));
    BOOST_TEST(r.warnings.empty(), joined(r.warnings));
    BOOST_TEST(r.ops_map == "vtime_ops");
    BOOST_TEST(r.ops_name.value_or("") == "schedcp_vtime");
    BOOST_TEST(r.license.value_or("") == "GPL");
    BOOST_TEST(r.gpl_compatible);
    BOOST_TEST(r.link);
    BOOST_TEST(r.exit_info);
    std::vector<std::string> want = {"select_cpu", "enqueue", "dispatch", "running",
                                     "stopping",   "enable",  "init",     "exit"};
    BOOST_REQUIRE(r.callbacks.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        BOOST_TEST(r.callbacks[i].callback == want[i]);
        BOOST_TEST(r.callbacks[i].program == "vtime_" + want[i]);
        BOOST_TEST(r.callbacks[i].sleepable == (want[i] == "init"));
    }
}

BOOST_AUTO_TEST_CASE(the_6_12_kfunc_names_compile_and_pass) {
    if (!require_sched_ext_btf("compiling a scheduler with the 6.12 kfunc names")) return;
    TempDir dir;
    auto r = checked(dir, "fifo_old_names", test_data("fifo_old_names.bpf.c"));
    BOOST_TEST(r.passed(), joined(r.errors));
    BOOST_TEST(r.ops_name.value_or("") == "schedcp_fifo");
    BOOST_TEST(r.callbacks.size() == 4u);
}

// The e2e suite's schedulers that only a kernel refuses: clean as far as schedcp can tell.
BOOST_AUTO_TEST_CASE(schedulers_only_the_kernel_refuses_pass_the_static_checks) {
    if (!require_sched_ext_btf("the static checks of the kernel-rejection fixtures")) return;
    TempDir dir;
    for (std::string name : {"verifier_reject", "init_fails"}) {
        auto r = checked(dir, name, test_data(name + ".bpf.c"));
        BOOST_TEST(r.passed(), name << ": " << joined(r.errors));
    }
}

BOOST_AUTO_TEST_CASE(what_the_kernel_would_refuse_is_an_error) {
    if (!require_sched_ext_btf("the static checks' errors")) return;
    TempDir dir;
    auto no_license = checked(dir, "nolicense", variant("", ".name = \"x\""));
    BOOST_TEST(mentions(no_license.errors, "no license"), joined(no_license.errors));

    auto proprietary = checked(dir, "proprietary", variant("Proprietary", ".name = \"x\""));
    BOOST_TEST(mentions(proprietary.errors, "\"Proprietary\" is not GPL-compatible"),
               joined(proprietary.errors));

    auto dual = checked(dir, "dual", variant("Dual BSD/GPL", ".name = \"x\""));
    BOOST_TEST(dual.passed(), joined(dual.errors));

    auto bad_name = checked(dir, "badname", variant("GPL", ".name = \"my-sched\""));
    BOOST_TEST(mentions(bad_name.errors, "\"my-sched\" has characters the kernel refuses"),
               joined(bad_name.errors));

    auto no_name = checked(dir, "noname", variant("GPL", ".flags = 0"));
    BOOST_TEST(mentions(no_name.errors, "has no .name"), joined(no_name.errors));

    auto timeout = checked(dir, "timeout", variant("GPL", ".name = \"x\", .timeout_ms = 60000"));
    BOOST_TEST(mentions(timeout.errors, ".timeout_ms is 60000"), joined(timeout.errors));
}

BOOST_AUTO_TEST_CASE(likely_mistakes_are_warnings) {
    if (!require_sched_ext_btf("the static checks' warnings")) return;
    TempDir dir;
    auto unused = checked(dir, "unused",
                          variant("GPL", ".name = \"x\"",
                                  "void BPF_STRUCT_OPS(v_forgotten, struct task_struct *p) {}\n"));
    BOOST_TEST(unused.passed());
    BOOST_TEST(mentions(unused.warnings,
                        "v_forgotten is a sched_ext callback that the ops table does not use"),
               joined(unused.warnings));

    std::string sleepy =
        "#include <scx/common.bpf.h>\nchar _license[] SEC(\"license\") = \"GPL\";\n"
        "void BPF_STRUCT_OPS_SLEEPABLE(s_enqueue, struct task_struct *p, u64 f) {}\n"
        "SCX_OPS_DEFINE(s_ops, .enqueue = (void *)s_enqueue, .name = \"s\");\n";
    auto s = checked(dir, "sleepy", sleepy);
    BOOST_TEST(mentions(s.warnings, "callback 'enqueue' (program s_enqueue) is declared sleepable"),
               joined(s.warnings));
    BOOST_TEST(mentions(s.warnings, "no UEI_DEFINE"), joined(s.warnings));
}

BOOST_AUTO_TEST_CASE(objects_that_are_not_schedulers_are_refused) {
    TempDir dir;
    // A BPF object without sched_ext: builds without any kernel BTF.
    std::string src = dir.write(
        "tp.bpf.c",
        "#include <linux/types.h>\n#include <bpf/bpf_helpers.h>\n"
        "char _license[] SEC(\"license\") = \"GPL\";\n"
        "SEC(\"tracepoint/sched/sched_switch\") int on_switch(void *ctx) { return 0; }\n");
    auto clang = pc::find_clang("");
    auto r = run({clang.path.string(), "-target", "bpf", "-O2", "-g",
                  "-I/usr/include/x86_64-linux-gnu", "-c", src, "-o", dir.file("tp.bpf.o")});
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
    auto tp = pc::check_object(dir.file("tp.bpf.o"));
    BOOST_TEST(
        mentions(tp.errors, "no sched_ext_ops table: define the scheduler with SCX_OPS_DEFINE"),
        joined(tp.errors));

    auto text = pc::check_object(dir.write("notes.txt", "not an object\n"));
    BOOST_TEST(mentions(text.errors, "libbpf cannot open the object"), joined(text.errors));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(vmlinux_header)

BOOST_AUTO_TEST_CASE(generated_once_then_cached_by_content) {
    if (!require_sched_ext_btf("generating vmlinux.h from sched_ext BTF")) return;
    TempDir dir;
    auto first = pc::ensure_vmlinux_header(sched_ext_btf().path, dir.file("cache"));
    BOOST_TEST(first.generated);
    BOOST_TEST(first.btf_sha256.size() == 64u);
    std::string header = slurp((first.dir / "vmlinux.h").string());
    BOOST_TEST(header.find("struct sched_ext_ops {") != std::string::npos);
    BOOST_TEST(header.find("preserve_access_index") != std::string::npos);
    auto again = pc::ensure_vmlinux_header(sched_ext_btf().path, dir.file("cache"));
    BOOST_TEST(!again.generated);
    BOOST_TEST(again.btf_sha256 == first.btf_sha256);
    BOOST_TEST_MESSAGE("vmlinux.h from " << sched_ext_btf().path << ": generated in "
                                         << first.seconds << " s, found in the cache in "
                                         << again.seconds << " s");

    // The same BTF as a raw file gives the same key: the cache is by content.
    std::string why;
    auto elf = schedcp::compiler_common::ElfFile::open(sched_ext_btf().path, why);
    if (elf && elf->has_section(".BTF")) {
        std::ofstream(dir.file("raw.btf"), std::ios::binary) << *elf->read(".BTF", why);
        auto raw = pc::ensure_vmlinux_header(dir.file("raw.btf"), dir.file("cache"));
        BOOST_TEST(raw.btf_sha256 == first.btf_sha256);
        BOOST_TEST(!raw.generated);
    }
}

BOOST_AUTO_TEST_CASE(btf_that_cannot_be_used_is_refused_with_the_reason) {
    TempDir dir;
    auto refusal = [&](const std::string& path) {
        try {
            pc::ensure_vmlinux_header(path, dir.file("cache"));
        } catch (const schedcp::sdk::Unavailable& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    BOOST_TEST(refusal(dir.file("missing")).find("cannot read the kernel BTF") !=
               std::string::npos);
    BOOST_TEST(refusal(dir.write("t.txt", "hello\n")).find("neither raw BTF nor an ELF file") !=
               std::string::npos);
    BOOST_TEST(refusal("/bin/true").find("without a .BTF section") != std::string::npos);
    if (!kernel_has_sched_ext()) {
        // This machine's kernel lacks sched_ext: its BTF is refused before anything is written.
        std::string why = refusal("/sys/kernel/btf/vmlinux");
        BOOST_TEST(why.find("has no struct sched_ext_ops") != std::string::npos, why);
        BOOST_TEST(why.find("vmlinux_btf") != std::string::npos, why);
        BOOST_TEST((!fs::exists(dir.file("cache")) || fs::is_empty(dir.file("cache"))));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(clang)

BOOST_AUTO_TEST_CASE(the_newest_clang_is_found_and_old_or_missing_ones_refused) {
    auto c = pc::find_clang("");
    BOOST_TEST(c.major >= 16);
    BOOST_TEST_MESSAGE("clang: " << c.path << " " << c.version);
    auto refusal = [](const std::string& setting) {
        try {
            pc::find_clang(setting);
        } catch (const schedcp::sdk::Unavailable& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    BOOST_TEST(refusal("/nonexistent/clang").find("does not exist") != std::string::npos);
    BOOST_TEST(refusal("no-such-clang-xyz").find("is not in $PATH") != std::string::npos);
    BOOST_TEST(refusal("/bin/true").find("does not report a clang version") != std::string::npos);
    TempDir dir;
    std::string old = dir.write("clang-old", "#!/bin/sh\necho 'clang version 14.0.6'\n");
    fs::permissions(old, fs::perms::owner_all);
    std::string why = refusal(old);
    BOOST_TEST(why.find("clang 14.0.6 at " + old + " is too old") != std::string::npos, why);
    BOOST_TEST(why.find(">= 16") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
