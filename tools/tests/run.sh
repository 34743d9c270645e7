#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dom0gpu-stat host tests over fake platform trees (fixtures.sh): exit code
# and rule IDs per platform, every rule covered, --json valid against
# docs/report.schema.json, --explain of a saved report reaching the same
# verdict, Prometheus output, bad input. Each case also runs under
# ASan+UBSan and, for the JSON runs, valgrind; any report fails the case.
# Every report saved here then goes to tests/rules/'s READS_TEST.
#
# Usage: run.sh BIN ASAN_BIN READS_TEST   Prints TAP (plan last); exits 1 if anything failed.

BIN=${1:?usage: run.sh BIN ASAN_BIN READS_TEST}
ASAN=${2:?usage: run.sh BIN ASAN_BIN READS_TEST}
READS=${3:?usage: run.sh BIN ASAN_BIN READS_TEST}
HERE=$(cd "$(dirname "$0")" && pwd)
SCHEMA=$HERE/../../docs/report.schema.json
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export NO_COLOR=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
VALGRIND=${VALGRIND-valgrind}
command -v "$VALGRIND" >/dev/null 2>&1 || VALGRIND=

. "$HERE/fixtures.sh"

n=0
failed=0
SEEN=$T/seen_ids

echo "TAP version 13"

ok() {
	n=$((n + 1))
	echo "ok $n $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $1"
	[ -s "$T/why" ] && sed 's/^/# /' "$T/why"
	: >"$T/why"
}

# run_case BIN ARGS...: stdout in $T/out, stderr in $T/err, status in $rc
run_case() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# sanitizer_clean: no ASan/UBSan/valgrind report in $T/err
sanitizer_clean() {
	! grep -Eq 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer|ERROR SUMMARY: [1-9]' "$T/err"
}

json_check() {	# json_check FILE: validate, print "verdict mode id,id,..."
	python3 - "$SCHEMA" "$1" <<'EOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
ids = sorted({f["id"] for f in doc["findings"]})
print(doc["verdict"], doc["mode"], ",".join(ids))
EOF
}

# fixture NAME EXIT HAVE NOT: build the tree, run human, json, explain
fixture() {
	name=$1 want=$2 have=$3 lack=$4
	R=$T/root/$name
	"fx_$name" >"$T/why" 2>&1 || { not_ok "$name: fixture builds"; return; }

	run_case "$ASAN" --root "$R"
	if [ "$rc" -eq "$want" ] && sanitizer_clean && grep -q '^verdict: ' "$T/out" &&
	   [ "$(head -n1 "$T/out" | cut -d' ' -f1)" = "verdict:" ]; then
		ok "$name: human report first line is the verdict, exit $want (ASan/UBSan)"
	else
		{ echo "exit $rc, want $want"; cat "$T/out" "$T/err"; } >"$T/why"
		not_ok "$name: human report, exit $want"
	fi

	if [ -n "$VALGRIND" ]; then
		run_case "$VALGRIND" -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite "$BIN" --root "$R" --json
	else
		run_case "$BIN" --root "$R" --json
	fi
	cp "$T/out" "$T/$name.json"
	if [ "$rc" -eq "$want" ] && sanitizer_clean && json_check "$T/$name.json" >"$T/j" 2>"$T/why"; then
		ok "$name: --json valid against the schema${VALGRIND:+ (valgrind)}"
	else
		{ echo "exit $rc"; cat "$T/err"; } >>"$T/why"
		not_ok "$name: --json valid against the schema"
		return
	fi
	ids=$(cut -d' ' -f3 "$T/j")
	echo "$ids" | tr ',' '\n' >>"$SEEN"
	missing=
	for id in $have; do
		case ",$ids," in *",D0G-$id,"*) ;; *) missing="$missing D0G-$id" ;; esac
	done
	for id in $lack; do
		case ",$ids," in *",D0G-$id,"*) missing="$missing !D0G-$id" ;; esac
	done
	if [ -z "$missing" ]; then
		ok "$name: rules $have${lack:+ and not $lack}"
	else
		echo "found $ids; wrong:$missing" >"$T/why"
		not_ok "$name: rules $have${lack:+ and not $lack}"
	fi

	run_case "$ASAN" --explain "$T/$name.json" --json
	cp "$T/out" "$T/$name.explained.json"
	if [ "$rc" -eq "$want" ] && sanitizer_clean &&
	   json_check "$T/$name.explained.json" >"$T/j2" 2>"$T/why" &&
	   [ "$(cut -d' ' -f1,3 "$T/j")" = "$(cut -d' ' -f1,3 "$T/j2")" ]; then
		ok "$name: --explain of the saved report gives the same verdict and rules"
	else
		{ echo "exit $rc"; cat "$T/j" "$T/j2" "$T/err"; } >>"$T/why"
		not_ok "$name: --explain of the saved report gives the same verdict and rules"
	fi
}

