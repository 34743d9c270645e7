// SPDX-License-Identifier: GPL-2.0
/*
 * Test only: a stand-in for NVIDIA's nvidia.ko in its builtin PAT mode,
 * named "nvidia" so that dom0gpu takes it for the driver. The real driver
 * fails its init without a GPU and restores the PAT before it goes (and
 * NVIDIA's 535 does not build for the test kernel: its builtin code calls
 * __flush_tlb(), gone from x86); this one stays loaded with the PAT
 * rewritten, so builtin_pat_test.sh can load dom0gpu after it and before
 * it.
 *
 * It writes what NVIDIA's nv-pat.c writes on a kernel without
 * CONFIG_X86_PAT: nv_enable_builtin_pat_support() saves CPU 0's PAT, then
 * every CPU runs nv_setup_pat_entries(): pat1 &= 0xffff00ff;
 * pat1 |= 0x00000100 (entry 1 becomes WC, the rest stays); at unload
 * nv_disable_builtin_pat_support() writes the saved value back on every
 * CPU. (The driver also disables and flushes the caches around each write;
 * the emulated CPUs of the test VMs have none to flush.)
 */
#include <linux/module.h>
#include <linux/smp.h>
#include <asm/msr.h>

#define PAT_ENTRY1	0xff00ULL
#define PAT_ENTRY1_WC	0x0100ULL

static u64 saved_pat;

static void standin_set_wc(void *unused)
{
	u64 pat;

	rdmsrl(MSR_IA32_CR_PAT, pat);
	wrmsrl(MSR_IA32_CR_PAT, (pat & ~PAT_ENTRY1) | PAT_ENTRY1_WC);
}

static void standin_restore(void *unused)
{
	wrmsrl(MSR_IA32_CR_PAT, saved_pat);
}

static int __init standin_init(void)
{
	/* The builtin mode exists only where the kernel leaves the PAT alone. */
	if (IS_ENABLED(CONFIG_X86_PAT))
		return -ENODEV;
	rdmsrl(MSR_IA32_CR_PAT, saved_pat);
	on_each_cpu(standin_set_wc, NULL, 1);
	return 0;
}

static void __exit standin_exit(void)
{
	on_each_cpu(standin_restore, NULL, 1);
}

module_init(standin_init);
module_exit(standin_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("dom0gpu test stand-in: NVIDIA's builtin PAT rewrite");
