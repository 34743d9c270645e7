#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Packaging and compatibility checks, run from the top of the tree by
# `make check-packaging` (part of `make check`). Prints KTAP; details of a
# failure go to build/check/packaging/<test>.log and are shown as comments.
#
#   install_destdir          make install/uninstall into a staging DESTDIR
#   systemd_units            modules-load.d entry, the textfile service and
#                            timer: systemd-analyze verify/security, and the
#                            service's command under its own restrictions
#   versions_agree           dkms.conf, spec, module and CLI: one version
#   dkms_<a>_<b>             dkms add/build/install/remove for two kernels
#   rpmbuild_xcpng_spec      the XCP-ng spec builds against Debian's 6.1
#   kernel_floor_4.19        a tree older than 4.19 stops the build
#   ksyms_xcpng83_from_5.10  the 5.10 build's symbols, mapped to 4.19 names,
#                            are all exported by XCP-ng 8.3's kernel
#   ksyms_xcpng83_real_4.19  the same for a build against a 4.19 tree
#                            (KDIR_419; skipped where there is none)
#   userland_*               dom0gpu-stat against CentOS 7's toolchain and
#                            libraries, as far as this host can tell
#
# Environment (set by packaging/check.mk): XCPNG_SYMVERS, KDIR_419.

set -u

out=build/check/packaging
rm -rf "$out"
mkdir -p "$out"
n=0 failed=0

# run NAME COMMAND...: one KTAP result; exit 4 from COMMAND means skip.
run() {
	name=$1; shift
	n=$((n + 1))
	printf '  TEST    %s\n' "$name" >&2
	"$@" >"$out/$name.log" 2>&1
	rc=$?
	sed -n 's/^# /  # /p' "$out/$name.log"
	if [ $rc -eq 0 ]; then
		echo "ok $n $name"
	elif [ $rc -eq 4 ]; then
		echo "ok $n $name # SKIP $(tail -n 1 "$out/$name.log")"
	else
		failed=$((failed + 1))
		grep -v '^# ' "$out/$name.log" | tail -n 30 | sed 's/^/# /'
		echo "not ok $n $name"
	fi
}

kernel() { selftests/vm/kernels.sh "$1" | cut -d ' ' -f "$2"; }
k61=$(kernel 6.1 1) k61dir=$(kernel 6.1 2)
k612=$(kernel 6.12 1)
k510dir=$(kernel 5.10 2)

install_destdir() {
	d=$(pwd)/$out/destdir
	make -s install DESTDIR="$d" PREFIX=/usr KDIR="$k61dir" || return 1
	for f in "lib/modules/$k61/extra/dom0gpu.ko:644" \
		"usr/sbin/dom0gpu-stat:755" "usr/share/man/man8/dom0gpu-stat.8:644" \
		"usr/lib/modules-load.d/dom0gpu.conf:644" \
		"usr/lib/systemd/system/dom0gpu-textfile.service:644" \
		"usr/lib/systemd/system/dom0gpu-textfile.timer:644" \
		"usr/share/dom0gpu/prometheus/dom0gpu.rules.yml:644"; do
		p=$d/${f%:*}
		[ -f "$p" ] || { echo "FAIL: make install did not create /${f%:*}"; return 1; }
		[ "$(stat -c %a "$p")" = "${f#*:}" ] ||
			{ echo "FAIL: /${f%:*} has mode $(stat -c %a "$p")"; return 1; }
	done
	magic=$(modinfo -F vermagic "$d/lib/modules/$k61/extra/dom0gpu.ko" | cut -d ' ' -f 1)
	[ "$magic" = "$k61" ] || { echo "FAIL: installed module is for $magic"; return 1; }
	make -s uninstall DESTDIR="$d" PREFIX=/usr KDIR="$k61dir" || return 1
	left=$(find "$d" -type f)
	[ -z "$left" ] || { echo "FAIL: make uninstall left: $left"; return 1; }
	echo "# make install/uninstall DESTDIR=... PREFIX=/usr: module (0644), tool (0755), man page," \
		"modules-load.d entry, systemd units, alerting rules"
}

# One version everywhere a user or a package manager sees one.
versions() {
	v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
	spec=$(sed -n 's/^Version: *//p' packaging/xcp-ng/dom0gpu.spec)
	make -s module KDIR="$k61dir" >/dev/null && make -s tools >/dev/null || return 1
	mod=$(modinfo -F version "build/kmod/$k61/dom0gpu.ko")
	stat=$(build/tools/dom0gpu-stat --version | sed -n '1s/^dom0gpu-stat \([^ ]*\).*/\1/p')
	for x in "spec:$spec" "module:$mod" "dom0gpu-stat:$stat"; do
		[ "${x#*:}" = "$v" ] ||
			{ echo "FAIL: ${x%%:*} has version '${x#*:}', dkms.conf $v"; return 1; }
	done
	echo "# dkms.conf, the RPM spec, dom0gpu.ko and dom0gpu-stat are all version $v"
}

