/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DOM0GPU_STAT_WATCH_H
#define DOM0GPU_STAT_WATCH_H

#include <stdio.h>

/* Print the module's netlink events, one line each, until interrupted; 0 or -1. */
int watch_events(FILE *out);

#endif /* DOM0GPU_STAT_WATCH_H */
