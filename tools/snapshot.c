// SPDX-License-Identifier: GPL-2.0
/*
 * The one mapping of the module's snapshot (snapshot.h) to the report's
 * facts. Values the transports decoded as the module gives them become
 * facts here, once: the kernel's hypervisor names, Xen's version and HVM
 * support, the PAT layout, and the PAT of a CPU that differs.
 */
#include <stdio.h>
#include <string.h>

#include "pat_types.h"
#include "snapshot.h"

void snapshot_init(struct module_snapshot *s, enum src src)
{
	memset(s, 0, sizeof(*s));
	s->src = src;
}

static struct snap_value *put(struct module_snapshot *s, enum snap_field f, const char *from)
{
	struct snap_value *v = &s->v[f];

	v->set = true;
	snprintf(v->from, sizeof(v->from), "%s", from);
	return v;
}

void snapshot_set_u(struct module_snapshot *s, enum snap_field f, uint64_t v, const char *from)
{
	put(s, f, from)->u = v;
}

void snapshot_set_str(struct module_snapshot *s, enum snap_field f, const char *v, const char *from)
{
	snprintf(put(s, f, from)->s, REPORT_STR_LEN, "%s", v);
}

/*
 * Of the PATs that differ from the boot CPU's, the one that tells most
 * (pat_other_more_telling()); and the boot CPU's microcode revision.
 */
void snapshot_cpu(struct module_snapshot *s, unsigned int cpu, const uint64_t *pat,
		  const uint32_t *microcode, const char *from)
{
	const struct snap_value *boot = &s->v[SNAP_PAT_MSR], *other = &s->v[SNAP_PAT_MSR_OTHER];

	if (microcode && cpu == 0)
		snapshot_set_u(s, SNAP_CPU_MICROCODE, *microcode, from);
	if (pat && boot->set && *pat != boot->u &&
	    (!other->set || pat_other_more_telling(boot->u, other->u, *pat)))
		snapshot_set_u(s, SNAP_PAT_MSR_OTHER, *pat, from);
}

/* Values that become a fact as they are; fact_defs[] gives the type. */
static const struct {
	enum snap_field field;
	enum fact_id fact;
} as_is[] = {
	{ SNAP_VERSION, F_DOM0GPU_VERSION },
	{ SNAP_PAT_MSR, F_PAT_MSR },
	{ SNAP_PAT_LAYOUT, F_PAT_LAYOUT },
	{ SNAP_PAT_WC_INDEX, F_PAT_WC_INDEX },
	{ SNAP_PAT_CONSISTENT, F_PAT_CONSISTENT },
	{ SNAP_PAT_CPUS_READ, F_PAT_CPUS_READ },
	{ SNAP_PAT_KERNEL_ENABLED, F_PAT_KERNEL_ENABLED },
	{ SNAP_PAT_FEATURE, F_CPU_PAT },
	{ SNAP_CPU_MICROCODE, F_CPU_MICROCODE },
	{ SNAP_CPUID1_EDX, F_CPU_CPUID1_EDX },
	{ SNAP_KERNEL_HAS_PAT, F_KERNEL_X86_PAT },
	{ SNAP_PAT_MODE, F_MODULE_PAT_MODE },
	{ SNAP_PAT_REASON, F_MODULE_PAT_REASON },
	{ SNAP_CPUID_BIT, F_CPU_HYPERVISOR_BIT },
	{ SNAP_XEN_DOMAIN_TYPE, F_XEN_DOMAIN_TYPE },
};

/* Xen's facts, only when the module says the kernel runs on Xen. */
static const struct {
	enum snap_field field;
	enum fact_id fact;
} xen_as_is[] = {
	{ SNAP_XEN_INITIAL_DOMAIN, F_XEN_INITIAL_DOMAIN },
	{ SNAP_XEN_CAPABILITIES, F_XEN_CAPABILITIES },
	{ SNAP_XEN_CMDLINE, F_XEN_CMDLINE },
};

