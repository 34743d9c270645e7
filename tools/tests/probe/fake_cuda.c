// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A stand-in libcuda.so.1 for the probe's tests. It behaves like a working
 * driver (device memory is host memory, the kernel is computed on the CPU)
 * unless the environment scripts a fault:
 *
 *   FAKE_CUDA_DEVICES=N        number of GPUs (default 1)
 *   FAKE_CUDA_FAIL=sym=CODE[@GPU][,...]
 *                              sym returns CUresult CODE (on GPU only)
 *   FAKE_CUDA_HANG=sym[@GPU]   sym never returns
 *   FAKE_CUDA_CRASH=sym=HOW[@GPU]
 *                              sym dies: HOW is segv (a real bad write),
 *                              abort, or exitN (exit(N) from the library)
 *   FAKE_CUDA_SPAWN=sym        sym leaves a process behind that holds
 *                              every descriptor and never exits
 *   FAKE_CUDA_CORRUPT=copy|kernel
 *                              device-to-host copies, or the kernel's
 *                              output, come back with one word wrong
 *   FAKE_CUDA_SLEEP=sym=MS[@GPU]
 *                              sym takes MS milliseconds
 *   FAKE_CUDA_MIN_AS=KIB       cuInit returns CUDA_ERROR_OUT_OF_MEMORY when
 *                              RLIMIT_AS is below KIB, as NVIDIA's does: it
 *                              reserves address space for unified memory
 *                              (docs/CUDA-PROBE.md: 4 H100s need > 8 GB)
 *   FAKE_CUDA_MIN_NOFILE=N     cuCtxCreate returns CUDA_ERROR_OPERATING_SYSTEM
 *                              when RLIMIT_NOFILE is below N, as NVIDIA's
 *                              does (docs/CUDA-PROBE.md: 64 is too few for
 *                              four H100s)
 *   CUDA_VISIBLE_DEVICES       read as the CUDA driver documents it: GPU
 *                              indexes or UUIDs ("GPU-" and a prefix), the
 *                              list ending at the first that matches no GPU;
 *                              none left: cuInit says CUDA_ERROR_NO_DEVICE
 *   FAKE_CUDA_STDOUT=text      cuInit prints text on standard output, as
 *                              chatty libraries do
 *   FAKE_CUDA_LOG=path         append "pid name" of each call to path, and
 *                              CUDA_DEVICE_MAX_CONNECTIONS as cuInit sees it
 *
 * sym is an exported name with or without its _v2 suffix: cuMemAlloc or
 * cuMemAlloc_v2. Built with FAKE_CUDA_OLD it lacks cuDeviceGetUuid, like a
 * driver too old for the probe.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/resource.h>
#include <time.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cuda_api.h"
#include "../../cuda_kernel.h"

#define EXPORT __attribute__((visibility("default")))

struct CUctx_st {
	int device;
};

struct CUmod_st {
	int loaded;
};

static int initialized;
/* The GPU of the calling thread: the probe runs one thread per GPU. */
static __thread int current_device = -1;
static struct CUmod_st the_module;

/* Does the comma-separated list in env var `var` name `sym` for the current
 * GPU? On a match, *arg points just past "sym=" (or at "" without '='). */
static int scripted(const char *var, const char *sym, const char **arg)
{
	const char *list = getenv(var);
	size_t symlen = strlen(sym);

	while (list && *list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		size_t n = strcspn(list, "=@,");
		const char *at = memchr(list, '@', len);

		if ((n == symlen && !strncmp(list, sym, n)) ||
		    (n + 3 == symlen && !strncmp(list, sym, n) &&
		     !strcmp(sym + n, "_v2"))) {
			if (!at || atoi(at + 1) == current_device) {
				*arg = list[n] == '=' ? list + n + 1 : "";
				return 1;
			}
		}
		list = end ? end + 1 : NULL;
	}
	return 0;
}

