// SPDX-License-Identifier: GPL-2.0
/*
 * The PVH trial plan. The one-time boot mechanisms it relies on:
 *  - GRUB 2: grub-reboot ENTRY sets next_entry in $prefix/grubenv
 *    (util/grub-reboot.in); grub.cfg's header (util/grub.d/00_header.in,
 *    emitted whatever GRUB_DEFAULT is) boots next_entry, then clears it with
 *    save_env before the entry runs, so the boot after any failure is the
 *    default again. GRUB writes grubenv only on filesystems and devices it
 *    can write (00_header's check_writable: not btrfs, zfs, LVM, MD RAID).
 *  - XCP-ng/XenServer: xcp/bootloader.py setNextBoot() sets override_entry
 *    (an index) with grub-editenv; grub.cfg's header boots it and the entry
 *    itself clears it ("unset override_entry; save_env override_entry").
 *  - UEFI without GRUB: BootNext, which the firmware deletes before it boots
 *    that entry (UEFI spec, Boot Manager); xen.efi takes the xen.cfg section
 *    to use as its first non-option argument (xen/common/efi/boot.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsroot.h"
#include "plan.h"
#include "rules.h"
#include "xencmd.h"

#define TRIAL_GRUB_D	"/etc/grub.d/42_" PLAN_TRIAL_ID
#define TRIAL_TITLE	"dom0gpu PVH trial"
#define BACKUP_SUFFIX	".dom0gpu-pre-trial"
#define XEN_CMDLINE	"/opt/xensource/libexec/xen-cmdline"

const char *plan_phase_name(enum plan_phase p)
{
	static const char *const names[] = {
		[PHASE_CHECK] = "check", [PHASE_ADD_TRIAL] = "add-trial",
		[PHASE_BOOT_ONCE] = "boot-once", [PHASE_VERIFY] = "verify",
		[PHASE_PERMANENT] = "make-permanent", [PHASE_ROLLBACK] = "rollback",
	};

	return names[p];
}

/* ---- Xen's options for the trial ---- */

