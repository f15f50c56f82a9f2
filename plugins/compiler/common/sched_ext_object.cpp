#include "sched_ext_object.hpp"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cstring>
#include <vector>

namespace schedcp::compiler_common {

namespace {

// The type behind typedefs and qualifiers.
const btf_type* resolved(const btf* b, std::uint32_t id, std::uint32_t* out_id = nullptr) {
    int r = btf__resolve_type(b, id);
    if (r < 0) return nullptr;
    if (out_id) *out_id = static_cast<std::uint32_t>(r);
    return btf__type_by_id(b, static_cast<std::uint32_t>(r));
}

std::size_t type_size(const btf* b, std::uint32_t id) {
    long long s = btf__resolve_size(b, id);
    return s < 0 ? 0 : static_cast<std::size_t>(s);
}

std::optional<MemberSpan> member_of(const btf* b, const btf_type* st, const char* name) {
    if (!st || !(btf_is_struct(st) || btf_is_union(st))) return std::nullopt;
    const btf_member* m = btf_members(st);
    for (unsigned i = 0; i < btf_vlen(st); ++i, ++m) {
        const char* n = btf__name_by_offset(b, m->name_off);
        if (n && std::strcmp(n, name) == 0)
            return MemberSpan{btf_member_bit_offset(st, i) / 8, type_size(b, m->type)};
    }
    return std::nullopt;
}

std::string read_cstring(const unsigned char* p, std::size_t max) {
    std::size_t n = 0;
    while (n < max && p[n]) ++n;
    return std::string(reinterpret_cast<const char*>(p), n);
}

}  // namespace

bpf_map* find_struct_ops_map(const bpf_object* obj, std::string* value_type) {
    bpf_map* m;
    bpf_object__for_each_map(m, obj) {
        if (bpf_map__type(m) != BPF_MAP_TYPE_STRUCT_OPS) continue;
        if (value_type) {
            value_type->clear();
            const btf* b = bpf_object__btf(obj);
            if (const btf_type* t = b ? btf__type_by_id(b, bpf_map__btf_value_type_id(m)) : nullptr)
                if (const char* n = btf__name_by_offset(b, t->name_off)) *value_type = n;
        }
        return m;
    }
    return nullptr;
}

std::optional<MemberSpan> struct_member(const btf* b, const std::string& struct_name,
                                        const std::string& member) {
    if (!b) return std::nullopt;
    int id = btf__find_by_name_kind(b, struct_name.c_str(), BTF_KIND_STRUCT);
    if (id < 0) return std::nullopt;
    return member_of(b, btf__type_by_id(b, static_cast<std::uint32_t>(id)), member.c_str());
}

std::optional<std::string> read_ops_name(const bpf_object* obj, const bpf_map* ops_map) {
    if (!ops_map) return std::nullopt;
    const btf* b = bpf_object__btf(obj);
    const btf_type* st = b ? resolved(b, bpf_map__btf_value_type_id(ops_map)) : nullptr;
    auto span = member_of(b, st, "name");
    std::size_t size = 0;
    const void* data = bpf_map__initial_value(ops_map, &size);
    if (!span || !data || span->offset + span->size > size) return std::nullopt;
    return read_cstring(static_cast<const unsigned char*>(data) + span->offset, span->size);
}

std::optional<UeiLayout> find_uei(const bpf_object* obj) {
    const btf* b = bpf_object__btf(obj);
    if (!b) return std::nullopt;
    for (std::uint32_t id = 1; id < btf__type_cnt(b); ++id) {
        const btf_type* sec = btf__type_by_id(b, id);
        if (!btf_is_datasec(sec)) continue;
        const char* sec_name = btf__name_by_offset(b, sec->name_off);
        const btf_var_secinfo* vi = btf_var_secinfos(sec);
        for (unsigned i = 0; i < btf_vlen(sec); ++i, ++vi) {
            const btf_type* var = btf__type_by_id(b, vi->type);
            if (!var || !btf_is_var(var)) continue;
            const btf_type* t = resolved(b, var->type);
            const char* tname = t ? btf__name_by_offset(b, t->name_off) : nullptr;
            if (!t || !btf_is_struct(t) || !tname || std::strcmp(tname, "user_exit_info") != 0)
                continue;
            UeiLayout u;
            u.map = bpf_object__find_map_by_name(obj, sec_name);
            u.variable = btf__name_by_offset(b, var->name_off);
            u.base = vi->offset;
            auto kind = member_of(b, t, "kind");
            auto code = member_of(b, t, "exit_code");
            auto reason = member_of(b, t, "reason");
            auto msg = member_of(b, t, "msg");
            if (!u.map || !kind || !code || !reason || !msg) return std::nullopt;
            u.kind = *kind;
            u.exit_code = *code;
            u.reason = *reason;
            u.msg = *msg;
            return u;
        }
    }
    return std::nullopt;
}

std::optional<ExitInfo> read_exit_info(const UeiLayout& uei) {
    std::vector<unsigned char> value(bpf_map__value_size(uei.map));
    std::uint32_t key = 0;
    if (bpf_map__lookup_elem(uei.map, &key, sizeof key, value.data(), value.size(), 0) != 0)
        return std::nullopt;
    auto field = [&](const MemberSpan& s) -> const unsigned char* {
        return uei.base + s.offset + s.size <= value.size() ? value.data() + uei.base + s.offset
                                                            : nullptr;
    };
    auto integer = [&](const MemberSpan& s) -> std::int64_t {
        const unsigned char* p = field(s);
        if (!p) return 0;
        if (s.size == 4) {
            std::int32_t v;
            std::memcpy(&v, p, 4);
            return v;
        }
        std::int64_t v = 0;
        std::memcpy(&v, p, s.size < 8 ? s.size : 8);
        return v;
    };
    ExitInfo e;
    e.kind = integer(uei.kind);
    e.exit_code = integer(uei.exit_code);
    if (const unsigned char* p = field(uei.reason)) e.reason = read_cstring(p, uei.reason.size);
    if (const unsigned char* p = field(uei.msg)) e.msg = read_cstring(p, uei.msg.size);
    return e;
}

}  // namespace schedcp::compiler_common
