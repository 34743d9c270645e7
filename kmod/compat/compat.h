/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place where kernel version differences are handled. Kbuild
 * probes the target tree (compat/Kbuild.include) and passes HAVE_* flags.
 */
#ifndef _DOM0GPU_COMPAT_H
#define _DOM0GPU_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 19, 0)
#error "dom0gpu supports Linux 4.19 and newer"
#endif

#endif /* _DOM0GPU_COMPAT_H */
