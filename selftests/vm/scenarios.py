# SPDX-License-Identifier: GPL-2.0
"""The platform matrix: what each scenario boots and how QEMU runs it."""

import collections

# Display-class PCI devices every VM gets, so GPU enumeration finds real
# ones. vendor:device:class as QEMU defines them (hw/display/vga-pci.c and
# bochs-display.c: PCI_VENDOR_ID_QEMU 0x1234, PCI_DEVICE_ID_QEMU_VGA
# 0x1111; classes PCI_CLASS_DISPLAY_VGA 0x0300 and PCI_CLASS_DISPLAY_OTHER
# 0x0380, programming interface 0).
DISPLAY_DEVICES = (
    ("VGA", "1234:1111:030000"),
    ("bochs-display", "1234:1111:038000"),
)

# The field's failing configuration: PV dom0, Xen's IOMMU off.
XEN_PV_CMDLINE = "console=com1 dom0_mem=1024M iommu=no"
# The fix: PVH dom0, which needs Xen's IOMMU.
XEN_PVH_CMDLINE = "console=com1 dom0_mem=1024M dom0=pvh iommu=1"

# A WARN or oops ends the boot (and fails the scenario). TCG on a busy
# host can starve a vCPU for seconds: RCU stall and lockup reports would
# then be noise, not findings, so they are off; a real hang still fails
# the scenario by its timeout. For the same reason the boot-time check that
# the timer interrupt works through the IO-APIC is skipped: a starved vCPU
# fails it ("timer doesn't work through Interrupt-remapped IO-APIC") and
# panics before any of our code runs.
LINUX_CMDLINE = ("panic=-1 panic_on_warn=1 oops=panic loglevel=5 "
                 "nowatchdog rcupdate.rcu_cpu_stall_suppress=1 no_timer_check")

# The CPU of every native VM: QEMU's qemu64 without CMPXCHG16B. QEMU 7.2's
# TCG computes that instruction's flags in a helper from env->cc_op, which
# the translator has not yet updated for the instructions before it in the
# same block (target/i386/tcg/translate.c, case 0x1c7: no
# gen_update_cc_op() before gen_helper_cmpxchg16b*; mem_helper.c:
# cpu_cc_compute_all(env, CC_OP)). Where the stale op is CC_OP_EFLAGS, the
# "flags" are CC_SRC, an earlier instruction's operand; once QEMU
# materializes them (a vCPU switch, an interrupt, PUSHF) its bits reach
# RFLAGS: TF, IOPL 3, reserved bits. Linux's SLUB runs CMPXCHG16B on every
# allocation's fast path, and the 64-vCPU scenario died of a single-step
# trap about once in 20 boots (docs/TESTING.md, "Boot reliability").
# Without CX16, Linux takes its fallbacks (this_cpu_cmpxchg16b_emu,
# slab_lock()), which QEMU runs right. The Xen scenarios keep CX16: Xen
# updates interrupt remapping entries with it, and newer Xen turns its
# IOMMU off without it (2024, "x86/iommu: Disable IOMMU if cx16 isn't
# supported"), which a PVH dom0 cannot boot without.
NATIVE_CPU = "qemu64,-cx16"
NATIVE_MACHINE = ["-machine", "pc", "-cpu", NATIVE_CPU]

# Xen-capable machine: q35, an emulated Intel IOMMU with interrupt
# remapping, and SVM+NPT so Xen can run the PVH dom0 (HVM container).
XEN_MACHINE = ["-machine", "q35", "-cpu", "qemu64,+svm,+npt",
               "-device", "intel-iommu,intremap=on"]

Scenario = collections.namedtuple("Scenario", [
    "name",        # D0G_SCENARIO
    "kernel",      # key for kernels.sh
    "xen_cmdline",  # None for native
    "machine",     # QEMU machine/cpu arguments
    "linux_extra",  # appended to the Linux command line
    "vcpus",
    "mem_mb",
    "hostroot",    # mount the host's root over virtio-9p
    "timeout_s",
    "xen_lines",   # lines Xen must print on the serial console
    "accel",       # QEMU -accel value
    # Emulated physical CPUs (QEMU -smp) where they differ from vcpus: a
    # Xen scenario's dom0 keeps its vcpus (Xen's dom0_max_vcpus), which
    # Xen then schedules on these. None: vcpus.
    "pcpus",
], defaults=(None,))


