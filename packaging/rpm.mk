# SPDX-License-Identifier: GPL-2.0
#
# `make rpm`: the XCP-ng RPMs from this tree, built with rpmbuild against
# KDIR for release KVER (XCP-ng's build hosts use the spec directly, with
# kernel-devel's macros). RPMFLAGS adds rpmbuild options, e.g. --nodeps.
# Output: build/rpm/RPMS/<arch>/.

RPMBUILD ?= rpmbuild
RPM_TOPDIR := $(CURDIR)/build/rpm
RPM_SPEC := $(CURDIR)/packaging/xcp-ng/dom0gpu.spec
RPM_TARBALL := $(RPM_TOPDIR)/SOURCES/dom0gpu-$(DOM0GPU_VERSION).tar.gz

.PHONY: rpm rpm-source

# The tracked and new (not ignored) files of the tree, as they are now.
rpm-source:
	$(Q)mkdir -p $(RPM_TOPDIR)/SOURCES
	$(Q)cd $(CURDIR) && \
	if git rev-parse --git-dir >/dev/null 2>&1; then \
		git ls-files -c -o --exclude-standard; \
	else \
		find . \( -path ./build -o -path ./.git \) -prune -o -type f -print; \
	fi | while read -r f; do [ -f "$$f" ] && printf '%s\n' "$${f#./}"; done | \
	LC_ALL=C sort | tar -czf $(RPM_TARBALL) --owner=0 --group=0 \
		--transform 's,^,dom0gpu-$(DOM0GPU_VERSION)/,' -T -
	@echo "  TAR     $(RPM_TARBALL)"

rpm: rpm-source
	$(Q)$(RPMBUILD) -bb --define "_topdir $(RPM_TOPDIR)" \
		--define "kernel_version $(KVER)" --define "kernel_dir $(INSTALL_KDIR)" \
		$(RPMFLAGS) $(RPM_SPEC)
