// vmlinux.h for the kernel schedulers are compiled against, generated with libbpf's
// btf_dump API from the BTF in `vmlinux_btf` (raw BTF such as /sys/kernel/btf/vmlinux,
// or a vmlinux ELF file's .BTF section) and cached by the SHA-256 of those BTF bytes:
//   <cache>/<sha256>/vmlinux.h
// The first compile against a BTF writes it (~0.3 s); later ones only hash the BTF
// (~0.1 s; the server also remembers the answer per file). BTF without sched_ext's
// types is refused before anything is written.
#pragma once

#include <filesystem>
#include <string>

namespace schedcp::plugins::compiler {

struct VmlinuxHeader {
    std::filesystem::path dir;  // contains vmlinux.h; passed to clang with -I
    std::string btf_sha256;
    bool generated = false;  // this call wrote it
    double seconds = 0;      // spent in this call
};

// Blocking. Throws sdk::Unavailable when the source cannot be read, is not BTF, or
// describes a kernel without sched_ext; sdk::Internal when the cache cannot be written.
VmlinuxHeader ensure_vmlinux_header(const std::filesystem::path& btf_source,
                                    const std::filesystem::path& cache_root);

}  // namespace schedcp::plugins::compiler
