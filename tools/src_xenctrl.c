// SPDX-License-Identifier: GPL-2.0
/*
 * Xen's own view through libxenctrl, loaded at run time so that the tool
 * has no build or install dependency on Xen: physinfo (HVM and I/O
 * virtualisation capabilities), Xen's command line, and its console ring
 * ("I/O virtualisation enabled|disabled"). Only the entry points whose
 * signatures have been stable across Xen 4.x are used.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dynload.h"
#include "fsroot.h"
#include "source.h"

#define XENVER_VERSION		0
#define XENVER_COMMANDLINE	9
#define PHYSCAP_HVM		(1U << 0)
/* directio moved from bit 1 to bit 2 when Xen 4.13 added the pv bit. */
#define PHYSCAP_DIRECTIO_OLD	(1U << 1)
#define PHYSCAP_DIRECTIO	(1U << 2)
#define PHYSCAP_HAP		(1U << 3)	/* 4.13 and later */
#define PHYSCAP_SHADOW		(1U << 4)	/* 4.13 and later */
#define PHYSINFO_CAPS_OFFSET	28	/* after seven uint32_t fields, every 4.x */
#define CONSOLE_RING_MAX	(1U << 20)

typedef void *(*xc_open_fn)(void *logger, void *dombuild_logger, unsigned int flags);
typedef int (*xc_close_fn)(void *xch);
typedef int (*xc_version_fn)(void *xch, int cmd, void *arg);
typedef int (*xc_physinfo_fn)(void *xch, void *info);
typedef int (*xc_console_fn)(void *xch, char *buf, unsigned int *nr, int clear, int incr,
			     uint32_t *index);

static void *open_lib(char *name, size_t len)
{
	static const char *const dirs[] = {
		"/usr/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib", "/usr/local/lib",
	};
	unsigned int i;
	void *h;

	snprintf(name, len, "libxenctrl.so");
	h = dynload_open(name);
	for (i = 0; !h && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *e;

		while (d && !h && (e = readdir(d))) {
			if (strncmp(e->d_name, "libxenctrl.so.", 14))
				continue;
			snprintf(name, len, "%s/%s", dirs[i], e->d_name);
			h = dynload_open(name);
		}
		if (d)
			closedir(d);
	}
	return h;
}

/* A symbol into a function pointer without the cast ISO C forbids. */
static void sym(void *h, const char *name, void *fn, size_t len)
{
	void *p = dynload_sym(h, name);

	memcpy(fn, &p, len);
}

static void read_console(struct report *r, void *xch, xc_console_fn readring)
{
	unsigned int nr = CONSOLE_RING_MAX - 1;
	char *buf = malloc(CONSOLE_RING_MAX);
	const char *p, *last = NULL;
	uint32_t ring_index = 0;

	if (!buf)
		return;
	if (readring(xch, buf, &nr, 0, 0, &ring_index) == 0 && nr < CONSOLE_RING_MAX) {
		buf[nr] = '\0';
		for (p = buf; (p = strstr(p, "I/O virtualisation ")); p++)
			last = p;
		if (last)
			fact_set_bool(r, F_XEN_IOMMU, !strncmp(last + 19, "enabled", 7),
				      SRC_XEN_CONSOLE, "xc_readconsolering");
	}
	free(buf);
}

void src_xenctrl_collect(struct report *r)
{
	xc_open_fn xopen;
	xc_close_fn xclose;
	xc_version_fn xversion;
	xc_physinfo_fn xphys;
	xc_console_fn xcons;
	char name[512], cmdline[1024 + 1];
	unsigned char info[512];
	void *h, *xch;
	int ver;

	if (geteuid() != 0 || (!fsroot_exists("/proc/xen/privcmd") &&
			       !fsroot_exists("/dev/xen/privcmd")))
		return;
	if (!dynload_available) {
		report_note(r, "libxenctrl not loaded: %s", dynload_error());
		return;
	}
	h = open_lib(name, sizeof(name));
	if (!h)
		return;
	sym(h, "xc_interface_open", &xopen, sizeof(xopen));
	sym(h, "xc_interface_close", &xclose, sizeof(xclose));
	sym(h, "xc_version", &xversion, sizeof(xversion));
	sym(h, "xc_physinfo", &xphys, sizeof(xphys));
	sym(h, "xc_readconsolering", &xcons, sizeof(xcons));
	if (!xopen || !xclose || !xversion) {
		dynload_close(h);
		return;
	}
	xch = xopen(NULL, NULL, 0);
	if (!xch) {
		report_note(r, "%s: xc_interface_open failed (not dom0?)", name);
		dynload_close(h);
		return;
	}
	ver = xversion(xch, XENVER_VERSION, NULL);
	memset(cmdline, 0, sizeof(cmdline));
	if (xversion(xch, XENVER_COMMANDLINE, cmdline) == 0)
		fact_set_str(r, F_XEN_CMDLINE, cmdline, SRC_XENCTRL, "xc_version(XENVER_commandline)");
	memset(info, 0, sizeof(info));
	if (xphys && ver > 0 && xphys(xch, info) == 0) {
		uint32_t caps;
		bool new_bits = (ver >> 16) > 4 || ((ver >> 16) == 4 && (ver & 0xffff) >= 13);

		memcpy(&caps, info + PHYSINFO_CAPS_OFFSET, sizeof(caps));
		fact_set_bool(r, F_XEN_HVM, !!(caps & PHYSCAP_HVM), SRC_XENCTRL, "xc_physinfo");
		fact_set_bool(r, F_XEN_IOMMU,
			      !!(caps & (new_bits ? PHYSCAP_DIRECTIO : PHYSCAP_DIRECTIO_OLD)),
			      SRC_XENCTRL, "xc_physinfo");
		if (new_bits) {
			fact_set_bool(r, F_XEN_HAP, !!(caps & PHYSCAP_HAP), SRC_XENCTRL,
				      "xc_physinfo");
			fact_set_bool(r, F_XEN_SHADOW, !!(caps & PHYSCAP_SHADOW), SRC_XENCTRL,
				      "xc_physinfo");
		}
	}
	if (xcons && !fact_known(r, F_XEN_IOMMU))
		read_console(r, xch, xcons);
	xclose(xch);
	dynload_close(h);
}
