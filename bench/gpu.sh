#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Whole-process wall time, on a machine with an NVIDIA GPU, of:
#   dom0gpu-stat --probe      the CLI with its CUDA probe
#   cuda_min                  the same driver calls, nothing else (cuda_min.c)
#   dom0gpu-stat              the report alone, for what the probe adds
#   nvidia-smi -q             what admins run today
#   cudart_check              the runtime check people write (cudart_check.cu)
# Runs are interleaved (one of each per round) after one warm-up round, so
# drift hits every command alike. Prints a Markdown table and writes it,
# with every raw time, under OUTDIR.
#
# Usage: bench/gpu.sh [-n RUNS] [-s DOM0GPU_STAT] [-o OUTDIR]
# Needs gcc; nvcc for cudart_check (skipped without it).

set -u
runs=10
stat=build/tools/dom0gpu-stat
outdir=build/bench/gpu
here=$(cd "$(dirname "$0")" && pwd)

while getopts n:s:o: opt; do
	case $opt in
	n) runs=$OPTARG ;;
	s) stat=$OPTARG ;;
	o) outdir=$OPTARG ;;
	*) echo "usage: $0 [-n RUNS] [-s DOM0GPU_STAT] [-o OUTDIR]" >&2; exit 2 ;;
	esac
done
case $runs in
'' | *[!0-9]*) echo "$0: -n wants a number of runs" >&2; exit 2 ;;
esac
if [ ! -x "$stat" ]; then
	echo "$0: $stat: no dom0gpu-stat binary (build it, or give -s)" >&2
	exit 2
fi
if [ -z "${EPOCHREALTIME:-}" ]; then
	echo "$0: needs bash 5 (EPOCHREALTIME)" >&2
	exit 2
fi
mkdir -p "$outdir" || exit 1
bin=$outdir/bin
mkdir -p "$bin" || exit 1

gcc -std=gnu99 -O2 -Wall -Wextra -Werror "$here/cuda_min.c" \
	"$here/../tools/dynload.c" -ldl -o "$bin/cuda_min" || exit 1
# check: how a warm-up run proves the command works ("probe": the CLI's
# probe passed; "verdict": the CLI answered ready/blocked/unknown; "exit0")
names=("dom0gpu-stat --probe" "cuda_min" "dom0gpu-stat")
cmds=("$stat --probe" "$bin/cuda_min" "$stat")
checks=(probe exit0 verdict)
if command -v nvidia-smi >/dev/null; then
	names+=("nvidia-smi -q")
	cmds+=("nvidia-smi -q")
	checks+=(exit0)
fi
if command -v nvcc >/dev/null &&
   nvcc -O2 "$here/cudart_check.cu" -o "$bin/cudart_check"; then
	names+=("cudart_check")
	cmds+=("$bin/cudart_check")
	checks+=(exit0)
fi

# Every command must work before its time means anything; dom0gpu-stat's
# exit status is the platform's verdict, so its own output is checked.
for i in "${!cmds[@]}"; do
	${cmds[$i]} >"$outdir/warmup.$i.out" 2>&1
	rc=$?
	case ${checks[$i]} in
	probe) grep -q '^CUDA probe: ok' "$outdir/warmup.$i.out" && rc=0 || rc=1 ;;
	verdict) [ "$rc" -le 2 ] && rc=0 ;;
	esac
	if [ "$rc" -ne 0 ]; then
		echo "$0: '${names[$i]}' failed; see $outdir/warmup.$i.out" >&2
		exit 1
	fi
done

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "kernel: $(uname -r)"
	echo "cpus: $(nproc)"
	if command -v nvidia-smi >/dev/null; then
		nvidia-smi --query-gpu=name,pci.bus_id,driver_version,persistence_mode \
			--format=csv,noheader | sed 's/^/gpu: /'
	fi
	echo "runs: $runs of each, interleaved, after one warm-up round"
} >"$outdir/env.txt"

# one line per run: command index, milliseconds
raw=$outdir/raw.txt
: >"$raw"
for ((r = 0; r < runs; r++)); do
	for i in "${!cmds[@]}"; do
		t0=$EPOCHREALTIME
		${cmds[$i]} >/dev/null 2>&1
		t1=$EPOCHREALTIME
		echo "$i $(echo "$t0 $t1" | awk '{ printf "%.3f", ($2 - $1) * 1000 }')" >>"$raw"
	done
done

table=$outdir/table.md
{
	echo "| command | runs | median ms | p25 ms | p75 ms | min ms | max ms | ratio of medians to cuda_min |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
	base=$(awk '$1 == 1 { print $2 }' "$raw" | sort -n |
	       awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	for i in "${!cmds[@]}"; do
		# nearest-rank quartiles
		awk -v i="$i" '$1 == i { print $2 }' "$raw" | sort -n |
		awk -v name="${names[$i]}" -v base="$base" '
			function rank(p,  k) { k = int(p * NR); if (k < p * NR) k++; return v[k < 1 ? 1 : k] }
			{ v[NR] = $1 }
			END {
				med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
				printf "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.3f |\n",
				       name, NR, med, rank(0.25), rank(0.75), v[1], v[NR], med / base
			}'
	done
} >"$table"
cat "$outdir/env.txt" "$table"
