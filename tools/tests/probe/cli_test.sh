#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dom0gpu-stat --probe end to end, on fixture hosts (fixtures/xen-pv: a Xen
# PV dom0 whose PAT NVIDIA rejects; fixtures/native: a standard PAT), with
# the stand-in libcuda.so.1: the verdict links (801 while NVIDIA rejects the
# PAT confirms the blocker; other failures, hangs, crashes, wrong data have
# their own rules; success confirms ready), JSON, --explain, Prometheus and
# the option checks.
# Usage: cli_test.sh DOM0GPU_STAT FAKE_LIB_DIR   Prints TAP.

S=${1:?usage: cli_test.sh DOM0GPU_STAT FAKE_LIB_DIR}
B=${2:?usage: cli_test.sh DOM0GPU_STAT FAKE_LIB_DIR}
FX=$(cd "$(dirname "$0")/fixtures" && pwd)
SCHEMA=$(cd "$(dirname "$0")/../../../docs" && pwd)/report.schema.json
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
TAP_DIAG="$T/out $T/err"
. "$(dirname "$0")/../tap.sh"
# Under ASan the probe's child must die of its signal, not of ASan's report.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0:handle_abort=0
export ASAN_OPTIONS

# stat HOST [ENV...] -- ARGS... : run on a fixture host; output in $T/out,
# exit status in $rc, wall time in $ms
stat() {
	host=$1
	shift
	envs=
	while [ "$1" != -- ]; do
		envs="$envs $1"
		shift
	done
	shift
	t0=$(date +%s%N)
	# shellcheck disable=SC2086
	env LD_LIBRARY_PATH="$B" $envs "$S" --root "$FX/$host" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
}

# check DESC RC PATTERN... : exit status RC and every PATTERN (grep -E) in
# the output; a PATTERN starting with ! must not match
check() {
	desc=$1
	want=$2
	shift 2
	if [ "$rc" != "$want" ]; then
		echo "# exit status $rc, expected $want"
		not_ok "$desc"
		return
	fi
	for pat in "$@"; do
		case $pat in
		!*)
			if grep -Eq -- "${pat#!}" "$T/out"; then
				echo "# unexpected: ${pat#!}"
				not_ok "$desc"
				return
			fi ;;
		*)
			if ! grep -Eq -- "$pat" "$T/out"; then
				echo "# missing: $pat"
				not_ok "$desc"
				return
			fi ;;
		esac
	done
	ok "$desc"
}

# json DESC PYTHON-EXPR... : the JSON in $T/out is valid against the schema
# (where python3 has jsonschema) and every expression is true of it (as j)
json() {
	desc=$1
	shift
	if ! command -v python3 >/dev/null; then
		n=$((n + 1))
		echo "ok $n - $desc # SKIP no python3"
		return
	fi
	if python3 - "$SCHEMA" "$T/out" "$@" <<'PY'
import json, sys
j = json.load(open(sys.argv[2]))
try:
    import jsonschema
    jsonschema.validate(j, json.load(open(sys.argv[1])),
                        cls=jsonschema.Draft202012Validator)
except ImportError:
    pass
for e in sys.argv[3:]:
    if not eval(e):
        print("# false: " + e)
        sys.exit(1)
PY
	then ok "$desc"; else not_ok "$desc"; fi
}

# --- the PAT blocker, confirmed ---
stat xen-pv FAKE_CUDA_FAIL=cuMemAlloc=801 -- --probe
check "xen-pv, cuMemAlloc 801: blocked, PAT blocker confirmed" 1 \
	'^verdict: blocked' \
	'^confirmed by the CUDA probe: GPU 0 \(0000:41:00\.0\) mem_alloc: cuMemAlloc returned CUDA_ERROR_NOT_SUPPORTED \(801\)$' \
	'D0G-PAT-001 ' 'D0G-CUDA-001 blocker +CUDA probe confirms the PAT blocker' \
	'cuMemAlloc returned CUDA_ERROR_NOT_SUPPORTED \(801\) in the probe.s mem_alloc step while NVIDIA maps no write-combined memory' \
	'!D0G-CUDA-002' '^CUDA probe: failed: ' '^    mem_alloc +failed .*CUDA_ERROR_NOT_SUPPORTED \(801\)' \
	'^    memcpy +not_run'

