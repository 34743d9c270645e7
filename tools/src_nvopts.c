// SPDX-License-Identifier: GPL-2.0
/*
 * NVreg_UsePageAttributeTable, from every place it reaches the driver, and
 * which one wins:
 *
 * - Once nvidia is loaded, /proc/driver/nvidia/params shows the value it
 *   runs with (nv-procfs.c prints every registry parameter as "%s: %u").
 *   That is the one that counts until it is reloaded.
 * - Before that, modprobe builds its argument string (libkmod,
 *   kmod_config_new()): every *.conf of /etc/modprobe.d, /run/modprobe.d,
 *   /usr/local/lib/modprobe.d, /usr/lib/modprobe.d and /lib/modprobe.d,
 *   merged and sorted by file name, a name already seen in an earlier
 *   directory skipped; their "options nvidia ..." lines in that order,
 *   then the kernel command line's nvidia.<param>=<value> options. The
 *   kernel applies the arguments left to right (parse_args()), so the last
 *   setting wins, and the command line beats every file.
 *
 * The parameter is an int (module_param(x, int, 0) in nv-linux.h): a value
 * kstrtoint() rejects makes the module refuse to load. 0 disables the PAT,
 * -1 (~0, the default) and anything else leave the decision to the driver
 * (nv-pat.c, nv_init_pat_support()).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsroot.h"
#include "source.h"

#define NVOPT_PARAM	"NVreg_UsePageAttributeTable"
#define NVOPT_MAX	16

struct nvopt {
	char value[32];
	char where[REPORT_FROM_LEN];
	enum src src;
};

struct nvopts {
	struct nvopt set[NVOPT_MAX];
	unsigned int n, dropped;
};

/* libkmod's default configuration directories, highest priority first. */
static const char *const modprobe_dirs[] = {
	"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
	"/usr/lib/modprobe.d", "/lib/modprobe.d",
};

static void nvopt_add(struct nvopts *o, const char *value, size_t len, enum src src,
		      const char *where)
{
	struct nvopt *s;

	if (o->n == NVOPT_MAX) {
		/* Keep the last ones: they are the ones that win. */
		memmove(&o->set[0], &o->set[1], sizeof(o->set[0]) * (NVOPT_MAX - 1));
		o->n--;
		o->dropped++;
	}
	s = &o->set[o->n++];
	snprintf(s->value, sizeof(s->value), "%.*s", (int)(len < 31 ? len : 31), value);
	snprintf(s->where, sizeof(s->where), "%s", where);
	s->src = src;
}

/* The kernel's parameq(): '-' and '_' are the same in parameter names. */
static bool param_is(const char *name, size_t len, const char *want)
{
	size_t i;

	if (len != strlen(want))
		return false;
	for (i = 0; i < len; i++) {
		char a = name[i] == '-' ? '_' : name[i], b = want[i] == '-' ? '_' : want[i];

		if (a != b)
			return false;
	}
	return true;
}

/*
 * One module argument string, split as the kernel's next_arg() does
 * (blanks separate, double quotes group), nvidia's setting taken from it.
 */
