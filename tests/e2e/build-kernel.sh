#!/usr/bin/env bash
# Builds what the end-to-end suite boots: a Linux 6.12 kernel with sched_ext (bzImage, and
# vmlinux with BTF) and the kernel's example schedulers (tools/sched_ext: scx_simple,
# scx_qmap, scx_central, scx_flatcg), into a cache directory keyed by a hash of the
# linux-source package version and the config fragment:
#
#   ${SCHEDCP_E2E_CACHE:-/var/cache/schedcp-e2e}/<key>/{bzImage,vmlinux,bin/scx_*}
#
# plus config (the kernel's .config), obj/*.bpf.linked3.o (the schedulers' BPF objects) and
# BUILDINFO. vmlinux carries BTF: `bpftool btf dump file vmlinux format c` makes the
# vmlinux.h that BPF schedulers for this kernel are compiled against.
#
# A second run with the same key does nothing. Installs its packages with apt-get first
# (idempotent; fails loudly when it cannot). Prints the cache directory on its last line
# of stdout ("cache: DIR") and timings on the way. Needs root only to apt-get install what
# is missing (and to write the default cache directory).
#
# Usage: build-kernel.sh            environment: SCHEDCP_E2E_CACHE, SCHEDCP_E2E_JOBS
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/sched_ext-vm.config
cache_root=${SCHEDCP_E2E_CACHE:-/var/cache/schedcp-e2e}
jobs=${SCHEDCP_E2E_JOBS:-$(nproc)}
schedulers=(scx_simple scx_qmap scx_central scx_flatcg)
packages=(linux-source-6.12 qemu-system-x86 dwarves flex bison bc libelf-dev libssl-dev
          busybox-static cpio clang-19 llvm-19)

