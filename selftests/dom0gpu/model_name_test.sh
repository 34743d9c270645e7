#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Each CPU's model name, a value of the module's model that dom0gpu-stat
# has no code for: the module's cpus/<n>/model_name (sysfs) and the
# model-name attribute of each CPU in dom0gpu-stat --json's "module" object
# (netlink, decoded with the spec alone) must equal what the kernel itself
# prints in /proc/cpuinfo: the "model name" line of each processor block,
# x86_model_id or "unknown" when it is empty (arch/x86/kernel/cpu/proc.c
# show_cpuinfo()). Read through sysfs, the report has no "module" object.
# Runs under busybox sh; prints KTAP.

export NO_COLOR=1
ROOT=/sys/kernel/dom0gpu
TESTS="sysfs_every_cpu json_module_every_cpu json_no_module_over_sysfs"
. "${0%/*}/ktap.sh"

# "N<TAB>MODEL NAME" for every processor block of /proc/cpuinfo.
cpuinfo_names() {
	awk '/^processor[ \t]*:/ { sub(/^[^:]*: */, ""); cpu = $0 }
		/^model name[ \t]*:/ { sub(/^[^:]*: ?/, ""); print cpu "\t" $0 }' /proc/cpuinfo
}

# The kernel prints "unknown" for an empty x86_model_id; the module gives it as it is.
as_cpuinfo() {
	if [ -z "$1" ]; then echo unknown; else printf '%s\n' "$1"; fi
}

# compare FILE_WANT FILE_GOT WHAT: every CPU of /proc/cpuinfo, the same name.
compare() {
	bad=0
	seen=0
	while IFS='	' read -r cpu want; do
		if ! got=$(awk -F '\t' -v c="$cpu" '$1 == c { print $2; f = 1 } END { exit !f }' "$2"); then
			diag "cpu$cpu: cpuinfo '$want', no model name in $3"
			bad=1
		elif [ "$(as_cpuinfo "$got")" != "$want" ]; then
			diag "cpu$cpu: cpuinfo '$want', $3 '$got'"
			bad=1
		fi
		seen=$((seen + 1))
	done < "$1"
	[ "$seen" -gt 0 ] && [ "$bad" -eq 0 ]
}

test_sysfs_every_cpu() {
	cpuinfo_names > /tmp/model_name.want
	[ -s /tmp/model_name.want ] || { diag "no model name in /proc/cpuinfo"; return 4; }
	: > /tmp/model_name.sysfs
	while IFS='	' read -r cpu want; do
		[ -r "$ROOT/cpus/$cpu/model_name" ] &&
			printf '%s\t%s\n' "$cpu" "$(cat "$ROOT/cpus/$cpu/model_name")" >> /tmp/model_name.sysfs
	done < /tmp/model_name.want
	compare /tmp/model_name.want /tmp/model_name.sysfs "cpus/<n>/model_name"
}

# "N<TAB>NAME" for each CPU object of the report's "module" object: json-c
# prints one key per line (with or without a space after the colon, by
# version) and escapes "/" and '"'; "id" comes first in each CPU (the
# module's table order).
json_names() {
	awk '/^  "module": *\{/ { m = 1 }
		m && /^  \}/ { m = 0 }
		m && /^ *"id": *[0-9]+,?$/ { gsub(/[^0-9]/, ""); cpu = $0 }
		m && /^ *"model-name": *"/ {
			sub(/^[^:]*: *"/, ""); sub(/",?$/, ""); gsub(/\\\//, "/"); gsub(/\\"/, "\"")
			print cpu "\t" $0 }'
}

test_json_module_every_cpu() {
	[ -n "$D0G_STAT" ] && [ -x "$D0G_STAT" ] || { diag "dom0gpu-stat not built"; return 4; }
	cpuinfo_names > /tmp/model_name.want
	[ -s /tmp/model_name.want ] || { diag "no model name in /proc/cpuinfo"; return 4; }
	"$D0G_STAT" --json 2>/dev/null | json_names > /tmp/model_name.json
	compare /tmp/model_name.want /tmp/model_name.json "--json module.cpu[].model-name"
}

test_json_no_module_over_sysfs() {
	[ -n "$D0G_STAT" ] && [ -x "$D0G_STAT" ] || { diag "dom0gpu-stat not built"; return 4; }
	"$D0G_STAT" --source sysfs --json > /tmp/model_name.sysfs.json 2>/dev/null
	grep -q '"mode": *"module-sysfs"' /tmp/model_name.sysfs.json || {
		diag "--source sysfs did not read the module through sysfs"
		return 1
	}
	! grep -q '^  "module": *{' /tmp/model_name.sysfs.json
}

ktap_run $TESTS
