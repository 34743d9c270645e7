// SPDX-License-Identifier: GPL-2.0
/*
 * The facts of the snapshot, one table per section (see facts.h). A row
 * says everything the views need about one fact; adding a fact is adding a
 * row here, its attribute in uapi/dom0gpu.yaml and its line in the ABI
 * document (docs/ARCHITECTURE.md).
 */
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/stddef.h>
#include <dom0gpu_names.h>
#include "facts.h"
#include "model.h"

/*
 * A fact that is the field @member of the section's object of @type; its
 * format says how wide the field is (d0g_fmt_size()).
 */
#define FIELD(type, member)						\
	.get = d0g_fact_field, .off = offsetof(type, member)

/* A derived fact: @fn computes it from the object; @arg picks a variant. */
#define DERIVED(fn, arg)	.get = fn, .off = (arg)

/* Each table ends with an empty row. */
#define SECTION(var, dir, pad, table, find, err)			\
	const struct d0g_section var = {				\
		.name = dir, .nl_pad = pad, .facts = table,		\
		.lookup = find, .missing = err,				\
	}

/* The width of a field read as @fmt: C types map to formats one to one. */
static unsigned int d0g_fmt_size(u8 fmt)
{
	switch (fmt) {
	case D0G_FMT_BOOL:
	case D0G_FMT_U8:
		return 1;
	case D0G_FMT_X16:
		return 2;
	case D0G_FMT_X64:
	case D0G_FMT_U64:
		return 8;
	default:
		return 4;
	}
}

int d0g_fact_field(const struct d0g_fact_ctx *ctx, const struct d0g_fact *f,
		   union d0g_value *v)
{
	const void *p = (const u8 *)ctx->obj + f->off;

	if (f->fmt == D0G_FMT_STR) {
		v->str = p;
		return 0;
	}
	switch (d0g_fmt_size(f->fmt)) {
	case 1:
		v->u = *(const u8 *)p;
		break;
	case 2:
		v->u = *(const u16 *)p;
		break;
	case 4:
		/* s32 fields print and travel as 32 bits: no sign to keep. */
		v->u = *(const u32 *)p;
		break;
	default:
		v->u = *(const u64 *)p;
		break;
	}
	return 0;
}

int d0g_fact_get(const struct d0g_fact_ctx *ctx, const struct d0g_fact *f,
		 union d0g_value *v)
{
	if (f->when && !f->when(ctx->obj))
		return -ENODATA;
	if ((f->flags & D0G_FACT_PRIV) && !ctx->privileged)
		return -EACCES;
	return f->get(ctx, f, v);
}

u32 d0g_pat_entry_type(u64 pat, unsigned int index)
{
	return dom0gpu_mem_type_of((pat >> (index * 8)) & 0xff, true);
}

static const char *mem_type_name(u32 type)
{
	return dom0gpu_mem_type_name(type);
}

/* Top level: the module's version. */

static int version_get(const struct d0g_fact_ctx *ctx,
		       const struct d0g_fact *f, union d0g_value *v)
{
	v->str = D0G_VERSION;
	return 0;
}

static const struct d0g_fact top_facts[] = {
	{ "version", 0444, DOM0GPU_A_VERSION, D0G_FMT_STR,
	  DERIVED(version_get, 0) },
	{ }
};

static const void *top_lookup(u64 key)
{
	return &d0g_model;
}

SECTION(d0g_sec_top, "dom0gpu", DOM0GPU_A_PAD, top_facts, top_lookup, 0);

/* pat/: the boot CPU's PAT and what every CPU agrees on. */

enum { PAT_MSR, PAT_ERROR, PAT_WC_INDEX, PAT_CONSISTENT, PAT_CPUS_READ,
	PAT_CPUS_FAILED };

static int pat_get(const struct d0g_fact_ctx *ctx, const struct d0g_fact *f,
		   union d0g_value *v)
{
	int err = d0g_pat_boot_err();

