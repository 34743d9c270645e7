// SPDX-License-Identifier: GPL-2.0
/*
 * Readers against a module that comes and goes, inside a test VM: sysfs
 * and netlink readers, as root and as nobody, run while CPUs go offline
 * and online and dom0gpu.ko is removed and inserted in a loop. Every read
 * must either give the value it gave before, or fail cleanly while the
 * module is away (sysfs: ENOENT, or ENODEV on a file opened before the
 * removal or while it goes; netlink: family not found, ENOENT, or
 * EPROTONOSUPPORT for a dump of a module being removed) - never hang,
 * never return garbage. Afterwards: no WARN/BUG/oops/KASAN/UBSAN/lockdep report in the
 * kernel log, unreclaimable slab back within a bound, and no kmemleak
 * report where the kernel has kmemleak.
 *
 * D0G_STRESS_SECONDS  how long the readers run (default 5)
 * D0G_MODULE          the dom0gpu.ko to insert again
 */
#include <dirent.h>
#include <grp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "raw_nl.h"
/* The harness's own signal handler has an unused parameter. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
/* Its fork/setjmp dance trips gcc's clobber analysis at -O2. */
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "pvh_hotplug.h"

#define NOBODY		65534
#define READERS		10
#define HANG_S		60
/*
 * Unreclaimable slab may grow this much (kB) over a whole run, plus some
 * per CPU: SLUB's per-CPU partial slabs refill as CPUs come back online
 * (64 CPUs grew it by 6.5 MB without any module reload in between).
 */
#define SLAB_SLACK_KB		2048
#define SLAB_SLACK_CPU_KB	160

enum reader_kind { SYSFS, SYSFS_HELD, NETLINK, NETLINK_DUMP };

struct reader {
	enum reader_kind kind;
	bool nobody;
	/* Filled by the reader. */
	unsigned long ok, absent, bad;
	char first_bad[160];
};

struct shared {
	volatile int stop;
	struct reader r[READERS];
	unsigned long hotplug_cycles, hotplug_refused, hotplug_bad;
};

static const char * const files[] = {
	"version", "pat/msr", "pat/layout", "pat/wc_index", "nvidia/pat_mode",
	"nvidia/reason", "nvidia/wc_index", "mtrr/enabled", "hypervisor/type",
	"xen/domain_type", "iommu/owner", "gpus/count",
	/* These two follow CPU hotplug: only their form is checked. */
	"pat/consistent", "pat/cpus_read",
};
#define NFILES		(sizeof(files) / sizeof(files[0]))
#define NSTABLE		(NFILES - 2)

static char baseline[NFILES][256];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void note_bad(struct reader *r, const char *fmt, const char *a,
		     long b)
{
	if (!r->bad++)
		snprintf(r->first_bad, sizeof(r->first_bad), fmt, a, b);
}

/* One value as a reader sees it: clean text, the baseline where stable. */
static void check_value(struct reader *r, unsigned int i, const char *buf,
			ssize_t n)
{
	if (n <= 0 || buf[n - 1] != '\n' || memchr(buf, '\0', n)) {
		note_bad(r, "%s: malformed value (%ld bytes)", files[i], n);
		return;
	}
	if (i < NSTABLE ? strncmp(buf, baseline[i], n - 1) ||
			  baseline[i][n - 1] :
			  (buf[0] < '0' || buf[0] > '9')) {
		note_bad(r, "%s: unexpected value (%ld bytes)", files[i], n);
		return;
	}
	r->ok++;
}

static void sysfs_reader(struct shared *sh, struct reader *r)
{
	char path[128], buf[4096];
	unsigned int i = 0;

	while (!sh->stop) {
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), D0G_SYSFS "%s", files[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			/* ENODEV: found, but removed before it was opened. */
			if (errno == ENOENT || errno == ENODEV)
				r->absent++;
			else
				note_bad(r, "open %s: errno %ld", files[i], errno);
		} else {
			n = read(fd, buf, sizeof(buf));
			if (n < 0 && errno == ENODEV)
				r->absent++;
			else if (n < 0)
				note_bad(r, "read %s: errno %ld", files[i], errno);
			else
				check_value(r, i, buf, n);
			close(fd);
		}
		i = (i + 1) % NFILES;
	}
}

