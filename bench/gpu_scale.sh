#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The probe's cost as GPUs are added: whole-process wall time of
# `dom0gpu-stat --probe --json` against cuda_min (cuInit, then GPU 0's
# steps: cuda_min.c) with the same GPUs visible, also with the one work
# queue a GPU that the probe asks for (CUDA_DEVICE_MAX_CONNECTIONS=1), for each GPU count given
# (CUDA_VISIBLE_DEVICES=0,...,N-1 in PCI bus order). Runs are interleaved,
# after a warm-up round, with a pause before each so that every run meets an
# idle driver: the probe answers before its process's exit, where the driver
# frees the contexts, has finished. The probe's own time (its JSON's
# total_us) is shown too. Prints a Markdown table and writes it,
# with every raw time, under OUTDIR.
#
# Usage: bench/gpu_scale.sh [-n RUNS] [-p PAUSE_S] [-s DOM0GPU_STAT] [-o OUTDIR] [COUNT...]
#   COUNT defaults to 1 2 4; each must be at most the GPUs present.

set -u
runs=15
pause=0.5
stat=build/tools/dom0gpu-stat
outdir=build/bench/gpu_scale
here=$(cd "$(dirname "$0")" && pwd)

while getopts n:p:s:o: opt; do
	case $opt in
	n) runs=$OPTARG ;;
	p) pause=$OPTARG ;;
	s) stat=$OPTARG ;;
	o) outdir=$OPTARG ;;
	*) echo "usage: $0 [-n RUNS] [-p PAUSE_S] [-s DOM0GPU_STAT] [-o OUTDIR] [COUNT...]" >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
counts=${*:-1 2 4}
case $runs in
'' | *[!0-9]* | 0) echo "$0: -n wants a number of runs" >&2; exit 2 ;;
esac
[ -x "$stat" ] || { echo "$0: $stat: no dom0gpu-stat binary (build it, or give -s)" >&2; exit 2; }
[ -n "${EPOCHREALTIME:-}" ] || { echo "$0: needs bash 5 (EPOCHREALTIME)" >&2; exit 2; }
present=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU ')
mkdir -p "$outdir/bin" || exit 1
gcc -std=gnu99 -O2 -Wall -Wextra -Werror "$here/cuda_min.c" "$here/cuda_work.c" "$here/../tools/dynload.c" \
	-ldl -o "$outdir/bin/cuda_min" || exit 1

for n in $counts; do
	case $n in
	'' | *[!0-9]* | 0) echo "$0: $n: not a GPU count" >&2; exit 2 ;;
	esac
	if [ "$n" -gt "$present" ]; then
		echo "$0: $n GPUs asked for, $present present" >&2
		exit 2
	fi
	# The warm-up: the probe must pass on exactly n GPUs.
	CUDA_VISIBLE_DEVICES=$(seq -s, 0 $((n - 1))) "$stat" --probe --json \
		>"$outdir/warmup.$n.json" 2>/dev/null
	if ! python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))["cuda_probe"]
sys.exit(p["outcome"] != "ok" or p["gpu_count"] != int(sys.argv[2]))' \
		"$outdir/warmup.$n.json" "$n"; then
		echo "$0: the probe did not pass on $n GPUs; see $outdir/warmup.$n.json" >&2
		exit 1
	fi
	CUDA_VISIBLE_DEVICES=$(seq -s, 0 $((n - 1))) "$outdir/bin/cuda_min" >/dev/null ||
		{ echo "$0: cuda_min failed on $n GPUs" >&2; exit 1; }
done

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "kernel: $(uname -r)"
	echo "cpus: $(nproc)"
	nvidia-smi --query-gpu=name,pci.bus_id,driver_version,persistence_mode \
		--format=csv,noheader | sed 's/^/gpu: /'
	echo "runs: $runs of each, interleaved, after one warm-up round, ${pause} s pause before each"
} >"$outdir/env.txt"

# one line per run: GPU count, command, milliseconds
raw=$outdir/raw.txt
: >"$raw"
for ((r = 0; r < runs; r++)); do
	for n in $counts; do
		vis=$(seq -s, 0 $((n - 1)))
		for c in probe cuda_min cuda_min_mc1; do
			case $c in
			probe) cmd=("$stat" --probe --json) ;;
			cuda_min) cmd=("$outdir/bin/cuda_min") ;;
			cuda_min_mc1) cmd=(env CUDA_DEVICE_MAX_CONNECTIONS=1 "$outdir/bin/cuda_min") ;;
			esac
			sleep "$pause"
			t0=$EPOCHREALTIME
			CUDA_VISIBLE_DEVICES=$vis "${cmd[@]}" >"$outdir/run.out" 2>/dev/null
			t1=$EPOCHREALTIME
			echo "$n $c $(echo "$t0 $t1" | awk '{ printf "%.3f", ($2 - $1) * 1000 }')" >>"$raw"
			# the probe's own time, fork to verdict, as it reports it
			[ "$c" = probe ] && python3 -c 'import json, sys
print(sys.argv[2], "probe_itself", json.load(open(sys.argv[1]))["cuda_probe"]["total_us"] / 1e3)' \
				"$outdir/run.out" "$n" >>"$raw"
		done
	done
done

stats() {	# median p25 p75 min max of the numbers on stdin (nearest rank)
	sort -n | awk '
		function rank(p,  k) { k = int(p * NR); if (k < p * NR) k++; return v[k < 1 ? 1 : k] }
		{ v[NR] = $1 }
		END {
			med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.1f %.1f %.1f %.1f %.1f %d\n", med, rank(0.25), rank(0.75), v[1], v[NR], NR
		}'
}

table=$outdir/table.md
{
	echo "| GPUs | command | runs | median ms | p25 ms | p75 ms | min ms | max ms | median / cuda_min's | median / cuda_min's with one work queue |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	for n in $counts; do
		read -r bmed _ <<<"$(awk -v n="$n" '$1 == n && $2 == "cuda_min" { print $3 }' "$raw" | stats)"
		read -r bmed1 _ <<<"$(awk -v n="$n" '$1 == n && $2 == "cuda_min_mc1" { print $3 }' "$raw" | stats)"
		for c in probe probe_itself cuda_min cuda_min_mc1; do
			read -r med p25 p75 lo hi cnt <<<"$(awk -v n="$n" -v c="$c" \
				'$1 == n && $2 == c { print $3 }' "$raw" | stats)"
			case $c in
			probe) name="dom0gpu-stat --probe --json" ;;
			probe_itself) name="(its probe, fork to verdict, total_us)" ;;
			cuda_min_mc1) name="cuda_min, CUDA_DEVICE_MAX_CONNECTIONS=1" ;;
			*) name=$c ;;
			esac
			echo "| $n | $name | $cnt | $med | $p25 | $p75 | $lo | $hi | $(awk -v a="$med" -v b="$bmed" 'BEGIN { printf "%.3f", a / b }') | $(awk -v a="$med" -v b="$bmed1" 'BEGIN { printf "%.3f", a / b }') |"
		done
	done
} >"$table"
cat "$outdir/env.txt" "$table"
