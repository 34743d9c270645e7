#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Proves the XCP-ng spec: rpmbuild builds it against a kernel build tree
# here (--nodeps: the build dependencies are CentOS package names), and the
# packages hold what XCP-ng's module packages hold: the module under
# /lib/modules/<release>/updates/, depmod in %post and %postun, and the
# CLI with its man page.
#
# Usage: rpm.sh KERNEL_RELEASE KERNEL_BUILD_TREE

set -eu

kver=$1 kdir=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v rpmbuild >/dev/null || fail "rpmbuild not installed (make deps)"

spec=packaging/xcp-ng/dom0gpu.spec
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
sver=$(sed -n 's/^Version: *//p' "$spec")
[ "$ver" = "$sver" ] || fail "$spec has Version $sver, dkms.conf $ver"

top=build/rpm
rm -rf "$top"
log=build/rpm.log
mkdir -p build
make rpm KVER="$kver" KDIR="$kdir" \
	RPMFLAGS="--nodeps --define 'debug_package %{nil}'" >"$log" 2>&1 || {
	tail -n 40 "$log" >&2; fail "rpmbuild (log: $log)"
}

arch=$(rpm --eval '%{_arch}')
main=$(ls "$top/RPMS/$arch/dom0gpu-$ver-"*.rpm)
stat=$(ls "$top/RPMS/$arch/dom0gpu-stat-$ver-"*.rpm)

ko=/lib/modules/$kver/updates/dom0gpu.ko
rpm -qlp "$main" | grep -qx "$ko" || fail "$main lacks $ko: $(rpm -qlp "$main")"
rpm -qp --requires "$main" | grep -q '^kernel-uname-r = ' ||
	fail "$main does not require its kernel (kernel-uname-r)"
scripts=$(rpm -qp --scripts "$main")
for s in postinstall postuninstall; do
	echo "$scripts" | sed -n "/^$s scriptlet/,/^[a-z]* scriptlet/p" |
		grep -q "depmod $kver" || fail "$main: no 'depmod $kver' in %$s"
done

# The packaged module is built for the kernel it names.
x=$top/extract
mkdir -p "$x"
(cd "$x" && rpm2cpio "../RPMS/$arch/$(basename "$main")" | cpio -idm --quiet)
magic=$(modinfo -F vermagic "$x$ko" | cut -d ' ' -f 1)
[ "$magic" = "$kver" ] || fail "packaged module built for '$magic', not $kver"

for f in /usr/sbin/dom0gpu-stat /usr/share/man/man8/dom0gpu-stat.8; do
	rpm -qlp "$stat" | grep -q "^$f" || fail "$stat lacks $f"
done
echo "# rpmbuild: $(basename "$main") ($ko, depmod in %post/%postun)," \
	"$(basename "$stat")"
