/* SPDX-License-Identifier: GPL-2.0 */
/* The rules that judge the CUDA probe's facts (rows D0G-CUDA-* in rules.c). */
#ifndef DOM0GPU_STAT_RULES_CUDA_H
#define DOM0GPU_STAT_RULES_CUDA_H

#include "rules.h"

void check_cuda_pat_confirmed(struct rule_ctx *c);
void check_cuda_failed(struct rule_ctx *c);
void check_cuda_wrong_data(struct rule_ctx *c);
void check_cuda_hung(struct rule_ctx *c);
void check_cuda_crashed(struct rule_ctx *c);
void check_cuda_not_run_gpu(struct rule_ctx *c);
void check_cuda_not_run(struct rule_ctx *c);
void check_cuda_passed(struct rule_ctx *c);
void check_cuda_contradicts(struct rule_ctx *c);
void check_cuda_env_hides(struct rule_ctx *c);
void check_cuda_not_counted(struct rule_ctx *c);
void check_cuda_env_order(struct rule_ctx *c);
void check_cuda_limits(struct rule_ctx *c);
void check_cuda_device_access(struct rule_ctx *c);
void check_cuda_persistence_slow(struct rule_ctx *c);
void check_cuda_persistence_hung(struct rule_ctx *c);
void check_cuda_mig_info(struct rule_ctx *c);
void check_cuda_mig_failed(struct rule_ctx *c);
void check_cuda_nvml_absent(struct rule_ctx *c);

#endif /* DOM0GPU_STAT_RULES_CUDA_H */
