// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/dom0gpu: a read-only view of the model, one directory per
 * concern and one value per file (Documentation/ABI/testing/
 * sysfs-kernel-dom0gpu). Every show() takes the model lock, so a file
 * never mixes two generations.
 *
 * The gpus/<address>/ directories follow PCI hotplug. They are created and
 * removed from a work item, never under the model lock: removing a sysfs
 * file waits for its readers, and a reader may be waiting for that lock.
 */
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include "model.h"

/* A file of a fixed directory: print() runs with the model lock held. */
struct d0g_attr {
	struct kobj_attribute kattr;
	ssize_t (*print)(char *buf);
};

static ssize_t d0g_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	struct d0g_attr *da = container_of(attr, struct d0g_attr, kattr);
	ssize_t ret;

	d0g_model_lock();
	ret = da->print(buf);
	d0g_model_unlock();
	return ret;
}

#define D0G_ATTR(dir, name, mode)					\
	static struct d0g_attr attr_##dir##_##name = {			\
		.kattr = __ATTR(name, mode, d0g_show, NULL),		\
		.print = dir##_##name##_print,				\
	}

static ssize_t emit_bool(char *buf, bool v)
{
	return sysfs_emit(buf, "%d\n", v);
}

static ssize_t emit_hex64(char *buf, u64 v)
{
	return sysfs_emit(buf, "0x%016llx\n", v);
}

static ssize_t top_version_print(char *buf)
{
	return sysfs_emit(buf, "%s\n", D0G_VERSION);
}

D0G_ATTR(top, version, 0444);

/* pat/ */

static ssize_t pat_msr_print(char *buf)
{
	int err = d0g_pat_boot_err();

	return err ? err : emit_hex64(buf, d0g_pat_boot_msr());
}

D0G_ATTR(pat, msr, 0444);

static ssize_t pat_layout_print(char *buf)
{
	u64 pat = d0g_pat_boot_msr();
	int err = d0g_pat_boot_err();
	unsigned int i;
	ssize_t n = 0;

	if (err)
		return err;
	for (i = 0; i < D0G_PAT_ENTRIES; i++)
		n += sysfs_emit_at(buf, n, "%s%s", i ? " " : "",
				   d0g_mem_type_name(pat >> (i * 8)));
	return n + sysfs_emit_at(buf, n, "\n");
}

D0G_ATTR(pat, layout, 0444);

static ssize_t pat_wc_index_print(char *buf)
{
	int err = d0g_pat_boot_err();

	return err ? err : sysfs_emit(buf, "%d\n",
				      d0g_pat_wc_index(d0g_pat_boot_msr()));
}

D0G_ATTR(pat, wc_index, 0444);

static ssize_t pat_consistent_print(char *buf)
{
	return emit_bool(buf, d0g_pat_consistent());
}

D0G_ATTR(pat, consistent, 0444);

static ssize_t pat_kernel_enabled_print(char *buf)
{
	return emit_bool(buf, d0g_model.pat.kernel_enabled);
}

D0G_ATTR(pat, kernel_enabled, 0444);

static ssize_t pat_feature_print(char *buf)
{
	return emit_bool(buf, d0g_model.pat.feature);
}

D0G_ATTR(pat, feature, 0444);

static ssize_t pat_cpus_read_print(char *buf)
{
	return sysfs_emit(buf, "%u\n", d0g_pat_cpus_read());
}

D0G_ATTR(pat, cpus_read, 0444);

static ssize_t pat_cpus_failed_print(char *buf)
{
	return sysfs_emit(buf, "%u\n", d0g_pat_cpus_failed());
}

D0G_ATTR(pat, cpus_failed, 0444);

static struct attribute *pat_attrs[] = {
	&attr_pat_msr.kattr.attr,
	&attr_pat_layout.kattr.attr,
	&attr_pat_wc_index.kattr.attr,
	&attr_pat_consistent.kattr.attr,
	&attr_pat_kernel_enabled.kattr.attr,
	&attr_pat_feature.kattr.attr,
	&attr_pat_cpus_read.kattr.attr,
	&attr_pat_cpus_failed.kattr.attr,
	NULL
};

