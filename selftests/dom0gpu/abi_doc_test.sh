#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The sysfs ABI document and the module agree: every file the module shows
# is documented in Documentation/ABI/testing/sysfs-kernel-dom0gpu, and every
# documented file is there (per-device and per-range entries once for each
# device or range the platform has). Runs under busybox sh; prints KTAP.
#
# D0G_SYSFS_ROOT and D0G_ABI_DOC may point at another tree and document.

ROOT=${D0G_SYSFS_ROOT:-/sys/kernel/dom0gpu}
PREFIX=/sys/kernel/dom0gpu/
ADDR_RE='[0-9a-f]\{4\}:[0-9a-f]\{2\}:[0-9a-f]\{2\}\.[0-7]'

find_doc() {
	for f in "$D0G_ABI_DOC" /etc/dom0gpu/sysfs-kernel-dom0gpu \
		"$D0G_HOSTROOT$D0G_HOSTREPO/Documentation/ABI/testing/sysfs-kernel-dom0gpu"; do
		[ -n "$f" ] && [ -r "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}
DOC=$(find_doc)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

. "${0%/*}/ktap.sh"

# The documented paths below $PREFIX, one per line; a register list and a
# "likewise barN to barM" in a description become one path per name.
doc_paths() {
	sed -n "s#^What:[[:space:]]*${PREFIX}##p" "$DOC" | while read -r p; do
		case $p in
		*/) ;;
		mtrr/fixed/"<register>")
			for r in $(doc_registers); do echo "mtrr/fixed/$r"; done ;;
		*) echo "$p" ;;
		esac
	done
	flat=$(tr -s ' \t\n' '   ' < "$DOC")
	case $flat in
	*"likewise bar1 to bar5"*)
		for i in 1 2 3 4 5; do echo "gpus/<address>/bar$i"; done ;;
	esac
}

# Fixed-range register names the document lists; "fix4K_C0000 ...
# fix4K_F8000" stands for the eight 4K registers, 0x8000 apart.
doc_registers() {
	flat=$(tr -s ' \t\n' '   ' < "$DOC")
	echo "$flat" | grep -o 'fix[0-9]*K_[0-9A-F]\{5\}' | sort -u
	case $flat in
	*"fix4K_C0000 ... fix4K_F8000"*)
		for r in C0000 C8000 D0000 D8000 E0000 E8000 F0000 F8000; do
			echo "fix4K_$r"
		done ;;
	esac
}

# The module's files, with device addresses and range numbers replaced by
# the document's placeholders.
sysfs_paths() {
	(cd "$ROOT" && find . -type f) | sed 's#^\./##' |
		sed "s#^gpus/${ADDR_RE}/#gpus/<address>/#; s#^mtrr/var/[0-9][0-9]*/#mtrr/var/<n>/#" |
		sed "s#^cpus/[0-9][0-9]*/#cpus/<n>/#"
}

gpu_dirs() {
	for d in "$ROOT"/gpus/*/; do
		[ -d "$d" ] && basename "$d"
	done
}

test_doc_found() {
	if [ -z "$DOC" ]; then
		diag "no sysfs-kernel-dom0gpu in /etc/dom0gpu or the host's tree"
		return 1
	fi
	doc_paths | sort -u > "$TMP/doc"
	sysfs_paths | sort -u > "$TMP/sys"
	c=$(wc -l < "$TMP/doc")
	[ "$c" -gt 0 ] && [ -d "$ROOT" ] && return 0
	diag "$DOC documents $c files, $ROOT is a directory: $([ -d "$ROOT" ] && echo yes || echo no)"
	return 1
}

# Nothing the module shows is missing from the document.
test_every_file_documented() {
	[ -s "$TMP/doc" ] || return 1
	extra=$(grep -vxF -f "$TMP/doc" "$TMP/sys")
	[ -z "$extra" ] && return 0
	for p in $extra; do diag "undocumented: $PREFIX$p"; done
	return 1
}

# Every documented file is there: fixed ones always, per-device ones in each
# gpus/<address>/, per-range ones in mtrr/var/0 .. var_count-1 when the
# MTRRs are readable.
test_every_documented_file_present() {
	[ -s "$TMP/doc" ] || return 1
	readable=$(cat "$ROOT/mtrr/readable" 2>/dev/null)
	count=$(cat "$ROOT/mtrr/var_count" 2>/dev/null)
	[ "$readable" = 1 ] || count=0
	missing=
	while read -r p; do
		case $p in
		"gpus/<address>/"*)
			for a in $(gpu_dirs); do
				f=gpus/$a/${p#gpus/<address>/}
				[ -f "$ROOT/$f" ] || missing="$missing $f"
			done ;;
		"cpus/<n>/"*)
			for d in "$ROOT"/cpus/*/; do
				f=cpus/$(basename "$d")/${p#cpus/<n>/}
				[ -f "$ROOT/$f" ] || missing="$missing $f"
			done ;;
		"mtrr/var/<n>/"*)
			i=0
			while [ "$i" -lt "${count:-0}" ]; do
				f=mtrr/var/$i/${p#mtrr/var/<n>/}
				[ -f "$ROOT/$f" ] || missing="$missing $f"
				i=$((i + 1))
			done ;;
		*)	[ -f "$ROOT/$p" ] || missing="$missing $p" ;;
		esac
	done < "$TMP/doc"
	[ -z "$missing" ] && return 0
	for p in $missing; do diag "documented but missing: $PREFIX$p"; done
	return 1
}

# gpus/<address>/ is one directory per display-class PCI device, named by
# its address, as documented; the platform's own PCI list says which.
test_gpu_directories() {
	want=$(for d in /sys/bus/pci/devices/*; do
		case $(cat "$d/class" 2>/dev/null) in 0x03*) basename "$d" ;; esac
	done | sort | tr '\n' ' ')
	have=$(gpu_dirs | sort | tr '\n' ' ')
	[ -n "$have" ] && [ "$have" = "$want" ] && return 0
	diag "gpus/ holds '$have', display devices on the PCI bus: '$want'"
	return 1
}

# mtrr/var/ holds exactly ranges 0 .. var_count-1, or nothing when the
# MTRRs cannot be read (as documented for mtrr/var/<n>/base).
test_mtrr_ranges() {
	readable=$(cat "$ROOT/mtrr/readable")
	count=$(cat "$ROOT/mtrr/var_count" 2>/dev/null)
	[ "$readable" = 1 ] || count=0
	have=$(ls "$ROOT/mtrr/var" 2>/dev/null | sort -n | tr '\n' ' ')
	want=$(i=0; while [ "$i" -lt "${count:-0}" ]; do echo "$i"; i=$((i + 1)); done |
		tr '\n' ' ')
	[ "$have" = "$want" ] && return 0
	diag "mtrr/var/ holds '$have', expected '$want' (readable $readable)"
	return 1
}

TESTS="doc_found every_file_documented every_documented_file_present"
TESTS="$TESTS gpu_directories mtrr_ranges"

ktap_run $TESTS