/* Keeps one file open across removals: reads fail with ENODEV, not worse. */
static void sysfs_held_reader(struct shared *sh, struct reader *r)
{
	char buf[256];
	int fd = -1;

	while (!sh->stop) {
		ssize_t n;

		if (fd < 0) {
			fd = open(D0G_SYSFS "version", O_RDONLY | O_CLOEXEC);
			if (fd < 0) {
				if (errno == ENOENT || errno == ENODEV)
					r->absent++;
				else
					note_bad(r, "open %s: errno %ld",
						 "version", errno);
				continue;
			}
		}
		n = pread(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == ENODEV) {
			r->absent++;
			close(fd);
			fd = -1;
		} else if (n < 0) {
			note_bad(r, "pread %s: errno %ld", "version", errno);
		} else {
			check_value(r, 0, buf, n);
		}
	}
	if (fd >= 0)
		close(fd);
}

/*
 * rnl_collect() callback: well-formed messages; a snapshot with the right
 * version, a per-CPU dump with one CPU per message.
 */
struct nl_check {
	int bad;
	int version;
	int cpus;
};

static void nl_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_check *c = arg;
	int len = rnl_attrlen(nlh), seen = 0;
	struct nlattr *a;

	rnl_for_each(a, rnl_attrs(nlh), len) {
		seen += NLA_ALIGN(a->nla_len);
		if ((a->nla_type & NLA_TYPE_MASK) == DOM0GPU_A_CPU)
			c->cpus++;
		if ((a->nla_type & NLA_TYPE_MASK) == DOM0GPU_A_VERSION) {
			c->version++;
			if (strncmp(rnl_data(a), baseline[0], rnl_len(a) - 1))
				c->bad++;
		}
	}
	/* The last attribute may lack its padding. */
	if (len < 0 || (seen != len && NLA_ALIGN(len) != seen))
		c->bad++;
}

static void netlink_reader(struct shared *sh, struct reader *r)
{
	char req[64] __attribute__((aligned(4)));
	size_t len = NLMSG_HDRLEN + GENL_HDRLEN;
	uint32_t seq = 0;
	int fd = rnl_open();

	if (fd < 0) {
		note_bad(r, "%s: socket: errno %ld", "netlink", -fd);
		return;
	}
	while (!sh->stop) {
		bool dump = r->kind == NETLINK_DUMP || seq % 3 == 2;
		struct nl_check c = { 0 };
		struct rnl_result res;
		int family, err;

		family = rnl_family(fd, DOM0GPU_FAMILY_NAME);
		if (family == -ENOENT) {
			r->absent++;
			usleep(1000);
			continue;
		}
		if (family < 0) {
			note_bad(r, "%s: family lookup: errno %ld", "netlink",
				 -family);
			continue;
		}
		rnl_hdr(req, family, NLM_F_REQUEST | NLM_F_ACK |
			(dump ? NLM_F_DUMP : 0), ++seq,
			dump ? DOM0GPU_CMD_GET_CPU : DOM0GPU_CMD_GET_SNAPSHOT,
			len);
		if (send(fd, req, len, 0) < 0) {
			note_bad(r, "%s: send: errno %ld", "netlink", errno);
			continue;
		}
		err = rnl_collect(fd, seq, &res, nl_cb, &c);
		if (err) {
			note_bad(r, "%s: no answer: errno %ld", "netlink", -err);
		} else if (res.error == ENOENT ||
			   (dump && res.error == EPROTONOSUPPORT)) {
			/*
			 * Removed between the lookup and the request, or
			 * going: a dump cannot pin a module being removed.
			 */
			r->absent++;
		} else if (res.error) {
			note_bad(r, "%s: request failed: errno %ld", "netlink",
				 res.error);
		} else if (c.bad || !res.data ||
			   (dump ? c.cpus != res.data :
				   c.version != 1 || res.data != 1)) {
			note_bad(r, "%s: bad reply (%ld messages)", "netlink",
				 res.data);
		} else {
			r->ok++;
		}
	}
	close(fd);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int ncpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_CONF);
}

/* Offlines and onlines every CPU but the boot CPU, round robin. */
static void hotplugger(struct shared *sh)
{
	char path[96];
	int cpu = 1, n = ncpus(), err;

	while (!sh->stop && n > 1) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/online", cpu);
		err = write_str(path, "0");
		if (!err)
			err = write_str(path, "1");
		if (!err)
			sh->hotplug_cycles++;
		else if (err == -EBUSY || err == -EAGAIN)
			sh->hotplug_refused++;
		else if (err == -ENOENT)
			break;	/* this platform has no hot-pluggable CPUs */
		else
			sh->hotplug_bad++;
		cpu = cpu + 1 < n ? cpu + 1 : 1;
	}
}

