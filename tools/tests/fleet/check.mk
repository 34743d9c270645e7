# SPDX-License-Identifier: GPL-2.0
#
# Fleets and pools, included by tools/Makefile: --explain of several
# reports, the XCP-ng pool command and XAPI plugin
# (packaging/xcp-ng/xapi/), the Prometheus alerting rules
# (packaging/prometheus/) under promtool, on fixture hosts' real reports.

# The stand-in libcuda.so.1 of tests/probe/check.mk (included after this file).
FLEET_FAKE_CUDA := $(O)/tests/probe

check-fleet: $(BIN) $(FLEET_FAKE_CUDA)/libcuda.so.1
	$(Q)sh tests/fleet/fleet_test.sh $(abspath $(BIN)) $(abspath $(FLEET_FAKE_CUDA))

CHECK_SUITES += check-fleet
.PHONY: check-fleet
