#include "elf_dynamic_symbols.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <system_error>

namespace schedcp::host {

namespace {

// The ELF machine this process runs as: a library for another one cannot be loaded.
constexpr int kHostMachine =
#if defined(__x86_64__)
    EM_X86_64;
#elif defined(__aarch64__)
    EM_AARCH64;
#elif defined(__riscv) && __riscv_xlen == 64
    EM_RISCV;
#elif defined(__powerpc64__)
    EM_PPC64;
#elif defined(__s390x__)
    EM_S390;
#else
    EM_NONE;  // unknown here: dlopen() will judge
#endif

constexpr unsigned char kHostByteOrder =
    std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;

// Plugins' dynamic tables are kilobytes; this bounds what a hostile file can make us read.
constexpr std::uint64_t kMaxTableBytes = 64ull << 20;

[[noreturn]] void refuse(const std::string& why) {
    throw ElfFormatError(why);
}

class FileReader {
  public:
    explicit FileReader(const std::filesystem::path& file) : path_(file) {
        // O_NONBLOCK: a FIFO put in the file's place must not hang start-up; it is
        // refused below as not a regular file.
        fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd_ < 0)
            throw std::system_error(errno, std::generic_category(), "open " + file.string());
        struct stat st {};
        if (::fstat(fd_, &st) != 0) {
            const int error = errno;
            ::close(fd_);
            throw std::system_error(error, std::generic_category(), "fstat " + file.string());
        }
        if (!S_ISREG(st.st_mode)) {
            ::close(fd_);
            refuse("not a regular file");
        }
        ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);  // a file: reads block
        size_ = static_cast<std::uint64_t>(st.st_size);
    }
    ~FileReader() { ::close(fd_); }
    FileReader(const FileReader&) = delete;
    FileReader& operator=(const FileReader&) = delete;

    std::uint64_t size() const { return size_; }

    // Refuses a range [offset, offset + bytes) that is not inside the file: checked before
    // anything is allocated for it, so a tiny file cannot make us allocate much.
    void check_range(std::uint64_t offset, std::uint64_t bytes, const char* what) const {
        if (offset > size_ || bytes > size_ - offset)
            refuse(std::string(what) + " lies beyond the end of the file (truncated?)");
    }

    // Reads [offset, offset + bytes) into `out`.
    void read_at(std::uint64_t offset, std::uint64_t bytes, void* out, const char* what) const {
        check_range(offset, bytes, what);
        auto* p = static_cast<char*>(out);
        while (bytes > 0) {
            const ssize_t n = ::pread(fd_, p, bytes, static_cast<off_t>(offset));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0)
                throw std::system_error(errno, std::generic_category(), "read " + path_.string());
            if (n == 0) refuse(std::string(what) + " lies beyond the end of the file (truncated?)");
            p += n;
            offset += static_cast<std::uint64_t>(n);
            bytes -= static_cast<std::uint64_t>(n);
        }
    }

  private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

void check_header(const Elf64_Ehdr& h) {
    if (std::memcmp(h.e_ident, ELFMAG, SELFMAG) != 0) refuse("not an ELF file");
    if (h.e_ident[EI_CLASS] != ELFCLASS64) refuse("not a 64-bit ELF file; this host is 64-bit");
    if (h.e_ident[EI_DATA] != kHostByteOrder) refuse("an ELF file of the other byte order");
    if (h.e_type != ET_DYN) refuse("an ELF file, but not a shared object");
    if (kHostMachine != EM_NONE && h.e_machine != kHostMachine)
        refuse("a shared object for another machine (ELF machine " + std::to_string(h.e_machine) +
               ", this host is " + std::to_string(kHostMachine) + ")");
    if (h.e_shoff == 0) refuse("no section headers");
    if (h.e_shentsize != sizeof(Elf64_Shdr))
        refuse("section header entries of " + std::to_string(h.e_shentsize) + " bytes, not " +
               std::to_string(sizeof(Elf64_Shdr)));
}

