// SPDX-License-Identifier: GPL-2.0
/*
 * The PAT vocabulary of the CLI: memory type names by encoding (from
 * uapi/dom0gpu_names.h, the module's own table), a PAT value as the
 * kernel's layout line and back, and the index of its first WC entry.
 */
#include <stdio.h>
#include <string.h>

#include <dom0gpu_names.h>
#include <dom0gpu_nvpat.h>

#include "pat_types.h"

/* The kernel's names (arch/x86/mm/pat/memtype.c), by PAT type encoding. */
const char *pat_type_name(unsigned int entry)
{
	return dom0gpu_mem_type_name(entry < 8 ? dom0gpu_mem_type_of((__u8)entry, 1) :
				     DOM0GPU_MEM_TYPE_RESERVED);
}

int pat_type_from_name(const char *name)
{
	int i;

	for (i = 0; i < 8; i++)
		if (dom0gpu_mem_type_of((__u8)i, 1) != DOM0GPU_MEM_TYPE_RESERVED &&
		    !strcmp(pat_type_name((unsigned int)i), name))
			return i;
	return -1;
}

void pat_layout_text(uint64_t pat, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 8 && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? " " : "",
					pat_type_name((pat >> (i * 8)) & 0xff));
}

int pat_wc_index(uint64_t pat)
{
	int i;

	for (i = 0; i < 8; i++)
		if (((pat >> (i * 8)) & 0xff) == 1)
			return i;
	return -1;
}

bool pat_from_layout(const char *layout, uint64_t *pat)
{
	char copy[128], *tok, *save = NULL;
	uint64_t v = 0;
	int i = 0;

	snprintf(copy, sizeof(copy), "%s", layout);
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		int t = pat_type_from_name(tok);

		if (t < 0 || i >= 8)
			return false;
		v |= (uint64_t)t << (i++ * 8);
	}
	if (i != 8)
		return false;
	*pat = v;
	return true;
}

/* NVIDIA's three cases (nv_determine_pat_mode()): WC found first at 1, elsewhere, nowhere. */
static int nvidia_case(uint64_t pat)
{
	int i = nvpat_wc_scan(pat);

	return i == 1 ? 1 : i < 0 ? 0 : 2;
}

bool pat_other_more_telling(uint64_t boot, uint64_t have, uint64_t v)
{
	return v != boot && nvidia_case(have) == nvidia_case(boot) &&
	       nvidia_case(v) != nvidia_case(boot);
}
