/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Prediction of the NVIDIA driver's PAT decision, nv_determine_pat_mode() and
 * nv_init_pat_support() in open-gpu-kernel-modules kernel-open/nvidia/nv-pat.c.
 *
 * A header made for both the kernel module and dom0gpu-stat (kmod/nvpat.c
 * is built into each), so that both reach the same answer from the same
 * inputs: no kernel or libc headers here.
 */
#ifndef _DOM0GPU_NVPAT_H
#define _DOM0GPU_NVPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
#endif

/* NVreg_UsePageAttributeTable's default: "let the driver decide". */
#define NVPAT_USE_PAT_DEFAULT 0xffffffffU

enum nvpat_mode {
	NVPAT_MODE_KERNEL = 1,	/* WC at PAT index 1: use the kernel's layout */
	NVPAT_MODE_BUILTIN,	/* no WC entry, kernel without PAT: driver rewrites it */
	NVPAT_MODE_DISABLED,	/* no write-combined mappings: CUDA fails */
};

/*
 * What the driver looks at. Every field is something the CPU or the kernel
 * really reports; nothing is guessed from the hypervisor.
 */
struct nvpat_input {
	u64 pat;		/* IA32_PAT as read on the CPU that loads nvidia */
	bool x86_feature_pat;	/* boot_cpu_has(X86_FEATURE_PAT) */
	bool vendor_intel;	/* boot_cpu_data.x86_vendor == X86_VENDOR_INTEL */
	int cpuid_level;	/* boot_cpu_data.cpuid_level, -1 without CPUID */
	u32 cpuid1_edx;		/* CPUID.1:EDX, bit 16 is PAT */
	u32 family;		/* boot_cpu_data.x86 */
	u32 model;		/* boot_cpu_data.x86_model */
	bool kernel_has_pat;	/* CONFIG_X86_PAT in the kernel nvidia is built for */
	u32 use_pat_param;	/* NVreg_UsePageAttributeTable, NVPAT_USE_PAT_DEFAULT if unset */
};

/* Why the driver decided as it did: one code per message it prints. */
enum nvpat_reason {
	NVPAT_REASON_NONE,		/* silent: kernel or builtin mode */
	NVPAT_REASON_PARAM_OFF,		/* "builtin PAT support disabled." */
	NVPAT_REASON_NO_PAT,		/* "CPU does not support the PAT." */
	NVPAT_REASON_UNSUPPORTED,	/* "PAT configuration unsupported." */
};

struct nvpat_result {
	enum nvpat_mode mode;
	/*
	 * The PAT index holding WC that the driver's scan finds first, or -1.
	 * Its order is 0, 4, 1, 5, 2, 6, 3, 7, so this is not always the
	 * lowest index holding WC.
	 */
	int wc_index;
	/* The NVRM line the driver prints, without newline; "" when silent. */
	const char *message;
	enum nvpat_reason reason;
};

void nvpat_predict(const struct nvpat_input *in, struct nvpat_result *out);
/* The driver's WC scan alone: the index it finds, or -1. */
int nvpat_wc_scan(u64 pat);
/*
 * The PAT before the driver's builtin mode rewrote it, given the PAT now
 * and whether the PAT at boot held WC anywhere. The rewrite
 * (nv_setup_pat_entries()) only ever puts WC into entry 1 of a PAT without
 * WC, over the power-on WT that NVIDIA's documentation of
 * UsePageAttributeTable names; a PAT that held WC at boot was not rewritten.
 */
u64 nvpat_before_builtin(u64 pat_now, bool boot_pat_had_wc);
const char *nvpat_mode_name(enum nvpat_mode mode);

#endif /* _DOM0GPU_NVPAT_H */