/* Every entry point starts here: log, then hang, die or fail if told to. */
static void log_call(const char *what)
{
	const char *log = getenv("FAKE_CUDA_LOG");
	FILE *f = log ? fopen(log, "a") : NULL;

	if (f) {
		fprintf(f, "%d %s\n", (int)getpid(), what);
		fclose(f);
	}
}

static CUresult hook(const char *sym)
{
	volatile int *volatile bad = NULL;
	const char *arg;

	log_call(sym);
	if (scripted("FAKE_CUDA_SPAWN", sym, &arg) && fork() == 0) {
		log_call("spawned");
		for (;;)
			pause();
	}
	if (scripted("FAKE_CUDA_HANG", sym, &arg))
		for (;;)
			pause();
	if (scripted("FAKE_CUDA_CRASH", sym, &arg)) {
		if (!strncmp(arg, "abort", 5))
			abort();
		if (!strncmp(arg, "exit", 4))
			exit(atoi(arg + 4));
		*bad = 1;
	}
	if (scripted("FAKE_CUDA_SLEEP", sym, &arg)) {
		struct timespec ts = { atoi(arg) / 1000, atoi(arg) % 1000 * 1000000L };

		nanosleep(&ts, NULL);
	}
	if (scripted("FAKE_CUDA_FAIL", sym, &arg))
		return atoi(arg);
	return CUDA_SUCCESS;
}

static int corrupt(const char *what)
{
	const char *c = getenv("FAKE_CUDA_CORRUPT");

	return c && !strcmp(c, what);
}

static int physical_devices(void)
{
	const char *n = getenv("FAKE_CUDA_DEVICES");

	return n ? atoi(n) : 1;
}

static void uuid_of(int dev, unsigned char *b)
{
	int i;

	for (i = 0; i < 16; i++)
		b[i] = (unsigned char)(0x10 * dev + i);
}

/* Does a CUDA_VISIBLE_DEVICES entry name physical GPU dev? */
static int entry_names(const char *e, size_t len, int dev)
{
	char want[48];
	unsigned char b[16];

	if (len > 4 && !strncmp(e, "GPU-", 4)) {
		uuid_of(dev, b);
		snprintf(want, sizeof(want),
			 "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			 "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
			 b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
			 b[12], b[13], b[14], b[15]);
		return len <= strlen(want) && !strncmp(e, want, len);
	}
	return len > 0 && strspn(e, "0123456789") == len && atoi(e) == dev;
}

/* The physical GPU behind CUDA ordinal `ordinal`, -1 if none; the count of
 * visible GPUs for ordinal -1. */
static int visible(int ordinal)
{
	const char *list = getenv("CUDA_VISIBLE_DEVICES");
	int n = 0, dev, seen[64] = { 0 };

	if (!list)
		return ordinal < 0 ? physical_devices() :
		       ordinal < physical_devices() ? ordinal : -1;
	while (*list) {
		size_t len = strcspn(list, ",");

		for (dev = 0; dev < physical_devices() && dev < 64; dev++)
			if (entry_names(list, len, dev))
				break;
		if (dev == physical_devices() || dev == 64 || seen[dev])
			break;
		seen[dev] = 1;
		if (n++ == ordinal)
			return dev;
		list += len + (list[len] == ',');
	}
	return ordinal < 0 ? n : -1;
}

static int devices(void)
{
	return visible(-1);
}

#define ENTRY(sym)					\
	do {						\
		CUresult rc_ = hook(sym);		\
		if (rc_ != CUDA_SUCCESS)		\
			return rc_;			\
	} while (0)

#define NEED_INIT()					\
	do {						\
		if (!initialized)			\
			return CUDA_ERROR_NOT_INITIALIZED; \
	} while (0)

