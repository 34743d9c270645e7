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
#include <time.h>
#include <unistd.h>

#include "../tools/cuda_api.h"
#include "../tools/cuda_kernel.h"

#define BYTES (1u << 20)
#define MAX_GPUS 16

static struct cuda_api cu;
static double t_start;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One line, one write: lines of threads and processes never mix. */
static void phase(const char *what, int gpu, double t0, double t1)
{
	char line[96];
	int n = snprintf(line, sizeof(line), "%-8s %2d %9.3f %9.3f\n", what,
			 gpu, t0 - t_start, t1 - t_start);

	if (write(STDOUT_FILENO, line, (size_t)n) != n)
		_exit(3);
}

#define CHECK(call, expr)						\
	do {								\
		CUresult rc_ = (expr);					\
		if (rc_ != CUDA_SUCCESS) {				\
			printf("gpu %d: %s failed: %d\n", gpu, call, rc_); \
			return 1;					\
		}							\
	} while (0)

static int load_init(int gpu)
{
	void *lib = dynload_open(CUDA_LIBRARY);
	double t0;
	int count;

	if (!lib || cuda_api_load(lib, &cu)) {
		printf("cannot load %s\n", CUDA_LIBRARY);
		return 1;
	}
	t0 = now_ms();
	CHECK("cuInit", cu.Init(0));
	CHECK("cuDeviceGetCount", cu.DeviceGetCount(&count));
	phase("init", gpu, t0, now_ms());
	return 0;
}

static int gpu_work(int gpu, int ordinal)
{
	unsigned char *src = malloc(BYTES), *dst = malloc(BYTES);
	unsigned int words = CUDA_KERNEL_WORDS, seed = 12345, i;
	void *params[3];
	char name[128], bus[32];
	CUdevice dev;
	CUcontext ctx;
	CUdeviceptr d;
	CUmodule mod;
	CUfunction fn;
	CUuuid uuid;
	void *wc;
	double t0 = now_ms(), t1;

	if (!src || !dst)
		return 1;
	CHECK("cuDeviceGet", cu.DeviceGet(&dev, ordinal));
	CHECK("cuDeviceGetName", cu.DeviceGetName(name, sizeof(name), dev));
	CHECK("cuDeviceGetPCIBusId", cu.DeviceGetPCIBusId(bus, sizeof(bus), dev));
	CHECK("cuDeviceGetUuid", cu.DeviceGetUuid(&uuid, dev));
	CHECK("cuCtxCreate", cu.CtxCreate(&ctx, 0, dev));
	phase("context", gpu, t0, t1 = now_ms());
	t0 = t1;
	CHECK("cuMemAlloc", cu.MemAlloc(&d, BYTES));
	memset(src, 0xa5, BYTES);
	CHECK("cuMemcpyHtoD", cu.MemcpyHtoD(d, src, BYTES));
	CHECK("cuMemcpyDtoH", cu.MemcpyDtoH(dst, d, BYTES));
	if (memcmp(src, dst, BYTES))
		return printf("gpu %d: copy mismatch\n", gpu), 1;
	CHECK("cuMemHostAlloc",
	      cu.MemHostAlloc(&wc, BYTES, CU_MEMHOSTALLOC_WRITECOMBINED));
	memset(src, 0x5a, BYTES);
	memcpy(wc, src, BYTES);
	CHECK("cuMemcpyHtoD", cu.MemcpyHtoD(d, wc, BYTES));
	CHECK("cuMemcpyDtoH", cu.MemcpyDtoH(dst, d, BYTES));
	if (memcmp(src, dst, BYTES))
		return printf("gpu %d: write-combined copy mismatch\n", gpu), 1;
	phase("memory", gpu, t0, t1 = now_ms());
	t0 = t1;
	CHECK("cuModuleLoadData", cu.ModuleLoadData(&mod, cuda_kernel_ptx));
	CHECK("cuModuleGetFunction",
	      cu.ModuleGetFunction(&fn, mod, CUDA_KERNEL_NAME));
	params[0] = &d;
	params[1] = &words;
	params[2] = &seed;
	CHECK("cuLaunchKernel",
	      cu.LaunchKernel(fn, CUDA_KERNEL_WORDS / CUDA_KERNEL_BLOCK, 1, 1,
			      CUDA_KERNEL_BLOCK, 1, 1, 0, NULL, params, NULL));
	CHECK("cuCtxSynchronize", cu.CtxSynchronize());
	CHECK("cuMemcpyDtoH", cu.MemcpyDtoH(dst, d, CUDA_KERNEL_WORDS * 4));
	for (i = 0; i < CUDA_KERNEL_WORDS; i++)
		if (((const uint32_t *)dst)[i] != cuda_kernel_expect(i, seed))
			return printf("gpu %d: kernel output mismatch\n", gpu), 1;
	phase("kernel", gpu, t0, t1 = now_ms());
	t0 = t1;
	CHECK("cuModuleUnload", cu.ModuleUnload(mod));
	CHECK("cuMemFreeHost", cu.MemFreeHost(wc));
	CHECK("cuMemFree", cu.MemFree(d));
	CHECK("cuCtxDestroy", cu.CtxDestroy(ctx));
	phase("teardown", gpu, t0, now_ms());
	free(src);
	free(dst);
	return 0;
}

static void *thread_main(void *arg)
{
	int gpu = (int)(intptr_t)arg;

	return (void *)(intptr_t)gpu_work(gpu, gpu);
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
			_exit(load_init(i) || gpu_work(i, own_gpu_only ? 0 : i));
		}
	}
	while (wait(&status) > 0)
		bad |= !WIFEXITED(status) || WEXITSTATUS(status);
	return bad;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0, i, rc = 1;

	t_start = now_ms();
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc != 3 || n < 1 || n > MAX_GPUS) {
		fprintf(stderr, "usage: %s seq|threads|procs|procs1 N\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "seq")) {
		rc = load_init(-1);
		for (i = 0; i < n && !rc; i++)
			rc = gpu_work(i, i);
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
	phase("total", -1, t_start, now_ms());
	printf(rc ? "failed\n" : "ok\n");
	return rc;
}
