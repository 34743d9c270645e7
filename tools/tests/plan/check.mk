# SPDX-License-Identifier: GPL-2.0
#
# --plan over fixture trees of each boot setup (tests/plan/boot_fixtures.sh),
# included by tools/Makefile; plain and under ASan/UBSan.

check-plan: $(BIN) $(ASAN_BIN)
	$(Q)sh tests/plan/plan_test.sh $(abspath $(BIN)) $(abspath $(ASAN_BIN))

CHECK_SUITES += check-plan
.PHONY: check-plan
