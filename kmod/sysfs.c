// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/dom0gpu: a read-only view of the model, one directory per
 * section and one value per file (Documentation/ABI/testing/
 * sysfs-kernel-dom0gpu). The files are the rows of the fact tables
 * (facts.c) that name one; every read takes the model lock, so a file
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
#include <dom0gpu_names.h>
#include "facts.h"
#include "model.h"

/*
 * A directory shows one object of its section: @key names it (a GPU's
 * address, an MTRR range's index) and every read looks it up in the model,
 * so a file never points into model memory that hotplug may free.
 */
struct d0g_dir {
	struct kobject kobj;
	struct list_head node;
	const struct d0g_section *sec;
	u64 key;
};

struct d0g_fact_attr {
	struct kobj_attribute kattr;
	const struct d0g_fact *fact;
};

/* A section's files, built once from its table and shared by its dirs. */
struct d0g_group {
	struct attribute_group grp;
	struct d0g_fact_attr *attrs;
};

static ssize_t d0g_fact_emit(char *buf, const struct d0g_fact *f,
			     const union d0g_value *v)
{
	unsigned int i;
	ssize_t n = 0;

	switch (f->fmt) {
	case D0G_FMT_BOOL:
		return sysfs_emit(buf, "%d\n", !!v->u);
	case D0G_FMT_U8:
	case D0G_FMT_U32:
		return sysfs_emit(buf, "%u\n", (u32)v->u);
	case D0G_FMT_S32:
		return sysfs_emit(buf, "%d\n", (s32)v->u);
	case D0G_FMT_X16:
		return sysfs_emit(buf, "0x%04x\n", (u32)v->u);
	case D0G_FMT_X24:
		return sysfs_emit(buf, "0x%06x\n", (u32)v->u);
	case D0G_FMT_X32:
		return sysfs_emit(buf, "0x%08x\n", (u32)v->u);
	case D0G_FMT_X64:
		return sysfs_emit(buf, "0x%016llx\n", v->u);
	case D0G_FMT_U64:
		return sysfs_emit(buf, "%llu\n", v->u);
	case D0G_FMT_STR:
		return sysfs_emit(buf, "%s\n", v->str);
	case D0G_FMT_ENUM:
	case D0G_FMT_ENUM_STR:
		return sysfs_emit(buf, "%s\n", f->name(v->u));
	case D0G_FMT_VERSION:
		return sysfs_emit(buf, "%u.%u\n", (u32)(v->u >> 32), (u32)v->u);
	case D0G_FMT_LAYOUT:
		for (i = 0; i < D0G_PAT_ENTRIES; i++)
			n += sysfs_emit_at(buf, n, "%s%s", i ? " " : "",
					   dom0gpu_mem_type_name(d0g_pat_entry_type(v->u, i)));
		return n + sysfs_emit_at(buf, n, "\n");
	}
	return -EINVAL;
}

static ssize_t d0g_fact_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	const struct d0g_fact *f =
		container_of(attr, struct d0g_fact_attr, kattr)->fact;
	const struct d0g_dir *dir = container_of(kobj, struct d0g_dir, kobj);
	/* File modes guard the privileged facts here. */
	struct d0g_fact_ctx ctx = { .index = dir->key, .privileged = true };
	union d0g_value v;
	ssize_t ret;

	d0g_model_lock();
	ctx.obj = dir->sec->lookup(dir->key);
	ret = ctx.obj ? d0g_fact_get(&ctx, f, &v) : dir->sec->missing;
	if (!ret)
		ret = d0g_fact_emit(buf, f, &v);
	else if (ret == -ENODATA && (f->flags & D0G_FACT_SYSFS_ZERO))
		ret = sysfs_emit(buf, f->fmt == D0G_FMT_BOOL ? "0\n" : "\n");
	d0g_model_unlock();
	return ret;
}

