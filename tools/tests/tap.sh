# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers shared by the CLI's test scripts (sourced). The script sets
# T, its scratch folder, and TAP_DIAG: the files whose lines a failed case
# prints as diagnostics (at most 60). Where it sets TAP_ERR after sourcing
# this (one of those files), check sends the checking command's stderr
# there, so that a failed check shows why.

n=0
failed=0
TAP_ERR=

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	for f in $TAP_DIAG; do
		[ -f "$f" ] && cat "$f"
	done | head -n 60 | sed 's/^/# /'
}

check() {	# check NAME COMMAND...: ok when COMMAND succeeds
	name=$1
	shift
	if [ -n "$TAP_ERR" ]; then "$@" 2>"$TAP_ERR"; else "$@"; fi
	if [ $? -eq 0 ]; then ok "$name"; else not_ok "$name"; fi
}
