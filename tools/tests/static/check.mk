# SPDX-License-Identifier: GPL-2.0
#
# The fully static monitoring build (STATIC=full), included by
# tools/Makefile: built in its own folder, compared with the dynamic one.

STATIC_BIN := $(O)/full/dom0gpu-stat

# The sub-make knows the dependencies; its linker warnings (libnl's name
# service helpers, see ../../Makefile) go to a log.
$(STATIC_BIN): FORCE | $(O)
	$(Q)$(MAKE) --no-print-directory STATIC=full O=$(abspath $(O)/full) \
		$(abspath $(STATIC_BIN)) 2>$(O)/full-link.log || \
		{ cat $(O)/full-link.log; exit 1; }

check-static: $(BIN) $(STATIC_BIN)
	$(Q)sh tests/static/static_test.sh $(abspath $(BIN)) $(abspath $(STATIC_BIN))

CHECK_SUITES += check-static
.PHONY: check-static
