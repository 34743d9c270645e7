/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a rule's check function may use: the report, the values derived
 * from its facts once before any rule runs (rule_ctx.c), and the calls
 * that record a finding. The rules' table and their evaluation are in
 * rules.h; check functions include only this header, so no file of
 * checks imports back the file that runs them.
 */
#ifndef DOM0GPU_STAT_RULE_CTX_H
#define DOM0GPU_STAT_RULE_CTX_H

#include <stdbool.h>

#include <dom0gpu_nvpat.h>
#include "report.h"
#include "xencmd.h"

struct rule;

/* A list of facts, as rules[] and rule_derived_defs[] declare them: ends with F__COUNT. */
#define FACT_LIST(...)	((const enum fact_id[]){ __VA_ARGS__, F__COUNT })
#define NO_FACTS	((const enum fact_id[]){ F__COUNT })

/*
 * The derived values of struct rule_ctx, as a rule's row declares those
 * its check uses; rule_derived_defs[] names the facts each is derived from.
 */
enum rule_derived {
	RD_NV			= 1 << 0,	/* nv_known, nv_in, nv, pat */
	RD_DOMAIN		= 1 << 1,	/* pv_dom0, pvh_dom0 */
	RD_PVH_RECOMMENDED	= 1 << 2,	/* pvh_recommended */
	RD_XEN_NOW		= 1 << 3,	/* xen_now_known, xen_now */
	RD_XEN_NEXT		= 1 << 4,	/* xen_next_known, xen_next */
};

#define RULE_NR_DERIVED	5

struct rule_derived_def {
	enum rule_derived bit;
	const char *name;
	const enum fact_id *from;	/* ends with F__COUNT */
};

extern const struct rule_derived_def rule_derived_defs[RULE_NR_DERIVED];

/*
 * What every rule may read: the report and values derived from its facts
 * before any rule runs. Rules get it const, so no rule can pass anything
 * to another and the order of rules[] decides only the order of findings.
 */
struct rule_ctx {
	struct report *r;
	const struct rule *rule;
	/* NVIDIA's decision from the report's facts (nvpat.c, shared with the module). */
	bool nv_known;
	struct nvpat_input nv_in;
	struct nvpat_result nv;
	struct nvpat_result pat;	/* the same with UsePageAttributeTable at its default */
	bool pv_dom0;			/* Xen PV (the PVH remediation applies) */
	bool pvh_dom0;			/* Xen PVH now: its next boot must stay PVH */
	bool pvh_recommended;		/* NVIDIA rejects a PV dom0's PAT: D0G-PAT-001 tells it to move to PVH */
	/* Xen's command lines as Xen 4.17 reads them: this boot's, the next one's. */
	bool xen_now_known;
	struct xencmd xen_now;
	bool xen_next_known;
	struct xencmd xen_next;
};

/* Derive c's values from r's facts; c->rule is left NULL. */
void rule_ctx_derive(struct rule_ctx *c, struct report *r);

/*
 * A Xen command-line fact (xen.cmdline, xen.cmdline_configured) parsed as
 * Xen 4.17 reads it; false, with x zeroed, when the report lacks it.
 */
bool xen_cmdline_fact(const struct report *r, enum fact_id id, struct xencmd *x);

/* For check functions: record a finding of c->rule (gpu -1 for none). */
struct finding *rule_emit(const struct rule_ctx *c, int gpu, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void finding_cite(struct finding *f, enum fact_id id);

#endif /* DOM0GPU_STAT_RULE_CTX_H */
