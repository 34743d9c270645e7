// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace facts added in every mode: the NVIDIA driver (loaded, version;
 * its UsePageAttributeTable in src_nvopts.c), nouveau, the kernel's release, command line and
 * configuration, and Xen's command line as configured for the next boot.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fsroot.h"
#include "grub_defaults.h"
#include "source.h"

static bool module_listed(const char *modules, const char *name)
{
	size_t n = strlen(name);
	const char *p = modules;

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ' ')
			return true;
	return false;
}

static void read_modules(struct report *r)
{
	static const char path[] = "/proc/modules";
	char *mods = fsroot_slurp(path, NULL);

	if (!mods) {
		report_note(r, "%s: %s", path, strerror(errno));
		return;
	}
	fact_set_bool(r, F_NVIDIA_LOADED, module_listed(mods, "nvidia"), SRC_PROC_MODULES, path);
	fact_set_bool(r, F_NOUVEAU_LOADED, module_listed(mods, "nouveau"), SRC_PROC_MODULES, path);
	free(mods);
}

static void read_nvidia(struct report *r)
{
	static const char vpath[] = "/proc/driver/nvidia/version";
	char buf[4096], *p;

	if (fsroot_read(vpath, buf, sizeof(buf)) > 0) {
		fact_set_bool(r, F_NVIDIA_LOADED, true, SRC_PROC_NVIDIA, vpath);
		/* "NVRM version: NVIDIA UNIX ... Kernel Module  580.159.04  Release Build ..." */
		for (p = strstr(buf, "Module"); p && *p; p++) {
			size_t n = strspn(p, "0123456789.");

			if (n >= 3 && strchr(p, '.') && p[-1] == ' ' && p[n] == ' ') {
				char ver[32];

				snprintf(ver, sizeof(ver), "%.*s", (int)n, p);
				fact_set_str(r, F_NVIDIA_VERSION, ver, SRC_PROC_NVIDIA, vpath);
				break;
			}
		}
	}
}

/* The value of @key= on a command line, copied to out; false if absent. */
static bool cmdline_value(const char *cmdline, const char *key, char *out, size_t len)
{
	size_t n = strlen(key);
	const char *p = cmdline;

	while ((p = strstr(p, key))) {
		if ((p == cmdline || p[-1] == ' ') && p[n] == '=') {
			p += n + 1;
			snprintf(out, len, "%.*s", (int)strcspn(p, " \n"), p);
			return true;
		}
		p += n;
	}
	return false;
}

static void read_cmdline(struct report *r)
{
	static const char path[] = "/proc/cmdline";
	char buf[4096], v[1024];

	if (fsroot_read_line(path, buf, sizeof(buf)) < 0)
		return;
	fact_set_str(r, F_KERNEL_CMDLINE, buf, SRC_PROC_CMDLINE, path);
	if (cmdline_value(buf, "xen-pciback.hide", v, sizeof(v)))
		fact_set_str(r, F_KERNEL_PCIBACK_HIDE, v, SRC_PROC_CMDLINE, path);
	else
		fact_set_str(r, F_KERNEL_PCIBACK_HIDE, "", SRC_PROC_CMDLINE, path);
}

static void kconfig_scan(struct report *r, const char *cfg, const char *from)
{
	fact_set_bool(r, F_KERNEL_XEN_PVH, strstr(cfg, "\nCONFIG_XEN_PVH=y") != NULL,
		      SRC_KCONFIG, from);
	fact_set_bool(r, F_KERNEL_X86_PAT, strstr(cfg, "\nCONFIG_X86_PAT=y") != NULL,
		      SRC_KCONFIG, from);
}

static char *gunzip_file(const char *path)
{
	size_t cap = 1 << 16, off = 0;
	char real[1024], *buf, *nb;
	gzFile gz;

	gz = gzopen(fsroot_path(path, real, sizeof(real)), "rb");
	if (!gz)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		int n;

		if (cap - off < 4096) {
			if (cap >= FSROOT_MAX_FILE * 4) {
				free(buf);
				buf = NULL;
				break;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		n = gzread(gz, buf + off, (unsigned int)(cap - off - 1));
		if (n <= 0) {
			if (n < 0) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		off += (size_t)n;
	}
	gzclose(gz);
	if (buf)
		buf[off] = '\0';
	return buf;
}

static void read_kernel(struct report *r)
{
	char rel[256], path[320], *cfg;

	if (fsroot_read_line("/proc/sys/kernel/osrelease", rel, sizeof(rel)) <= 0) {
		report_note(r, "kernel release unknown: /proc/sys/kernel/osrelease unreadable");
		return;
	}
	fact_set_str(r, F_KERNEL_RELEASE, rel, SRC_UNAME, "/proc/sys/kernel/osrelease");
	snprintf(path, sizeof(path), "/boot/config-%s", rel);
	cfg = fsroot_slurp(path, NULL);
	if (cfg) {
		kconfig_scan(r, cfg, path);
		free(cfg);
		return;
	}
	cfg = gunzip_file("/proc/config.gz");
	if (cfg) {
		kconfig_scan(r, cfg, "/proc/config.gz");
		free(cfg);
		return;
	}
	report_note(r, "kernel configuration not found (%s, /proc/config.gz)", path);
}

/*
 * The Xen options grub-mkconfig writes into the default Xen entry, from
 * the shell files it sources (grub_defaults.c). Set only where one of the
 * two variables is assigned: a host whose Xen is not booted by
 * grub-mkconfig's menu (XCP-ng, xen.efi) has nothing to say here.
 */
static void read_grub(struct report *r)
{
	struct grub_defaults g;
	char line[GRUB_VAR_LEN * 2], from[REPORT_FROM_LEN] = "";
	const struct grub_var *v[] = { &g.xen, &g.xen_default };
	size_t i, o = 0;

	grub_defaults_read(&g);
	if (g.unknown[0]) {
		report_note(r, "xen.cmdline_configured unknown: %s", g.unknown);
		return;
	}
	if (!g.xen.set && !g.xen_default.set)
		return;
	for (i = 0; i < 2; i++)
		if (v[i]->set && o < sizeof(from))
			o += (size_t)snprintf(from + o, sizeof(from) - o, "%s%s:%d", o ? ", " : "",
					      v[i]->file, v[i]->line);
	grub_defaults_xen_line(&g, line, sizeof(line));
	fact_set_str(r, F_XEN_CMDLINE_NEXT, line, SRC_GRUB, from);
}

void src_userspace_collect(struct report *r)
{
	read_modules(r);
	read_nvidia(r);
	src_nvopts_collect(r);
	read_cmdline(r);
	read_kernel(r);
	read_grub(r);
}
