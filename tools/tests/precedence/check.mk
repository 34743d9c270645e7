# SPDX-License-Identifier: GPL-2.0
#
# Source precedence: precedence.c's table applied by report.c's setters, in
# every order the sources could run in.

PRECEDENCE_O := $(O)/tests/precedence

$(PRECEDENCE_O)/precedence_test: tests/precedence/precedence_test.c report.c precedence.c report.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(STD) $(WARN) $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -o $@ tests/precedence/precedence_test.c \
		report.c precedence.c $(PKG_LIBS)

check-precedence: $(PRECEDENCE_O)/precedence_test
	$(Q)$(PRECEDENCE_O)/precedence_test

CHECK_SUITES += check-precedence
.PHONY: check-precedence
