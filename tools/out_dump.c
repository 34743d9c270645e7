// SPDX-License-Identifier: GPL-2.0
/*
 * --dump: one record per line, tab-separated, for shell scripts (as wg's
 * "dump"). First field says what the line is:
 *   verdict  <ready|blocked|unknown>  <mode>
 *   fact     <name>  <value>  <source>  <from>
 *   gpu      <slot>  <vendor:device>  <class>  <driver|->  <index>  <uuid|->  <hidden 0|1>
 *   finding  <rule id>  <severity>  <gpu slot|->
 * Tabs and newlines inside values are written as spaces.
 */
#include <stdio.h>

#include "output.h"
#include "rules.h"

static void field(FILE *f, const char *s)
{
	fputc('\t', f);
	if (!*s)
		fputc('-', f);
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
}

int out_dump(FILE *f, const struct report *r)
{
	char val[REPORT_STR_LEN + 32];
	unsigned int i;
	int id;

	fprintf(f, "verdict\t%s\t%s\n", verdict_name(r->verdict), mode_name(r->mode));
	for (id = 0; id < F__COUNT; id++) {
		const struct fact *ft = &r->f[id];

		if (!ft->known)
			continue;
		fputs("fact", f);
		field(f, fact_defs[id].name);
		field(f, fact_value_text(r, (enum fact_id)id, val, sizeof(val)));
		field(f, src_name(ft->src));
		field(f, ft->from);
		fputc('\n', f);
	}
	for (i = 0; i < r->nr_gpus; i++) {
		const struct gpu *g = &r->gpus[i];

		fprintf(f, "gpu\t%s\t%04x:%04x\t%06x", g->slot, g->vendor, g->device, g->class);
		field(f, g->driver);
		fprintf(f, "\t%d", g->index);
		field(f, g->uuid);
		fprintf(f, "\t%d\n", g->hidden);
	}
	for (i = 0; i < r->nr_findings; i++) {
		const struct finding *fd = &r->findings[i];

		fprintf(f, "finding\t%s\t%s", fd->rule->id, severity_name(fd->rule->severity));
		field(f, fd->gpu >= 0 ? r->gpus[fd->gpu].slot : "");
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
