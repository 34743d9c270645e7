#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Builds a debug kernel of `make check-debug` from Debian's
# linux-source-6.12: `make tinyconfig`, then fragments next to this script
# merged with scripts/kconfig/merge_config.sh. Every option a fragment sets
# must survive olddefconfig, or the build stops.
#
#   debug      base.config xen.config debug.config kasan.config: KASAN,
#              kmemleak, lockdep, sleep-in-atomic, UBSAN; the native VMs
#   debug-xen  the same without kasan.config, for the Xen PV and PVH dom0
#              (kasan.config says why a Xen dom0 cannot run KASAN)
#   nopat      base.config nopat.config: no CONFIG_X86_PAT and no checkers,
#              the native VMs of NVIDIA's builtin PAT mode (built by deps.sh)
#
# Output, under $D0G_CACHE/linux-VARIANT (default /var/cache/dom0gpu):
#   obj/   the build tree (KDIR)      root/  boot/vmlinuz-REL, lib/modules/REL
#   kver   REL (6.12.N-VARIANT)       build.log, build-time
# The source is extracted once, to $D0G_CACHE/linux-debug-src. Nothing is
# rebuilt while the fragments are unchanged (stamp: their hash).
#
# Usage: build-kernel.sh [-j N] [--check] debug|debug-xen|nopat
#   -j N     make's jobs (default: all CPUs)
#   --check  build nothing; exit 1 unless the variant is built from the
#            current fragments (deps.sh --check)

set -eu
CACHE=${D0G_CACHE:-/var/cache/dom0gpu}
here=$(cd "$(dirname "$0")" && pwd)
jobs=$(nproc)
[ "${1:-}" = "-j" ] && { jobs=$2; shift 2; }
check=
[ "${1:-}" = "--check" ] && { check=1; shift; }
variant=${1:-}

log() { printf '  %-7s %s\n' "$variant" "$*"; }
die() { printf 'build-kernel: %s\n' "$*" >&2; exit 1; }

case $variant in
debug)     frags="base.config xen.config debug.config kasan.config" ;;
debug-xen) frags="base.config xen.config debug.config" ;;
nopat)     frags="base.config nopat.config" ;;
*)         echo "usage: build-kernel.sh [-j N] [--check] debug|debug-xen|nopat" >&2; exit 2 ;;
esac
frags=$(for f in $frags; do printf '%s/%s ' "$here" "$f"; done)
top=$CACHE/linux-$variant
src=$CACHE/linux-debug-src obj=$top/obj root=$top/root
# shellcheck disable=SC2086
stamp=$(cat $frags "$0" | sha256sum | cut -c1-16)
if [ -f "$top/.done" ] && [ "$(cat "$top/.done")" = "$stamp" ]; then
	exit 0
fi
[ -z "$check" ] || exit 1
mkdir -p "$top"

if [ ! -f "$src/.extracted" ]; then
	tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
	if [ -z "$tarball" ]; then
		# Not installed: fetch the package without installing it.
		mkdir -p "$top/deb"
		(cd "$top/deb" && apt-get -q download linux-source-6.12 >/dev/null)
		dpkg-deb -x "$top"/deb/linux-source-6.12_*.deb "$top/deb/x"
		tarball=$(ls "$top"/deb/x/usr/src/linux-source-6.12.tar.* | head -n 1)
	fi
	log "extract $(basename "$tarball")"
	rm -rf "$src" "$CACHE/linux-source-6.12.x"
	mkdir -p "$CACHE/linux-source-6.12.x"
	tar -xaf "$tarball" -C "$CACHE/linux-source-6.12.x"
	mv "$CACHE/linux-source-6.12.x/linux-source-6.12" "$src"
	rmdir "$CACHE/linux-source-6.12.x"
	touch "$src/.extracted"
fi

start=$(date +%s)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
log "configure (tinyconfig + $(for f in $frags; do basename "$f"; done | paste -sd " "))"
# ($top/src: the source, where an earlier version of this script kept it)
rm -rf "$obj" "$root" "$top/src"
mkdir -p "$obj" "$root/boot"
make -s -C "$src" O="$obj" tinyconfig >"$top/build.log" 2>&1
# The variant in the release (6.12.N-debug, 6.12.N-debug-xen): the harness
# keeps each kernel's module build and initramfs apart by release. (Not in
# obj/: kbuild appends any file named localversion* there to the release.)
printf 'CONFIG_LOCALVERSION="-%s"\n' "$variant" > "$top/variant.config"
frags="$frags $top/variant.config"
# shellcheck disable=SC2086
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" $frags \
	>>"$top/build.log" 2>&1
make -s -C "$src" O="$obj" olddefconfig >>"$top/build.log" 2>&1

# Each requested setting must be in the final configuration: the last
# fragment that names an option sets it (merge_config.sh's rule), so the
# fragments are read from the last one back and an option checked once.
bad="" seen=" "
for f in $(printf '%s\n' $frags | tac); do
	while read -r line; do
		case $line in
		CONFIG_*=*) opt=${line%%=*} ;;
		"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *} ;;
		*) continue ;;
		esac
		case $seen in *" $opt "*) continue ;; esac
		seen="$seen$opt "
		case $line in
		CONFIG_*=*)
			grep -qx "$line" "$obj/.config" || bad="$bad $line" ;;
		*)
			grep -q "^$opt=" "$obj/.config" && bad="$bad $opt=n" ;;
		esac
	done < "$f"
done
[ -z "$bad" ] || die "not in the final configuration:$bad"

log "make -j$jobs bzImage modules (log: $top/build.log)"
make -C "$src" O="$obj" -j"$jobs" bzImage modules >>"$top/build.log" 2>&1 ||
	{ tail -n 30 "$top/build.log" >&2; die "kernel build failed"; }
rel=$(cat "$obj/include/config/kernel.release")
make -s -C "$src" O="$obj" INSTALL_MOD_PATH="$root" modules_install \
	>>"$top/build.log" 2>&1
cp "$obj/arch/x86/boot/bzImage" "$root/boot/vmlinuz-$rel"
depmod -b "$root" "$rel"
printf '%s\n' "$rel" > "$top/kver"
end=$(date +%s)
printf '%d s for configure+build+install with -j%d on %d CPUs; load average at start %s, at end %s\n' \
	$((end - start)) "$jobs" "$(nproc)" "$load0" "$(cut -d' ' -f1-3 /proc/loadavg)" \
	> "$top/build-time"
cat "$top/build-time"
printf '%s\n' "$stamp" > "$top/.done"
