#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Validate the dom0gpu netlink spec.

Checks the spec against the kernel's genetlink JSON schema, then the rules
the schema leaves optional but this project requires: a doc on every
definition, enum entry, attribute set, attribute and operation; and that
the event name table of dom0gpu_names.h (dom0gpu_event_name()) names every
event of the spec, and nothing else, by its spec name.

Usage: check-spec.py SCHEMA SPEC NAMES_HEADER
Exit: 0 valid, 1 invalid (one line per problem on stderr), 2 usage.
"""
import re
import sys

import jsonschema
import yaml


def missing_docs(spec):
    for d in spec.get('definitions', []):
        if 'doc' not in d:
            yield f"definition {d['name']}"
        for e in d.get('entries', []):
            if not isinstance(e, dict) or 'doc' not in e:
                name = e['name'] if isinstance(e, dict) else e
                yield f"entry {d['name']}.{name}"
    for s in spec['attribute-sets']:
        if 'doc' not in s:
            yield f"attribute-set {s['name']}"
        for a in s['attributes']:
            if 'doc' not in a:
                yield f"attribute {s['name']}.{a['name']}"
    for op in spec['operations']['list']:
        if 'doc' not in op:
            yield f"operation {op['name']}"


def event_name_errors(spec, header):
    prefix = spec['operations']['enum-name'].upper().replace('-', '_') + '_'
    body = re.search(r'dom0gpu_event_name\(.*?\n}', header, re.S)
    have = dict(re.findall(r'\[%s(\w+)\]\s*=\s*"([^"]*)"' % prefix,
                           body.group(0) if body else ''))
    want = {op['name'].upper().replace('-', '_'): op['name']
            for op in spec['operations']['list'] if 'event' in op}
    for enum in sorted(set(want) | set(have)):
        if have.get(enum) != want.get(enum):
            yield (f"dom0gpu_event_name(): {prefix}{enum} is "
                   f"{have.get(enum)!r}, the spec says {want.get(enum)!r}")


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = yaml.safe_load(f)
    with open(argv[2]) as f:
        spec = yaml.safe_load(f)
    try:
        jsonschema.validate(spec, schema)
    except jsonschema.ValidationError as e:
        path = '/'.join(str(p) for p in e.absolute_path)
        print(f"{argv[2]}: {path}: {e.message}", file=sys.stderr)
        return 1
    if spec.get('protocol', 'genetlink') != 'genetlink':
        print(f"{argv[2]}: protocol must be genetlink", file=sys.stderr)
        return 1
    bad = list(missing_docs(spec))
    for what in bad:
        print(f"{argv[2]}: {what}: no doc", file=sys.stderr)
    with open(argv[3]) as f:
        names = list(event_name_errors(spec, f.read()))
    for what in names:
        print(f"{argv[3]}: {what}", file=sys.stderr)
    return 1 if bad or names else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
