// SPDX-License-Identifier: GPL-2.0
/*
 * NVreg_UsePageAttributeTable for the driver's next load, from the kernel
 * command line. A loadable module does not see the command line itself:
 * kmod's modprobe adds each "nvidia.OPTION=VALUE" it finds there after the
 * options of modprobe.d (libkmod's kmod_config_new() parses /proc/cmdline
 * last), and the kernel applies a repeated parameter in order, so the
 * command line's value wins over modprobe.d's. While nvidia is loaded,
 * /proc/driver/nvidia/params (src_userspace.c) says what it really got.
 */
#include <stdio.h>
#include <string.h>

#include "fsroot.h"
#include "source.h"

void src_nvopts_collect(struct report *r)
{
	static const char path[] = "/proc/cmdline";
	static const char key[] = "nvidia.NVreg_UsePageAttributeTable=";
	char buf[4096], num[24];
	unsigned long long v;
	const char *p, *found = NULL;

	if (fact_true(r, F_NVIDIA_LOADED) || fsroot_read_line(path, buf, sizeof(buf)) < 0)
		return;
	/* The last occurrence, as the kernel's parse_args() applies them. */
	for (p = buf; (p = strstr(p, key)); p += strlen(key))
		if (p == buf || p[-1] == ' ')
			found = p + strlen(key);
	if (!found)
		return;
	snprintf(num, sizeof(num), "%.*s", (int)strcspn(found, " \n"), found);
	if (parse_u64(num, &v))
		fact_set_int(r, F_NVIDIA_USE_PAT, (int64_t)v, SRC_PROC_CMDLINE, path);
}