static void set_fact(struct report *r, enum fact_id id, const struct snap_value *v, enum src src)
{
	switch (fact_defs[id].type) {
	case FT_BOOL:
		fact_set_bool(r, id, v->u != 0, src, v->from);
		break;
	case FT_INT:
		fact_set_int(r, id, (int64_t)v->u, src, v->from);
		break;
	case FT_HEX:
		fact_set_hex(r, id, v->u, src, v->from);
		break;
	case FT_STR:
		fact_set_str(r, id, v->s, src, v->from);
		break;
	}
}

/* A name this build of dom0gpu-stat does not know is no value. */
static bool usable(const struct snap_value *v)
{
	return v->set && strcmp(v->s, "unknown");
}

/* The module read the PAT; a kernel-log layout may be stale. Its own names follow. */
static void map_pat_layout(const struct module_snapshot *s, struct report *r)
{
	const struct snap_value *msr = &s->v[SNAP_PAT_MSR];
	char layout[64];

	if (!msr->set)
		return;
	pat_layout_text(msr->u, layout, sizeof(layout));
	fact_set_str(r, F_PAT_LAYOUT, layout, s->src, msr->from);
}

/* A CPU whose PAT differs, only while the module finds the PATs differ. */
static void map_pat_other(const struct module_snapshot *s, struct report *r)
{
	const struct snap_value *other = &s->v[SNAP_PAT_MSR_OTHER];

	if (fact_true(r, F_PAT_CONSISTENT))
		fact_clear(r, F_PAT_MSR_OTHER);
	else if (fact_false(r, F_PAT_CONSISTENT) && other->set)
		fact_set_hex(r, F_PAT_MSR_OTHER, other->u, s->src, other->from);
}

/* x86_hyper_type by the kernel's name (native, xen_pv, xen_hvm, kvm, ...). */
static void map_hypervisor(const struct module_snapshot *s, struct report *r)
{
	const struct snap_value *v = &s->v[SNAP_HYPERVISOR_TYPE];
	const char *t = v->s;

	if (!v->set)
		return;
	if (!strcmp(t, "native"))
		t = "none";
	else if (!strncmp(t, "xen", 3))
		t = "xen";
	fact_set_str(r, F_HYPERVISOR_TYPE, t, s->src, v->from);
}

static void map_xen(const struct module_snapshot *s, struct report *r)
{
	const struct snap_value *ver = &s->v[SNAP_XEN_VERSION], *extra = &s->v[SNAP_XEN_EXTRAVERSION];
	const struct snap_value *caps = &s->v[SNAP_XEN_CAPABILITIES];
	const struct snap_value *dom = &s->v[SNAP_XEN_DOMAIN_TYPE];
	unsigned int i;

	if (!usable(dom) || !strcmp(dom->s, "none"))
		return;
	for (i = 0; i < sizeof(xen_as_is) / sizeof(xen_as_is[0]); i++)
		if (s->v[xen_as_is[i].field].set)
			set_fact(r, xen_as_is[i].fact, &s->v[xen_as_is[i].field], s->src);
	if (ver->set && ver->s[0]) {
		char buf[2 * REPORT_STR_LEN];

		/* Older trees put the extraversion into the version itself. */
		snprintf(buf, sizeof(buf), "%s%s", ver->s,
			 extra->set && !strstr(ver->s, extra->s) ? extra->s : "");
		fact_set_str(r, F_XEN_VERSION, buf, s->src, ver->from);
	}
	if (caps->set && caps->s[0])
		fact_set_bool(r, F_XEN_HVM, strstr(caps->s, "hvm-") != NULL, s->src, caps->from);
	if (!s->v[SNAP_XEN_CMDLINE].set && s->v[SNAP_XEN_CMDLINE_RESTRICTED].u)
		report_note(r, "%s: Xen's command line is given to root only: preflight without it",
			    s->v[SNAP_XEN_CMDLINE_RESTRICTED].from);
}

void snapshot_to_facts(const struct module_snapshot *s, struct report *r)
{
	unsigned int i;

	map_pat_layout(s, r);
	for (i = 0; i < sizeof(as_is) / sizeof(as_is[0]); i++)
		if (usable(&s->v[as_is[i].field]))
			set_fact(r, as_is[i].fact, &s->v[as_is[i].field], s->src);
	map_pat_other(s, r);
	map_hypervisor(s, r);
	map_xen(s, r);
}
