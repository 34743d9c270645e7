/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --plan: the steps to try a PVH dom0 once, with the boot loader's one-time
 * boot, so that any failure comes back to the working boot by itself, then
 * to confirm it and make it permanent (or roll back). Built from the boot
 * setup (boot.h) and the judged report's PVH preflight; printed by
 * plan_out.c. dom0gpu-stat itself changes nothing.
 */
#ifndef DOM0GPU_STAT_PLAN_H
#define DOM0GPU_STAT_PLAN_H

#include <stdio.h>

#include "boot.h"
#include "report.h"

#define PLAN_MAX_STEPS		8
#define PLAN_MAX_FILES		4
#define PLAN_MAX_NOTES		12
#define PLAN_NOTE_LEN		400

/* The name of the trial entry / section / one-time boot target. */
#define PLAN_TRIAL_ID		"dom0gpu-pvh-trial"

enum plan_phase {
	PHASE_CHECK,		/* read-only checks before anything changes */
	PHASE_ADD_TRIAL,	/* add the trial entry; the default stays as it is */
	PHASE_BOOT_ONCE,	/* arm the one-time boot and reboot */
	PHASE_VERIFY,		/* in the trial boot: evidence */
	PHASE_PERMANENT,	/* only after a good trial */
	PHASE_ROLLBACK,		/* if the trial did not come up */
};

struct plan_step {
	enum plan_phase phase;
	char title[200];
	char files[PLAN_MAX_FILES][BOOT_PATH_LEN];	/* what it changes; none for checks */
	unsigned int nr_files;
	char *commands;		/* copy-pasteable shell, owned */
	char *expect;		/* what a good outcome looks like, owned */
};

struct boot_plan {
	struct boot_setup boot;
	bool possible;			/* a trial can be armed as printed */
	char trial_args[BOOT_ARGS_LEN];	/* Xen's options for the trial */
	char arg_changes[PLAN_MAX_NOTES][200];
	unsigned int nr_arg_changes;
	char problems[PLAN_MAX_NOTES][PLAN_NOTE_LEN];	/* why the plan cannot be followed */
	unsigned int nr_problems;
	char warnings[PLAN_MAX_NOTES][PLAN_NOTE_LEN];	/* preflight: the trial may fail */
	unsigned int nr_warnings;
	struct plan_step steps[PLAN_MAX_STEPS];
	unsigned int nr_steps;
};

const char *plan_phase_name(enum plan_phase p);

/*
 * Xen's options for a PVH trial from the current ones (Xen 4.17's
 * semantics, xencmd.c): dom0=pvh, the IOMMU not disabled, and the
 * PV-only options the preflight names dropped. Returns the number of
 * changes described in changes[] (at most max).
 */
unsigned int plan_trial_args(const char *cur, char *out, size_t len,
			     char changes[][200], unsigned int max);

/* Detect the boot setup and build the plan; r must be judged (rules_evaluate). */
void plan_build(struct boot_plan *p, const struct report *r);
void plan_free(struct boot_plan *p);

void plan_print(FILE *f, const struct boot_plan *p);
/* json-c object; void * so that this header does not need json-c. */
void *plan_json(const struct boot_plan *p);

#endif /* DOM0GPU_STAT_PLAN_H */
