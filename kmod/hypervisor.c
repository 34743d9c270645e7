// SPDX-License-Identifier: GPL-2.0
/*
 * Which hypervisor the kernel believes it runs on, and what the CPU says:
 * CPUID.1:ECX[31] and the CPUID 0x40000000 leaf. The two can disagree, and
 * neither decides NVIDIA's PAT mode; they are reported as evidence.
 */
#include <linux/ctype.h>
#include <linux/string.h>
#include <asm/processor.h>
#include "model.h"

#define CPUID1_ECX_HYPERVISOR	BIT(31)
#define CPUID_HV_BASE		0x40000000

/* Keep the signature one printable line whatever the CPU returns. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if (!isprint(*s))
			*s = '.';
}

int d0g_hypervisor_init(void)
{
	struct d0g_hypervisor hv = { .x86_hyper_type = d0g_x86_hyper_type() };
	u32 eax, sig[3];

	if (boot_cpu_data.cpuid_level >= 1)
		hv.cpuid_bit = cpuid_ecx(1) & CPUID1_ECX_HYPERVISOR;
	if (hv.cpuid_bit) {
		cpuid(CPUID_HV_BASE, &eax, &sig[0], &sig[1], &sig[2]);
		hv.cpuid_max_leaf = eax;
		memcpy(hv.cpuid_signature, sig, sizeof(sig));
		hv.cpuid_signature[sizeof(sig)] = '\0';
		sanitize(hv.cpuid_signature);
	}

	d0g_model_lock();
	d0g_model.hypervisor = hv;
	d0g_model_unlock();
	return 0;
}

void d0g_hypervisor_uninit(void)
{
	d0g_model_lock();
	d0g_model.hypervisor = (struct d0g_hypervisor){ };
	d0g_model_unlock();
}
