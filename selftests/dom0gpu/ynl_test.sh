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
OUT=/tmp/ynl_test.$$

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
mkdir -p "$OUT"
trap 'rm -rf "$OUT"' EXIT

# host python, in the host root
hpy() {
	chroot "$D0G_HOSTROOT" /usr/bin/python3 "$@"
}

# ynl OUTFILE ARGS...: cli.py's JSON output, flattened to "a.b.c=value"
# lines (lists of scalars space-separated, other lists by index).
ynl() {
	out=$1
	shift
	hpy "$YNL" --spec "$SPEC" --schema "$SCHEMA" --output-json "$@" \
		> "$OUT/raw" 2> "$OUT/err" || return 1
	hpy -c '
import json, sys
def walk(path, v):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(path + [k], x)
    elif isinstance(v, list) and not any(isinstance(x, (dict, list)) for x in v):
        print(".".join(path) + "=" + " ".join(str(x) for x in v))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(path + [str(i)], x)
    else:
        print(".".join(path) + "=" + str(v))
walk([], json.load(sys.stdin))
' < "$OUT/raw" > "$out"
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

# 1: the whole snapshot
f=$OUT/snapshot
if ynl "$f" --do get-snapshot; then
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
	echo "# cli.py --do get-snapshot failed: $(cat $OUT/err | tail -n 3)"
	fail=1
fi
result 1 ynl_do_get_snapshot

# 2: one message per online CPU, all holding the boot CPU's PAT
f=$OUT/cpus
if ynl "$f" --dump get-cpu; then
	expect cpus "$(grep -c '^[0-9]*\.cpu\.id=' $f)" "$(online_cpus)"
	if [ "$(cat $SYSFS/pat/consistent)" = 1 ]; then
		for m in $(sed -n 's/^[0-9]*\.cpu\.msr=//p' $f); do
			expect_num cpu.msr "$m" pat/msr
		done
	fi
else
	echo "# cli.py --dump get-cpu failed: $(cat $OUT/err | tail -n 3)"
	fail=1
fi
result 2 ynl_dump_get_cpu

# 3: the GPUs, one message each
f=$OUT/gpus
if ynl "$f" --dump get-gpu; then
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
	echo "# cli.py --dump get-gpu failed: $(cat $OUT/err | tail -n 3)"
	fail=1
fi
result 3 ynl_dump_get_gpu

# 4: a request attribute, nested as the spec says
f=$OUT/cpu0
if ynl "$f" --do get-cpu --json '{"cpu": {"id": 0}}'; then
	expect cpu.id "$(val $f cpu.id)" 0
	expect_num cpu.msr "$(val $f cpu.msr)" pat/msr
else
	echo "# cli.py --do get-cpu failed: $(cat $OUT/err | tail -n 3)"
	fail=1
fi
result 4 ynl_do_get_cpu

# 5: the module's extack message reaches the client
if ynl "$OUT/bad" --do get-cpu --json '{}'; then
	echo "# get-cpu without a cpu nest succeeded"
	fail=1
elif ! grep -q "missing cpu nest" "$OUT/raw" "$OUT/err"; then
	echo "# no extack message: $(cat $OUT/raw $OUT/err | tail -n 3)"
	fail=1
fi
result 5 ynl_extack

exit $status
