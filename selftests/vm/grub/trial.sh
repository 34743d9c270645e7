#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dom0's /sbin/init on the GRUB trial disk (mkdisk.sh): each boot does what
# an admin would do at that point with `dom0gpu-stat --plan`'s printed steps,
# run verbatim, and prints TRIAL-* lines that grub_trial.py checks on the
# console. /trial/state says where the story is; every boot ends in a
# reboot (or, at the end, a power-off), as the admin's would.
#   bootstrap  (PV, hand-written grub.cfg) update-grub; plan; check,
#              add-trial, boot-once
#   trial      (must be PVH) verify
#   fallback   (must be PV again, by itself) break the trial (iommu=no),
#              update-grub, grub-reboot it
#   recovered  (must be PV: the broken trial panicked once) make-permanent
#   permanent  (must be PVH by default) done
export PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t tmpfs tmp /tmp
state=$(cat /trial/state)
gt=$(cat /sys/hypervisor/guest_type 2>/dev/null || echo none)
echo "TRIAL-STAGE $state guest_type=$gt"
next=reboot

out() { sed "s/^/TRIAL-OUT $1 /"; }

# The commands of one of the plan's steps, as printed; the step's own
# "reboot" is left to the end of this boot.
run_step() {
	awk -v ph="($1)" '
		/^# step [0-9]+ / { on = index($0, ph) > 0; next }
		/^# changes:/ { next }
		/^# expect:/ { on = 0 }
		on' /trial/plan.txt >/tmp/step.sh
	[ -s /tmp/step.sh ] || echo "TRIAL-ERROR step $1 not in the plan"
	(reboot() { :; }; set -e; . /tmp/step.sh) >/tmp/step.out 2>&1
	echo "TRIAL-STEP $1 rc=$?"
	out "$1" </tmp/step.out
}

probe() {
	insmod /lib/dom0gpu/dom0gpu.ko 2>/dev/null
	dom0gpu-stat --probe >/tmp/probe.out 2>&1
	echo "TRIAL-PROBE rc=$? $(head -n 1 /tmp/probe.out)"
	out probe </tmp/probe.out
}

# grubenv as an admin lists it; TRIAL-DO names the command for the transcript.
grubenv() {
	echo "TRIAL-DO grub-editenv /boot/grub/grubenv list"
	grub-editenv /boot/grub/grubenv list | out grubenv
}

case $state in
bootstrap)
	update-grub >/tmp/ug.out 2>&1
	echo "TRIAL-UPDATE-GRUB rc=$?"
	out update-grub </tmp/ug.out
	insmod /lib/dom0gpu/dom0gpu.ko 2>/dev/null
	dom0gpu-stat --plan >/trial/plan.txt 2>&1
	echo "TRIAL-PLAN rc=$?"
	out plan </trial/plan.txt
	run_step check
	run_step add-trial
	run_step boot-once
	echo trial >/trial/state
	;;
trial)
	run_step verify
	probe
	echo fallback >/trial/state
	;;
fallback)
	grubenv
	# A deliberately broken trial: the IOMMU disabled again.
	echo "TRIAL-DO sed -i 's/ dom0=pvh / dom0=pvh iommu=no /' /etc/grub.d/42_dom0gpu-pvh-trial"
	sed -i 's/ dom0=pvh / dom0=pvh iommu=no /' /etc/grub.d/42_dom0gpu-pvh-trial
	echo "TRIAL-DO update-grub"
	update-grub >/dev/null 2>&1
	echo "TRIAL-DO grub-reboot dom0gpu-pvh-trial"
	grub-reboot dom0gpu-pvh-trial
	grubenv
	echo recovered >/trial/state
	;;
recovered)
	grubenv
	run_step make-permanent
	echo permanent >/trial/state
	;;
permanent)
	grubenv
	probe
	echo done >/trial/state
	next=poweroff
	;;
*)
	next=poweroff
	;;
esac
sync
mount -o remount,ro /
echo "TRIAL-NEXT $next"
$next -f
