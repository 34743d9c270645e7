#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Each CPU's PAT in sysfs, cpus/<n>/pat: the boot CPU's must be the layout
# the kernel itself logged ("x86/PAT: Configuration [0-7]: ...",
# arch/x86/mm/pat/memtype.c, printed from the MSR it found or programmed),
# encoded as the SDM's memory types (UC 0, WC 1, WT 4, WP 5, WB 6, UC- 7);
# every online CPU's file must be readable and agree with pat/consistent.
# Runs under busybox sh; prints KTAP.

ROOT=/sys/kernel/dom0gpu
TESTS="boot_cpu_from_log every_cpu"
. "${0%/*}/ktap.sh"

pat_line() {
	dmesg | sed -n 's/.*x86\/PAT: Configuration \[0-7\]: *//p' | tail -n 1 |
		tr -s ' ' | sed 's/ *$//'
}

# "WB WC UC- ..." (entry 0 first) to 0x%016x (entry 7 in the top byte).
layout_msr() {
	hex=
	for name in $1; do
		case $name in
		UC) b=00 ;; WC) b=01 ;; WT) b=04 ;; WP) b=05 ;; WB) b=06 ;; UC-) b=07 ;;
		*) return 1 ;;
		esac
		hex=$b$hex
	done
	[ ${#hex} -eq 16 ] && echo "0x$hex"
}

online_cpus() {
	awk -F': *' '/^processor/ { print $2 }' /proc/cpuinfo
}

test_boot_cpu_from_log() {
	line=$(pat_line)
	[ -n "$line" ] || { diag "no x86/PAT: Configuration line in the kernel log"; return 4; }
	want=$(layout_msr "$line") || { diag "unparsed layout '$line'"; return 1; }
	got=$(cat "$ROOT/cpus/0/pat" 2>/dev/null)
	[ "$got" = "$want" ] && return 0
	diag "cpus/0/pat '$got', kernel log '$line' ($want)"
	return 1
}

test_every_cpu() {
	[ -r "$ROOT/cpus/0/pat" ] || { diag "cpus/0/pat not readable"; return 1; }
	boot=$(cat "$ROOT/cpus/0/pat")
	consistent=$(cat "$ROOT/pat/consistent")
	differ=0
	seen=0
	for cpu in $(online_cpus); do
		got=$(cat "$ROOT/cpus/$cpu/pat" 2>/dev/null)
		case $got in
		0x????????????????) ;;
		*) diag "cpu$cpu: cpus/$cpu/pat '$got'"; return 1 ;;
		esac
		[ "$got" = "$boot" ] || differ=1
		seen=$((seen + 1))
	done
	[ "$seen" -gt 0 ] && [ $((1 - differ)) -eq "$consistent" ] && return 0
	diag "$seen CPUs, differing $differ, pat/consistent $consistent"
	return 1
}

ktap_run $TESTS
