// SPDX-License-Identifier: GPL-2.0
/*
 * nvpat_predict() against the NVIDIA driver's nv_init_pat_support() and
 * nv_determine_pat_mode() (open-gpu-kernel-modules, kernel-open/nvidia/
 * nv-pat.c): one variant per branch of those functions, plus the corner
 * cases of its scan (interleaved 0,4,1,5,2,6,3,7 order; whole-byte compare).
 */
#include <string.h>

/* The harness's own callbacks ignore some of their parameters. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "nvpat.c"

#define LINUX_PAT	0x0407050600070106ULL	/* WB WC UC- UC WB WP UC- WT */
#define XEN_PV_PAT	0x0000050100070406ULL	/* WB WT UC- UC WC WP UC UC */
#define POWER_ON_PAT	0x0007040600070406ULL	/* WB WT UC- UC WB WT UC- UC */
#define EDX_PAT		(1U << 16)

#define NO_PAT_CPU	"NVRM: CPU does not support the PAT."
#define UNSUPPORTED	"NVRM: PAT configuration unsupported."
#define PARAM_OFF	"NVRM: builtin PAT support disabled."

#define DEF		NVPAT_USE_PAT_DEFAULT

#define IN(_pat, _feat, _intel, _level, _edx, _family, _model, _kpat, _param) \
	{ .pat = _pat, .x86_feature_pat = _feat, .vendor_intel = _intel,     \
	  .cpuid_level = _level, .cpuid1_edx = _edx, .family = _family,      \
	  .model = _model, .kernel_has_pat = _kpat, .use_pat_param = _param }

/* A CPU that has the PAT feature, a kernel with CONFIG_X86_PAT. */
#define GOOD(pat)	IN(pat, true, true, 13, EDX_PAT, 6, 85, true, DEF)
/* An Intel CPU whose kernel hid X86_FEATURE_PAT (early family 6 errata). */
#define ERRATA(pat)	IN(pat, false, true, 2, EDX_PAT, 6, 14, true, DEF)

FIXTURE(prediction) {
	struct nvpat_result out;
};

FIXTURE_VARIANT(prediction) {
	struct nvpat_input in;
	enum nvpat_mode mode;
	int wc_index;
	const char *message;
};

FIXTURE_SETUP(prediction)
{
	memset(&self->out, 0xa5, sizeof(self->out));
}

FIXTURE_TEARDOWN(prediction)
{
}

/* nv_init_pat_support(): NVreg_UsePageAttributeTable */

FIXTURE_VARIANT_ADD(prediction, param_zero_disables) {
	.in = IN(LINUX_PAT, true, true, 13, EDX_PAT, 6, 85, true, 0),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 1, .message = PARAM_OFF,
};

FIXTURE_VARIANT_ADD(prediction, param_one_is_not_a_veto) {
	.in = IN(LINUX_PAT, true, true, 13, EDX_PAT, 6, 85, true, 1),
	.mode = NVPAT_MODE_KERNEL, .wc_index = 1, .message = "",
};

FIXTURE_VARIANT_ADD(prediction, param_zero_wins_over_bad_layout) {
	.in = IN(XEN_PV_PAT, true, true, 13, EDX_PAT, 6, 85, true, 0),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 4, .message = PARAM_OFF,
};

/* nv_determine_pat_mode(): the CPU check */

FIXTURE_VARIANT_ADD(prediction, feature_set_any_vendor) {
	.in = IN(LINUX_PAT, true, false, 16, 0, 25, 1, true, DEF),
	.mode = NVPAT_MODE_KERNEL, .wc_index = 1, .message = "",
};

FIXTURE_VARIANT_ADD(prediction, no_feature_not_intel) {
	.in = IN(LINUX_PAT, false, false, 2, EDX_PAT, 6, 14, true, DEF),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 1, .message = NO_PAT_CPU,
};

FIXTURE_VARIANT_ADD(prediction, no_feature_cpuid_level_0) {
	.in = IN(LINUX_PAT, false, true, 0, EDX_PAT, 6, 14, true, DEF),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 1, .message = NO_PAT_CPU,
};

