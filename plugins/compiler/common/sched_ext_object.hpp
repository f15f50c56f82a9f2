// Reading a sched_ext scheduler object through libbpf's view of it, before or after it
// is loaded: its sched_ext_ops struct_ops map, the ops name in that map's data, and
// the user_exit_info a scheduler records its exit in. Shared by the plugin's static
// checks and schedcp-loader, so both read an object the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

struct bpf_object;
struct bpf_map;
struct btf;

namespace schedcp::compiler_common {

// The first BPF_MAP_TYPE_STRUCT_OPS map, or nullptr. `value_type` receives the name of
// its BTF value type ("sched_ext_ops" for a scheduler).
bpf_map* find_struct_ops_map(const bpf_object* obj, std::string* value_type = nullptr);

// Byte offset and size of member `member` of struct `struct_name` in `btf`, following
// typedefs; nullopt when the struct or member is absent.
struct MemberSpan {
    std::size_t offset = 0;
    std::size_t size = 0;
};
std::optional<MemberSpan> struct_member(const btf* btf, const std::string& struct_name,
                                        const std::string& member);

// sched_ext_ops.name as compiled into the struct_ops map (the name the kernel will
// report in /sys/kernel/sched_ext/root/ops). nullopt when it cannot be read.
std::optional<std::string> read_ops_name(const bpf_object* obj, const bpf_map* ops_map);

// Where UEI_DEFINE put the exit info: a global of type struct user_exit_info in a data
// section, and the layout of its fields (from BTF, so a user's own definition works).
struct UeiLayout {
    bpf_map* map = nullptr;  // the data section's map
    std::string variable;    // e.g. "uei"
    std::size_t base = 0;    // offset of the variable in the map value
    MemberSpan kind, exit_code, reason, msg;
};
std::optional<UeiLayout> find_uei(const bpf_object* obj);

struct ExitInfo {
    std::int64_t kind = 0;  // enum scx_exit_kind; 0: no exit recorded
    std::int64_t exit_code = 0;
    std::string reason;
    std::string msg;
};
// Reads the exit info from the loaded object's map (bpf_map__lookup_elem); nullopt
// when the lookup fails.
std::optional<ExitInfo> read_exit_info(const UeiLayout& uei);

}  // namespace schedcp::compiler_common
