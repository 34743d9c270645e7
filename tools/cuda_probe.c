// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The CUDA probe. A child process opens libcuda.so.1 and runs each step,
 * reporting over a pipe before and after it; the parent only reads the
 * pipe, so whatever the driver library does (hang, fault, abort, exit) the
 * parent knows which step it was in and still returns a result.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cuda_api.h"
#include "cuda_kernel.h"
#include "cuda_probe.h"
#include "dynload.h"

/* Large enough to cross page and DMA-chunk boundaries, small enough to
 * cost well under a millisecond. */
#define COPY_BYTES	(1u << 20)

/* How long a killed probe may take to die before we stop waiting. */
#define KILL_GRACE_MS	2000.0

enum msg_kind {
	MSG_BEGIN,	/* a step starts */
	MSG_END,	/* a step ended, result in .r */
	MSG_COUNT,	/* driver version and GPU count */
	MSG_DEVICE,	/* identity of one GPU */
	MSG_GPU_DONE,	/* a GPU's last step ended */
	MSG_DONE,	/* every GPU's steps ended */
	MSG_DYING,	/* the thread of .gpu is ending the process: .signal */
};

/* One record per write(): under PIPE_BUF, so never split or interleaved,
 * also when the GPUs' threads write at the same time. */
struct probe_msg {
	int kind;
	int step;
	int gpu;
	int driver_version;
	int gpu_count;
	int signal;		/* MSG_DYING: the signal, 0 for exit() */
	struct cuda_step_result r;
	char name[128];
	char pci_bus_id[32];
	char uuid[48];
};

/* Fails to compile if a record could be split (PIPE_BUF is 4096 on Linux). */
typedef char probe_msg_fits_pipe_buf[sizeof(struct probe_msg) <= PIPE_BUF ? 1 : -1];

/* The steps of one thread: the main thread's global ones, or one GPU's. */
struct child {
	int fd;
	const struct cuda_api *api;	/* NULL until every entry point resolved */
	int gpu;			/* -1 for the global steps */
	struct probe_msg end;	/* the running step's result */
	double t0;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- child side ---------------------------------------------------------- */

static int probe_fd = -1;
/* The GPU the calling thread probes, for the record of a thread that ends
 * the process (a fault, abort() or exit() inside the driver library). */
static __thread int thread_gpu = -1;

static void send_msg(int fd, const struct probe_msg *m)
{
	const char *p = (const char *)m;
	size_t left = sizeof(*m);

	while (left) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(125);	/* parent gone: nobody to report to */
		p += n;
		left -= (size_t)n;
	}
}

static void send_dying(int sig)
{
	struct probe_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = MSG_DYING;
	m.gpu = thread_gpu;
	m.signal = sig;
	send_msg(probe_fd, &m);
}

/* Says which GPU's thread dies, then dies of the same signal: the parent
 * still sees the signal in the exit status. Only write() and sigaction()
 * here, both async-signal-safe. */