FIXTURE_VARIANT_ADD(prediction, no_feature_no_cpuid) {
	.in = IN(LINUX_PAT, false, true, -1, EDX_PAT, 6, 14, true, DEF),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 1, .message = NO_PAT_CPU,
};

FIXTURE_VARIANT_ADD(prediction, no_feature_cpuid_without_pat) {
	.in = IN(LINUX_PAT, false, true, 2, ~EDX_PAT, 6, 14, true, DEF),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 1, .message = NO_PAT_CPU,
};

FIXTURE_VARIANT_ADD(prediction, no_feature_family_not_6) {
	.in = IN(LINUX_PAT, false, true, 2, EDX_PAT, 15, 2, true, DEF),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 1, .message = NO_PAT_CPU,
};

FIXTURE_VARIANT_ADD(prediction, no_feature_model_15) {
	.in = IN(LINUX_PAT, false, true, 2, EDX_PAT, 6, 15, true, DEF),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 1, .message = NO_PAT_CPU,
};

FIXTURE_VARIANT_ADD(prediction, no_feature_errata_cpu_trusted) {
	.in = ERRATA(LINUX_PAT),
	.mode = NVPAT_MODE_KERNEL, .wc_index = 1, .message = "",
};

FIXTURE_VARIANT_ADD(prediction, no_feature_errata_cpu_xen_layout) {
	.in = ERRATA(XEN_PV_PAT),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 4, .message = UNSUPPORTED,
};

/* nv_determine_pat_mode(): the WC scan and its verdict */

FIXTURE_VARIANT_ADD(prediction, linux_layout_kernel_mode) {
	.in = GOOD(LINUX_PAT),
	.mode = NVPAT_MODE_KERNEL, .wc_index = 1, .message = "",
};

FIXTURE_VARIANT_ADD(prediction, xen_pv_layout_unsupported) {
	.in = GOOD(XEN_PV_PAT),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 4, .message = UNSUPPORTED,
};

FIXTURE_VARIANT_ADD(prediction, xen_pv_layout_kernel_without_pat) {
	.in = IN(XEN_PV_PAT, true, true, 13, EDX_PAT, 6, 85, false, DEF),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 4, .message = UNSUPPORTED,
};

FIXTURE_VARIANT_ADD(prediction, wc_at_0) {
	.in = GOOD(0x0007040600070401ULL),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 0, .message = UNSUPPORTED,
};

/* Scan order 0,4,1: a WC at 4 is found before the one at 1. */
FIXTURE_VARIANT_ADD(prediction, wc_at_1_and_4_found_at_4) {
	.in = GOOD(0x0007040100070106ULL),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 4, .message = UNSUPPORTED,
};

/* ...but index 0 comes before 4. */
FIXTURE_VARIANT_ADD(prediction, wc_at_0_and_4_found_at_0) {
	.in = GOOD(0x0007040100070401ULL),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 0, .message = UNSUPPORTED,
};

/* 0,4,1,5,2: 5 before 2. */
FIXTURE_VARIANT_ADD(prediction, wc_at_2_and_5_found_at_5) {
	.in = GOOD(0x0007010600010406ULL),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 5, .message = UNSUPPORTED,
};

FIXTURE_VARIANT_ADD(prediction, wc_at_2) {
	.in = GOOD(0x0007040600010406ULL),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 2, .message = UNSUPPORTED,
};

FIXTURE_VARIANT_ADD(prediction, wc_at_6) {
	.in = GOOD(0x0001040600070406ULL),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 6, .message = UNSUPPORTED,
};

/* ...,3,7: 3 before 7. */
FIXTURE_VARIANT_ADD(prediction, wc_at_3_and_7_found_at_3) {
	.in = GOOD(0x0100040601070406ULL),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 3, .message = UNSUPPORTED,
};

FIXTURE_VARIANT_ADD(prediction, wc_at_7) {
	.in = GOOD(0x0100040600070406ULL),
	.mode = NVPAT_MODE_DISABLED, .wc_index = 7, .message = UNSUPPORTED,
};

/* No WC entry: builtin only where the kernel lacks CONFIG_X86_PAT. */
FIXTURE_VARIANT_ADD(prediction, no_wc_kernel_pat_disabled_silently) {
	.in = GOOD(POWER_ON_PAT),
	.mode = NVPAT_MODE_DISABLED, .wc_index = -1, .message = "",
};

