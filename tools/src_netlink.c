// SPDX-License-Identifier: GPL-2.0
/*
 * The module over generic netlink (uapi/dom0gpu.yaml): one get-snapshot
 * request. Policies are non-const because libnl before 3.2.29 takes them
 * so; the kernel's reply is still length-checked by them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <dom0gpu_names.h>

#include "fsroot.h"
#include "nl.h"
#include "pat_types.h"
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

/* A value the module sent but this build has no name for is left out. */
static const char *known(const char *name)
{
	return strcmp(name, "unknown") ? name : NULL;
}

static void put_pat(struct report *r, struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_PAT_MAX + 1], *a;
	char layout[64] = "";
	size_t off = 0;
	int rem, n = 0;

	if (nla_parse_nested(tb, DOM0GPU_A_PAT_MAX, nest, pat_policy))
		return;
	if (tb[DOM0GPU_A_PAT_MSR])
		fact_set_hex(r, F_PAT_MSR, nla_get_u64(tb[DOM0GPU_A_PAT_MSR]), SRC_NETLINK,
			     from_snapshot);
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != DOM0GPU_A_PAT_LAYOUT || nla_len(a) < 4 || n >= 8)
			continue;
		off += (size_t)snprintf(layout + off, sizeof(layout) - off, "%s%s", n++ ? " " : "",
					dom0gpu_mem_type_name(nla_get_u32(a)));
	}
	if (n == 8)
		fact_set_str(r, F_PAT_LAYOUT, layout, SRC_NETLINK, from_snapshot);
	if (tb[DOM0GPU_A_PAT_WC_INDEX])
		fact_set_int(r, F_PAT_WC_INDEX, (int32_t)nla_get_u32(tb[DOM0GPU_A_PAT_WC_INDEX]),
			     SRC_NETLINK, from_snapshot);
	if (tb[DOM0GPU_A_PAT_CONSISTENT]) {
		fact_set_bool(r, F_PAT_CONSISTENT, nla_get_u8(tb[DOM0GPU_A_PAT_CONSISTENT]),
			      SRC_NETLINK, from_snapshot);
		if (fact_true(r, F_PAT_CONSISTENT))
			fact_clear(r, F_PAT_MSR_OTHER);
	}
	if (tb[DOM0GPU_A_PAT_CPUS_READ])
		fact_set_int(r, F_PAT_CPUS_READ, nla_get_u32(tb[DOM0GPU_A_PAT_CPUS_READ]),
			     SRC_NETLINK, from_snapshot);
	if (tb[DOM0GPU_A_PAT_KERNEL_ENABLED])
		fact_set_bool(r, F_PAT_KERNEL_ENABLED, nla_get_u8(tb[DOM0GPU_A_PAT_KERNEL_ENABLED]),
			      SRC_NETLINK, from_snapshot);
	if (tb[DOM0GPU_A_PAT_FEATURE])
		fact_set_bool(r, F_CPU_PAT, nla_get_u8(tb[DOM0GPU_A_PAT_FEATURE]), SRC_NETLINK,
			      from_snapshot);
}

static void put_nvidia(struct report *r, struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_NVIDIA_MAX + 1];
	const char *mode;

	if (nla_parse_nested(tb, DOM0GPU_A_NVIDIA_MAX, nest, nvidia_policy))
		return;
	mode = tb[DOM0GPU_A_NVIDIA_PAT_MODE] ?
	       known(dom0gpu_pat_mode_name(nla_get_u32(tb[DOM0GPU_A_NVIDIA_PAT_MODE]))) : NULL;
	if (mode)
		fact_set_str(r, F_MODULE_PAT_MODE, mode, SRC_NETLINK, from_snapshot);
	if (tb[DOM0GPU_A_NVIDIA_REASON])
		fact_set_str(r, F_MODULE_PAT_REASON, nla_get_string(tb[DOM0GPU_A_NVIDIA_REASON]),
			     SRC_NETLINK, from_snapshot);
	if (tb[DOM0GPU_A_NVIDIA_INPUT_CPUID1_EDX])
		fact_set_hex(r, F_CPU_CPUID1_EDX, nla_get_u32(tb[DOM0GPU_A_NVIDIA_INPUT_CPUID1_EDX]),
			     SRC_NETLINK, from_snapshot);
	if (tb[DOM0GPU_A_NVIDIA_INPUT_KERNEL_HAS_PAT])
		fact_set_bool(r, F_KERNEL_X86_PAT,
			      nla_get_u8(tb[DOM0GPU_A_NVIDIA_INPUT_KERNEL_HAS_PAT]),
			      SRC_NETLINK, from_snapshot);
}

