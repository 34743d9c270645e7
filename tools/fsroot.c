// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsroot.h"

static char root[512] = "";

void fsroot_set(const char *dir)
{
	size_t n;

	snprintf(root, sizeof(root), "%s", dir);
	n = strlen(root);
	while (n > 0 && root[n - 1] == '/')
		root[--n] = '\0';
}

const char *fsroot_get(void)
{
	return root[0] ? root : "/";
}

bool fsroot_is_host(void)
{
	return !root[0];
}

const char *fsroot_path(const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", root, path);
	return buf;
}

int fsroot_open(const char *path, int flags)
{
	char p[1024];

	return open(fsroot_path(path, p, sizeof(p)), flags | O_CLOEXEC);
}

bool fsroot_exists(const char *path)
{
	char p[1024];

	return access(fsroot_path(path, p, sizeof(p)), F_OK) == 0;
}

ssize_t fsroot_read(const char *path, char *buf, size_t len)
{
	size_t off = 0;
	int fd, err;

	if (!len)
		return -EINVAL;
	fd = fsroot_open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	while (off < len - 1) {
		ssize_t n = read(fd, buf + off, len - 1 - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			close(fd);
			buf[0] = '\0';
			return -err;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	return (ssize_t)off;
}

void str_trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

ssize_t fsroot_read_line(const char *path, char *buf, size_t len)
{
	ssize_t n = fsroot_read(path, buf, len);

	if (n < 0)
		return n;
	str_trim(buf);
	return (ssize_t)strlen(buf);
}

char *fsroot_slurp(const char *path, size_t *lenp)
{
	return fsroot_slurp_until(path, NULL, lenp);
}

char *fsroot_slurp_until(const char *path, const char *stop, size_t *lenp)
{
	size_t keep = stop ? strlen(stop) - 1 : 0;
	size_t cap = 4096, off = 0;
	char *buf, *nb;
	int fd, err;

	fd = fsroot_open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	if (!buf)
		goto fail;
	for (;;) {
		ssize_t n;

		if (cap - off < 2) {
			if (cap >= FSROOT_MAX_FILE) {
				errno = EFBIG;
				goto fail;
			}
			nb = realloc(buf, cap * 2);
			if (!nb)
				goto fail;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + off, cap - 1 - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		/* The stop string may straddle two reads. */
		buf[off + (size_t)n] = '\0';
		if (stop && strstr(buf + (off > keep ? off - keep : 0), stop)) {
			off += (size_t)n;
			break;
		}
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	if (lenp)
		*lenp = off;
	return buf;
fail:
	err = errno;
	free(buf);
	close(fd);
	errno = err;
	return NULL;
}

ssize_t fsroot_readlink(const char *path, char *buf, size_t len)
{
	char p[1024];
	ssize_t n;

	if (!len)
		return -EINVAL;
	n = readlink(fsroot_path(path, p, sizeof(p)), buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

bool parse_u64(const char *s, unsigned long long *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return !errno && end != s && *end == '\0';
}

static int cpu_dir_filter(const struct dirent *d)
{
	return isdigit((unsigned char)d->d_name[0]);
}

static int cpu_dir_cmp(const struct dirent **a, const struct dirent **b)
{
	return atoi((*a)->d_name) - atoi((*b)->d_name);
}

int fsroot_scan_cpus(const char *path, struct dirent ***list)
{
	char buf[1024];

	return scandir(fsroot_path(path, buf, sizeof(buf)), list, cpu_dir_filter, cpu_dir_cmp);
}
