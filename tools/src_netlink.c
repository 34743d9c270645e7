// SPDX-License-Identifier: GPL-2.0
/*
 * The module over generic netlink (uapi/dom0gpu.yaml): one get-snapshot
 * request and a get-cpu dump, decoded into the module snapshot
 * (snapshot.h). Policies are non-const because libnl before 3.2.29 takes them
 * so; the kernel's reply is still length-checked by them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <dom0gpu_names.h>

#include "fsroot.h"
#include "nl.h"
#include "snapshot.h"
#include "source.h"

static struct nla_policy top_policy[DOM0GPU_A_MAX + 1] = {
	[DOM0GPU_A_GENERATION]	= { .type = NLA_U64 },
	[DOM0GPU_A_PAT]		= { .type = NLA_NESTED },
	[DOM0GPU_A_NVIDIA]	= { .type = NLA_NESTED },
	[DOM0GPU_A_HYPERVISOR]	= { .type = NLA_NESTED },
	[DOM0GPU_A_XEN]		= { .type = NLA_NESTED },
	[DOM0GPU_A_GPU]		= { .type = NLA_NESTED },
	[DOM0GPU_A_CPU]		= { .type = NLA_NESTED },
	[DOM0GPU_A_VERSION]	= { .type = NLA_STRING },
};

static struct nla_policy pat_policy[DOM0GPU_A_PAT_MAX + 1] = {
	[DOM0GPU_A_PAT_FEATURE]		= { .type = NLA_U8 },
	[DOM0GPU_A_PAT_KERNEL_ENABLED]	= { .type = NLA_U8 },
	[DOM0GPU_A_PAT_MSR]		= { .type = NLA_U64 },
	[DOM0GPU_A_PAT_ERROR]		= { .type = NLA_U32 },
	[DOM0GPU_A_PAT_LAYOUT]		= { .type = NLA_U32 },
	[DOM0GPU_A_PAT_WC_INDEX]	= { .type = NLA_U32 },
	[DOM0GPU_A_PAT_CONSISTENT]	= { .type = NLA_U8 },
	[DOM0GPU_A_PAT_CPUS_READ]	= { .type = NLA_U32 },
	[DOM0GPU_A_PAT_CPUS_FAILED]	= { .type = NLA_U32 },
};

static struct nla_policy nvidia_policy[DOM0GPU_A_NVIDIA_MAX + 1] = {
	[DOM0GPU_A_NVIDIA_PAT_MODE]		= { .type = NLA_U32 },
	[DOM0GPU_A_NVIDIA_WC_INDEX]		= { .type = NLA_U32 },
	[DOM0GPU_A_NVIDIA_REASON]		= { .type = NLA_STRING },
	[DOM0GPU_A_NVIDIA_MODULE_LOADED]	= { .type = NLA_U8 },
	[DOM0GPU_A_NVIDIA_INPUT_CPUID1_EDX]	= { .type = NLA_U32 },
	[DOM0GPU_A_NVIDIA_INPUT_KERNEL_HAS_PAT]	= { .type = NLA_U8 },
};

static struct nla_policy hyp_policy[DOM0GPU_A_HYPERVISOR_MAX + 1] = {
	[DOM0GPU_A_HYPERVISOR_TYPE]		= { .type = NLA_STRING },
	[DOM0GPU_A_HYPERVISOR_CPUID_BIT]	= { .type = NLA_U8 },
};

static struct nla_policy xen_policy[DOM0GPU_A_XEN_MAX + 1] = {
	[DOM0GPU_A_XEN_DOMAIN_TYPE]	= { .type = NLA_U32 },
	[DOM0GPU_A_XEN_INITIAL_DOMAIN]	= { .type = NLA_U8 },
	[DOM0GPU_A_XEN_VERSION_MAJOR]	= { .type = NLA_U32 },
	[DOM0GPU_A_XEN_VERSION_MINOR]	= { .type = NLA_U32 },
	[DOM0GPU_A_XEN_EXTRAVERSION]	= { .type = NLA_STRING },
	[DOM0GPU_A_XEN_CAPABILITIES]	= { .type = NLA_STRING },
	[DOM0GPU_A_XEN_CMDLINE]		= { .type = NLA_STRING },
	[DOM0GPU_A_XEN_RESTRICTED]	= { .type = NLA_FLAG },
};

static struct nla_policy cpu_policy[DOM0GPU_A_CPU_MAX + 1] = {
	[DOM0GPU_A_CPU_ID]		= { .type = NLA_U32 },
	[DOM0GPU_A_CPU_MSR]		= { .type = NLA_U64 },
	[DOM0GPU_A_CPU_MICROCODE]	= { .type = NLA_U32 },
};

static const char from_snapshot[] = "dom0gpu get-snapshot";

/* An enum value by its name in uapi/dom0gpu_names.h. */
static void put_name(struct module_snapshot *s, enum snap_field f, const char *name)
{
	snapshot_set_str(s, f, name, from_snapshot);
}

