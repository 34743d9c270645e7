# SPDX-License-Identifier: GPL-2.0
#
# The documentation against the tool, included by tools/Makefile: rule IDs,
# options and exit codes named in README.md, docs/ and the man page exist.

check-docs: $(BIN)
	$(Q)sh tests/docs/docs_test.sh $(abspath $(BIN))

CHECK_SUITES += check-docs
.PHONY: check-docs