stat xen-pv FAKE_CUDA_FAIL=cuMemHostAlloc=801 -- --probe --json
cp "$T/out" "$T/pv.json"
json "xen-pv, write-combined cuMemHostAlloc 801: JSON says confirmed, every step" \
	'j["verdict"] == "blocked" and j["verdict_confirmed"] is True' \
	'"D0G-CUDA-001" in [f["id"] for f in j["findings"]]' \
	'j["facts"]["cuda.probe"]["value"] == "failed"' \
	'j["facts"]["cuda.result"]["value"] == 801' \
	'j["facts"]["cuda.result_name"]["value"] == "CUDA_ERROR_NOT_SUPPORTED"' \
	'j["facts"]["cuda.failed_step"]["value"] == "host_alloc_wc"' \
	'j["facts"]["cuda.failed_gpu"]["value"] == "0000:41:00.0"' \
	'j["facts"]["cuda.probe"]["source"] == "cuda-probe"' \
	'j["cuda_probe"]["outcome"] == "failed" and j["cuda_probe"]["timeout_s"] == 30' \
	'[s["step"] for s in j["cuda_probe"]["steps"]] == ["load", "init", "device_count"]' \
	'[(s["step"], s["status"]) for s in j["cuda_probe"]["gpus"][0]["steps"]] == [("device", "ok"), ("context", "ok"), ("mem_alloc", "ok"), ("memcpy", "ok"), ("host_alloc_wc", "failed"), ("module_load", "not_run"), ("kernel", "not_run")]' \
	'j["cuda_probe"]["gpus"][0]["steps"][4]["result"] == 801 and j["cuda_probe"]["gpus"][0]["steps"][4]["call"] == "cuMemHostAlloc"' \
	'all(s["us"] >= 0 for s in j["cuda_probe"]["gpus"][0]["steps"][:5])' \
	'j["cuda_probe"]["total_us"] > 0' \
	'j["cuda_probe"]["gpus"][0]["uuid"] == "GPU-00010203-0405-0607-0809-0a0b0c0d0e0f"' \
	'j["cuda_probe"]["failure"]["step"] == "host_alloc_wc"' \
	'j["gpus"][0]["uuid"] == "GPU-00010203-0405-0607-0809-0a0b0c0d0e0f"'

env "$S" --explain "$T/pv.json" >"$T/out" 2>"$T/err"
rc=$?
check "--explain of that report: same verdict and CUDA finding, from facts alone" 1 \
	'^verdict: blocked' '^confirmed by the CUDA probe' 'D0G-CUDA-001 blocker' \
	'!^CUDA probe: '

# --- success: confirmed ready ---
stat native -- --probe
check "native, working driver: ready, confirmed" 0 '^verdict: ready' \
	'^confirmed by the CUDA probe: 1 GPU passed every step$' 'D0G-CUDA-008 info +CUDA probe passed' \
	'^CUDA probe: ok: ' '^    kernel +ok ' '!D0G-CUDA-00[1-79]'

stat native -- --probe --prometheus
check "native, working driver: Prometheus success and step timings" 0 \
	'^dom0gpu_verdict_confirmed 1$' '^dom0gpu_cuda_probe_success 1$' \
	'^dom0gpu_cuda_probe_outcome\{outcome="ok"\} 1$' '^dom0gpu_cuda_probe_error_code 0$' \
	'^dom0gpu_cuda_probe_duration_seconds [0-9]+\.[0-9]+$' \
	'^dom0gpu_cuda_probe_step_success\{step="init"\} 1$' \
	'^dom0gpu_cuda_probe_step_success\{gpu="0",UUID="GPU-00010203-0405-0607-0809-0a0b0c0d0e0f",pci_bus_id="0000:41:00\.0",step="kernel"\} 1$' \
	'^dom0gpu_cuda_probe_step_duration_seconds\{gpu="0",UUID="GPU-[0-9a-f-]+",pci_bus_id="0000:41:00\.0",step="context"\} [0-9.]+$'
