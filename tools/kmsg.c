// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel log, from klogctl(2) in one call ("<prio>[ ts] text") when
 * its first line is the oldest record /dev/kmsg holds (nothing cleared or
 * cut off), else from /dev/kmsg (one record per read, "prio,seq,ts,flags;
 * text" with " KEY=value" continuation lines), else from klogctl alone.
 * klogctl's text is escaped as /dev/kmsg escapes it, so the lines seen are
 * the same. A plain text file in a test tree's dev/kmsg is read as /dev/kmsg.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
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

	if (size <= 0 || size > KMSG_MAX)
		return NULL;
	/* The "<prio>[ ts] " prefixes make the text longer than the buffer. */
	size *= 2;
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

static bool kmsg_needs_escape(unsigned char c)
{
	return c < ' ' || c >= 127 || c == '\\';
}

/* @text as /dev/kmsg writes it (\xNN for control, non-ASCII and '\\'). */
static const char *kmsg_escape(const char *text, char *out, size_t len)
{
	size_t o = 0;
	const char *p;

	for (p = text; *p; p++)
		if (kmsg_needs_escape((unsigned char)*p))
			break;
	if (!*p)
		return text;
	for (p = text; *p && o + 5 < len; p++) {
		unsigned char c = (unsigned char)*p;

		if (kmsg_needs_escape(c))
			o += (size_t)snprintf(out + o, len - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

/* The text of the oldest record /dev/kmsg holds, into @out; false if none. */
static bool kmsg_first_record(char *out, size_t len)
{
	char rec[8192], *text, *nl;
	ssize_t n;
	int fd;

	fd = fsroot_open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return false;
	do
		n = read(fd, rec, sizeof(rec) - 1);
	while (n < 0 && (errno == EINTR || errno == EPIPE));
	close(fd);
	if (n <= 0)
		return false;
	rec[n] = '\0';
	nl = strchr(rec, '\n');
	if (nl)
		*nl = '\0';
	text = kmsg_text(rec);
	if (!text)
		return false;
	snprintf(out, len, "%s", text);
	return true;
}

/*
 * The whole log from klogctl if it starts at /dev/kmsg's oldest record:
 * otherwise it was cleared (dmesg -C) or cut to fit, and /dev/kmsg has more.
 */
static char *kmsg_read_klogctl_whole(size_t *lenp)
{
	char first[8192], esc[8192], line[8192];
	char *buf;
	size_t n;

	if (!kmsg_first_record(first, sizeof(first)))
		return NULL;
	buf = kmsg_read_klogctl(lenp);
	if (!buf)
		return NULL;
	n = strcspn(buf, "\n");
	snprintf(line, sizeof(line), "%.*s", (int)n, buf);
	if (!strcmp(kmsg_escape(kmsg_text(line), esc, sizeof(esc)), first))
		return buf;
	free(buf);
	return NULL;
}

int kmsg_foreach(int (*cb)(const char *line, void *arg), void *arg, char *from, size_t fromlen)
{
	char *buf = NULL, *line, *save = NULL, esc[8192];
	bool escape = false;
	size_t len = 0;
	int ret = 0;

	if (fsroot_is_host()) {
		buf = kmsg_read_klogctl_whole(&len);
		snprintf(from, fromlen, "klogctl");
		escape = true;
	}
	if (!buf) {
		buf = kmsg_read_dev(&len);
		snprintf(from, fromlen, "/dev/kmsg");
		escape = false;
	}
	if (!buf && fsroot_is_host()) {
		int err = errno;

		buf = kmsg_read_klogctl(&len);
		snprintf(from, fromlen, "klogctl");
		escape = true;
		if (!buf)
			errno = err;
	}
	if (!buf)
		return -errno;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *text = kmsg_text(line);

		if (text && escape)
			text = kmsg_escape(text, esc, sizeof(esc));
		if (text && cb(text, arg)) {
			ret = 1;
			break;
		}
	}
	free(buf);
	return ret;
}
