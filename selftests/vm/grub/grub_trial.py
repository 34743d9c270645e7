#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The PVH trial with a real GRUB: Debian 12's GRUB (grub-pc) -> Xen 4.17 ->
Linux dom0 from a disk image (mkdisk.sh), on an AHCI disk (virtio hangs in
a PVH dom0 under QEMU; ../../../docs/TESTING.md). dom0 runs the steps that
`dom0gpu-stat --plan` prints (trial.sh) and reboots; this checks from the
console, boot by boot, that:
  1. update-grub and --plan work, and the plan's check/add-trial/boot-once
     steps run;
  2. GRUB boots the trial once: Xen gets dom0=pvh without iommu=no, dom0 is
     PVH and dom0gpu-stat --probe says ready;
  3. the next boot is the default PV entry again, by itself;
  4. a broken trial (iommu=no put back) makes Xen panic once ("iommu must be
     enabled for PVH hardware domain", Xen 4.17 dom0_build.c) and the
     boot after it is the PV dom0, with no one touching the machine;
  5. after the plan's make-permanent step, PVH is the default;
  6. every console line that README.md's "Switching to PVH safely" quotes
     is in this run's transcript.
The transcript (WORKDIR/transcript.txt, or next to CONSOLE_LOG) keeps, boot
by boot, Xen's command line, its panic, and each command dom0 ran with its
output, as the README quotes them. Prints TAP. Usage:
   grub_trial.py REL GRUBX KO STAT WORKDIR [TIMEOUT_S]
   grub_trial.py --log CONSOLE_LOG (judge a saved run's console)
TIMEOUT_S defaults to 900 s plus D0G_VM_EXTRA_S (the extra time the VM
scenarios get under load, as in ../run.py).
"""
import os
import re
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
README = os.path.join(HERE, "..", "..", "..", "README.md")
n = failed = 0
boot_started = []       # seconds into the run at each "(XEN) Xen version"


def tap(ok, what, diag=""):
    global n, failed
    n += 1
    failed += not ok
    print(("ok" if ok else "not ok") + " %d - grub-trial: %s" % (n, what), flush=True)
    if not ok and diag:
        for line in str(diag).splitlines()[-40:]:
            print("# " + line)


def run_vm():
    """Build the disk, boot it until it powers itself off; the console text."""
    rel, grubx, ko, stat, work = sys.argv[1:6]
    timeout = (int(sys.argv[6]) if len(sys.argv) > 6 else
               900 + int(os.environ.get("D0G_VM_EXTRA_S", "0")))
    os.makedirs(work, exist_ok=True)
    disk = os.path.join(work, "disk.img")
    log = os.path.join(work, "console.log")
    t0 = time.monotonic()
    r = subprocess.run(["sh", os.path.join(HERE, "mkdisk.sh"), rel, grubx, ko, stat, disk],
                       capture_output=True, text=True)
    tap(r.returncode == 0, "disk image with Debian's GRUB built (%.0f s)" %
        (time.monotonic() - t0), r.stderr)
    if r.returncode:
        print("1..%d" % n)
        sys.exit(1)
    qemu = ["qemu-system-x86_64"] + QEMU_ARGS + [
        "-drive", "file=%s,format=raw,if=none,id=d0" % disk]
    t0 = time.monotonic()
    killed = []
    with open(log, "wb") as f:
        p = subprocess.Popen(qemu, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
        timer = threading.Timer(timeout, lambda: (killed.append(1), p.kill()))
        timer.start()
        for raw in p.stdout:
            f.write(raw)
            if b"(XEN) Xen version " in raw:
                boot_started.append(time.monotonic() - t0)
        rc = "timeout after %d s" % timeout if killed else p.wait()
        timer.cancel()
        p.wait()
    secs = time.monotonic() - t0
    text = open(log, "rb").read().decode("utf-8", "replace")
    tap(rc == 0, "the machine powered itself off after the whole story (%.0f s under TCG)" %
        secs, "qemu: %s\n%s" % (rc, text[-3000:]))
    return text, os.path.join(work, "transcript.txt")


# q35 with an emulated VT-d (Xen's IOMMU for the PVH dom0) and SVM+NPT, as
# scenarios.py's XEN_MACHINE; no -no-reboot: the story needs the reboots.
# The disk: in a PVH dom0 Xen 4.17 logs "setup 0000:00:1f.2 for d0 failed
# (-12)" for every PCI device of this machine (q35's AHCI included) and a
# dom0 on the AHCI disk hung after "Grant table initialized" (seen
# 2026-11-28), as virtio does: with that setup failed the device's VT-d
# context entry stays empty and every DMA faults ("[VT-D]DMAR: reason 02 -
# Present bit in context entry is clear", seen for a PIIX3 IDE disk doing
# DMA). So the disk sits on a PIIX3 IDE controller driven by PIO only
# (libata dma=0, mkdisk.sh): no DMA, nothing for the IOMMU to translate.
QEMU_ARGS = ["-accel", "tcg", "-machine", "q35", "-cpu", "qemu64,+svm,+npt",
             "-device", "intel-iommu,intremap=on", "-m", "2048", "-smp", "2",
             "-nographic", "-no-user-config", "-nodefaults", "-serial", "stdio",
             "-monitor", "none", "-device", "piix3-ide,id=pide",
             "-device", "ide-hd,drive=d0,bus=pide.0"]

print("TAP version 13", flush=True)
if sys.argv[1] == "--log":
    text = open(sys.argv[2], "rb").read().decode("utf-8", "replace")
    transcript_path = os.path.join(os.path.dirname(os.path.abspath(sys.argv[2])),
                                   "transcript.txt")
else:
    text, transcript_path = run_vm()

# One chunk per boot: each starts where GRUB hands over to Xen.
boots = re.split(r"(?=\(XEN\) Xen version )", text)[1:]


def stage_of(b):
    m = re.search(r"TRIAL-STAGE (\S+) guest_type=(\S+)", b)
    return (m.group(1), m.group(2)) if m else (None, None)


def xen_cmdline(b):
    m = re.search(r"\(XEN\) Command line: ([^\r\n]*)", b)
    return m.group(1) if m else ""


summary = "\n".join("boot %d: %s, Xen: %s" % (i, stage_of(b), xen_cmdline(b))
                    for i, b in enumerate(boots))
want = [("bootstrap", "PV"), ("trial", "PVH"), ("fallback", "PV"), (None, None),
        ("recovered", "PV"), ("permanent", "PVH")]
tap([stage_of(b) for b in boots] == want,
    "boots: bootstrap PV, trial PVH, back to PV, broken trial (no dom0), PV, PVH by default",
    summary)


def boot(i):
    return boots[i] if i < len(boots) else ""


b = boot(0)
tap("TRIAL-UPDATE-GRUB rc=0" in b and "TRIAL-PLAN rc=" in b and
    "TRIAL-OUT plan PVH trial plan: ready to follow" in b,
    "update-grub made grub.cfg; --plan is ready to follow", b[-3000:])
tap(all("TRIAL-STEP %s rc=0" % s in b for s in ("check", "add-trial", "boot-once")) and
    "TRIAL-OUT boot-once next_entry=dom0gpu-pvh-trial" in b,
    "the plan's check, add-trial and boot-once steps ran; grubenv has next_entry", b[-3000:])
b = boot(1)
cmd = xen_cmdline(b)
tap("dom0=pvh" in cmd.split() and "iommu=no" not in cmd.split(),
    "GRUB booted the trial entry once: Xen's command line has dom0=pvh, not iommu=no", cmd)
tap("TRIAL-STEP verify rc=0" in b and "TRIAL-OUT verify PVH" in b and
    not re.search(r"TRIAL-OUT verify next_entry=\S", b),
    "verify step: /sys/hypervisor/guest_type PVH, next_entry already cleared by GRUB", b[-3000:])
tap(re.search(r"TRIAL-PROBE rc=0 verdict: ready", b) is not None,
    "in the trial boot dom0gpu-stat --probe says ready", b[-3000:])
b = boot(2)
tap("dom0=pvh" not in xen_cmdline(b) and "iommu=no" in xen_cmdline(b).split(),
    "the boot after the trial is the default PV entry, by itself", xen_cmdline(b))
b = boot(3)
tap("iommu must be enabled for PVH hardware domain" in b and "TRIAL-STAGE" not in b,
    "the broken trial (iommu=no) made Xen panic, once", b[-2000:])
b = boot(4)
tap(stage_of(b) == ("recovered", "PV") and "dom0=pvh" not in xen_cmdline(b) and
    "TRIAL-STEP make-permanent rc=0" in b,
    "after the panic Xen rebooted into the PV default untouched; make-permanent ran",
    b[-3000:])
b = boot(5)
cmd = xen_cmdline(b)
tap("dom0=pvh" in cmd.split() and "iommu=no" not in cmd.split() and
    re.search(r"TRIAL-PROBE rc=0 verdict: ready", b) is not None,
    "after make-permanent, PVH is the default and dom0gpu-stat says ready", cmd + "\n" + b[-2000:])

# Xen 4.17's panic() (xen/drivers/char/console.c): a row of stars, "Panic
# on CPU N:", the message, stars, then "Reboot in five seconds...".
PANIC = re.compile(r"\(XEN\) (\*{8,}|Panic on CPU|Presently, iommu must be enabled|"
                   r"Reboot in five seconds)")
COMMAND = {"TRIAL-UPDATE-GRUB": "update-grub", "TRIAL-PLAN": "dom0gpu-stat --plan",
           "TRIAL-PROBE": "dom0gpu-stat --probe"}


def transcript(boots):
    """Boot by boot: Xen's command line and panic, dom0's commands and output."""
    out = []
    for i, b in enumerate(boots):
        stage, gt = stage_of(b)
        head = "== boot %d of %d: %s" % (
            i + 1, len(boots), "%s, /sys/hypervisor/guest_type %s" % (stage, gt)
            if stage else "no dom0")
        if i < len(boot_started):
            head += ", started %.0f s into the run" % boot_started[i]
        out.append(head + " ==")
        for line in b.splitlines():
            line = line.rstrip("\r")
            m = re.match(r"(TRIAL-[A-Z-]+) ?(.*)", line)
            if line.startswith("(XEN) Command line: ") or PANIC.match(line):
                out.append(line)
            elif not m:
                continue
            elif m.group(1) == "TRIAL-OUT":
                out.append(m.group(2).split(" ", 1)[1] if " " in m.group(2) else "")
            elif m.group(1) == "TRIAL-DO":
                out.append("# " + m.group(2))
            elif m.group(1) == "TRIAL-STEP":
                step, rc = m.group(2).split(" ", 1)
                out.append("# the plan's step %s, as printed (%s)" % (step, rc))
            elif m.group(1) in COMMAND:
                out.append("# %s (%s)" % (COMMAND[m.group(1)], m.group(2).split(" ", 1)[0]))
            elif m.group(1) == "TRIAL-NEXT":
                out.append("# " + m.group(2).split()[0])
            elif m.group(1) == "TRIAL-ERROR":
                out.append(line)
    return out


lines = transcript(boots)
with open(transcript_path, "w") as f:
    f.write("\n".join(lines) + "\n")
# The README's quotes: its indented blocks under "## Switching to PVH safely".
have = set(l.rstrip() for l in lines)
section = open(README).read().split("\n## Switching to PVH safely\n", 1)[-1].split("\n## ")[0]
quotes = [l[4:].rstrip() for l in section.splitlines() if l.startswith("    ")]
missing = [q for q in quotes if q != "..." and q not in have]
tap(quotes and not missing,
    "README's \"Switching to PVH safely\" quotes %d lines, all in this run's transcript (%s)" %
    (len(quotes), transcript_path), "not in the transcript:\n" + "\n".join(missing))
print("1..%d" % n)
sys.exit(1 if failed else 0)
