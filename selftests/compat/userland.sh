#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What this host can prove about dom0gpu-stat on XCP-ng's CentOS 7 userland
# (gcc 4.8.5, glibc 2.17, libnl 3.2.28, json-c 0.11). See docs/KERNELS.md.
#
#   userland.sh build OUT   builds tools/ with its own Makefile, as C99
#                           (STD=-std=gnu99), against a Debian 11 root (glibc 2.31, libnl 3.4, json-c
#                           0.15; fetched by fetch-userland.sh); the binary
#                           is OUT/dom0gpu-stat, the compiler log OUT/cc.log
#   userland.sh c-subset OUT  no C11 feature gcc 4.8 lacks (_Generic,
#                           _Atomic, _Thread_local: the build's
#                           -Wc99-c11-compat warnings) and no gcc >= 5
#                           builtin or C11 header gcc 4.8/glibc 2.17 lack
#   userland.sh glibc BIN   no glibc symbol version newer than 2.17
#   userland.sh libs BIN    no libnl function newer than 3.2.28, no json-c
#                           function newer than 0.11
#   userland.sh run BIN     BIN --help runs with Debian 11's libnl/json-c

set -eu

CACHE=${D0G_CACHE:-/var/cache/dom0gpu}
ROOT=$CACHE/userland-bullseye/root
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*"; exit 1; }

# glibc releases after 2.17 add functions with their own symbol version,
# e.g. getrandom, explicit_bzero (2.25), reallocarray (2.26),
# memfd_create (2.27), so the newest version a program needs is the oldest
# glibc it runs on.
GLIBC_MAX=2.17

# json-c functions that 0.11 (CentOS 7) does not have, with the release
# that added them (json-c's release notes and headers). json-c 0.14+
# exports everything under JSONC_0.14, so symbol versions cannot tell.
JSONC_NEWER="json_object_new_double_s:0.12 json_object_double_to_json_string:0.12
json_c_version:0.12 json_c_version_num:0.12
json_object_object_add_ex:0.13 json_object_to_json_string_length:0.13
json_object_set_boolean:0.13 json_object_set_int:0.13 json_object_set_int64:0.13
json_object_set_double:0.13 json_object_set_string:0.13 json_object_set_string_len:0.13
json_object_int_inc:0.13 json_object_equal:0.13 json_object_deep_copy:0.13
json_object_array_del_idx:0.13 json_object_array_bsearch:0.13
json_object_get_userdata:0.13 json_object_set_userdata:0.13
json_object_to_fd:0.13 json_object_from_fd:0.13 json_util_get_last_err:0.13
json_c_visit:0.13 json_pointer_get:0.13 json_pointer_getf:0.13
json_pointer_set:0.13 json_pointer_setf:0.13 json_c_object_sizeof:0.13
json_c_set_serialization_double_format:0.13 json_global_set_string_hash:0.13
json_object_new_uint64:0.14 json_object_get_uint64:0.14 json_object_set_uint64:0.14
json_parse_uint64:0.14
json_tokener_get_parse_end:0.15 json_object_new_array_ext:0.15
json_object_array_shrink:0.15 json_object_from_fd_ex:0.15
json_object_new_null:0.17"

# libnl-3 functions after 3.2.28 (libnl-3.sym version nodes libnl_3_2_29
# and later; libnl-genl-3 added none up to 3.4). Newer ones than 3.4 fail
# to link against Debian 11's libnl already.
LIBNL_NEWER="nl_cache_include_v2:3.2.29 nl_cache_mngr_add_cache_v2:3.2.29
nl_strerror_l:3.2.29"

cmd=$1 arg=$2

case $cmd in
build)
	out=$(mkdir -p "$arg" && cd "$arg" && pwd)
	[ -f "$CACHE/userland-bullseye/.done" ] || "$here/fetch-userland.sh"
	[ -f tools/Makefile ] || fail "no tools/Makefile"
	# tools/Makefile's compiler and C standard, replaced: Debian 11's
	# headers and libraries first (-L: Debian 11 keeps libnl in /lib, which
	# libnl's .pc file does not name), C99 with GNU extensions (gcc 4.8 has
	# no complete C11), C11-only constructs reported but not fatal here
	# (c-subset judges them).
	cc="gcc --sysroot=$ROOT -L$ROOT/lib/x86_64-linux-gnu -L$ROOT/usr/lib/x86_64-linux-gnu"
	rm -rf "$out/obj"
	PKG_CONFIG_LIBDIR=$ROOT/usr/lib/x86_64-linux-gnu/pkgconfig:$ROOT/usr/share/pkgconfig \
	PKG_CONFIG_SYSROOT_DIR=$ROOT \
		make -C tools O="$out/obj" CC="$cc" \
		STD="-std=gnu99 -Wc99-c11-compat -Wno-error=c99-c11-compat" \
		> "$out/cc.log" 2>&1 || {
		cat "$out/cc.log"; fail "dom0gpu-stat does not build as gnu99 against Debian 11's glibc/libnl/json-c"
	}
	cp "$out/obj/dom0gpu-stat" "$out/dom0gpu-stat"
	echo "# built as gnu99 against glibc 2.31, libnl 3.4, json-c 0.15 (Debian 11)"
	;;