static void put_u(struct module_snapshot *s, enum snap_field f, uint64_t v)
{
	snapshot_set_u(s, f, v, from_snapshot);
}

static void put_pat(struct module_snapshot *s, struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_PAT_MAX + 1], *a;
	char layout[64] = "";
	size_t off = 0;
	int rem, n = 0;

	if (nla_parse_nested(tb, DOM0GPU_A_PAT_MAX, nest, pat_policy))
		return;
	if (tb[DOM0GPU_A_PAT_MSR])
		put_u(s, SNAP_PAT_MSR, nla_get_u64(tb[DOM0GPU_A_PAT_MSR]));
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != DOM0GPU_A_PAT_LAYOUT || nla_len(a) < 4 || n >= 8)
			continue;
		off += (size_t)snprintf(layout + off, sizeof(layout) - off, "%s%s", n++ ? " " : "",
					dom0gpu_mem_type_name(nla_get_u32(a)));
	}
	if (n == 8)
		put_name(s, SNAP_PAT_LAYOUT, layout);
	if (tb[DOM0GPU_A_PAT_WC_INDEX])
		put_u(s, SNAP_PAT_WC_INDEX,
		      (uint64_t)(int64_t)(int32_t)nla_get_u32(tb[DOM0GPU_A_PAT_WC_INDEX]));
	if (tb[DOM0GPU_A_PAT_CONSISTENT])
		put_u(s, SNAP_PAT_CONSISTENT, nla_get_u8(tb[DOM0GPU_A_PAT_CONSISTENT]));
	if (tb[DOM0GPU_A_PAT_CPUS_READ])
		put_u(s, SNAP_PAT_CPUS_READ, nla_get_u32(tb[DOM0GPU_A_PAT_CPUS_READ]));
	if (tb[DOM0GPU_A_PAT_KERNEL_ENABLED])
		put_u(s, SNAP_PAT_KERNEL_ENABLED, nla_get_u8(tb[DOM0GPU_A_PAT_KERNEL_ENABLED]));
	if (tb[DOM0GPU_A_PAT_FEATURE])
		put_u(s, SNAP_PAT_FEATURE, nla_get_u8(tb[DOM0GPU_A_PAT_FEATURE]));
}

static void put_nvidia(struct module_snapshot *s, struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_NVIDIA_MAX + 1];

	if (nla_parse_nested(tb, DOM0GPU_A_NVIDIA_MAX, nest, nvidia_policy))
		return;
	if (tb[DOM0GPU_A_NVIDIA_PAT_MODE])
		put_name(s, SNAP_PAT_MODE,
			 dom0gpu_pat_mode_name(nla_get_u32(tb[DOM0GPU_A_NVIDIA_PAT_MODE])));
	if (tb[DOM0GPU_A_NVIDIA_REASON])
		put_name(s, SNAP_PAT_REASON, nla_get_string(tb[DOM0GPU_A_NVIDIA_REASON]));
	if (tb[DOM0GPU_A_NVIDIA_INPUT_CPUID1_EDX])
		put_u(s, SNAP_CPUID1_EDX, nla_get_u32(tb[DOM0GPU_A_NVIDIA_INPUT_CPUID1_EDX]));
	if (tb[DOM0GPU_A_NVIDIA_INPUT_KERNEL_HAS_PAT])
		put_u(s, SNAP_KERNEL_HAS_PAT, nla_get_u8(tb[DOM0GPU_A_NVIDIA_INPUT_KERNEL_HAS_PAT]));
}

