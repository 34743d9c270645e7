// SPDX-License-Identifier: GPL-2.0
/*
 * dom0gpu: reports whether this host's platform lets the NVIDIA driver do
 * CUDA work (PAT layout, MTRRs, Xen domain type, IOMMU, GPUs). Read-only.
 */
#include <linux/module.h>

static int __init dom0gpu_init(void)
{
	pr_info("loaded\n");
	return 0;
}

static void __exit dom0gpu_exit(void)
{
}

module_init(dom0gpu_init);
module_exit(dom0gpu_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Reports whether NVIDIA CUDA can work on this (Xen) host");
MODULE_AUTHOR("The dom0gpu authors");
