/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit: generated from dom0gpu.yaml by gen-attrs.py (make -C uapi header). */
/*
 * The attribute sets of the dom0gpu netlink family as tables, for
 * userspace decoders: indexed by attribute id, each row gives the spec
 * name, the netlink type, whether the attribute repeats or is shown in
 * hexadecimal, the set of a nest and the name function of an enum.
 * Include it in one source file: the tables are static.
 */
#ifndef _DOM0GPU_ATTRS_H
#define _DOM0GPU_ATTRS_H

#include <linux/types.h>
#include <linux/dom0gpu.h>
#include "dom0gpu_names.h"

enum dom0gpu_nl_type {
	DOM0GPU_NL_NONE,	/* no attribute has this id */
	DOM0GPU_NL_PAD,
	DOM0GPU_NL_U8,
	DOM0GPU_NL_U16,
	DOM0GPU_NL_U32,
	DOM0GPU_NL_U64,
	DOM0GPU_NL_S32,
	DOM0GPU_NL_STRING,
	DOM0GPU_NL_FLAG,
	DOM0GPU_NL_NEST,
};

struct dom0gpu_attr_set;

struct dom0gpu_attr {
	const char *name;			/* NULL: no attribute has this id */
	enum dom0gpu_nl_type type;
	int multi;				/* multi-attr: repeats, in order */
	int hex;				/* display-hint: hex */
	const struct dom0gpu_attr_set *nest;	/* DOM0GPU_NL_NEST */
	const char *(*enum_name)(__u32 value);	/* enum: the value's name */
};

struct dom0gpu_attr_set {
	const char *name;
	__u32 max;				/* highest attribute id */
	const struct dom0gpu_attr *attrs;	/* max + 1 rows */
};

static const struct dom0gpu_attr dom0gpu_attrs_pat_rows[DOM0GPU_A_PAT_MAX + 1] = {
	[DOM0GPU_A_PAT_FEATURE] = {
		.name = "feature",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_PAT_KERNEL_ENABLED] = {
		.name = "kernel-enabled",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_PAT_MSR] = {
		.name = "msr",
		.type = DOM0GPU_NL_U64,
		.hex = 1,
	},
	[DOM0GPU_A_PAT_ERROR] = {
		.name = "error",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_PAT_LAYOUT] = {
		.name = "layout",
		.type = DOM0GPU_NL_U32,
		.multi = 1,
		.enum_name = dom0gpu_mem_type_name,
	},
	[DOM0GPU_A_PAT_WC_INDEX] = {
		.name = "wc-index",
		.type = DOM0GPU_NL_S32,
	},
	[DOM0GPU_A_PAT_CONSISTENT] = {
		.name = "consistent",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_PAT_CPUS_READ] = {
		.name = "cpus-read",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_PAT_CPUS_FAILED] = {
		.name = "cpus-failed",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_PAT_PAD] = {
		.name = "pad",
		.type = DOM0GPU_NL_PAD,
	},
};

