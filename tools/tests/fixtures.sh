# SPDX-License-Identifier: GPL-2.0
#
# Fake /proc, /sys, /dev and /boot trees, one per platform, in the manner of
# virt-what's tests. Sourced by run.sh; every function writes under $R.
# Values are those real systems show (Xen PV's PAT is Xen's architectural
# 0x0000050100070406; see the kernel's arch/x86/xen and Xen's XEN_MSR_PAT).

# put and kmsg run thousands of times per suite (every tree has dozens of
# files): no command substitution or dirname, mkdir only when missing.
put() {	# put PATH CONTENT...: write a file (printf %b, so \n works)
	case $1 in */*) [ -d "$R/${1%/*}" ] || mkdir -p "$R/${1%/*}" ;; esac
	f=$1
	shift
	printf '%b' "$*" >"$R/$f"
}

kmsg() {	# kmsg LINE: append a /dev/kmsg record
	[ -d "$R/dev" ] || mkdir -p "$R/dev"
	kseq=1
	[ -f "$R/dev/kmsg" ] && kseq=$(($(wc -l <"$R/dev/kmsg") + 1))
	printf '6,%d,%d,-;%s\n' "$kseq" "$((kseq * 1000))" "$1" >>"$R/dev/kmsg"
}

cpuinfo() {	# cpuinfo VENDOR FAMILY MODEL FLAGS
	mkdir -p "$R/proc"
	for cpu in 0 1; do
		printf 'processor\t: %d\nvendor_id\t: %s\ncpu family\t: %d\nmodel\t\t: %d\n' \
			"$cpu" "$1" "$2" "$3"
		printf 'model name\t: Test CPU\nstepping\t: 4\nmicrocode\t: 0xb4\n'
		printf 'cpuid level\t: 22\nwp\t\t: yes\n'
		printf 'flags\t\t: %s\nbogomips\t: 4000.00\n\n' "$4"
	done >"$R/proc/cpuinfo"
}

FLAGS_HOST="fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc nopl pni ssse3 cx16 sse4_1 sse4_2 x2apic popcnt aes xsave avx"
FLAGS_GUEST="$FLAGS_HOST hypervisor"
PAT_LINUX="WB  WC  UC- UC  WB  WP  UC- WT  "
PAT_XEN="WB  WT  UC- UC  WC  WP  UC  UC  "

base() {	# base KERNEL_RELEASE: a bare-metal Linux with a QEMU-like VGA device
	rm -rf "$R"
	mkdir -p "$R"
	cpuinfo GenuineIntel 6 85 "$FLAGS_HOST"
	put proc/sys/kernel/osrelease "$1\n"
	put proc/cmdline "BOOT_IMAGE=/vmlinuz-$1 root=/dev/sda1 ro quiet\n"
	put proc/modules "ext4 753664 1 - Live 0x0000000000000000\n"
	put "boot/config-$1" "#\n# Linux/x86 $1 Kernel Configuration\n#\nCONFIG_X86_PAT=y\nCONFIG_XEN_PVH=y\n"
	kmsg "Linux version $1 (builder@host) (gcc 12) #1 SMP"
	kmsg "x86/PAT: Configuration [0-7]: $PAT_LINUX"
	pci 0000:00:02.0 0x1234 0x1111 0x030000 bochs-drm
}

pci() {	# pci SLOT VENDOR DEVICE CLASS [DRIVER]
	d=sys/bus/pci/devices/$1
	put "$d/vendor" "$2\n"
	put "$d/device" "$3\n"
	put "$d/class" "$4\n"
	if [ -n "$5" ]; then
		mkdir -p "$R/sys/bus/pci/drivers/$5"
		ln -sfn "../../../bus/pci/drivers/$5" "$R/$d/driver"
	fi
}

module() {	# module NAME: listed in /proc/modules
	printf '%s 65536 0 - Live 0x0000000000000000\n' "$1" >>"$R/proc/modules"
}

nvidia() {	# nvidia SLOT DRIVER [USE_PAT]: an H100 and, if DRIVER=nvidia, the driver
	pci "$1" 0x10de 0x2335 0x030200 "$2"
	[ "$2" = nvidia ] || return 0
	module nvidia
	put proc/driver/nvidia/version "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build  (dvs-builder@U22-I3-B17-02-5)  Tue Oct 21 2025\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n"
	put proc/driver/nvidia/params "ResmanDebugLevel: 4294967295\nUsePageAttributeTable: ${3:-4294967295}\nEnableMSI: 1\n"
	put "proc/driver/nvidia/gpus/$1/information" "Model: \t\t NVIDIA H100 80GB HBM3\nIRQ:   \t\t 34\nGPU UUID: \t GPU-5b2c3a4e-1d2f-4a5b-8c6d-7e8f9a0b1c2d\nBus Location: \t $1\n"
}

xen() {	# xen GUEST_TYPE(PV|PVH|-) CAPS: Xen 4.17 dom0 bits of /sys and /proc
	cpuinfo GenuineIntel 6 85 "$FLAGS_GUEST"
	put sys/hypervisor/type "xen\n"
	[ "$1" = - ] || put sys/hypervisor/guest_type "$1\n"
	put sys/hypervisor/version/major "4\n"
	put sys/hypervisor/version/minor "17\n"
	put sys/hypervisor/version/extra ".5-3\n"
	put sys/hypervisor/properties/capabilities "$2\n"
	put sys/hypervisor/properties/features "0000a9f5\n"
	put proc/xen/capabilities "control_d\n"
}

CAPS_HVM="xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64"

# Xen PV dom0 of XCP-ng 8.x: Linux 4.19, kernel config in /proc/config.gz.
fx_xen_pv_419() {
	base 4.19.0+1
	rm -f "$R/boot/config-4.19.0+1" "$R/dev/kmsg"
	printf '#\n# Linux/x86 4.19.19 Kernel Configuration\n#\nCONFIG_X86_PAT=y\nCONFIG_XEN_PV=y\nCONFIG_XEN_PVH=y\n' |
		gzip -c >"$R/proc/config.gz"
	xen - "$CAPS_HVM"
	kmsg "Linux version 4.19.0+1 (mockbuild@koji) (gcc version 4.8.5) #1 SMP"
	kmsg "Booting paravirtualized kernel on Xen"
	kmsg "Xen version: 4.17.5-3 (preserve-AD)"
	kmsg "x86/PAT: MTRRs disabled, skipping PAT initialization too."
	kmsg "x86/PAT: Configuration [0-7]: $PAT_XEN"
	nvidia 0000:3b:00.0 nvidia
	kmsg "NVRM: PAT configuration unsupported."
}

# Xen PV dom0, Linux 6.x, with the dom0gpu module's sysfs tree.
fx_xen_pv_6x_module() {
	base 6.1.0-56-amd64
	rm -f "$R/dev/kmsg"
	xen PV "$CAPS_HVM"
	kmsg "Booting paravirtualized kernel on Xen"
	kmsg "x86/PAT: MTRRs disabled, skipping PAT initialization too."
	kmsg "x86/PAT: Configuration [0-7]: $PAT_XEN"
	sysfs_module 0x0000050100070406 "WB WT UC- UC WC WP UC UC" 4 1 disabled \
		"NVRM: PAT configuration unsupported." xen_pv pv \
		"console=com1 dom0_mem=1024M iommu=no"
}

sysfs_module() {	# MSR LAYOUT WC CONSISTENT MODE REASON HYPER DOMTYPE XENCMD
	s=sys/kernel/dom0gpu
	put $s/version "0.1.0\n"
	put $s/pat/msr "$1\n"
	put $s/pat/layout "$2\n"
	put $s/pat/wc_index "$3\n"
	put $s/pat/consistent "$4\n"
	put $s/pat/kernel_enabled "1\n"
	put $s/pat/feature "1\n"
	put $s/pat/cpus_read "2\n"
	put $s/cpus/0/microcode "0x000000b4\n"
	put $s/cpus/1/microcode "0x000000b4\n"
	put $s/nvidia/pat_mode "$5\n"
	put $s/nvidia/kernel_has_pat "1\n"
	put $s/nvidia/reason "$6\n"
	put $s/mtrr/enabled "0\n"
	put $s/hypervisor/type "$7\n"
	put $s/hypervisor/cpuid_bit "1\n"
	put $s/xen/domain_type "$8\n"
	put $s/xen/initial_domain "1\n"
	put $s/xen/version "4.17\n"
	put $s/xen/extraversion ".5-3\n"
	put $s/xen/capabilities "$CAPS_HVM\n"
	put $s/xen/cmdline "$9\n"
	mkdir -p "$R/sys/module/dom0gpu"
}

fx_xen_pvh() {
	base 6.1.0-56-amd64
	xen PVH "$CAPS_HVM"
	kmsg "Booting paravirtualized kernel on Xen PVH"
	nvidia 0000:3b:00.0 nvidia
}

fx_native() {
	base 6.12.57+deb13-amd64
}

fx_native_nvidia() {
	base 6.12.57+deb13-amd64
	nvidia 0000:01:00.0 nvidia
}

fx_pciback() {
	fx_xen_pvh
	pci 0000:3b:00.0 0x10de 0x2335 0x030200 pciback
	put proc/cmdline "root=/dev/sda1 ro xen-pciback.hide=(0000:3b:00.0)\n"
}

fx_vfio() {
	fx_native
	nvidia 0000:01:00.0 vfio-pci
	module nvidia
}

fx_nouveau() {
	fx_native
	nvidia 0000:01:00.0 nouveau
	module nouveau
}

fx_nouveau_loaded() {
	fx_native_nvidia
	module nouveau
}

fx_use_pat_0() {
	base 6.1.0-56-amd64
	nvidia 0000:01:00.0 nvidia 0
	kmsg "NVRM: builtin PAT support disabled."
}

fx_use_pat_0_conf() {	# nvidia not loaded yet, but configured to ignore the PAT
	fx_native
	nvidia 0000:01:00.0 ""
	put etc/modprobe.d/nvidia.conf "# from the driver package\noptions nvidia NVreg_UsePageAttributeTable=0 NVreg_EnableMSI=1\n"
	put etc/modprobe.d/zz-other.conf "options nvidia_drm modeset=1\n"
}

# Two CPUs whose PAT MSRs (read through /dev/cpu/N/msr at offset 0x277) differ,
# but both hold WC at index 1: NVIDIA decides "kernel" whichever CPU loads it.
fx_inconsistent() {
	base 6.1.0-56-amd64
	msr 0 0x0407050600070106
	msr 1 0x0007050600070106
}

# Three CPUs: the second differs but NVIDIA's decision does not, the third
# holds Xen's layout (WC at index 4), which NVIDIA rejects.
fx_inconsistent_decision() {
	base 6.1.0-56-amd64
	msr 0 0x0007040600070106
	msr 1 0x0407040600070106
	msr 2 0x0000050100070406
}

# The module's sysfs tree only (no netlink), CPUs whose PATs differ: each
# CPU's cpus/<n>/pat tells which PAT differs, as netlink's get-cpu does.
# Both hold WC at index 1: NVIDIA decides "kernel" on either.
fx_sysfs_cpus_differ() {
	base 6.1.0-56-amd64
	sysfs_module 0x0007040600070106 "WB WC UC- UC WB WT UC- UC" 1 0 kernel "" native - ""
	rm -r "$R/sys/kernel/dom0gpu/xen"
	put sys/kernel/dom0gpu/cpus/0/pat "0x0007040600070106\n"
	put sys/kernel/dom0gpu/cpus/1/pat "0x0407040600070106\n"
}

# As above, a third CPU holding Xen's layout (WC at index 4), which NVIDIA
# rejects (nv_determine_pat_mode(), kernel-open/nvidia/nv-pat.c).
fx_sysfs_cpus_decision() {
	fx_sysfs_cpus_differ
	put sys/kernel/dom0gpu/cpus/2/pat "0x0000050100070406\n"
	put sys/kernel/dom0gpu/cpus/2/microcode "0x000000b4\n"
}

# WC at index 1 and at index 4: nv_determine_pat_mode() scans the two halves
# of the MSR in lock step (0, 4, 1, 5, ...), finds index 4 first and rejects it.
fx_wc_scan_order() {
	base 6.1.0-56-amd64
	msr 0 0x0007050100070106
	msr 1 0x0007050100070106
}

# NVreg_UsePageAttributeTable in two directories: libkmod sorts all files by
# name, so /lib/modprobe.d/60-b.conf comes after /etc/modprobe.d/50-a.conf
# and its 1 overrides the 0.
fx_nvopts_sorted() {
	fx_native
	nvidia 0000:01:00.0 ""
	put etc/modprobe.d/50-a.conf "options nvidia NVreg_UsePageAttributeTable=0\n"
	put lib/modprobe.d/60-b.conf "options nvidia NVreg_EnableMSI=1 NVreg_UsePageAttributeTable=1\n"
}

# The same file name in /lib/modprobe.d and /usr/lib/modprobe.d is shadowed
# by /etc/modprobe.d's: only that one is read.
fx_nvopts_shadowed() {
	fx_native
	nvidia 0000:01:00.0 ""
	put etc/modprobe.d/nvidia.conf "options nvidia NVreg_UsePageAttributeTable=1\n"
	put lib/modprobe.d/nvidia.conf "options nvidia NVreg_UsePageAttributeTable=0\n"
	put usr/lib/modprobe.d/nvidia.conf "options nvidia NVreg_UsePageAttributeTable=0\n"
}

# The kernel command line's nvidia.<param>= comes after every file.
fx_nvopts_cmdline() {
	fx_native
	nvidia 0000:01:00.0 ""
	put etc/modprobe.d/nvidia.conf "options nvidia NVreg_UsePageAttributeTable=1\n"
	put proc/cmdline "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro nvidia.NVreg_UsePageAttributeTable=0 quiet\n"
}

# A continued options line sets 0 (the kernel's '-' for '_' in the name); a
# comment that would set 1 is no setting.
fx_nvopts_continued() {
	fx_native
	nvidia 0000:01:00.0 ""
	put run/modprobe.d/local.conf "options nvidia NVreg_EnableMSI=1 \\\\\n  NVreg-UsePageAttributeTable=0x0\n# options nvidia NVreg_UsePageAttributeTable=1\n"
}

# nvidia loaded with the option at 0 (its params say so, whatever modprobe.d
# says now), the module's sysfs tree predicting "kernel" as it does with the
# option at its default: no disagreement between module and tool.
fx_use_pat_0_module() {
	base 6.1.0-56-amd64
	sysfs_module 0x0007040600070106 "WB WC UC- UC WB WT UC- UC" 1 1 kernel "" native - ""
	rm -r "$R/sys/kernel/dom0gpu/xen"
	nvidia 0000:01:00.0 nvidia 0
	put etc/modprobe.d/nvidia.conf "options nvidia NVreg_UsePageAttributeTable=1\n"
}

# dom0 runs PVH; the next boot keeps dom0=pvh but turns the IOMMU off.
# GRUB 2.06's 20_linux_xen (Debian's and rhboot's) gives the default Xen
# entry "${GRUB_CMDLINE_XEN} ${GRUB_CMDLINE_XEN_DEFAULT}": here
# "dom0=pvh dom0_mem=2048M iommu=0".
fx_pvh_next_iommu() {
	fx_xen_pvh
	put etc/default/grub "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M iommu=0\"\nGRUB_CMDLINE_XEN=\"dom0=pvh\"\n"
}

# The same options in the other variables: GRUB_CMDLINE_XEN_DEFAULT comes
# last on the entry's line ("iommu=0 dom0=pvh iommu=1") and Xen's last
# iommu= wins (xen/drivers/passthrough/iommu.c, parse_iommu_param(), one
# call per occurrence): the IOMMU stays on, nothing panics.
fx_pvh_next_iommu_on() {
	fx_xen_pvh
	put etc/default/grub "GRUB_CMDLINE_XEN_DEFAULT=\"dom0=pvh iommu=1\"\nGRUB_CMDLINE_XEN=\"iommu=0\"\n"
}

# ... and the other way round: "iommu=1 dom0=pvh iommu=0" turns it off.
fx_pvh_next_iommu_off() {
	fx_xen_pvh
	put etc/default/grub "GRUB_CMDLINE_XEN=\"iommu=1 dom0=pvh\"\nGRUB_CMDLINE_XEN_DEFAULT=\"iommu=0\"\n"
}

# dom0 runs PVH; the next boot has no dom0=pvh.
fx_pvh_next_pv() {
	fx_xen_pvh
	put etc/default/grub "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M\"\n"
}

msr() {	# msr CPU VALUE: a /dev/cpu/N/msr stand-in holding VALUE at offset 0x277
	mkdir -p "$R/dev/cpu/$1"
	python3 -c 'import struct, sys
with open(sys.argv[1], "wb") as f:
    f.seek(0x277)
    f.write(struct.pack("<Q", int(sys.argv[2], 16)))' "$R/dev/cpu/$1/msr" "$2"
}

# PV dom0 whose Xen line disables the IOMMU, whose next boot asks for PVH with
# the IOMMU still off, on a kernel without CONFIG_XEN_PVH and a Xen without HVM.
fx_pvh_preflight() {
	fx_xen_pv_6x_module
	put sys/kernel/dom0gpu/xen/cmdline "console=com1 dom0_mem=1024M,max:1024M iommu=no dom0-iommu=passthrough nmi=dom0 noreboot=maybe foo_bar=1\n"
	put sys/hypervisor/properties/capabilities "xen-3.0-x86_64 xen-3.0-x86_32p\n"
	put sys/kernel/dom0gpu/xen/capabilities "xen-3.0-x86_64 xen-3.0-x86_32p\n"
	put boot/config-6.1.0-56-amd64 "#\n# config\n#\nCONFIG_X86_PAT=y\n# CONFIG_XEN_PVH is not set\n"
	put etc/default/grub "GRUB_DEFAULT=0\nGRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M iommu=0\"\nGRUB_CMDLINE_XEN=\"dom0=pvh\"\n"
}

fx_native_wc4() {	# a kernel that put WC at index 4 without Xen
	base 6.1.0-56-amd64
	rm -f "$R/dev/kmsg"
	kmsg "x86/PAT: Configuration [0-7]: $PAT_XEN"
}

fx_no_wc() {
	base 6.1.0-56-amd64
	rm -f "$R/dev/kmsg"
	kmsg "x86/PAT: Configuration [0-7]: WB  WT  UC- UC  WB  WT  UC- UC  "
}

fx_no_pat_cpu() {
	base 6.1.0-56-amd64
	cpuinfo AuthenticAMD 25 1 "$(echo "$FLAGS_HOST" | sed 's/ pat / /')"
}

fx_pat_unknown() {
	base 6.1.0-56-amd64
	rm -f "$R/dev/kmsg"
	kmsg "Linux version 6.1.0-56-amd64"
}

fx_log_differs() {	# an old NVRM complaint on a platform that is fine now
	fx_native_nvidia
	kmsg "NVRM: PAT configuration unsupported."
}

fx_nvidia_unloaded() {
	fx_native
	nvidia 0000:01:00.0 ""
}

fx_module_disagrees() {	# the module's prediction differs from the tool's
	fx_xen_pv_6x_module
	put sys/kernel/dom0gpu/nvidia/pat_mode "kernel\n"
}

# A kernel without CONFIG_X86_PAT, NVIDIA loaded in its builtin mode: the
# PAT now has the WC entry the driver wrote at index 1 (nv-pat.c,
# nv_setup_pat_entries(): WT -> WC), the module predicts from the PAT
# before it: builtin.
fx_builtin_loaded() {
	base 6.12.117-nopat
	sysfs_module 0x0007040600070106 "WB WC UC- UC WB WT UC- UC" 1 1 builtin "" native - ""
	put sys/kernel/dom0gpu/nvidia/kernel_has_pat "0\n"
	put sys/kernel/dom0gpu/pat/kernel_enabled "0\n"
	put boot/config-6.12.117-nopat "# CONFIG_X86_PAT is not set\n"
	rm -r "$R/sys/kernel/dom0gpu/xen"
	nvidia 0000:01:00.0 nvidia
}

# The same PAT and prediction without nvidia loaded: no rewrite explains
# the WC entry, so module and tool disagree.
fx_builtin_unloaded() {
	fx_builtin_loaded
	rm -r "$R/proc/driver/nvidia"
	put proc/modules "ext4 753664 1 - Live 0x0000000000000000\n"
}

FIXTURES="xen_pv_419 xen_pv_6x_module xen_pvh native native_nvidia pciback vfio nouveau
nouveau_loaded use_pat_0 use_pat_0_conf inconsistent pvh_preflight native_wc4 no_wc no_pat_cpu pat_unknown
log_differs nvidia_unloaded module_disagrees inconsistent_decision wc_scan_order nvopts_sorted
nvopts_shadowed nvopts_cmdline nvopts_continued use_pat_0_module pvh_next_iommu pvh_next_pv
pvh_next_iommu_on pvh_next_iommu_off builtin_loaded builtin_unloaded"
