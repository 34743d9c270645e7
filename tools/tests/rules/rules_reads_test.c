// SPDX-License-Identifier: GPL-2.0
/*
 * Each rule depends on the facts its row in rules[] declares and on no
 * other: for every saved report given, each rule's findings are taken
 * with the report as it is, then again
 *  - with every fact the rule may not depend on cleared at once, and
 *  - with each such fact in turn replaced by every value any of the
 *    reports holds for it (value, source and origin), and by "unknown";
 * and must stay identical (rule, GPU, evidence text, cited facts). A fact
 * the rule may depend on is one its row lists in .reads, or one that
 * rule_derived_defs[] names for a context value its row lists in .derived.
 * Conversely, each fact a row lists, and each context value it declares,
 * must change the rule's findings under some replacement in some report,
 * alone or with another fact the rule may read replaced too: a
 * declaration nothing reads would hide what the rule really uses. The
 * GPUs and the collection mode, which are no facts, stay as saved.
 *
 * Usage: rules_reads_test REPORT.json...   Prints TAP; exits 1 on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../report_load.h"
#include "../../rules.h"

/* Distinct values of one fact across the reports, "unknown" first; the first MAX_VALUES. */
#define MAX_VALUES	64

struct findings {
	unsigned int n;
	struct finding f[REPORT_MAX_FINDINGS];
};

static struct fact values[F__COUNT][MAX_VALUES];
static unsigned int nr_values[F__COUNT];
/* changed[rule][fact]: replacing the fact changed the rule's findings somewhere */
static bool (*changed)[F__COUNT];
static bool (*told)[F__COUNT + 1];
static unsigned int n, failed;

static bool in_list(const enum fact_id *l, enum fact_id id)
{
	for (; *l != F__COUNT; l++)
		if (*l == id)
			return true;
	return false;
}

/* The rule may depend on fact id: it reads it, or a context value it uses comes from it. */
static bool may_read(const struct rule *rule, enum fact_id id)
{
	unsigned int d;

	if (in_list(rule->reads, id))
		return true;
	for (d = 0; d < RULE_NR_DERIVED; d++)
		if ((rule->derived & rule_derived_defs[d].bit) &&
		    in_list(rule_derived_defs[d].from, id))
			return true;
	return false;
}

static bool same_fact(enum fact_id id, const struct fact *a, const struct fact *b)
{
	if (a->known != b->known)
		return false;
	if (!a->known)
		return true;
	if (a->src != b->src || strcmp(a->from, b->from))
		return false;
	switch (fact_defs[id].type) {
	case FT_BOOL:
		return a->v.b == b->v.b;
	case FT_INT:
		return a->v.i == b->v.i;
	case FT_HEX:
		return a->v.u == b->v.u;
	case FT_STR:
		return !strcmp(a->s ? a->s : "", b->s ? b->s : "");
	}
	return false;
}

static void collect_values(const struct report *r)
{
	unsigned int id, k;

	for (id = 0; id < F__COUNT; id++) {
		for (k = 0; k < nr_values[id]; k++)
			if (same_fact(id, &values[id][k], &r->f[id]))
				break;
		if (k < nr_values[id] || nr_values[id] == MAX_VALUES)
			continue;
		values[id][k] = r->f[id];
		if (r->f[id].s && !(values[id][k].s = strdup(r->f[id].s))) {
			perror("strdup");
			exit(2);
		}
		nr_values[id]++;
	}
}

/* rule's findings in the context c (derived from c->r as it is now). */
static void evaluate(struct rule_ctx *c, const struct rule *rule, struct findings *out)
{
	c->rule = rule;
	c->r->nr_findings = 0;
	rule->check(c);
	out->n = c->r->nr_findings;
	memcpy(out->f, c->r->findings, out->n * sizeof(out->f[0]));
}