static void all_online(void)
{
	char path[96];
	int cpu;

	for (cpu = 1; cpu < ncpus(); cpu++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/online", cpu);
		write_str(path, "1");
	}
}

static bool module_loaded(void)
{
	return !access("/sys/module/dom0gpu", F_OK);
}

static int module_unload(void)
{
	return syscall(__NR_delete_module, "dom0gpu", O_NONBLOCK) ? -errno : 0;
}

static int module_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(__NR_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* A /proc/meminfo value in kB, -1 if absent. */
static long meminfo(const char *key)
{
	char line[128];
	size_t k = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, k) && line[k] == ':')
			v = strtol(line + k + 1, NULL, 10);
	fclose(f);
	return v;
}

/*
 * Shrink every slab cache: SLUB gives back its per-CPU partial slabs and,
 * on a KASAN kernel, kmem_cache_shrink() also empties the cache's objects
 * out of KASAN's quarantine (per-CPU and global queues, up to 1/32 of the
 * RAM), which holds freed objects back: without it, a 64-CPU KASAN kernel
 * shows tens of MB of "growth" that is only freed memory waiting there.
 */
static void shrink_slabs(void)
{
	char path[300];
	struct dirent *e;
	DIR *d = opendir("/sys/kernel/slab");

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", e->d_name);
		write_str(path, "1");
	}
	closedir(d);
}

static long settled_sunreclaim(void)
{
	sync();
	write_str("/proc/sys/vm/drop_caches", "3");
	/* Objects freed by RCU after the last unload. */
	usleep(500000);
	shrink_slabs();
	return meminfo("SUnreclaim");
}

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"

/* Number of kmemleak reports, each printed; -1 without kmemleak. */
static int kmemleak_reports(void)
{
	char line[512];
	int n = 0;
	FILE *f;

	if (write_str(KMEMLEAK, "scan"))
		return -1;
	f = fopen(KMEMLEAK, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "unreferenced object", 19))
			n++;
		if (n && n <= 3)
			printf("# kmemleak: %s", line);
	}
	fclose(f);
	return n;
}

static unsigned long stress_seconds(void)
{
	const char *s = getenv("D0G_STRESS_SECONDS");

	return s && *s ? strtoul(s, NULL, 0) : 5;
}

static const char *kind_name(const struct reader *r)
{
	static const char * const names[] = { "sysfs", "sysfs-held-fd",
					      "netlink", "netlink-dump" };

	return names[r->kind];
}

