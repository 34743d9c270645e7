#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The prediction-against-driver table of docs/TESTING.md, from the output
of a `make check` (or `make -C selftests vm`) run: one row per scenario
that ran nvdriver_test, with what the module and dom0gpu-stat predicted,
every NVRM line NVIDIA's driver wrote, and nvdriver_test's own result.

Usage: nvdriver_table.py LOG   (prints Markdown; exit 1 if no row)
"""

import re
import sys

SCENARIO = re.compile(r"^# ==== scenario (\S+) \(")
SECTION = re.compile(r"^# -- (\S+)$")
SYSFS = re.compile(r'^# sysfs nvidia/: predicted mode (\S+), line "(.*)"; '
                   r'driver printed')
STAT = re.compile(r"^# dom0gpu-stat before: predicts (.*)$")
VERDICT = re.compile(r"^# (verdict before .*)$")
EVENT = re.compile(r"^# event (\S+) \(cmd \d+\): generation (\d+)")
NVRM = re.compile(r"\] (NVRM: .*?)\s*$")
RESULT = re.compile(r"^(ok|not ok) \d+ (\S+)( # SKIP.*)?$")


def rows(lines):
    out, cur, section = [], None, None
    for ln in lines:
        m = SCENARIO.match(ln)
        if m:
            cur = {"scenario": m.group(1), "nvrm": [], "events": [],
                   "ok": 0, "fail": 0, "skip": 0, "mode": None,
                   "stat": "(no line)", "verdict": ""}
            section = None
            continue
        m = SECTION.match(ln)
        if m:
            section = m.group(1)
            if cur and section == "nvdriver_test":
                out.append(cur)
            continue
        if not cur or section != "nvdriver_test":
            continue
        for rx, key in ((STAT, "stat"), (VERDICT, "verdict")):
            m = rx.match(ln)
            if m:
                cur[key] = m.group(1)
        m = SYSFS.match(ln)
        if m:
            cur["mode"] = '%s, "%s"' % (m.group(1), m.group(2) or "(no line)")
        m = EVENT.match(ln)
        if m:
            cur["events"].append("%s (%s)" % m.groups())
        m = NVRM.search(ln)
        if m and m.group(1) not in cur["nvrm"]:
            cur["nvrm"].append(m.group(1))
        m = RESULT.match(ln)
        if m and m.group(2).startswith("global."):
            key = "fail" if m.group(1) == "not ok" else \
                "skip" if m.group(3) else "ok"
            cur[key] += 1
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: nvdriver_table.py LOG")
    with open(sys.argv[1], errors="replace") as f:
        found = rows(f.read().splitlines())
    if not found:
        print("nvdriver_table.py: no nvdriver_test in %s" % sys.argv[1],
              file=sys.stderr)
        return 1
    print("| scenario | module: mode, line | dom0gpu-stat before the load "
          "| driver printed | verdict | events (generation) "
          "| agreement (nvdriver_test) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in found:
        total = r["ok"] + r["fail"] + r["skip"]
        agree = "%s: %d of %d cases pass" % (
            "no" if r["fail"] else "yes", r["ok"], total)
        if r["skip"]:
            agree += ", %d skipped" % r["skip"]
        print("| %s | %s | %s | %s | %s | %s | %s |" % (
            r["scenario"], r["mode"] or "(module not judged)", r["stat"],
            "; ".join(sorted(r["nvrm"])) or "(none)", r["verdict"],
            ", ".join(r["events"]) or "(none)", agree))
    return 0


if __name__ == "__main__":
    sys.exit(main())
