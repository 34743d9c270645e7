# SPDX-License-Identifier: GPL-2.0
#
# The CUDA probe's tests, included by tools/Makefile: a stand-in
# libcuda.so.1 scripted by environment variables, an old one that lacks an
# entry point, and probe_run, which prints cuda_probe_run()'s result field
# by field for tests/probe/probe_test.sh.

PROBE_O := $(O)/tests/probe
PROBE_HDRS := cuda_api.h cuda_kernel.h
# The stand-in's exported entry points have no header to declare them.
PROBE_FAKE_FLAGS = $(STD) $(WARN) -Wno-missing-prototypes $(CFLAGS) $(CPPFLAGS) \
	-fPIC -shared -fvisibility=hidden -Wl,-soname,libcuda.so.1

$(PROBE_O)/libcuda.so.1: tests/probe/fake_cuda.c $(PROBE_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(PROBE_FAKE_FLAGS) -o $@ $<

$(PROBE_O)/old/libcuda.so.1: tests/probe/fake_cuda.c $(PROBE_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(PROBE_FAKE_FLAGS) -DFAKE_CUDA_OLD -o $@ $<

# Where the CLI tests add it to LD_LIBRARY_PATH, so that "no NVML" stays testable.
$(PROBE_O)/nvml/libnvidia-ml.so.1: tests/probe/fake_nvml.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(STD) $(WARN) -Wno-missing-prototypes $(CFLAGS) $(CPPFLAGS) -fPIC -shared \
		-fvisibility=hidden -Wl,-soname,libnvidia-ml.so.1 -o $@ $<

$(PROBE_O)/probe_run: tests/probe/probe_run.c cuda_probe.c cuda_probe.h dynload.c dynload.h \
		$(PROBE_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(STD) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ tests/probe/probe_run.c \
		cuda_probe.c dynload.c -ldl -lpthread

check-probe: $(PROBE_O)/libcuda.so.1 $(PROBE_O)/old/libcuda.so.1 $(PROBE_O)/probe_run
	$(Q)sh tests/probe/probe_test.sh $(PROBE_O)

# dom0gpu-stat --probe end to end, plain and under ASan/UBSan.
check-probe-cli: $(BIN) $(ASAN_BIN) $(PROBE_O)/libcuda.so.1 $(PROBE_O)/nvml/libnvidia-ml.so.1
	$(Q)sh tests/probe/cli_test.sh $(abspath $(BIN)) $(abspath $(PROBE_O))
	$(Q)sh tests/probe/cli_test.sh $(abspath $(ASAN_BIN)) $(abspath $(PROBE_O))

CHECK_SUITES += check-probe check-probe-cli
.PHONY: check-probe check-probe-cli
