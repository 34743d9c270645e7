// SPDX-License-Identifier: GPL-2.0
/*
 * The human report: the verdict first, then the findings that decided it
 * (blockers, then undetermined, warnings, info) with their evidence and
 * remedies, then the platform facts with their sources.
 */
#include <stdio.h>
#include <string.h>

#include "cuda_report.h"
#include "output.h"
#include "rules.h"

#define C_RESET		"\033[0m"
#define C_BOLD		"\033[1m"
#define C_RED		"\033[1;31m"
#define C_GREEN		"\033[1;32m"
#define C_YELLOW	"\033[1;33m"
#define C_DIM		"\033[2m"

struct pen {
	bool on;
};

static const char *c(const struct pen *p, const char *code)
{
	return p->on ? code : "";
}

static const char *sev_color(enum severity s)
{
	switch (s) {
	case SEV_BLOCKER:
		return C_RED;
	case SEV_UNDETERMINED:
	case SEV_WARNING:
		return C_YELLOW;
	case SEV_INFO:
		break;
	}
	return C_DIM;
}

static void print_indented(FILE *f, const char *lead, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");

		fprintf(f, "%s%.*s\n", lead, (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void print_findings(FILE *f, const struct report *r, const struct pen *p, enum severity s)
{
	unsigned int i, k;

	for (i = 0; i < r->nr_findings; i++) {
		const struct finding *fd = &r->findings[i];
		char val[128];

		if (fd->rule->severity != s)
			continue;
		fprintf(f, "  %s%-12s%s %s%-12s%s %s\n", c(p, sev_color(s)), fd->rule->id,
			c(p, C_RESET), "", severity_name(s), "", fd->rule->title);
		print_indented(f, "      ", fd->evidence);
		for (k = 0; k < fd->nr_facts; k++) {
			const struct fact *ft = &r->f[fd->facts[k]];

			if (!ft->known)
				continue;
			fprintf(f, "      %s%s = %s  [%s%s%s]%s\n", c(p, C_DIM),
				fact_defs[fd->facts[k]].name,
				fact_value_text(r, fd->facts[k], val, sizeof(val)),
				src_name(ft->src), ft->from[0] ? ": " : "", ft->from, c(p, C_RESET));
		}
		if (fd->rule->remediation) {
			fprintf(f, "      %sfix:%s\n", c(p, C_BOLD), c(p, C_RESET));
			print_indented(f, "        ", fd->rule->remediation);
		}
	}
}

static void fact_line(FILE *f, const struct report *r, const struct pen *p, enum fact_id id)
{
	const struct fact *ft = &r->f[id];
	char val[REPORT_STR_LEN + 32];

	if (!ft->known)
		return;
	fact_value_text(r, id, val, sizeof(val));
	fprintf(f, "  %-24s %s  %s[%s]%s\n", fact_defs[id].name, val[0] ? val : "(none)",
		c(p, C_DIM), src_name(ft->src), c(p, C_RESET));
}

void out_human(FILE *f, const struct report *r, bool color)
{
	static const enum severity order[] = {
		SEV_BLOCKER, SEV_UNDETERMINED, SEV_WARNING, SEV_INFO,
	};
	struct pen pen = { color };
	const struct pen *p = &pen;
	const char *vc = r->verdict == VERDICT_READY ? C_GREEN :
			 r->verdict == VERDICT_BLOCKED ? C_RED : C_YELLOW;
	const char *what = r->verdict == VERDICT_READY ?
			   "the platform lets NVIDIA CUDA do real work" :
			   r->verdict == VERDICT_BLOCKED ?
			   "NVIDIA CUDA cannot do real work on this host" :
			   "not enough evidence to decide";
	unsigned int i;
	int id;

	fprintf(f, "verdict: %s%s%s - %s\n", c(p, vc), verdict_name(r->verdict), c(p, C_RESET), what);
	if (cuda_verdict_confirmed(r))
		fprintf(f, "confirmed by the CUDA probe: %s\n", r->f[F_CUDA_PROBE_REASON].s);
	if (r->mode == MODE_DEGRADED)
		fprintf(f, "%smode: degraded (dom0gpu module not loaded): run 'modprobe dom0gpu' "
			"as root for the full picture%s\n", c(p, C_YELLOW), c(p, C_RESET));
	else
		fprintf(f, "mode: %s\n", mode_name(r->mode));
	fprintf(f, "\nfindings:\n");
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		print_findings(f, r, p, order[i]);

	if (r->probe) {
		fputc('\n', f);
		cuda_report_human(f, r->probe);
	}
	fprintf(f, "\nfacts:\n");
	for (id = 0; id < F__COUNT; id++)
		if (id != F_KERNEL_CMDLINE)
			fact_line(f, r, p, (enum fact_id)id);
	fprintf(f, "\ndisplay devices:\n");
	if (!r->nr_gpus)
		fprintf(f, "  none\n");
	for (i = 0; i < r->nr_gpus; i++) {
		const struct gpu *g = &r->gpus[i];

		fprintf(f, "  %s %04x:%04x class %06x driver %s%s", g->slot, g->vendor, g->device,
			g->class, g->driver[0] ? g->driver : "none",
			g->hidden ? " (xen-pciback.hide)" : "");
		if (g->index >= 0)
			fprintf(f, " gpu %d%s%s", g->index, g->uuid[0] ? " " : "", g->uuid);
		fprintf(f, "  %s[%s]%s\n", c(p, C_DIM), src_name(g->src), c(p, C_RESET));
	}
	if (r->nr_notes) {
		fprintf(f, "\nnot read:\n");
		for (i = 0; i < r->nr_notes; i++)
			fprintf(f, "  %s\n", r->notes[i]);
	}
}