static int d0g_group_build(struct d0g_group *g, const struct d0g_section *sec)
{
	const struct d0g_fact *f;
	struct attribute **ptrs;
	unsigned int n = 0;

	for (f = sec->facts; f->get; f++)
		n++;
	g->attrs = kcalloc(n, sizeof(*g->attrs), GFP_KERNEL);
	ptrs = kcalloc(n + 1, sizeof(*ptrs), GFP_KERNEL);
	if (!g->attrs || !ptrs) {
		kfree(g->attrs);
		kfree(ptrs);
		return -ENOMEM;
	}
	n = 0;
	for (f = sec->facts; f->get; f++) {
		struct d0g_fact_attr *a = &g->attrs[n];

		if (!f->sysfs)
			continue;
		sysfs_attr_init(&a->kattr.attr);
		a->kattr.attr.name = f->sysfs;
		a->kattr.attr.mode = f->mode;
		a->kattr.show = d0g_fact_show;
		a->fact = f;
		ptrs[n++] = &a->kattr.attr;
	}
	g->grp.attrs = ptrs;
	return 0;
}

static void d0g_group_free(struct d0g_group *g)
{
	kfree(g->grp.attrs);
	kfree(g->attrs);
	*g = (struct d0g_group){ };
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
				      const struct d0g_section *sec, u64 key,
				      const struct d0g_group *g)
{
	struct d0g_dir *dir;
	int err;

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return ERR_PTR(-ENOMEM);
	dir->sec = sec;
	dir->key = key;
	INIT_LIST_HEAD(&dir->node);
	err = kobject_init_and_add(&dir->kobj, d0g_kobj_type(&d0g_dir_ktype),
				   parent, "%s", name);
	if (!err)
		err = sysfs_create_group(&dir->kobj, &g->grp);
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

	list_for_each_entry_safe_reverse(dir, tmp, dirs, node)
		d0g_dir_destroy(dir);
}

/*
 * The tree: dom0gpu/ with one directory per section below it, then
 * mtrr/fixed/, mtrr/var/<n>/, cpus/<n>/ (every possible CPU) and
 * gpus/<address>/.
 */
enum {
	G_TOP, G_PAT, G_NVIDIA, G_MTRR, G_HYPERVISOR, G_XEN, G_IOMMU, G_GPUS,
	G_MTRR_FIXED, G_MTRR_VAR, G_CPU, G_GPU, NR_GROUPS
};

static const struct d0g_section *const group_sec[NR_GROUPS] = {
	[G_TOP] = &d0g_sec_top,
	[G_PAT] = &d0g_sec_pat,
	[G_NVIDIA] = &d0g_sec_nvidia,
	[G_MTRR] = &d0g_sec_mtrr,
	[G_HYPERVISOR] = &d0g_sec_hypervisor,
	[G_XEN] = &d0g_sec_xen,
	[G_IOMMU] = &d0g_sec_iommu,
	[G_GPUS] = &d0g_sec_gpus,
	[G_MTRR_FIXED] = &d0g_sec_mtrr_fixed,
	[G_MTRR_VAR] = &d0g_sec_mtrr_var,
	[G_CPU] = &d0g_sec_cpu,
	[G_GPU] = &d0g_sec_gpu,
};

static struct d0g_group groups[NR_GROUPS];
/* The section directories and mtrr/fixed/, in creation order. */
static LIST_HEAD(section_dirs);
static struct d0g_dir *dirs_of[G_GPUS + 1];

/* A plain directory holding one directory per item: mtrr/var/, cpus/. */
struct d0g_items {
	struct kobject *kobj;
	struct list_head dirs;
};

static struct d0g_items mtrr_vars = {
	.dirs = LIST_HEAD_INIT(mtrr_vars.dirs),
};

static struct d0g_items cpus = {
	.dirs = LIST_HEAD_INIT(cpus.dirs),
};

/* gpus/<address>/ follow the model's GPU list; gpu_dirs_mutex guards it. */
static LIST_HEAD(gpu_dirs);
static DEFINE_MUTEX(gpu_dirs_mutex);

