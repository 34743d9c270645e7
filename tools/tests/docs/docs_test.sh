#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The documentation names only what dom0gpu-stat has: every rule ID in
# README.md, docs/*.md and the man page is one --rules lists, every option
# given to dom0gpu-stat there is one --help lists, and the exit codes of
# --help, the man page, README.md and tools/output.h agree. (tests/run.sh
# checks the other direction: the man page documents every rule and option.)
# Usage: docs_test.sh DOM0GPU_STAT [TOP]   TOP: the repository, by default
# the one holding this script. Prints TAP; exits 1 if any test failed.

BIN=${1:?usage: docs_test.sh DOM0GPU_STAT [TOP]}
TOP=${2:-$(cd "$(dirname "$0")/../../.." && pwd)}
MAN=$TOP/tools/dom0gpu-stat.8
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
TAP_DIAG="$T/why"
. "$(dirname "$0")/../tap.sh"

check() {	# check DESC: ok if $T/why is empty
	if [ -s "$T/why" ]; then not_ok "$1"; else ok "$1"; fi
}

MDS="$TOP/README.md $(ls "$TOP"/docs/*.md)"

echo "TAP version 13"
echo "1..4"

# --- rule IDs ---
"$BIN" --rules | cut -f1 | sort -u >"$T/rules"
: >"$T/why"
for f in $MDS "$MAN"; do
	for id in $(grep -o 'D0G-[A-Z][A-Z]*-[0-9][0-9]*' "$f" | sort -u); do
		grep -qx -- "$id" "$T/rules" ||
			echo "${f#"$TOP"/}: $id is not a rule of dom0gpu-stat --rules" >>"$T/why"
	done
done
[ -s "$T/rules" ] || echo "dom0gpu-stat --rules listed nothing" >>"$T/why"
check "README.md, docs/*.md and dom0gpu-stat.8 name only existing rule IDs"

# --- options ---
"$BIN" --help >"$T/help"
sed -n 's/^  -\(.\), --\([a-z-]*\).*/-\1\n--\2/p' "$T/help" | sort -u >"$T/opts"
: >"$T/why"
# In Markdown: what follows "dom0gpu-stat" up to the end of the code span
# or table cell. In the man page: every \-\-option except on lines that
# quote another command (the XCP-ng xen-cmdline remedy, efibootmgr in the
# PVH trial plan).
for f in $MDS; do
	grep -o 'dom0gpu-stat[^`|]*' "$f" |
		grep -o -- ' --*[A-Za-z][a-z-]*' | sed 's/^ //' | sort -u |
		while read -r o; do
			grep -qx -- "$o" "$T/opts" ||
				echo "${f#"$TOP"/}: dom0gpu-stat $o is not in --help"
		done >>"$T/why"
done
grep -v -e 'xen-cmdline' -e 'efibootmgr' "$MAN" | grep -o '\\-\\-[a-z][a-z-]*' | sed 's/\\//g' | sort -u |
	while read -r o; do
		grep -qx -- "$o" "$T/opts" || echo "dom0gpu-stat.8: $o is not in --help"
	done >>"$T/why"
[ -s "$T/opts" ] || echo "dom0gpu-stat --help listed no option" >>"$T/why"
check "README.md, docs/*.md and dom0gpu-stat.8 give dom0gpu-stat only options of --help"

# --- exit codes: "CODE first-word" pairs from each source ---
# --help: "Exit status: 0 ready, 1 blocked, 2 unknown (...),\n64 usage error."
sed -n '/^Exit status:/,/^$/p' "$T/help" | tr '\n' ' ' | sed 's/^Exit status://' |
	tr ',' '\n' | sed -n 's/^ *\([0-9][0-9]*\) \([a-z]*\).*/\1 \2/p' | sort >"$T/x.help"
# tools/output.h: #define EXIT_READY 0 ...
sed -n 's/^#define EXIT_\([A-Z]*\)[[:space:]]*\([0-9][0-9]*\).*/\2 \1/p' \
	"$TOP/tools/output.h" | tr 'A-Z' 'a-z' | sort >"$T/x.code"
# the man page: ".SH EXIT STATUS" then ".TP", ".B CODE", meaning
sed -n '/^\.SH EXIT STATUS/,/^\.SH [^E]/p' "$MAN" |
	awk '/^\.B [0-9]+$/ { c = $2; next } c != "" { w = $1; gsub(/[^a-z]/, "", w); print c, w; c = "" }' | sort >"$T/x.man"
# README.md: the "| CODE | meaning |" table under "## Exit status"
sed -n '/^## Exit status/,/^## [^E]/p' "$TOP/README.md" |
	sed -n 's/^| \([0-9][0-9]*\) | \([a-z]*\).*/\1 \2/p' | sort >"$T/x.readme"
: >"$T/why"
for s in code man readme; do
	cmp -s "$T/x.help" "$T/x.$s" && continue
	{ echo "exit codes of --help:"; cat "$T/x.help"; echo "of $s:"; cat "$T/x.$s"; } >>"$T/why"
done
[ -s "$T/x.help" ] || echo "no exit codes in --help" >>"$T/why"
check "exit codes agree: --help, tools/output.h, dom0gpu-stat.8, README.md"

# --- the README's links to docs and files point at something ---
: >"$T/why"
grep -o '](\([^)#:]*\))' "$TOP/README.md" | sed 's/^](//; s/)$//' | sort -u |
	while read -r l; do
		[ -e "$TOP/$l" ] || echo "README.md links to $l, which does not exist"
	done >>"$T/why"
check "README.md links only to files that exist"

[ "$failed" -eq 0 ]
