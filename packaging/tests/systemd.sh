#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The boot-time pieces of `make install`: the modules-load.d entry, and the
# textfile service + timer, which must pass `systemd-analyze verify` (and
# fail it when dom0gpu-stat is missing) with a low `systemd-analyze
# security` exposure. Then the service's own ExecStart, read from the
# installed unit, runs under the restrictions the unit declares, rebuilt
# with namespaces because no systemd runs here (so no systemd-run):
#   PrivateNetwork=yes            -> unshare --net (only lo, down)
#   ProtectSystem=strict,
#   ReadWritePaths=DIR            -> unshare --mount, every mount read-only
#                                    (/sys too: ProtectKernelTunables), DIR
#                                    bound read-write
#   CapabilityBoundingSet=...,
#   NoNewPrivileges=yes           -> setpriv --bounding-set, --no-new-privs
# Checked there: the textfile is written and equals an unrestricted run's
# output, nothing can be written outside DIR, no network device but lo, the
# effective capabilities are exactly the declared ones. dom0gpu-stat reads
# a fixture host (--root) through DOM0GPU_STAT_OPTS, as an admin's options.
# Not rebuilt: seccomp (RestrictAddressFamilies=, SystemCallArchitectures=)
# and the device cgroup (DevicePolicy=).
#
# Usage: systemd.sh WORKDIR KERNEL_BUILD_TREE

set -u

w=$1 kdir=$2
mkdir -p "$w" && w=$(cd "$w" && pwd)
fail() { echo "FAIL: $*"; exit 1; }
command -v systemd-analyze >/dev/null || fail "systemd-analyze not installed (make deps)"
rm -rf "$w"
dest=$w/destdir
mkdir -p "$dest"
make -s install-boot install-tools DESTDIR="$dest" PREFIX=/usr KDIR="$kdir" \
	TEXTFILE_DIR=/var/lib/prometheus/node-exporter >"$w/install.log" 2>&1 ||
	{ cat "$w/install.log"; fail "make install"; }
[ "$(grep -v '^#' "$dest/usr/lib/modules-load.d/dom0gpu.conf")" = dom0gpu ] ||
	fail "modules-load.d entry does not name dom0gpu alone"
make -s install-boot DESTDIR="$w/noboot" BOOT_LOAD=no >/dev/null 2>&1
[ ! -e "$w/noboot/usr/lib/modules-load.d/dom0gpu.conf" ] ||
	fail "BOOT_LOAD=no installed the modules-load.d entry"
echo "# modules-load.d/dom0gpu.conf: dom0gpu (none with BOOT_LOAD=no)"

u=$dest/usr/lib/systemd/system
svc=$u/dom0gpu-textfile.service
# The system's own units (sysinit.target, ...) inside the root.
mkdir -p "$dest/lib/systemd"
cp -r /lib/systemd/system "$dest/lib/systemd/"
systemd-analyze verify --man=no --root="$dest" "$svc" "$u/dom0gpu-textfile.timer" \
	>"$w/verify.log" 2>&1 || { cat "$w/verify.log"; fail "systemd-analyze verify"; }
[ ! -s "$w/verify.log" ] || { cat "$w/verify.log"; fail "systemd-analyze verify warns"; }
mv "$dest/usr/sbin/dom0gpu-stat" "$w/dom0gpu-stat"
if systemd-analyze verify --man=no --root="$dest" "$svc" >"$w/verify-missing.log" 2>&1; then
	fail "systemd-analyze verify accepts the service without dom0gpu-stat"
fi
mv "$w/dom0gpu-stat" "$dest/usr/sbin/dom0gpu-stat"
echo "# systemd-analyze verify: service and timer clean (and it fails without the binary)"

systemd-analyze security --offline=yes --root="$dest" "$svc" >"$w/security.log" 2>&1
score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$w/security.log")
[ -n "$score" ] || { cat "$w/security.log"; fail "no exposure level"; }
awk -v s="$score" 'BEGIN { exit !(s <= 4.0) }' ||
	{ grep '✗' "$w/security.log"; fail "exposure level $score above 4.0"; }
echo "# systemd-analyze security: exposure $score (at most 4.0)"