#       name              exit  rules that must fire          rules that must not
fixture xen_pv_419        1 "PAT-001 NV-002 PVH-005 PVH-007 CPU-001 SRC-001 PAT-007" "PVH-001 GPU-006 PAT-002"
fixture xen_pv_6x_module  1 "PAT-001 PVH-001 PVH-007"      "SRC-001 PAT-007 PVH-005"
fixture xen_pvh           0 "CPU-001 SRC-001"              "PAT-001 PVH-001 PVH-007 GPU-006 NV-005"
fixture native            0 "GPU-006 SRC-001 CPU-001"      "PAT-001 PAT-002 NV-005"
fixture native_nvidia     0 ""                             "GPU-006 NV-005 NV-003"
fixture pciback           1 "GPU-001 GPU-004"              "PAT-001 GPU-002"
fixture vfio              1 "GPU-002"                      "GPU-001 GPU-003"
fixture nouveau           1 "GPU-003 NV-005"               "GPU-005"
fixture nouveau_loaded    0 "GPU-005"                      "GPU-003"
fixture use_pat_0         1 "NV-001 NV-002"                "PAT-001 PAT-002 PAT-003"
fixture use_pat_0_conf    1 "NV-001 NV-005"                "PAT-001"
fixture inconsistent      0 "PAT-008"                      "PAT-005 PAT-007 PAT-001"
fixture inconsistent_decision 1 "PAT-005"                  "PAT-008 PAT-007 PAT-001"
fixture wc_scan_order     1 "PAT-002"                      "PAT-001 PAT-005 PAT-008"
fixture sysfs_cpus_differ 0 "PAT-008"                      "PAT-005 PAT-007 PAT-001"
fixture sysfs_cpus_decision 1 "PAT-005"                    "PAT-008 PAT-007 PAT-001"
fixture nvopts_sorted     0 "NV-005"                       "NV-001"
fixture nvopts_shadowed   0 "NV-005"                       "NV-001"
fixture nvopts_cmdline    1 "NV-001 NV-005"                ""
fixture nvopts_continued  1 "NV-001 NV-005"                ""
fixture use_pat_0_module  1 "NV-001"                       "NV-004 NV-005"
fixture pvh_next_iommu    0 "PVH-001"                      "PVH-009 PAT-001"
fixture pvh_next_pv       0 "PVH-009"                      "PVH-001 PAT-001"
fixture pvh_next_iommu_on 0 ""                             "PVH-001 PVH-009 PAT-001"
fixture pvh_next_iommu_off 0 "PVH-001"                     "PVH-009 PAT-001"
fixture pvh_preflight     1 "PAT-001 PVH-001 PVH-003 PVH-004 PVH-006 XEN-001" "PVH-005"
fixture native_wc4        1 "PAT-002"                      "PAT-001 PVH-007"
fixture no_wc             1 "PAT-003"                      "PAT-001 PAT-002"
fixture no_pat_cpu        1 "PAT-004"                      "PAT-001"
fixture pat_unknown       2 "PAT-006"                      "PAT-001"
fixture log_differs       0 "NV-003"                       "NV-002"
fixture nvidia_unloaded   0 "NV-005"                       "GPU-006"
fixture module_disagrees  1 "NV-004 PAT-001"               ""
fixture builtin_loaded    0 ""                             "NV-004 PAT-001 PAT-003"
fixture builtin_unloaded  0 "NV-004"                       "PAT-001"

