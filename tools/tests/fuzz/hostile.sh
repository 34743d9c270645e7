#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dom0gpu-stat over hostile platform trees (--root): the module's sysfs
# files of an older or newer module, every file empty, unterminated,
# binary, huge, overflowing, a directory, a FIFO, a symlink loop or
# unreadable; a garbage kernel log and /proc/cpuinfo. Each run must end
# within 20 s with a documented exit code (0, 1 or 2), valid JSON for
# --json, no control bytes (terminal escapes) in the output, and no
# ASan/UBSan report.
#
# Usage: hostile.sh BIN ASAN_BIN     Prints "ok N"/"not ok N" lines.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../tap.sh"
tap_begin "usage: hostile.sh BIN ASAN_BIN" "$@"
BIN=$1
ASAN=$2
# nobody must reach the tree for the unreadable-file case.
chmod 0755 "$T"
export BIN

. "$HERE/../fixtures.sh"

MOD=sys/kernel/dom0gpu

# hostile DESC [AS_NOBODY]: run the ASan build on $R, human and --json.
hostile() {
	desc=$1 pre=
	[ "${2:-}" = nobody ] && pre="setpriv --reuid=65534 --regid=65534 --clear-groups"
	why=
	for fmt in "" --json; do
		# shellcheck disable=SC2086
		timeout -k 5 20 $pre "$ASAN" --root "$R" $fmt >"$T/out" 2>"$T/err"
		rc=$?
		case $rc in
		0|1|2) ;;
		124|137) why="${fmt:-human}: no answer within 20 s"; break ;;
		*) why="${fmt:-human}: exit $rc"; break ;;
		esac
		if grep -Eq 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' "$T/err"; then
			why="${fmt:-human}: sanitizer report"
			break
		fi
		# No terminal escapes or other control bytes reach the output.
		if ! python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.exit(any(b < 32 and b not in (9, 10) or b == 127 for b in d))' "$T/out"; then
			why="${fmt:-human}: control bytes in the output"
			break
		fi
		if [ "$fmt" = --json ] &&
		   ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" 2>/dev/null; then
			why="--json: output is not JSON"
			break
		fi
	done
	n=$((n + 1))
	if [ -z "$why" ]; then
		echo "ok $n hostile: $desc (exit $rc)"
	else
		failed=$((failed + 1))
		echo "not ok $n hostile: $desc"
		echo "# $why"
		head -n 20 "$T/err" | sed 's/^/# /'
	fi
}

fresh() {	# a Xen PV host with the module loaded: every sysfs file there
	R=$T/root
	fx_xen_pv_6x_module >/dev/null 2>&1
}

module_files() {
	find "$R/$MOD" -type f
}

fresh
rm -rf "$R/$MOD/nvidia" "$R/$MOD/xen/cmdline" "$R/$MOD/pat/layout"
hostile "older module: no nvidia/, xen/cmdline, pat/layout"

fresh
put "$MOD/version" "9.9.9\n"
put "$MOD/pat/msr_v2" "0x0\n"
put "$MOD/future/deep/er/thing" "yes\n"
hostile "newer module: version 9.9.9, unknown files and directories"

fresh
module_files | while read -r f; do : >"$f"; done
hostile "every module file empty"

fresh
module_files | while read -r f; do printf '0x0000050100070406' >"$f"; done
hostile "every module file a value without newline"

fresh
module_files | while read -r f; do head -c 300 /dev/urandom >"$f"; done
hostile "every module file random bytes"

fresh
module_files | while read -r f; do printf 'WB\0WC\0\n' >"$f"; done
hostile "every module file with NUL bytes"

fresh
module_files | while read -r f; do printf '0x1ffffffffffffffffffff\n' >"$f"; done
hostile "every module file an overflowing number"

fresh
module_files | while read -r f; do printf -- '-99999999999\n' >"$f"; done
hostile "every module file a huge negative number"

fresh
module_files | while read -r f; do head -c 65536 /dev/zero | tr '\0' 7 >"$f"; done
hostile "every module file one 64 KiB line"

fresh
head -c 8388608 /dev/zero | tr '\0' A >"$R/$MOD/pat/msr"
head -c 8388608 /dev/zero | tr '\0' '\n' >"$R/$MOD/nvidia/reason"
hostile "8 MiB module files"

fresh
module_files | while read -r f; do rm -f "$f"; mkdir "$f"; done
hostile "every module file a directory"

fresh
for f in version pat/msr xen/domain_type; do
	rm -f "$R/$MOD/$f"
	mkfifo "$R/$MOD/$f"
done
hostile "module files that are FIFOs nobody writes"

fresh
rm -rf "$R/$MOD/pat"
ln -s pat "$R/$MOD/pat"
ln -s loop_b "$R/$MOD/loop_a"
ln -s loop_a "$R/$MOD/loop_b"
hostile "symlink loops in the module's directory"

fresh
put dev/kmsg "$(head -c 4096 /dev/urandom | tr -d '\0')"
put proc/cpuinfo "flags\t\t:\nprocessor\t: x\n\n\n"
hostile "garbage kernel log and /proc/cpuinfo"

fresh
module_files | while read -r f; do chmod 000 "$f"; done
chmod 000 "$R/$MOD/xen"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	hostile "unreadable module files and directory (as nobody)" nobody
elif [ "$(id -u)" != 0 ]; then
	hostile "unreadable module files and directory"
else
	n=$((n + 1))
	echo "ok $n hostile: unreadable files # SKIP no setpriv to drop root"
fi

[ "$failed" = 0 ]
