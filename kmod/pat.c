// SPDX-License-Identifier: GPL-2.0
/*
 * IA32_PAT of every CPU, and the microcode revision and model name the
 * kernel records for it. The MSR is read with the fault-safe accessors: a CPU (or hypervisor)
 * that refuses the read is recorded with its error.
 *
 * The hotplug callbacks run on the CPU coming up or going down, so they
 * read locally: no IPI while the CPU hotplug lock and the model lock are
 * held. Lock order everywhere: CPU hotplug lock, then the model lock.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include "model.h"

static int pat_hp_state;

static void pat_store(unsigned int cpu, bool online, u64 msr, int err)
{
	struct d0g_cpu_pat *slot = &d0g_model.pat.cpus[cpu];
	struct d0g_event ev = {
		.kind = online ? D0G_EVENT_CPU_ONLINE : D0G_EVENT_CPU_OFFLINE,
		.cpu = cpu,
	};

	d0g_model_lock();
	slot->online = online;
	if (online) {
		slot->msr = err ? 0 : msr;
		slot->err = err;
		slot->read = true;
		slot->microcode = cpu_data(cpu).microcode;
		strscpy(slot->model_name, cpu_data(cpu).x86_model_id,
			sizeof(slot->model_name));
	}
	ev.pat = slot->msr;
	ev.pat_consistent = d0g_pat_consistent();
	d0g_model_changed(&ev);
	d0g_model_unlock();
}

static int pat_cpu_online(unsigned int cpu)
{
	u64 msr = 0;
	int err;

	err = rdmsrq_safe(MSR_IA32_CR_PAT, &msr);
	if (err)
		pr_warn("cpu%u: IA32_PAT read failed (%d)\n", cpu, err);
	pat_store(cpu, true, msr, err);
	return 0;
}

static int pat_cpu_offline(unsigned int cpu)
{
	pat_store(cpu, false, 0, 0);
	return 0;
}

void d0g_pat_reread(void)
{
	unsigned int cpu;
	u64 msr;
	int err;

	/* Hold off hotplug so that every online CPU answers the IPI. */
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		msr = 0;
		err = rdmsrq_safe_on_cpu(cpu, MSR_IA32_CR_PAT, &msr);
		d0g_model_lock();
		d0g_model.pat.cpus[cpu].msr = err ? 0 : msr;
		d0g_model.pat.cpus[cpu].err = err;
		d0g_model_unlock();
	}
	cpus_read_unlock();
}

int d0g_pat_init(void)
{
	int ret;

	d0g_model.pat.feature = boot_cpu_has(X86_FEATURE_PAT);
	d0g_model.pat.kernel_enabled = pat_enabled();
	d0g_model.pat.cpus = kcalloc(nr_cpu_ids, sizeof(*d0g_model.pat.cpus),
				     GFP_KERNEL);
	if (!d0g_model.pat.cpus)
		return -ENOMEM;
	d0g_model.pat.nr_slots = nr_cpu_ids;

	/* Runs pat_cpu_online() on every CPU already up, then on each new one. */
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "dom0gpu/pat:online",
				pat_cpu_online, pat_cpu_offline);
	if (ret < 0) {
		kfree(d0g_model.pat.cpus);
		d0g_model.pat.cpus = NULL;
		d0g_model.pat.nr_slots = 0;
		return ret;
	}
	pat_hp_state = ret;
	return 0;
}

void d0g_pat_uninit(void)
{
	/* No teardown calls: the CPUs stay up, only our interest ends. */
	cpuhp_remove_state_nocalls(pat_hp_state);
	d0g_model_lock();
	d0g_model.pat.nr_slots = 0;
	kfree(d0g_model.pat.cpus);
	d0g_model.pat.cpus = NULL;
	d0g_model_unlock();
}
