# SPDX-License-Identifier: GPL-2.0
#
# Xen's command line: xencmd_parse() against the table of Xen 4.17 command
# lines in tests/xencmd/cases.tsv (the findings of the same lines are
# checked through --explain by tests/xencmd/explain_cases.sh, from run.sh).

XENCMD_O := $(O)/tests/xencmd

$(XENCMD_O)/xencmd_test: tests/xencmd/xencmd_test.c xencmd.c xencmd.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(STD) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ tests/xencmd/xencmd_test.c xencmd.c

check-xencmd: $(XENCMD_O)/xencmd_test
	$(Q)$(XENCMD_O)/xencmd_test tests/xencmd/cases.tsv

CHECK_SUITES += check-xencmd
.PHONY: check-xencmd
