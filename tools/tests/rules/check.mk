# SPDX-License-Identifier: GPL-2.0
#
# Each rule depends only on the facts its row in rules[] declares, and
# reads each one it declares: rules_reads_test, linked with the CLI's own
# objects, run by tests/run.sh (check-cli) over every report its fixtures
# and cases saved.

RULES_O := $(O)/tests/rules
RULES_READS_BIN := $(RULES_O)/rules_reads_test

$(RULES_READS_BIN): tests/rules/rules_reads_test.c $(filter-out $(O)/main.o,$(OBJS))
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(STD) $(WARN) $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -o $@ $^ $(LDLIBS)

check-cli: $(RULES_READS_BIN)
