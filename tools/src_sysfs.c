// SPDX-License-Identifier: GPL-2.0
/*
 * The module's sysfs tree, /sys/kernel/dom0gpu (its ABI is described in
 * Documentation/ABI/testing/sysfs-kernel-dom0gpu), decoded into the module
 * snapshot (snapshot.h). Files missing from an older module are skipped;
 * xen/cmdline is root-only (0400); a Xen value the module cannot give is
 * an empty file.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsroot.h"
#include "pat_types.h"
#include "snapshot.h"
#include "source.h"

#define SYSFS_ROOT	"/sys/kernel/dom0gpu"

static bool rd(const char *rel, char *buf, size_t len, char *path, size_t plen)
{
	snprintf(path, plen, SYSFS_ROOT "/%s", rel);
	return fsroot_read_line(path, buf, len) >= 0;
}

/* Files of one value each, by the field they fill. */
enum kind { K_STR, K_NONEMPTY, K_BOOL, K_U64, K_WC_INDEX };

static const struct {
	const char *rel;
	enum snap_field field;
	enum kind kind;
} files[] = {
	{ "pat/msr", SNAP_PAT_MSR, K_U64 },
	{ "pat/layout", SNAP_PAT_LAYOUT, K_STR },
	{ "pat/wc_index", SNAP_PAT_WC_INDEX, K_WC_INDEX },
	{ "pat/consistent", SNAP_PAT_CONSISTENT, K_BOOL },
	{ "pat/kernel_enabled", SNAP_PAT_KERNEL_ENABLED, K_BOOL },
	{ "pat/feature", SNAP_PAT_FEATURE, K_BOOL },
	{ "pat/cpus_read", SNAP_PAT_CPUS_READ, K_U64 },
	{ "nvidia/kernel_has_pat", SNAP_KERNEL_HAS_PAT, K_BOOL },
	{ "nvidia/pat_mode", SNAP_PAT_MODE, K_STR },
	{ "nvidia/reason", SNAP_PAT_REASON, K_STR },
	{ "hypervisor/type", SNAP_HYPERVISOR_TYPE, K_STR },
	{ "hypervisor/cpuid_bit", SNAP_CPUID_BIT, K_BOOL },
	{ "xen/domain_type", SNAP_XEN_DOMAIN_TYPE, K_STR },
	{ "xen/initial_domain", SNAP_XEN_INITIAL_DOMAIN, K_BOOL },
	{ "xen/version", SNAP_XEN_VERSION, K_NONEMPTY },
	{ "xen/extraversion", SNAP_XEN_EXTRAVERSION, K_STR },
	{ "xen/capabilities", SNAP_XEN_CAPABILITIES, K_NONEMPTY },
};

static void read_file(struct module_snapshot *s, const char *rel, enum snap_field f, enum kind k)
{
	char buf[REPORT_STR_LEN + 64], path[128];
	unsigned long long v;
	long long i;

	if (!rd(rel, buf, sizeof(buf), path, sizeof(path)))
		return;
	switch (k) {
	case K_NONEMPTY:
		if (!buf[0])
			break;
		/* fall through */
	case K_STR:
		snapshot_set_str(s, f, buf, path);
		break;
	case K_BOOL:
		if (!strcmp(buf, "0") || !strcmp(buf, "1"))
			snapshot_set_u(s, f, buf[0] == '1', path);
		break;
	case K_U64:
		if (parse_u64(buf, &v))
			snapshot_set_u(s, f, v, path);
		break;
	case K_WC_INDEX:
		if (sscanf(buf, "%lld", &i) == 1 && i >= -1 && i <= 7)
			snapshot_set_u(s, f, (uint64_t)i, path);
		break;
	}
}

/* Empty when Xen refuses XENVER_commandline: unknown, not "no options". */
static void read_xen_cmdline(struct module_snapshot *s)
{
	char buf[REPORT_STR_LEN + 64], path[128];

	if (rd("xen/cmdline", buf, sizeof(buf), path, sizeof(path))) {
		if (buf[0])
			snapshot_set_str(s, SNAP_XEN_CMDLINE, buf, path);
	} else if (errno == EACCES || errno == EPERM) {
		snapshot_set_u(s, SNAP_XEN_CMDLINE_RESTRICTED, 1, path);
	}
}

/*
 * cpus/<n>/, in CPU order: every possible CPU; one never online has no
 * values (ENODATA). The boot CPU's microcode revision; every CPU's PAT.
 */
static void read_cpus(struct module_snapshot *s)
{
	char rel[64], buf[64], path[128];
	struct dirent **list = NULL;
	unsigned long long v;
	int n, i;

	n = fsroot_scan_cpus(SYSFS_ROOT "/cpus", &list);
	for (i = 0; i < n; i++) {
		unsigned int cpu = (unsigned int)strtoul(list[i]->d_name, NULL, 10);
		uint64_t pat;
		uint32_t rev;

		snprintf(rel, sizeof(rel), "cpus/%u/microcode", cpu);
		if (cpu == 0 && rd(rel, buf, sizeof(buf), path, sizeof(path)) && parse_u64(buf, &v)) {
			rev = (uint32_t)v;
			snapshot_cpu(s, cpu, NULL, &rev, path);
		}
		snprintf(rel, sizeof(rel), "cpus/%u/pat", cpu);
		if (rd(rel, buf, sizeof(buf), path, sizeof(path)) && parse_u64(buf, &v)) {
			pat = v;
			snapshot_cpu(s, cpu, &pat, NULL, path);
		}
		free(list[i]);
	}
	free(list);
}

int src_sysfs_collect(struct report *r)
{
	struct module_snapshot *s;
	char buf[REPORT_STR_LEN], path[128];
	unsigned int i;

	if (!rd("version", buf, sizeof(buf), path, sizeof(path)))
		return -ENOENT;
	s = malloc(sizeof(*s));
	if (!s) {
		report_note(r, "dom0gpu sysfs: %s", strerror(errno));
		return -ENOMEM;
	}
	snapshot_init(s, SRC_SYSFS);
	snapshot_set_str(s, SNAP_VERSION, buf, path);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		read_file(s, files[i].rel, files[i].field, files[i].kind);
	read_xen_cmdline(s);
	read_cpus(s);
	snapshot_to_facts(s, r);
	free(s);
	return 0;
}
