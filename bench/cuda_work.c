// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tools/cuda_kernel.h"
#include "cuda_work.h"

#define BYTES (1u << 20)

double cuda_work_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A phase ended: one clock read where someone is listening, none else. */
static double phase_end(cuda_work_mark mark, const char *phase, int gpu,
			double began)
{
	double now;

	if (!mark)
		return 0;
	now = cuda_work_ms();
	mark(phase, gpu, began, now);
	return now;
}

int cuda_work(const struct cuda_api *cu, int gpu, int ordinal,
	      cuda_work_mark mark)
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
	double t0 = mark ? cuda_work_ms() : 0;

	if (!src || !dst)
		return printf("gpu %d: out of memory\n", gpu), 1;
	CHECK("cuDeviceGet", cu->DeviceGet(&dev, ordinal));
	CHECK("cuDeviceGetName", cu->DeviceGetName(name, sizeof(name), dev));
	CHECK("cuDeviceGetPCIBusId", cu->DeviceGetPCIBusId(bus, sizeof(bus), dev));
	CHECK("cuDeviceGetUuid", cu->DeviceGetUuid(&uuid, dev));
	CHECK("cuCtxCreate", cu->CtxCreate(&ctx, 0, dev));
	t0 = phase_end(mark, "context", gpu, t0);

	CHECK("cuMemAlloc", cu->MemAlloc(&d, BYTES));
	memset(src, 0xa5, BYTES);
	CHECK("cuMemcpyHtoD", cu->MemcpyHtoD(d, src, BYTES));
	CHECK("cuMemcpyDtoH", cu->MemcpyDtoH(dst, d, BYTES));
	if (memcmp(src, dst, BYTES))
		return printf("gpu %d: copy mismatch\n", gpu), 1;
	CHECK("cuMemHostAlloc",
	      cu->MemHostAlloc(&wc, BYTES, CU_MEMHOSTALLOC_WRITECOMBINED));
	memset(src, 0x5a, BYTES);
	memcpy(wc, src, BYTES);
	CHECK("cuMemcpyHtoD", cu->MemcpyHtoD(d, wc, BYTES));
	CHECK("cuMemcpyDtoH", cu->MemcpyDtoH(dst, d, BYTES));
	if (memcmp(src, dst, BYTES))
		return printf("gpu %d: write-combined copy mismatch\n", gpu), 1;
	t0 = phase_end(mark, "memory", gpu, t0);

	CHECK("cuModuleLoadData", cu->ModuleLoadData(&mod, cuda_kernel_ptx));
	CHECK("cuModuleGetFunction",
	      cu->ModuleGetFunction(&fn, mod, CUDA_KERNEL_NAME));
	params[0] = &d;
	params[1] = &words;
	params[2] = &seed;
	CHECK("cuLaunchKernel",
	      cu->LaunchKernel(fn, CUDA_KERNEL_WORDS / CUDA_KERNEL_BLOCK, 1, 1,
			       CUDA_KERNEL_BLOCK, 1, 1, 0, NULL, params, NULL));
	CHECK("cuCtxSynchronize", cu->CtxSynchronize());
	CHECK("cuMemcpyDtoH", cu->MemcpyDtoH(dst, d, CUDA_KERNEL_WORDS * 4));
	for (i = 0; i < CUDA_KERNEL_WORDS; i++)
		if (((const uint32_t *)dst)[i] != cuda_kernel_expect(i, seed))
			return printf("gpu %d: kernel output mismatch\n", gpu), 1;
	t0 = phase_end(mark, "kernel", gpu, t0);

	CHECK("cuModuleUnload", cu->ModuleUnload(mod));
	CHECK("cuMemFreeHost", cu->MemFreeHost(wc));
	CHECK("cuMemFree", cu->MemFree(d));
	CHECK("cuCtxDestroy", cu->CtxDestroy(ctx));
	phase_end(mark, "teardown", gpu, t0);
	free(src);
	free(dst);
	return 0;
}
