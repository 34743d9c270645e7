// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A re-statement of the NVIDIA driver's PAT decision (see uapi/dom0gpu_nvpat.h). It is
 * pure: the module feeds it what it reads from the CPU, dom0gpu-stat feeds
 * it what it reads from /proc, sysfs or a saved report.
 */
#include <dom0gpu_names.h>
#include <dom0gpu_nvpat.h>

#define NVPAT_TYPE_WC		0x01
#define NVPAT_TYPE_WT		0x04
#define CPUID1_EDX_PAT		0x00010000U	/* bit 16 */

static const char msg_no_pat[] = "NVRM: CPU does not support the PAT.";
static const char msg_unsupported[] = "NVRM: PAT configuration unsupported.";
static const char msg_param_off[] = "NVRM: builtin PAT support disabled.";

static u8 pat_entry(u64 pat, unsigned int index)
{
	return (pat >> (index * 8)) & 0xff;
}

/*
 * The driver splits the MSR into its low and high 32-bit halves and scans
 * them in lock step: 0, 4, 1, 5, 2, 6, 3, 7. A layout with WC at both 1 and 4
 * is therefore found at 4 and rejected. It compares the whole byte, so an
 * entry with reserved bits set is not WC to it.
 */
int nvpat_wc_scan(u64 pat)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (pat_entry(pat, i) == NVPAT_TYPE_WC)
			return i;
		if (pat_entry(pat, i + 4) == NVPAT_TYPE_WC)
			return i + 4;
	}
	return -1;
}

u64 nvpat_before_builtin(u64 pat_now, bool boot_pat_had_wc)
{
	u64 entry1 = (u64)0xff << 8;

	if (boot_pat_had_wc || pat_entry(pat_now, 1) != NVPAT_TYPE_WC)
		return pat_now;
	return (pat_now & ~entry1) | ((u64)NVPAT_TYPE_WT << 8);
}

/*
 * Without X86_FEATURE_PAT the driver still trusts early Intel family 6 parts
 * whose CPUID advertises PAT (errata made kernels hide it there).
 */
static bool driver_trusts_cpu(const struct nvpat_input *in)
{
	if (in->x86_feature_pat)
		return true;
	return in->vendor_intel && in->cpuid_level >= 1 &&
	       (in->cpuid1_edx & CPUID1_EDX_PAT) && in->family == 6 &&
	       in->model < 15;
}

void nvpat_predict(const struct nvpat_input *in, struct nvpat_result *out)
{
	out->wc_index = nvpat_wc_scan(in->pat);
	out->message = "";
	out->reason = NVPAT_REASON_NONE;

	/* nv_init_pat_support(): only an explicit 0 turns the PAT off. */
	if (in->use_pat_param == 0) {
		out->mode = NVPAT_MODE_DISABLED;
		out->message = msg_param_off;
		out->reason = NVPAT_REASON_PARAM_OFF;
		return;
	}
	if (!driver_trusts_cpu(in)) {
		out->mode = NVPAT_MODE_DISABLED;
		out->message = msg_no_pat;
		out->reason = NVPAT_REASON_NO_PAT;
		return;
	}
	if (out->wc_index == 1) {
		out->mode = NVPAT_MODE_KERNEL;
	} else if (out->wc_index >= 0) {
		out->mode = NVPAT_MODE_DISABLED;
		out->message = msg_unsupported;
		out->reason = NVPAT_REASON_UNSUPPORTED;
	} else {
		/* The builtin rewrite exists only for kernels without PAT. */
		out->mode = in->kernel_has_pat ? NVPAT_MODE_DISABLED :
						 NVPAT_MODE_BUILTIN;
	}
}

const char *nvpat_mode_name(enum nvpat_mode mode)
{
	return dom0gpu_pat_mode_name(mode);
}
