// SPDX-License-Identifier: GPL-2.0
/*
 * --watch: join the family's "events" multicast group and print each event
 * as one tab-separated line (time, event, then key=value fields), for
 * people and for scripts alike. Runs until killed (libnl retries on EINTR).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <dom0gpu_names.h>

#include "nl.h"
#include "watch.h"

static struct nla_policy ev_policy[DOM0GPU_A_MAX + 1] = {
	[DOM0GPU_A_GENERATION]	= { .type = NLA_U64 },
	[DOM0GPU_A_PAT]		= { .type = NLA_NESTED },
	[DOM0GPU_A_NVIDIA]	= { .type = NLA_NESTED },
	[DOM0GPU_A_GPU]		= { .type = NLA_NESTED },
	[DOM0GPU_A_CPU]		= { .type = NLA_NESTED },
};

static struct nla_policy cpu_policy[DOM0GPU_A_CPU_MAX + 1] = {
	[DOM0GPU_A_CPU_ID]		= { .type = NLA_U32 },
	[DOM0GPU_A_CPU_ONLINE]		= { .type = NLA_U8 },
	[DOM0GPU_A_CPU_MSR]		= { .type = NLA_U64 },
	[DOM0GPU_A_CPU_ERROR]		= { .type = NLA_U32 },
	[DOM0GPU_A_CPU_WC_INDEX]	= { .type = NLA_U32 },
	[DOM0GPU_A_CPU_PAT_CONSISTENT]	= { .type = NLA_U8 },
};

static struct nla_policy gpu_policy[DOM0GPU_A_GPU_MAX + 1] = {
	[DOM0GPU_A_GPU_DOMAIN]		= { .type = NLA_U32 },
	[DOM0GPU_A_GPU_BUS]		= { .type = NLA_U8 },
	[DOM0GPU_A_GPU_SLOT]		= { .type = NLA_U8 },
	[DOM0GPU_A_GPU_FUNCTION]	= { .type = NLA_U8 },
	[DOM0GPU_A_GPU_VENDOR]		= { .type = NLA_U16 },
	[DOM0GPU_A_GPU_DEVICE]		= { .type = NLA_U16 },
	[DOM0GPU_A_GPU_CLASS]		= { .type = NLA_U32 },
	[DOM0GPU_A_GPU_DRIVER]		= { .type = NLA_STRING },
};

static struct nla_policy pat_policy[DOM0GPU_A_PAT_MAX + 1] = {
	[DOM0GPU_A_PAT_MSR]		= { .type = NLA_U64 },
	[DOM0GPU_A_PAT_WC_INDEX]	= { .type = NLA_U32 },
	[DOM0GPU_A_PAT_CONSISTENT]	= { .type = NLA_U8 },
};

static struct nla_policy nv_policy[DOM0GPU_A_NVIDIA_MAX + 1] = {
	[DOM0GPU_A_NVIDIA_PAT_MODE]	= { .type = NLA_U32 },
	[DOM0GPU_A_NVIDIA_REASON]	= { .type = NLA_STRING },
};

static void print_cpu(FILE *out, struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_CPU_MAX + 1];

	if (nla_parse_nested(tb, DOM0GPU_A_CPU_MAX, nest, cpu_policy))
		return;
	if (tb[DOM0GPU_A_CPU_ID])
		fprintf(out, "\tcpu=%u", nla_get_u32(tb[DOM0GPU_A_CPU_ID]));
	if (tb[DOM0GPU_A_CPU_MSR])
		fprintf(out, "\tpat=0x%016llx", (unsigned long long)nla_get_u64(tb[DOM0GPU_A_CPU_MSR]));
	if (tb[DOM0GPU_A_CPU_ERROR])
		fprintf(out, "\terror=%u", nla_get_u32(tb[DOM0GPU_A_CPU_ERROR]));
	if (tb[DOM0GPU_A_CPU_WC_INDEX])
		fprintf(out, "\twc_index=%d", (int32_t)nla_get_u32(tb[DOM0GPU_A_CPU_WC_INDEX]));
	if (tb[DOM0GPU_A_CPU_PAT_CONSISTENT])
		fprintf(out, "\tconsistent=%u", nla_get_u8(tb[DOM0GPU_A_CPU_PAT_CONSISTENT]));
}

static void print_gpu(FILE *out, struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_GPU_MAX + 1];

	if (nla_parse_nested(tb, DOM0GPU_A_GPU_MAX, nest, gpu_policy))
		return;
	if (tb[DOM0GPU_A_GPU_DOMAIN] && tb[DOM0GPU_A_GPU_BUS] && tb[DOM0GPU_A_GPU_SLOT] &&
	    tb[DOM0GPU_A_GPU_FUNCTION])
		fprintf(out, "\tslot=%04x:%02x:%02x.%x", nla_get_u32(tb[DOM0GPU_A_GPU_DOMAIN]),
			nla_get_u8(tb[DOM0GPU_A_GPU_BUS]), nla_get_u8(tb[DOM0GPU_A_GPU_SLOT]),
			nla_get_u8(tb[DOM0GPU_A_GPU_FUNCTION]));
	if (tb[DOM0GPU_A_GPU_VENDOR] && tb[DOM0GPU_A_GPU_DEVICE])
		fprintf(out, "\tid=%04x:%04x", nla_get_u16(tb[DOM0GPU_A_GPU_VENDOR]),
			nla_get_u16(tb[DOM0GPU_A_GPU_DEVICE]));
	if (tb[DOM0GPU_A_GPU_CLASS])
		fprintf(out, "\tclass=%06x", nla_get_u32(tb[DOM0GPU_A_GPU_CLASS]));
	if (tb[DOM0GPU_A_GPU_DRIVER])
		fprintf(out, "\tdriver=%s", nla_get_string(tb[DOM0GPU_A_GPU_DRIVER]));
}

static void print_pat_nv(FILE *out, struct nlattr *pat, struct nlattr *nv)
{
	struct nlattr *tb[DOM0GPU_A_PAT_MAX + 1], *tn[DOM0GPU_A_NVIDIA_MAX + 1];

	if (pat && !nla_parse_nested(tb, DOM0GPU_A_PAT_MAX, pat, pat_policy)) {
		if (tb[DOM0GPU_A_PAT_MSR])
			fprintf(out, "\tpat=0x%016llx",
				(unsigned long long)nla_get_u64(tb[DOM0GPU_A_PAT_MSR]));
		if (tb[DOM0GPU_A_PAT_CONSISTENT])
			fprintf(out, "\tconsistent=%u", nla_get_u8(tb[DOM0GPU_A_PAT_CONSISTENT]));
	}
	if (nv && !nla_parse_nested(tn, DOM0GPU_A_NVIDIA_MAX, nv, nv_policy)) {
		if (tn[DOM0GPU_A_NVIDIA_PAT_MODE])
			fprintf(out, "\tpat_mode=%s",
				dom0gpu_pat_mode_name(nla_get_u32(tn[DOM0GPU_A_NVIDIA_PAT_MODE])));
		if (tn[DOM0GPU_A_NVIDIA_REASON] && *nla_get_string(tn[DOM0GPU_A_NVIDIA_REASON]))
			fprintf(out, "\treason=%s", nla_get_string(tn[DOM0GPU_A_NVIDIA_REASON]));
	}
}

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[DOM0GPU_A_MAX + 1];
	FILE *out = arg;
	char ts[32] = "";
	time_t now = time(NULL);
	struct tm tm;

	if (genlmsg_parse(nlh, 0, tb, DOM0GPU_A_MAX, ev_policy))
		return NL_SKIP;
	if (localtime_r(&now, &tm))
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(out, "%s\t%s", ts, dom0gpu_event_name(genlmsg_hdr(nlh)->cmd));
	if (tb[DOM0GPU_A_GENERATION])
		fprintf(out, "\tgeneration=%llu",
			(unsigned long long)nla_get_u64(tb[DOM0GPU_A_GENERATION]));
	if (tb[DOM0GPU_A_CPU])
		print_cpu(out, tb[DOM0GPU_A_CPU]);
	if (tb[DOM0GPU_A_GPU])
		print_gpu(out, tb[DOM0GPU_A_GPU]);
	if (tb[DOM0GPU_A_PAT] || tb[DOM0GPU_A_NVIDIA])
		print_pat_nv(out, tb[DOM0GPU_A_PAT], tb[DOM0GPU_A_NVIDIA]);
	fputc('\n', out);
	fflush(out);
	return NL_OK;
}

int watch_events(FILE *out)
{
	struct nl_sock *sk;
	int family, grp, err = 0;

	sk = nl_open(&family);
	if (!sk) {
		fprintf(stderr, "dom0gpu-stat: --watch needs the dom0gpu module: modprobe dom0gpu\n");
		return -1;
	}
	grp = genl_ctrl_resolve_grp(sk, DOM0GPU_FAMILY_NAME, DOM0GPU_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(sk, grp) < 0) {
		fprintf(stderr, "dom0gpu-stat: cannot join the events group: %s\n",
			nl_geterror(grp < 0 ? grp : -NLE_FAILURE));
		nl_socket_free(sk);
		return -1;
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, event_cb, out);

	fprintf(out, "# watching dom0gpu events (Ctrl-C to stop)\n");
	fflush(out);
	for (;;) {
		err = nl_recvmsgs_default(sk);
		if (err < 0 && err != -NLE_AGAIN) {
			fprintf(stderr, "dom0gpu-stat: --watch: %s\n", nl_geterror(err));
			break;
		}
	}
	nl_socket_free(sk);
	return err < 0 ? -1 : 0;
}