static void note(char changes[][200], unsigned int *n, unsigned int max, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void note(char changes[][200], unsigned int *n, unsigned int max, const char *fmt, ...)
{
	va_list ap;

	if (*n >= max)
		return;
	va_start(ap, fmt);
	vsnprintf(changes[(*n)++], 200, fmt, ap);
	va_end(ap);
}

static void append(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void append(char *out, size_t len, const char *fmt, ...)
{
	size_t o = strlen(out);
	va_list ap;

	if (o >= len - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(out + o, len - o, fmt, ap);
	va_end(ap);
}

/* The items of a comma list that survive keep(); false when none is left. */
static bool filter_list(const char *val, char *out, size_t len,
			bool (*keep)(const char *item, size_t n))
{
	const char *p = val;

	out[0] = '\0';
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n && keep(p, n))
			append(out, len, "%s%.*s", out[0] ? "," : "", (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
	return out[0] != '\0';
}

/* iommu=<list>: a false boolean switches the IOMMU off; dom0-passthrough is PV-only. */
static bool keep_iommu_item(const char *s, size_t n)
{
	return xencmd_parse_bool(s, n) != 0 && !(n == 16 && !strncmp(s, "dom0-passthrough", 16));
}

static bool keep_dom0_item(const char *s, size_t n)
{
	return !(n == 2 && !strncmp(s, "pv", 2)) && !(n == 3 && !strncmp(s, "pvh", 3));
}

/* dom0-iommu=passthrough[=<bool>]: Xen hardwires it off for a PVH dom0. */
static bool keep_dom0_iommu_item(const char *s, size_t n)
{
	return !(n >= 11 && !strncmp(s, "passthrough", 11) && (n == 11 || s[11] == '='));
}

static unsigned int fix_args(const char *cur, bool add_pvh, char *out, size_t len,
			     char changes[][200], unsigned int max)
{
	const char *p = cur;
	unsigned int n = 0;
	bool pvh_done = !add_pvh;

	out[0] = '\0';
	while (*p) {
		char tok[600], name[256], list[500];
		size_t tl = strcspn(p, " \t\n");
		const char *val;

		if (!tl) {
			p++;
			continue;
		}
		snprintf(tok, sizeof(tok), "%.*s", (int)tl, p);
		p += tl;
		val = strchr(tok, '=');
		snprintf(name, sizeof(name), "%.*s", (int)(val ? (size_t)(val - tok) : strlen(tok)), tok);
		val = val ? val + 1 : NULL;
		if (!strcmp(name, "no-iommu") && !val) {
			note(changes, &n, max, "removed %s: it disables Xen's IOMMU, which a PVH dom0 needs", tok);
			continue;
		}
		if (!strcmp(name, "iommu") && val) {
			if (!filter_list(val, list, sizeof(list), keep_iommu_item)) {
				note(changes, &n, max, "removed %s: a PVH dom0 needs Xen's IOMMU "
				     "(Xen panics: \"iommu must be enabled for PVH hardware domain\")", tok);
				continue;
			}
			if (strcmp(list, val)) {
				note(changes, &n, max, "changed %s to iommu=%s (IOMMU on; "
				     "dom0-passthrough is PV-only)", tok, list);
				snprintf(tok, sizeof(tok), "iommu=%s", list);
			}
		} else if (!strcmp(name, "dom0") && val) {
			bool had = filter_list(val, list, sizeof(list), keep_dom0_item);
			char was[600];

			snprintf(was, sizeof(was), "%s", tok);
			if (!pvh_done) {
				snprintf(tok, sizeof(tok), "dom0=pvh%s%s", had ? "," : "", list);
				note(changes, &n, max, "changed %s to %s", was, tok);
				pvh_done = true;
			} else if (!had) {
				note(changes, &n, max, "removed %s (dom0=pvh is set)", tok);
				continue;
			} else {
				snprintf(tok, sizeof(tok), "dom0=%s", list);
			}
		} else if (!strcmp(name, "dom0-iommu") && val) {
			if (!filter_list(val, list, sizeof(list), keep_dom0_iommu_item)) {
				note(changes, &n, max, "removed %s: passthrough is PV-only, Xen ignores it "
				     "for a PVH dom0", tok);
				continue;
			}
			if (strcmp(list, val))
				note(changes, &n, max, "changed %s to dom0-iommu=%s: passthrough is "
				     "PV-only", tok, list);
			snprintf(tok, sizeof(tok), "dom0-iommu=%s", list);
		} else if (!strcmp(name, "nmi") && val && !strcmp(val, "dom0")) {
			note(changes, &n, max, "removed nmi=dom0: NMIs are not forwarded to a PVH dom0");
			continue;
		}
		append(out, len, "%s%s", out[0] ? " " : "", tok);
	}
	if (!pvh_done) {
		append(out, len, "%sdom0=pvh", out[0] ? " " : "");
		note(changes, &n, max, "added dom0=pvh");
	}
	return n;
}

unsigned int plan_trial_args(const char *cur, char *out, size_t len,
			     char changes[][200], unsigned int max)
{
	return fix_args(cur, true, out, len, changes, max);
}

/* ---- steps ---- */

static void problem(struct boot_plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct boot_plan *p, const char *fmt, ...)
{
	va_list ap;

	if (p->nr_problems >= PLAN_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(p->problems[p->nr_problems++], PLAN_NOTE_LEN, fmt, ap);
	va_end(ap);
}

static void warning(struct boot_plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warning(struct boot_plan *p, const char *fmt, ...)
{
	va_list ap;

	if (p->nr_warnings >= PLAN_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(p->warnings[p->nr_warnings++], PLAN_NOTE_LEN, fmt, ap);
	va_end(ap);
}

struct step_text {
	struct plan_step *s;
	FILE *cmd;
	FILE *exp;
	size_t cmd_len, exp_len;
};

static bool step_begin(struct boot_plan *p, struct step_text *t, enum plan_phase ph,
		       const char *title)
{
	if (p->nr_steps >= PLAN_MAX_STEPS)
		return false;
	t->s = &p->steps[p->nr_steps++];
	memset(t->s, 0, sizeof(*t->s));
	t->s->phase = ph;
	snprintf(t->s->title, sizeof(t->s->title), "%s", title);
	t->cmd = open_memstream(&t->s->commands, &t->cmd_len);
	t->exp = open_memstream(&t->s->expect, &t->exp_len);
	if (!t->cmd || !t->exp) {
		if (t->cmd)
			fclose(t->cmd);
		if (t->exp)
			fclose(t->exp);
		p->nr_steps--;
		return false;
	}
	return true;
}

static void step_file(struct step_text *t, const char *path)
{
	if (t->s->nr_files < PLAN_MAX_FILES)
		snprintf(t->s->files[t->s->nr_files++], BOOT_PATH_LEN, "%s", path);
}

static void step_end(struct step_text *t)
{
	fclose(t->cmd);
	fclose(t->exp);
}

/* A word for sh: single-quoted, ' as '\''. */
static void sh_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* The entry's body with the Xen line rewritten and the lines named in drop[] left out. */
static void print_body(FILE *f, const struct boot_setup *b, const char *args,
		       const char *const *drop)
{
	const struct boot_item *it = &b->items[b->xen_item];
	const char *p = it->body, *end = it->body + it->body_len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *q = p;
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		int indent;
		unsigned int i;
		bool skip = false;

		while (*q == ' ' || *q == '\t')
			q++;
		indent = (int)(q - p);
		for (i = 0; drop[i]; i++)
			if (!strncmp(q, drop[i], strlen(drop[i])))
				skip = true;
		if (!skip && (!strncmp(q, "multiboot2 ", 11) || !strncmp(q, "multiboot2\t", 11) ||
			      !strncmp(q, "multiboot ", 10) || !strncmp(q, "multiboot\t", 10))) {
			/* loader, file, 20_linux_xen's "placeholder", then Xen's options and ${vars} */
			char head[BOOT_ARGS_LEN] = "", vars[256] = "";
			const char *w = q, *stop = p + len;
			int k = 0;

			while (w < stop) {
				size_t wl;

				while (w < stop && (*w == ' ' || *w == '\t'))
					w++;
				wl = strcspn(w, " \t\n");
				if (!wl || w + wl > stop)
					break;
				if (k < 2) {
					append(head, sizeof(head), "%s%.*s", k ? " " : "", (int)wl, w);
					k++;
				} else if (k == 2 && wl == 11 && !strncmp(w, "placeholder", 11)) {
					append(head, sizeof(head), " placeholder");
					k++;
				} else {
					k = 3;
					if (*w == '$')
						append(vars, sizeof(vars), " %.*s", (int)wl, w);
				}
				w += wl;
			}
			fprintf(f, "%.*s%s %s%s\n", indent, p, head, args, vars);
		} else if (!skip) {
			fprintf(f, "%.*s\n", (int)len, p);
		}
		p = nl ? nl + 1 : end;
	}
}

static void grub_quote(FILE *f, const char *s)
{
	sh_quote(f, s);		/* GRUB's single quotes follow sh's rules (grub_quote()) */
}

static const char *default_title(const struct boot_setup *b, char *buf, unsigned int len)
{
	if (b->default_item < 0) {
		snprintf(buf, len, "GRUB's default entry");
		return buf;
	}
	boot_item_path(b, b->default_item, buf, len);
	return buf;
}

/* sed's s||| replacement: escape \, & and |. */
static void sed_repl(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '&' || *s == '|')
			fputc('\\', f);
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
}

/* Rewrite one /etc/default/grub variable, or add it; false if it needs a person. */
static bool set_default_var(struct boot_plan *p, struct step_text *t, const char *var,
			    const struct grub_var *v, const char *value)
{
	if (v->set && v->expands) {
		problem(p, "%s in %s:%d uses shell expansion (now \"%s\"): set it by hand to \"%s\"",
			var, v->file, v->line, v->value, value);
		return false;
	}
	if (strpbrk(value, "\"$`\\")) {
		problem(p, "%s's new value has characters that need quoting by hand: %s", var, value);
		return false;
	}
	if (v->set) {
		fprintf(t->cmd, "sed -i 's|^[[:space:]]*%s=.*|%s=\"", var, var);
		sed_repl(t->cmd, value);
		fprintf(t->cmd, "\"|' %s\n", v->file);
		step_file(t, v->file);
	} else {
		fprintf(t->cmd, "echo '%s=\"", var);
		sed_repl(t->cmd, value);
		fprintf(t->cmd, "\"' >>/etc/default/grub\n");
		step_file(t, "/etc/default/grub");
	}
	return true;
}

static void plan_grub_mkconfig(struct boot_plan *p)
{
	const struct boot_setup *b = &p->boot;
	static const char *const drop[] = { "savedefault", NULL };
	const char *pre = b->tool_prefix;
	char mk[256], dir[BOOT_PATH_LEN], deftitle[512], newval[BOOT_ARGS_LEN];
	char chg[PLAN_MAX_NOTES][200];
	struct step_text t;
	bool ok = true;

	if (b->update_grub)
		snprintf(mk, sizeof(mk), "update-grub");
	else
		snprintf(mk, sizeof(mk), "%s-mkconfig -o %s", pre, b->grub_cfg);
	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(b->grub_cfg, '/') - b->grub_cfg), b->grub_cfg);
	default_title(b, deftitle, sizeof(deftitle));

	if (step_begin(p, &t, PHASE_CHECK, "check that GRUB's one-time boot works here")) {
		fprintf(t.cmd, "%s-probe --target=fs %s\n%s-probe --target=abstraction %s\n"
			"grep -n 'save_env next_entry' %s\n%s-editenv %s list\n",
			pre, dir, pre, dir, b->grub_cfg, pre, b->grubenv);
		fprintf(t.exp, "a filesystem GRUB can write (ext2/3/4, xfs, vfat; not btrfs or zfs); "
			"no abstraction (no lvm, diskfilter); a line of the one-shot block that "
			"00_header writes whatever GRUB_DEFAULT is; no next_entry= pending");
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_ADD_TRIAL, "add the trial entry (the default entry stays as it is)")) {
		fprintf(t.cmd, "cat >%s <<'DOM0GPU_EOF'\n#!/bin/sh\nexec tail -n +3 $0\nmenuentry ",
			TRIAL_GRUB_D);
		grub_quote(t.cmd, TRIAL_TITLE);
		fprintf(t.cmd, " $menuentry_id_option '%s' {\n", PLAN_TRIAL_ID);
		print_body(t.cmd, b, p->trial_args, drop);
		fprintf(t.cmd, "}\nDOM0GPU_EOF\nchmod 755 %s\n%s\ngrep -n '%s' %s\n", TRIAL_GRUB_D, mk,
			PLAN_TRIAL_ID, b->grub_cfg);
		fprintf(t.exp, "the grep shows the trial entry in %s; it comes after the generated "
			"entries (42_ sorts after 10_linux, 20_linux_xen and 41_custom), so entry "
			"numbers and the default are unchanged", b->grub_cfg);
		step_file(&t, TRIAL_GRUB_D);
		step_file(&t, b->grub_cfg);
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_BOOT_ONCE, "boot the trial entry once")) {
		fprintf(t.cmd, "%s-reboot %s\n%s-editenv %s list\nreboot\n", pre, PLAN_TRIAL_ID, pre,
			b->grubenv);
		fprintf(t.exp, "next_entry=%s in the list before the reboot; GRUB clears it before it "
			"boots the trial, so after a panic (Xen reboots by itself), a reset or a power "
			"cycle the machine boots \"%s\" again", PLAN_TRIAL_ID, deftitle);
		step_file(&t, b->grubenv);
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_VERIFY, "in the trial boot: evidence")) {
		fprintf(t.cmd, "cat /sys/hypervisor/guest_type\n%s-editenv %s list\ndom0gpu-stat --probe\n",
			pre, b->grubenv);
		fprintf(t.exp, "PVH; no next_entry= left; verdict: ready (exit 0)");
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_PERMANENT, "make PVH the default (only after a good trial)")) {
		if (b->defaults_unknown[0]) {
			problem(p, "what grub-mkconfig makes of GRUB_CMDLINE_XEN(_DEFAULT) is unknown "
				"(%s): add dom0=pvh and drop iommu=no/0/off/false there by hand",
				b->defaults_unknown);
			ok = false;
		} else {
			if (b->xen_always.set && strcmp(b->xen_always.value, "")) {
				fix_args(b->xen_always.value, false, newval, sizeof(newval), chg,
					 PLAN_MAX_NOTES);
				if (strcmp(newval, b->xen_always.value))
					ok &= set_default_var(p, &t, "GRUB_CMDLINE_XEN", &b->xen_always,
							      newval);
			}
			fix_args(b->xen_default.set ? b->xen_default.value : "", true, newval,
				 sizeof(newval), chg, PLAN_MAX_NOTES);
			ok &= set_default_var(p, &t, "GRUB_CMDLINE_XEN_DEFAULT", &b->xen_default,
					      newval);
		}
		fprintf(t.cmd, "rm %s\n%s\ngrep -c 'dom0=pvh' %s\n", TRIAL_GRUB_D, mk, b->grub_cfg);
		fprintf(t.exp, "the Xen entries of %s carry dom0=pvh (recovery entries use "
			"GRUB_CMDLINE_XEN only and stay PV); after the next reboot "
			"/sys/hypervisor/guest_type says PVH", b->grub_cfg);
		step_file(&t, TRIAL_GRUB_D);
		step_file(&t, b->grub_cfg);
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_ROLLBACK, "roll back (the trial did not come up, or is not wanted)")) {
		fprintf(t.cmd, "rm -f %s\n%s\n%s-editenv %s unset next_entry\n", TRIAL_GRUB_D, mk, pre,
			b->grubenv);
		fprintf(t.exp, "no trial entry left in %s; nothing pending in grubenv", b->grub_cfg);
		step_file(&t, TRIAL_GRUB_D);
		step_file(&t, b->grub_cfg);
		step_file(&t, b->grubenv);
		step_end(&t);
	}
	if (!ok)
		p->possible = false;
}

