// SPDX-License-Identifier: GPL-2.0
/*
 * --json (docs/report.schema.json, versioned by "schema_version") and its
 * reader for --explain. Uses only json-c calls present in json-c 0.11.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "cuda_report.h"
#include "fsroot.h"
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

/* ---- --explain ---- */

static int fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *get_str(json_object *o, const char *k)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool parse_hex16(const char *s, unsigned long long max, unsigned long long *v)
{
	return s && parse_u64(s, v) && *v <= max;
}

static int load_fact(struct report *r, const char *name, json_object *o, char *err, size_t elen)
{
	const char *src, *from;
	json_object *v;
	int id = fact_from_name(name), s;

	if (id < 0)
		return 0;	/* a newer tool's fact: ignore */
	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "value", &v))
		return fail(err, elen, "fact %s: not an object with a value", name);
	src = get_str(o, "source");
	from = get_str(o, "from");
	s = src ? src_from_name(src) : -1;
	if (s < 0)
		return fail(err, elen, "fact %s: unknown source", name);
	switch (fact_defs[id].type) {
	case FT_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			return fail(err, elen, "fact %s: value is not a boolean", name);
		fact_set_bool(r, (enum fact_id)id, json_object_get_boolean(v), (enum src)s, from);
		break;
	case FT_INT:
		if (!json_object_is_type(v, json_type_int))
			return fail(err, elen, "fact %s: value is not an integer", name);
		fact_set_int(r, (enum fact_id)id, json_object_get_int64(v), (enum src)s, from);
		break;
	case FT_HEX: {
		unsigned long long u;

		if (!json_object_is_type(v, json_type_string) ||
		    !parse_u64(json_object_get_string(v), &u))
			return fail(err, elen, "fact %s: value is not a hex string", name);
		fact_set_hex(r, (enum fact_id)id, u, (enum src)s, from);
		break;
	}
	case FT_STR:
		if (!json_object_is_type(v, json_type_string))
			return fail(err, elen, "fact %s: value is not a string", name);
		fact_set_str(r, (enum fact_id)id, json_object_get_string(v), (enum src)s, from);
		break;
	}
	return 0;
}

static int load_gpu(struct report *r, json_object *o, char *err, size_t elen)
{
	unsigned long long ven, dev, cls;
	const char *slot, *drv, *uuid, *src;
	json_object *h;
	struct gpu *g;

	if (!json_object_is_type(o, json_type_object))
		return fail(err, elen, "gpus: entry is not an object");
	slot = get_str(o, "slot");
	drv = get_str(o, "driver");
	uuid = get_str(o, "uuid");
	src = get_str(o, "source");
	if (!slot || strlen(slot) >= sizeof(g->slot) || !drv || !uuid || !src ||
	    !parse_hex16(get_str(o, "vendor"), 0xffff, &ven) ||
	    !parse_hex16(get_str(o, "device"), 0xffff, &dev) ||
	    !parse_hex16(get_str(o, "class"), 0xffffff, &cls) ||
	    !json_object_object_get_ex(o, "hidden", &h) || !json_object_is_type(h, json_type_boolean))
		return fail(err, elen, "gpus: entry lacks slot/vendor/device/class/driver/hidden/uuid/source");
	g = report_add_gpu(r);
	if (!g)
		return fail(err, elen, "gpus: more than %d entries", REPORT_MAX_GPUS);
	snprintf(g->slot, sizeof(g->slot), "%s", slot);
	g->vendor = (uint16_t)ven;
	g->device = (uint16_t)dev;
	g->class = (uint32_t)cls;
	snprintf(g->driver, sizeof(g->driver), "%s", drv);
	snprintf(g->uuid, sizeof(g->uuid), "%s", uuid);
	g->hidden = json_object_get_boolean(h);
	g->src = src_from_name(src) < 0 ? SRC_NONE : (enum src)src_from_name(src);
	return 0;
}

