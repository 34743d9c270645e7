/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The few pieces of the CUDA driver API that the probe uses, declared here
 * so that building needs no CUDA toolkit: libcuda.so.1 is opened at run
 * time. Values and signatures are those of the driver's public ABI, which
 * keeps old symbols (the _v2 names below) exported for compatibility.
 */
#ifndef DOM0GPU_CUDA_API_H
#define DOM0GPU_CUDA_API_H

#include <stddef.h>
#include <string.h>

#include "dynload.h"

#define CUDA_LIBRARY "libcuda.so.1"

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct {
	unsigned char bytes[16];
} CUuuid;

#define CUDA_SUCCESS			0
#define CUDA_ERROR_OUT_OF_MEMORY	2
#define CUDA_ERROR_NOT_INITIALIZED	3
#define CUDA_ERROR_NO_DEVICE		100
#define CUDA_ERROR_OPERATING_SYSTEM	304
#define CUDA_ERROR_NOT_SUPPORTED	801

#define CU_MEMHOSTALLOC_WRITECOMBINED	0x04

/* Every entry point the probe calls, resolved by cuda_api_load(). */
struct cuda_api {
	CUresult (*GetErrorName)(CUresult err, const char **name);
	CUresult (*Init)(unsigned int flags);
	CUresult (*DriverGetVersion)(int *version);
	CUresult (*DeviceGetCount)(int *count);
	CUresult (*DeviceGet)(CUdevice *dev, int ordinal);
	CUresult (*DeviceGetName)(char *name, int len, CUdevice dev);
	CUresult (*DeviceGetPCIBusId)(char *id, int len, CUdevice dev);
	CUresult (*DeviceGetUuid)(CUuuid *uuid, CUdevice dev);
	CUresult (*CtxCreate)(CUcontext *ctx, unsigned int flags, CUdevice dev);
	CUresult (*CtxDestroy)(CUcontext ctx);
	CUresult (*CtxSynchronize)(void);
	CUresult (*MemAlloc)(CUdeviceptr *dptr, size_t size);
	CUresult (*MemFree)(CUdeviceptr dptr);
	CUresult (*MemcpyHtoD)(CUdeviceptr dst, const void *src, size_t size);
	CUresult (*MemcpyDtoH)(void *dst, CUdeviceptr src, size_t size);
	CUresult (*MemHostAlloc)(void **p, size_t size, unsigned int flags);
	CUresult (*MemFreeHost)(void *p);
	CUresult (*ModuleLoadData)(CUmodule *mod, const void *image);
	CUresult (*ModuleUnload)(CUmodule mod);
	CUresult (*ModuleGetFunction)(CUfunction *fn, CUmodule mod,
				      const char *name);
	CUresult (*LaunchKernel)(CUfunction fn, unsigned int gx,
				 unsigned int gy, unsigned int gz,
				 unsigned int bx, unsigned int by,
				 unsigned int bz, unsigned int shared_bytes,
				 CUstream stream, void **params, void **extra);
};

struct cuda_api_symbol {
	const char *name;
	size_t offset;
};

#define CUDA_API_SYM(field, sym) { sym, offsetof(struct cuda_api, field) }

/*
 * The ABI names: cuCtxCreate_v2 and friends are what cuda.h has mapped the
 * plain names to since CUDA 3.2, and every driver since exports them.
 */
static const struct cuda_api_symbol cuda_api_symbols[] = {
	CUDA_API_SYM(GetErrorName, "cuGetErrorName"),
	CUDA_API_SYM(Init, "cuInit"),
	CUDA_API_SYM(DriverGetVersion, "cuDriverGetVersion"),
	CUDA_API_SYM(DeviceGetCount, "cuDeviceGetCount"),
	CUDA_API_SYM(DeviceGet, "cuDeviceGet"),
	CUDA_API_SYM(DeviceGetName, "cuDeviceGetName"),
	CUDA_API_SYM(DeviceGetPCIBusId, "cuDeviceGetPCIBusId"),
	CUDA_API_SYM(DeviceGetUuid, "cuDeviceGetUuid"),
	CUDA_API_SYM(CtxCreate, "cuCtxCreate_v2"),
	CUDA_API_SYM(CtxDestroy, "cuCtxDestroy_v2"),
	CUDA_API_SYM(CtxSynchronize, "cuCtxSynchronize"),
	CUDA_API_SYM(MemAlloc, "cuMemAlloc_v2"),
	CUDA_API_SYM(MemFree, "cuMemFree_v2"),
	CUDA_API_SYM(MemcpyHtoD, "cuMemcpyHtoD_v2"),
	CUDA_API_SYM(MemcpyDtoH, "cuMemcpyDtoH_v2"),
	CUDA_API_SYM(MemHostAlloc, "cuMemHostAlloc"),
	CUDA_API_SYM(MemFreeHost, "cuMemFreeHost"),
	CUDA_API_SYM(ModuleLoadData, "cuModuleLoadData"),
	CUDA_API_SYM(ModuleUnload, "cuModuleUnload"),
	CUDA_API_SYM(ModuleGetFunction, "cuModuleGetFunction"),
	CUDA_API_SYM(LaunchKernel, "cuLaunchKernel"),
};

/*
 * Resolve every entry point from an open libcuda handle. Returns NULL on
 * success, else the name of the first symbol the library lacks.
 */
static inline const char *cuda_api_load(void *lib, struct cuda_api *api)
{
	size_t i;

	for (i = 0; i < sizeof(cuda_api_symbols) / sizeof(cuda_api_symbols[0]);
	     i++) {
		void *sym = dynload_sym(lib, cuda_api_symbols[i].name);

		if (!sym)
			return cuda_api_symbols[i].name;
		/* POSIX guarantees data and function pointers convert. */
		memcpy((char *)api + cuda_api_symbols[i].offset, &sym,
		       sizeof(sym));
	}
	return NULL;
}

#endif /* DOM0GPU_CUDA_API_H */
