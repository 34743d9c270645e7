#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write dom0gpu_attrs.h, the netlink spec as tables for dom0gpu-stat.

For every attribute set of the spec, a table indexed by attribute id gives
the attribute's spec name, its netlink type, whether it repeats
(multi-attr), whether it is shown in hexadecimal (display-hint: hex), the
set of a nest and, for an enum-typed attribute, the name function of
dom0gpu_names.h (dom0gpu_<enum>_name()), so that the CLI prints the same
words as the module's sysfs files. The CLI's netlink decoder walks a
message with these tables alone (tools/nl_decode.c).

Usage: gen-attrs.py SPEC OUTPUT
Exit: 0 written, 1 the spec has something the tables cannot say, 2 usage.
"""
import sys

import yaml

TYPES = {
    'u8': 'DOM0GPU_NL_U8', 'u16': 'DOM0GPU_NL_U16',
    'u32': 'DOM0GPU_NL_U32', 'u64': 'DOM0GPU_NL_U64',
    's32': 'DOM0GPU_NL_S32', 'string': 'DOM0GPU_NL_STRING',
    'flag': 'DOM0GPU_NL_FLAG', 'nest': 'DOM0GPU_NL_NEST',
    'pad': 'DOM0GPU_NL_PAD',
}

HEAD = '''\
/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit: generated from dom0gpu.yaml by gen-attrs.py (make -C uapi header). */
/*
 * The attribute sets of the dom0gpu netlink family as tables, for
 * userspace decoders: indexed by attribute id, each row gives the spec
 * name, the netlink type, whether the attribute repeats or is shown in
 * hexadecimal, the set of a nest and the name function of an enum.
 * Include it in one source file: the tables are static.
 */
#ifndef _DOM0GPU_ATTRS_H
#define _DOM0GPU_ATTRS_H

#include <linux/types.h>
#include <linux/dom0gpu.h>
#include "dom0gpu_names.h"

enum dom0gpu_nl_type {
	DOM0GPU_NL_NONE,	/* no attribute has this id */
	DOM0GPU_NL_PAD,
	DOM0GPU_NL_U8,
	DOM0GPU_NL_U16,
	DOM0GPU_NL_U32,
	DOM0GPU_NL_U64,
	DOM0GPU_NL_S32,
	DOM0GPU_NL_STRING,
	DOM0GPU_NL_FLAG,
	DOM0GPU_NL_NEST,
};

struct dom0gpu_attr_set;

struct dom0gpu_attr {
	const char *name;			/* NULL: no attribute has this id */
	enum dom0gpu_nl_type type;
	int multi;				/* multi-attr: repeats, in order */
	int hex;				/* display-hint: hex */
	const struct dom0gpu_attr_set *nest;	/* DOM0GPU_NL_NEST */
	const char *(*enum_name)(__u32 value);	/* enum: the value's name */
};

struct dom0gpu_attr_set {
	const char *name;
	__u32 max;				/* highest attribute id */
	const struct dom0gpu_attr *attrs;	/* max + 1 rows */
};'''


def c_name(name):
    return name.upper().replace('-', '_')


def set_prefix(family, aset):
    prefix = aset.get('name-prefix', f"{family}-a-{aset['name']}-")
    return c_name(prefix)


def set_ident(aset):
    return 'dom0gpu_attrs_' + aset['name'].replace('-', '_')


def order_sets(sets):
    """Sets in an order where a nest's set comes before the set using it."""
    by_name = {s['name']: s for s in sets}
    done, out = set(), []

    def visit(s, path):
        if s['name'] in done:
            return
        if s['name'] in path:
            raise ValueError(f"attribute set {s['name']} nests itself")
        for a in s['attributes']:
            if a['type'] == 'nest':
                visit(by_name[a['nested-attributes']], path | {s['name']})
        done.add(s['name'])
        out.append(s)

    for s in sets:
        visit(s, set())
    return out


def render(spec):
    family = spec['name']
    enums = {d['name'] for d in spec.get('definitions', []) if d['type'] == 'enum'}
    out = [HEAD]
    for aset in order_sets(spec['attribute-sets']):
        prefix = set_prefix(family, aset)
        ident = set_ident(aset)
        out.append(f"\nstatic const struct dom0gpu_attr {ident}_rows[{prefix}MAX + 1] = {{")
        for a in aset['attributes']:
            if a['type'] not in TYPES:
                raise ValueError(f"{aset['name']}.{a['name']}: type {a['type']}")
            fields = [f'.name = "{a["name"]}"', f".type = {TYPES[a['type']]}"]
            if a.get('multi-attr'):
                fields.append('.multi = 1')
            if a.get('display-hint') == 'hex':
                fields.append('.hex = 1')
            if a['type'] == 'nest':
                fields.append(f".nest = &{set_ident({'name': a['nested-attributes']})}")
            if 'enum' in a:
                if a['enum'] not in enums:
                    raise ValueError(f"{aset['name']}.{a['name']}: enum {a['enum']}")
                fields.append(f".enum_name = dom0gpu_{a['enum'].replace('-', '_')}_name")
            out.append(f"\t[{prefix}{c_name(a['name'])}] = {{")
            out += [f"\t\t{f}," for f in fields]
            out.append('\t},')
        out.append('};')
        out.append(f"\nstatic const struct dom0gpu_attr_set {ident} = {{")
        out.append(f'\t"{aset["name"]}", {prefix}MAX, {ident}_rows')
        out.append('};')
    out.append('\n#endif /* _DOM0GPU_ATTRS_H */')
    return '\n'.join(out) + '\n'


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        spec = yaml.safe_load(f)
    try:
        text = render(spec)
    except (ValueError, KeyError) as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 1
    with open(argv[2], 'w') as f:
        f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
