// SPDX-License-Identifier: GPL-2.0
/*
 * The fully static build (make STATIC=full) in place of ../dynload.c: no
 * code of dom0gpu-stat calls dlopen(), dlsym() or dlclose(), so no library
 * is ever loaded (dynload.h says why). glibc's static library still links
 * its own loader in for its internal use.
 */
#include <stddef.h>

#include "../dynload.h"

const bool dynload_available;

void *dynload_open(const char *name)
{
	(void)name;
	return NULL;
}

const char *dynload_error(void)
{
	return "this dom0gpu-stat is fully static (STATIC=full) and loads no shared library";
}

void *dynload_sym(void *lib, const char *name)
{
	(void)lib;
	(void)name;
	return NULL;
}

void dynload_close(void *lib)
{
	(void)lib;
}
