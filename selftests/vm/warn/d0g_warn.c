// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test only: WARNs when loaded. The test VMs boot with
 * panic_on_warn=1, so the boot that loads this module must be reported
 * as failed; if it is not, a WARN in dom0gpu.ko would go unnoticed.
 */
#include <linux/module.h>

static int __init d0g_warn_init(void)
{
	WARN(1, "d0g_warn: deliberate WARN to prove the harness catches it\n");
	return 0;
}

module_init(d0g_warn_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("dom0gpu harness self-test: WARN in init");
