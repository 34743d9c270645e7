// SPDX-License-Identifier: GPL-2.0
/*
 * iface: cost of one query of the same facts through each interface, in
 * one process (no process start in the numbers).
 *
 *   iface check                     the PAT each interface gives, per line
 *   iface time SECTION CALLS BATCHES NAME...
 *   iface load QUERIES              QUERIES snapshots and per-CPU dumps
 *
 * Interfaces (NAME):
 *   nl_snapshot   netlink GET_SNAPSHOT on an open socket (every fact)
 *   nl_cpu_dump   netlink GET_CPU dump on an open socket (PAT of each CPU)
 *   nl_session    socket, family lookup, GET_SNAPSHOT, close (a CLI's cost)
 *   sysfs_all     open+read+close of every file under /sys/kernel/dom0gpu
 *   sysfs_pat     open+read+close of /sys/kernel/dom0gpu/pat/msr
 *   msr_cpu0      open+pread(IA32_PAT)+close of /dev/cpu/0/msr (rdmsr's way)
 *   msr_all       the same for every /dev/cpu/N/msr (rdmsr -a's way)
 *
 * "time" runs BATCHES rounds; a round times CALLS calls of each interface
 * in turn (interleaved, so drift hits all alike) after one untimed round,
 * and prints per interface:
 *   D0G-BENCH <tab> SECTION <tab> NAME <tab> CALLS <tab> NS,NS,... (per batch)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/dom0gpu.h>

#define MSR_IA32_PAT 0x277
#define SYSFS_ROOT "/sys/kernel/dom0gpu"
#define MAX_FILES 1024
#define MAX_CPUS 4096

struct answer {
	uint64_t pat;		/* snapshot's PAT, or the first CPU's */
	unsigned int cpus;	/* CPUs in a dump */
	unsigned int differ;	/* CPUs whose PAT differs from the first */
	int have_pat;
};

static struct nl_sock *sk;
static int family;
static char *files[MAX_FILES];
static int nfiles;
static int cpu_ids[MAX_CPUS];
static int ncpus;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "iface: %s: %s\n", what, why);
	exit(1);
}

static int reply_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[DOM0GPU_A_MAX + 1], *pt[DOM0GPU_A_PAT_MAX + 1];
	struct nlattr *ct[DOM0GPU_A_CPU_MAX + 1];
	struct answer *a = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, DOM0GPU_A_MAX, NULL))
		return NL_SKIP;
	if (tb[DOM0GPU_A_PAT] &&
	    !nla_parse_nested(pt, DOM0GPU_A_PAT_MAX, tb[DOM0GPU_A_PAT], NULL) &&
	    pt[DOM0GPU_A_PAT_MSR]) {
		a->pat = nla_get_u64(pt[DOM0GPU_A_PAT_MSR]);
		a->have_pat = 1;
	}
	if (tb[DOM0GPU_A_CPU] &&
	    !nla_parse_nested(ct, DOM0GPU_A_CPU_MAX, tb[DOM0GPU_A_CPU], NULL)) {
		uint64_t v = ct[DOM0GPU_A_CPU_MSR] ? nla_get_u64(ct[DOM0GPU_A_CPU_MSR]) : 0;

		if (!a->cpus++) {
			a->pat = v;
			a->have_pat = 1;
		} else if (v != a->pat) {
			a->differ++;
		}
	}
	return NL_OK;
}

static struct nl_sock *nl_open(int *fam)
{
	struct nl_sock *s = nl_socket_alloc();

	if (!s || genl_connect(s))
		die("netlink", "cannot connect");
	*fam = genl_ctrl_resolve(s, DOM0GPU_FAMILY_NAME);
	if (*fam < 0)
		die("netlink", "family dom0gpu not found (module not loaded?)");
	/* One reply per request; an ACK would be left queued for the next. */
	nl_socket_disable_auto_ack(s);
	return s;
}

static void nl_query(struct nl_sock *s, int fam, int cmd, int flags, struct answer *a)
{
	struct nl_msg *m = nlmsg_alloc();
	int err;

	memset(a, 0, sizeof(*a));
	if (!m || !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, fam, 0, flags, cmd,
			       DOM0GPU_FAMILY_VERSION))
		die("netlink", "cannot build request");
	nl_socket_modify_cb(s, NL_CB_VALID, NL_CB_CUSTOM, reply_cb, a);
	err = nl_send_auto(s, m);
	nlmsg_free(m);
	if (err >= 0)
		err = nl_recvmsgs_default(s);
	if (err < 0)
		die("netlink", nl_geterror(err));
}

static void nl_snapshot(struct answer *a)
{
	nl_query(sk, family, DOM0GPU_CMD_GET_SNAPSHOT, 0, a);
}

static void nl_cpu_dump(struct answer *a)
{
	nl_query(sk, family, DOM0GPU_CMD_GET_CPU, NLM_F_DUMP, a);
}

static void nl_session(struct answer *a)
{
	int fam;
	struct nl_sock *s = nl_open(&fam);

	nl_query(s, fam, DOM0GPU_CMD_GET_SNAPSHOT, 0, a);
	nl_socket_free(s);
}

static ssize_t read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static int add_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	char buf[4096];

	(void)ftw;
	/* Readable attributes only; some answer an error where a fact is absent. */
	if (type != FTW_F || !(st->st_mode & S_IRUSR) || nfiles == MAX_FILES)
		return 0;
	if (read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	files[nfiles] = strdup(path);
	if (!files[nfiles])
		die("memory", strerror(ENOMEM));
	nfiles++;
	return 0;
}