# --- facts only a live Xen gives (libxenctrl): through --explain ---
python3 - "$T/pvh_preflight.json" "$T/xenctrl.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
for k in ("xen.iommu_enabled", "xen.hap", "xen.shadow"):
    doc["facts"][k] = {"value": False, "source": "libxenctrl", "from": "xc_physinfo"}
json.dump(doc, open(sys.argv[2], "w"))
EOF
run_case "$ASAN" --explain "$T/xenctrl.json" --json
if [ "$rc" -eq 1 ] && sanitizer_clean && json_check "$T/out" >"$T/j" 2>"$T/why" &&
   grep -q 'D0G-PVH-002' "$T/j" && grep -q 'D0G-PVH-008' "$T/j"; then
	ok "explain: Xen's physinfo without IOMMU, HAP and shadow fires D0G-PVH-002 and -008"
	printf 'D0G-PVH-002\nD0G-PVH-008\n' >>"$SEEN"
else
	not_ok "explain: Xen's physinfo without IOMMU, HAP and shadow fires D0G-PVH-002 and -008"
fi

# --- a fact from the module's sysfs, else from /proc/cpuinfo ---
fact_is() {	# fact_is FACT "VALUE SOURCE FROM" DESC: FACT in the --json report in $T/out
	have=$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["facts"][sys.argv[2]]; print(f["value"], f["source"], f["from"])' "$T/out" "$1" 2>"$T/why")
	if [ "$have" = "$2" ]; then
		ok "$3"
	else
		printf 'want: %s\nhave: %s\n' "$2" "$have" >>"$T/why"
		not_ok "$3"
	fi
}
R=$T/root/xen_pv_6x_module
run_case "$BIN" --root "$R" --json
fact_is cpu.microcode "0x00000000000000b4 sysfs /sys/kernel/dom0gpu/cpus/0/microcode" \
	"cpu.microcode: the boot CPU's revision from the module's cpus/0/microcode"
run_case "$BIN" --root "$R" --source degraded --json
fact_is cpu.microcode "0x00000000000000b4 cpuinfo /proc/cpuinfo" \
	"cpu.microcode: the boot CPU's revision from /proc/cpuinfo without the module"

# --- a differing CPU's PAT from the module's sysfs, cpus/<n>/pat ---
R=$T/root/sysfs_cpus_decision
run_case "$BIN" --root "$R" --json
fact_is pat.msr_other "0x0000050100070406 sysfs /sys/kernel/dom0gpu/cpus/2/pat" \
	"pat.msr_other: the CPU whose PAT changes NVIDIA's decision, from cpus/2/pat"

# --- the module's data and the PVH remedy in the human report ---
R=$T/root/xen_pv_6x_module
run_case "$BIN" --root "$R"
if grep -q 'mode: module-sysfs' "$T/out" && grep -q 'dom0=pvh' "$T/out" &&
   grep -q 'GRUB_CMDLINE_XEN_DEFAULT' "$T/out" && grep -q 'xen-cmdline --set-xen dom0=pvh' "$T/out" &&
   grep -q 'pat.msr = 0x0000050100070406  \[sysfs: /sys/kernel/dom0gpu/pat/msr\]' "$T/out"; then
	ok "xen-pv: remedy shows GRUB and XCP-ng commands; facts cite the module's sysfs files"
else
	cp "$T/out" "$T/why"
	not_ok "xen-pv: remedy shows GRUB and XCP-ng commands; facts cite the module's sysfs files"
fi
run_case "$BIN" --root "$R" --source degraded --json
if [ "$rc" -eq 1 ] && json_check "$T/out" >"$T/j" 2>"$T/why" && grep -q '^blocked degraded .*D0G-PAT-001' "$T/j"; then
	ok "xen-pv: --source degraded reaches the same verdict without the module"
else
	cat "$T/j" >>"$T/why"
	not_ok "xen-pv: --source degraded reaches the same verdict without the module"
fi

# --- colour: only on a terminal, never with NO_COLOR ---
esc=$(printf '\033')
R=$T/root/xen_pv_419
if env -u NO_COLOR "$BIN" --root "$R" >"$T/out" 2>&1; [ $? -eq 1 ] && ! grep -q "$esc" "$T/out"; then
	ok "colour: none when stdout is not a terminal"
else
	not_ok "colour: none when stdout is not a terminal"
