# SPDX-License-Identifier: GPL-2.0
#
# `make check-compat` (run by `make check`): every feature probe of
# kmod/compat/Kbuild.include against each tree and each side, and the
# module compiled against copies of Debian 11's 5.10 tree put in the form
# of older releases, so that every compat branch is compiled
# (selftests/compat/branches.py, docs/KERNELS.md).

.PHONY: check-compat

check-compat:
	$(Q)python3 selftests/compat/branches.py
