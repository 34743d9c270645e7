#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fetches a Debian 11 build root into $D0G_CACHE/userland-bullseye/root:
# glibc 2.31, zlib, libnl-3 3.4 and json-c 0.15 headers and libraries (a private
# apt configuration; the system's apt sources are not touched). Building
# dom0gpu-stat against it (gcc --sysroot) shows which glibc symbol versions
# the tool needs without the 2.34+ relinking of Debian 12's glibc (there,
# every program needs __libc_start_main@GLIBC_2.34). Idempotent.

set -eu

CACHE=${D0G_CACHE:-/var/cache/dom0gpu}
MIRROR=${D0G_MIRROR:-http://deb.debian.org/debian}
dst=$CACHE/userland-bullseye
[ -f "$dst/.done" ] && exit 0

PKGS="libc6 libc6-dev linux-libc-dev zlib1g zlib1g-dev
	libnl-3-200 libnl-3-dev libnl-genl-3-200 libnl-genl-3-dev libjson-c5 libjson-c-dev"

d=$CACHE/apt/bullseye-userland
mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-bullseye-stable.gpg] $MIRROR bullseye main" \
	> "$d/sources.list"
apt_private() {
	"$@" -o Dir::Etc::SourceList="$d/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$d/lists" \
		-o Dir::State::Status=/dev/null \
		-o Dir::Cache="$d/cache" \
		-o Debug::NoLocking=1 \
		-o APT::Sandbox::User=root
}
printf '  DEPS    %s\n' "fetch Debian 11 libnl-3 and json-c"
apt_private apt-get -q update >/dev/null
# shellcheck disable=SC2086
(cd "$d/debs" && apt_private apt-get -q download $PKGS >/dev/null)
rm -rf "$dst"
mkdir -p "$dst/root"
for p in $PKGS; do
	dpkg-deb -x "$d/debs/${p}_"*.deb "$dst/root"
done
# Absolute links (e.g. /lib64/ld-linux-x86-64.so.2) must stay in the root.
find "$dst/root" -type l | while read -r l; do
	t=$(readlink "$l")
	case $t in /*) ln -sfn "$dst/root$t" "$l" ;; esac
done
touch "$dst/.done"
