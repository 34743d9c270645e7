// SPDX-License-Identifier: GPL-2.0
/*
 * nl_decode_msg() on dom0gpu messages built in memory with libnl's nla_put
 * and nla_nest_start, as the module's d0g_nl_put_facts() sends them.
 *
 * 1. Every attribute of every attribute set reachable from the top level,
 *    as uapi/dom0gpu_attrs.h (generated from uapi/dom0gpu.yaml) lists it,
 *    put alone at its place in a message, comes back under its spec name
 *    with its value: integers equal, hex ones as "0x" and two digits per
 *    byte, enums as the name uapi/dom0gpu_names.h gives (what sysfs
 *    prints), multi-attr ones as an array, flags as true.
 * 2. A Xen PV dom0's PAT: IA32_PAT 0x0000050100070406 (Xen's layout,
 *    xen/arch/x86/include/asm/processor.h XEN_MSR_PAT) with the layout
 *    the kernel logs for it ("WB WT UC- UC WC WP UC UC",
 *    arch/x86/mm/pat/memtype.c pat_cm_name()), WC at index 4 so no WC at
 *    index 1: wc-index -1 stays negative.
 * 3. What the decoder must leave out or survive: an attribute id the spec
 *    does not have, an integer shorter than its type, padding, a string
 *    without its NUL; two gpu nests make an array of two.
 * Prints TAP; exits 1 if any test failed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <dom0gpu_attrs.h>

#include "../../nl_decode.h"

#define MAX_DEPTH 8

static unsigned int n, failed;

static void result(int ok, const char *what)
{
	printf("%sok %u %s\n", ok ? "" : "not ", ++n, what);
	if (!ok)
		failed++;
}

static struct nl_msg *new_msg(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg)
		genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0, 0,
			    DOM0GPU_CMD_GET_SNAPSHOT, DOM0GPU_FAMILY_VERSION);
	return msg;
}

static json_object *decode(struct nl_msg *msg)
{
	json_object *tree = nl_decode_msg(nlmsg_hdr(msg));

	nlmsg_free(msg);
	return tree;
}

/* A value of the attribute's width with every byte distinct. */
static uint64_t sample(enum dom0gpu_nl_type t)
{
	switch (t) {
	case DOM0GPU_NL_U8:
		return 0x5a;
	case DOM0GPU_NL_U16:
		return 0x10de;
	case DOM0GPU_NL_U64:
		return 0x8000050100070406ULL;
	default:
		return 0x89abcdef;
	}
}

static int put_one(struct nl_msg *msg, int id, const struct dom0gpu_attr *a)
{
	uint64_t v = sample(a->type);

	if (a->enum_name)
		v = 2;
	switch (a->type) {
	case DOM0GPU_NL_U8:
		return nla_put_u8(msg, id, (uint8_t)v);
	case DOM0GPU_NL_U16:
		return nla_put_u16(msg, id, (uint16_t)v);
	case DOM0GPU_NL_U32:
	case DOM0GPU_NL_S32:
		return nla_put_u32(msg, id, (uint32_t)v);
	case DOM0GPU_NL_U64:
		return nla_put_u64(msg, id, v);
	case DOM0GPU_NL_STRING:
		return nla_put_string(msg, id, "xen_pv");
	case DOM0GPU_NL_FLAG:
		return nla_put_flag(msg, id);
	default:
		return nla_put_u64(msg, id, v);
	}
}

/* The decoded value against what was put; *why says how it differs. */
static int value_ok(const struct dom0gpu_attr *a, json_object *v, char *why, size_t len)
{
	uint64_t want = a->enum_name ? 2 : sample(a->type), got;
	const char *s = json_object_get_string(v);

	if (a->enum_name) {
		snprintf(why, len, "'%s', want '%s'", s, a->enum_name(2));
		return json_object_is_type(v, json_type_string) && !strcmp(s, a->enum_name(2));
	}
	snprintf(why, len, "'%s'", s);
	switch (a->type) {
	case DOM0GPU_NL_STRING:
		return json_object_is_type(v, json_type_string) && !strcmp(s, "xen_pv");
	case DOM0GPU_NL_FLAG:
		return json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
	case DOM0GPU_NL_S32:
		return json_object_is_type(v, json_type_int) &&
		       json_object_get_int64(v) == (int32_t)want;
	default:
		break;
	}
	if (a->hex) {
		size_t width = a->type == DOM0GPU_NL_U8 ? 2 : a->type == DOM0GPU_NL_U16 ? 4 :
			       a->type == DOM0GPU_NL_U64 ? 16 : 8;

		return json_object_is_type(v, json_type_string) && strlen(s) == 2 + width &&
		       nl_tree_u64(v, &got) && got == want;
	}
	/* 0x8000... is above INT64_MAX: a decimal string, not a negative number. */
	if (want > INT64_MAX) {
		char dec[24];

		snprintf(dec, sizeof(dec), "%" PRIu64, want);
		return json_object_is_type(v, json_type_string) && !strcmp(s, dec);
	}
	return json_object_is_type(v, json_type_int) && nl_tree_u64(v, &got) && got == want;
}

