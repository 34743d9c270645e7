#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Benchmarks of dom0gpu in QEMU VMs (the selftests' harness and kernels).

  bench.py [--runs N] [--vcpus 1,8,32,64] [--quick] [--out DIR]

Boots Linux 6.12 (native, TCG) with dom0gpu.ko loaded and, instead of the
selftests, bench/vm/inside.sh:
  - one VM with 2 vCPUs: report cost (whole processes, item 1), interface
    cost (item 3) and memory footprint (item 4);
  - one VM per --vcpus count: scaling (item 2);
  - a Xen PV dom0 (Linux 6.1, the harness's xen-pv scenario): item 1 again
    on the platform dom0gpu is about.
VMs run one after another. Prints the Markdown tables it writes to
OUT/vm-results.md, with the raw numbers in OUT/vm-raw.txt and the plot in
OUT/scaling.png (gnuplot). Exits non-zero if a VM or a measured command
failed; there are no timing thresholds.
"""

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

# No __pycache__ next to the sources (the harness's modules are imported).
sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(TOP, "selftests", "vm"))
import run as harness  # noqa: E402
import scenarios  # noqa: E402

KERNEL = "6.12"
# The kernel of the harness's Xen PV dom0 scenarios.
XEN_PV_KERNEL = "6.1"
BUILD = os.path.join(TOP, "build", "bench")
CC_FLAGS = ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror",
            "-D_GNU_SOURCE", "-I" + os.path.join(TOP, "uapi")]


def log(tag, what):
    print("  %-7s %s" % (tag, what), flush=True)


def sh(cmd, **kw):
    return subprocess.check_output(cmd, universal_newlines=True, **kw)


def pkg(flag):
    return sh(["pkg-config", flag, "libnl-genl-3.0"]).split()


# ----------------------------------------------------------------- build

def cpio_gz(d):
    names = sh(["find", "."], cwd=d)
    data = subprocess.run(["cpio", "-o", "-H", "newc", "-R", "0:0",
                           "--quiet"], cwd=d, input=names.encode(),
                          stdout=subprocess.PIPE, check=True).stdout
    return subprocess.run(["gzip", "-1"], input=data, stdout=subprocess.PIPE,
                          check=True).stdout


def build_common():
    """dom0gpu-stat and the VM's timing programs, staged under
    BUILD/stage/bench with their shared libraries; inside.sh as the only
    "test" of the harness's initramfs builder."""
    log("BUILD", "dom0gpu-stat, bench programs")
    root = os.path.join(BUILD, "root")
    tools = os.path.join(root, "tools")
    stage = os.path.join(BUILD, "stage")
    bench = os.path.join(stage, "bench")
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(bench)
    # As shipped, with libnl, json-c and zlib linked in (STATIC=1), and as
    # one fully static executable (STATIC=full): how much of a run is the
    # dynamic linker's.
    with open(os.path.join(BUILD, "tools-build.log"), "w") as logf:
        for out, extra in ((tools, []),
                           (os.path.join(BUILD, "static"), ["STATIC=1"]),
                           (os.path.join(BUILD, "full"), ["STATIC=full"])):
            subprocess.check_call(["make", "--no-print-directory", "-C",
                                   os.path.join(TOP, "tools"), "O=" + out] +
                                  extra, stdout=logf, stderr=logf)
    shutil.copy(os.path.join(BUILD, "static", "dom0gpu-stat"),
                os.path.join(bench, "dom0gpu-stat-static"))
    shutil.copy(os.path.join(BUILD, "full", "dom0gpu-stat"),
                os.path.join(bench, "dom0gpu-stat-full"))
    subprocess.check_call(["gcc"] + CC_FLAGS + [
        "-o", os.path.join(bench, "timeit"), os.path.join(HERE, "timeit.c")])
    subprocess.check_call(["gcc"] + CC_FLAGS + pkg("--cflags") + [
        "-o", os.path.join(bench, "iface"), os.path.join(HERE, "iface.c")] +
        pkg("--libs"))
    shutil.copy(shutil.which("rdmsr") or "/usr/sbin/rdmsr", bench)
    shutil.copy(os.path.join(HERE, "sysfs_facts.sh"), bench)
    # Shared libraries of the programs at their host paths (the loader and
    # libc are in the harness's archive too; copies are identical).
    for elf in ("timeit", "iface", "rdmsr", "dom0gpu-stat-static"):
        for lib in re.findall(r"(/\S+) \(0x", sh(["ldd", os.path.join(
                bench, elf)])):
            dst = stage + lib
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(lib, dst)
    tests = os.path.join(root, "selftests")
    shutil.rmtree(tests, ignore_errors=True)
    os.makedirs(tests)
    shutil.copy(os.path.join(HERE, "inside.sh"), os.path.join(tests, "bench.sh"))
    return cpio_gz(stage)


def build_kernel(k, common):
    """dom0gpu.ko and the msr module for kernel k; sets k["initramfs"]
    (the harness's archive, then /bench, then msr.ko) and k["ko"]."""
    log("BUILD", "dom0gpu.ko for %s" % k["rel"])
    subprocess.check_call(["make", "-s", "--no-print-directory", "module",
                           "KDIR=" + k["kdir"]], cwd=TOP)
    kdir = os.path.join(BUILD, k["rel"])
    stage = os.path.join(kdir, "stage")
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(os.path.join(stage, "bench"))
    k["ko"] = os.path.join(kdir, "dom0gpu.ko")
    shutil.copy(os.path.join(TOP, "build", "kmod", k["rel"], "dom0gpu.ko"),
                k["ko"])
    msr = sh(["modprobe", "-d", k["modroot"], "-S", k["rel"], "-n",
              "--show-depends", "msr"]).split()[1]
    with open(os.path.join(stage, "bench", "msr.ko"), "wb") as f:
        dec = {".xz": ["xz", "-dc"], ".zst": ["zstd", "-qdc"]}.get(
            os.path.splitext(msr)[1], ["cat"])
        subprocess.check_call(dec + [msr], stdout=f)
    base = os.path.join(kdir, "initramfs-base.cpio.gz")
    subprocess.check_call([os.path.join(TOP, "selftests", "vm",
                                        "mkinitramfs.sh"),
                           k["rel"], k["modroot"], k["ko"],
                           os.path.join(BUILD, "root"), base])
    k["initramfs"] = os.path.join(kdir, "initramfs.cpio.gz")
    with open(k["initramfs"], "wb") as out:
        with open(base, "rb") as f:
            shutil.copyfileobj(f, out)
        out.write(common)
        out.write(cpio_gz(stage))


# ------------------------------------------------------------------ VMs

def boot(k, vcpus, items, env, timeout, xen=None):
    if xen:
        # The harness's Xen PV dom0 (Xen's IOMMU off: the field's case).
        s = scenarios._xen_pv(k["name"])._replace(timeout_s=timeout)
    else:
        # The harness's native scenario; no host root (no 9p traffic).
        s = scenarios._native(k["name"], name="bench", vcpus=vcpus,
                              mem=1024 if vcpus <= 32 else 2048,
                              timeout=timeout)._replace(hostroot=False)
    tag = "bench-xen-pv" if xen else "bench-%dcpu" % vcpus
    log("QEMU", "%s/%s, %d vCPUs: %s" % (s.name, k["name"], s.vcpus, items))
    lines, wall, rc = harness.boot(
        s, k, xen, tag,
        [("D0G_BENCH_ITEMS", items), ("D0G_TEST_TIMEOUT", str(timeout))] +
        list(env))
    fatal = [ln for ln in lines if harness.FATAL.search(ln)]
    end = [ln for ln in lines if ln.startswith("D0G-BENCH-END")]
    ok = bool(not fatal and end and end[0].split("\t")[1] == "0")
    log("DONE" if ok else "FAIL", "%s (%.0f s)" % (tag, wall))
    if not ok:
        for ln in lines[-60:]:
            print("# | " + ln)
    return lines, wall, ok


def parse(lines):
    """D0G-BENCH lines -> {section: {label: (extra, [numbers])}}, env,
    memory readings, slab readings, checks, command outputs."""
    d = dict(data={}, env={}, mem=[], slab={}, check={}, out={})
    for ln in lines:
        f = ln.split("\t")
        if f[0] == "D0G-BENCH" and len(f) == 5:
            d["data"].setdefault(f[1], {})[f[2]] = (
                int(f[3]), [int(x) for x in f[4].split(",") if x])
        elif f[0] == "D0G-BENCH-ENV" and len(f) >= 3:
            d["env"][f[1]] = f[2]
        elif f[0] == "D0G-BENCH-MEM" and len(f) == 3:
            vals = dict(kv.split("=") for kv in f[2].split())
            d["mem"].append((f[1], {k: int(v) for k, v in vals.items()}))
        elif f[0] == "D0G-BENCH-SLAB" and len(f) == 3:
            caches = {}
            for c in f[2].split():
                name, num, size = c.rsplit(":", 2)
                caches[name] = int(num) * int(size)
            d["slab"][f[1]] = caches
        elif f[0] == "D0G-BENCH-CHECK":
            d["check"][f[1]] = f[2:]
        elif f[0] == "D0G-BENCH-OUT" and len(f) == 3:
            d["out"].setdefault(f[1], []).append(f[2])
    return d


# ----------------------------------------------------------------- stats

def quartiles(xs):
    xs = sorted(xs)
    if len(xs) < 4:
        return xs[0], statistics.median(xs), xs[-1]
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[1], q[2]


def stats(xs):
    q1, med, q3 = quartiles(xs)
    return dict(n=len(xs), min=min(xs), q1=q1, med=med, q3=q3, max=max(xs))


def fit(xs, ys):
    """Least squares y = a + b x; returns (a, b, r^2)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx
    a = my - b * mx
    ss = sum((y - my) ** 2 for y in ys)
    res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    return a, b, 1 - res / ss if ss else 1.0


def table(head, rows, align=None):
    align = align or ["l"] + ["r"] * (len(head) - 1)
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join(":---" if a == "l" else "---:" for a in align) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return out


def ms(ns):
    return "%.2f" % (ns / 1e6)


def us(ns):
    return "%.1f" % (ns / 1e3) if ns < 1e5 else "%.0f" % (ns / 1e3)


# -------------------------------------------------------------- reports

REPORT_WHAT = {
    "dom0gpu-stat --json": "full report: module, kernel log, PCI, verdict",
    "dom0gpu-stat --json, static": "the same, libnl/json-c/zlib linked in",
    "dom0gpu-stat --json, fully static": "the same, one static executable "
                                         "(STATIC=full)",
    "dom0gpu-stat --version, fully static": "its process start alone",
    "rdmsr -a 0x277": "PAT of every CPU, nothing else",
    "cat /proc/mtrr": "MTRRs, nothing else",
    "sysfs shell script": "the module's facts, shell `read` per sysfs file",
    "dom0gpu-stat --version": "its process start alone (dynamic linking)",
    "cat /proc/cpuinfo": "what dom0gpu-stat reads for CPU facts",
    "true": "busybox true: the cost of any process",
}

IFACE_WHAT = {
    "nl_snapshot": "netlink GET_SNAPSHOT, open socket (every fact)",
    "nl_cpu_dump": "netlink GET_CPU dump, open socket (PAT of each CPU)",
    "nl_session": "socket + family lookup + GET_SNAPSHOT + close",
    "sysfs_all": "open+read+close of every dom0gpu sysfs file",
    "sysfs_pat": "open+read+close of pat/msr",
    "msr_cpu0": "open+pread+close of /dev/cpu/0/msr",
    "msr_all": "the same for every /dev/cpu/N/msr",
}


def report_cost(d, section="report"):
    sec = d["data"].get(section, {})
    ref = sec.get("rdmsr -a 0x277")
    rows = []
    for label, (rc, xs) in sec.items():
        s = stats(xs)
        ratio = "%.2f" % (s["med"] / stats(ref[1])["med"]) if ref else "-"
        rows.append([label, REPORT_WHAT.get(label, ""), rc, s["n"],
                     ms(s["med"]), "%s–%s" % (ms(s["q1"]), ms(s["q3"])),
                     ms(s["min"]), ms(s["max"]), ratio])
    out = table(["command", "what it gives", "exit", "runs", "median ms",
                 "IQR ms", "min ms", "max ms", "median / rdmsr -a"], rows,
                ["l", "l"] + ["r"] * 7)
    out.append("")
    for build in ("dom0gpu-stat --json", "dom0gpu-stat --json, fully static"):
        if not ref or build not in sec:
            continue
        a = stats(sec[build][1])["med"]
        b = stats(ref[1])["med"]
        out.append("Goal (full report costs no more than `rdmsr -a 0x277`), "
                   "`%s`: %s — median %s ms vs %s ms (ratio %.2f)." %
                   (build, "met" if a <= b else "NOT met", ms(a), ms(b),
                    a / b))
    return out


def iface_cost(d, section="iface"):
    sec = d["data"].get(section, {})
    base = sec.get("nl_snapshot")
    base = stats([t / base[0] for t in base[1]])["med"] if base else None
    rows = []
    for name, (calls, xs) in sec.items():
        s = stats([t / calls for t in xs])
        rows.append([name, IFACE_WHAT.get(name, ""), "%d×%d" % (len(xs), calls),
                     us(s["med"]), "%s–%s" % (us(s["q1"]), us(s["q3"])),
                     us(s["min"]), us(s["max"]),
                     "%.2f" % (s["med"] / base) if base else "-"])
    return table(["interface", "one call is", "batches×calls", "median µs/call",
                  "IQR µs", "min µs", "max µs", "/ nl_snapshot"], rows,
                 ["l", "l"] + ["r"] * 6)


def checks(d):
    out = []
    for name, f in d["check"].items():
        out.append("`%s`: %s" % (name, " ".join(f)))
    return out


def check_failures(d, no_mtrr=False):
    """The interfaces must agree, else the comparison means nothing; every
    command must work (no_mtrr: a Xen PV dom0 has no /proc/mtrr)."""
    bad = []
    pats = {n: f[0] for n, f in d["check"].items() if f and
            f[0].startswith("pat=") and not f[0].startswith("pat=none")}
    if len(set(pats.values())) > 1:
        bad.append("interfaces disagree on the PAT: %s" % pats)
    for n, f in d["check"].items():
        if any(x.startswith("differ=") and x != "differ=0" for x in f):
            bad.append("%s: CPUs with different PATs: %s" % (n, f))
    for section in ("report", "report_noaslr"):
        for label, (rc, _) in d["data"].get(section, {}).items():
            # dom0gpu-stat's exit status is its verdict (0..2); others 0.
            if no_mtrr and label == "cat /proc/mtrr":
                continue
            if rc < 0 or rc > (2 if label.startswith("dom0gpu-stat") else 0):
                bad.append("%s: %s: exit status %d" % (section, label, rc))
    return bad


MEM_KEYS = ("MemAvailable", "Slab", "SUnreclaim", "Percpu", "VmallocUsed")


def footprint(d, ko):
    out = ["Module file `%s` (size -A; Berkeley `size`):" %
           os.path.relpath(ko, TOP), ""]
    sections = []
    for ln in sh(["size", "-A", ko]).splitlines():
        f = ln.split()
        if len(f) == 3 and f[0].startswith(".") and f[1].isdigit():
            sections.append((f[0], int(f[1])))
    groups = [("text", lambda n: n.startswith((".text", ".init.text",
                                               ".exit.text"))),
              ("rodata", lambda n: n.startswith(".rodata")),
              ("data", lambda n: n.startswith(".data") or n in
               (".init.data", ".exit.data", ".gnu.linkonce.this_module")),
              ("bss", lambda n: n == ".bss")]
    rows = []
    for g, pred in groups:
        names = [n for n, _ in sections if pred(n)]
        rows.append([g, sum(sz for n, sz in sections if pred(n)),
                     ", ".join(names)])
    out += table(["kind", "bytes", "sections"], rows, ["l", "r", "l"])
    berk = sh(["size", ko]).splitlines()[1].split()
    out += ["", "`size`: text %s, data %s, bss %s (dec %s); file %d bytes." %
            (berk[0], berk[1], berk[2], berk[3], os.path.getsize(ko)), ""]
    mem = d["mem"]
    if mem:
        base = mem[0][1]
        rows = []
        for phase, v in mem:
            rows.append([phase] + ["%d (%+d)" % (v.get(k, 0),
                                                 v.get(k, 0) - base.get(k, 0))
                                   for k in MEM_KEYS] +
                        [v.get("module", "-")])
        out += ["Memory in the VM, kB (change from before loading), after "
                "dropping clean caches:", ""]
        out += table(["phase"] + list(MEM_KEYS) + ["/proc/modules size"],
                     rows)
        slab = d["slab"]
        for a, b in (("unloaded", "loaded"), ("loaded", "queried"),
                     ("unloaded", "removed")):
            if a not in slab or b not in slab:
                continue
            delta = {n: slab[b].get(n, 0) - slab[a].get(n, 0)
                     for n in set(slab[a]) | set(slab[b])}
            top = sorted((x for x in delta.items() if x[1]),
                         key=lambda x: -abs(x[1]))[:6]
            out += ["", "Slab caches, %s → %s: total %+d bytes; largest "
                    "changes: %s" % (a, b, sum(delta.values()),
                                     ", ".join("%s %+d" % x for x in top)
                                     or "none")]
    return out


def scaling(results, outdir):
    """results: [(vcpus, parsed)] -> tables, plot."""
    series = [  # key, section, label, per call (batches) or whole process
        ("nl_cpu_dump", "scale", "nl_cpu_dump", True),
        ("nl_snapshot", "scale", "nl_snapshot", True),
        ("msr_all", "scale", "msr_all", True),
        ("dom0gpu-stat --json", "scale", "dom0gpu-stat --json", False),
        ("rdmsr -a 0x277", "scale", "rdmsr -a 0x277", False),
        ("cat /proc/cpuinfo", "scale", "cat /proc/cpuinfo", False),
        ("insmod", "load", "insmod", False),
    ]
    pts = {}  # key -> [(vcpus, stats)]
    rows = []
    for n, d in results:
        row = [n, d["check"].get("nl_cpu_dump", ["", "cpus=?"])[1][5:]]
        for key, sec, label, per_call in series:
            v = d["data"].get(sec, {}).get(label)
            if not v:
                row.append("-")
                continue
            xs = [t / v[0] for t in v[1]] if per_call else v[1]
            s = stats(xs)
            pts.setdefault(key, []).append((n, s))
            f = us if per_call else ms
            row.append("%s (%s–%s) min %s" % (f(s["med"]), f(s["q1"]),
                                              f(s["q3"]), f(s["min"])))
        rows.append(row)
    out = ["Median (IQR) and minimum per vCPU count; netlink and "
           "`/dev/cpu/*/msr` in one process in µs per call (batches of "
           "calls), whole processes in ms:", ""]
    out += table(["vCPUs", "CPUs in dump", "nl_cpu_dump µs",
                  "nl_snapshot µs", "msr_all µs", "dom0gpu-stat --json ms",
                  "rdmsr -a 0x277 ms", "cat /proc/cpuinfo ms", "insmod ms"],
                 rows)
    fits, lines = [], {}
    for key, _, _, per_call in series:
        p = pts.get(key, [])
        if len(p) < 2:
            continue
        row = [key]
        for which in ("med", "min"):
            a, b, r2 = fit([x[0] for x in p], [x[1][which] for x in p])
            row += ["%.2f µs" % (b / 1e3), "%.1f µs" % (a / 1e3), "%.3f" % r2]
            lines[(key, which)] = (a / 1e3, b / 1e3)
        fits.append(row)
    out += ["", "Least-squares lines, time = fixed + per CPU × vCPUs, "
            "through the medians and through the minimums (the least "
            "disturbed runs):", ""]
    out += table(["measure", "per CPU (med)", "fixed (med)", "R² (med)",
                  "per CPU (min)", "fixed (min)", "R² (min)"], fits)
    # The plot, from these numbers: medians (filled) and minimums (open),
    # each with its fitted line.
    dat = os.path.join(outdir, "scaling.dat")
    keys = [s[0] for s in series]
    with open(dat, "w") as f:
        f.write("# vcpus, then median and minimum in µs of: " +
                " ".join('"%s"' % k for k in keys) + "\n")
        for n, _ in results:
            vals = []
            for key in keys:
                st = dict(pts.get(key, [])).get(n)
                for which in ("med", "min"):
                    vals.append("%.3f" % (st[which] / 1e3) if st else "NaN")
            f.write("%d %s\n" % (n, " ".join(vals)))

    def line(key, title, scale=1.0):
        i = keys.index(key)
        col = 2 + 2 * i
        out = []
        for which, c, pt, dt in (("med", col, 7, 1), ("min", col + 1, 6, 2)):
            a, b = lines.get((key, which), (float("nan"), float("nan")))
            out.append("'%s' using 1:($%d/%g) with points pt %d lc %d title "
                       "\"%s (%s)\", (%g + %g*x)/%g with lines dt %d lc %d "
                       "notitle" % (dat, c, scale, pt, i + 1, title,
                                    "median" if which == "med" else "min",
                                    a, b, scale, dt, i + 1))
            out[-1] = out[-1].replace("nan", "NaN")
        return ", ".join(out)
    png = os.path.join(outdir, "scaling.png")
    gp = "\n".join([
        'set terminal pngcairo size 1500,640 font ",10" noenhanced',
        "set output '%s'" % png,
        'set multiplot layout 1,3 title "dom0gpu scaling with vCPUs '
        '(QEMU TCG, Linux %s): medians (filled), minimums (open), least-squares lines"' % KERNEL,
        "set key below", "set grid", 'set xlabel "vCPUs"',
        "set xrange [0:*]", "set yrange [0:*]",
        'set ylabel "µs per call (in one process)"',
        'set title "dom0gpu netlink, one call"',
        "plot " + ", ".join([
            line("nl_cpu_dump", "GET_CPU dump (PAT of every CPU)"),
            line("nl_snapshot", "GET_SNAPSHOT (every fact)")]),
        'set title "/dev/cpu/N/msr, PAT of every CPU, one pass"',
        "plot " + line("msr_all", "open+pread+close per CPU"),
        'set ylabel "ms per process"', 'set title "Whole processes"',
        "plot " + ", ".join([
            line("dom0gpu-stat --json", "dom0gpu-stat --json", 1000),
            line("rdmsr -a 0x277", "rdmsr -a 0x277", 1000),
            line("cat /proc/cpuinfo", "cat /proc/cpuinfo", 1000),
            line("insmod", "insmod dom0gpu.ko", 1000)]),
        "unset multiplot", ""])
    with open(os.path.join(outdir, "scaling.gp"), "w") as f:
        f.write(gp)
    subprocess.check_call(["gnuplot", os.path.join(outdir, "scaling.gp")])
    out += ["", "Plot: `%s` (data `%s`, script `%s`)." %
            tuple(os.path.relpath(p, TOP) for p in
                  (png, dat, os.path.join(outdir, "scaling.gp")))]
    return out


def machine(d, k, start, xen_d):
    load_end = " ".join(open("/proc/loadavg").read().split()[:3])
    return [
        "- Date: %s UTC (run took %.0f min)" % (
            datetime.datetime.utcfromtimestamp(start).strftime(
                "%Y-%m-%d %H:%M"), (time.time() - start) / 60),
        "- Source: `git describe --always --dirty` = %s" % sh(
            ["git", "-C", TOP, "describe", "--always", "--dirty"]).strip(),
        "- Host: %d CPUs (%s), Linux %s, %s" % (
            os.cpu_count(), cpu_model(), platform.release(), qemu_version()),
        "- Host load average (1, 5, 15 min) at the start: %s, at the end: "
        "%s; the host ran other builds and VMs meanwhile" % (LOAD_AT_START,
                                                            load_end),
        "- Guest: Linux %s, QEMU `-accel %s %s`, guest "
        "clocksource %s, guest CPU \"%s\"" % (
            d["env"].get("kernel", k["rel"]),
            scenarios.NATIVE_ACCEL, " ".join(scenarios.NATIVE_MACHINE),
            d["env"].get("clocksource", "?"),
            d["env"].get("cpu_model", "?")),
        "- Guest PAT (kernel log): `%s`" % d["env"].get("pat_log", "?"),
        "- Xen: %s" % ("Xen %s with a PV dom0 (Linux %s) in section 1b "
                       "only; everything else runs native Linux guests" % (
                           xen_d["xen"], xen_d["kernel"]) if xen_d else
                       "not used (native Linux guests)"),
    ]


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for ln in f:
            if ln.startswith("model name"):
                return ln.split(":", 1)[1].strip()
    return "?"


def qemu_version():
    return sh(["qemu-system-x86_64", "--version"]).splitlines()[0]


LOAD_AT_START = ""


def main():
    global LOAD_AT_START
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=50,
                    help="whole-process runs per command (item 1)")
    ap.add_argument("--scale-runs", type=int, default=20,
                    help="whole-process runs per command and vCPU count")
    ap.add_argument("--calls", type=int, default=100,
                    help="calls per timed batch (items 2, 3)")
    ap.add_argument("--batches", type=int, default=20,
                    help="timed batches (items 2, 3)")
    ap.add_argument("--scale-calls", type=int, default=20,
                    help="calls per timed batch (item 2)")
    ap.add_argument("--scale-batches", type=int, default=15,
                    help="timed batches (item 2)")
    ap.add_argument("--queries", type=int, default=10000,
                    help="queries before the footprint's last reading")
    ap.add_argument("--vcpus", default="1,8,32,64",
                    help="vCPU counts for the scaling VMs")
    ap.add_argument("--items", default="report,iface,footprint,scale,xen-pv",
                    help="what to run (report iface footprint scale xen-pv)")
    ap.add_argument("--out", default=BUILD, help="output directory")
    a = ap.parse_args()
    items = a.items.split(",")
    start = time.time()
    LOAD_AT_START = " ".join(open("/proc/loadavg").read().split()[:3])
    os.makedirs(a.out, exist_ok=True)
    common = build_common()
    k = dict(harness.kernel(KERNEL), name=KERNEL)
    build_kernel(k, common)
    if "xen-pv" in items:
        kx = dict(harness.kernel(XEN_PV_KERNEL), name=XEN_PV_KERNEL)
        build_kernel(kx, common)
    env = [("D0G_BENCH_RUNS", str(a.runs)),
           ("D0G_BENCH_SRUNS", str(a.scale_runs)),
           ("D0G_BENCH_CALLS", str(a.calls)),
           ("D0G_BENCH_BATCHES", str(a.batches)),
           ("D0G_BENCH_SCALLS", str(a.scale_calls)),
           ("D0G_BENCH_SBATCHES", str(a.scale_batches)),
           ("D0G_BENCH_QUERIES", str(a.queries))]
    ok = True
    raw = []
    main_d = None
    main_items = [i for i in ("report", "iface", "footprint") if i in items]
    if "report" in items:
        main_items.insert(1, "report-noaslr")
    if main_items:
        lines, wall, good = boot(k, 2, " ".join(main_items), env, 900)
        ok &= good
        raw += ["## 2 vCPUs: " + " ".join(main_items)] + lines
        main_d = parse(lines)
    results = []
    if "scale" in items:
        for n in [int(x) for x in a.vcpus.split(",")]:
            lines, wall, good = boot(k, n, "scale", env,
                                     600 if n <= 32 else 1200)
            ok &= good
            raw += ["## %d vCPUs: scale" % n] + lines
            if good:
                results.append((n, parse(lines)))
    xen_d = None
    if "xen-pv" in items:
        lines, wall, good = boot(kx, 2, "report", env, 900,
                                 xen=harness.xen_image())
        ok &= good
        raw += ["## Xen PV dom0, 2 vCPUs: report"] + lines
        xen_d = parse(lines)
        xen_d["xen"] = next((m.group(1) for m in (
            re.search(r"\(XEN\) Xen version (\S+)", ln) for ln in lines)
            if m), "?")
        xen_d["kernel"] = kx["rel"]
    with open(os.path.join(a.out, "vm-raw.txt"), "w") as f:
        f.write("\n".join(raw) + "\n")
    md = ["# dom0gpu VM benchmarks (make bench)", ""]
    ref = main_d or (results[0][1] if results else dict(env={}))
    md += machine(ref, k, start, xen_d) + [
        "- Command: `%s`" % " ".join(["bench/vm/bench.py"] + sys.argv[1:]),
        "", "TCG timings are only meaningful as ratios within one run.", ""]
    bad = []
    for d in ([main_d] if main_d else []) + [d for _, d in results]:
        bad += check_failures(d)
    if xen_d:
        bad += check_failures(xen_d, no_mtrr=True)
    if main_d and "report" in main_items:
        md += ["## 1. Report cost (2 vCPUs, module loaded, no probe)",
               ""] + report_cost(main_d) + [""]
    if main_d and "report_noaslr" in main_d["data"]:
        md += ["### 1a. The same without address-space randomisation", "",
               "`randomize_va_space=0` in the same VM, right after the "
               "table above: TCG then reuses the code it translated for a "
               "program at its earlier starts, as a real CPU's caches "
               "would.", ""] + report_cost(main_d, "report_noaslr") + [""]
    if xen_d:
        md += ["### 1b. The same in a Xen PV dom0", "",
               "Xen %s (`%s`), dom0 Linux %s as PV, 2 vCPUs, the harness's "
               "xen-pv scenario (`-accel tcg`, `%s`):" % (
                   xen_d["xen"], scenarios.XEN_PV_CMDLINE, xen_d["kernel"],
                   " ".join(scenarios.XEN_MACHINE)), ""]
        md += report_cost(xen_d) + [""]
        md += ["`rdmsr -a 0x277` printed (one line per CPU): %s. "
               "`cat /proc/mtrr` printed: %s. `dom0gpu-stat` exits with its "
               "verdict (0 ready, 1 blocked, 2 unknown)." % (
                   ", ".join("`%s`" % x for x in
                             xen_d["out"].get("rdmsr -a 0x277", [])),
                   ", ".join("`%s`" % x for x in
                             xen_d["out"].get("cat /proc/mtrr", [])))]
        md += [""]
    if results:
        md += ["## 2. Scaling with vCPUs", ""] + scaling(results, a.out) + [""]
    if main_d and "iface" in main_items:
        md += ["## 3. Interface cost (2 vCPUs, per call)", ""]
        md += iface_cost(main_d) + ["", "What each interface answered:", ""]
        md += ["- " + c for c in checks(main_d)] + [""]
    if main_d and "footprint" in main_items:
        md += ["## 4. Footprint (%d netlink snapshots + %d per-CPU dumps "
               "between \"loaded\" and \"queried\")" % (a.queries,
                                                        a.queries), ""]
        md += footprint(main_d, k["ko"]) + [""]
    md += ["Raw numbers: `%s`." % os.path.relpath(
        os.path.join(a.out, "vm-raw.txt"), TOP)]
    with open(os.path.join(a.out, "vm-results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))
    for b in bad:
        print("bench: %s" % b, file=sys.stderr)
    return 0 if ok and not bad else 1


if __name__ == "__main__":
    sys.exit(main())