EXPORT CUresult cuGetErrorName(CUresult err, const char **name)
{
	static const struct {
		CUresult code;
		const char *name;
	} names[] = {
		{ 0, "CUDA_SUCCESS" },
		{ 1, "CUDA_ERROR_INVALID_VALUE" },
		{ 2, "CUDA_ERROR_OUT_OF_MEMORY" },
		{ 3, "CUDA_ERROR_NOT_INITIALIZED" },
		{ 100, "CUDA_ERROR_NO_DEVICE" },
		{ 101, "CUDA_ERROR_INVALID_DEVICE" },
		{ 200, "CUDA_ERROR_INVALID_IMAGE" },
		{ 218, "CUDA_ERROR_INVALID_PTX" },
		{ 304, "CUDA_ERROR_OPERATING_SYSTEM" },
		{ 500, "CUDA_ERROR_NOT_FOUND" },
		{ 700, "CUDA_ERROR_ILLEGAL_ADDRESS" },
		{ 801, "CUDA_ERROR_NOT_SUPPORTED" },
		{ 999, "CUDA_ERROR_UNKNOWN" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].code == err) {
			*name = names[i].name;
			return CUDA_SUCCESS;
		}
	}
	*name = NULL;
	return 1;
}

EXPORT CUresult cuInit(unsigned int flags)
{
	const char *noise = getenv("FAKE_CUDA_STDOUT");
	const char *mc = getenv("CUDA_DEVICE_MAX_CONNECTIONS");
	char seen[64];

	if (noise) {
		fputs(noise, stdout);
		fflush(stdout);
	}
	snprintf(seen, sizeof(seen), "CUDA_DEVICE_MAX_CONNECTIONS=%s", mc ? mc : "(unset)");
	log_call(seen);
	ENTRY("cuInit");
	if (flags)
		return 1;
	if (getenv("FAKE_CUDA_MIN_AS")) {
		struct rlimit as;

		if (!getrlimit(RLIMIT_AS, &as) && as.rlim_cur != RLIM_INFINITY &&
		    as.rlim_cur / 1024 < strtoull(getenv("FAKE_CUDA_MIN_AS"), NULL, 10))
			return 2;
	}
	if (devices() == 0)
		return CUDA_ERROR_NO_DEVICE;
	initialized = 1;
	return CUDA_SUCCESS;
}

