#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own netlink client, tools/net/ynl/cli.py of linux-source-6.12,
# run by the host's python in a chroot to the shared host root, talks to
# the dom0gpu family knowing nothing but uapi/dom0gpu.yaml. What it prints
# must match the module's sysfs files.
#
# Needs D0G_HOSTROOT (the host's root, mounted read-only) and D0G_HOSTREPO
# (this repository's path in it); skips where the scenario has neither.
# Prints KTAP.

SYSFS=/sys/kernel/dom0gpu
CACHE=${D0G_CACHE:-/var/cache/dom0gpu}
YNL=$CACHE/linux-source-6.12/tools/net/ynl/cli.py
SPEC=${D0G_HOSTREPO:+$D0G_HOSTREPO/uapi/dom0gpu.yaml}
TESTS="ynl_do_get_snapshot ynl_do_get_cpu ynl_dump_get_cpu ynl_dump_get_gpu ynl_extack"

. "${0%/*}/ktap.sh"

skip_all() {
	ktap_skip_all "$1" $TESTS
	exit 4
}

[ -n "$D0G_HOSTROOT" ] || skip_all "no host root in this scenario"
[ -n "$SPEC" ] || skip_all "D0G_HOSTREPO not set"
for f in "$YNL" "$SPEC"; do
	[ -f "$D0G_HOSTROOT$f" ] || skip_all "$f not in the host root"
done
# Scratch files in the host root's /tmp (a tmpfs of this VM), so that the
# chroot sees them too: $HOUT there, $OUT here.
HOUT=/tmp/ynl_test.$$
OUT=$D0G_HOSTROOT$HOUT
mkdir -p "$OUT" || skip_all "cannot write to $D0G_HOSTROOT/tmp"
echo "TAP version 13"
set -- $TESTS
echo "1..$#"
trap 'rm -rf "$OUT"' EXIT

# host python, in the host root
hpy() {
	chroot "$D0G_HOSTROOT" /usr/bin/python3 "$@"
}

# ynl NAME ARGS... [-- NAME ARGS...]...: runs cli.py once per NAME, with
# ARGS and --output-json, all in one run of the host's python. For each
# NAME: cli.py's output in $OUT/NAME.json, its exit status in $OUT/NAME.rc,
# the output flattened to $OUT/NAME.flat (one "a.b.c=value" line per
# value, lists of scalars space-separated, other lists by index); errors
# go to $OUT/ynl.err. make -C uapi check validated the spec already.
ynl() {
	hpy -c '
import contextlib, io, json, runpy, sys, traceback
hout, cli, spec = sys.argv[1:4]
# As "python3 cli.py" would: its own directory first (it imports "lib").
sys.path[0] = cli.rsplit("/", 1)[0]
def walk(f, path, v):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(f, path + [k], x)
    elif isinstance(v, list) and not any(isinstance(x, (dict, list)) for x in v):
        f.write(".".join(path) + "=" + " ".join(str(x) for x in v) + "\n")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(f, path + [str(i)], x)
    else:
        f.write(".".join(path) + "=" + str(v) + "\n")
jobs, job = [], None
for a in sys.argv[4:]:
    if job is None or a == "--":
        job = []
        jobs.append(job)
        if a == "--":
            continue
    job.append(a)
for name, *args in jobs:
    sys.argv = [cli, "--spec", spec, "--no-schema", "--output-json"] + args
    buf, rc = io.StringIO(), 0
    with contextlib.redirect_stdout(buf):
        try:
            runpy.run_path(cli, run_name="__main__")
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
        except Exception:
            traceback.print_exc()
            rc = 1
    base = hout + "/" + name
    with open(base + ".json", "w") as f:
        f.write(buf.getvalue())
    with open(base + ".rc", "w") as f:
        f.write("%d\n" % rc)
    with open(base + ".flat", "w") as f:
        for line in buf.getvalue().splitlines():
            try:
                walk(f, [], json.loads(line))
            except ValueError:
                pass
' "$HOUT" "$YNL" "$SPEC" "$@" 2> "$OUT/ynl.err"
}

# val FILE KEY: the value printed for KEY, or "(absent)"
val() {
	sed -n "s/^$2=//p" "$1" | grep . || echo "(absent)"
}

fail=0
# expect WHAT GOT WANT
expect() {
	[ "$2" = "$3" ] && return 0
	echo "# $1: ynl says '$2', sysfs says '$3'"
	fail=1
}

# expect_num WHAT GOT SYSFS-FILE: numbers in any base
expect_num() {
	want=$(cat "$SYSFS/$3")
	case $2 in
	''|*[!0-9a-fx-]*) expect "$1" "$2" "$want"; return ;;
	esac
	[ $(($2)) -eq $((want)) ] || expect "$1" "$2" "$want"
}

# cli.py's enum names (lower case, "uc-minus") in the kernel's words
mem_names() {
	echo "$1" | tr a-z A-Z | sed 's/UC-MINUS/UC-/g; s/RESERVED/??/g'
}

