# SPDX-License-Identifier: GPL-2.0
#
# Installation, included by the top-level Makefile.
#
#   make install            module into /lib/modules/$(KVER)/extra + depmod,
#                           its modules-load.d entry (BOOT_LOAD=no: none),
#                           dom0gpu-stat into $(PREFIX)/sbin, its man page
#                           into $(PREFIX)/share/man/man8, the systemd
#                           service + timer writing the Prometheus textfile
#                           into TEXTFILE_DIR, the alerting rules into
#                           $(PREFIX)/share/dom0gpu/prometheus
#   make uninstall          removes what `make install` put there + depmod
#   make dkms-install       copies the module sources to /usr/src/dom0gpu-<v>
#                           for `dkms install dom0gpu/<v>`, and the
#                           modules-load.d entry (BOOT_LOAD=no: none)
#   make rpm                builds the XCP-ng RPMs (packaging/xcp-ng/)
#
# KVER (default: the release KDIR builds for) picks the kernel; `make
# install KVER=x` alone builds against /lib/modules/x/build. DESTDIR stages
# the files for a package; depmod is then left to the package's scripts.
# Nothing here loads the module now or enables the timer: the
# modules-load.d entry takes effect at the next boot, the timer with
# `systemctl enable --now dom0gpu-textfile.timer`. (The XCP-ng RPM ships
# the entry in its own package, dom0gpu-boot: opt-in, as RPM packages
# leave module loading to the admin.)

DOM0GPU_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(CURDIR)/dkms.conf)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DKMSDIR ?= /usr/src/dom0gpu-$(DOM0GPU_VERSION)
DEPMOD ?= depmod
INSTALL ?= install
# systemd reads units and modules-load.d from /usr/local/lib too.
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
RULESDIR ?= $(PREFIX)/share/dom0gpu/prometheus
# Where Debian's prometheus-node-exporter reads textfiles
# (--collector.textfile.directory in /etc/default/prometheus-node-exporter).
TEXTFILE_DIR ?= /var/lib/prometheus/node-exporter
ENV_FILE ?= /etc/default/dom0gpu
BOOT_LOAD ?= yes

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
SYSTEMD_SRC := $(CURDIR)/packaging/systemd

# The service with this installation's paths: make install, the RPM's spec.
define install_service
	$(Q)$(INSTALL) -d $(1)
	$(Q)sed -e 's,@SBINDIR@,$(SBINDIR),g' -e 's,@TEXTFILE_DIR@,$(TEXTFILE_DIR),g' \
		-e 's,@ENV_FILE@,$(ENV_FILE),g' $(SYSTEMD_SRC)/dom0gpu-textfile.service.in \
		>$(1)/dom0gpu-textfile.service
	$(Q)chmod 644 $(1)/dom0gpu-textfile.service
endef

# What DKMS needs to build the module: Kbuild and the module sources only.
DKMS_SRC := dkms.conf Kbuild $(sort $(shell cd $(CURDIR) && find kmod uapi \
	-type f \( -name '*.[ch]' -o -name 'Kbuild*' \) 2>/dev/null))

.PHONY: install install-module install-tools install-boot install-units uninstall dkms-install

install: install-module install-boot install-tools

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

# The modules-load.d entry: systemd-modules-load loads dom0gpu at boot.
install-boot:
ifeq ($(BOOT_LOAD),yes)
	$(Q)$(INSTALL) -D -m 644 $(SYSTEMD_SRC)/dom0gpu.conf $(DESTDIR)$(MODULESLOADDIR)/dom0gpu.conf
	@echo "  INSTALL $(DESTDIR)$(MODULESLOADDIR)/dom0gpu.conf (loaded from the next boot on)"
endif

install-units:
	$(call install_service,$(DESTDIR)$(SYSTEMDUNITDIR))
	$(Q)$(INSTALL) -D -m 644 $(SYSTEMD_SRC)/dom0gpu-textfile.timer \
		$(DESTDIR)$(SYSTEMDUNITDIR)/dom0gpu-textfile.timer
	@echo "  INSTALL $(DESTDIR)$(SYSTEMDUNITDIR)/dom0gpu-textfile.{service,timer}" \
		"(systemctl enable --now dom0gpu-textfile.timer)"
	$(Q)$(INSTALL) -D -m 644 $(CURDIR)/packaging/prometheus/dom0gpu.rules.yml \
		$(DESTDIR)$(RULESDIR)/dom0gpu.rules.yml
	@echo "  INSTALL $(DESTDIR)$(RULESDIR)/dom0gpu.rules.yml"

install-tools: install-units
	$(Q)$(MAKE) tools
	$(Q)test -f $(INSTALL_STAT) || { echo "install: $(INSTALL_STAT) not built" >&2; exit 1; }
	$(Q)$(INSTALL) -D -m 755 $(INSTALL_STAT) $(DESTDIR)$(SBINDIR)/dom0gpu-stat
	@echo "  INSTALL $(DESTDIR)$(SBINDIR)/dom0gpu-stat"
	$(Q)$(INSTALL) -D -m 644 $(INSTALL_MAN) $(DESTDIR)$(MANDIR)/man8/dom0gpu-stat.8
	@echo "  INSTALL $(DESTDIR)$(MANDIR)/man8/dom0gpu-stat.8"

uninstall:
	$(Q)rm -f $(DESTDIR)$(MODDIR)/dom0gpu.ko $(DESTDIR)$(SBINDIR)/dom0gpu-stat \
		$(DESTDIR)$(MANDIR)/man8/dom0gpu-stat.8 $(DESTDIR)$(MODULESLOADDIR)/dom0gpu.conf \
		$(DESTDIR)$(SYSTEMDUNITDIR)/dom0gpu-textfile.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/dom0gpu-textfile.timer \
		$(DESTDIR)$(RULESDIR)/dom0gpu.rules.yml
	$(Q)rmdir $(DESTDIR)$(RULESDIR) $(dir $(DESTDIR)$(RULESDIR)) 2>/dev/null || true
	@echo "  REMOVE  $(DESTDIR)$(MODDIR)/dom0gpu.ko, dom0gpu-stat, its man page," \
		"modules-load.d entry, systemd units, alerting rules"
ifeq ($(DESTDIR),)
	$(Q)if [ -d /lib/modules/$(KVER) ]; then $(DEPMOD) -a $(KVER); fi
endif

dkms-install: install-boot
	$(Q)for f in $(DKMS_SRC); do \
		$(INSTALL) -D -m 644 $(CURDIR)/$$f $(DESTDIR)$(DKMSDIR)/$$f || exit 1; \
	done
	@echo "  INSTALL $(DESTDIR)$(DKMSDIR) (then: dkms install dom0gpu/$(DOM0GPU_VERSION))"

include $(CURDIR)/packaging/rpm.mk
include $(CURDIR)/packaging/check.mk
