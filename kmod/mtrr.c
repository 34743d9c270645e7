// SPDX-License-Identifier: GPL-2.0
/*
 * MTRRs, read from the MSRs of one CPU (the architecture requires every CPU
 * to hold the same values). The kernel's own copy, mtrr_state, is private
 * and no longer exported, so the registers are read directly. Under Xen PV
 * the reads fault: the MTRRs are then "unreadable", a state, not an error.
 */
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/slab.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include "model.h"

/* MSR numbers and fields (Intel SDM vol. 3, 11.11); asm/mtrr.h lacks
 * most of them before 6.5.
 */
#define MTRR_MSR_CAP		0x0fe
#define MTRR_MSR_DEF_TYPE	0x2ff
#define MTRR_MSR_PHYS_BASE(n)	(0x200 + 2 * (n))
#define MTRR_MSR_PHYS_MASK(n)	(0x201 + 2 * (n))

static const u32 mtrr_fixed_msrs[D0G_MTRR_FIXED_MSRS] = {
	0x250,					/* 64K_00000 */
	0x258, 0x259,				/* 16K_80000, 16K_A0000 */
	0x268, 0x269, 0x26a, 0x26b,		/* 4K_C0000 .. 4K_D8000 */
	0x26c, 0x26d, 0x26e, 0x26f,		/* 4K_E0000 .. 4K_F8000 */
};

static int mtrr_read_all(unsigned int cpu, struct d0g_mtrr *m)
{
	unsigned int i;
	int err;

	err = rdmsrq_safe_on_cpu(cpu, MTRR_MSR_CAP, &m->cap);
	if (!err)
		err = rdmsrq_safe_on_cpu(cpu, MTRR_MSR_DEF_TYPE, &m->def_type);
	if (err)
		return err;

	m->nr_var = m->cap & D0G_MTRR_CAP_VCNT;
	m->var = kcalloc(m->nr_var, sizeof(*m->var), GFP_KERNEL);
	if (m->nr_var && !m->var)
		return -ENOMEM;
	for (i = 0; i < m->nr_var; i++) {
		err = rdmsrq_safe_on_cpu(cpu, MTRR_MSR_PHYS_BASE(i),
					 &m->var[i].base);
		if (!err)
			err = rdmsrq_safe_on_cpu(cpu, MTRR_MSR_PHYS_MASK(i),
						 &m->var[i].mask);
		if (err)
			return err;
	}

	if (!(m->cap & D0G_MTRR_CAP_FIX))
		return 0;
	for (i = 0; i < D0G_MTRR_FIXED_MSRS; i++) {
		err = rdmsrq_safe_on_cpu(cpu, mtrr_fixed_msrs[i], &m->fixed[i]);
		if (err)
			return err;
	}
	m->fixed_read = true;
	return 0;
}

int d0g_mtrr_init(void)
{
	struct d0g_mtrr m = { .feature = boot_cpu_has(X86_FEATURE_MTRR) };
	int err;

	cpus_read_lock();
	err = mtrr_read_all(cpumask_first(cpu_online_mask), &m);
	cpus_read_unlock();
	if (err == -ENOMEM) {
		kfree(m.var);
		return err;
	}
	if (err) {
		/* Keep what describes the failure, drop partial reads. */
		kfree(m.var);
		m = (struct d0g_mtrr){ .feature = m.feature, .err = err };
	} else {
		m.readable = true;
	}

	d0g_model_lock();
	d0g_model.mtrr = m;
	d0g_model_unlock();
	return 0;
}

void d0g_mtrr_uninit(void)
{
	d0g_model_lock();
	kfree(d0g_model.mtrr.var);
	d0g_model.mtrr = (struct d0g_mtrr){ };
	d0g_model_unlock();
}
