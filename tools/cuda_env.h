/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What of the probe's result belongs to its own process rather than to the
 * platform: CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER against the NVIDIA
 * GPUs on the PCI bus, resource limits, access to the NVIDIA device files.
 * Facts only (cuda.*); the rules in rules_cuda.c name the cause.
 */
#ifndef DOM0GPU_STAT_CUDA_ENV_H
#define DOM0GPU_STAT_CUDA_ENV_H

#include "cuda_probe.h"
#include "report.h"

/*
 * Record this process's CUDA environment beside the probe's result p. When
 * the probe did not pass under a finite RLIMIT_AS, RLIMIT_MEMLOCK or
 * RLIMIT_NOFILE, probe once more with them raised as far as this process
 * may (to the hard limit; as root, further) and record that outcome: a
 * pass then proves the limit is the cause.
 */
void cuda_env_facts(struct report *r, const struct cuda_probe_result *p,
		    double timeout_s);

#endif /* DOM0GPU_STAT_CUDA_ENV_H */
