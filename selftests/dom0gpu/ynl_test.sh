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
SCHEMA=$CACHE/linux-source-6.12/Documentation/netlink/genetlink.yaml
SPEC=${D0G_HOSTREPO:+$D0G_HOSTREPO/uapi/dom0gpu.yaml}
TESTS="ynl_do_get_snapshot ynl_dump_get_cpu ynl_dump_get_gpu ynl_do_get_cpu ynl_extack"

echo "TAP version 13"
set -- $TESTS
echo "1..$#"

skip_all() {
	n=0
	for t in $TESTS; do
		n=$((n + 1))
		echo "ok $n $t # SKIP $1"
	done
	exit 4
}

[ -n "$D0G_HOSTROOT" ] || skip_all "no host root in this scenario"
[ -n "$SPEC" ] || skip_all "D0G_HOSTREPO not set"
for f in "$YNL" "$SCHEMA" "$SPEC"; do
	[ -f "$D0G_HOSTROOT$f" ] || skip_all "$f not in the host root"
done
# Scratch files in the host root's /tmp (a tmpfs of this VM), so that the
# chroot sees them too: $HOUT there, $OUT here.
HOUT=/tmp/ynl_test.$$
OUT=$D0G_HOSTROOT$HOUT
mkdir -p "$OUT" || skip_all "cannot write to $D0G_HOSTROOT/tmp"
trap 'rm -rf "$OUT"' EXIT

# host python, in the host root
hpy() {
	chroot "$D0G_HOSTROOT" /usr/bin/python3 "$@"
}

# ynl NAME ARGS...: runs cli.py, its JSON output in $OUT/NAME.json, its
# errors in $OUT/NAME.err. The schema is checked on the first call only:
# the host's python is slow in an emulated VM.
schema="--schema $SCHEMA"
ynl() {
	name=$1
	shift
	hpy "$YNL" --spec "$SPEC" $schema --output-json "$@" \
		> "$OUT/$name.json" 2> "$OUT/$name.err"
	rc=$?
	schema=--no-schema
	return $rc
}

# Flattens every $OUT/*.json into $OUT/*.flat, one "a.b.c=value" line per
# value (lists of scalars space-separated, other lists by index), in one
# python run.
flatten() {
	hpy -c '
import json, sys
def walk(out, path, v):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(out, path + [k], x)
    elif isinstance(v, list) and not any(isinstance(x, (dict, list)) for x in v):
        out.write(".".join(path) + "=" + " ".join(str(x) for x in v) + "\n")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(out, path + [str(i)], x)
    else:
        out.write(".".join(path) + "=" + str(v) + "\n")
for name in sys.argv[1:]:
    with open(name + ".json") as f, open(name + ".flat", "w") as out:
        try:
            walk(out, [], json.load(f))
        except ValueError:
            pass
' "$@"
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

# The requests, then one python run to read all the answers.
ynl snapshot --do get-snapshot; rc_snapshot=$?
ynl cpus --dump get-cpu; rc_cpus=$?
ynl gpus --dump get-gpu; rc_gpus=$?
ynl cpu0 --do get-cpu --json '{"cpu": {"id": 0}}'; rc_cpu0=$?
ynl bad --do get-cpu --json '{}'; rc_bad=$?
flatten "$HOUT/snapshot" "$HOUT/cpus" "$HOUT/gpus" "$HOUT/cpu0"

failed() {
	echo "# cli.py $1 failed:"
	tail -q -n 3 "$OUT/$2.err" "$OUT/$2.json" | sed 's/^/#   /'
	fail=1
}

# 1: the whole snapshot
f=$OUT/snapshot.flat
if [ $rc_snapshot = 0 ]; then
	expect version "$(val $f version)" "$(cat $SYSFS/version)"
	expect_num pat.msr "$(val $f pat.msr)" pat/msr
	expect_num pat.wc-index "$(val $f pat.wc-index)" pat/wc_index
	expect_num pat.consistent "$(val $f pat.consistent)" pat/consistent
	expect pat.layout "$(mem_names "$(val $f pat.layout)")" \
		"$(cat $SYSFS/pat/layout)"
	expect nvidia.pat-mode "$(val $f nvidia.pat-mode)" \
		"$(cat $SYSFS/nvidia/pat_mode)"
	expect nvidia.reason "$(val $f nvidia.reason | sed 's/^(absent)$//')" \
		"$(cat $SYSFS/nvidia/reason)"
	expect hypervisor.type "$(val $f hypervisor.type)" \
		"$(cat $SYSFS/hypervisor/type)"
	expect xen.domain-type "$(val $f xen.domain-type)" \
		"$(cat $SYSFS/xen/domain_type)"
	expect iommu.owner "$(val $f iommu.owner)" "$(cat $SYSFS/iommu/owner)"
	expect gpus "$(grep -c '^gpu\.[0-9]*\.vendor=' $f)" \
		"$(cat $SYSFS/gpus/count)"
else
	failed "--do get-snapshot" snapshot
fi
result 1 ynl_do_get_snapshot

# 2: one message per online CPU, all holding the boot CPU's PAT
f=$OUT/cpus.flat
if [ $rc_cpus = 0 ]; then
	expect cpus "$(grep -c '^[0-9]*\.cpu\.id=' $f)" "$(online_cpus)"
	if [ "$(cat $SYSFS/pat/consistent)" = 1 ]; then
		for m in $(sed -n 's/^[0-9]*\.cpu\.msr=//p' $f); do
			expect_num cpu.msr "$m" pat/msr
		done
	fi
else
	failed "--dump get-cpu" cpus
fi
result 2 ynl_dump_get_cpu

# 3: the GPUs, one message each
f=$OUT/gpus.flat
if [ $rc_gpus = 0 ]; then
	expect gpus "$(grep -c '^[0-9]*\.gpu\.vendor=' $f)" \
		"$(cat $SYSFS/gpus/count)"
	i=0
	while [ $i -lt "$(cat $SYSFS/gpus/count)" ]; do
		dir=$(printf '%04x:%02x:%02x.%x' "$(val $f $i.gpu.domain)" \
			"$(val $f $i.gpu.bus)" "$(val $f $i.gpu.slot)" \
			"$(val $f $i.gpu.function)")
		expect_num "$dir vendor" "$(val $f $i.gpu.vendor)" \
			"gpus/$dir/vendor"
		expect_num "$dir class" "$(val $f $i.gpu.class)" \
			"gpus/$dir/class"
		i=$((i + 1))
	done
else
	failed "--dump get-gpu" gpus
fi
result 3 ynl_dump_get_gpu

# 4: a request attribute, nested as the spec says
f=$OUT/cpu0.flat
if [ $rc_cpu0 = 0 ]; then
	expect cpu.id "$(val $f cpu.id)" 0
	expect_num cpu.msr "$(val $f cpu.msr)" pat/msr
else
	failed "--do get-cpu" cpu0
fi
result 4 ynl_do_get_cpu

# 5: the module's extack message reaches the client
if [ $rc_bad = 0 ]; then
	echo "# get-cpu without a cpu nest succeeded"
	fail=1
elif ! grep -q "missing cpu nest" "$OUT/bad.json" "$OUT/bad.err"; then
	echo "# no extack message in:"
	tail -q -n 3 "$OUT/bad.json" "$OUT/bad.err" | sed 's/^/#   /'
	fail=1
fi
result 5 ynl_extack

exit $status
