// SPDX-License-Identifier: GPL-2.0
/*
 * dom0gpu-stat: does this host let NVIDIA CUDA do real work, and if not,
 * why and what to change. The options are a table (opts[]): to add one,
 * append a row with its handler and help text; the action it selects, if
 * any, goes in struct cli and run().
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cuda_env.h"
#include "cuda_probe.h"
#include "cuda_report.h"
#include "dynload.h"
#include "fsroot.h"
#include "output.h"
#include "report_load.h"
#include "plan.h"
#include "rules.h"
#include "source.h"
#include "src_nvml.h"
#include "watch.h"

enum format { FMT_HUMAN, FMT_JSON, FMT_PROMETHEUS, FMT_DUMP };

struct cli {
	enum format format;
	const char *output;
	const char *explain;
	char **more_reports;	/* --explain's further reports (a fleet) */
	unsigned int nr_more_reports;
	bool fleet;
	bool watch;
	bool quiet;
	bool probe;
	double probe_timeout;	/* seconds; 0 until --timeout */
	bool load;
	bool plan;
	struct collect_opts collect;
};

struct opt {
	const char *name;
	int val;		/* short option letter */
	int has_arg;
	const char *arg;	/* argument name for --help */
	const char *help;
	int (*handle)(struct cli *c, const char *arg);	/* 0 or EXIT_USAGE */
};

static const char *prog = "dom0gpu-stat";

#define EXIT_DONE 255	/* a handler finished the job (help, version, rules) */

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try --help)\n");
}

static int set_format(struct cli *c, enum format f, const char *name)
{
	if (c->format != FMT_HUMAN && c->format != f) {
		usage_error("--%s conflicts with another output format", name);
		return EXIT_USAGE;
	}
	c->format = f;
	return 0;
}

static int h_json(struct cli *c, const char *a)
{
	(void)a;
	return set_format(c, FMT_JSON, "json");
}

static int h_prometheus(struct cli *c, const char *a)
{
	(void)a;
	return set_format(c, FMT_PROMETHEUS, "prometheus");
}

static int h_dump(struct cli *c, const char *a)
{
	(void)a;
	return set_format(c, FMT_DUMP, "dump");
}

static int h_output(struct cli *c, const char *a)
{
	if (!*a) {
		usage_error("--output needs a file name");
		return EXIT_USAGE;
	}
	c->output = a;
	return 0;
}

static int h_explain(struct cli *c, const char *a)
{
	c->explain = a;
	return 0;
}

static int h_fleet(struct cli *c, const char *a)
{
	(void)a;
	c->fleet = true;
	return 0;
}

static int h_watch(struct cli *c, const char *a)
{
	(void)a;
	c->watch = true;
	return 0;
}

static int h_quiet(struct cli *c, const char *a)
{
	(void)a;
	c->quiet = true;
	return 0;
}

static int h_load(struct cli *c, const char *a)
{
	(void)a;
	if (geteuid() != 0) {
		usage_error("--load needs root (it runs modprobe dom0gpu)");
		return EXIT_USAGE;
	}
	c->load = true;
	return 0;
}

static int h_root(struct cli *c, const char *a)
{
	struct stat st;

	(void)c;
	if (stat(a, &st) || !S_ISDIR(st.st_mode)) {
		usage_error("--root %s: not a directory", a);
		return EXIT_USAGE;
	}
	fsroot_set(a);
	return 0;
}

static int h_source(struct cli *c, const char *a)
{
	if (!strcmp(a, "auto")) {
		c->collect.no_netlink = c->collect.no_sysfs = false;
	} else if (!strcmp(a, "sysfs")) {
		c->collect.no_netlink = true;
	} else if (!strcmp(a, "degraded")) {
		c->collect.no_netlink = c->collect.no_sysfs = true;
	} else {
		usage_error("--source %s: expected auto, sysfs or degraded", a);
		return EXIT_USAGE;
	}
	return 0;
}

