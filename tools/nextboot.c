// SPDX-License-Identifier: GPL-2.0
/*
 * The next boot, from Xen's command line as configured (xencmd.c reads it
 * as Xen 4.17 does). Xen 4.17 panics rather than build a PVH hardware
 * domain without an IOMMU (xen/drivers/passthrough/x86/iommu.c,
 * arch_iommu_check_autotranslated_hwdom(): "Presently, iommu must be
 * enabled for PVH hardware domain"), and builds a PV dom0 unless dom0=pvh
 * is given (xen/arch/x86/dom0_build.c, parse_dom0_param()).
 */
#include <stdio.h>
#include <string.h>

#include "nextboot.h"
#include "rule_ctx.h"

void next_boot_assess(const struct report *r, struct next_boot *nb)
{
	struct xencmd x;

	memset(nb, 0, sizeof(*nb));
	/* Parsed as the rules' context parses it, so both judge one next boot. */
	if (!xen_cmdline_fact(r, F_XEN_CMDLINE_NEXT, &x))
		return;
	nb->known = true;
	nb->dom0_pvh = x.dom0_pvh;
	nb->iommu_disabled = x.iommu_disabled;
	snprintf(nb->iommu_token, sizeof(nb->iommu_token), "%s", x.iommu_token);
	nb->panics = x.pvh_panics;
	nb->loses_pvh = fact_str_is(r, F_XEN_DOMAIN_TYPE, "pvh") && !x.dom0_pvh;
}