static void on_fatal_signal(int sig)
{
	struct sigaction dfl;

	send_dying(sig);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

/* exit() called by the driver library, in whichever thread. */
static void on_exit_call(void)
{
	send_dying(0);
}

static void catch_fatal(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE,
				    SIGTRAP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	atexit(on_exit_call);
}

static void step_begin(struct child *c, enum cuda_probe_step step)
{
	struct probe_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = MSG_BEGIN;
	m.step = step;
	m.gpu = c->gpu;
	send_msg(c->fd, &m);

	memset(&c->end, 0, sizeof(c->end));
	c->end.kind = MSG_END;
	c->end.step = step;
	c->end.gpu = c->gpu;
	c->end.r.status = CUDA_STATUS_OK;
	c->t0 = now_ms();
}

/* Ends the step; returns whether it passed. */
static bool step_end(struct child *c)
{
	c->end.r.ms = now_ms() - c->t0;
	send_msg(c->fd, &c->end);
	return c->end.r.status == CUDA_STATUS_OK;
}

/* Records a call's CUresult in the running step; false if it failed. */
static bool cu(struct child *c, const char *call, CUresult rc)
{
	struct cuda_step_result *r = &c->end.r;
	const char *name = NULL;

	r->cu_result = rc;
	r->cu_name[0] = '\0';
	if (c->api && c->api->GetErrorName(rc, &name) == CUDA_SUCCESS && name)
		snprintf(r->cu_name, sizeof(r->cu_name), "%s", name);
	if (rc == CUDA_SUCCESS)
		return true;
	r->status = CUDA_STATUS_FAILED;
	snprintf(r->call, sizeof(r->call), "%s", call);
	return false;
}

/* xorshift32 words: cheap, and no two pages alike. len is a multiple of 4. */
static void fill_pattern(unsigned char *buf, size_t len, uint32_t seed)
{
	uint32_t x = seed | 1, *w = (uint32_t *)buf;
	size_t i;

	for (i = 0; i < len / 4; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		w[i] = x;
	}
}

/* Byte-for-byte check; on a difference the step becomes a mismatch. */
static bool verify_bytes(struct child *c, const unsigned char *want,
			 const unsigned char *got, size_t len)
{
	size_t i, first = len, bad = 0;

	if (!memcmp(want, got, len))
		return true;
	for (i = 0; i < len; i++) {
		if (want[i] != got[i]) {
			if (first == len)
				first = i;
			bad++;
		}
	}
	c->end.r.status = CUDA_STATUS_MISMATCH;
	snprintf(c->end.r.detail, sizeof(c->end.r.detail),
		 "%zu of %zu bytes differ, first at %zu: sent 0x%02x, got 0x%02x",
		 bad, len, first, want[first], got[first]);
	return false;
}

struct gpu_res {
	CUcontext ctx;
	CUdeviceptr dev;
	void *wc;
	CUmodule mod;
	CUfunction fn;
	unsigned char *src;
	unsigned char *dst;
};

/* A failed call is recorded in the running step, which says so. */
static void gpu_identify(struct child *c, int ordinal, CUdevice *dev)
{
	struct probe_msg m;
	CUuuid u;
	const unsigned char *b = u.bytes;

	memset(&m, 0, sizeof(m));
	m.kind = MSG_DEVICE;
	m.gpu = ordinal;
	if (!cu(c, "cuDeviceGet", c->api->DeviceGet(dev, ordinal)) ||
	    !cu(c, "cuDeviceGetName",
		c->api->DeviceGetName(m.name, sizeof(m.name) - 1, *dev)) ||
	    !cu(c, "cuDeviceGetPCIBusId",
		c->api->DeviceGetPCIBusId(m.pci_bus_id,
					 sizeof(m.pci_bus_id) - 1, *dev)) ||
	    !cu(c, "cuDeviceGetUuid", c->api->DeviceGetUuid(&u, *dev)))
		return;
	snprintf(m.uuid, sizeof(m.uuid),
		 "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
	send_msg(c->fd, &m);
}

static bool gpu_memcpy(struct child *c, struct gpu_res *g, uint32_t seed)
{
	g->src = malloc(COPY_BYTES);
	g->dst = malloc(COPY_BYTES);
	if (!g->src || !g->dst) {
		c->end.r.status = CUDA_STATUS_FAILED;
		snprintf(c->end.r.detail, sizeof(c->end.r.detail),
			 "out of host memory");
		return false;
	}
	fill_pattern(g->src, COPY_BYTES, seed);
	memset(g->dst, 0, COPY_BYTES);
	return cu(c, "cuMemcpyHtoD",
		  c->api->MemcpyHtoD(g->dev, g->src, COPY_BYTES)) &&
	       cu(c, "cuMemcpyDtoH",
		  c->api->MemcpyDtoH(g->dst, g->dev, COPY_BYTES)) &&
	       verify_bytes(c, g->src, g->dst, COPY_BYTES);
}

/*
 * The pinned write-combined buffer is what the driver maps through the
 * PAT's WC entry. The CPU only writes it (reads of WC memory are uncached)
 * and the GPU copies from it, so the check also proves the mapping works.
 */
static bool gpu_host_wc(struct child *c, struct gpu_res *g, uint32_t seed)
{
	if (!cu(c, "cuMemHostAlloc",
		c->api->MemHostAlloc(&g->wc, COPY_BYTES,
				    CU_MEMHOSTALLOC_WRITECOMBINED)))
		return false;
	fill_pattern(g->src, COPY_BYTES, seed);
	memcpy(g->wc, g->src, COPY_BYTES);
	memset(g->dst, 0, COPY_BYTES);
	return cu(c, "cuMemcpyHtoD",
		  c->api->MemcpyHtoD(g->dev, g->wc, COPY_BYTES)) &&
	       cu(c, "cuMemcpyDtoH",
		  c->api->MemcpyDtoH(g->dst, g->dev, COPY_BYTES)) &&
	       verify_bytes(c, g->src, g->dst, COPY_BYTES);
}

/* The device buffer still holds the previous step's random bytes, so a
 * kernel that wrote nothing cannot pass. */
static bool gpu_kernel(struct child *c, struct gpu_res *g, uint32_t seed)
{
	unsigned int words = CUDA_KERNEL_WORDS;
	void *params[] = { &g->dev, &words, &seed };
	const uint32_t *out = (const uint32_t *)g->dst;
	uint32_t i;

	if (!cu(c, "cuLaunchKernel",
		c->api->LaunchKernel(g->fn, CUDA_KERNEL_WORDS / CUDA_KERNEL_BLOCK,
				    1, 1, CUDA_KERNEL_BLOCK, 1, 1, 0, NULL,
				    params, NULL)) ||
	    !cu(c, "cuCtxSynchronize", c->api->CtxSynchronize()) ||
	    !cu(c, "cuMemcpyDtoH",
		c->api->MemcpyDtoH(g->dst, g->dev, CUDA_KERNEL_WORDS * 4)))
		return false;
	for (i = 0; i < CUDA_KERNEL_WORDS; i++) {
		if (out[i] != cuda_kernel_expect(i, seed)) {
			c->end.r.status = CUDA_STATUS_MISMATCH;
			snprintf(c->end.r.detail, sizeof(c->end.r.detail),
				 "word %u of %u: expected 0x%08x, got 0x%08x",
				 i, CUDA_KERNEL_WORDS,
				 cuda_kernel_expect(i, seed), out[i]);
			return false;
		}
	}
	return true;
}

/*
 * Runs one GPU's steps in order, stopping at the first that fails. What
 * it allocated stays until the probe process exits: the driver frees a
 * process's contexts as it ends, and the verdict does not wait for that.
 */
static void probe_gpu(struct child *c)
{
	struct gpu_res g;
	struct probe_msg m;
	CUdevice dev;
	uint32_t seed = (uint32_t)getpid() * 2654435761u + (uint32_t)c->gpu;

	memset(&g, 0, sizeof(g));
	thread_gpu = c->gpu;

	step_begin(c, CUDA_STEP_DEVICE);
	gpu_identify(c, c->gpu, &dev);
	if (!step_end(c))
		goto out;

	step_begin(c, CUDA_STEP_CONTEXT);
	cu(c, "cuCtxCreate", c->api->CtxCreate(&g.ctx, 0, dev));
	if (!step_end(c))
		goto out;

	step_begin(c, CUDA_STEP_MEM_ALLOC);
	cu(c, "cuMemAlloc", c->api->MemAlloc(&g.dev, COPY_BYTES));
	if (!step_end(c))
		goto out;

	step_begin(c, CUDA_STEP_MEMCPY);
	gpu_memcpy(c, &g, seed);
	if (!step_end(c))
		goto out;

	step_begin(c, CUDA_STEP_HOST_ALLOC_WC);
	gpu_host_wc(c, &g, seed ^ 0x5a5a5a5au);
	if (!step_end(c))
		goto out;

	step_begin(c, CUDA_STEP_MODULE_LOAD);
	if (cu(c, "cuModuleLoadData",
	       c->api->ModuleLoadData(&g.mod, cuda_kernel_ptx)))
		cu(c, "cuModuleGetFunction",
		   c->api->ModuleGetFunction(&g.fn, g.mod, CUDA_KERNEL_NAME));
	if (!step_end(c))
		goto out;

	step_begin(c, CUDA_STEP_KERNEL);
	gpu_kernel(c, &g, seed);
	step_end(c);
out:
	memset(&m, 0, sizeof(m));
	m.kind = MSG_GPU_DONE;
	m.gpu = c->gpu;
	send_msg(c->fd, &m);
	free(g.src);
	free(g.dst);
}

static void *gpu_thread(void *arg)
{
	probe_gpu(arg);
	return NULL;
}

/*
 * One thread per GPU after cuInit: the driver creates contexts on several
 * GPUs at once (docs/CUDA-PROBE.md has the measurements), and a GPU that
 * hangs keeps no other GPU from its steps. A thread that cannot be
 * started runs its GPU in this thread, after the others.
 */
static void probe_gpus(const struct child *global, int count,
		       const bool *wanted)
{
	static struct child gpus[CUDA_PROBE_MAX_GPUS];
	pthread_t tid[CUDA_PROBE_MAX_GPUS];
	bool started[CUDA_PROBE_MAX_GPUS];
	int i;

	for (i = 0; i < count; i++) {
		gpus[i] = *global;
		gpus[i].gpu = i;
		started[i] = wanted[i] &&
			     !pthread_create(&tid[i], NULL, gpu_thread, &gpus[i]);
	}
	for (i = 0; i < count; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else if (wanted[i])
			probe_gpu(&gpus[i]);
	}
}

static void child_run(int fd, const bool *wanted)
{
	static struct cuda_api api;
	struct child c;
	struct probe_msg m;
	const char *missing;
	void *lib;
	int count = 0;

	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.gpu = -1;

	step_begin(&c, CUDA_STEP_LOAD);
	lib = dynload_open(CUDA_LIBRARY);
	if (!lib) {
		c.end.r.status = CUDA_STATUS_FAILED;
		snprintf(c.end.r.call, sizeof(c.end.r.call), "dlopen");
		snprintf(c.end.r.detail, sizeof(c.end.r.detail), "%s",
			 dynload_error());
	} else if ((missing = cuda_api_load(lib, &api))) {
		c.end.r.status = CUDA_STATUS_FAILED;
		snprintf(c.end.r.call, sizeof(c.end.r.call), "dlsym");
		snprintf(c.end.r.detail, sizeof(c.end.r.detail),
			 "%s lacks %s", CUDA_LIBRARY, missing);
	} else {
		c.api = &api;
	}
	if (!step_end(&c))
		goto done;

	step_begin(&c, CUDA_STEP_INIT);
	cu(&c, "cuInit", api.Init(0));
	if (!step_end(&c))
		goto done;

	step_begin(&c, CUDA_STEP_DEVICE_COUNT);
	memset(&m, 0, sizeof(m));
	m.kind = MSG_COUNT;
	if (cu(&c, "cuDriverGetVersion", api.DriverGetVersion(&m.driver_version)) &&
	    cu(&c, "cuDeviceGetCount", api.DeviceGetCount(&count))) {
		m.gpu_count = count;
		send_msg(fd, &m);
	}
	if (!step_end(&c))
		goto done;

	probe_gpus(&c, count < CUDA_PROBE_MAX_GPUS ? count : CUDA_PROBE_MAX_GPUS,
		   wanted);
done:
	memset(&m, 0, sizeof(m));
	m.kind = MSG_DONE;
	send_msg(fd, &m);
}

/* ---- parent side --------------------------------------------------------- */

static const char *const step_ids[CUDA_STEP_COUNT] = {
	[CUDA_STEP_LOAD] = "load",
	[CUDA_STEP_INIT] = "init",
	[CUDA_STEP_DEVICE_COUNT] = "device_count",
	[CUDA_STEP_DEVICE] = "device",
	[CUDA_STEP_CONTEXT] = "context",
	[CUDA_STEP_MEM_ALLOC] = "mem_alloc",
	[CUDA_STEP_MEMCPY] = "memcpy",
	[CUDA_STEP_HOST_ALLOC_WC] = "host_alloc_wc",
	[CUDA_STEP_MODULE_LOAD] = "module_load",
	[CUDA_STEP_KERNEL] = "kernel",
};

bool cuda_probe_step_per_gpu(enum cuda_probe_step step)
{
	return step >= CUDA_STEP_FIRST_PER_GPU;
}

const char *cuda_probe_step_id(enum cuda_probe_step step)
{
	return (unsigned int)step < CUDA_STEP_COUNT ? step_ids[step] : "?";
}

const char *cuda_probe_status_id(enum cuda_step_status status)
{
	switch (status) {
	case CUDA_STATUS_NOT_RUN:
		return "not_run";
	case CUDA_STATUS_OK:
		return "ok";
	case CUDA_STATUS_FAILED:
		return "failed";
	case CUDA_STATUS_MISMATCH:
		return "mismatch";
	case CUDA_STATUS_HUNG:
		return "hung";
	case CUDA_STATUS_CRASHED:
		return "crashed";
	}
	return "?";
}

const char *cuda_probe_outcome_id(enum cuda_probe_outcome outcome)
{
	switch (outcome) {
	case CUDA_PROBE_NOT_RUN:
		return "not_run";
	case CUDA_PROBE_OK:
		return "ok";
	case CUDA_PROBE_FAILED:
		return "failed";
	case CUDA_PROBE_WRONG_DATA:
		return "wrong_data";
	case CUDA_PROBE_HUNG:
		return "hung";
	case CUDA_PROBE_CRASHED:
		return "crashed";
	}
	return "?";
}

const char *cuda_probe_signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return "SIGSEGV";
	case SIGBUS:
		return "SIGBUS";
	case SIGABRT:
		return "SIGABRT";
	case SIGILL:
		return "SIGILL";
	case SIGFPE:
		return "SIGFPE";
	case SIGTRAP:
		return "SIGTRAP";
	case SIGKILL:
		return "SIGKILL";
	case SIGTERM:
		return "SIGTERM";
	}
	return "signal";
}