if [ "$(grep -c '^dom0gpu_cuda_probe_step_success.* 1$' "$T/out")" -eq 10 ] &&
   [ "$(grep -c '^dom0gpu_cuda_probe_step_duration_seconds' "$T/out")" -eq 10 ]; then
	ok "native, working driver: 10 steps passed and timed"
else
	not_ok "native, working driver: 10 steps passed and timed"
fi

# --- other failures: their own rules ---
stat native FAKE_CUDA_FAIL=cuMemHostAlloc=801 -- --probe
check "native PAT, cuMemHostAlloc 801: blocked by the probe, not the PAT rule" 1 \
	'^verdict: blocked' 'D0G-CUDA-002 blocker +CUDA probe failed' \
	'CUDA probe: GPU 0 \(0000:41:00\.0\) host_alloc_wc: cuMemHostAlloc returned CUDA_ERROR_NOT_SUPPORTED \(801\)' \
	'!D0G-CUDA-001' '!D0G-PAT-00[1-4]'

stat native FAKE_CUDA_FAIL=cuCtxCreate=304 -- --probe --prometheus
check "cuCtxCreate 304: Prometheus failure, later steps absent" 1 \
	'^dom0gpu_cuda_probe_success 0$' '^dom0gpu_cuda_probe_error_code 304$' \
	'^dom0gpu_cuda_probe_outcome\{outcome="failed"\} 1$' \
	'^dom0gpu_cuda_probe_step_success\{gpu="0",.*step="context"\} 0$' \
	'!step="mem_alloc"' '^dom0gpu_finding\{id="D0G-CUDA-002",severity="blocker"' \
	'^dom0gpu_verdict_confirmed 1$'

stat native FAKE_CUDA_HANG=cuCtxCreate -- --probe --timeout 1 --json
json "hang in cuCtxCreate, --timeout 1: blocked, step hung" \
	'j["verdict"] == "blocked"' \
	'"D0G-CUDA-004" in [f["id"] for f in j["findings"]]' \
	'j["facts"]["cuda.probe"]["value"] == "hung"' \
	'j["cuda_probe"]["gpus"][0]["steps"][1] == {"step": "context", "status": "hung", "detail": "no answer after 1 s; killed"}' \
	'j["cuda_probe"]["timeout_s"] == 1'
if [ "$ms" -ge 1000 ] && [ "$ms" -lt 3000 ]; then
	ok "hang: dom0gpu-stat ends at the 1 s timeout ($ms ms)"
else
	not_ok "hang: dom0gpu-stat ends at the 1 s timeout ($ms ms)"
fi

stat native FAKE_CUDA_CRASH=cuModuleLoadData=segv -- --probe
check "segfault in cuModuleLoadData: crashed, signal and step" 1 \
	'D0G-CUDA-005 blocker +CUDA probe crashed' \
	'CUDA probe: GPU 0 \(0000:41:00\.0\) module_load: probe process killed by SIGSEGV \(11\)' \
	'cuda\.signal += 11'

stat native FAKE_CUDA_CRASH=cuInit=abort -- --probe
check "abort in cuInit: crashed, SIGABRT" 1 'D0G-CUDA-005' \
	'CUDA probe: init: probe process killed by SIGABRT \(6\)'

stat native FAKE_CUDA_CORRUPT=kernel -- --probe
check "kernel writes a wrong word: wrong data rule" 1 'D0G-CUDA-003 blocker' \
	'kernel: data came back wrong: word 77 of 65536'

