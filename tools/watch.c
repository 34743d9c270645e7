// SPDX-License-Identifier: GPL-2.0
/*
 * --watch: join the family's "events" multicast group and print each event
 * as one tab-separated line (time, event, then key=value fields), for
 * people and for scripts alike, from the tree nl_decode.c makes of it.
 * Runs until killed (libnl retries on EINTR).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <dom0gpu_names.h>

#include "nl.h"
#include "nl_decode.h"
#include "watch.h"

enum watch_kind {
	W_DEC,		/* %llu */
	W_SIGNED,	/* %lld */
	W_HEX64,	/* 0x%016llx */
	W_HEX24,	/* %06llx: a PCI class */
	W_STR,
	W_STR_SET,	/* only when not empty */
	W_PCI_SLOT,	/* domain:bus:slot.function of the gpu nest */
	W_PCI_ID,	/* vendor:device of the gpu nest */
};

/* What an event line shows, in order: nest (NULL: top level), attribute, label. */
static const struct {
	const char *nest, *attr, *label;
	enum watch_kind kind;
} fields[] = {
	{ NULL, "generation", "generation", W_DEC },
	{ "cpu", "id", "cpu", W_DEC },
	{ "cpu", "msr", "pat", W_HEX64 },
	{ "cpu", "error", "error", W_DEC },
	{ "cpu", "wc-index", "wc_index", W_SIGNED },
	{ "cpu", "pat-consistent", "consistent", W_DEC },
	{ "gpu", NULL, "slot", W_PCI_SLOT },
	{ "gpu", NULL, "id", W_PCI_ID },
	{ "gpu", "class", "class", W_HEX24 },
	{ "gpu", "driver", "driver", W_STR },
	{ "pat", "msr", "pat", W_HEX64 },
	{ "pat", "consistent", "consistent", W_DEC },
	{ "nvidia", "pat-mode", "pat_mode", W_STR },
	{ "nvidia", "reason", "reason", W_STR_SET },
};

static bool get_u(json_object *o, const char *key, unsigned long long *v)
{
	uint64_t u;

	if (!nl_tree_u64(nl_tree_get(o, key), &u))
		return false;
	*v = u;
	return true;
}

static void print_field(FILE *out, json_object *o, unsigned int i)
{
	json_object *s = fields[i].attr ? nl_tree_get(o, fields[i].attr) : NULL;
	unsigned long long a, b, c, d;
	const char *l = fields[i].label;

	switch (fields[i].kind) {
	case W_PCI_SLOT:
		if (get_u(o, "domain", &a) && get_u(o, "bus", &b) && get_u(o, "slot", &c) &&
		    get_u(o, "function", &d))
			fprintf(out, "\t%s=%04llx:%02llx:%02llx.%llx", l, a, b, c, d);
		return;
	case W_PCI_ID:
		if (get_u(o, "vendor", &a) && get_u(o, "device", &b))
			fprintf(out, "\t%s=%04llx:%04llx", l, a, b);
		return;
	case W_STR:
	case W_STR_SET:
		if (json_object_is_type(s, json_type_string) &&
		    (fields[i].kind == W_STR || *json_object_get_string(s)))
			fprintf(out, "\t%s=%s", l, json_object_get_string(s));
		return;
	default:
		break;
	}
	if (!get_u(o, fields[i].attr, &a))
		return;
	if (fields[i].kind == W_SIGNED)
		fprintf(out, "\t%s=%lld", l, (long long)a);
	else if (fields[i].kind == W_HEX64)
		fprintf(out, "\t%s=0x%016llx", l, a);
	else if (fields[i].kind == W_HEX24)
		fprintf(out, "\t%s=%06llx", l, a);
	else
		fprintf(out, "\t%s=%llu", l, a);
}

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	json_object *tree = nl_decode_msg(nlh);
	FILE *out = arg;
	char ts[32] = "";
	time_t now = time(NULL);
	unsigned int i;
	struct tm tm;

	if (!tree)
		return NL_SKIP;
	if (localtime_r(&now, &tm))
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(out, "%s\t%s", ts, dom0gpu_event_name(genlmsg_hdr(nlh)->cmd));
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_object *o = fields[i].nest ? nl_tree_get(tree, fields[i].nest) : tree;

		/* An event's one gpu nest, of a multi-attr attribute. */
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, 0);
		if (json_object_is_type(o, json_type_object))
			print_field(out, o, i);
	}
	fputc('\n', out);
	fflush(out);
	json_object_put(tree);
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
