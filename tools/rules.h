/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdict engine: a table of rules with stable IDs (rules.c). Each rule
 * looks at the report and emits zero or more findings; the worst severity
 * found decides the verdict. To add rules (e.g. a CUDA probe's), append
 * rows to rules[] in rules.c and document the IDs in dom0gpu-stat.8.
 */
#ifndef DOM0GPU_STAT_RULES_H
#define DOM0GPU_STAT_RULES_H

#include "rule_ctx.h"
#include "report.h"

struct rule {
	const char *id;			/* stable: D0G-<AREA>-<NNN> */
	enum severity severity;
	const char *title;
	const char *remediation;	/* NULL when there is nothing to do */
	void (*check)(const struct rule_ctx *c);
	/*
	 * What check may depend on: the rule_ctx values it uses (RD_*, each
	 * derived from the facts rule_derived_defs[] names) and the facts it
	 * reads itself, ending with F__COUNT. tests/rules/ fails a rule whose
	 * findings change with any other fact.
	 */
	unsigned int derived;
	const enum fact_id *reads;
};

extern const struct rule rules[];
extern const unsigned int nr_rules;

void rules_evaluate(struct report *r);
const struct rule *rule_find(const char *id);

#endif /* DOM0GPU_STAT_RULES_H */
