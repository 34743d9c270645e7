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
	MSG_DONE,	/* the child finished on its own */
};

/* One record per write(): under PIPE_BUF, so never split or interleaved. */
struct probe_msg {
	int kind;
	int step;
	int gpu;
	int driver_version;
	int gpu_count;
	struct cuda_step_result r;
	char name[128];
	char pci_bus_id[32];
	char uuid[48];
};

/* Fails to compile if a record could be split (PIPE_BUF is 4096 on Linux). */
typedef char probe_msg_fits_pipe_buf[sizeof(struct probe_msg) <= PIPE_BUF ? 1 : -1];

struct child {
	int fd;
	void *lib;
	struct cuda_api api;
	bool api_loaded;
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

static void send_msg(struct child *c, const struct probe_msg *m)
{
	const char *p = (const char *)m;
	size_t left = sizeof(*m);

	while (left) {
		ssize_t n = write(c->fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(125);	/* parent gone: nobody to report to */
		p += n;
		left -= (size_t)n;
	}
}

static void step_begin(struct child *c, enum cuda_probe_step step, int gpu)
{
	struct probe_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = MSG_BEGIN;
	m.step = step;
	m.gpu = gpu;
	send_msg(c, &m);

	memset(&c->end, 0, sizeof(c->end));
	c->end.kind = MSG_END;
	c->end.step = step;
	c->end.gpu = gpu;
	c->end.r.status = CUDA_STATUS_OK;
	c->t0 = now_ms();
}

/* Ends the step; returns whether it passed. */
static bool step_end(struct child *c)
{
	c->end.r.ms = now_ms() - c->t0;
	send_msg(c, &c->end);
	return c->end.r.status == CUDA_STATUS_OK;
}

/* Records a call's CUresult in the running step; false if it failed. */
static bool cu(struct child *c, const char *call, CUresult rc)
{
	struct cuda_step_result *r = &c->end.r;
	const char *name = NULL;

	r->cu_result = rc;
	r->cu_name[0] = '\0';
	if (c->api_loaded && c->api.GetErrorName(rc, &name) == CUDA_SUCCESS &&
	    name)
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

static bool gpu_identify(struct child *c, int ordinal, CUdevice *dev)
{
	struct probe_msg m;
	CUuuid u;
	const unsigned char *b = u.bytes;

	memset(&m, 0, sizeof(m));
	m.kind = MSG_DEVICE;
	m.gpu = ordinal;
	if (!cu(c, "cuDeviceGet", c->api.DeviceGet(dev, ordinal)) ||
	    !cu(c, "cuDeviceGetName",
		c->api.DeviceGetName(m.name, sizeof(m.name) - 1, *dev)) ||
	    !cu(c, "cuDeviceGetPCIBusId",
		c->api.DeviceGetPCIBusId(m.pci_bus_id,
					 sizeof(m.pci_bus_id) - 1, *dev)) ||
	    !cu(c, "cuDeviceGetUuid", c->api.DeviceGetUuid(&u, *dev)))
		return false;
	snprintf(m.uuid, sizeof(m.uuid),
		 "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
	send_msg(c, &m);
	return true;
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
		  c->api.MemcpyHtoD(g->dev, g->src, COPY_BYTES)) &&
	       cu(c, "cuMemcpyDtoH",
		  c->api.MemcpyDtoH(g->dst, g->dev, COPY_BYTES)) &&
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
		c->api.MemHostAlloc(&g->wc, COPY_BYTES,
				    CU_MEMHOSTALLOC_WRITECOMBINED)))
		return false;
	fill_pattern(g->src, COPY_BYTES, seed);
	memcpy(g->wc, g->src, COPY_BYTES);
	memset(g->dst, 0, COPY_BYTES);
	return cu(c, "cuMemcpyHtoD",
		  c->api.MemcpyHtoD(g->dev, g->wc, COPY_BYTES)) &&
	       cu(c, "cuMemcpyDtoH",
		  c->api.MemcpyDtoH(g->dst, g->dev, COPY_BYTES)) &&
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
		c->api.LaunchKernel(g->fn, CUDA_KERNEL_WORDS / CUDA_KERNEL_BLOCK,
				    1, 1, CUDA_KERNEL_BLOCK, 1, 1, 0, NULL,
				    params, NULL)) ||
	    !cu(c, "cuCtxSynchronize", c->api.CtxSynchronize()) ||
	    !cu(c, "cuMemcpyDtoH",
		c->api.MemcpyDtoH(g->dst, g->dev, CUDA_KERNEL_WORDS * 4)))
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

