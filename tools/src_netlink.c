// SPDX-License-Identifier: GPL-2.0
/*
 * The module over generic netlink (uapi/dom0gpu.yaml): one get-snapshot
 * request and a get-cpu dump, decoded by nl_decode.c into one tree (the
 * report's "module" object), then into the module snapshot (snapshot.h) by
 * the table below: no attribute is decoded by hand here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/dom0gpu.h>

#include "fsroot.h"
#include "nl.h"
#include "nl_decode.h"
#include "snapshot.h"
#include "source.h"

static const char from_snapshot[] = "dom0gpu get-snapshot";

/* Snapshot fields that are one attribute of the tree: nest (NULL: top level), name. */
static const struct {
	enum snap_field field;
	const char *nest, *attr;
	bool is_str;			/* the field holds the string (or enum name) */
} as_attr[] = {
	{ SNAP_VERSION, NULL, "version", true },
	{ SNAP_PAT_MSR, "pat", "msr", false },
	{ SNAP_PAT_WC_INDEX, "pat", "wc-index", false },
	{ SNAP_PAT_CONSISTENT, "pat", "consistent", false },
	{ SNAP_PAT_CPUS_READ, "pat", "cpus-read", false },
	{ SNAP_PAT_KERNEL_ENABLED, "pat", "kernel-enabled", false },
	{ SNAP_PAT_FEATURE, "pat", "feature", false },
	{ SNAP_PAT_MODE, "nvidia", "pat-mode", true },
	{ SNAP_PAT_REASON, "nvidia", "reason", true },
	{ SNAP_CPUID1_EDX, "nvidia", "input-cpuid1-edx", false },
	{ SNAP_KERNEL_HAS_PAT, "nvidia", "input-kernel-has-pat", false },
	{ SNAP_HYPERVISOR_TYPE, "hypervisor", "type", true },
	{ SNAP_CPUID_BIT, "hypervisor", "cpuid-bit", false },
	{ SNAP_XEN_DOMAIN_TYPE, "xen", "domain-type", true },
	{ SNAP_XEN_INITIAL_DOMAIN, "xen", "initial-domain", false },
	{ SNAP_XEN_EXTRAVERSION, "xen", "extraversion", true },
	{ SNAP_XEN_CAPABILITIES, "xen", "capabilities", true },
	{ SNAP_XEN_CMDLINE, "xen", "cmdline", true },
	{ SNAP_XEN_CMDLINE_RESTRICTED, "xen", "restricted", false },
};

/* The boot CPU's eight PAT entries by name, and Xen's "major.minor". */
static void snapshot_special(struct module_snapshot *s, json_object *tree)
{
	json_object *layout = nl_tree_get(nl_tree_get(tree, "pat"), "layout");
	json_object *xen = nl_tree_get(tree, "xen");
	uint64_t major, minor;
	char buf[64] = "";
	size_t off = 0;
	int i;

	if (json_object_is_type(layout, json_type_array) &&
	    json_object_array_length(layout) == 8) {
		for (i = 0; i < 8; i++)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? " " : "",
						json_object_get_string(
							json_object_array_get_idx(layout, i)));
		snapshot_set_str(s, SNAP_PAT_LAYOUT, buf, from_snapshot);
	}
	if (nl_tree_u64(nl_tree_get(xen, "version-major"), &major) &&
	    nl_tree_u64(nl_tree_get(xen, "version-minor"), &minor)) {
		snprintf(buf, sizeof(buf), "%u.%u", (unsigned int)major, (unsigned int)minor);
		snapshot_set_str(s, SNAP_XEN_VERSION, buf, from_snapshot);
	}
}