static bool same_findings(const struct findings *a, const struct findings *b)
{
	unsigned int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		const struct finding *x = &a->f[i], *y = &b->f[i];

		if (x->rule != y->rule || x->gpu != y->gpu || strcmp(x->evidence, y->evidence) ||
		    x->nr_facts != y->nr_facts ||
		    memcmp(x->facts, y->facts, x->nr_facts * sizeof(x->facts[0])))
			return false;
	}
	return true;
}

static void show(const char *what, const struct findings *f)
{
	unsigned int i;

	printf("#   %s: %u finding(s)\n", what, f->n);
	for (i = 0; i < f->n; i++)
		printf("#     %s\n", f->f[i].evidence);
}

/*
 * A finding that changed with what rule i may not read: shown in detail
 * the first time for each rule and fact (F__COUNT: all cleared at once).
 */
static void undeclared(unsigned int i, unsigned int id, const char *path, const struct report *r,
		       const struct findings *base, const struct findings *now)
{
	char buf[REPORT_STR_LEN];

	if (told[i][id])
		return;
	told[i][id] = true;
	if (id == F__COUNT) {
		printf("# %s: its findings change with every undeclared fact cleared\n",
		       rules[i].id);
		printf("#   report %s\n", path);
	} else {
		printf("# %s: %s changes its findings but is not declared\n", rules[i].id,
		       fact_defs[id].name);
		printf("#   report %s, %s = %s\n", path, fact_defs[id].name,
		       fact_value_text(r, id, buf, sizeof(buf)));
	}
	show("as saved", base);
	show(id == F__COUNT ? "cleared" : "replaced", now);
}

/* Every rule on report r: nothing it may not read changes its findings. */
static void check_report(const char *path, struct report *r, struct findings *base,
			 struct findings *now)
{
	struct fact saved[F__COUNT];
	unsigned int i, id, k;
	struct rule_ctx c;
	bool clean = true;

	rule_ctx_derive(&c, r);
	for (i = 0; i < nr_rules; i++)
		evaluate(&c, &rules[i], &base[i]);

	/* Everything a rule may not read, cleared at once. */
	memcpy(saved, r->f, sizeof(saved));
	for (i = 0; i < nr_rules; i++) {
		for (id = 0; id < F__COUNT; id++)
			if (!may_read(&rules[i], id))
				r->f[id].known = false;
		rule_ctx_derive(&c, r);
		evaluate(&c, &rules[i], now);
		memcpy(r->f, saved, sizeof(saved));
		if (!same_findings(&base[i], now)) {
			clean = false;
			undeclared(i, F__COUNT, path, r, &base[i], now);
		}
	}

	/* One fact at a time, replaced by each value the reports hold for it. */
	for (id = 0; id < F__COUNT; id++) {
		for (k = 0; k < nr_values[id]; k++) {
			if (same_fact(id, &values[id][k], &saved[id]))
				continue;
			r->f[id] = values[id][k];
			rule_ctx_derive(&c, r);
			for (i = 0; i < nr_rules; i++) {
				evaluate(&c, &rules[i], now);
				if (same_findings(&base[i], now))
					continue;
				if (may_read(&rules[i], id)) {
					changed[i][id] = true;
				} else {
					clean = false;
					undeclared(i, id, path, r, &base[i], now);
				}
			}
			r->f[id] = saved[id];
		}
	}
	n++;
	if (!clean)
		failed++;
	printf("%s %u %s: every rule's findings depend only on its declared facts\n",
	       clean ? "ok" : "not ok", n, path);
}

/*
 * Whether replacing fact id changes the rule's findings in some report
 * once another fact the rule may read holds another of its values: for a
 * fact that matters only together with another (cuda.rlimit_as_kib only
 * with the error CUDA answered under it).
 */
