// SPDX-License-Identifier: GPL-2.0
/*
 * --explain with several saved reports (or --fleet): one line per host,
 * as fleet owners and the XCP-ng pool command (dom0gpu-pool) want them.
 * Each report is judged as --explain judges one, then dropped, so a fleet
 * of any size needs the memory of one report. A host is named after its
 * report's file: dir/host-a.json is "host-a".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "nextboot.h"
#include "output.h"
#include "report_load.h"
#include "rules.h"

#define FLEET_HOST_LEN	128

struct fleet_row {
	char host[FLEET_HOST_LEN];
	char error[600];		/* why the report could not be read; "" if it was */
	const char *verdict;
	char domain[16];		/* xen.domain_type, "-" unknown */
	char wc_index[16];		/* pat.wc_index, "-" unknown */
	char cuda[16];			/* cuda.probe, "-" not in the report */
	char next_boot[160];		/* what the configured next boot does to dom0 */
	struct next_boot nb;
	char blockers[REPORT_MAX_FINDINGS][16];
	unsigned int nr_blockers;
};

static void host_name(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);

	if (n > 5 && !strcmp(base + n - 5, ".json"))
		n -= 5;
	snprintf(out, len, "%.*s", (int)n, base);
}

static void str_fact(const struct report *r, enum fact_id id, char *out, size_t len)
{
	snprintf(out, len, "%s", r->f[id].known && r->f[id].s ? r->f[id].s : "-");
}

static void next_boot_text(struct fleet_row *row, const struct report *r)
{
	const struct next_boot *nb = &row->nb;

	if (!nb->known)
		snprintf(row->next_boot, sizeof(row->next_boot), "%s",
			 fact_known(r, F_XEN_DOMAIN_TYPE) && !fact_str_is(r, F_XEN_DOMAIN_TYPE, "none") ?
			 "not read" : "-");
	else if (nb->panics)
		snprintf(row->next_boot, sizeof(row->next_boot),
			 "Xen panics: dom0=pvh with %s", nb->iommu_token);
	else if (nb->loses_pvh)
		snprintf(row->next_boot, sizeof(row->next_boot), "dom0 boots PV: no dom0=pvh");
	else
		snprintf(row->next_boot, sizeof(row->next_boot), "ok (dom0=%s)",
			 nb->dom0_pvh ? "pvh" : "pv");
}

/* Judge one saved report into row. */
static void fleet_judge(const char *path, struct fleet_row *row)
{
	static struct report r;
	struct stat st;
	unsigned int i;

	memset(row, 0, sizeof(*row));
	host_name(path, row->host, sizeof(row->host));
	/* dom0gpu-pool leaves a host that gave no report an empty file. */
	if (!stat(path, &st) && S_ISREG(st.st_mode) && !st.st_size) {
		snprintf(row->error, sizeof(row->error), "empty file: no report");
		row->verdict = "error";
		return;
	}
	report_init(&r);
	if (explain_load(path, &r, row->error, sizeof(row->error))) {
		size_t n = strlen(path);

		/* The line names the host already: drop the "PATH: " the reason starts with. */
		if (!strncmp(row->error, path, n) && !strncmp(row->error + n, ": ", 2))
			memmove(row->error, row->error + n + 2, strlen(row->error + n + 2) + 1);
		row->verdict = "error";
		report_free(&r);
		return;
	}
	rules_evaluate(&r);
	row->verdict = verdict_name(r.verdict);
	str_fact(&r, F_XEN_DOMAIN_TYPE, row->domain, sizeof(row->domain));
	str_fact(&r, F_CUDA_PROBE, row->cuda, sizeof(row->cuda));
	if (fact_known(&r, F_PAT_WC_INDEX))
		snprintf(row->wc_index, sizeof(row->wc_index), "%lld",
			 (long long)r.f[F_PAT_WC_INDEX].v.i);
	else
		snprintf(row->wc_index, sizeof(row->wc_index), "-");
	next_boot_assess(&r, &row->nb);
	next_boot_text(row, &r);
	for (i = 0; i < r.nr_findings; i++)
		if (r.findings[i].rule->severity == SEV_BLOCKER &&
		    row->nr_blockers < REPORT_MAX_FINDINGS &&
		    (!row->nr_blockers ||
		     strcmp(row->blockers[row->nr_blockers - 1], r.findings[i].rule->id)))
			snprintf(row->blockers[row->nr_blockers++], sizeof(row->blockers[0]), "%s",
				 r.findings[i].rule->id);
	report_free(&r);
}

