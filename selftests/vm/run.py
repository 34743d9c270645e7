#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Runs dom0gpu's checks and prints KTAP plus one summary line.

  run.py check   static checks (W=1 build matrix, 7.2 compile check,
                 sparse, checkpatch), tools, host tests and the VM kernels'
                 initramfs (nvidia.ko builds included), JOBS at a time,
                 then every QEMU scenario and the harness self-test (a
                 WARN must be fatal)
  run.py vm [LABEL...]   only the QEMU scenarios (e.g. xen-pv/6.1)
  run.py demo    boot Xen PV and PVH dom0, show dom0gpu-stat in each

The last line is "N passed, M failed[, K skipped]", counting test cases
(KTAP results) of every scenario, host test and check; the exit status is
non-zero when anything failed.
"""

import argparse
import base64
import concurrent.futures
import gzip
import hashlib
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faults  # noqa: E402
import scenarios  # noqa: E402
import nvdriver  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILD = os.path.join(TOP, "build")
VMDIR = os.path.join(BUILD, "vm")
# Everything one run makes (module builds, initramfs, console logs) goes to
# its own folder, so runs of the same tree do not trample each other.
RUNDIR = os.path.join(VMDIR, "run-%d" % os.getpid())
CACHE = os.environ.get("D0G_CACHE", "/var/cache/dom0gpu")
SRC612 = os.path.join(CACHE, "linux-source-6.12")
VERBOSE = os.environ.get("V") == "1"
# Host variables handed to the tests in the VMs (make check-long and
# check-debug set them): fuzzing and stress sizes, the per-test timeout,
# and D0G_TESTS, the only VM programs to run (a developer's shortcut).
PASS_ENV = ("D0G_FUZZ_ITERATIONS", "D0G_FUZZ_SECONDS", "D0G_FUZZ_SEED",
            "D0G_STRESS_SECONDS", "D0G_TEST_TIMEOUT", "D0G_TESTS")

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>c]")
RESULT = re.compile(r"^(not ok|ok)\s+(\d+)\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$")
PLAN = re.compile(r"^1\.\.(\d+)")
# Signs of a kernel or Xen failure on the console.
FATAL = re.compile(r"WARNING: CPU: \d+ PID|\bBUG: |\bOops\b|Kernel panic"
                   r"|general protection fault|Panic on CPU|UBSAN:|KASAN:"
                   r"|Call Trace:")


def step(tag, what):
    print("  %-7s %s" % (tag, what), flush=True)


def clean(line):
    return ANSI.sub("", line).replace("\r", "").rstrip("\n")


class Result:
    """Counted test cases of one block (a program, a scenario's checks)."""

    def __init__(self, title):
        self.title = title
        self.lines = []       # KTAP text to print
        self.passed = self.failed = self.skipped = 0

    def case(self, ok, name, directive=None):
        n = self.passed + self.failed + self.skipped + 1
        if directive and directive.upper().startswith("SKIP"):
            self.skipped += 1
        elif ok:
            self.passed += 1
        else:
            self.failed += 1
        self.lines.append("%s %d %s%s" % ("ok" if ok else "not ok", n, name,
                                          " # " + directive if directive
                                          else ""))

    def add(self, other):
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped


def parse_ktap(name, lines, rc):
    """Counts a program's top-level KTAP results; a crash or a missing
    result counts as a failure."""
    r = Result(name)
    plan = None
    seen = 0
    for line in lines:
        r.lines.append(line)
        m = PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = RESULT.match(line)
        if not m:
            continue
        seen += 1
        directive = m.group(4) or ""
        if directive.upper().startswith("SKIP"):
            r.skipped += 1
        elif m.group(1) == "ok":
            r.passed += 1
        else:
            r.failed += 1
    if plan is not None and seen < plan:
        r.lines.append("# %s: %d of %d planned results missing" %
                       (name, plan - seen, plan))
        r.failed += plan - seen
    if rc is None:
        r.lines.append("# %s: did not finish" % name)
        if r.failed == 0:
            r.failed += 1
    elif rc not in (0, 4) and r.failed == 0:
        r.lines.append("# %s: exit status %d" % (name, rc))
        r.failed += 1
    elif seen == 0 and plan is None:
        if rc == 4:
            r.skipped += 1
        elif rc == 0:
            r.lines.append("# %s: no KTAP results" % name)
            r.failed += 1
    return r


def run_quiet(cmd, log, cwd=TOP, env=None):
    """Runs cmd, output to log; returns (rc, output)."""
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, env=env,
                       universal_newlines=True, errors="replace")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    with open(log, "w") as f:
        f.write(p.stdout)
    if VERBOSE:
        sys.stdout.write(p.stdout)
    return p.returncode, p.stdout


def kout(k):
    """This run's build folder of dom0gpu.ko for kernel k."""
    return os.path.join(RUNDIR, "kmod", k["rel"])


def kernel(name):
    out = subprocess.check_output([os.path.join(HERE, "kernels.sh"), name],
                                  universal_newlines=True).split()
    return dict(rel=out[0], kdir=out[1], vmlinuz=out[2], modroot=out[3])


# ---------------------------------------------------------------- static

WARNING = re.compile(r"warning:|WARNING:|error:|ERROR:", re.I)


def build_module(kname, extra=(), tag=None):
    """Builds dom0gpu.ko for one kernel; fails on any warning or error."""
    k = kernel(kname)
    tag = tag or "module_build_%s_W1" % kname
    step("BUILD", "dom0gpu.ko for %s (%s) W=1%s" %
         (kname, k["rel"], " " + " ".join(extra) if extra else ""))
    # In a fresh folder, so every warning shows, not only those of files
    # changed since the last build.
    rc, out = run_quiet(["make", "--no-print-directory", "module",
                         "KDIR=" + k["kdir"], "KOUT=" + kout(k), "W=1"] +
                        list(extra), os.path.join(RUNDIR, tag + ".log"))
    bad = [ln for ln in out.splitlines() if WARNING.search(ln)]
    return rc == 0 and not bad, tag, out if (rc or bad) else ""


