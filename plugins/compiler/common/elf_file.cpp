#include "elf_file.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <utility>

namespace schedcp::compiler_common {

namespace {

// A section larger than this is not read into memory (a vmlinux's .BTF is a few MiB).
constexpr std::uint64_t kMaxSectionBytes = 1ULL << 30;

// libelf's message for its last error in this thread (libelf keeps it per thread).
std::string libelf_error() {
    const char* m = ::elf_errmsg(-1);
    return std::string("libelf: ") + (m ? m : "unknown error");
}

bool libelf_ready() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] { ok = ::elf_version(EV_CURRENT) != EV_NONE; });
    return ok;
}

// A section's name from the section-name table; null when its offset is invalid.
const char* section_name(Elf* elf, const GElf_Shdr& sh) {
    std::size_t names = 0;
    if (::elf_getshdrstrndx(elf, &names) != 0) return nullptr;
    return ::elf_strptr(elf, names, sh.sh_name);
}

Elf_Scn* find_section(Elf* elf, const std::string& name, GElf_Shdr& sh) {
    for (Elf_Scn* scn = ::elf_nextscn(elf, nullptr); scn; scn = ::elf_nextscn(elf, scn)) {
        if (!::gelf_getshdr(scn, &sh)) continue;  // open() checked every header
        const char* n = section_name(elf, sh);
        if (n && name == n) return scn;
    }
    return nullptr;
}

// A symbol or relocation table's entries, translated by libelf; `kind` fixes the entry size
// the header must declare, so no count is taken from anything but the bytes in the file.
Elf_Data* table_data(Elf* elf, Elf_Scn* scn, const GElf_Shdr& sh, Elf_Type kind,
                     const std::string& what, std::size_t& count, std::string& why) {
    const std::size_t entry = ::gelf_fsize(elf, kind, 1, EV_CURRENT);
    if (entry == 0 || sh.sh_entsize != entry) {
        why = what + " (section " + std::to_string(::elf_ndxscn(scn)) + ") has entries of " +
              std::to_string(sh.sh_entsize) + " bytes, not " + std::to_string(entry);
        return nullptr;
    }
    Elf_Data* d = ::elf_getdata(scn, nullptr);
    if (!d) {
        why = "cannot read " + what + " (section " + std::to_string(::elf_ndxscn(scn)) +
              "): " + libelf_error();
        return nullptr;
    }
    count = d->d_size / entry;
    return d;
}

}  // namespace

std::optional<ElfFile> ElfFile::open(const std::filesystem::path& path, std::string& why) {
    if (!libelf_ready()) {
        why = "libelf does not support this ELF version: " + libelf_error();
        return std::nullopt;
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        why = std::strerror(errno);
        return std::nullopt;
    }
    // ELF_C_READ, not mmap: libelf reads the headers now and a section when asked, so a
    // 500 MB vmlinux costs what is read, and a file shrinking under us cannot SIGBUS.
    ElfFile f(fd, ::elf_begin(fd, ELF_C_READ, nullptr));
    if (!f.elf_) {
        why = "cannot read it as ELF: " + libelf_error();
        return std::nullopt;
    }
    if (::elf_kind(f.elf_) != ELF_K_ELF) {
        why = "not an ELF file";
        return std::nullopt;
    }
    GElf_Ehdr eh;
    if (!::gelf_getehdr(f.elf_, &eh)) {
        why = "malformed ELF header: " + libelf_error();
        return std::nullopt;
    }
    if (!f.check_section_table(eh, why)) return std::nullopt;
    std::size_t names = 0;
    ::elf_getshdrstrndx(f.elf_, &names);  // checked by check_section_table
    // Every header within the file and every name within the name table, checked once, so
    // the readers below meet only well-formed headers.
    for (Elf_Scn* scn = ::elf_nextscn(f.elf_, nullptr); scn; scn = ::elf_nextscn(f.elf_, scn)) {
        GElf_Shdr sh;
        if (!::gelf_getshdr(scn, &sh)) {
            why = "malformed ELF section header " + std::to_string(::elf_ndxscn(scn)) + ": " +
                  libelf_error();
            return std::nullopt;
        }
        if (!::elf_strptr(f.elf_, names, sh.sh_name)) {
            why = "ELF section " + std::to_string(::elf_ndxscn(scn)) + " has a name at offset " +
                  std::to_string(sh.sh_name) + " outside the section-name table (section " +
                  std::to_string(names) + "): " + libelf_error();
            return std::nullopt;
        }
    }
    return f;
}

// libelf treats a section table that lies outside the file as no table at all, and does
// not look at e_shentsize: both are checked here, so a damaged file is named as such.
bool ElfFile::check_section_table(const GElf_Ehdr& eh, std::string& why) const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
        why = std::strerror(errno);
        return false;
    }
    const auto file_size = static_cast<std::uint64_t>(st.st_size);
    const std::uint64_t entry = ::gelf_fsize(elf_, ELF_T_SHDR, 1, EV_CURRENT);
    if (eh.e_shoff == 0) {
        why = "the ELF file has no section table";
        return false;
    }
    if (eh.e_shentsize != entry) {
        why = "the ELF section headers are " + std::to_string(eh.e_shentsize) + " bytes, not " +
              std::to_string(entry);
        return false;
    }
    std::size_t count = 0, names = 0;
    if (::elf_getshdrnum(elf_, &count) != 0) count = 0;
    // e_shnum 0 means "the count is in section 0", which libelf read if it could.
    const std::uint64_t declared = eh.e_shnum != 0 ? eh.e_shnum : std::max<std::uint64_t>(count, 1);
    if (eh.e_shoff > file_size || (file_size - eh.e_shoff) / entry < declared) {
        why = "the ELF section table (" + std::to_string(declared) + " headers at offset " +
              std::to_string(eh.e_shoff) + ") runs past the end of the file (" +
              std::to_string(file_size) + " bytes): the file is truncated or damaged";
        return false;
    }
    if (count == 0) {
        why = "the ELF file has no sections";
        return false;
    }
    if (::elf_getshdrstrndx(elf_, &names) != 0) {
        why = "malformed ELF section table: " + libelf_error();
        return false;
    }
    if (names == 0 || names >= count) {
        why = "the ELF section-name table index " + std::to_string(names) +
              " is not a section (the file has " + std::to_string(count) + ")";
        return false;
    }
    return true;
}

