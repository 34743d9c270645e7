// SPDX-License-Identifier: GPL-2.0
/*
 * The boot setup, read from the host's files the way the boot loaders read
 * them:
 *  - GRUB 2 from grub-mkconfig: the shell files it sources
 *    (grub_defaults.c), grub.cfg's menu and 00_header's one-shot
 *    block ("if [ "${next_entry}" ] ... save_env next_entry"), grubenv;
 *  - XCP-ng/XenServer: the grub.cfg that xcp/bootloader.py (python-libs)
 *    reads and writes, with its "override_entry" one-shot block;
 *  - xen.efi with xen.cfg (Xen's docs/misc/efi.pandoc): [global] default=
 *    names the section, whose options= is Xen's command line.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "fsroot.h"

/* Copy into a char array, cut to its size (values longer than that are not real). */
#define COPY(dst, src) snprintf(dst, sizeof(dst), "%.*s", (int)sizeof(dst) - 1, src)

const char *boot_kind_name(enum boot_kind k)
{
	switch (k) {
	case BOOT_GRUB_MKCONFIG:
		return "grub-mkconfig";
	case BOOT_XCPNG_GRUB:
		return "xcp-ng-grub";
	case BOOT_EFI_XEN_CFG:
		return "efi-xen-cfg";
	case BOOT_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *boot_firmware_name(enum boot_firmware f)
{
	switch (f) {
	case FW_BIOS:
		return "bios";
	case FW_UEFI:
		return "uefi";
	case FW_UNKNOWN:
		break;
	}
	return "unknown";
}

static void looked(struct boot_setup *b, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void looked(struct boot_setup *b, const char *path, const char *fmt, ...)
{
	struct boot_looked *l;
	va_list ap;

	if (b->nr_looked >= BOOT_MAX_LOOKED)
		return;
	l = &b->looked[b->nr_looked++];
	snprintf(l->path, sizeof(l->path), "%s", path);
	va_start(ap, fmt);
	vsnprintf(l->what, sizeof(l->what), fmt, ap);
	va_end(ap);
}

static bool probe(struct boot_setup *b, const char *path)
{
	bool there = fsroot_exists(path);

	looked(b, path, "%s", there ? "present" : "absent");
	return there;
}

/* ---- the shell files grub-mkconfig sources (grub_defaults.c) ---- */

static void read_defaults(struct boot_setup *b)
{
	struct grub_defaults g;
	unsigned int i;

	grub_defaults_read(&g);
	probe(b, "/etc/default/grub");
	for (i = 0; i < g.nr_files; i++)
		if (strcmp(g.files[i], "/etc/default/grub"))
			looked(b, g.files[i], "present");
	b->xen_default = g.xen_default;
	b->xen_always = g.xen;
	snprintf(b->defaults_unknown, sizeof(b->defaults_unknown), "%s", g.unknown);
}

/* ---- grub.cfg ---- */

/* One GRUB word at *pp: '...' literal, "..." with \ escapes, or bare. */
static bool grub_word(const char **pp, char *out, size_t len)
{
	const char *p = *pp;
	size_t o = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '{' || *p == '\n')
		return false;
	while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '{') {
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (o + 1 < len)
					out[o++] = *p;
			if (*p)
				p++;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (o + 1 < len)
					out[o++] = *p;
			}
			if (*p)
				p++;
		} else {
			if (*p == '\\' && p[1])
				p++;
			if (o + 1 < len)
				out[o++] = *p;
			p++;
		}
	}
	out[o] = '\0';
	*pp = p;
	return true;
}

static bool starts_word(const char *p, const char *w)
{
	size_t n = strlen(w);

	return !strncmp(p, w, n) && (p[n] == ' ' || p[n] == '\t');
}

/* The file multiboot/multiboot2 loads, and whether it is Xen. */
static bool loads_xen(const char *body, int len)
{
	const char *p = body, *end = body + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		char w[256];

		while (*q == ' ' || *q == '\t')
			q++;
		if (starts_word(q, "multiboot2") || starts_word(q, "multiboot")) {
			q += strcspn(q, " \t");
			if (grub_word(&q, w, sizeof(w)) && strstr(w, "xen"))
				return true;
		}
		p = nl ? nl + 1 : end;
	}
	return false;
}