def checkpatch():
    step("CHECK", "checkpatch --strict kmod/ uapi/")
    files = []
    for d in ("kmod", "uapi"):
        for root, _, names in os.walk(os.path.join(TOP, d)):
            files += [os.path.relpath(os.path.join(root, n), TOP)
                      for n in sorted(names) if n.endswith((".c", ".h"))]
    cmd = [os.path.join(SRC612, "scripts", "checkpatch.pl"), "--strict",
           "--no-tree", "--terse", "--show-types", "-f"] + sorted(files)
    rc, out = run_quiet(["perl"] + cmd,
                        os.path.join(RUNDIR, "checkpatch.log"))
    return rc == 0, "checkpatch_strict", out if rc else ""


def uapi_check():
    """The netlink spec validates against the kernel's schema and the
    committed uapi header is what ynl-gen-c.py makes of it."""
    step("CHECK", "uapi spec and generated header")
    rc, out = run_quiet(["make", "--no-print-directory", "-C", "uapi",
                         "check"], os.path.join(RUNDIR, "uapi.log"))
    return rc == 0, "uapi_spec_and_header", out if rc else ""


STATIC_KERNELS = ("6.1", "6.12", "5.10", "7.2")
STATIC_ORDER = ["module_build_%s_W1" % k for k in STATIC_KERNELS] + \
    ["sparse", "checkpatch_strict", "uapi_spec_and_header"]


def kernel_task(kname, vm_kernels, kcache, kfailed):
    """Everything of one kernel before the VMs boot: the W=1 build (and,
    on 6.12, sparse, which reuses its folder), then, for a kernel the VMs
    boot, NVIDIA's nvidia.ko when not cached and the initramfs."""
    done = []
    if kname in STATIC_KERNELS:
        done.append(build_module(kname))
        if kname == "6.12":
            done.append(build_module(kname, extra=["C=2", "CHECK=sparse"],
                                     tag="sparse"))
    if kname in vm_kernels:
        try:
            prepare_kernel(kname, kcache)
        except (subprocess.CalledProcessError, OSError, RuntimeError) as e:
            kfailed[kname] = e
    return done


def static_block(outcomes):
    """The static checks' KTAP block, in one order whatever order their
    tasks finished in."""
    r = Result("static checks")
    for tag in STATIC_ORDER:
        ok, out = outcomes[tag]
        if not ok:
            r.lines += ["# " + ln for ln in out.splitlines()]
        r.case(ok, tag)
    return r


# ------------------------------------------------------------ host side

def host_builds(jobs):
    """The test programs and the tools; the host suites need both."""
    r = Result("host")
    builds = [("selftests", "selftests_build", ["-C", "selftests", "progs"],
               "progs.log")]
    if os.path.exists(os.path.join(TOP, "tools", "Makefile")):
        builds.append(("tools", "tools_build", ["-C", "tools", "all", "asan"],
                       "tools.log"))

    def build(what, args, log):
        step("BUILD", what)
        return run_quiet(["make", "--no-print-directory"] + args,
                         os.path.join(RUNDIR, log))
    outs = in_parallel([lambda b=b: build(b[0], b[2], b[3]) for b in builds],
                       jobs)
    for (_, case, _, _), (rc, out) in zip(builds, outs):
        if rc:
            r.lines += ["# " + ln for ln in out.splitlines()]
        r.case(rc == 0, case)
    return r


def host_suites():
    """The host suites that print KTAP, as (title, task) in the order
    their blocks are printed: the tools' own checks, the further suites the
    tree defines, then the host unit tests. Each task buffers its output."""
    def suite(title, cmd, log):
        step("TEST", title)
        rc, out = run_quiet(cmd, log)
        return parse_ktap(title, out.splitlines(), rc)

    suites = []
    if os.path.exists(os.path.join(TOP, "tools", "Makefile")):
        rc, _ = run_quiet(["make", "-s", "-C", "tools", "-n", "check"],
                          os.path.join(RUNDIR, "tools-check-n.log"))
        # check-cli is about half of the tools' suites: it runs beside
        # the others (tools/Makefile's check-others).
        for part in ("check-cli", "check-others") if rc == 0 else ():
            suites.append(("tools " + part, lambda p=part: suite(
                "tools " + p, ["make", "--no-print-directory", "-C",
                               "tools", p],
                os.path.join(BUILD, "check", "tools-%s.log" % p))))
    for target in ("check-packaging", "check-compat"):
        rc, _ = run_quiet(["make", "-s", "-n", target],
                          os.path.join(RUNDIR, target + "-n.log"))
        if rc == 0:
            suites.append((target, lambda t=target: suite(
                t, ["make", "--no-print-directory", t],
                os.path.join(RUNDIR, t + ".log"))))
    hostdir = os.path.join(BUILD, "host-tests")
    for name in sorted(os.listdir(hostdir)) if os.path.isdir(hostdir) else ():
        path = os.path.join(hostdir, name)
        if os.access(path, os.X_OK):
            suites.append(("host " + name, lambda n=name, p=path: suite(
                "host " + n, [p], os.path.join(RUNDIR, "host", n + ".log"))))
    return suites


