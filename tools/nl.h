/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the netlink source and --watch. */
#ifndef DOM0GPU_STAT_NL_H
#define DOM0GPU_STAT_NL_H

struct nl_sock;

/* A connected generic netlink socket and the family id, or NULL if the module is not loaded. */
struct nl_sock *nl_open(int *family);

#endif /* DOM0GPU_STAT_NL_H */
