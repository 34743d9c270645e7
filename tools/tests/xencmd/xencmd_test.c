// SPDX-License-Identifier: GPL-2.0
/*
 * xencmd_parse() against cases.tsv: for each Xen 4.17 command line, the
 * values Xen's parsers leave in iommu_enable, force_iommu,
 * iommu_hwdom_passthrough/strict/none, opt_dom0_pvh and opt_nmi, and the
 * number of options Xen ignores or reads otherwise. Prints TAP.
 *
 * Usage: xencmd_test cases.tsv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../xencmd.h"

#define NR_COLS 12

/* Splits line at tabs in place; empty fields count. */
static int split(char *line, char **col, int max)
{
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	while (n < max) {
		col[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

int main(int argc, char **argv)
{
	char line[1024], got[256], want[256];
	unsigned int n = 0, failed = 0;
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: xencmd_test cases.tsv\n");
		return 2;
	}
	printf("TAP version 13\n");
	while (fgets(line, sizeof(line), f)) {
		char *col[NR_COLS];
		struct xencmd x;
		unsigned int i;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (split(line, col, NR_COLS) != NR_COLS) {
			printf("not ok %u malformed row: %s\n", ++n, col[0]);
			failed++;
			continue;
		}
		xencmd_parse(col[0], &x);
		snprintf(got, sizeof(got), "%d %d %d %d %d %s %s %u", x.iommu_enable, x.force_iommu,
			 x.hwdom_passthrough, x.hwdom_strict, x.hwdom_none,
			 x.dom0_pvh ? "pvh" : "pv", x.nmi_set ? x.nmi : "-", x.nr_issues);
		snprintf(want, sizeof(want), "%s %s %s %s %s %s %s %s", col[1], col[2], col[3],
			 col[4], col[5], col[6], col[7], col[8]);
		n++;
		if (!strcmp(got, want)) {
			printf("ok %u xen \"%s\": %s (%s)\n", n, col[0], want, col[11]);
			continue;
		}
		failed++;
		printf("not ok %u xen \"%s\" (%s)\n# want iommu_enable force passthrough strict "
		       "none dom0 nmi issues: %s\n#  got %s\n", n, col[0], col[11], want, got);
		for (i = 0; i < x.nr_issues; i++)
			printf("#  issue: %s\n", x.issues[i]);
	}
	fclose(f);
	printf("1..%u\n# %u passed, %u failed\n", n, n - failed, failed);
	return failed || n < 40;
}
