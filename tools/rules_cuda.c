// SPDX-License-Identifier: GPL-2.0
/*
 * Rules over the CUDA probe's facts (cuda.*). They read facts only, so a
 * saved report judged with --explain gets the same findings. A probe that
 * was not asked for leaves cuda.probe unknown and none of them fires.
 */
#include <stdio.h>
#include <string.h>

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
	return report_gpu_index(r, sval(r, F_CUDA_FAILED_GPU));
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

/* A finite limit of the probe's own process explains its failure: raised,
 * the probe passed; or, where it could not be raised, the code NVIDIA's
 * driver was measured to answer under it (cuda_env.c):
 * CUDA_ERROR_OUT_OF_MEMORY under RLIMIT_AS, CUDA_ERROR_OPERATING_SYSTEM
 * under a small RLIMIT_NOFILE. */
static bool limits_cause(const struct rule_ctx *c)
{
	const struct report *r = c->r;

	if (!probe_is(c, "failed") && !probe_is(c, "crashed") && !probe_is(c, "hung"))
		return false;
	if (fact_known(r, F_CUDA_PROBE_LIMITS_RAISED))
		return fact_str_is(r, F_CUDA_PROBE_LIMITS_RAISED, "ok");
	if (!fact_known(r, F_CUDA_RESULT))
		return false;
	return (fact_known(r, F_CUDA_RLIMIT_AS) &&
		r->f[F_CUDA_RESULT].v.i == CUDA_ERROR_OUT_OF_MEMORY) ||
	       (fact_known(r, F_CUDA_RLIMIT_NOFILE) &&
		r->f[F_CUDA_RESULT].v.i == CUDA_ERROR_OPERATING_SYSTEM);
}

