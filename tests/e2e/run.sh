#!/usr/bin/env bash
# The end-to-end suite: boots a real sched_ext kernel under QEMU and runs the scenarios of
# e2e_tests in it against the real schedcp and schedcp-cli of BUILD_DIR.
#
#   run.sh BUILD_DIR
#
# 1. build-kernel.sh builds (or finds in its cache) the kernel and the example schedulers.
# 2. A tiny busybox initramfs: its /init mounts proc, sysfs, devtmpfs, the host's / read-only
#    over virtio-9p, and a second, writable 9p share for the results; then a tmpfs /run in the
#    chroot, and runs guest.sh (the scenario driver) chrooted into the host's /; then powers off.
# 3. qemu-system-x86_64 -accel tcg (KVM hangs at "Booting from ROM" on these machines), killed
#    after SCHEDCP_E2E_TIMEOUT seconds (default 600).
# 4. Prints every check (PASS/FAIL name: message) from the results share; on any failure also
#    the tail of the guest's console. Exits 0 only if the guest finished and every check passed.
#
# Environment: SCHEDCP_E2E_TIMEOUT (600), SCHEDCP_E2E_CACHE (see build-kernel.sh),
# SCHEDCP_E2E_MEM (2048), SCHEDCP_E2E_KEEP=1 keeps the work directory (console log, per-case
# logs) even when everything passed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
timeout_s=${SCHEDCP_E2E_TIMEOUT:-600}
mem=${SCHEDCP_E2E_MEM:-2048}