static const struct attribute_group pat_group = {
	.attrs = pat_attrs,
};

/* nvidia/ */

static ssize_t nvidia_pat_mode_print(char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  nvpat_mode_name(d0g_model.nvidia.prediction.mode));
}

D0G_ATTR(nvidia, pat_mode, 0444);

static ssize_t nvidia_reason_print(char *buf)
{
	return sysfs_emit(buf, "%s\n", d0g_model.nvidia.prediction.message);
}

D0G_ATTR(nvidia, reason, 0444);

static ssize_t nvidia_module_loaded_print(char *buf)
{
	return emit_bool(buf, d0g_model.nvidia.module_loaded);
}

D0G_ATTR(nvidia, module_loaded, 0444);

static ssize_t nvidia_wc_index_print(char *buf)
{
	return sysfs_emit(buf, "%d\n", d0g_model.nvidia.prediction.wc_index);
}

D0G_ATTR(nvidia, wc_index, 0444);

static ssize_t nvidia_pat_print(char *buf)
{
	return emit_hex64(buf, d0g_model.nvidia.input.pat);
}

D0G_ATTR(nvidia, pat, 0444);

static ssize_t nvidia_kernel_has_pat_print(char *buf)
{
	return emit_bool(buf, d0g_model.nvidia.input.kernel_has_pat);
}

D0G_ATTR(nvidia, kernel_has_pat, 0444);

static struct attribute *nvidia_attrs[] = {
	&attr_nvidia_pat_mode.kattr.attr,
	&attr_nvidia_reason.kattr.attr,
	&attr_nvidia_module_loaded.kattr.attr,
	&attr_nvidia_wc_index.kattr.attr,
	&attr_nvidia_pat.kattr.attr,
	&attr_nvidia_kernel_has_pat.kattr.attr,
	NULL
};

static const struct attribute_group nvidia_group = {
	.attrs = nvidia_attrs,
};

/* mtrr/: register fields exist only where the MSRs could be read. */

#define MTRR_FIELD(name, expr)						\
static ssize_t mtrr_##name##_print(char *buf)				\
{									\
	const struct d0g_mtrr *m = &d0g_model.mtrr;			\
									\
	return m->readable ? (expr) : -ENODATA;				\
}									\
D0G_ATTR(mtrr, name, 0444)

static ssize_t mtrr_feature_print(char *buf)
{
	return emit_bool(buf, d0g_model.mtrr.feature);
}

D0G_ATTR(mtrr, feature, 0444);

static ssize_t mtrr_readable_print(char *buf)
{
	return emit_bool(buf, d0g_model.mtrr.readable);
}

D0G_ATTR(mtrr, readable, 0444);

static ssize_t mtrr_read_error_print(char *buf)
{
	return sysfs_emit(buf, "%d\n", d0g_model.mtrr.err);
}

D0G_ATTR(mtrr, read_error, 0444);

static ssize_t mtrr_enabled_print(char *buf)
{
	const struct d0g_mtrr *m = &d0g_model.mtrr;

	return emit_bool(buf, m->readable && (m->def_type & D0G_MTRR_DEF_E));
}

D0G_ATTR(mtrr, enabled, 0444);

MTRR_FIELD(cap, emit_hex64(buf, m->cap));
MTRR_FIELD(def_type, emit_hex64(buf, m->def_type));
MTRR_FIELD(default_type,
	   sysfs_emit(buf, "%s\n",
		      d0g_mtrr_type_name(m->def_type & D0G_MTRR_DEF_TYPE_MASK)));
MTRR_FIELD(fixed_enabled, emit_bool(buf, m->def_type & D0G_MTRR_DEF_FE));
MTRR_FIELD(var_count, sysfs_emit(buf, "%u\n", m->nr_var));
MTRR_FIELD(fixed_supported, emit_bool(buf, m->cap & D0G_MTRR_CAP_FIX));
MTRR_FIELD(wc_supported, emit_bool(buf, m->cap & D0G_MTRR_CAP_WC));
MTRR_FIELD(smrr_supported, emit_bool(buf, m->cap & D0G_MTRR_CAP_SMRR));

