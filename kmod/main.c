// SPDX-License-Identifier: GPL-2.0
/*
 * dom0gpu: reports whether this host's platform lets the NVIDIA driver do
 * CUDA work (PAT layout, MTRRs, Xen domain type, IOMMU, GPUs). Read-only.
 *
 * The sources of truth fill the model first; the views (netlink, sysfs)
 * come last so that nothing is shown before it is known.
 */
#include <linux/module.h>
#include "model.h"
#include "netlink.h"

static int __init dom0gpu_init(void)
{
	int err;

	err = d0g_pat_init();
	if (err)
		goto err_pat;
	err = d0g_mtrr_init();
	if (err)
		goto err_mtrr;
	err = d0g_hypervisor_init();
	if (err)
		goto err_hypervisor;
	err = d0g_xen_init();
	if (err)
		goto err_xen;
	err = d0g_iommu_init();
	if (err)
		goto err_iommu;
	err = d0g_gpu_init();
	if (err)
		goto err_gpu;
	err = d0g_nvidia_init();
	if (err)
		goto err_nvidia;
	/* Views. */
	err = d0g_sysfs_init();
	if (err)
		goto err_sysfs;
	err = d0g_netlink_init();
	if (err)
		goto err_netlink;
	return 0;

err_netlink:
	d0g_sysfs_uninit();
err_sysfs:
	d0g_nvidia_uninit();
err_nvidia:
	d0g_gpu_uninit();
err_gpu:
	d0g_iommu_uninit();
err_iommu:
	d0g_xen_uninit();
err_xen:
	d0g_hypervisor_uninit();
err_hypervisor:
	d0g_mtrr_uninit();
err_mtrr:
	d0g_pat_uninit();
err_pat:
	return err;
}

static void __exit dom0gpu_exit(void)
{
	d0g_netlink_uninit();
	d0g_sysfs_uninit();
	d0g_nvidia_uninit();
	d0g_gpu_uninit();
	d0g_iommu_uninit();
	d0g_xen_uninit();
	d0g_hypervisor_uninit();
	d0g_mtrr_uninit();
	d0g_pat_uninit();
}

module_init(dom0gpu_init);
module_exit(dom0gpu_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(D0G_VERSION);
MODULE_DESCRIPTION("Reports whether NVIDIA CUDA can work on this (Xen) host");
MODULE_AUTHOR("The dom0gpu authors");
