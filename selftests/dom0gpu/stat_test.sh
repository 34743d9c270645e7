#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dom0gpu-stat inside the test VMs. The expected verdict comes from the
# platform: the kernel's own "x86/PAT: Configuration" line (NVIDIA accepts
# WC only at index 1), Xen's command line as the harness passed it, and the
# display devices QEMU was given. Then the module is unloaded and the same
# verdict must come from the degraded userspace mode. Runs under busybox
# sh; prints KTAP.

export NO_COLOR=1
OUT=/tmp/stat.out
TESTS="module_mode verdict_exit pat_evidence pvh_remedy iommu_preflight no_gpu_warning
watch_cpu_events unprivileged degraded_same_verdict degraded_says_so module_reloaded"
. "${0%/*}/ktap.sh"

# The kernel's PAT line, entries 0..7, and the index of its first WC.
pat_line() {
	dmesg | sed -n 's/.*x86\/PAT: Configuration \[0-7\]: *//p' | tail -n 1 |
		tr -s ' ' | sed 's/ *$//'
}

wc_index() {
	i=0
	for e in $(pat_line); do
		[ "$e" = WC ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo -1
}

# Platform's expectation: 1 (blocked) unless WC sits at index 1.
expected_exit() {
	[ "$(wc_index)" = 1 ] && echo 0 || echo 1
}

stat_run() {	# stat_run ARGS...: output in $OUT, status in $rc
	"$D0G_STAT" "$@" >"$OUT" 2>&1
	rc=$?
}

has() { grep -q -- "$1" "$OUT"; }

# With the module loaded the report comes over its netlink family.
test_module_mode() {
	stat_run
	has '^mode: module-netlink' && return 0
	diag "with dom0gpu loaded: $(grep '^mode' "$OUT")"
	grep -A3 '^not read' "$OUT" | sed 's/^/# /'
	return 1
}

test_verdict_exit() {
	want=$(expected_exit)
	stat_run
	if [ "$rc" = "$want" ]; then
		return 0
	fi
	diag "PAT line '$(pat_line)' (WC at $(wc_index)) wants exit $want, got $rc"
	head -n 3 "$OUT" | sed 's/^/# /'
	return 1
}

# The report's PAT is the kernel's, and the blocker names it.
test_pat_evidence() {
	stat_run
	layout=$(grep '^  pat.layout ' "$OUT" | sed 's/^  pat.layout *//; s/  \[.*//')
	if [ "$layout" != "$(pat_line)" ]; then
		diag "report layout '$layout', kernel log '$(pat_line)'"
		return 1
	fi
	if [ "$(wc_index)" = 1 ]; then
		has 'D0G-PAT-00[1-5]' && { diag "PAT blocker on a WC-at-1 PAT"; return 1; }
		return 0
	fi
	has 'D0G-PAT-001' && has "has WC at index $(wc_index)" && return 0
	diag "no D0G-PAT-001 citing WC at $(wc_index)"
	return 1
}

test_pvh_remedy() {
	[ "$D0G_SCENARIO" = xen-pv ] || return 4
	stat_run
	has 'dom0=pvh' && has 'GRUB_CMDLINE_XEN_DEFAULT' && has 'xen-cmdline --set-xen dom0=pvh' &&
		return 0
	diag "no PVH remedy in the xen-pv report"
	return 1
}

# Xen's line as passed disables the IOMMU: the preflight must say so.
test_iommu_preflight() {
	[ "$D0G_SCENARIO" = xen-pv ] || return 4
	stat_run
	case " $D0G_XEN_CMDLINE " in
	*" iommu=no "* | *" iommu=0 "* | *" iommu=off "* | *" iommu=false "*)
		has 'D0G-PVH-001' && return 0
		diag "Xen line '$D0G_XEN_CMDLINE' disables the IOMMU; no D0G-PVH-001"
		return 1 ;;
	esac
	has 'D0G-PVH-001' && { diag "D0G-PVH-001 without iommu=no"; return 1; }
	return 0
}

