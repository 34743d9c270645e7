# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers shared by the CLI's test scripts (sourced). The script sets
# T, its scratch folder, and TAP_DIAG: the files whose lines a failed case
# prints as diagnostics (at most 60).

n=0
failed=0

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