static struct cuda_step_result *slot(struct cuda_probe_result *res, int step,
				     int gpu)
{
	if (step < 0 || step >= CUDA_STEP_COUNT)
		return NULL;
	if (!cuda_probe_step_per_gpu((enum cuda_probe_step)step))
		return gpu == -1 ? &res->step[step] : NULL;
	if (gpu < 0 || gpu >= CUDA_PROBE_MAX_GPUS)
		return NULL;
	return &res->gpu[gpu].step[step];
}

const struct cuda_step_result *
cuda_probe_failed_step(const struct cuda_probe_result *res)
{
	if (res->outcome == CUDA_PROBE_OK)
		return NULL;
	return slot((struct cuda_probe_result *)res, res->fail_step,
		    res->fail_gpu);
}

/* "GPU 0 (0000:00:06.0) memcpy" or "init" */
static void where(const struct cuda_probe_result *res, char *buf, size_t len)
{
	const char *step = cuda_probe_step_id(res->fail_step);

	if (res->fail_gpu < 0)
		snprintf(buf, len, "%s", step);
	else if (res->gpu[res->fail_gpu].pci_bus_id[0])
		snprintf(buf, len, "GPU %d (%s) %s", res->fail_gpu,
			 res->gpu[res->fail_gpu].pci_bus_id, step);
	else
		snprintf(buf, len, "GPU %d %s", res->fail_gpu, step);
}