static void parse_menu_line(struct boot_setup *b, const char *p, bool submenu, int parent,
			    int *siblings)
{
	struct boot_item *it;
	char w[256];

	if (b->nr_items >= BOOT_MAX_ITEMS)
		return;
	it = &b->items[b->nr_items];
	memset(it, 0, sizeof(*it));
	it->submenu = submenu;
	it->parent = parent;
	it->index = siblings[parent + 1]++;
	p += submenu ? 7 : 9;
	if (grub_word(&p, w, sizeof(w)))
		COPY(it->title, w);
	while (grub_word(&p, w, sizeof(w))) {
		if (!strcmp(w, "--id") || !strcmp(w, "$menuentry_id_option") ||
		    !strcmp(w, "${menuentry_id_option}")) {
			if (grub_word(&p, w, sizeof(w)))
				COPY(it->id, w);
		}
	}
	b->nr_items++;
}

static void strip_value(char *v)
{
	size_t n;

	str_trim(v);
	n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		memmove(v, v + 1, n - 2);
		v[n - 2] = '\0';
	}
}

static void parse_grub_cfg(struct boot_setup *b)
{
	int stack[16], depth = 0, siblings[BOOT_MAX_ITEMS + 1];
	int open_item = -1, open_depth = 0;
	const char *p = b->cfg_text, *body = NULL;

	memset(siblings, 0, sizeof(siblings));
	stack[0] = -1;
	while (*p) {
		const char *nl = strchr(p, '\n'), *q = p;
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		while (*q == ' ' || *q == '\t')
			q++;
		if (open_item >= 0) {
			/* Inside an entry: only its closing brace matters. */
			if (*q == '}' && depth == open_depth) {
				struct boot_item *it = &b->items[open_item];

				it->body = body;
				it->body_len = (int)(p - body);
				it->xen = loads_xen(body, it->body_len);
				open_item = -1;
			} else if (len && q[len - (size_t)(q - p) - 1] == '{') {
				depth++;
			} else if (*q == '}') {
				depth--;
			}
		} else if (starts_word(q, "menuentry") || starts_word(q, "submenu")) {
			bool sub = starts_word(q, "submenu");
			int parent = stack[depth < 16 ? depth : 15];

			parse_menu_line(b, q, sub, parent, siblings);
			if (parent < 0)
				b->nr_top++;
			if (sub) {
				if (depth + 1 < 16)
					stack[depth + 1] = b->nr_items - 1;
				depth++;
			} else {
				open_item = b->nr_items - 1;
				open_depth = depth;
				body = nl ? nl + 1 : p + len;
			}
		} else if (*q == '}' && depth > 0) {
			depth--;
		} else {
			char line[512];

			snprintf(line, sizeof(line), "%.*s", (int)(len - (size_t)(q - p)), q);
			if (starts_word(line, "load_env") || !strcmp(line, "load_env"))
				b->load_env = true;
			if (strstr(line, "save_env next_entry"))
				b->next_entry_logic = true;
			if (strstr(line, "set default=$override_entry") ||
			    strstr(line, "set default=\"${override_entry}\"") ||
			    strstr(line, "set default=${override_entry}"))
				b->override_entry_logic = true;
			if (!strncmp(line, "set default=", 12) && !strstr(line, "next_entry") &&
			    !strstr(line, "override_entry")) {
				COPY(b->default_expr, line + 12);
				strip_value(b->default_expr);
			}
		}
		p = nl ? nl + 1 : p + len;
	}
}

static void read_grubenv(struct boot_setup *b)
{
	char *text = fsroot_slurp(b->grubenv, NULL), *line, *save = NULL;

	looked(b, b->grubenv, "%s", text ? "present" : "absent (grub-editenv creates it)");
	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "saved_entry=", 12))
			snprintf(b->saved_entry, sizeof(b->saved_entry), "%s", line + 12);
		else if (!strncmp(line, "next_entry=", 11))
			snprintf(b->next_entry, sizeof(b->next_entry), "%s", line + 11);
		else if (!strncmp(line, "override_entry=", 15))
			snprintf(b->override_entry, sizeof(b->override_entry), "%s", line + 15);
	}
	free(text);
}

void boot_item_path(const struct boot_setup *b, int i, char *buf, unsigned int len)
{
	char tmp[1024];

	buf[0] = '\0';
	while (i >= 0) {
		snprintf(tmp, sizeof(tmp), "%s%s%s", b->items[i].title, buf[0] ? ">" : "", buf);
		snprintf(buf, len, "%s", tmp);
		i = b->items[i].parent;
	}
}

