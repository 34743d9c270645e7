#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A BIOS disk image that boots like a Debian 12 Xen host: Debian's GRUB
# (grub-pc-bin's boot.img + a core.img from grub-mkimage in the MBR gap),
# one ext2 partition holding /boot (Xen 4.17, Linux, its initrd), /etc/grub.d
# and /etc/default/grub, the real grub-mkconfig/update-grub/grub-reboot/
# grub-editenv/grub-probe, busybox, dom0gpu-stat and dom0gpu.ko. Its first
# grub.cfg is a bootstrap entry; the first boot runs update-grub in dom0.
# No root, loop devices or mounts: mkfs.ext2 -d fills the filesystem.
#
# Usage: mkdisk.sh REL GRUBX KO STAT OUT
#   REL    kernel release (/boot/vmlinuz-REL, /lib/modules/REL)
#   GRUBX  grub-common, grub2-common, grub-pc-bin and xen-hypervisor-common
#          unpacked (dpkg -x) into one folder
#   KO     dom0gpu.ko for REL; STAT: dom0gpu-stat; OUT: the image
set -eu
rel=$1 gx=$2 ko=$3 stat=$4 out=$5
here=$(cd "$(dirname "$0")" && pwd)
d=$out.d
rm -rf "$d"
mkdir -p "$d/root" "$d/initrd"
r=$d/root

# As selftests/vm/scenarios.py's LINUX_CMDLINE, for the same reasons (a
# starved vCPU under TCG is not a finding), with panic=-1: a dom0 panic
# ends in a reboot, as on a real host.
LINUX_TCG="panic=-1 loglevel=5 nowatchdog rcupdate.rcu_cpu_stall_suppress=1 no_timer_check"

# ---- the dom0's root filesystem ----
mkdir -p "$r/bin" "$r/sbin" "$r/usr/bin" "$r/usr/sbin" "$r/usr/share" "$r/etc/grub.d" \
	"$r/etc/default/grub.d" "$r/boot/grub" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/trial" \
	"$r/lib/dom0gpu" "$r/usr/local/sbin" "$r/var/lib"
cp /bin/busybox "$r/bin/busybox"
for app in $("$r/bin/busybox" --list); do
	[ -e "$r/bin/$app" ] || ln -s busybox "$r/bin/$app"
done
for f in grub-mkconfig grub-probe grub-reboot update-grub grub-set-default; do
	cp -p "$gx/usr/sbin/$f" "$r/usr/sbin/"
done
for f in grub-editenv grub-file grub-mkrelpath grub-script-check; do
	cp -p "$gx/usr/bin/$f" "$r/usr/bin/"
done
cp -a "$gx/usr/share/grub" "$r/usr/share/grub"
for f in 00_header 10_linux 20_linux_xen 40_custom 41_custom; do
	cp -p "$gx/etc/grub.d/$f" "$r/etc/grub.d/"
done
# Debian's xen-hypervisor-common: makes the Xen entry GRUB's default.
cp "$gx/etc/default/grub.d/xen.cfg" "$r/etc/default/grub.d/xen.cfg"
cat >"$r/etc/default/grub" <<DEF
GRUB_DEFAULT=0
GRUB_TIMEOUT=0
GRUB_DISTRIBUTOR=Debian
GRUB_CMDLINE_LINUX_DEFAULT="console=hvc0 $LINUX_TCG"
GRUB_CMDLINE_LINUX=""
GRUB_TERMINAL=serial
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
GRUB_DISABLE_OS_PROBER=true
GRUB_CMDLINE_XEN_DEFAULT="console=com1 com1=115200,8n1 dom0_mem=1024M iommu=no"
DEF
cp "$stat" "$r/usr/local/sbin/dom0gpu-stat"
cp "$ko" "$r/lib/dom0gpu/dom0gpu.ko"
for elf in "$r"/usr/sbin/grub-probe "$r"/usr/bin/grub-editenv "$r"/usr/bin/grub-file \
	   "$r"/usr/bin/grub-mkrelpath "$r"/usr/bin/grub-script-check \
	   "$r/usr/local/sbin/dom0gpu-stat"; do
	ldd "$elf" | awk '/=> \//{print $3} /^\t\//{print $1}'
done | sort -u | while read -r lib; do
	mkdir -p "$r$(dirname "$lib")"
	cp -L "$lib" "$r$lib"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