# Every native VM runs its vCPUs on one TCG thread, which QEMU round-robins.
# With a thread per vCPU (MTTCG) a vCPU now and then ran a stale translation
# of kernel code that another vCPU had just patched: text_poke_bp()'s int3
# still in the translated block, memory already holding the final
# instruction ("Oops: int3" in sched_clock_cpu before dom0gpu's load, 2 of
# 330 native boots on the lent machine; none of 150 on one thread, which was
# also faster: docs/TESTING.md, "Boot reliability"). On one thread no vCPU
# runs while another writes code, and 64 vCPUs do not make 64 host threads
# contend for a few cores (their guest spinlocks crawl then).
NATIVE_ACCEL = "tcg,thread=single"


def _native(kernel, name="native", machine=None, extra="", vcpus=2,
            mem=1024, timeout=600, accel=NATIVE_ACCEL):
    return Scenario(name, kernel, None,
                    machine or NATIVE_MACHINE,
                    extra, vcpus, mem, True, timeout, (), accel)


def _xen_lines(cmdline):
    """What Xen 4.17 itself must print for any of our Xen scenarios."""
    return (("xen_version_4_17", "(XEN) Xen version 4.17"),
            ("xen_cmdline_as_passed", "(XEN) Command line: " + cmdline))


# Seconds one test program may run in a VM.
TEST_TIMEOUT_S = 300


def with_pcpus(s, n):
    """Xen scenario s on n emulated CPUs, dom0 still with s.vcpus vCPUs:
    Xen gives dom0 one vCPU per CPU unless dom0_max_vcpus says otherwise
    (xen/arch/x86/dom0_build.c, dom0_max_vcpus())."""
    if s.xen_cmdline is None or n < 1:
        raise ValueError("cannot boot %s on %d emulated CPUs: only a Xen "
                         "dom0 keeps its vCPUs on another number of CPUs, "
                         "and QEMU needs at least one" % (label(s), n))
    words = [w for w in s.xen_cmdline.split()
             if not w.startswith("dom0_max_vcpus=")]
    if n != s.vcpus:
        words.append("dom0_max_vcpus=%d" % s.vcpus)
    return _with_xen_cmdline(s, " ".join(words))._replace(pcpus=n)


def _with_xen_cmdline(s, cmdline):
    lines = tuple(_xen_lines(cmdline)[1] if case == "xen_cmdline_as_passed"
                  else (case, text) for case, text in s.xen_lines)
    return s._replace(xen_cmdline=cmdline, xen_lines=lines)


PAGING_MODES = ("hap", "shadow")


def paging(s):
    """How Xen pages a PVH scenario's dom0: "shadow" where Xen's dom0=
    option asks for it, else "hap" (QEMU's emulated NPT); None for others."""
    if s.name != "xen-pvh":
        return None
    for w in s.xen_cmdline.split():
        if w.startswith("dom0=") and "shadow" in w[5:].split(","):
            return "shadow"
    return "hap"


def with_paging(s, mode):
    """PVH scenario s with its dom0 on HAP or on shadow paging. Xen 4.17
    takes dom0=pvh,shadow (xen/arch/x86/dom0_build.c, parse_dom0_param():
    opt_dom0_shadow, where Xen is built with CONFIG_SHADOW_PAGING, as
    Debian's is) and then creates dom0 without XEN_DOMCTL_CDF_hap
    (xen/arch/x86/setup.c, create_dom0(): HAP only when hvm_hap_supported()
    && !opt_dom0_shadow), so the CPU model may keep its NPT."""
    if paging(s) is None or mode not in PAGING_MODES:
        raise ValueError("cannot page %s's dom0 with %s: only a PVH dom0 "
                         "has HAP or shadow paging" % (label(s), mode))
    words = []
    for w in s.xen_cmdline.split():
        if w.startswith("dom0="):
            # parse_boolean() also reads no-shadow and shadow=<bool>.
            items = [i for i in w[5:].split(",")
                     if i.split("=")[0] not in ("shadow", "no-shadow")]
            w = "dom0=" + ",".join(items + ["shadow"] * (mode == "shadow"))
        words.append(w)
    return _with_xen_cmdline(s, " ".join(words))


