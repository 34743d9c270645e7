// SPDX-License-Identifier: GPL-2.0
/*
 * source_collect(): which backends run. Which of them wins a fact that
 * several give is not their order here but precedence.c's table.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fsroot.h"
#include "source.h"

void source_collect(struct report *r, const struct collect_opts *o)
{
	time_t now = time(NULL);
	struct tm tm;
	int err = -1;

	if (gmtime_r(&now, &tm))
		strftime(r->generated, sizeof(r->generated), "%Y-%m-%dT%H:%M:%SZ", &tm);

	src_degraded_collect(r);
	src_userspace_collect(r);
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