/* Runs the per-GPU steps in order, stopping at the first that fails. */
static void probe_gpu(struct child *c, int ordinal)
{
	struct gpu_res g;
	CUdevice dev;
	uint32_t seed = (uint32_t)getpid() * 2654435761u + (uint32_t)ordinal;
	bool ok;

	memset(&g, 0, sizeof(g));

	step_begin(c, CUDA_STEP_DEVICE, ordinal);
	ok = gpu_identify(c, ordinal, &dev);
	if (!step_end(c) || !ok)
		return;

	step_begin(c, CUDA_STEP_CONTEXT, ordinal);
	cu(c, "cuCtxCreate", c->api.CtxCreate(&g.ctx, 0, dev));
	if (!step_end(c))
		return;

	step_begin(c, CUDA_STEP_MEM_ALLOC, ordinal);
	cu(c, "cuMemAlloc", c->api.MemAlloc(&g.dev, COPY_BYTES));
	if (!step_end(c))
		goto out_ctx;

	step_begin(c, CUDA_STEP_MEMCPY, ordinal);
	gpu_memcpy(c, &g, seed);
	if (!step_end(c))
		goto out_mem;

	step_begin(c, CUDA_STEP_HOST_ALLOC_WC, ordinal);
	gpu_host_wc(c, &g, seed ^ 0x5a5a5a5au);
	if (!step_end(c))
		goto out_mem;

	step_begin(c, CUDA_STEP_MODULE_LOAD, ordinal);
	if (cu(c, "cuModuleLoadData",
	       c->api.ModuleLoadData(&g.mod, cuda_kernel_ptx)))
		cu(c, "cuModuleGetFunction",
		   c->api.ModuleGetFunction(&g.fn, g.mod, CUDA_KERNEL_NAME));
	if (!step_end(c))
		goto out_mem;

	step_begin(c, CUDA_STEP_KERNEL, ordinal);
	gpu_kernel(c, &g, seed);
	step_end(c);

out_mem:
	/* Teardown results change no verdict: the steps above decided. */
	if (g.mod)
		c->api.ModuleUnload(g.mod);
	if (g.wc)
		c->api.MemFreeHost(g.wc);
	c->api.MemFree(g.dev);
out_ctx:
	c->api.CtxDestroy(g.ctx);
	free(g.src);
	free(g.dst);
}

