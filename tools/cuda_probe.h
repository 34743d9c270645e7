/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The CUDA probe: real driver work, step by step, in a child process so
 * that a hang or a crash inside libcuda cannot take dom0gpu-stat with it.
 */
#ifndef DOM0GPU_CUDA_PROBE_H
#define DOM0GPU_CUDA_PROBE_H

#include <stdbool.h>

#define CUDA_PROBE_MAX_GPUS		16
#define CUDA_PROBE_DEFAULT_TIMEOUT_S	30.0

/*
 * The steps in the order they run. The first three run once; the others
 * run for every GPU. After a failure the later steps of the same GPU are
 * not run (a failure before the per-GPU steps stops everything).
 */
enum cuda_probe_step {
	CUDA_STEP_LOAD,		/* dlopen libcuda.so.1, resolve entry points */
	CUDA_STEP_INIT,		/* cuInit(0) */
	CUDA_STEP_DEVICE_COUNT,	/* cuDriverGetVersion, cuDeviceGetCount */
	CUDA_STEP_DEVICE,	/* cuDeviceGet, name, PCI bus id, UUID */
	CUDA_STEP_CONTEXT,	/* cuCtxCreate */
	CUDA_STEP_MEM_ALLOC,	/* cuMemAlloc */
	CUDA_STEP_MEMCPY,	/* host -> device -> host, verified */
	CUDA_STEP_HOST_ALLOC_WC, /* write-combined cuMemHostAlloc, copied through */
	CUDA_STEP_MODULE_LOAD,	/* cuModuleLoadData (PTX JIT), cuModuleGetFunction */
	CUDA_STEP_KERNEL,	/* cuLaunchKernel, synchronize, verify output */
	CUDA_STEP_COUNT
};

#define CUDA_STEP_FIRST_PER_GPU	CUDA_STEP_DEVICE

enum cuda_step_status {
	CUDA_STATUS_NOT_RUN = 0,	/* skipped after an earlier failure */
	CUDA_STATUS_OK,
	CUDA_STATUS_FAILED,	/* a call returned a CUresult other than success */
	CUDA_STATUS_MISMATCH,	/* the calls succeeded, the data came back wrong */
	CUDA_STATUS_HUNG,	/* still running when the timeout struck */
	CUDA_STATUS_CRASHED,	/* the probe process died during this step */
};

struct cuda_step_result {
	enum cuda_step_status status;
	int cu_result;		/* CUresult of the failing (or last) call */
	char cu_name[48];	/* as cuGetErrorName says, "" if unknown */
	char call[32];		/* the driver entry point that failed */
	double ms;		/* wall time of the step */
	char detail[160];	/* mismatch position, dlerror text, ... */
	int signal;		/* CRASHED by a signal: its number, else 0 */
	int exit_status;	/* CRASHED by exiting: its status, else -1 */
};

struct cuda_gpu_result {
	char name[128];
	char pci_bus_id[32];
	char uuid[48];		/* "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
	struct cuda_step_result step[CUDA_STEP_COUNT]; /* per-GPU steps only */
};

enum cuda_probe_outcome {
	CUDA_PROBE_NOT_RUN,	/* no libcuda, no GPU, or no child process */
	CUDA_PROBE_OK,		/* every step passed on every GPU */
	CUDA_PROBE_FAILED,	/* a driver call returned an error */
	CUDA_PROBE_WRONG_DATA,	/* the calls succeeded, the data came back wrong */
	CUDA_PROBE_HUNG,	/* killed at the timeout */
	CUDA_PROBE_CRASHED,	/* died by a signal or exited on its own */
};

struct cuda_probe_result {
	enum cuda_probe_outcome outcome;
	char reason[320];	/* one line saying what happened and where */
	double timeout_s;
	double total_ms;	/* fork to verdict */
	int driver_version;	/* cuDriverGetVersion, e.g. 13000; 0 if unknown */
	int gpu_count;		/* as the driver reports; probed up to the max */
	struct cuda_step_result step[CUDA_STEP_COUNT]; /* global steps only */
	struct cuda_gpu_result gpu[CUDA_PROBE_MAX_GPUS];
	/* The step that decided a non-OK outcome; gpu is -1 for global steps. */
	int fail_gpu;
	enum cuda_probe_step fail_step;
	int fail_cu_result;	/* CUresult when the step failed with one, else 0 */
	int signal;		/* CRASHED by a signal: its number, else 0 */
	int exit_status;	/* CRASHED by exiting: its status, else -1 */
};

/*
 * Run the probe with the given timeout in seconds (> 0). Always fills
 * *res and returns its outcome; never exits or leaves a child behind.
 */
enum cuda_probe_outcome cuda_probe_run(double timeout_s,
				       struct cuda_probe_result *res);

bool cuda_probe_step_per_gpu(enum cuda_probe_step step);
/* Stable lower-case identifiers, used as JSON keys and metric labels. */
const char *cuda_probe_step_id(enum cuda_probe_step step);
const char *cuda_probe_status_id(enum cuda_step_status status);
const char *cuda_probe_outcome_id(enum cuda_probe_outcome outcome);
/* "SIGSEGV", "SIGABRT", ... for the signals a driver library dies of. */
const char *cuda_probe_signal_name(int sig);
/* The step that failed, or NULL when the outcome is OK or NOT_RUN by absence. */
const struct cuda_step_result *
cuda_probe_failed_step(const struct cuda_probe_result *res);

#endif /* DOM0GPU_CUDA_PROBE_H */
