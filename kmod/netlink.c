// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "dom0gpu" (uapi/dom0gpu.yaml): a read-only
 * view of the model. Each message is filled under the model lock, so it
 * holds one generation; a dump whose parts span a model change carries
 * NLM_F_DUMP_INTR. Model changes are multicast to the "events" group.
 *
 * Every operation works in the top-level attribute space, so every request
 * policy has DOM0GPU_A_MAX + 1 entries: 4.19 parses all requests up to the
 * family's maxattr, later kernels take the family's maxattr for any op that
 * sets none. 5.2 to 5.9 have one policy per family, not per operation: the
 * family gets get-cpu's, which holds every attribute any request may carry,
 * and each handler applies its own operation's (d0g_nla_strict()).
 *
 * The addresses of MTRR ranges and Xen's command line reach only callers
 * with CAP_SYS_ADMIN or CAP_NET_ADMIN, as /proc/mtrr hides addresses (and
 * sysfs makes those files 0400); others get the rest of the reply and a
 * "restricted" flag.
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include "model.h"
#include "netlink.h"

enum d0g_nl_mcgrp {
	D0G_NL_MCGRP_EVENTS,
};

/* Parts of the snapshot that a "get" operation replies with. */
#define D0G_NL_VERSION		BIT(0)
#define D0G_NL_PAT		BIT(1)
#define D0G_NL_NVIDIA		BIT(2)
#define D0G_NL_MTRR		BIT(3)
#define D0G_NL_HYPERVISOR	BIT(4)
#define D0G_NL_XEN		BIT(5)
#define D0G_NL_IOMMU		BIT(6)
#define D0G_NL_GPUS		BIT(7)
#define D0G_NL_SNAPSHOT		(BIT(8) - 1)

static const unsigned long d0g_nl_get_parts[] = {
	[DOM0GPU_CMD_GET_SNAPSHOT]	= D0G_NL_SNAPSHOT,
	[DOM0GPU_CMD_GET_MTRR]		= D0G_NL_MTRR,
	[DOM0GPU_CMD_GET_XEN]		= D0G_NL_HYPERVISOR | D0G_NL_XEN,
	[DOM0GPU_CMD_GET_IOMMU]		= D0G_NL_IOMMU,
};

static const u8 d0g_nl_event_cmd[] = {
	[D0G_EVENT_CPU_ONLINE]		= DOM0GPU_CMD_CPU_ONLINE,
	[D0G_EVENT_CPU_OFFLINE]		= DOM0GPU_CMD_CPU_OFFLINE,
	[D0G_EVENT_GPU_ADDED]		= DOM0GPU_CMD_GPU_ADD,
	[D0G_EVENT_GPU_REMOVED]		= DOM0GPU_CMD_GPU_DEL,
	[D0G_EVENT_GPU_CHANGED]		= DOM0GPU_CMD_GPU_CHANGE,
	[D0G_EVENT_NVIDIA_LOADED]	= DOM0GPU_CMD_NVIDIA_LOAD,
	[D0G_EVENT_NVIDIA_UNLOADED]	= DOM0GPU_CMD_NVIDIA_UNLOAD,
};

/* Requests of every operation but get-cpu's do carry no attribute. */
static const struct nla_policy d0g_nl_none_policy[DOM0GPU_A_MAX + 1] = {};

static const struct nla_policy d0g_nl_get_cpu_policy[DOM0GPU_A_MAX + 1] = {
	[DOM0GPU_A_CPU]		= { .type = NLA_NESTED },
};

static const struct nla_policy d0g_nl_cpu_policy[DOM0GPU_A_CPU_MAX + 1] = {
	[DOM0GPU_A_CPU_ID]	= { .type = NLA_U32 },
};

static struct genl_family d0g_nl_family;

/* Room for any one scalar attribute, alignment padding included. */
static size_t d0g_nl_scalars(unsigned int n)
{
	return n * nla_total_size_64bit(sizeof(u64));
}

static size_t d0g_nl_pat_size(void)
{
	return nla_total_size(d0g_nl_scalars(8 + D0G_PAT_ENTRIES));
}

static size_t d0g_nl_cpu_size(void)
{
	return nla_total_size(d0g_nl_scalars(6 + D0G_PAT_ENTRIES));
}

static size_t d0g_nl_nvidia_size(void)
{
	const char *reason = d0g_model.nvidia.prediction.message;

	return nla_total_size(d0g_nl_scalars(12) +
			      nla_total_size(strlen(reason ?: "") + 1));
}

