/* SPDX-License-Identifier: GPL-2.0 */
/* The output formats of a judged report. */
#ifndef DOM0GPU_STAT_OUTPUT_H
#define DOM0GPU_STAT_OUTPUT_H

#include <stdio.h>

#include "report.h"

#define DOM0GPU_STAT_VERSION	"0.1.0"

/* Exit codes (documented in dom0gpu-stat.8). */
#define EXIT_READY	0
#define EXIT_BLOCKED	1
#define EXIT_UNKNOWN	2	/* also: no verdict could be computed (I/O, bad report) */
#define EXIT_USAGE	64

void out_human(FILE *f, const struct report *r, bool color);
/* Returns 0 or -1 (with a message printed) on failure. */
int out_json(FILE *f, const struct report *r);
int out_prometheus(FILE *f, const struct report *r);
int out_dump(FILE *f, const struct report *r);

/*
 * Several saved reports, one line per host (out_fleet.c): prints the table
 * (or a JSON array) and returns the fleet's exit code, -1 on a write error.
 */
int fleet_explain(FILE *f, const char *const *paths, unsigned int n, bool json, bool quiet);

#endif /* DOM0GPU_STAT_OUTPUT_H */