static int h_rules(struct cli *c, const char *a)
{
	unsigned int i;

	(void)c;
	(void)a;
	for (i = 0; i < nr_rules; i++)
		printf("%s\t%s\t%s\n", rules[i].id, severity_name(rules[i].severity), rules[i].title);
	return EXIT_DONE;
}

static int h_probe(struct cli *c, const char *a)
{
	(void)a;
	c->probe = true;
	return 0;
}

static int h_timeout(struct cli *c, const char *a)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(a, &end);
	/* A day at most: beyond that it is a typo, not a slow driver. */
	if (errno || end == a || *end || !(s > 0 && s <= 86400)) {
		usage_error("--timeout %s: expected seconds, more than 0 and at most 86400", a);
		return EXIT_USAGE;
	}
	c->probe_timeout = s;
	return 0;
}

static int h_plan(struct cli *c, const char *a)
{
	(void)a;
	c->plan = true;
	return 0;
}

static int h_help(struct cli *c, const char *a);
static int h_version(struct cli *c, const char *a);

static const struct opt opts[] = {
	{ "json", 'j', no_argument, NULL, "print the report as JSON (docs/report.schema.json)", h_json },
	{ "prometheus", 'p', no_argument, NULL, "print node_exporter textfile metrics", h_prometheus },
	{ "dump", 'd', no_argument, NULL, "print tab-separated records for scripts", h_dump },
	{ "output", 'o', required_argument, "FILE", "write to FILE atomically (temp file + rename)", h_output },
	{ "explain", 'e', required_argument, "FILE", "judge a saved --json report instead of this host", h_explain },
	{ "fleet", 'F', no_argument, NULL, "with --explain: one line per report (several imply it)", h_fleet },
	{ "watch", 'w', no_argument, NULL, "print the module's events as they happen", h_watch },
	{ "root", 'r', required_argument, "DIR", "read every file under DIR instead of /", h_root },
	{ "source", 's', required_argument, "SRC", "auto (default), sysfs or degraded", h_source },
	{ "load", 'l', no_argument, NULL, "as root, modprobe dom0gpu first if it is not loaded (and say so)", h_load },
	{ "quiet", 'q', no_argument, NULL, "print nothing; the exit code is the verdict", h_quiet },
	{ "probe", 'P', no_argument, NULL, "also run the CUDA probe: real driver work, in a child process", h_probe },
	{ "timeout", 't', required_argument, "SECONDS", "time limit of the CUDA probe (default 30)", h_timeout },
	{ "plan", 'L', no_argument, NULL, "print the steps to try a PVH dom0 once, with automatic fallback", h_plan },
	{ "rules", 'R', no_argument, NULL, "list every rule: ID, severity, title (tab-separated)", h_rules },
	{ "help", 'h', no_argument, NULL, "show this help", h_help },
	{ "version", 'V', no_argument, NULL, "show the version", h_version },
};


#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

