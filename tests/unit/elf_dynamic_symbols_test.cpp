// The plugin loader's check of a library's exported symbols, before dlopen() runs its code.
#include <elf.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "elf_dynamic_symbols.hpp"
#include "subprocess.hpp"

using namespace schedcp;
using host::ElfDynamicSymbols;
using host::ElfFormatError;

namespace {

const std::string kTestPlugin = std::string(TEST_PLUGIN_DIR) + "/testplug.so";

std::string refusal(const std::string& file) {
    try {
        ElfDynamicSymbols::read(file);
    } catch (const ElfFormatError& e) {
        return e.what();
    }
    return "(read without complaint)";
}

// A copy of the test plugin with `patch` applied to its bytes.
template <typename Patch>
std::string patched_copy(const test::TempDir& dir, const std::string& name, Patch patch) {
    std::string bytes = test::slurp(kTestPlugin);
    BOOST_REQUIRE(bytes.size() > sizeof(Elf64_Ehdr));
    patch(bytes);
    return dir.write(name, bytes);
}

Elf64_Ehdr header_of(const std::string& bytes) {
    Elf64_Ehdr h;
    std::memcpy(&h, bytes.data(), sizeof h);
    return h;
}

// The dynamic symbol table's section header, in place in `bytes`.
Elf64_Shdr* dynsym_header(std::string& bytes) {
    const Elf64_Ehdr h = header_of(bytes);
    for (unsigned i = 0; i < h.e_shnum; ++i) {
        auto* s = reinterpret_cast<Elf64_Shdr*>(bytes.data() + h.e_shoff + i * sizeof(Elf64_Shdr));
        if (s->sh_type == SHT_DYNSYM) return s;
    }
    BOOST_FAIL("the test plugin has no .dynsym");
    return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(elf_dynamic_symbols)

BOOST_AUTO_TEST_CASE(finds_the_names_the_dynamic_loader_exports) {
    const auto symbols = ElfDynamicSymbols::read(kTestPlugin);
    for (const char* s : {"schedcp_plugin_abi_version", "schedcp_plugin_sdk_headers_hash",
                          "schedcp_plugin_boost_version", "schedcp_create_plugin"})
        BOOST_TEST(symbols.defines(s), s);
    // Imported (undefined here), a prefix of a defined name, and nothing at all.
    BOOST_TEST(!symbols.defines("malloc"));
    BOOST_TEST(!symbols.defines("schedcp_plugin"));
    BOOST_TEST(!symbols.defines(""));

    // Exactly the set binutils reports as defined dynamic symbols.
    const auto nm =
        test::run({"/usr/bin/nm", "-D", "--defined-only", "--format=just-symbols", kTestPlugin});
    BOOST_REQUIRE_EQUAL(nm.status, 0);
    std::set<std::string> expected;
    std::istringstream lines(nm.out);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) expected.insert(line);
    std::set<std::string> found;
    for (auto n : symbols.defined_names()) found.emplace(n);
    BOOST_TEST(found.size() > 10u);
    BOOST_TEST((found == expected));
}

BOOST_AUTO_TEST_CASE(refuses_what_is_not_a_loadable_elf_with_a_reason) {
    test::TempDir dir;
    BOOST_TEST(refusal(dir.write("text.so",
                                 "this is not an ELF file, but it is long enough "
                                 "to hold an ELF header of sixty-four bytes.")) ==
               "not an ELF file");
    BOOST_TEST(refusal(dir.write("short.so",
                                 "\x7f"
                                 "ELF")) == "not an ELF file (too short)");

    auto with_header = [&](const std::string& name, auto edit) {
        return patched_copy(dir, name, [&](std::string& bytes) {
            Elf64_Ehdr h = header_of(bytes);
            edit(h);
            std::memcpy(bytes.data(), &h, sizeof h);
        });
    };
    BOOST_TEST(refusal(with_header("class32.so", [](Elf64_Ehdr& h) {
                   h.e_ident[EI_CLASS] = ELFCLASS32;
               })) == "not a 64-bit ELF file; this host is 64-bit");
    BOOST_TEST(refusal(with_header("exec.so", [](Elf64_Ehdr& h) { h.e_type = ET_REL; })) ==
               "an ELF file, but not a shared object");
    BOOST_TEST(refusal(with_header("arm.so", [](Elf64_Ehdr& h) {
                   h.e_machine = h.e_machine == EM_AARCH64 ? EM_X86_64 : EM_AARCH64;
               })).starts_with("a shared object for another machine"));
    BOOST_TEST(refusal(with_header("noshdr.so", [](Elf64_Ehdr& h) { h.e_shoff = 0; })) ==
               "no section headers");
    BOOST_TEST(refusal(with_header("farshdr.so", [](Elf64_Ehdr& h) { h.e_shoff = 1ull << 40; })) ==
               "the section header table lies beyond the end of the file (truncated?)");
}

BOOST_AUTO_TEST_CASE(bounds_every_table_by_the_file) {
    test::TempDir dir;
    // Cut off before the section headers (at the end of a linked library).
    const std::string truncated = patched_copy(dir, "truncated.so", [](std::string& bytes) {
        bytes.resize(header_of(bytes).e_shoff + 10);
    });
    BOOST_TEST(refusal(truncated) ==
               "the section header table lies beyond the end of the file (truncated?)");

    // More sections than e_shnum holds: the count from section 0, bounded before it is used.
    BOOST_TEST(refusal(patched_copy(dir, "many.so", [](std::string& bytes) {
                   Elf64_Ehdr h = header_of(bytes);
                   h.e_shnum = 0;
                   std::memcpy(bytes.data(), &h, sizeof h);
                   reinterpret_cast<Elf64_Shdr*>(bytes.data() + h.e_shoff)->sh_size = 1ull << 60;
               })).starts_with("a section header table of "));
    BOOST_TEST(refusal(patched_copy(dir, "huge.so", [](std::string& bytes) {
                   dynsym_header(bytes)->sh_size = 1ull << 40;
               })).starts_with("a dynamic symbol table of "));
    BOOST_TEST(refusal(patched_copy(dir, "past.so", [](std::string& bytes) {
                   dynsym_header(bytes)->sh_offset = bytes.size() - 8;
               })) == "the dynamic symbol table lies beyond the end of the file (truncated?)");
    BOOST_TEST(refusal(patched_copy(dir, "link.so", [](std::string& bytes) {
                   dynsym_header(bytes)->sh_link = 60000;
               })) == "a dynamic symbol table without its string table");
    BOOST_TEST(refusal(patched_copy(dir, "nodynsym.so", [](std::string& bytes) {
                   dynsym_header(bytes)->sh_type = SHT_PROGBITS;
               })) == "no dynamic symbol table");
}

BOOST_AUTO_TEST_CASE(a_fifo_in_the_files_place_is_refused_without_waiting_for_a_writer) {
    test::TempDir dir;
    const std::string fifo = dir.file("fifo.so");
    BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    BOOST_TEST(refusal(fifo) == "not a regular file");
    BOOST_CHECK_THROW(ElfDynamicSymbols::read(dir.file("absent.so")), std::system_error);
}

BOOST_AUTO_TEST_SUITE_END()
