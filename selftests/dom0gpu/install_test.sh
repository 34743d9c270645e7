#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What `make install` and `make uninstall` do, done inside the VM against
# its own module tree: the module goes to /lib/modules/$(uname -r)/extra,
# depmod indexes it, `modprobe dom0gpu` finds and loads it by name, and
# after removal and depmod it is gone. Runs under busybox sh; prints KTAP.
# Leaves dom0gpu loaded from $D0G_MODULE as /init did, for later tests.

TESTS="install_depmod modprobe_by_name modinfo_by_name modprobe_remove uninstall"

kver=$(uname -r)
moddir=/lib/modules/$kver
. "${0%/*}/ktap.sh"
loaded() { [ -d /sys/module/dom0gpu ]; }

test_install_depmod() {
	if loaded && ! rmmod dom0gpu; then
		diag "rmmod of the module /init loaded failed"
		return 1
	fi
	[ -d "$moddir" ] || created=1
	mkdir -p "$moddir/extra" &&
		cp "$D0G_MODULE" "$moddir/extra/dom0gpu.ko" &&
		chmod 0644 "$moddir/extra/dom0gpu.ko" || return 1
	depmod || { diag "depmod failed"; return 1; }
	grep -q '^extra/dom0gpu.ko:' "$moddir/modules.dep" && return 0
	diag "modules.dep: $(cat "$moddir/modules.dep")"
	return 1
}

test_modprobe_by_name() {
	modprobe dom0gpu || { diag "modprobe dom0gpu failed"; return 1; }
	loaded || { diag "/sys/module/dom0gpu missing after modprobe"; return 1; }
	[ -d /sys/kernel/dom0gpu ] && return 0
	diag "/sys/kernel/dom0gpu missing after modprobe"
	return 1
}

test_modinfo_by_name() {
	f=$(modinfo dom0gpu 2>&1)
	echo "$f" | grep -q "license:.*GPL" &&
		echo "$f" | grep -q "vermagic:.*$kver" && return 0
	diag "modinfo dom0gpu: $f"
	return 1
}

test_modprobe_remove() {
	modprobe -r dom0gpu || { diag "modprobe -r dom0gpu failed"; return 1; }
	if loaded || [ -e /sys/kernel/dom0gpu ]; then
		diag "dom0gpu still present after modprobe -r"
		return 1
	fi
	return 0
}

test_uninstall() {
	rm -f "$moddir/extra/dom0gpu.ko"
	depmod || { diag "depmod failed"; return 1; }
	if grep -q dom0gpu "$moddir/modules.dep"; then
		diag "modules.dep still lists dom0gpu"
		return 1
	fi
	if modprobe dom0gpu 2>/dev/null; then
		diag "modprobe dom0gpu still succeeds after uninstall"
		modprobe -r dom0gpu
		return 1
	fi
	return 0
}

ktap_run $TESTS || failed=1

# Back to the state /init left: the module loaded, no module tree added.
loaded || insmod "$D0G_MODULE" || { diag "re-insmod $D0G_MODULE failed"; failed=1; }
[ -z "${created:-}" ] || rm -rf "$moddir"
exit ${failed:-0}