	switch (f->off) {
	case PAT_ERROR:
		v->u = -err;
		return err ? 0 : -ENODATA;
	case PAT_CONSISTENT:
		v->u = d0g_pat_consistent();
		return 0;
	case PAT_CPUS_READ:
		v->u = d0g_pat_cpus_read();
		return 0;
	case PAT_CPUS_FAILED:
		v->u = d0g_pat_cpus_failed();
		return 0;
	}
	if (err)
		return err;
	v->s = f->off == PAT_WC_INDEX ? d0g_pat_wc_index(d0g_pat_boot_msr()) :
					d0g_pat_boot_msr();
	return 0;
}

static const struct d0g_fact pat_facts[] = {
	{ "feature", 0444, DOM0GPU_A_PAT_FEATURE, D0G_FMT_BOOL,
	  FIELD(struct d0g_pat, feature) },
	{ "kernel_enabled", 0444, DOM0GPU_A_PAT_KERNEL_ENABLED, D0G_FMT_BOOL,
	  FIELD(struct d0g_pat, kernel_enabled) },
	{ "consistent", 0444, DOM0GPU_A_PAT_CONSISTENT, D0G_FMT_BOOL,
	  DERIVED(pat_get, PAT_CONSISTENT) },
	{ "cpus_read", 0444, DOM0GPU_A_PAT_CPUS_READ, D0G_FMT_U32,
	  DERIVED(pat_get, PAT_CPUS_READ) },
	{ "cpus_failed", 0444, DOM0GPU_A_PAT_CPUS_FAILED, D0G_FMT_U32,
	  DERIVED(pat_get, PAT_CPUS_FAILED) },
	{ NULL, 0, DOM0GPU_A_PAT_ERROR, D0G_FMT_U32,
	  DERIVED(pat_get, PAT_ERROR) },
	{ "msr", 0444, DOM0GPU_A_PAT_MSR, D0G_FMT_X64,
	  DERIVED(pat_get, PAT_MSR) },
	{ "layout", 0444, DOM0GPU_A_PAT_LAYOUT, D0G_FMT_LAYOUT,
	  DERIVED(pat_get, PAT_MSR) },
	{ "wc_index", 0444, DOM0GPU_A_PAT_WC_INDEX, D0G_FMT_S32,
	  DERIVED(pat_get, PAT_WC_INDEX) },
	{ }
};

static const void *pat_lookup(u64 key)
{
	return &d0g_model.pat;
}

SECTION(d0g_sec_pat, "pat", DOM0GPU_A_PAT_PAD, pat_facts, pat_lookup, 0);

/*
 * One CPU: its PAT and microcode revision (both also in cpus/<n>/, so that
 * a reader without netlink can compare the CPUs' PATs too). An offline CPU
 * keeps its last read; a slot that was never read (offline, 0) has no PAT
 * to show.
 */
static int cpu_get(const struct d0g_fact_ctx *ctx, const struct d0g_fact *f,
		   union d0g_value *v)
{
	const struct d0g_cpu_pat *slot = ctx->obj;

	switch (f->off) {
	case PAT_ERROR:
		v->u = -slot->err;
		return slot->err ? 0 : -ENODATA;
	case PAT_CONSISTENT:
		v->u = d0g_pat_consistent();
		return 0;
	}
	if (slot->err || !(slot->online || slot->msr))
		return -ENODATA;
	v->s = f->off == PAT_WC_INDEX ? d0g_pat_wc_index(slot->msr) : slot->msr;
	return 0;
}

static int cpu_id_get(const struct d0g_fact_ctx *ctx, const struct d0g_fact *f,
		      union d0g_value *v)
{
	v->u = ctx->index;
	return 0;
}

static bool cpu_read(const void *obj)
{
	const struct d0g_cpu_pat *slot = obj;

	return slot->read;
}

