// SPDX-License-Identifier: GPL-2.0
/*
 * --json (docs/report.schema.json, versioned by "schema_version"); its
 * reader for --explain is report_load.c. Uses only json-c calls present in
 * json-c 0.11.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cuda_report.h"
#include "output.h"
#include "plan.h"
#include "rules.h"

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

static json_object *fact_json(const struct report *r, enum fact_id id)
{
	const struct fact *f = &r->f[id];
	json_object *o = json_object_new_object();
	char hex[24];

	switch (fact_defs[id].type) {
	case FT_BOOL:
		json_object_object_add(o, "value", json_object_new_boolean(f->v.b));
		break;
	case FT_INT:
		json_object_object_add(o, "value", json_object_new_int64(f->v.i));
		break;
	case FT_HEX:
		/* A string: JSON numbers lose 64-bit precision in many readers. */
		snprintf(hex, sizeof(hex), "0x%016llx", (unsigned long long)f->v.u);
		add_str(o, "value", hex);
		break;
	case FT_STR:
		add_str(o, "value", f->s ? f->s : "");
		break;
	}
	add_str(o, "source", src_name(f->src));
	add_str(o, "from", f->from);
	return o;
}

static json_object *report_json(const struct report *r)
{
	json_object *root = json_object_new_object(), *facts, *gpus, *finds, *notes;
	unsigned int i, k;
	int id;

	json_object_object_add(root, "schema_version", json_object_new_int(REPORT_SCHEMA_VERSION));
	add_str(root, "tool", "dom0gpu-stat " DOM0GPU_STAT_VERSION);
	add_str(root, "generated", r->generated);
	add_str(root, "mode", mode_name(r->mode));
	add_str(root, "verdict", verdict_name(r->verdict));
	if (fact_known(r, F_CUDA_PROBE))
		json_object_object_add(root, "verdict_confirmed",
				       json_object_new_boolean(cuda_verdict_confirmed(r)));

	facts = json_object_new_object();
	for (id = 0; id < F__COUNT; id++)
		if (r->f[id].known)
			json_object_object_add(facts, fact_defs[id].name, fact_json(r, (enum fact_id)id));
	json_object_object_add(root, "facts", facts);

	gpus = json_object_new_array();
	for (i = 0; i < r->nr_gpus; i++) {
		const struct gpu *g = &r->gpus[i];
		json_object *o = json_object_new_object();
		char hex[16];

		add_str(o, "slot", g->slot);
		snprintf(hex, sizeof(hex), "0x%04x", g->vendor);
		add_str(o, "vendor", hex);
		snprintf(hex, sizeof(hex), "0x%04x", g->device);
		add_str(o, "device", hex);
		snprintf(hex, sizeof(hex), "0x%06x", g->class);
		add_str(o, "class", hex);
		add_str(o, "driver", g->driver);
		json_object_object_add(o, "hidden", json_object_new_boolean(g->hidden));
		add_str(o, "uuid", g->uuid);
		json_object_object_add(o, "index", json_object_new_int(g->index));
		add_str(o, "source", src_name(g->src));
		json_object_array_add(gpus, o);
	}
	json_object_object_add(root, "gpus", gpus);

	finds = json_object_new_array();
	for (i = 0; i < r->nr_findings; i++) {
		const struct finding *fd = &r->findings[i];
		json_object *o = json_object_new_object(), *cites = json_object_new_array();

		add_str(o, "id", fd->rule->id);
		add_str(o, "severity", severity_name(fd->rule->severity));
		add_str(o, "title", fd->rule->title);
		add_str(o, "evidence", fd->evidence);
		for (k = 0; k < fd->nr_facts; k++)
			if (r->f[fd->facts[k]].known)
				json_object_array_add(cites,
						      json_object_new_string(fact_defs[fd->facts[k]].name));
		json_object_object_add(o, "facts", cites);
		add_str(o, "gpu", fd->gpu >= 0 ? r->gpus[fd->gpu].slot : NULL);
		add_str(o, "remediation", fd->rule->remediation);
		json_object_array_add(finds, o);
	}
	json_object_object_add(root, "findings", finds);

	notes = json_object_new_array();
	for (i = 0; i < r->nr_notes; i++)
		json_object_array_add(notes, json_object_new_string(r->notes[i]));
	json_object_object_add(root, "notes", notes);
	if (r->module)
		json_object_object_add(root, "module", json_object_get(r->module));
	if (r->probe)
		json_object_object_add(root, "cuda_probe", cuda_report_json(r->probe));
	if (r->plan)
		json_object_object_add(root, "plan", plan_json(r->plan));
	return root;
}

int out_json(FILE *f, const struct report *r)
{
	json_object *root = report_json(r);
	int ret = fprintf(f, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));

	json_object_put(root);
	return ret < 0 ? -1 : 0;
}
