#!/usr/bin/env python3
"""Runs `schedcp-cli monitor` beside the reference tools under a steady load and prints each
figure with its reference and the difference. Not a test: it judges nothing.

  bench/monitor_validate.py [--build DIR] [--duration SECONDS (20)]

References: mpstat -P ALL (sysstat) for CPU % overall and per CPU, vmstat (procps) for context
switches/s, /proc/pressure/cpu's total before and after for the CPU stall %, /proc/loadavg for
the load, and runqlat (libbpf-tools' runqlat, else bpftrace's runqlat.bt) for the run-queue
latency histogram, bucket for bucket. The load: one CPU spinning (tests' busy_loop) and a
thread waking 1000 times a second. Needs root (BPF). scripts/install-deps.sh installs sysstat
and libbpf-tools.
"""
import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def psi_total_us():
    with open("/proc/pressure/cpu") as f:
        for line in f:
            if line.startswith("some"):
                return int(re.search(r"total=(\d+)", line).group(1))
    return 0


def parse_mpstat(text):
    """{cpu: busy %} from mpstat's Average lines ('all' and each CPU)."""
    header, out = None, {}
    for line in text.splitlines():
        if not line.startswith("Average:"):
            continue
        cols = line.split()[1:]
        if cols[0] == "CPU":
            header = cols
            continue
        if header:
            row = dict(zip(header, cols))
            out[row["CPU"]] = 100.0 - float(row["%idle"]) - float(row["%iowait"])
    return out


def parse_vmstat(text):
    """Mean of vmstat's cs column, without its first line (the average since boot)."""
    header, values = None, []
    for line in text.splitlines():
        cols = line.split()
        if "cs" in cols:
            header = cols
        elif header and cols and cols[0].isdigit():
            values.append(float(cols[header.index("cs")]))
    values = values[1:]
    return sum(values) / len(values) if values else float("nan")