/* The first step that did not pass, global steps first, then GPU by GPU. */
static const struct cuda_step_result *first_failure(struct cuda_probe_result *res)
{
	int s, g;

	for (s = 0; s < CUDA_STEP_FIRST_PER_GPU; s++) {
		if (res->step[s].status != CUDA_STATUS_OK) {
			res->fail_step = (enum cuda_probe_step)s;
			res->fail_gpu = -1;
			return &res->step[s];
		}
	}
	for (g = 0; g < res->gpu_count && g < CUDA_PROBE_MAX_GPUS; g++) {
		for (s = CUDA_STEP_FIRST_PER_GPU; s < CUDA_STEP_COUNT; s++) {
			if (res->gpu[g].step[s].status != CUDA_STATUS_OK) {
				res->fail_step = (enum cuda_probe_step)s;
				res->fail_gpu = g;
				return &res->gpu[g].step[s];
			}
		}
	}
	return NULL;
}

/* The first step that did not pass decides the outcome and the reason. */
static void classify(struct cuda_probe_result *res)
{
	const struct cuda_step_result *r = first_failure(res);
	char at[96];

	if (!r && res->gpu_count == 0) {
		res->outcome = CUDA_PROBE_NOT_RUN;
		snprintf(res->reason, sizeof(res->reason),
			 "no CUDA GPU: the driver counts 0 devices");
		return;
	}
	if (!r) {
		res->outcome = CUDA_PROBE_OK;
		snprintf(res->reason, sizeof(res->reason),
			 "%d GPU%s passed every step", res->gpu_count,
			 res->gpu_count == 1 ? "" : "s");
		return;
	}

	res->fail_cu_result = r->status == CUDA_STATUS_FAILED ?
			      r->cu_result : 0;
	res->signal = r->status == CUDA_STATUS_CRASHED ? r->signal : 0;
	res->exit_status = r->status == CUDA_STATUS_CRASHED ? r->exit_status : -1;
	if (res->fail_step == CUDA_STEP_LOAD && r->status == CUDA_STATUS_FAILED) {
		res->outcome = CUDA_PROBE_NOT_RUN;
		snprintf(res->reason, sizeof(res->reason), "%s: %s",
			 !strcmp(r->call, "dlopen") ? "no CUDA driver library" :
			 "unusable CUDA driver library",
			 r->detail);
		return;
	}
	if (res->fail_step == CUDA_STEP_INIT && r->status == CUDA_STATUS_FAILED &&
	    r->cu_result == CUDA_ERROR_NO_DEVICE) {
		res->outcome = CUDA_PROBE_NOT_RUN;
		snprintf(res->reason, sizeof(res->reason),
			 "no CUDA GPU: cuInit returned %s (%d)",
			 r->cu_name[0] ? r->cu_name : "CUresult", r->cu_result);
		return;
	}

	where(res, at, sizeof(at));
	switch (r->status) {
	case CUDA_STATUS_MISMATCH:
		res->outcome = CUDA_PROBE_WRONG_DATA;
		snprintf(res->reason, sizeof(res->reason),
			 "%s: data came back wrong: %s", at, r->detail);
		return;
	case CUDA_STATUS_HUNG:
	case CUDA_STATUS_CRASHED:
		res->outcome = r->status == CUDA_STATUS_HUNG ? CUDA_PROBE_HUNG :
							      CUDA_PROBE_CRASHED;
		snprintf(res->reason, sizeof(res->reason), "%s: %s", at,
			 r->detail);
		return;
	default:
		res->outcome = CUDA_PROBE_FAILED;
		break;
	}
	if (r->call[0] && r->cu_result)
		snprintf(res->reason, sizeof(res->reason),
			 "%s: %s returned %s (%d)", at, r->call,
			 r->cu_name[0] ? r->cu_name : "CUresult", r->cu_result);
	else
		snprintf(res->reason, sizeof(res->reason), "%s: %s", at,
			 r->detail);
}