static const struct d0g_fact cpu_facts[] = {
	{ NULL, 0, DOM0GPU_A_CPU_ID, D0G_FMT_U32, DERIVED(cpu_id_get, 0) },
	{ NULL, 0, DOM0GPU_A_CPU_ONLINE, D0G_FMT_BOOL,
	  FIELD(struct d0g_cpu_pat, online) },
	{ NULL, 0, DOM0GPU_A_CPU_PAT_CONSISTENT, D0G_FMT_BOOL,
	  DERIVED(cpu_get, PAT_CONSISTENT) },
	{ NULL, 0, DOM0GPU_A_CPU_ERROR, D0G_FMT_U32,
	  DERIVED(cpu_get, PAT_ERROR) },
	{ "pat", 0444, DOM0GPU_A_CPU_MSR, D0G_FMT_X64,
	  DERIVED(cpu_get, PAT_MSR) },
	{ NULL, 0, DOM0GPU_A_CPU_LAYOUT, D0G_FMT_LAYOUT,
	  DERIVED(cpu_get, PAT_MSR) },
	{ NULL, 0, DOM0GPU_A_CPU_WC_INDEX, D0G_FMT_S32,
	  DERIVED(cpu_get, PAT_WC_INDEX) },
	{ "microcode", 0444, DOM0GPU_A_CPU_MICROCODE, D0G_FMT_X32,
	  .when = cpu_read, FIELD(struct d0g_cpu_pat, microcode) },
	{ "model_name", 0444, DOM0GPU_A_CPU_MODEL_NAME, D0G_FMT_STR,
	  .when = cpu_read, FIELD(struct d0g_cpu_pat, model_name) },
	{ }
};

static const void *cpu_lookup(u64 key)
{
	return key < d0g_model.pat.nr_slots ? &d0g_model.pat.cpus[key] : NULL;
}

SECTION(d0g_sec_cpu, "cpus", DOM0GPU_A_CPU_PAD, cpu_facts, cpu_lookup,
	-ENODATA);

/* nvidia/: the prediction and what it was made from. */

static int nvidia_reason_get(const struct d0g_fact_ctx *ctx,
			     const struct d0g_fact *f, union d0g_value *v)
{
	const struct d0g_nvidia *nv = ctx->obj;

	v->str = nv->prediction.message ?: "";
	return 0;
}

static const char *pat_mode_name(u32 mode)
{
	return dom0gpu_pat_mode_name(mode);
}

#define NV_IN(member)	FIELD(struct d0g_nvidia, input.member)

static const struct d0g_fact nvidia_facts[] = {
	{ "pat_mode", 0444, DOM0GPU_A_NVIDIA_PAT_MODE, D0G_FMT_ENUM,
	  .name = pat_mode_name, FIELD(struct d0g_nvidia, prediction.mode) },
	{ "wc_index", 0444, DOM0GPU_A_NVIDIA_WC_INDEX, D0G_FMT_S32,
	  FIELD(struct d0g_nvidia, prediction.wc_index) },
	{ "reason", 0444, DOM0GPU_A_NVIDIA_REASON, D0G_FMT_STR,
	  DERIVED(nvidia_reason_get, 0) },
	{ "module_loaded", 0444, DOM0GPU_A_NVIDIA_MODULE_LOADED, D0G_FMT_BOOL,
	  FIELD(struct d0g_nvidia, module_loaded) },
	{ "pat", 0444, DOM0GPU_A_NVIDIA_INPUT_PAT, D0G_FMT_X64, NV_IN(pat) },
	{ NULL, 0, DOM0GPU_A_NVIDIA_INPUT_FEATURE_PAT, D0G_FMT_BOOL,
	  NV_IN(x86_feature_pat) },
	{ NULL, 0, DOM0GPU_A_NVIDIA_INPUT_VENDOR_INTEL, D0G_FMT_BOOL,
	  NV_IN(vendor_intel) },
	{ NULL, 0, DOM0GPU_A_NVIDIA_INPUT_CPUID_LEVEL, D0G_FMT_U32,
	  NV_IN(cpuid_level) },
	{ NULL, 0, DOM0GPU_A_NVIDIA_INPUT_CPUID1_EDX, D0G_FMT_U32,
	  NV_IN(cpuid1_edx) },
	{ NULL, 0, DOM0GPU_A_NVIDIA_INPUT_FAMILY, D0G_FMT_U32, NV_IN(family) },
	{ NULL, 0, DOM0GPU_A_NVIDIA_INPUT_MODEL, D0G_FMT_U32, NV_IN(model) },
	{ "kernel_has_pat", 0444, DOM0GPU_A_NVIDIA_INPUT_KERNEL_HAS_PAT,
	  D0G_FMT_BOOL, NV_IN(kernel_has_pat) },
	{ NULL, 0, DOM0GPU_A_NVIDIA_INPUT_USE_PAT_PARAM, D0G_FMT_U32,
	  NV_IN(use_pat_param) },
	{ }
};

