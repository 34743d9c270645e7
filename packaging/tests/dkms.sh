#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Proves dkms.conf with Debian's dkms: add, build and install dom0gpu for
# each kernel given, then remove it. Runs in a scratch DKMS tree (source,
# dkms and install trees, signing key) under $1 so the host's DKMS state
# and /lib/modules stay untouched.
#
# Usage: dkms.sh SCRATCH_DIR KERNEL_RELEASE...

set -eu

scratch=$1; shift
[ $# -ge 1 ] || { echo "dkms.sh: no kernel release given" >&2; exit 2; }
command -v dkms >/dev/null || { echo "dkms.sh: dkms not installed (make deps)" >&2; exit 1; }

fail() { echo "FAIL: $*" >&2; exit 1; }

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
[ -n "$ver" ] || fail "no PACKAGE_VERSION in dkms.conf"

# BUILD_EXCLUSIVE_KERNEL (an extended regex, as dkms matches it) admits
# 4.19 and newer only.
re=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' dkms.conf)
for k in 4.19.0+1 4.19.19 4.20.17 5.10.0-46-amd64 6.12.117+deb12-amd64 7.2.13 10.1.0; do
	echo "$k" | grep -Eq "$re" || fail "BUILD_EXCLUSIVE_KERNEL rejects $k"
done
for k in 3.10.0-1160.el7.x86_64 4.4.0 4.9.337 4.14.0 4.18.0-553.el8_10.x86_64; do
	echo "$k" | grep -Eq "$re" && fail "BUILD_EXCLUSIVE_KERNEL admits $k"
done

rm -rf "$scratch"
mkdir -p "$scratch/dkms" "$scratch/lib/modules"
scratch=$(cd "$scratch" && pwd)
make -s dkms-install DESTDIR="$scratch" DKMSDIR="/src/dom0gpu-$ver" PREFIX=/usr >/dev/null
# With the sources comes the entry that loads the module at boot.
[ "$(grep -v '^#' "$scratch/usr/lib/modules-load.d/dom0gpu.conf")" = dom0gpu ] ||
	fail "dkms-install: no modules-load.d entry naming dom0gpu"

# Signing (Debian's dkms signs with a MOK it creates) uses a scratch key.
export mok_signing_key="$scratch/mok.key" mok_certificate="$scratch/mok.pub"
dk() {
	dkms --dkmstree "$scratch/dkms" --sourcetree "$scratch/src" \
		--installtree "$scratch/lib/modules" "$@"
}

dk add -m dom0gpu -v "$ver" >/dev/null
for k in "$@"; do
	[ -d "/lib/modules/$k/build" ] || fail "no headers for $k in /lib/modules/$k/build"
	mkdir -p "$scratch/lib/modules/$k"
	dk build -m dom0gpu -v "$ver" -k "$k" >"$scratch/build-$k.log" 2>&1 || {
		cat "$scratch/build-$k.log" "$scratch/dkms/dom0gpu/$ver/build/make.log" >&2 || true
		fail "dkms build for $k"
	}
	dk install --no-depmod -m dom0gpu -v "$ver" -k "$k" >"$scratch/install-$k.log" 2>&1 || {
		cat "$scratch/install-$k.log" >&2; fail "dkms install for $k"
	}
	# Kernels built with module compression get dom0gpu.ko.xz or .zst.
	ko=$(find "$scratch/lib/modules/$k" -name 'dom0gpu.ko*')
	[ -n "$ko" ] || fail "dom0gpu.ko not installed for $k"
	magic=$(modinfo -F vermagic "$ko" | cut -d ' ' -f 1)
	[ "$magic" = "$k" ] || fail "$ko was built for '$magic', not $k"
	# depmod on the scratch tree finds it by name, as modprobe would.
	depmod -b "$scratch" "$k" 2>/dev/null
	grep -q "dom0gpu.ko[.a-z]*:" "$scratch/lib/modules/$k/modules.dep" ||
		fail "depmod does not index dom0gpu for $k"
	echo "# dkms built and installed dom0gpu $ver for $k: ${ko#"$scratch"}"
done

st=$(dk status -m dom0gpu -v "$ver" 2>/dev/null)
for k in "$@"; do
	echo "$st" | grep -q "$k.*installed" || fail "dkms status lacks $k: $st"
done

dk remove -m dom0gpu -v "$ver" --all >/dev/null
[ -z "$(find "$scratch/lib/modules" -name 'dom0gpu.ko*')" ] || fail "dkms remove left dom0gpu.ko"
[ ! -e "$scratch/dkms/dom0gpu" ] || fail "dkms remove left $scratch/dkms/dom0gpu"
echo "# dkms removed dom0gpu $ver from all kernels"
