/* SPDX-License-Identifier: GPL-2.0 */
/* The PAT vocabulary shared by the sources and the rules (pat_types.c). */
#ifndef DOM0GPU_STAT_PAT_TYPES_H
#define DOM0GPU_STAT_PAT_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

const char *pat_type_name(unsigned int entry);
int pat_type_from_name(const char *name);	/* -1 if not a PAT type name */
void pat_layout_text(uint64_t pat, char *buf, size_t len);
int pat_wc_index(uint64_t pat);
/*
 * Of the PATs differing from the boot CPU's, one is reported: v replaces
 * have when NVIDIA would decide differently on v but not on have. Every
 * other input of its decision is the same on all CPUs, so that PAT tells
 * whether the CPUs' decisions differ.
 */
bool pat_other_more_telling(uint64_t boot, uint64_t have, uint64_t v);
/* "WB  WC  UC- ..." (the kernel's x86/PAT line) to the MSR value. */
bool pat_from_layout(const char *layout, uint64_t *pat);

#endif /* DOM0GPU_STAT_PAT_TYPES_H */
