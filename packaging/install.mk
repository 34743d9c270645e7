# SPDX-License-Identifier: GPL-2.0
#
# Installation, included by the top-level Makefile.
#
#   make install            module into /lib/modules/$(KVER)/extra + depmod,
#                           dom0gpu-stat into $(PREFIX)/sbin, its man page
#                           into $(PREFIX)/share/man/man8
#   make uninstall          removes what `make install` put there + depmod
#   make dkms-install       copies the module sources to /usr/src/dom0gpu-<v>
#                           for `dkms install dom0gpu/<v>`
#   make rpm                builds the XCP-ng RPMs (packaging/xcp-ng/)
#
# KVER (default: the release KDIR builds for) picks the kernel; `make
# install KVER=x` alone builds against /lib/modules/x/build. DESTDIR stages
# the files for a package; depmod is then left to the package's scripts.
# Nothing here loads the module or makes it load at boot.

DOM0GPU_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(CURDIR)/dkms.conf)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DKMSDIR ?= /usr/src/dom0gpu-$(DOM0GPU_VERSION)
DEPMOD ?= depmod
INSTALL ?= install

# A KVER given alone selects that kernel's build tree.
ifneq ($(filter command line environment,$(origin KVER)),)
ifeq ($(filter command line environment,$(origin KDIR)),)
INSTALL_KDIR := /lib/modules/$(KVER)/build
endif
endif
INSTALL_KDIR ?= $(KDIR)
KVER ?= $(KREL)
MODDIR ?= /lib/modules/$(KVER)/extra

INSTALL_KO := $(CURDIR)/build/kmod/$(KVER)/dom0gpu.ko
INSTALL_STAT := $(CURDIR)/build/tools/dom0gpu-stat
INSTALL_MAN := $(CURDIR)/tools/dom0gpu-stat.8

# What DKMS needs to build the module: Kbuild and the module sources only.
DKMS_SRC := dkms.conf Kbuild $(sort $(shell cd $(CURDIR) && find kmod uapi \
	-type f \( -name '*.[ch]' -o -name 'Kbuild*' \) 2>/dev/null))

.PHONY: install install-module install-tools uninstall dkms-install

install: install-module install-tools

install-module:
	$(Q)$(MAKE) module KDIR=$(INSTALL_KDIR)
	$(Q)test -f $(INSTALL_KO) || { echo "install: $(INSTALL_KO) not built" \
		"(KVER=$(KVER) but KDIR=$(INSTALL_KDIR) builds for another release?)" >&2; exit 1; }
	$(Q)$(INSTALL) -D -m 644 $(INSTALL_KO) $(DESTDIR)$(MODDIR)/dom0gpu.ko
	@echo "  INSTALL $(DESTDIR)$(MODDIR)/dom0gpu.ko"
ifeq ($(DESTDIR),)
	$(Q)$(DEPMOD) -a $(KVER)
	@echo "  DEPMOD  $(KVER) (load it with: modprobe dom0gpu)"
endif

install-tools:
	$(Q)$(MAKE) tools
	$(Q)test -f $(INSTALL_STAT) || { echo "install: $(INSTALL_STAT) not built" >&2; exit 1; }
	$(Q)$(INSTALL) -D -m 755 $(INSTALL_STAT) $(DESTDIR)$(SBINDIR)/dom0gpu-stat
	@echo "  INSTALL $(DESTDIR)$(SBINDIR)/dom0gpu-stat"
	$(Q)$(INSTALL) -D -m 644 $(INSTALL_MAN) $(DESTDIR)$(MANDIR)/man8/dom0gpu-stat.8
	@echo "  INSTALL $(DESTDIR)$(MANDIR)/man8/dom0gpu-stat.8"

uninstall:
	$(Q)rm -f $(DESTDIR)$(MODDIR)/dom0gpu.ko $(DESTDIR)$(SBINDIR)/dom0gpu-stat \
		$(DESTDIR)$(MANDIR)/man8/dom0gpu-stat.8
	@echo "  REMOVE  $(DESTDIR)$(MODDIR)/dom0gpu.ko, dom0gpu-stat, its man page"
ifeq ($(DESTDIR),)
	$(Q)if [ -d /lib/modules/$(KVER) ]; then $(DEPMOD) -a $(KVER); fi
endif

dkms-install:
	$(Q)for f in $(DKMS_SRC); do \
		$(INSTALL) -D -m 644 $(CURDIR)/$$f $(DESTDIR)$(DKMSDIR)/$$f || exit 1; \
	done
	@echo "  INSTALL $(DESTDIR)$(DKMSDIR) (then: dkms install dom0gpu/$(DOM0GPU_VERSION))"

include $(CURDIR)/packaging/rpm.mk
include $(CURDIR)/packaging/check.mk