printf 'root:x:0:\n' >"$r/etc/group"
install -m 0755 "$here/trial.sh" "$r/trial/trial.sh"
echo bootstrap >"$r/trial/state"

cp "/boot/xen-4.17-amd64.gz" "$r/boot/"
cp "/boot/vmlinuz-$rel" "/boot/config-$rel" "$r/boot/"
cp -a "$gx/usr/lib/grub/i386-pc" "$r/boot/grub/i386-pc"
"$gx/usr/bin/grub-editenv" "$r/boot/grub/grubenv" create
cat >"$r/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
menuentry 'bootstrap: Xen PV, then update-grub' {
	insmod part_msdos
	insmod ext2
	insmod gzio
	insmod multiboot2
	set root=(hd0,msdos1)
	multiboot2 /boot/xen-4.17-amd64.gz placeholder console=com1 com1=115200,8n1 dom0_mem=1024M iommu=no
	module2 /boot/vmlinuz-$rel placeholder console=hvc0 $LINUX_TCG
	module2 --nounzip /boot/initrd.img-$rel
}
CFG

# ---- the initrd: find the disk, make it the root ----
i=$d/initrd
mkdir -p "$i/bin" "$i/mods" "$i/proc" "$i/sys" "$i/dev" "$i/root"
cp /bin/busybox "$i/bin/busybox"
for app in sh mount insmod sleep switch_root mkdir cat echo; do ln -s busybox "$i/bin/$app"; done
for m in ata_piix sd_mod ext4; do
	modprobe -S "$rel" --show-depends "$m"
done | sed -n 's/^insmod \([^ ]*\).*/\1/p' | awk '!seen[$0]++' | while read -r path; do
	name=$(basename "$path")
	case $name in
	*.xz)	xz -dc "$path" >"$i/mods/${name%.xz}"; name=${name%.xz} ;;
	*)	cp "$path" "$i/mods/$name" ;;
	esac
	echo "$name" >>"$i/mods/order"
done
cat >"$i/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# crc32c-intel and crct10dif-pclmul refuse qemu64 (no SSE4.2/PCLMUL): the generic ones serve.
# libata's dma=0 given to insmod: busybox insmod does not read module
# options from the kernel's command line, as modprobe would.
for m in $(cat /mods/order); do
	case $m in libata.ko) opt=dma=0 ;; *) opt= ;; esac
	insmod /mods/$m $opt 2>/dev/null
done
n=0
while [ ! -b /dev/sda1 ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
mount -t ext4 -o rw /dev/sda1 /root || { echo "TRIAL-ERROR no /dev/sda1"; exec sh; }
mount --move /proc /root/proc
mount --move /sys /root/sys
mount --move /dev /root/dev
exec switch_root /root /bin/sh /trial/trial.sh
INIT
chmod 0755 "$i/init"
(cd "$i" && find . | cpio -o -H newc --quiet | gzip -1) >"$r/boot/initrd.img-$rel"

# ---- filesystem and disk: MBR (boot.img), core.img in the gap, partition 1 at 1 MiB ----
mkfs.ext2 -q -F -L dom0gpu-root -d "$r" "$d/fs.img" 192M
"$gx/usr/bin/grub-mkimage" -O i386-pc -d "$gx/usr/lib/grub/i386-pc" -o "$d/core.img" \
	-p '(hd0,msdos1)/boot/grub' biosdisk part_msdos ext2
python3 - "$gx/usr/lib/grub/i386-pc/boot.img" "$d/core.img" "$d/fs.img" "$out" <<'PY'
import os, struct, sys
boot, core, fs, out = sys.argv[1:5]
start = 2048
core_b = open(core, "rb").read()
assert len(core_b) <= (start - 1) * 512, "core.img does not fit the MBR gap"
sectors = os.path.getsize(fs) // 512
mbr = bytearray(open(boot, "rb").read()[:440]) + bytes(6)
# one active Linux partition, LBA addressed (CHS fields saturated)
mbr += struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x83, b"\xfe\xff\xff", start, sectors)
mbr += bytes(48) + b"\x55\xaa"
with open(out, "wb") as f:
    f.write(mbr)
    f.write(core_b)
    f.seek(start * 512)
    with open(fs, "rb") as src:
        while True:
            chunk = src.read(1 << 20)
            if not chunk:
                break
            f.write(chunk)
PY
rm -rf "$d"
