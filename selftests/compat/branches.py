#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every branch of kmod/compat/ compiled, every feature probe tested.

Run by `make check-compat` (part of `make check`); prints KTAP.

The trees CI has (Debian's 5.10, 6.1, 6.12 and 7.2) hold only the newer
side of most differences that kmod/compat/ handles. For the older sides,
this builds copies of Debian 11's 5.10 tree whose headers are put in the
form of an older release (ERAS below: only the declarations that the probe
and the module use, each with the release that has that form and the
upstream commit that changed it). A copy is made at test time under
build/check/compat/: links to the original's files and folders, real
folders only above the rewritten files.

  probe_<FLAG>         the probe in Kbuild.include sets FLAG exactly on the
                       trees that have the feature (FEATURES below), each
                       Debian tree and each era copy
  module_build_<era>_W1  dom0gpu.ko builds W=1 without a warning against the
                       era copy
  both_sides_<FLAG>    among the trees the module is compiled against in
                       make check (Debian's four, by the static checks, and
                       the era copies, here), one sets FLAG and one does not
"""

import concurrent.futures
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(TOP, "build", "check", "compat")
KERNELS = os.path.join(TOP, "selftests", "vm", "kernels.sh")
KBUILD_INCLUDE = os.path.join(TOP, "kmod", "compat", "Kbuild.include")
WARNING = re.compile(r"warning:|WARNING:|error:|ERROR:", re.I)


def sub_once(pattern, repl, text, flags=0):
    """re.sub that insists on a match, so a changed header fails loudly."""
    new, n = re.subn(pattern, repl, text, flags=flags)
    if not n:
        raise ValueError("pattern not found: %s" % pattern)
    return new


def drop_sysfs_emit(text):
    # sysfs_emit() and sysfs_emit_at() arrived in 5.10: 2efc459d06f1
    # ("sysfs: Add sysfs_emit and sysfs_emit_at to format sysfs output").
    # 4.19's sysfs.h has neither, nor their !CONFIG_SYSFS stubs.
    return sub_once(r"__printf\(\d, \d\)\n(?:static inline )?int "
                    r"sysfs_emit(?:_at)?\([^)]*\)(?:;|\n\{.*?\n\})\n",
                    "", text, re.S)


def drop_default_passthrough(text):
    # iommu_default_passthrough() arrived in 5.4 with Joerg Roedel's
    # "iommu: Add helpers to set/get default domain type"; 4.19 lacks it.
    return sub_once(r"(?:extern )?bool iommu_default_passthrough\(void\);\n"
                    r"|static inline bool iommu_default_passthrough\(void\)"
                    r"\n\{.*?\n\}\n", "", text, re.S)


def drop_device_iommu_mapped(text):
    # device_iommu_mapped() arrived in 5.0 (Joerg Roedel, "driver core:
    # Introduce device_iommu_mapped() function"); 4.19 lacks it.
    text = sub_once(r"/\*\*\n \* device_iommu_mapped.*?\*/\n", "", text, re.S)
    return sub_once(r"static inline bool device_iommu_mapped\(struct device "
                    r"\*dev\)\n\{.*?\n\}\n", "", text, re.S)


def liberal_netlink(text):
    # 4.19 parses attributes liberally and has no NL_VALIDATE_* flags; 5.2
    # added them and made nla_parse() and friends strict: 8cb081746c03
    # ("netlink: make validation more configurable for future strictness").
    # The copy drops NL_VALIDATE_STRICT and parses liberally, as 4.19 does.
    text = sub_once(r"#define NL_VALIDATE_STRICT \((?:[^\n]*\\\n)*[^\n]*\n",
                    "", text)
    return sub_once(r"\bNL_VALIDATE_STRICT\b", "NL_VALIDATE_LIBERAL", text)


def liberal_genetlink(text):
    # genlmsg_parse() is liberal in 4.19 as well (same commit).
    return sub_once(r"\bNL_VALIDATE_STRICT\b", "NL_VALIDATE_LIBERAL", text)


def drop_callback_extack(text):
    # struct netlink_callback got the request's extack in 4.20:
    # 4a19edb60d02 ("netlink: Pass extack to dump handlers").
    head, body, tail = re.match(r"(.*?\nstruct netlink_callback \{)(.*?)"
                                r"(\n\};.*)", text, re.S).groups()
    body = sub_once(r"\n\s*struct netlink_ext_ack\s*\*extack;", "", body)
    return head + body + tail


def drop_genl_ops_policy(text):
    # 5.2 to 5.9: struct genl_ops has no policy (nor maxattr), the family
    # holds the only one: 3b0f31f2b8c9 ("genetlink: make policy common to
    # family"); 5.10 brought them back: 48526a0f4ca2 ("genetlink: bring
    # back per op policy").
    head, body, tail = re.match(r"(.*?\nstruct genl_ops \{)(.*?)(\n\};.*)",
                                text, re.S).groups()
    body = sub_once(r"\n\s*const struct nla_policy \*policy;", "", body)
    body = sub_once(r"\n\s*unsigned int\s+maxattr;", "", body)
    return head + body + tail


# asm/pat.h was renamed asm/memtype.h in 5.6 (Ingo Molnar, "x86/mm/pat:
# Rename <asm/pat.h> => <asm/memtype.h>"); 4.19 has asm/pat.h. The copy
# renames the file back and includes it by its old name.
RENAME_PAT = ("arch/x86/include/asm/memtype.h", "arch/x86/include/asm/pat.h")

# Each era: the files rewritten (path in the -common tree: function) and
# renamed, relative to Debian 11's 5.10 tree.
ERAS = {
    "4.19": dict(
        rewrite={
            "include/linux/sysfs.h": drop_sysfs_emit,
            "include/linux/iommu.h": drop_default_passthrough,
            "include/linux/device.h": drop_device_iommu_mapped,
            "include/net/netlink.h": liberal_netlink,
            "include/net/genetlink.h": liberal_genetlink,
            "include/linux/netlink.h": drop_callback_extack,
        },
        rename=[RENAME_PAT]),
    "5.2-5.9": dict(
        rewrite={"include/net/genetlink.h": drop_genl_ops_policy},
        rename=[]),
}

# Which trees have each feature; the probe must say the same.
DEBIAN = ("5.10", "6.1", "6.12", "7.2")
ALL = DEBIAN + tuple("era-" + e for e in ERAS)
FEATURES = {
    "HAVE_RDMSRQ": ("7.2",),
    "HAVE_ASM_MEMTYPE_H": ("5.10", "6.1", "6.12", "7.2", "era-5.2-5.9"),
    "HAVE_SYSFS_EMIT": ("5.10", "6.1", "6.12", "7.2", "era-5.2-5.9"),
    "HAVE_IOMMU_PRESENT": ("5.10", "6.1", "6.12", "era-4.19",
                           "era-5.2-5.9"),
    "HAVE_IOMMU_DEFAULT_PASSTHROUGH": ("5.10", "6.1", "6.12", "7.2",
                                       "era-5.2-5.9"),
    "HAVE_DEVICE_IOMMU_MAPPED": ("5.10", "6.1", "6.12", "7.2",
                                 "era-5.2-5.9"),
    "HAVE_CONST_KOBJ_TYPE": ("6.1", "6.12", "7.2"),
    "HAVE_NL_VALIDATE_STRICT": ("5.10", "6.1", "6.12", "7.2",
                                "era-5.2-5.9"),
    "HAVE_NETLINK_CALLBACK_EXTACK": ("5.10", "6.1", "6.12", "7.2",
                                     "era-5.2-5.9"),
    "HAVE_GENL_OPS_POLICY": ("5.10", "6.1", "6.12", "7.2", "era-4.19"),
}


def kdir(name):
    out = subprocess.check_output([KERNELS, name], universal_newlines=True)
    return out.split()[1]


def srctree(kd):
    """Debian's headers include their -common tree's Makefile: that is
    the source tree; a full tree (7.2) is its own."""
    with open(os.path.join(kd, "Makefile")) as f:
        m = re.fullmatch(r"include (/\S+)/Makefile\n", f.read())
    return m.group(1) if m else kd


def own(copy, orig, rel):
    """Makes rel in copy a real file (or folder) that can be rewritten:
    each folder above it becomes a real folder of links to the original's
    entries. Returns its path in copy."""
    parts = rel.split("/")
    for i in range(1, len(parts)):
        d = os.path.join(copy, *parts[:i])
        if os.path.islink(d):
            os.unlink(d)
            os.mkdir(d)
            o = os.path.join(orig, *parts[:i])
            for name in os.listdir(o):
                os.symlink(os.path.join(o, name), os.path.join(d, name))
    path = os.path.join(copy, rel)
    if os.path.islink(path):
        os.unlink(path)
    return path


def make_era(era, kd510):
    """A copy of the 5.10 tree in the era's form; returns its KDIR."""
    common = srctree(kd510)
    top = os.path.join(OUT, "era-" + era)
    shutil.rmtree(top, ignore_errors=True)
    # Both parts of Debian's headers (-amd64 and -common) become links to
    # the original's entries, with real folders only above the files
    # rewritten; -amd64's Makefile includes the copy of -common.
    ckd = os.path.join(top, os.path.basename(kd510))
    ccommon = os.path.join(top, os.path.basename(common))
    for orig, copy in ((kd510, ckd), (common, ccommon)):
        os.makedirs(copy)
        for name in os.listdir(orig):
            os.symlink(os.path.join(orig, name), os.path.join(copy, name))
    with open(own(ckd, kd510, "Makefile"), "w") as f:
        f.write("include %s/Makefile\n" % ccommon)
    rewrite = dict(ERAS[era]["rewrite"])
    for old, new in ERAS[era]["rename"]:
        # Headers that include the file by its new name include the old.
        inc, was = ["<%s>" % p.split("/include/", 1)[1] for p in (old, new)]
        out = subprocess.run(["grep", "-rlF", inc, "--include=*.h",
                              os.path.join(common, "include"),
                              os.path.join(common, "arch", "x86")],
                             stdout=subprocess.PIPE, universal_newlines=True)
        for f in out.stdout.split():
            rewrite[os.path.relpath(f, common)] = \
                lambda t, inc=inc, was=was: t.replace(inc, was)
    for path, fn in rewrite.items():
        with open(os.path.join(common, path)) as f:
            text = fn(f.read())
        with open(own(ccommon, common, path), "w") as f:
            f.write(text)
    for old, new in ERAS[era]["rename"]:
        own(ccommon, common, old)
        os.symlink(os.path.join(common, old), own(ccommon, common, new))
    return ckd


def probe(src):
    """The HAVE_* flags Kbuild.include's probes give for source tree src."""
    mk = ("include %s\nall:\n\t@echo $(ccflags-y)\n" % KBUILD_INCLUDE)
    out = subprocess.run(["make", "-s", "--no-print-directory", "-f", "-",
                          "srctree=" + src, "VERSION=5", "PATCHLEVEL=10"],
                         input=mk, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, universal_newlines=True,
                         check=True).stdout
    return set(re.findall(r"-D(HAVE_\w+)", out))


def build(era, kd):
    """dom0gpu.ko W=1 against an era copy; (ok, log)."""
    p = subprocess.run(["make", "--no-print-directory", "module", "KDIR=" + kd,
                        "KOUT=" + os.path.join(OUT, "kmod-" + era), "W=1"],
                       cwd=TOP, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    bad = [ln for ln in p.stdout.splitlines() if WARNING.search(ln)]
    return p.returncode == 0 and not bad, p.stdout


def main():
    os.makedirs(OUT, exist_ok=True)
    results = []
    kd = {k: kdir(k) for k in DEBIAN}
    for era in ERAS:
        kd["era-" + era] = make_era(era, kd["5.10"])
    flags = {t: probe(srctree(kd[t])) for t in ALL}

    # Every probe in Kbuild.include must be listed in FEATURES.
    with open(KBUILD_INCLUDE) as f:
        probed = set(re.findall(r"-D(HAVE_\w+)", f.read()))
    for flag in sorted(probed - set(FEATURES)):
        results.append((False, "probe_" + flag,
                        ["# %s: no expected trees in FEATURES" % flag]))
    for flag, want in FEATURES.items():
        wrong = ["# %s: %s, expected %s" % (t, flag in flags[t], t in want)
                 for t in ALL if (flag in flags[t]) != (t in want)]
        results.append((not wrong, "probe_" + flag, wrong))

    with concurrent.futures.ThreadPoolExecutor(len(ERAS)) as pool:
        built = dict(zip(ERAS, pool.map(lambda e: build(e, kd["era-" + e]),
                                        ERAS)))
    for era, (ok, log) in built.items():
        with open(os.path.join(OUT, "build-%s.log" % era), "w") as f:
            f.write(log)
        lines = [] if ok else ["# " + ln for ln in log.splitlines()[-30:]]
        results.append((ok, "module_build_era_%s_W1" % era, lines))

    for flag in sorted(probed):
        on = [t for t in ALL if flag in flags[t]]
        off = [t for t in ALL if flag not in flags[t]]
        results.append((bool(on and off), "both_sides_" + flag,
                        ["# %s set by: %s; unset by: %s" %
                         (flag, " ".join(on) or "none",
                          " ".join(off) or "none")]))

    print("KTAP version 1")
    print("1..%d" % len(results))
    failed = 0
    for n, (ok, name, lines) in enumerate(results, 1):
        if not ok:
            failed += 1
            for ln in lines:
                print(ln)
        print("%s %d %s" % ("ok" if ok else "not ok", n, name))
    print("# compat: %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
