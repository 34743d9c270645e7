# SPDX-License-Identifier: GPL-2.0
#
# xen.cmdline_configured from the shell files grub-mkconfig sources
# (grub_defaults.c), against what sh itself makes of the same files.

check-grub-defaults: $(BIN) $(ASAN_BIN)
	$(Q)sh tests/grubdefaults/grub_defaults_test.sh $(abspath $(BIN)) $(abspath $(ASAN_BIN))

CHECK_SUITES += check-grub-defaults
.PHONY: check-grub-defaults
