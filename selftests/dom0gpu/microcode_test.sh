#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Each CPU's microcode revision, end to end: the module's cpus/<n>/microcode
# (sysfs) and dom0gpu-stat's cpu.microcode over netlink and over sysfs must
# equal what the kernel itself prints in /proc/cpuinfo ("microcode" line of
# each processor block, arch/x86/kernel/cpu/proc.c show_cpuinfo()). Runs
# under busybox sh; prints KTAP.

export NO_COLOR=1
ROOT=/sys/kernel/dom0gpu
TESTS="sysfs_every_cpu cli_netlink cli_sysfs"
. "${0%/*}/ktap.sh"

# "N REVISION" for every processor block of /proc/cpuinfo that has one.
cpuinfo_revisions() {
	awk -F': *' '/^processor/ { cpu = $2 }
		/^microcode/ { print cpu, $2 }' /proc/cpuinfo
}

boot_revision() {
	cpuinfo_revisions | awk '$1 == 0 { print $2 }'
}

test_sysfs_every_cpu() {
	[ -n "$(cpuinfo_revisions)" ] || { diag "no microcode in /proc/cpuinfo"; return 4; }
	bad=0
	seen=0
	cpuinfo_revisions > /tmp/microcode.want
	while read -r cpu rev; do
		got=$(cat "$ROOT/cpus/$cpu/microcode" 2>/dev/null)
		if [ -z "$got" ] || [ $((got)) -ne $((rev)) ]; then
			diag "cpu$cpu: cpuinfo $rev, cpus/$cpu/microcode '$got'"
			bad=1
		fi
		seen=$((seen + 1))
	done < /tmp/microcode.want
	[ "$seen" -gt 0 ] && [ "$bad" -eq 0 ]
}

# "VALUE SOURCE" of cpu.microcode in dom0gpu-stat --json: the cpuinfo
# reader fills it too, so the source must be the transport under test.
cli_revision() {
	"$D0G_STAT" "$@" --json 2>/dev/null |
		awk -F'"' '/"cpu.microcode"/ { f = 1; next }
			f && $2 == "value" { v = $4 }
			f && $2 == "source" { print v, $4; exit }'
}

cli_check() {	# cli_check SOURCE ARGS...
	src=$1
	shift
	[ -n "$D0G_STAT" ] && [ -x "$D0G_STAT" ] || { diag "dom0gpu-stat not built"; return 4; }
	want=$(boot_revision)
	[ -n "$want" ] || { diag "no microcode for processor 0 in /proc/cpuinfo"; return 4; }
	set -- $(cli_revision "$@")
	[ "$2" = "$src" ] && [ $(($1)) -eq $((want)) ] && return 0
	diag "cpu.microcode '$1' from '$2' (want $src), /proc/cpuinfo $want"
	return 1
}

test_cli_netlink() {
	cli_check netlink
}

test_cli_sysfs() {
	cli_check sysfs --source sysfs
}

ktap_run $TESTS
