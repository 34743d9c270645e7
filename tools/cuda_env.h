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
 * Before the probe: the variables and the device files. Not after it: the
 * probe process's exit, where the driver frees its contexts, may still run
 * then, and opening a device file would wait for it.
 */
void cuda_env_before(struct report *r);

/*
 * After the probe: the GPUs it counted against those on the bus, and the
 * process's limits. When the probe did not pass under a finite RLIMIT_AS
 * or a small RLIMIT_NOFILE, probe once more with them raised as far as
 * this process may (to the hard limit; as root, further) and record that
 * outcome: a pass then proves the limit is the cause.
 */
void cuda_env_after(struct report *r, const struct cuda_probe_result *p,
		    double timeout_s);

#endif /* DOM0GPU_STAT_CUDA_ENV_H */