static struct attribute *mtrr_attrs[] = {
	&attr_mtrr_feature.kattr.attr,
	&attr_mtrr_readable.kattr.attr,
	&attr_mtrr_read_error.kattr.attr,
	&attr_mtrr_enabled.kattr.attr,
	&attr_mtrr_cap.kattr.attr,
	&attr_mtrr_def_type.kattr.attr,
	&attr_mtrr_default_type.kattr.attr,
	&attr_mtrr_fixed_enabled.kattr.attr,
	&attr_mtrr_var_count.kattr.attr,
	&attr_mtrr_fixed_supported.kattr.attr,
	&attr_mtrr_wc_supported.kattr.attr,
	&attr_mtrr_smrr_supported.kattr.attr,
	NULL
};

static const struct attribute_group mtrr_group = {
	.attrs = mtrr_attrs,
};

/* hypervisor/ */

static ssize_t hypervisor_type_print(char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  d0g_hyper_type_name(d0g_model.hypervisor.x86_hyper_type));
}

D0G_ATTR(hypervisor, type, 0444);

static ssize_t hypervisor_cpuid_bit_print(char *buf)
{
	return emit_bool(buf, d0g_model.hypervisor.cpuid_bit);
}

D0G_ATTR(hypervisor, cpuid_bit, 0444);

static ssize_t hypervisor_cpuid_signature_print(char *buf)
{
	return sysfs_emit(buf, "%s\n", d0g_model.hypervisor.cpuid_signature);
}

D0G_ATTR(hypervisor, cpuid_signature, 0444);

static ssize_t hypervisor_cpuid_max_leaf_print(char *buf)
{
	return sysfs_emit(buf, "0x%08x\n", d0g_model.hypervisor.cpuid_max_leaf);
}

D0G_ATTR(hypervisor, cpuid_max_leaf, 0444);

static struct attribute *hypervisor_attrs[] = {
	&attr_hypervisor_type.kattr.attr,
	&attr_hypervisor_cpuid_bit.kattr.attr,
	&attr_hypervisor_cpuid_signature.kattr.attr,
	&attr_hypervisor_cpuid_max_leaf.kattr.attr,
	NULL
};

static const struct attribute_group hypervisor_group = {
	.attrs = hypervisor_attrs,
};

/* xen/: Xen's own strings are empty outside Xen. */

static ssize_t xen_domain_type_print(char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  d0g_xen_domain_type_name(d0g_model.xen.domain_type));
}

D0G_ATTR(xen, domain_type, 0444);

static ssize_t xen_initial_domain_print(char *buf)
{
	return emit_bool(buf, d0g_model.xen.initial_domain);
}

D0G_ATTR(xen, initial_domain, 0444);

static ssize_t xen_version_print(char *buf)
{
	const struct d0g_xen *x = &d0g_model.xen;

	if (x->domain_type == DOM0GPU_XEN_DOMAIN_TYPE_NONE)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%u.%u\n", x->version_major, x->version_minor);
}

D0G_ATTR(xen, version, 0444);

static ssize_t xen_extraversion_print(char *buf)
{
	return sysfs_emit(buf, "%s\n", d0g_model.xen.extraversion);
}

D0G_ATTR(xen, extraversion, 0444);

static ssize_t xen_capabilities_print(char *buf)
{
	return sysfs_emit(buf, "%s\n", d0g_model.xen.capabilities);
}

D0G_ATTR(xen, capabilities, 0444);

static ssize_t xen_cmdline_print(char *buf)
{
	return sysfs_emit(buf, "%s\n", d0g_model.xen.cmdline);
}

D0G_ATTR(xen, cmdline, 0400);

static struct attribute *xen_attrs[] = {
	&attr_xen_domain_type.kattr.attr,
	&attr_xen_initial_domain.kattr.attr,
	&attr_xen_version.kattr.attr,
	&attr_xen_extraversion.kattr.attr,
	&attr_xen_capabilities.kattr.attr,
	&attr_xen_cmdline.kattr.attr,
	NULL
};

