/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How this host boots Xen, read from its files (under --root): which boot
 * loader configuration, which menu entry is the current Xen one, and
 * whether the loader's one-time boot can work. src_boot.c fills it,
 * plan.c turns it into the steps of a PVH trial boot.
 */
#ifndef DOM0GPU_STAT_BOOT_H
#define DOM0GPU_STAT_BOOT_H

#include <stdbool.h>

#include "grub_defaults.h"

#define BOOT_MAX_ITEMS		96
#define BOOT_MAX_LOOKED		24
#define BOOT_PATH_LEN		192
#define BOOT_ARGS_LEN		1024

enum boot_kind {
	BOOT_UNKNOWN,
	BOOT_GRUB_MKCONFIG,	/* grub.cfg generated from /etc/grub.d by grub(2)-mkconfig */
	BOOT_XCPNG_GRUB,	/* XCP-ng/XenServer: grub.cfg edited by xen-cmdline */
	BOOT_EFI_XEN_CFG,	/* xen.efi started by the firmware, reading xen.cfg */
};

enum boot_firmware { FW_UNKNOWN, FW_BIOS, FW_UEFI };

/* A menuentry or submenu of grub.cfg. */
struct boot_item {
	char title[200];
	char id[128];
	bool submenu;
	int parent;		/* index into items[] of the enclosing submenu, -1 at top */
	int index;		/* position among its siblings, as GRUB numbers them */
	const char *body;	/* lines between the braces, inside boot_setup.cfg_text */
	int body_len;
	bool xen;		/* loads Xen with multiboot/multiboot2 */
};

struct boot_looked {
	char path[BOOT_PATH_LEN];
	char what[160];
};

struct boot_setup {
	enum boot_kind kind;
	enum boot_firmware firmware;
	char why[400];			/* what decided kind */
	struct boot_looked looked[BOOT_MAX_LOOKED];
	unsigned int nr_looked;

	/* GRUB (both kinds) */
	char grub_cfg[BOOT_PATH_LEN];
	char grubenv[BOOT_PATH_LEN];
	char tool_prefix[8];		/* "grub" or "grub2" (RHEL-like) */
	bool update_grub;		/* Debian's update-grub wrapper exists */
	char *cfg_text;			/* grub.cfg, owned */
	struct boot_item items[BOOT_MAX_ITEMS];
	int nr_items;
	int nr_top;			/* top-level entries and submenus */
	bool load_env;			/* grub.cfg loads grubenv */
	bool next_entry_logic;		/* 00_header's one-shot block */
	bool override_entry_logic;	/* XCP-ng's one-shot block */
	char default_expr[200];		/* grub.cfg's "set default=" outside the one-shot */
	char saved_entry[200];		/* grubenv */
	char next_entry[200];		/* grubenv: a one-time boot already pending */
	char override_entry[200];	/* grubenv (XCP-ng) */
	int default_item;		/* items[] GRUB boots by default, -1 unknown */
	int xen_item;			/* the Xen entry a trial copies, -1 none */
	char xen_note[512];		/* why that one */
	char env_fs[32];		/* filesystem holding grubenv (/proc/mounts) */
	char env_dev[BOOT_PATH_LEN];
	char env_unwritable[400];	/* non-empty: GRUB cannot write grubenv, and why */
	struct grub_var xen_default;	/* GRUB_CMDLINE_XEN_DEFAULT */
	struct grub_var xen_always;	/* GRUB_CMDLINE_XEN */
	char defaults_unknown[320];	/* grub_defaults.unknown */

	/* EFI xen.cfg */
	char xen_cfg[BOOT_PATH_LEN];
	char xen_efi[BOOT_PATH_LEN];	/* as the firmware names it: \EFI\...\xen.efi */
	char xen_cfg_section[64];	/* [global] default= */
	char xen_cfg_kernel[BOOT_ARGS_LEN];
	char xen_cfg_ramdisk[BOOT_PATH_LEN];
	char esp_dev[BOOT_PATH_LEN];	/* device of /boot/efi */

	/* The current Xen entry's Xen options, without GRUB's placeholder word. */
	char xen_args[BOOT_ARGS_LEN];
	char xen_loader_line[BOOT_ARGS_LEN];	/* its multiboot line, trimmed */
};

const char *boot_kind_name(enum boot_kind k);
const char *boot_firmware_name(enum boot_firmware f);

/* Read the boot setup under the current --root. Free with boot_setup_free(). */
void boot_detect(struct boot_setup *b);
void boot_setup_free(struct boot_setup *b);

/* "submenu>entry" as grub-reboot takes it (titles), for items[i]. */
void boot_item_path(const struct boot_setup *b, int i, char *buf, unsigned int len);

#endif /* DOM0GPU_STAT_BOOT_H */
