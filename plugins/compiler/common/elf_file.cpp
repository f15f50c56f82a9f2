#include "elf_file.hpp"

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <utility>

namespace schedcp::compiler_common {

namespace {

bool pread_all(int fd, void* buf, std::size_t size, std::uint64_t offset) {
    auto* p = static_cast<char*>(buf);
    while (size > 0) {
        ssize_t n = ::pread(fd, p, size, static_cast<off_t>(offset));
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
        offset += static_cast<std::uint64_t>(n);
    }
    return true;
}

constexpr std::uint64_t kMaxSectionBytes = 1ULL << 30;

}  // namespace

std::optional<ElfFile> ElfFile::open(const std::filesystem::path& path, std::string& why) {
    ElfFile f;
    f.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (f.fd_ < 0) {
        why = std::strerror(errno);
        return std::nullopt;
    }
    Elf64_Ehdr eh{};
    if (!pread_all(f.fd_, &eh, sizeof eh, 0) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
        why = "not an ELF file";
        return std::nullopt;
    }
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        why = "not a 64-bit little-endian ELF file";
        return std::nullopt;
    }
    if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 || eh.e_shnum > 65000 ||
        eh.e_shstrndx >= eh.e_shnum) {
        why = "malformed ELF section table";
        return std::nullopt;
    }
    std::vector<Elf64_Shdr> sh(eh.e_shnum);
    if (!pread_all(f.fd_, sh.data(), sh.size() * sizeof(Elf64_Shdr), eh.e_shoff)) {
        why = "truncated ELF section table";
        return std::nullopt;
    }
    const Elf64_Shdr& strtab = sh[eh.e_shstrndx];
    if (strtab.sh_size > kMaxSectionBytes) {
        why = "malformed ELF section names";
        return std::nullopt;
    }
    std::string names(strtab.sh_size, '\0');
    if (!pread_all(f.fd_, names.data(), names.size(), strtab.sh_offset)) {
        why = "truncated ELF section names";
        return std::nullopt;
    }
    for (const auto& s : sh) {
        Section out;
        if (s.sh_name < names.size()) out.name = names.c_str() + s.sh_name;
        out.type = s.sh_type;
        out.offset = s.sh_offset;
        out.size = s.sh_type == SHT_NOBITS ? 0 : s.sh_size;
        out.link = s.sh_link;
        out.info = s.sh_info;
        f.sections_.push_back(std::move(out));
    }
    return f;
}

ElfFile::ElfFile(ElfFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), sections_(std::move(other.sections_)) {}

ElfFile::~ElfFile() {
    if (fd_ >= 0) ::close(fd_);
}

const ElfFile::Section* ElfFile::find(const std::string& name) const {
    for (const auto& s : sections_)
        if (s.name == name) return &s;
    return nullptr;
}

std::optional<std::string> ElfFile::read(const Section& s) const {
    if (s.size > kMaxSectionBytes) return std::nullopt;
    std::string data(s.size, '\0');
    if (!pread_all(fd_, data.data(), data.size(), s.offset)) return std::nullopt;
    return data;
}

std::optional<std::string> ElfFile::read(const std::string& name) const {
    const Section* s = find(name);
    return s ? read(*s) : std::nullopt;
}

std::vector<ElfFile::Symbol> ElfFile::symbols() const {
    std::vector<Symbol> out;
    for (const auto& s : sections_) {
        if (s.type != SHT_SYMTAB || s.link >= sections_.size()) continue;
        auto raw = read(s);
        auto names = read(sections_[s.link]);
        if (!raw || !names) return out;
        for (std::size_t off = 0; off + sizeof(Elf64_Sym) <= raw->size();
             off += sizeof(Elf64_Sym)) {
            Elf64_Sym sym;
            std::memcpy(&sym, raw->data() + off, sizeof sym);
            Symbol o;
            if (sym.st_name < names->size()) o.name = names->c_str() + sym.st_name;
            o.section = sym.st_shndx;
            o.value = sym.st_value;
            o.type = ELF64_ST_TYPE(sym.st_info);
            out.push_back(std::move(o));
        }
        break;
    }
    return out;
}

std::vector<ElfFile::Relocation> ElfFile::relocations_for(const std::string& target) const {
    std::vector<Relocation> out;
    for (const auto& s : sections_) {
        if ((s.type != SHT_REL && s.type != SHT_RELA) || s.info >= sections_.size() ||
            sections_[s.info].name != target)
            continue;
        auto raw = read(s);
        if (!raw) continue;
        const std::size_t entry = s.type == SHT_REL ? sizeof(Elf64_Rel) : sizeof(Elf64_Rela);
        for (std::size_t off = 0; off + entry <= raw->size(); off += entry) {
            Elf64_Rel r;  // RELA starts with the same two fields
            std::memcpy(&r, raw->data() + off, sizeof r);
            out.push_back({r.r_offset, static_cast<std::uint32_t>(ELF64_R_SYM(r.r_info))});
        }
    }
    return out;
}

}  // namespace schedcp::compiler_common