static const struct attribute_group xen_group = {
	.attrs = xen_attrs,
};

/* iommu/ */

static ssize_t iommu_owner_print(char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  d0g_iommu_owner_name(d0g_model.iommu.owner));
}

D0G_ATTR(iommu, owner, 0444);

static ssize_t iommu_linux_present_print(char *buf)
{
	return emit_bool(buf, d0g_model.iommu.linux_present);
}

D0G_ATTR(iommu, linux_present, 0444);

static ssize_t iommu_default_domain_print(char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  d0g_iommu_domain_name(d0g_model.iommu.default_domain));
}

D0G_ATTR(iommu, default_domain, 0444);

static ssize_t iommu_groups_print(char *buf)
{
	return sysfs_emit(buf, "%u\n", d0g_model.iommu.group_count);
}

D0G_ATTR(iommu, groups, 0444);

static ssize_t iommu_acpi_dmar_print(char *buf)
{
	return emit_bool(buf, d0g_model.iommu.acpi_dmar);
}

D0G_ATTR(iommu, acpi_dmar, 0444);

static ssize_t iommu_acpi_ivrs_print(char *buf)
{
	return emit_bool(buf, d0g_model.iommu.acpi_ivrs);
}

D0G_ATTR(iommu, acpi_ivrs, 0444);

static struct attribute *iommu_attrs[] = {
	&attr_iommu_owner.kattr.attr,
	&attr_iommu_linux_present.kattr.attr,
	&attr_iommu_default_domain.kattr.attr,
	&attr_iommu_groups.kattr.attr,
	&attr_iommu_acpi_dmar.kattr.attr,
	&attr_iommu_acpi_ivrs.kattr.attr,
	NULL
};

static const struct attribute_group iommu_group = {
	.attrs = iommu_attrs,
};

/* gpus/ */

static ssize_t gpus_count_print(char *buf)
{
	return sysfs_emit(buf, "%u\n", d0g_model.nr_gpus);
}

D0G_ATTR(gpus, count, 0444);

static struct attribute *gpus_attrs[] = {
	&attr_gpus_count.kattr.attr,
	NULL
};

static const struct attribute_group gpus_group = {
	.attrs = gpus_attrs,
};

/*
 * Directories that stand for one item (a GPU, an MTRR): the key names the
 * item, and show() looks it up in the model, so a file never points into
 * model memory that hotplug may free.
 */
struct d0g_dir {
	struct kobject kobj;
	struct list_head node;
	u64 key;
};

struct d0g_key_attr {
	struct kobj_attribute kattr;
	ssize_t (*print)(u64 key, unsigned int arg, char *buf);
	unsigned int arg;
};

static ssize_t d0g_key_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct d0g_key_attr *ka = container_of(attr, struct d0g_key_attr, kattr);
	struct d0g_dir *dir = container_of(kobj, struct d0g_dir, kobj);
	ssize_t ret;

	d0g_model_lock();
	ret = ka->print(dir->key, ka->arg, buf);
	d0g_model_unlock();
	return ret;
}

#define D0G_KEY_ATTR(var, name, mode, fn, a)				\
	static struct d0g_key_attr attr_##var = {			\
		.kattr = __ATTR(name, mode, d0g_key_show, NULL),	\
		.print = fn,						\
		.arg = a,						\
	}

static void d0g_dir_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct d0g_dir, kobj));
}