static int d0g_section_dir(struct kobject *parent, const char *name,
			   unsigned int g, u64 key, struct list_head *list)
{
	struct d0g_dir *dir;

	dir = d0g_dir_create(parent, name, group_sec[g], key, &groups[g]);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	list_add_tail(&dir->node, list);
	if (g <= G_GPUS)
		dirs_of[g] = dir;
	return 0;
}

static u64 gpu_key(u32 domain, u8 bus, u8 devfn)
{
	return (u64)domain << 16 | bus << 8 | devfn;
}

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
		if (d0g_section_dir(&dirs_of[G_GPUS]->kobj, name, G_GPU,
				    keys[i], &gpu_dirs))
			pr_warn("gpus/%s: cannot create\n", name);
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

/* @name/<n>/ for the items 0 to @n - 1 of group @g. */
static int d0g_items_create(struct d0g_items *items, struct kobject *parent,
			    const char *name, unsigned int g, unsigned int n)
{
	unsigned int i;
	char num[12];
	int err;

	items->kobj = kobject_create_and_add(name, parent);
	if (!items->kobj)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%u", i);
		err = d0g_section_dir(items->kobj, num, g, i, &items->dirs);
		if (err)
			return err;
	}
	return 0;
}

static void d0g_items_destroy(struct d0g_items *items)
{
	d0g_dirs_destroy(&items->dirs);
	kobject_put(items->kobj);
	items->kobj = NULL;
}

/* mtrr/fixed/, mtrr/var/<n>/ and cpus/<n>/, sized as the model is now. */
static int d0g_item_dirs_create(void)
{
	unsigned int nr_var, nr_cpus;
	int err;

	err = d0g_section_dir(&dirs_of[G_MTRR]->kobj, "fixed", G_MTRR_FIXED, 0,
			      &section_dirs);
	if (err)
		return err;
	d0g_model_lock();
	nr_var = d0g_model.mtrr.readable ? d0g_model.mtrr.nr_var : 0;
	nr_cpus = d0g_model.pat.nr_slots;
	d0g_model_unlock();
	return d0g_items_create(&mtrr_vars, &dirs_of[G_MTRR]->kobj, "var",
				G_MTRR_VAR, nr_var) ?:
	       d0g_items_create(&cpus, &dirs_of[G_TOP]->kobj, d0g_sec_cpu.name,
				G_CPU, nr_cpus);
}

/* Children before their parents. */
static void d0g_tree_destroy(void)
{
	unsigned int i;

	d0g_items_destroy(&cpus);
	d0g_items_destroy(&mtrr_vars);
	d0g_dirs_destroy(&section_dirs);
	memset(dirs_of, 0, sizeof(dirs_of));
	for (i = 0; i < NR_GROUPS; i++)
		d0g_group_free(&groups[i]);
}

static int d0g_tree_create(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < NR_GROUPS; i++) {
		err = d0g_group_build(&groups[i], group_sec[i]);
		if (err)
			return err;
	}
	err = d0g_section_dir(kernel_kobj, d0g_sec_top.name, G_TOP, 0,
			      &section_dirs);
	for (i = G_TOP + 1; !err && i <= G_GPUS; i++)
		err = d0g_section_dir(&dirs_of[G_TOP]->kobj,
				      group_sec[i]->name, i, 0, &section_dirs);
	return err ?: d0g_item_dirs_create();
}

int d0g_sysfs_init(void)
{
	int err;

	err = d0g_tree_create();
	if (err)
		goto err_tree;
	err = blocking_notifier_chain_register(&d0g_model_notifier,
					       &sysfs_model_nb);
	if (err)
		goto err_tree;
	gpu_dirs_sync(NULL);
	return 0;

err_tree:
	d0g_tree_destroy();
	return err;
}

void d0g_sysfs_uninit(void)
{
	blocking_notifier_chain_unregister(&d0g_model_notifier, &sysfs_model_nb);
	cancel_work_sync(&gpu_dirs_work);
	mutex_lock(&gpu_dirs_mutex);
	d0g_dirs_destroy(&gpu_dirs);
	mutex_unlock(&gpu_dirs_mutex);
	d0g_tree_destroy();
}