# --- not run ---
# --probe asked, NVIDIA GPUs on the bus, none passed: never ready.
stat native FAKE_CUDA_FAIL=cuInit=100 -- --probe
check "cuInit NO_DEVICE with a GPU bound to nvidia: unknown, the GPU not counted" 2 \
	'^verdict: unknown' 'D0G-CUDA-011 undetermined' \
	'not counted by the CUDA driver, so not probed: 0000:41:00\.0' '!D0G-CUDA-006' \
	'!^confirmed'

if ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1 '; then
	n=$((n + 1))
	echo "ok $n - no libcuda: not run # SKIP a libcuda.so.1 is installed"
else
	mkdir -p "$T/empty"
	env LD_LIBRARY_PATH="$T/empty" "$S" --root "$FX/native" --probe >"$T/out" 2>"$T/err"
	rc=$?
	check "no libcuda.so.1 beside an NVIDIA GPU: unknown, says why" 2 '^verdict: unknown' \
		'D0G-CUDA-006 undetermined' 'no CUDA driver library: libcuda\.so\.1'
fi

# --- causes of the probe's own process ---
for v in '' 'GPU-ffff' 'x'; do
	stat native CUDA_VISIBLE_DEVICES="$v" -- --probe
	check "CUDA_VISIBLE_DEVICES='$v' hides the GPU: unknown, the variable named" 2 \
		'^verdict: unknown' 'D0G-CUDA-010 undetermined' \
		"CUDA_VISIBLE_DEVICES='$v' in the probe's environment hides NVIDIA GPUs" \
		'not probed: 0000:41:00\.0' '!D0G-CUDA-00[1-6]' '!install'
done

# Two GPUs on the bus (a copy of the native host with a second one).
cp -R "$FX/native" "$T/two"
cp -R "$FX/native/sys/bus/pci/devices/0000:41:00.0" "$T/two/sys/bus/pci/devices/0000:42:00.0"
two() {
	t0=$(date +%s%N)
	env LD_LIBRARY_PATH="$B" FAKE_CUDA_DEVICES=2 "$@" "$S" --root "$T/two" --probe \
		>"$T/out" 2>"$T/err"
	rc=$?
}
two
check "two GPUs, nothing hidden: ready" 0 '^verdict: ready' '2 GPUs passed every step' \
	'!D0G-CUDA-01[0-8]'
two CUDA_VISIBLE_DEVICES=1
check "CUDA_VISIBLE_DEVICES=1 of two: unknown, GPU 0000:41:00.0 hidden" 2 \
	'^verdict: unknown' 'D0G-CUDA-010 undetermined' 'not probed: 0000:41:00\.0\.' \
	'D0G-CUDA-008 info'
two CUDA_VISIBLE_DEVICES=1,0
check "CUDA_VISIBLE_DEVICES=1,0: unknown, reordered, both probed" 2 \
	'^verdict: unknown' 'D0G-CUDA-012 undetermined' \
	'orders the CUDA GPUs 0000:42:00\.0 0000:41:00\.0: not the PCI bus order' '!D0G-CUDA-010'

# NVIDIA's cuInit answers CUDA_ERROR_OUT_OF_MEMORY under a small RLIMIT_AS
# (the stand-in under FAKE_CUDA_MIN_AS): the limit is the cause, not the
# platform. ASan needs more address space than the limit leaves.
case $S in
*asan*)
	n=$((n + 1))
	echo "ok $n - RLIMIT_AS: unknown, the limit named # SKIP ASan build" ;;
*)
	(ulimit -S -v 400000 && stat native FAKE_CUDA_MIN_AS=8000000 -- --probe && echo "$rc" >"$T/rc")
	rc=$(cat "$T/rc")
	check "RLIMIT_AS 400000 KiB (soft): unknown, the limit proven the cause" 2 \
		'^verdict: unknown' 'D0G-CUDA-013 undetermined' \
		'under the process limits RLIMIT_AS=400000 KiB \(init: cuInit returned CUDA_ERROR_OUT_OF_MEMORY \(2\)\); run again with them raised it passed' \
		'cuda.probe_limits_raised += ok' '!D0G-CUDA-00[1-6]' '!^verdict: blocked' ;;
