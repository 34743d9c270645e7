#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's GRUB for the trial disk, unpacked (dpkg -x, nothing installed on
# this machine): grub-common (grub-mkconfig's /etc/grub.d, grub-probe,
# grub-editenv, grub-mkimage), grub2-common (update-grub, grub-reboot),
# grub-pc-bin (the i386-pc modules and boot.img) and xen-hypervisor-common
# (/etc/default/grub.d/xen.cfg), from this system's apt sources, cached.
# Prints the folder. Usage: grub-debs.sh CACHE
set -eu
cache=${1:?usage: grub-debs.sh CACHE}
pkgs="grub-common grub2-common grub-pc-bin xen-hypervisor-common"
ver=$(apt-cache policy grub-common | sed -n 's/^ *Candidate: //p')
d=$cache/grub-$ver
if [ ! -f "$d/.done" ]; then
	rm -rf "$d"
	mkdir -p "$d/debs" "$d/x"
	(cd "$d/debs" && apt-get download -q $pkgs >&2)
	for deb in "$d"/debs/*.deb; do dpkg -x "$deb" "$d/x"; done
	touch "$d/.done"
fi
echo "$d/x"
