// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot model: one instance, one mutex, one generation counter and
 * one notifier chain. Every derived fact (the PAT facts from the per-CPU
 * reads that pat.c stores, MTRR range sizes, the NVIDIA prediction) is
 * computed here, so the views and the sources never compute one.
 */
#include <linux/mutex.h>
#include <linux/slab.h>
#include <asm/processor.h>
#include "model.h"

struct d0g_model d0g_model = {
	.gpus = LIST_HEAD_INIT(d0g_model.gpus),
};

BLOCKING_NOTIFIER_HEAD(d0g_model_notifier);

static DEFINE_MUTEX(d0g_model_mutex);

void d0g_model_lock(void)
{
	mutex_lock(&d0g_model_mutex);
}

void d0g_model_unlock(void)
{
	mutex_unlock(&d0g_model_mutex);
}

void d0g_model_changed(const struct d0g_event *ev)
{
	d0g_model_derive();
	d0g_model.generation++;
	blocking_notifier_call_chain(&d0g_model_notifier, ev->kind, (void *)ev);
}

/* The boot CPU is CPU 0 on x86; it may not be offlined on most systems. */
static const struct d0g_cpu_pat *boot_slot(void)
{
	if (!d0g_model.pat.cpus || !d0g_model.pat.nr_slots)
		return NULL;
	return &d0g_model.pat.cpus[0];
}

u64 d0g_pat_boot_msr(void)
{
	const struct d0g_cpu_pat *slot = boot_slot();

	return slot && slot->online && !slot->err ? slot->msr : 0;
}

int d0g_pat_boot_err(void)
{
	const struct d0g_cpu_pat *slot = boot_slot();

	if (!slot || !slot->online)
		return -ENODATA;
	return slot->err;
}

int d0g_pat_wc_index(u64 pat)
{
	unsigned int i;

	for (i = 0; i < D0G_PAT_ENTRIES; i++)
		if (((pat >> (i * 8)) & 0xff) == D0G_PAT_TYPE_WC)
			return i;
	return -1;
}

bool d0g_pat_consistent(void)
{
	const struct d0g_cpu_pat *first = NULL;
	unsigned int cpu;

	for (cpu = 0; cpu < d0g_model.pat.nr_slots; cpu++) {
		const struct d0g_cpu_pat *slot = &d0g_model.pat.cpus[cpu];

		if (!slot->online)
			continue;
		/* A CPU whose PAT could not be read cannot be shown to agree. */
		if (slot->err)
			return false;
		if (!first)
			first = slot;
		else if (slot->msr != first->msr)
			return false;
	}
	return first;
}

unsigned int d0g_pat_cpus_read(void)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < d0g_model.pat.nr_slots; cpu++)
		if (d0g_model.pat.cpus[cpu].online && !d0g_model.pat.cpus[cpu].err)
			n++;
	return n;
}

unsigned int d0g_pat_cpus_failed(void)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < d0g_model.pat.nr_slots; cpu++)
		if (d0g_model.pat.cpus[cpu].online && d0g_model.pat.cpus[cpu].err)
			n++;
	return n;
}

u64 d0g_mtrr_var_size(const struct d0g_mtrr_var *var)
{
	u64 phys = GENMASK_ULL(boot_cpu_data.x86_phys_bits - 1, 0);

	/* The mask's set bits select the range: its size is the lowest one. */
	return ((~(var->mask & D0G_MTRR_ADDR_MASK)) & phys) + 1;
}

struct d0g_gpu *d0g_gpu_find(u32 domain, u8 bus, u8 devfn)
{
	struct d0g_gpu *g;

	list_for_each_entry(g, &d0g_model.gpus, node)
		if (g->domain == domain && g->bus == bus && g->devfn == devfn)
			return g;
	return NULL;
}

void d0g_model_derive(void)
{
	struct d0g_nvidia *nv = &d0g_model.nvidia;

	lockdep_assert_held(&d0g_model_mutex);
	/* While nvidia is loaded it keeps the PAT it was loaded with. */
	if (!nv->module_loaded)
		nv->input.pat = d0g_pat_boot_msr();
	nvpat_predict(&nv->input, &nv->prediction);
}