/* --set-xen/--delete-xen for every option the trial changed (xen-cmdline works by name). */
static void xen_cmdline_diff(FILE *f, const char *cur, const char *want)
{
	char a[BOOT_ARGS_LEN + 4], name[256], name2[260];
	const char *p;

	for (p = want; *p;) {
		size_t n = strcspn(p, " ");

		snprintf(a, sizeof(a), " %s ", cur);
		snprintf(name, sizeof(name), " %.*s ", (int)n, p);
		if (n && !strstr(a, name)) {
			fprintf(f, "%s --set-xen ", XEN_CMDLINE);
			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			sh_quote(f, name);
			fputc('\n', f);
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	for (p = cur; *p;) {
		size_t n = strcspn(p, " "), k = strcspn(p, "= ");

		snprintf(a, sizeof(a), " %s ", want);
		snprintf(name, sizeof(name), " %.*s=", (int)k, p);
		snprintf(name2, sizeof(name2), " %.*s ", (int)k, p);
		/* the key is gone from the trial's options */
		if (n && !strstr(a, name) && !strstr(a, name2)) {
			snprintf(name, sizeof(name), "%.*s", (int)k, p);
			fprintf(f, "%s --delete-xen ", XEN_CMDLINE);
			sh_quote(f, name);
			fputc('\n', f);
		}
		p += n;
		while (*p == ' ')
			p++;
	}
}

static void plan_xcpng(struct boot_plan *p)
{
	const struct boot_setup *b = &p->boot;
	static const char *const drop[] = { "unset override_entry", "save_env override_entry", NULL };
	char deftitle[512];
	struct step_text t;

	default_title(b, deftitle, sizeof(deftitle));
	if (step_begin(p, &t, PHASE_CHECK, "check that GRUB's one-time boot works here")) {
		fprintf(t.cmd, "grep -n 'override_entry' %s\ngrub-editenv %s list\n", b->grub_cfg,
			b->grubenv);
		fprintf(t.exp, "the header's \"set default=$override_entry\" (xcp/bootloader.py "
			"writes it); no override_entry= pending");
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_ADD_TRIAL, "add the trial entry at the end of grub.cfg (the default stays)")) {
		fprintf(t.cmd, "cp -p %s %s%s\ncat >>%s <<'DOM0GPU_EOF'\nmenuentry ", b->grub_cfg,
			b->grub_cfg, BACKUP_SUFFIX, b->grub_cfg);
		grub_quote(t.cmd, TRIAL_TITLE);
		fprintf(t.cmd, " {\n\tunset override_entry\n\tsave_env override_entry\n");
		print_body(t.cmd, b, p->trial_args, drop);
		fprintf(t.cmd, "}\nDOM0GPU_EOF\ngrep -n '%s' %s\n", TRIAL_TITLE, b->grub_cfg);
		fprintf(t.exp, "the trial is entry %d (counting from 0); it clears override_entry "
			"itself, as entries armed by xcp/bootloader.py setNextBoot() do", b->nr_top);
		step_file(&t, b->grub_cfg);
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_BOOT_ONCE, "boot the trial entry once")) {
		fprintf(t.cmd, "grub-editenv %s set override_entry=%d\ngrub-editenv %s list\nreboot\n",
			b->grubenv, b->nr_top, b->grubenv);
		fprintf(t.exp, "override_entry=%d before the reboot; the trial entry clears it before "
			"Xen starts, so after a panic (Xen reboots by itself), a reset or a power cycle "
			"the machine boots \"%s\" again", b->nr_top, deftitle);
		step_file(&t, b->grubenv);
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_VERIFY, "in the trial boot: evidence")) {
		fprintf(t.cmd, "cat /sys/hypervisor/guest_type\ngrub-editenv %s list\ndom0gpu-stat --probe\n",
			b->grubenv);
		fprintf(t.exp, "PVH; no override_entry= left; verdict: ready (exit 0)");
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_PERMANENT, "make PVH the default (only after a good trial)")) {
		fprintf(t.cmd, "cp -p %s%s %s\n", b->grub_cfg, BACKUP_SUFFIX, b->grub_cfg);
		xen_cmdline_diff(t.cmd, b->xen_args, p->trial_args);
		fprintf(t.cmd, "%s --list-xen\n", XEN_CMDLINE);
		fprintf(t.exp, "the trial entry is gone and the default entries carry dom0=pvh "
			"(xen-cmdline edits them in %s)", b->grub_cfg);
		step_file(&t, b->grub_cfg);
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_ROLLBACK, "roll back (the trial did not come up, or is not wanted)")) {
		fprintf(t.cmd, "cp -p %s%s %s\ngrub-editenv %s unset override_entry\n", b->grub_cfg,
			BACKUP_SUFFIX, b->grub_cfg, b->grubenv);
		fprintf(t.exp, "grub.cfg as before the trial; nothing pending in grubenv");
		step_file(&t, b->grub_cfg);
		step_file(&t, b->grubenv);
		step_end(&t);
	}
}

