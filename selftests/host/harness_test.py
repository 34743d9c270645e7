#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The VM harness's judgement of a boot, on the host: which console lines
name which fault (faults.py), which boot may be re-run, and how run.py's
console reader nudges a silent Xen machine and stops a boot that hangs
before dom0gpu's load. The console lines are the formats of the kernel's
and Xen's own messages (cited by case); "QEMU" is a Python script. Prints
KTAP."""

import json
import os
import subprocess
import sys
import time
import traceback
import types

VM = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "vm")
sys.path.insert(0, VM)
import faults  # noqa: E402
import run  # noqa: E402

LOAD = "D0G-TEST-BEGIN vm_setup"
BOOT = ["(XEN) Xen version 4.17.7", "[    0.000000] Linux version 6.12",
        "D0G-BOOTED xen-pvh 6.12.117+deb12-amd64"]

# kernel/hung_task.c, check_hung_task():
#   "INFO: task %s:%d blocked for more than %ld seconds.\n"
HUNG = "[  245.311045] INFO: task modprobe:257 blocked for more than 120 seconds."
# xen/arch/x86/hvm/hvm.c, hvm_triple_fault():
#   "d%dv%d Triple fault - invoking HVM shutdown action %d\n"
TRIPLE = "(XEN) d0v1 Triple fault - invoking HVM shutdown action 1"
# arch/x86/kernel/dumpstack.c, __die_header() (6.12: "Oops: " and the
# trap's name, "int3" for X86_TRAP_BP), and die()'s "%s: %04lx [#%d]"
# before it.
INT3_612 = "[   10.912233] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI"
INT3_61 = "[   10.912233] int3: 0000 [#1] PREEMPT SMP NOPTI"
WARN = "[   20.100000] WARNING: CPU: 1 PID: 1 at kernel/sched/deadline.c:265"

cases = []


def case(ok, name, why=""):
    cases.append((bool(ok), name, why))


def at_once(blocks):
    """Runs each block in a process of its own, all at the same time,
    their cases kept in the blocks' order."""
    running = []
    for block in blocks:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            del cases[:]
            try:
                block()
            except Exception:
                case(False, block.__name__, traceback.format_exc())
            with os.fdopen(w, "w") as f:
                json.dump(cases, f)
            os._exit(0)
        os.close(w)
        running.append((block, pid, r))
    for block, pid, r in running:
        with os.fdopen(r) as f:
            got = f.read()
        os.waitpid(pid, 0)
        try:
            cases.extend(tuple(c) for c in json.loads(got))
        except ValueError:
            case(False, block.__name__, "no result: %r" % got)


def classify_cases():
    for line, name, case_name in (
            (HUNG, "hung_task", "hung_task"),
            (TRIPLE, "xen_triple_fault", "xen_triple_fault"),
            (INT3_612, "int3_oops", "int3_oops_6_12"),
            (INT3_61, "int3_oops", "int3_oops_6_1"),
            (WARN, "kernel_warn", "kernel_warn")):
        before = faults.classify(BOOT + [line] + [LOAD])
        after = faults.classify(BOOT + [LOAD, line])
        case(before and before[:2] == ("before_module", name) and
             after and after[:2] == ("after_module", name),
             "classify_" + case_name, "got %s / %s" % (before, after))
    case(faults.classify(BOOT + [LOAD, "ok 1 insmod_dom0gpu"]) is None,
         "classify_clean_boot")
    # The first fault names the boot, not a later consequence of it.
    f = faults.classify(BOOT + [LOAD, HUNG, "[  245.4] Call Trace:",
                                "[  245.9] Kernel panic - not syncing: "
                                "hung_task: blocked tasks"])
    case(f and f[1] == "hung_task", "classify_first_fault_wins", str(f))


def retry_cases():
    silent = run.HARNESS_LINE + "boot hung: silent for 180 s before " \
        "dom0gpu's load began, stopped"
    for line, name in ((TRIPLE, "xen_triple_fault"), (INT3_612, "int3_oops"),
                       (silent, "boot_hang")):
        why = faults.retry_reason(BOOT + [line])
        case(why and why.startswith(name + " before dom0gpu was loaded: ")
             and line.strip() in why, "retry_before_load_" + name, str(why))
        case(faults.retry_reason(BOOT + [LOAD, line]) is None,
             "no_retry_after_load_" + name)
    # Known signatures that are not the emulator's are never re-run.
    for line, name in ((HUNG, "hung_task"), (WARN, "kernel_warn")):
        case(faults.retry_reason(BOOT + [line]) is None,
             "no_retry_" + name)