static void put_hypervisor(struct report *r, struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_HYPERVISOR_MAX + 1];

	if (nla_parse_nested(tb, DOM0GPU_A_HYPERVISOR_MAX, nest, hyp_policy))
		return;
	if (tb[DOM0GPU_A_HYPERVISOR_TYPE]) {
		const char *t = nla_get_string(tb[DOM0GPU_A_HYPERVISOR_TYPE]);

		if (!strcmp(t, "native"))
			t = "none";
		else if (!strncmp(t, "xen", 3))
			t = "xen";
		fact_set_str(r, F_HYPERVISOR_TYPE, t, SRC_NETLINK, from_snapshot);
	}
	if (tb[DOM0GPU_A_HYPERVISOR_CPUID_BIT])
		fact_set_bool(r, F_CPU_HYPERVISOR_BIT, nla_get_u8(tb[DOM0GPU_A_HYPERVISOR_CPUID_BIT]),
			      SRC_NETLINK, from_snapshot);
}

static void put_xen(struct report *r, struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_XEN_MAX + 1];
	const char *t;

	if (nla_parse_nested(tb, DOM0GPU_A_XEN_MAX, nest, xen_policy))
		return;
	t = tb[DOM0GPU_A_XEN_DOMAIN_TYPE] ?
	    known(dom0gpu_xen_domain_type_name(nla_get_u32(tb[DOM0GPU_A_XEN_DOMAIN_TYPE]))) : NULL;
	if (t)
		fact_set_str(r, F_XEN_DOMAIN_TYPE, t, SRC_NETLINK, from_snapshot);
	if (tb[DOM0GPU_A_XEN_INITIAL_DOMAIN])
		fact_set_bool(r, F_XEN_INITIAL_DOMAIN, nla_get_u8(tb[DOM0GPU_A_XEN_INITIAL_DOMAIN]),
			      SRC_NETLINK, from_snapshot);
	if (tb[DOM0GPU_A_XEN_VERSION_MAJOR] && tb[DOM0GPU_A_XEN_VERSION_MINOR] &&
	    (!t || strcmp(t, "none"))) {
		char v[64];

		snprintf(v, sizeof(v), "%u.%u%s", nla_get_u32(tb[DOM0GPU_A_XEN_VERSION_MAJOR]),
			 nla_get_u32(tb[DOM0GPU_A_XEN_VERSION_MINOR]),
			 tb[DOM0GPU_A_XEN_EXTRAVERSION] ?
			 nla_get_string(tb[DOM0GPU_A_XEN_EXTRAVERSION]) : "");
		fact_set_str(r, F_XEN_VERSION, v, SRC_NETLINK, from_snapshot);
	}
	if (tb[DOM0GPU_A_XEN_CAPABILITIES]) {
		const char *caps = nla_get_string(tb[DOM0GPU_A_XEN_CAPABILITIES]);

		fact_set_str(r, F_XEN_CAPABILITIES, caps, SRC_NETLINK, from_snapshot);
		if (*caps)
			fact_set_bool(r, F_XEN_HVM, strstr(caps, "hvm-") != NULL, SRC_NETLINK,
				      from_snapshot);
	}
	if (tb[DOM0GPU_A_XEN_CMDLINE])
		fact_set_str(r, F_XEN_CMDLINE, nla_get_string(tb[DOM0GPU_A_XEN_CMDLINE]),
			     SRC_NETLINK, from_snapshot);
	else if (tb[DOM0GPU_A_XEN_RESTRICTED] && t && strcmp(t, "none"))
		report_note(r, "Xen's command line is given to root only: preflight without it");
}

