// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel log, from /dev/kmsg (one record per read, "prio,seq,ts,flags;
 * text" with " KEY=value" continuation lines) or, where that is refused,
 * from klogctl(2) ("<prio>[ ts] text"). A plain text file in a test tree's
 * dev/kmsg is read the same way.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "fsroot.h"
#include "source.h"

#define KMSG_MAX	(16 << 20)
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

static char *kmsg_read_dev(size_t *lenp)
{
	size_t cap = 1 << 16, off = 0;
	char *buf = malloc(cap), *nb;
	int fd, err = 0;

	if (!buf)
		return NULL;
	fd = fsroot_open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		err = errno;
		free(buf);
		errno = err;
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (cap - off < 8192 + 1) {
			if (cap >= KMSG_MAX)
				break;
			nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + off, 8192);
		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue;	/* EPIPE: records overwritten meanwhile */
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			err = errno;
			break;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	if (err && !off) {
		free(buf);
		errno = err;
		return NULL;
	}
	buf[off] = '\0';
	*lenp = off;
	return buf;
}

static char *kmsg_read_klogctl(size_t *lenp)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *buf;
	int n;

	if (size <= 0)
		return NULL;
	buf = malloc((size_t)size + 1);
	if (!buf)
		return NULL;
	n = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (n < 0) {
		int err = errno;

		free(buf);
		errno = err;
		return NULL;
	}
	buf[n] = '\0';
	*lenp = (size_t)n;
	return buf;
}

/* The message text of one line in either format; NULL for continuation lines. */
static char *kmsg_text(char *line)
{
	char *p = line, *semi;

	if (*line == ' ')
		return NULL;
	if (isdigit((unsigned char)*p)) {
		semi = strchr(p, ';');
		if (semi && strspn(p, "0123456789,-+cC") == (size_t)(semi - p))
			return semi + 1;
	}
	if (*p == '<') {
		p = strchr(p, '>');
		p = p ? p + 1 : line;
	}
	if (*p == '[') {
		char *q = strchr(p, ']');

		if (q) {
			p = q + 1;
			if (*p == ' ')
				p++;
		}
	}
	return p;
}

int kmsg_foreach(int (*cb)(const char *line, void *arg), void *arg, char *from, size_t fromlen)
{
	char *buf, *line, *save = NULL;
	size_t len = 0;
	int ret = 0;

	buf = kmsg_read_dev(&len);
	snprintf(from, fromlen, "/dev/kmsg");
	if (!buf && fsroot_is_host()) {
		int err = errno;

		buf = kmsg_read_klogctl(&len);
		snprintf(from, fromlen, "klogctl");
		if (!buf)
			errno = err;
	}
	if (!buf)
		return -errno;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *text = kmsg_text(line);

		if (text && cb(text, arg)) {
			ret = 1;
			break;
		}
	}
	free(buf);
	return ret;
}