/* GRUB's "default": a number, a title or an id, ">"-separated through submenus. */
static int resolve_default(const struct boot_setup *b, const char *expr)
{
	char part[200];
	int parent = -1, found = -1;

	while (*expr) {
		size_t n = strcspn(expr, ">");
		unsigned long long num;
		int i;

		snprintf(part, sizeof(part), "%.*s", (int)n, expr);
		found = -1;
		for (i = 0; i < b->nr_items; i++) {
			const struct boot_item *it = &b->items[i];

			if (it->parent != parent)
				continue;
			if ((parse_u64(part, &num) && (unsigned long long)it->index == num) ||
			    !strcmp(it->title, part) || (it->id[0] && !strcmp(it->id, part))) {
				found = i;
				break;
			}
		}
		if (found < 0)
			return -1;
		parent = found;
		expr += n;
		if (*expr == '>')
			expr++;
	}
	return found;
}

static void pick_xen_entry(struct boot_setup *b)
{
	const char *expr = b->default_expr;
	int i;

	if (!strcmp(expr, "${saved_entry}") || !strcmp(expr, "$saved_entry"))
		expr = b->saved_entry;
	/* An unset or unknown default boots the first entry (GRUB's menu.c). */
	b->default_item = resolve_default(b, expr[0] ? expr : "0");
	if (b->default_item >= 0 && b->items[b->default_item].submenu)
		b->default_item = -1;
	if (b->default_item >= 0 && b->items[b->default_item].xen) {
		b->xen_item = b->default_item;
		snprintf(b->xen_note, sizeof(b->xen_note), "GRUB's default entry");
		return;
	}
	for (i = 0; i < b->nr_items; i++)
		if (b->items[i].xen)
			break;
	if (i == b->nr_items)
		return;
	b->xen_item = i;
	snprintf(b->xen_note, sizeof(b->xen_note), "the first Xen entry: GRUB's default (%s) %s",
		 expr[0] ? expr : "0",
		 b->default_item < 0 ? "names no entry of grub.cfg" : "does not load Xen");
}

/* The Xen entry's multiboot line: Xen's options after the file (and 20_linux_xen's "placeholder"). */
static void xen_args_of(struct boot_setup *b)
{
	const struct boot_item *it = &b->items[b->xen_item];
	const char *p = it->body, *end = it->body + it->body_len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *q = p;
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		while (*q == ' ' || *q == '\t')
			q++;
		if (starts_word(q, "multiboot2") || starts_word(q, "multiboot")) {
			char w[512];
			size_t o = 0;

			snprintf(b->xen_loader_line, sizeof(b->xen_loader_line), "%.*s",
				 (int)(len - (size_t)(q - p)), q);
			str_trim(b->xen_loader_line);
			q = b->xen_loader_line;
			grub_word(&q, w, sizeof(w));	/* multiboot2 */
			grub_word(&q, w, sizeof(w));	/* /boot/xen.gz */
			while (grub_word(&q, w, sizeof(w))) {
				if (!o && !strcmp(w, "placeholder"))
					continue;
				if (w[0] == '$')	/* a GRUB variable, e.g. ${xen_rm_opts} */
					continue;
				o += (size_t)snprintf(b->xen_args + o, sizeof(b->xen_args) - o, "%s%s",
						      o ? " " : "", w);
				if (o >= sizeof(b->xen_args))
					break;
			}
			return;
		}
		p = nl ? nl + 1 : end;
	}
}

/* The mount that holds path (longest prefix in /proc/mounts), and the ESP's device. */
static void read_mounts(struct boot_setup *b, const char *path)
{
	char *text = fsroot_slurp("/proc/mounts", NULL), *line, *save = NULL;
	size_t best = 0;

	if (!text) {
		looked(b, "/proc/mounts", "absent: cannot tell which filesystem holds grubenv");
		return;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char dev[BOOT_PATH_LEN], mnt[BOOT_PATH_LEN], fs[32];
		size_t n;

		if (sscanf(line, "%191s %191s %31s", dev, mnt, fs) != 3)
			continue;
		n = strlen(mnt);
		if (!strcmp(mnt, "/"))
			n = 0;
		else if (strncmp(path, mnt, n) || path[n] != '/')
			continue;
		if (n >= best) {
			best = n;
			snprintf(b->env_fs, sizeof(b->env_fs), "%s", fs);
			snprintf(b->env_dev, sizeof(b->env_dev), "%s", dev);
		}
		if (!strcmp(mnt, "/boot/efi"))
			snprintf(b->esp_dev, sizeof(b->esp_dev), "%s", dev);
	}
	free(text);
}

