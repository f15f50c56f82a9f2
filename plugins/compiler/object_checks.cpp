#include "object_checks.hpp"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>

#include "elf_file.hpp"
#include "sched_ext_object.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;

namespace {

// libbpf's messages while opening, to explain a failure. libbpf has one process-wide
// print callback: set it around our open and put the previous one back.
std::mutex g_print_mutex;
std::string* g_sink = nullptr;

int collect(enum libbpf_print_level level, const char* fmt, va_list args) {
    if (level == LIBBPF_DEBUG || !g_sink) return 0;
    char buf[1024];
    int n = std::vsnprintf(buf, sizeof buf, fmt, args);
    if (g_sink->size() < 4096) *g_sink += buf;
    return n;
}

using ObjectPtr = std::unique_ptr<bpf_object, void (*)(bpf_object*)>;

ObjectPtr open_object(const std::filesystem::path& path, std::string& messages) {
    std::lock_guard lock(g_print_mutex);
    g_sink = &messages;
    libbpf_print_fn_t previous = libbpf_set_print(collect);
    bpf_object* obj = bpf_object__open_file(path.c_str(), nullptr);
    int err = errno;
    libbpf_set_print(previous);
    g_sink = nullptr;
    errno = err;
    return ObjectPtr(obj, bpf_object__close);
}

bool valid_ops_name(const std::string& n) {
    return std::all_of(n.begin(), n.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '.'; });
}

// Which member of sched_ext_ops sits at `offset`, from the object's BTF.
std::string member_at(const btf* b, std::uint32_t struct_id, std::size_t offset) {
    const btf_type* t = btf__type_by_id(b, struct_id);
    if (!t || !btf_is_struct(t)) return "";
    const btf_member* m = btf_members(t);
    for (unsigned i = 0; i < btf_vlen(t); ++i, ++m)
        if (btf_member_bit_offset(t, i) / 8 == offset) return btf__name_by_offset(b, m->name_off);
    return "";
}

// Callbacks from the relocations of the ops map's ELF section: each relocation at
// (variable offset + member offset) points at the program's symbol. A malformed symbol or
// relocation table is an error (libbpf read the object, so it is damaged, not foreign).
void read_callbacks(const compiler_common::ElfFile& elf, const bpf_object* obj, bpf_map* ops,
                    ObjectReport& r) {
    const btf* b = bpf_object__btf(obj);
    const std::string section = r.link ? ".struct_ops.link" : ".struct_ops";
    int sec_id = b ? btf__find_by_name_kind(b, section.c_str(), BTF_KIND_DATASEC) : -1;
    if (sec_id < 0) return;
    const btf_type* sec = btf__type_by_id(b, static_cast<std::uint32_t>(sec_id));
    std::size_t var_offset = 0;
    bool found = false;
    const btf_var_secinfo* vi = btf_var_secinfos(sec);
    for (unsigned i = 0; i < btf_vlen(sec); ++i, ++vi) {
        const btf_type* var = btf__type_by_id(b, vi->type);
        if (var && btf_is_var(var) && r.ops_map == btf__name_by_offset(b, var->name_off)) {
            var_offset = vi->offset;
            found = true;
        }
    }
    if (!found) return;
    std::string why;
    auto symbols = elf.symbols(why);
    auto relocations = symbols ? elf.relocations_for(section, why) : std::nullopt;
    if (!relocations) {
        r.errors.push_back("cannot tell which callbacks the ops table sets: " + why);
        return;
    }
    for (const auto& rel : *relocations) {
        if (rel.offset < var_offset || rel.offset >= var_offset + bpf_map__value_size(ops))
            continue;
        if (rel.symbol >= symbols->size()) continue;
        Callback c;
        c.program = (*symbols)[rel.symbol].name;
        c.callback = member_at(b, bpf_map__btf_value_type_id(ops), rel.offset - var_offset);
        if (const bpf_program* p = bpf_object__find_program_by_name(obj, c.program.c_str()))
            c.sleepable =
                std::string_view(bpf_program__section_name(p)).starts_with("struct_ops.s/");
        r.callbacks.push_back(std::move(c));
    }
}

