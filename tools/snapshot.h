/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dom0gpu module's snapshot as dom0gpu-stat receives it. Two transports
 * fill one struct module_snapshot: src_netlink.c (get-snapshot, get-cpu)
 * and src_sysfs.c (/sys/kernel/dom0gpu). They only decode their wire
 * format; snapshot_to_facts() is the one mapping of the snapshot to the
 * report's facts (hypervisor type, Xen version and HVM support, PAT layout
 * and per-CPU PATs), whichever transport filled it.
 */
#ifndef DOM0GPU_STAT_SNAPSHOT_H
#define DOM0GPU_STAT_SNAPSHOT_H

#include "report.h"

/* The module's values, as it names and formats them. */
enum snap_field {
	SNAP_VERSION,			/* str */
	SNAP_PAT_MSR,			/* u: the boot CPU's PAT */
	SNAP_PAT_LAYOUT,		/* str: the 8 entries by name */
	SNAP_PAT_WC_INDEX,		/* u: signed, -1 when none */
	SNAP_PAT_CONSISTENT,		/* u: bool */
	SNAP_PAT_CPUS_READ,		/* u */
	SNAP_PAT_KERNEL_ENABLED,	/* u: bool */
	SNAP_PAT_FEATURE,		/* u: bool */
	SNAP_PAT_MSR_OTHER,		/* u: a CPU's PAT that differs (snapshot_cpu) */
	SNAP_CPU_MICROCODE,		/* u: the boot CPU's revision (snapshot_cpu) */
	SNAP_CPUID1_EDX,		/* u */
	SNAP_KERNEL_HAS_PAT,		/* u: bool */
	SNAP_PAT_MODE,			/* str: dom0gpu_pat_mode_name() */
	SNAP_PAT_REASON,		/* str */
	SNAP_HYPERVISOR_TYPE,		/* str: the kernel's x86_hyper_type name */
	SNAP_CPUID_BIT,			/* u: bool */
	SNAP_XEN_DOMAIN_TYPE,		/* str: dom0gpu_xen_domain_type_name() */
	SNAP_XEN_INITIAL_DOMAIN,	/* u: bool */
	SNAP_XEN_VERSION,		/* str: "4.17", or with the extraversion */
	SNAP_XEN_EXTRAVERSION,		/* str */
	SNAP_XEN_CAPABILITIES,		/* str */
	SNAP_XEN_CMDLINE,		/* str */
	SNAP_XEN_CMDLINE_RESTRICTED,	/* u: bool, given to root only */
	SNAP__COUNT
};

struct snap_value {
	bool set;
	char from[REPORT_FROM_LEN];	/* the file or request it came in */
	uint64_t u;
	char s[REPORT_STR_LEN];
};

struct module_snapshot {
	enum src src;			/* SRC_NETLINK or SRC_SYSFS */
	struct snap_value v[SNAP__COUNT];
};

void snapshot_init(struct module_snapshot *s, enum src src);
void snapshot_set_u(struct module_snapshot *s, enum snap_field f, uint64_t v, const char *from);
void snapshot_set_str(struct module_snapshot *s, enum snap_field f, const char *v, const char *from);
/* One CPU's PAT and microcode revision, after the boot CPU's PAT (SNAP_PAT_MSR). */
void snapshot_cpu(struct module_snapshot *s, unsigned int cpu, const uint64_t *pat,
		  const uint32_t *microcode, const char *from);
void snapshot_to_facts(const struct module_snapshot *s, struct report *r);

#endif /* DOM0GPU_STAT_SNAPSHOT_H */