/* /dev/sda1 -> /dev/sda 1, /dev/nvme0n1p2 -> /dev/nvme0n1 2 */
static bool split_partition(const char *dev, char *disk, size_t len, int *part)
{
	size_t n = strlen(dev), d = n;

	while (d > 0 && dev[d - 1] >= '0' && dev[d - 1] <= '9')
		d--;
	if (d == n || d == 0 || strncmp(dev, "/dev/", 5))
		return false;
	*part = atoi(dev + d);
	if (dev[d - 1] == 'p' && d >= 2 && dev[d - 2] >= '0' && dev[d - 2] <= '9')
		d--;
	snprintf(disk, len, "%.*s", (int)d, dev);
	return true;
}

static void plan_xen_cfg(struct boot_plan *p)
{
	const struct boot_setup *b = &p->boot;
	static const char bootnum[] =
		"$(efibootmgr | sed -n 's/^Boot\\([0-9A-Fa-f]\\{4\\}\\)\\*\\{0,1\\} " TRIAL_TITLE "$/\\1/p')";
	char disk[BOOT_PATH_LEN];
	struct step_text t;
	int part = 0;

	if (!split_partition(b->esp_dev, disk, sizeof(disk), &part)) {
		problem(p, "cannot tell the EFI system partition's disk and partition from /proc/mounts "
			"(/boot/efi on \"%s\")", b->esp_dev);
		return;
	}
	if (step_begin(p, &t, PHASE_CHECK, "check the firmware's boot entries")) {
		fprintf(t.cmd, "efibootmgr -v\n");
		fprintf(t.exp, "BootCurrent is the entry that starts %s; no BootNext pending", b->xen_efi);
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_ADD_TRIAL, "add a trial section to xen.cfg and a firmware entry that "
		       "starts it (BootOrder unchanged)")) {
		fprintf(t.cmd, "cp -p %s %s%s\ncat >>%s <<'DOM0GPU_EOF'\n\n[%s]\noptions=%s\n", b->xen_cfg,
			b->xen_cfg, BACKUP_SUFFIX, b->xen_cfg, PLAN_TRIAL_ID, p->trial_args);
		if (b->xen_cfg_kernel[0])
			fprintf(t.cmd, "kernel=%s\n", b->xen_cfg_kernel);
		if (b->xen_cfg_ramdisk[0])
			fprintf(t.cmd, "ramdisk=%s\n", b->xen_cfg_ramdisk);
		fprintf(t.cmd, "DOM0GPU_EOF\nefibootmgr --create-only --disk %s --part %d --label ", disk,
			part);
		sh_quote(t.cmd, TRIAL_TITLE);
		fprintf(t.cmd, " --loader ");
		sh_quote(t.cmd, b->xen_efi);
		fprintf(t.cmd, " --unicode '%s'\n", PLAN_TRIAL_ID);
		fprintf(t.exp, "a new Boot#### \"%s\" that is not in BootOrder; xen.efi takes the "
			"section name as its argument", TRIAL_TITLE);
		step_file(&t, b->xen_cfg);
		step_file(&t, "EFI variables (a new Boot####)");
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_BOOT_ONCE, "boot the trial entry once")) {
		fprintf(t.cmd, "efibootmgr --bootnext %s\nefibootmgr | grep BootNext\nreboot\n", bootnum);
		fprintf(t.exp, "BootNext names the trial; the firmware deletes BootNext before it "
			"starts it, so the boot after any failure follows BootOrder again");
		step_file(&t, "EFI variable BootNext");
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_VERIFY, "in the trial boot: evidence")) {
		fprintf(t.cmd, "cat /sys/hypervisor/guest_type\nefibootmgr | grep -c BootNext\n"
			"dom0gpu-stat --probe\n");
		fprintf(t.exp, "PVH; 0; verdict: ready (exit 0)");
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_PERMANENT, "make PVH the default (only after a good trial)")) {
		fprintf(t.cmd, "sed -i 's|^default=.*|default=%s|' %s\nefibootmgr --delete-bootnum "
			"--bootnum %s\n", PLAN_TRIAL_ID, b->xen_cfg, bootnum);
		fprintf(t.exp, "[global] default=%s in %s (the old section %s stays as a fallback)",
			PLAN_TRIAL_ID, b->xen_cfg, b->xen_cfg_section);
		step_file(&t, b->xen_cfg);
		step_file(&t, "EFI variables (the trial's Boot#### removed)");
		step_end(&t);
	}
	if (step_begin(p, &t, PHASE_ROLLBACK, "roll back (the trial did not come up, or is not wanted)")) {
		fprintf(t.cmd, "cp -p %s%s %s\nefibootmgr --delete-bootnum --bootnum %s\n", b->xen_cfg,
			BACKUP_SUFFIX, b->xen_cfg, bootnum);
		fprintf(t.exp, "xen.cfg as before; no trial entry in efibootmgr's list");
		step_file(&t, b->xen_cfg);
		step_file(&t, "EFI variables (the trial's Boot#### removed)");
		step_end(&t);
	}
}

