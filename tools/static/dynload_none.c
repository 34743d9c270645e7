// SPDX-License-Identifier: GPL-2.0
/*
 * The fully static build (make STATIC=full) in place of ../dynload.c: no
 * dlopen() linked in, so no library is ever loaded (dynload.h says why).
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