static void scan_args(struct nvopts *o, const char *args, enum src src, const char *where)
{
	const char *p = args;

	while (*p) {
		const char *start, *eq, *val;
		bool quoted = false;
		size_t n, vlen;

		p += strspn(p, " \t\n");
		if (!*p)
			break;
		start = p;
		while (*p && (quoted || !strchr(" \t\n", *p))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		n = (size_t)(p - start);
		eq = memchr(start, '=', n);
		if (!eq || !param_is(start + (*start == '"'), (size_t)(eq - start) - (*start == '"'),
				     NVOPT_PARAM))
			continue;
		val = eq + 1;
		vlen = n - (size_t)(val - start);
		if (vlen && *val == '"') {
			val++;
			vlen--;
		}
		if (vlen && val[vlen - 1] == '"')
			vlen--;
		nvopt_add(o, val, vlen, src, where);
	}
}

/* libkmod's underscores(): module names compare with '-' as '_'. */
static bool module_is_nvidia(const char *name, size_t len)
{
	return param_is(name, len, "nvidia");
}

/* "options <module> <args>" lines, libkmod's kmod_config_parse(). */
static void scan_conf(struct nvopts *o, const char *path)
{
	char *conf = fsroot_slurp(path, NULL), *line, *next;
	unsigned int lineno = 0;

	for (line = conf; line && *line; line = next) {
		char where[REPORT_FROM_LEN];
		const char *p;
		size_t n;

		next = line + strcspn(line, "\n");
		/* A backslash before the newline continues the line. */
		while (*next && next > line && next[-1] == '\\') {
			next[-1] = ' ';
			*next = ' ';
			next += strcspn(next, "\n");
			lineno++;
		}
		if (*next)
			*next++ = '\0';
		lineno++;
		if (line[0] == '#')
			continue;
		p = line + strspn(line, " \t");
		n = strcspn(p, " \t");
		if (n != 7 || strncmp(p, "options", 7))
			continue;
		p += n;
		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (!module_is_nvidia(p, n))
			continue;
		snprintf(where, sizeof(where), "%s:%u", path, lineno);
		scan_args(o, p + n, SRC_MODPROBE, where);
	}
	free(conf);
}

static int conf_name_cmp(const void *a, const void *b)
{
	return strcmp(strrchr(*(char *const *)a, '/') + 1, strrchr(*(char *const *)b, '/') + 1);
}

static bool conf_name(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len >= 6 && !strcmp(name + len - 5, ".conf");
}

static void scan_modprobe_d(struct nvopts *o)
{
	char *files[512];
	unsigned int nf = 0, d, i, k;

	for (d = 0; d < sizeof(modprobe_dirs) / sizeof(modprobe_dirs[0]); d++) {
		struct dirent **list = NULL;
		char dir[1024];
		int n, j;

		n = scandir(fsroot_path(modprobe_dirs[d], dir, sizeof(dir)), &list, NULL, alphasort);
		for (j = 0; j < n; j++) {
			const char *name = list[j]->d_name;
			bool dup = false;

			for (k = 0; k < nf && !dup; k++)
				dup = !strcmp(strrchr(files[k], '/') + 1, name);
			/* The same name in a later directory is ignored. */
			if (conf_name(name) && !dup && nf < sizeof(files) / sizeof(files[0]) &&
			    asprintf(&files[nf], "%s/%s", modprobe_dirs[d], name) >= 0)
				nf++;
			free(list[j]);
		}
		free(list);
	}
	qsort(files, nf, sizeof(files[0]), conf_name_cmp);
	for (i = 0; i < nf; i++) {
		scan_conf(o, files[i]);
		free(files[i]);
	}
}

/* nvidia.<param>=<value> on the kernel command line, as libkmod reads it. */
static void scan_cmdline(struct nvopts *o)
{
	static const char path[] = "/proc/cmdline";
	char buf[4096], args[4096] = "";
	const char *p = buf;

	if (fsroot_read_line(path, buf, sizeof(buf)) <= 0)
		return;
	while (*p) {
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n > 7 && module_is_nvidia(p, 6) && p[6] == '.') {
			size_t o2 = strlen(args);

			snprintf(args + o2, sizeof(args) - o2, " %.*s", (int)(n - 7), p + 7);
		}
		p += n;
	}
	scan_args(o, args, SRC_PROC_CMDLINE, path);
}

/* The kernel's kstrtoint(s, 0): sign, 0x hex or 0 octal, one trailing newline. */
static bool kernel_int(const char *s, long long *out)
{
	char *end;
	long long v;

	if (!*s || *s == ' ' || *s == '\t')
		return false;
	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || end == s || (*end && strcmp(end, "\n")) || v < INT_MIN || v > INT_MAX)
		return false;
	*out = v;
	return true;
}

/* What the running driver was given. */
static bool read_params(struct report *r)
{
	static const char ppath[] = "/proc/driver/nvidia/params";
	unsigned long long v;
	char buf[4096], num[32], *p;

	if (fsroot_read(ppath, buf, sizeof(buf)) <= 0 || !(p = strstr(buf, "UsePageAttributeTable:")))
		return false;
	p += strlen("UsePageAttributeTable:");
	p += strspn(p, " ");
	snprintf(num, sizeof(num), "%.*s", (int)strcspn(p, " \n"), p);
	if (!parse_u64(num, &v))
		return false;
	fact_set_int(r, F_NVIDIA_USE_PAT, (int64_t)v, SRC_PROC_NVIDIA, ppath);
	return true;
}

static void nvopts_explain(struct report *r, const struct nvopts *o, bool loaded)
{
	char list[512] = "";
	unsigned int i;

	for (i = 0; i < o->n; i++) {
		size_t off = strlen(list);

		snprintf(list + off, sizeof(list) - off, "%s%s=%s (%s)", i ? ", " : "",
			 NVOPT_PARAM, o->set[i].value, o->set[i].where);
	}
	if (loaded)
		report_note(r, "nvidia is loaded: /proc/driver/nvidia/params holds the value it runs "
			    "with; its next load gets, in this order, the last one winning: %s", list);
	else if (o->n > 1 || o->dropped)
		report_note(r, "modprobe passes %s%s, in this order (configuration files sorted by "
			    "name, then the kernel command line): the last one wins", o->dropped ?
			    "the last of several settings: " : "", list);
}

void src_nvopts_collect(struct report *r)
{
	const struct nvopt *last;
	struct nvopts o;
	long long v;
	bool loaded;

	memset(&o, 0, sizeof(o));
	loaded = read_params(r);
	scan_modprobe_d(&o);
	scan_cmdline(&o);
	if (o.n)
		nvopts_explain(r, &o, loaded);
	if (loaded || !o.n)
		return;
	last = &o.set[o.n - 1];
	if (!kernel_int(last->value, &v)) {
		report_note(r, "%s=%s (%s) is not an int: nvidia will refuse to load", NVOPT_PARAM,
			    last->value, last->where);
		return;
	}
	fact_set_int(r, F_NVIDIA_USE_PAT, v, last->src, last->where);
}
