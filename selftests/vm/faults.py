# SPDX-License-Identifier: GPL-2.0
"""Where a VM's boot went wrong, read from its console.

A failed boot is either a fault of the platform before dom0gpu was loaded
(nothing of ours had run in the guest yet) or anything after. The line
that starts the module's load is the vm_setup marker of /init: it is
printed before any module of the project is loaded (a harness self-test's
test-only modules, then dom0gpu.ko).
"""

import re

MODULE_LOAD = "D0G-TEST-BEGIN vm_setup"

# Console signatures of faults seen under TCG, by name. The first one that
# matches a boot's first fault line names the fault.
SIGNATURES = (
    # An int3 left by text_poke_bp() (static keys, alternatives) was
    # executed after the patching CPU had finished: the kernel's int3
    # handler no longer knows it (6.12: "Oops: int3", older: "int3:").
    ("int3_oops", re.compile(r"\bOops: int3\b|(?:^|\] )int3: 0000")),
    ("xen_triple_fault", re.compile(r"\(XEN\) d\d+v\d+ Triple fault")),
    # The harness's own line: the console stayed silent during the boot
    # (run.py, BOOT_SILENCE_S), before /init started the module's load.
    ("boot_hang", re.compile(r"D0G-HARNESS boot hung")),
    # kernel/hung_task.c, check_hung_task(): a task in D state for
    # hung_task_timeout_secs (/init sets hung_task_panic, so the trace and
    # the panic follow this line).
    ("hung_task", re.compile(r"INFO: task \S+:\d+ blocked for more than "
                             r"\d+ seconds")),
    ("xen_dom0_crashed", re.compile(r"\(XEN\) Hardware Dom0 crashed")),
    ("kernel_warn", re.compile(r"WARNING: CPU: \d+ PID")),
    ("kernel_bug", re.compile(r"\bBUG: ")),
    ("kernel_oops", re.compile(r"\bOops\b|general protection fault")),
    ("kernel_panic", re.compile(r"Kernel panic|Panic on CPU")),
    ("sanitizer", re.compile(r"UBSAN:|KASAN:")),
    ("call_trace", re.compile(r"Call Trace:")),
)


def classify(lines):
    """(phase, signature, line) of the first fault on the console, or None.

    phase: "before_module" when the fault came before the module's load
    began, else "after_module"."""
    start = next((i for i, ln in enumerate(lines) if MODULE_LOAD in ln),
                 len(lines))
    for i, ln in enumerate(lines):
        for name, pat in SIGNATURES:
            if pat.search(ln):
                phase = "before_module" if i < start else "after_module"
                return phase, name, ln.strip()
    return None


# Faults of the emulator that make check may boot past, once: seen only
# under TCG (docs/TESTING.md, "Boot reliability"), and only when they hit
# before dom0gpu was loaded. A boot hang is a stall that nudges and Xen's
# dump (Xen scenarios) did not end (seen: a PVH dom0 bringing its CPU 1
# up).
RETRYABLE = ("int3_oops", "xen_triple_fault", "boot_hang")


def retry_reason(lines):
    """Why a failed boot may be re-run, or None: a known emulator fault
    before the module's load began."""
    f = classify(lines)
    if f and f[0] == "before_module" and f[1] in RETRYABLE:
        return "%s before dom0gpu was loaded: %s" % (f[1], f[2])
    return None
