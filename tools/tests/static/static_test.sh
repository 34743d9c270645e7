#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The fully static build (make STATIC=full) against the dynamic one: it is
# a static, non-PIE executable with no program interpreter, none of its
# objects calls dlopen(), dlsym() or dlclose(), it reaches the
# same report (exit code and --json, but for the timestamp) on every fake
# platform tree of fixtures.sh and lists the same rules, and it refuses
# --probe with a usage error instead of loading libcuda.
#
# Usage: static_test.sh BIN STATIC_BIN   Prints TAP; exits 1 if any failed.

HERE=$(cd "$(dirname "$0")/.." && pwd)
. "$HERE/tap.sh"
tap_begin "usage: static_test.sh BIN STATIC_BIN" "$@"
BIN=$1
FULL=$2
TAP_DIAG="$T/why"

. "$HERE/fixtures.sh"

echo "TAP version 13"
echo "1..6"

readelf -hlW "$FULL" >"$T/elf" 2>&1
if grep -q 'Type:[[:space:]]*EXEC' "$T/elf" && ! grep -q 'INTERP' "$T/elf" &&
   ! grep -q 'DYNAMIC' "$T/elf"; then
	ok "static build: ET_EXEC, no interpreter, no dynamic section"
else
	grep -E 'Type:|INTERP|DYNAMIC' "$T/elf" >"$T/why"
	not_ok "static build: ET_EXEC, no interpreter, no dynamic section"
fi

# Its objects (next to it), not the binary: glibc's libc.a links its own
# loader in for internal use.
objs=$(ls "$(dirname "$FULL")"/*.o 2>/dev/null)
if [ -n "$objs" ]; then
	# shellcheck disable=SC2086
	nm -A -u $objs 2>&1 | grep -E ' U (dlopen|dlsym|dlclose)$' >"$T/why"
else
	echo "no objects next to $FULL" >"$T/why"
fi
if [ ! -s "$T/why" ]; then
	ok "static build: no object calls dlopen, dlsym or dlclose"
else
	not_ok "static build: no object calls dlopen, dlsym or dlclose"
fi

: >"$T/why"
count=0
for name in $FIXTURES; do
	count=$((count + 1))
	R=$T/root/$name
	"fx_$name" >>"$T/why" 2>&1 || { echo "$name: fixture does not build" >>"$T/why"; continue; }
	"$BIN" --root "$R" --json >"$T/dyn" 2>&1
	rc_dyn=$?
	"$FULL" --root "$R" --json >"$T/full" 2>&1
	rc_full=$?
	if [ "$rc_dyn" -ne "$rc_full" ]; then
		echo "$name: exit $rc_full, dynamic build $rc_dyn" >>"$T/why"
	elif ! grep -v '"generated":' "$T/dyn" >"$T/dyn.r" ||
	     ! grep -v '"generated":' "$T/full" >"$T/full.r" ||
	     ! diff -u "$T/dyn.r" "$T/full.r" >>"$T/why"; then
		echo "$name: --json differs" >>"$T/why"
	fi
done
if [ -s "$T/why" ]; then
	not_ok "same exit code and --json as the dynamic build on $count platform trees"
else
	ok "same exit code and --json as the dynamic build on $count platform trees"
fi

"$BIN" --rules >"$T/dyn" 2>&1
"$FULL" --rules >"$T/full" 2>&1
if diff -u "$T/dyn" "$T/full" >"$T/why" && [ -s "$T/full" ]; then
	ok "--rules lists the same rules"
else
	not_ok "--rules lists the same rules"
fi

"$FULL" --probe >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 64 ] && [ ! -s "$T/out" ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
   grep -q 'fully static' "$T/err"; then
	ok "--probe: one-line usage error, exit 64"
else
	{ echo "exit $rc"; cat "$T/out" "$T/err"; } >"$T/why"
	not_ok "--probe: one-line usage error, exit 64"
fi

"$FULL" --version >"$T/full" 2>&1
"$BIN" --version >"$T/dyn" 2>&1
if diff -u "$T/dyn" "$T/full" >"$T/why"; then
	ok "--version is the dynamic build's"
else
	not_ok "--version is the dynamic build's"
fi

[ "$failed" -eq 0 ]