online_cpus() {
	n=0
	for r in $(tr , ' ' < /sys/devices/system/cpu/online); do
		a=${r%-*}
		b=${r#*-}
		n=$((n + b - a + 1))
	done
	echo $n
}

result() {
	if [ $fail = 0 ]; then
		echo "ok $1 $2"
	else
		echo "not ok $1 $2"
		status=1
	fi
	fail=0
}
status=0

failed() {
	echo "# cli.py $1 failed:"
	tail -q -n 3 "$OUT/ynl.err" "$OUT/$2.json" 2>&1 | sed 's/^/#   /'
	fail=1
}

# All requests in one python run (it starts slowly in an emulated VM).
ynl multi --multi get-snapshot '{}' --multi get-cpu '{"cpu": {"id": 0}}' \
	-- cpus --dump get-cpu \
	-- gpus --dump get-gpu \
	-- bad --do get-cpu --json '{}'

# 1, 2: two requests in one message, the snapshot and one CPU
f=$OUT/multi.flat
rc=$(cat "$OUT/multi.rc" 2>/dev/null)
if [ "$rc" = 0 ]; then
	expect version "$(val $f 0.version)" "$(cat $SYSFS/version)"
	expect_num pat.msr "$(val $f 0.pat.msr)" pat/msr
	expect_num pat.wc-index "$(val $f 0.pat.wc-index)" pat/wc_index
	expect_num pat.consistent "$(val $f 0.pat.consistent)" pat/consistent
	expect pat.layout "$(mem_names "$(val $f 0.pat.layout)")" \
		"$(cat $SYSFS/pat/layout)"
	expect nvidia.pat-mode "$(val $f 0.nvidia.pat-mode)" \
		"$(cat $SYSFS/nvidia/pat_mode)"
	expect nvidia.reason "$(val $f 0.nvidia.reason | sed 's/^(absent)$//')" \
		"$(cat $SYSFS/nvidia/reason)"
	expect hypervisor.type "$(val $f 0.hypervisor.type)" \
		"$(cat $SYSFS/hypervisor/type)"
	expect xen.domain-type "$(val $f 0.xen.domain-type)" \
		"$(cat $SYSFS/xen/domain_type)"
	expect iommu.owner "$(val $f 0.iommu.owner)" \
		"$(cat $SYSFS/iommu/owner)"
	expect gpus "$(grep -c '^0\.gpu\.[0-9]*\.vendor=' $f)" \
		"$(cat $SYSFS/gpus/count)"
else
	failed "--multi get-snapshot get-cpu" multi
fi
result 1 ynl_do_get_snapshot
if [ "$rc" = 0 ]; then
	expect cpu.id "$(val $f 1.cpu.id)" 0
	expect_num cpu.msr "$(val $f 1.cpu.msr)" pat/msr
else
	fail=1
fi
result 2 ynl_do_get_cpu

# 3: one message per online CPU, all holding the boot CPU's PAT
f=$OUT/cpus.flat
if [ "$(cat "$OUT/cpus.rc" 2>/dev/null)" = 0 ]; then
	expect cpus "$(grep -c '^[0-9]*\.cpu\.id=' $f)" "$(online_cpus)"
	if [ "$(cat $SYSFS/pat/consistent)" = 1 ]; then
		for m in $(sed -n 's/^[0-9]*\.cpu\.msr=//p' $f); do
			expect_num cpu.msr "$m" pat/msr
		done
	fi
else
	failed "--dump get-cpu" cpus
fi
result 3 ynl_dump_get_cpu

# 4: the GPUs, one message each (gpu is a multi-attr: a list of one)
f=$OUT/gpus.flat
if [ "$(cat "$OUT/gpus.rc" 2>/dev/null)" = 0 ]; then
	expect gpus "$(grep -c '^[0-9]*\.gpu\.0\.vendor=' $f)" \
		"$(cat $SYSFS/gpus/count)"
	i=0
	while [ $i -lt "$(cat $SYSFS/gpus/count)" ]; do
		g=$i.gpu.0
		dir=$(printf '%04x:%02x:%02x.%x' "$(val $f $g.domain)" \
			"$(val $f $g.bus)" "$(val $f $g.slot)" \
			"$(val $f $g.function)")
		expect_num "$dir vendor" "$(val $f $g.vendor)" \
			"gpus/$dir/vendor"
		expect_num "$dir class" "$(val $f $g.class)" "gpus/$dir/class"
		i=$((i + 1))
	done
else
	failed "--dump get-gpu" gpus
fi
result 4 ynl_dump_get_gpu

# 5: the module's extack message reaches the client
if [ "$(cat "$OUT/bad.rc" 2>/dev/null)" = 0 ]; then
	echo "# get-cpu without a cpu nest succeeded"
	fail=1
elif ! grep -q "missing cpu nest" "$OUT/bad.json"; then
	echo "# no extack message in:"
	tail -q -n 3 "$OUT/bad.json" "$OUT/ynl.err" 2>&1 | sed 's/^/#   /'
	fail=1
fi
result 5 ynl_extack

exit $status