template <class T>
std::optional<T> ops_field(const bpf_object* obj, bpf_map* ops, const char* member) {
    auto span = compiler_common::struct_member(bpf_object__btf(obj), "sched_ext_ops", member);
    std::size_t size = 0;
    const void* data = bpf_map__initial_value(ops, &size);
    if (!span || !data || span->size != sizeof(T) || span->offset + sizeof(T) > size)
        return std::nullopt;
    T v;
    std::memcpy(&v, static_cast<const char*>(data) + span->offset, sizeof v);
    return v;
}

}  // namespace

ObjectReport check_object(const std::filesystem::path& path) {
    ObjectReport r;
    std::string messages;
    ObjectPtr obj = open_object(path, messages);
    if (!obj) {
        int err = errno;
        r.errors.push_back("libbpf cannot open the object: " + std::string(std::strerror(err)) +
                           (messages.empty() ? "" : " (libbpf: " + messages + ")"));
        return r;
    }
    bpf_program* prog;
    bpf_object__for_each_program(prog, obj.get()) r.programs.push_back(bpf_program__name(prog));
    // What libbpf does not expose (the license, the callbacks' relocations), from the ELF.
    std::string elf_why;
    auto elf = compiler_common::ElfFile::open(path, elf_why);
    if (!elf) r.errors.push_back("cannot read the object's ELF sections: " + elf_why);

    // The ops table.
    std::string type;
    bpf_map* ops = compiler_common::find_struct_ops_map(obj.get(), &type);
    if (!ops) {
        r.errors.push_back(
            "no sched_ext_ops table: define the scheduler with SCX_OPS_DEFINE(name, .enqueue = "
            "(void *)..., .name = \"...\") from <scx/common.bpf.h>");
    } else if (type != "sched_ext_ops") {
        r.errors.push_back(
            "the struct_ops map '" + std::string(bpf_map__name(ops)) + "' is a struct " + type +
            ", not a struct sched_ext_ops: a scheduler is defined with SCX_OPS_DEFINE");
    } else {
        r.ops_map = bpf_map__name(ops);
        r.link = (bpf_map__map_flags(ops) & BPF_F_LINK) != 0;
        if (!r.link)
            r.warnings.push_back(
                "the ops table is in SEC(\".struct_ops\"), not \".struct_ops.link\": it is not "
                "attached through a BPF link, so it does not detach when its loader dies; use "
                "SCX_OPS_DEFINE");
        r.ops_name = compiler_common::read_ops_name(obj.get(), ops);
        if (!r.ops_name || r.ops_name->empty())
            r.errors.push_back(
                "the ops table has no .name: set .name = \"my_sched\" in SCX_OPS_DEFINE "
                "(the kernel refuses a scheduler without one)");
        else if (!valid_ops_name(*r.ops_name))
            r.errors.push_back("the ops .name \"" + *r.ops_name +
                               "\" has characters the kernel refuses: use only letters, digits, "
                               "'_' and '.'");
        r.flags = ops_field<std::uint64_t>(obj.get(), ops, "flags");
        r.timeout_ms = ops_field<std::uint32_t>(obj.get(), ops, "timeout_ms");
        if (r.timeout_ms && *r.timeout_ms > kMaxTimeoutMs)
            r.errors.push_back(".timeout_ms is " + std::to_string(*r.timeout_ms) +
                               "; the kernel refuses more than " + std::to_string(kMaxTimeoutMs) +
                               " (its watchdog limit)");
        if (elf) read_callbacks(*elf, obj.get(), ops, r);
    }

    // The license (an unreadable ELF was reported above).
    std::string why;
    if (elf && !elf->has_section("license")) {
        r.errors.push_back(
            "no license: add  char _license[] SEC(\"license\") = \"GPL\";  (sched_ext "
            "kfuncs and bpf_printk are GPL-only)");
    } else if (elf) {
        if (auto lic = elf->read("license", why))
            r.license = std::string(lic->c_str());
        else
            r.errors.push_back("cannot read the license: " + why);
    }
    if (r.license && !(r.gpl_compatible = kGplLicenses.contains(*r.license)))
        r.errors.push_back(
            "the license \"" + *r.license +
            "\" is not GPL-compatible: the kernel refuses kfunc calls (every "
            "scx_bpf_* function) from such programs; use \"GPL\" or \"Dual BSD/GPL\"");

    // Programs and callbacks that will not do what was meant.
    std::set<std::string> used;
    for (const auto& c : r.callbacks) {
        used.insert(c.program);
        if (c.sleepable && !kSleepableMembers.contains(c.callback))
            r.warnings.push_back("callback '" + c.callback + "' (program " + c.program +
                                 ") is declared sleepable (BPF_STRUCT_OPS_SLEEPABLE), but the "
                                 "kernel lets only init, exit, init_task, cgroup_init, "
                                 "cgroup_exit, cgroup_prep_move, cpu_online and cpu_offline "
                                 "sleep; use BPF_STRUCT_OPS");
    }
    bpf_object__for_each_program(prog, obj.get()) {
        if (bpf_program__type(prog) == BPF_PROG_TYPE_STRUCT_OPS &&
            !used.contains(bpf_program__name(prog)))
            r.warnings.push_back("program " + std::string(bpf_program__name(prog)) +
                                 " is a sched_ext callback that the ops table does not use: add "
                                 "it to SCX_OPS_DEFINE as .<callback> = (void *)" +
                                 bpf_program__name(prog));
    }
    if (ops && r.callbacks.empty())
        r.warnings.push_back(
            "the ops table sets no callbacks: the kernel's defaults schedule "
            "everything (a global FIFO)");

    // Exit reporting.
    r.exit_info = compiler_common::find_uei(obj.get()).has_value();
    bool has_exit = std::any_of(r.callbacks.begin(), r.callbacks.end(),
                                [](const Callback& c) { return c.callback == "exit"; });
    if (!r.exit_info)
        r.warnings.push_back(
            "no UEI_DEFINE(uei): when the kernel ends this scheduler its reason "
            "cannot be reported; add UEI_DEFINE(uei) and an exit callback with "
            "UEI_RECORD(uei, ei)");
    else if (!has_exit)
        r.warnings.push_back(
            "UEI_DEFINE without an exit callback: add  void "
            "BPF_STRUCT_OPS(x_exit, struct scx_exit_info *ei) { UEI_RECORD(uei, "
            "ei); }  and .exit = (void *)x_exit");
    return r;
}

bj::object ObjectReport::to_json() const {
    bj::array errs, warns, progs;
    for (const auto& e : errors) errs.push_back(bj::string(e));
    for (const auto& w : warnings) warns.push_back(bj::string(w));
    for (const auto& p : programs) progs.push_back(bj::string(p));
    bj::object o{{"passed", passed()},
                 {"errors", std::move(errs)},
                 {"warnings", std::move(warns)},
                 {"struct_ops_map", ops_map.empty() ? bj::value(nullptr) : bj::value(ops_map)},
                 {"sched_ext_ops", !ops_map.empty()},
                 {"ops_name", ops_name ? bj::value(*ops_name) : bj::value(nullptr)},
                 {"license", license ? bj::value(*license) : bj::value(nullptr)},
                 {"gpl_compatible", gpl_compatible},
                 {"link", link},
                 {"exit_info", exit_info},
                 {"programs", std::move(progs)}};
    if (flags) o["flags"] = *flags;
    if (timeout_ms) o["timeout_ms"] = *timeout_ms;
    return o;
}

}  // namespace schedcp::plugins::compiler
