// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Runs cuda_probe_run() and prints every field as "key value" lines, so
 * the tests can check the probe module on its own, below any CLI output.
 * Usage: probe_run [TIMEOUT_SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../cuda_probe.h"

static void print_step(const char *prefix, int step,
		       const struct cuda_step_result *r)
{
	printf("%sstep %s %s cu=%d name=%s call=%s ms=%.3f detail=%s\n", prefix,
	       cuda_probe_step_id((enum cuda_probe_step)step),
	       cuda_probe_status_id(r->status), r->cu_result,
	       r->cu_name[0] ? r->cu_name : "-", r->call[0] ? r->call : "-",
	       r->ms, r->detail[0] ? r->detail : "-");
}

int main(int argc, char **argv)
{
	static struct cuda_probe_result res;
	double timeout = argc > 1 ? atof(argv[1]) :
				    CUDA_PROBE_DEFAULT_TIMEOUT_S;
	int s, g;

	cuda_probe_run(timeout, &res);
	printf("pid %d\n", (int)getpid());
	printf("outcome %s\n", cuda_probe_outcome_id(res.outcome));
	printf("reason %s\n", res.reason);
	printf("fail %s gpu=%d cu=%d signal=%d exit=%d\n",
	       res.outcome == CUDA_PROBE_OK ? "-" :
	       cuda_probe_step_id(res.fail_step),
	       res.fail_gpu, res.fail_cu_result, res.signal, res.exit_status);
	printf("driver %d gpus %d total_ms %.3f\n", res.driver_version,
	       res.gpu_count, res.total_ms);
	for (s = 0; s < CUDA_STEP_FIRST_PER_GPU; s++)
		print_step("", s, &res.step[s]);
	for (g = 0; g < res.gpu_count && g < CUDA_PROBE_MAX_GPUS; g++) {
		char prefix[16];

		printf("gpu%d name=%s bus=%s uuid=%s\n", g, res.gpu[g].name,
		       res.gpu[g].pci_bus_id, res.gpu[g].uuid);
		snprintf(prefix, sizeof(prefix), "gpu%d ", g);
		for (s = CUDA_STEP_FIRST_PER_GPU; s < CUDA_STEP_COUNT; s++)
			print_step(prefix, s, &res.gpu[g].step[s]);
	}
	return res.outcome == CUDA_PROBE_OK ? 0 : 1;
}
