#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The fleet views on the reports the VM scenarios saved (selftests/vm/run.py
# keeps each scenario's `dom0gpu-stat --json` and `--prometheus` in
# REPORTS/<name>-<kernel>/): dom0gpu-stat --explain of them all, dom0gpu-pool
# against a stand-in xe whose hosts' plugin calls (xapi's protocol, the real
# plugin) return those reports, and the Prometheus alerting rules under
# `promtool test rules` on their real metrics. What each view must show is
# read from the same reports (vm_reports.py); that the reports are right is
# the platform's word: a Xen PV dom0 holds Xen's PAT, XEN_MSR_PAT
# 0x050100070406 (Xen 4.17, xen/arch/x86/include/asm/processor.h, "an ABI
# with PV guests"), WC at index 4, which NVIDIA's nv_determine_pat_mode()
# rejects; a PVH dom0 and bare metal hold Linux's (pat_init() in
# arch/x86/mm/pat/memtype.c: WC at index 1). One scenario has a configured
# next boot (selftests/vm/scenarios.py, FILES): xen-pv/5.10's
# /etc/default/grub asks for dom0=pvh with iommu=no, on which Xen 4.17
# panics (xen/drivers/passthrough/x86/iommu.c,
# arch_iommu_check_autotranslated_hwdom(): "Presently, iommu must be
# enabled for PVH hardware domain"). The fixture hosts of fleet_test.sh
# cover what no VM scenario makes (a next boot that brings a PVH dom0 back
# as PV, a failing CUDA probe, a 4.19 host without the module).
#
# Usage: vm_reports_test.sh DOM0GPU_STAT REPORTS   Prints TAP.
# A scenario's report that is missing means that scenario was not run
# (make -C selftests vm S=...): its checks are skipped, unless
# D0G_REPORTS_REQUIRED=1 (make check, which runs them all) makes it a failure.

S=${1:?usage: vm_reports_test.sh DOM0GPU_STAT REPORTS}
D=${2:?usage: vm_reports_test.sh DOM0GPU_STAT REPORTS}
HERE=$(cd "$(dirname "$0")" && pwd)
S=$(cd "$(dirname "$S")" && pwd)/$(basename "$S")
TOP=$(cd "$HERE/../../.." && pwd)
PLUGIN=$TOP/packaging/xcp-ng/xapi/dom0gpu
POOL_CMD=$TOP/packaging/xcp-ng/xapi/dom0gpu-pool
RULES=$TOP/packaging/prometheus/dom0gpu.rules.yml
EXPECT="python3 $HERE/vm_reports.py"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
TAP_DIAG="$T/out $T/err"
. "$HERE/../tap.sh"
TAP_ERR=$T/err
export NO_COLOR=1