def _xen_pv(kernel):
    # No host root: the YNL test, the only one that needs it, runs the
    # host's python over 9p, which in a PV dom0 under TCG took 34-177 s in
    # make check (11-15 s with only the other PV boot beside it; docs/
    # TESTING.md, "Time of make check"), the most variable part of the run.
    # It runs in every native scenario; a PV dom0's netlink replies are
    # checked against sysfs by netlink_test, the same attributes.
    # One emulated CPU, dom0 keeping its two vCPUs (_one_cpu()).
    return _one_cpu(Scenario(
        "xen-pv", kernel, XEN_PV_CMDLINE, XEN_MACHINE, "", 2, 2048, False,
        600, _xen_lines(XEN_PV_CMDLINE) +
        (("xen_iommu_disabled", "(XEN) I/O virtualisation disabled"),
         # The P2M ("Phys-Mach") map exists only for a PV dom0.
         ("xen_builds_pv_dom0", "(XEN)  Phys-Mach map:")),
        "tcg"))


def _one_cpu(s):
    """Xen scenario s on one emulated CPU, its dom0 keeping two vCPUs
    (with_pcpus). On two emulated CPUs each Xen VM is two TCG threads, so
    make check's two VMs on CI's two cores are four threads on two cores:
    under that load, at CI's density (the tests as make check runs them),
    a PVH dom0 died of QEMU's SVM fault (a Xen 'Triple fault') in about 1
    boot in 30 and the median boot took 117-121 s; on one emulated CPU 136
    of 136 passed, median 87-90 s; a PV dom0 took 86 s, on one CPU 41 s,
    147 of 147 passed (docs/TESTING.md, "Boot reliability")."""
    return with_pcpus(s, 1)


def _xen_pvh(kernel):
    # virtio-pci does not work in a Xen 4.17 PVH dom0 under QEMU: no 9p.
    # Multi-threaded TCG on purpose: with one TCG thread (thread=single)
    # for two emulated CPUs the PVH dom0 (under QEMU's emulated SVM) failed
    # 17 of 40 boots, with MTTCG 1 of 60 (docs/TESTING.md, "Boot
    # reliability"). One emulated CPU (_one_cpu()): with CPU hotplug
    # there, dom0 hung 5 times in about 5 800 CPU onlines (on two it
    # failed twice), but a PVH dom0 no longer hotplugs CPUs in make check.
    # HAP (QEMU's emulated NPT), as on a real host, not shadow paging
    # (with_paging): with shadow it failed 3 times in 4 206 onlines.
    return _one_cpu(Scenario(
        "xen-pvh", kernel, XEN_PVH_CMDLINE, XEN_MACHINE, "", 2, 2048, False,
        600, _xen_lines(XEN_PVH_CMDLINE) +
        (("xen_iommu_enabled", "(XEN) I/O virtualisation enabled"),
         ("xen_iommu_dom0_mode", "(XEN)  - Dom0 mode: "),
         ("xen_builds_pvh_dom0",
          "(XEN) WARNING: PVH is an experimental mode")),
        "tcg"))


SCENARIOS = (
    _native("6.1"),
    _native("6.12"),
    _native("5.10"),
    _native("6.12", name="native-iommu",
            machine=["-machine", "q35", "-cpu", NATIVE_CPU,
                     "-device", "intel-iommu"],
            extra="intel_iommu=on iommu=pt"),
    _xen_pv("6.1"),
    _xen_pv("5.10"),
    _xen_pvh("6.1"),
    _xen_pvh("6.12"),
    _native("6.12", name="native-smp64", vcpus=64, mem=2048, timeout=1200),
)