static const void *nvidia_lookup(u64 key)
{
	return &d0g_model.nvidia;
}

SECTION(d0g_sec_nvidia, "nvidia", DOM0GPU_A_NVIDIA_PAD, nvidia_facts,
	nvidia_lookup, 0);

/* mtrr/: register fields exist only where the MSRs could be read. */

static bool mtrr_readable(const void *obj)
{
	const struct d0g_mtrr *m = obj;

	return m->readable;
}

enum { MTRR_ERROR, MTRR_ENABLED, MTRR_FIXED_ENABLED, MTRR_DEFAULT_TYPE,
	MTRR_FIXED_SUPPORTED, MTRR_WC_SUPPORTED, MTRR_SMRR_SUPPORTED,
	MTRR_RESTRICTED };

static int mtrr_get(const struct d0g_fact_ctx *ctx, const struct d0g_fact *f,
		    union d0g_value *v)
{
	const struct d0g_mtrr *m = ctx->obj;

	switch (f->off) {
	case MTRR_ERROR:
		v->u = -m->err;
		return !m->readable && m->err ? 0 : -ENODATA;
	case MTRR_ENABLED:
		v->u = !!(m->def_type & D0G_MTRR_DEF_E);
		break;
	case MTRR_FIXED_ENABLED:
		v->u = !!(m->def_type & D0G_MTRR_DEF_FE);
		break;
	case MTRR_DEFAULT_TYPE:
		v->u = dom0gpu_mem_type_of(m->def_type & D0G_MTRR_DEF_TYPE_MASK,
					   false);
		break;
	case MTRR_FIXED_SUPPORTED:
		v->u = !!(m->cap & D0G_MTRR_CAP_FIX);
		break;
	case MTRR_WC_SUPPORTED:
		v->u = !!(m->cap & D0G_MTRR_CAP_WC);
		break;
	case MTRR_SMRR_SUPPORTED:
		v->u = !!(m->cap & D0G_MTRR_CAP_SMRR);
		break;
	case MTRR_RESTRICTED:
		/* Tells an unprivileged reader that ranges lack addresses. */
		v->u = !ctx->privileged;
		break;
	}
	return 0;
}

#define MTRR_REG(name, attr, fmt, arg)					\
	{ name, 0444, attr, fmt, .when = mtrr_readable, DERIVED(mtrr_get, arg) }

