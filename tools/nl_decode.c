// SPDX-License-Identifier: GPL-2.0
/*
 * The one netlink decoder of dom0gpu-stat (nl_decode.h): it walks a message
 * with the attribute tables generated from the spec, so an attribute the
 * spec gains is decoded with no change here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <dom0gpu_attrs.h>

#include "nl_decode.h"

static json_object *hex_value(uint64_t v, int size)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, size * 2, v);
	return json_object_new_string(buf);
}

static json_object *uint_value(const struct dom0gpu_attr *a, uint64_t v, int size)
{
	char buf[24];

	if (a->enum_name)
		return json_object_new_string(a->enum_name((__u32)v));
	if (a->hex)
		return hex_value(v, size);
	if (v <= INT64_MAX)
		return json_object_new_int64((int64_t)v);
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return json_object_new_string(buf);
}

static json_object *decode_attrs(const struct dom0gpu_attr_set *set, struct nlattr *head, int len);

/* One attribute's value, or NULL to leave it out. */
static json_object *decode_value(const struct dom0gpu_attr *a, struct nlattr *nla)
{
	static const int size[] = {
		[DOM0GPU_NL_U8] = 1, [DOM0GPU_NL_U16] = 2, [DOM0GPU_NL_U32] = 4,
		[DOM0GPU_NL_U64] = 8, [DOM0GPU_NL_S32] = 4,
	};
	int len = nla_len(nla);

	switch (a->type) {
	case DOM0GPU_NL_U8:
	case DOM0GPU_NL_U16:
	case DOM0GPU_NL_U32:
	case DOM0GPU_NL_U64:
	case DOM0GPU_NL_S32:
		if (len < size[a->type])
			return NULL;
		break;
	default:
		break;
	}
	switch (a->type) {
	case DOM0GPU_NL_U8:
		return uint_value(a, nla_get_u8(nla), 1);
	case DOM0GPU_NL_U16:
		return uint_value(a, nla_get_u16(nla), 2);
	case DOM0GPU_NL_U32:
		return uint_value(a, nla_get_u32(nla), 4);
	case DOM0GPU_NL_U64:
		return uint_value(a, nla_get_u64(nla), 8);
	case DOM0GPU_NL_S32:
		return json_object_new_int((int32_t)nla_get_u32(nla));
	case DOM0GPU_NL_STRING:
		/* Up to the NUL the kernel puts, or the attribute's end without one. */
		return json_object_new_string_len(nla_data(nla),
						  (int)strnlen(nla_data(nla), (size_t)len));
	case DOM0GPU_NL_FLAG:
		return json_object_new_boolean(1);
	case DOM0GPU_NL_NEST:
		return decode_attrs(a->nest, nla_data(nla), len);
	case DOM0GPU_NL_NONE:
	case DOM0GPU_NL_PAD:
		break;
	}
	return NULL;
}

static json_object *decode_attrs(const struct dom0gpu_attr_set *set, struct nlattr *head, int len)
{
	json_object *obj = json_object_new_object(), *v, *arr;
	struct nlattr *nla;
	int rem;

	nla_for_each_attr(nla, head, len, rem) {
		const struct dom0gpu_attr *a;
		int type = nla_type(nla);

		if (type > (int)set->max || !set->attrs[type].name)
			continue;
		a = &set->attrs[type];
		v = decode_value(a, nla);
		if (!v)
			continue;
		if (!a->multi) {
			json_object_object_add(obj, a->name, v);
			continue;
		}
		if (!json_object_object_get_ex(obj, a->name, &arr)) {
			arr = json_object_new_array();
			json_object_object_add(obj, a->name, arr);
		}
		json_object_array_add(arr, v);
	}
	return obj;
}

json_object *nl_decode_msg(const struct nlmsghdr *nlh)
{
	/* libnl before 3.2.29 takes the header without const. */
	struct nlmsghdr *h = (struct nlmsghdr *)nlh;

	if (!genlmsg_valid_hdr(h, 0))
		return NULL;
	return decode_attrs(&dom0gpu_attrs_dom0gpu, genlmsg_attrdata(genlmsg_hdr(h), 0),
			    genlmsg_attrlen(genlmsg_hdr(h), 0));
}

bool nl_tree_u64(json_object *v, uint64_t *out)
{
	const char *s;
	char *end;

	if (json_object_is_type(v, json_type_int)) {
		*out = (uint64_t)json_object_get_int64(v);
		return true;
	}
	if (json_object_is_type(v, json_type_boolean)) {
		*out = json_object_get_boolean(v) ? 1 : 0;
		return true;
	}
	if (!json_object_is_type(v, json_type_string))
		return false;
	s = json_object_get_string(v);
	if (strncmp(s, "0x", 2))
		return false;
	*out = strtoull(s, &end, 16);
	return end != s + 2 && !*end;
}

json_object *nl_tree_get(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}