esac
# NVIDIA's cuCtxCreate answers CUDA_ERROR_OPERATING_SYSTEM with too few
# descriptors; a soft limit the process may raise to its hard one.
if [ "$(ulimit -H -n)" = unlimited ] || [ "$(ulimit -H -n)" -ge 1024 ]; then
	(ulimit -S -n 64 && stat native FAKE_CUDA_MIN_NOFILE=1000 -- --probe && echo "$rc" >"$T/rc")
	rc=$(cat "$T/rc")
	check "RLIMIT_NOFILE 64 (soft): unknown, the limit proven the cause" 2 \
		'^verdict: unknown' 'D0G-CUDA-013 undetermined' \
		'under the process limits RLIMIT_NOFILE=64 \(GPU 0 \(0000:41:00\.0\) context: cuCtxCreate returned CUDA_ERROR_OPERATING_SYSTEM \(304\)\); run again with them raised it passed' \
		'!D0G-CUDA-00[1-6]'
else
	n=$((n + 1))
	echo "ok $n - RLIMIT_NOFILE: unknown, the limit named # SKIP hard limit under 1024"
fi

# --- the probe against the prediction ---
stat xen-pv -- --probe --json
json "xen-pv PAT but the probe passes: contradiction flagged, not confirmed" \
	'j["verdict"] == "blocked" and j["verdict_confirmed"] is False' \
	'"D0G-CUDA-009" in [f["id"] for f in j["findings"]]'

# --- output hygiene and options ---
stat native FAKE_CUDA_STDOUT=chatter -- --probe --json
json "driver output on stdout does not break --json" 'j["cuda_probe"]["outcome"] == "ok"'

# --- persistence and MIG mode, from the stand-in libnvidia-ml.so.1 (nvml/) ---
NV="LD_LIBRARY_PATH=$B:$B/nvml"
stat native "$NV" FAKE_NVML_PM=0 -- --probe --json
json "persistence mode off, probe passed: ready, a warning with the fix" \
	'j["verdict"] == "ready"' \
	'j["facts"]["cuda.nvml"]["value"] == "ok"' \
	'j["facts"]["cuda.persistence_off"]["value"] == "0000:41:00.0"' \
	'j["facts"]["cuda.mig_enabled"]["value"] == ""' \
	'[(f["id"], f["severity"]) for f in j["findings"] if f["id"] in ("D0G-CUDA-015", "D0G-CUDA-016", "D0G-CUDA-019")] == [("D0G-CUDA-015", "warning")]'

stat native "$NV" FAKE_NVML_PM=0 -- --probe
check "persistence mode off: the finding names the GPU and nvidia-persistenced" 0 \
	'^verdict: ready' 'D0G-CUDA-015 warning' 'persistence mode is off on 0000:41:00\.0' \
	'nvidia-persistenced' '!D0G-CUDA-01[6-9]'

stat native "$NV" FAKE_NVML_PM=0 FAKE_CUDA_HANG=cuCtxCreate -- --probe --timeout 1
check "hang on a GPU without persistence mode: unknown (slow first init), no blocker" 2 \
	'^verdict: unknown' 'D0G-CUDA-016 undetermined' '!D0G-CUDA-004' '!D0G-CUDA-015' \
	'with persistence mode off on 0000:41:00\.0'

stat native "$NV" FAKE_NVML_PM=10 FAKE_CUDA_DEVICES=2 FAKE_CUDA_HANG=cuCtxCreate@0 -- \
	--probe --timeout 1