static const struct d0g_fact mtrr_facts[] = {
	{ "feature", 0444, DOM0GPU_A_MTRR_FEATURE, D0G_FMT_BOOL,
	  FIELD(struct d0g_mtrr, feature) },
	{ "readable", 0444, DOM0GPU_A_MTRR_READABLE, D0G_FMT_BOOL,
	  FIELD(struct d0g_mtrr, readable) },
	{ "read_error", 0444, 0, D0G_FMT_S32, FIELD(struct d0g_mtrr, err) },
	{ NULL, 0, DOM0GPU_A_MTRR_ERROR, D0G_FMT_U32,
	  DERIVED(mtrr_get, MTRR_ERROR) },
	{ "cap", 0444, DOM0GPU_A_MTRR_CAP, D0G_FMT_X64, .when = mtrr_readable,
	  FIELD(struct d0g_mtrr, cap) },
	{ "def_type", 0444, DOM0GPU_A_MTRR_DEF_TYPE, D0G_FMT_X64,
	  .when = mtrr_readable, FIELD(struct d0g_mtrr, def_type) },
	{ "var_count", 0444, DOM0GPU_A_MTRR_VAR_COUNT, D0G_FMT_U32,
	  .when = mtrr_readable, FIELD(struct d0g_mtrr, nr_var) },
	{ "enabled", 0444, DOM0GPU_A_MTRR_ENABLED, D0G_FMT_BOOL,
	  .flags = D0G_FACT_SYSFS_ZERO, .when = mtrr_readable,
	  DERIVED(mtrr_get, MTRR_ENABLED) },
	MTRR_REG("fixed_enabled", DOM0GPU_A_MTRR_FIXED_ENABLED, D0G_FMT_BOOL,
		 MTRR_FIXED_ENABLED),
	{ "default_type", 0444, DOM0GPU_A_MTRR_DEFAULT_TYPE, D0G_FMT_ENUM,
	  .name = mem_type_name, .when = mtrr_readable,
	  DERIVED(mtrr_get, MTRR_DEFAULT_TYPE) },
	MTRR_REG("fixed_supported", 0, D0G_FMT_BOOL, MTRR_FIXED_SUPPORTED),
	MTRR_REG("wc_supported", 0, D0G_FMT_BOOL, MTRR_WC_SUPPORTED),
	MTRR_REG("smrr_supported", 0, D0G_FMT_BOOL, MTRR_SMRR_SUPPORTED),
	MTRR_REG(NULL, DOM0GPU_A_MTRR_RESTRICTED, D0G_FMT_FLAG,
		 MTRR_RESTRICTED),
	{ }
};

static const void *mtrr_lookup(u64 key)
{
	return &d0g_model.mtrr;
}

SECTION(d0g_sec_mtrr, "mtrr", DOM0GPU_A_MTRR_PAD, mtrr_facts, mtrr_lookup,
	0);

/* mtrr/var/<n>/: addresses are for root only, as in /proc/mtrr. */

enum { VAR_INDEX, VAR_BASE, VAR_SIZE, VAR_TYPE, VAR_VALID };

static int mtrr_var_get(const struct d0g_fact_ctx *ctx,
			const struct d0g_fact *f, union d0g_value *v)
{
	const struct d0g_mtrr_var *var = ctx->obj;

	switch (f->off) {
	case VAR_INDEX:
		v->u = ctx->index;
		break;
	case VAR_BASE:
		v->u = var->base & D0G_MTRR_ADDR_MASK;
		break;
	case VAR_SIZE:
		v->u = d0g_mtrr_var_size(var);
		break;
	case VAR_TYPE:
		v->u = dom0gpu_mem_type_of(var->base & D0G_MTRR_BASE_TYPE,
					   false);
		break;
	case VAR_VALID:
		v->u = !!(var->mask & D0G_MTRR_MASK_V);
		break;
	}
	return 0;
}

#define VAR(arg)	DERIVED(mtrr_var_get, arg)

static const struct d0g_fact mtrr_var_facts[] = {
	{ NULL, 0, DOM0GPU_A_MTRR_VAR_INDEX, D0G_FMT_U32, VAR(VAR_INDEX) },
	{ "valid", 0444, DOM0GPU_A_MTRR_VAR_VALID, D0G_FMT_BOOL,
	  VAR(VAR_VALID) },
	{ "type", 0444, DOM0GPU_A_MTRR_VAR_TYPE, D0G_FMT_ENUM,
	  .name = mem_type_name, VAR(VAR_TYPE) },
	/* sysfs shows the address, netlink the raw register. */
	{ "base", 0400, 0, D0G_FMT_X64, D0G_FACT_PRIV, VAR(VAR_BASE) },
	{ NULL, 0, DOM0GPU_A_MTRR_VAR_BASE, D0G_FMT_X64, D0G_FACT_PRIV,
	  FIELD(struct d0g_mtrr_var, base) },
	{ NULL, 0, DOM0GPU_A_MTRR_VAR_MASK, D0G_FMT_X64, D0G_FACT_PRIV,
	  FIELD(struct d0g_mtrr_var, mask) },
	{ "size", 0400, DOM0GPU_A_MTRR_VAR_SIZE, D0G_FMT_X64, D0G_FACT_PRIV,
	  VAR(VAR_SIZE) },
	{ }
};