FIXTURE_VARIANT_ADD(prediction, no_wc_no_kernel_pat_builtin) {
	.in = IN(POWER_ON_PAT, true, true, 13, EDX_PAT, 6, 85, false, DEF),
	.mode = NVPAT_MODE_BUILTIN, .wc_index = -1, .message = "",
};

/* The whole byte is compared: reserved bits make an entry not WC. */
FIXTURE_VARIANT_ADD(prediction, reserved_bits_not_wc) {
	.in = IN(0x0007040600074106ULL, true, true, 13, EDX_PAT, 6, 85,
		  false, DEF),
	.mode = NVPAT_MODE_BUILTIN, .wc_index = -1, .message = "",
};

FIXTURE_VARIANT_ADD(prediction, all_zero_msr) {
	.in = GOOD(0),
	.mode = NVPAT_MODE_DISABLED, .wc_index = -1, .message = "",
};

/* The rules read a code, not the text: one code per line the driver prints. */
static enum nvpat_reason reason_of(const char *message)
{
	if (!strcmp(message, PARAM_OFF))
		return NVPAT_REASON_PARAM_OFF;
	if (!strcmp(message, NO_PAT_CPU))
		return NVPAT_REASON_NO_PAT;
	if (!strcmp(message, UNSUPPORTED))
		return NVPAT_REASON_UNSUPPORTED;
	return NVPAT_REASON_NONE;
}

TEST_F(prediction, matches_driver)
{
	nvpat_predict(&variant->in, &self->out);
	EXPECT_EQ(variant->mode, self->out.mode);
	EXPECT_EQ(variant->wc_index, self->out.wc_index);
	ASSERT_NE(NULL, self->out.message);
	EXPECT_STREQ(variant->message, self->out.message);
	EXPECT_EQ(reason_of(variant->message), self->out.reason);
}

/*
 * After the builtin mode (nv_enable_builtin_pat_support() ->
 * nv_setup_pat_entries(): pat1 &= 0xffff00ff; pat1 |= 0x00000100) the PAT
 * holds WC at index 1; what the driver decided at its load comes from the
 * PAT before that, on a kernel without CONFIG_X86_PAT.
 */
#define BUILTIN_REWRITE(pat)	(((pat) & ~0xff00ULL) | 0x0100ULL)

TEST(builtin_rewrite_undone)
{
	struct nvpat_input in = IN(0, true, true, 13, EDX_PAT, 6, 85, false, DEF);
	struct nvpat_result out;

	in.pat = BUILTIN_REWRITE(POWER_ON_PAT);
	ASSERT_EQ(0x0007040600070106ULL, in.pat);
	/* The rewritten PAT alone reads as "kernel": the bug this undoes. */
	nvpat_predict(&in, &out);
	EXPECT_STREQ("kernel", nvpat_mode_name(out.mode));
	in.pat = nvpat_before_builtin(in.pat, false);
	EXPECT_EQ(POWER_ON_PAT, in.pat);
	nvpat_predict(&in, &out);
	EXPECT_STREQ("builtin", nvpat_mode_name(out.mode));
	EXPECT_EQ(-1, out.wc_index);
}

TEST(builtin_not_undone_when_boot_pat_had_wc)
{
	/* WC at boot: no rewrite took place, the PAT now is the one it saw. */
	EXPECT_EQ(LINUX_PAT, nvpat_before_builtin(LINUX_PAT, true));
	EXPECT_EQ(XEN_PV_PAT, nvpat_before_builtin(XEN_PV_PAT, true));
	/* No WC at index 1 now: nothing was rewritten either. */
	EXPECT_EQ(POWER_ON_PAT, nvpat_before_builtin(POWER_ON_PAT, false));
}

TEST(mode_names)
{
	EXPECT_STREQ("kernel", nvpat_mode_name(NVPAT_MODE_KERNEL));
	EXPECT_STREQ("builtin", nvpat_mode_name(NVPAT_MODE_BUILTIN));
	EXPECT_STREQ("disabled", nvpat_mode_name(NVPAT_MODE_DISABLED));
}

TEST_HARNESS_MAIN