/* The harness's per-test timeout needs a fixture. */
FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, readers_hotplug_and_reload, 7200)
{
	static const struct { enum reader_kind kind; bool nobody; } plan[] = {
		{ SYSFS, false }, { SYSFS, false }, { SYSFS, true },
		{ SYSFS, true }, { SYSFS_HELD, false }, { NETLINK, false },
		{ NETLINK, false }, { NETLINK, true }, { NETLINK, true },
		{ NETLINK_DUMP, true },
	};
	const char *ko = getenv("D0G_MODULE");
	unsigned long secs = stress_seconds(), cycles = 0, busy = 0;
	unsigned long absent = 0, ok = 0;
	long slab0, slab1, slack, leaks = -1;
	int kmsg, i, err, status, bad = 0;
	bool pvh = xen_pvh_guest();
	pid_t pids[READERS + 1];
	struct shared *sh;
	double t0, deadline;

	if (getuid() != 0)
		SKIP(return, "needs root (module and CPU hotplug)");
	ASSERT_NE(NULL, ko);
	ASSERT_TRUE(module_loaded());
	for (i = 0; i < (int)NFILES; i++) {
		err = d0g_sysfs(files[i], baseline[i], sizeof(baseline[i]));
		if (err)
			printf("# %s: %s\n", files[i], strerror(-err));
		ASSERT_EQ(0, err);
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));

	/* One cycle first, so that one-time allocations are not counted. */
	ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, module_load(ko));
	write_str(KMEMLEAK, "clear");
	slab0 = settled_sunreclaim();
	kmsg = kmsg_open_end();

	for (i = 0; i < READERS; i++) {
		struct reader *r = &sh->r[i];

		r->kind = plan[i].kind;
		r->nobody = plan[i].nobody;
		/* The pid stays out of shared memory: the child would clear it. */
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i])
			continue;
		if (r->nobody && (setgroups(0, NULL) ||
				  setresgid(NOBODY, NOBODY, NOBODY) ||
				  setresuid(NOBODY, NOBODY, NOBODY)))
			_exit(2);
		if (r->kind == SYSFS)
			sysfs_reader(sh, r);
		else if (r->kind == SYSFS_HELD)
			sysfs_held_reader(sh, r);
		else
			netlink_reader(sh, r);
		_exit(0);
	}
	/* Under PVH, readers and reloads only (pvh_hotplug.h says why). */
	if (pvh)
		printf("# no CPU hotplug here: %s\n", PVH_HOTPLUG_SKIP);
	pids[READERS] = fork();
	ASSERT_LE(0, pids[READERS]);
	if (pids[READERS] == 0) {
		if (!pvh)
			hotplugger(sh);
		_exit(0);
	}

	t0 = now();
	deadline = t0 + secs;
	srand((unsigned int)t0);
	while (now() < deadline) {
		err = module_unload();
		if (err == -EAGAIN || err == -EWOULDBLOCK) {
			/* A dump in progress holds the module. */
			busy++;
			usleep(1000);
			continue;
		}
		ASSERT_EQ(0, err) TH_LOG("rmmod: %s", strerror(-err));
		usleep(rand() % 20000);
		err = module_load(ko);
		ASSERT_EQ(0, err) TH_LOG("insmod: %s", strerror(-err));
		cycles++;
		usleep(rand() % 50000);
	}
	sh->stop = 1;

	/* Every reader must notice within HANG_S: none may hang. */
	for (i = 0; i <= READERS; i++) {
		pid_t pid = pids[i];
		double until = now() + HANG_S;
		pid_t w;

		while ((w = waitpid(pid, &status, WNOHANG)) == 0 &&
		       now() < until)
			usleep(10000);
		if (w != pid) {
			printf("# process %d hangs after the end\n", pid);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			bad++;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("# process %d ended abnormally (status 0x%x)\n",
			       pid, status);
			bad++;
		}
	}
	all_online();
	if (!module_loaded())
		ASSERT_EQ(0, module_load(ko));

	printf("# %d readers x %lu s; %lu unload/load cycles (%lu retries on a busy module); %lu CPU offline/online cycles (%lu refused)\n",
	       READERS, secs, cycles, busy, sh->hotplug_cycles,
	       sh->hotplug_refused);
	for (i = 0; i < READERS; i++) {
		struct reader *r = &sh->r[i];

		printf("# reader %d %-13s %-6s ok=%lu absent=%lu bad=%lu%s%s\n",
		       i, kind_name(r), r->nobody ? "nobody" : "root", r->ok,
		       r->absent, r->bad, r->bad ? " first: " : "",
		       r->first_bad);
		bad += r->bad ? 1 : 0;
		ok += r->ok;
		absent += r->absent;
	}
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0UL, sh->hotplug_bad);
	/* It tested something: reads went through and met the module away. */
	EXPECT_LT(0UL, cycles);
	EXPECT_LT(0UL, ok);
	EXPECT_LT(0UL, absent);

	slab1 = settled_sunreclaim();
	slack = SLAB_SLACK_KB + SLAB_SLACK_CPU_KB * ncpus();
	printf("# SUnreclaim before %ld kB, after %ld kB (%+ld kB, bound %ld kB)\n",
	       slab0, slab1, slab1 - slab0, slack);
	EXPECT_GE(slab0 + slack, slab1);
	if (!access(KMEMLEAK, F_OK)) {
		/* kmemleak ignores objects younger than 5 s. */
		sleep(6);
		leaks = kmemleak_reports();
		printf("# kmemleak: %ld unreferenced objects\n", leaks);
		EXPECT_EQ(0, leaks);
	} else {
		printf("# kmemleak: not in this kernel\n");
	}
	EXPECT_EQ(0, kmsg_bugs(kmsg));
	/* The module still answers as before. */
	for (i = 0; i < (int)NSTABLE; i++) {
		char buf[256];

		EXPECT_EQ(0, d0g_sysfs(files[i], buf, sizeof(buf)));
		EXPECT_STREQ(baseline[i], buf);
	}
	close(kmsg);
	munmap(sh, sizeof(*sh));
}

TEST_HARNESS_MAIN