static int h_help(struct cli *c, const char *a)
{
	unsigned int i;

	(void)c;
	(void)a;
	printf("Usage: %s [OPTION]...\n"
	       "Tell whether NVIDIA CUDA can do real work on this (Xen) host, why not,\n"
	       "and what to change.\n\n", prog);
	for (i = 0; i < NR_OPTS; i++) {
		char left[40];

		snprintf(left, sizeof(left), "-%c, --%s%s%s", opts[i].val, opts[i].name,
			 opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		printf("  %-26s %s\n", left, opts[i].help);
	}
	printf("\nExit status: 0 ready, 1 blocked, 2 unknown (or no verdict could be made),\n"
	       "64 usage error. See dom0gpu-stat(8).\n");
	return EXIT_DONE;
}

static int h_version(struct cli *c, const char *a)
{
	(void)c;
	(void)a;
	printf("dom0gpu-stat %s (report schema %d)\n", DOM0GPU_STAT_VERSION, REPORT_SCHEMA_VERSION);
	return EXIT_DONE;
}

static int parse_args(int argc, char **argv, struct cli *c)
{
	struct option longopts[NR_OPTS + 1];
	char shortopts[NR_OPTS * 2 + 2];
	unsigned int i, n = 0;
	int ch;

	shortopts[n++] = ':';
	for (i = 0; i < NR_OPTS; i++) {
		longopts[i].name = opts[i].name;
		longopts[i].has_arg = opts[i].has_arg;
		longopts[i].flag = NULL;
		longopts[i].val = opts[i].val;
		shortopts[n++] = (char)opts[i].val;
		if (opts[i].has_arg == required_argument)
			shortopts[n++] = ':';
	}
	shortopts[n] = '\0';
	memset(&longopts[NR_OPTS], 0, sizeof(longopts[0]));

	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		int ret;

		if (ch == '?') {
			if (optopt)
				fprintf(stderr, "%s: unknown option -%c (try --help)\n", prog, optopt);
			else
				fprintf(stderr, "%s: unknown option %s (try --help)\n", prog,
					argv[optind - 1]);
			return EXIT_USAGE;
		}
		if (ch == ':') {
			fprintf(stderr, "%s: option %s needs an argument (try --help)\n", prog,
				argv[optind - 1]);
			return EXIT_USAGE;
		}
		for (i = 0; i < NR_OPTS; i++)
			if (opts[i].val == ch)
				break;
		/* getopt_long() returns only our values, but never index past the table. */
		if (i == NR_OPTS)
			return EXIT_USAGE;
		ret = opts[i].handle(c, optarg);
		if (ret)
			return ret;
	}
	if (optind < argc && !c->explain) {
		usage_error("unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	c->more_reports = argv + optind;
	c->nr_more_reports = (unsigned int)(argc - optind);
	if (c->nr_more_reports)
		c->fleet = true;
	if (c->fleet && (!c->explain || c->output || c->format == FMT_PROMETHEUS ||
			 c->format == FMT_DUMP)) {
		usage_error("a fleet table needs --explain REPORT..., and prints text or --json");
		return EXIT_USAGE;
	}
	if (c->load && (c->explain || !fsroot_is_host())) {
		usage_error("--load acts on this host: not with --explain or --root");
		return EXIT_USAGE;
	}
	if (c->probe && c->explain) {
		usage_error("--probe runs on this host; --explain judges a saved report%s", "");
		return EXIT_USAGE;
	}
	if (c->probe && !dynload_available) {
		usage_error("--probe loads libcuda, which this fully static build cannot: "
			    "use the dynamically linked dom0gpu-stat%s", "");
		return EXIT_USAGE;
	}
	if (c->probe_timeout > 0 && !c->probe) {
		usage_error("--timeout applies to --probe%s", "");
		return EXIT_USAGE;
	}
	if (c->plan && (c->explain || c->format == FMT_PROMETHEUS || c->format == FMT_DUMP)) {
		usage_error("--plan reads this host's boot setup: with the text or --json report only");
		return EXIT_USAGE;
	}
	if (c->watch && (c->explain || c->format != FMT_HUMAN || c->output)) {
		usage_error("--watch prints events only");
		return EXIT_USAGE;
	}
	return 0;
}

static bool want_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	if (nc && *nc)
		return false;
	return isatty(fileno(f));
}

static int emit(const struct cli *c, FILE *f, const struct report *r, bool color)
{
	switch (c->format) {
	case FMT_JSON:
		return out_json(f, r);
	case FMT_PROMETHEUS:
		return out_prometheus(f, r);
	case FMT_DUMP:
		return out_dump(f, r);
	case FMT_HUMAN:
		break;
	}
	if (r->plan)
		plan_print(f, r->plan);
	else
		out_human(f, r, color);
	return ferror(f) ? -1 : 0;
}

/* Write to a temp file next to path, then rename: readers never see half a file. */
static int emit_atomic(const struct cli *c, const struct report *r)
{
	char tmp[4096], dir[4096];
	FILE *f;
	int fd;

	snprintf(dir, sizeof(dir), "%s", c->output);
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dirname(dir),
		     strrchr(c->output, '/') ? strrchr(c->output, '/') + 1 : c->output) >=
	    (int)sizeof(tmp)) {
		fprintf(stderr, "%s: %s: name too long\n", prog, c->output);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, c->output, strerror(errno));
		return -1;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (fchmod(fd, 0644) || emit(c, f, r, false) || fflush(f) || fsync(fd)) {
		fprintf(stderr, "%s: %s: %s\n", prog, tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f) || rename(tmp, c->output)) {
		fprintf(stderr, "%s: %s: %s\n", prog, c->output, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* The module is never loaded behind the user's back: only with --load, and said. */
static void load_module(void)
{
	int status;
	pid_t pid;

	if (fsroot_exists("/sys/module/dom0gpu"))
		return;
	fprintf(stderr, "%s: loading the dom0gpu module (modprobe dom0gpu)\n", prog);
	pid = fork();
	if (pid == 0) {
		execlp("modprobe", "modprobe", "dom0gpu", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		fprintf(stderr, "%s: modprobe dom0gpu failed: continuing without the module\n", prog);
}

static int verdict_exit(enum verdict v)
{
	switch (v) {
	case VERDICT_READY:
		return EXIT_READY;
	case VERDICT_BLOCKED:
		return EXIT_BLOCKED;
	case VERDICT_UNKNOWN:
		break;
	}
	return EXIT_UNKNOWN;
}

static int run(const struct cli *c)
{
	static struct report r;
	static struct cuda_probe_result probe;
	static struct boot_plan plan;
	int ret;

	report_init(&r);
	if (c->explain) {
		char err[512];

		if (explain_load(c->explain, &r, err, sizeof(err))) {
			fprintf(stderr, "%s: --explain %s\n", prog, err);
			report_free(&r);
			return EXIT_UNKNOWN;
		}
	} else {
		if (c->load)
			load_module();
		source_collect(&r, &c->collect);
		if (c->probe) {
			double limit = c->probe_timeout > 0 ? c->probe_timeout :
				       CUDA_PROBE_DEFAULT_TIMEOUT_S;

			cuda_env_before(&r);
			nvml_facts(&r);
			cuda_probe_run(limit, &probe);
			cuda_report_facts(&r, &probe);
			cuda_env_after(&r, &probe, limit);
			r.probe = &probe;
		}
	}
	rules_evaluate(&r);
	if (c->plan) {
		plan_build(&plan, &r);
		r.plan = &plan;
	}
	ret = verdict_exit(r.verdict);
	if (c->output) {
		if (emit_atomic(c, &r))
			ret = EXIT_UNKNOWN;
	} else if (!c->quiet) {
		if (emit(c, stdout, &r, c->format == FMT_HUMAN && want_color(stdout)) ||
		    fflush(stdout)) {
			fprintf(stderr, "%s: writing the report: %s\n", prog, strerror(errno));
			ret = EXIT_UNKNOWN;
		}
	}
	if (c->plan)
		plan_free(&plan);
	report_free(&r);
	return ret;
}

static int run_fleet(const struct cli *c)
{
	const char **paths = calloc(c->nr_more_reports + 1, sizeof(*paths));
	int ret;

	if (!paths) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_UNKNOWN;
	}
	paths[0] = c->explain;
	memcpy(paths + 1, c->more_reports, c->nr_more_reports * sizeof(*paths));
	ret = fleet_explain(stdout, paths, c->nr_more_reports + 1, c->format == FMT_JSON, c->quiet);
	free(paths);
	if (ret < 0 || fflush(stdout)) {
		fprintf(stderr, "%s: writing the table: %s\n", prog, strerror(errno));
		return EXIT_UNKNOWN;
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct cli c;
	int ret;

	memset(&c, 0, sizeof(c));
	ret = parse_args(argc, argv, &c);
	if (ret == EXIT_DONE)
		return fflush(stdout) ? EXIT_UNKNOWN : 0;
	if (ret)
		return ret;
	if (c.watch)
		return watch_events(stdout) ? EXIT_UNKNOWN : 0;
	if (c.fleet)
		return run_fleet(&c);
	return run(&c);
}
