/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What NVIDIA's management library (NVML, libnvidia-ml.so.1) says of each
 * GPU that bears on the probe: persistence mode and MIG mode. Facts only
 * (cuda.nvml, cuda.persistence_off, cuda.mig_enabled); the rules in
 * rules_cuda.c judge them. The fully static build loads no library, so
 * there cuda.nvml says why and the other two stay unknown.
 */
#ifndef DOM0GPU_STAT_SRC_NVML_H
#define DOM0GPU_STAT_SRC_NVML_H

#include "report.h"

/*
 * Read before the probe, then shut NVML down again: its own attach to a
 * GPU without persistence mode would keep the GPU initialised and hide
 * from the probe the slow first init it is meant to expose.
 */
void nvml_facts(struct report *r);

#endif /* DOM0GPU_STAT_SRC_NVML_H */
