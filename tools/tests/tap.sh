# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers shared by the CLI's test scripts (sourced). The script sets
# T, its scratch folder (tap_begin makes one), and TAP_DIAG: the files
# whose lines a failed case prints as diagnostics (at most 60). Where it
# sets TAP_ERR after sourcing this (one of those files), check sends the
# checking command's stderr there, so that a failed check shows why.

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

# tap_begin USAGE "$@": the start of a suite run as `SCRIPT BIN OTHER_BIN`:
# USAGE on stderr and exit 2 unless both are given; a scratch folder T,
# removed at exit; no colour; and an ASan or UBSan binary that finds an
# error (a leak too) exits 99 rather than aborting, so the case can say so.
tap_begin() {
	if [ -z "$2" ] || [ -z "$3" ]; then
		echo "$1" >&2
		exit 2
	fi
	T=$(mktemp -d) || exit 1
	trap 'rm -rf "$T"' EXIT
	export NO_COLOR=1
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
}
