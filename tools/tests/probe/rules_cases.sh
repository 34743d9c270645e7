# SPDX-License-Identifier: GPL-2.0
#
# The D0G-CUDA rules judged from facts alone: each case adds the cuda.*
# facts a probe outcome leaves in a report to a fixture's saved --json and
# runs --explain on it, keeping it as $T/cuda/N.json. Sourced by ../run.sh
# after its fixtures (it uses run_case, json_check, sanitizer_clean, ok,
# not_ok, $ASAN, $T and $SEEN);
# cli_test.sh runs the probe itself against the stand-in libcuda.so.1.

# cuda_case BASE EXIT RULE DESC FACT=VALUE...: VALUE is a JSON value
cuda_case() {
	base=$1 want=$2 rule=$3 desc=$4
	shift 4
	cuda_n=$((${cuda_n:-0} + 1))
	mkdir -p "$T/cuda"
	python3 - "$T/$base.json" "$T/cuda/$cuda_n.json" "$@" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    doc["facts"]["cuda." + k] = {"value": json.loads(v), "source": "cuda-probe",
                                 "from": "libcuda.so.1"}
json.dump(doc, open(sys.argv[2], "w"))
PY
	run_case "$ASAN" --explain "$T/cuda/$cuda_n.json" --json
	if json_check "$T/out" >"$T/j" 2>"$T/why" && [ "$rc" -eq "$want" ] && sanitizer_clean &&
	   grep -q "D0G-CUDA-$rule" "$T/j"; then
		ok "CUDA probe facts: $desc fires D0G-CUDA-$rule, exit $want"
		echo "D0G-CUDA-$rule" >>"$SEEN"
	else
		{ echo "exit $rc, want $want"; cat "$T/j" "$T/err"; } >>"$T/why"
		not_ok "CUDA probe facts: $desc fires D0G-CUDA-$rule, exit $want"
	fi
}

cuda_case xen_pv_419 1 001 "801 on a Xen PV dom0 whose PAT NVIDIA rejects" \
	'probe="failed"' 'failed_step="mem_alloc"' 'failed_call="cuMemAlloc"' \
	'result=801' 'result_name="CUDA_ERROR_NOT_SUPPORTED"' \
	'probe_reason="GPU 0 (0000:3b:00.0) mem_alloc: cuMemAlloc returned CUDA_ERROR_NOT_SUPPORTED (801)"'
cuda_case native_nvidia 1 002 "another CUresult" 'probe="failed"' \
	'failed_step="context"' 'failed_call="cuCtxCreate"' 'result=304' \
	'probe_reason="GPU 0 context: cuCtxCreate returned CUDA_ERROR_OPERATING_SYSTEM (304)"'
cuda_case native_nvidia 1 003 "wrong data" 'probe="wrong_data"' 'failed_step="memcpy"' \
	'probe_reason="GPU 0 memcpy: data came back wrong: 1 of 1048576 bytes differ"'
cuda_case native_nvidia 1 004 "a hang" 'probe="hung"' 'failed_step="context"' \
	'probe_reason="GPU 0 context: no answer after 30 s; killed"'
cuda_case native_nvidia 1 005 "a crash" 'probe="crashed"' 'failed_step="init"' 'signal=11' \
	'probe_reason="init: probe process killed by SIGSEGV (11)"'
cuda_case native 0 007 "not run, no NVIDIA GPU" 'probe="not_run"' \
	'probe_reason="no CUDA driver library: libcuda.so.1: cannot open shared object file"'
cuda_case native_nvidia 0 008 "a pass" 'probe="ok"' 'gpus=1' 'driver_version=13000' \
	'probe_reason="1 GPU passed every step"'
cuda_case xen_pv_419 1 009 "a pass where NVIDIA should refuse WC" 'probe="ok"' \
	'probe_reason="1 GPU passed every step"'
# The probe's own process: the environment, limits and device files.
cuda_case native_nvidia 2 006 "not run beside an NVIDIA GPU is never ready" 'probe="not_run"' \
	'probe_reason="no CUDA driver library: libcuda.so.1: cannot open shared object file"'
cuda_case native_nvidia 2 010 "CUDA_VISIBLE_DEVICES hiding the GPU" 'probe="not_run"' \
	'visible_devices=""' 'hidden_gpus="0000:3b:00.0"' \
	'probe_reason="no CUDA GPU: cuInit returned CUDA_ERROR_NO_DEVICE (100)"'