static void sysfs_all(struct answer *a)
{
	char buf[4096];
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < nfiles; i++)
		if (read_file(files[i], buf, sizeof(buf)) < 0)
			die(files[i], strerror(errno));
}

static void sysfs_pat(struct answer *a)
{
	char buf[64];

	memset(a, 0, sizeof(*a));
	if (read_file(SYSFS_ROOT "/pat/msr", buf, sizeof(buf)) < 0)
		die(SYSFS_ROOT "/pat/msr", strerror(errno));
	a->pat = strtoull(buf, NULL, 16);
	a->have_pat = 1;
}

static uint64_t msr_read(int cpu)
{
	char path[64];
	uint64_t v;
	int fd;

	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path, strerror(errno));
	if (pread(fd, &v, sizeof(v), MSR_IA32_PAT) != (ssize_t)sizeof(v))
		die(path, strerror(errno));
	close(fd);
	return v;
}

static void msr_cpu0(struct answer *a)
{
	memset(a, 0, sizeof(*a));
	a->pat = msr_read(0);
	a->have_pat = 1;
	a->cpus = 1;
}

static void msr_all(struct answer *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < ncpus; i++) {
		uint64_t v = msr_read(cpu_ids[i]);

		if (!a->cpus++) {
			a->pat = v;
			a->have_pat = 1;
		} else if (v != a->pat) {
			a->differ++;
		}
	}
}

static void find_cpus(void)
{
	DIR *d = opendir("/dev/cpu");
	struct dirent *e;

	if (!d)
		die("/dev/cpu", strerror(errno));
	while ((e = readdir(d)) && ncpus < MAX_CPUS) {
		char path[300];

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/dev/cpu/%s/msr", e->d_name);
		if (!access(path, R_OK))
			cpu_ids[ncpus++] = atoi(e->d_name);
	}
	closedir(d);
}

static const struct iface {
	const char *name;
	void (*call)(struct answer *a);
} ifaces[] = {
	{ "nl_snapshot", nl_snapshot },
	{ "nl_cpu_dump", nl_cpu_dump },
	{ "nl_session", nl_session },
	{ "sysfs_all", sysfs_all },
	{ "sysfs_pat", sysfs_pat },
	{ "msr_cpu0", msr_cpu0 },
	{ "msr_all", msr_all },
};

#define N_IFACES (sizeof(ifaces) / sizeof(ifaces[0]))

static const struct iface *lookup(const char *name)
{
	size_t i;

	for (i = 0; i < N_IFACES; i++)
		if (!strcmp(ifaces[i].name, name))
			return &ifaces[i];
	die(name, "no such interface");
	return NULL;
}

/* The sysfs files and MSR devices, found once, outside the timed calls. */
static void setup(void)
{
	if (nftw(SYSFS_ROOT, add_file, 16, FTW_PHYS))
		die(SYSFS_ROOT, strerror(errno));
	find_cpus();
}

/* Prints what each interface says, so a run that compares wrong answers shows. */
static int check(void)
{
	struct answer a;
	size_t i;

	printf("D0G-BENCH-CHECK\tsysfs_files\t%d\n", nfiles);
	printf("D0G-BENCH-CHECK\tmsr_devices\t%d\n", ncpus);
	for (i = 0; i < N_IFACES; i++) {
		ifaces[i].call(&a);
		printf("D0G-BENCH-CHECK\t%s\tpat=%s%016llx\tcpus=%u\tdiffer=%u\n",
		       ifaces[i].name, a.have_pat ? "" : "none:", (unsigned long long)a.pat,
		       a.cpus, a.differ);
	}
	return 0;
}

static int time_ifaces(const char *section, int calls, int batches, char **names, int n)
{
	const struct iface *sel[N_IFACES];
	uint64_t *ns[N_IFACES];
	struct answer a;
	int b, c, i;

	if (n < 1 || n > (int)N_IFACES || calls < 1 || batches < 1)
		die("time", "bad arguments");
	for (i = 0; i < n; i++) {
		sel[i] = lookup(names[i]);
		ns[i] = calloc((size_t)batches, sizeof(uint64_t));
		if (!ns[i])
			die("memory", strerror(ENOMEM));
	}
	for (b = -1; b < batches; b++) {
		for (i = 0; i < n; i++) {
			uint64_t t0 = now_ns();

			for (c = 0; c < calls; c++)
				sel[i]->call(&a);
			if (b >= 0)
				ns[i][b] = now_ns() - t0;
		}
	}
	for (i = 0; i < n; i++) {
		printf("D0G-BENCH\t%s\t%s\t%d\t", section, sel[i]->name, calls);
		for (b = 0; b < batches; b++)
			printf("%s%llu", b ? "," : "", (unsigned long long)ns[i][b]);
		printf("\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct answer a;
	long q;

	if (argc < 2)
		goto usage;
	sk = nl_open(&family);
	if (!strcmp(argv[1], "check") && argc == 2) {
		setup();
		return check();
	}
	if (!strcmp(argv[1], "time") && argc >= 6) {
		setup();
		return time_ifaces(argv[2], atoi(argv[3]), atoi(argv[4]), argv + 5, argc - 5);
	}
	/* Netlink only: a walk of sysfs would add its own inodes to the readings. */
	if (!strcmp(argv[1], "load") && argc == 3) {
		for (q = atol(argv[2]); q > 0; q--) {
			nl_snapshot(&a);
			nl_cpu_dump(&a);
		}
		return 0;
	}
usage:
	fprintf(stderr, "usage: iface check | time SECTION CALLS BATCHES NAME... | load QUERIES\n");
	return 64;
}
