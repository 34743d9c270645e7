#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What the fleet views must show for reports saved by the VM scenarios
(selftests/vm/run.py, save_reports), read from the reports themselves.

  vm_reports.py summary REPORT.json
      verdict, xen.domain_type, pat.msr, pat.wc_index, what Xen makes of
      the next boot (panics, loses-pvh, ok) and the findings that cite
      xen.cmdline_configured (tab-separated; "-" for what the report does
      not have), for the platform checks
  vm_reports.py alerts REPORT.json
      the alerts of dom0gpu.rules.yml the host's metrics must fire,
      comma-separated, from the report's verdict fields and its
      xen.cmdline_configured
  vm_reports.py table OUTPUT HOST=REPORT.json...
      OUTPUT is dom0gpu-stat's fleet table: a header, then one line per
      host in that order, each saying what its report says
  vm_reports.py json OUTPUT HOST=REPORT.json...
      the same for the fleet's --json array

A failed check prints why on stderr and exits 1.
"""

import json
import re
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fact(report, name):
    """A fact's value, None where the report does not have it."""
    f = report["facts"].get(name)
    return None if f is None else f.get("value")


def xen_bool(s):
    """Xen's parse_bool() (xen/common/kernel.c): True, False or None."""
    if s in ("1", "on", "yes", "true", "enable"):
        return True
    if s in ("0", "no", "off", "false", "disable"):
        return False
    return None


def next_boot(report):
    """What Xen 4.17 makes of the report's xen.cmdline_configured (None
    when it has none), read as Xen reads the two options that decide it.
    xen/common/kernel.c, parse_params(): options are separated by spaces,
    applied in order (the last wins); "no-iommu" hands "no" to iommu's
    parser, a "no-" option with a value changes nothing. iommu=
    (parse_iommu_param(), xen/drivers/passthrough/iommu.c): each boolean
    item sets iommu_enable. dom0= (parse_dom0_param(),
    xen/arch/x86/dom0_build.c): items pv and pvh (cmdline_strcmp(): the
    name, then the end or one of , ; : =). Xen panics building a PVH
    dom0 without the IOMMU (xen/drivers/passthrough/x86/iommu.c,
    arch_iommu_check_autotranslated_hwdom()); dom0-iommu=none would skip
    that check (check_hwdom_reqs(), iommu.c): such a line is not derived
    here, nor one with an option longer than Xen's 127 characters."""
    line = fact(report, "xen.cmdline_configured")
    if line is None:
        return None
    iommu, iommu_token, pvh = True, "", False
    for opt in line.split(" "):
        name, eq, value = opt.partition("=")
        if len(opt) > 127 or name in ("dom0-iommu", "no-dom0-iommu"):
            fail("xen.cmdline_configured %r: %r is not derived here" % (line, opt))
        if name.startswith("no-"):
            if eq:
                continue
            name, value = name[3:], "no"
        for item in value.split(",") if name in ("iommu", "dom0") else ():
            if name == "iommu" and xen_bool(item) is not None:
                iommu, iommu_token = xen_bool(item), opt
            elif name == "dom0" and re.fullmatch(r"pvh?([,;:=].*)?", item):
                pvh = item[:3] == "pvh"
    return {"dom0": "pvh" if pvh else "pv", "iommu_disabled": not iommu,
            "panics": pvh and not iommu,
            "loses_pvh": fact(report, "xen.domain_type") == "pvh" and not pvh,
            "iommu_token": iommu_token}


def fleet_next_boot(report):
    """The fleet's next_boot object: next_boot() without the token."""
    nb = next_boot(report)
    return None if nb is None else {k: v for k, v in nb.items() if k != "iommu_token"}


def next_boot_text(report):
    """The NEXT BOOT column (out_fleet.c's wording): "not read" on Xen
    without a configured next boot, "-" elsewhere."""
    nb = next_boot(report)
    if nb is None:
        domain = fact(report, "xen.domain_type")
        return "not read" if domain not in (None, "none") else "-"
    if nb["panics"]:
        return "Xen panics: dom0=pvh with %s" % nb["iommu_token"]
    if nb["loses_pvh"]:
        return "dom0 boots PV: no dom0=pvh"
    return "ok (dom0=%s)" % nb["dom0"]


def next_boot_outcome(report):
    nb = next_boot(report)
    if nb is None:
        return None
    return "panics" if nb["panics"] else "loses-pvh" if nb["loses_pvh"] else "ok"


def next_boot_findings(report):
    """The IDs of the findings that cite xen.cmdline_configured, in order."""
    ids = [f["id"] for f in report["findings"] if "xen.cmdline_configured" in f["facts"]]
    return ",".join(ids) if ids else None


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
        "next_boot": fleet_next_boot(report),
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
    # dom0gpu_next_boot_panic and dom0gpu_next_boot_loses_pvh.
    nb = next_boot(report)
    if nb and nb["panics"]:
        firing.append("Dom0gpuNextBootPanics")
    if nb and nb["loses_pvh"]:
        firing.append("Dom0gpuNextBootLosesPVH")
    return firing


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "summary":
        r = load(args[0])
        print("\t".join(text(v) for v in (r["verdict"], fact(r, "xen.domain_type"),
                                           fact(r, "pat.msr"), fact(r, "pat.wc_index"),
                                           next_boot_outcome(r), next_boot_findings(r))))
    elif cmd == "alerts":
        print(",".join(alerts(load(args[0]))))
    elif cmd == "table":
        check_table(args[0], hosts(args[1:]))
    elif cmd == "json":
        check_json(args[0], hosts(args[1:]))
    else:
        sys.exit("vm_reports: unknown command %s" % cmd)


main()