static const struct dom0gpu_attr_set dom0gpu_attrs_pat = {
	"pat", DOM0GPU_A_PAT_MAX, dom0gpu_attrs_pat_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_nvidia_rows[DOM0GPU_A_NVIDIA_MAX + 1] = {
	[DOM0GPU_A_NVIDIA_PAT_MODE] = {
		.name = "pat-mode",
		.type = DOM0GPU_NL_U32,
		.enum_name = dom0gpu_pat_mode_name,
	},
	[DOM0GPU_A_NVIDIA_WC_INDEX] = {
		.name = "wc-index",
		.type = DOM0GPU_NL_S32,
	},
	[DOM0GPU_A_NVIDIA_REASON] = {
		.name = "reason",
		.type = DOM0GPU_NL_STRING,
	},
	[DOM0GPU_A_NVIDIA_MODULE_LOADED] = {
		.name = "module-loaded",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_NVIDIA_INPUT_PAT] = {
		.name = "input-pat",
		.type = DOM0GPU_NL_U64,
		.hex = 1,
	},
	[DOM0GPU_A_NVIDIA_INPUT_FEATURE_PAT] = {
		.name = "input-feature-pat",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_NVIDIA_INPUT_VENDOR_INTEL] = {
		.name = "input-vendor-intel",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_NVIDIA_INPUT_CPUID_LEVEL] = {
		.name = "input-cpuid-level",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_NVIDIA_INPUT_CPUID1_EDX] = {
		.name = "input-cpuid1-edx",
		.type = DOM0GPU_NL_U32,
		.hex = 1,
	},
	[DOM0GPU_A_NVIDIA_INPUT_FAMILY] = {
		.name = "input-family",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_NVIDIA_INPUT_MODEL] = {
		.name = "input-model",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_NVIDIA_INPUT_KERNEL_HAS_PAT] = {
		.name = "input-kernel-has-pat",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_NVIDIA_INPUT_USE_PAT_PARAM] = {
		.name = "input-use-pat-param",
		.type = DOM0GPU_NL_U32,
		.hex = 1,
	},
	[DOM0GPU_A_NVIDIA_PAD] = {
		.name = "pad",
		.type = DOM0GPU_NL_PAD,
	},
};

static const struct dom0gpu_attr_set dom0gpu_attrs_nvidia = {
	"nvidia", DOM0GPU_A_NVIDIA_MAX, dom0gpu_attrs_nvidia_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_mtrr_var_rows[DOM0GPU_A_MTRR_VAR_MAX + 1] = {
	[DOM0GPU_A_MTRR_VAR_INDEX] = {
		.name = "index",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_MTRR_VAR_BASE] = {
		.name = "base",
		.type = DOM0GPU_NL_U64,
		.hex = 1,
	},
	[DOM0GPU_A_MTRR_VAR_MASK] = {
		.name = "mask",
		.type = DOM0GPU_NL_U64,
		.hex = 1,
	},
	[DOM0GPU_A_MTRR_VAR_VALID] = {
		.name = "valid",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_MTRR_VAR_SIZE] = {
		.name = "size",
		.type = DOM0GPU_NL_U64,
		.hex = 1,
	},
	[DOM0GPU_A_MTRR_VAR_TYPE] = {
		.name = "type",
		.type = DOM0GPU_NL_U32,
		.enum_name = dom0gpu_mem_type_name,
	},
	[DOM0GPU_A_MTRR_VAR_PAD] = {
		.name = "pad",
		.type = DOM0GPU_NL_PAD,
	},
};

static const struct dom0gpu_attr_set dom0gpu_attrs_mtrr_var = {
	"mtrr-var", DOM0GPU_A_MTRR_VAR_MAX, dom0gpu_attrs_mtrr_var_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_mtrr_rows[DOM0GPU_A_MTRR_MAX + 1] = {
	[DOM0GPU_A_MTRR_FEATURE] = {
		.name = "feature",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_MTRR_READABLE] = {
		.name = "readable",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_MTRR_ERROR] = {
		.name = "error",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_MTRR_CAP] = {
		.name = "cap",
		.type = DOM0GPU_NL_U64,
		.hex = 1,
	},
	[DOM0GPU_A_MTRR_DEF_TYPE] = {
		.name = "def-type",
		.type = DOM0GPU_NL_U64,
		.hex = 1,
	},
	[DOM0GPU_A_MTRR_VAR_COUNT] = {
		.name = "var-count",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_MTRR_ENABLED] = {
		.name = "enabled",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_MTRR_FIXED_ENABLED] = {
		.name = "fixed-enabled",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_MTRR_DEFAULT_TYPE] = {
		.name = "default-type",
		.type = DOM0GPU_NL_U32,
		.enum_name = dom0gpu_mem_type_name,
	},
	[DOM0GPU_A_MTRR_RESTRICTED] = {
		.name = "restricted",
		.type = DOM0GPU_NL_FLAG,
	},
	[DOM0GPU_A_MTRR_VAR] = {
		.name = "var",
		.type = DOM0GPU_NL_NEST,
		.multi = 1,
		.nest = &dom0gpu_attrs_mtrr_var,
	},
	[DOM0GPU_A_MTRR_FIXED] = {
		.name = "fixed",
		.type = DOM0GPU_NL_U64,
		.multi = 1,
		.hex = 1,
	},
	[DOM0GPU_A_MTRR_PAD] = {
		.name = "pad",
		.type = DOM0GPU_NL_PAD,
	},
};

static const struct dom0gpu_attr_set dom0gpu_attrs_mtrr = {
	"mtrr", DOM0GPU_A_MTRR_MAX, dom0gpu_attrs_mtrr_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_hypervisor_rows[DOM0GPU_A_HYPERVISOR_MAX + 1] = {
	[DOM0GPU_A_HYPERVISOR_TYPE] = {
		.name = "type",
		.type = DOM0GPU_NL_STRING,
	},
	[DOM0GPU_A_HYPERVISOR_CPUID_BIT] = {
		.name = "cpuid-bit",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_HYPERVISOR_CPUID_MAX_LEAF] = {
		.name = "cpuid-max-leaf",
		.type = DOM0GPU_NL_U32,
		.hex = 1,
	},
	[DOM0GPU_A_HYPERVISOR_CPUID_SIGNATURE] = {
		.name = "cpuid-signature",
		.type = DOM0GPU_NL_STRING,
	},
};

static const struct dom0gpu_attr_set dom0gpu_attrs_hypervisor = {
	"hypervisor", DOM0GPU_A_HYPERVISOR_MAX, dom0gpu_attrs_hypervisor_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_xen_rows[DOM0GPU_A_XEN_MAX + 1] = {
	[DOM0GPU_A_XEN_DOMAIN_TYPE] = {
		.name = "domain-type",
		.type = DOM0GPU_NL_U32,
		.enum_name = dom0gpu_xen_domain_type_name,
	},
	[DOM0GPU_A_XEN_INITIAL_DOMAIN] = {
		.name = "initial-domain",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_XEN_VERSION_MAJOR] = {
		.name = "version-major",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_XEN_VERSION_MINOR] = {
		.name = "version-minor",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_XEN_EXTRAVERSION] = {
		.name = "extraversion",
		.type = DOM0GPU_NL_STRING,
	},
	[DOM0GPU_A_XEN_CAPABILITIES] = {
		.name = "capabilities",
		.type = DOM0GPU_NL_STRING,
	},
	[DOM0GPU_A_XEN_CMDLINE] = {
		.name = "cmdline",
		.type = DOM0GPU_NL_STRING,
	},
	[DOM0GPU_A_XEN_RESTRICTED] = {
		.name = "restricted",
		.type = DOM0GPU_NL_FLAG,
	},
};

static const struct dom0gpu_attr_set dom0gpu_attrs_xen = {
	"xen", DOM0GPU_A_XEN_MAX, dom0gpu_attrs_xen_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_iommu_rows[DOM0GPU_A_IOMMU_MAX + 1] = {
	[DOM0GPU_A_IOMMU_OWNER] = {
		.name = "owner",
		.type = DOM0GPU_NL_U32,
		.enum_name = dom0gpu_iommu_owner_name,
	},
	[DOM0GPU_A_IOMMU_LINUX_PRESENT] = {
		.name = "linux-present",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_IOMMU_DEFAULT_DOMAIN] = {
		.name = "default-domain",
		.type = DOM0GPU_NL_U32,
		.enum_name = dom0gpu_iommu_domain_name,
	},
	[DOM0GPU_A_IOMMU_GROUP_COUNT] = {
		.name = "group-count",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_IOMMU_ACPI_DMAR] = {
		.name = "acpi-dmar",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_IOMMU_ACPI_IVRS] = {
		.name = "acpi-ivrs",
		.type = DOM0GPU_NL_U8,
	},
};

static const struct dom0gpu_attr_set dom0gpu_attrs_iommu = {
	"iommu", DOM0GPU_A_IOMMU_MAX, dom0gpu_attrs_iommu_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_gpu_rows[DOM0GPU_A_GPU_MAX + 1] = {
	[DOM0GPU_A_GPU_DOMAIN] = {
		.name = "domain",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_GPU_BUS] = {
		.name = "bus",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_GPU_SLOT] = {
		.name = "slot",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_GPU_FUNCTION] = {
		.name = "function",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_GPU_VENDOR] = {
		.name = "vendor",
		.type = DOM0GPU_NL_U16,
		.hex = 1,
	},
	[DOM0GPU_A_GPU_DEVICE] = {
		.name = "device",
		.type = DOM0GPU_NL_U16,
		.hex = 1,
	},
	[DOM0GPU_A_GPU_CLASS] = {
		.name = "class",
		.type = DOM0GPU_NL_U32,
		.hex = 1,
	},
	[DOM0GPU_A_GPU_DRIVER] = {
		.name = "driver",
		.type = DOM0GPU_NL_STRING,
	},
	[DOM0GPU_A_GPU_BAR_SIZE] = {
		.name = "bar-size",
		.type = DOM0GPU_NL_U64,
		.multi = 1,
	},
	[DOM0GPU_A_GPU_NUMA_NODE] = {
		.name = "numa-node",
		.type = DOM0GPU_NL_S32,
	},
	[DOM0GPU_A_GPU_IOMMU_GROUP] = {
		.name = "iommu-group",
		.type = DOM0GPU_NL_S32,
	},
	[DOM0GPU_A_GPU_IOMMU_DOMAIN] = {
		.name = "iommu-domain",
		.type = DOM0GPU_NL_U32,
		.enum_name = dom0gpu_iommu_domain_name,
	},
	[DOM0GPU_A_GPU_PAD] = {
		.name = "pad",
		.type = DOM0GPU_NL_PAD,
	},
};

static const struct dom0gpu_attr_set dom0gpu_attrs_gpu = {
	"gpu", DOM0GPU_A_GPU_MAX, dom0gpu_attrs_gpu_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_cpu_rows[DOM0GPU_A_CPU_MAX + 1] = {
	[DOM0GPU_A_CPU_ID] = {
		.name = "id",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_CPU_ONLINE] = {
		.name = "online",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_CPU_MSR] = {
		.name = "msr",
		.type = DOM0GPU_NL_U64,
		.hex = 1,
	},
	[DOM0GPU_A_CPU_ERROR] = {
		.name = "error",
		.type = DOM0GPU_NL_U32,
	},
	[DOM0GPU_A_CPU_LAYOUT] = {
		.name = "layout",
		.type = DOM0GPU_NL_U32,
		.multi = 1,
		.enum_name = dom0gpu_mem_type_name,
	},
	[DOM0GPU_A_CPU_WC_INDEX] = {
		.name = "wc-index",
		.type = DOM0GPU_NL_S32,
	},
	[DOM0GPU_A_CPU_PAT_CONSISTENT] = {
		.name = "pat-consistent",
		.type = DOM0GPU_NL_U8,
	},
	[DOM0GPU_A_CPU_PAD] = {
		.name = "pad",
		.type = DOM0GPU_NL_PAD,
	},
	[DOM0GPU_A_CPU_MICROCODE] = {
		.name = "microcode",
		.type = DOM0GPU_NL_U32,
		.hex = 1,
	},
	[DOM0GPU_A_CPU_MODEL_NAME] = {
		.name = "model-name",
		.type = DOM0GPU_NL_STRING,
	},
};

static const struct dom0gpu_attr_set dom0gpu_attrs_cpu = {
	"cpu", DOM0GPU_A_CPU_MAX, dom0gpu_attrs_cpu_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_dom0gpu_rows[DOM0GPU_A_MAX + 1] = {
	[DOM0GPU_A_GENERATION] = {
		.name = "generation",
		.type = DOM0GPU_NL_U64,
	},
	[DOM0GPU_A_PAD] = {
		.name = "pad",
		.type = DOM0GPU_NL_PAD,
	},
	[DOM0GPU_A_PAT] = {
		.name = "pat",
		.type = DOM0GPU_NL_NEST,
		.nest = &dom0gpu_attrs_pat,
	},
	[DOM0GPU_A_NVIDIA] = {
		.name = "nvidia",
		.type = DOM0GPU_NL_NEST,
		.nest = &dom0gpu_attrs_nvidia,
	},
	[DOM0GPU_A_MTRR] = {
		.name = "mtrr",
		.type = DOM0GPU_NL_NEST,
		.nest = &dom0gpu_attrs_mtrr,
	},
	[DOM0GPU_A_HYPERVISOR] = {
		.name = "hypervisor",
		.type = DOM0GPU_NL_NEST,
		.nest = &dom0gpu_attrs_hypervisor,
	},
	[DOM0GPU_A_XEN] = {
		.name = "xen",
		.type = DOM0GPU_NL_NEST,
		.nest = &dom0gpu_attrs_xen,
	},
	[DOM0GPU_A_IOMMU] = {
		.name = "iommu",
		.type = DOM0GPU_NL_NEST,
		.nest = &dom0gpu_attrs_iommu,
	},
	[DOM0GPU_A_GPU] = {
		.name = "gpu",
		.type = DOM0GPU_NL_NEST,
		.multi = 1,
		.nest = &dom0gpu_attrs_gpu,
	},
	[DOM0GPU_A_CPU] = {
		.name = "cpu",
		.type = DOM0GPU_NL_NEST,
		.nest = &dom0gpu_attrs_cpu,
	},
	[DOM0GPU_A_VERSION] = {
		.name = "version",
		.type = DOM0GPU_NL_STRING,
	},
};

static const struct dom0gpu_attr_set dom0gpu_attrs_dom0gpu = {
	"dom0gpu", DOM0GPU_A_MAX, dom0gpu_attrs_dom0gpu_rows
};

#endif /* _DOM0GPU_ATTRS_H */
