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

# The same views on the reports the VM scenarios saved (selftests/vm/run.py:
# make -C selftests vm, or make check, which runs this after its VMs).
FLEET_VM_REPORTS ?= $(abspath ../build/vm/reports)

check-fleet-vm: $(BIN)
	$(Q)sh tests/fleet/vm_reports_test.sh $(abspath $(BIN)) $(FLEET_VM_REPORTS)

.PHONY: check-fleet check-fleet-vm