static const void *mtrr_var_lookup(u64 key)
{
	const struct d0g_mtrr *m = &d0g_model.mtrr;

	return m->readable && key < m->nr_var ? &m->var[key] : NULL;
}

SECTION(d0g_sec_mtrr_var, "var", DOM0GPU_A_MTRR_VAR_PAD, mtrr_var_facts,
	mtrr_var_lookup, -ENODATA);

/*
 * mtrr/fixed/<register>: each holds the types of eight sub-ranges. In
 * netlink they are the repeated "fixed" attribute of the mtrr nest.
 */
static bool mtrr_fixed_read(const void *obj)
{
	const struct d0g_mtrr *m = obj;

	return m->fixed_read;
}

#define FIXED(name, i)							\
	{ name, 0444, DOM0GPU_A_MTRR_FIXED, D0G_FMT_X64,		\
	  .when = mtrr_fixed_read, FIELD(struct d0g_mtrr, fixed[i]) }

static const struct d0g_fact mtrr_fixed_facts[] = {
	FIXED("fix64K_00000", 0),
	FIXED("fix16K_80000", 1),
	FIXED("fix16K_A0000", 2),
	FIXED("fix4K_C0000", 3),
	FIXED("fix4K_C8000", 4),
	FIXED("fix4K_D0000", 5),
	FIXED("fix4K_D8000", 6),
	FIXED("fix4K_E0000", 7),
	FIXED("fix4K_E8000", 8),
	FIXED("fix4K_F0000", 9),
	FIXED("fix4K_F8000", 10),
	{ }
};

SECTION(d0g_sec_mtrr_fixed, "fixed", DOM0GPU_A_MTRR_PAD, mtrr_fixed_facts,
	mtrr_lookup, 0);

/* hypervisor/ */

static const char *hyper_type_name(u32 type)
{
	return dom0gpu_hyper_type_name(type);
}

static const struct d0g_fact hypervisor_facts[] = {
	{ "type", 0444, DOM0GPU_A_HYPERVISOR_TYPE, D0G_FMT_ENUM_STR,
	  .name = hyper_type_name,
	  FIELD(struct d0g_hypervisor, x86_hyper_type) },
	{ "cpuid_bit", 0444, DOM0GPU_A_HYPERVISOR_CPUID_BIT, D0G_FMT_BOOL,
	  FIELD(struct d0g_hypervisor, cpuid_bit) },
	{ "cpuid_max_leaf", 0444, DOM0GPU_A_HYPERVISOR_CPUID_MAX_LEAF,
	  D0G_FMT_X32, FIELD(struct d0g_hypervisor, cpuid_max_leaf) },
	{ "cpuid_signature", 0444, DOM0GPU_A_HYPERVISOR_CPUID_SIGNATURE,
	  D0G_FMT_STR, FIELD(struct d0g_hypervisor, cpuid_signature) },
	{ }
};

static const void *hypervisor_lookup(u64 key)
{
	return &d0g_model.hypervisor;
}

SECTION(d0g_sec_hypervisor, "hypervisor", 0, hypervisor_facts,
	hypervisor_lookup, 0);

/* xen/: Xen's own facts exist only under Xen; sysfs then shows them empty. */

static bool xen_running(const void *obj)
{
	const struct d0g_xen *x = obj;

	return x->domain_type != DOM0GPU_XEN_DOMAIN_TYPE_NONE;
}

enum { XEN_VERSION, XEN_RESTRICTED };

static int xen_get(const struct d0g_fact_ctx *ctx, const struct d0g_fact *f,
		   union d0g_value *v)
{
	const struct d0g_xen *x = ctx->obj;

	if (f->off == XEN_VERSION)
		v->u = (u64)x->version_major << 32 | x->version_minor;
	else
		v->u = !ctx->privileged;
	return 0;
}

