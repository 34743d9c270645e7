/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * DRAFT: enum names and values are fixed; the netlink work regenerates this
 * file from uapi/dom0gpu.yaml with the kernel's ynl-gen-c.py.
 */
#ifndef _UAPI_LINUX_DOM0GPU_H
#define _UAPI_LINUX_DOM0GPU_H

#define DOM0GPU_FAMILY_NAME	"dom0gpu"
#define DOM0GPU_FAMILY_VERSION	1

enum dom0gpu_xen_domain_type {
	DOM0GPU_XEN_DOMAIN_TYPE_NONE = 1,
	DOM0GPU_XEN_DOMAIN_TYPE_PV,
	DOM0GPU_XEN_DOMAIN_TYPE_PVH,
	DOM0GPU_XEN_DOMAIN_TYPE_HVM,
};

enum dom0gpu_iommu_owner {
	DOM0GPU_IOMMU_OWNER_NONE = 1,
	DOM0GPU_IOMMU_OWNER_LINUX,
	DOM0GPU_IOMMU_OWNER_XEN,
};

enum dom0gpu_iommu_domain {
	DOM0GPU_IOMMU_DOMAIN_NONE = 1,
	DOM0GPU_IOMMU_DOMAIN_PASSTHROUGH,
	DOM0GPU_IOMMU_DOMAIN_TRANSLATED,
	DOM0GPU_IOMMU_DOMAIN_UNMANAGED,
	DOM0GPU_IOMMU_DOMAIN_BLOCKED,
	DOM0GPU_IOMMU_DOMAIN_OTHER,
};

/* Same values as enum nvpat_mode in kmod/nvpat.h. */
enum dom0gpu_pat_mode {
	DOM0GPU_PAT_MODE_KERNEL = 1,
	DOM0GPU_PAT_MODE_BUILTIN,
	DOM0GPU_PAT_MODE_DISABLED,
};

enum dom0gpu_mem_type {
	DOM0GPU_MEM_TYPE_UC = 1,
	DOM0GPU_MEM_TYPE_WC,
	DOM0GPU_MEM_TYPE_WT,
	DOM0GPU_MEM_TYPE_WP,
	DOM0GPU_MEM_TYPE_WB,
	DOM0GPU_MEM_TYPE_UC_MINUS,
	DOM0GPU_MEM_TYPE_RESERVED,
};

#endif /* _UAPI_LINUX_DOM0GPU_H */
