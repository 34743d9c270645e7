// SPDX-License-Identifier: GPL-2.0
/*
 * The IOMMU as Linux sees it. Under Xen the hypervisor owns the IOMMU and
 * hides it (and usually its ACPI table) from every domain, dom0 included:
 * Linux then has no groups, which is reported as owner "xen", not as an
 * absent IOMMU.
 */
#include <linux/acpi.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include "model.h"

static enum dom0gpu_iommu_domain domain_kind(const struct iommu_domain *d)
{
	if (!d)
		return DOM0GPU_IOMMU_DOMAIN_NONE;
	if (d->type == IOMMU_DOMAIN_IDENTITY)
		return DOM0GPU_IOMMU_DOMAIN_PASSTHROUGH;
	if (d->type == IOMMU_DOMAIN_BLOCKED)
		return DOM0GPU_IOMMU_DOMAIN_BLOCKED;
	if (d->type & __IOMMU_DOMAIN_DMA_API)
		return DOM0GPU_IOMMU_DOMAIN_TRANSLATED;
	if (d->type == IOMMU_DOMAIN_UNMANAGED)
		return DOM0GPU_IOMMU_DOMAIN_UNMANAGED;
	return DOM0GPU_IOMMU_DOMAIN_OTHER;
}

/*
 * The group and current domain of one device. The caller holds the device
 * lock (or the device has no driver yet), so that no driver (e.g. vfio-pci)
 * switches the domain while it is looked at.
 */
void d0g_iommu_dev(struct device *dev, s32 *group_id,
		   enum dom0gpu_iommu_domain *domain)
{
	struct iommu_group *group;

	*group_id = -1;
	*domain = DOM0GPU_IOMMU_DOMAIN_NONE;
	if (!device_iommu_mapped(dev))
		return;
	group = iommu_group_get(dev);
	if (!group)
		return;
	*group_id = iommu_group_id(group);
	*domain = domain_kind(iommu_get_domain_for_dev(dev));
	iommu_group_put(group);
}

static bool acpi_table_seen(char *sig)
{
	struct acpi_table_header *hdr;

	if (ACPI_FAILURE(acpi_get_table(sig, 0, &hdr)))
		return false;
	acpi_put_table(hdr);
	return true;
}

/* Distinct groups among PCI devices, and the domain of the first one. */
static u32 count_groups(enum dom0gpu_iommu_domain *first_domain)
{
	struct pci_dev *pdev = NULL;
	unsigned int n = 0, i;
	int *ids = NULL;
	int *grown;
	s32 id;

	*first_domain = DOM0GPU_IOMMU_DOMAIN_NONE;
	for_each_pci_dev(pdev) {
		struct iommu_group *group = iommu_group_get(&pdev->dev);

		if (!group)
			continue;
		id = iommu_group_id(group);
		iommu_group_put(group);
		for (i = 0; i < n && ids[i] != id; i++)
			;
		if (i < n)
			continue;
		grown = krealloc(ids, (n + 1) * sizeof(*ids), GFP_KERNEL);
		if (!grown)
			break;
		ids = grown;
		ids[n++] = id;
		/*
		 * Only try the lock: this runs from bus notifiers, which may be
		 * called with some device's lock held (SR-IOV VF removal).
		 */
		if (n == 1 && device_trylock(&pdev->dev)) {
			d0g_iommu_dev(&pdev->dev, &id, first_domain);
			device_unlock(&pdev->dev);
		}
	}
	pci_dev_put(pdev);
	kfree(ids);
	return n;
}

static void iommu_refresh(void)
{
	struct d0g_iommu io = { };
	enum dom0gpu_iommu_domain first;

	io.group_count = count_groups(&first);
	io.linux_present = d0g_iommu_present(&pci_bus_type) || io.group_count;
	io.acpi_dmar = acpi_table_seen(ACPI_SIG_DMAR);
	io.acpi_ivrs = acpi_table_seen(ACPI_SIG_IVRS);
	if (!io.linux_present)
		io.default_domain = DOM0GPU_IOMMU_DOMAIN_NONE;
	else if (d0g_iommu_default_known())
		io.default_domain = d0g_iommu_default_passthrough() ?
				    DOM0GPU_IOMMU_DOMAIN_PASSTHROUGH :
				    DOM0GPU_IOMMU_DOMAIN_TRANSLATED;
	else
		/* Before 5.4: a device no driver moved is in the default. */
		io.default_domain = first;

	if (xen_domain())
		io.owner = DOM0GPU_IOMMU_OWNER_XEN;
	else if (io.linux_present)
		io.owner = DOM0GPU_IOMMU_OWNER_LINUX;
	else
		io.owner = DOM0GPU_IOMMU_OWNER_NONE;

	d0g_model_lock();
	d0g_model.iommu = io;
	d0g_model_unlock();
}

static int iommu_pci_event(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	if (action == BUS_NOTIFY_ADD_DEVICE ||
	    action == BUS_NOTIFY_REMOVED_DEVICE)
		iommu_refresh();
	return NOTIFY_DONE;
}

static struct notifier_block iommu_pci_nb = {
	.notifier_call = iommu_pci_event,
};

int d0g_iommu_init(void)
{
	iommu_refresh();
	return bus_register_notifier(&pci_bus_type, &iommu_pci_nb);
}

void d0g_iommu_uninit(void)
{
	bus_unregister_notifier(&pci_bus_type, &iommu_pci_nb);
}