std::vector<Elf64_Shdr> read_section_headers(const FileReader& in, const Elf64_Ehdr& h) {
    std::uint64_t count = h.e_shnum;
    if (count == 0) {
        // More sections than e_shnum holds: the real count is in section 0's sh_size.
        Elf64_Shdr first{};
        in.read_at(h.e_shoff, sizeof first, &first, "the section header table");
        count = first.sh_size;
    }
    if (count == 0 || count > kMaxTableBytes / sizeof(Elf64_Shdr))
        refuse("a section header table of " + std::to_string(count) + " entries");
    in.check_range(h.e_shoff, count * sizeof(Elf64_Shdr), "the section header table");
    std::vector<Elf64_Shdr> sections(count);
    in.read_at(h.e_shoff, count * sizeof(Elf64_Shdr), sections.data(), "the section header table");
    return sections;
}

}  // namespace

ElfDynamicSymbols ElfDynamicSymbols::read(const std::filesystem::path& file) {
    const FileReader in(file);
    Elf64_Ehdr header{};
    if (in.size() < sizeof header) refuse("not an ELF file (too short)");
    in.read_at(0, sizeof header, &header, "the ELF header");
    check_header(header);
    const std::vector<Elf64_Shdr> sections = read_section_headers(in, header);

    const Elf64_Shdr* dynsym = nullptr;
    for (const auto& s : sections)
        if (s.sh_type == SHT_DYNSYM) {
            dynsym = &s;
            break;
        }
    if (!dynsym) refuse("no dynamic symbol table");
    if (dynsym->sh_entsize != sizeof(Elf64_Sym))
        refuse("dynamic symbol entries of " + std::to_string(dynsym->sh_entsize) + " bytes");
    if (dynsym->sh_size % sizeof(Elf64_Sym) != 0 || dynsym->sh_size > kMaxTableBytes)
        refuse("a dynamic symbol table of " + std::to_string(dynsym->sh_size) + " bytes");
    if (dynsym->sh_link == 0 || dynsym->sh_link >= sections.size() ||
        sections[dynsym->sh_link].sh_type != SHT_STRTAB)
        refuse("a dynamic symbol table without its string table");
    const Elf64_Shdr& strtab = sections[dynsym->sh_link];
    if (strtab.sh_size == 0 || strtab.sh_size > kMaxTableBytes)
        refuse("a dynamic string table of " + std::to_string(strtab.sh_size) + " bytes");

    in.check_range(dynsym->sh_offset, dynsym->sh_size, "the dynamic symbol table");
    in.check_range(strtab.sh_offset, strtab.sh_size, "the dynamic string table");
    std::vector<Elf64_Sym> symbols(dynsym->sh_size / sizeof(Elf64_Sym));
    in.read_at(dynsym->sh_offset, dynsym->sh_size, symbols.data(), "the dynamic symbol table");
    ElfDynamicSymbols out;
    out.strings_.resize(strtab.sh_size);
    in.read_at(strtab.sh_offset, strtab.sh_size, out.strings_.data(), "the dynamic string table");
    // A name must end inside the table; ending the table with NUL bounds every scan.
    if (out.strings_.back() != '\0') refuse("a dynamic string table that does not end in NUL");

    for (const auto& sym : symbols) {
        const unsigned bind = ELF64_ST_BIND(sym.st_info);
        if (sym.st_shndx == SHN_UNDEF ||
            (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE))
            continue;
        if (sym.st_name == 0 || sym.st_name >= out.strings_.size()) continue;
        out.defined_at_.push_back(sym.st_name);
    }
    return out;
}

bool ElfDynamicSymbols::defines(std::string_view name) const {
    for (const std::uint32_t at : defined_at_)
        if (std::string_view(strings_.data() + at) == name) return true;
    return false;
}

std::vector<std::string_view> ElfDynamicSymbols::defined_names() const {
    std::vector<std::string_view> names;
    names.reserve(defined_at_.size());
    for (const std::uint32_t at : defined_at_) names.emplace_back(strings_.data() + at);
    return names;
}

}  // namespace schedcp::host