fail() { echo "e2e: FAIL: $*" >&2; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t_all=$(now)

# --- what the guest will run -------------------------------------------------------------
for f in bin/schedcp bin/schedcp-cli tests/e2e_tests lib/schedcp/libexec/schedcp-guard \
         lib/schedcp/plugins/catalog.so lib/schedcp/plugins/runner.so lib/schedcp/plugins/workloads.so; do
    [ -e "$build/$f" ] || fail "$build/$f is missing: build first (ninja -C $build)"
done
# The guest sees the host's / read-only, at the same paths: everything it needs must be on it.
for p in "$build" "$here"; do
    case "$p" in /proc/*|/sys/*|/dev/*|/run/*) fail "$p is on a file system the guest does not see" ;; esac
done

# --- kernel and schedulers (cached) ------------------------------------------------------
t=$(now)
"$here/build-kernel.sh" >"${TMPDIR:-/tmp}/schedcp-e2e-bk.$$" || { rm -f "${TMPDIR:-/tmp}/schedcp-e2e-bk.$$"; fail "build-kernel.sh failed"; }
cache=$(sed -n 's/^cache: //p' "${TMPDIR:-/tmp}/schedcp-e2e-bk.$$" | tail -1)
rm -f "${TMPDIR:-/tmp}/schedcp-e2e-bk.$$"
[ -n "$cache" ] && [ -f "$cache/bzImage" ] || fail "build-kernel.sh did not name a cache directory"
echo "e2e: kernel and schedulers: $cache ($(took "$t") s)"
case "$cache" in /run/*) fail "the cache $cache is under /run, which the guest replaces with a tmpfs" ;; esac

# --- initramfs ---------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/schedcp-e2e.XXXXXX")
keep=${SCHEDCP_E2E_KEEP:-0}
vm_pid=""
cleanup() {
    [ -n "$vm_pid" ] && kill -KILL "$vm_pid" 2>/dev/null || true
    if [ "$keep" = 1 ]; then echo "e2e: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
results=$work/results
root=$work/initramfs
mkdir -p "$results" "$root"/{bin,dev,proc,sys,mnt,out}
cp /bin/busybox "$root/bin/busybox"
file "$root/bin/busybox" 2>/dev/null | grep -q 'statically linked' \
    || ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' || fail "/bin/busybox is not static (install busybox-static)"

q() { printf '%q' "$1"; }
cat >"$root/init" <<EOF
#!/bin/busybox sh
# Written by tests/e2e/run.sh: mount, chroot into the host's /, run the scenarios, power off.
/bin/busybox --install -s /bin
export PATH=/bin
say() { echo "e2e-init: \$*"; }
die() { say "FATAL: \$*"; echo "\$*" >/out/init-error 2>/dev/null; sync; reboot -f; sleep 5; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# cache=loose: stable inodes, which Landlock needs (the compiler confines clang with it; with
# the default cache=none every lookup makes a new inode, and every granted path is denied).
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose hostroot /mnt || die "cannot mount the host root (9p hostroot)"
mount -t 9p -o trans=virtio,version=9p2000.L out /out || die "cannot mount the results share (9p out)"
mount -t proc proc /mnt/proc || die "proc in the chroot"
mount -t sysfs sysfs /mnt/sys || die "sysfs in the chroot"
mount -t devtmpfs devtmpfs /mnt/dev || die "devtmpfs in the chroot"
# The guest's scratch space is a tmpfs on /run, not /tmp: the build tree (a CI checkout, say)
# may well live under the host's /tmp, which must stay visible.
mount -t tmpfs -o mode=755 tmpfs /mnt/run || die "tmpfs /run in the chroot"
mkdir -p /mnt/run/e2e/results /mnt/run/e2e/data
chmod 1777 /mnt/run/e2e/data
mount --bind /out /mnt/run/e2e/results || die "bind the results share"
say "booted \$(uname -r) in \$(cut -d' ' -f1 /proc/uptime) s; sched_ext: \$(cat /sys/kernel/sched_ext/state 2>&1)"
chroot /mnt /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/run/e2e TMPDIR=/run/e2e/data LANG=C.UTF-8 \
    SCHEDCP_E2E_BIN=$(q "$cache/bin") \
    SCHEDCP_E2E_DATA=/run/e2e/data \
    SCHEDCP_E2E_RESULTS=/run/e2e/results \
    /bin/bash $(q "$here/guest.sh") $(q "$build")
echo \$? >/out/guest-exit
say "scenarios finished at \$(cut -d' ' -f1 /proc/uptime) s; powering off"
sync
umount /mnt/run/e2e/results 2>/dev/null
umount /out 2>/dev/null
reboot -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

# --- boot --------------------------------------------------------------------------------
console=$work/console.log
echo "e2e: booting $cache/bzImage under TCG (-smp 2 -m $mem, timeout ${timeout_s} s)"
t=$(now)
set +e
qemu-system-x86_64 -accel tcg -smp 2 -m "$mem" \
    -kernel "$cache/bzImage" -initrd "$work/initrd.gz" \
    -append "console=ttyS0 rdinit=/init panic=-1 quiet" \
    -nographic -no-reboot \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$results,mount_tag=out,security_model=none" \
    </dev/null >"$console" 2>&1 &
vm_pid=$!
timed_out=0
deadline=$(( $(date +%s) + timeout_s ))
while kill -0 "$vm_pid" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
        timed_out=1
        kill -KILL "$vm_pid" 2>/dev/null
        break
    fi
    sleep 1
done
{ wait "$vm_pid"; } 2>/dev/null   # (no "Killed" job notice: the timeout is reported below)
qemu_rc=$?
vm_pid=""
set -e
vm_secs=$(took "$t")
echo "e2e: VM ran ${vm_secs} s (qemu exit $qemu_rc)"

# --- results -----------------------------------------------------------------------------
failed=0
problems=()
[ $timed_out -eq 0 ] || problems+=("the VM did not power off within ${timeout_s} s and was killed")
[ -f "$results/init-error" ] && problems+=("the guest's /init failed: $(cat "$results/init-error")")
[ -f "$results/done" ] || problems+=("the scenario driver did not finish (no results/done)")
if [ -f "$results/guest-exit" ] && [ "$(cat "$results/guest-exit")" != 0 ]; then
    problems+=("the scenario driver exited $(cat "$results/guest-exit")")
fi

pass=0
fails=0
echo "e2e: checks:"
if [ -s "$results/results.tsv" ]; then
    while IFS=$'\t' read -r verdict name msg; do
        printf '  %-4s %s: %s\n' "$verdict" "$name" "$msg"
        if [ "$verdict" = PASS ]; then pass=$((pass + 1)); else fails=$((fails + 1)); fi
    done <"$results/results.tsv"
else
    problems+=("no check reported a result")
fi
# Never skip silently: every test case the driver listed must have a result.
if [ -f "$results/expected.txt" ]; then
    while IFS= read -r name; do
        [ -n "$name" ] || continue
        if ! cut -f2 "$results/results.tsv" | grep -qxF "$name"; then
            printf '  %-4s %s: %s\n' FAIL "$name" "no result (not run, or cut short when the VM stopped)"
            fails=$((fails + 1))
        fi
    done <"$results/expected.txt"
fi
[ $fails -eq 0 ] || failed=1
[ ${#problems[@]} -eq 0 ] || failed=1
for p in "${problems[@]}"; do echo "e2e: FAIL: $p"; done

if [ $failed -ne 0 ]; then
    echo "e2e: ---- guest console (last 80 lines of $console) ----"
    tail -n 80 "$console" | tr -d '\r'
    echo "e2e: ----"
    for f in "$results"/*.log; do
        [ -f "$f" ] || continue
        n=$(basename "$f" .log)
        if grep -q "^FAIL	$n	" "$results/results.tsv" 2>/dev/null; then
            echo "e2e: ---- $n (full log) ----"
            cat "$f"
        fi
    done
    keep=1
    echo "e2e: $pass passed, $fails failed; VM ${vm_secs} s, total $(took "$t_all") s"
    exit 1
fi
echo "e2e: all $pass checks passed; VM ${vm_secs} s, total $(took "$t_all") s"
