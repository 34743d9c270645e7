#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What the fleet views must show for reports saved by the VM scenarios
(selftests/vm/run.py, save_reports), read from the reports themselves.

  vm_reports.py summary REPORT.json
      verdict, xen.domain_type, pat.msr, pat.wc_index (tab-separated; "-"
      for a fact the report does not have), for the platform checks
  vm_reports.py alerts REPORT.json
      the alerts of dom0gpu.rules.yml the host's metrics must fire,
      comma-separated, from the report's verdict fields
  vm_reports.py table OUTPUT HOST=REPORT.json...
      OUTPUT is dom0gpu-stat's fleet table: a header, then one line per
      host in that order, each saying what its report says
  vm_reports.py json OUTPUT HOST=REPORT.json...
      the same for the fleet's --json array

A failed check prints why on stderr and exits 1.
"""

import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fact(report, name):
    """A fact's value, None where the report does not have it."""
    f = report["facts"].get(name)
    return None if f is None else f.get("value")


def next_boot_text(report):
    """The NEXT BOOT column: no VM scenario configures Xen's next boot
    (their initramfs has no /etc/default/grub), so it is "not read" on Xen
    (out_fleet.c: the line could not be read there) and "-" elsewhere; the
    fixtures of fleet_test.sh cover a configured next boot."""
    if fact(report, "xen.cmdline_configured") is not None:
        sys.exit("vm_reports: a report with xen.cmdline_configured: its next boot "
                 "is not derived here (fleet_test.sh covers it)")
    domain = fact(report, "xen.domain_type")
    return "not read" if domain not in (None, "none") else "-"


def text(value):
    return "-" if value is None else str(value)


def expected(host, report):
    """One host's fields as the fleet shows them."""
    probe = fact(report, "cuda.probe")
    return {
        "host": host,
        "verdict": report["verdict"],
        "domain_type": fact(report, "xen.domain_type"),
        "pat_wc_index": fact(report, "pat.wc_index"),
        "cuda_probe": probe,
        # dom0gpu-stat lists a blocker once, in the report's order.
        "blockers": list(dict.fromkeys(f["id"] for f in report["findings"]
                                       if f["severity"] == "blocker")),
        "next_boot": None,
        "next_boot_text": next_boot_text(report),
    }


def hosts(args):
    out = []
    for a in args:
        host, path = a.split("=", 1)
        out.append(expected(host, load(path)))
    return out


def fail(why):
    sys.stderr.write("vm_reports: %s\n" % why)
    sys.exit(1)


def check_table(path, want):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if not lines or lines[0].split()[:2] != ["HOST", "VERDICT"]:
        fail("no header line: %r" % lines[:1])
    if len(lines) - 1 != len(want):
        fail("%d host lines for %d reports" % (len(lines) - 1, len(want)))
    for line, w in zip(lines[1:], want):
        got = line.split(None, 5)
        exp = [w["host"], w["verdict"], text(w["domain_type"]), text(w["pat_wc_index"]),
               text(w["cuda_probe"]), w["next_boot_text"]]
        if got != exp:
            fail("line %r, its report says %r" % (line, exp))


def check_json(path, want):
    got = load(path)
    if [g.get("host") for g in got] != [w["host"] for w in want]:
        fail("hosts %r, reports %r" % ([g.get("host") for g in got], [w["host"] for w in want]))
    for g, w in zip(got, want):
        if g != w:
            fail("%s: %r, its report says %r" % (w["host"], g, w))


def alerts(report):
    """Each alert from the report field its metric comes from (out_prom.c):
    dom0gpu_verdict, dom0gpu_degraded, dom0gpu_cuda_probe_success."""
    firing = []
    if report["verdict"] == "blocked":
        firing.append("Dom0gpuHostBlocked")
    if report["mode"] == "degraded":
        firing.append("Dom0gpuModuleNotLoaded")
    probe = fact(report, "cuda.probe")
    if probe is not None and probe != "ok":
        firing.append("Dom0gpuCudaProbeFailed")
    next_boot_text(report)
    return firing


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "summary":
        r = load(args[0])
        print("\t".join(text(v) for v in (r["verdict"], fact(r, "xen.domain_type"),
                                           fact(r, "pat.msr"), fact(r, "pat.wc_index"))))
    elif cmd == "alerts":
        print(",".join(alerts(load(args[0]))))
    elif cmd == "table":
        check_table(args[0], hosts(args[1:]))
    elif cmd == "json":
        check_json(args[0], hosts(args[1:]))
    else:
        sys.exit("vm_reports: unknown command %s" % cmd)


main()
