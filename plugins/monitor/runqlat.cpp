#include "runqlat.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <array>
#include <cerrno>
#include <cstdarg>
#include <cstdint>
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

namespace {

// The map's layout (bpf/runqlat.bpf.c): the buckets, then the count, then the max in ns.
constexpr unsigned kCountKey = kSlots;
constexpr unsigned kMaxKey = kSlots + 1;

std::uint64_t read_slot(bpf_map* map, unsigned key) {
    std::uint64_t v = 0;
    bpf_map__lookup_elem(map, &key, sizeof key, &v, sizeof v, 0);
    return v;
}

constexpr unsigned kEntries = kSlots + 2;

// Every entry in one system call (BPF_MAP_LOOKUP_BATCH, Linux >= 5.6), else one by one:
// the evaluator reads them after every run, and 66 calls cost tens of microseconds.
std::array<std::uint64_t, kEntries> read_all(bpf_map* map) {
    std::array<std::uint64_t, kEntries> batch{}, values{};
    std::array<unsigned, kEntries> keys{};
    __u32 count = kEntries, next = 0;
    const int err = bpf_map_lookup_batch(bpf_map__fd(map), nullptr, &next, keys.data(),
                                         batch.data(), &count, nullptr);
    if ((err == 0 || errno == ENOENT) && count == kEntries) {
        for (unsigned i = 0; i < kEntries; ++i)
            if (keys[i] < kEntries) values[keys[i]] = batch[i];
        return values;
    }
    for (unsigned k = 0; k < kEntries; ++k) values[k] = read_slot(map, k);
    return values;
}

}  // namespace

sdk::LatencyHistogram RunqLat::histogram() const {
    static_assert(sdk::LatencyHistogram::kSlots == kSlots);
    const auto all = read_all(bpf_object__find_map_by_name(obj_, "hist"));
    sdk::LatencyHistogram h;
    for (unsigned k = 0; k < kSlots; ++k) h.slots[k] = all[k];
    h.max_us = static_cast<double>(all[kMaxKey]) / 1000.0;
    return h;
}

void RunqLat::reset() {
    bpf_map* map = bpf_object__find_map_by_name(obj_, "hist");
    std::array<unsigned, kEntries> keys{};
    for (unsigned k = 0; k < kEntries; ++k) keys[k] = k;
    const std::array<std::uint64_t, kEntries> zeros{};
    __u32 count = kEntries;
    if (bpf_map_update_batch(bpf_map__fd(map), keys.data(), zeros.data(), &count, nullptr) == 0 &&
        count == kEntries)
        return;
    for (unsigned k = 0; k < kEntries; ++k)
        bpf_map__update_elem(map, &k, sizeof k, &zeros[k], sizeof zeros[k], BPF_ANY);
}

bj::object RunqLat::summary() const {
    const sdk::LatencyHistogram h = histogram();
    bj::array histogram;
    for (int i = 0; i < kSlots; ++i)
        if (h.slots[i])
            histogram.push_back(bj::object{{"from_us", sdk::LatencyHistogram::slot_from_us(i)},
                                           {"to_us", sdk::LatencyHistogram::slot_to_us(i)},
                                           {"count", h.slots[i]}});
    bpf_map* map = bpf_object__find_map_by_name(obj_, "hist");
    return bj::object{{"available", true},
                      {"count", read_slot(map, kCountKey)},
                      {"p50_us", h.percentile_us(0.50)},
                      {"p95_us", h.percentile_us(0.95)},
                      {"p99_us", h.percentile_us(0.99)},
                      {"max_us", h.max_us},
                      {"histogram", std::move(histogram)}};
}

}  // namespace schedcp::plugins::monitor
