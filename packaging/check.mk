# SPDX-License-Identifier: GPL-2.0
#
# `make check-packaging` (run by `make check`): make install/uninstall,
# DKMS, the XCP-ng RPM, the module's kernel symbols against XCP-ng 8.3's
# export list, and dom0gpu-stat against CentOS 7's toolchain and libraries
# as far as this host can tell (packaging/check.sh, docs/KERNELS.md).
#
# XCPNG_SYMVERS: XCP-ng 8.3's Module.symvers, by default in the data folder
# beside the tree. KDIR_419: a prepared 4.19 tree for the real 4.19 build
# (optional: CI cannot fetch one; the check is skipped without it).

XCPNG_DATA ?= $(CURDIR)/../shared/data
XCPNG_SYMVERS ?= $(XCPNG_DATA)/xcpng-8.3-kernel-4.19.19.Module.symvers
KDIR_419 ?= $(or $(D0G_CACHE),/var/cache/dom0gpu)/linux-4.19

.PHONY: check-packaging

check-packaging:
	$(Q)XCPNG_SYMVERS=$(XCPNG_SYMVERS) KDIR_419=$(KDIR_419) packaging/check.sh
