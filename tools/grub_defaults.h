/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GRUB_CMDLINE_XEN and GRUB_CMDLINE_XEN_DEFAULT as grub-mkconfig has them
 * when it runs /etc/grub.d/20_linux_xen: it sources /etc/default/grub,
 * then (Debian's grub-mkconfig only) /etc/default/grub.d/\*.cfg. Those
 * files are shell; grub_defaults.c evaluates the part of shell they use
 * for these two variables and names anything else instead of guessing.
 */
#ifndef DOM0GPU_STAT_GRUB_DEFAULTS_H
#define DOM0GPU_STAT_GRUB_DEFAULTS_H

#include <stdbool.h>
#include <stddef.h>

#define GRUB_VAR_LEN		1024
#define GRUB_PATH_LEN		192
#define GRUB_MAX_FILES		16

/* One variable after the files were sourced. */
struct grub_var {
	bool set;
	bool expands;		/* its last assignment uses $...: rewrite it by hand */
	char value[GRUB_VAR_LEN];	/* evaluated */
	char file[GRUB_PATH_LEN];	/* of the last assignment */
	int line;
};

struct grub_defaults {
	struct grub_var xen;		/* GRUB_CMDLINE_XEN */
	struct grub_var xen_default;	/* GRUB_CMDLINE_XEN_DEFAULT */
	char files[GRUB_MAX_FILES][GRUB_PATH_LEN];	/* sourced, in order */
	unsigned int nr_files;
	/* "file:line: why" of the first construct not evaluated; "" if none */
	char unknown[320];
};

/* Source the files under the current --root. */
void grub_defaults_read(struct grub_defaults *g);

/* The Xen options of grub-mkconfig's default (non-recovery) Xen entries. */
void grub_defaults_xen_line(const struct grub_defaults *g, char *buf, size_t len);

#endif /* DOM0GPU_STAT_GRUB_DEFAULTS_H */
