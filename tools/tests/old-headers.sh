#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Compiles every dom0gpu-stat source against the headers of CentOS 7's
# libraries (json-c 0.11, libnl 3.2.28), as gcc 4.8 would be asked to:
# -std=c11 and -std=gnu99 -pedantic-errors. The library sources are not
# part of this tree; pass checkouts of the release tags:
#   git clone https://github.com/json-c/json-c     (tag json-c-0.11-20130402)
#   git clone https://github.com/thom311/libnl     (tag libnl3_2_28)
# Usage: old-headers.sh JSONC_CHECKOUT LIBNL_CHECKOUT
# Prints TAP; exits 1 on failure.

JC=${1:?usage: old-headers.sh JSONC_CHECKOUT LIBNL_CHECKOUT}
NL=${2:?usage: old-headers.sh JSONC_CHECKOUT LIBNL_CHECKOUT}
HERE=$(cd "$(dirname "$0")/.." && pwd)
CC=${CC:-cc}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

mkdir -p "$T/json-c"
(cd "$JC" && git archive json-c-0.11-20130402 '*.h' json_config.h.in) | tar -x -C "$T/json-c" || exit 1
sed 's/#undef JSON_C_HAVE_INTTYPES_H/#define JSON_C_HAVE_INTTYPES_H 1/' \
	"$T/json-c/json_config.h.in" >"$T/json-c/json_config.h"
(cd "$NL" && git archive libnl3_2_28 include/netlink) | tar -x -C "$T" || exit 1
sed 's/@PACKAGE_STRING@/libnl 3.2.28/; s/@PACKAGE_VERSION@/3.2.28/; s/@MAJ_VERSION@/3/;
     s/@MIN_VERSION@/2/; s/@MIC_VERSION@/28/; s/@LT_[A-Z]*@/0/' \
	"$T/include/netlink/version.h.in" >"$T/include/netlink/version.h"

n=0
failed=0
echo "TAP version 13"
for std in "-std=c11" "-std=gnu99 -pedantic-errors"; do
	for f in "$HERE"/*.c "$HERE"/../kmod/nvpat.c; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		if $CC $std -Wall -Wextra -Werror -D_GNU_SOURCE= -I"$HERE/../uapi" -I"$T" \
			-I"$T/include" -fsyntax-only "$f" 2>"$T/err"; then
			echo "ok $n $(basename "$f") $std, json-c 0.11 and libnl 3.2.28 headers"
		else
			failed=$((failed + 1))
			echo "not ok $n $(basename "$f") $std, json-c 0.11 and libnl 3.2.28 headers"
			sed 's/^/# /' "$T/err"
		fi
	done
done
echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