ElfFile::ElfFile(ElfFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), elf_(std::exchange(other.elf_, nullptr)) {}

ElfFile::~ElfFile() {
    if (elf_) ::elf_end(elf_);
    if (fd_ >= 0) ::close(fd_);
}

bool ElfFile::has_section(const std::string& name) const {
    GElf_Shdr sh;
    return find_section(elf_, name, sh) != nullptr;
}

std::optional<std::string> ElfFile::read(const std::string& name, std::string& why) const {
    GElf_Shdr sh;
    Elf_Scn* scn = find_section(elf_, name, sh);
    if (!scn) {
        why = "no " + name + " section";
        return std::nullopt;
    }
    if (sh.sh_type == SHT_NOBITS) {
        why = "the " + name + " section has no data in the file (SHT_NOBITS)";
        return std::nullopt;
    }
    if (sh.sh_size > kMaxSectionBytes) {
        why = "the " + name + " section is " + std::to_string(sh.sh_size) +
              " bytes (at most 1 GiB is read)";
        return std::nullopt;
    }
    Elf_Data* d = ::elf_rawdata(scn, nullptr);  // the bytes as stored, untranslated
    if (!d) {
        why = "cannot read the " + name + " section: " + libelf_error();
        return std::nullopt;
    }
    if (d->d_size == 0 || !d->d_buf) return std::string();
    return std::string(static_cast<const char*>(d->d_buf), d->d_size);
}

std::optional<std::vector<ElfFile::Symbol>> ElfFile::symbols(std::string& why) const {
    std::vector<Symbol> out;
    for (Elf_Scn* scn = ::elf_nextscn(elf_, nullptr); scn; scn = ::elf_nextscn(elf_, scn)) {
        GElf_Shdr sh;
        if (!::gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB) continue;
        std::size_t count = 0;
        Elf_Data* d = table_data(elf_, scn, sh, ELF_T_SYM, "the symbol table", count, why);
        if (!d) return std::nullopt;
        out.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            GElf_Sym sym;
            if (!::gelf_getsym(d, static_cast<int>(i), &sym)) {
                why = "cannot read symbol " + std::to_string(i) + ": " + libelf_error();
                return std::nullopt;
            }
            const char* name = sym.st_name == 0 ? "" : ::elf_strptr(elf_, sh.sh_link, sym.st_name);
            if (!name) {
                why = "symbol " + std::to_string(i) + " has a name at offset " +
                      std::to_string(sym.st_name) + " outside its string table (section " +
                      std::to_string(sh.sh_link) + "): " + libelf_error();
                return std::nullopt;
            }
            out.push_back({.name = name,
                           .section = sym.st_shndx,
                           .value = sym.st_value,
                           .type = static_cast<std::uint8_t>(GELF_ST_TYPE(sym.st_info))});
        }
        break;  // one symbol table per object
    }
    return out;
}

std::optional<std::vector<ElfFile::Relocation>> ElfFile::relocations_for(const std::string& target,
                                                                         std::string& why) const {
    GElf_Shdr target_sh;
    Elf_Scn* target_scn = find_section(elf_, target, target_sh);
    if (!target_scn) {
        why = "no " + target + " section";
        return std::nullopt;
    }
    const std::size_t target_index = ::elf_ndxscn(target_scn);
    std::vector<Relocation> out;
    for (Elf_Scn* scn = ::elf_nextscn(elf_, nullptr); scn; scn = ::elf_nextscn(elf_, scn)) {
        GElf_Shdr sh;
        if (!::gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_REL && sh.sh_type != SHT_RELA) ||
            sh.sh_info != target_index)
            continue;
        const bool rela = sh.sh_type == SHT_RELA;
        std::size_t count = 0;
        Elf_Data* d = table_data(elf_, scn, sh, rela ? ELF_T_RELA : ELF_T_REL,
                                 "the relocations of " + target, count, why);
        if (!d) return std::nullopt;
        for (std::size_t i = 0; i < count; ++i) {
            GElf_Rela r{};
            GElf_Rel rel{};
            bool ok = rela ? ::gelf_getrela(d, static_cast<int>(i), &r) != nullptr
                           : ::gelf_getrel(d, static_cast<int>(i), &rel) != nullptr;
            if (!ok) {
                why = "cannot read relocation " + std::to_string(i) + " of " + target + ": " +
                      libelf_error();
                return std::nullopt;
            }
            if (!rela) r = {.r_offset = rel.r_offset, .r_info = rel.r_info, .r_addend = 0};
            out.push_back(
                {.offset = r.r_offset, .symbol = static_cast<std::uint32_t>(GELF_R_SYM(r.r_info))});
        }
    }
    return out;
}

}  // namespace schedcp::compiler_common
