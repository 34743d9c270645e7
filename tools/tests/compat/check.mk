# SPDX-License-Identifier: GPL-2.0
#
# Saved reports of 0.1.0 are still explained identically; included by
# tools/Makefile.

check-compat: $(BIN)
	$(Q)sh tests/compat/compat_test.sh $(abspath $(BIN))

CHECK_SUITES += check-compat
.PHONY: check-compat