static void check_setup(struct boot_plan *p)
{
	const struct boot_setup *b = &p->boot;
	struct xencmd x;

	if (b->kind == BOOT_UNKNOWN) {
		problem(p, "cannot tell how this host boots Xen: %s", b->why);
		return;
	}
	if (b->kind != BOOT_EFI_XEN_CFG) {
		if (!b->grub_cfg[0]) {
			problem(p, "%s: no grub.cfg found", boot_kind_name(b->kind));
			return;
		}
		if (b->xen_item < 0) {
			problem(p, "%s has no menu entry that loads Xen (multiboot/multiboot2)", b->grub_cfg);
			return;
		}
		if (!b->load_env)
			problem(p, "%s does not load_env grubenv: no one-time boot", b->grub_cfg);
		if (b->kind == BOOT_GRUB_MKCONFIG && !b->next_entry_logic)
			problem(p, "%s lacks 00_header's next_entry block (save_env next_entry): "
				"regenerate it with %s first", b->grub_cfg,
				b->update_grub ? "update-grub" : "grub-mkconfig");
		if (b->kind == BOOT_XCPNG_GRUB && !b->override_entry_logic)
			problem(p, "%s lacks the \"set default=$override_entry\" block: no one-time boot",
				b->grub_cfg);
		if (b->env_unwritable[0])
			problem(p, "%s: the one-time boot would stick (grub-reboot's own warning), "
				"and a failing trial would boot again and again", b->env_unwritable);
		if (b->next_entry[0])
			problem(p, "a one-time boot is already pending: next_entry=%s in %s",
				b->next_entry, b->grubenv);
		if (b->override_entry[0])
			problem(p, "a one-time boot is already pending: override_entry=%s in %s",
				b->override_entry, b->grubenv);
	} else if (!b->xen_args[0] && !b->xen_cfg_kernel[0]) {
		problem(p, "%s: no section named by [global] default= (\"%s\")", b->xen_cfg,
			b->xen_cfg_section);
		return;
	}
	xencmd_parse(p->trial_args, &x);
	if (!x.dom0_pvh || x.iommu_disabled)
		problem(p, "the trial's Xen options still %s: %s",
			x.dom0_pvh ? "disable the IOMMU" : "lack dom0=pvh", p->trial_args);
	if (strstr(p->trial_args, "noreboot"))
		warning(p, "noreboot is on Xen's command line: after a panic Xen waits instead of "
			"rebooting, so the fallback needs a reset by hand");
}