struct snap_ctx {
	struct report *r;
	bool answered;
};

static int snapshot_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[DOM0GPU_A_MAX + 1];
	struct snap_ctx *ctx = arg;
	struct report *r = ctx->r;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, DOM0GPU_A_MAX, top_policy))
		return NL_SKIP;
	ctx->answered = true;
	if (tb[DOM0GPU_A_VERSION])
		fact_set_str(r, F_DOM0GPU_VERSION, nla_get_string(tb[DOM0GPU_A_VERSION]),
			     SRC_NETLINK, from_snapshot);
	if (tb[DOM0GPU_A_PAT])
		put_pat(r, tb[DOM0GPU_A_PAT]);
	if (tb[DOM0GPU_A_NVIDIA])
		put_nvidia(r, tb[DOM0GPU_A_NVIDIA]);
	if (tb[DOM0GPU_A_HYPERVISOR])
		put_hypervisor(r, tb[DOM0GPU_A_HYPERVISOR]);
	if (tb[DOM0GPU_A_XEN])
		put_xen(r, tb[DOM0GPU_A_XEN]);
	return NL_OK;
}

/*
 * get-cpu dump: the boot CPU's microcode revision and, where the PAT is not
 * consistent, a CPU whose PAT differs from the boot CPU's
 * (pat_other_more_telling()).
 */
static int cpu_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[DOM0GPU_A_MAX + 1], *cpu[DOM0GPU_A_CPU_MAX + 1];
	struct report *r = arg;
	uint64_t msr;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, DOM0GPU_A_MAX, top_policy) || !tb[DOM0GPU_A_CPU] ||
	    nla_parse_nested(cpu, DOM0GPU_A_CPU_MAX, tb[DOM0GPU_A_CPU], cpu_policy))
		return NL_OK;
	if (cpu[DOM0GPU_A_CPU_MICROCODE] && cpu[DOM0GPU_A_CPU_ID] &&
	    nla_get_u32(cpu[DOM0GPU_A_CPU_ID]) == 0)
		fact_set_hex(r, F_CPU_MICROCODE, nla_get_u32(cpu[DOM0GPU_A_CPU_MICROCODE]),
			     SRC_NETLINK, "dom0gpu get-cpu dump, CPU 0");
	if (!cpu[DOM0GPU_A_CPU_MSR] || !fact_false(r, F_PAT_CONSISTENT) ||
	    !fact_known(r, F_PAT_MSR))
		return NL_OK;
	msr = nla_get_u64(cpu[DOM0GPU_A_CPU_MSR]);
	if (msr != r->f[F_PAT_MSR].v.u &&
	    (!fact_known(r, F_PAT_MSR_OTHER) ||
	     pat_other_more_telling(r->f[F_PAT_MSR].v.u, r->f[F_PAT_MSR_OTHER].v.u, msr))) {
		char from[64];

		snprintf(from, sizeof(from), "dom0gpu get-cpu dump, CPU %u",
			 cpu[DOM0GPU_A_CPU_ID] ? nla_get_u32(cpu[DOM0GPU_A_CPU_ID]) : 0);
		fact_set_hex(r, F_PAT_MSR_OTHER, msr, SRC_NETLINK, from);
	}
	return NL_OK;
}

static void dump_cpus(struct report *r, struct nl_sock *sk, int family)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
				 DOM0GPU_CMD_GET_CPU, DOM0GPU_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, cpu_cb, r);
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
	struct snap_ctx ctx = { r, false };
	struct nl_msg *msg;
	struct nl_sock *sk;
	int family, err;

	sk = nl_open(&family);
	if (!sk)
		return -ENOENT;
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
				 DOM0GPU_CMD_GET_SNAPSHOT, DOM0GPU_FAMILY_VERSION)) {
		nlmsg_free(msg);
		nl_socket_free(sk);
		return -ENOMEM;
	}
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
		dump_cpus(r, sk, family);
	nl_socket_free(sk);
	if (err < 0 || !ctx.answered) {
		report_note(r, "dom0gpu netlink: %s; using sysfs", err < 0 ? nl_geterror(err) :
			    "no snapshot");
		return -EIO;
	}
	return 0;
}