# Below 4.19 the build stops with a clear message (kmod/compat/
# Kbuild.include); a tree's version is faked here by overriding the
# kernel Makefile's PATCHLEVEL.
floor_419() {
	if make -s module KDIR="$k61dir" VERSION=4 PATCHLEVEL=14 >"$out/floor.txt" 2>&1; then
		echo "FAIL: a 4.14 tree builds"; return 1
	fi
	grep -q 'dom0gpu supports Linux 4.19 and newer' "$out/floor.txt" ||
		{ cat "$out/floor.txt"; echo "FAIL: no floor message"; return 1; }
	echo "# a 4.14 tree stops the build: dom0gpu supports Linux 4.19 and newer"
}

ksyms_510() {
	make -s module KDIR="$k510dir" >/dev/null || return 1
	KSYMS_OUT=$out/ksyms-5.10-mapped.txt selftests/compat/ksyms.sh "$XCPNG_SYMVERS" \
		"build/kmod/$(kernel 5.10 1)/dom0gpu.ko" selftests/compat/ksyms-4.19.map
}

ksyms_419() {
	rel=$(cat "$KDIR_419/include/config/kernel.release" 2>/dev/null) || {
		echo "no prepared 4.19 tree at KDIR_419=$KDIR_419 (local check only)"
		return 4
	}
	# Some 4.19 snapshots default to ARCH=arm in their Makefile.
	make -s module KDIR="$KDIR_419" ARCH=x86_64 CROSS_COMPILE= >/dev/null || return 1
	KSYMS_OUT=$out/ksyms-4.19.txt selftests/compat/ksyms.sh "$XCPNG_SYMVERS" \
		"build/kmod/$rel/dom0gpu.ko" || return 1
	# The 5.10 mapping must foresee every symbol the 4.19 build needs, or
	# the CI check (which cannot have a 4.19 tree) would miss it.
	[ -f "$out/ksyms-5.10-mapped.txt" ] || return 0
	unforeseen=$(comm -23 "$out/ksyms-4.19.txt" "$out/ksyms-5.10-mapped.txt")
	[ -z "$unforeseen" ] || {
		echo "FAIL: the 4.19 build needs symbols the 5.10 mapping does not predict:" $unforeseen
		echo "  (add them to selftests/compat/ksyms-4.19.map)"
		return 1
	}
	# Modversions: a CRC differing from XCP-ng's would only mean that this
	# tree's headers differ from XCP-ng's for that symbol (the package is
	# built against XCP-ng's own kernel-devel), so this is reported only.
	same=0 all=0
	for l in $(modprobe --dump-modversions "build/kmod/$rel/dom0gpu.ko" | tr ' \t' '::'); do
		all=$((all + 1))
		awk -v c="${l%%:*}" -v s="${l#*:}" '$2 == s && $1 == c { f = 1 } END { exit !f }' \
			"$XCPNG_SYMVERS" && same=$((same + 1))
	done
	echo "# $same of $all symbol CRCs of the $rel build equal XCP-ng 8.3's"
	extra=$(comm -13 "$out/ksyms-4.19.txt" "$out/ksyms-5.10-mapped.txt")
	echo "# the 5.10 mapping predicts all symbols of the real 4.19 build${extra:+ (and these it does not need: $(echo $extra))}"
}

if [ ! -f "$XCPNG_SYMVERS" ]; then
	echo "check-packaging: XCP-ng export list not found: $XCPNG_SYMVERS" >&2
	echo "  (set XCPNG_SYMVERS=; by default it is ../shared/data/ beside the tree)" >&2
	exit 1
fi

echo "KTAP version 1"
echo "1..13"
run install_destdir install_destdir
run systemd_units packaging/tests/systemd.sh "$out/systemd" "$k61dir"
run versions_agree versions
run "dkms_6.1_6.12" packaging/tests/dkms.sh "$out/dkms" "$k61" "$k612"
run rpmbuild_xcpng_spec packaging/tests/rpm.sh "$k61" "$k61dir"
run kernel_floor_4.19 floor_419
run ksyms_xcpng83_from_5.10 ksyms_510
run ksyms_xcpng83_real_4.19 ksyms_419
u=selftests/compat/userland.sh
run userland_build_bullseye "$u" build "$out/userland"
run userland_c_gcc48 "$u" c-subset "$out/userland"
run userland_glibc_2.17 "$u" glibc "$out/userland/dom0gpu-stat"
run userland_libs_centos7 "$u" libs "$out/userland/dom0gpu-stat"
run userland_runs_bullseye_libs "$u" run "$out/userland/dom0gpu-stat"
echo "# packaging: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