class Log(list):
    def write(self, text):
        self.append(text)


# A stand-in for QEMU: prints what the steps say, reads the keys run.py
# sends (stdin is the serial port's input).
FAKE = """
import os, sys, time
def say(text):
    os.write(1, (text + "\\n").encode())
def key(n=1):
    got = os.read(0, n)
    if not got:
        sys.exit(0)
    return got
%s
"""
XEN_INPUT = "(XEN) *** Serial input to DOM0 (type 'CTRL-a' three times to " \
    "switch input)"
# What Xen does with the harness's CTRL-a three times.
TAKE_INPUT = """
say(%r)
got = key(3)
say("(XEN) input taken " + got.hex())
if got == b"\\x01\\x01\\x01":
    say("(XEN) *** Serial input to Xen (type 'CTRL-a' three times to "
        "switch input)")
""" % XEN_INPUT


def fake_qemu(steps, xen, limit=600):
    """run.Console on a Python script standing in for QEMU."""
    p = subprocess.Popen([sys.executable, "-c", FAKE % steps],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    s = types.SimpleNamespace(xen_cmdline="dom0=pvh" if xen else None)
    t0 = time.time()
    lines = run.Console(p, s, Log(), t0, limit, None).read()
    p.wait()
    return lines, time.time() - t0


def harness(lines, text):
    return any(ln.startswith(run.HARNESS_LINE) and text in ln
               for ln in lines)


def console_cases():
    run.NUDGE_S = 1
    run.BOOT_SILENCE_S = 4
    run.XEN_DUMP_S = 1

    def input_taken_stall_nudged():
        # Xen hands its input to dom0: the harness takes it for Xen, once; a
        # stall that waits for an interrupt ends with the first nudge.
        lines, _ = fake_qemu(TAKE_INPUT + """
say("D0G-BOOTED x")
say("stall over " + key().hex())
say(%r)
say(%r)
say("D0G-DONE")
""" % (LOAD, XEN_INPUT), True)
        case(lines.count("(XEN) input taken " + run.XEN_TAKE_INPUT.hex()) == 1,
             "xen_input_taken_once", str(lines))
        case("stall over " + run.XEN_NO_OP_KEY.hex() in lines and
             lines.nudge_count == 1 and len(lines.nudges) == 1 and
             lines.nudges[0] < 2 and faults.classify(lines) is None and
             not harness(lines, "boot hung"), "nudge_ends_stall",
             "%s, nudges %d, %s" % (lines, lines.nudge_count, lines.nudges))

    def no_key_before_xen_input():
        # No nudge before Xen said the input is its own: a key for dom0 is
        # never sent.
        lines, _ = fake_qemu("""
import select
say(%r)
key(3)
say("D0G-BOOTED x")
say(%r)
if select.select([0], [], [], 3)[0]:
    say("got input " + key().hex())
say("D0G-DONE")
""" % (XEN_INPUT, LOAD), True)
        case(lines[-1:] == ["D0G-DONE"] and not lines.nudge_count and
             not any("got input" in ln for ln in lines),
             "no_nudge_without_xen_input", str(lines))

    def silent_boot_stopped():
        # A boot that nudges do not wake: stopped as hung before the module's
        # load, after Xen's dump of dom0, which is no nudge's doing; may be
        # re-run once.
        lines, wall = fake_qemu(TAKE_INPUT + """
say("D0G-BOOTED x")
while True:
    if key() == b"0":
        say("(XEN) '0' pressed -> dumping Dom0's registers")
""", True)
        case(harness(lines, "boot hung") and
             "(XEN) '0' pressed -> dumping Dom0's registers" in lines and
             lines.nudge_count >= 2 and not lines.nudges and wall < 30,
             "silent_boot_is_stopped", "%s, %.0f s" % (lines, wall))
        said = " ".join(run.console_summary(lines))
        case("the console never spoke again after one" in said,
             "summary_of_unanswered_nudges", said)
        why = faults.retry_reason(lines)
        case(why and why.startswith("boot_hang "), "silent_boot_may_rerun",
             str(why))

    def qemu_words_after_stop():
        # QEMU's last words on the SIGTERM that stops it are no sign that the
        # boot went on (qemu_kill_report() in QEMU's softmmu/runstate.c
        # prints "terminating on signal N").
        lines, _ = fake_qemu(TAKE_INPUT + """
import signal
def stop(sig, frame):
    say("qemu-system-x86_64: terminating on signal %d" % sig)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
say("D0G-BOOTED x")
while True:
    if key() == b"0":
        say("(XEN) '0' pressed -> dumping Dom0's registers")
""", True)
        case(harness(lines, "boot hung") and
             any("terminating on signal" in ln for ln in lines) and
             not harness(lines, "went on"), "stopped_boot_did_not_go_on",
             str(lines))

    def boot_going_on():
        # A boot that goes on after the dump is not stopped.
        lines, _ = fake_qemu(TAKE_INPUT + """
say("D0G-BOOTED x")
while key() != b"0":
    pass
say("(XEN) '0' pressed -> dumping Dom0's registers")
say(%r)
say("D0G-DONE")
""" % LOAD, True)
        case(harness(lines, "went on after Xen's dump") and
             lines[-1] == "D0G-DONE" and not harness(lines, "boot hung") and
             faults.classify(lines) is None, "boot_going_on_is_not_stopped",
             str(lines))

    def native_stopped():
        # Native: no keys for a Linux console, stopped all the same.
        lines, wall = fake_qemu("""
say("D0G-BOOTED x")
say("got input " + key().hex())
""", False)
        case(harness(lines, "boot hung") and wall < 30 and
             not any("got input" in ln for ln in lines) and
             not lines.nudge_count, "silent_native_boot_is_stopped",
             "%s, %.0f s" % (lines, wall))

    def blank_lines():
        # Blank lines (a tty echoing a newline) are no sign of life.
        lines, wall = fake_qemu("""
say("D0G-BOOTED x")
while True:
    say("")
    time.sleep(0.3)
""", False)
        case(harness(lines, "boot hung") and wall < 30,
             "blank_lines_are_silence", "%.0f s" % wall)

    def silence_after_load():
        # After the module's load began, silence is the tests' business (their
        # timeouts, the hung-task panic): nudged, never stopped.
        lines, _ = fake_qemu(TAKE_INPUT + """
say(%r)
time.sleep(%d)
say("D0G-DONE")
""" % (LOAD, run.BOOT_SILENCE_S + 1), True)
        case(lines[-1] == "D0G-DONE" and lines.nudge_count >= 2 and
             not harness(lines, "boot hung"), "silence_after_load_allowed",
             str(lines))

    def asked_near_limit():
        # Near the scenario's time limit Xen is asked where dom0 stands.
        lines, _ = fake_qemu(TAKE_INPUT + """
say(%r)
while key() != b"0":
    pass
say("(XEN) '0' pressed -> dumping Dom0's registers")
""" % LOAD, True, limit=3)
        case(harness(lines, "asking Xen") and
             "(XEN) '0' pressed -> dumping Dom0's registers" in lines,
             "xen_asked_before_time_limit", str(lines))

    def longest_silence():
        # The longest silence before the load is what the boot had, not the
        # silence after it.
        lines, _ = fake_qemu("""
say("a")
time.sleep(1.5)
say(%r)
time.sleep(3)
say("D0G-DONE")
""" % LOAD, False)
        case(1.3 < lines.longest_boot_silence < 3, "longest_silence_measured",
             "%.2f s" % lines.longest_boot_silence)

    def unterminated_line():
        # A last line without its newline is kept.
        lines, _ = fake_qemu("""
say(%r)
os.write(1, b"D0G-DONE")
""" % LOAD, False)
        case(lines == [LOAD, "D0G-DONE"], "unterminated_last_line_kept",
             str(lines))

    # Each mostly waits on its stand-in's clock: all at once.
    at_once([input_taken_stall_nudged, no_key_before_xen_input,
             silent_boot_stopped, qemu_words_after_stop, boot_going_on,
             native_stopped, blank_lines, silence_after_load,
             asked_near_limit, longest_silence, unterminated_line])


def main():
    classify_cases()
    retry_cases()
    console_cases()
    print("TAP version 13")
    print("1..%d" % len(cases))
    for i, (ok, name, why) in enumerate(cases, 1):
        if not ok:
            print("# %s" % why)
        print("%s %d %s" % ("ok" if ok else "not ok", i, name))
    return 0 if all(ok for ok, _, _ in cases) else 1


if __name__ == "__main__":
    sys.exit(main())
