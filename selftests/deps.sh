#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Installs what building and testing dom0gpu needs on Debian 12 (as root).
# Idempotent: each step is skipped when its result is already there, so
# `make check` and `make demo` can call this every time.
#
# Besides Debian 12 packages it fetches, without touching the system's apt
# sources (a private apt configuration passed with -o options):
#   - Debian 11's 5.10 kernel image, headers and kbuild (booted in the VMs);
#   - Debian sid's linux-source-7.2, prepared for compile-checks only;
#   - Debian 12's nvidia-kernel-source (component non-free): NVIDIA's real
#     kernel driver, which the VM tests load as the judge of the module's
#     predictions (selftests/vm/nvdriver.py builds it per kernel);
# extracts parts of Debian 12's linux-source-6.12 (kselftest headers,
# YNL tools, netlink specs, checkpatch); and builds from it the VMs' kernel
# without CONFIG_X86_PAT, where NVIDIA's driver takes its builtin PAT mode
# (selftests/debug/build-kernel.sh nopat; once, until its fragments change).
#
# Usage: deps.sh [--check]   (--check: exit 1 if something is missing)

set -eu

CACHE=${D0G_CACHE:-/var/cache/dom0gpu}
MIRROR=${D0G_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${D0G_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

PACKAGES="make gcc libc6-dev perl python3 kmod xz-utils gzip cpio
	qemu-system-x86 seabios busybox-static
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	xen-hypervisor-4.17-amd64 linux-source-6.12
	libnl-3-dev libnl-genl-3-dev libjson-c-dev pkg-config sparse
	python3-yaml python3-jsonschema
	flex bison bc libelf-dev libssl-dev debian-archive-keyring
	dkms rpm git prometheus systemd
	msr-tools gnuplot-nox
	clang libclang-rt-14-dev cppcheck valgrind"

# Members of linux-source-6.12's tarball used at build and test time.
SRC612_PARTS="tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest
	tools/net/ynl
	Documentation/netlink
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch"

log() { printf '  DEPS    %s\n' "$*"; }
die() { printf 'deps: %s\n' "$*" >&2; exit 1; }

missing_packages() {
	for p in $PACKAGES; do
		s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		[ "$s" = "install ok installed" ] || printf '%s ' "$p"
	done
}

# apt-get/apt-cache against a private configuration for one Debian suite.
# $1: directory holding sources.list; the rest: the apt command line.
private_apt() {
	d=$1; shift
	"$@" -o Dir::Etc::SourceList="$d/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$d/lists" \
		-o Dir::State::Status=/dev/null \
		-o Dir::Cache="$d/cache" \
		-o Debug::NoLocking=1 \
		-o APT::Sandbox::User=root
}

# $1: suite directory; $2..: "deb ..." lines
private_suite() {
	d=$1; shift
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	: > "$d/sources.list.new"
	for l in "$@"; do
		printf '%s\n' "$l" >> "$d/sources.list.new"
	done
	mv "$d/sources.list.new" "$d/sources.list"
	private_apt "$d" apt-get -q update >/dev/null
}

# Name of the package a Debian meta-package points at, e.g.
# linux-headers-amd64 -> linux-headers-5.10.0-35-amd64.
# $1: suite directory; $2: meta-package; $3: pattern of the target name
meta_target() {
	private_apt "$1" apt-cache depends "$2" 2>/dev/null |
		sed -n 's/^ *Depends: *//p' | grep -E "^$3\$" | head -n 1
}

# $1: suite directory; $2: destination; $3..: packages
fetch_debs() {
	d=$1; dest=$2; shift 2
	mkdir -p "$d/debs"
	(cd "$d/debs" && private_apt "$d" apt-get -q download "$@" >/dev/null)
	for p in "$@"; do
		for f in "$d/debs/${p}_"*.deb; do
			dpkg-deb -x "$f" "$dest"
		done
	done
}

step_packages() {
	miss=$(missing_packages)
	[ -z "$miss" ] && return 0
	log "apt-get install $miss"
	apt-get -q update >/dev/null
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get -q install -y \
		--no-install-recommends $miss >/dev/null 2>&1 ||
		die "apt-get install failed: $miss"
}

step_src612() {
	dst=$CACHE/linux-source-6.12
	[ -f "$dst/.done" ] && return 0
	tarball=$(ls /usr/src/linux-source-6.12*.tar.* | head -n 1)
	[ -n "$tarball" ] || die "linux-source-6.12 tarball not found in /usr/src"
	log "extract $(basename "$tarball") parts"
	rm -rf "$dst"; mkdir -p "$dst"
	top=$(basename "$tarball"); top=${top%.tar.*}
	members=
	for m in $SRC612_PARTS; do members="$members $top/$m"; done
	# shellcheck disable=SC2086
	tar -xaf "$tarball" -C "$dst" --strip-components=1 $members
	touch "$dst/.done"
}

step_k510() {
	dst=$CACHE/linux-5.10
	[ -f "$dst/.done" ] && return 0
	log "fetch Debian 11 linux 5.10"
	d=$CACHE/apt/bullseye
	private_suite "$d" \
		"deb [signed-by=/usr/share/keyrings/debian-archive-bullseye-stable.gpg] $MIRROR bullseye main" \
		"deb [signed-by=/usr/share/keyrings/debian-archive-bullseye-security-automatic.gpg] $SECURITY_MIRROR bullseye-security main"
	img=$(meta_target "$d" linux-image-amd64 'linux-image-5\.10\.[^ ]*-amd64')
	[ -n "$img" ] || die "no 5.10 image in bullseye"
	kver=${img#linux-image-}
	common=$(private_apt "$d" apt-cache depends "linux-headers-$kver" |
		sed -n 's/^ *Depends: *\(linux-headers-.*-common\)$/\1/p' | head -n 1)
	kbuild=$(private_apt "$d" apt-cache depends "linux-headers-$kver" |
		sed -n 's/^ *Depends: *\(linux-kbuild-[^ ]*\)$/\1/p' | head -n 1)
	rm -rf "$dst"; mkdir -p "$dst/root"
	fetch_debs "$d" "$dst/root" "$img" "linux-headers-$kver" "$common" "$kbuild"
	# The headers' Makefile includes the -common tree by absolute path.
	hdr=$dst/root/usr/src/linux-headers-$kver
	sed -i "s|/usr/src/$common|$dst/root/usr/src/$common|g" "$hdr/Makefile"
	depmod -b "$dst/root" "$kver"
	printf '%s\n' "$kver" > "$dst/kver"
	touch "$dst/.done"
}

step_k72() {
	dst=$CACHE/linux-7.2
	[ -f "$dst/.done" ] && return 0
	log "fetch Debian sid linux-source-7.2"
	d=$CACHE/apt/sid
	private_suite "$d" \
		"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR sid main"
	hdrpkg=$(meta_target "$d" linux-headers-amd64 'linux-headers-7\.2[^ ]*-amd64')
	[ -n "$hdrpkg" ] || die "no 7.2 headers in sid"
	rm -rf "$dst"; mkdir -p "$dst/debs"
	fetch_debs "$d" "$dst/debs" linux-source-7.2 "$hdrpkg"
	log "extract linux-source-7.2"
	tar -xaf "$dst"/debs/usr/src/linux-source-7.2.tar.* -C "$dst"
	mv "$dst/linux-source-7.2" "$dst/src"
	# Debian's configuration, and its export list so that modpost checks
	# our symbol use against 7.2 (GPL-only, removed or renamed exports).
	cp "$dst/debs/usr/src/${hdrpkg}/.config" "$dst/src/.config"
	cp "$dst/debs/usr/src/${hdrpkg}/Module.symvers" "$dst/src/Module.symvers"
	rm -rf "$dst/debs"
	log "prepare linux-source-7.2"
	(cd "$dst/src" &&
	 scripts/config --set-str MODULE_SIG_KEY "" \
		--set-str SYSTEM_TRUSTED_KEYS "" \
		--set-str SYSTEM_REVOCATION_KEYS "" \
		--disable MODULE_SIG_ALL &&
	 make -s olddefconfig >/dev/null &&
	 make -s -j"$(nproc)" modules_prepare >/dev/null)
	touch "$dst/.done"
}

# NVIDIA's kernel driver source as Debian 12 ships it: the kernel interface
# layer plus the binary core, in nvidia-kernel.tar.xz. Kept unpacked in
# $CACHE/nvidia-kernel-source/<package version>/, named by "version".
step_nvidia() {
	top=$CACHE/nvidia-kernel-source
	[ -f "$top/.done" ] && return 0
	log "fetch Debian 12 nvidia-kernel-source (non-free)"
	d=$CACHE/apt/bookworm-non-free
	private_suite "$d" \
		"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR bookworm non-free"
	ver=$(private_apt "$d" apt-cache show --no-all-versions nvidia-kernel-source |
		sed -n 's/^Version: //p' | head -n 1)
	[ -n "$ver" ] || die "no nvidia-kernel-source in bookworm non-free"
	rm -rf "$top"; mkdir -p "$top/debs"
	fetch_debs "$d" "$top/debs" nvidia-kernel-source
	dst=$top/$ver
	mkdir -p "$dst"
	tar -xJf "$top/debs/usr/src/nvidia-kernel.tar.xz" -C "$dst"
	rm -rf "$top/debs"
	[ -f "$dst/modules/nvidia-kernel/Makefile" ] ||
		die "nvidia-kernel.tar.xz: no modules/nvidia-kernel/Makefile"
	printf '%s\n' "$ver" > "$top/version"
	touch "$top/.done"
}

# Below the other jobs of a shared machine: the build takes every CPU.
step_nopat() {
	nice -n 10 "$(dirname "$0")/debug/build-kernel.sh" nopat ||
		die "building the no-PAT kernel failed"
}

xen_ok() { [ -f /boot/xen-4.17-amd64.gz ]; }

if [ "${1:-}" = "--check" ]; then
	[ -z "$(missing_packages)" ] && xen_ok &&
	[ -f "$CACHE/linux-source-6.12/.done" ] &&
	[ -f "$CACHE/linux-5.10/.done" ] &&
	[ -f "$CACHE/linux-7.2/.done" ] &&
	[ -f "$CACHE/nvidia-kernel-source/.done" ] &&
	"$(dirname "$0")/debug/build-kernel.sh" --check nopat
	exit
fi

[ "$(id -u)" = 0 ] || die "run as root (installs packages into the system)"
[ -f /etc/debian_version ] || die "needs Debian 12"
mkdir -p "$CACHE"
step_packages
xen_ok || die "/boot/xen-4.17-amd64.gz missing after installing xen-hypervisor-4.17-amd64"
step_src612
step_k510
step_k72
step_nvidia
step_nopat
