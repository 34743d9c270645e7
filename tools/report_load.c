// SPDX-License-Identifier: GPL-2.0
/*
 * --explain's reader: a saved --json report (docs/report.schema.json) back
 * into a struct report, refusing anything that is not one. A source of
 * facts like the others; the renderers only write.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "fsroot.h"
#include "report_load.h"

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
	/* The module's tree as saved: --json prints it again, no rule reads it. */
	if (json_object_object_get_ex(root, "module", &v)) {
		if (!json_object_is_type(v, json_type_object))
			return fail(err, elen, "\"module\" is not an object");
		report_set_module(r, json_object_get(v));
	}
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