/*
 * Every attribute of set, put inside the nests of path (ids outermost
 * first) and found again under names.
 */
static void every_attr(const struct dom0gpu_attr_set *set, const int *ids,
		       const char *const *names, int depth)
{
	uint32_t id;
	int i;

	for (id = 0; id <= set->max; id++) {
		const struct dom0gpu_attr *a = &set->attrs[id];
		struct nlattr *nests[MAX_DEPTH];
		struct nl_msg *msg;
		json_object *tree, *v;
		char what[160], why[96], line[300];
		int ok, put_err;

		if (!a->name || a->type == DOM0GPU_NL_PAD)
			continue;
		/* libnl drops an empty nest: a nest is checked through its attributes. */
		if (a->type == DOM0GPU_NL_NEST) {
			int sub_ids[MAX_DEPTH];
			const char *sub_names[MAX_DEPTH];

			if (depth + 1 >= MAX_DEPTH) {
				result(0, "the spec nests deeper than this test follows");
				continue;
			}
			if (depth) {
				memcpy(sub_ids, ids, sizeof(int) * (size_t)depth);
				memcpy(sub_names, names, sizeof(char *) * (size_t)depth);
			}
			sub_ids[depth] = (int)id;
			sub_names[depth] = a->name;
			every_attr(a->nest, sub_ids, sub_names, depth + 1);
			continue;
		}
		msg = new_msg();
		for (i = 0; i < depth; i++)
			nests[i] = nla_nest_start(msg, ids[i]);
		put_err = put_one(msg, (int)id, a) < 0;
		for (i = depth - 1; i >= 0; i--)
			nla_nest_end(msg, nests[i]);
		v = tree = decode(msg);
		for (i = 0; i < depth && v; i++) {
			v = nl_tree_get(v, names[i]);
			/* A multi-attr nest on the way is an array of one. */
			if (json_object_is_type(v, json_type_array))
				v = json_object_array_length(v) == 1 ? json_object_array_get_idx(v, 0) :
				    NULL;
		}
		v = nl_tree_get(v, a->name);
		if (a->multi)
			v = json_object_is_type(v, json_type_array) &&
			    json_object_array_length(v) == 1 ? json_object_array_get_idx(v, 0) :
			    NULL;
		snprintf(what, sizeof(what), "%s%s%s", depth ? names[depth - 1] : "",
			 depth ? "." : "", a->name);
		ok = !put_err && v && value_ok(a, v, why, sizeof(why));
		snprintf(line, sizeof(line), "%s: decoded under its spec name with its value%s%s",
			 what, ok ? "" : " ", ok ? "" : v ? why : "(missing)");
		result(ok, line);
		json_object_put(tree);
	}
}

static int str_at(json_object *arr, int i, const char *want)
{
	json_object *v = json_object_array_get_idx(arr, i);

	return json_object_is_type(v, json_type_string) && !strcmp(json_object_get_string(v), want);
}