/* BUS is one of the space-separated PCI addresses of fact ID. */
static bool listed(const struct report *r, enum fact_id id, const char *bus)
{
	const char *p = sval(r, id);
	size_t n = strlen(bus);

	for (; n && *p; p += strcspn(p, " "), p += strspn(p, " "))
		if (!strncasecmp(p, bus, n) && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

static bool probe_stopped(const struct rule_ctx *c)
{
	return probe_is(c, "failed") || probe_is(c, "crashed") || probe_is(c, "hung");
}

/*
 * Without persistence mode the driver sets a GPU up on its first open and
 * tears it down on the last close (NVIDIA's persistence daemon docs), which
 * the probe pays inside its deadline: a hang on such a GPU, or in cuInit
 * (which opens every GPU) while one is without it, may be that slowness.
 */
static bool persistence_cause(const struct rule_ctx *c)
{
	const char *bus = sval(c->r, F_CUDA_FAILED_GPU);

	if (!probe_is(c, "hung") || !sval(c->r, F_CUDA_PERSISTENCE_OFF)[0])
		return false;
	return bus[0] ? listed(c->r, F_CUDA_PERSISTENCE_OFF, bus) : true;
}

/* A GPU in MIG mode runs CUDA only inside MIG instances: the probe's
 * failure on it, or the driver not counting it, is MIG's doing. */
static bool mig_cause(const struct rule_ctx *c)
{
	const char *p = sval(c->r, F_CUDA_HIDDEN_GPUS);
	char bus[32];

	if (probe_stopped(c) && listed(c->r, F_CUDA_MIG_ENABLED, sval(c->r, F_CUDA_FAILED_GPU)))
		return true;
	for (; *p; p += strcspn(p, " "), p += strspn(p, " ")) {
		snprintf(bus, sizeof(bus), "%.*s", (int)strcspn(p, " "), p);
		if (listed(c->r, F_CUDA_MIG_ENABLED, bus))
			return true;
	}
	return false;
}

/* The probe's result says more about its own process than the platform. */
static bool process_cause(const struct rule_ctx *c)
{
	return limits_cause(c) || fact_known(c->r, F_CUDA_DEVICE_ACCESS) ||
	       persistence_cause(c) || mig_cause(c);
}

static bool failed_not_supported(const struct rule_ctx *c)
{
	return probe_is(c, "failed") && fact_known(c->r, F_CUDA_RESULT) &&
	       c->r->f[F_CUDA_RESULT].v.i == CUDA_ERROR_NOT_SUPPORTED;
}

/* The probe's own one-line reason names the step, the call and the code
 * or signal; the facts behind it are cited. */
static void emit_probe(const struct rule_ctx *c)
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

void check_cuda_pat_confirmed(const struct rule_ctx *c)
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

void check_cuda_failed(const struct rule_ctx *c)
{
	if (!probe_is(c, "failed") || (failed_not_supported(c) && nv_disables_wc(c)) ||
	    process_cause(c))
		return;
	emit_probe(c);
}

void check_cuda_wrong_data(const struct rule_ctx *c)
{
	if (probe_is(c, "wrong_data"))
		emit_probe(c);
}

void check_cuda_hung(const struct rule_ctx *c)
{
	if (probe_is(c, "hung") && !process_cause(c))
		emit_probe(c);
}

void check_cuda_crashed(const struct rule_ctx *c)
{
	if (probe_is(c, "crashed") && !process_cause(c))
		emit_probe(c);
}

void check_cuda_not_run_gpu(const struct rule_ctx *c)
{
	if (!probe_is(c, "not_run") || !report_nvidia_gpus(c->r) ||
	    fact_known(c->r, F_CUDA_HIDDEN_GPUS) || process_cause(c))
		return;
	finding_cite(rule_emit(c, -1, "%u NVIDIA GPU(s) on the PCI bus, but the CUDA probe did "
			       "not run: %s", report_nvidia_gpus(c->r),
			       sval(c->r, F_CUDA_PROBE_REASON)),
		     F_CUDA_PROBE_REASON);
}

void check_cuda_not_run(const struct rule_ctx *c)
{
	if (!probe_is(c, "not_run") || report_nvidia_gpus(c->r))
		return;
	finding_cite(rule_emit(c, -1, "the CUDA probe did not run: %s",
			       sval(c->r, F_CUDA_PROBE_REASON)),
		     F_CUDA_PROBE_REASON);
}

void check_cuda_passed(const struct rule_ctx *c)
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

void check_cuda_contradicts(const struct rule_ctx *c)
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

void check_cuda_env_hides(const struct rule_ctx *c)
{
	struct finding *f;

	if (!fact_known(c->r, F_CUDA_VISIBLE_DEVICES) || !fact_known(c->r, F_CUDA_HIDDEN_GPUS))
		return;
	f = rule_emit(c, -1, "CUDA_VISIBLE_DEVICES='%s' in the probe's environment hides NVIDIA "
		      "GPUs from the CUDA driver: not counted, so not probed: %s. The verdict "
		      "cannot speak for GPUs the probe did not see",
		      sval(c->r, F_CUDA_VISIBLE_DEVICES), sval(c->r, F_CUDA_HIDDEN_GPUS));
	finding_cite(f, F_CUDA_VISIBLE_DEVICES);
	finding_cite(f, F_CUDA_HIDDEN_GPUS);
	finding_cite(f, F_CUDA_GPUS);
}

void check_cuda_not_counted(const struct rule_ctx *c)
{
	struct finding *f;

	if (fact_known(c->r, F_CUDA_VISIBLE_DEVICES) || !fact_known(c->r, F_CUDA_HIDDEN_GPUS))
		return;
	f = rule_emit(c, -1, "bound to nvidia but not counted by the CUDA driver, so not probed: "
		      "%s", sval(c->r, F_CUDA_HIDDEN_GPUS));
	finding_cite(f, F_CUDA_HIDDEN_GPUS);
	finding_cite(f, F_CUDA_GPUS);
	finding_cite(f, F_CUDA_DEVICE_ACCESS);
}

void check_cuda_env_order(const struct rule_ctx *c)
{
	struct finding *f;

	if (!fact_known(c->r, F_CUDA_GPU_ORDER) ||
	    (!fact_known(c->r, F_CUDA_VISIBLE_DEVICES) && !fact_known(c->r, F_CUDA_DEVICE_ORDER)))
		return;
	f = rule_emit(c, -1, "the probe's environment (CUDA_VISIBLE_DEVICES='%s', "
		      "CUDA_DEVICE_ORDER='%s') orders the CUDA GPUs %s: not the PCI bus order "
		      "that nvidia-smi numbers by, so CUDA GPU n is not nvidia-smi's GPU n",
		      sval(c->r, F_CUDA_VISIBLE_DEVICES), sval(c->r, F_CUDA_DEVICE_ORDER),
		      sval(c->r, F_CUDA_GPU_ORDER));
	finding_cite(f, F_CUDA_VISIBLE_DEVICES);
	finding_cite(f, F_CUDA_DEVICE_ORDER);
	finding_cite(f, F_CUDA_GPU_ORDER);
}

void check_cuda_limits(const struct rule_ctx *c)
{
	char lim[160] = "";
	struct finding *f;
	size_t n;

	if (!limits_cause(c))
		return;
	if (fact_known(c->r, F_CUDA_RLIMIT_AS))
		snprintf(lim, sizeof(lim), "RLIMIT_AS=%lld KiB ",
			 (long long)c->r->f[F_CUDA_RLIMIT_AS].v.i);
	n = strlen(lim);
	if (fact_known(c->r, F_CUDA_RLIMIT_NOFILE))
		snprintf(lim + n, sizeof(lim) - n, "RLIMIT_NOFILE=%lld ",
			 (long long)c->r->f[F_CUDA_RLIMIT_NOFILE].v.i);
	n = strlen(lim);
	if (n)
		lim[n - 1] = '\0';
	if (fact_known(c->r, F_CUDA_PROBE_LIMITS_RAISED))
		f = rule_emit(c, failed_gpu(c->r), "the probe did not pass under the process "
			      "limits %s (%s); run again with them raised it passed: the limits "
			      "of dom0gpu-stat's process are the cause, not the platform", lim,
			      sval(c->r, F_CUDA_PROBE_REASON));
	else
		f = rule_emit(c, failed_gpu(c->r), "%s under the process limit %s, which this "
			      "process may not raise; NVIDIA's driver answers so under such limits "
			      "(measured: CUDA_ERROR_OUT_OF_MEMORY from cuInit under any RLIMIT_AS "
			      "up to 8 GB, CUDA_ERROR_OPERATING_SYSTEM from cuCtxCreate under "
			      "RLIMIT_NOFILE 64 with four GPUs), so the limit, not the platform, is "
			      "the likely cause",
			      sval(c->r, F_CUDA_PROBE_REASON), lim);
	finding_cite(f, F_CUDA_PROBE);
	finding_cite(f, F_CUDA_RESULT_NAME);
	finding_cite(f, F_CUDA_RLIMIT_AS);
	finding_cite(f, F_CUDA_RLIMIT_NOFILE);
	finding_cite(f, F_CUDA_PROBE_LIMITS_RAISED);
}

void check_cuda_device_access(const struct rule_ctx *c)
{
	if (!fact_known(c->r, F_CUDA_DEVICE_ACCESS))
		return;
	finding_cite(rule_emit(c, -1, "the CUDA driver opens NVIDIA's device files read-write, "
			       "and this process cannot: %s (EACCES: the file's mode and owner; "
			       "EPERM: a device cgroup or security module denies it)",
			       sval(c->r, F_CUDA_DEVICE_ACCESS)),
		     F_CUDA_DEVICE_ACCESS);
}

void check_cuda_persistence_slow(const struct rule_ctx *c)
{
	if (!sval(c->r, F_CUDA_PERSISTENCE_OFF)[0] || persistence_cause(c))
		return;
	finding_cite(rule_emit(c, -1, "persistence mode is off on %s: the driver sets such a GPU "
			       "up when a process first opens it and tears it down when the last "
			       "one closes it, so every CUDA program's first init pays that "
			       "(the probe's timings include it)",
			       sval(c->r, F_CUDA_PERSISTENCE_OFF)),
		     F_CUDA_PERSISTENCE_OFF);
}

void check_cuda_persistence_hung(const struct rule_ctx *c)
{
	struct finding *f;

	if (!persistence_cause(c))
		return;
	f = rule_emit(c, failed_gpu(c->r), "%s, with persistence mode off on %s: the driver "
		      "sets those GPUs up inside the probe's deadline, so this may be a slow "
		      "first init rather than a stuck GPU", sval(c->r, F_CUDA_PROBE_REASON),
		      sval(c->r, F_CUDA_PERSISTENCE_OFF));
	finding_cite(f, F_CUDA_PROBE);
	finding_cite(f, F_CUDA_FAILED_STEP);
	finding_cite(f, F_CUDA_FAILED_GPU);
	finding_cite(f, F_CUDA_PERSISTENCE_OFF);
}

void check_cuda_mig_info(const struct rule_ctx *c)
{
	if (!sval(c->r, F_CUDA_MIG_ENABLED)[0] || mig_cause(c))
		return;
	finding_cite(rule_emit(c, -1, "MIG mode is enabled on %s: CUDA programs run there only "
			       "inside MIG instances, each named MIG-<uuid> (nvidia-smi -L)",
			       sval(c->r, F_CUDA_MIG_ENABLED)),
		     F_CUDA_MIG_ENABLED);
}

void check_cuda_mig_failed(const struct rule_ctx *c)
{
	struct finding *f;

	if (!mig_cause(c))
		return;
	f = rule_emit(c, failed_gpu(c->r), "MIG mode is enabled on %s, and the probe %s %s: on "
		      "a GPU in MIG mode CUDA works only inside a MIG instance, so this says "
		      "nothing of the platform", sval(c->r, F_CUDA_MIG_ENABLED),
		      probe_stopped(c) ? "stopped:" : "did not count",
		      probe_stopped(c) ? sval(c->r, F_CUDA_PROBE_REASON) :
		      sval(c->r, F_CUDA_HIDDEN_GPUS));
	finding_cite(f, F_CUDA_PROBE);
	finding_cite(f, F_CUDA_FAILED_GPU);
	finding_cite(f, F_CUDA_HIDDEN_GPUS);
	finding_cite(f, F_CUDA_MIG_ENABLED);
}

void check_cuda_nvml_absent(const struct rule_ctx *c)
{
	if (!fact_known(c->r, F_CUDA_NVML) || fact_str_is(c->r, F_CUDA_NVML, "ok") ||
	    !report_nvidia_gpus(c->r))
		return;
	finding_cite(rule_emit(c, -1, "persistence and MIG mode not read: %s",
			       sval(c->r, F_CUDA_NVML)),
		     F_CUDA_NVML);
}