/* GRUB writes grubenv only on plain filesystems it can write (00_header's check_writable). */
static void check_env_writable(struct boot_setup *b)
{
	static const char *const ro_fs[] = { "btrfs", "zfs", "squashfs", "cpiofs", "romfs" };
	size_t i;

	read_mounts(b, b->grubenv);
	if (!b->env_fs[0])
		return;
	looked(b, "/proc/mounts", "grubenv on %s (%s)", b->env_dev, b->env_fs);
	for (i = 0; i < sizeof(ro_fs) / sizeof(ro_fs[0]); i++)
		if (!strcmp(b->env_fs, ro_fs[i]))
			snprintf(b->env_unwritable, sizeof(b->env_unwritable),
				 "grubenv is on %s, which GRUB cannot write", b->env_fs);
	if (!strncmp(b->env_dev, "/dev/md", 7) || !strncmp(b->env_dev, "/dev/mapper/", 12) ||
	    !strncmp(b->env_dev, "/dev/dm-", 8))
		snprintf(b->env_unwritable, sizeof(b->env_unwritable),
			 "grubenv is on %s (MD RAID, LVM or another device-mapper device), "
			 "which GRUB cannot write", b->env_dev);
}

static bool load_grub_cfg(struct boot_setup *b, const char *path)
{
	char dir[BOOT_PATH_LEN];
	char *slash;

	b->cfg_text = fsroot_slurp(path, NULL);
	if (!b->cfg_text) {
		looked(b, path, "absent");
		return false;
	}
	looked(b, path, "present");
	snprintf(b->grub_cfg, sizeof(b->grub_cfg), "%s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	/* GRUB's $prefix/grubenv, next to grub.cfg */
	snprintf(b->grubenv, sizeof(b->grubenv), "%.180s/grubenv", dir);
	parse_grub_cfg(b);
	read_grubenv(b);
	pick_xen_entry(b);
	if (b->xen_item >= 0)
		xen_args_of(b);
	check_env_writable(b);
	return true;
}

static void detect_firmware(struct boot_setup *b)
{
	if (probe(b, "/sys/firmware/efi"))
		b->firmware = FW_UEFI;
	else if (fsroot_exists("/sys/firmware"))
		b->firmware = FW_BIOS;
}

static bool detect_xcpng(struct boot_setup *b)
{
	static const char *const cfgs[] = {
		"/boot/efi/EFI/xenserver/grub.cfg", "/boot/grub/grub.cfg", "/boot/grub2/grub.cfg",
	};
	unsigned int i;

	if (!probe(b, "/opt/xensource/libexec/xen-cmdline"))
		return false;
	b->kind = BOOT_XCPNG_GRUB;
	snprintf(b->why, sizeof(b->why), "/opt/xensource/libexec/xen-cmdline is present "
		 "(XCP-ng/XenServer: grub.cfg is edited, not generated)");
	snprintf(b->tool_prefix, sizeof(b->tool_prefix), "grub");
	/* xcp/bootloader.py loadExisting(): the UEFI file first */
	for (i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++)
		if (load_grub_cfg(b, cfgs[i]))
			return true;
	return true;
}

static bool detect_mkconfig(struct boot_setup *b)
{
	static const char *const cfgs[] = { "/boot/grub/grub.cfg", "/boot/grub2/grub.cfg" };
	bool grub2 = probe(b, "/usr/sbin/grub2-mkconfig");
	bool grub = probe(b, "/usr/sbin/grub-mkconfig");
	unsigned int i;

	if (!grub && !grub2)
		return false;
	b->kind = BOOT_GRUB_MKCONFIG;
	snprintf(b->tool_prefix, sizeof(b->tool_prefix), "%s", grub2 && !grub ? "grub2" : "grub");
	snprintf(b->why, sizeof(b->why), "/usr/sbin/%s-mkconfig is present", b->tool_prefix);
	b->update_grub = !grub2 && probe(b, "/usr/sbin/update-grub");
	read_defaults(b);
	for (i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		if (!strcmp(b->tool_prefix, "grub2") != !strcmp(cfgs[i], "/boot/grub2/grub.cfg"))
			continue;
		if (load_grub_cfg(b, cfgs[i]))
			break;
	}
	return true;
}

/* xen.cfg keys of one section (Xen's efi.pandoc: options=, kernel=, ramdisk=). */
static void read_xen_cfg(struct boot_setup *b, const char *text)
{
	char section[64] = "", want[64] = "";
	const char *p;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (p = text; *p;) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			char line[BOOT_ARGS_LEN + 32];

			snprintf(line, sizeof(line), "%.*s", (int)len, p);
			str_trim(line);
			p = nl ? nl + 1 : p + len;
			if (line[0] == '[') {
				snprintf(section, sizeof(section), "%.*s", (int)strcspn(line + 1, "]"),
					 line + 1);
				continue;
			}
			if (pass == 0) {
				if (!strcmp(section, "global") && !strncmp(line, "default=", 8))
					COPY(want, line + 8);
				continue;
			}
			if (strcmp(section, want))
				continue;
			if (!strncmp(line, "options=", 8))
				COPY(b->xen_args, line + 8);
			else if (!strncmp(line, "kernel=", 7))
				COPY(b->xen_cfg_kernel, line + 7);
			else if (!strncmp(line, "ramdisk=", 8))
				COPY(b->xen_cfg_ramdisk, line + 8);
		}
		if (!want[0])
			break;
	}
	snprintf(b->xen_cfg_section, sizeof(b->xen_cfg_section), "%s", want);
}