def in_parallel(tasks, jobs):
    """Runs the callables jobs at a time; returns their results in the
    tasks' order, so that buffered outputs print in a fixed order."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = [ex.submit(t) for t in tasks]
        return [f.result() for f in futs]


# The host suites that take longest (measured: docs/TESTING.md, "Time of
# make check"), started first.
LONGEST_SUITES = ("tools check-cli", "check-packaging", "tools check-others")

# Seconds each task of the static and host stage took, by name.
TASK_SECONDS = {}


def timed(name, task):
    def run_timed():
        t0 = time.time()
        try:
            return task()
        finally:
            TASK_SECONDS[name] = time.time() - t0
    return run_timed


def static_and_host(jobs, vm_kernels, kcache, kfailed):
    """The static checks, the host suites and the VM kernels' preparation
    (nvidia.ko builds included), jobs tasks at a time: none of them
    depends on another, and alone each keeps one core busy at most.
    Returns the static block and the host blocks, in their fixed order."""
    host = host_builds(jobs)
    suites = host_suites()
    kernels = list(STATIC_KERNELS) + sorted(set(vm_kernels) -
                                            set(STATIC_KERNELS))
    static = [("kernel " + k, lambda k=k: kernel_task(k, vm_kernels, kcache,
                                                       kfailed))
              for k in kernels]
    static += [("checkpatch", lambda: [checkpatch()]),
               ("uapi", lambda: [uapi_check()])]
    # The longest first (the CLI's suites and the packaging, then the
    # kernels, whose nvidia.ko may need building), so that the last to end
    # is a short one.
    first = [t for t in suites if t[0] in LONGEST_SUITES]
    tasks = first + static + [t for t in suites if t not in first]
    outs = dict(zip([n for n, _ in tasks],
                    in_parallel([timed(n, t) for n, t in tasks], jobs)))
    checks = {tag: (ok, out) for n, _ in static for ok, tag, out in outs[n]}
    return [static_block(checks), host] + [outs[n] for n, _ in suites]


# --------------------------------------------------------------- the VMs

def prepare_kernel(kname, cache):
    """Initramfs (and the dom0gpu.ko it holds) for one kernel, once."""
    if kname in cache:
        return cache[kname]
    k = kernel(kname)
    ko = os.path.join(kout(k), "dom0gpu.ko")
    if not os.path.exists(ko):
        step("BUILD", "dom0gpu.ko for %s (%s)" % (kname, k["rel"]))
        rc, out = run_quiet(["make", "--no-print-directory", "module",
                             "KDIR=" + k["kdir"], "KOUT=" + kout(k)],
                            os.path.join(RUNDIR, "module-%s.log" % kname))
        if rc:
            raise RuntimeError("dom0gpu.ko does not build for %s:\n%s" %
                               (kname, out))
    img = os.path.join(RUNDIR, "initramfs-%s.cpio.gz" % k["rel"])
    nvidia = nvidia_module(kname, k)
    step("GEN", os.path.relpath(img, TOP))
    subprocess.check_call([os.path.join(HERE, "mkinitramfs.sh"), k["rel"],
                           k["modroot"], ko, BUILD, img] + nvidia)
    k["initramfs"] = img
    cache[kname] = k
    return k


def nvidia_module(kname, k):
    """NVIDIA's real driver for a kernel of the matrix, as mkinitramfs.sh's
    last argument (none for the debug kernels)."""
    if kname not in NVIDIA_KERNELS:
        return []
    ko = nvdriver.path(k["rel"], BUILD)
    if not os.path.exists(ko):
        step("BUILD", "NVIDIA nvidia.ko %s for %s (%s)" %
             (nvdriver.version(), kname, k["rel"]))
        t0 = time.time()
        nvdriver.build(k["rel"], k["kdir"], BUILD,
                       os.path.join(RUNDIR, "nvidia-%s.log" % kname))
        NVIDIA_BUILT[kname] = time.time() - t0
    return [ko]


# Not "nopat": built against a kernel without CONFIG_X86_PAT, NVIDIA's
# 535 driver compiles its builtin PAT code, whose nv_disable_caches()
# (nv-pat.c) calls __flush_tlb(), which x86 no longer has (5.10 on).
NVIDIA_KERNELS = ("6.1", "6.12", "5.10")
# Seconds each nvidia.ko build of this run took, by kernel (none: cached).
NVIDIA_BUILT = {}


def test_module(k, folder, name):
    """A test-only module of selftests/vm/FOLDER, built for kernel k."""
    out = os.path.join(RUNDIR, folder, k["rel"])
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(os.path.join(HERE, folder)):
        shutil.copy(os.path.join(HERE, folder, f), out)
    rc, log = run_quiet(["make", "-s", "--no-print-directory", "-C",
                         k["kdir"], "M=" + out, "modules"],
                        os.path.join(RUNDIR, folder + "-module.log"))
    if rc:
        raise RuntimeError("building the test module %s failed:\n%s" %
                           (name, log))
    return os.path.join(out, name + ".ko")


def warn_module(k):
    """The harness self-test's module: WARNs in its init."""
    return test_module(k, "warn", "d0g_warn")


def preload_modules(s, k):
    """Test modules a scenario's /init loads before dom0gpu
    (scenarios.PRELOAD)."""
    return [test_module(k, folder, name)
            for folder, name in scenarios.PRELOAD.get(s.name, ())]


def xen_image():
    xen = os.path.join(VMDIR, "xen")
    src = "/boot/xen-4.17-amd64.gz"
    if not os.path.exists(xen) or os.path.getmtime(xen) < os.path.getmtime(src):
        os.makedirs(VMDIR, exist_ok=True)
        # A name of this process's own: bootloops side by side unpack too.
        tmp = "%s.%d.tmp" % (xen, os.getpid())
        with open(tmp, "wb") as f:
            subprocess.check_call(["zcat", src], stdout=f)
        os.rename(tmp, xen)
    return xen


def overlay(path, env, preload=(), files=()):
    """A second cpio archive (the kernel unpacks both) with the scenario's
    variables, its own files (scenarios.FILES) and any test-only module."""
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "etc", "dom0gpu"))
        with open(os.path.join(d, "etc", "dom0gpu", "scenario.env"), "w") as f:
            for k, v in env:
                f.write("%s=%s\n" % (k, shlex.quote(v)))
        for name, text in files:
            os.makedirs(os.path.join(d, os.path.dirname(name)), exist_ok=True)
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        if preload:
            os.makedirs(os.path.join(d, "lib", "dom0gpu", "preload"))
            for p in preload:
                shutil.copy(p, os.path.join(d, "lib", "dom0gpu", "preload"))
        # Without "." and with 0755 directories: the kernel applies an
        # archive's directory modes to existing directories too, and
        # unprivileged tests need to traverse / and /etc.
        names = subprocess.check_output(["find", ".", "-mindepth", "1"],
                                        cwd=d, universal_newlines=True)
        names = [n for n in names.split("\n") if n]
        for n in names:
            if os.path.isdir(os.path.join(d, n)):
                os.chmod(os.path.join(d, n), 0o755)
        data = subprocess.run(
            ["cpio", "-o", "-H", "newc", "-R", "0:0", "--quiet"], cwd=d,
            input=("\n".join(names) + "\n").encode(),
            stdout=subprocess.PIPE, check=True).stdout
    with open(path, "wb") as f:
        f.write(gzip.compress(data, 1))


