// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen domain this kernel runs in: PV, PVH or HVM, whether it is the
 * initial domain (dom0), and what Xen says about itself (version,
 * capabilities, its command line).
 *
 * xen_pvh is exported only since ~5.16. Every kernel from 4.19 on names a
 * PVH boot "Xen PVH" in the exported pv_info, on both the direct PVH entry
 * and the ACPI-detected path, so that is what tells PVH from HVM here.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/paravirt.h>
#include <xen/xen.h>
#include <xen/interface/version.h>
#include <asm/xen/hypercall.h>
#include "model.h"

static enum dom0gpu_xen_domain_type xen_type(void)
{
	if (xen_pv_domain())
		return DOM0GPU_XEN_DOMAIN_TYPE_PV;
	if (!xen_hvm_domain())
		return DOM0GPU_XEN_DOMAIN_TYPE_NONE;
	if (pv_info.name && !strcmp(pv_info.name, "Xen PVH"))
		return DOM0GPU_XEN_DOMAIN_TYPE_PVH;
	return DOM0GPU_XEN_DOMAIN_TYPE_HVM;
}

/* Xen fills fixed-size fields, NUL ended only if shorter than the field. */
static void xen_string(int cmd, char *buf, size_t size)
{
	if (HYPERVISOR_xen_version(cmd, buf) < 0)
		buf[0] = '\0';
	buf[size - 1] = '\0';
}

int d0g_xen_init(void)
{
	struct d0g_xen *x;
	int ver;

	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return -ENOMEM;

	x->domain_type = xen_type();
	if (xen_domain()) {
		x->initial_domain = xen_initial_domain();
		ver = HYPERVISOR_xen_version(XENVER_version, NULL);
		if (ver > 0) {
			x->version_major = (u32)ver >> 16;
			x->version_minor = ver & 0xffff;
		}
		xen_string(XENVER_extraversion, x->extraversion,
			   sizeof(x->extraversion));
		xen_string(XENVER_capabilities, x->capabilities,
			   sizeof(x->capabilities));
		xen_string(XENVER_commandline, x->cmdline, sizeof(x->cmdline));
	}

	d0g_model_lock();
	d0g_model.xen = *x;
	d0g_model_unlock();
	kfree(x);
	return 0;
}

void d0g_xen_uninit(void)
{
	d0g_model_lock();
	memset(&d0g_model.xen, 0, sizeof(d0g_model.xen));
	d0g_model.xen.domain_type = DOM0GPU_XEN_DOMAIN_TYPE_NONE;
	d0g_model_unlock();
}
