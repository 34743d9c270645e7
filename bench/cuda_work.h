/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The probe's per-GPU steps with nothing around them (no isolation, no
 * deadline, no report): what cuda_min.c times as the probe's baseline and
 * cuda_par.c runs on several GPUs at once.
 */
#ifndef DOM0GPU_BENCH_CUDA_WORK_H
#define DOM0GPU_BENCH_CUDA_WORK_H

#include <stdio.h>

#include "../tools/cuda_api.h"

/* Called at the end of each phase ("context", "memory", "kernel",
 * "teardown") with when it began and ended, in cuda_work_ms()'s clock. */
typedef void (*cuda_work_mark)(const char *phase, int gpu, double began_ms,
			       double ended_ms);

/* In a function with an int gpu that returns int: on failure, prints
 * "gpu N: cuX failed: RC" and returns 1. */
#define CHECK(call, expr)						\
	do {								\
		CUresult rc_ = (expr);					\
		if (rc_ != CUDA_SUCCESS) {				\
			printf("gpu %d: %s failed: %d\n", gpu, call, rc_); \
			return 1;					\
		}							\
	} while (0)

double cuda_work_ms(void);

/* cuDeviceGet(ordinal) and the probe's steps on it; gpu only names it in
 * messages and marks. Returns 0, or prints the first failing call
 * ("gpu N: cuX failed: RC") and returns 1. mark may be NULL. */
int cuda_work(const struct cuda_api *cu, int gpu, int ordinal,
	      cuda_work_mark mark);

#endif
