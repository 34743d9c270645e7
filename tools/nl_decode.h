/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's netlink messages decoded with the spec alone
 * (uapi/dom0gpu_attrs.h, generated from uapi/dom0gpu.yaml): one JSON tree
 * per message, whatever attributes the module sends.
 *
 * The tree: a nest is an object keyed by the attributes' spec names ("pat",
 * "msr", "pat-mode"); a multi-attr attribute is an array of its values in
 * message order; an enum is its name from uapi/dom0gpu_names.h, as sysfs
 * prints it; a flag is true; a string is a string; an integer shown in
 * hexadecimal by the spec (display-hint: hex) is a string "0x..." of its
 * type's width (0x%016llx for u64), as the module's sysfs file prints it
 * and JSON numbers cannot hold all 64 bits; other integers are numbers (a
 * u64 above INT64_MAX, which no fact reaches, a decimal string). Attributes
 * the spec of this build does not know, padding and attributes shorter
 * than their type are left out.
 */
#ifndef DOM0GPU_STAT_NL_DECODE_H
#define DOM0GPU_STAT_NL_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

struct nlmsghdr;

/* The top-level attributes of a dom0gpu message; NULL if it is no generic netlink message. */
json_object *nl_decode_msg(const struct nlmsghdr *nlh);

/* A decoded value as an integer: a number, a "0x..." string or a boolean. */
bool nl_tree_u64(json_object *v, uint64_t *out);

/* The value at key in object o (json_object_object_get_ex() that takes NULL). */
json_object *nl_tree_get(json_object *o, const char *key);

#endif /* DOM0GPU_STAT_NL_DECODE_H */
