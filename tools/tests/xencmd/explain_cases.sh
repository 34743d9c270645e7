# SPDX-License-Identifier: GPL-2.0
#
# The findings each Xen command line of cases.tsv gives, through --explain
# of saved reports: as xen.cmdline of a PV dom0 that is told to move to PVH
# (the xen_pv_6x_module fixture), and as xen.cmdline_configured (the next
# boot) of a host whose dom0 runs PVH now (the xen_pvh fixture). Only the
# rules the command line decides are compared: D0G-XEN-001 (as many as the
# options Xen ignores or reads otherwise), D0G-PVH-001, -006 and -009.
# Sourced by ../run.sh after its fixtures (uses run_case, sanitizer_clean,
# ok, not_ok, $BIN, $T and $SEEN).

python3 - "$HERE/xencmd/cases.tsv" "$T/xen_pv_6x_module.json" "$T/xen_pvh.json" "$T/xencmd" <<'PY'
import json, os, sys
cases, pv, pvh, out = sys.argv[1:]
os.makedirs(out, exist_ok=True)
n = 0
for line in open(cases):
    if line.startswith("#") or not line.strip():
        continue
    col = line.rstrip("\n").split("\t")
    cmdline, issues, want_pv, want_next = col[0], col[8], col[9], col[10]
    doc = json.load(open(pv))
    doc["facts"]["xen.cmdline"] = {"value": cmdline, "source": "sysfs",
                                   "from": "/sys/kernel/dom0gpu/xen/cmdline"}
    doc["facts"].pop("xen.cmdline_configured", None)
    json.dump(doc, open("%s/%d.pv.json" % (out, n), "w"))
    doc = json.load(open(pvh))
    doc["facts"]["xen.cmdline"] = {"value": "console=com1 dom0=pvh", "source": "sysfs",
                                   "from": "/sys/kernel/dom0gpu/xen/cmdline"}
    doc["facts"]["xen.cmdline_configured"] = {"value": cmdline, "source": "grub",
                                              "from": "/etc/default/grub"}
    json.dump(doc, open("%s/%d.next.json" % (out, n), "w"))
    with open("%s/%d.want" % (out, n), "w") as w:
        w.write("%s\n%s\n%s\n%s\n" % (cmdline, issues, want_pv, want_next))
    n += 1
PY

# xencmd_findings JSON: the compared rule IDs, sorted, space-separated
xencmd_findings() {
	python3 - "$1" <<'PY'
import json, sys
ids = [f["id"][4:] for f in json.load(open(sys.argv[1]))["findings"]]
keep = sorted(i for i in ids if i in ("XEN-001", "PVH-001", "PVH-006", "PVH-009"))
print(" ".join(keep) or "-")
PY
}

# xencmd_expand ISSUES "IDS": XEN-001 repeated ISSUES times, sorted
xencmd_expand() {
	set -- "$1" "$2" "$({
		i=0
		while [ "$i" -lt "$1" ]; do echo XEN-001; i=$((i + 1)); done
		for id in $2; do [ "$id" = XEN-001 ] || [ "$id" = - ] || echo "$id"; done
	} | sort | tr '\n' ' ' | sed 's/ $//')"
	echo "${3:--}"
}

i=0
while [ -f "$T/xencmd/$i.want" ]; do
	{ read -r cmdline; read -r issues; read -r want_pv; read -r want_next; } <"$T/xencmd/$i.want"
	for ctx in pv next; do
		if [ "$ctx" = pv ]; then
			want=$(xencmd_expand "$issues" "$want_pv")
			what="PV dom0, xen.cmdline"
		else
			# the current line is clean: every D0G-XEN-001 is the next boot's
			want=$(xencmd_expand "$issues" "$want_next")
			what="PVH dom0, xen.cmdline_configured"
		fi
		run_case "$BIN" --explain "$T/xencmd/$i.$ctx.json" --json
		got=$(xencmd_findings "$T/out" 2>"$T/why")
		if sanitizer_clean && [ "$got" = "$want" ]; then
			ok "xen cmdline \"$cmdline\" ($what): ${want}"
			echo "$got" | tr ' ' '\n' | grep -v '^-$' | sed 's/^/D0G-/' >>"$SEEN"
		else
			{ echo "want: $want"; echo " got: $got"; cat "$T/err"; } >>"$T/why"
			not_ok "xen cmdline \"$cmdline\" ($what): ${want}"
		fi
	done
	i=$((i + 1))
done