static const struct kobj_type d0g_dir_ktype = {
	.release = d0g_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

static struct d0g_dir *d0g_dir_create(struct kobject *parent, const char *name,
				      u64 key, const struct attribute_group *grp)
{
	struct d0g_dir *dir;
	int err;

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return ERR_PTR(-ENOMEM);
	dir->key = key;
	INIT_LIST_HEAD(&dir->node);
	err = kobject_init_and_add(&dir->kobj, d0g_kobj_type(&d0g_dir_ktype),
				   parent, "%s", name);
	if (!err)
		err = sysfs_create_group(&dir->kobj, grp);
	if (err) {
		kobject_put(&dir->kobj);
		return ERR_PTR(err);
	}
	return dir;
}

static void d0g_dir_destroy(struct d0g_dir *dir)
{
	list_del(&dir->node);
	kobject_del(&dir->kobj);
	kobject_put(&dir->kobj);
}

static void d0g_dirs_destroy(struct list_head *dirs)
{
	struct d0g_dir *dir, *tmp;

	list_for_each_entry_safe(dir, tmp, dirs, node)
		d0g_dir_destroy(dir);
}

/* mtrr/var/<n>/: addresses are for root only, as in /proc/mtrr. */

static const struct d0g_mtrr_var *mtrr_var(u64 key)
{
	const struct d0g_mtrr *m = &d0g_model.mtrr;

	return m->readable && key < m->nr_var ? &m->var[key] : NULL;
}

static ssize_t mtrr_var_print(u64 key, unsigned int field, char *buf)
{
	const struct d0g_mtrr_var *v = mtrr_var(key);

	if (!v)
		return -ENODATA;
	switch (field) {
	case 0:
		return emit_hex64(buf, v->base & D0G_MTRR_ADDR_MASK);
	case 1:
		return emit_hex64(buf, d0g_mtrr_var_size(v));
	case 2:
		return sysfs_emit(buf, "%s\n",
				  d0g_mtrr_type_name(v->base & D0G_MTRR_BASE_TYPE));
	default:
		return emit_bool(buf, v->mask & D0G_MTRR_MASK_V);
	}
}

D0G_KEY_ATTR(mtrr_var_base, base, 0400, mtrr_var_print, 0);
D0G_KEY_ATTR(mtrr_var_size, size, 0400, mtrr_var_print, 1);
D0G_KEY_ATTR(mtrr_var_type, type, 0444, mtrr_var_print, 2);
D0G_KEY_ATTR(mtrr_var_valid, valid, 0444, mtrr_var_print, 3);

static struct attribute *mtrr_var_attrs[] = {
	&attr_mtrr_var_base.kattr.attr,
	&attr_mtrr_var_size.kattr.attr,
	&attr_mtrr_var_type.kattr.attr,
	&attr_mtrr_var_valid.kattr.attr,
	NULL
};

static const struct attribute_group mtrr_var_group = {
	.attrs = mtrr_var_attrs,
};

/* mtrr/fixed/<register>: each holds the types of eight sub-ranges. */

static ssize_t mtrr_fixed_print(u64 key, unsigned int index, char *buf)
{
	const struct d0g_mtrr *m = &d0g_model.mtrr;

	return m->fixed_read ? emit_hex64(buf, m->fixed[index]) : -ENODATA;
}

D0G_KEY_ATTR(mtrr_fix64k_00000, fix64K_00000, 0444, mtrr_fixed_print, 0);
D0G_KEY_ATTR(mtrr_fix16k_80000, fix16K_80000, 0444, mtrr_fixed_print, 1);
D0G_KEY_ATTR(mtrr_fix16k_a0000, fix16K_A0000, 0444, mtrr_fixed_print, 2);
D0G_KEY_ATTR(mtrr_fix4k_c0000, fix4K_C0000, 0444, mtrr_fixed_print, 3);
D0G_KEY_ATTR(mtrr_fix4k_c8000, fix4K_C8000, 0444, mtrr_fixed_print, 4);
D0G_KEY_ATTR(mtrr_fix4k_d0000, fix4K_D0000, 0444, mtrr_fixed_print, 5);
D0G_KEY_ATTR(mtrr_fix4k_d8000, fix4K_D8000, 0444, mtrr_fixed_print, 6);
D0G_KEY_ATTR(mtrr_fix4k_e0000, fix4K_E0000, 0444, mtrr_fixed_print, 7);
D0G_KEY_ATTR(mtrr_fix4k_e8000, fix4K_E8000, 0444, mtrr_fixed_print, 8);
D0G_KEY_ATTR(mtrr_fix4k_f0000, fix4K_F0000, 0444, mtrr_fixed_print, 9);
D0G_KEY_ATTR(mtrr_fix4k_f8000, fix4K_F8000, 0444, mtrr_fixed_print, 10);

static struct attribute *mtrr_fixed_attrs[] = {
	&attr_mtrr_fix64k_00000.kattr.attr,
	&attr_mtrr_fix16k_80000.kattr.attr,
	&attr_mtrr_fix16k_a0000.kattr.attr,
	&attr_mtrr_fix4k_c0000.kattr.attr,
	&attr_mtrr_fix4k_c8000.kattr.attr,
	&attr_mtrr_fix4k_d0000.kattr.attr,
	&attr_mtrr_fix4k_d8000.kattr.attr,
	&attr_mtrr_fix4k_e0000.kattr.attr,
	&attr_mtrr_fix4k_e8000.kattr.attr,
	&attr_mtrr_fix4k_f0000.kattr.attr,
	&attr_mtrr_fix4k_f8000.kattr.attr,
	NULL
};

static const struct attribute_group mtrr_fixed_group = {
	.attrs = mtrr_fixed_attrs,
};

/* gpus/<domain:bus:slot.function>/ */

static u64 gpu_key(u32 domain, u8 bus, u8 devfn)
{
	return (u64)domain << 16 | bus << 8 | devfn;
}

enum gpu_field {
	GPU_VENDOR, GPU_DEVICE, GPU_CLASS, GPU_DRIVER, GPU_BAR, GPU_NUMA,
	GPU_GROUP, GPU_DOMAIN, GPU_NVIDIA,
};

static ssize_t gpu_print(u64 key, unsigned int arg, char *buf)
{
	const struct d0g_gpu *g;
	unsigned int field = arg & 0xff, bar = arg >> 8;

	g = d0g_gpu_find(key >> 16, (key >> 8) & 0xff, key & 0xff);
	if (!g)
		return -ENODEV;
	switch (field) {
	case GPU_VENDOR:
		return sysfs_emit(buf, "0x%04x\n", g->vendor);
	case GPU_DEVICE:
		return sysfs_emit(buf, "0x%04x\n", g->device);
	case GPU_CLASS:
		return sysfs_emit(buf, "0x%06x\n", g->class);
	case GPU_DRIVER:
		return sysfs_emit(buf, "%s\n", g->driver);
	case GPU_BAR:
		return sysfs_emit(buf, "%llu\n", g->bar_size[bar]);
	case GPU_NUMA:
		return sysfs_emit(buf, "%d\n", g->numa_node);
	case GPU_GROUP:
		return sysfs_emit(buf, "%d\n", g->iommu_group);
	case GPU_DOMAIN:
		return sysfs_emit(buf, "%s\n",
				  d0g_iommu_domain_name(g->iommu_domain));
	default:
		return emit_bool(buf, g->vendor == PCI_VENDOR_ID_NVIDIA);
	}
}

#define GPU_ATTR(name, field, bar)					\
	D0G_KEY_ATTR(gpu_##name, name, 0444, gpu_print, (field) | (bar) << 8)

GPU_ATTR(vendor, GPU_VENDOR, 0);
GPU_ATTR(device, GPU_DEVICE, 0);
GPU_ATTR(class, GPU_CLASS, 0);
GPU_ATTR(driver, GPU_DRIVER, 0);
GPU_ATTR(bar0, GPU_BAR, 0);
GPU_ATTR(bar1, GPU_BAR, 1);
GPU_ATTR(bar2, GPU_BAR, 2);
GPU_ATTR(bar3, GPU_BAR, 3);
GPU_ATTR(bar4, GPU_BAR, 4);
GPU_ATTR(bar5, GPU_BAR, 5);
GPU_ATTR(numa_node, GPU_NUMA, 0);
GPU_ATTR(iommu_group, GPU_GROUP, 0);
GPU_ATTR(iommu_domain, GPU_DOMAIN, 0);
GPU_ATTR(nvidia, GPU_NVIDIA, 0);

static struct attribute *gpu_attrs[] = {
	&attr_gpu_vendor.kattr.attr,
	&attr_gpu_device.kattr.attr,
	&attr_gpu_class.kattr.attr,
	&attr_gpu_driver.kattr.attr,
	&attr_gpu_bar0.kattr.attr,
	&attr_gpu_bar1.kattr.attr,
	&attr_gpu_bar2.kattr.attr,
	&attr_gpu_bar3.kattr.attr,
	&attr_gpu_bar4.kattr.attr,
	&attr_gpu_bar5.kattr.attr,
	&attr_gpu_numa_node.kattr.attr,
	&attr_gpu_iommu_group.kattr.attr,
	&attr_gpu_iommu_domain.kattr.attr,
	&attr_gpu_nvidia.kattr.attr,
	NULL
};

static const struct attribute_group gpu_group = {
	.attrs = gpu_attrs,
};

/* The tree */

struct d0g_subdir {
	const char *name;
	const struct attribute_group *group;
	struct kobject *kobj;
};

enum {
	SUB_PAT, SUB_NVIDIA, SUB_MTRR, SUB_HYPERVISOR, SUB_XEN, SUB_IOMMU,
	SUB_GPUS, NR_SUBDIRS
};

static struct d0g_subdir subdirs[NR_SUBDIRS] = {
	[SUB_PAT] = { "pat", &pat_group },
	[SUB_NVIDIA] = { "nvidia", &nvidia_group },
	[SUB_MTRR] = { "mtrr", &mtrr_group },
	[SUB_HYPERVISOR] = { "hypervisor", &hypervisor_group },
	[SUB_XEN] = { "xen", &xen_group },
	[SUB_IOMMU] = { "iommu", &iommu_group },
	[SUB_GPUS] = { "gpus", &gpus_group },
};

static struct attribute *top_attrs[] = {
	&attr_top_version.kattr.attr,
	NULL
};

static const struct attribute_group top_group = {
	.attrs = top_attrs,
};

static struct kobject *top_kobj;
static struct kobject *mtrr_var_kobj;
static struct d0g_dir *mtrr_fixed_dir;
static LIST_HEAD(mtrr_var_dirs);

/* gpus/<address>/ follow the model's GPU list; gpu_dirs_mutex guards it. */
static LIST_HEAD(gpu_dirs);
static DEFINE_MUTEX(gpu_dirs_mutex);

static void gpu_dirs_sync(struct work_struct *work)
{
	struct d0g_dir *dir, *tmp;
	unsigned int i, n = 0;
	struct d0g_gpu *g;
	u64 *keys;
	u8 devfn;
	char name[16];

	mutex_lock(&gpu_dirs_mutex);
	d0g_model_lock();
	keys = kcalloc(max(d0g_model.nr_gpus, 1U), sizeof(*keys), GFP_KERNEL);
	if (keys)
		list_for_each_entry(g, &d0g_model.gpus, node)
			keys[n++] = gpu_key(g->domain, g->bus, g->devfn);
	d0g_model_unlock();
	if (!keys)
		goto out;

	list_for_each_entry_safe(dir, tmp, &gpu_dirs, node) {
		for (i = 0; i < n && keys[i] != dir->key; i++)
			;
		if (i == n)
			d0g_dir_destroy(dir);
		else
			keys[i] = U64_MAX;	/* already shown */
	}
	for (i = 0; i < n; i++) {
		if (keys[i] == U64_MAX)
			continue;
		devfn = keys[i] & 0xff;
		snprintf(name, sizeof(name), "%04x:%02x:%02x.%x",
			 (u32)(keys[i] >> 16), (u8)(keys[i] >> 8),
			 PCI_SLOT(devfn), PCI_FUNC(devfn));
		dir = d0g_dir_create(subdirs[SUB_GPUS].kobj, name, keys[i],
				     &gpu_group);
		if (IS_ERR(dir))
			pr_warn("gpus/%s: %ld\n", name, PTR_ERR(dir));
		else
			list_add_tail(&dir->node, &gpu_dirs);
	}
	kfree(keys);
out:
	mutex_unlock(&gpu_dirs_mutex);
}

static DECLARE_WORK(gpu_dirs_work, gpu_dirs_sync);

/* Called with the model lock held: only schedule the directory changes. */
static int sysfs_model_event(struct notifier_block *nb, unsigned long kind,
			     void *data)
{
	if (kind == D0G_EVENT_GPU_ADDED || kind == D0G_EVENT_GPU_REMOVED)
		schedule_work(&gpu_dirs_work);
	return NOTIFY_DONE;
}

static struct notifier_block sysfs_model_nb = {
	.notifier_call = sysfs_model_event,
};

static int mtrr_dirs_create(void)
{
	struct kobject *mtrr = subdirs[SUB_MTRR].kobj;
	struct d0g_dir *dir;
	unsigned int i, n;
	char name[12];

	mtrr_fixed_dir = d0g_dir_create(mtrr, "fixed", 0, &mtrr_fixed_group);
	if (IS_ERR(mtrr_fixed_dir))
		return PTR_ERR(mtrr_fixed_dir);
	mtrr_var_kobj = kobject_create_and_add("var", mtrr);
	if (!mtrr_var_kobj)
		return -ENOMEM;

	d0g_model_lock();
	n = d0g_model.mtrr.readable ? d0g_model.mtrr.nr_var : 0;
	d0g_model_unlock();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%u", i);
		dir = d0g_dir_create(mtrr_var_kobj, name, i, &mtrr_var_group);
		if (IS_ERR(dir))
			return PTR_ERR(dir);
		list_add_tail(&dir->node, &mtrr_var_dirs);
	}
	return 0;
}

static void mtrr_dirs_destroy(void)
{
	d0g_dirs_destroy(&mtrr_var_dirs);
	kobject_put(mtrr_var_kobj);
	mtrr_var_kobj = NULL;
	if (!IS_ERR_OR_NULL(mtrr_fixed_dir)) {
		kobject_del(&mtrr_fixed_dir->kobj);
		kobject_put(&mtrr_fixed_dir->kobj);
	}
	mtrr_fixed_dir = NULL;
}

static void subdirs_destroy(void)
{
	unsigned int i;

	for (i = 0; i < NR_SUBDIRS; i++) {
		kobject_put(subdirs[i].kobj);
		subdirs[i].kobj = NULL;
	}
}

int d0g_sysfs_init(void)
{
	unsigned int i;
	int err;

	top_kobj = kobject_create_and_add("dom0gpu", kernel_kobj);
	if (!top_kobj)
		return -ENOMEM;
	err = sysfs_create_group(top_kobj, &top_group);
	if (err)
		goto err_top;

	for (i = 0; i < NR_SUBDIRS; i++) {
		subdirs[i].kobj = kobject_create_and_add(subdirs[i].name,
							 top_kobj);
		if (!subdirs[i].kobj) {
			err = -ENOMEM;
			goto err_subdirs;
		}
		err = sysfs_create_group(subdirs[i].kobj, subdirs[i].group);
		if (err)
			goto err_subdirs;
	}

	err = mtrr_dirs_create();
	if (err)
		goto err_mtrr;

	err = blocking_notifier_chain_register(&d0g_model_notifier,
					       &sysfs_model_nb);
	if (err)
		goto err_mtrr;
	gpu_dirs_sync(NULL);
	return 0;

err_mtrr:
	mtrr_dirs_destroy();
err_subdirs:
	subdirs_destroy();
err_top:
	kobject_put(top_kobj);
	top_kobj = NULL;
	return err;
}

void d0g_sysfs_uninit(void)
{
	blocking_notifier_chain_unregister(&d0g_model_notifier, &sysfs_model_nb);
	cancel_work_sync(&gpu_dirs_work);
	mutex_lock(&gpu_dirs_mutex);
	d0g_dirs_destroy(&gpu_dirs);
	mutex_unlock(&gpu_dirs_mutex);
	mtrr_dirs_destroy();
	subdirs_destroy();
	kobject_put(top_kobj);
	top_kobj = NULL;
}
