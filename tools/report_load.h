/* SPDX-License-Identifier: GPL-2.0 */
/* --explain's reader of saved --json reports (report_load.c). */
#ifndef DOM0GPU_STAT_REPORT_LOAD_H
#define DOM0GPU_STAT_REPORT_LOAD_H

#include <stddef.h>

#include "report.h"

/* A saved report larger than this is refused by --explain. */
#define EXPLAIN_MAX_BYTES	(4 << 20)

/* Fill r from a saved --json report; 0, or -1 with a one-line reason in err. */
int explain_load(const char *path, struct report *r, char *err, size_t errlen);

#endif /* DOM0GPU_STAT_REPORT_LOAD_H */
