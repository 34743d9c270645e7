// SPDX-License-Identifier: GPL-2.0
/*
 * source_collect(): the order of the backends and the PAT vocabulary they
 * share. Later backends overwrite earlier facts, so the module (netlink or
 * sysfs) runs after the degraded readers and wins where both answer.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fsroot.h"
#include "source.h"

/* The kernel's names (arch/x86/mm/pat/memtype.c), by PAT type encoding. */
static const char *const pat_types[8] = {
	[0] = "UC", [1] = "WC", [4] = "WT", [5] = "WP", [6] = "WB", [7] = "UC-",
};

const char *pat_type_name(unsigned int entry)
{
	return entry < 8 && pat_types[entry] ? pat_types[entry] : "??";
}

int pat_type_from_name(const char *name)
{
	int i;

	for (i = 0; i < 8; i++)
		if (pat_types[i] && !strcmp(pat_types[i], name))
			return i;
	return -1;
}

void pat_layout_text(uint64_t pat, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 8 && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? " " : "",
					pat_type_name((pat >> (i * 8)) & 0xff));
}

int pat_wc_index(uint64_t pat)
{
	int i;

	for (i = 0; i < 8; i++)
		if (((pat >> (i * 8)) & 0xff) == 1)
			return i;
	return -1;
}

bool pat_from_layout(const char *layout, uint64_t *pat)
{
	char copy[128], *tok, *save = NULL;
	uint64_t v = 0;
	int i = 0;

	snprintf(copy, sizeof(copy), "%s", layout);
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		int t = pat_type_from_name(tok);

		if (t < 0 || i >= 8)
			return false;
		v |= (uint64_t)t << (i++ * 8);
	}
	if (i != 8)
		return false;
	*pat = v;
	return true;
}

void source_collect(struct report *r, const struct collect_opts *o)
{
	time_t now = time(NULL);
	struct tm tm;
	int err = -1;

	if (gmtime_r(&now, &tm))
		strftime(r->generated, sizeof(r->generated), "%Y-%m-%dT%H:%M:%SZ", &tm);

	src_degraded_collect(r);
	src_userspace_collect(r);
	src_nvopts_collect(r);
	src_pci_collect(r);
	if (!o->no_xenctrl && fsroot_is_host())
		src_xenctrl_collect(r);

	/* Netlink talks to the running kernel: meaningless under another root. */
	if (!o->no_netlink && fsroot_is_host()) {
		err = src_netlink_collect(r);
		if (!err)
			r->mode = MODE_NETLINK;
	}
	if (err && !o->no_sysfs) {
		err = src_sysfs_collect(r);
		if (!err)
			r->mode = MODE_SYSFS;
	}
	if (err)
		r->mode = MODE_DEGRADED;
	report_index_gpus(r);
}
