// What libbpf does not expose from an ELF file, read with elfutils' libelf: a section's
// bytes (the license section, a vmlinux's .BTF for hashing), the symbol table, and the
// relocations of a section (which program fills which sched_ext_ops member, from
// .struct_ops.link). A thin owner of libelf's handle: libelf does the parsing and the
// bounds checks. The objects come from compiling untrusted source, so every read says
// precisely what is wrong with a malformed file instead of guessing (nothing is read past
// the file, no count is trusted beyond what the file holds).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gelf.h>

namespace schedcp::compiler_common {

class ElfFile {
  public:
    struct Symbol {
        std::string name;
        std::uint16_t section = 0;  // st_shndx
        std::uint64_t value = 0;
        std::uint8_t type = 0;  // STT_*
    };
    struct Relocation {
        std::uint64_t offset = 0;  // within the section the relocations apply to
        std::uint32_t symbol = 0;  // index into symbols()
    };

    // nullopt with the reason in `why` when the file cannot be opened or is not a valid
    // ELF file (its section table and section names are checked here).
    static std::optional<ElfFile> open(const std::filesystem::path& path, std::string& why);

    ElfFile(ElfFile&& other) noexcept;
    ElfFile& operator=(ElfFile&&) = delete;
    ~ElfFile();

    bool has_section(const std::string& name) const;
    // A section's bytes; nullopt with `why` when it is missing, empty of file data
    // (SHT_NOBITS), over 1 GiB or outside the file.
    std::optional<std::string> read(const std::string& name, std::string& why) const;
    // The symbol table (empty without one); nullopt with `why` when it is malformed.
    std::optional<std::vector<Symbol>> symbols(std::string& why) const;
    // The relocations (REL or RELA) that apply to section `target`; nullopt with `why`
    // when `target` is missing or a relocation section is malformed.
    std::optional<std::vector<Relocation>> relocations_for(const std::string& target,
                                                           std::string& why) const;

  private:
    ElfFile(int fd, Elf* elf) : fd_(fd), elf_(elf) {}
    bool check_section_table(const GElf_Ehdr& eh, std::string& why) const;
    int fd_ = -1;
    Elf* elf_ = nullptr;
};

}  // namespace schedcp::compiler_common
