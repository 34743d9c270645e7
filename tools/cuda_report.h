/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CUDA probe in the report: its result as facts (cuda.*, so that
 * --explain rebuilds the verdict from a saved report), and its per-step
 * detail for the outputs. The rules that judge it are in rules_cuda.c.
 */
#ifndef DOM0GPU_STAT_CUDA_REPORT_H
#define DOM0GPU_STAT_CUDA_REPORT_H

#include <stdio.h>

#include <json-c/json.h>

#include "cuda_probe.h"
#include "report.h"

/* Record the probe's outcome as facts and the GPUs' UUIDs in r->gpus[]. */
void cuda_report_facts(struct report *r, const struct cuda_probe_result *p);

/* True when a CUDA probe result backs the verdict: it passed and the verdict
 * is ready, or it failed and a D0G-CUDA blocker is among the findings. */
bool cuda_verdict_confirmed(const struct report *r);

/* The "cuda_probe" object of --json: every step of every GPU. */
json_object *cuda_report_json(const struct cuda_probe_result *p);

/* Human report section. */
void cuda_report_human(FILE *f, const struct cuda_probe_result *p);

/* Prometheus metrics: success and the time of every step. Returns 0, or
 * -1 if writing failed. */
int cuda_report_prometheus(FILE *f, const struct report *r,
			   const struct cuda_probe_result *p);

#endif /* DOM0GPU_STAT_CUDA_REPORT_H */