def qemu_command(s, k, img, xen):
    display = []
    for dev, _ in scenarios.DISPLAY_DEVICES:
        display += ["-device", dev]
    cmd = ["qemu-system-x86_64", "-accel", s.accel, "-nodefaults",
           "-display", "none", "-serial", "stdio", "-no-reboot",
           "-m", str(s.mem_mb), "-smp", str(s.pcpus or s.vcpus)] + \
        s.machine + display
    if s.hostroot:
        cmd += ["-virtfs", "local,path=/,mount_tag=hostroot,"
                "security_model=none,readonly=on,multidevs=remap"]
    if s.xen_cmdline is None:
        linux = " ".join(filter(None, ["console=ttyS0",
                                       scenarios.LINUX_CMDLINE,
                                       s.linux_extra]))
        cmd += ["-kernel", k["vmlinuz"], "-initrd", img, "-append", linux]
    else:
        linux = " ".join(filter(None, ["console=hvc0",
                                       scenarios.LINUX_CMDLINE,
                                       s.linux_extra]))
        cmd += ["-kernel", xen, "-append", s.xen_cmdline,
                "-initrd", "%s %s,%s" % (k["vmlinuz"], linux, img)]
    return cmd, linux


def scenario_env(s, k, linux, extra=()):
    return [
        ("D0G_SCENARIO", s.name),
        ("D0G_KVER", k["rel"]),
        ("D0G_XEN", "0" if s.xen_cmdline is None else "1"),
        ("D0G_XEN_CMDLINE", s.xen_cmdline or ""),
        ("D0G_DOM0_CMDLINE", linux),
        ("D0G_VCPUS", str(s.vcpus)),
        ("D0G_DISPLAY_DEVICES",
         " ".join(ids for _, ids in scenarios.DISPLAY_DEVICES)),
        ("D0G_MODULE", "/lib/dom0gpu/dom0gpu.ko"),
        ("D0G_NVIDIA_KO", "/lib/dom0gpu/nvidia/nvidia.ko"
         if s.kernel in NVIDIA_KERNELS else ""),
        ("D0G_STAT", "/bin/dom0gpu-stat" if stat_in_vm() else ""),
        ("D0G_HOSTROOT", "/host" if s.hostroot else ""),
        # Where the repository and the cache are inside D0G_HOSTROOT.
        ("D0G_HOSTREPO", TOP if s.hostroot else ""),
        ("D0G_CACHE", CACHE),
        ("D0G_TEST_TIMEOUT", str(scenarios.TEST_TIMEOUT_S)),
    ] + [(v, os.environ[v]) for v in PASS_ENV if v in os.environ] + \
        list(scenarios.NVIDIA_ENV.get(s.name, ())) + list(extra)


# Host CPU time each boot used (QEMU included), by tag.
CPU_SECONDS = {}
# A boot whose console says nothing for this long before /init begins
# loading dom0gpu has hung; passing boots stay far below it (at most 25 s,
# measured: docs/TESTING.md, "Boot reliability"), a stall gets four nudges
# before it, and each second waited for a hung boot is a second of make
# check on CI's two cores.
BOOT_SILENCE_S = 90
# Xen's serial input goes to dom0 until CTRL-a comes three times
# (xen/drivers/char/console.c, switch_serial_input()); Xen prints the
# first line when it hands the input to dom0 at the end of its boot, the
# second when the input is its own. The harness takes the input for Xen
# once: dom0 never reads it, and a key sent later reaches Xen alone.
XEN_INPUT_TO_DOM0 = "(XEN) *** Serial input to DOM0"
XEN_INPUT_TO_XEN = "(XEN) *** Serial input to Xen"
XEN_TAKE_INPUT = b"\x01\x01\x01"
XEN_LINE = "(XEN) "
# Keys for Xen (xen/common/keyhandler.c, handle_keypress()): '0' dumps each
# dom0 vCPU's registers and 'q' each domain's vCPUs, blocked or runnable;
# a key past its table of 128 does nothing.
XEN_DUMP_KEYS = b"0q"
XEN_NO_OP_KEY = b"\xff"
# Under QEMU a Xen machine's dom0 at times stalls, waiting for an event the
# emulated machine does not deliver; the stalls seen ended, some within a
# second of a byte on the serial port, where waking QEMU's main loop alone
# had not (docs/TESTING.md, "Boot reliability"). So a Xen scenario's
# console silent for NUDGE_S gets a key Xen ignores, once per NUDGE_S of
# silence: an interrupt for Xen, nothing for the guest.
NUDGE_S = 20
# Seconds Xen is given to print its dump before QEMU is stopped.
XEN_DUMP_S = 10
HARNESS_LINE = "D0G-HARNESS "


