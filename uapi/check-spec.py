#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Validate the dom0gpu netlink spec.

Checks the spec against the kernel's genetlink JSON schema, then the rules
the schema leaves optional but this project requires: a doc on every
definition, enum entry, attribute set, attribute and operation.

Usage: check-spec.py SCHEMA SPEC
Exit: 0 valid, 1 invalid (one line per problem on stderr), 2 usage.
"""
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


def main(argv):
    if len(argv) != 3:
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
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
