#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The facts of dom0gpu's report read from sysfs by a shell script, the way
# an admin would write one: a key=value line per attribute. Uses the
# shell's read builtin (no process per file), the cheapest way a shell has.

d=/sys/kernel/dom0gpu
show() {
	for f in "$@"; do
		[ -f "$f" ] || continue
		if { read -r v < "$f"; } 2>/dev/null; then
			echo "${f#"$d"/}=$v"
		fi
	done
}

show "$d"/version "$d"/pat/* "$d"/nvidia/* "$d"/mtrr/* "$d"/hypervisor/* \
	"$d"/xen/* "$d"/iommu/* "$d"/mtrr/fixed/* "$d"/gpus/count
for dir in "$d"/mtrr/var/* "$d"/gpus/*; do
	if [ -d "$dir" ]; then
		show "$dir"/*
	fi
done