static void put_hypervisor(struct module_snapshot *s, struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_HYPERVISOR_MAX + 1];

	if (nla_parse_nested(tb, DOM0GPU_A_HYPERVISOR_MAX, nest, hyp_policy))
		return;
	if (tb[DOM0GPU_A_HYPERVISOR_TYPE])
		put_name(s, SNAP_HYPERVISOR_TYPE, nla_get_string(tb[DOM0GPU_A_HYPERVISOR_TYPE]));
	if (tb[DOM0GPU_A_HYPERVISOR_CPUID_BIT])
		put_u(s, SNAP_CPUID_BIT, nla_get_u8(tb[DOM0GPU_A_HYPERVISOR_CPUID_BIT]));
}

static void put_xen(struct module_snapshot *s, struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_XEN_MAX + 1];

	if (nla_parse_nested(tb, DOM0GPU_A_XEN_MAX, nest, xen_policy))
		return;
	if (tb[DOM0GPU_A_XEN_DOMAIN_TYPE])
		put_name(s, SNAP_XEN_DOMAIN_TYPE,
			 dom0gpu_xen_domain_type_name(nla_get_u32(tb[DOM0GPU_A_XEN_DOMAIN_TYPE])));
	if (tb[DOM0GPU_A_XEN_INITIAL_DOMAIN])
		put_u(s, SNAP_XEN_INITIAL_DOMAIN, nla_get_u8(tb[DOM0GPU_A_XEN_INITIAL_DOMAIN]));
	if (tb[DOM0GPU_A_XEN_VERSION_MAJOR] && tb[DOM0GPU_A_XEN_VERSION_MINOR]) {
		char v[32];

		snprintf(v, sizeof(v), "%u.%u", nla_get_u32(tb[DOM0GPU_A_XEN_VERSION_MAJOR]),
			 nla_get_u32(tb[DOM0GPU_A_XEN_VERSION_MINOR]));
		put_name(s, SNAP_XEN_VERSION, v);
	}
	if (tb[DOM0GPU_A_XEN_EXTRAVERSION])
		put_name(s, SNAP_XEN_EXTRAVERSION, nla_get_string(tb[DOM0GPU_A_XEN_EXTRAVERSION]));
	if (tb[DOM0GPU_A_XEN_CAPABILITIES])
		put_name(s, SNAP_XEN_CAPABILITIES, nla_get_string(tb[DOM0GPU_A_XEN_CAPABILITIES]));
	if (tb[DOM0GPU_A_XEN_CMDLINE])
		put_name(s, SNAP_XEN_CMDLINE, nla_get_string(tb[DOM0GPU_A_XEN_CMDLINE]));
	if (tb[DOM0GPU_A_XEN_RESTRICTED])
		put_u(s, SNAP_XEN_CMDLINE_RESTRICTED, 1);
}

struct snap_ctx {
	struct module_snapshot *s;
	bool answered;
};

static int snapshot_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[DOM0GPU_A_MAX + 1];
	struct snap_ctx *ctx = arg;
	struct module_snapshot *s = ctx->s;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, DOM0GPU_A_MAX, top_policy))
		return NL_SKIP;
	ctx->answered = true;
	if (tb[DOM0GPU_A_VERSION])
		put_name(s, SNAP_VERSION, nla_get_string(tb[DOM0GPU_A_VERSION]));
	if (tb[DOM0GPU_A_PAT])
		put_pat(s, tb[DOM0GPU_A_PAT]);
	if (tb[DOM0GPU_A_NVIDIA])
		put_nvidia(s, tb[DOM0GPU_A_NVIDIA]);
	if (tb[DOM0GPU_A_HYPERVISOR])
		put_hypervisor(s, tb[DOM0GPU_A_HYPERVISOR]);
	if (tb[DOM0GPU_A_XEN])
		put_xen(s, tb[DOM0GPU_A_XEN]);
	return NL_OK;
}

