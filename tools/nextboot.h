/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the configured next boot (xen.cmdline_configured) does to dom0:
 * the two outcomes a fleet must hear about before the reboot, for the
 * Prometheus gauges and the fleet table.
 */
#ifndef DOM0GPU_STAT_NEXTBOOT_H
#define DOM0GPU_STAT_NEXTBOOT_H

#include <stdbool.h>

#include "report.h"

struct next_boot {
	bool known;		/* a next-boot Xen command line was read */
	bool dom0_pvh;		/* it asks for dom0=pvh */
	bool iommu_disabled;	/* it turns Xen's IOMMU off */
	bool panics;		/* dom0=pvh without IOMMU: Xen panics building dom0 */
	bool loses_pvh;		/* dom0 runs PVH now, the next boot builds a PV dom0 */
	char iommu_token[128];	/* the option that turns the IOMMU off */
};

void next_boot_assess(const struct report *r, struct next_boot *nb);

#endif /* DOM0GPU_STAT_NEXTBOOT_H */