static size_t d0g_nl_mtrr_size(void)
{
	size_t var = nla_total_size(d0g_nl_scalars(6));

	return nla_total_size(d0g_nl_scalars(10 + D0G_MTRR_FIXED_MSRS) +
			      d0g_model.mtrr.nr_var * var);
}

static size_t d0g_nl_hypervisor_size(void)
{
	const struct d0g_hypervisor *hv = &d0g_model.hypervisor;

	return nla_total_size(d0g_nl_scalars(3) +
			      nla_total_size(sizeof(hv->cpuid_signature)));
}

static size_t d0g_nl_xen_size(void)
{
	const struct d0g_xen *x = &d0g_model.xen;

	return nla_total_size(d0g_nl_scalars(5) +
			      nla_total_size(sizeof(x->extraversion)) +
			      nla_total_size(sizeof(x->capabilities)) +
			      nla_total_size(sizeof(x->cmdline)));
}

static size_t d0g_nl_iommu_size(void)
{
	return nla_total_size(d0g_nl_scalars(6));
}

static size_t d0g_nl_gpu_size(void)
{
	return nla_total_size(d0g_nl_scalars(11 + D0G_PCI_BARS) +
			      nla_total_size(D0G_DRIVER_NAME_LEN));
}

/* Model lock held: the variable parts are sized as they are now. */
static size_t d0g_nl_get_size(unsigned long parts)
{
	size_t size = d0g_nl_scalars(1) +
		      nla_total_size(sizeof(D0G_VERSION));

	if (parts & D0G_NL_PAT)
		size += d0g_nl_pat_size();
	if (parts & D0G_NL_NVIDIA)
		size += d0g_nl_nvidia_size();
	if (parts & D0G_NL_MTRR)
		size += d0g_nl_mtrr_size();
	if (parts & D0G_NL_HYPERVISOR)
		size += d0g_nl_hypervisor_size();
	if (parts & D0G_NL_XEN)
		size += d0g_nl_xen_size();
	if (parts & D0G_NL_IOMMU)
		size += d0g_nl_iommu_size();
	if (parts & D0G_NL_GPUS)
		size += d0g_model.nr_gpus * d0g_nl_gpu_size();
	return size;
}

static bool d0g_nl_privileged(const struct sk_buff *skb)
{
	return netlink_capable(skb, CAP_SYS_ADMIN) ||
	       netlink_capable(skb, CAP_NET_ADMIN);
}

/* The uapi memory type of a PAT entry or an MTRR type field. */
static u32 d0g_nl_mem_type(u8 type, bool pat)
{
	switch (type) {
	case D0G_PAT_TYPE_UC:
		return DOM0GPU_MEM_TYPE_UC;
	case D0G_PAT_TYPE_WC:
		return DOM0GPU_MEM_TYPE_WC;
	case D0G_PAT_TYPE_WT:
		return DOM0GPU_MEM_TYPE_WT;
	case D0G_PAT_TYPE_WP:
		return DOM0GPU_MEM_TYPE_WP;
	case D0G_PAT_TYPE_WB:
		return DOM0GPU_MEM_TYPE_WB;
	case D0G_PAT_TYPE_UC_MINUS:
		/* The same encoding is reserved in an MTRR. */
		return pat ? DOM0GPU_MEM_TYPE_UC_MINUS : DOM0GPU_MEM_TYPE_RESERVED;
	default:
		return DOM0GPU_MEM_TYPE_RESERVED;
	}
}

static int d0g_nl_put_pat_msr(struct sk_buff *skb, u64 msr, int msr_type,
			      int layout_type, int wc_type, int pad_type)
{
	unsigned int i;

	if (nla_put_u64_64bit(skb, msr_type, msr, pad_type))
		return -EMSGSIZE;
	for (i = 0; i < D0G_PAT_ENTRIES; i++)
		if (nla_put_u32(skb, layout_type,
				d0g_nl_mem_type(msr >> (i * 8), true)))
			return -EMSGSIZE;
	return nla_put_s32(skb, wc_type, d0g_pat_wc_index(msr));
}

