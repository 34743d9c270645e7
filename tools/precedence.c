// SPDX-License-Identifier: GPL-2.0
/*
 * Which source wins a fact, declared here rather than implied by the order
 * the readers run in. Each row lists a fact's sources, most authoritative
 * first; the setters (report.c) keep a fact when a source ranked below the
 * one that set it writes it again, whenever that happens. Sources a row
 * does not list rank below every listed one and equal among themselves: a
 * later write of theirs replaces an earlier one, as a reader refining its
 * own fact does.
 *
 * The module reads on the CPU, in the kernel, what userspace can only
 * infer (a log line, one CPU through /dev/cpu/N/msr): it wins every fact
 * it gives, netlink before sysfs (one get-snapshot answer is one
 * generation of the model; sysfs files are read one by one, and an older
 * module may lack some).
 */
#include "report.h"

#define END	SRC_NONE

static const enum src module_first[] = { SRC_NETLINK, SRC_SYSFS, END };

/* Every CPU's MSR beats the one PAT line the kernel logged at boot. */
static const enum src pat_msr[] = { SRC_NETLINK, SRC_SYSFS, SRC_MSR, SRC_KMSG, END };
/* The CPUID instruction beats the kernel's summary of it in cpuinfo. */
static const enum src cpuid_bit[] = { SRC_NETLINK, SRC_SYSFS, SRC_CPUID, SRC_CPUINFO, END };
/* Xen's own answer in /sys/hypervisor beats the boot log and the CPUID bit. */
static const enum src hyper_type[] = {
	SRC_NETLINK, SRC_SYSFS, SRC_SYS_HYPERVISOR, SRC_KMSG, SRC_CPUINFO, END
};
static const enum src xen_domain[] = {
	SRC_NETLINK, SRC_SYSFS, SRC_SYS_HYPERVISOR, SRC_KMSG, SRC_CPUINFO, END
};
static const enum src xen_dom0[] = {
	SRC_NETLINK, SRC_SYSFS, SRC_SYS_HYPERVISOR, SRC_PROC_XEN, END
};
/* Xen's physinfo is its answer; /sys/hypervisor's capabilities text a summary. */
static const enum src xen_hvm[] = {
	SRC_NETLINK, SRC_SYSFS, SRC_XENCTRL, SRC_SYS_HYPERVISOR, END
};
static const enum src xen_cmdline[] = { SRC_NETLINK, SRC_SYSFS, SRC_XENCTRL, END };
/* Xen's physinfo flag beats the console line Xen printed at boot. */
static const enum src xen_iommu[] = { SRC_XENCTRL, SRC_XEN_CONSOLE, END };
/* The driver's own /proc tree beats its line in /proc/modules. */
static const enum src nvidia_loaded[] = { SRC_PROC_NVIDIA, SRC_PROC_MODULES, END };
/* The running kernel's PAT support (the module) beats its build configuration. */
static const enum src kernel_pat[] = { SRC_NETLINK, SRC_SYSFS, SRC_KCONFIG, END };

/* Facts without a row: the module first, then the userspace readers. */
static const enum src *const precedence[F__COUNT] = {
	[F_PAT_MSR]		= pat_msr,
	[F_PAT_LAYOUT]		= pat_msr,
	[F_PAT_WC_INDEX]	= pat_msr,
	[F_PAT_CONSISTENT]	= pat_msr,
	[F_PAT_CPUS_READ]	= pat_msr,
	[F_PAT_MSR_OTHER]	= pat_msr,
	[F_CPU_HYPERVISOR_BIT]	= cpuid_bit,
	[F_CPU_CPUID1_EDX]	= cpuid_bit,
	[F_HYPERVISOR_TYPE]	= hyper_type,
	[F_XEN_DOMAIN_TYPE]	= xen_domain,
	[F_XEN_INITIAL_DOMAIN]	= xen_dom0,
	[F_XEN_VERSION]		= xen_hvm,
	[F_XEN_CAPABILITIES]	= xen_hvm,
	[F_XEN_HVM]		= xen_hvm,
	[F_XEN_CMDLINE]		= xen_cmdline,
	[F_XEN_IOMMU]		= xen_iommu,
	[F_NVIDIA_LOADED]	= nvidia_loaded,
	[F_KERNEL_X86_PAT]	= kernel_pat,
};

unsigned int fact_precedence(enum fact_id id, enum src s)
{
	const enum src *order = precedence[id] ? precedence[id] : module_first;
	unsigned int n, i;

	for (n = 0; order[n] != END; n++)
		;
	for (i = 0; i < n; i++)
		if (order[i] == s)
			return n - i;
	return 0;
}