static void xen_pv_pat(void)
{
	/* Xen's PAT, index 0 first: WB WT UC- UC WC WP UC UC. */
	static const uint32_t layout[8] = {
		DOM0GPU_MEM_TYPE_WB, DOM0GPU_MEM_TYPE_WT, DOM0GPU_MEM_TYPE_UC_MINUS,
		DOM0GPU_MEM_TYPE_UC, DOM0GPU_MEM_TYPE_WC, DOM0GPU_MEM_TYPE_WP,
		DOM0GPU_MEM_TYPE_UC, DOM0GPU_MEM_TYPE_UC,
	};
	static const char *const names[8] = { "WB", "WT", "UC-", "UC", "WC", "WP", "UC", "UC" };
	struct nl_msg *msg = new_msg();
	struct nlattr *pat = nla_nest_start(msg, DOM0GPU_A_PAT);
	json_object *tree, *p, *l;
	int i, ok;

	nla_put_u64(msg, DOM0GPU_A_PAT_MSR, 0x0000050100070406ULL);
	for (i = 0; i < 8; i++)
		nla_put_u32(msg, DOM0GPU_A_PAT_LAYOUT, layout[i]);
	nla_put_s32(msg, DOM0GPU_A_PAT_WC_INDEX, 4);
	nla_nest_end(msg, pat);
	pat = nla_nest_start(msg, DOM0GPU_A_NVIDIA);
	nla_put_s32(msg, DOM0GPU_A_NVIDIA_WC_INDEX, -1);
	nla_put_u32(msg, DOM0GPU_A_NVIDIA_PAT_MODE, DOM0GPU_PAT_MODE_DISABLED);
	nla_nest_end(msg, pat);
	tree = decode(msg);
	p = nl_tree_get(tree, "pat");
	result(!strcmp(json_object_get_string(nl_tree_get(p, "msr")), "0x0000050100070406"),
	       "pat.msr of a Xen PV dom0 is \"0x0000050100070406\"");
	l = nl_tree_get(p, "layout");
	ok = json_object_is_type(l, json_type_array) && json_object_array_length(l) == 8;
	for (i = 0; ok && i < 8; i++)
		ok = str_at(l, i, names[i]);
	result(ok, "pat.layout of a Xen PV dom0 is [WB WT UC- UC WC WP UC UC] in order");
	result(json_object_get_int(nl_tree_get(p, "wc-index")) == 4 &&
	       json_object_get_int(nl_tree_get(nl_tree_get(tree, "nvidia"), "wc-index")) == -1 &&
	       !strcmp(json_object_get_string(nl_tree_get(nl_tree_get(tree, "nvidia"), "pat-mode")),
		       "disabled"),
	       "pat.wc-index 4, nvidia.wc-index -1 (signed), nvidia.pat-mode \"disabled\"");
	json_object_put(tree);
}

static void left_out(void)
{
	static const char raw[3] = { 'k', 'v', 'm' };
	struct nl_msg *msg = new_msg();
	struct nlattr *nest = nla_nest_start(msg, DOM0GPU_A_PAT);
	json_object *tree, *p, *g;

	nla_put_u32(msg, DOM0GPU_A_PAT_MAX + 1, 7);		/* a newer module's attribute */
	nla_put_u32(msg, DOM0GPU_A_PAT_MSR, 1);			/* u64 sent as 4 bytes */
	nla_put_u64(msg, DOM0GPU_A_PAT_PAD, 0);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, DOM0GPU_A_HYPERVISOR);
	nla_put(msg, DOM0GPU_A_HYPERVISOR_TYPE, sizeof(raw), raw);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, DOM0GPU_A_GPU);
	nla_put_u16(msg, DOM0GPU_A_GPU_VENDOR, 0x10de);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, DOM0GPU_A_GPU);
	nla_put_u16(msg, DOM0GPU_A_GPU_VENDOR, 0x1234);
	nla_nest_end(msg, nest);
	tree = decode(msg);
	p = nl_tree_get(tree, "pat");
	result(json_object_is_type(p, json_type_object) && json_object_object_length(p) == 0,
	       "unknown id, short u64 and padding are left out of pat");
	result(!strcmp(json_object_get_string(nl_tree_get(nl_tree_get(tree, "hypervisor"),
							  "type")), "kvm"),
	       "a string without its NUL ends at the attribute's end");
	g = nl_tree_get(tree, "gpu");
	result(json_object_is_type(g, json_type_array) && json_object_array_length(g) == 2 &&
	       !strcmp(json_object_get_string(nl_tree_get(json_object_array_get_idx(g, 1),
							  "vendor")), "0x1234"),
	       "two gpu nests are an array of two, in order");
	json_object_put(tree);
}

int main(void)
{
	printf("TAP version 13\n");
	every_attr(&dom0gpu_attrs_dom0gpu, NULL, NULL, 0);
	xen_pv_pat();
	left_out();
	printf("1..%u\n", n);
	return failed ? 1 : 0;
}