static void child_run(int fd)
{
	struct child c;
	struct probe_msg m;
	const char *missing;
	int count = 0, i;

	memset(&c, 0, sizeof(c));
	c.fd = fd;

	step_begin(&c, CUDA_STEP_LOAD, -1);
	c.lib = dynload_open(CUDA_LIBRARY);
	if (!c.lib) {
		c.end.r.status = CUDA_STATUS_FAILED;
		snprintf(c.end.r.call, sizeof(c.end.r.call), "dlopen");
		snprintf(c.end.r.detail, sizeof(c.end.r.detail), "%s",
			 dynload_error());
	} else if ((missing = cuda_api_load(c.lib, &c.api))) {
		c.end.r.status = CUDA_STATUS_FAILED;
		snprintf(c.end.r.call, sizeof(c.end.r.call), "dlsym");
		snprintf(c.end.r.detail, sizeof(c.end.r.detail),
			 "%s lacks %s", CUDA_LIBRARY, missing);
	} else {
		c.api_loaded = true;
	}
	if (!step_end(&c))
		goto done;

	step_begin(&c, CUDA_STEP_INIT, -1);
	cu(&c, "cuInit", c.api.Init(0));
	if (!step_end(&c))
		goto done;

	step_begin(&c, CUDA_STEP_DEVICE_COUNT, -1);
	memset(&m, 0, sizeof(m));
	m.kind = MSG_COUNT;
	if (cu(&c, "cuDriverGetVersion",
	       c.api.DriverGetVersion(&m.driver_version)) &&
	    cu(&c, "cuDeviceGetCount", c.api.DeviceGetCount(&count))) {
		m.gpu_count = count;
		send_msg(&c, &m);
	}
	if (!step_end(&c))
		goto done;

	for (i = 0; i < count && i < CUDA_PROBE_MAX_GPUS; i++)
		probe_gpu(&c, i);
done:
	memset(&m, 0, sizeof(m));
	m.kind = MSG_DONE;
	send_msg(&c, &m);
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

/* The first step that did not pass decides the outcome. */
static void classify_finished(struct cuda_probe_result *res)
{
	const struct cuda_step_result *r = NULL;
	char at[96];
	int s, g;

	for (s = 0; s < CUDA_STEP_FIRST_PER_GPU && !r; s++) {
		if (res->step[s].status != CUDA_STATUS_OK) {
			r = &res->step[s];
			res->fail_step = (enum cuda_probe_step)s;
			res->fail_gpu = -1;
		}
	}
	for (g = 0; g < res->gpu_count && g < CUDA_PROBE_MAX_GPUS && !r; g++) {
		for (s = CUDA_STEP_FIRST_PER_GPU; s < CUDA_STEP_COUNT && !r;
		     s++) {
			if (res->gpu[g].step[s].status != CUDA_STATUS_OK) {
				r = &res->gpu[g].step[s];
				res->fail_step = (enum cuda_probe_step)s;
				res->fail_gpu = g;
			}
		}
	}

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
	if (res->fail_step == CUDA_STEP_LOAD) {
		res->outcome = CUDA_PROBE_NOT_RUN;
		snprintf(res->reason, sizeof(res->reason), "%s: %s",
			 !strcmp(r->call, "dlopen") ? "no CUDA driver library" :
			 "unusable CUDA driver library",
			 r->detail);
		return;
	}
	if (res->fail_step == CUDA_STEP_INIT &&
	    r->cu_result == CUDA_ERROR_NO_DEVICE) {
		res->outcome = CUDA_PROBE_NOT_RUN;
		snprintf(res->reason, sizeof(res->reason),
			 "no CUDA GPU: cuInit returned %s (%d)",
			 r->cu_name[0] ? r->cu_name : "CUresult", r->cu_result);
		return;
	}

	res->outcome = r->status == CUDA_STATUS_MISMATCH ? CUDA_PROBE_WRONG_DATA :
							   CUDA_PROBE_FAILED;
	where(res, at, sizeof(at));
	if (r->status == CUDA_STATUS_MISMATCH)
		snprintf(res->reason, sizeof(res->reason),
			 "%s: data came back wrong: %s", at, r->detail);
	else if (r->call[0] && r->cu_result)
		snprintf(res->reason, sizeof(res->reason),
			 "%s: %s returned %s (%d)", at, r->call,
			 r->cu_name[0] ? r->cu_name : "CUresult", r->cu_result);
	else
		snprintf(res->reason, sizeof(res->reason), "%s: %s", at,
			 r->detail);
}

/* The child died or was killed inside (or between) steps. */
static void classify_died(struct cuda_probe_result *res, int cur_step,
			  int cur_gpu, bool in_step, bool hung, int wstatus)
{
	struct cuda_step_result *r = slot(res, cur_step, cur_gpu);
	char at[96], how[96];

	res->fail_step = (enum cuda_probe_step)cur_step;
	res->fail_gpu = cur_gpu;
	where(res, at, sizeof(at));
	if (!in_step)
		snprintf(at + strlen(at), sizeof(at) - strlen(at),
			 " (after it ended)");

	if (hung) {
		res->outcome = CUDA_PROBE_HUNG;
		snprintf(how, sizeof(how), "no answer after %g s; killed",
			 res->timeout_s);
	} else if (WIFSIGNALED(wstatus)) {
		res->outcome = CUDA_PROBE_CRASHED;
		res->signal = WTERMSIG(wstatus);
		snprintf(how, sizeof(how), "probe process killed by %s (%d)",
			 cuda_probe_signal_name(res->signal), res->signal);
	} else {
		res->outcome = CUDA_PROBE_CRASHED;
		res->exit_status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
							-1;
		snprintf(how, sizeof(how),
			 "probe process exited with status %d before finishing",
			 res->exit_status);
	}
	snprintf(res->reason, sizeof(res->reason), "%s: %s", at, how);
	if (r && in_step) {
		r->status = hung ? CUDA_STATUS_HUNG : CUDA_STATUS_CRASHED;
		snprintf(r->detail, sizeof(r->detail), "%s", how);
	}
}

static void apply_msg(struct cuda_probe_result *res, const struct probe_msg *m)
{
	struct cuda_step_result *r;
	struct cuda_gpu_result *g;

	switch (m->kind) {
	case MSG_END:
		r = slot(res, m->step, m->gpu);
		if (r)
			*r = m->r;
		break;
	case MSG_COUNT:
		res->driver_version = m->driver_version;
		res->gpu_count = m->gpu_count;
		break;
	case MSG_DEVICE:
		if (m->gpu < 0 || m->gpu >= CUDA_PROBE_MAX_GPUS)
			break;
		g = &res->gpu[m->gpu];
		memcpy(g->name, m->name, sizeof(g->name));
		memcpy(g->pci_bus_id, m->pci_bus_id, sizeof(g->pci_bus_id));
		memcpy(g->uuid, m->uuid, sizeof(g->uuid));
		g->name[sizeof(g->name) - 1] = '\0';
		g->pci_bus_id[sizeof(g->pci_bus_id) - 1] = '\0';
		g->uuid[sizeof(g->uuid) - 1] = '\0';
		break;
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

static void child_exec(int fds[2], pid_t parent)
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
	child_run(fds[1]);
	_exit(0);
}

enum cuda_probe_outcome cuda_probe_run(double timeout_s,
				       struct cuda_probe_result *res)
{
	struct probe_msg m;
	size_t have = 0;
	double start = now_ms(), deadline;
	int fds[2], wstatus = 0, cur_step = CUDA_STEP_LOAD, cur_gpu = -1;
	bool in_step = false, done = false, hung = false, stuck = false;
	pid_t pid, self;

	memset(res, 0, sizeof(*res));
	res->timeout_s = timeout_s;
	res->fail_gpu = -1;
	res->exit_status = -1;
	deadline = start + timeout_s * 1e3;

	if (pipe(fds) < 0) {
		not_started(res, "pipe");
		return res->outcome;
	}
	fflush(NULL);
	self = getpid();
	pid = fork();
	if (pid < 0) {
		not_started(res, "fork");
		close(fds[0]);
		close(fds[1]);
		return res->outcome;
	}
	if (pid == 0)
		child_exec(fds, self);

	setpgid(pid, pid);
	close(fds[1]);
	for (;;) {
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
		if (m.kind == MSG_BEGIN) {
			cur_step = m.step;
			cur_gpu = m.gpu;
			in_step = true;
		} else if (m.kind == MSG_END) {
			in_step = false;
		} else if (m.kind == MSG_DONE) {
			done = true;
		}
		apply_msg(res, &m);
		if (done)
			break;	/* a descendant may hold the pipe open */
	}
	close(fds[0]);

	if (!hung && !reap(pid, &wstatus, deadline))
		hung = true;	/* finished, but its exit never completed */
	if (hung) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		/* SIGKILL waits for a task blocked in the kernel (a driver
		 * ioctl that never returns): wait a little, then leave it. */
		stuck = !reap(pid, &wstatus, now_ms() + KILL_GRACE_MS);
	}
	/* Whatever the driver library left in the probe's process group. The
	 * group keeps its id reserved while any member lives, so this cannot
	 * reach anyone else's processes. */
	kill(-pid, SIGKILL);
	res->total_ms = now_ms() - start;

	if (done && !hung && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		classify_finished(res);
	else
		classify_died(res, cur_step, cur_gpu, in_step, hung, wstatus);
	if (stuck)
		snprintf(res->reason + strlen(res->reason),
			 sizeof(res->reason) - strlen(res->reason),
			 "; the process is stuck in the kernel and did not exit");
	return res->outcome;
}
