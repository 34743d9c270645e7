// SPDX-License-Identifier: GPL-2.0
/*
 * Every PCI display-class device (base class 0x03: VGA, XGA, 3D, other),
 * kept current by a PCI bus notifier: devices come and go (hotplug, SR-IOV,
 * remove/rescan) and drivers bind and unbind.
 */
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "model.h"

static bool is_display(const struct pci_dev *pdev)
{
	return (pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY;
}

/* Caller holds the device lock, or no driver can be bound yet. */
static void gpu_fill(struct pci_dev *pdev, struct d0g_gpu *g)
{
	struct device_driver *drv = pdev->dev.driver;
	unsigned int i;

	g->domain = pci_domain_nr(pdev->bus);
	g->bus = pdev->bus->number;
	g->devfn = pdev->devfn;
	g->vendor = pdev->vendor;
	g->device = pdev->device;
	g->class = pdev->class;
	strscpy(g->driver, drv ? drv->name : "", sizeof(g->driver));
	for (i = 0; i < D0G_PCI_BARS; i++)
		g->bar_size[i] = pci_resource_len(pdev, i);
	g->numa_node = dev_to_node(&pdev->dev);
	d0g_iommu_dev(&pdev->dev, &g->iommu_group, &g->iommu_domain);
}

static int gpu_update(struct pci_dev *pdev)
{
	struct d0g_event ev = { .kind = D0G_EVENT_GPU_CHANGED };
	struct d0g_gpu *fresh, *old;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	gpu_fill(pdev, fresh);

	d0g_model_lock();
	old = d0g_gpu_find(fresh->domain, fresh->bus, fresh->devfn);
	if (old) {
		list_replace(&old->node, &fresh->node);
	} else {
		list_add_tail(&fresh->node, &d0g_model.gpus);
		d0g_model.nr_gpus++;
		ev.kind = D0G_EVENT_GPU_ADDED;
	}
	ev.gpu = fresh;
	d0g_model_changed(&ev);
	d0g_model_unlock();
	kfree(old);
	return 0;
}

static void gpu_remove(struct pci_dev *pdev)
{
	struct d0g_event ev = { .kind = D0G_EVENT_GPU_REMOVED };
	struct d0g_gpu *g;

	d0g_model_lock();
	g = d0g_gpu_find(pci_domain_nr(pdev->bus), pdev->bus->number,
			 pdev->devfn);
	if (g) {
		list_del(&g->node);
		d0g_model.nr_gpus--;
		ev.gpu = g;
		d0g_model_changed(&ev);
	}
	d0g_model_unlock();
	kfree(g);
}

static int gpu_pci_event(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	if (!is_display(pdev))
		return NOTIFY_DONE;
	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
	case BUS_NOTIFY_BOUND_DRIVER:
	case BUS_NOTIFY_UNBOUND_DRIVER:
		if (gpu_update(pdev))
			pr_warn("%s: no memory to record the change\n",
				pci_name(pdev));
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		gpu_remove(pdev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block gpu_pci_nb = {
	.notifier_call = gpu_pci_event,
};

static void gpu_free_all(void)
{
	struct d0g_gpu *g, *tmp;

	d0g_model_lock();
	list_for_each_entry_safe(g, tmp, &d0g_model.gpus, node) {
		list_del(&g->node);
		kfree(g);
	}
	d0g_model.nr_gpus = 0;
	d0g_model_unlock();
}

int d0g_gpu_init(void)
{
	struct pci_dev *pdev = NULL;
	int err;

	/* Listen first, then scan: a device added meanwhile is not missed. */
	err = bus_register_notifier(&pci_bus_type, &gpu_pci_nb);
	if (err)
		return err;
	for_each_pci_dev(pdev) {
		if (!is_display(pdev))
			continue;
		device_lock(&pdev->dev);
		err = gpu_update(pdev);
		device_unlock(&pdev->dev);
		if (err) {
			pci_dev_put(pdev);
			bus_unregister_notifier(&pci_bus_type, &gpu_pci_nb);
			gpu_free_all();
			return err;
		}
	}
	return 0;
}

void d0g_gpu_uninit(void)
{
	bus_unregister_notifier(&pci_bus_type, &gpu_pci_nb);
	gpu_free_all();
}