static bool read_in_pairs(const struct rule *rule, enum fact_id id, struct report *reports,
			  unsigned int nr_reports, struct findings *a, struct findings *b)
{
	unsigned int ri, g, w, v;
	struct rule_ctx c;

	for (ri = 0; ri < nr_reports; ri++) {
		struct report *r = &reports[ri];
		const struct fact saved_id = r->f[id];

		for (g = 0; g < F__COUNT; g++) {
			const struct fact saved_g = r->f[g];

			if (g == id || !may_read(rule, g))
				continue;
			for (w = 0; w < nr_values[g]; w++) {
				bool differ = false;

				r->f[g] = values[g][w];
				rule_ctx_derive(&c, r);
				evaluate(&c, rule, a);
				for (v = 0; v < nr_values[id] && !differ; v++) {
					r->f[id] = values[id][v];
					rule_ctx_derive(&c, r);
					evaluate(&c, rule, b);
					differ = !same_findings(a, b);
				}
				r->f[id] = saved_id;
				r->f[g] = saved_g;
				if (differ)
					return true;
			}
		}
	}
	return false;
}

static bool is_read(unsigned int i, enum fact_id id, struct report *reports,
		    unsigned int nr_reports, struct findings *a, struct findings *b)
{
	return changed[i][id] || read_in_pairs(&rules[i], id, reports, nr_reports, a, b);
}

/* Each declared fact and context value changes the rule's findings in some report. */
static void check_declarations_read(struct report *reports, unsigned int nr_reports,
				    struct findings *a, struct findings *b)
{
	unsigned int i, d;
	const enum fact_id *l;

	for (i = 0; i < nr_rules; i++) {
		const struct rule *rule = &rules[i];
		bool clean = true;

		for (l = rule->reads; *l != F__COUNT; l++)
			if (!is_read(i, *l, reports, nr_reports, a, b)) {
				clean = false;
				printf("# %s declares %s, but no value of it changes its "
				       "findings\n", rule->id, fact_defs[*l].name);
			}
		for (d = 0; d < RULE_NR_DERIVED; d++) {
			bool used = false;

			if (!(rule->derived & rule_derived_defs[d].bit))
				continue;
			for (l = rule_derived_defs[d].from; *l != F__COUNT && !used; l++)
				used = is_read(i, *l, reports, nr_reports, a, b);
			if (!used) {
				clean = false;
				printf("# %s declares %s, but none of its facts changes its "
				       "findings\n", rule->id, rule_derived_defs[d].name);
			}
		}
		n++;
		if (clean) {
			printf("ok %u %s reads every fact and context value it declares\n", n,
			       rule->id);
		} else {
			failed++;
			printf("not ok %u %s reads every fact and context value it declares\n", n,
			       rule->id);
		}
	}
}

int main(int argc, char **argv)
{
	struct findings *base, *now;
	struct report *reports;
	char err[256];
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s REPORT.json...\n", argv[0]);
		return 2;
	}
	reports = calloc(argc - 1, sizeof(*reports));
	base = calloc(nr_rules, sizeof(*base));
	now = malloc(sizeof(*now));
	changed = calloc(nr_rules, sizeof(*changed));
	told = calloc(nr_rules, sizeof(*told));
	if (!reports || !base || !now || !changed || !told) {
		perror("calloc");
		return 2;
	}
	printf("TAP version 13\n");
	/* "unknown" is a value every fact can take (values[][] is zeroed). */
	for (i = 0; i < F__COUNT; i++)
		nr_values[i] = 1;
	for (i = 1; i < argc; i++) {
		report_init(&reports[i - 1]);
		if (explain_load(argv[i], &reports[i - 1], err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		collect_values(&reports[i - 1]);
	}
	for (i = 1; i < argc; i++)
		check_report(argv[i], &reports[i - 1], base, now);
	check_declarations_read(reports, argc - 1, &base[0], now);
	for (i = 1; i < argc; i++)
		report_free(&reports[i - 1]);
	printf("1..%u\n# %u passed, %u failed\n", n, n - failed, failed);
	return failed ? 1 : 0;
}
