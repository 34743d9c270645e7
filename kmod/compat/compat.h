/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place where kernel version differences are handled. Kbuild
 * probes the target tree (compat/Kbuild.include) and passes HAVE_* flags.
 */
#ifndef _DOM0GPU_COMPAT_H
#define _DOM0GPU_COMPAT_H

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>
#include <asm/msr.h>

#ifdef HAVE_ASM_MEMTYPE_H
#include <asm/memtype.h>
#else
#include <asm/pat.h>
#endif

#ifndef HAVE_RDMSRQ
#define rdmsrq_safe(msr, p)			rdmsrl_safe(msr, p)
#define rdmsrq_safe_on_cpu(cpu, msr, p)		rdmsrl_safe_on_cpu(cpu, msr, p)
#endif

#ifndef HAVE_SYSFS_EMIT
static inline __printf(3, 4)
int sysfs_emit_at(char *buf, int at, const char *fmt, ...)
{
	va_list args;
	int len;

	va_start(args, fmt);
	len = vscnprintf(buf + at, PAGE_SIZE - at, fmt, args);
	va_end(args);
	return len;
}

#define sysfs_emit(buf, fmt, ...)	sysfs_emit_at(buf, 0, fmt, ##__VA_ARGS__)
#endif

#ifdef HAVE_CONST_KOBJ_TYPE
#define d0g_kobj_type(ktype)	(ktype)
#else
#define d0g_kobj_type(ktype)	((void *)(ktype))	/* drop const */
#endif

#ifndef HAVE_DEVICE_IOMMU_MAPPED
static inline bool device_iommu_mapped(struct device *dev)
{
	return dev->iommu_group;
}
#endif

/*
 * Whether an IOMMU driver registered with the bus; after 6.13 the question
 * is answered per device only (see iommu.c).
 */
#ifdef HAVE_IOMMU_PRESENT
#define d0g_iommu_present(bus)	iommu_present(bus)
#else
#define d0g_iommu_present(bus)	((void)(bus), false)
#endif

/* Linux's default domain type; unknown (false) before 5.4. */
#ifdef HAVE_IOMMU_DEFAULT_PASSTHROUGH
#define d0g_iommu_default_known()	true
#define d0g_iommu_default_passthrough()	iommu_default_passthrough()
#else
#define d0g_iommu_default_known()	false
#define d0g_iommu_default_passthrough()	false
#endif

/*
 * x86_hyper_type is declared only with CONFIG_HYPERVISOR_GUEST; without it
 * the kernel cannot be anything but native (0).
 */
#ifdef CONFIG_HYPERVISOR_GUEST
#include <asm/hypervisor.h>
#define d0g_x86_hyper_type()	((u32)x86_hyper_type)
#else
#define d0g_x86_hyper_type()	0U
#endif

/*
 * Netlink attribute validation. From 5.2 the core parses requests strictly
 * (unknown or unsupported attributes, exact integer lengths, NLA_F_NESTED,
 * trailing bytes) and nla_parse_nested() is strict too; 4.19 skips what it
 * does not know, so there the module applies the same rules itself.
 */
#include <net/netlink.h>

/*
 * Where a request's policy goes. 4.19 and 5.10+ take one per operation; 5.2
 * moved it to the family (3b0f31f2b8c9 "genetlink: make policy common to
 * family") and 5.10 brought it back (48526a0f4ca2 "genetlink: bring back
 * per op policy"). On 5.2 to 5.9 the family gets a policy that admits every
 * attribute of every operation, so the core still validates strictly, and
 * d0g_nla_strict() rejects what the operation at hand does not take.
 */
#ifdef HAVE_GENL_OPS_POLICY
#define D0G_GENL_OP_POLICY(pol)		.policy = (pol),
#define D0G_GENL_FAMILY_POLICY(...)	/* each op has its own */
#else
#define D0G_GENL_OP_POLICY(...)		/* the family's applies */
#define D0G_GENL_FAMILY_POLICY(pol)	.policy = (pol),
#endif

#ifdef HAVE_NL_VALIDATE_STRICT
/* nla_validate() is strict from 5.2 on, as the core's own parse is. */
static inline int d0g_nla_strict(const struct nlattr *head, int len,
				 int maxtype, const struct nla_policy *policy,
				 struct netlink_ext_ack *extack)
{
#ifdef HAVE_GENL_OPS_POLICY
	return 0;
#else
	return nla_validate(head, len, maxtype, policy, extack);
#endif
}

static inline int d0g_nla_parse_nested(struct nlattr **tb, int maxtype,
				       const struct nlattr *nla,
				       const struct nla_policy *policy,
				       struct netlink_ext_ack *extack)
{
	return nla_parse_nested(tb, maxtype, nla, policy, extack);
}
#else
static inline int d0g_nla_exact_len(u16 policy_type)
{
	switch (policy_type) {
	case NLA_U8:
	case NLA_S8:
		return sizeof(u8);
	case NLA_U16:
	case NLA_S16:
		return sizeof(u16);
	case NLA_U32:
	case NLA_S32:
		return sizeof(u32);
	case NLA_U64:
	case NLA_S64:
		return sizeof(u64);
	default:
		return -1;
	}
}

static inline int d0g_nla_strict(const struct nlattr *head, int len,
				 int maxtype, const struct nla_policy *policy,
				 struct netlink_ext_ack *extack)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr(nla, head, len, rem) {
		u16 type = nla_type(nla);
		const struct nla_policy *pt;
		int exact;

		if (!type || type > maxtype) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "Unknown attribute type");
			return -EINVAL;
		}
		pt = &policy[type];
		if (pt->type == NLA_UNSPEC) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "Unsupported attribute");
			return -EINVAL;
		}
		if (pt->type == NLA_NESTED &&
		    !(nla->nla_type & NLA_F_NESTED)) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "NLA_F_NESTED is missing");
			return -EINVAL;
		}
		if (pt->type != NLA_NESTED && (nla->nla_type & NLA_F_NESTED)) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "NLA_F_NESTED not expected");
			return -EINVAL;
		}
		exact = d0g_nla_exact_len(pt->type);
		if (exact >= 0 && nla_len(nla) != exact) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "invalid attribute length");
			return -EINVAL;
		}
	}
	if (rem) {
		NL_SET_ERR_MSG(extack, "bytes leftover after parsing attributes");
		return -EINVAL;
	}
	return 0;
}

static inline int d0g_nla_parse_nested(struct nlattr **tb, int maxtype,
				       const struct nlattr *nla,
				       const struct nla_policy *policy,
				       struct netlink_ext_ack *extack)
{
	return d0g_nla_strict(nla_data(nla), nla_len(nla), maxtype, policy,
			      extack) ?:
	       nla_parse_nested(tb, maxtype, nla, policy, extack);
}
#endif

/* A dump's start() can report through extack from 4.20. */
static inline struct netlink_ext_ack *
d0g_cb_extack(const struct netlink_callback *cb)
{
#ifdef HAVE_NETLINK_CALLBACK_EXTACK
	return cb->extack;
#else
	return NULL;
#endif
}

#endif /* _DOM0GPU_COMPAT_H */