def boot(s, k, xen, tag, env_extra=(), preload=(), stall=None):
    """Boots one scenario; returns (console lines, wall seconds, exited),
    the lines as ConsoleLines. stall: what to do while the console is
    silent, instead of the nudges (bootloop.py --nudge); QEMU then also
    listens for QMP on RUNDIR/<tag>.qmp."""
    os.makedirs(RUNDIR, exist_ok=True)
    img = os.path.join(RUNDIR, tag + ".img")
    cmd, linux = qemu_command(s, k, img, xen)
    if stall:
        stall.qmp = os.path.join(RUNDIR, tag + ".qmp")
        cmd += ["-chardev", "socket,id=qmp,path=%s,server=on,wait=off"
                % stall.qmp, "-mon", "chardev=qmp,mode=control"]
    ov = img + ".overlay"
    overlay(ov, scenario_env(s, k, linux, env_extra), preload,
            scenarios.FILES.get(scenarios.label(s), ()))
    with open(img, "wb") as out:
        for part in (k["initramfs"], ov):
            with open(part, "rb") as f:
                shutil.copyfileobj(f, out)
    log = os.path.join(RUNDIR, tag + ".log")
    limit = s.timeout_s + int(os.environ.get("D0G_VM_EXTRA_S", "0"))
    cmd = ["timeout", "--kill-after=10", str(limit)] + cmd
    with open(log + ".cmd", "w") as f:
        f.write(" ".join(shlex.quote(c) for c in cmd) + "\n")
    start = time.time()
    # stdin: the way to Xen's keys. Its own session: the whole of it can
    # be killed.
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    with open(log, "w") as f:
        lines = Console(p, s, f, start, limit, stall).read()
    _, status, usage = os.wait4(p.pid, 0)
    for f in (img, ov):
        os.unlink(f)
    p.returncode = rc = os.waitstatus_to_exitcode(status)
    CPU_SECONDS[tag] = usage.ru_utime + usage.ru_stime
    return lines, time.time() - start, rc


class ConsoleLines(list):
    """A boot's console lines; the longest silence before the module's
    load began; the nudges sent and, per silence that nudges ended, the
    seconds from the last nudge until the console spoke again."""

    def __init__(self):
        super().__init__()
        self.longest_boot_silence = 0.0
        self.nudges = []
        self.nudge_count = 0