cuda_case native_nvidia 2 011 "a GPU bound to nvidia that CUDA does not count" 'probe="ok"' \
	'gpus=1' 'hidden_gpus="0000:3b:00.0"' 'probe_reason="1 GPU passed every step"'
cuda_case native_nvidia 2 012 "CUDA_DEVICE_ORDER reordering the GPUs" 'probe="ok"' 'gpus=2' \
	'device_order="FASTEST_FIRST"' 'gpu_order="0000:3c:00.0 0000:3b:00.0"' \
	'probe_reason="2 GPUs passed every step"'
cuda_case native_nvidia 2 013 "a failure under RLIMIT_AS that a raised limit cures" \
	'probe="failed"' 'failed_step="init"' 'failed_call="cuInit"' 'result=2' \
	'result_name="CUDA_ERROR_OUT_OF_MEMORY"' 'rlimit_as_kib=200000' \
	'probe_limits_raised="ok"' \
	'probe_reason="init: cuInit returned CUDA_ERROR_OUT_OF_MEMORY (2)"'
cuda_case native_nvidia 2 013 "CUDA_ERROR_OPERATING_SYSTEM under an RLIMIT_NOFILE not raisable" \
	'probe="failed"' 'failed_step="context"' 'failed_call="cuCtxCreate"' 'result=304' \
	'result_name="CUDA_ERROR_OPERATING_SYSTEM"' 'rlimit_nofile=64' \
	'probe_reason="GPU 0 context: cuCtxCreate returned CUDA_ERROR_OPERATING_SYSTEM (304)"'
cuda_case native_nvidia 2 014 "a device file this process cannot open" 'probe="failed"' \
	'failed_step="init"' 'failed_call="cuInit"' 'result=999' \
	'device_access="/dev/nvidiactl:EACCES(mode=0600,uid=0,gid=0)"' \
	'probe_reason="init: cuInit returned CUDA_ERROR_UNKNOWN (999)"'
# The GPUs' setup as NVML reports it: persistence mode, MIG mode.
cuda_case native_nvidia 0 015 "persistence mode off, probe passed" 'probe="ok"' 'gpus=1' \
	'nvml="ok"' 'persistence_off="0000:3b:00.0"' 'mig_enabled=""' \
	'probe_reason="1 GPU passed every step"'
cuda_case native_nvidia 2 016 "a hang on a GPU without persistence mode" 'probe="hung"' \
	'failed_step="context"' 'failed_gpu="0000:3b:00.0"' 'nvml="ok"' \
	'persistence_off="0000:3b:00.0"' 'mig_enabled=""' \
	'probe_reason="GPU 0 (0000:3b:00.0) context: no answer after 30 s; killed"'
# The hang is on a GPU in persistence mode: another GPU's slow first init
# does not explain it (D0G-CUDA-015 still says that one is slow).
cuda_case native_nvidia 1 004 "a hang on a GPU in persistence mode, beside one without" \
	'probe="hung"' 'failed_step="context"' 'failed_gpu="0000:01:00.0"' 'nvml="ok"' \
	'persistence_off="0000:02:00.0"' 'mig_enabled=""' \
	'probe_reason="GPU 0 (0000:01:00.0) context: no answer after 30 s; killed"'
cuda_case native_nvidia 0 017 "MIG mode on, probe passed" 'probe="ok"' 'gpus=1' \
	'nvml="ok"' 'persistence_off=""' 'mig_enabled="0000:3b:00.0"' \
	'probe_reason="1 GPU passed every step"'
cuda_case native_nvidia 2 018 "a failure on a GPU in MIG mode" 'probe="failed"' \
	'failed_step="context"' 'failed_gpu="0000:3b:00.0"' 'failed_call="cuCtxCreate"' \
	'result=101' 'result_name="CUDA_ERROR_INVALID_DEVICE"' 'nvml="ok"' \
	'persistence_off=""' 'mig_enabled="0000:3b:00.0"' \
	'probe_reason="GPU 0 (0000:3b:00.0) context: cuCtxCreate returned CUDA_ERROR_INVALID_DEVICE (101)"'
cuda_case native_nvidia 0 019 "no NVML beside an NVIDIA GPU" 'probe="ok"' 'gpus=1' \
	'nvml="no libnvidia-ml.so.1: libnvidia-ml.so.1: cannot open shared object file"' \
	'probe_reason="1 GPU passed every step"'
