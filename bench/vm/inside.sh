#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside a benchmark VM, in place of the selftests (the harness's
# /init has loaded dom0gpu.ko). Prints D0G-BENCH* lines that
# bench/vm/bench.py turns into tables. Variables:
#   D0G_BENCH_ITEMS    what to measure: report report-noaslr iface footprint scale
#   D0G_BENCH_RUNS     whole-process runs per command (report)
#   D0G_BENCH_SRUNS    whole-process runs per command (scale)
#   D0G_BENCH_CALLS    calls per timed batch (iface)
#   D0G_BENCH_BATCHES  timed batches (iface)
#   D0G_BENCH_SCALLS   calls per timed batch (scale)
#   D0G_BENCH_SBATCHES timed batches (scale)
#   D0G_BENCH_QUERIES  queries between the footprint's memory readings

B=/bench
ko=$D0G_MODULE
runs=${D0G_BENCH_RUNS:-50}
sruns=${D0G_BENCH_SRUNS:-20}
calls=${D0G_BENCH_CALLS:-100}
batches=${D0G_BENCH_BATCHES:-20}
scalls=${D0G_BENCH_SCALLS:-20}
sbatches=${D0G_BENCH_SBATCHES:-15}
queries=${D0G_BENCH_QUERIES:-10000}
tab=$(printf '\t')

env_line() { echo "D0G-BENCH-ENV$tab$1$tab$2"; }

# What the kernel sees: the numbers mean little without it.
env_line cpus "$(grep -c '^processor' /proc/cpuinfo)"
env_line kernel "$(uname -r)"
env_line clocksource "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
env_line cpu_model "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
env_line pat_log "$(dmesg | grep -o 'x86/PAT: Configuration.*' | head -n 1)"

insmod $B/msr.ko || { echo "D0G-BENCH-FAIL${tab}insmod msr.ko"; exit 1; }
grep -q '^dom0gpu ' /proc/modules || { echo "D0G-BENCH-FAIL${tab}dom0gpu not loaded"; exit 1; }

# One line of meminfo counters, dom0gpu's size in /proc/modules and every
# slab cache's objects and object size, after dropping clean caches.
mem() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	printf 'D0G-BENCH-MEM\t%s\t' "$1"
	awk '/^(MemFree|MemAvailable|Slab|SReclaimable|SUnreclaim|Percpu|VmallocUsed|KernelStack):/ {
		sub(":", "", $1); printf "%s=%s ", $1, $2 }' /proc/meminfo
	awk '$1 == "dom0gpu" { printf "module=%s", $2 } END { print "" }' /proc/modules
	printf 'D0G-BENCH-SLAB\t%s\t' "$1"
	awk 'NR > 2 { printf "%s:%s:%s ", $1, $3, $4 } END { print "" }' /proc/slabinfo
}

# Let the work that follows a boot (deferred probes, first timers) end.
sleep 10

status=0
for item in ${D0G_BENCH_ITEMS:-report iface footprint}; do
	echo "D0G-BENCH-ITEM$tab$item"
	case $item in
	report)
		$B/timeit -n "$runs" report \
			"dom0gpu-stat --json=/bin/dom0gpu-stat --json" \
			"rdmsr -a 0x277=$B/rdmsr -a 0x277" \
			"cat /proc/mtrr=/bin/cat /proc/mtrr" \
			"sysfs shell script=/bin/sh $B/sysfs_facts.sh" \
			"dom0gpu-stat --json, static=$B/dom0gpu-stat-static --json" \
			"dom0gpu-stat --json, fully static=$B/dom0gpu-stat-full --json" \
			"dom0gpu-stat --version=/bin/dom0gpu-stat --version" \
			"dom0gpu-stat --version, fully static=$B/dom0gpu-stat-full --version" \
			"cat /proc/cpuinfo=/bin/cat /proc/cpuinfo" \
			"true=/bin/true" || status=1
		;;
	report-noaslr)
		# The same without address-space randomisation: QEMU's TCG keys
		# its translated code by virtual address, so randomised mappings
		# make it translate a program's code again at every start, a cost
		# a real CPU does not have (docs/BENCHMARKS.md).
		echo 0 > /proc/sys/kernel/randomize_va_space
		$B/timeit -n "$runs" report_noaslr \
			"dom0gpu-stat --json=/bin/dom0gpu-stat --json" \
			"rdmsr -a 0x277=$B/rdmsr -a 0x277" \
			"dom0gpu-stat --json, fully static=$B/dom0gpu-stat-full --json" \
			"dom0gpu-stat --version=/bin/dom0gpu-stat --version" \
			"true=/bin/true" || status=1
		echo 2 > /proc/sys/kernel/randomize_va_space
		;;
	iface)
		$B/iface check || status=1
		$B/iface time iface "$calls" "$batches" nl_snapshot nl_cpu_dump \
			nl_session sysfs_all sysfs_pat msr_cpu0 msr_all || status=1
		;;
	scale)
		$B/iface check || status=1
		$B/iface time scale "$scalls" "$sbatches" nl_cpu_dump nl_snapshot \
			msr_all || status=1
		$B/timeit -n "$sruns" scale \
			"dom0gpu-stat --json=/bin/dom0gpu-stat --json" \
			"rdmsr -a 0x277=$B/rdmsr -a 0x277" \
			"cat /proc/cpuinfo=/bin/cat /proc/cpuinfo" || status=1
		# Loading reads every CPU's PAT (an IPI each).
		rmmod dom0gpu || status=1
		$B/timeit -n 5 load "insmod=/bin/insmod $ko" \
			"rmmod=/bin/rmmod dom0gpu" || status=1
		insmod "$ko" || status=1
		;;
	footprint)
		rmmod dom0gpu || status=1
		mem unloaded
		insmod "$ko" || status=1
		mem loaded
		$B/iface load "$queries" || status=1
		mem queried
		rmmod dom0gpu || status=1
		mem removed
		insmod "$ko" || status=1
		;;
	*)
		echo "D0G-BENCH-FAIL${tab}unknown item $item"
		status=1
		;;
	esac
done
echo "D0G-BENCH-END$tab$status"
exit $status