# NVIDIA's real driver judges the prediction in every scenario
# (nvdriver_test.c). These boots change what it decides, and run only that
# test: NVreg_UsePageAttributeTable=0 on the kernel command line (kmod's
# modprobe adds "nvidia.*" options from /proc/cmdline) or in modprobe.d,
# a kernel booted with nopat (no WC in the PAT), a CPU model without PAT.
NVIDIA_SCENARIOS = tuple(s._replace(hostroot=False) for s in (
    _native("6.1", name="native-nvreg-cmdline", timeout=300,
            extra="nvidia.NVreg_UsePageAttributeTable=0"),
    _native("6.12", name="native-nvreg-modprobe", timeout=300),
    _native("6.1", name="native-nopat", timeout=300, extra="nopat"),
    _native("6.12", name="native-cpu-nopat", timeout=300,
            machine=["-machine", "pc", "-cpu", NATIVE_CPU + ",-pat"]),
    # A kernel without CONFIG_X86_PAT (selftests/debug/nopat.config), where
    # NVIDIA's driver would take its builtin mode; NVIDIA's 535 driver does
    # not build for it (run.py, NVIDIA_KERNELS), a stand-in "nvidia" plays
    # its PAT rewrite (PRELOAD).
    _native("nopat", name="native-builtin-pat", timeout=300),
))
SCENARIOS += NVIDIA_SCENARIOS

# Variables of those scenarios' VMs (nvdriver_test.c says what each means).
_NVIDIA_ONLY = ("D0G_TESTS", "nvdriver_test")
NVIDIA_ENV = {
    "native-nvreg-cmdline": (_NVIDIA_ONLY, ("D0G_NVIDIA_LOAD", "modprobe"),
                             ("D0G_NVIDIA_OPTION_FROM", "/proc/cmdline")),
    "native-nvreg-modprobe": (_NVIDIA_ONLY, ("D0G_NVIDIA_LOAD", "modprobe"),
                              ("D0G_NVIDIA_CONF",
                               "options nvidia NVreg_UsePageAttributeTable=0"),
                              ("D0G_NVIDIA_OPTION_FROM",
                               "/etc/modprobe.d/nvidia.conf")),
    "native-nopat": (_NVIDIA_ONLY,),
    "native-cpu-nopat": (_NVIDIA_ONLY,),
    "native-builtin-pat": (("D0G_TESTS", "builtin_pat_test.sh"),
                           ("D0G_NVIDIA_BUILTIN", "1")),
}


# Files a scenario's VM gets beside the common initramfs (label: (path,
# text), ...). xen-pv/5.10 has a configured next boot, which dom0gpu-stat
# reads as xen.cmdline_configured: /etc/default/grub as Debian 12 installs
# it (grub2-common's /usr/share/grub/default/grub, its settings) with the
# Xen line of an admin half-way to PVH: dom0=pvh added, iommu=no kept.
# Xen 4.17 would panic on that boot (xen/drivers/passthrough/x86/iommu.c,
# arch_iommu_check_autotranslated_hwdom(): "Presently, iommu must be enabled
# for PVH hardware domain"). This boot is the same XEN_PV_CMDLINE, so the
# verdict is the same. Not xen-pv/6.1: the demo boots that one.
DEBIAN_GRUB_DEFAULTS = (
    "GRUB_DEFAULT=0\n"
    "GRUB_TIMEOUT=5\n"
    "GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n"
    'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n'
    'GRUB_CMDLINE_LINUX=""\n'
    "GRUB_DISABLE_OS_PROBER=true\n")
FILES = {
    "xen-pv/5.10": (("etc/default/grub", DEBIAN_GRUB_DEFAULTS +
                     'GRUB_CMDLINE_XEN_DEFAULT="console=com1 dom0_mem=1024M '
                     'dom0=pvh iommu=no"\n'),),
}


# Test-only modules (folder under selftests/vm, module name) that /init
# loads before dom0gpu: the stand-in "nvidia" that keeps the PAT rewritten
# the way NVIDIA's builtin mode does (builtin_pat_test.sh).
PRELOAD = {
    "native-builtin-pat": (("builtin-pat", "nvidia"),),
}


def debug_kernel(s):
    """make check-debug's kernel for a platform: KASAN cannot run in a Xen
    dom0 (selftests/debug/kasan.config says why), so the Xen platforms get
    the debug kernel without it. The no-PAT kernel has no debug build: its
    platform is the missing CONFIG_X86_PAT, so it keeps its own kernel."""
    if s.kernel == "nopat":
        return s.kernel
    return "debug-xen" if s.xen_cmdline else "debug"


# Harness self-test: a module that WARNs in init must fail its boot.
WARN_SCENARIO = _native("6.1", timeout=300)

DEMO_SCENARIOS = (_xen_pv("6.1"), _xen_pvh("6.1"))


def label(s):
    return "%s/%s" % (s.name, s.kernel)