test_no_gpu_warning() {
	stat_run
	case " $D0G_DISPLAY_DEVICES" in
	*" 10de:"*) has 'D0G-GPU-006' && return 1; return 0 ;;
	esac
	has 'D0G-GPU-006' && return 0
	diag "no NVIDIA device given to the VM but no D0G-GPU-006"
	return 1
}

# --watch prints the module's events: take the last CPU offline and back.
# Not in a Xen PVH guest (guest_type_show() in the kernel's
# drivers/xen/sys-hypervisor.c): pvh_hotplug.h says why.
test_watch_cpu_events() {
	cpu=$((D0G_VCPUS - 1))
	online=/sys/devices/system/cpu/cpu$cpu/online
	[ "$cpu" -ge 1 ] && [ -w "$online" ] || return 4
	if [ "$(cat /sys/hypervisor/guest_type 2>/dev/null)" = PVH ]; then
		KTAP_TEST_SKIP_WHY="no CPU hotplug in a Xen PVH guest under QEMU (selftests/dom0gpu/pvh_hotplug.h)"
		return 4
	fi
	"$D0G_STAT" --watch >/tmp/watch.out 2>&1 &
	pid=$!
	sleep 2
	echo 0 >"$online"
	sleep 1
	echo 1 >"$online"
	sleep 2
	kill "$pid"
	wait "$pid" 2>/dev/null
	tab=$(printf '\t')
	if grep -Eq "${tab}cpu-offline${tab}.*${tab}cpu=$cpu(${tab}|\$)" /tmp/watch.out &&
	   grep -Eq "${tab}cpu-online${tab}.*${tab}cpu=$cpu(${tab}|\$)" /tmp/watch.out; then
		return 0
	fi
	diag "after offlining and onlining CPU $cpu, --watch printed:"
	sed 's/^/# /' /tmp/watch.out
	return 1
}

test_unprivileged() {
	command -v su >/dev/null 2>&1 || return 4
	if ! su nobody -s /bin/sh -c true >/dev/null 2>&1; then
		diag "user nobody cannot run a shell in this VM"
		return 4
	fi
	want=$(expected_exit)
	su nobody -s /bin/sh -c "NO_COLOR=1 $D0G_STAT" >"$OUT" 2>&1
	rc=$?
	[ "$rc" = "$want" ] && return 0
	diag "as nobody: exit $rc, want $want"
	head -n 3 "$OUT" | sed 's/^/# /'
	return 1
}

test_degraded_same_verdict() {
	want=$(expected_exit)
	if ! rmmod dom0gpu; then
		diag "rmmod dom0gpu failed"
		return 1
	fi
	stat_run
	[ "$rc" = "$want" ] && return 0
	diag "without the module: exit $rc, want $want"
	head -n 3 "$OUT" | sed 's/^/# /'
	return 1
}

test_degraded_says_so() {
	[ -d /sys/kernel/dom0gpu ] && { diag "module still loaded"; return 1; }
	stat_run
	has '^mode: degraded' && has 'modprobe dom0gpu' && has 'D0G-SRC-001' && return 0
	diag "degraded report does not say so"
	return 1
}

test_module_reloaded() {
	insmod "$D0G_MODULE" || { diag "insmod $D0G_MODULE failed"; return 1; }
	stat_run
	has '^mode: module-' && return 0
	diag "after insmod: $(grep '^mode' "$OUT")"
	return 1
}

if [ -z "$D0G_STAT" ] || [ ! -x "$D0G_STAT" ]; then
	ktap_skip_all "dom0gpu-stat not built" $TESTS
	exit 0
fi
KTAP_SKIP_WHY="not this scenario"
ktap_run $TESTS || failed=1
# Leave the module loaded for the programs that follow.
[ -d /sys/kernel/dom0gpu ] || insmod "$D0G_MODULE"
exit ${failed:-0}
