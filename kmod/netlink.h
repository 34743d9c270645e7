/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DOM0GPU_NETLINK_H
#define _DOM0GPU_NETLINK_H

/* The "dom0gpu" generic netlink family (uapi/dom0gpu.yaml). */
int d0g_netlink_init(void);
void d0g_netlink_uninit(void);

#endif /* _DOM0GPU_NETLINK_H */