/* What the parent knows of one run of the probe process. */
struct pass {
	bool wanted[CUDA_PROBE_MAX_GPUS];	/* GPUs this process probes */
	int step;			/* global step begun last */
	bool in_step;
	int gpu_step[CUDA_PROBE_MAX_GPUS];	/* step begun last, -1 none */
	bool gpu_in_step[CUDA_PROBE_MAX_GPUS];
	bool gpu_done[CUDA_PROBE_MAX_GPUS];
	bool count_known;
	bool done;			/* every result is in */
	int dying_gpu;			/* MSG_DYING: whose thread, -1 global */
	bool dying;
	bool interrupted[CUDA_PROBE_MAX_GPUS];	/* ended by another's crash */
	bool stuck;			/* did not exit after SIGKILL */
};

static void apply_msg(struct cuda_probe_result *res, struct pass *p,
		      const struct probe_msg *m)
{
	struct cuda_step_result *r;
	struct cuda_gpu_result *g;
	bool per_gpu = m->gpu >= 0 && m->gpu < CUDA_PROBE_MAX_GPUS;
	int i;

	switch (m->kind) {
	case MSG_BEGIN:
		if (per_gpu) {
			p->gpu_step[m->gpu] = m->step;
			p->gpu_in_step[m->gpu] = true;
		} else {
			p->step = m->step;
			p->in_step = true;
		}
		break;
	case MSG_END:
		if (per_gpu)
			p->gpu_in_step[m->gpu] = false;
		else
			p->in_step = false;
		r = slot(res, m->step, m->gpu);
		if (r)
			*r = m->r;
		break;
	case MSG_COUNT:
		res->driver_version = m->driver_version;
		res->gpu_count = m->gpu_count;
		p->count_known = true;
		break;
	case MSG_DEVICE:
		if (!per_gpu)
			break;
		g = &res->gpu[m->gpu];
		memcpy(g->name, m->name, sizeof(g->name));
		memcpy(g->pci_bus_id, m->pci_bus_id, sizeof(g->pci_bus_id));
		memcpy(g->uuid, m->uuid, sizeof(g->uuid));
		g->name[sizeof(g->name) - 1] = '\0';
		g->pci_bus_id[sizeof(g->pci_bus_id) - 1] = '\0';
		g->uuid[sizeof(g->uuid) - 1] = '\0';
		break;
	case MSG_GPU_DONE:
		if (!per_gpu)
			break;
		p->gpu_done[m->gpu] = true;
		/* The last GPU's result is in: the process may end unwatched. */
		p->done = true;
		for (i = 0; i < res->gpu_count && i < CUDA_PROBE_MAX_GPUS; i++)
			p->done &= !p->wanted[i] || p->gpu_done[i];
		break;
	case MSG_DONE:
		p->done = true;
		break;
	case MSG_DYING:
		if (!p->dying) {
			p->dying = true;
			p->dying_gpu = per_gpu ? m->gpu : -1;
		}
		break;
	}
}

