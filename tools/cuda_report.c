// SPDX-License-Identifier: GPL-2.0
/*
 * The CUDA probe's result in the report: facts for the rules (and for
 * --explain), then its step-by-step detail for the human, JSON and
 * Prometheus outputs. Only json-c calls present in json-c 0.11.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cuda_report.h"
#include "rules.h"

#define FROM	"libcuda.so.1"

void cuda_report_facts(struct report *r, const struct cuda_probe_result *p)
{
	const struct cuda_step_result *s = cuda_probe_failed_step(p);
	int g;

	fact_set_str(r, F_CUDA_PROBE, cuda_probe_outcome_id(p->outcome),
		     SRC_CUDA_PROBE, FROM);
	fact_set_str(r, F_CUDA_PROBE_REASON, p->reason, SRC_CUDA_PROBE, FROM);
	if (p->driver_version)
		fact_set_int(r, F_CUDA_DRIVER_VERSION, p->driver_version,
			     SRC_CUDA_PROBE, "cuDriverGetVersion");
	if (p->step[CUDA_STEP_DEVICE_COUNT].status == CUDA_STATUS_OK)
		fact_set_int(r, F_CUDA_GPUS, p->gpu_count, SRC_CUDA_PROBE,
			     "cuDeviceGetCount");

	for (g = 0; g < p->gpu_count && g < CUDA_PROBE_MAX_GPUS; g++) {
		struct gpu *rg = report_gpu_at(r, p->gpu[g].pci_bus_id);

		if (rg && p->gpu[g].uuid[0])
			memcpy(rg->uuid, p->gpu[g].uuid, sizeof(rg->uuid));
	}

	if (p->outcome == CUDA_PROBE_OK || !s)
		return;
	fact_set_str(r, F_CUDA_FAILED_STEP, cuda_probe_step_id(p->fail_step),
		     SRC_CUDA_PROBE, FROM);
	if (p->fail_gpu >= 0 && p->gpu[p->fail_gpu].pci_bus_id[0])
		fact_set_str(r, F_CUDA_FAILED_GPU, p->gpu[p->fail_gpu].pci_bus_id,
			     SRC_CUDA_PROBE, "cuDeviceGetPCIBusId");
	if (s->call[0])
		fact_set_str(r, F_CUDA_FAILED_CALL, s->call, SRC_CUDA_PROBE,
			     FROM);
	if (s->status == CUDA_STATUS_FAILED && s->cu_result) {
		fact_set_int(r, F_CUDA_RESULT, s->cu_result, SRC_CUDA_PROBE,
			     s->call);
		if (s->cu_name[0])
			fact_set_str(r, F_CUDA_RESULT_NAME, s->cu_name,
				     SRC_CUDA_PROBE, "cuGetErrorName");
	}
	if (p->signal)
		fact_set_int(r, F_CUDA_SIGNAL, p->signal, SRC_CUDA_PROBE,
			     "waitpid");
}

bool cuda_verdict_confirmed(const struct report *r)
{
	unsigned int i;

	if (!fact_known(r, F_CUDA_PROBE))
		return false;
	if (r->verdict == VERDICT_READY)
		return fact_str_is(r, F_CUDA_PROBE, "ok");
	if (r->verdict != VERDICT_BLOCKED)
		return false;
	for (i = 0; i < r->nr_findings; i++)
		if (r->findings[i].rule->severity == SEV_BLOCKER &&
		    !strncmp(r->findings[i].rule->id, "D0G-CUDA-", 9))
			return true;
	return false;
}

/* ---- JSON ---- */

/* Whole microseconds: json-c prints doubles with every binary digit. */
static json_object *us_json(double ms)
{
	return json_object_new_int64((int64_t)(ms * 1e3 + 0.5));
}

static json_object *step_json(enum cuda_probe_step step,
			      const struct cuda_step_result *s)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "step",
			       json_object_new_string(cuda_probe_step_id(step)));
	json_object_object_add(o, "status",
			       json_object_new_string(cuda_probe_status_id(s->status)));
	if (s->status == CUDA_STATUS_NOT_RUN)
		return o;
	if (s->status != CUDA_STATUS_HUNG && s->status != CUDA_STATUS_CRASHED) {
		json_object_object_add(o, "us", us_json(s->ms));
		json_object_object_add(o, "result", json_object_new_int(s->cu_result));
		if (s->cu_name[0])
			json_object_object_add(o, "result_name",
					       json_object_new_string(s->cu_name));
	}
	if (s->call[0])
		json_object_object_add(o, "call", json_object_new_string(s->call));
	if (s->detail[0])
		json_object_object_add(o, "detail", json_object_new_string(s->detail));
	return o;
}