EXPORT CUresult cuDriverGetVersion(int *version)
{
	ENTRY("cuDriverGetVersion");
	*version = 13000;
	return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetCount(int *count)
{
	ENTRY("cuDeviceGetCount");
	NEED_INIT();
	*count = devices();
	return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGet(CUdevice *dev, int ordinal)
{
	/* @GPU in the scripts means the physical GPU. */
	current_device = visible(ordinal);
	ENTRY("cuDeviceGet");
	NEED_INIT();
	if (ordinal < 0 || ordinal >= devices())
		return 101;
	*dev = current_device;
	return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetName(char *name, int len, CUdevice dev)
{
	ENTRY("cuDeviceGetName");
	snprintf(name, (size_t)len, "Fake GPU %d", dev);
	return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetPCIBusId(char *id, int len, CUdevice dev)
{
	ENTRY("cuDeviceGetPCIBusId");
	snprintf(id, (size_t)len, "0000:%02x:00.0", 0x41 + dev);
	return CUDA_SUCCESS;
}

#ifndef FAKE_CUDA_OLD
EXPORT CUresult cuDeviceGetUuid(CUuuid *uuid, CUdevice dev)
{
	ENTRY("cuDeviceGetUuid");
	uuid_of(dev, uuid->bytes);
	return CUDA_SUCCESS;
}
#endif

EXPORT CUresult cuCtxCreate_v2(CUcontext *ctx, unsigned int flags,
			       CUdevice dev)
{
	current_device = dev;
	ENTRY("cuCtxCreate_v2");
	(void)flags;
	if (getenv("FAKE_CUDA_MIN_NOFILE")) {
		struct rlimit nf;

		if (!getrlimit(RLIMIT_NOFILE, &nf) &&
		    nf.rlim_cur < strtoull(getenv("FAKE_CUDA_MIN_NOFILE"), NULL, 10))
			return 304;
	}
	*ctx = calloc(1, sizeof(**ctx));
	if (!*ctx)
		return 2;
	(*ctx)->device = dev;
	return CUDA_SUCCESS;
}

EXPORT CUresult cuCtxDestroy_v2(CUcontext ctx)
{
	ENTRY("cuCtxDestroy_v2");
	free(ctx);
	return CUDA_SUCCESS;
}

EXPORT CUresult cuCtxSynchronize(void)
{
	ENTRY("cuCtxSynchronize");
	return CUDA_SUCCESS;
}

EXPORT CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t size)
{
	void *p;

	ENTRY("cuMemAlloc_v2");
	p = malloc(size);
	if (!p)
		return 2;
	*dptr = (CUdeviceptr)(uintptr_t)p;
	return CUDA_SUCCESS;
}

EXPORT CUresult cuMemFree_v2(CUdeviceptr dptr)
{
	ENTRY("cuMemFree_v2");
	free((void *)(uintptr_t)dptr);
	return CUDA_SUCCESS;
}

EXPORT CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t size)
{
	ENTRY("cuMemcpyHtoD_v2");
	memcpy((void *)(uintptr_t)dst, src, size);
	return CUDA_SUCCESS;
}

EXPORT CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t size)
{
	ENTRY("cuMemcpyDtoH_v2");
	memcpy(dst, (const void *)(uintptr_t)src, size);
	if (corrupt("copy") && size > 4100)
		((unsigned char *)dst)[4099] ^= 0x40;
	return CUDA_SUCCESS;
}

EXPORT CUresult cuMemHostAlloc(void **p, size_t size, unsigned int flags)
{
	ENTRY("cuMemHostAlloc");
	if (flags & ~(unsigned int)0x0f)
		return 1;
	*p = malloc(size);
	return *p ? CUDA_SUCCESS : 2;
}

EXPORT CUresult cuMemFreeHost(void *p)
{
	ENTRY("cuMemFreeHost");
	free(p);
	return CUDA_SUCCESS;
}

EXPORT CUresult cuModuleLoadData(CUmodule *mod, const void *image)
{
	ENTRY("cuModuleLoadData");
	if (!strstr(image, ".version") || !strstr(image, ".entry"))
		return 218;
	the_module.loaded = 1;
	*mod = &the_module;
	return CUDA_SUCCESS;
}

EXPORT CUresult cuModuleUnload(CUmodule mod)
{
	ENTRY("cuModuleUnload");
	mod->loaded = 0;
	return CUDA_SUCCESS;
}

EXPORT CUresult cuModuleGetFunction(CUfunction *fn, CUmodule mod,
				    const char *name)
{
	ENTRY("cuModuleGetFunction");
	if (!mod->loaded || strcmp(name, CUDA_KERNEL_NAME))
		return 500;
	*fn = (CUfunction)mod;
	return CUDA_SUCCESS;
}

/* Runs dom0gpu_fill on the CPU with the grid the caller asked for. */
EXPORT CUresult cuLaunchKernel(CUfunction fn, unsigned int gx,
			       unsigned int gy, unsigned int gz,
			       unsigned int bx, unsigned int by,
			       unsigned int bz, unsigned int shared_bytes,
			       CUstream stream, void **params, void **extra)
{
	uint32_t *out, words, seed, i, threads;

	ENTRY("cuLaunchKernel");
	if (!fn || !params || extra || stream || shared_bytes || gy != 1 ||
	    gz != 1 || by != 1 || bz != 1)
		return 1;
	out = (uint32_t *)(uintptr_t)*(CUdeviceptr *)params[0];
	words = *(uint32_t *)params[1];
	seed = *(uint32_t *)params[2];
	threads = gx * bx;
	for (i = 0; i < words && i < threads; i++)
		out[i] = cuda_kernel_expect(i, seed);
	if (corrupt("kernel") && words > 77)
		out[77] ^= 1;
	return CUDA_SUCCESS;
}
