/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared libraries the tool loads at run time, if it can: libcuda (the
 * probe) and libxenctrl. The fully static build (make STATIC=full) cannot:
 * glibc's dlopen() in a static program needs, at run time, the very glibc
 * it was linked with, which a binary copied between hosts does not have.
 */
#ifndef DOM0GPU_DYNLOAD_H
#define DOM0GPU_DYNLOAD_H

#include <stdbool.h>

/* False in the fully static build: dynload_open() then always fails. */
extern const bool dynload_available;

/* dlopen(name, RTLD_NOW | RTLD_LOCAL); NULL with dynload_error() set. */
void *dynload_open(const char *name);
const char *dynload_error(void);
/* dlsym() and dlclose() of a library dynload_open() gave. */
void *dynload_sym(void *lib, const char *name);
void dynload_close(void *lib);

#endif