static const char *xen_domain_type_name(u32 type)
{
	return dom0gpu_xen_domain_type_name(type);
}

#define XEN(name, mode, attr, fmt, flags, get)				\
	{ name, mode, attr, fmt, (flags) | D0G_FACT_SYSFS_ZERO,		\
	  .when = xen_running, get }

static const struct d0g_fact xen_facts[] = {
	{ "domain_type", 0444, DOM0GPU_A_XEN_DOMAIN_TYPE, D0G_FMT_ENUM,
	  .name = xen_domain_type_name, FIELD(struct d0g_xen, domain_type) },
	XEN("initial_domain", 0444, DOM0GPU_A_XEN_INITIAL_DOMAIN, D0G_FMT_BOOL,
	    0, FIELD(struct d0g_xen, initial_domain)),
	XEN("version", 0444, 0, D0G_FMT_VERSION, 0,
	    DERIVED(xen_get, XEN_VERSION)),
	XEN(NULL, 0, DOM0GPU_A_XEN_VERSION_MAJOR, D0G_FMT_U32, 0,
	    FIELD(struct d0g_xen, version_major)),
	XEN(NULL, 0, DOM0GPU_A_XEN_VERSION_MINOR, D0G_FMT_U32, 0,
	    FIELD(struct d0g_xen, version_minor)),
	XEN("extraversion", 0444, DOM0GPU_A_XEN_EXTRAVERSION, D0G_FMT_STR, 0,
	    FIELD(struct d0g_xen, extraversion)),
	XEN("capabilities", 0444, DOM0GPU_A_XEN_CAPABILITIES, D0G_FMT_STR, 0,
	    FIELD(struct d0g_xen, capabilities)),
	XEN("cmdline", 0400, DOM0GPU_A_XEN_CMDLINE, D0G_FMT_STR, D0G_FACT_PRIV,
	    FIELD(struct d0g_xen, cmdline)),
	XEN(NULL, 0, DOM0GPU_A_XEN_RESTRICTED, D0G_FMT_FLAG, 0,
	    DERIVED(xen_get, XEN_RESTRICTED)),
	{ }
};

static const void *xen_lookup(u64 key)
{
	return &d0g_model.xen;
}

SECTION(d0g_sec_xen, "xen", 0, xen_facts, xen_lookup, 0);

/* iommu/ */

static const char *iommu_owner_name(u32 owner)
{
	return dom0gpu_iommu_owner_name(owner);
}

static const char *iommu_domain_name(u32 domain)
{
	return dom0gpu_iommu_domain_name(domain);
}

static const struct d0g_fact iommu_facts[] = {
	{ "owner", 0444, DOM0GPU_A_IOMMU_OWNER, D0G_FMT_ENUM,
	  .name = iommu_owner_name, FIELD(struct d0g_iommu, owner) },
	{ "linux_present", 0444, DOM0GPU_A_IOMMU_LINUX_PRESENT, D0G_FMT_BOOL,
	  FIELD(struct d0g_iommu, linux_present) },
	{ "default_domain", 0444, DOM0GPU_A_IOMMU_DEFAULT_DOMAIN, D0G_FMT_ENUM,
	  .name = iommu_domain_name, FIELD(struct d0g_iommu, default_domain) },
	{ "groups", 0444, DOM0GPU_A_IOMMU_GROUP_COUNT, D0G_FMT_U32,
	  FIELD(struct d0g_iommu, group_count) },
	{ "acpi_dmar", 0444, DOM0GPU_A_IOMMU_ACPI_DMAR, D0G_FMT_BOOL,
	  FIELD(struct d0g_iommu, acpi_dmar) },
	{ "acpi_ivrs", 0444, DOM0GPU_A_IOMMU_ACPI_IVRS, D0G_FMT_BOOL,
	  FIELD(struct d0g_iommu, acpi_ivrs) },
	{ }
};

static const void *iommu_lookup(u64 key)
{
	return &d0g_model.iommu;
}

SECTION(d0g_sec_iommu, "iommu", 0, iommu_facts, iommu_lookup, 0);

