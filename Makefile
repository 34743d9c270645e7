# SPDX-License-Identifier: GPL-2.0
#
# dom0gpu: kernel module (kmod/, built by Kbuild), tools and selftests.
#
#   make                 module for the running kernel (or KDIR=...) + tools
#   make deps            install/fetch what building and testing needs (root)
#   make check           the whole test suite (build matrix, host tests, VMs)
#   make check-long      make check with long fuzzing and stress, then the
#                        CLI's libFuzzer target and the PVH trial with a
#                        real GRUB (docs/TESTING.md)
#   make check-debug     build debug kernels (KASAN, kmemleak, lockdep, UBSAN;
#                        the one for the Xen dom0s without KASAN), run every
#                        VM platform
#   make demo            boot Xen PV and PVH dom0 in QEMU, compare the reports
#   make bench           benchmarks in QEMU VMs (docs/BENCHMARKS.md)
#   make clean
#
# Module objects land in build/kmod/<kernel release>/, so one tree can be
# built for several kernels. V=1 shows the full commands.

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1))
# Debian's headers state their release in .kernelvariables.
KREL := $(firstword \
	$(shell sed -n 's/^override KERNELRELEASE = //p' $(KDIR)/.kernelvariables 2>/dev/null) \
	$(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null))
# KOUT: where this kernel's objects go (a private folder for a test run).
KOUT ?= $(CURDIR)/build/kmod/$(KREL)

# Debian's headers name the compiler the kernel was built with (e.g.
# gcc-10 for Debian 11's 5.10); use the default gcc when that one is absent.
KERNEL_GCC := $(shell grep -o 'gcc-[0-9]*' $(KDIR)/.kernelvariables 2>/dev/null | head -n 1)
ifneq ($(KERNEL_GCC),)
ifeq ($(shell command -v $(KERNEL_GCC)),)
KBUILD_CC := CC=gcc
endif
endif

KSRC := Kbuild $(shell find kmod uapi -type f \( -name '*.[ch]' -o -name 'Kbuild*' \) 2>/dev/null)

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif
export V

.PHONY: all module tools deps check demo clean FORCE

all: module tools

module:
	$(Q)test -n "$(KREL)" || { echo "no kernel build tree at '$(KDIR)': pass KDIR=" >&2; exit 1; }
	$(Q)mkdir -p $(KOUT)
	$(Q)for f in $(KSRC); do \
		cmp -s $$f $(KOUT)/$$f || install -D -m 644 $$f $(KOUT)/$$f; \
	done
	$(Q)cd $(KOUT) && find kmod uapi -type f \( -name '*.[ch]' -o -name 'Kbuild*' \) | \
		while read -r f; do [ -e $(CURDIR)/$$f ] || rm -f $$f; done
	$(Q)$(MAKE) -C $(KDIR) M=$(KOUT) $(KBUILD_CC) modules

tools:
	$(Q)if [ -f tools/Makefile ]; then $(MAKE) -C tools; \
	else echo "  SKIP    tools (no tools/Makefile)"; fi

deps:
	$(Q)selftests/deps.sh

# Installs what is missing, then runs everything under selftests/.
check:
	$(Q)selftests/deps.sh --check || selftests/deps.sh
	$(Q)$(MAKE) -C selftests check

demo:
	$(Q)selftests/deps.sh --check || selftests/deps.sh
	$(Q)$(MAKE) -C selftests demo

# Sizes of the long runs: genetlink messages per VM (as root, with no time
# limit; nobody sends a quarter more), seconds of the reader/unload/hotplug
# stress per VM, seconds of the --explain fuzzer. A Xen PV dom0 under TCG
# takes about 430 messages/s: 200000 are about 10 minutes there.
LONG_FUZZ ?= 200000
LONG_STRESS ?= 60
FUZZ_SECONDS ?= 300
DEBUG_FUZZ ?= 100000

.PHONY: check-long check-debug
check-long:
	$(Q)selftests/deps.sh --check || selftests/deps.sh
	$(Q)rc=0; \
	D0G_FUZZ_ITERATIONS=$(LONG_FUZZ) D0G_FUZZ_SECONDS=0 \
		D0G_STRESS_SECONDS=$(LONG_STRESS) \
		D0G_TEST_TIMEOUT=1800 D0G_VM_EXTRA_S=1800 \
		$(MAKE) -C selftests check || rc=1; \
	$(MAKE) -C tools fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) || rc=1; \
	D0G_VM_EXTRA_S=1800 $(MAKE) -C selftests grub-trial || rc=1; \
	exit $$rc

# The debug kernels (selftests/debug/build-kernel.sh, each cached until
# its fragments change), then every platform of the VM matrix once on its
# debug kernel; the last line says how long it all took. One VM at a time:
# with two, the PVH dom0 of debug-xen sometimes triple-faults in CPU
# hotplug, with or without dom0gpu loaded (docs/TESTING.md).
check-debug:
	$(Q)start=$$(date +%s); rc=0; \
	{ selftests/deps.sh --check || selftests/deps.sh; } && \
	selftests/debug/build-kernel.sh debug-xen && \
	selftests/debug/build-kernel.sh debug && \
	$(MAKE) -C selftests progs && $(MAKE) tools && \
	D0G_FUZZ_ITERATIONS=$(DEBUG_FUZZ) D0G_FUZZ_SECONDS=0 \
		D0G_STRESS_SECONDS=$(LONG_STRESS) \
		D0G_TEST_TIMEOUT=3000 D0G_VM_EXTRA_S=3600 \
		python3 selftests/vm/run.py -j 1 vm --debug || rc=1; \
	echo "# check-debug took $$(($$(date +%s) - start)) s"; \
	exit $$rc

# BENCH_ARGS: options of bench/vm/bench.py (e.g. "--runs 10 --vcpus 1,8").
.PHONY: bench
bench:
	$(Q)selftests/deps.sh --check || selftests/deps.sh
	$(Q)python3 bench/vm/bench.py $(BENCH_ARGS)

clean:
	$(Q)rm -rf build
	$(Q)if [ -f tools/Makefile ]; then $(MAKE) -C tools clean; fi

# make install, uninstall, dkms-install, rpm, check-packaging
include $(CURDIR)/packaging/install.mk
# make check-compat
include $(CURDIR)/selftests/compat/check.mk
