// SPDX-License-Identifier: GPL-2.0
// Run-queue latency: the time from a task becoming runnable (wake-up, new task, or
// preempted while runnable) to it running, as a log2 histogram in microseconds: the
// buckets runqlat prints in bcc and libbpf-tools (slot i = [2^i, 2^(i+1)) us, slot 0 =
// [0, 2) us, the latency truncated to whole microseconds first), so histograms compare
// bucket for bucket. The exact maximum is kept in nanoseconds.
// BTF-enabled raw tracepoints; CO-RE field access through a minimal task_struct, so the
// object needs no vmlinux.h and loads on any kernel with BTF.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

typedef unsigned long long u64;
typedef unsigned int u32;
typedef _Bool bool;

struct task_struct {
    int pid;
} __attribute__((preserve_access_index));

#define TASK_RUNNING 0
#define SLOTS 64

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, u32);
    __type(value, u64);
} start SEC(".maps");

// hist[i]: latencies in [2^i, 2^(i+1)) us. Slot SLOTS holds the count, SLOTS+1 the max in ns.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, SLOTS + 2);
    __type(key, u32);
    __type(value, u64);
} hist SEC(".maps");

static __always_inline int enqueue(u32 pid) {
    if (!pid) return 0;  // the idle task
    u64 ts = bpf_ktime_get_ns();
    bpf_map_update_elem(&start, &pid, &ts, BPF_ANY);
    return 0;
}

static __always_inline u32 log2_slot(u64 v) {
    u32 r = 0;  // log2(0) = 0, as bcc's log2l
#pragma unroll
    for (int shift = 32; shift > 0; shift >>= 1) {
        if (v >= (1ULL << shift)) {
            v >>= shift;
            r += shift;
        }
    }
    return r < SLOTS ? r : SLOTS - 1;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(handle_wakeup, struct task_struct *p) { return enqueue(BPF_CORE_READ(p, pid)); }

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(handle_wakeup_new, struct task_struct *p) { return enqueue(BPF_CORE_READ(p, pid)); }

SEC("tp_btf/sched_switch")
int BPF_PROG(handle_switch, bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state) {
    // A task preempted while runnable waits in the queue again.
    if (prev_state == TASK_RUNNING) enqueue(BPF_CORE_READ(prev, pid));
    u32 pid = BPF_CORE_READ(next, pid);
    u64 *tsp = bpf_map_lookup_elem(&start, &pid);
    if (!tsp) return 0;
    u64 now = bpf_ktime_get_ns();
    if (now > *tsp) {
        u64 delta = now - *tsp;
        u32 slot = log2_slot(delta / 1000);
        u64 *c = bpf_map_lookup_elem(&hist, &slot);
        if (c) __sync_fetch_and_add(c, 1);
        u32 k = SLOTS;
        c = bpf_map_lookup_elem(&hist, &k);
        if (c) __sync_fetch_and_add(c, 1);
        k = SLOTS + 1;
        c = bpf_map_lookup_elem(&hist, &k);
        if (c && delta > *c) *c = delta;  // racy, but only ever raises it
    }
    bpf_map_delete_elem(&start, &pid);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
