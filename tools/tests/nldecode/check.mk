# SPDX-License-Identifier: GPL-2.0
#
# The spec-driven netlink decoder (nl_decode.c) on messages built in memory
# with libnl: every attribute of every set of uapi/dom0gpu.yaml (through
# the generated uapi/dom0gpu_attrs.h), and known platform values.

NLDECODE_O := $(O)/tests/nldecode

$(NLDECODE_O)/nldecode_test: tests/nldecode/nldecode_test.c nl_decode.c nl_decode.h \
		../uapi/dom0gpu_attrs.h ../uapi/dom0gpu_names.h ../uapi/linux/dom0gpu.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(STD) $(WARN) $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -o $@ \
		tests/nldecode/nldecode_test.c nl_decode.c $(PKG_LIBS)

check-nldecode: $(NLDECODE_O)/nldecode_test
	$(Q)$(NLDECODE_O)/nldecode_test

CHECK_SUITES += check-nldecode
.PHONY: check-nldecode