fi
if command -v script >/dev/null 2>&1; then
	env -u NO_COLOR script -qc "$BIN --root $R" /dev/null >"$T/out" 2>&1
	env NO_COLOR=1 script -qc "$BIN --root $R" /dev/null >"$T/out2" 2>&1
	if grep -q "$esc\[1;31mblocked" "$T/out" && grep -q '^verdict: blocked' "$T/out2" &&
	   ! grep -q "$esc\[" "$T/out2"; then
		ok "colour: on a terminal, and not with NO_COLOR=1"
	else
		not_ok "colour: on a terminal, and not with NO_COLOR=1"
	fi
else
	ok "colour: on a terminal # SKIP no script(1)"
fi

# --- --dump: tab-separated records ---
run_case "$ASAN" --root "$T/root/pciback" --dump
if [ "$rc" -eq 1 ] && sanitizer_clean &&
   [ "$(head -n1 "$T/out")" = "$(printf 'verdict\tblocked\tdegraded')" ] &&
   grep -q "$(printf '^fact\txen.domain_type\tpvh\tsys-hypervisor\t/sys/hypervisor/guest_type$')" "$T/out" &&
   grep -q "$(printf '^gpu\t0000:3b:00.0\t10de:2335\t030200\tpciback\t0\tGPU-5b2c3a4e-1d2f-4a5b-8c6d-7e8f9a0b1c2d\t1$')" "$T/out" &&
   grep -q "$(printf '^finding\tD0G-GPU-004\tblocker\t0000:3b:00.0$')" "$T/out" &&
   ! awk -F'\t' '($1 == "fact" && NF != 5) || ($1 == "gpu" && NF != 8) ||
		($1 == "finding" && NF != 4) { bad = 1 } END { exit !bad }' "$T/out"; then
	ok "--dump: verdict, fact, gpu and finding records with fixed field counts"
else
	{ echo "exit $rc"; cat "$T/out" "$T/err"; } >"$T/why"
	not_ok "--dump: verdict, fact, gpu and finding records with fixed field counts"
fi

# --- PVH preflight details: each cmdline problem cited with its source ---
run_case "$BIN" --root "$T/root/pvh_preflight"
if grep -q 'xen.cmdline has "iommu=no"' "$T/out" &&
   grep -q 'xen.cmdline_configured has "iommu=0"' "$T/out" &&
   grep -q 'xen.cmdline has nmi=dom0' "$T/out" &&
   grep -q 'xen.cmdline asks for dom0 IOMMU passthrough' "$T/out" &&
   grep -q '"noreboot=maybe": Xen ignores this value' "$T/out" &&
   grep -q '"foo_bar=1" is not a Xen 4.17 option' "$T/out" &&
   ! grep -q '"dom0_mem=1024M,max:1024M"' "$T/out" &&
   grep -q 'xen.cmdline_configured = dom0=pvh dom0_mem=1024M iommu=0  \[grub: /etc/default/grub:3, /etc/default/grub:2\]' "$T/out"; then
	ok "PVH preflight: iommu off now and next boot, nmi=dom0, passthrough, ignored options"
else
	cp "$T/out" "$T/why"
	not_ok "PVH preflight: iommu off now and next boot, nmi=dom0, passthrough, ignored options"
fi

# --- Prometheus, written atomically ---
mkdir -p "$T/prom"
run_case "$ASAN" --root "$T/root/xen_pv_419" --prometheus --output "$T/prom/dom0gpu.prom"
if [ "$rc" -eq 1 ] && sanitizer_clean && [ ! -s "$T/out" ] &&
   [ "$(ls -A "$T/prom")" = dom0gpu.prom ] &&
   python3 - "$T/prom/dom0gpu.prom" >"$T/why" 2>&1 <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
assert text.endswith("\n")
names = set()
for line in text.splitlines():
    if line.startswith("# HELP ") or line.startswith("# TYPE "):
        assert line.split()[2].startswith("dom0gpu_"), line
        continue
    m = re.fullmatch(r'(dom0gpu_[a-z_]+)(\{([a-zA-Z_]+="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.]+)', line)
    assert m, "bad sample line: " + line
    names.add(m.group(1))