json_object *cuda_report_json(const struct cuda_probe_result *p)
{
	json_object *o = json_object_new_object(), *steps, *gpus, *fail;
	int s, g;

	json_object_object_add(o, "outcome",
			       json_object_new_string(cuda_probe_outcome_id(p->outcome)));
	json_object_object_add(o, "reason", json_object_new_string(p->reason));
	json_object_object_add(o, "timeout_s", json_object_new_double(p->timeout_s));
	json_object_object_add(o, "total_us", us_json(p->total_ms));
	json_object_object_add(o, "driver_version", json_object_new_int(p->driver_version));
	json_object_object_add(o, "gpu_count", json_object_new_int(p->gpu_count));

	steps = json_object_new_array();
	for (s = 0; s < CUDA_STEP_FIRST_PER_GPU; s++)
		json_object_array_add(steps, step_json((enum cuda_probe_step)s, &p->step[s]));
	json_object_object_add(o, "steps", steps);

	gpus = json_object_new_array();
	for (g = 0; g < p->gpu_count && g < CUDA_PROBE_MAX_GPUS; g++) {
		const struct cuda_gpu_result *gr = &p->gpu[g];
		json_object *go = json_object_new_object();

		json_object_object_add(go, "cuda_ordinal", json_object_new_int(g));
		json_object_object_add(go, "name", json_object_new_string(gr->name));
		json_object_object_add(go, "pci_bus_id",
				       json_object_new_string(gr->pci_bus_id));
		json_object_object_add(go, "uuid", json_object_new_string(gr->uuid));
		steps = json_object_new_array();
		for (s = CUDA_STEP_FIRST_PER_GPU; s < CUDA_STEP_COUNT; s++)
			json_object_array_add(steps, step_json((enum cuda_probe_step)s,
							       &gr->step[s]));
		json_object_object_add(go, "steps", steps);
		json_object_array_add(gpus, go);
	}
	json_object_object_add(o, "gpus", gpus);

	if (p->outcome == CUDA_PROBE_OK || !cuda_probe_failed_step(p))
		return o;
	fail = json_object_new_object();
	json_object_object_add(fail, "step",
			       json_object_new_string(cuda_probe_step_id(p->fail_step)));
	json_object_object_add(fail, "cuda_ordinal", json_object_new_int(p->fail_gpu));
	json_object_object_add(fail, "result", json_object_new_int(p->fail_cu_result));
	json_object_object_add(fail, "signal", json_object_new_int(p->signal));
	json_object_object_add(fail, "exit_status", json_object_new_int(p->exit_status));
	json_object_object_add(o, "failure", fail);
	return o;
}

/* ---- human ---- */

static void step_line(FILE *f, enum cuda_probe_step step,
		      const struct cuda_step_result *s)
{
	fprintf(f, "    %-14s %-9s", cuda_probe_step_id(step),
		cuda_probe_status_id(s->status));
	if (s->status != CUDA_STATUS_NOT_RUN && s->status != CUDA_STATUS_HUNG &&
	    s->status != CUDA_STATUS_CRASHED)
		fprintf(f, " %9.3f ms", s->ms);
	if (s->status == CUDA_STATUS_FAILED && s->call[0])
		fprintf(f, "  %s: %s (%d)", s->call,
			s->cu_name[0] ? s->cu_name : "CUresult", s->cu_result);
	if (s->detail[0])
		fprintf(f, "  %s", s->detail);
	fputc('\n', f);
}

void cuda_report_human(FILE *f, const struct cuda_probe_result *p)
{
	int s, g;

	fprintf(f, "CUDA probe: %s: %s\n", cuda_probe_outcome_id(p->outcome), p->reason);
	fprintf(f, "  %.1f ms in all, timeout %g s", p->total_ms, p->timeout_s);
	if (p->driver_version)
		fprintf(f, ", CUDA driver API %d.%d", p->driver_version / 1000,
			p->driver_version % 1000 / 10);
	fputc('\n', f);
	for (s = 0; s < CUDA_STEP_FIRST_PER_GPU; s++)
		step_line(f, (enum cuda_probe_step)s, &p->step[s]);
	for (g = 0; g < p->gpu_count && g < CUDA_PROBE_MAX_GPUS; g++) {
		const struct cuda_gpu_result *gr = &p->gpu[g];

		fprintf(f, "  GPU %d: %s %s %s\n", g, gr->name[0] ? gr->name : "?",
			gr->pci_bus_id, gr->uuid);
		for (s = CUDA_STEP_FIRST_PER_GPU; s < CUDA_STEP_COUNT; s++)
			step_line(f, (enum cuda_probe_step)s, &gr->step[s]);
	}
}

/* ---- Prometheus ---- */

static const char *const outcomes[] = {
	"not_run", "ok", "failed", "wrong_data", "hung", "crashed",
};

/* Labels of a step: GPU steps carry gpu (nvidia-smi index when the PCI
 * scan saw the GPU, else the CUDA ordinal) and UUID, as DCGM's do. */
