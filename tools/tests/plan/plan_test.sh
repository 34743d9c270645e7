#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dom0gpu-stat --plan on each boot setup's fixture tree: builds the trees
# (boot_fixtures.sh), then plan_check.py checks the JSON plan against the
# schema and the boot loaders' semantics, and runs the printed steps that
# edit files on a copy of the tree. Usage: plan_test.sh BIN ASAN_BIN
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../tap.sh"
tap_begin "usage: plan_test.sh BIN ASAN_BIN" "$@"
BIN=$1
ASAN=$2

. "$HERE/../fixtures.sh"
BOOT_FIXTURES=$HERE
. "$HERE/boot_fixtures.sh"

for name in debian_bios debian_saved debian_pending debian_btrfs debian_lvm \
	    debian_no_oneshot rhel xcpng_bios xcpng_uefi efi_xen_cfg unknown; do
	R=$T/root/$name
	"fx_$name" >/dev/null 2>&1 || { echo "Bail out! fixture $name"; exit 1; }
done
exec python3 "$HERE/plan_check.py" "$BIN" "$ASAN" "$T/root" "$HERE/../../../docs/report.schema.json"
