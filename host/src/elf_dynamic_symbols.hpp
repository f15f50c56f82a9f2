// The symbols a shared library exports, read from its file without loading it.
//
// The host checks that a plugin file carries the SDK's symbols before dlopen() runs any of
// its code (static constructors run at load). It reads only what the dynamic loader itself
// would search: the section of type SHT_DYNSYM and the string table it links to. That is
// a few kilobytes, where reading the full symbol table (.symtab, as Boost.DLL's
// library_info does) meant ten times more I/O and a string per symbol on every start-up.
//
// Every offset and size comes from the file and is checked against the file's size, so a
// truncated or hostile file is refused with a reason, never read out of bounds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace schedcp::host {

// Thrown when the file is not a shared library this process could load; what() says why
// ("not an ELF file", "not a 64-bit ELF file; this host is 64-bit", "no dynamic symbol
// table").
class ElfFormatError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class ElfDynamicSymbols {
  public:
    // Reads `file`. Throws ElfFormatError for a file that is not a 64-bit ELF shared object
    // of this machine and byte order with a dynamic symbol table, std::system_error when the
    // file cannot be opened or read.
    static ElfDynamicSymbols read(const std::filesystem::path& file);

    // Whether the library defines `name` (in a section, with global or weak binding): a
    // name dlsym() would find once the library is loaded.
    bool defines(std::string_view name) const;

    // The names defines() answers true for, in table order.
    std::vector<std::string_view> defined_names() const;

  private:
    std::string strings_;                    // the linked string table, as in the file
    std::vector<std::uint32_t> defined_at_;  // offsets into strings_ of defined names
};

}  // namespace schedcp::host
