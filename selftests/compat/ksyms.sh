#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Checks that every kernel symbol dom0gpu.ko needs is exported by a target
# kernel, given that kernel's export list (Module.symvers format: crc,
# symbol, module, export type).
#
# Usage: ksyms.sh SYMVERS MODULE.ko [MAP]
#   With MAP, MODULE.ko was built against a newer kernel than SYMVERS
#   describes, and MAP says which of its symbols the older kernel provides
#   under another name or does without (see ksyms-4.19.map). Each "compat"
#   entry must be handled in kmod/compat/, so the table cannot drift from
#   the code silently.
# Prints the symbols the target kernel would need, one per line, to
# $KSYMS_OUT if set.

set -eu

symvers=$1 ko=$2 map=${3:-}
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -f "$symvers" ] || fail "export list $symvers not found"
[ -f "$ko" ] || fail "module $ko not found"

needed=$(nm -u "$ko" | awk '{ print $2 }' | sort -u)
[ -n "$needed" ] || fail "no undefined symbols in $ko (not a module?)"

if [ -n "$map" ]; then
	mapped=
	for s in $needed; do
		line=$(awk -v s="$s" '!/^#/ && $1 == s' "$map")
		if [ -z "$line" ]; then
			mapped="$mapped $s"
			continue
		fi
		set -- $line
		if [ "$3" = compat ] && ! grep -rqw -- "$s" kmod/compat/; then
			fail "$map maps $s as handled by kmod/compat/, which never names it"
		fi
		[ "$2" = - ] || mapped="$mapped $(echo "$2" | tr ',' ' ')"
	done
	needed=$(printf '%s\n' $mapped | sort -u)
fi

[ -z "${KSYMS_OUT:-}" ] || printf '%s\n' $needed > "$KSYMS_OUT"

missing=
for s in $needed; do
	awk -v s="$s" '$2 == s { f = 1 } END { exit !f }' "$symvers" ||
		missing="$missing $s"
done
n=$(printf '%s\n' $needed | wc -l)
if [ -n "$missing" ]; then
	echo "# $ko needs symbols that $(basename "$symvers") does not export:" >&2
	for s in $missing; do echo "#   $s" >&2; done
	fail "$(echo $missing | wc -w) of $n symbols missing"
fi
echo "# all $n symbols that $(basename "$ko") needs are in $(basename "$symvers")"