assert 'dom0gpu_verdict 1' in text
assert 'dom0gpu_finding{id="D0G-PAT-001",severity="blocker"} 1' in text
assert 'dom0gpu_gpu_info{gpu="0",UUID="GPU-5b2c3a4e-1d2f-4a5b-8c6d-7e8f9a0b1c2d",pci_bus_id="0000:3b:00.0"' in text
assert 'dom0gpu_gpu_blocked{gpu="0",UUID="GPU-5b2c3a4e-1d2f-4a5b-8c6d-7e8f9a0b1c2d",pci_bus_id="0000:3b:00.0"} 1' in text
assert 'dom0gpu_pat_wc_index 4' in text
EOF
then
	ok "--prometheus --output: textfile format, DCGM labels, no temp file left"
else
	{ echo "exit $rc"; cat "$T/err"; ls -la "$T/prom"; } >>"$T/why"
	not_ok "--prometheus --output: textfile format, DCGM labels, no temp file left"
fi

# --- the CUDA probe's rules, from saved facts ---
. "$HERE/probe/rules_cases.sh"

# --- Xen's command line, parsed as Xen 4.17 does: findings per line ---
. "$HERE/xencmd/explain_cases.sh"

# --- each rule depends on the facts its row declares, and only on them ---
ls "$T"/*.json "$T"/xencmd/*.json "$T"/cuda/*.json | grep -v '\.explained\.json$' >"$T/reports"
if "$READS" $(cat "$T/reports") >"$T/reads" 2>&1; then
	ok "rules[]: each rule's findings change with its declared facts only ($(wc -l <"$T/reports") saved reports)"
else
	grep -v '^ok ' "$T/reads" >"$T/why"
	not_ok "rules[]: each rule's findings change with its declared facts only"
fi

# --- every rule in the table is exercised by some case above ---
# (the CUDA probe's D0G-CUDA-* rules by tests/probe/cli_test.sh, with its stand-in libcuda)
"$BIN" --rules | cut -f1 | grep -v '^D0G-CUDA-' | sort -u >"$T/all_ids"
sort -u "$SEEN" | grep . >"$T/seen_sorted"
if [ -s "$T/all_ids" ] && comm -23 "$T/all_ids" "$T/seen_sorted" >"$T/why" && [ ! -s "$T/why" ]; then
	ok "every rule ($(wc -l <"$T/all_ids")) fires in some fixture"
else
	sed -i '1i rules never fired:' "$T/why"
	not_ok "every rule fires in some fixture"
fi

# --- the man page lists every rule and every option ---
MAN=$HERE/../dom0gpu-stat.8
missing=
for id in $("$BIN" --rules | cut -f1); do
	grep -q -- "$id" "$MAN" || missing="$missing $id"
done
for o in $("$BIN" --help | sed -n 's/^  -., --\([a-z-]*\).*/\1/p'); do
	grep -q -- "-$o" "$MAN" || grep -q -- "\\\\-\\\\-$o" "$MAN" || missing="$missing --$o"
done
if [ -z "$missing" ]; then
	ok "dom0gpu-stat.8 documents every rule ID and option"
else
	echo "undocumented:$missing" >"$T/why"
	not_ok "dom0gpu-stat.8 documents every rule ID and option"
fi

# --- the module object: a saved report's is explained back as it was ---
# xen_pv_6x_module's report with the tree a netlink read of a Xen PV dom0
# would add (tools/nl_decode.h): nests, arrays, enum names, hex strings.
python3 - "$T/xen_pv_6x_module.json" "$T/module.json" <<'EOF_PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["module"] = {
    "generation": 12, "version": "0.1.0",
    "pat": {"msr": "0x0000050100070406", "wc-index": 4, "consistent": 1,
            "layout": ["WB", "WT", "UC-", "UC", "WC", "WP", "UC", "UC"]},
    "mtrr": {"readable": 0, "restricted": True},
    "gpu": [{"vendor": "0x10de", "bar-size": [16777216, 0]}],
    "cpu": [{"id": 0, "msr": "0x0000050100070406", "model-name": "QEMU TCG CPU"}],
}
json.dump(doc, open(sys.argv[2], "w"))
EOF_PY
run_case "$ASAN" --explain "$T/module.json" --json
if sanitizer_clean && json_check "$T/out" >/dev/null 2>"$T/why" &&
   python3 -c 'import json, sys
