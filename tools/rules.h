/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdict engine: a table of rules with stable IDs (rules.c). Each rule
 * looks at the report and emits zero or more findings; the worst severity
 * found decides the verdict. To add rules (e.g. a CUDA probe's), append
 * rows to rules[] in rules.c and document the IDs in dom0gpu-stat.8.
 */
#ifndef DOM0GPU_STAT_RULES_H
#define DOM0GPU_STAT_RULES_H

#include <dom0gpu_nvpat.h>
#include "report.h"

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
};

struct rule {
	const char *id;			/* stable: D0G-<AREA>-<NNN> */
	enum severity severity;
	const char *title;
	const char *remediation;	/* NULL when there is nothing to do */
	void (*check)(const struct rule_ctx *c);
};

extern const struct rule rules[];
extern const unsigned int nr_rules;

/* For check functions: record a finding of c->rule (gpu -1 for none). */
struct finding *rule_emit(const struct rule_ctx *c, int gpu, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void finding_cite(struct finding *f, enum fact_id id);

void rules_evaluate(struct report *r);
const struct rule *rule_find(const char *id);

#endif /* DOM0GPU_STAT_RULES_H */
