// SPDX-License-Identifier: GPL-2.0
/*
 * Display-class PCI devices from /sys/bus/pci, their bound driver, whether
 * xen-pciback.hide names them, and NVIDIA's UUID for each when the driver
 * is loaded (/proc/driver/nvidia/gpus/<slot>/information).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsroot.h"
#include "source.h"

#define PCI_DEVICES	"/sys/bus/pci/devices"

static bool read_hex(const char *dev, const char *attr, unsigned long long *v)
{
	char path[512], buf[64];

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/%s", dev, attr);
	return fsroot_read_line(path, buf, sizeof(buf)) > 0 && parse_u64(buf, v);
}

/* xen-pciback.hide=(0000:01:00.0)(02:00.0): the domain is optional. */
static bool hidden(const struct report *r, const char *slot)
{
	const char *list = r->f[F_KERNEL_PCIBACK_HIDE].s;
	char full[24], shrt[24];

	if (!list)
		return false;
	snprintf(full, sizeof(full), "(%s)", slot);
	snprintf(shrt, sizeof(shrt), "(%s)", slot + 5);
	return strstr(list, full) || strstr(list, shrt);
}

static void read_uuid(struct gpu *g)
{
	char path[256], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/driver/nvidia/gpus/%s/information", g->slot);
	if (fsroot_read(path, buf, sizeof(buf)) <= 0)
		return;
	p = strstr(buf, "GPU UUID:");
	if (!p)
		return;
	p += strlen("GPU UUID:");
	p += strspn(p, " \t");
	snprintf(g->uuid, sizeof(g->uuid), "%.*s", (int)strcspn(p, " \t\n"), p);
}

void src_pci_collect(struct report *r)
{
	char dirpath[1024];
	struct dirent *d;
	DIR *dir;

	dir = opendir(fsroot_path(PCI_DEVICES, dirpath, sizeof(dirpath)));
	if (!dir) {
		report_note(r, "%s unreadable: GPUs not listed", PCI_DEVICES);
		return;
	}
	while ((d = readdir(dir))) {
		unsigned long long cls, ven, dev;
		char lpath[512], drv[512];
		struct gpu *g;

		if (d->d_name[0] == '.' || strlen(d->d_name) >= sizeof(g->slot))
			continue;
		if (!read_hex(d->d_name, "class", &cls) || (cls >> 16) != 0x03)
			continue;
		if (!read_hex(d->d_name, "vendor", &ven) || !read_hex(d->d_name, "device", &dev))
			continue;
		g = report_add_gpu(r);
		if (!g)
			break;
		snprintf(g->slot, sizeof(g->slot), "%.15s", d->d_name);
		g->vendor = (uint16_t)ven;
		g->device = (uint16_t)dev;
		g->class = (uint32_t)cls;
		g->src = SRC_SYS_PCI;
		snprintf(lpath, sizeof(lpath), PCI_DEVICES "/%s/driver", d->d_name);
		if (fsroot_readlink(lpath, drv, sizeof(drv)) > 0) {
			const char *base = strrchr(drv, '/');

			snprintf(g->driver, sizeof(g->driver), "%.31s", base ? base + 1 : drv);
		}
		g->hidden = hidden(r, g->slot);
		if (g->vendor == 0x10de)
			read_uuid(g);
	}
	closedir(dir);
}
