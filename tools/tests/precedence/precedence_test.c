// SPDX-License-Identifier: GPL-2.0
/*
 * Source precedence (precedence.c) through the report's setters: for every
 * fact, every source writes it, in every order of every pair and in every
 * order of all the sources of the fact's row; the source ranked highest
 * must hold the fact at the end, with its value and origin. And the
 * declared policy itself: the module's netlink, then its sysfs, rank above
 * every userspace reader for every fact the module gives. Prints TAP.
 */
#include <stdio.h>
#include <string.h>

#include "../../report.h"

static unsigned int n, failed;

static void check(bool ok, const char *what, int fact, int a, int b)
{
	n++;
	if (ok)
		return;
	failed++;
	printf("not ok %u %s: %s, %s then %s\n", n, what, fact_defs[fact].name, src_name(a),
	       src_name(b));
}

/* Writes fact id from each source of order[0..k), the value naming the source. */
static void write_in_order(struct report *r, enum fact_id id, const enum src *order, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < k; i++)
		switch (fact_defs[id].type) {
		case FT_BOOL:
			fact_set_bool(r, id, order[i] & 1, order[i], src_name(order[i]));
			break;
		case FT_INT:
			fact_set_int(r, id, order[i], order[i], src_name(order[i]));
			break;
		case FT_HEX:
			fact_set_hex(r, id, order[i], order[i], src_name(order[i]));
			break;
		case FT_STR:
			fact_set_str(r, id, src_name(order[i]), order[i], src_name(order[i]));
			break;
		}
}

/* The fact holds what source s wrote. */
static bool holds(const struct report *r, enum fact_id id, enum src s)
{
	const struct fact *f = &r->f[id];

	if (!f->known || f->src != s || strcmp(f->from, src_name(s)))
		return false;
	switch (fact_defs[id].type) {
	case FT_BOOL:
		return f->v.b == (bool)(s & 1);
	case FT_INT:
		return f->v.i == s;
	case FT_HEX:
		return f->v.u == s;
	case FT_STR:
		return f->s && !strcmp(f->s, src_name(s));
	}
	return false;
}

/* Every pair of sources, both orders: the higher-ranked one (or, equal, the later) holds. */
static void pairs(enum fact_id id)
{
	int a, b;

	for (a = 1; a < SRC__COUNT; a++)
		for (b = 1; b < SRC__COUNT; b++) {
			enum src order[2] = { a, b };
			struct report r;
			enum src want;

			report_init(&r);
			write_in_order(&r, id, order, 2);
			want = fact_precedence(id, a) > fact_precedence(id, b) ? a : b;
			check(holds(&r, id, want), "winner of a pair", id, a, b);
			report_free(&r);
		}
}

/* Every permutation of the sources the fact's row ranks (Heap's algorithm). */
static void permutations(enum fact_id id)
{
	enum src ranked[SRC__COUNT], best = SRC_NONE;
	unsigned int k = 0, c[SRC__COUNT] = { 0 }, i = 0;
	struct report r;
	int s;

	for (s = 1; s < SRC__COUNT; s++)
		if (fact_precedence(id, s)) {
			ranked[k++] = s;
			if (best == SRC_NONE || fact_precedence(id, s) > fact_precedence(id, best))
				best = s;
		}
	report_init(&r);
	write_in_order(&r, id, ranked, k);
	check(holds(&r, id, best), "winner of all its sources", id, ranked[0], ranked[k - 1]);
	report_free(&r);
	while (i < k) {
		if (c[i] < i) {
			enum src t = ranked[i % 2 ? c[i] : 0];

			ranked[i % 2 ? c[i] : 0] = ranked[i];
			ranked[i] = t;
			report_init(&r);
			write_in_order(&r, id, ranked, k);
			check(holds(&r, id, best), "winner of all its sources", id, ranked[0],
			      ranked[k - 1]);
			report_free(&r);
			c[i]++;
			i = 0;
		} else {
			c[i++] = 0;
		}
	}
}

/* The declared policy: netlink above sysfs above every userspace reader. */
static void module_first(enum fact_id id)
{
	unsigned int nl = fact_precedence(id, SRC_NETLINK), sys = fact_precedence(id, SRC_SYSFS);
	int s;

	if (!nl && !sys)
		return;
	check(nl > sys, "netlink ranks above sysfs", id, SRC_NETLINK, SRC_SYSFS);
	for (s = 1; s < SRC__COUNT; s++)
		if (s != SRC_NETLINK && s != SRC_SYSFS)
			check(sys > fact_precedence(id, s), "the module ranks above userspace", id,
			      SRC_SYSFS, s);
}

int main(void)
{
	int id;

	printf("TAP version 13\n");
	for (id = 0; id < F__COUNT; id++) {
		unsigned int before = failed;

		pairs(id);
		permutations(id);
		module_first(id);
		printf("%sok %u %s: the highest-ranked source holds it, whatever the order\n",
		       failed == before ? "" : "not ", id + 1, fact_defs[id].name);
	}
	printf("1..%d\n", F__COUNT);
	return failed ? 1 : 0;
}
