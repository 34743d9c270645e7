// SPDX-License-Identifier: GPL-2.0
/* The dynamically linked build: libraries load through the system's dlopen(). */
#include <dlfcn.h>

#include "dynload.h"

const bool dynload_available = true;

void *dynload_open(const char *name)
{
	return dlopen(name, RTLD_NOW | RTLD_LOCAL);
}

const char *dynload_error(void)
{
	return dlerror();
}

void *dynload_sym(void *lib, const char *name)
{
	return dlsym(lib, name);
}

void dynload_close(void *lib)
{
	dlclose(lib);
}
