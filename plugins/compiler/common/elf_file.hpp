// A minimal ELF64 little-endian reader: section headers, a section's bytes (read on
// demand, so a 500 MB vmlinux costs only what is asked for), the symbol table and a
// section's relocations. libbpf reads BPF objects for loading; this reads what libbpf
// does not expose: the license section, which program fills which sched_ext_ops member
// (the relocations of .struct_ops.link), and a vmlinux's .BTF bytes for hashing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace schedcp::compiler_common {

class ElfFile {
  public:
    struct Section {
        std::string name;
        std::uint32_t type = 0;
        std::uint64_t offset = 0;
        std::uint64_t size = 0;
        std::uint32_t link = 0;
        std::uint32_t info = 0;
    };
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

    // nullopt with the reason in `why` when the file is not an ELF64 little-endian object.
    static std::optional<ElfFile> open(const std::filesystem::path& path, std::string& why);

    ElfFile(ElfFile&& other) noexcept;
    ElfFile& operator=(ElfFile&&) = delete;
    ~ElfFile();

    const std::vector<Section>& sections() const { return sections_; }
    const Section* find(const std::string& name) const;
    std::optional<std::string> read(const Section& s) const;
    std::optional<std::string> read(const std::string& name) const;
    std::vector<Symbol> symbols() const;
    // The relocations (REL or RELA) that apply to section `target`.
    std::vector<Relocation> relocations_for(const std::string& target) const;

  private:
    ElfFile() = default;
    int fd_ = -1;
    std::vector<Section> sections_;
};

}  // namespace schedcp::compiler_common