/* xen.efi reads the .cfg of its own name, in its own folder, on the ESP. */
static bool detect_xen_cfg(struct boot_setup *b)
{
	char dir[1024];
	struct dirent *d;
	DIR *dh;

	if (b->firmware != FW_UEFI)
		return false;
	dh = opendir(fsroot_path("/boot/efi/EFI", dir, sizeof(dir)));
	looked(b, "/boot/efi/EFI", "%s", dh ? "searched for xen*.cfg next to xen*.efi" : "absent");
	if (!dh)
		return false;
	while ((d = readdir(dh))) {
		char sub[1024], cfg[BOOT_PATH_LEN], *text;
		struct dirent *e;
		DIR *eh;

		if (d->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "/boot/efi/EFI/%.100s", d->d_name);
		eh = opendir(fsroot_path(sub, dir, sizeof(dir)));
		if (!eh)
			continue;
		while ((e = readdir(eh))) {
			size_t n = strlen(e->d_name);

			if (strncmp(e->d_name, "xen", 3) || n < 5 || strcmp(e->d_name + n - 4, ".efi"))
				continue;
			snprintf(cfg, sizeof(cfg), "%.100s/%.*s.cfg", sub, (int)(n - 4 > 80 ? 80 : n - 4), e->d_name);
			text = fsroot_slurp(cfg, NULL);
			looked(b, cfg, "%s", text ? "present" : "absent");
			if (!text)
				continue;
			b->kind = BOOT_EFI_XEN_CFG;
			snprintf(b->xen_cfg, sizeof(b->xen_cfg), "%s", cfg);
			snprintf(b->xen_efi, sizeof(b->xen_efi), "\\EFI\\%.80s\\%.80s", d->d_name,
				 e->d_name);
			snprintf(b->why, sizeof(b->why), "UEFI, no GRUB, and %s next to %.80s", cfg,
				 e->d_name);
			read_xen_cfg(b, text);
			free(text);
			break;
		}
		closedir(eh);
		if (b->kind == BOOT_EFI_XEN_CFG)
			break;
	}
	closedir(dh);
	if (b->kind == BOOT_EFI_XEN_CFG)
		read_mounts(b, b->xen_cfg);
	return b->kind == BOOT_EFI_XEN_CFG;
}

void boot_detect(struct boot_setup *b)
{
	memset(b, 0, sizeof(*b));
	b->default_item = b->xen_item = -1;
	detect_firmware(b);
	if (detect_xcpng(b) || detect_mkconfig(b) || detect_xen_cfg(b))
		return;
	snprintf(b->why, sizeof(b->why), "no grub-mkconfig, no xen-cmdline and no EFI xen.cfg found");
}

void boot_setup_free(struct boot_setup *b)
{
	free(b->cfg_text);
	b->cfg_text = NULL;
}
