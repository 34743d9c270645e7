// SPDX-License-Identifier: GPL-2.0
/*
 * The module's sysfs tree, /sys/kernel/dom0gpu (its ABI is described in
 * Documentation/ABI/testing/sysfs-kernel-dom0gpu). Files missing from an
 * older module are skipped; xen/cmdline is root-only (0400).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fsroot.h"
#include "pat_types.h"
#include "source.h"

#define SYSFS_ROOT	"/sys/kernel/dom0gpu"

static bool rd(const char *rel, char *buf, size_t len, char *path, size_t plen)
{
	snprintf(path, plen, SYSFS_ROOT "/%s", rel);
	return fsroot_read_line(path, buf, len) >= 0;
}

static void set_bool(struct report *r, enum fact_id id, const char *rel)
{
	char buf[16], path[128];

	if (rd(rel, buf, sizeof(buf), path, sizeof(path)) && (!strcmp(buf, "0") || !strcmp(buf, "1")))
		fact_set_bool(r, id, buf[0] == '1', SRC_SYSFS, path);
}

static void set_str(struct report *r, enum fact_id id, const char *rel)
{
	char buf[1100], path[128];

	if (rd(rel, buf, sizeof(buf), path, sizeof(path)))
		fact_set_str(r, id, buf, SRC_SYSFS, path);
}

int src_sysfs_collect(struct report *r)
{
	char buf[1100], path[128];
	unsigned long long v;

	if (!rd("version", buf, sizeof(buf), path, sizeof(path)))
		return -ENOENT;
	fact_set_str(r, F_DOM0GPU_VERSION, buf, SRC_SYSFS, path);

	if (rd("pat/msr", buf, sizeof(buf), path, sizeof(path)) && parse_u64(buf, &v)) {
		fact_set_hex(r, F_PAT_MSR, v, SRC_SYSFS, path);
		/* The module read the PAT; a kernel-log layout may be stale. */
		pat_layout_text(v, buf, sizeof(buf));
		fact_set_str(r, F_PAT_LAYOUT, buf, SRC_SYSFS, path);
	}
	set_str(r, F_PAT_LAYOUT, "pat/layout");
	if (rd("pat/wc_index", buf, sizeof(buf), path, sizeof(path))) {
		long long i;

		if (sscanf(buf, "%lld", &i) == 1 && i >= -1 && i <= 7)
			fact_set_int(r, F_PAT_WC_INDEX, i, SRC_SYSFS, path);
	}
	set_bool(r, F_PAT_CONSISTENT, "pat/consistent");
	if (fact_true(r, F_PAT_CONSISTENT))
		fact_clear(r, F_PAT_MSR_OTHER);
	set_bool(r, F_PAT_KERNEL_ENABLED, "pat/kernel_enabled");
	set_bool(r, F_CPU_PAT, "pat/feature");
	if (rd("pat/cpus_read", buf, sizeof(buf), path, sizeof(path)) && parse_u64(buf, &v))
		fact_set_int(r, F_PAT_CPUS_READ, (int64_t)v, SRC_SYSFS, path);
	if (rd("cpus/0/microcode", buf, sizeof(buf), path, sizeof(path)) && parse_u64(buf, &v))
		fact_set_hex(r, F_CPU_MICROCODE, v, SRC_SYSFS, path);
	set_bool(r, F_KERNEL_X86_PAT, "nvidia/kernel_has_pat");
	set_str(r, F_MODULE_PAT_MODE, "nvidia/pat_mode");
	set_str(r, F_MODULE_PAT_REASON, "nvidia/reason");

	if (rd("hypervisor/type", buf, sizeof(buf), path, sizeof(path))) {
		/* x86_hyper_type by name: native, xen_pv, xen_hvm, kvm, ... */
		const char *t = buf;

		if (!strcmp(buf, "native"))
			t = "none";
		else if (!strncmp(buf, "xen", 3))
			t = "xen";
		fact_set_str(r, F_HYPERVISOR_TYPE, t, SRC_SYSFS, path);
	}
	set_bool(r, F_CPU_HYPERVISOR_BIT, "hypervisor/cpuid_bit");
	set_str(r, F_XEN_DOMAIN_TYPE, "xen/domain_type");
	if (!fact_known(r, F_XEN_DOMAIN_TYPE) || fact_str_is(r, F_XEN_DOMAIN_TYPE, "none"))
		return 0;
	set_bool(r, F_XEN_INITIAL_DOMAIN, "xen/initial_domain");
	if (rd("xen/version", buf, sizeof(buf), path, sizeof(path)) && buf[0]) {
		char extra[64] = "", epath[128];

		rd("xen/extraversion", extra, sizeof(extra), epath, sizeof(epath));
		/* Older trees put the extraversion into xen/version itself. */
		if (!strstr(buf, extra))
			strncat(buf, extra, sizeof(buf) - strlen(buf) - 1);
		fact_set_str(r, F_XEN_VERSION, buf, SRC_SYSFS, path);
	}
	if (rd("xen/capabilities", buf, sizeof(buf), path, sizeof(path)) && buf[0]) {
		fact_set_str(r, F_XEN_CAPABILITIES, buf, SRC_SYSFS, path);
		fact_set_bool(r, F_XEN_HVM, strstr(buf, "hvm-") != NULL, SRC_SYSFS, path);
	}
	/* Empty when Xen refuses XENVER_commandline: unknown, not "no options". */
	if (rd("xen/cmdline", buf, sizeof(buf), path, sizeof(path)) && buf[0])
		fact_set_str(r, F_XEN_CMDLINE, buf, SRC_SYSFS, path);
	else if (errno == EACCES || errno == EPERM)
		report_note(r, "%s: readable by root only: Xen's command line not checked", path);
	return 0;
}