class Console:
    """Reads the console of QEMU p until it ends, writing it to log. Takes
    Xen's serial input, nudges a silent Xen machine (NUDGE_S), stops a
    boot that stays silent before dom0gpu's load (BOOT_SILENCE_S) or that
    powered off but lingers, and asks Xen where a hung dom0 stands."""

    def __init__(self, p, s, log, start, limit, stall):
        self.p, self.log, self.start, self.limit = p, log, start, limit
        self.xen = s.xen_cmdline is not None
        self.stall = stall
        self.lines = ConsoleLines()
        self.last = start
        self.loading = self.done_at = self.asked = None
        self.stop_at = self.nudged_at = self.hung = None
        self.input_asked = self.xen_input = False

    def add(self, line):
        self.lines.append(line)
        self.log.write(line + "\n")

    def keys(self, keys):
        try:
            os.write(self.p.stdin.fileno(), keys)
        except OSError:
            pass

    def ask_xen(self):
        self.add(HARNESS_LINE + "asking Xen for dom0's vCPU state (keys "
                 "'0' and 'q')")
        self.keys(XEN_DUMP_KEYS)
        # Its answer is no nudge's doing.
        self.nudged_at = None

    def read(self):
        fd = self.p.stdout.fileno()
        pending = b""
        stopped = None
        while True:
            ready, _, _ = select.select([fd], [], [], 1.0)
            now = time.time()
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                *whole, pending = (pending + chunk).split(b"\n")
                self.heard(now, [clean(raw.decode("utf-8", "replace"))
                                 for raw in whole])
            if stopped is None:
                if self.silence(now):
                    self.p.terminate()
                    stopped = now
            # QEMU had its SIGTERM (timeout(1) passes it on); timeout's
            # --kill-after ends it, this only bounds the wait.
            elif now - stopped > 20:
                try:
                    os.killpg(self.p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                break
        if pending:
            self.add(clean(pending.decode("utf-8", "replace")))
        self.p.stdin.close()
        return self.lines

    def heard(self, now, new):
        quiet = now - self.last
        # Blank lines are no sign of life (a tty's echo of a newline), and
        # once Xen was asked for its dump, Xen's lines are its answer.
        life = [line for line in new if line.strip() and not (
            self.hung and line.startswith(XEN_LINE))]
        if life:
            if self.loading is None:
                self.lines.longest_boot_silence = max(
                    self.lines.longest_boot_silence, quiet)
            if self.stall:
                self.stall.output(quiet, self.add)
            if self.nudged_at is not None:
                self.lines.nudges.append(now - self.nudged_at)
                self.add(HARNESS_LINE + "console back %.0f s after the "
                         "nudge, %.0f s silent" % (now - self.nudged_at,
                                                     quiet))
                self.nudged_at = None
            # Not QEMU's own words once it was told to stop.
            if self.hung and self.stop_at and now < self.stop_at:
                self.add(HARNESS_LINE + "boot went on after Xen's dump: "
                         "not stopped")
                self.hung = self.stop_at = None
            self.last = now
        for line in new:
            self.add(line)
            if self.loading is None and faults.MODULE_LOAD in line:
                self.loading = now
            if self.done_at is None and "D0G-DONE" in line:
                self.done_at = now
            if self.xen and not self.input_asked and \
                    line.startswith(XEN_INPUT_TO_DOM0):
                self.input_asked = True
                self.keys(XEN_TAKE_INPUT)
            if self.input_asked and line.startswith(XEN_INPUT_TO_XEN):
                self.xen_input = True

    def silence(self, now):
        """Acts on the console's silence; True when QEMU is to stop."""
        quiet = now - self.last
        if self.stop_at is None:
            if self.stall:
                if self.stall.silent(quiet, self.keys, self.add):
                    self.stop_at = now
            elif self.xen_input and quiet >= NUDGE_S and (
                    self.nudged_at is None or now - self.nudged_at >= NUDGE_S):
                self.nudged_at = now
                self.lines.nudge_count += 1
                self.add(HARNESS_LINE + "console silent for %d s: nudge, a "
                         "key Xen ignores" % quiet)
                self.keys(XEN_NO_OP_KEY)
        if self.stop_at is None and self.hung is None and \
                self.loading is None and quiet >= BOOT_SILENCE_S:
            self.hung = now
            self.stop_at = now
            if self.xen_input:
                self.add(HARNESS_LINE + "boot silent for %d s before "
                         "dom0gpu's load began" % quiet)
                self.ask_xen()
                self.stop_at += XEN_DUMP_S
        if self.hung and self.stop_at and now >= self.stop_at:
            self.add(HARNESS_LINE + "boot hung: silent for %d s before "
                     "dom0gpu's load began, stopped" % (now - self.last))
        # Near the scenario's timeout: Xen tells where dom0 stands.
        if self.xen_input and self.asked is None and self.stop_at is None \
                and self.done_at is None and \
                now - self.start >= self.limit - XEN_DUMP_S:
            self.asked = now
            self.ask_xen()
        # Powered off but QEMU lingering: do not wait for the timeout.
        return bool((self.done_at and now - self.done_at > 20) or
                    (self.stop_at and now >= self.stop_at))


def collect(s, tag, lines, rc, wall):
    """KTAP results of one boot: its programs plus the harness's checks."""
    programs = []
    cur = None
    booted = done = False
    for line in lines:
        if "D0G-BOOTED" in line:
            booted = True
        m = re.search(r"D0G-TEST-BEGIN (\S+)", line)
        if m:
            cur = (m.group(1), [])
            continue
        m = re.search(r"D0G-TEST-END (\S+) (\d+)(?: (\d+))?", line)
        if m and cur:
            if m.group(3):
                cur[1].append("# %s took %s s" % (cur[0], m.group(3)))
            programs.append(parse_ktap(cur[0], cur[1], int(m.group(2))))
            cur = None
            continue
        if "D0G-DONE" in line:
            done = True
        if cur:
            cur[1].append(line)
    if cur:
        programs.append(parse_ktap(cur[0], cur[1], None))
    h = Result("harness")
    fatal = [ln for ln in lines if FATAL.search(ln)]
    h.case(booted, "booted")
    if not done and rc in (124, 137):
        h.lines.append("# timed out after %d s" % s.timeout_s)
    h.case(done, "completed")
    h.case(not fatal, "no_kernel_warn_or_oops")
    for case, text in s.xen_lines:
        h.case(any(text in ln for ln in lines), "%s (\"%s\")" % (case, text))
    return programs, h, fatal


def stat_in_vm():
    """Whether the VMs get dom0gpu-stat (mkinitramfs.sh takes it when built)."""
    return os.access(os.path.join(BUILD, "tools", "dom0gpu-stat"), os.X_OK)


# Where each scenario's reports are kept, one folder per label (xen-pv-6.1/):
# the host's fleet tests read them (tools/tests/fleet/vm_reports_test.sh).
REPORTS = os.path.join(VMDIR, "reports")
REPORT_LINE = re.compile(r"D0G-REPORT-(BEGIN|DATA|END) (.*)$")
REPORT_FILES = ("report.json", "metrics.prom")


def save_reports(label, lines):
    """Decodes the reports init printed (D0G-REPORT lines) into
    REPORTS/<label>/: each file and NAME.exit, dom0gpu-stat's exit status.
    Returns what went wrong, "" when every file arrived intact."""
    out = os.path.join(REPORTS, slug(label))
    shutil.rmtree(out, ignore_errors=True)
    got, cur = {}, None
    for line in lines:
        m = REPORT_LINE.search(line)
        if not m:
            continue
        kind, rest = m.group(1), m.group(2).strip()
        if kind == "BEGIN":
            cur = rest.split() + [[]]
        elif kind == "DATA" and cur:
            cur[-1].append(rest)
        elif kind == "END" and cur and len(cur) == 4 and cur[0] == rest:
            name, rc, md5, chunks = cur
            try:
                data = base64.b64decode("".join(chunks), validate=True)
            except ValueError:
                data = None
            if data is not None and hashlib.md5(data).hexdigest() == md5:
                got[name] = (data, rc)
            cur = None
    missing = [n for n in REPORT_FILES if n not in got]
    if missing:
        return "%s did not arrive intact on the console" % ", ".join(missing)
    os.makedirs(out)
    for name, (data, rc) in got.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        with open(os.path.join(out, name + ".exit"), "w") as f:
            f.write(rc + "\n")
    return ""


def fleet_on_vm_reports():
    """The fleet, pool and alerting-rule tests on the reports the scenarios
    just saved (tools/tests/fleet/vm_reports_test.sh): every scenario ran,
    so a missing report fails."""
    step("TEST", "make -C tools check-fleet-vm")
    rc, out = run_quiet(["make", "--no-print-directory", "-C", "tools",
                         "check-fleet-vm"],
                        os.path.join(RUNDIR, "check-fleet-vm.log"),
                        env=dict(os.environ, D0G_REPORTS_REQUIRED="1"))
    return parse_ktap("fleet views of the VM reports", out.splitlines(), rc)


def run_scenario(s, k, xen):
    label = scenarios.label(s)
    step("QEMU", label)
    lines, wall, rc = boot(s, k, xen, slug(label),
                           preload=preload_modules(s, k))
    programs, h, fatal = collect(s, label, lines, rc, wall)
    bad = h.failed + sum(p.failed for p in programs)
    why = faults.retry_reason(lines) if bad else None
    first = []
    if why:
        first = ["# first boot: " + ln[2:] for ln in console_summary(lines)]
        lines, wall, rc = rerun(s, k, xen, label, why, wall)
        programs, h, fatal = collect(s, label, lines, rc, wall)
        h.lines.insert(0, "# %s was re-run once: its first boot hit %s"
                       % (label, why))
        bad = h.failed + sum(p.failed for p in programs)
    h.lines += first + console_summary(lines)
    if stat_in_vm():
        why = save_reports(label, lines)
        if why:
            h.lines.append("# reports of %s: %s" % (label, why))
            bad += 1
        h.case(not why, "reports_saved")
    step("FAIL" if bad else "PASS", "%s (%.0f s, %.0f s CPU)" %
         (label, wall, CPU_SECONDS.get(slug(label), 0)))
    return dict(label=label, programs=programs, harness=h, lines=lines,
                wall=wall)


def console_summary(c):
    """What the console reader saw besides the lines, as diagnostics."""
    said = ["# longest console silence before dom0gpu's load: %.0f s (a "
            "boot silent for %d s is stopped as hung)"
            % (c.longest_boot_silence, BOOT_SILENCE_S)]
    if c.nudge_count:
        back = ("the console spoke again %s s after the last nudge of each "
                "silence" % ", ".join("%.0f" % w for w in c.nudges)
                if c.nudges else "the console never spoke again after one")
        said.append("# console silent for %d s or more: %d nudges for Xen; "
                    "%s" % (NUDGE_S, c.nudge_count, back))
    return said


def rerun(s, k, xen, label, why, first_wall):
    """Boots a scenario once more after a known emulator fault that hit
    before dom0gpu was loaded (faults.RETRYABLE); the first console log
    stays beside the second as <tag>-first.log."""
    tag = slug(label)
    step("RERUN", "%s: %s" % (label, why))
    os.replace(os.path.join(RUNDIR, tag + ".log"),
               os.path.join(RUNDIR, tag + "-first.log"))
    first_cpu = CPU_SECONDS.get(tag, 0)
    lines, wall, rc = boot(s, k, xen, tag, preload=preload_modules(s, k))
    CPU_SECONDS[tag] += first_cpu
    return lines, first_wall + wall, rc


def run_warn_selftest(xen, kcache):
    """A module that WARNs in init must make its scenario fail."""
    s = scenarios.WARN_SCENARIO
    k = prepare_kernel(s.kernel, kcache)
    ko = warn_module(k)
    step("QEMU", "warn_is_fatal (%s)" % scenarios.label(s))
    lines, wall, rc = boot(s, k, xen, "warn-selftest", preload=[ko])
    programs, h, fatal = collect(s, "warn-selftest", lines, rc, wall)
    r = Result("harness self-test")
    caught = h.failed > 0 and any("panic_on_warn" in ln for ln in lines)
    step("PASS" if caught else "FAIL", "warn_is_fatal (%.0f s)" % wall)
    if not caught:
        r.lines += ["# " + ln for ln in lines]
    r.case(caught, "warn_is_fatal")
    return r, wall


def slug(label):
    return label.replace("/", "-")


def broken(label, err):
    """The result of a scenario the harness could not even start."""
    h = Result("harness")
    h.lines += ["# " + ln for ln in str(err).splitlines()]
    h.case(False, "prepared")
    return dict(label=label, programs=[], harness=h, lines=[], wall=0)


def vm_kernels(selected, with_warn):
    """The kernels the selected scenarios (and the WARN self-test) boot."""
    return {s.kernel for s in selected} | \
        ({scenarios.WARN_SCENARIO.kernel} if with_warn else set())


def run_vms(selected, jobs, with_warn, kcache=None, failed=None):
    """Boots the scenarios, jobs at a time; kcache and failed: kernels
    already prepared (prepare_kernel) and those that could not be."""
    kcache = {} if kcache is None else kcache
    failed = {} if failed is None else failed
    xen = xen_image()
    for s in selected:
        if s.kernel in kcache or s.kernel in failed:
            continue
        try:
            prepare_kernel(s.kernel, kcache)
        except (subprocess.CalledProcessError, OSError, RuntimeError) as e:
            failed[s.kernel] = e
    results = []
    futs = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        # Longest first, so the 64-vCPU boot does not end the run alone.
        for s in sorted(selected, key=lambda s: -s.vcpus):
            if s.kernel in failed:
                futs.append((s, None))
                continue
            futs.append((s, ex.submit(run_scenario, s, kcache[s.kernel],
                                      xen)))
        warn = ex.submit(run_warn_selftest, xen, kcache) if with_warn else None
        for s, f in futs:
            try:
                results.append(f.result() if f else
                               broken(scenarios.label(s), failed[s.kernel]))
            except Exception as e:  # keep the other scenarios' results
                results.append(broken(scenarios.label(s), e))
        if warn:
            try:
                warn = warn.result()
            except Exception as e:
                r = Result("harness self-test")
                r.lines.append("# %s" % e)
                r.case(False, "warn_is_fatal")
                warn = (r, 0)
    return results, warn


def print_scenario(res):
    total = Result(res["label"])
    for p in res["programs"]:
        total.add(p)
    total.add(res["harness"])
    print("# ==== scenario %s (%.0f s, %.0f s CPU) ====" %
          (res["label"], res["wall"], CPU_SECONDS.get(slug(res["label"]), 0)))
    for p in res["programs"]:
        print("# -- %s" % p.title)
        for ln in p.lines:
            print(ln)
    print("# -- harness checks of %s" % res["label"])
    for ln in res["harness"].lines:
        print(ln)
    print("# %s: %d passed, %d failed, %d skipped" %
          (res["label"], total.passed, total.failed, total.skipped))
    if total.failed:
        print("# ---- console log of %s ----" % res["label"])
        for ln in res["lines"]:
            print("# | " + ln)
    return total


def summary(blocks):
    t = Result("all")
    for b in blocks:
        t.add(b)
    line = "%d passed, %d failed" % (t.passed, t.failed)
    if t.skipped:
        line += ", %d skipped" % t.skipped
    print(line)
    return 1 if t.failed else 0


def print_block(r):
    print("# ==== %s ====" % r.title)
    for ln in r.lines:
        print(ln)


def cmd_check(args):
    times = [time.time()]
    selected = list(scenarios.SCENARIOS)
    kcache, kfailed = {}, {}
    blocks = static_and_host(args.jobs, vm_kernels(selected, True), kcache,
                             kfailed)
    times.append(time.time())
    results, warn = run_vms(selected, args.jobs, True, kcache, kfailed)
    times.append(time.time())
    fleet = fleet_on_vm_reports()
    times.append(time.time())
    print("KTAP version 1")
    for r in blocks:
        print_block(r)
    for res in results:
        blocks.append(print_scenario(res))
    print_block(warn[0])
    blocks.append(warn[0])
    print_block(fleet)
    blocks.append(fleet)
    print("# static checks, host tests and VM kernels, %d at a time: %s" %
          (args.jobs, ", ".join("%s %.0f s" % (n, t) for n, t in
                                sorted(TASK_SECONDS.items(),
                                       key=lambda x: -x[1]))))
    print("# nvidia.ko: %s" % (", ".join(
        "built for %s in %.0f s" % kv for kv in sorted(NVIDIA_BUILT.items()))
        or "cached for every kernel"))
    print("# took %.0f s: static checks and host tests %.0f s, VMs %.0f s, "
          "fleet step %.0f s "
          "(%.0f s of CPU, %d at a time)" %
          (times[3] - times[0], times[1] - times[0], times[2] - times[1],
           times[3] - times[2], sum(CPU_SECONDS.values()), args.jobs))
    return summary(blocks)


def cmd_vm(args):
    selected = [s for s in scenarios.SCENARIOS
                if not args.labels or scenarios.label(s) in args.labels
                or s.name in args.labels]
    if args.debug:
        # Each platform once, on its debug kernel (check-debug).
        seen = set()
        selected = [s._replace(kernel=scenarios.debug_kernel(s))
                    for s in selected
                    if not (s.name in seen or seen.add(s.name))]
    if not selected and "warn" not in args.labels:
        print("no such scenario: %s" % " ".join(args.labels), file=sys.stderr)
        return 2
    results, warn = run_vms(selected, args.jobs,
                            not args.labels or "warn" in args.labels)
    print("KTAP version 1")
    blocks = [print_scenario(r) for r in results]
    if warn:
        print_block(warn[0])
        blocks.append(warn[0])
    return summary(blocks)


def demo_output(lines):
    out, inside = [], False
    for ln in lines:
        if "D0G-DEMO-END" in ln:
            break
        if inside:
            out.append(ln)
        if "D0G-DEMO-BEGIN" in ln:
            inside = True
    return out


# Facts of dom0gpu-stat's report lined up in the demo's closing table.
DEMO_FACTS = ("xen.domain_type", "xen.cmdline", "pat.layout", "pat.wc_index",
              "module.pat_mode", "module.pat_reason")


def demo_table(runs):
    """Side by side: the verdict and the facts that explain it."""
    rows = [("", ["%s dom0" % s.name for s, _, _ in runs])]
    verdicts = []
    for _, body, _ in runs:
        v = [ln for ln in body if ln.startswith("verdict:")]
        verdicts.append(v[0][len("verdict:"):].strip() if v else "-")
    rows.append(("verdict", verdicts))
    for key in DEMO_FACTS:
        vals = []
        for _, body, _ in runs:
            facts = body[body.index("facts:") + 1:] if "facts:" in body else []
            m = [re.match(r"\s+%s\s+(.*?)\s+\[[^]]*\]$" % re.escape(key), ln)
                 for ln in facts]
            m = [x.group(1) for x in m if x]
            vals.append(m[0] if m else "-")
        if any(v != "-" for v in vals):
            rows.append((key, vals))
    rows.append(("exit status", [rc for _, _, rc in runs]))
    kw = max(len(k) for k, _ in rows)
    cw = max(len(v) for _, vs in rows for v in vs)
    for k, vs in rows:
        print(("  %-*s  %s" % (kw, k, "  ".join("%-*s" % (cw, v)
                                                for v in vs))).rstrip())


def cmd_demo(args):
    kcache = {}
    xen = xen_image()
    for s in scenarios.DEMO_SCENARIOS:
        prepare_kernel(s.kernel, kcache)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        futs = []
        for s in scenarios.DEMO_SCENARIOS:
            step("QEMU", "%s (Xen: %s)" % (scenarios.label(s), s.xen_cmdline))
            futs.append((s, ex.submit(boot, s, kcache[s.kernel], xen,
                                      "demo-" + s.name,
                                      [("D0G_DEMO", "1")])))
        outs = [(s, f.result()) for s, f in futs]
    runs, failed = [], False
    for s, (lines, wall, rc) in outs:
        end = [ln for ln in lines if "D0G-DEMO-END" in ln]
        body = demo_output(lines)
        print()
        print("==== %s dom0 on Xen 4.17, Linux %s (%.0f s)" %
              (s.name, kcache[s.kernel]["rel"], wall))
        print("==== Xen command line: %s" % s.xen_cmdline)
        if not end:
            failed = True
            print("(the VM did not get to run dom0gpu-stat; console log:)")
            body = lines
        for ln in body:
            print(ln)
        status = end[0].split()[-1] if end else "-"
        runs.append((s, body, status))
    print()
    print("==== side by side")
    demo_table(runs)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-j", "--jobs", type=int,
                    default=int(os.environ.get("D0G_JOBS", "2")),
                    help="QEMU scenarios run at once (default 2)")
    sub = ap.add_subparsers(dest="cmd")
    sub.add_parser("check")
    v = sub.add_parser("vm")
    v.add_argument("labels", nargs="*",
                   help="scenario names or name/kernel labels; 'warn' for "
                   "the harness self-test (default: all)")
    v.add_argument("--debug", action="store_true",
                   help="boot every selected platform once, on its debug "
                   "kernel (selftests/debug/build-kernel.sh) instead")
    sub.add_parser("demo")
    args = ap.parse_args()
    cmds = dict(check=cmd_check, vm=cmd_vm, demo=cmd_demo)
    if args.cmd not in cmds:
        ap.print_help()
        return 2
    os.makedirs(RUNDIR)
    last = os.path.join(VMDIR, "last")
    try:
        os.symlink(os.path.basename(RUNDIR), last + ".new")
        os.replace(last + ".new", last)
    except OSError:
        pass
    try:
        return cmds[args.cmd](args)
    finally:
        # Keep the logs (build/vm/last/), drop the bulky images.
        for name in os.listdir(RUNDIR):
            path = os.path.join(RUNDIR, name)
            if name.endswith(".cpio.gz.d"):
                shutil.rmtree(path, ignore_errors=True)
            elif name.endswith((".cpio.gz", ".img", ".overlay")):
                os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
