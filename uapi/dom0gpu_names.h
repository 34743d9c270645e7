/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * The words dom0gpu prints for the values of its uapi enums, shared by the
 * module (sysfs files) and dom0gpu-stat (reports): one table per enum, so a
 * name is written once. Memory types use the kernel's words
 * (arch/x86/mm/pat/memtype.c); a reserved encoding prints as "??".
 */
#ifndef _DOM0GPU_NAMES_H
#define _DOM0GPU_NAMES_H

#include <linux/types.h>
#include <linux/dom0gpu.h>

static inline const char *dom0gpu_name_of(const char *const *names,
					  __u32 count, __u32 value,
					  const char *unknown)
{
	return value < count && names[value] ? names[value] : unknown;
}

static inline const char *dom0gpu_mem_type_name(__u32 type)
{
	static const char *const names[DOM0GPU_MEM_TYPE_RESERVED + 1] = {
		[DOM0GPU_MEM_TYPE_UC] = "UC",
		[DOM0GPU_MEM_TYPE_WC] = "WC",
		[DOM0GPU_MEM_TYPE_WT] = "WT",
		[DOM0GPU_MEM_TYPE_WP] = "WP",
		[DOM0GPU_MEM_TYPE_WB] = "WB",
		[DOM0GPU_MEM_TYPE_UC_MINUS] = "UC-",
	};

	return dom0gpu_name_of(names, DOM0GPU_MEM_TYPE_RESERVED + 1, type, "??");
}

/*
 * The memory type of an architectural encoding (Intel SDM vol. 3, 11.11
 * and 11.12): a PAT entry, or an MTRR type field, where 7 (UC-) is reserved.
 */
static inline __u32 dom0gpu_mem_type_of(__u8 encoding, int is_pat)
{
	static const __u8 types[8] = {
		[0] = DOM0GPU_MEM_TYPE_UC,
		[1] = DOM0GPU_MEM_TYPE_WC,
		[4] = DOM0GPU_MEM_TYPE_WT,
		[5] = DOM0GPU_MEM_TYPE_WP,
		[6] = DOM0GPU_MEM_TYPE_WB,
		[7] = DOM0GPU_MEM_TYPE_UC_MINUS,
	};

	if (encoding >= 8 || !types[encoding] || (encoding == 7 && !is_pat))
		return DOM0GPU_MEM_TYPE_RESERVED;
	return types[encoding];
}

static inline const char *dom0gpu_xen_domain_type_name(__u32 type)
{
	static const char *const names[DOM0GPU_XEN_DOMAIN_TYPE_HVM + 1] = {
		[DOM0GPU_XEN_DOMAIN_TYPE_NONE] = "none",
		[DOM0GPU_XEN_DOMAIN_TYPE_PV] = "pv",
		[DOM0GPU_XEN_DOMAIN_TYPE_PVH] = "pvh",
		[DOM0GPU_XEN_DOMAIN_TYPE_HVM] = "hvm",
	};

	return dom0gpu_name_of(names, DOM0GPU_XEN_DOMAIN_TYPE_HVM + 1, type, "unknown");
}

static inline const char *dom0gpu_iommu_owner_name(__u32 owner)
{
	static const char *const names[DOM0GPU_IOMMU_OWNER_XEN + 1] = {
		[DOM0GPU_IOMMU_OWNER_NONE] = "none",
		[DOM0GPU_IOMMU_OWNER_LINUX] = "linux",
		[DOM0GPU_IOMMU_OWNER_XEN] = "xen",
	};

	return dom0gpu_name_of(names, DOM0GPU_IOMMU_OWNER_XEN + 1, owner, "unknown");
}

static inline const char *dom0gpu_iommu_domain_name(__u32 domain)
{
	static const char *const names[DOM0GPU_IOMMU_DOMAIN_OTHER + 1] = {
		[DOM0GPU_IOMMU_DOMAIN_NONE] = "none",
		[DOM0GPU_IOMMU_DOMAIN_PASSTHROUGH] = "passthrough",
		[DOM0GPU_IOMMU_DOMAIN_TRANSLATED] = "translated",
		[DOM0GPU_IOMMU_DOMAIN_UNMANAGED] = "unmanaged",
		[DOM0GPU_IOMMU_DOMAIN_BLOCKED] = "blocked",
		[DOM0GPU_IOMMU_DOMAIN_OTHER] = "other",
	};

	return dom0gpu_name_of(names, DOM0GPU_IOMMU_DOMAIN_OTHER + 1, domain, "unknown");
}

static inline const char *dom0gpu_pat_mode_name(__u32 mode)
{
	static const char *const names[DOM0GPU_PAT_MODE_DISABLED + 1] = {
		[DOM0GPU_PAT_MODE_KERNEL] = "kernel",
		[DOM0GPU_PAT_MODE_BUILTIN] = "builtin",
		[DOM0GPU_PAT_MODE_DISABLED] = "disabled",
	};

	return dom0gpu_name_of(names, DOM0GPU_PAT_MODE_DISABLED + 1, mode, "unknown");
}

/*
 * The events of the "events" multicast group by their spec names, as
 * dom0gpu-stat --watch prints them (uapi/check-spec.py holds this table
 * to the spec).
 */
static inline const char *dom0gpu_event_name(__u32 cmd)
{
	static const char *const names[DOM0GPU_CMD_MAX + 1] = {
		[DOM0GPU_CMD_CPU_ONLINE] = "cpu-online",
		[DOM0GPU_CMD_CPU_OFFLINE] = "cpu-offline",
		[DOM0GPU_CMD_GPU_ADD] = "gpu-add",
		[DOM0GPU_CMD_GPU_DEL] = "gpu-del",
		[DOM0GPU_CMD_GPU_CHANGE] = "gpu-change",
		[DOM0GPU_CMD_NVIDIA_COMING] = "nvidia-coming",
		[DOM0GPU_CMD_NVIDIA_LOAD] = "nvidia-load",
		[DOM0GPU_CMD_NVIDIA_UNLOAD] = "nvidia-unload",
	};

	return dom0gpu_name_of(names, DOM0GPU_CMD_MAX + 1, cmd, "unknown");
}

/*
 * The kernel's enum x86_hypervisor_type (asm/hypervisor.h), whose values are
 * only ever appended; the hypervisor/type file and attribute carry the name.
 */
#define DOM0GPU_HYPER_TYPES	9

static inline const char *dom0gpu_hyper_type_name(__u32 type)
{
	static const char *const names[DOM0GPU_HYPER_TYPES] = {
		"native", "vmware", "ms_hyperv", "xen_pv", "xen_hvm", "kvm",
		"jailhouse", "acrn", "bhyve",
	};

	return dom0gpu_name_of(names, DOM0GPU_HYPER_TYPES, type, "unknown");
}

#endif /* _DOM0GPU_NAMES_H */
