// SPDX-License-Identifier: GPL-2.0
/*
 * The shell files grub-mkconfig sources, evaluated for GRUB_CMDLINE_XEN and
 * GRUB_CMDLINE_XEN_DEFAULT. Evaluated, as sh does: comments, backslash-
 * newline, commands separated by ";", and outside if/case/loops/functions/
 * braces an assignment NAME=WORD (or export NAME=WORD) to either variable
 * whose WORD is made of '...', "..." (\ quotes $ ` " \), bare characters
 * and $NAME or ${NAME} of these two variables (empty while unset); the
 * last assignment wins and VAR="$VAR more" appends. Whatever else names
 * either variable (an assignment under if or after && or ||, unset, read),
 * another variable's or a command's expansion in their value, ". FILE",
 * source, eval, a here-document or an unterminated quote leaves them
 * unknown, and grub_defaults.unknown says where.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsroot.h"
#include "grub_defaults.h"

#define NAME_XEN		"GRUB_CMDLINE_XEN"
#define NAME_XEN_DEFAULT	"GRUB_CMDLINE_XEN_DEFAULT"

struct eval {
	struct grub_defaults *g;
	const char *file;
	int line;
	int depth;		/* open if/case/loop/brace/subshell bodies */
};

static bool unknown(struct eval *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records the first construct not evaluated; false, for "return unknown(...)". */
static bool unknown(struct eval *e, const char *fmt, ...)
{
	struct grub_defaults *g = e->g;
	size_t o;
	va_list ap;

	if (g->unknown[0])
		return false;
	o = (size_t)snprintf(g->unknown, sizeof(g->unknown), "%s:%d: ", e->file, e->line);
	if (o >= sizeof(g->unknown))
		return false;
	va_start(ap, fmt);
	vsnprintf(g->unknown + o, sizeof(g->unknown) - o, fmt, ap);
	va_end(ap);
	return false;
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static struct grub_var *var_named(struct grub_defaults *g, const char *p, size_t n)
{
	if (n == strlen(NAME_XEN) && !strncmp(p, NAME_XEN, n))
		return &g->xen;
	if (n == strlen(NAME_XEN_DEFAULT) && !strncmp(p, NAME_XEN_DEFAULT, n))
		return &g->xen_default;
	return NULL;
}

/* Does s name either variable (as a whole name, not as part of a longer one)? */
static bool mentions(const char *s)
{
	const char *p = s;

	while ((p = strstr(p, NAME_XEN))) {
		const char *end = p + strlen(NAME_XEN);

		if (!strncmp(end, "_DEFAULT", 8))
			end += 8;
		if ((p == s || !name_char(p[-1])) && !name_char(*end))
			return true;
		p = end;
	}
	return false;
}

static bool append(struct eval *e, char *out, size_t *o, const char *s, size_t n)
{
	if (*o + n >= GRUB_VAR_LEN)
		return unknown(e, "a value longer than %d characters", GRUB_VAR_LEN - 1);
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
	return true;
}

/* $NAME or ${NAME} at *pp (on the '$'), for one of the two variables. */
static bool expand(struct eval *e, const char **pp, char *out, size_t *o)
{
	const char *n = *pp + 1;
	bool brace = *n == '{';
	const struct grub_var *v;
	size_t k = 0;

	if (brace)
		n++;
	while (name_char(n[k]))
		k++;
	if (!k && !brace && !strchr("({@*#?$!-", *n))
		return append(e, out, o, "$", 1);	/* sh keeps a lone $ */
	if (!k || isdigit((unsigned char)*n))
		return unknown(e, "\"$%c\" (only $%s and $%s are evaluated)", *n, NAME_XEN,
			       NAME_XEN_DEFAULT);
	if (brace && n[k] != '}')
		return unknown(e, "\"${%.*s%c\": only plain ${NAME} is evaluated", (int)k, n, n[k]);
	v = var_named(e->g, n, k);
	if (!v)
		return unknown(e, "the value uses $%.*s, which is not evaluated", (int)k, n);
	*pp = n + k + brace - 1;
	return append(e, out, o, v->value, strlen(v->value));
}

/* The WORD of NAME=WORD at p, evaluated into out; nothing may follow it. */
static bool eval_word(struct eval *e, const char *p, char *out, bool *expands)
{
	bool dq = false;
	size_t o = 0;

	out[0] = '\0';
	*expands = false;
	for (; *p && (dq || (*p != ' ' && *p != '\t')); p++) {
		if (!dq && *p == '\'') {
			const char *end = strchr(p + 1, '\'');

			if (!end)
				return unknown(e, "an unterminated '");
			if (!append(e, out, &o, p + 1, (size_t)(end - p - 1)))
				return false;
			p = end;
		} else if (*p == '"') {
			dq = !dq;
		} else if (*p == '\\' && p[1]) {
			if (!dq || strchr("$`\"\\", p[1]))
				p++;
			if (!append(e, out, &o, p, 1))
				return false;
		} else if (*p == '$') {
			*expands = true;
			if (!expand(e, &p, out, &o))
				return false;
		} else if (*p == '`' || (!dq && strchr("()<>", *p))) {
			return unknown(e, "\"%c\" in the value (only quotes and $NAME are evaluated)", *p);
		} else if (!append(e, out, &o, p, 1)) {
			return false;
		}
	}
	if (dq)
		return unknown(e, "an unterminated \"");
	p += strspn(p, " \t");
	if (*p)
		return unknown(e, "a command after the assignment (\"%s\")", p);
	return true;
}

/*
 * Cut the next command off *pp into cmd; *sep is the operator after it:
 * ';' for ";" or the end of the line, '&' for &&, ||, | or &. 1: a
 * command, 0: the line is done, -1: unknown.
 */
static int next_command(struct eval *e, const char **pp, char *cmd, size_t len, char *sep)
{
	const char *p = *pp, *start;
	int paren = 0;
	char q = 0;
	bool bt = false;
	size_t o = 0;

	if (!*p)
		return 0;
	*sep = ';';
	p += strspn(p, " \t");
	start = p;
	for (; *p; p++) {
		bool top = !q && !paren && !bt;

		if (q == '\'') {
			q = *p == '\'' ? 0 : q;
		} else if (*p == '\\' && p[1]) {
			if (o + 1 < len)
				cmd[o++] = *p;
			p++;
		} else if (*p == '\'' && !q) {
			q = '\'';
		} else if (*p == '"') {
			q = q ? 0 : '"';
		} else if (*p == '`') {
			bt = !bt;
		} else if (*p == '$' && p[1] == '(') {
			paren++;
		} else if (*p == ')' && paren) {
			paren--;
		} else if (top && *p == '#' && (p == start || p[-1] == ' ' || p[-1] == '\t')) {
			p += strlen(p);
			break;
		} else if (top && p[0] == '<' && p[1] == '<') {
			unknown(e, "a here-document");
			return -1;
		} else if (top && *p == ';') {
			p++;
			break;
		} else if (top && (*p == '|' || (*p == '&' && (p == start || (p[-1] != '>' &&
									      p[-1] != '<'))))) {
			*sep = '&';
			p += p[1] == *p ? 2 : 1;
			break;
		}
		if (o + 1 < len)
			cmd[o++] = *p;
	}
	cmd[o] = '\0';
	if (q || paren || bt) {
		unknown(e, "an unterminated quote or substitution");
		return -1;
	}
	*pp = p;
	return 1;
}

static bool word_is(const char *p, size_t n, const char *w)
{
	return n == strlen(w) && !strncmp(p, w, n);
}

/* One command, between the operators prev and next. */
static bool run_command(struct eval *e, const char *cmd, char prev, char next)
{
	const char *p = cmd;
	struct grub_var *v;
	char value[GRUB_VAR_LEN];
	bool expands;
	size_t n;

	/* Reserved words in command position, counted for the nesting. */
	for (;;) {
		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (word_is(p, n, "then") || word_is(p, n, "do") || word_is(p, n, "else") ||
		    word_is(p, n, "elif") || word_is(p, n, "!")) {
			p += n;
		} else if (word_is(p, n, "if") || word_is(p, n, "while") || word_is(p, n, "until") ||
			   word_is(p, n, "{") || word_is(p, n, "(")) {
			e->depth++;
			p += n;
		} else if (word_is(p, n, "for") || word_is(p, n, "case")) {
			e->depth++;
			if (mentions(p))
				return unknown(e, "\"%s\" names %s", cmd, NAME_XEN);
			return true;
		} else if (word_is(p, n, "fi") || word_is(p, n, "done") || word_is(p, n, "esac") ||
			   word_is(p, n, "}") || word_is(p, n, ")")) {
			if (--e->depth < 0)
				return unknown(e, "\"%.*s\" closes nothing", (int)n, p);
			p += n;
		} else if (word_is(p, n, "function") || (n > 2 && !strncmp(p + n - 2, "()", 2)) ||
			   !strncmp(p + n + strspn(p + n, " \t"), "()", 2)) {
			/* A function definition: its body opens with "{", counted above. */
			p += n;
			p += strspn(p, " \t");
			if (!strncmp(p, "()", 2))
				p += 2;
		} else {
			break;
		}
	}
	if (!*p)
		return true;
	if (word_is(p, n, ".") || word_is(p, n, "source") || word_is(p, n, "eval"))
		return unknown(e, "\"%s\": what it runs is not evaluated", cmd);
	if (word_is(p, n, "export")) {
		p += n;
		p += strspn(p, " \t");
		if (!strchr(p, '='))
			return true;	/* exporting changes no value */
	}
	n = 0;
	while (name_char(p[n]))
		n++;
	v = p[n] == '=' ? var_named(e->g, p, n) : NULL;
	if (!v) {
		if (mentions(p))
			return unknown(e, "\"%s\" names %s but is no plain assignment", cmd, NAME_XEN);
		return true;
	}
	if (e->depth || prev != ';' || next != ';')
		return unknown(e, "%.*s is assigned only under a condition (\"%s\")", (int)n, p, cmd);
	if (!eval_word(e, p + n + 1, value, &expands))
		return false;
	v->set = true;
	v->expands = expands;
	snprintf(v->value, sizeof(v->value), "%s", value);
	snprintf(v->file, sizeof(v->file), "%s", e->file);
	v->line = e->line;
	return true;
}

/* One logical line (continuations joined), command by command. */
static bool run_line(struct eval *e, const char *line)
{
	char cmd[GRUB_VAR_LEN * 2], sep, prev = ';';
	const char *p = line;
	int rc;

	while ((rc = next_command(e, &p, cmd, sizeof(cmd), &sep)) > 0) {
		if (!run_command(e, cmd, prev, sep))
			return false;
		prev = sep;
	}
	return rc == 0;
}

static void source_file(struct grub_defaults *g, const char *file)
{
	struct eval e = { .g = g, .file = file };
	char *text, *p, *logical;
	size_t len = 0;
	int next_line = 1;

	if (g->unknown[0])
		return;
	if (g->nr_files < GRUB_MAX_FILES)
		snprintf(g->files[g->nr_files++], GRUB_PATH_LEN, "%s", file);
	text = fsroot_slurp(file, NULL);
	if (!text) {
		unknown(&e, "unreadable");
		return;
	}
	logical = malloc(strlen(text) + 1);
	if (!logical) {
		unknown(&e, "out of memory");
		free(text);
		return;
	}
	for (p = text; *p; ) {
		size_t n = strcspn(p, "\n");

		if (!len)
			e.line = next_line;
		next_line++;
		memcpy(logical + len, p, n);
		len += n;
		p += n + (p[n] == '\n');
		/* backslash-newline: sh removes both and joins the lines */
		if (len && logical[len - 1] == '\\' && *p) {
			len--;
			continue;
		}
		logical[len] = '\0';
		len = 0;
		if (!run_line(&e, logical))
			break;
	}
	free(logical);
	free(text);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void grub_defaults_read(struct grub_defaults *g)
{
	char dir[1024], *names[64];
	unsigned int n = 0, i;
	struct dirent *d;
	DIR *dh;

	memset(g, 0, sizeof(*g));
	if (fsroot_exists("/etc/default/grub"))
		source_file(g, "/etc/default/grub");
	/*
	 * Debian's grub-mkconfig: for x in ${sysconfdir}/default/grub.d/\*.cfg;
	 * dash sorts the glob with strcmp. RHEL's grub2-mkconfig sources only
	 * /etc/default/grub, and there this folder does not exist.
	 */
	dh = opendir(fsroot_path("/etc/default/grub.d", dir, sizeof(dir)));
	if (!dh)
		return;
	while ((d = readdir(dh)) && n < 64) {
		size_t len = strlen(d->d_name);

		if (len > 4 && !strcmp(d->d_name + len - 4, ".cfg"))
			names[n++] = strdup(d->d_name);
	}
	closedir(dh);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n; i++) {
		char path[GRUB_PATH_LEN];

		if (!names[i])
			continue;
		snprintf(path, sizeof(path), "/etc/default/grub.d/%.160s", names[i]);
		source_file(g, path);
		free(names[i]);
	}
}

/*
 * 20_linux_xen (GRUB 2.06, Debian's and rhboot's alike) gives the default
 * and advanced Xen entries "${GRUB_CMDLINE_XEN} ${GRUB_CMDLINE_XEN_DEFAULT}"
 * and the recovery entries "${GRUB_CMDLINE_XEN}" alone; Xen takes the last
 * of repeated options, so GRUB_CMDLINE_XEN_DEFAULT's win.
 */
void grub_defaults_xen_line(const struct grub_defaults *g, char *buf, size_t len)
{
	const char *a = g->xen.value, *b = g->xen_default.value;

	snprintf(buf, len, "%s%s%s", a, *a && *b ? " " : "", b);
}
