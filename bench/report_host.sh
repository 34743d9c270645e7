#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Item 1 on a real host: whole-process wall time of `dom0gpu-stat --json`
# and `--version` for each build given, and of `true`, interleaved, with
# bench/vm/timeit.c (built here with gcc). For a host where the VM
# benchmark's numbers need a hardware counterpart; prints a Markdown table.
#
# Usage: bench/report_host.sh [-n RUNS] LABEL=DOM0GPU_STAT...  (no "=" in LABEL)
#   e.g. bench/report_host.sh static=build/static/dom0gpu-stat \
#                             fully-static=build/full/dom0gpu-stat

set -eu
runs=100
here=$(cd "$(dirname "$0")" && pwd)
while getopts n: opt; do
	case $opt in
	n) runs=$OPTARG ;;
	*) echo "usage: $0 [-n RUNS] LABEL=DOM0GPU_STAT..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
case $runs in
'' | *[!0-9]* | [0-3]) echo "$0: -n wants 4 or more runs" >&2; exit 2 ;;
esac
[ $# -ge 1 ] || { echo "usage: $0 [-n RUNS] LABEL=DOM0GPU_STAT..." >&2; exit 2; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
gcc -O2 -o "$t/timeit" "$here/vm/timeit.c"

# Each build copied under a plain name: timeit splits commands at spaces.
cmds=
for b in "$@"; do
	label=${b%%=*} bin=${b#*=}
	[ -x "$bin" ] || { echo "$0: $bin: not an executable" >&2; exit 2; }
	exe=$t/$(echo "$label" | tr -c 'A-Za-z0-9\n' _)
	cp "$bin" "$exe"
	cmds="$cmds|json, $label=$exe --json|version, $label=$exe --version"
done
cmds="$cmds|true=/bin/true"

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); kernel: $(uname -r); cpus: $(nproc)"
echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "runs: $runs of each, interleaved, after one warm-up round"
echo
old_ifs=$IFS
IFS='|'
# shellcheck disable=SC2086
"$t/timeit" -n "$runs" host ${cmds#|} >"$t/raw"
IFS=$old_ifs
echo "| command | exit | median ms | IQR ms | min ms | max ms |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
grep '^D0G-BENCH	' "$t/raw" | while IFS='	' read -r _ _ label rc times; do
	echo "$times" | tr ',' '\n' | grep . | sort -n | awk -v l="$label" -v rc="$rc" '
		# Quartiles as bench/vm/bench.py takes them (the Python
		# statistics.quantiles, method "inclusive").
		function q(p,   h, i) {
			h = (n - 1) * p + 1
			i = int(h)
			return i >= n ? v[n] : v[i] + (h - i) * (v[i + 1] - v[i])
		}
		{ v[NR] = $1 / 1e6 }
		END {
			n = NR
			printf "| dom0gpu-stat --%s | %s | %.3f | %.3f–%.3f | %.3f | %.3f |\n",
				l, rc, q(0.5), q(0.25), q(0.75), v[1], v[n]
		}'
done | sed 's/^| dom0gpu-stat --true /| true /'