skip() {	# skip NAME REASON
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# The hosts: every scenario whose reports arrived, named after its folder.
hosts=
for d in "$D"/*/; do
	h=$(basename "$d")
	[ -f "$d/report.json" ] && [ -f "$d/metrics.prom" ] || continue
	hosts="$hosts $h"
done

# The scenarios whose platform decides what their reports must say: the
# next boot ("-": none configured) and the findings that cite it. xen-pv-5.10
# boots as xen-pv-6.1 does (the same Xen line): the same verdict, and its
# configured next boot only adds the D0G-PVH-001 warning that cites it.
for want in "xen-pv-6.1 blocked pv 0x0000050100070406 4 - -" \
	"xen-pv-5.10 blocked pv 0x0000050100070406 4 panics D0G-PVH-001" \
	"xen-pvh-6.1 ready pvh 0x0407050600070106 1 - -" \
	"native-6.1 ready none 0x0407050600070106 1 - -"; do
	# shellcheck disable=SC2086
	set -- $want
	h=$1
	shift
	what="vm report $h: verdict $1, domain type $2, PAT $3, WC at index $4, next boot $5 (cited by $6)"
	if [ -f "$D/$h/report.json" ]; then
		got=$($EXPECT summary "$D/$h/report.json" | tr '\t' ' ')
		echo "$h: $got" >"$T/out"
		check "$what" test "$got" = "$*"
	elif [ "${D0G_REPORTS_REQUIRED:-0}" = 1 ]; then
		echo "no $D/$h/report.json" >"$T/out"
		not_ok "$what"
	else
		skip "$what" "no saved report: scenario ${h%-*}/${h##*-} not run (make -C selftests vm S=${h%-*}/${h##*-})"
	fi
done

if [ -z "$hosts" ]; then
	why="no VM scenario's reports in $D (make -C selftests vm)"
	echo "$why" >"$T/out"
	for t in "fleet: --explain" "fleet: exit status" "fleet: --fleet --json" "pool: table" \
		"pool: the same as --explain" "pool: --json" "prometheus: promtool check metrics" \
		"prometheus: promtool test rules"; do
		if [ "${D0G_REPORTS_REQUIRED:-0}" = 1 ]; then not_ok "$t"; else skip "$t" "$why"; fi
	done
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit
fi
echo "# the VM scenarios' reports:$hosts"

# ---- dom0gpu-stat --explain of the saved reports ----
mkdir -p "$T/reports"
pairs=
for h in $hosts; do
	ln -s "$D/$h/report.json" "$T/reports/$h.json"
	pairs="$pairs $h=$D/$h/report.json"
done
# shellcheck disable=SC2086
set -- $(for h in $hosts; do echo "$T/reports/$h.json"; done)
# Several reports make the table; one needs --fleet.
fleet=
[ $# -gt 1 ] || fleet=--fleet
"$S" $fleet --explain "$@" >"$T/explain.txt" 2>"$T/err"
rc=$?
cp "$T/explain.txt" "$T/out"
echo "# \$ dom0gpu-stat $fleet${fleet:+ }--explain$(for h in $hosts; do printf ' %s.json' "$h"; done)"
sed 's/^/# /' "$T/explain.txt"
# shellcheck disable=SC2086
check "fleet: --explain of every VM report: one line each, as its report says" \
	$EXPECT table "$T/explain.txt" $pairs
verdicts=$(for h in $hosts; do $EXPECT summary "$D/$h/report.json" | cut -f 1; done)
case " $(echo $verdicts) " in
*" blocked "*) want_rc=1 ;;
*" unknown "*) want_rc=2 ;;
*) want_rc=0 ;;
esac
echo "verdicts: $(echo $verdicts), exit status $rc" >"$T/out"
check "fleet: exit status 1 if a report is blocked, else 2 if one is unknown, else 0" \
	test "$rc" = "$want_rc"
"$S" --fleet --json --explain "$@" >"$T/out" 2>"$T/err"
# shellcheck disable=SC2086
check "fleet: --fleet --json: one object per report, as its report says" \
	$EXPECT json "$T/out" $pairs

# ---- dom0gpu-pool against a stand-in xe, each host replaying its report ----
P=$T/pool
mkdir -p "$P/plugins" "$T/bin"
cp "$PLUGIN" "$P/plugins/dom0gpu"
ln -s "$HERE/xapi/xe" "$T/bin/xe"
ln -s "$S" "$T/bin/dom0gpu-stat"
# The plugin's dom0gpu-stat on each host: that scenario's saved report and
# exit status (FAKE_ROOT is the host's folder, see xapi/xe).
cat >"$P/stat" <<'EOF'
#!/bin/sh
[ "$*" = --json ] || { echo "replayed dom0gpu-stat: only --json, not $*" >&2; exit 64; }
cat "$FAKE_ROOT/report.json"
exit "$(cat "$FAKE_ROOT/report.json.exit")"
EOF
chmod 755 "$P/stat"
i=0
for h in $hosts; do
	i=$((i + 1))
	printf '%08d-1111-2222-3333-444444444444\t%s\t%s\tup\n' "$i" "$h" "$D/$h"
done >"$P/hosts"
env FAKE_POOL="$P" PATH="$T/bin:$PATH" sh "$POOL_CMD" >"$T/pool.txt" 2>"$T/err"
prc=$?
cp "$T/pool.txt" "$T/out"
echo "# \$ dom0gpu-pool"
sed 's/^/# /' "$T/err" "$T/pool.txt"
# shellcheck disable=SC2086
check "pool: one line per host, each as that host's VM report says" \
	$EXPECT table "$T/pool.txt" $pairs
check "pool: the same table as --explain of the saved reports, same exit status" \
	sh -c "cmp '$T/pool.txt' '$T/explain.txt' && test '$prc' = '$rc'"
env FAKE_POOL="$P" PATH="$T/bin:$PATH" sh "$POOL_CMD" --json >"$T/out" 2>"$T/err"
# shellcheck disable=SC2086
check "pool: --json, one object per host, as its VM report says" \
	$EXPECT json "$T/out" $pairs

# ---- Prometheus: the rules on the scenarios' real metrics ----
if ! command -v promtool >/dev/null 2>&1; then
	not_ok "prometheus: promtool not installed (Debian package prometheus; selftests/deps.sh)"
	echo "1..$n"
	exit 1
fi
: >"$T/out"
for h in $hosts; do
	promtool check metrics <"$D/$h/metrics.prom" >>"$T/out" 2>&1 || echo "($h)" >>"$T/out"
done
check "prometheus: every VM report's metrics pass promtool check metrics" test ! -s "$T/out"
cases= stale=
for h in $hosts; do
	a=$($EXPECT alerts "$D/$h/report.json") || a=unknown
	echo "# $h: $(grep -E '^dom0gpu_(verdict|degraded|pat_wc_index|xen_info|next_boot_panic|next_boot_loses_pvh)[ {]' \
		"$D/$h/metrics.prom" | tr '\n' ' ')-> fires: ${a:-nothing}"
	cases="$cases $h=$D/$h/metrics.prom=$a"
	stale=${stale:-$h}
done
rules_test() {
	# shellcheck disable=SC2086
	python3 "$HERE/prom_cases.py" "$RULES" "$T/vm_reports.test.yml" "$stale" $cases &&
		(cd "$T" && promtool test rules vm_reports.test.yml) >"$T/out" 2>&1
}
check "prometheus: promtool test rules on the VM reports' metrics (alerts from each report's verdict fields and configured next boot; stale and missing report)" \
	rules_test
sed 's/^/# /' "$T/out"

echo "1..$n"
[ "$failed" -eq 0 ]
