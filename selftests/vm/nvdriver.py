# SPDX-License-Identifier: GPL-2.0
"""NVIDIA's real kernel driver (Debian 12's nvidia-kernel-source, fetched by
deps.sh), built for a kernel of the VM matrix. The VM tests load it after
dom0gpu has made its prediction: its own NVRM lines judge the prediction
(selftests/dom0gpu/nvdriver_test.c).

Only the core module (nvidia.ko) is built: it runs nv_init_pat_support()
before it looks for a GPU. The stripped module is cached by package version
and kernel release, so a second run does not rebuild it.
"""

import os
import re
import shutil
import subprocess
import tempfile

CACHE = os.environ.get("D0G_CACHE", "/var/cache/dom0gpu")
SOURCE = os.path.join(CACHE, "nvidia-kernel-source")


def version():
    """The nvidia-kernel-source package version deps.sh unpacked."""
    with open(os.path.join(SOURCE, "version")) as f:
        return f.read().strip()


def _store(build_dir):
    """Where built modules are kept: the shared cache when it is writable
    (a fresh clone on the same machine reuses them), else the build tree."""
    if os.access(CACHE, os.W_OK):
        return os.path.join(CACHE, "nvidia-build")
    return os.path.join(build_dir, "nvidia")


def _common_tree(kdir):
    """Debian splits a kernel's headers: the flavour's folder includes the
    -common folder's Makefile, which NVIDIA's conftest needs as SYSSRC."""
    with open(os.path.join(kdir, "Makefile")) as f:
        m = re.search(r"^include\s+(\S+)/Makefile\s*$", f.read(), re.M)
    return m.group(1) if m else kdir


def path(rel, build_dir):
    """Where nvidia.ko for kernel release rel is (once built)."""
    return os.path.join(_store(build_dir), version(), rel, "nvidia.ko")


def build(rel, kdir, build_dir, log):
    """Builds nvidia.ko for kernel release rel (headers in kdir) into
    path(); the build's output goes to log."""
    ver = version()
    ko = path(rel, build_dir)
    dst = os.path.dirname(ko)
    src = os.path.join(SOURCE, ver, "modules", "nvidia-kernel")
    os.makedirs(dst, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dst) as tmp:
        tree = os.path.join(tmp, "nvidia-kernel")
        shutil.copytree(src, tree, symlinks=True)
        # CC=gcc: Debian's headers name the compiler the kernel was built
        # with (gcc-10 for Debian 11's 5.10), which may not be installed.
        cmd = ["make", "-C", tree, "-j%d" % (os.cpu_count() or 1),
               "CC=gcc", "SYSSRC=" + _common_tree(kdir), "SYSOUT=" + kdir,
               "NV_KERNEL_MODULES=nvidia", "modules"]
        with open(log, "w") as out:
            p = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT)
        built = os.path.join(tree, "nvidia.ko")
        if p.returncode or not os.path.exists(built):
            raise RuntimeError("building NVIDIA's nvidia.ko %s for %s failed "
                               "(%s)" % (ver, rel, log))
        subprocess.check_call(["strip", "--strip-debug", built])
        os.rename(built, ko)
    return ko
