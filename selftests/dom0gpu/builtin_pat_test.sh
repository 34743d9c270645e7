#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# NVIDIA's builtin PAT mode with the PAT rewritten while dom0gpu watches,
# in both load orders. Runs in native-builtin-pat (a kernel without
# CONFIG_X86_PAT), where the harness preloads selftests/vm/builtin-pat's
# stand-in "nvidia" before dom0gpu: the real driver cannot stay loaded
# without a GPU (its failed init restores the PAT), and NVIDIA's 535
# driver does not even build for this kernel (selftests/vm/run.py,
# NVIDIA_KERNELS). D0G_NVIDIA_BUILTIN=1: the scenario's kernel lacks
# CONFIG_X86_PAT and the stand-in is there; elsewhere every case skips.
#
# Expected values: a kernel without CONFIG_X86_PAT only reads IA32_PAT
# (arch/x86/mm/pat/memtype.c, pat_bp_init() returns after building its
# cache-mode table from it), so it holds the power-on value WB WT UC- UC
# WB WT UC- UC (Intel SDM vol. 3A, "PAT Initialization"; QEMU 7.2's
# x86_cpu_reset(): env->pat = 0x0007040600070406). NVIDIA's nv-pat.c
# nv_setup_pat_entries() turns entry 1 into WC (pat1 &= 0xffff00ff;
# pat1 |= 0x00000100), so while the driver is loaded the PAT is
# 0x0007040600070106, which nv_determine_pat_mode() would take as the
# kernel's WC entry. The prediction must stay what the driver decided from
# the PAT before its rewrite: builtin. Runs under busybox sh; prints KTAP.

export NO_COLOR=1
ROOT=/sys/kernel/dom0gpu
STANDIN=/lib/dom0gpu/preload/nvidia.ko
RESET_PAT=0x0007040600070406
REWRITTEN_PAT=0x0007040600070106
TESTS="nvidia_first nvidia_first_reload nvidia_unloaded dom0gpu_first dom0gpu_first_unloaded"
. "${0%/*}/ktap.sh"

# "VALUE" of a fact in dom0gpu-stat --json.
cli_fact() {
	awk -F'"' -v fact="$1" '$2 == fact { f = 1; next }
		f && $2 == "value" { print $4; exit }' /tmp/builtin-pat.json
}

# state MSR LOADED: the PAT now, whether dom0gpu sees nvidia, and the
# prediction, made from the PAT before any rewrite: builtin, over sysfs
# and, when built, dom0gpu-stat's (netlink); its verdict and exit status
# must be those of the first state seen, and the rewrite is no reason for
# D0G-NV-004 (module and tool disagree).
state() {
	msr=$(cat $ROOT/pat/msr) mode=$(cat $ROOT/nvidia/pat_mode)
	loaded=$(cat $ROOT/nvidia/module_loaded) from=$(cat $ROOT/nvidia/pat)
	diag "pat/msr $msr, nvidia/module_loaded $loaded, nvidia/pat $from, nvidia/pat_mode $mode"
	[ "$msr" = "$1" ] && [ "$loaded" = "$2" ] && [ "$from" = "$RESET_PAT" ] &&
		[ "$mode" = builtin ] || return 1
	[ -n "$D0G_STAT" ] && [ -x "$D0G_STAT" ] || return 0
	"$D0G_STAT" --json > /tmp/builtin-pat.json 2>/dev/null
	rc=$?
	verdict=$(sed -n 's/^  "verdict": *"\([^"]*\)".*/\1/p' /tmp/builtin-pat.json)
	cli_mode=$(cli_fact module.pat_mode)
	diag "dom0gpu-stat: exit $rc, verdict $verdict, module.pat_mode $cli_mode"
	grep '"evidence"' /tmp/builtin-pat.json | sed 's/^ */# /'
	: "${first_stat:=$rc $verdict}"
	[ "$cli_mode" = builtin ] && [ "$rc $verdict" = "$first_stat" ] &&
		! grep -q '"D0G-NV-004"' /tmp/builtin-pat.json
}

reload_dom0gpu() {
	rmmod dom0gpu && insmod "$D0G_MODULE"
}

# Booted with the stand-in loaded first (the harness's preload).
test_nvidia_first() {
	[ -d /sys/module/nvidia ] || { diag "stand-in nvidia not loaded"; return 1; }
	state $REWRITTEN_PAT 1
}

test_nvidia_first_reload() {
	reload_dom0gpu || return 1
	state $REWRITTEN_PAT 1
}

# Its unload restores the PAT (nv_disable_builtin_pat_support()).
test_nvidia_unloaded() {
	rmmod nvidia || return 1
	state $RESET_PAT 0
}

# dom0gpu loaded, then the driver: its PAT is taken before the rewrite.
test_dom0gpu_first() {
	insmod $STANDIN || return 1
	state $REWRITTEN_PAT 1
}

test_dom0gpu_first_unloaded() {
	rmmod nvidia || return 1
	state $RESET_PAT 0
}

if [ "${D0G_NVIDIA_BUILTIN:-0}" != 1 ] || [ ! -f $STANDIN ]; then
	ktap_skip_all "kernel with CONFIG_X86_PAT (no builtin mode)" $TESTS
	exit 0
fi
ktap_run $TESTS || failed=1
# The real driver's test runs next and needs the name "nvidia" free.
[ -d /sys/module/nvidia ] && rmmod nvidia
exit ${failed:-0}
