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
	[DOM0GPU_A_PAT_FEATURE] = { "feature", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_PAT_KERNEL_ENABLED] = { "kernel-enabled", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_PAT_MSR] = { "msr", DOM0GPU_NL_U64, 0, 1, NULL, NULL },
	[DOM0GPU_A_PAT_ERROR] = { "error", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_PAT_LAYOUT] = { "layout", DOM0GPU_NL_U32, 1, 0, NULL, dom0gpu_mem_type_name },
	[DOM0GPU_A_PAT_WC_INDEX] = { "wc-index", DOM0GPU_NL_S32, 0, 0, NULL, NULL },
	[DOM0GPU_A_PAT_CONSISTENT] = { "consistent", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_PAT_CPUS_READ] = { "cpus-read", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_PAT_CPUS_FAILED] = { "cpus-failed", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_PAT_PAD] = { "pad", DOM0GPU_NL_PAD, 0, 0, NULL, NULL },
};

static const struct dom0gpu_attr_set dom0gpu_attrs_pat = {
	"pat", DOM0GPU_A_PAT_MAX, dom0gpu_attrs_pat_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_nvidia_rows[DOM0GPU_A_NVIDIA_MAX + 1] = {
	[DOM0GPU_A_NVIDIA_PAT_MODE] = { "pat-mode", DOM0GPU_NL_U32, 0, 0, NULL, dom0gpu_pat_mode_name },
	[DOM0GPU_A_NVIDIA_WC_INDEX] = { "wc-index", DOM0GPU_NL_S32, 0, 0, NULL, NULL },
	[DOM0GPU_A_NVIDIA_REASON] = { "reason", DOM0GPU_NL_STRING, 0, 0, NULL, NULL },
	[DOM0GPU_A_NVIDIA_MODULE_LOADED] = { "module-loaded", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_NVIDIA_INPUT_PAT] = { "input-pat", DOM0GPU_NL_U64, 0, 1, NULL, NULL },
	[DOM0GPU_A_NVIDIA_INPUT_FEATURE_PAT] = { "input-feature-pat", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_NVIDIA_INPUT_VENDOR_INTEL] = { "input-vendor-intel", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_NVIDIA_INPUT_CPUID_LEVEL] = { "input-cpuid-level", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_NVIDIA_INPUT_CPUID1_EDX] = { "input-cpuid1-edx", DOM0GPU_NL_U32, 0, 1, NULL, NULL },
	[DOM0GPU_A_NVIDIA_INPUT_FAMILY] = { "input-family", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_NVIDIA_INPUT_MODEL] = { "input-model", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_NVIDIA_INPUT_KERNEL_HAS_PAT] = { "input-kernel-has-pat", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_NVIDIA_INPUT_USE_PAT_PARAM] = { "input-use-pat-param", DOM0GPU_NL_U32, 0, 1, NULL, NULL },
	[DOM0GPU_A_NVIDIA_PAD] = { "pad", DOM0GPU_NL_PAD, 0, 0, NULL, NULL },
};

static const struct dom0gpu_attr_set dom0gpu_attrs_nvidia = {
	"nvidia", DOM0GPU_A_NVIDIA_MAX, dom0gpu_attrs_nvidia_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_mtrr_var_rows[DOM0GPU_A_MTRR_VAR_MAX + 1] = {
	[DOM0GPU_A_MTRR_VAR_INDEX] = { "index", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_MTRR_VAR_BASE] = { "base", DOM0GPU_NL_U64, 0, 1, NULL, NULL },
	[DOM0GPU_A_MTRR_VAR_MASK] = { "mask", DOM0GPU_NL_U64, 0, 1, NULL, NULL },
	[DOM0GPU_A_MTRR_VAR_VALID] = { "valid", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_MTRR_VAR_SIZE] = { "size", DOM0GPU_NL_U64, 0, 1, NULL, NULL },
	[DOM0GPU_A_MTRR_VAR_TYPE] = { "type", DOM0GPU_NL_U32, 0, 0, NULL, dom0gpu_mem_type_name },
	[DOM0GPU_A_MTRR_VAR_PAD] = { "pad", DOM0GPU_NL_PAD, 0, 0, NULL, NULL },
};

static const struct dom0gpu_attr_set dom0gpu_attrs_mtrr_var = {
	"mtrr-var", DOM0GPU_A_MTRR_VAR_MAX, dom0gpu_attrs_mtrr_var_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_mtrr_rows[DOM0GPU_A_MTRR_MAX + 1] = {
	[DOM0GPU_A_MTRR_FEATURE] = { "feature", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_MTRR_READABLE] = { "readable", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_MTRR_ERROR] = { "error", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_MTRR_CAP] = { "cap", DOM0GPU_NL_U64, 0, 1, NULL, NULL },
	[DOM0GPU_A_MTRR_DEF_TYPE] = { "def-type", DOM0GPU_NL_U64, 0, 1, NULL, NULL },
	[DOM0GPU_A_MTRR_VAR_COUNT] = { "var-count", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_MTRR_ENABLED] = { "enabled", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_MTRR_FIXED_ENABLED] = { "fixed-enabled", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_MTRR_DEFAULT_TYPE] = { "default-type", DOM0GPU_NL_U32, 0, 0, NULL, dom0gpu_mem_type_name },
	[DOM0GPU_A_MTRR_RESTRICTED] = { "restricted", DOM0GPU_NL_FLAG, 0, 0, NULL, NULL },
	[DOM0GPU_A_MTRR_VAR] = { "var", DOM0GPU_NL_NEST, 1, 0, &dom0gpu_attrs_mtrr_var, NULL },
	[DOM0GPU_A_MTRR_FIXED] = { "fixed", DOM0GPU_NL_U64, 1, 1, NULL, NULL },
	[DOM0GPU_A_MTRR_PAD] = { "pad", DOM0GPU_NL_PAD, 0, 0, NULL, NULL },
};

static const struct dom0gpu_attr_set dom0gpu_attrs_mtrr = {
	"mtrr", DOM0GPU_A_MTRR_MAX, dom0gpu_attrs_mtrr_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_hypervisor_rows[DOM0GPU_A_HYPERVISOR_MAX + 1] = {
	[DOM0GPU_A_HYPERVISOR_TYPE] = { "type", DOM0GPU_NL_STRING, 0, 0, NULL, NULL },
	[DOM0GPU_A_HYPERVISOR_CPUID_BIT] = { "cpuid-bit", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_HYPERVISOR_CPUID_MAX_LEAF] = { "cpuid-max-leaf", DOM0GPU_NL_U32, 0, 1, NULL, NULL },
	[DOM0GPU_A_HYPERVISOR_CPUID_SIGNATURE] = { "cpuid-signature", DOM0GPU_NL_STRING, 0, 0, NULL, NULL },
};

static const struct dom0gpu_attr_set dom0gpu_attrs_hypervisor = {
	"hypervisor", DOM0GPU_A_HYPERVISOR_MAX, dom0gpu_attrs_hypervisor_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_xen_rows[DOM0GPU_A_XEN_MAX + 1] = {
	[DOM0GPU_A_XEN_DOMAIN_TYPE] = { "domain-type", DOM0GPU_NL_U32, 0, 0, NULL, dom0gpu_xen_domain_type_name },
	[DOM0GPU_A_XEN_INITIAL_DOMAIN] = { "initial-domain", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_XEN_VERSION_MAJOR] = { "version-major", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_XEN_VERSION_MINOR] = { "version-minor", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_XEN_EXTRAVERSION] = { "extraversion", DOM0GPU_NL_STRING, 0, 0, NULL, NULL },
	[DOM0GPU_A_XEN_CAPABILITIES] = { "capabilities", DOM0GPU_NL_STRING, 0, 0, NULL, NULL },
	[DOM0GPU_A_XEN_CMDLINE] = { "cmdline", DOM0GPU_NL_STRING, 0, 0, NULL, NULL },
	[DOM0GPU_A_XEN_RESTRICTED] = { "restricted", DOM0GPU_NL_FLAG, 0, 0, NULL, NULL },
};

static const struct dom0gpu_attr_set dom0gpu_attrs_xen = {
	"xen", DOM0GPU_A_XEN_MAX, dom0gpu_attrs_xen_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_iommu_rows[DOM0GPU_A_IOMMU_MAX + 1] = {
	[DOM0GPU_A_IOMMU_OWNER] = { "owner", DOM0GPU_NL_U32, 0, 0, NULL, dom0gpu_iommu_owner_name },
	[DOM0GPU_A_IOMMU_LINUX_PRESENT] = { "linux-present", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_IOMMU_DEFAULT_DOMAIN] = { "default-domain", DOM0GPU_NL_U32, 0, 0, NULL, dom0gpu_iommu_domain_name },
	[DOM0GPU_A_IOMMU_GROUP_COUNT] = { "group-count", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_IOMMU_ACPI_DMAR] = { "acpi-dmar", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_IOMMU_ACPI_IVRS] = { "acpi-ivrs", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
};

static const struct dom0gpu_attr_set dom0gpu_attrs_iommu = {
	"iommu", DOM0GPU_A_IOMMU_MAX, dom0gpu_attrs_iommu_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_gpu_rows[DOM0GPU_A_GPU_MAX + 1] = {
	[DOM0GPU_A_GPU_DOMAIN] = { "domain", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_GPU_BUS] = { "bus", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_GPU_SLOT] = { "slot", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_GPU_FUNCTION] = { "function", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_GPU_VENDOR] = { "vendor", DOM0GPU_NL_U16, 0, 1, NULL, NULL },
	[DOM0GPU_A_GPU_DEVICE] = { "device", DOM0GPU_NL_U16, 0, 1, NULL, NULL },
	[DOM0GPU_A_GPU_CLASS] = { "class", DOM0GPU_NL_U32, 0, 1, NULL, NULL },
	[DOM0GPU_A_GPU_DRIVER] = { "driver", DOM0GPU_NL_STRING, 0, 0, NULL, NULL },
	[DOM0GPU_A_GPU_BAR_SIZE] = { "bar-size", DOM0GPU_NL_U64, 1, 0, NULL, NULL },
	[DOM0GPU_A_GPU_NUMA_NODE] = { "numa-node", DOM0GPU_NL_S32, 0, 0, NULL, NULL },
	[DOM0GPU_A_GPU_IOMMU_GROUP] = { "iommu-group", DOM0GPU_NL_S32, 0, 0, NULL, NULL },
	[DOM0GPU_A_GPU_IOMMU_DOMAIN] = { "iommu-domain", DOM0GPU_NL_U32, 0, 0, NULL, dom0gpu_iommu_domain_name },
	[DOM0GPU_A_GPU_PAD] = { "pad", DOM0GPU_NL_PAD, 0, 0, NULL, NULL },
};

static const struct dom0gpu_attr_set dom0gpu_attrs_gpu = {
	"gpu", DOM0GPU_A_GPU_MAX, dom0gpu_attrs_gpu_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_cpu_rows[DOM0GPU_A_CPU_MAX + 1] = {
	[DOM0GPU_A_CPU_ID] = { "id", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_CPU_ONLINE] = { "online", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_CPU_MSR] = { "msr", DOM0GPU_NL_U64, 0, 1, NULL, NULL },
	[DOM0GPU_A_CPU_ERROR] = { "error", DOM0GPU_NL_U32, 0, 0, NULL, NULL },
	[DOM0GPU_A_CPU_LAYOUT] = { "layout", DOM0GPU_NL_U32, 1, 0, NULL, dom0gpu_mem_type_name },
	[DOM0GPU_A_CPU_WC_INDEX] = { "wc-index", DOM0GPU_NL_S32, 0, 0, NULL, NULL },
	[DOM0GPU_A_CPU_PAT_CONSISTENT] = { "pat-consistent", DOM0GPU_NL_U8, 0, 0, NULL, NULL },
	[DOM0GPU_A_CPU_PAD] = { "pad", DOM0GPU_NL_PAD, 0, 0, NULL, NULL },
	[DOM0GPU_A_CPU_MICROCODE] = { "microcode", DOM0GPU_NL_U32, 0, 1, NULL, NULL },
};

static const struct dom0gpu_attr_set dom0gpu_attrs_cpu = {
	"cpu", DOM0GPU_A_CPU_MAX, dom0gpu_attrs_cpu_rows
};

static const struct dom0gpu_attr dom0gpu_attrs_dom0gpu_rows[DOM0GPU_A_MAX + 1] = {
	[DOM0GPU_A_GENERATION] = { "generation", DOM0GPU_NL_U64, 0, 0, NULL, NULL },
	[DOM0GPU_A_PAD] = { "pad", DOM0GPU_NL_PAD, 0, 0, NULL, NULL },
	[DOM0GPU_A_PAT] = { "pat", DOM0GPU_NL_NEST, 0, 0, &dom0gpu_attrs_pat, NULL },
	[DOM0GPU_A_NVIDIA] = { "nvidia", DOM0GPU_NL_NEST, 0, 0, &dom0gpu_attrs_nvidia, NULL },
	[DOM0GPU_A_MTRR] = { "mtrr", DOM0GPU_NL_NEST, 0, 0, &dom0gpu_attrs_mtrr, NULL },
	[DOM0GPU_A_HYPERVISOR] = { "hypervisor", DOM0GPU_NL_NEST, 0, 0, &dom0gpu_attrs_hypervisor, NULL },
	[DOM0GPU_A_XEN] = { "xen", DOM0GPU_NL_NEST, 0, 0, &dom0gpu_attrs_xen, NULL },
	[DOM0GPU_A_IOMMU] = { "iommu", DOM0GPU_NL_NEST, 0, 0, &dom0gpu_attrs_iommu, NULL },
	[DOM0GPU_A_GPU] = { "gpu", DOM0GPU_NL_NEST, 1, 0, &dom0gpu_attrs_gpu, NULL },
	[DOM0GPU_A_CPU] = { "cpu", DOM0GPU_NL_NEST, 0, 0, &dom0gpu_attrs_cpu, NULL },
	[DOM0GPU_A_VERSION] = { "version", DOM0GPU_NL_STRING, 0, 0, NULL, NULL },
};

static const struct dom0gpu_attr_set dom0gpu_attrs_dom0gpu = {
	"dom0gpu", DOM0GPU_A_MAX, dom0gpu_attrs_dom0gpu_rows
};

#endif /* _DOM0GPU_ATTRS_H */
