#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Proves the XCP-ng spec: rpmbuild builds it against a kernel build tree
# here (--nodeps: the build dependencies are CentOS package names), and the
# packages hold what XCP-ng's module packages hold: the module under
# /lib/modules/<release>/updates/, depmod in %post and %postun, and the
# CLI with its man page, systemd units, alerting rules, XAPI plugin and pool
# command; loading at boot is the separate, opt-in dom0gpu-boot package.
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

for f in /usr/sbin/dom0gpu-stat /usr/share/man/man8/dom0gpu-stat.8 /usr/sbin/dom0gpu-pool \
	/etc/xapi.d/plugins/dom0gpu /usr/lib/systemd/system/dom0gpu-textfile.service \
	/usr/lib/systemd/system/dom0gpu-textfile.timer \
	/usr/share/dom0gpu/prometheus/dom0gpu.rules.yml; do
	rpm -qlp "$stat" | grep -q "^$f" || fail "$stat lacks $f"
done
# xapi runs /etc/xapi.d/plugins/<name> itself: it must be executable.
rpm -qlvp "$stat" | grep -q '^-rwxr-xr-x .* /etc/xapi.d/plugins/dom0gpu$' ||
	fail "$stat: the XAPI plugin is not mode 0755"
boot=$(ls "$top/RPMS/$arch/dom0gpu-boot-$ver-"*.rpm)
[ "$(rpm -qlp "$boot")" = /usr/lib/modules-load.d/dom0gpu.conf ] ||
	fail "$boot holds $(rpm -qlp "$boot"), not the modules-load.d entry alone"
rpm -qlp "$main" "$stat" | grep -q modules-load.d &&
	fail "the modules-load.d entry is outside the opt-in dom0gpu-boot package"
(cd "$x" && rpm2cpio "../RPMS/$arch/$(basename "$stat")" | cpio -idm --quiet)
grep -q '^Environment=DOM0GPU_TEXTFILE_DIR=/var/lib/node_exporter/textfile_collector$' \
	"$x/usr/lib/systemd/system/dom0gpu-textfile.service" &&
	grep -q '^ExecStart=/usr/sbin/dom0gpu-stat ' "$x/usr/lib/systemd/system/dom0gpu-textfile.service" ||
	fail "the packaged service does not run /usr/sbin/dom0gpu-stat into node_exporter's directory"
echo "# rpmbuild: $(basename "$main") ($ko, depmod in %post/%postun)," \
	"$(basename "$stat") (CLI, systemd units, rules, XAPI plugin, dom0gpu-pool)," \
	"$(basename "$boot") (opt-in modules-load.d entry)"