static json_object *row_json(const struct fleet_row *row)
{
	json_object *o = json_object_new_object(), *nb, *b;
	unsigned int i;

	json_object_object_add(o, "host", json_object_new_string(row->host));
	json_object_object_add(o, "verdict", json_object_new_string(row->verdict));
	if (row->error[0]) {
		json_object_object_add(o, "error", json_object_new_string(row->error));
		return o;
	}
	json_object_object_add(o, "domain_type", strcmp(row->domain, "-") ?
			       json_object_new_string(row->domain) : NULL);
	json_object_object_add(o, "pat_wc_index", strcmp(row->wc_index, "-") ?
			       json_object_new_int(atoi(row->wc_index)) : NULL);
	json_object_object_add(o, "cuda_probe", strcmp(row->cuda, "-") ?
			       json_object_new_string(row->cuda) : NULL);
	b = json_object_new_array();
	for (i = 0; i < row->nr_blockers; i++)
		json_object_array_add(b, json_object_new_string(row->blockers[i]));
	json_object_object_add(o, "blockers", b);
	if (row->nb.known) {
		nb = json_object_new_object();
		json_object_object_add(nb, "dom0", json_object_new_string(row->nb.dom0_pvh ? "pvh" : "pv"));
		json_object_object_add(nb, "iommu_disabled", json_object_new_boolean(row->nb.iommu_disabled));
		json_object_object_add(nb, "panics", json_object_new_boolean(row->nb.panics));
		json_object_object_add(nb, "loses_pvh", json_object_new_boolean(row->nb.loses_pvh));
	} else {
		nb = NULL;
	}
	json_object_object_add(o, "next_boot", nb);
	json_object_object_add(o, "next_boot_text", json_object_new_string(row->next_boot));
	return o;
}

static void row_text(FILE *f, const struct fleet_row *row, int host_w)
{
	fprintf(f, "%-*s  %-8s  %-6s  %-8s  %-9s  %s\n", host_w, row->host, row->verdict,
		row->error[0] ? "-" : row->domain, row->error[0] ? "-" : row->wc_index,
		row->error[0] ? "-" : row->cuda, row->error[0] ? row->error : row->next_boot);
}

/* Worst first: any blocked host -> 1, else any unknown or unreadable -> 2, else 0. */
int fleet_explain(FILE *f, const char *const *paths, unsigned int n, bool json, bool quiet)
{
	json_object *arr = json ? json_object_new_array() : NULL;
	bool blocked = false, unknown = false;
	struct fleet_row row;
	int host_w = 4;
	unsigned int i;

	for (i = 0; i < n; i++) {
		host_name(paths[i], row.host, sizeof(row.host));
		if ((int)strlen(row.host) > host_w)
			host_w = (int)strlen(row.host);
	}
	if (!json && !quiet)
		fprintf(f, "%-*s  %-8s  %-6s  %-8s  %-9s  %s\n", host_w, "HOST", "VERDICT", "DOMAIN",
			"WC-INDEX", "CUDA", "NEXT BOOT");
	for (i = 0; i < n; i++) {
		fleet_judge(paths[i], &row);
		blocked |= !strcmp(row.verdict, "blocked");
		unknown |= !strcmp(row.verdict, "unknown") || row.error[0];
		if (quiet)
			continue;
		if (json)
			json_object_array_add(arr, row_json(&row));
		else
			row_text(f, &row, host_w);
	}
	if (json) {
		if (!quiet)
			fprintf(f, "%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY));
		json_object_put(arr);
	}
	if (ferror(f))
		return -1;
	return blocked ? EXIT_BLOCKED : unknown ? EXIT_UNKNOWN : EXIT_READY;
}