check "hang on the GPU with persistence mode, another without: blocked, hang blames no mode" 1 \
	'^verdict: blocked' 'D0G-CUDA-004 blocker' '!D0G-CUDA-016' 'D0G-CUDA-015 warning' \
	'persistence mode is off on 0000:42:00\.0'

stat native "$NV" FAKE_NVML_MIG=1 -- --probe
check "MIG mode on, probe passed: ready, a warning naming MIG-<uuid>" 0 \
	'^verdict: ready' 'D0G-CUDA-017 warning' 'MIG mode is enabled on 0000:41:00\.0' \
	'CUDA_VISIBLE_DEVICES=MIG-<uuid>' '!D0G-CUDA-018'

stat native "$NV" FAKE_NVML_MIG=1 FAKE_CUDA_FAIL=cuCtxCreate=101 -- --probe --json
json "cuCtxCreate fails on a GPU in MIG mode: unknown, MIG named, no blocker" \
	'j["verdict"] == "unknown"' \
	'j["facts"]["cuda.mig_enabled"]["value"] == "0000:41:00.0"' \
	'"D0G-CUDA-018" in [f["id"] for f in j["findings"]]' \
	'not [f for f in j["findings"] if f["id"] in ("D0G-CUDA-002", "D0G-CUDA-017")]'
cp "$T/out" "$T/mig.json"
env "$S" --explain "$T/mig.json" >"$T/out" 2>"$T/err"
rc=$?
check "--explain of that report: MIG cause again, from facts alone" 2 '^verdict: unknown' \
	'D0G-CUDA-018 undetermined' '!D0G-CUDA-002'

stat native "$NV" FAKE_NVML_MIG=0 FAKE_CUDA_FAIL=cuCtxCreate=101 -- --probe
check "the same failure with MIG disabled: the blocker stands" 1 'D0G-CUDA-002 blocker' \
	'!D0G-CUDA-01[78]'

stat native "$NV" FAKE_NVML_MIG=1 FAKE_CUDA_FAIL=cuInit=100 -- --probe
check "a GPU in MIG mode not counted by CUDA: unknown, MIG named" 2 '^verdict: unknown' \
	'D0G-CUDA-018 undetermined' 'did not count 0000:41:00\.0'

stat native "$NV" FAKE_NVML_INIT=9 -- --probe
check "nvmlInit_v2 fails: ready, says persistence and MIG mode were not read" 0 \
	'^verdict: ready' 'D0G-CUDA-019 info' 'not read: nvmlInit_v2 returned 9' \
	'!D0G-CUDA-01[5-8]'

if ldconfig -p 2>/dev/null | grep -q 'libnvidia-ml\.so\.1 '; then
	n=$((n + 1))
	echo "ok $n - no NVML: not read # SKIP a libnvidia-ml.so.1 is installed"
else
	stat native -- --probe
	check "no libnvidia-ml.so.1: ready, says persistence and MIG mode were not read" 0 \
		'^verdict: ready' 'D0G-CUDA-019 info' 'not read: no libnvidia-ml\.so\.1' \
		'!D0G-CUDA-01[5-8]'
fi

stat native -- --json
json "without --probe: no CUDA facts, findings or keys" \
	'"cuda_probe" not in j and "verdict_confirmed" not in j' \
	'not [k for k in j["facts"] if k.startswith("cuda.")]' \
	'not [f for f in j["findings"] if f["id"].startswith("D0G-CUDA")]'

for args in "--probe --timeout 0" "--probe --timeout abc" "--probe --timeout -1" \
	    "--timeout 5" "--probe --explain /dev/null"; do
	# shellcheck disable=SC2086
	stat native -- $args
	if [ "$rc" -eq 64 ] && [ ! -s "$T/out" ] && [ "$(wc -l <"$T/err")" -eq 1 ]; then
		ok "usage error: $args"
	else
		not_ok "usage error: $args (exit $rc)"
	fi
done

echo "1..$n"
[ "$failed" -eq 0 ]