static void snapshot_from_tree(struct module_snapshot *s, json_object *tree)
{
	unsigned int i;

	for (i = 0; i < sizeof(as_attr) / sizeof(as_attr[0]); i++) {
		json_object *v = nl_tree_get(as_attr[i].nest ? nl_tree_get(tree, as_attr[i].nest) :
					     tree, as_attr[i].attr);
		uint64_t u;

		if (as_attr[i].is_str && json_object_is_type(v, json_type_string))
			snapshot_set_str(s, as_attr[i].field, json_object_get_string(v),
					 from_snapshot);
		else if (!as_attr[i].is_str && nl_tree_u64(v, &u))
			snapshot_set_u(s, as_attr[i].field, u, from_snapshot);
	}
	snapshot_special(s, tree);
}

/* One CPU of the get-cpu dump: its PAT and microcode revision. */
static void snapshot_from_cpu(struct module_snapshot *s, json_object *cpu)
{
	uint64_t id, pat, rev;
	bool has_pat, has_rev;
	uint32_t rev32;
	char from[64];

	if (!nl_tree_u64(nl_tree_get(cpu, "id"), &id))
		return;
	snprintf(from, sizeof(from), "dom0gpu get-cpu dump, CPU %u", (unsigned int)id);
	has_pat = nl_tree_u64(nl_tree_get(cpu, "msr"), &pat);
	has_rev = nl_tree_u64(nl_tree_get(cpu, "microcode"), &rev);
	rev32 = (uint32_t)rev;
	snapshot_cpu(s, (unsigned int)id, has_pat ? &pat : NULL, has_rev ? &rev32 : NULL, from);
}

static void snapshot_from_cpus(struct module_snapshot *s, json_object *cpus)
{
	size_t i, n = json_object_is_type(cpus, json_type_array) ?
		      (size_t)json_object_array_length(cpus) : 0;

	for (i = 0; i < n; i++)
		snapshot_from_cpu(s, json_object_array_get_idx(cpus, (int)i));
}

struct snap_ctx {
	json_object *tree;		/* get-snapshot's reply, then "cpu": the dump's CPUs */
	bool answered;
};

static int snapshot_cb(struct nl_msg *msg, void *arg)
{
	struct snap_ctx *ctx = arg;
	json_object *tree = nl_decode_msg(nlmsg_hdr(msg));

	if (!tree)
		return NL_SKIP;
	json_object_put(ctx->tree);
	ctx->tree = tree;
	ctx->answered = true;
	return NL_OK;
}

/* get-cpu dump: each message's cpu nest, appended to the tree's "cpu" array. */
static int cpu_cb(struct nl_msg *msg, void *arg)
{
	json_object *cpus = arg, *tree = nl_decode_msg(nlmsg_hdr(msg)), *cpu;

	cpu = nl_tree_get(tree, "cpu");
	if (json_object_is_type(cpu, json_type_object))
		json_object_array_add(cpus, json_object_get(cpu));
	json_object_put(tree);
	return NL_OK;
}

static void dump_cpus(json_object *tree, struct nl_sock *sk, int family)
{
	struct nl_msg *msg = nlmsg_alloc();
	json_object *cpus;

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
				 DOM0GPU_CMD_GET_CPU, DOM0GPU_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return;
	}
	cpus = json_object_new_array();
	json_object_object_add(tree, "cpu", cpus);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, cpu_cb, cpus);
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
	struct module_snapshot *snap;
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
		dump_cpus(ctx.tree, sk, family);
	nl_socket_free(sk);
	snap = malloc(sizeof(*snap));
	if (err < 0 || !ctx.answered || !snap) {
		report_note(r, "dom0gpu netlink: %s; using sysfs", err < 0 ? nl_geterror(err) :
			    !ctx.answered ? "no snapshot" : "out of memory");
		json_object_put(ctx.tree);
		free(snap);
		return -EIO;
	}
	snapshot_init(snap, SRC_NETLINK);
	snapshot_from_tree(snap, ctx.tree);
	snapshot_from_cpus(snap, nl_tree_get(ctx.tree, "cpu"));
	snapshot_to_facts(snap, r);
	free(snap);
	report_set_module(r, ctx.tree);
	return 0;
}
