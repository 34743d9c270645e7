/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DOM0GPU_STAT_XENCMD_H
#define DOM0GPU_STAT_XENCMD_H

#include <stdbool.h>
#include <stddef.h>

#define XENCMD_MAX_ISSUES	8

struct xencmd {
	bool dom0_pvh;			/* dom0=pvh */
	bool iommu_disabled;		/* iommu=no|0|off|false|disable or no-iommu */
	char iommu_token[96];		/* the option that decided it */
	bool dom0_passthrough;		/* dom0-iommu=passthrough: PV only */
	bool nmi_dom0;			/* nmi=dom0: not forwarded to a PVH dom0 */
	unsigned int nr_issues;		/* options or values Xen ignores */
	char issues[XENCMD_MAX_ISSUES][200];
};

void xencmd_parse(const char *cmdline, struct xencmd *x);
int xencmd_parse_bool(const char *s, size_t len);

#endif /* DOM0GPU_STAT_XENCMD_H */