def scale(s):
    m = re.fullmatch(r"(\d+)([KMG]?)", s)
    return int(m.group(1)) * {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[m.group(2)]


def parse_runqlat(text):
    """{slot: count} in log2 microsecond slots (slot 0 = [0, 2) us) from libbpf-tools'
    'low -> high : count' lines or bpftrace's '[low, high) count' / '[0]' '[1]' lines."""
    slots = {}
    for line in text.splitlines():
        m = re.match(r"\s*(\d+)\s*->\s*(\d+)\s*:\s*(\d+)", line)
        if m:
            low, count = int(m.group(1)), int(m.group(3))
        else:
            m = re.match(r"\[(\d+[KMG]?)(?:,\s*\d+[KMG]?\))?\]?\s+(\d+)", line)
            if not m:
                continue
            low, count = scale(m.group(1)), int(m.group(2))
        slot = 0 if low <= 1 else int(math.log2(low))
        slots[slot] = slots.get(slot, 0) + count
    return slots


def reference_runqlat(duration):
    if shutil.which("runqlat"):
        return "runqlat (libbpf-tools)", ["runqlat", str(duration), "1"]
    for bt in ("/usr/sbin/runqlat.bt", "/usr/share/bpftrace/tools/runqlat.bt"):
        if os.path.exists(bt) and shutil.which("bpftrace"):
            return "runqlat.bt (bpftrace)", ["timeout", "-s", "INT", str(duration), "bpftrace", bt]
    return None, None


def load(stop):
    while not stop.is_set():
        time.sleep(0.001)


def row(name, ours, ref):
    diff = ours - ref
    rel = f"{100.0 * diff / ref:+.1f}%" if ref else "n/a"
    print(f"{name:<28} {ours:>12.2f} {ref:>12.2f} {diff:>+12.2f}  {rel:>8}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--duration", type=int, default=20)
    args = ap.parse_args()
    d = args.duration
    for tool in ("mpstat", "vmstat"):
        if not shutil.which(tool):
            sys.exit(f"monitor_validate.py: {tool} is missing (scripts/install-deps.sh installs it)")
    rq_name, rq_argv = reference_runqlat(d)

    env = dict(os.environ, LC_ALL="C", S_TIME_FORMAT="ISO")
    spin = subprocess.Popen([os.path.join(args.build, "tests", "busy_loop"), str((d + 4) * 1000)])
    stop = threading.Event()
    waker = threading.Thread(target=load, args=(stop,))
    waker.start()
    time.sleep(1)  # let the load settle before every tool starts

    psi0 = psi_total_us()
    t0 = time.monotonic()
    procs = {
        "monitor": subprocess.Popen([os.path.join(args.build, "bin", "schedcp-cli"), "monitor",
                                     "-d", str(d), "--json"], stdout=subprocess.PIPE, text=True),
        "mpstat": subprocess.Popen(["mpstat", "-P", "ALL", "1", str(d)], stdout=subprocess.PIPE,
                                   text=True, env=env),
        "vmstat": subprocess.Popen(["vmstat", "-n", "1", str(d + 1)], stdout=subprocess.PIPE,
                                   text=True, env=env),
    }
    if rq_argv:
        procs["runqlat"] = subprocess.Popen(rq_argv, stdout=subprocess.PIPE, text=True)
    loads = []
    while time.monotonic() - t0 < d:
        with open("/proc/loadavg") as f:
            loads.append(float(f.read().split()[0]))
        time.sleep(1)
    out = {name: p.communicate()[0] for name, p in procs.items()}
    psi_pct = 100.0 * (psi_total_us() - psi0) / ((time.monotonic() - t0) * 1e6)
    stop.set()
    waker.join()
    spin.kill()
    spin.wait()

    s = json.loads(out["monitor"])
    mp = parse_mpstat(out["mpstat"])
    print(f"{d} s under one spinning CPU and 1000 wake-ups/s")
    print(f"{'figure':<28} {'schedcp':>12} {'reference':>12} {'difference':>12}  {'relative':>8}")
    row("CPU % (mpstat all)", s["cpu"]["avg_percent"], mp["all"])
    per = {str(c["cpu"]): c["avg"] for c in s["cpu"]["per_cpu_percent"]}
    busiest = max(per, key=lambda c: mp.get(c, 0))
    row(f"busiest CPU % (cpu{busiest})", per[busiest], mp[busiest])
    row("context switches/s (vmstat)", s["context_switches_per_sec"]["avg"],
        parse_vmstat(out["vmstat"]))
    if s["cpu_pressure"]["available"]:
        row("PSI some stall % (total)", s["cpu_pressure"]["some_stall_percent"]["avg"], psi_pct)
    row("load 1 min (/proc/loadavg)", s["load_average"]["one_minute"]["avg"],
        sum(loads) / len(loads))

    rq = s["runqlat"]
    if not rq["available"]:
        print(f"run-queue latency: not available: {rq['reason']}")
        return
    if not rq_argv:
        print("run-queue latency: no reference runqlat (apt-get install libbpf-tools)")
        return
    ref = parse_runqlat(out["runqlat"])
    ours = {int(math.log2(b["to_us"])) - 1: b["count"] for b in rq["histogram"]}
    ours_total, ref_total = sum(ours.values()), sum(ref.values())
    print(f"\nrun-queue latency, share of waits per bucket: schedcp vs {rq_name}")
    row("waits counted", ours_total, ref_total)
    print(f"{'bucket (us)':<28} {'schedcp %':>12} {'reference %':>12} {'difference':>12}")
    for slot in sorted(set(ours) | set(ref)):
        lo, hi = (0 if slot == 0 else 2**slot), 2 ** (slot + 1) - 1
        a = 100.0 * ours.get(slot, 0) / max(ours_total, 1)
        b = 100.0 * ref.get(slot, 0) / max(ref_total, 1)
        print(f"{f'{lo} -> {hi}':<28} {a:>12.2f} {b:>12.2f} {a - b:>+12.2f}")


if __name__ == "__main__":
    main()
