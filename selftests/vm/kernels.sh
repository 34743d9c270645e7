#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Where the kernels of the test matrix are, as installed by deps.sh.
# Usage: kernels.sh NAME   (NAME: 6.1 6.12 5.10 7.2 debug debug-xen nopat)
# Prints one line: RELEASE KDIR VMLINUZ MODROOT
# (VMLINUZ is "-" for a compile-only tree; modules are under
# MODROOT/lib/modules/RELEASE.)

set -eu
CACHE=${D0G_CACHE:-/var/cache/dom0gpu}

case ${1:-} in
6.1|6.12)
	# The newest Debian 12 kernel of that series with headers and image.
	rel=$(ls -d /usr/src/linux-headers-"$1".*-amd64 2>/dev/null |
		sed 's|.*/linux-headers-||' | sort -V |
		while read -r r; do [ -f /boot/vmlinuz-"$r" ] && echo "$r"; done |
		tail -n 1)
	[ -n "$rel" ] || { echo "kernels.sh: no Linux $1 image+headers" >&2; exit 1; }
	echo "$rel /usr/src/linux-headers-$rel /boot/vmlinuz-$rel /"
	;;
5.10)
	root=$CACHE/linux-5.10/root
	rel=$(cat "$CACHE/linux-5.10/kver" 2>/dev/null) ||
		{ echo "kernels.sh: Linux 5.10 not fetched (make deps)" >&2; exit 1; }
	echo "$rel $root/usr/src/linux-headers-$rel $root/boot/vmlinuz-$rel $root"
	;;
7.2)
	src=$CACHE/linux-7.2/src
	rel=$(cat "$src/include/config/kernel.release" 2>/dev/null) ||
		{ echo "kernels.sh: Linux 7.2 not prepared (make deps)" >&2; exit 1; }
	echo "$rel $src - -"
	;;
debug|debug-xen)
	# make check-debug's kernels (selftests/debug/build-kernel.sh).
	top=$CACHE/linux-$1
	rel=$(cat "$top/kver" 2>/dev/null) ||
		{ echo "kernels.sh: debug kernel not built (make check-debug)" >&2; exit 1; }
	echo "$rel $top/obj $top/root/boot/vmlinuz-$rel $top/root"
	;;
nopat)
	# 6.12 without CONFIG_X86_PAT (selftests/debug/build-kernel.sh nopat).
	top=$CACHE/linux-nopat
	rel=$(cat "$top/kver" 2>/dev/null) ||
		{ echo "kernels.sh: no-PAT kernel not built (make deps)" >&2; exit 1; }
	echo "$rel $top/obj $top/root/boot/vmlinuz-$rel $top/root"
	;;
*)
	echo "usage: kernels.sh 6.1|6.12|5.10|7.2|debug|debug-xen|nopat" >&2
	exit 2
	;;
esac
