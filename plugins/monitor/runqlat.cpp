#include "runqlat.hpp"

#include "series.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <mutex>

extern "C" const unsigned char schedcp_runqlat_bpf[];
extern "C" const unsigned long schedcp_runqlat_bpf_size;

namespace schedcp::plugins::monitor {

namespace bj = boost::json;

namespace {

constexpr int kSlots = 64;

// libbpf reports through a process-wide print callback; keep the last lines so a failed
// load can say why (the verifier, a missing tracepoint, permissions).
std::mutex g_log_mutex;
std::string g_log;

int capture(enum libbpf_print_level level, const char* fmt, va_list args) {
    if (level == LIBBPF_DEBUG) return 0;
    char buf[1024];
    int n = std::vsnprintf(buf, sizeof buf, fmt, args);
    std::lock_guard lock(g_log_mutex);
    g_log += buf;
    if (g_log.size() > 4000) g_log.erase(0, g_log.size() - 4000);
    return n;
}

std::string last_log_line() {
    std::lock_guard lock(g_log_mutex);
    std::string s = g_log;
    while (!s.empty() && s.back() == '\n') s.pop_back();
    auto nl = s.rfind('\n');
    return nl == std::string::npos ? s : s.substr(nl + 1);
}

}  // namespace

std::unique_ptr<RunqLat> RunqLat::open(std::string& why) {
    libbpf_set_print(capture);
    {
        std::lock_guard lock(g_log_mutex);
        g_log.clear();
    }
    std::unique_ptr<RunqLat> r(new RunqLat);
    LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "runqlat");
    r->obj_ = bpf_object__open_mem(schedcp_runqlat_bpf, schedcp_runqlat_bpf_size, &opts);
    if (!r->obj_) {
        why = std::string("cannot open the BPF object: ") + std::strerror(errno);
        return nullptr;
    }
    if (int err = bpf_object__load(r->obj_); err) {
        std::string detail = last_log_line();
        why = std::string("cannot load the BPF program: ") + std::strerror(-err) +
              (-err == EPERM ? " (needs root, or CAP_BPF and CAP_PERFMON)" : "") +
              (detail.empty() ? "" : " (libbpf: " + detail + ")");
        return nullptr;
    }
    int i = 0;
    bpf_program* prog;
    bpf_object__for_each_program(prog, r->obj_) {
        bpf_link* link = bpf_program__attach(prog);
        if (!link) {
            why = std::string("cannot attach ") + bpf_program__name(prog) + ": " +
                  std::strerror(errno);
            return nullptr;
        }
        if (i < 3) r->links_[i++] = link;
    }
    return r;
}

RunqLat::~RunqLat() {
    for (auto* l : links_)
        if (l) bpf_link__destroy(l);
    if (obj_) bpf_object__close(obj_);
}

bj::object RunqLat::summary() const {
    bpf_map* map = bpf_object__find_map_by_name(obj_, "hist");
    unsigned long long slots[kSlots + 2] = {};
    for (unsigned k = 0; k < kSlots + 2; ++k)
        bpf_map__lookup_elem(map, &k, sizeof k, &slots[k], sizeof slots[k], 0);
    const double max_us = static_cast<double>(slots[kSlots + 1]) / 1000.0;
    bj::array histogram;
    for (int i = 0; i < kSlots; ++i)
        if (slots[i])
            histogram.push_back(bj::object{{"from_us", histogram_slot_from_us(i)},
                                           {"to_us", histogram_slot_to_us(i)},
                                           {"count", slots[i]}});
    return bj::object{{"available", true},
                      {"count", slots[kSlots]},
                      {"p50_us", histogram_percentile_us(slots, kSlots, 0.50, max_us)},
                      {"p95_us", histogram_percentile_us(slots, kSlots, 0.95, max_us)},
                      {"p99_us", histogram_percentile_us(slots, kSlots, 0.99, max_us)},
                      {"max_us", max_us},
                      {"histogram", std::move(histogram)}};
}

}  // namespace schedcp::plugins::monitor