static void step_labels(char *buf, size_t len, const struct report *r,
			const struct cuda_probe_result *p, int g, int s)
{
	int i;

	if (g < 0) {
		snprintf(buf, len, "step=\"%s\"", cuda_probe_step_id((enum cuda_probe_step)s));
		return;
	}
	i = report_gpu_index(r, p->gpu[g].pci_bus_id);
	snprintf(buf, len, "gpu=\"%d\",UUID=\"%s\",pci_bus_id=\"%s\",step=\"%s\"",
		 i >= 0 && r->gpus[i].index >= 0 ? r->gpus[i].index : g, p->gpu[g].uuid,
		 p->gpu[g].pci_bus_id, cuda_probe_step_id((enum cuda_probe_step)s));
}

static const struct cuda_step_result *step_at(const struct cuda_probe_result *p,
					      int g, int s)
{
	return g < 0 ? &p->step[s] : &p->gpu[g].step[s];
}

/* One metric family over every step that ran; duration only for ended ones. */
static void step_family(FILE *f, const struct report *r,
			const struct cuda_probe_result *p, bool duration)
{
	char labels[256];
	int g, s;

	for (g = -1; g < p->gpu_count && g < CUDA_PROBE_MAX_GPUS; g++) {
		for (s = g < 0 ? 0 : CUDA_STEP_FIRST_PER_GPU;
		     s < (g < 0 ? CUDA_STEP_FIRST_PER_GPU : CUDA_STEP_COUNT); s++) {
			const struct cuda_step_result *st = step_at(p, g, s);

			if (st->status == CUDA_STATUS_NOT_RUN ||
			    (duration && (st->status == CUDA_STATUS_HUNG ||
					  st->status == CUDA_STATUS_CRASHED)))
				continue;
			step_labels(labels, sizeof(labels), r, p, g, s);
			if (duration)
				fprintf(f, "dom0gpu_cuda_probe_step_duration_seconds{%s} %.6f\n",
					labels, st->ms / 1e3);
			else
				fprintf(f, "dom0gpu_cuda_probe_step_success{%s} %d\n", labels,
					st->status == CUDA_STATUS_OK);
		}
	}
}

int cuda_report_prometheus(FILE *f, const struct report *r,
			   const struct cuda_probe_result *p)
{
	const struct cuda_step_result *s = cuda_probe_failed_step(p);
	unsigned int i;

	fprintf(f, "# HELP dom0gpu_verdict_confirmed 1 if the CUDA probe's result backs the "
		"verdict (passed and ready, or failed and blocked by it).\n"
		"# TYPE dom0gpu_verdict_confirmed gauge\ndom0gpu_verdict_confirmed %d\n",
		cuda_verdict_confirmed(r));
	fprintf(f, "# HELP dom0gpu_cuda_probe_success 1 if the CUDA probe passed every "
		"step on every GPU.\n# TYPE dom0gpu_cuda_probe_success gauge\n"
		"dom0gpu_cuda_probe_success %d\n", p->outcome == CUDA_PROBE_OK);
	fprintf(f, "# HELP dom0gpu_cuda_probe_outcome The CUDA probe's outcome (1 for the "
		"one that happened).\n# TYPE dom0gpu_cuda_probe_outcome gauge\n");
	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		fprintf(f, "dom0gpu_cuda_probe_outcome{outcome=\"%s\"} %d\n", outcomes[i],
			!strcmp(outcomes[i], cuda_probe_outcome_id(p->outcome)));
	fprintf(f, "# HELP dom0gpu_cuda_probe_error_code CUresult of the failed driver "
		"call, 0 if none failed.\n# TYPE dom0gpu_cuda_probe_error_code gauge\n"
		"dom0gpu_cuda_probe_error_code %d\n",
		s && s->status == CUDA_STATUS_FAILED ? s->cu_result : 0);
	fprintf(f, "# HELP dom0gpu_cuda_probe_duration_seconds Wall time of the whole "
		"CUDA probe, its process included.\n"
		"# TYPE dom0gpu_cuda_probe_duration_seconds gauge\n"
		"dom0gpu_cuda_probe_duration_seconds %.6f\n", p->total_ms / 1e3);
	fprintf(f, "# HELP dom0gpu_cuda_probe_step_success 1 if the step passed, 0 if it "
		"failed, hung or crashed; absent if it did not run.\n"
		"# TYPE dom0gpu_cuda_probe_step_success gauge\n");
	step_family(f, r, p, false);
	fprintf(f, "# HELP dom0gpu_cuda_probe_step_duration_seconds Wall time of a step "
		"that ended.\n# TYPE dom0gpu_cuda_probe_step_duration_seconds gauge\n");
	step_family(f, r, p, true);
	return ferror(f) ? -1 : 0;
}
