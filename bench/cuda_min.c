// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The baseline for the probe's cost: the same CUDA driver calls, on GPU 0
 * only, in one process, with no isolation, timing or reporting. Prints
 * "ok" or the first failing call. The probe must stay within 5 % of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tools/cuda_api.h"
#include "../tools/cuda_kernel.h"

#define BYTES (1u << 20)

static struct cuda_api cu;

static void check(const char *call, CUresult rc)
{
	if (rc == CUDA_SUCCESS)
		return;
	printf("%s failed: %d\n", call, rc);
	exit(1);
}

int main(void)
{
	static unsigned char src[BYTES], dst[BYTES];
	void *lib = dynload_open(CUDA_LIBRARY);
	unsigned int words = CUDA_KERNEL_WORDS, seed = 12345, i;
	void *params[3];
	const uint32_t *out = (const uint32_t *)dst;
	char name[128], bus[32];
	CUdevice dev;
	CUcontext ctx;
	CUdeviceptr d;
	CUmodule mod;
	CUfunction fn;
	CUuuid uuid;
	void *wc;
	int version, count;

	if (!lib || cuda_api_load(lib, &cu)) {
		printf("cannot load %s\n", CUDA_LIBRARY);
		return 1;
	}
	check("cuInit", cu.Init(0));
	check("cuDriverGetVersion", cu.DriverGetVersion(&version));
	check("cuDeviceGetCount", cu.DeviceGetCount(&count));
	check("cuDeviceGet", cu.DeviceGet(&dev, 0));
	check("cuDeviceGetName", cu.DeviceGetName(name, sizeof(name), dev));
	check("cuDeviceGetPCIBusId", cu.DeviceGetPCIBusId(bus, sizeof(bus), dev));
	check("cuDeviceGetUuid", cu.DeviceGetUuid(&uuid, dev));
	check("cuCtxCreate", cu.CtxCreate(&ctx, 0, dev));
	check("cuMemAlloc", cu.MemAlloc(&d, BYTES));

	memset(src, 0xa5, BYTES);
	check("cuMemcpyHtoD", cu.MemcpyHtoD(d, src, BYTES));
	check("cuMemcpyDtoH", cu.MemcpyDtoH(dst, d, BYTES));
	if (memcmp(src, dst, BYTES))
		return printf("copy mismatch\n"), 1;

	check("cuMemHostAlloc",
	      cu.MemHostAlloc(&wc, BYTES, CU_MEMHOSTALLOC_WRITECOMBINED));
	memset(src, 0x5a, BYTES);
	memcpy(wc, src, BYTES);
	check("cuMemcpyHtoD", cu.MemcpyHtoD(d, wc, BYTES));
	check("cuMemcpyDtoH", cu.MemcpyDtoH(dst, d, BYTES));
	if (memcmp(src, dst, BYTES))
		return printf("write-combined copy mismatch\n"), 1;

	check("cuModuleLoadData", cu.ModuleLoadData(&mod, cuda_kernel_ptx));
	check("cuModuleGetFunction",
	      cu.ModuleGetFunction(&fn, mod, CUDA_KERNEL_NAME));
	params[0] = &d;
	params[1] = &words;
	params[2] = &seed;
	check("cuLaunchKernel",
	      cu.LaunchKernel(fn, CUDA_KERNEL_WORDS / CUDA_KERNEL_BLOCK, 1, 1,
			      CUDA_KERNEL_BLOCK, 1, 1, 0, NULL, params, NULL));
	check("cuCtxSynchronize", cu.CtxSynchronize());
	check("cuMemcpyDtoH", cu.MemcpyDtoH(dst, d, CUDA_KERNEL_WORDS * 4));
	for (i = 0; i < CUDA_KERNEL_WORDS; i++)
		if (out[i] != cuda_kernel_expect(i, seed))
			return printf("kernel output mismatch\n"), 1;

	check("cuModuleUnload", cu.ModuleUnload(mod));
	check("cuMemFreeHost", cu.MemFreeHost(wc));
	check("cuMemFree", cu.MemFree(d));
	check("cuCtxDestroy", cu.CtxDestroy(ctx));
	printf("ok\n");
	return 0;
}
