#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fleets and pools: dom0gpu-stat --explain of several reports (one line per
# host), dom0gpu-pool against a stand-in xe whose host-call-plugin goes
# through xapi's plugin protocol to the real XAPI plugin, the plugin's own
# tests, and the Prometheus alerting rules under `promtool test rules`. The
# hosts are fixture trees (../fixtures.sh, ../probe/fixtures) read by the
# real dom0gpu-stat; what each must show comes from its platform: Xen PV
# dom0 holds Xen's PAT 0x0000050100070406 (WC at index 4, which NVIDIA's
# nv_determine_pat_mode() rejects: blocked), a PVH dom0 or bare metal
# Linux's own PAT (PAT_VALUE(WB, WC, ...) in arch/x86/mm/pat/memtype.c: WC
# at 1), and Xen panics on a dom0=pvh boot with its IOMMU off
# (xen/drivers/passthrough/x86/iommu.c, arch_iommu_check_autotranslated_hwdom()).
#
# Usage: fleet_test.sh DOM0GPU_STAT FAKE_LIBCUDA_DIR   Prints TAP.

S=${1:?usage: fleet_test.sh DOM0GPU_STAT FAKE_LIBCUDA_DIR}
B=${2:?usage: fleet_test.sh DOM0GPU_STAT FAKE_LIBCUDA_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
S=$(cd "$(dirname "$S")" && pwd)/$(basename "$S")
B=$(cd "$B" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
PLUGIN=$TOP/packaging/xcp-ng/xapi/dom0gpu
POOL_CMD=$TOP/packaging/xcp-ng/xapi/dom0gpu-pool
RULES=$TOP/packaging/prometheus/dom0gpu.rules.yml
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
TAP_DIAG="$T/out $T/err"
. "$HERE/../tap.sh"
export NO_COLOR=1

run() {	# run ARGS...: dom0gpu-stat, output in $T/out and $T/err, status in $rc
	"$S" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# ---- the hosts ----
. "$HERE/../fixtures.sh"
host() {	# host NAME FIXTURE: a fixture tree at $T/root/NAME
	R=$T/root/$1
	"fx_$2" >/dev/null 2>&1
}
# PVH dom0 with the module loaded: Linux's own PAT, Xen booted with dom0=pvh.
fx_pvh_module() {
	fx_xen_pvh
	sysfs_module 0x0407050600070106 "WB WC UC- UC WB WP UC- WT" 1 1 kernel "" xen_hvm pvh \
		"console=com1 dom0_mem=4096M dom0=pvh iommu=1"
}
host xcp-pv xen_pv_6x_module
host xcp-pv-419 xen_pv_419
host xcp-pvh pvh_module
host xcp-pvh-panic pvh_module
put etc/default/grub 'GRUB_CMDLINE_XEN_DEFAULT="console=com1 dom0=pvh iommu=0"\n'
host xcp-pvh-pv-next pvh_module
put etc/default/grub 'GRUB_CMDLINE_XEN_DEFAULT="console=com1 dom0_mem=4096M"\n'
host gpu-native native_nvidia
mkdir -p "$T/reports" "$T/prom"
for h in xcp-pv xcp-pv-419 xcp-pvh xcp-pvh-panic xcp-pvh-pv-next gpu-native; do
	"$S" --root "$T/root/$h" --json >"$T/reports/$h.json"
	"$S" --root "$T/root/$h" --prometheus >"$T/prom/$h.prom"
done
# The CUDA probe failing on a host whose platform is fine (the stand-in
# libcuda fails cuCtxCreate with CUDA_ERROR_OPERATING_SYSTEM, 304).
FX=$HERE/../probe/fixtures
env LD_LIBRARY_PATH="$B" FAKE_CUDA_FAIL=cuCtxCreate=304 \
	"$S" --root "$FX/native" --probe --json >"$T/reports/cuda-failed.json"
env LD_LIBRARY_PATH="$B" FAKE_CUDA_FAIL=cuCtxCreate=304 \
	"$S" --root "$FX/native" --probe --prometheus >"$T/prom/cuda-failed.prom"

# ---- dom0gpu-stat --explain REPORT... ----
R=$T/reports
row() {	# row HOST: that host's line of the table in $T/out, fields split by blanks
	awk -v h="$1" '$1 == h' "$T/out"
}

run --explain "$R/xcp-pv.json" "$R/xcp-pvh.json" "$R/gpu-native.json" "$R/xcp-pv-419.json"
check "fleet: a header and one line per report, in the order given" \
	test "$(awk '{ print $1 }' "$T/out" | tr '\n' ' ')" = "HOST xcp-pv xcp-pvh gpu-native xcp-pv-419 "
check "fleet: Xen PV dom0 (module): blocked, domain pv, WC at PAT index 4" \
	test "$(row xcp-pv | awk '{ print $2, $3, $4 }')" = "blocked pv 4"
check "fleet: Xen PV dom0 on 4.19 (no module): blocked, pv, WC at 4" \
	test "$(row xcp-pv-419 | awk '{ print $2, $3, $4 }')" = "blocked pv 4"
check "fleet: PVH dom0: ready, domain pvh, WC at PAT index 1" \
	test "$(row xcp-pvh | awk '{ print $2, $3, $4 }')" = "ready pvh 1"
check "fleet: bare metal: ready, domain none, WC at 1" \
	test "$(row gpu-native | awk '{ print $2, $3, $4 }')" = "ready none 1"
check "fleet: a blocked host makes the exit status 1" test "$rc" = 1

# Each line agrees with --explain of that report alone.
agree=0
for h in xcp-pv xcp-pvh gpu-native xcp-pv-419; do
	one=$("$S" --explain "$R/$h.json" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
f = d["facts"]
print(d["verdict"], f["xen.domain_type"]["value"], f["pat.wc_index"]["value"])')
	[ "$one" = "$(row "$h" | awk '{ print $2, $3, $4 }')" ] || { agree=1; echo "$h: $one" >"$T/err"; }
done
check "fleet: each line says what --explain of that report alone says" test "$agree" = 0

run --explain "$R/xcp-pvh-panic.json" "$R/xcp-pvh-pv-next.json" "$R/xcp-pvh.json"
check "fleet: next boot dom0=pvh with iommu=0: Xen panics" \
	sh -c "awk '\$1 == \"xcp-pvh-panic\"' '$T/out' | grep -q 'Xen panics: dom0=pvh with iommu=0'"
check "fleet: PVH dom0 whose next boot lacks dom0=pvh: boots PV" \
	sh -c "awk '\$1 == \"xcp-pvh-pv-next\"' '$T/out' | grep -q 'dom0 boots PV: no dom0=pvh'"
check "fleet: ready hosts only: exit status 0" test "$rc" = 0

run --explain "$R/cuda-failed.json" "$R/xcp-pvh.json"
check "fleet: the CUDA probe's outcome from a --probe report" \
	test "$(row cuda-failed | awk '{ print $2, $5 }')" = "blocked failed"

printf 'not a report\n' >"$T/broken.json"
run --explain "$R/xcp-pvh.json" "$T/broken.json" "$T/missing.json"
check "fleet: an unreadable report is an error line with the reason, others still judged" \
	sh -c "awk '\$1 == \"broken\" && \$2 == \"error\"' '$T/out' | grep -q 'not valid JSON' &&
	       awk '\$1 == \"missing\" && \$2 == \"error\"' '$T/out' | grep -q 'No such file' &&
	       awk '\$1 == \"xcp-pvh\" && \$2 == \"ready\"' '$T/out' | grep -q ."
check "fleet: no blocked host but an unreadable report: exit status 2" test "$rc" = 2

run --fleet --explain "$R/xcp-pv.json"
check "fleet: --fleet with one report prints its line" \
	test "$(awk 'NR == 2 { print $1, $2 }' "$T/out")" = "xcp-pv blocked"

run --json --explain "$R/xcp-pv.json" "$R/xcp-pvh-panic.json" "$T/broken.json"
check "fleet --json: an array, one object per report, with the same fields" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert [h["host"] for h in a] == ["xcp-pv", "xcp-pvh-panic", "broken"], a
pv, pvh, bad = a
assert (pv["verdict"], pv["domain_type"], pv["pat_wc_index"]) == ("blocked", "pv", 4), pv
assert "D0G-PAT-001" in pv["blockers"], pv
assert pvh["next_boot"] == {"dom0": "pvh", "iommu_disabled": True, "panics": True,
                            "loses_pvh": False}, pvh
assert bad["verdict"] == "error" and "not valid JSON" in bad["error"], bad
' "$T/out"

run --quiet --explain "$R/xcp-pvh.json" "$R/xcp-pv.json"
check "fleet --quiet: nothing printed, the exit status is the fleet's" \
	test "$rc" = 1 -a ! -s "$T/out"

usage_ok=0
for args in "--fleet" "$R/xcp-pv.json" "--fleet --prometheus --explain $R/xcp-pv.json" \
	"--output $T/o --explain $R/xcp-pv.json $R/xcp-pvh.json"; do
	# shellcheck disable=SC2086
	run $args
	{ [ "$rc" = 64 ] && [ "$(wc -l <"$T/err")" = 1 ]; } || { usage_ok=1; echo "$args: $rc" >>"$T/out"; }
done
check "fleet: misuse is a one-line usage error, exit 64" test "$usage_ok" = 0

# ---- the XAPI plugin ----
python3 "$HERE/plugin_test.py" "$PLUGIN" "$S" "$T/root/xcp-pv" >"$T/unit" 2>&1
sed -n 's/^\(test_[a-z_0-9]*\) (.*\.\([A-Za-z]*\)\.[a-z_0-9]*) \.\.\. \(.*\)$/\3 \2.\1/p' "$T/unit" >"$T/cases"
while read -r res name; do
	if [ "$res" = ok ]; then ok "xapi plugin: $name"; else cp "$T/unit" "$T/out"; not_ok "xapi plugin: $name"; fi
done <"$T/cases"
check "xapi plugin: the unit tests ran and passed" sh -c "[ -s '$T/cases' ] && tail -n 1 '$T/unit' | grep -q '^OK'" ||
	cp "$T/unit" "$T/out"

# ---- dom0gpu-pool against a stand-in xe ----
P=$T/pool
mkdir -p "$P/plugins" "$T/bin"
cp "$PLUGIN" "$P/plugins/dom0gpu"
ln -s "$HERE/xapi/xe" "$T/bin/xe"
ln -s "$S" "$T/bin/dom0gpu-stat"
printf '#!/bin/sh\nexec "%s" --root "$FAKE_ROOT" "$@"\n' "$S" >"$P/stat"
chmod 755 "$P/stat"
i=0
for h in xcp-pv xcp-pvh xcp-pvh-panic; do
	i=$((i + 1))
	printf '0000000%d-1111-2222-3333-444444444444\t%s\t%s\tup\n' "$i" "$h" "$T/root/$h"
done >"$P/hosts"
pool() {	# pool ARGS...: dom0gpu-pool on the stand-in pool
	env FAKE_POOL="$P" PATH="$T/bin:$PATH" sh "$POOL_CMD" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

pool
cp "$T/out" "$T/pool.txt"
"$S" --explain "$R/xcp-pv.json" "$R/xcp-pvh.json" "$R/xcp-pvh-panic.json" >"$T/saved.txt"
check "pool: one line per host, as --explain of the hosts' saved reports prints them" \
	cmp -s "$T/pool.txt" "$T/saved.txt"
check "pool: a blocked host makes the exit status 1" test "$rc" = 1

pool --json
check "pool --json: one object per host, names from name-label" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert [(h["host"], h["verdict"]) for h in a] == [
    ("xcp-pv", "blocked"), ("xcp-pvh", "ready"), ("xcp-pvh-panic", "ready")], a
assert a[2]["next_boot"]["panics"] is True, a[2]
' "$T/out"

printf '00000009-1111-2222-3333-444444444444\txcp down/9\t%s\tdown\n' "$T/root/xcp-pvh" >>"$P/hosts"
pool
check "pool: an unreachable host is an error line, and xe's reason is on stderr" \
	sh -c "awk '\$1 == \"xcp_down_9\" && \$2 == \"error\"' '$T/out' | grep -q 'empty file: no report' &&
	       grep -q '^dom0gpu-pool: xcp down/9: Cannot forward messages' '$T/err'"
check "pool: a blocked host still makes the exit status 1" test "$rc" = 1
sed -i '$d' "$P/hosts"

printf '00000008-1111-2222-3333-444444444444\tgpu-probe\t%s\tup\n' "$FX/native" >>"$P/hosts"
env LD_LIBRARY_PATH="$B" FAKE_CUDA_FAIL=cuCtxCreate=304 FAKE_POOL="$P" PATH="$T/bin:$PATH" \
	sh "$POOL_CMD" --probe --timeout 20 >"$T/out" 2>"$T/err"
check "pool --probe: each host runs the CUDA probe (a failing one shows)" \
	test "$(row gpu-probe | awk '{ print $2, $5 }')" = "blocked failed"
sed -i '$d' "$P/hosts"

mkdir -p "$T/keep"
pool --keep "$T/keep"
check "pool --keep: each host's report saved as DIR/<host>.json, readable by --explain" \
	sh -c "'$S' --explain '$T/keep/xcp-pvh.json' --quiet; test \$? = 0 && test -s '$T/keep/xcp-pv.json'"

usage_ok=0
for args in "--timeout 5" "--bogus" "--keep $T/nowhere" "--timeout"; do
	# shellcheck disable=SC2086
	pool $args
	{ [ "$rc" = 64 ] && [ "$(wc -l <"$T/err")" = 1 ]; } || { usage_ok=1; echo "$args: $rc" >>"$T/out"; }
done
check "pool: misuse is a one-line usage error, exit 64" test "$usage_ok" = 0

# ---- Prometheus alerting rules ----
if command -v promtool >/dev/null 2>&1; then
	check "prometheus: promtool check rules dom0gpu.rules.yml" \
		sh -c "promtool check rules '$RULES' >'$T/out' 2>&1"
	for f in "$T"/prom/*.prom; do
		promtool check metrics <"$f" >"$T/out" 2>&1 || { cp "$f" "$T/err"; break; }
	done
	check "prometheus: every host's --prometheus output passes promtool check metrics" \
		test ! -s "$T/out"
	python3 "$HERE/prom_cases.py" "$RULES" "$T/rules_test.yml" xcp-pvh \
		"xcp-pv=$T/prom/xcp-pv.prom=Dom0gpuHostBlocked" \
		"xcp-pv-419=$T/prom/xcp-pv-419.prom=Dom0gpuHostBlocked,Dom0gpuModuleNotLoaded" \
		"xcp-pvh=$T/prom/xcp-pvh.prom=" \
		"xcp-pvh-panic=$T/prom/xcp-pvh-panic.prom=Dom0gpuNextBootPanics" \
		"xcp-pvh-pv-next=$T/prom/xcp-pvh-pv-next.prom=Dom0gpuNextBootLosesPVH" \
		"gpu-native=$T/prom/gpu-native.prom=Dom0gpuModuleNotLoaded" \
		"cuda-failed=$T/prom/cuda-failed.prom=Dom0gpuCudaProbeFailed,Dom0gpuHostBlocked,Dom0gpuModuleNotLoaded" \
		2>"$T/err"
	check "prometheus: promtool test rules on the hosts' real output (each alert fires where the platform says, and only there)" \
		sh -c "promtool test rules '$T/rules_test.yml' >'$T/out' 2>&1"
else
	not_ok "prometheus: promtool not installed (Debian package prometheus; selftests/deps.sh)"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