static int load_report(struct report *r, json_object *root, char *err, size_t elen)
{
	json_object *v, *facts, *gpus, *notes;
	struct json_object_iterator it, end;
	const char *mode;
	size_t i, n;
	int m;

	if (!json_object_is_type(root, json_type_object))
		return fail(err, elen, "not a dom0gpu-stat report (top level is not an object)");
	if (!json_object_object_get_ex(root, "schema_version", &v) ||
	    !json_object_is_type(v, json_type_int))
		return fail(err, elen, "not a dom0gpu-stat report (no schema_version)");
	if (json_object_get_int(v) != REPORT_SCHEMA_VERSION)
		return fail(err, elen, "report schema_version %d, this tool reads %d",
			    json_object_get_int(v), REPORT_SCHEMA_VERSION);
	mode = get_str(root, "mode");
	m = mode ? mode_from_name(mode) : -1;
	if (m < 0)
		return fail(err, elen, "report has no valid mode");
	r->mode = (enum collect_mode)m;
	snprintf(r->generated, sizeof(r->generated), "%s",
		 get_str(root, "generated") ? get_str(root, "generated") : "");
	if (!json_object_object_get_ex(root, "facts", &facts) ||
	    !json_object_is_type(facts, json_type_object))
		return fail(err, elen, "report has no facts object");
	/* The iterator, not json_object_object_foreach: json-c 0.11's macro is a GNU extension. */
	it = json_object_iter_begin(facts);
	end = json_object_iter_end(facts);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
		if (load_fact(r, json_object_iter_peek_name(&it), json_object_iter_peek_value(&it),
			      err, elen))
			return -1;
	if (!json_object_object_get_ex(root, "gpus", &gpus) ||
	    !json_object_is_type(gpus, json_type_array))
		return fail(err, elen, "report has no gpus array");
	n = (size_t)json_object_array_length(gpus);
	for (i = 0; i < n; i++)
		if (load_gpu(r, json_object_array_get_idx(gpus, (int)i), err, elen))
			return -1;
	report_index_gpus(r);
	if (json_object_object_get_ex(root, "notes", &notes) &&
	    json_object_is_type(notes, json_type_array)) {
		n = (size_t)json_object_array_length(notes);
		for (i = 0; i < n; i++) {
			json_object *s = json_object_array_get_idx(notes, (int)i);

			if (json_object_is_type(s, json_type_string))
				report_note(r, "%s", json_object_get_string(s));
		}
	}
	return 0;
}

int explain_load(const char *path, struct report *r, char *err, size_t elen)
{
	struct json_tokener *tok;
	json_object *root;
	struct stat st;
	size_t len = 0;
	char *buf;
	FILE *f;
	int ret;

	f = fopen(path, "rb");
	if (!f)
		return fail(err, elen, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return fail(err, elen, "%s: is a directory", path);
	}
	buf = malloc(EXPLAIN_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		return fail(err, elen, "out of memory");
	}
	len = fread(buf, 1, EXPLAIN_MAX_BYTES + 1, f);
	if (ferror(f)) {
		ret = fail(err, elen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (len > EXPLAIN_MAX_BYTES) {
		ret = fail(err, elen, "%s: larger than %d bytes: not a report", path, EXPLAIN_MAX_BYTES);
		goto out;
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		ret = fail(err, elen, "%s: contains NUL bytes: not a report", path);
		goto out;
	}
	tok = json_tokener_new_ex(32);
	if (!tok) {
		ret = fail(err, elen, "out of memory");
		goto out;
	}
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (root && tok->char_offset >= 0 && (size_t)tok->char_offset <= len &&
	    buf[tok->char_offset + strspn(buf + tok->char_offset, " \t\r\n")]) {
		ret = fail(err, elen, "%s: not valid JSON (data after the report)", path);
		json_object_put(root);
		json_tokener_free(tok);
		goto out;
	}
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		ret = fail(err, elen, "%s: not valid JSON (%s)", path,
			   e == json_tokener_continue ? "unexpected end of data" :
			   json_tokener_error_desc(e));
		json_object_put(root);
		json_tokener_free(tok);
		goto out;
	}
	json_tokener_free(tok);
	ret = load_report(r, root, err, elen);
	json_object_put(root);
out:
	free(buf);
	fclose(f);
	return ret;
}