/* gpus/ and gpus/<domain:bus:slot.function>/ */

static const struct d0g_fact gpus_facts[] = {
	{ "count", 0444, 0, D0G_FMT_U32, FIELD(struct d0g_model, nr_gpus) },
	{ }
};

SECTION(d0g_sec_gpus, "gpus", 0, gpus_facts, top_lookup, 0);

enum { GPU_SLOT, GPU_FUNCTION, GPU_NVIDIA };

static int gpu_get(const struct d0g_fact_ctx *ctx, const struct d0g_fact *f,
		   union d0g_value *v)
{
	const struct d0g_gpu *g = ctx->obj;

	switch (f->off) {
	case GPU_SLOT:
		v->u = PCI_SLOT(g->devfn);
		break;
	case GPU_FUNCTION:
		v->u = PCI_FUNC(g->devfn);
		break;
	case GPU_NVIDIA:
		v->u = g->vendor == PCI_VENDOR_ID_NVIDIA;
		break;
	}
	return 0;
}

#define GPU_BAR(name, i)						\
	{ name, 0444, DOM0GPU_A_GPU_BAR_SIZE, D0G_FMT_U64,		\
	  FIELD(struct d0g_gpu, bar_size[i]) }

static const struct d0g_fact gpu_facts[] = {
	{ NULL, 0, DOM0GPU_A_GPU_DOMAIN, D0G_FMT_U32,
	  FIELD(struct d0g_gpu, domain) },
	{ NULL, 0, DOM0GPU_A_GPU_BUS, D0G_FMT_U8, FIELD(struct d0g_gpu, bus) },
	{ NULL, 0, DOM0GPU_A_GPU_SLOT, D0G_FMT_U8, DERIVED(gpu_get, GPU_SLOT) },
	{ NULL, 0, DOM0GPU_A_GPU_FUNCTION, D0G_FMT_U8,
	  DERIVED(gpu_get, GPU_FUNCTION) },
	{ "vendor", 0444, DOM0GPU_A_GPU_VENDOR, D0G_FMT_X16,
	  FIELD(struct d0g_gpu, vendor) },
	{ "device", 0444, DOM0GPU_A_GPU_DEVICE, D0G_FMT_X16,
	  FIELD(struct d0g_gpu, device) },
	{ "class", 0444, DOM0GPU_A_GPU_CLASS, D0G_FMT_X24,
	  FIELD(struct d0g_gpu, class) },
	{ "driver", 0444, DOM0GPU_A_GPU_DRIVER, D0G_FMT_STR,
	  FIELD(struct d0g_gpu, driver) },
	{ "numa_node", 0444, DOM0GPU_A_GPU_NUMA_NODE, D0G_FMT_S32,
	  FIELD(struct d0g_gpu, numa_node) },
	{ "iommu_group", 0444, DOM0GPU_A_GPU_IOMMU_GROUP, D0G_FMT_S32,
	  FIELD(struct d0g_gpu, iommu_group) },
	{ "iommu_domain", 0444, DOM0GPU_A_GPU_IOMMU_DOMAIN, D0G_FMT_ENUM,
	  .name = iommu_domain_name, FIELD(struct d0g_gpu, iommu_domain) },
	GPU_BAR("bar0", 0),
	GPU_BAR("bar1", 1),
	GPU_BAR("bar2", 2),
	GPU_BAR("bar3", 3),
	GPU_BAR("bar4", 4),
	GPU_BAR("bar5", 5),
	{ "nvidia", 0444, 0, D0G_FMT_BOOL, DERIVED(gpu_get, GPU_NVIDIA) },
	{ }
};

/* The key of a GPU's directory is its address: domain << 16 | bus << 8 | devfn. */
static const void *gpu_lookup(u64 key)
{
	return d0g_gpu_find(key >> 16, (key >> 8) & 0xff, key & 0xff);
}

SECTION(d0g_sec_gpu, "gpu", DOM0GPU_A_GPU_PAD, gpu_facts, gpu_lookup,
	-ENODEV);
