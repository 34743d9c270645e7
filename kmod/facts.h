/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Each fact of the snapshot described once: one table per section of the
 * model (facts.c) gives, for every fact, its sysfs file and mode, its
 * netlink attribute, its format and the accessor that reads it from the
 * model. sysfs.c and netlink.c only iterate these tables (docs/ARCHITECTURE.md).
 *
 * A fact may be shown by one view only: a sysfs-only fact has no nl_attr, a
 * netlink-only fact no sysfs name. Facts that share an nl_attr in one table
 * form a repeated (array) attribute, in table order. Each table ends with
 * an empty row.
 */
#ifndef _DOM0GPU_FACTS_H
#define _DOM0GPU_FACTS_H

#include <linux/types.h>

/*
 * How a value is printed in its sysfs file, and which netlink type carries
 * it. Enums travel as their uapi value and print as their name.
 */
enum d0g_fmt {
	D0G_FMT_BOOL,		/* "%d",       NLA_U8 */
	D0G_FMT_U8,		/* "%u",       NLA_U8 */
	D0G_FMT_U32,		/* "%u",       NLA_U32 */
	D0G_FMT_S32,		/* "%d",       NLA_S32 */
	D0G_FMT_X16,		/* "0x%04x",   NLA_U16 */
	D0G_FMT_X24,		/* "0x%06x",   NLA_U32 */
	D0G_FMT_X32,		/* "0x%08x",   NLA_U32 */
	D0G_FMT_X64,		/* "0x%016llx", NLA_U64 */
	D0G_FMT_U64,		/* "%llu",     NLA_U64 */
	D0G_FMT_STR,		/* "%s",       NLA_NUL_STRING */
	D0G_FMT_ENUM,		/* name,       NLA_U32 (the uapi value) */
	D0G_FMT_ENUM_STR,	/* name,       NLA_NUL_STRING (the name) */
	D0G_FMT_LAYOUT,		/* 8 memory type names, 8 x NLA_U32 */
	D0G_FMT_VERSION,	/* "%u.%u" of (major << 32 | minor), sysfs only */
	D0G_FMT_FLAG,		/* NLA_FLAG when set, netlink only */
};

/* Netlink leaves the fact out for callers without CAP_{SYS,NET}_ADMIN. */
#define D0G_FACT_PRIV		BIT(0)
/* sysfs prints the format's empty value when the fact is absent. */
#define D0G_FACT_SYSFS_ZERO	BIT(1)

union d0g_value {
	u64 u;
	s64 s;
	const char *str;
};

/*
 * What an accessor reads: the section's object in the model (one GPU, one
 * MTRR range, one CPU's PAT slot, or the section itself), its index where
 * it is one of many, and whether the reader may see privileged facts
 * (sysfs guards those by file mode). Model lock held.
 */
struct d0g_fact_ctx {
	const void *obj;
	unsigned int index;
	bool privileged;
};

struct d0g_fact;

/* 0 and *v set; -ENODATA when absent; another -errno to report. */
typedef int (*d0g_fact_get_t)(const struct d0g_fact_ctx *ctx,
			      const struct d0g_fact *f, union d0g_value *v);

/*
 * Most facts are a field of the section's object (get = d0g_fact_field,
 * off/size name it); derived facts have their own accessor in facts.c.
 */
struct d0g_fact {
	const char *sysfs;		/* file name; NULL: netlink only */
	umode_t mode;
	u16 nl_attr;			/* 0: sysfs only */
	u8 fmt;				/* enum d0g_fmt */
	u8 flags;			/* D0G_FACT_* */
	const char *(*name)(u32 value);	/* D0G_FMT_ENUM, D0G_FMT_ENUM_STR */
	bool (*when)(const void *obj);	/* NULL or true: present */
	d0g_fact_get_t get;
	u16 off;			/* field offset, or an index for get */
};

int d0g_fact_field(const struct d0g_fact_ctx *ctx, const struct d0g_fact *f,
		   union d0g_value *v);
/* Reads a fact: its presence, privilege and accessor. */
int d0g_fact_get(const struct d0g_fact_ctx *ctx, const struct d0g_fact *f,
		 union d0g_value *v);

struct d0g_section {
	const char *name;		/* sysfs directory */
	u16 nl_pad;			/* pad attribute of its nest */
	const struct d0g_fact *facts;	/* ends with a row without get */
	/*
	 * The object a directory's key stands for (NULL once it is gone, then
	 * reads fail with -missing). Model lock held.
	 */
	const void *(*lookup)(u64 key);
	int missing;
};

extern const struct d0g_section d0g_sec_top;
extern const struct d0g_section d0g_sec_pat;
extern const struct d0g_section d0g_sec_cpu;
extern const struct d0g_section d0g_sec_nvidia;
extern const struct d0g_section d0g_sec_mtrr;
extern const struct d0g_section d0g_sec_mtrr_var;
extern const struct d0g_section d0g_sec_mtrr_fixed;
extern const struct d0g_section d0g_sec_hypervisor;
extern const struct d0g_section d0g_sec_xen;
extern const struct d0g_section d0g_sec_iommu;
extern const struct d0g_section d0g_sec_gpus;
extern const struct d0g_section d0g_sec_gpu;

/* The 8 memory types of a PAT value, as in sysfs and netlink. */
u32 d0g_pat_entry_type(u64 pat, unsigned int index);

#endif /* _DOM0GPU_FACTS_H */
