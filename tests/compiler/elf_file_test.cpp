// The ELF reader (libelf) and the static checks on damaged objects: a compiled scheduler
// truncated or with header fields overwritten. Every case must end in a precise error,
// never a crash or a read outside the file.
#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include <boost/test/unit_test.hpp>

#include "compiler_fixture.hpp"
#include "elf_file.hpp"
#include "object_checks.hpp"

using namespace schedcp::test;
namespace pc = schedcp::plugins::compiler;
using schedcp::compiler_common::ElfFile;

namespace {

// A compiled object's bytes, with accessors to overwrite its header fields in place.
struct ObjectBytes {
    std::string bytes;

    Elf64_Ehdr& header() { return *reinterpret_cast<Elf64_Ehdr*>(bytes.data()); }
    Elf64_Shdr& section(std::size_t i) {
        return reinterpret_cast<Elf64_Shdr*>(bytes.data() + header().e_shoff)[i];
    }
    Elf64_Shdr& section(const std::string& name) {
        const Elf64_Shdr& names = section(header().e_shstrndx);
        for (std::size_t i = 0; i < header().e_shnum; ++i)
            if (name == bytes.data() + names.sh_offset + section(i).sh_name) return section(i);
        BOOST_FAIL("the test object has no section " + name);
        return section(0);
    }
    Elf64_Shdr& section_of_type(std::uint32_t type) {
        for (std::size_t i = 0; i < header().e_shnum; ++i)
            if (section(i).sh_type == type) return section(i);
        BOOST_FAIL("the test object has no section of type " + std::to_string(type));
        return section(0);
    }
    std::string write(const TempDir& dir, const std::string& name) const {
        std::string path = dir.file(name);
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }
};

// A real scheduler object (callbacks, relocations, license), as the plugin compiles it.
ObjectBytes compiled_scheduler(const TempDir& dir) {
    auto b = build_object(dir.path(), "vtime_sched", test_data("vtime_sched.bpf.c"));
    BOOST_REQUIRE_MESSAGE(b.ok, "compiling vtime_sched failed:\n" << b.output);
    std::ifstream in(b.object, std::ios::binary);
    ObjectBytes o{std::string(std::istreambuf_iterator<char>(in), {})};
    BOOST_REQUIRE(o.bytes.size() > sizeof(Elf64_Ehdr));
    return o;
}

std::string open_error(const std::string& path) {
    std::string why;
    auto elf = ElfFile::open(path, why);
    return elf ? std::string("(opened)") : why;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + " | ";
    return s;
}

// A copy of `whole` with `change` applied, written to `name`.bpf.o; the static checks must
// refuse it (and must not crash on it).
template <class Change>
std::string damaged_copy(const TempDir& dir, const ObjectBytes& whole, const std::string& name,
                         Change&& change) {
    ObjectBytes o = whole;
    change(o);
    std::string path = o.write(dir, name + ".bpf.o");
    auto report = pc::check_object(path);
    BOOST_TEST(!report.passed(), name << ": " << joined(report.errors));
    return path;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compiler_unit)
BOOST_AUTO_TEST_SUITE(elf_file)

BOOST_AUTO_TEST_CASE(a_compiled_scheduler_reads_back_its_sections_symbols_and_relocations) {
    if (!require_sched_ext_btf("reading a compiled scheduler's ELF")) return;
    TempDir dir;
    std::string path = compiled_scheduler(dir).write(dir, "good.bpf.o");
    std::string why;
    auto elf = ElfFile::open(path, why);
    BOOST_REQUIRE_MESSAGE(elf, why);
    BOOST_TEST(elf->read("license", why).value_or("").starts_with("GPL"));
    BOOST_TEST(!elf->has_section("no_such_section"));
    BOOST_TEST(!elf->read("no_such_section", why));
    BOOST_TEST(why == "no no_such_section section");
    auto symbols = elf->symbols(why);
    BOOST_REQUIRE_MESSAGE(symbols, why);
    auto relocations = elf->relocations_for(".struct_ops.link", why);
    BOOST_REQUIRE_MESSAGE(relocations, why);
    BOOST_TEST(relocations->size() == 8u);  // one per callback in vtime_ops
    for (const auto& r : *relocations) {
        BOOST_REQUIRE(r.symbol < symbols->size());
        BOOST_TEST((*symbols)[r.symbol].name.starts_with("vtime_"));
    }
}

BOOST_AUTO_TEST_CASE(a_truncated_object_is_refused_with_the_reason) {
    if (!require_sched_ext_btf("truncating a compiled scheduler")) return;
    TempDir dir;
    const ObjectBytes whole = compiled_scheduler(dir);
    const std::size_t size = whole.bytes.size();
    for (std::size_t cut : {std::size_t{0}, std::size_t{4}, sizeof(Elf64_Ehdr) - 1,
                            sizeof(Elf64_Ehdr), size / 4, size / 2, size * 3 / 4, size - 1}) {
        ObjectBytes part{whole.bytes.substr(0, cut)};
        std::string path = part.write(dir, "cut" + std::to_string(cut) + ".bpf.o");
        std::string why = open_error(path);
        BOOST_TEST(why != "(opened)", "cut at " << cut);
        BOOST_TEST(!why.empty(), "cut at " << cut);
        // What the static checks make of it: refused, with libbpf's or libelf's reason.
        auto report = pc::check_object(path);
        BOOST_TEST(!report.passed(), "cut at " << cut);
        BOOST_TEST(!report.errors.empty(), "cut at " << cut);
    }
    // Section headers at the end of the file: cut there, the table is incomplete.
    BOOST_TEST(contains(open_error(ObjectBytes{whole.bytes.substr(0, size - 1)}.write(dir, "c.o")),
                        "runs past the end of the file"));
    BOOST_TEST(open_error(ObjectBytes{""}.write(dir, "empty.o")) == "not an ELF file");
}

BOOST_AUTO_TEST_CASE(header_fields_pointing_outside_the_file_are_refused) {
    if (!require_sched_ext_btf("corrupting a compiled scheduler's ELF header")) return;
    TempDir dir;
    const ObjectBytes whole = compiled_scheduler(dir);
    auto damaged = [&](const std::string& name, auto&& change) {
        return open_error(damaged_copy(dir, whole, name, change));
    };
    // The section table far past the end of the file, or with more entries than it holds.
    BOOST_TEST(contains(damaged("shoff", [](ObjectBytes& o) { o.header().e_shoff = ~0ULL >> 4; }),
                        "runs past the end of the file"));
    BOOST_TEST(contains(damaged("shnum", [](ObjectBytes& o) { o.header().e_shnum = 0xfeff; }),
                        "(65279 headers at offset"));
    BOOST_TEST(contains(damaged("shentsize", [](ObjectBytes& o) { o.header().e_shentsize = 12; }),
                        "the ELF section headers are 12 bytes, not 64"));
    BOOST_TEST(contains(damaged("shstrndx", [](ObjectBytes& o) { o.header().e_shstrndx = 0xfeff; }),
                        "section-name table index 65279 is not a section"));
    // A section name far outside the name table.
    BOOST_TEST(contains(damaged("name", [](ObjectBytes& o) { o.section(1).sh_name = 0x7fffffff; }),
                        "outside the section-name table"));
}

BOOST_AUTO_TEST_CASE(section_fields_pointing_outside_the_file_give_a_precise_error) {
    if (!require_sched_ext_btf("corrupting a compiled scheduler's sections")) return;
    TempDir dir;
    const ObjectBytes whole = compiled_scheduler(dir);
    auto reader = [&](const std::string& name, auto&& change) {
        std::string why;
        auto elf = ElfFile::open(damaged_copy(dir, whole, name, change), why);
        BOOST_REQUIRE_MESSAGE(elf, name << ": " << why);
        return elf;
    };
    std::string why;
    // The license's bytes beyond the end of the file, and a size of 2^62.
    auto far = reader("license_offset",
                      [](ObjectBytes& o) { o.section("license").sh_offset = 1ULL << 40; });
    BOOST_TEST(!far->read("license", why));
    BOOST_TEST(contains(why, "cannot read the license section: libelf:"), why);
    auto huge =
        reader("license_size", [](ObjectBytes& o) { o.section("license").sh_size = 1ULL << 62; });
    BOOST_TEST(!huge->read("license", why));
    BOOST_TEST(contains(why, "the license section is 4611686018427387904 bytes"), why);

    // The symbol table: a wrong entry size, then a string table that does not exist.
    auto entsize = reader("symtab_entsize",
                          [](ObjectBytes& o) { o.section_of_type(SHT_SYMTAB).sh_entsize = 7; });
    BOOST_TEST(!entsize->symbols(why));
    BOOST_TEST(contains(why, "the symbol table"), why);
    BOOST_TEST(contains(why, "has entries of 7 bytes, not 24"), why);
    auto strings = reader("symtab_link",
                          [](ObjectBytes& o) { o.section_of_type(SHT_SYMTAB).sh_link = 0xfff0; });
    BOOST_TEST(!strings->symbols(why));
    BOOST_TEST(contains(why, "outside its string table (section 65520)"), why);
    // A symbol table claiming to hold far more symbols than the file has.
    auto count = reader(
        "symtab_size", [](ObjectBytes& o) { o.section_of_type(SHT_SYMTAB).sh_size = 24ULL << 40; });
    BOOST_TEST(!count->symbols(why));
    BOOST_TEST(contains(why, "cannot read the symbol table"), why);

    // The ops table's relocations, beyond the end of the file.
    auto rel = reader("rel_offset", [](ObjectBytes& o) {
        o.section(".rel.struct_ops.link").sh_offset = 1ULL << 40;
    });
    BOOST_TEST(!rel->relocations_for(".struct_ops.link", why));
    BOOST_TEST(contains(why, "cannot read the relocations of .struct_ops.link"), why);
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
