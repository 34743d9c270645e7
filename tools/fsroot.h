/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every path dom0gpu-stat reads resolves under one root prefix (--root),
 * so tests and support engineers can point it at a copied tree.
 */
#ifndef DOM0GPU_STAT_FSROOT_H
#define DOM0GPU_STAT_FSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Files larger than this are not read whole (a guard, not a limit in practice). */
#define FSROOT_MAX_FILE	(1 << 20)

void fsroot_set(const char *root);
const char *fsroot_get(void);
bool fsroot_is_host(void);		/* root is "/" */
/* The real path of @path (absolute, as on the host) under the root. */
const char *fsroot_path(const char *path, char *buf, size_t len);

int fsroot_open(const char *path, int flags);
bool fsroot_exists(const char *path);
/* Read a whole small file; returns its length or -errno. NUL terminated. */
ssize_t fsroot_read(const char *path, char *buf, size_t len);
/* As fsroot_read, with trailing whitespace removed. */
ssize_t fsroot_read_line(const char *path, char *buf, size_t len);
/* malloc'd contents (caller frees), or NULL with errno set. */
char *fsroot_slurp(const char *path, size_t *lenp);
/* As fsroot_slurp, but stops reading once the text holds stop. */
char *fsroot_slurp_until(const char *path, const char *stop, size_t *lenp);
ssize_t fsroot_readlink(const char *path, char *buf, size_t len);
/*
 * The entries of @path named by a CPU number (/dev/cpu/<n>, cpus/<n>), in
 * CPU order, as scandir(3) returns them: the count, or -1 with errno set.
 */
struct dirent;
int fsroot_scan_cpus(const char *path, struct dirent ***list);

void str_trim(char *s);
/* Parse a whole string as an unsigned number (base 0); false if not one. */
bool parse_u64(const char *s, unsigned long long *out);

#endif /* DOM0GPU_STAT_FSROOT_H */
