/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The probe's kernel, as PTX for the driver to compile (JIT): one thread per
 * 32-bit word writes a value the host can recompute. PTX ISA 6.0 (CUDA 9)
 * for sm_50 is read by every driver since CUDA 9, which compiles it for its
 * own, newer GPU, so one text serves every GPU from Maxwell on.
 */
#ifndef DOM0GPU_CUDA_KERNEL_H
#define DOM0GPU_CUDA_KERNEL_H

#include <stdint.h>

#define CUDA_KERNEL_NAME	"dom0gpu_fill"
#define CUDA_KERNEL_WORDS	65536u
#define CUDA_KERNEL_BLOCK	256u

static const char cuda_kernel_ptx[] =
	".version 6.0\n"
	".target sm_50\n"
	".address_size 64\n"
	"\n"
	".visible .entry dom0gpu_fill(\n"
	"\t.param .u64 out,\n"
	"\t.param .u32 words,\n"
	"\t.param .u32 seed)\n"
	"{\n"
	"\t.reg .pred %p;\n"
	"\t.reg .b32 %r<7>;\n"
	"\t.reg .b64 %rd<4>;\n"
	"\n"
	"\tld.param.u64 %rd1, [out];\n"
	"\tld.param.u32 %r1, [words];\n"
	"\tld.param.u32 %r2, [seed];\n"
	"\tmov.u32 %r3, %ctaid.x;\n"
	"\tmov.u32 %r4, %ntid.x;\n"
	"\tmov.u32 %r5, %tid.x;\n"
	"\tmad.lo.u32 %r3, %r3, %r4, %r5;\n"
	"\tsetp.ge.u32 %p, %r3, %r1;\n"
	"\t@%p bra DONE;\n"
	"\tmul.lo.u32 %r6, %r3, -1640531535;\n"
	"\txor.b32 %r6, %r6, %r2;\n"
	"\tcvta.to.global.u64 %rd2, %rd1;\n"
	"\tmul.wide.u32 %rd3, %r3, 4;\n"
	"\tadd.s64 %rd2, %rd2, %rd3;\n"
	"\tst.global.u32 [%rd2], %r6;\n"
	"DONE:\n"
	"\tret;\n"
	"}\n";

/* What the kernel writes at word i: a multiplicative hash, so no two
 * neighbouring words agree and a shifted or partial write shows. */
static inline uint32_t cuda_kernel_expect(uint32_t i, uint32_t seed)
{
	return (i * 2654435761u) ^ seed;
}

#endif /* DOM0GPU_CUDA_KERNEL_H */
