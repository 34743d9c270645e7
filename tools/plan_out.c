// SPDX-License-Identifier: GPL-2.0
/* --plan as text (copy-pasteable steps) and as the report's "plan" object. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "plan.h"

static const char *entry_path(const struct boot_setup *b, int i, char *buf, unsigned int len)
{
	if (i < 0)
		return "";
	boot_item_path(b, i, buf, len);
	return buf;
}

void plan_print(FILE *f, const struct boot_plan *p)
{
	const struct boot_setup *b = &p->boot;
	char path[512];
	unsigned int i;

	fprintf(f, "PVH trial plan: %s\n", p->possible ? "ready to follow" : "cannot be followed as is");
	fprintf(f, "boot setup: %s, firmware %s (%s)\n", boot_kind_name(b->kind),
		boot_firmware_name(b->firmware), b->why);
	if (b->grub_cfg[0])
		fprintf(f, "GRUB configuration: %s, environment block %s\n", b->grub_cfg, b->grubenv);
	if (b->xen_cfg[0])
		fprintf(f, "xen.cfg: %s, section [%s], loader %s\n", b->xen_cfg, b->xen_cfg_section,
			b->xen_efi);
	if (b->xen_item >= 0)
		fprintf(f, "current Xen entry: \"%s\" (%s)\n",
			entry_path(b, b->xen_item, path, sizeof(path)), b->xen_note);
	if (b->xen_args[0] || b->xen_item >= 0 || b->xen_cfg[0])
		fprintf(f, "Xen options now:   %s\nXen options trial: %s\n", b->xen_args, p->trial_args);
	for (i = 0; b->kind != BOOT_UNKNOWN && i < p->nr_arg_changes; i++)
		fprintf(f, "  - %s\n", p->arg_changes[i]);
	for (i = 0; i < p->nr_problems; i++)
		fprintf(f, "problem: %s\n", p->problems[i]);
	for (i = 0; i < p->nr_warnings; i++)
		fprintf(f, "preflight: %s\n", p->warnings[i]);
	if (b->kind == BOOT_UNKNOWN || !p->possible) {
		fprintf(f, "looked at:\n");
		for (i = 0; i < b->nr_looked; i++)
			fprintf(f, "  %s: %s\n", b->looked[i].path, b->looked[i].what);
	}
	for (i = 0; i < p->nr_steps; i++) {
		const struct plan_step *s = &p->steps[i];
		unsigned int k;

		fprintf(f, "\n# step %u (%s): %s\n", i + 1, plan_phase_name(s->phase), s->title);
		fprintf(f, "# changes: ");
		if (!s->nr_files)
			fprintf(f, "nothing");
		for (k = 0; k < s->nr_files; k++)
			fprintf(f, "%s%s", k ? ", " : "", s->files[k]);
		fprintf(f, "\n%s# expect: %s\n", s->commands ? s->commands : "",
			s->expect ? s->expect : "");
	}
}

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static json_object *str_array(const char (*a)[PLAN_NOTE_LEN], unsigned int n)
{
	json_object *arr = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_object_array_add(arr, json_object_new_string(a[i]));
	return arr;
}

void *plan_json(const struct boot_plan *p)
{
	const struct boot_setup *b = &p->boot;
	json_object *o = json_object_new_object(), *arr, *e;
	char path[512];
	unsigned int i, k;

	json_object_object_add(o, "possible", json_object_new_boolean(p->possible));
	add_str(o, "boot_setup", boot_kind_name(b->kind));
	add_str(o, "firmware", boot_firmware_name(b->firmware));
	add_str(o, "detected_by", b->why);
	add_str(o, "config", b->kind == BOOT_EFI_XEN_CFG ? b->xen_cfg : b->grub_cfg);
	if (b->xen_item >= 0) {
		e = json_object_new_object();
		add_str(e, "title", entry_path(b, b->xen_item, path, sizeof(path)));
		add_str(e, "why", b->xen_note);
		json_object_object_add(o, "current_entry", e);
	}
	add_str(o, "xen_args", b->xen_args);
	add_str(o, "trial_xen_args", p->trial_args);
	arr = json_object_new_array();
	for (i = 0; i < p->nr_arg_changes; i++)
		json_object_array_add(arr, json_object_new_string(p->arg_changes[i]));
	json_object_object_add(o, "arg_changes", arr);
	json_object_object_add(o, "problems", str_array(p->problems, p->nr_problems));
	json_object_object_add(o, "preflight", str_array(p->warnings, p->nr_warnings));
	arr = json_object_new_array();
	for (i = 0; i < b->nr_looked; i++) {
		e = json_object_new_object();
		add_str(e, "path", b->looked[i].path);
		add_str(e, "found", b->looked[i].what);
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "looked_at", arr);
	arr = json_object_new_array();
	for (i = 0; i < p->nr_steps; i++) {
		const struct plan_step *s = &p->steps[i];
		json_object *files = json_object_new_array();

		e = json_object_new_object();
		add_str(e, "phase", plan_phase_name(s->phase));
		add_str(e, "title", s->title);
		for (k = 0; k < s->nr_files; k++)
			json_object_array_add(files, json_object_new_string(s->files[k]));
		json_object_object_add(e, "changes", files);
		add_str(e, "commands", s->commands ? s->commands : "");
		add_str(e, "expect", s->expect ? s->expect : "");
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "steps", arr);
	return o;
}