c-subset)
	log=$arg/cc.log
	[ -f "$log" ] || fail "no build log $log (userland.sh build first)"
	bad=$(grep -E "ISO C99 does not support .(_Generic|_Atomic|_Thread_local)" "$log" || true)
	[ -z "$bad" ] || { echo "$bad"; fail "C11 features gcc 4.8 lacks (added in gcc 4.9)"; }
	# Comments stripped, macros not expanded: what the sources spell out.
	hits=
	for f in tools/*.c tools/*.h; do
		t=$(gcc -fpreprocessed -dD -E -P -x c "$f" 2>/dev/null |
			grep -nwE '__builtin_(add|sub|mul)_overflow|__has_include|__has_attribute|__auto_type|fallthrough|__fallthrough__' |
			sed "s|^|$f:|") || true
		i=$(grep -nE '#[[:space:]]*include[[:space:]]*<(stdatomic|threads)\.h>' "$f" |
			sed "s|^|$f:|") || true
		hits="$hits${t:+$t
}${i:+$i
}"
	done
	[ -z "$hits" ] || { printf '%s' "$hits"; fail "gcc >= 4.9 builtins or C11 headers gcc 4.8/glibc 2.17 lack"; }
	n=$(grep -c 'ISO C99' "$log" || true)
	echo "# no _Generic/_Atomic/_Thread_local, overflow builtins, __has_include, <stdatomic.h>, <threads.h> ($n C11 constructs gcc 4.8 has, e.g. _Static_assert)"
	;;
glibc)
	[ -f "$arg" ] || fail "no binary $arg"
	too_new=$(objdump -T "$arg" | awk -v max="$GLIBC_MAX" '
		/\*UND\*/ && match($0, /GLIBC_[0-9.]+/) {
			v = substr($0, RSTART + 6, RLENGTH - 6)
			split(v, a, "."); split(max, m, ".")
			if (a[1] > m[1] || (a[1] == m[1] && a[2] + 0 > m[2] + 0))
				print $NF "@GLIBC_" v
		}')
	[ -z "$too_new" ] || fail "needs glibc newer than $GLIBC_MAX: $(echo $too_new)"
	newest=$(objdump -T "$arg" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)
	echo "# newest glibc symbol version needed: $newest (CentOS 7 has 2.17)"
	;;
libs)
	[ -f "$arg" ] || fail "no binary $arg"
	und=$(objdump -T "$arg" | awk '/\*UND\*/ { print $NF }' | sort -u)
	bad=
	for e in $JSONC_NEWER $LIBNL_NEWER; do
		echo "$und" | grep -qx "${e%:*}" && bad="$bad ${e%:*} (${e#*:})"
	done
	[ -z "$bad" ] || fail "uses functions CentOS 7's json-c 0.11 / libnl 3.2.28 lack:$bad"
	nj=$(echo "$und" | grep -c '^json_' || true)
	nn=$(echo "$und" | grep -cE '^(nl|nla|nlmsg|genl|genlmsg)_' || true)
	echo "# $nj json-c and $nn libnl functions used, none newer than json-c 0.11 / libnl 3.2.28"
	;;
run)
	[ -f "$arg" ] || fail "no binary $arg"
	libs=$(dirname "$arg")/libs
	rm -rf "$libs"; mkdir -p "$libs"
	for l in "$ROOT"/lib/x86_64-linux-gnu/libnl-*.so.* \
		"$ROOT"/usr/lib/x86_64-linux-gnu/libjson-c.so.*; do
		ln -sf "$l" "$libs/"
	done
	LD_LIBRARY_PATH=$libs "$arg" --help > "$libs/help.txt" 2>&1 ||
		{ cat "$libs/help.txt"; fail "$arg --help failed with Debian 11's libnl/json-c"; }
	used=$(LD_LIBRARY_PATH=$libs ldd "$arg" | grep -E 'libnl|json-c' | grep -c "$libs" || true)
	[ "$used" -ge 2 ] || fail "ldd does not show Debian 11's libnl/json-c in use"
	echo "# dom0gpu-stat --help runs with Debian 11's libnl 3.4 and json-c 0.15"
	;;
*)
	echo "usage: userland.sh build|c-subset|glibc|libs|run ARG" >&2
	exit 2
	;;
esac
