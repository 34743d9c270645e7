#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xen.cmdline_configured against sh itself: each tree's /etc/default/grub
# and /etc/default/grub.d/*.cfg are sourced by sh the way Debian's
# grub-mkconfig (GRUB 2.06, util/grub-mkconfig.in) sources them, and the
# default Xen entry's options are built as 20_linux_xen.in builds them:
# "${GRUB_CMDLINE_XEN} ${GRUB_CMDLINE_XEN_DEFAULT}". dom0gpu-stat must give
# the same options, in the same order (Xen takes the last of a repeated
# option). Trees with shell it does not evaluate must give no value and a
# note naming the file and line. Usage: grub_defaults_test.sh BIN ASAN_BIN
HERE=$(cd "$(dirname "$0")" && pwd)
BOOT_FIXTURES=$HERE/../plan
. "$HERE/../tap.sh"
tap_begin "usage: grub_defaults_test.sh BIN ASAN_BIN" "$@"
BIN=$1
ASAN=$2
TAP_DIAG="$T/why"

echo "TAP version 13"

# sh's reading. grub-mkconfig: "if test -f ${sysconfdir}/default/grub ; then
# . ${sysconfdir}/default/grub; fi; for x in ${sysconfdir}/default/grub.d/*.cfg
# ; do if [ -e "${x}" ]; then . "${x}"; fi; done"; grub_warn comes from
# grub-mkconfig_lib, gettext from gettext.sh. Word-split as GRUB splits the
# multiboot2 line into Xen's arguments.
sh_line() {
	(cd "$1" && sh -c '
		grub_warn() { :; }
		gettext() { printf "%s" "$1"; }
		if test -f etc/default/grub; then . ./etc/default/grub; fi
		for x in etc/default/grub.d/*.cfg; do if [ -e "${x}" ]; then . "./${x}"; fi; done
		set -f
		set -- ${GRUB_CMDLINE_XEN} ${GRUB_CMDLINE_XEN_DEFAULT}
		echo "VALUE $*"' 2>/dev/null)
}

# dom0gpu-stat's reading: VALUE words, UNKNOWN note, ABSENT, or BOTH.
tool_line() {
	"$1" --root "$2" --json >"$T/json" 2>"$T/err"
	if [ $? -eq 99 ] || grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$T/err"; then
		echo "SANITIZER"
		return
	fi
	python3 - "$T/json" <<'EOF'
import json
import sys
d = json.load(open(sys.argv[1]))
f = d["facts"].get("xen.cmdline_configured")
pre = "xen.cmdline_configured unknown: "
notes = [n[len(pre):] for n in d.get("notes", []) if n.startswith(pre)]
if f and notes:
    print("BOTH")
elif f:
    print("VALUE " + " ".join(f["value"].split()))
elif notes:
    print("UNKNOWN " + notes[0])
else:
    print("ABSENT")
EOF
}

tree() {	# tree NAME: a fresh root at $R
	R=$T/$1
	mkdir -p "$R/etc/default/grub.d"
}

# The shell of Debian's /etc/default/grub (grub2-common's
# /usr/share/grub/default/grub) and Debian's /etc/default/grub.d/xen.cfg
# (../plan/debian_xen.cfg), with what an admin adds.
debian_files() {
	cat >"$R/etc/default/grub" <<'EOF'
# If you change this file, run 'update-grub' afterwards to update
# /boot/grub/grub.cfg.
GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX=""
#GRUB_TERMINAL=console
EOF
	sed '/^#GRUB_CMDLINE_XEN=""$/a GRUB_CMDLINE_XEN_DEFAULT="dom0_mem=2048M,max:2048M dom0=pvh"' \
		"$BOOT_FIXTURES/debian_xen.cfg" >"$R/etc/default/grub.d/xen.cfg"
}

same_as_sh() {	# same_as_sh WHAT: the tree at $R
	want=$(sh_line "$R")
	for b in "$BIN" "$ASAN"; do
		have=$(tool_line "$b" "$R")
		if [ "$have" != "$want" ]; then
			printf '%s\nsh:   %s\ntool: %s\n' "$b" "$want" "$have" >"$T/why"
			not_ok "$1"
			return
		fi
	done
	ok "$1"
}

is_unknown() {	# is_unknown WHAT NOTE-START: the tree at $R
	for b in "$BIN" "$ASAN"; do
		have=$(tool_line "$b" "$R")
		case $have in
		"UNKNOWN $2"*) ;;
		*)
			printf '%s\nwant: UNKNOWN %s...\nhave: %s\n' "$b" "$2" "$have" >"$T/why"
			not_ok "$1"
			return
			;;
		esac
	done
	ok "$1"
}

tree order_on
printf 'GRUB_CMDLINE_XEN_DEFAULT="dom0=pvh iommu=1"\nGRUB_CMDLINE_XEN="iommu=0"\n' \
	>"$R/etc/default/grub"
same_as_sh "GRUB_CMDLINE_XEN comes first on the line, GRUB_CMDLINE_XEN_DEFAULT last"
if [ "$(sh_line "$R")" = "VALUE iommu=0 dom0=pvh iommu=1" ]; then
	ok "sh agrees that the last iommu= is GRUB_CMDLINE_XEN_DEFAULT's iommu=1"
else
	sh_line "$R" >"$T/why"
	not_ok "sh agrees that the last iommu= is GRUB_CMDLINE_XEN_DEFAULT's iommu=1"
fi

tree debian
debian_files
same_as_sh "Debian's /etc/default/grub and grub.d/xen.cfg: only the admin's line counts"

tree append
cat >"$R/etc/default/grub" <<'EOF'
GRUB_CMDLINE_XEN_DEFAULT="dom0_mem=1G iommu=0"
GRUB_CMDLINE_XEN=console=com1
GRUB_CMDLINE_XEN_DEFAULT="$GRUB_CMDLINE_XEN_DEFAULT loglvl=all"
EOF
printf 'GRUB_CMDLINE_XEN_DEFAULT="${GRUB_CMDLINE_XEN_DEFAULT} iommu=1 dom0=pvh"\n' \
	>"$R/etc/default/grub.d/50-local.cfg"
same_as_sh "VAR=\"\$VAR more\" appends, across files; grub.d/*.cfg come after /etc/default/grub"

tree last_wins
cat >"$R/etc/default/grub" <<'EOF'
GRUB_CMDLINE_XEN_DEFAULT="dom0=pvh iommu=0"
GRUB_CMDLINE_XEN_DEFAULT="dom0=pvh"
EOF
same_as_sh "a repeated assignment replaces the value"

tree quoting
cat >"$R/etc/default/grub" <<'EOF'
  export GRUB_CMDLINE_XEN="console=com1"' com1=115200,8n1'\ loglvl=all # serial
GRUB_CMDLINE_XEN_DEFAULT="dom0_mem=2G \
dom0=pvh"; GRUB_CMDLINE_XEN_DEFAULT="$GRUB_CMDLINE_XEN_DEFAULT a\$b c$ \"d\""
EOF
same_as_sh "quotes, escapes, export, a comment, a continuation, two assignments on a line"

tree glob
printf 'GRUB_CMDLINE_XEN_DEFAULT="dom0=pvh"\n' >"$R/etc/default/grub.d/10-a.cfg"
printf 'GRUB_CMDLINE_XEN_DEFAULT="dom0=pv"\n' >"$R/etc/default/grub.d/9-b.cfg"
printf 'GRUB_CMDLINE_XEN_DEFAULT="iommu=0"\n' >"$R/etc/default/grub.d/README"
same_as_sh "grub.d: only *.cfg, in the glob's order (9-b.cfg after 10-a.cfg)"

tree none
debian_files
sed -i '/^GRUB_CMDLINE_XEN_DEFAULT=/d' "$R/etc/default/grub.d/xen.cfg"
if [ "$(tool_line "$BIN" "$R")" = "ABSENT" ]; then
	ok "neither variable assigned: no value claimed"
else
	tool_line "$BIN" "$R" >"$T/why"
	not_ok "neither variable assigned: no value claimed"
fi

tree cond_if
printf 'GRUB_CMDLINE_XEN="iommu=0"\nif [ -e /etc/pvh ]; then\n\tGRUB_CMDLINE_XEN_DEFAULT="dom0=pvh"\nfi\n' \
	>"$R/etc/default/grub"
is_unknown "an assignment under if is reported, not guessed" \
	"/etc/default/grub:3: GRUB_CMDLINE_XEN_DEFAULT is assigned only under a condition"

tree cond_and
debian_files
printf '[ -e /etc/pvh ] && GRUB_CMDLINE_XEN="iommu=1"\n' >"$R/etc/default/grub.d/60-x.cfg"
is_unknown "an assignment after && is reported, with its file" \
	"/etc/default/grub.d/60-x.cfg:1: GRUB_CMDLINE_XEN is assigned only under a condition"

tree other_var
printf 'XEN_EXTRA=iommu=0\nGRUB_CMDLINE_XEN_DEFAULT="$XEN_EXTRA dom0=pvh"\n' >"$R/etc/default/grub"
is_unknown "another variable's value is not evaluated" \
	"/etc/default/grub:2: the value uses \$XEN_EXTRA"

tree command
printf 'GRUB_CMDLINE_XEN_DEFAULT="$(cat /etc/xen-options)"\n' >"$R/etc/default/grub"
is_unknown "a command substitution is not run" "/etc/default/grub:1: \"\$(\""

tree sourced
printf 'GRUB_CMDLINE_XEN_DEFAULT="dom0=pvh"\n' >"$R/etc/default/grub"
printf '. /etc/default/grub.local\n' >"$R/etc/default/grub.d/local.cfg"
is_unknown "a sourced file is reported" "/etc/default/grub.d/local.cfg:1: \". /etc/default/grub.local\""

tree unset
printf 'GRUB_CMDLINE_XEN="iommu=0"\nunset GRUB_CMDLINE_XEN\n' >"$R/etc/default/grub"
is_unknown "unset is reported" "/etc/default/grub:2: \"unset GRUB_CMDLINE_XEN\" names"

# --plan on Debian's BIOS tree (tests/plan/boot_fixtures.sh) whose
# GRUB_CMDLINE_XEN_DEFAULT is set under an if: make-permanent's edit cannot
# be written, so the plan says so and its make-permanent step edits no
# variable.
. "$HERE/../fixtures.sh"
. "$BOOT_FIXTURES/boot_fixtures.sh"
R=$T/plan_unknown
fx_debian_bios >/dev/null 2>&1
printf 'if [ -e /etc/pvh ]; then GRUB_CMDLINE_XEN_DEFAULT="iommu=0"; fi\n' >>"$R/etc/default/grub"
line=$(grep -c '' "$R/etc/default/grub")
"$ASAN" --root "$R" --plan >"$T/why" 2>&1
if grep -q "^PVH trial plan: cannot be followed as is" "$T/why" &&
   grep -q "^problem: .* unknown (/etc/default/grub:$line: GRUB_CMDLINE_XEN_DEFAULT is assigned only under a condition" "$T/why" &&
   sed -n '/^# step 5 (make-permanent)/,/^# expect/p' "$T/why" | grep -q '^rm ' &&
   ! sed -n '/^# step 5 (make-permanent)/,/^# expect/p' "$T/why" | grep -v '^#' |
	grep -q 'GRUB_CMDLINE_XEN'; then
	ok "--plan: an assignment it cannot evaluate is its problem; make-permanent edits no variable"
else
	not_ok "--plan: an assignment it cannot evaluate is its problem; make-permanent edits no variable"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