a, b = (json.load(open(f))["module"] for f in sys.argv[1:])
sys.exit(a != b)' "$T/module.json" "$T/out" 2>>"$T/why"; then
	ok "--explain --json keeps the saved module object as it was, valid against the schema"
else
	cat "$T/err" >>"$T/why"
	not_ok "--explain --json keeps the saved module object as it was, valid against the schema"
fi

# --- bad input: one line on stderr, documented exit code, no sanitizer report ---
bad() {	# bad DESC WANT ARGS...
	desc=$1 want=$2
	shift 2
	run_case "$ASAN" "$@"
	if [ "$rc" -eq "$want" ] && sanitizer_clean && [ "$(wc -l <"$T/err")" -eq 1 ] &&
	   grep -q '^dom0gpu-stat: ' "$T/err"; then
		ok "bad input: $desc -> exit $want, one line"
	else
		{ echo "exit $rc"; cat "$T/err"; } >"$T/why"
		not_ok "bad input: $desc -> exit $want, one line"
	fi
}

printf '{"schema_version": 1, "mode": "degraded", "facts": {' >"$T/trunc.json"
head -c 300000 /dev/zero | tr '\0' '[' >"$T/deep.json"
python3 -c 'print("[" + "1," * 3000000 + "1]")' >"$T/huge.json"
printf '\001\002garbage\377' >"$T/garbage.json"
printf '{"schema_version": 1}' >"$T/nofacts.json"
printf '{"schema_version": 99, "mode": "degraded", "facts": {}, "gpus": []}' >"$T/v99.json"
printf '{"schema_version": 1, "mode": "degraded", "facts": {"pat.msr": {"value": 12, "source": "msr", "from": ""}}, "gpus": []}' >"$T/badtype.json"
printf '{"schema_version": 1, "mode": "degraded", "facts": {}, "gpus": [{"slot": 1}]}' >"$T/badgpu.json"
printf '{"schema_version": 1, "mode": "degraded", "facts": {}, "gpus": []} trailing' >"$T/trailing.json"
printf '{"schema_version":1,"mode":"x\0y","facts":{},"gpus":[]}' >"$T/nul.json"
printf '[]' >"$T/array.json"
printf '{"schema_version": 1, "mode": "module-netlink", "facts": {}, "gpus": [], "module": [1]}' >"$T/badmodule.json"

bad "unknown long option" 64 --frobnicate
bad "unknown short option" 64 -z
bad "missing argument" 64 --explain
bad "stray argument" 64 extra
bad "two formats" 64 --json --prometheus
bad "--root not a directory" 64 --root "$T/nonexistent"
bad "--source unknown" 64 --source magic
bad "--watch with --json" 64 --watch --json
bad "--load with --root" 64 --load --root "$T"
bad "--dump with --json" 64 --dump --json
bad "--explain missing file" 2 --explain "$T/nonexistent.json"
bad "--explain a directory" 2 --explain "$T"
bad "--explain empty file" 2 --explain /dev/null
bad "--explain garbage" 2 --explain "$T/garbage.json"
bad "--explain truncated JSON" 2 --explain "$T/trunc.json"
bad "--explain 300000-deep nesting" 2 --explain "$T/deep.json"
bad "--explain over 4 MiB" 2 --explain "$T/huge.json"
bad "--explain no facts" 2 --explain "$T/nofacts.json"
bad "--explain future schema" 2 --explain "$T/v99.json"
bad "--explain wrong fact type" 2 --explain "$T/badtype.json"
bad "--explain bad gpu entry" 2 --explain "$T/badgpu.json"
bad "--explain trailing data" 2 --explain "$T/trailing.json"
bad "--explain NUL byte" 2 --explain "$T/nul.json"
bad "--explain top-level array" 2 --explain "$T/array.json"
bad "--explain module not an object" 2 --explain "$T/badmodule.json"
[ -d /sys/module/dom0gpu ] || bad "--watch without the module loaded" 2 --watch
bad "--output into a missing directory" 2 --root "$T/root/native" --json --output "$T/no/such/dir/x.json"

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
