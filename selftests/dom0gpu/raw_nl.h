/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink and kernel log helpers shared by the fuzzer, the
 * stress test and the privilege test. No libnl: the fuzzer must be able to
 * send what no library would build, and the checks must not trust a
 * library's parser to reject what the module sends.
 */
#ifndef D0G_RAW_NL_H
#define D0G_RAW_NL_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/dom0gpu.h>

#define D0G_SYSFS	"/sys/kernel/dom0gpu/"
#define RNL_BUF		(64 * 1024)
#define RNL_TIMEOUT_MS	5000

/* What one request got back. */
struct rnl_result {
	int error;		/* positive errno of the final ack, 0 if none */
	int data;		/* data messages */
	bool done;		/* an ack, an error or NLMSG_DONE ended it */
};

static inline int rnl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

static inline void rnl_hdr(char *buf, uint16_t type, uint16_t flags,
			   uint32_t seq, uint8_t cmd, size_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = (struct genlmsghdr *)NLMSG_DATA(nlh);

	nlh->nlmsg_len = len;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;
	g->cmd = cmd;
	g->version = 1;
	g->reserved = 0;
}

/* Appends one attribute at buf + *off; returns its start. */
static inline struct nlattr *rnl_put(char *buf, size_t *off, uint16_t type,
				     const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(buf + *off);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	*off += NLA_ALIGN(a->nla_len);
	return a;
}

#define rnl_for_each(a, start, len)					\
	for (a = (struct nlattr *)(start);				\
	     (char *)(a) + NLA_HDRLEN <= (char *)(start) + (len) &&	\
	     (a)->nla_len >= NLA_HDRLEN &&				\
	     (char *)(a) + (a)->nla_len <= (char *)(start) + (len);	\
	     a = (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))

static inline void *rnl_data(const struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static inline int rnl_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static inline uint64_t rnl_uint(const struct nlattr *a)
{
	uint64_t v64 = 0;
	uint32_t v32 = 0;
	uint16_t v16 = 0;

	switch (rnl_len(a)) {
	case 1:
		return *(uint8_t *)rnl_data(a);
	case 2:
		memcpy(&v16, rnl_data(a), 2);
		return v16;
	case 4:
		memcpy(&v32, rnl_data(a), 4);
		return v32;
	case 8:
		memcpy(&v64, rnl_data(a), 8);
		return v64;
	}
	return UINT64_MAX;
}

/* The first attribute of a type among the attributes of a message or nest. */
static inline struct nlattr *rnl_find(const void *start, int len, int type)
{
	struct nlattr *a;

	rnl_for_each(a, start, len)
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
	return NULL;
}

static inline void *rnl_attrs(const struct nlmsghdr *nlh)
{
	return (char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
}

static inline int rnl_attrlen(const struct nlmsghdr *nlh)
{
	return (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
}

/*
 * Reads until the request with sequence number seq ends (ack, error,
 * NLMSG_DONE) or nothing comes for RNL_TIMEOUT_MS. Each data message is
 * passed to cb (may be NULL). Returns 0, or -ETIMEDOUT / -errno of recv.
 */
static inline int rnl_collect(int fd, uint32_t seq, struct rnl_result *res,
			      void (*cb)(const struct nlmsghdr *, void *),
			      void *arg)
{
	static char buf[RNL_BUF];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	memset(res, 0, sizeof(*res));
	while (!res->done) {
		struct nlmsghdr *nlh;
		ssize_t n;

		if (poll(&p, 1, RNL_TIMEOUT_MS) <= 0)
			return -ETIMEDOUT;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				res->error = -e->error;
				res->done = true;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				res->done = true;
			} else {
				res->data++;
				if (cb)
					cb(nlh, arg);
			}
		}
	}
	return 0;
}

/* rnl_collect() callback: the family id of a CTRL_CMD_NEWFAMILY reply. */
static inline void rnl_family_id(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *a = rnl_find(rnl_attrs(nlh), rnl_attrlen(nlh),
				    CTRL_ATTR_FAMILY_ID);

	if (a && rnl_len(a) == 2)
		*(int *)arg = (int)rnl_uint(a);
}

/* Resolves a generic netlink family: its id, or -ENOENT if not registered. */
static inline int rnl_family(int fd, const char *name)
{
	int id = -ENOENT;
	char req[256] __attribute__((aligned(4)));
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	struct rnl_result res;
	static uint32_t seq = 0x4000000;
	int err;

	rnl_put(req, &off, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	rnl_hdr(req, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, ++seq,
		CTRL_CMD_GETFAMILY, off);
	if (send(fd, req, off, 0) < 0)
		return -errno;
	err = rnl_collect(fd, seq, &res, rnl_family_id, &id);
	if (err)
		return err;
	if (res.error)
		return -res.error;
	return id;
}

/* A sysfs value of dom0gpu without its newline, or -errno. */
static inline int d0g_sysfs(const char *rel, char *buf, size_t size)
{
	char path[256];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "%s%s", D0G_SYSFS, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/*
 * Kernel log: open at its end, later report every new record that shows
 * a kernel bug (what run.py treats as fatal on the console, plus kmemleak).
 */
static inline int kmsg_open_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static inline bool kmsg_is_bug(const char *rec)
{
	static const char * const signs[] = {
		"WARNING:", "BUG:", "Oops", "KASAN", "UBSAN", "kmemleak:",
		"general protection fault", "Call Trace:", "Kernel panic",
		"possible circular locking", "suspicious RCU usage",
		"sleeping function called from invalid context",
	};
	unsigned int i;

	for (i = 0; i < sizeof(signs) / sizeof(signs[0]); i++)
		if (strstr(rec, signs[i]))
			return true;
	return false;
}

/* Number of new bad records, each printed as a diagnostic line. */
static inline int kmsg_bugs(int fd)
{
	char rec[8192];
	int bad = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (kmsg_is_bug(rec)) {
			bad++;
			printf("# kernel log: %s", rec);
		}
	}
	return bad;
}

#endif /* D0G_RAW_NL_H */