/* The judged report's PVH preflight: what would make the trial fail. */
static void preflight(struct boot_plan *p, const struct report *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_findings; i++) {
		const struct finding *f = &r->findings[i];

		if (!strncmp(f->rule->id, "D0G-PVH-", 8) && f->rule->severity == SEV_WARNING)
			warning(p, "%s: %s", f->rule->id, f->evidence);
	}
	if (fact_str_is(r, F_XEN_DOMAIN_TYPE, "pvh"))
		warning(p, "this dom0 already runs as PVH");
}

void plan_build(struct boot_plan *p, const struct report *r)
{
	memset(p, 0, sizeof(*p));
	boot_detect(&p->boot);
	p->nr_arg_changes = plan_trial_args(p->boot.xen_args, p->trial_args, sizeof(p->trial_args),
					    p->arg_changes, PLAN_MAX_NOTES);
	p->possible = true;
	check_setup(p);
	preflight(p, r);
	if (p->nr_problems) {
		p->possible = false;
		return;
	}
	switch (p->boot.kind) {
	case BOOT_GRUB_MKCONFIG:
		plan_grub_mkconfig(p);
		break;
	case BOOT_XCPNG_GRUB:
		plan_xcpng(p);
		break;
	case BOOT_EFI_XEN_CFG:
		plan_xen_cfg(p);
		break;
	case BOOT_UNKNOWN:
		break;
	}
	if (p->nr_problems || !p->nr_steps)
		p->possible = false;
}

void plan_free(struct boot_plan *p)
{
	unsigned int i;

	for (i = 0; i < p->nr_steps; i++) {
		free(p->steps[i].commands);
		free(p->steps[i].expect);
	}
	p->nr_steps = 0;
	boot_setup_free(&p->boot);
}
