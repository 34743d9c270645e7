#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boots QEMU scenarios many times and counts how each boot ended.

  bootloop.py [-n BOOTS] [-j JOBS] [--accel A]... [--cpu MODEL]...
              [--pcpus N]... [--paging hap|shadow]... [--without-module]
              [--cycles N]
              [--pause S]... [--groups G] [--nudge S] [--tests T]
              [--deadline S] [--log FILE] [--timeout S] LABEL...

Each boot is short: the VM boots, loads dom0gpu.ko (or, with
--without-module, also boots without it), takes every CPU but the boot CPU
offline and online again N rounds (--pause: resting S seconds after
each step; --cycles 0: runs the scenario's test programs instead, or
those --tests names), and powers off; make check's harness checks (booted,
completed, no WARN/oops on the console) decide pass or fail. --pcpus
boots a Xen scenario on N emulated CPUs with its dom0 keeping its vCPUs
(scenarios.with_pcpus, which a scenario of make check would use);
--paging boots a PVH dom0 on Xen's HAP (QEMU's emulated NPT) or on shadow
paging (scenarios.with_paging, likewise); --cpu boots QEMU's -cpu MODEL
instead of the scenario's own. The arms (scenario x pcpus x paging x accel
x cpu x module x pause) are interleaved and run
JOBS at a time, like make check's VMs, so they share the same host load. Every
failure is classified by its console (faults.py): a platform fault before
dom0gpu was loaded, or anything after. --nudge S probes a console silent
for S seconds (class Nudge) and counts which probe ended each stall.
Console logs stay in build/vm/last/. The host's load average is printed
at start and end.
"""

import argparse
import collections
import concurrent.futures
import itertools
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faults  # noqa: E402
import run  # noqa: E402
import scenarios  # noqa: E402

ROUND = re.compile(r"# hotplug round \d+: (\d+) cycles")
Arm = collections.namedtuple("Arm", "scenario module pause")


def pcpus(s):
    return s.pcpus or s.vcpus


def cpu(s):
    return s.machine[s.machine.index("-cpu") + 1]


def with_cpu(s, model):
    i = s.machine.index("-cpu") + 1
    return s._replace(machine=s.machine[:i] + [model] + s.machine[i + 1:])


def arm_name(a):
    return "%s accel=%s cpu=%s pcpus=%d paging=%s %s pause=%ss" % (
        scenarios.label(a.scenario), a.scenario.accel, cpu(a.scenario),
        pcpus(a.scenario), scenarios.paging(a.scenario) or "-",
        "module" if a.module else "no-module", a.pause)


class Nudge:
    """--nudge S: a console silent for S seconds gets one probe per S more
    of silence, each waking less of the machine than the next: a QMP query
    (wakes QEMU's main loop, which runs its timers; the guest sees
    nothing), then a key Xen ignores on the serial port (an interrupt to
    the Xen CPU that owns the UART; run.py has taken Xen's input from
    dom0), then Xen's dump of dom0's vCPUs (run.XEN_DUMP_KEYS); after
    that the boot is stopped as hung. Nothing else nudges such a boot.
    The probe the console resumed after tells what the stall waited for."""

    STEPS = ("qmp", "serial", "xen-dump")

    def __init__(self, after, xen):
        self.after = after
        # A native VM's serial port is /init's stdin: only the QMP probe.
        self.steps = self.STEPS if xen else self.STEPS[:1]
        self.qmp = None
        self.step = 0
        self.released = collections.Counter()
        self.stopped = False

    def silent(self, quiet, keys, add):
        """run.Console's hook while the console is silent; keys sends bytes
        to the serial port. True: stop the boot."""
        if quiet < self.after * (self.step + 1):
            return False
        if self.step == len(self.steps):
            add(run.HARNESS_LINE + "silent for %d s after every probe: "
                "stopped" % quiet)
            self.stopped = True
            return True
        what = self.steps[self.step]
        add(run.HARNESS_LINE + "silent for %d s: probe %s" % (quiet, what))
        if what == "qmp":
            try:
                self.query_qmp()
            except OSError as e:
                add(run.HARNESS_LINE + "probe qmp failed: %s" % e)
        else:
            keys(run.XEN_NO_OP_KEY if what == "serial"
                 else run.XEN_DUMP_KEYS)
        self.step += 1
        return False

    def output(self, quiet, add):
        if self.step:
            what = self.steps[self.step - 1]
            # Xen's dump answers the probe itself: no sign of life.
            if what == "xen-dump":
                return
            add(run.HARNESS_LINE + "console back after %.0f s, following "
                "probe %s" % (quiet, what))
            self.released[what] += 1
        self.step = 0

    def query_qmp(self):
        with socket.socket(socket.AF_UNIX) as c:
            c.settimeout(5)
            c.connect(self.qmp)
            c.recv(4096)
            c.sendall(b'{"execute": "qmp_capabilities"}\n'
                      b'{"execute": "query-status"}\n')
            c.recv(4096)


def one_boot(a, k, xen, n, cycles, cpusets, deadline, nudge, tests):
    """One boot on a free CPU group; None once the deadline has passed."""
    if deadline and time.time() > deadline:
        return None
    # Linux applies sched_setaffinity(0) to the calling thread only, and
    # QEMU, started from this thread, inherits it.
    cpus = cpusets.get()
    try:
        if cpus:
            os.sched_setaffinity(0, cpus)
        return boot_once(a, k, xen, n, cycles, nudge, tests)
    except (OSError, subprocess.SubprocessError) as e:
        return dict(tag="%s-%d" % (arm_name(a), n), outcome="harness_error",
                    wall=0, cpu=0, fault=str(e), hotplug="", cycles=0,
                    released=collections.Counter(), silence=0, nudges=0,
                    woken=0)
    finally:
        cpusets.put(cpus)


def boot_once(a, k, xen, n, cycles, nudge, tests):
    s = a.scenario
    tag = "bootloop-%s-%s-%s-c%d-%s-%s-p%s-%d" % (
        run.slug(scenarios.label(s)),
        s.accel.replace(",", "_").replace("=", ""),
        re.sub(r"[^A-Za-z0-9]+", "_", cpu(s)), pcpus(s),
        scenarios.paging(s) or "np", "mod" if a.module else "nomod",
        a.pause, n)
    env = [("D0G_LOAD_MODULE", "1" if a.module else "0")]
    if cycles:
        env += [("D0G_HOTPLUG_CYCLES", str(cycles)),
                ("D0G_HOTPLUG_PAUSE", str(a.pause))]
    elif tests:
        env.append(("D0G_TESTS", tests))
    stall = Nudge(nudge, s.xen_cmdline is not None) if nudge else None
    lines, wall, rc = run.boot(s, k, xen, tag, env, stall=stall)
    programs, h, _ = run.collect(s, tag, lines, rc, wall)
    failed = h.failed + sum(p.failed for p in programs)
    fault = faults.classify(lines)
    if not failed:
        outcome = "pass"
    elif fault:
        outcome = "%s:%s" % fault[:2]
    elif stall and stall.stopped:
        outcome = "hang"
    elif rc in (124, 137):
        outcome = "timeout"
    else:
        outcome = "failed"
    hot = [ln for ln in lines if "CPU offline/online cycles" in ln]
    # Cycles made, also by a boot that died inside the loop.
    rounds = [m.group(1) for m in map(ROUND.search, lines) if m]
    done = int(rounds[-1]) if rounds else 0
    return dict(tag=tag, outcome=outcome, wall=wall, cycles=done,
                cpu=run.CPU_SECONDS.get(tag, 0),
                fault=fault[2] if fault else "",
                hotplug=hot[0].lstrip("# ") if hot else "",
                released=stall.released if stall else collections.Counter(),
                silence=lines.longest_boot_silence,
                nudges=lines.nudge_count,
                woken=sum(w < 2 for w in lines.nudges))


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("labels", nargs="+", help="name/kernel, e.g. xen-pvh/6.12")
    ap.add_argument("-n", "--boots", type=int, default=20,
                    help="boots per arm (default 20)")
    ap.add_argument("-j", "--jobs", type=int, default=2,
                    help="VMs at a time (default 2, as make check)")
    ap.add_argument("--accel", action="append",
                    help="QEMU -accel value(s) to compare (default: each "
                    "scenario's own)")
    ap.add_argument("--cpu", action="append",
                    help="QEMU -cpu model(s) to compare, e.g. qemu64 "
                    "(default: each scenario's own)")
    ap.add_argument("--pcpus", action="append", type=int,
                    help="emulated CPUs of a Xen scenario to compare, its "
                    "dom0 keeping its vCPUs (default: each scenario's own)")
    ap.add_argument("--paging", action="append",
                    choices=scenarios.PAGING_MODES,
                    help="paging of a Xen PVH dom0 to compare: hap (QEMU's "
                    "emulated NPT) or shadow (Xen's dom0=pvh,shadow) "
                    "(default: each scenario's own)")
    ap.add_argument("--without-module", action="store_true",
                    help="also boot each arm without loading dom0gpu.ko")
    ap.add_argument("--cycles", type=int, default=10,
                    help="CPU offline/online rounds per boot (default 10); "
                    "0: the scenario's test programs instead, as make "
                    "check runs them")
    ap.add_argument("--tests", default="",
                    help="with --cycles 0, only these test programs "
                    "(D0G_TESTS, space-separated)")
    ap.add_argument("--pause", action="append", type=float,
                    help="seconds of rest after each CPU offline and each "
                    "online, to compare (default: 0, back to back)")
    ap.add_argument("--groups", type=int, default=1,
                    help="on a bigger host: G groups of 2 host CPUs (0-1, "
                    "2-3, ...), each running JOBS VMs at a time (default 1: "
                    "no pinning)")
    ap.add_argument("--deadline", type=int, default=0,
                    help="start no boot after this many seconds; the table "
                    "counts the boots made")
    ap.add_argument("--log", help="also write one line per boot here")
    ap.add_argument("--timeout", type=int, default=300,
                    help="seconds one boot may take (default 300)")
    ap.add_argument("--nudge", type=int, default=0,
                    help="probe a console silent for S seconds (class "
                    "Nudge says how) and count what ended each stall")
    args = ap.parse_args()
    if args.tests and args.cycles:
        print("--tests needs --cycles 0: the hotplug loop runs no tests",
              file=sys.stderr)
        return 2

    chosen = [s for s in scenarios.SCENARIOS
              if scenarios.label(s) in args.labels]
    unknown = set(args.labels) - {scenarios.label(s) for s in chosen}
    if unknown:
        print("no such scenario: %s" % " ".join(sorted(unknown)),
              file=sys.stderr)
        return 2
    arms = []
    for s in chosen:
        try:
            variants = [s if n == pcpus(s) else scenarios.with_pcpus(s, n)
                        for n in args.pcpus or [pcpus(s)]]
            variants = [v if m == scenarios.paging(v)
                        else scenarios.with_paging(v, m)
                        for v in variants
                        for m in args.paging or [scenarios.paging(v)]]
        except ValueError as e:
            print(e, file=sys.stderr)
            return 2
        for sn in variants:
            for accel, model, module, pause in itertools.product(
                    args.accel or [s.accel], args.cpu or [cpu(s)],
                    (True, False) if args.without_module else (True,),
                    args.pause or [0]):
                # No 9p share: the hotplug loop does not need the host.
                arms.append(Arm(with_cpu(sn, model)._replace(
                    accel=accel, hostroot=False, timeout_s=args.timeout),
                    module, "%g" % pause))

    os.makedirs(run.RUNDIR, exist_ok=True)
    last = os.path.join(run.VMDIR, "last")
    try:
        os.symlink(os.path.basename(run.RUNDIR), last + ".new")
        os.replace(last + ".new", last)
    except OSError:
        pass
    try:
        return measure(args, chosen, arms)
    finally:
        # Keep the console logs, drop the bulky images (as run.py does).
        for name in os.listdir(run.RUNDIR):
            path = os.path.join(run.RUNDIR, name)
            if name.endswith(".cpio.gz.d"):
                shutil.rmtree(path, ignore_errors=True)
            elif name.endswith(".cpio.gz"):
                os.unlink(path)


def measure(args, chosen, arms):
    kcache = {}
    xen = run.xen_image()
    for s in chosen:
        run.prepare_kernel(s.kernel, kcache)

    print("# bootloop %s: %d boots per arm, %d at a time, %d hotplug rounds"
          % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), args.boots,
             args.jobs, args.cycles))
    cpusets = queue.Queue()
    for g in range(args.groups):
        for _ in range(args.jobs):
            cpusets.put({2 * g, 2 * g + 1} if args.groups > 1 else None)
    if args.groups > 1:
        print("# %d groups of 2 host CPUs, %d VMs at a time in each" %
              (args.groups, args.jobs))
    print("# load average at start: %s" % loadavg())
    start = time.time()
    deadline = start + args.deadline if args.deadline else 0
    log = open(args.log, "w") if args.log else None
    res = [[] for _ in arms]
    with concurrent.futures.ThreadPoolExecutor(
            max_workers=args.jobs * args.groups) as ex:
        futs = []
        # Round robin over the arms, so every arm sees the same load.
        for n in range(args.boots):
            for i, a in enumerate(arms):
                futs.append((i, ex.submit(one_boot, a,
                                          kcache[a.scenario.kernel], xen, n,
                                          args.cycles, cpusets, deadline,
                                          args.nudge, args.tests)))
        for i, f in futs:
            r = f.result()
            if r is None:
                continue
            res[i].append(r)
            if log:
                log.write("%s\t%s\t%.1f\t%.1f\t%s\t%s\t%s\t%.0f\t%d\t%d\n"
                          % (r["tag"], r["outcome"], r["wall"], r["cpu"],
                             r["fault"], r["hotplug"], dict(r["released"]),
                             r["silence"], r["nudges"], r["woken"]))
                log.flush()
            if r["nudges"]:
                print("# %s: %d nudges, %d silences ended within 2 s of "
                      "one %s" % (arm_name(arms[i]), r["nudges"], r["woken"],
                                  r["tag"]), flush=True)
            if r["released"]:
                print("# %s: stalls ended after probes %s %s" % (
                    arm_name(arms[i]), dict(r["released"]), r["tag"]),
                    flush=True)
            if r["outcome"] != "pass":
                print("# %s: %s (%s) %s" % (arm_name(arms[i]), r["outcome"],
                                            r["fault"], r["tag"]), flush=True)
    if log:
        log.close()
    print("# load average at end: %s; %.0f s" % (loadavg(),
                                                 time.time() - start))
    print("| scenario | accel | cpu | pcpus | paging | module | pause s "
          "| boots "
          "| cycles | pass | fault before module | failure after module "
          "| other | stalls ended by a probe | nudges (silences ended "
          "within 2 s) | longest boot silence s "
          "| median wall s | median CPU s |")
    print("| --- | --- | --- | ---: | --- | --- | ---: | ---: | ---: | ---: "
          "| --- | --- | --- | --- | --- | ---: | ---: | ---: |")
    bad = 0
    for a, rs in zip(arms, res):
        if not rs:
            continue
        c = collections.Counter(r["outcome"] for r in rs)
        before = {k.split(":", 1)[1]: v for k, v in c.items()
                  if k.startswith("before_module:")}
        after = {k.split(":", 1)[1]: v for k, v in c.items()
                 if k.startswith("after_module:")}
        other = {k: v for k, v in c.items()
                 if k != "pass" and ":" not in k}
        bad += len(rs) - c["pass"]

        def fmt(d):
            return ", ".join("%d %s" % (v, k) for k, v in sorted(d.items())) \
                or "0"
        released = sum((r["released"] for r in rs), collections.Counter())
        print("| %s | %s | %s | %d | %s | %s | %s | %d | %d | %d | %s | %s "
              "| %s | %s | %d (%d) | %.0f | %.0f | %.0f |" %
              (scenarios.label(a.scenario), a.scenario.accel,
               cpu(a.scenario), pcpus(a.scenario),
               scenarios.paging(a.scenario) or "-",
               "yes" if a.module else "no", a.pause,
               len(rs),
               sum(r["cycles"] for r in rs), c["pass"], fmt(before),
               fmt(after), fmt(other), fmt(released),
               sum(r["nudges"] for r in rs), sum(r["woken"] for r in rs),
               max(r["silence"] for r in rs),
               statistics.median(r["wall"] for r in rs),
               statistics.median(r["cpu"] for r in rs)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