static int d0g_nl_put_pat(struct sk_buff *skb)
{
	const struct d0g_pat *p = &d0g_model.pat;
	int err = d0g_pat_boot_err();
	struct nlattr *nest;

	nest = nla_nest_start(skb, DOM0GPU_A_PAT);
	if (!nest ||
	    nla_put_u8(skb, DOM0GPU_A_PAT_FEATURE, p->feature) ||
	    nla_put_u8(skb, DOM0GPU_A_PAT_KERNEL_ENABLED, p->kernel_enabled) ||
	    nla_put_u8(skb, DOM0GPU_A_PAT_CONSISTENT, d0g_pat_consistent()) ||
	    nla_put_u32(skb, DOM0GPU_A_PAT_CPUS_READ, d0g_pat_cpus_read()) ||
	    nla_put_u32(skb, DOM0GPU_A_PAT_CPUS_FAILED, d0g_pat_cpus_failed()))
		return -EMSGSIZE;
	if (err) {
		if (nla_put_u32(skb, DOM0GPU_A_PAT_ERROR, -err))
			return -EMSGSIZE;
	} else if (d0g_nl_put_pat_msr(skb, d0g_pat_boot_msr(),
				      DOM0GPU_A_PAT_MSR, DOM0GPU_A_PAT_LAYOUT,
				      DOM0GPU_A_PAT_WC_INDEX,
				      DOM0GPU_A_PAT_PAD)) {
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int d0g_nl_put_cpu(struct sk_buff *skb, unsigned int cpu,
			  bool consistent)
{
	const struct d0g_cpu_pat *slot = &d0g_model.pat.cpus[cpu];
	struct nlattr *nest;

	nest = nla_nest_start(skb, DOM0GPU_A_CPU);
	if (!nest ||
	    nla_put_u32(skb, DOM0GPU_A_CPU_ID, cpu) ||
	    nla_put_u8(skb, DOM0GPU_A_CPU_ONLINE, slot->online) ||
	    nla_put_u8(skb, DOM0GPU_A_CPU_PAT_CONSISTENT, consistent))
		return -EMSGSIZE;
	if (slot->err) {
		if (nla_put_u32(skb, DOM0GPU_A_CPU_ERROR, -slot->err))
			return -EMSGSIZE;
	} else if (slot->online || slot->msr) {
		/* An offline CPU keeps its last read; 0 means never read. */
		if (d0g_nl_put_pat_msr(skb, slot->msr, DOM0GPU_A_CPU_MSR,
				       DOM0GPU_A_CPU_LAYOUT,
				       DOM0GPU_A_CPU_WC_INDEX,
				       DOM0GPU_A_CPU_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int d0g_nl_put_nvidia(struct sk_buff *skb)
{
	const struct d0g_nvidia *nv = &d0g_model.nvidia;
	const struct nvpat_input *in = &nv->input;
	struct nlattr *nest;

	nest = nla_nest_start(skb, DOM0GPU_A_NVIDIA);
	if (!nest ||
	    nla_put_u32(skb, DOM0GPU_A_NVIDIA_PAT_MODE, nv->prediction.mode) ||
	    nla_put_s32(skb, DOM0GPU_A_NVIDIA_WC_INDEX,
			nv->prediction.wc_index) ||
	    nla_put_string(skb, DOM0GPU_A_NVIDIA_REASON,
			   nv->prediction.message ?: "") ||
	    nla_put_u8(skb, DOM0GPU_A_NVIDIA_MODULE_LOADED, nv->module_loaded) ||
	    nla_put_u64_64bit(skb, DOM0GPU_A_NVIDIA_INPUT_PAT, in->pat,
			      DOM0GPU_A_NVIDIA_PAD) ||
	    nla_put_u8(skb, DOM0GPU_A_NVIDIA_INPUT_FEATURE_PAT,
		       in->x86_feature_pat) ||
	    nla_put_u8(skb, DOM0GPU_A_NVIDIA_INPUT_VENDOR_INTEL,
		       in->vendor_intel) ||
	    nla_put_u32(skb, DOM0GPU_A_NVIDIA_INPUT_CPUID_LEVEL,
			in->cpuid_level) ||
	    nla_put_u32(skb, DOM0GPU_A_NVIDIA_INPUT_CPUID1_EDX, in->cpuid1_edx) ||
	    nla_put_u32(skb, DOM0GPU_A_NVIDIA_INPUT_FAMILY, in->family) ||
	    nla_put_u32(skb, DOM0GPU_A_NVIDIA_INPUT_MODEL, in->model) ||
	    nla_put_u8(skb, DOM0GPU_A_NVIDIA_INPUT_KERNEL_HAS_PAT,
		       in->kernel_has_pat) ||
	    nla_put_u32(skb, DOM0GPU_A_NVIDIA_INPUT_USE_PAT_PARAM,
			in->use_pat_param))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Addresses (base, mask, size) only for privileged callers. */
static int d0g_nl_put_mtrr_var(struct sk_buff *skb, unsigned int i,
			       bool privileged)
{
	const struct d0g_mtrr_var *var = &d0g_model.mtrr.var[i];
	struct nlattr *nest;

	nest = nla_nest_start(skb, DOM0GPU_A_MTRR_VAR);
	if (!nest ||
	    nla_put_u32(skb, DOM0GPU_A_MTRR_VAR_INDEX, i) ||
	    nla_put_u8(skb, DOM0GPU_A_MTRR_VAR_VALID,
		       !!(var->mask & D0G_MTRR_MASK_V)) ||
	    nla_put_u32(skb, DOM0GPU_A_MTRR_VAR_TYPE,
			d0g_nl_mem_type(var->base & D0G_MTRR_BASE_TYPE,
					false)))
		return -EMSGSIZE;
	if (privileged &&
	    (nla_put_u64_64bit(skb, DOM0GPU_A_MTRR_VAR_BASE, var->base,
			       DOM0GPU_A_MTRR_VAR_PAD) ||
	     nla_put_u64_64bit(skb, DOM0GPU_A_MTRR_VAR_MASK, var->mask,
			       DOM0GPU_A_MTRR_VAR_PAD) ||
	     nla_put_u64_64bit(skb, DOM0GPU_A_MTRR_VAR_SIZE,
			       d0g_mtrr_var_size(var),
			       DOM0GPU_A_MTRR_VAR_PAD)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int d0g_nl_put_mtrr_ranges(struct sk_buff *skb, bool privileged)
{
	const struct d0g_mtrr *m = &d0g_model.mtrr;
	unsigned int i;

	if (!privileged && nla_put_flag(skb, DOM0GPU_A_MTRR_RESTRICTED))
		return -EMSGSIZE;
	for (i = 0; i < m->nr_var; i++)
		if (d0g_nl_put_mtrr_var(skb, i, privileged))
			return -EMSGSIZE;
	if (!m->fixed_read)
		return 0;
	for (i = 0; i < D0G_MTRR_FIXED_MSRS; i++)
		if (nla_put_u64_64bit(skb, DOM0GPU_A_MTRR_FIXED, m->fixed[i],
				      DOM0GPU_A_MTRR_PAD))
			return -EMSGSIZE;
	return 0;
}

static int d0g_nl_put_mtrr(struct sk_buff *skb, bool privileged)
{
	const struct d0g_mtrr *m = &d0g_model.mtrr;
	struct nlattr *nest;

	nest = nla_nest_start(skb, DOM0GPU_A_MTRR);
	if (!nest ||
	    nla_put_u8(skb, DOM0GPU_A_MTRR_FEATURE, m->feature) ||
	    nla_put_u8(skb, DOM0GPU_A_MTRR_READABLE, m->readable))
		return -EMSGSIZE;
	if (!m->readable) {
		if (m->err && nla_put_u32(skb, DOM0GPU_A_MTRR_ERROR, -m->err))
			return -EMSGSIZE;
		goto end;
	}
	if (nla_put_u64_64bit(skb, DOM0GPU_A_MTRR_CAP, m->cap,
			      DOM0GPU_A_MTRR_PAD) ||
	    nla_put_u64_64bit(skb, DOM0GPU_A_MTRR_DEF_TYPE, m->def_type,
			      DOM0GPU_A_MTRR_PAD) ||
	    nla_put_u32(skb, DOM0GPU_A_MTRR_VAR_COUNT, m->nr_var) ||
	    nla_put_u8(skb, DOM0GPU_A_MTRR_ENABLED,
		       !!(m->def_type & D0G_MTRR_DEF_E)) ||
	    nla_put_u8(skb, DOM0GPU_A_MTRR_FIXED_ENABLED,
		       !!(m->def_type & D0G_MTRR_DEF_FE)) ||
	    nla_put_u32(skb, DOM0GPU_A_MTRR_DEFAULT_TYPE,
			d0g_nl_mem_type(m->def_type & D0G_MTRR_DEF_TYPE_MASK,
					false)))
		return -EMSGSIZE;
	if (d0g_nl_put_mtrr_ranges(skb, privileged))
		return -EMSGSIZE;
end:
	nla_nest_end(skb, nest);
	return 0;
}

static int d0g_nl_put_hypervisor(struct sk_buff *skb)
{
	const struct d0g_hypervisor *hv = &d0g_model.hypervisor;
	struct nlattr *nest;

	nest = nla_nest_start(skb, DOM0GPU_A_HYPERVISOR);
	if (!nest ||
	    nla_put_string(skb, DOM0GPU_A_HYPERVISOR_TYPE,
			   d0g_hyper_type_name(hv->x86_hyper_type)) ||
	    nla_put_u8(skb, DOM0GPU_A_HYPERVISOR_CPUID_BIT, hv->cpuid_bit) ||
	    nla_put_u32(skb, DOM0GPU_A_HYPERVISOR_CPUID_MAX_LEAF,
			hv->cpuid_max_leaf) ||
	    nla_put_string(skb, DOM0GPU_A_HYPERVISOR_CPUID_SIGNATURE,
			   hv->cpuid_signature))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int d0g_nl_put_xen(struct sk_buff *skb, bool privileged)
{
	const struct d0g_xen *x = &d0g_model.xen;
	struct nlattr *nest;

	nest = nla_nest_start(skb, DOM0GPU_A_XEN);
	if (!nest ||
	    nla_put_u32(skb, DOM0GPU_A_XEN_DOMAIN_TYPE, x->domain_type))
		return -EMSGSIZE;
	if (x->domain_type == DOM0GPU_XEN_DOMAIN_TYPE_NONE)
		goto end;
	if (nla_put_u8(skb, DOM0GPU_A_XEN_INITIAL_DOMAIN, x->initial_domain) ||
	    nla_put_u32(skb, DOM0GPU_A_XEN_VERSION_MAJOR, x->version_major) ||
	    nla_put_u32(skb, DOM0GPU_A_XEN_VERSION_MINOR, x->version_minor) ||
	    nla_put_string(skb, DOM0GPU_A_XEN_EXTRAVERSION, x->extraversion) ||
	    nla_put_string(skb, DOM0GPU_A_XEN_CAPABILITIES, x->capabilities))
		return -EMSGSIZE;
	if (privileged ? nla_put_string(skb, DOM0GPU_A_XEN_CMDLINE, x->cmdline) :
			 nla_put_flag(skb, DOM0GPU_A_XEN_RESTRICTED))
		return -EMSGSIZE;
end:
	nla_nest_end(skb, nest);
	return 0;
}

static int d0g_nl_put_iommu(struct sk_buff *skb)
{
	const struct d0g_iommu *io = &d0g_model.iommu;
	struct nlattr *nest;

	nest = nla_nest_start(skb, DOM0GPU_A_IOMMU);
	if (!nest ||
	    nla_put_u32(skb, DOM0GPU_A_IOMMU_OWNER, io->owner) ||
	    nla_put_u8(skb, DOM0GPU_A_IOMMU_LINUX_PRESENT, io->linux_present) ||
	    nla_put_u32(skb, DOM0GPU_A_IOMMU_DEFAULT_DOMAIN,
			io->default_domain) ||
	    nla_put_u32(skb, DOM0GPU_A_IOMMU_GROUP_COUNT, io->group_count) ||
	    nla_put_u8(skb, DOM0GPU_A_IOMMU_ACPI_DMAR, io->acpi_dmar) ||
	    nla_put_u8(skb, DOM0GPU_A_IOMMU_ACPI_IVRS, io->acpi_ivrs))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int d0g_nl_put_gpu(struct sk_buff *skb, const struct d0g_gpu *g)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, DOM0GPU_A_GPU);
	if (!nest ||
	    nla_put_u32(skb, DOM0GPU_A_GPU_DOMAIN, g->domain) ||
	    nla_put_u8(skb, DOM0GPU_A_GPU_BUS, g->bus) ||
	    nla_put_u8(skb, DOM0GPU_A_GPU_SLOT, PCI_SLOT(g->devfn)) ||
	    nla_put_u8(skb, DOM0GPU_A_GPU_FUNCTION, PCI_FUNC(g->devfn)) ||
	    nla_put_u16(skb, DOM0GPU_A_GPU_VENDOR, g->vendor) ||
	    nla_put_u16(skb, DOM0GPU_A_GPU_DEVICE, g->device) ||
	    nla_put_u32(skb, DOM0GPU_A_GPU_CLASS, g->class) ||
	    nla_put_string(skb, DOM0GPU_A_GPU_DRIVER, g->driver) ||
	    nla_put_s32(skb, DOM0GPU_A_GPU_NUMA_NODE, g->numa_node) ||
	    nla_put_s32(skb, DOM0GPU_A_GPU_IOMMU_GROUP, g->iommu_group) ||
	    nla_put_u32(skb, DOM0GPU_A_GPU_IOMMU_DOMAIN, g->iommu_domain))
		return -EMSGSIZE;
	for (i = 0; i < D0G_PCI_BARS; i++)
		if (nla_put_u64_64bit(skb, DOM0GPU_A_GPU_BAR_SIZE,
				      g->bar_size[i], DOM0GPU_A_GPU_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Every message starts with the generation it was taken from. */
static void *d0g_nl_msg_start(struct sk_buff *skb, u32 portid, u32 seq,
			      int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &d0g_nl_family, flags, cmd);
	if (hdr && nla_put_u64_64bit(skb, DOM0GPU_A_GENERATION,
				     d0g_model.generation, DOM0GPU_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return NULL;
	}
	return hdr;
}

static int d0g_nl_put_parts(struct sk_buff *skb, unsigned long parts,
			    bool privileged)
{
	const struct d0g_gpu *g;

	if ((parts & D0G_NL_VERSION) &&
	    nla_put_string(skb, DOM0GPU_A_VERSION, D0G_VERSION))
		return -EMSGSIZE;
	if ((parts & D0G_NL_PAT) && d0g_nl_put_pat(skb))
		return -EMSGSIZE;
	if ((parts & D0G_NL_NVIDIA) && d0g_nl_put_nvidia(skb))
		return -EMSGSIZE;
	if ((parts & D0G_NL_MTRR) && d0g_nl_put_mtrr(skb, privileged))
		return -EMSGSIZE;
	if ((parts & D0G_NL_HYPERVISOR) && d0g_nl_put_hypervisor(skb))
		return -EMSGSIZE;
	if ((parts & D0G_NL_XEN) && d0g_nl_put_xen(skb, privileged))
		return -EMSGSIZE;
	if ((parts & D0G_NL_IOMMU) && d0g_nl_put_iommu(skb))
		return -EMSGSIZE;
	if (parts & D0G_NL_GPUS)
		list_for_each_entry(g, &d0g_model.gpus, node)
			if (d0g_nl_put_gpu(skb, g))
				return -EMSGSIZE;
	return 0;
}

/* get-snapshot, get-mtrr, get-xen, get-iommu. */
static int d0g_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	u8 cmd = info->genlhdr->cmd;
	unsigned long parts = d0g_nl_get_parts[cmd];
	bool privileged = d0g_nl_privileged(skb);
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = d0g_nla_strict(nlmsg_attrdata(info->nlhdr, GENL_HDRLEN),
			     nlmsg_attrlen(info->nlhdr, GENL_HDRLEN),
			     DOM0GPU_A_MAX, d0g_nl_none_policy, info->extack);
	if (err)
		return err;

	d0g_model_lock();
	msg = genlmsg_new(d0g_nl_get_size(parts), GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto unlock;
	}
	hdr = d0g_nl_msg_start(msg, info->snd_portid, info->snd_seq, 0, cmd);
	if (!hdr || d0g_nl_put_parts(msg, parts, privileged)) {
		err = -EMSGSIZE;
		goto free;
	}
	genlmsg_end(msg, hdr);
	d0g_model_unlock();
	return genlmsg_reply(msg, info);

free:
	nlmsg_free(msg);
unlock:
	d0g_model_unlock();
	return err;
}

static int d0g_nl_get_cpu_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *req = info->attrs[DOM0GPU_A_CPU];
	struct nlattr *tb[DOM0GPU_A_CPU_MAX + 1];
	struct sk_buff *msg;
	void *hdr;
	u32 cpu;
	int err;

	err = d0g_nla_strict(nlmsg_attrdata(info->nlhdr, GENL_HDRLEN),
			     nlmsg_attrlen(info->nlhdr, GENL_HDRLEN),
			     DOM0GPU_A_MAX, d0g_nl_get_cpu_policy,
			     info->extack);
	if (err)
		return err;
	if (!req) {
		NL_SET_ERR_MSG(info->extack, "missing cpu nest");
		return -EINVAL;
	}
	err = d0g_nla_parse_nested(tb, DOM0GPU_A_CPU_MAX, req,
				   d0g_nl_cpu_policy, info->extack);
	if (err)
		return err;
	if (!tb[DOM0GPU_A_CPU_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, req, "missing cpu id");
		return -EINVAL;
	}
	cpu = nla_get_u32(tb[DOM0GPU_A_CPU_ID]);

	msg = genlmsg_new(d0g_nl_scalars(1) + d0g_nl_cpu_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	d0g_model_lock();
	if (cpu >= d0g_model.pat.nr_slots) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[DOM0GPU_A_CPU_ID],
				    "cpu id is not a possible CPU");
		err = -ERANGE;
		goto free;
	}
	hdr = d0g_nl_msg_start(msg, info->snd_portid, info->snd_seq, 0,
			       DOM0GPU_CMD_GET_CPU);
	if (!hdr || d0g_nl_put_cpu(msg, cpu, d0g_pat_consistent())) {
		err = -EMSGSIZE;
		goto free;
	}
	genlmsg_end(msg, hdr);
	d0g_model_unlock();
	return genlmsg_reply(msg, info);

free:
	d0g_model_unlock();
	nlmsg_free(msg);
	return err;
}

/*
 * Dumps take no attribute. The core validates the request against the op's
 * policy, but get-cpu shares its policy with its do, which takes one.
 */
static int d0g_nl_dump_start(struct netlink_callback *cb)
{
	if (nlmsg_attrlen(cb->nlh, GENL_HDRLEN) > 0) {
		NL_SET_ERR_MSG(d0g_cb_extack(cb), "dump takes no attributes");
		return -EINVAL;
	}
	return 0;
}

/*
 * Parts of a dump are filled under separate holds of the model lock:
 * genl_dump_check_consistent() flags a part whose generation differs from
 * the previous part's. Model lock held.
 */
static void *d0g_nl_dump_msg_start(struct sk_buff *skb,
				   struct netlink_callback *cb, u8 cmd)
{
	void *hdr;

	cb->seq = lower_32_bits(d0g_model.generation);
	hdr = d0g_nl_msg_start(skb, NETLINK_CB(cb->skb).portid,
			       cb->nlh->nlmsg_seq, NLM_F_MULTI, cmd);
	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/* A part that holds nothing means the next message can never fit. */
static int d0g_nl_dump_ret(struct sk_buff *skb, int err)
{
	return err && !skb->len ? err : skb->len;
}

/* One message per online CPU; cb->args[0] is the next CPU to look at. */
static int d0g_nl_get_cpu_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	unsigned int cpu = cb->args[0];
	bool consistent;
	void *hdr;
	int err = 0;

	d0g_model_lock();
	consistent = d0g_pat_consistent();
	for (; cpu < d0g_model.pat.nr_slots; cpu++) {
		if (!d0g_model.pat.cpus[cpu].online)
			continue;
		hdr = d0g_nl_dump_msg_start(skb, cb, DOM0GPU_CMD_GET_CPU);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		err = d0g_nl_put_cpu(skb, cpu, consistent);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	d0g_model_unlock();
	cb->args[0] = cpu;
	return d0g_nl_dump_ret(skb, err);
}

/* One message per GPU; cb->args[0] is how many were sent. */
static int d0g_nl_get_gpu_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	const struct d0g_gpu *g;
	long i = 0;
	void *hdr;
	int err = 0;

	d0g_model_lock();
	list_for_each_entry(g, &d0g_model.gpus, node) {
		if (i++ < cb->args[0])
			continue;
		hdr = d0g_nl_dump_msg_start(skb, cb, DOM0GPU_CMD_GET_GPU);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		err = d0g_nl_put_gpu(skb, g);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = i;
	}
	d0g_model_unlock();
	return d0g_nl_dump_ret(skb, err);
}

static const struct genl_ops d0g_nl_ops[] = {
	{
		.cmd	= DOM0GPU_CMD_GET_SNAPSHOT,
		.doit	= d0g_nl_get_doit,
		D0G_GENL_OP_POLICY(d0g_nl_none_policy)
	},
	{
		.cmd	= DOM0GPU_CMD_GET_CPU,
		.doit	= d0g_nl_get_cpu_doit,
		.start	= d0g_nl_dump_start,
		.dumpit	= d0g_nl_get_cpu_dumpit,
		D0G_GENL_OP_POLICY(d0g_nl_get_cpu_policy)
	},
	{
		.cmd	= DOM0GPU_CMD_GET_MTRR,
		.doit	= d0g_nl_get_doit,
		D0G_GENL_OP_POLICY(d0g_nl_none_policy)
	},
	{
		.cmd	= DOM0GPU_CMD_GET_XEN,
		.doit	= d0g_nl_get_doit,
		D0G_GENL_OP_POLICY(d0g_nl_none_policy)
	},
	{
		.cmd	= DOM0GPU_CMD_GET_IOMMU,
		.doit	= d0g_nl_get_doit,
		D0G_GENL_OP_POLICY(d0g_nl_none_policy)
	},
	{
		.cmd	= DOM0GPU_CMD_GET_GPU,
		.start	= d0g_nl_dump_start,
		.dumpit	= d0g_nl_get_gpu_dumpit,
		D0G_GENL_OP_POLICY(d0g_nl_none_policy)
	},
};

static const struct genl_multicast_group d0g_nl_mcgrps[] = {
	[D0G_NL_MCGRP_EVENTS]	= { .name = DOM0GPU_MCGRP_EVENTS },
};

static struct genl_family d0g_nl_family = {
	.name		= DOM0GPU_FAMILY_NAME,
	.version	= DOM0GPU_FAMILY_VERSION,
	.maxattr	= DOM0GPU_A_MAX,
	D0G_GENL_FAMILY_POLICY(d0g_nl_get_cpu_policy)
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= d0g_nl_ops,
	.n_ops		= ARRAY_SIZE(d0g_nl_ops),
	.mcgrps		= d0g_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(d0g_nl_mcgrps),
};

static size_t d0g_nl_event_size(const struct d0g_event *ev)
{
	size_t size = d0g_nl_scalars(1);

	switch (ev->kind) {
	case D0G_EVENT_CPU_ONLINE:
	case D0G_EVENT_CPU_OFFLINE:
		return size + d0g_nl_cpu_size();
	case D0G_EVENT_NVIDIA_LOADED:
	case D0G_EVENT_NVIDIA_UNLOADED:
		return size + d0g_nl_pat_size() + d0g_nl_nvidia_size();
	default:
		return size + d0g_nl_gpu_size();
	}
}

static int d0g_nl_put_event(struct sk_buff *skb, const struct d0g_event *ev)
{
	switch (ev->kind) {
	case D0G_EVENT_CPU_ONLINE:
	case D0G_EVENT_CPU_OFFLINE:
		return d0g_nl_put_cpu(skb, ev->cpu, ev->pat_consistent);
	case D0G_EVENT_NVIDIA_LOADED:
	case D0G_EVENT_NVIDIA_UNLOADED:
		return d0g_nl_put_pat(skb) ?: d0g_nl_put_nvidia(skb);
	default:
		return d0g_nl_put_gpu(skb, ev->gpu);
	}
}

/*
 * Called with the model lock held (d0g_model_changed()), from process
 * context. A listener that cannot be told loses the event; the generation
 * in the next message it reads shows that it missed something.
 */
static int d0g_nl_event(struct notifier_block *nb, unsigned long action,
			void *data)
{
	const struct d0g_event *ev = data;
	struct sk_buff *skb;
	void *hdr;

	if (ev->kind >= ARRAY_SIZE(d0g_nl_event_cmd) ||
	    !d0g_nl_event_cmd[ev->kind])
		return NOTIFY_DONE;
	if (!genl_has_listeners(&d0g_nl_family, &init_net,
				D0G_NL_MCGRP_EVENTS))
		return NOTIFY_DONE;

	skb = genlmsg_new(d0g_nl_event_size(ev), GFP_KERNEL);
	if (!skb)
		return NOTIFY_DONE;
	hdr = d0g_nl_msg_start(skb, 0, 0, 0, d0g_nl_event_cmd[ev->kind]);
	if (!hdr || d0g_nl_put_event(skb, ev)) {
		nlmsg_free(skb);
		return NOTIFY_DONE;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&d0g_nl_family, skb, 0, D0G_NL_MCGRP_EVENTS,
			  GFP_KERNEL);
	return NOTIFY_OK;
}

static struct notifier_block d0g_nl_notifier = {
	.notifier_call = d0g_nl_event,
};

int d0g_netlink_init(void)
{
	int ret;

	ret = genl_register_family(&d0g_nl_family);
	if (ret) {
		pr_err("cannot register generic netlink family: %d\n", ret);
		return ret;
	}
	ret = blocking_notifier_chain_register(&d0g_model_notifier,
					       &d0g_nl_notifier);
	if (ret) {
		genl_unregister_family(&d0g_nl_family);
		return ret;
	}
	return 0;
}

void d0g_netlink_uninit(void)
{
	blocking_notifier_chain_unregister(&d0g_model_notifier,
					   &d0g_nl_notifier);
	genl_unregister_family(&d0g_nl_family);
}

MODULE_ALIAS_GENL_FAMILY(DOM0GPU_FAMILY_NAME);
