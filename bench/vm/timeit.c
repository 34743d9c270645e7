// SPDX-License-Identifier: GPL-2.0
/*
 * timeit: whole-process wall time of several commands, interleaved.
 *
 *   timeit [-n RUNS] [-w WARMUPS] SECTION LABEL=COMMAND...
 *
 * COMMAND is split at spaces (no quoting) and started with posix_spawn(),
 * stdout and stderr to /dev/null. One round runs every command once, in
 * the order given, so drift hits every command alike; the warm-up rounds
 * are not timed. The first warm-up's output of each command is printed
 * (prefixed "D0G-BENCH-OUT") as evidence that it did its job. Prints one
 * line per command:
 *
 *   D0G-BENCH <tab> SECTION <tab> LABEL <tab> EXIT <tab> NS,NS,...
 *
 * EXIT is the first warm-up's exit status (or -1 if it did not exit).
 * Times come from CLOCK_MONOTONIC, in nanoseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 16
#define MAX_ARGS 32
#define OUT_FILE "/tmp/timeit.out"

extern char **environ;

struct cmd {
	const char *label;
	char *argv[MAX_ARGS + 1];
	int first_exit;
	uint64_t *ns;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int parse_cmd(struct cmd *c, char *spec)
{
	char *eq = strchr(spec, '='), *tok, *save = NULL;
	int n = 0;

	if (!eq || eq == spec)
		return -1;
	*eq = '\0';
	c->label = spec;
	for (tok = strtok_r(eq + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (n == MAX_ARGS)
			return -1;
		c->argv[n++] = tok;
	}
	c->argv[n] = NULL;
	return n ? 0 : -1;
}

/* Runs c once; returns its wall time, *status its exit (or -1). */
static uint64_t run_once(const struct cmd *c, const char *out, int *status)
{
	posix_spawn_file_actions_t fa;
	uint64_t t0, t1;
	pid_t pid;
	int ws, err;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	t0 = now_ns();
	err = posix_spawn(&pid, c->argv[0], &fa, NULL, c->argv, environ);
	if (err) {
		posix_spawn_file_actions_destroy(&fa);
		fprintf(stderr, "timeit: %s: %s\n", c->argv[0], strerror(err));
		exit(1);
	}
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	t1 = now_ns();
	posix_spawn_file_actions_destroy(&fa);
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	return t1 - t0;
}

static void show_output(const struct cmd *c)
{
	char line[256];
	FILE *f = fopen(OUT_FILE, "r");
	int n = 0;

	if (!f)
		return;
	while (n < 4 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		printf("D0G-BENCH-OUT\t%s\t%s\n", c->label, line);
		n++;
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	struct cmd cmds[MAX_CMDS];
	int runs = 50, warmups = 1, ncmd, opt, r, i, st;
	const char *section;

	while ((opt = getopt(argc, argv, "n:w:")) != -1) {
		switch (opt) {
		case 'n':
			runs = atoi(optarg);
			break;
		case 'w':
			warmups = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	ncmd = argc - optind - 1;
	if (runs < 1 || warmups < 1 || ncmd < 1 || ncmd > MAX_CMDS)
		goto usage;
	section = argv[optind];
	for (i = 0; i < ncmd; i++) {
		if (parse_cmd(&cmds[i], argv[optind + 1 + i]))
			goto usage;
		cmds[i].ns = calloc((size_t)runs, sizeof(uint64_t));
		if (!cmds[i].ns)
			return 1;
	}
	for (r = 0; r < warmups; r++) {
		for (i = 0; i < ncmd; i++) {
			run_once(&cmds[i], OUT_FILE, &st);
			if (r == 0) {
				cmds[i].first_exit = st;
				show_output(&cmds[i]);
			}
		}
	}
	for (r = 0; r < runs; r++)
		for (i = 0; i < ncmd; i++)
			cmds[i].ns[r] = run_once(&cmds[i], "/dev/null", &st);
	for (i = 0; i < ncmd; i++) {
		printf("D0G-BENCH\t%s\t%s\t%d\t", section, cmds[i].label, cmds[i].first_exit);
		for (r = 0; r < runs; r++)
			printf("%s%llu", r ? "," : "", (unsigned long long)cmds[i].ns[r]);
		printf("\n");
	}
	return 0;
usage:
	fprintf(stderr, "usage: timeit [-n RUNS] [-w WARMUPS] SECTION LABEL=COMMAND...\n");
	return 64;
}
