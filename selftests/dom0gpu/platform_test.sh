#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Proves that each test VM is the platform its scenario claims to be, from
# the platform itself (sysfs, the kernel log, /proc), never from dom0gpu's
# own output. Runs under busybox sh; prints KTAP.

XEN_PV_PAT="WB WT UC- UC WC WP UC UC"	# Xen's PAT MSR 0x0000050100070406

TESTS="kernel_release dom0_cmdline hypervisor_type"
case $D0G_SCENARIO in
xen-*)	TESTS="$TESTS xen_guest_type xen_version" ;;
esac
TESTS="$TESTS pat_layout cpu_count linux_iommu display_devices"

. "${0%/*}/ktap.sh"

# The kernel's own report of the PAT layout it found, entries 0..7.
pat_line() {
	dmesg | sed -n 's/.*x86\/PAT: Configuration \[0-7\]: *//p' | tail -n 1 |
		tr -s ' ' | sed 's/ *$//'
}

test_kernel_release() {
	[ "$(uname -r)" = "$D0G_KVER" ] && return 0
	diag "uname -r is $(uname -r), scenario says $D0G_KVER"
	return 1
}

# The command line the harness gave Linux is what Linux booted with.
test_dom0_cmdline() {
	got=$(cat /proc/cmdline | sed 's/ *$//')
	[ "$got" = "$D0G_DOM0_CMDLINE" ] && return 0
	diag "/proc/cmdline: '$got', expected '$D0G_DOM0_CMDLINE'"
	return 1
}

test_hypervisor_type() {
	t=$(cat /sys/hypervisor/type 2>/dev/null)
	if [ "$D0G_XEN" = 1 ]; then
		[ "$t" = xen ] && return 0
		diag "/sys/hypervisor/type is '$t' in a Xen scenario"
		return 1
	fi
	[ "$t" != xen ] && return 0
	diag "/sys/hypervisor/type is xen in a native scenario"
	return 1
}

test_xen_guest_type() {
	want=PV
	[ "$D0G_SCENARIO" = xen-pvh ] && want=PVH
	if [ ! -r /sys/hypervisor/guest_type ]; then
		diag "no /sys/hypervisor/guest_type in this kernel"
		return 4
	fi
	t=$(cat /sys/hypervisor/guest_type)
	[ "$t" = "$want" ] && return 0
	diag "guest_type is '$t', expected '$want' for $D0G_SCENARIO"
	return 1
}

test_xen_version() {
	v=$(cat /sys/hypervisor/version/major 2>/dev/null).$(cat /sys/hypervisor/version/minor 2>/dev/null)
	[ "$v" = 4.17 ] && return 0
	diag "Xen version from /sys/hypervisor/version is '$v', expected 4.17"
	return 1
}

# Xen PV: the kernel runs with Xen's fixed PAT (WC at index 4). Everywhere
# else Linux programs its own layout, with WC at index 1.
test_pat_layout() {
	pat=$(pat_line)
	if [ -z "$pat" ]; then
		diag "no 'x86/PAT: Configuration' line in the kernel log"
		return 1
	fi
	diag "PAT: $pat"
	if [ "$D0G_SCENARIO" = xen-pv ]; then
		[ "$pat" = "$XEN_PV_PAT" ] && return 0
		diag "expected Xen's layout '$XEN_PV_PAT'"
		return 1
	fi
	set -- $pat
	[ "$2" = WC ] && return 0
	diag "expected WC at index 1"
	return 1
}

test_cpu_count() {
	c=$(grep -c '^processor' /proc/cpuinfo)
	[ "$c" = "$D0G_VCPUS" ] && return 0
	diag "/proc/cpuinfo lists $c CPUs, the VM has $D0G_VCPUS"
	return 1
}

# Only native-iommu gives Linux an IOMMU (Xen keeps the one it owns);
# iommu=pt there makes the default domains identity mappings.
test_linux_iommu() {
	units=$(ls /sys/class/iommu 2>/dev/null | wc -l)
	if [ "$D0G_SCENARIO" != native-iommu ]; then
		[ "$units" = 0 ] && return 0
		diag "Linux sees $units IOMMU units in $D0G_SCENARIO"
		return 1
	fi
	if [ "$units" = 0 ]; then
		diag "no IOMMU unit in /sys/class/iommu"
		return 1
	fi
	types=$(cat /sys/kernel/iommu_groups/*/type 2>/dev/null | sort -u)
	[ "$types" = identity ] && return 0
	diag "iommu group types: '$types', expected identity (iommu=pt)"
	return 1
}

# Exactly the display-class devices QEMU was given are on the PCI bus.
test_display_devices() {
	have=$(for d in /sys/bus/pci/devices/*; do
		c=$(cat "$d/class")
		case $c in 0x03*) ;; *) continue ;; esac
		v=$(cat "$d/vendor"); p=$(cat "$d/device")
		echo "${v#0x}:${p#0x}:${c#0x}"
	done | sort | tr '\n' ' ' | sed 's/ *$//')
	want=$(for i in $D0G_DISPLAY_DEVICES; do echo "$i"; done | sort |
		tr '\n' ' ' | sed 's/ *$//')
	[ -n "$want" ] && [ "$have" = "$want" ] && return 0
	diag "display devices on the bus: '$have', given: '$want'"
	return 1
}

ktap_run $TESTS
