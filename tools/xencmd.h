/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DOM0GPU_STAT_XENCMD_H
#define DOM0GPU_STAT_XENCMD_H

#include <stdbool.h>
#include <stddef.h>

#define XENCMD_MAX_ISSUES	16

/*
 * What Xen 4.17 makes of a command line: the variables its parsers set
 * (names as in Xen's sources), the options that set them last, and what it
 * ignores or applies differently from how it reads.
 */
struct xencmd {
	/* xen/drivers/passthrough/iommu.c */
	bool iommu_enable;		/* default true; iommu=<bool>, no-iommu */
	bool force_iommu;		/* iommu=force|required */
	bool hwdom_passthrough;		/* dom0-iommu=passthrough, iommu=dom0-passthrough */
	bool hwdom_strict;		/* dom0-iommu=strict, iommu=dom0-strict */
	bool hwdom_none;		/* dom0-iommu=none */
	/* xen/arch/x86/dom0_build.c */
	bool dom0_pvh;			/* dom0=pvh (default pv) */
	/* xen/arch/x86/traps.c: string_param("nmi"), 10 bytes */
	bool nmi_set;
	char nmi[10];

	char iommu_token[128];		/* the option that set iommu_enable last */
	char dom0_token[128];		/* the option that set dom0_pvh last */

	/* Derived, for the rules. */
	bool iommu_disabled;		/* !iommu_enable */
	bool dom0_passthrough;		/* passthrough a PV dom0 gets (strict clears it) */
	bool nmi_dom0;			/* nmi= set to dom0 (Xen looks at its first letter) */
	bool pvh_panics;		/* dom0=pvh with the IOMMU off: Xen panics at boot */

	unsigned int nr_issues;		/* options or values Xen ignores or reads otherwise */
	char issues[XENCMD_MAX_ISSUES][240];
};

void xencmd_parse(const char *cmdline, struct xencmd *x);
/* Xen's parse_bool(): 1 true, 0 false, -1 not a boolean. */
int xencmd_parse_bool(const char *s, size_t len);

#endif /* DOM0GPU_STAT_XENCMD_H */