/* Marks a step that a hang or the process's end cut short. */
static void cut_short(struct cuda_step_result *r, enum cuda_step_status status,
		      const char *how, int wstatus)
{
	r->status = status;
	snprintf(r->detail, sizeof(r->detail), "%s", how);
	if (status == CUDA_STATUS_CRASHED) {
		r->signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
		r->exit_status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
	}
}

/*
 * The process ended before every result was in (hung: killed at the
 * deadline). Each GPU still in a step is marked: hung, or crashed if its
 * thread ended the process; one interrupted by another GPU's crash is
 * noted for a new process.
 */
static void mark_ended(struct cuda_probe_result *res, struct pass *p,
		       bool hung, int wstatus)
{
	char how[96], by[96];
	int g;

	if (hung)
		snprintf(how, sizeof(how), "no answer after %g s; killed",
			 res->timeout_s);
	else if (WIFSIGNALED(wstatus))
		snprintf(how, sizeof(how), "probe process killed by %s (%d)",
			 cuda_probe_signal_name(WTERMSIG(wstatus)),
			 WTERMSIG(wstatus));
	else
		snprintf(how, sizeof(how),
			 "probe process exited with status %d before finishing",
			 WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);

	if (!p->count_known || p->in_step || (p->dying && p->dying_gpu < 0)) {
		/* A global step, or between two: the next never began. */
		int s = p->in_step ? p->step : p->step + 1;

		if (s < CUDA_STEP_FIRST_PER_GPU) {
			cut_short(&res->step[s], hung ? CUDA_STATUS_HUNG :
				  CUDA_STATUS_CRASHED, how, wstatus);
			return;
		}
	}
	for (g = 0; g < res->gpu_count && g < CUDA_PROBE_MAX_GPUS; g++) {
		int s = p->gpu_step[g] < 0 ? CUDA_STEP_FIRST_PER_GPU :
			p->gpu_in_step[g] ? p->gpu_step[g] : p->gpu_step[g] + 1;

		if (!p->wanted[g] || p->gpu_done[g] || s >= CUDA_STEP_COUNT)
			continue;
		if (hung || !p->dying || p->dying_gpu == g) {
			cut_short(&res->gpu[g].step[s], hung ? CUDA_STATUS_HUNG :
				  CUDA_STATUS_CRASHED, how, wstatus);
			continue;
		}
		p->interrupted[g] = true;
		snprintf(by, sizeof(by), "ended with the probe process, which "
			 "GPU %d's thread ended", p->dying_gpu);
		cut_short(&res->gpu[g].step[s], CUDA_STATUS_CRASHED, by, wstatus);
	}
}

