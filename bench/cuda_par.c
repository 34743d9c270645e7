// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What does the CUDA driver run in parallel? The probe's per-GPU steps
 * (those of cuda_min.c) on N GPUs, four ways, with a timeline of every
 * phase on the system's monotonic clock, so overlaps and waits show:
 *
 *   seq N        one process: cuInit, then GPU 0, 1, ... one after another
 *   threads N    one process: cuInit, then one thread per GPU
 *   procs N      N processes forked before CUDA, each with every GPU
 *                visible: cuInit, then its own GPU
 *   procs1 N     as procs, but each process sees only its own GPU
 *                (CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES=i)
 *
 * Prints "phase gpu start_ms end_ms" lines (times from the program's start)
 * and "ok" or the first failing call; exits 0 only if every GPU passed.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cuda_work.h"

#define MAX_GPUS 16

static struct cuda_api cu;
static double t_start;

/* One line, one write: lines of threads and processes never mix. */
static void phase(const char *what, int gpu, double t0, double t1)
{
	char line[96];
	int n = snprintf(line, sizeof(line), "%-8s %2d %9.3f %9.3f\n", what,
			 gpu, t0 - t_start, t1 - t_start);

	if (write(STDOUT_FILENO, line, (size_t)n) != n)
		_exit(3);
}

static int load_init(int gpu)
{
	void *lib = dynload_open(CUDA_LIBRARY);
	double t0;
	int count;

	if (!lib || cuda_api_load(lib, &cu)) {
		printf("cannot load %s\n", CUDA_LIBRARY);
		return 1;
	}
	t0 = cuda_work_ms();
	CHECK("cuInit", cu.Init(0));
	CHECK("cuDeviceGetCount", cu.DeviceGetCount(&count));
	phase("init", gpu, t0, cuda_work_ms());
	return 0;
}

static void *thread_main(void *arg)
{
	int gpu = (int)(intptr_t)arg;

	return (void *)(intptr_t)cuda_work(&cu, gpu, gpu, phase);
}

static int run_threads(int n)
{
	pthread_t th[MAX_GPUS];
	int i, bad = 0;

	if (load_init(-1))
		return 1;
	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, thread_main, (void *)(intptr_t)i))
			return printf("pthread_create failed\n"), 1;
	for (i = 0; i < n; i++) {
		void *rc;

		pthread_join(th[i], &rc);
		bad |= rc != NULL;
	}
	return bad;
}

static int run_procs(int n, int own_gpu_only)
{
	int i, bad = 0, status;

	fflush(stdout);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return printf("fork failed\n"), 1;
		if (pid == 0) {
			char idx[12];

			if (own_gpu_only) {
				snprintf(idx, sizeof(idx), "%d", i);
				setenv("CUDA_DEVICE_ORDER", "PCI_BUS_ID", 1);
				setenv("CUDA_VISIBLE_DEVICES", idx, 1);
			}
			_exit(load_init(i) || cuda_work(&cu, i, own_gpu_only ? 0 : i, phase));
		}
	}
	while (wait(&status) > 0)
		bad |= !WIFEXITED(status) || WEXITSTATUS(status);
	return bad;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0, i, rc = 1;

	t_start = cuda_work_ms();
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc != 3 || n < 1 || n > MAX_GPUS) {
		fprintf(stderr, "usage: %s seq|threads|procs|procs1 N\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "seq")) {
		rc = load_init(-1);
		for (i = 0; i < n && !rc; i++)
			rc = cuda_work(&cu, i, i, phase);
	} else if (!strcmp(argv[1], "threads")) {
		rc = run_threads(n);
	} else if (!strcmp(argv[1], "procs")) {
		rc = run_procs(n, 0);
	} else if (!strcmp(argv[1], "procs1")) {
		rc = run_procs(n, 1);
	} else {
		fprintf(stderr, "%s: unknown mode %s\n", argv[0], argv[1]);
		return 2;
	}
	phase("total", -1, t_start, cuda_work_ms());
	printf(rc ? "failed\n" : "ok\n");
	return rc;
}
