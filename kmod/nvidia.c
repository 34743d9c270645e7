// SPDX-License-Identifier: GPL-2.0
/*
 * What the NVIDIA driver will decide about the PAT on this kernel, from the
 * same inputs its nv_determine_pat_mode() reads, and whether it is loaded.
 *
 * The prediction is for the driver's next load. While nvidia is loaded the
 * PAT it saw is kept: in its builtin mode (kernels without CONFIG_X86_PAT)
 * it rewrites every CPU's PAT, and the rewritten value must not change the
 * verdict. So the input is taken when nvidia is coming, before its init
 * runs; if nvidia was loaded before this module, the PAT it saw is rebuilt
 * from the kernel's record of the boot PAT (nvidia_pat_before_us()). Its
 * unload restores the PAT, so both load and unload re-read every CPU.
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <asm/cpufeature.h>
#include <asm/pgtable_types.h>
#include <asm/processor.h>
#include "model.h"

#define NVIDIA_MODULE	"nvidia"

/*
 * Coming: nvidia's init is about to run nv_determine_pat_mode() on the PAT
 * just read, so that is the input of the prediction while it stays loaded.
 * Live: its builtin mode may have rewritten the PAT; the input is kept.
 * Going (unloaded, or its init failed): predict from the restored PAT.
 */
static void nvidia_changed(enum d0g_event_kind kind)
{
	struct d0g_event ev = { .kind = kind };

	d0g_pat_reread();
	d0g_model_lock();
	if (kind == D0G_EVENT_NVIDIA_COMING) {
		/* derive() takes the PAT as input only while nvidia is out. */
		d0g_model.nvidia.module_loaded = false;
		d0g_model_derive();
	}
	d0g_model.nvidia.module_loaded = kind != D0G_EVENT_NVIDIA_UNLOADED;
	d0g_model_changed(&ev);
	d0g_model_unlock();
}

static int nvidia_module_event(struct notifier_block *nb, unsigned long state,
			       void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, NVIDIA_MODULE))
		return NOTIFY_DONE;
	if (state == MODULE_STATE_COMING)
		nvidia_changed(D0G_EVENT_NVIDIA_COMING);
	else if (state == MODULE_STATE_LIVE)
		nvidia_changed(D0G_EVENT_NVIDIA_LOADED);
	else if (state == MODULE_STATE_GOING)
		nvidia_changed(D0G_EVENT_NVIDIA_UNLOADED);
	return NOTIFY_DONE;
}

static struct notifier_block nvidia_module_nb = {
	.notifier_call = nvidia_module_event,
};

/*
 * find_module() is not exported after 4.19; every loaded module has a
 * kobject in the same kset as ours (/sys/module).
 */
static bool nvidia_present(void)
{
	struct kobject *kobj;
	bool found;

	kobj = kset_find_obj(THIS_MODULE->mkobj.kobj.kset, NVIDIA_MODULE);
	found = kobj;
	kobject_put(kobj);
	return found;
}

/*
 * nvidia loaded before this module: on a kernel without CONFIG_X86_PAT its
 * builtin mode may have rewritten the PAT already. The kernel's cache-mode
 * table still tells whether the boot PAT held WC: it was built from the
 * boot CPU's MSR at boot, and maps WC to UC-'s PTE bits when it found none.
 */
static u64 nvidia_pat_before_us(u64 pat_now)
{
	bool boot_wc = cachemode2protval(_PAGE_CACHE_MODE_WC) !=
		       cachemode2protval(_PAGE_CACHE_MODE_UC_MINUS);

	if (IS_ENABLED(CONFIG_X86_PAT))
		return pat_now;
	return nvpat_before_builtin(pat_now, boot_wc);
}

int d0g_nvidia_init(void)
{
	struct nvpat_input in = {
		.x86_feature_pat = boot_cpu_has(X86_FEATURE_PAT),
		.vendor_intel = boot_cpu_data.x86_vendor == X86_VENDOR_INTEL,
		.cpuid_level = boot_cpu_data.cpuid_level,
		.family = boot_cpu_data.x86,
		.model = boot_cpu_data.x86_model,
		.kernel_has_pat = IS_ENABLED(CONFIG_X86_PAT),
		/* The driver's parameter is unknown until it loads: default. */
		.use_pat_param = NVPAT_USE_PAT_DEFAULT,
	};
	int err;

	if (in.cpuid_level >= 1)
		in.cpuid1_edx = cpuid_edx(1);

	err = register_module_notifier(&nvidia_module_nb);
	if (err)
		return err;

	d0g_model_lock();
	d0g_model.nvidia.input = in;
	d0g_model.nvidia.module_loaded = false;
	d0g_model_derive();
	/* Already loaded: predict from the PAT it found at its load. */
	if (nvidia_present()) {
		d0g_model.nvidia.module_loaded = true;
		d0g_model.nvidia.input.pat =
			nvidia_pat_before_us(d0g_model.nvidia.input.pat);
		d0g_model_derive();
	}
	d0g_model_unlock();
	return 0;
}

void d0g_nvidia_uninit(void)
{
	unregister_module_notifier(&nvidia_module_nb);
}
