#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""--plan's checks, one TAP line each (plan_test.sh builds the trees).

What is expected comes from the boot loaders, not from our output:
 - GRUB 2.06 (Debian 12's grub-common/grub2-common): grub-reboot ENTRY runs
   "grub-editenv $grubdir/grubenv set next_entry=ENTRY" (util/grub-reboot.in);
   ENTRY is a number, title or id, ">" through submenus (GRUB manual,
   "default"); 20_linux_xen's Xen line is "multiboot2 FILE placeholder
   ARGS ${xen_rm_opts}"; grub-mkconfig sources /etc/default/grub, then
   /etc/default/grub.d/*.cfg, and /etc/grub.d/NN_* in order; a custom file
   is "#!/bin/sh / exec tail -n +3 $0" then menu text (40_custom).
 - XCP-ng: xcp/bootloader.py setNextBoot() writes override_entry=INDEX with
   grub-editenv and puts "unset override_entry / save_env override_entry"
   in the entry; xen-cmdline --set-xen/--delete-xen edit the Xen line.
 - Xen 4.17: "iommu must be enabled for PVH hardware domain" with iommu=no
   and dom0=pvh (xen/arch/x86/dom0_build.c); iommu=<bool> and no-iommu
   switch the IOMMU; dom0-iommu=passthrough is PV-only (xen-command-line).
 - xen.efi: its first non-option argument names the xen.cfg section
   (xen/common/efi/boot.c); efibootmgr -C creates an entry outside BootOrder.
"""
import json
import os
import re
import shutil
import subprocess
import sys

BIN, ASAN, ROOTS, SCHEMA = sys.argv[1:5]
n = 0
failed = 0


def tap(ok, what, diag=""):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print(("ok" if ok else "not ok") + " %d - %s" % (n, what))
    if not ok and diag:
        for line in str(diag).splitlines()[:40]:
            print("# " + line)


def run(binary, root, *args):
    p = subprocess.run([binary, "--root", os.path.join(ROOTS, root)] + list(args),
                       capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    return p.returncode, p.stdout, p.stderr


def plan_of(root):
    rc, out, err = run(BIN, root, "--plan", "--json")
    return json.loads(out), rc


def steps(plan):
    return {s["phase"]: s for s in plan["steps"]}


def in_root(cmd, root):
    """The step's commands with the host's paths (not the here-document's) moved under root."""
    parts = re.split(r"(<<'DOM0GPU_EOF'\n.*?\nDOM0GPU_EOF\n)", cmd, flags=re.S)
    return "".join(p if i % 2 else re.sub(r"(?<=[\s>'])/(etc|boot)/", root + r"/\1/", p)
                   for i, p in enumerate(parts))


# The boot loader tools the steps call, as no-ops: the tests run the file edits.
STUBS = "update_grub() { :; }; alias update-grub=update_grub; "


try:
    import jsonschema
    schema = json.load(open(SCHEMA))
except ImportError:
    jsonschema = None

print("TAP version 13")
ALL = ["debian_bios", "debian_saved", "debian_pending", "debian_btrfs", "debian_lvm",
       "debian_no_oneshot", "rhel", "xcpng_bios", "xcpng_uefi", "efi_xen_cfg", "unknown"]

for name in ALL:
    rc, out, err = run(ASAN, name, "--plan")
    tap(rc in (0, 1, 2) and "Sanitizer" not in err and "runtime error" not in err and
        out.startswith("PVH trial plan: "), "%s: --plan text under ASan/UBSan" % name, err + out)
    p, rc = plan_of(name)
    if jsonschema:
        try:
            rep = json.loads(run(BIN, name, "--plan", "--json")[1])
            jsonschema.validate(rep, schema, cls=jsonschema.Draft202012Validator)
            tap("plan" in rep, "%s: --plan --json valid against the schema" % name)
        except Exception as e:  # noqa: BLE001 - any failure is the test's result
            tap(False, "%s: --plan --json valid against the schema" % name, e)
    changing = [s for s in p["plan"]["steps"] if s["phase"] not in ("check", "verify")]
    tap(all(s["changes"] for s in changing),
        "%s: every step that changes something names what it changes" % name)

# ---- Debian 12, BIOS ----
p = plan_of("debian_bios")[0]["plan"]
st = steps(p)
tap(p["boot_setup"] == "grub-mkconfig" and p["firmware"] == "bios" and p["possible"],
    "debian_bios: grub-mkconfig, BIOS, plan possible", p)
tap(p["current_entry"]["title"] == "Debian GNU/Linux, with Xen hypervisor",
    "debian_bios: grub.cfg's default (from grub.d/xen.cfg's override) is the current Xen entry", p)
tap(p["trial_xen_args"] == "dom0_mem=1024M dom0=pvh",
    "debian_bios: trial drops iommu=no and adds dom0=pvh", p["trial_xen_args"])
tap([s["phase"] for s in p["steps"]] ==
    ["check", "add-trial", "boot-once", "verify", "make-permanent", "rollback"],
    "debian_bios: steps in order check, add-trial, boot-once, verify, make-permanent, rollback")
tap("grub-reboot dom0gpu-pvh-trial\n" in st["boot-once"]["commands"] and
    "/boot/grub/grubenv" in st["boot-once"]["changes"],
    "debian_bios: one-time boot with grub-reboot (changes grubenv)", st["boot-once"])
tap("dom0gpu-stat --probe" in st["verify"]["commands"], "debian_bios: verify runs --probe")
sandbox = os.path.join(ROOTS, "..", "sandbox")
shutil.rmtree(sandbox, ignore_errors=True)
shutil.copytree(os.path.join(ROOTS, "debian_bios"), sandbox, symlinks=True)
os.makedirs(sandbox + "/etc/grub.d", exist_ok=True)
subprocess.run(["sh", "-c", STUBS + in_root(st["add-trial"]["commands"], sandbox)],
               capture_output=True)
gen = subprocess.run(["sh", sandbox + "/etc/grub.d/42_dom0gpu-pvh-trial"], capture_output=True,
                     text=True).stdout
orig = open(sandbox + "/boot/grub/grub.cfg").read()
m = re.search(r"menuentry 'Debian GNU/Linux, with Xen hypervisor'.*?\{\n(.*?)\n\}", orig, re.S)
want = m.group(1).replace(
    "multiboot2\t/boot/xen-4.17-amd64.gz placeholder dom0_mem=1024M iommu=no ${xen_rm_opts}",
    "multiboot2 /boot/xen-4.17-amd64.gz placeholder dom0_mem=1024M dom0=pvh ${xen_rm_opts}")
tap(gen == "menuentry 'dom0gpu PVH trial' $menuentry_id_option 'dom0gpu-pvh-trial' {\n" +
    want + "\n}\n",
    "debian_bios: /etc/grub.d/42_dom0gpu-pvh-trial prints the Xen entry with the trial's "
    "Xen options (run with sh, as grub-mkconfig does)", gen)
check = shutil.which("grub-script-check")
if check:
    r = subprocess.run([check], input=gen, capture_output=True, text=True)
    tap(r.returncode == 0, "debian_bios: grub-script-check accepts the trial entry", r.stderr)
else:
    print("ok %d - debian_bios: grub-script-check accepts the trial entry # SKIP no "
          "grub-script-check" % (n + 1))
    n += 1
perm = [l for l in st["make-permanent"]["commands"].splitlines() if l.startswith("sed ")]
subprocess.run(["sh", "-c", in_root("\n".join(perm), sandbox)])
val = subprocess.run(["sh", "-c", '. ./etc/default/grub 2>/dev/null; '
                      'echo "$GRUB_CMDLINE_XEN_DEFAULT"'], cwd=sandbox,
                     capture_output=True, text=True).stdout.strip()
tap(val == "dom0_mem=1024M dom0=pvh",
    "debian_bios: make-permanent's sed leaves GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M "
    "dom0=pvh\" in /etc/default/grub (sourced by sh)", val)
tap("/etc/default/grub" in st["make-permanent"]["changes"] and
    "rm /etc/grub.d/42_dom0gpu-pvh-trial" in st["make-permanent"]["commands"] and
    "update-grub" in st["make-permanent"]["commands"],
    "debian_bios: make-permanent removes the trial entry and runs update-grub")
tap("grub-editenv /boot/grub/grubenv unset next_entry" in st["rollback"]["commands"],
    "debian_bios: rollback clears a pending next_entry")

# ---- Debian, GRUB_DEFAULT=saved, nested entry, every option the preflight names ----
p = plan_of("debian_saved")[0]["plan"]
tap(p["current_entry"]["title"] == "Advanced options for Debian GNU/Linux (with Xen hypervisor)"
    ">Xen hypervisor, version 4.17-amd64>Debian GNU/Linux, with Xen 4.17-amd64 and Linux "
    "6.1.0-27-amd64" and p["firmware"] == "uefi",
    "debian_saved: saved_entry (title>id>id) resolves to the nested Xen entry", p)
tap(p["trial_xen_args"] == "dom0_mem=2G,max:2G dom0=pvh,verbose iommu=verbose "
    "dom0-iommu=map-inclusive",
    "debian_saved: dom0=pv,verbose -> pvh,verbose; iommu=off and no-iommu, nmi=dom0, "
    "dom0-iommu=passthrough dropped", p["trial_xen_args"])

st = steps(p)
sandbox = os.path.join(ROOTS, "..", "saved")
shutil.rmtree(sandbox, ignore_errors=True)
shutil.copytree(os.path.join(ROOTS, "debian_saved"), sandbox, symlinks=True)
perm = [l for l in st["make-permanent"]["commands"].splitlines() if l.startswith("sed ")]
subprocess.run(["sh", "-c", in_root("\n".join(perm), sandbox)])
val = subprocess.run(["sh", "-c", '. ./etc/default/grub; for f in ./etc/default/grub.d/*.cfg; do '
                      '. "$f"; done 2>/dev/null; echo "$GRUB_CMDLINE_XEN_DEFAULT"'], cwd=sandbox,
                     capture_output=True, text=True).stdout.strip()
tap(st["make-permanent"]["changes"][0] == "/etc/default/grub.d/50-local.cfg" and
    val == "dom0_mem=2G,max:2G dom0=pvh,verbose iommu=verbose dom0-iommu=map-inclusive",
    "debian_saved: make-permanent edits grub.d/50-local.cfg, the file whose "
    "GRUB_CMDLINE_XEN_DEFAULT grub-mkconfig uses last", "%s\n%s" % (st["make-permanent"], val))

# ---- what makes a one-time boot unsafe ----
for name, word in (("debian_pending", "already pending: next_entry=1"),
                   ("debian_btrfs", "btrfs, which GRUB cannot write"),
                   ("debian_lvm", "/dev/mapper/vg-boot"),
                   ("debian_no_oneshot", "next_entry block")):
    p = plan_of(name)[0]["plan"]
    tap(not p["possible"] and not p["steps"] and any(word in x for x in p["problems"]),
        "%s: no steps, problem says \"%s\"" % (name, word), p["problems"])

# ---- RHEL-like ----
p = plan_of("rhel")[0]["plan"]
st = steps(p)
tap(p["config"] == "/boot/grub2/grub.cfg" and
    "grub2-reboot dom0gpu-pvh-trial" in st["boot-once"]["commands"] and
    "grub2-mkconfig -o /boot/grub2/grub.cfg" in st["add-trial"]["commands"] and
    p["trial_xen_args"] == "dom0_mem=1024M,max:1024M dom0=pvh",
    "rhel: grub2-reboot, grub2-mkconfig -o /boot/grub2/grub.cfg, iommu=0 dropped", p)

# ---- XCP-ng ----
for name, cfg, env in (("xcpng_bios", "/boot/grub/grub.cfg", "/boot/grub/grubenv"),
                       ("xcpng_uefi", "/boot/efi/EFI/xenserver/grub.cfg",
                        "/boot/efi/EFI/xenserver/grubenv")):
    p = plan_of(name)[0]["plan"]
    st = steps(p)
    tap(p["boot_setup"] == "xcp-ng-grub" and p["config"] == cfg and
        ("grub-editenv %s set override_entry=4" % env) in st["boot-once"]["commands"],
        "%s: %s, override_entry=4 (the 5th entry) in %s" % (name, cfg, env), p)
sandbox = os.path.join(ROOTS, "..", "xcp")
shutil.rmtree(sandbox, ignore_errors=True)
shutil.copytree(os.path.join(ROOTS, "xcpng_bios"), sandbox, symlinks=True)
p = plan_of("xcpng_bios")[0]["plan"]
st = steps(p)
subprocess.run(["sh", "-c", STUBS + in_root(st["add-trial"]["commands"], sandbox)],
               capture_output=True)
entries = re.findall(r"^menuentry '([^']*)'.*?\{\n(.*?)^\}", open(sandbox + "/boot/grub/grub.cfg")
                     .read(), re.S | re.M)
tap(len(entries) == 5 and entries[4][0] == "dom0gpu PVH trial" and
    entries[4][1].startswith("\tunset override_entry\n\tsave_env override_entry\n") and
    "multiboot2 /boot/xen.gz dom0_mem=7584M,max:7584M watchdog ucode=scan "
    "dom0_max_vcpus=1-16 crashkernel=256M,below=4G console=vga vga=mode-0x0311 dom0=pvh\n"
    in entries[4][1] and os.path.exists(sandbox + "/boot/grub/grub.cfg.dom0gpu-pre-trial"),
    "xcpng_bios: add-trial appends entry 4, which clears override_entry and boots dom0=pvh "
    "without iommu=0", entries[4] if len(entries) > 4 else entries)
tap("xen-cmdline --set-xen 'dom0=pvh'" in st["make-permanent"]["commands"] and
    "xen-cmdline --delete-xen 'iommu'" in st["make-permanent"]["commands"],
    "xcpng_bios: make-permanent: xen-cmdline --set-xen dom0=pvh, --delete-xen iommu",
    st["make-permanent"]["commands"])

# ---- EFI xen.cfg ----
p = plan_of("efi_xen_cfg")[0]["plan"]
st = steps(p)
tap(p["boot_setup"] == "efi-xen-cfg" and
    "--disk /dev/nvme0n1 --part 1" in st["add-trial"]["commands"] and
    "--create-only" in st["add-trial"]["commands"] and
    "--loader '\\EFI\\debian\\xen-4.17-amd64.efi' --unicode 'dom0gpu-pvh-trial'"
    in st["add-trial"]["commands"] and
    "options=console=vga,com1 com1=115200,8n1 dom0_mem=4G dom0=pvh\n" in
    st["add-trial"]["commands"] and "efibootmgr --bootnext" in st["boot-once"]["commands"],
    "efi_xen_cfg: new xen.cfg section, Boot#### outside BootOrder on nvme0n1 p1, BootNext", p)

# ---- unknown ----
p = plan_of("unknown")[0]["plan"]
looked = [x["path"] for x in p["looked_at"]]
tap(p["boot_setup"] == "unknown" and not p["possible"] and
    {"/usr/sbin/grub-mkconfig", "/opt/xensource/libexec/xen-cmdline",
     "/sys/firmware/efi"} <= set(looked),
    "unknown: says it cannot tell and what it looked at", p)

rc, out, err = run(BIN, "debian_bios", "--plan", "--prometheus")
tap(rc == 64 and "--plan" in err and out == "", "--plan --prometheus: usage error 64", err)

print("1..%d" % n)
sys.exit(1 if failed else 0)