log() { echo "build-kernel: $*" >&2; }
die() { echo "build-kernel: ERROR: $*" >&2; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

t_all=$(now)
[ -f "$fragment" ] || die "config fragment $fragment is missing"

# --- packages ----------------------------------------------------------------------------
missing=()
for p in "${packages[@]}"; do
    st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    [[ $st == ii* ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || die "packages missing (${missing[*]}) and not root: cannot apt-get install them"
    t=$(now)
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2 || die "apt-get update failed"
    apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
        || die "apt-get install ${missing[*]} failed"
    log "packages installed in $(took "$t")"
fi
for p in "${packages[@]}"; do
    st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    [[ $st == ii* ]] || die "package $p is still not installed"
done
for tool in qemu-system-x86_64 pahole clang-19 llvm-strip-19 cpio; do
    command -v "$tool" >/dev/null || die "$tool not found after installing packages"
done
[ -x /bin/busybox ] || die "/bin/busybox (busybox-static) not found"
# libbpf >= 1.4 (bookworm-backports, scripts/install-deps.sh): 1.1 cannot load sched_ext.
bpfver=$(pkg-config --modversion libbpf 2>/dev/null || echo none)
case "$bpfver" in
    none|0.*|1.[0-3]|1.[0-3].*) die "libbpf $bpfver: need >= 1.4 from bookworm-backports (run scripts/install-deps.sh)" ;;
esac

# --- cache key ---------------------------------------------------------------------------
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
tarball=$(dpkg-query -L linux-source-6.12 | grep -E '/linux-source-6\.12\.tar\.(xz|bz2|gz)$' | head -1)
[ -n "$tarball" ] && [ -f "$tarball" ] || die "linux-source-6.12 ($srcver) has no source tarball"
key=$( { echo "linux-source-6.12 $srcver"; cat "$fragment"; } | sha256sum | cut -c1-16)
out=$cache_root/$key

complete() {
    [ -f "$1/bzImage" ] && [ -f "$1/vmlinux" ] || return 1
    for s in "${schedulers[@]}"; do [ -x "$1/bin/$s" ] || return 1; done
}

if complete "$out"; then  # the common case; needs no write access to the cache
    log "cached: $out (linux-source-6.12 $srcver; nothing to do, $(took "$t_all"))"
    echo "cache: $out"
    exit 0
fi
mkdir -p "$cache_root"
exec 9>"$cache_root/.lock-$key"
flock 9   # one build per key at a time; a second caller waits and then finds the cache
if complete "$out"; then
    log "cached: $out (linux-source-6.12 $srcver; nothing to do, $(took "$t_all"))"
    echo "cache: $out"
    exit 0
fi

# --- kernel ------------------------------------------------------------------------------
work=$(mktemp -d "$cache_root/.build-$key-XXXXXX")
trap 'rm -rf "$work"' EXIT
log "building linux-source-6.12 $srcver with $fragment into $out (key $key, -j$jobs)"
t=$(now)
tar -C "$work" -xf "$tarball"
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' | head -1)
[ -n "$src" ] || die "the tarball did not unpack into linux-source-*"
log "unpacked in $(took "$t")"

t=$(now)
make -C "$src" -s tinyconfig >&2
(cd "$src" && scripts/kconfig/merge_config.sh -m .config "$fragment" >"$work/merge_config.log" 2>&1) \
    || { cat "$work/merge_config.log" >&2; die "merge_config.sh failed"; }
make -C "$src" -s olddefconfig >&2
# An option whose dependencies the fragment does not enable is silently dropped by
# olddefconfig. Those the suite cannot do without are fatal (Landlock among them: the
# compiler confines clang with it and refuses to compile without it); the others are reported.
# (CONFIG_SCHED_DEBUG, for one, needs DEBUG_KERNEL and DEBUG_FS, which tinyconfig lacks.)
required=(CONFIG_SCHED_CLASS_EXT=y CONFIG_BPF_SYSCALL=y CONFIG_BPF_JIT=y CONFIG_DEBUG_INFO_BTF=y
          CONFIG_BLK_DEV_INITRD=y CONFIG_RD_GZIP=y CONFIG_DEVTMPFS=y CONFIG_TMPFS=y
          CONFIG_SERIAL_8250_CONSOLE=y CONFIG_VIRTIO_PCI=y CONFIG_NET_9P_VIRTIO=y CONFIG_9P_FS=y
          CONFIG_BINFMT_ELF=y CONFIG_BINFMT_SCRIPT=y CONFIG_FUTEX=y CONFIG_EPOLL=y CONFIG_UNIX=y
          CONFIG_FILE_LOCKING=y CONFIG_SECURITY_LANDLOCK=y)
for line in "${required[@]}"; do
    grep -qxF "$line" "$src/.config" || die "the kernel config lost $line (required)"
done
while IFS= read -r line; do
    case "$line" in
        CONFIG_*=*) grep -qxF "$line" "$src/.config" \
            || log "note: $line from the fragment did not survive olddefconfig (unmet dependencies)" ;;
    esac
done <"$fragment"
make -C "$src" -s -j"$jobs" bzImage >&2 || die "kernel build failed"
log "kernel (bzImage + vmlinux) built in $(took "$t")"

# --- example schedulers ------------------------------------------------------------------
t=$(now)
mkdir -p "$work/scx"
make -C "$src/tools/sched_ext" -j"$jobs" CC=gcc BPF_CLANG=clang-19 CLANG=clang-19 \
    LLVM_STRIP=llvm-strip-19 O="$work/scx" "${schedulers[@]}" >&2 \
    || die "building the example schedulers failed"
log "example schedulers built in $(took "$t")"

# --- publish (atomically) ----------------------------------------------------------------
stage=$work/out
mkdir -p "$stage/bin" "$stage/obj"
cp "$src/arch/x86/boot/bzImage" "$src/vmlinux" "$stage/"
cp "$src/.config" "$stage/config"
for s in "${schedulers[@]}"; do
    [ -x "$work/scx/build/bin/$s" ] || die "$s was not built"
    cp "$work/scx/build/bin/$s" "$stage/bin/"
done
cp "$work"/scx/build/obj/sched_ext/*.bpf.linked3.o "$stage/obj/" 2>/dev/null || true
{ echo "linux-source-6.12 $srcver"; echo "fragment sha256 $(sha256sum <"$fragment" | cut -d' ' -f1)";
  date -u +"built %Y-%m-%dT%H:%M:%SZ"; } >"$stage/BUILDINFO"
complete "$stage" || die "the build is incomplete"
rm -rf "$out"
mv "$stage" "$out"
log "done: $out ($(du -sh "$out" | cut -f1)); total $(took "$t_all")"
echo "cache: $out"