static void not_started(struct cuda_probe_result *res, const char *what)
{
	res->outcome = CUDA_PROBE_NOT_RUN;
	snprintf(res->reason, sizeof(res->reason),
		 "cannot start the probe process: %s: %s", what,
		 strerror(errno));
}

/* Waits for the child until the deadline; false if it has not exited. */
static bool reap(pid_t pid, int *wstatus, double until_ms)
{
	const struct timespec tick = { 0, 500000 };

	for (;;) {
		pid_t w = waitpid(pid, wstatus, WNOHANG);

		if (w == pid || (w < 0 && errno != EINTR))
			return true;
		if (now_ms() >= until_ms)
			return false;
		nanosleep(&tick, NULL);
	}
}

static void child_exec(int fds[2], pid_t parent, const bool *wanted)
{
	sigset_t all;

	/* Own process group: a timeout kills whatever the driver spawned. It
	 * also keeps the terminal's ^C from the child, so die with the parent
	 * instead of hanging on in the driver after dom0gpu-stat is gone. */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(126);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
	close(fds[0]);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	/* Whatever the driver prints must not mix into our stdout (JSON). */
	dup2(STDERR_FILENO, STDOUT_FILENO);
	/* The probe uses one stream, so one work queue a GPU, not the default
	 * eight: each context then costs the driver half the time, and the
	 * driver creates contexts one at a time, whatever the threads
	 * (docs/CUDA-PROBE.md). A value the caller set is kept. */
	setenv("CUDA_DEVICE_MAX_CONNECTIONS", "1", 0);
	probe_fd = fds[1];
	catch_fatal();
	child_run(fds[1], wanted);
	_exit(0);
}

/* A probe process whose results were all in when it was left to exit. */
static pid_t exiting = -1;