# ---- the service's command under the unit's restrictions ----
key() { sed -n "s/^$1=//p" "$svc"; }
exec_start=$(key ExecStart)
rw=$(key ReadWritePaths | sed 's/^-//')
caps=$(key CapabilityBoundingSet)
[ "$(key PrivateNetwork)" = yes ] && [ "$(key ProtectSystem)" = strict ] &&
	[ "$(key NoNewPrivileges)" = yes ] && [ -n "$rw" ] && [ -n "$caps" ] ||
	fail "the service lost a restriction this test rebuilds"
bset=-all
for c in $caps; do
	bset="$bset,+$(echo "${c#CAP_}" | tr 'A-Z' 'a-z')"
done
want_caps=$(python3 -c '
import sys
bits = {"CAP_SYS_RAWIO": 17, "CAP_SYSLOG": 34}
print("%016x" % sum(1 << bits[c] for c in sys.argv[1:]))' $caps) || fail "unknown capability in: $caps"

. tools/tests/fixtures.sh
R=$w/host
fx_xen_pv_6x_module >/dev/null 2>&1
out=$w/textfile
mkdir -p "$out" "$w/outside"
# The unit's command line, with this test's directory and options.
cmd=$(printf '%s\n' "$exec_start" | sed -e "s,^/usr/sbin/dom0gpu-stat,$dest/usr/sbin/dom0gpu-stat," \
	-e "s,\\\$DOM0GPU_STAT_OPTS,--root $R," -e "s,\\\${DOM0GPU_TEXTFILE_DIR},$out,")

# confined SCRIPT: SCRIPT under the restrictions; $out is the read-write path.
confined() {
	unshare --mount --net sh -c '
		set -e
		mount --make-rprivate /
		for m in $(findmnt -rn -o TARGET | sort -r); do
			case $m in /dev|/dev/*|/proc|/proc/*) continue ;; esac
			mount -o remount,bind,ro "$m" 2>/dev/null || true
		done
		mount -o remount,bind,ro /
		mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys
		mount --bind "$1" "$1" && mount -o remount,bind,rw "$1"
		shift
		exec setpriv --bounding-set "$BSET" --no-new-privs sh -c "$*"' \
		confined "$out" "$@"
}
export BSET="$bset"

"$dest/usr/sbin/dom0gpu-stat" --root "$R" --source sysfs --prometheus >"$w/plain.prom"
rc_plain=$?
confined "$cmd" >"$w/confined.log" 2>&1
rc=$?
[ "$rc" = "$rc_plain" ] || { cat "$w/confined.log"; fail "confined run exit $rc, unconfined $rc_plain"; }
cmp -s "$out/dom0gpu.prom" "$w/plain.prom" ||
	{ cat "$w/confined.log"; fail "the confined run's textfile differs from a plain run's output"; }
[ -z "$(find "$out" -name '.dom0gpu.prom.*')" ] || fail "temporary file left in $out"
echo "# confined ExecStart: wrote $(wc -l <"$out/dom0gpu.prom") lines to the textfile, as a plain run prints (exit $rc: the verdict)"

confined "$dest/usr/sbin/dom0gpu-stat --root $R --prometheus --output $w/outside/x.prom" \
	>"$w/outside.log" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q 'Read-only file system' "$w/outside.log" && [ ! -e "$w/outside/x.prom" ] ||
	{ cat "$w/outside.log"; fail "the confined command wrote outside $rw's stand-in (exit $rc)"; }
echo "# confined: writing outside the textfile directory fails (EROFS, exit 2)"

confined 'grep CapEff /proc/self/status; tail -n +3 /proc/net/dev' >"$w/env.log" 2>&1 ||
	{ cat "$w/env.log"; fail "probing the confinement"; }
got=$(sed -n 's/^CapEff:[[:space:]]*//p' "$w/env.log")
[ "$got" = "$want_caps" ] || fail "effective capabilities $got, the unit allows $want_caps ($caps)"
devs=$(grep -v '^CapEff:' "$w/env.log" | sed -n 's/^ *\([^:]*\):.*/\1/p' | tr '\n' ' ')
[ "$devs" = "lo " ] || fail "network devices in the confinement: $devs"
echo "# confined: CapEff $got ($caps), network devices: $devs"
