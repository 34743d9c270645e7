/* SPDX-License-Identifier: GPL-2.0 */
/* The rules that judge the CUDA probe's facts (rows D0G-CUDA-* in rules.c). */
#ifndef DOM0GPU_STAT_RULES_CUDA_H
#define DOM0GPU_STAT_RULES_CUDA_H

#include "rule_ctx.h"

void check_cuda_pat_confirmed(const struct rule_ctx *c);
void check_cuda_failed(const struct rule_ctx *c);
void check_cuda_wrong_data(const struct rule_ctx *c);
void check_cuda_hung(const struct rule_ctx *c);
void check_cuda_crashed(const struct rule_ctx *c);
void check_cuda_not_run_gpu(const struct rule_ctx *c);
void check_cuda_not_run(const struct rule_ctx *c);
void check_cuda_passed(const struct rule_ctx *c);
void check_cuda_contradicts(const struct rule_ctx *c);
void check_cuda_env_hides(const struct rule_ctx *c);
void check_cuda_not_counted(const struct rule_ctx *c);
void check_cuda_env_order(const struct rule_ctx *c);
void check_cuda_limits(const struct rule_ctx *c);
void check_cuda_device_access(const struct rule_ctx *c);
void check_cuda_persistence_slow(const struct rule_ctx *c);
void check_cuda_persistence_hung(const struct rule_ctx *c);
void check_cuda_mig_info(const struct rule_ctx *c);
void check_cuda_mig_failed(const struct rule_ctx *c);
void check_cuda_nvml_absent(const struct rule_ctx *c);

#endif /* DOM0GPU_STAT_RULES_CUDA_H */
