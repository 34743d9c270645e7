#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dom0gpu-stat --plan on each boot setup's fixture tree: builds the trees
# (boot_fixtures.sh), then plan_check.py checks the JSON plan against the
# schema and the boot loaders' semantics, and runs the printed steps that
# edit files on a copy of the tree. Usage: plan_test.sh BIN ASAN_BIN
BIN=${1:?usage: plan_test.sh BIN ASAN_BIN}
ASAN=${2:?usage: plan_test.sh BIN ASAN_BIN}
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export NO_COLOR=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99

. "$HERE/../fixtures.sh"
BOOT_FIXTURES=$HERE
. "$HERE/boot_fixtures.sh"

for name in debian_bios debian_saved debian_pending debian_btrfs debian_lvm \
	    debian_no_oneshot rhel xcpng_bios xcpng_uefi efi_xen_cfg unknown; do
	R=$T/root/$name
	"fx_$name" >/dev/null 2>&1 || { echo "Bail out! fixture $name"; exit 1; }
done
exec python3 "$HERE/plan_check.py" "$BIN" "$ASAN" "$T/root" "$HERE/../../../docs/report.schema.json"
