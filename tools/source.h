/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one seam between dom0gpu-stat and where facts come from. Callers use
 * source_collect() only; the backends below are tried in order:
 *   the module over generic netlink, else its sysfs tree, else the degraded
 * userspace readers; the userspace facts (NVIDIA driver, PCI, kernel config,
 * Xen's own view through libxenctrl) are added in every mode.
 */
#ifndef DOM0GPU_STAT_SOURCE_H
#define DOM0GPU_STAT_SOURCE_H

#include "report.h"

struct collect_opts {
	bool no_netlink;	/* --source=sysfs|degraded */
	bool no_sysfs;		/* --source=degraded */
	bool no_xenctrl;	/* tests: never dlopen libxenctrl */
};

void source_collect(struct report *r, const struct collect_opts *o);

/* Backends: 0 when the module answered, -errno when it did not. */
int src_netlink_collect(struct report *r);
int src_sysfs_collect(struct report *r);
/* Always succeed; fill what they can and leave notes about the rest. */
void src_degraded_collect(struct report *r);
void src_userspace_collect(struct report *r);
/* NVreg_UsePageAttributeTable: the running driver's, else modprobe's for its next load. */
void src_nvopts_collect(struct report *r);
void src_pci_collect(struct report *r);
void src_xenctrl_collect(struct report *r);

/* Kernel log lines, oldest first; cb returns nonzero to stop. */
int kmsg_foreach(int (*cb)(const char *line, void *arg), void *arg, char *from, size_t fromlen);

#endif /* DOM0GPU_STAT_SOURCE_H */
