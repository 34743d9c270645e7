#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Builds the self-contained initramfs one kernel's scenarios boot: busybox,
# /init, dom0gpu.ko, the virtio-9p modules (to mount the host's root where
# the platform allows it), the VM selftests, dom0gpu-stat when built, and
# every shared library those programs need.
#
# Usage: mkinitramfs.sh RELEASE MODROOT DOM0GPU_KO BUILD_DIR OUT [NVIDIA_KO]
#   BUILD_DIR: holds selftests/ (test programs) and tools/dom0gpu-stat
#   NVIDIA_KO: NVIDIA's real driver built for RELEASE (nvdriver_test.c loads
#   it): it goes to /lib/dom0gpu/nvidia with drm and the modules drm needs
#   (tree/, decompressed, at their paths under /lib/modules/RELEASE; order
#   lists them in load order), and kmod's insmod, modprobe and depmod to
#   /lib/dom0gpu/kmod (busybox's stay the system's; its insmod retries a
#   failed finit_module() with init_module(), loading a module twice).

set -eu
rel=$1 modroot=$2 ko=$3 build=$4 out=$5 nvidia=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
stage=$out.d

rm -rf "$stage"
mkdir -p "$stage"
cd "$stage"
mkdir -p bin sbin etc/dom0gpu lib/dom0gpu/mods lib/dom0gpu/preload \
	proc sys dev tmp host root selftests
chmod 0755 . root
chmod 1777 tmp

cp /bin/busybox bin/busybox
for app in $(bin/busybox --list); do
	[ -e "bin/$app" ] || ln -s busybox "bin/$app"
done
# The kernel runs /sbin/modprobe (kernel.modprobe's default) to autoload
# modules, e.g. a genetlink family's.
ln -s ../bin/busybox sbin/modprobe
install -m 0755 "$here/init" init
# The sysfs ABI document, which abi_doc_test.sh compares with the module.
install -m 0644 "$here/../../Documentation/ABI/testing/sysfs-kernel-dom0gpu" \
	etc/dom0gpu/sysfs-kernel-dom0gpu

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' > etc/group

install -m 0644 "$ko" lib/dom0gpu/dom0gpu.ko
# The kernel's configuration, where a distribution installs it.
cfg=$modroot/boot/config-$rel
[ -f "$cfg" ] && install -D -m 0644 "$cfg" "boot/config-$rel"

# virtio-pci + 9p, in dependency order, decompressed for busybox insmod.
for m in virtio_pci 9pnet_virtio 9p; do
	modprobe -d "$modroot" -S "$rel" --show-depends "$m"
done | sed -n 's/^insmod \([^ ]*\).*/\1/p' | awk '!seen[$0]++' |
while read -r path; do
	name=$(basename "$path")
	case $name in
	*.xz)	xz -dc "$path" > "lib/dom0gpu/mods/${name%.xz}"; name=${name%.xz} ;;
	*.zst)	zstd -qdc "$path" > "lib/dom0gpu/mods/${name%.zst}"; name=${name%.zst} ;;
	*)	cp "$path" "lib/dom0gpu/mods/$name" ;;
	esac
	echo "$name" >> lib/dom0gpu/mods/order
done

# $1: module path on the host; $2: destination without the compression suffix
decompress_module() {
	case $1 in
	*.xz)	xz -dc "$1" > "$2" ;;
	*.zst)	zstd -qdc "$1" > "$2" ;;
	*)	cp "$1" "$2" ;;
	esac
}

elves=
if [ -n "$nvidia" ]; then
	nv=lib/dom0gpu/nvidia
	mkdir -p "$nv/tree" lib/dom0gpu/kmod
	install -m 0644 "$nvidia" "$nv/nvidia.ko"
	modprobe -d "$modroot" -S "$rel" --show-depends drm |
		sed -n 's/^insmod \([^ ]*\).*/\1/p' |
	while read -r path; do
		relpath=${path#*/lib/modules/$rel/}
		relpath=${relpath%.xz}; relpath=${relpath%.zst}
		mkdir -p "$nv/tree/$(dirname "$relpath")"
		decompress_module "$path" "$nv/tree/$relpath"
		echo "$relpath" >> "$nv/order"
	done
	[ -s "$nv/order" ] || { echo "mkinitramfs: no drm module for $rel" >&2; exit 1; }
	kmod=$(command -v kmod)
	install -m 0755 "$kmod" lib/dom0gpu/kmod/kmod
	ln -s kmod lib/dom0gpu/kmod/modprobe
	ln -s kmod lib/dom0gpu/kmod/depmod
	ln -s kmod lib/dom0gpu/kmod/insmod
	elves="$elves $kmod"
fi
for t in "$build"/selftests/*; do
	[ -f "$t" ] || continue
	install -m 0755 "$t" selftests/
	case $t in *.sh) ;; *) elves="$elves $t" ;; esac
done
if [ -x "$build/tools/dom0gpu-stat" ]; then
	install -m 0755 "$build/tools/dom0gpu-stat" bin/dom0gpu-stat
	elves="$elves $build/tools/dom0gpu-stat"
fi

# Shared libraries by ldd, at their host paths, plus the dynamic loader.
for e in $elves; do
	ldd "$e" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\).*/\1/p'
done | sort -u | while read -r lib; do
	mkdir -p ".$(dirname "$lib")"
	cp -L "$lib" ".$lib"
done

find . | sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 > "$out"