/* Runs one probe process for the GPUs in p->wanted, filling res. */
static void probe_pass(struct cuda_probe_result *res, struct pass *p)
{
	struct probe_msg m;
	size_t have = 0;
	double deadline = now_ms() + res->timeout_s * 1e3;
	int fds[2], wstatus = 0, g;
	bool hung = false;
	pid_t pid, self;

	p->step = CUDA_STEP_LOAD;
	p->dying_gpu = -1;
	for (g = 0; g < CUDA_PROBE_MAX_GPUS; g++)
		p->gpu_step[g] = -1;
	if (pipe(fds) < 0) {
		not_started(res, "pipe");
		return;
	}
	fflush(NULL);
	self = getpid();
	pid = fork();
	if (pid < 0) {
		not_started(res, "fork");
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0)
		child_exec(fds, self, p->wanted);

	setpgid(pid, pid);
	close(fds[1]);
	while (!p->done) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		double left = deadline - now_ms();
		ssize_t n;
		int pr;

		if (left <= 0) {
			hung = true;
			break;
		}
		pr = poll(&pfd, 1, (int)left + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			hung = true;
			break;
		}
		n = read(fds[0], (char *)&m + have, sizeof(m) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		if (have < sizeof(m))
			continue;
		have = 0;
		apply_msg(res, p, &m);
	}
	close(fds[0]);

	if (p->done) {
		/* Every result is in. The process's exit, where the driver
		 * frees its contexts GPU after GPU, is no part of the answer:
		 * end it and what it spawned, reap it later. */
		kill(-pid, SIGKILL);
		if (waitpid(pid, &wstatus, WNOHANG) != pid)
			exiting = pid;
		return;
	}
	if (!hung && !reap(pid, &wstatus, deadline))
		hung = true;	/* the pipe closed, the process lives on */
	if (hung) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		/* SIGKILL waits for a task blocked in the kernel (a driver
		 * ioctl that never returns): wait a little, then leave it. */
		p->stuck = !reap(pid, &wstatus, now_ms() + KILL_GRACE_MS);
	}
	/* Whatever the driver library left in the probe's process group. The
	 * group keeps its id reserved while any member lives, so this cannot
	 * reach anyone else's processes. */
	kill(-pid, SIGKILL);
	mark_ended(res, p, hung, wstatus);
}

enum cuda_probe_outcome cuda_probe_run(double timeout_s,
				       struct cuda_probe_result *res)
{
	static struct cuda_probe_result again;
	struct pass p;
	double start = now_ms();
	bool stuck;
	int g;

	memset(res, 0, sizeof(*res));
	res->timeout_s = timeout_s;
	res->fail_gpu = -1;
	res->exit_status = -1;
	/* The last probe's exit, if the caller probes again. */
	if (exiting > 0) {
		int ws;

		reap(exiting, &ws, now_ms() + KILL_GRACE_MS);
		exiting = -1;
	}

	memset(&p, 0, sizeof(p));
	for (g = 0; g < CUDA_PROBE_MAX_GPUS; g++)
		p.wanted[g] = true;
	probe_pass(res, &p);
	if (res->reason[0]) {	/* no probe process */
		res->total_ms = now_ms() - start;
		return res->outcome;
	}
	stuck = p.stuck;
	/* GPUs cut short by another GPU's crash get a process of their own,
	 * as often as a crash ends one: each pass leaves out its crasher. */
	for (;;) {
		struct pass q;
		bool any = false;

		memset(&q, 0, sizeof(q));
		for (g = 0; g < res->gpu_count && g < CUDA_PROBE_MAX_GPUS; g++)
			any |= q.wanted[g] = p.interrupted[g];
		if (!any)
			break;
		memset(&again, 0, sizeof(again));
		again.timeout_s = timeout_s;
		probe_pass(&again, &q);
		if (again.reason[0] || again.gpu_count != res->gpu_count)
			break;
		for (g = 0; g < res->gpu_count && g < CUDA_PROBE_MAX_GPUS; g++)
			if (q.wanted[g])
				res->gpu[g] = again.gpu[g];
		stuck |= q.stuck;
		p = q;
	}
	res->total_ms = now_ms() - start;
	classify(res);
	if (stuck)
		snprintf(res->reason + strlen(res->reason),
			 sizeof(res->reason) - strlen(res->reason),
			 "; the process is stuck in the kernel and did not exit");
	return res->outcome;
}
