// SPDX-License-Identifier: GPL-2.0
/*
 * Rules over the CUDA probe's facts (cuda.*). They read facts only, so a
 * saved report judged with --explain gets the same findings. A probe that
 * was not asked for leaves cuda.probe unknown and none of them fires.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cuda_api.h"
#include "rules_cuda.h"

static const char *sval(const struct report *r, enum fact_id id)
{
	return r->f[id].known && r->f[id].s ? r->f[id].s : "";
}

static bool probe_is(const struct rule_ctx *c, const char *outcome)
{
	return fact_str_is(c->r, F_CUDA_PROBE, outcome);
}

/* Index in r->gpus[] of the GPU the probe failed on, or -1. */
static int failed_gpu(const struct report *r)
{
	const char *bus = sval(r, F_CUDA_FAILED_GPU);
	unsigned int i;

	for (i = 0; bus[0] && i < r->nr_gpus; i++)
		if (!strcasecmp(r->gpus[i].slot, bus))
			return (int)i;
	return -1;
}

/* NVIDIA maps no write-combined memory: predicted from the PAT, or said
 * in its own kernel log line. */
static const char *nv_disables_wc(const struct rule_ctx *c)
{
	if (c->nv_known && c->nv.mode == NVPAT_MODE_DISABLED)
		return c->nv.message[0] ? c->nv.message :
		       "PAT without a write-combining entry";
	if (sval(c->r, F_NVIDIA_LOG_PAT)[0])
		return sval(c->r, F_NVIDIA_LOG_PAT);
	return NULL;
}

static bool failed_not_supported(const struct rule_ctx *c)
{
	return probe_is(c, "failed") && fact_known(c->r, F_CUDA_RESULT) &&
	       c->r->f[F_CUDA_RESULT].v.i == CUDA_ERROR_NOT_SUPPORTED;
}

/* The probe's own one-line reason names the step, the call and the code
 * or signal; the facts behind it are cited. */
static void emit_probe(struct rule_ctx *c)
{
	struct finding *f;

	f = rule_emit(c, failed_gpu(c->r), "CUDA probe: %s", sval(c->r, F_CUDA_PROBE_REASON));
	finding_cite(f, F_CUDA_PROBE);
	finding_cite(f, F_CUDA_FAILED_STEP);
	finding_cite(f, F_CUDA_FAILED_GPU);
	finding_cite(f, F_CUDA_FAILED_CALL);
	finding_cite(f, F_CUDA_RESULT);
	finding_cite(f, F_CUDA_RESULT_NAME);
	finding_cite(f, F_CUDA_SIGNAL);
}

void check_cuda_pat_confirmed(struct rule_ctx *c)
{
	const char *why = nv_disables_wc(c);
	struct finding *f;

	if (!failed_not_supported(c) || !why)
		return;
	f = rule_emit(c, failed_gpu(c->r), "%s returned CUDA_ERROR_NOT_SUPPORTED (801) in the "
		      "probe's %s step while NVIDIA maps no write-combined memory (\"%s\"): real "
		      "CUDA work confirms the PAT blocker", sval(c->r, F_CUDA_FAILED_CALL),
		      sval(c->r, F_CUDA_FAILED_STEP), why);
	finding_cite(f, F_CUDA_PROBE);
	finding_cite(f, F_CUDA_FAILED_STEP);
	finding_cite(f, F_CUDA_FAILED_CALL);
	finding_cite(f, F_CUDA_RESULT);
	finding_cite(f, F_PAT_MSR);
	finding_cite(f, F_NVIDIA_LOG_PAT);
}

void check_cuda_failed(struct rule_ctx *c)
{
	if (!probe_is(c, "failed") || (failed_not_supported(c) && nv_disables_wc(c)))
		return;
	emit_probe(c);
}

void check_cuda_wrong_data(struct rule_ctx *c)
{
	if (probe_is(c, "wrong_data"))
		emit_probe(c);
}

void check_cuda_hung(struct rule_ctx *c)
{
	if (probe_is(c, "hung"))
		emit_probe(c);
}

void check_cuda_crashed(struct rule_ctx *c)
{
	if (probe_is(c, "crashed"))
		emit_probe(c);
}

void check_cuda_not_run_gpu(struct rule_ctx *c)
{
	if (!probe_is(c, "not_run") || !report_nvidia_gpus(c->r))
		return;
	finding_cite(rule_emit(c, -1, "%u NVIDIA GPU(s) on the PCI bus, but the CUDA probe did "
			       "not run: %s", report_nvidia_gpus(c->r),
			       sval(c->r, F_CUDA_PROBE_REASON)),
		     F_CUDA_PROBE_REASON);
}

void check_cuda_not_run(struct rule_ctx *c)
{
	if (!probe_is(c, "not_run") || report_nvidia_gpus(c->r))
		return;
	finding_cite(rule_emit(c, -1, "the CUDA probe did not run: %s",
			       sval(c->r, F_CUDA_PROBE_REASON)),
		     F_CUDA_PROBE_REASON);
}

void check_cuda_passed(struct rule_ctx *c)
{
	struct finding *f;

	if (!probe_is(c, "ok"))
		return;
	f = rule_emit(c, -1, "real CUDA work succeeded: %s (context, device memory, a "
		      "write-combined pinned buffer, a JIT-compiled kernel, all verified)",
		      sval(c->r, F_CUDA_PROBE_REASON));
	finding_cite(f, F_CUDA_PROBE);
	finding_cite(f, F_CUDA_GPUS);
	finding_cite(f, F_CUDA_DRIVER_VERSION);
}

void check_cuda_contradicts(struct rule_ctx *c)
{
	const char *why = nv_disables_wc(c);
	struct finding *f;

	if (!probe_is(c, "ok") || !why)
		return;
	f = rule_emit(c, -1, "the CUDA probe passed, including a write-combined allocation, "
		      "although NVIDIA is expected to map no write-combined memory (\"%s\")", why);
	finding_cite(f, F_CUDA_PROBE);
	finding_cite(f, F_PAT_MSR);
	finding_cite(f, F_NVIDIA_LOG_PAT);
}
