// SPDX-License-Identifier: GPL-2.0
/*
 * The rules' context: the values several rules share, derived from the
 * report's facts once before any rule runs, and the calls that record a
 * rule's findings. rule_derived_defs[] is the one list of the facts each
 * derived value comes from; tests/rules/ checks it and every rule's
 * declared reads against what the checks really read.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rule_ctx.h"

const struct rule_derived_def rule_derived_defs[RULE_NR_DERIVED] = {
	{ RD_NV, "NVIDIA's decision",
	  FACT_LIST(F_PAT_MSR, F_CPU_PAT, F_CPU_VENDOR, F_CPU_CPUID_LEVEL, F_CPU_CPUID1_EDX,
		F_CPU_FAMILY, F_CPU_MODEL, F_KERNEL_X86_PAT, F_NVIDIA_USE_PAT) },
	{ RD_DOMAIN, "PV or PVH dom0", FACT_LIST(F_XEN_DOMAIN_TYPE) },
	/* NVIDIA rejects the PAT's WC (RD_NV) of a PV dom0 (RD_DOMAIN). */
	{ RD_PVH_RECOMMENDED, "PVH recommended",
	  FACT_LIST(F_PAT_MSR, F_CPU_PAT, F_CPU_VENDOR, F_CPU_CPUID_LEVEL, F_CPU_CPUID1_EDX,
		F_CPU_FAMILY, F_CPU_MODEL, F_KERNEL_X86_PAT, F_XEN_DOMAIN_TYPE) },
	{ RD_XEN_NOW, "Xen's command line", FACT_LIST(F_XEN_CMDLINE) },
	{ RD_XEN_NEXT, "Xen's next command line", FACT_LIST(F_XEN_CMDLINE_NEXT) },
};

struct finding *rule_emit(const struct rule_ctx *c, int gpu, const char *fmt, ...)
{
	struct report *r = c->r;
	struct finding *f;
	va_list ap;

	if (r->nr_findings >= REPORT_MAX_FINDINGS)
		return NULL;
	f = &r->findings[r->nr_findings++];
	memset(f, 0, sizeof(*f));
	f->rule = c->rule;
	f->gpu = gpu;
	va_start(ap, fmt);
	vsnprintf(f->evidence, sizeof(f->evidence), fmt, ap);
	va_end(ap);
	return f;
}

void finding_cite(struct finding *f, enum fact_id id)
{
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < f->nr_facts; i++)
		if (f->facts[i] == id)
			return;
	if (f->nr_facts < sizeof(f->facts) / sizeof(f->facts[0]))
		f->facts[f->nr_facts++] = id;
}

bool xen_cmdline_fact(const struct report *r, enum fact_id id, struct xencmd *x)
{
	memset(x, 0, sizeof(*x));
	if (!fact_known(r, id) || !r->f[id].s)
		return false;
	xencmd_parse(r->f[id].s, x);
	return true;
}

/* NVIDIA's inputs from the facts; defaults are the driver's and the x86-64 kernel's. */
static void nv_inputs(struct rule_ctx *c)
{
	const struct report *r = c->r;
	struct nvpat_input *in = &c->nv_in, pat_in;

	memset(in, 0, sizeof(*in));
	c->nv_known = fact_known(r, F_PAT_MSR);
	if (!c->nv_known)
		return;
	in->pat = r->f[F_PAT_MSR].v.u;
	in->x86_feature_pat = !fact_false(r, F_CPU_PAT);
	in->vendor_intel = fact_str_is(r, F_CPU_VENDOR, "GenuineIntel");
	in->cpuid_level = fact_known(r, F_CPU_CPUID_LEVEL) ? (u32)r->f[F_CPU_CPUID_LEVEL].v.i : 1;
	if (fact_known(r, F_CPU_CPUID1_EDX))
		in->cpuid1_edx = (u32)r->f[F_CPU_CPUID1_EDX].v.u;
	else
		in->cpuid1_edx = in->x86_feature_pat ? 1U << 16 : 0;
	in->family = (u32)r->f[F_CPU_FAMILY].v.i;
	in->model = (u32)r->f[F_CPU_MODEL].v.i;
	in->kernel_has_pat = !fact_false(r, F_KERNEL_X86_PAT);
	in->use_pat_param = fact_known(r, F_NVIDIA_USE_PAT) ?
			    (u32)r->f[F_NVIDIA_USE_PAT].v.i : NVPAT_USE_PAT_DEFAULT;
	nvpat_predict(in, &c->nv);
	/* The PAT rules ask what NVIDIA makes of the PAT itself, whatever the parameter. */
	pat_in = *in;
	pat_in.use_pat_param = NVPAT_USE_PAT_DEFAULT;
	nvpat_predict(&pat_in, &c->pat);
}

void rule_ctx_derive(struct rule_ctx *c, struct report *r)
{
	memset(c, 0, sizeof(*c));
	c->r = r;
	nv_inputs(c);
	c->pv_dom0 = fact_str_is(r, F_XEN_DOMAIN_TYPE, "pv");
	c->pvh_dom0 = fact_str_is(r, F_XEN_DOMAIN_TYPE, "pvh");
	/* D0G-PAT-001's condition: the PVH preflight rules follow from it, not from its run. */
	c->pvh_recommended = c->nv_known && c->pat.reason == NVPAT_REASON_UNSUPPORTED && c->pv_dom0;
	c->xen_now_known = xen_cmdline_fact(r, F_XEN_CMDLINE, &c->xen_now);
	c->xen_next_known = xen_cmdline_fact(r, F_XEN_CMDLINE_NEXT, &c->xen_next);
}