/* get-cpu dump: each CPU's PAT and microcode revision. */
static int cpu_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[DOM0GPU_A_MAX + 1], *cpu[DOM0GPU_A_CPU_MAX + 1];
	struct module_snapshot *s = arg;
	uint64_t pat = 0;
	uint32_t rev = 0;
	unsigned int id;
	char from[64];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, DOM0GPU_A_MAX, top_policy) || !tb[DOM0GPU_A_CPU] ||
	    nla_parse_nested(cpu, DOM0GPU_A_CPU_MAX, tb[DOM0GPU_A_CPU], cpu_policy) ||
	    !cpu[DOM0GPU_A_CPU_ID])
		return NL_OK;
	id = nla_get_u32(cpu[DOM0GPU_A_CPU_ID]);
	snprintf(from, sizeof(from), "dom0gpu get-cpu dump, CPU %u", id);
	if (cpu[DOM0GPU_A_CPU_MSR])
		pat = nla_get_u64(cpu[DOM0GPU_A_CPU_MSR]);
	if (cpu[DOM0GPU_A_CPU_MICROCODE])
		rev = nla_get_u32(cpu[DOM0GPU_A_CPU_MICROCODE]);
	snapshot_cpu(s, id, cpu[DOM0GPU_A_CPU_MSR] ? &pat : NULL,
		     cpu[DOM0GPU_A_CPU_MICROCODE] ? &rev : NULL, from);
	return NL_OK;
}

static void dump_cpus(struct module_snapshot *s, struct nl_sock *sk, int family)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
				 DOM0GPU_CMD_GET_CPU, DOM0GPU_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, cpu_cb, s);
	if (nl_send_auto(sk, msg) >= 0)
		nl_recvmsgs_default(sk);
	nlmsg_free(msg);
}

struct nl_sock *nl_open(int *family)
{
	struct nl_sock *sk;

	/* Resolving the family would autoload the module: only talk to a loaded one. */
	if (!fsroot_exists("/sys/module/dom0gpu"))
		return NULL;
	sk = nl_socket_alloc();
	if (!sk)
		return NULL;
	if (genl_connect(sk) || (*family = genl_ctrl_resolve(sk, DOM0GPU_FAMILY_NAME)) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

int src_netlink_collect(struct report *r)
{
	struct snap_ctx ctx = { NULL, false };
	struct nl_msg *msg;
	struct nl_sock *sk;
	int family, err;

	sk = nl_open(&family);
	if (!sk)
		return -ENOENT;
	ctx.s = malloc(sizeof(*ctx.s));
	msg = nlmsg_alloc();
	if (!ctx.s || !msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
				 DOM0GPU_CMD_GET_SNAPSHOT, DOM0GPU_FAMILY_VERSION)) {
		nlmsg_free(msg);
		free(ctx.s);
		nl_socket_free(sk);
		return -ENOMEM;
	}
	snapshot_init(ctx.s, SRC_NETLINK);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, snapshot_cb, &ctx);
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	/*
	 * The request asked for an ACK (libnl's default), which arrives after
	 * the reply: take it now, or the dump below would read it as its own
	 * answer and stop at the sequence mismatch.
	 */
	if (err >= 0 && ctx.answered)
		err = nl_wait_for_ack(sk);
	if (err >= 0 && ctx.answered)
		dump_cpus(ctx.s, sk, family);
	nl_socket_free(sk);
	if (err < 0 || !ctx.answered) {
		report_note(r, "dom0gpu netlink: %s; using sysfs", err < 0 ? nl_geterror(err) :
			    "no snapshot");
		free(ctx.s);
		return -EIO;
	}
	snapshot_to_facts(ctx.s, r);
	free(ctx.s);
	return 0;
}
