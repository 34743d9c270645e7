// SPDX-License-Identifier: GPL-2.0
/*
 * An unprivileged user (nobody) never sees a physical address (the MTRR
 * ranges) or Xen's command line, through any interface: every sysfs file
 * of the module, every netlink command (do and dump), and every output
 * format of dom0gpu-stat. The secrets are what root sees: Xen's command
 * line as the harness gave it (D0G_XEN_CMDLINE) and the MTRR base, mask
 * and size values from root's sysfs reads. Each interface is read as root
 * too: where root sees a secret there, the search is shown to find it, so
 * a clean result for nobody means something.
 */
#include <dirent.h>
#include <grp.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "raw_nl.h"
/* The harness's own signal handler has an unused parameter. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#define NOBODY		65534
#define MAX_SECRETS	64
/* Smaller numbers are too common in any output to mean a leak. */
#define MIN_ADDRESS	0x10000ULL
#define OUT_MAX		(1 << 20)

static char cmdline[1024];
static uint64_t secrets[MAX_SECRETS];
static int nsecrets;

static void add_secret(uint64_t v)
{
	int i;

	if (v < MIN_ADDRESS || nsecrets == MAX_SECRETS)
		return;
	for (i = 0; i < nsecrets; i++)
		if (secrets[i] == v)
			return;
	secrets[nsecrets++] = v;
}

/* Xen's command line and every MTRR address root can read. */
static void gather_secrets(void)
{
	const char *x = getenv("D0G_XEN_CMDLINE");
	char path[128], buf[64];
	int i;

	snprintf(cmdline, sizeof(cmdline), "%s", x ? x : "");
	for (i = 0; i < 256; i++) {
		static const char * const f[] = { "base", "mask", "size" };
		unsigned int k;

		for (k = 0; k < 3; k++) {
			uint64_t v;

			snprintf(path, sizeof(path), "mtrr/var/%d/%s", i, f[k]);
			if (d0g_sysfs(path, buf, sizeof(buf)))
				continue;
			v = strtoull(buf, NULL, 0);
			add_secret(v);
			/* The address alone, without the type/valid bits. */
			add_secret(v & ~0xfffULL);
		}
	}
}

static bool has_text(const char *hay, size_t n, const char *needle)
{
	return *needle && memmem(hay, n, needle, strlen(needle));
}

/* Which secret a text shows, as hex (any width) or decimal; NULL if none. */
static const char *text_leak(const char *out, size_t n)
{
	static char what[96];
	char forms[4][40];
	int i, k;

	if (has_text(out, n, cmdline))
		return "Xen's command line";
	for (i = 0; i < nsecrets; i++) {
		snprintf(forms[0], sizeof(forms[0]), "%016" PRIx64, secrets[i]);
		snprintf(forms[1], sizeof(forms[1]), "0x%" PRIx64, secrets[i]);
		snprintf(forms[2], sizeof(forms[2]), "0x%" PRIX64, secrets[i]);
		snprintf(forms[3], sizeof(forms[3]), "%" PRIu64, secrets[i]);
		for (k = 0; k < 4; k++)
			if (has_text(out, n, forms[k])) {
				snprintf(what, sizeof(what), "MTRR value %s",
					 forms[k]);
				return what;
			}
	}
	return NULL;
}

/* Binary replies: also a secret as a raw 64-bit value. */
static const char *binary_leak(const char *out, size_t n)
{
	int i;

	for (i = 0; i < nsecrets; i++)
		if (memmem(out, n, &secrets[i], sizeof(secrets[i])))
			return "an MTRR value (binary)";
	return text_leak(out, n);
}

/*
 * Runs fn as root or as nobody in a child; what it writes to the pipe
 * comes back in out. Returns the bytes read, or -1.
 */
static ssize_t as_user(bool nobody, void (*fn)(int, void *), void *arg,
		       char *out, size_t size)
{
	int p[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(p[0]);
		if (nobody && (setgroups(0, NULL) ||
			       setresgid(NOBODY, NOBODY, NOBODY) ||
			       setresuid(NOBODY, NOBODY, NOBODY)))
			_exit(2);
		fn(p[1], arg);
		_exit(0);
	}
	close(p[1]);
	while (got < size && (n = read(p[0], out + got, size - got)) > 0)
		got += n;
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return got;
}

static void put(int fd, const void *buf, size_t n)
{
	if (write(fd, buf, n) != (ssize_t)n)
		_exit(3);
}

/* sysfs: every file of the module that the caller may read. */
static void walk(int out, const char *dir, int *files, int *denied)
{
	char path[512], buf[4096];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d) {
		(*denied)++;
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;
		ssize_t n;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(out, path, files, denied);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			(*denied)++;
			continue;
		}
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n > 0)
			put(out, buf, n);
		(*files)++;
	}
	closedir(d);
}

struct walk_count {
	int files, denied;
};

static void sysfs_all(int out, void *arg)
{
	struct walk_count c = { 0 };
	char line[64];

	walk(out, "/sys/kernel/dom0gpu", &c.files, &c.denied);
	/* The counts come last, on a line of their own. */
	snprintf(line, sizeof(line), "\nCOUNTS %d %d\n", c.files, c.denied);
	put(out, line, strlen(line));
	(void)arg;
}

/* netlink: every command, as a request and as a dump; replies as sent. */
static void netlink_all(int out, void *arg)
{
	static char buf[RNL_BUF];
	char req[64] __attribute__((aligned(4)));
	size_t len = NLMSG_HDRLEN + GENL_HDRLEN;
	int fd = rnl_open(), family, cmd, dump;
	uint32_t seq = 0;

	(void)arg;
	family = fd < 0 ? fd : rnl_family(fd, DOM0GPU_FAMILY_NAME);
	if (family < 0)
		_exit(4);
	for (cmd = 1; cmd <= DOM0GPU_CMD_MAX; cmd++) {
		for (dump = 0; dump < 2; dump++) {
			bool done = false;

			rnl_hdr(req, family, NLM_F_REQUEST | NLM_F_ACK |
				(dump ? NLM_F_DUMP : 0), ++seq, cmd, len);
			if (send(fd, req, len, 0) < 0)
				_exit(5);
			while (!done) {
				struct pollfd p = { .fd = fd, .events = POLLIN };
				struct nlmsghdr *nlh;
				ssize_t n;

				if (poll(&p, 1, RNL_TIMEOUT_MS) <= 0)
					_exit(6);
				n = recv(fd, buf, sizeof(buf), 0);
				if (n < 0)
					_exit(7);
				put(out, buf, n);
				for (nlh = (struct nlmsghdr *)buf;
				     NLMSG_OK(nlh, (size_t)n);
				     nlh = NLMSG_NEXT(nlh, n))
					if (nlh->nlmsg_seq == seq &&
					    (nlh->nlmsg_type == NLMSG_ERROR ||
					     nlh->nlmsg_type == NLMSG_DONE))
						done = true;
			}
		}
	}
	close(fd);
}

/* Attributes nobody must never get, wherever they are in a reply. */
struct nl_scan {
	int forbidden, mtrr_restricted, xen_restricted, messages;
};

static void scan_nest(const struct nlattr *nest, int top, struct nl_scan *s)
{
	struct nlattr *a, *v;

	rnl_for_each(a, rnl_data(nest), rnl_len(nest)) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (top == DOM0GPU_A_XEN && t == DOM0GPU_A_XEN_CMDLINE)
			s->forbidden++;
		if (top == DOM0GPU_A_XEN && t == DOM0GPU_A_XEN_RESTRICTED)
			s->xen_restricted++;
		if (top == DOM0GPU_A_MTRR && t == DOM0GPU_A_MTRR_RESTRICTED)
			s->mtrr_restricted++;
		if (top != DOM0GPU_A_MTRR || t != DOM0GPU_A_MTRR_VAR)
			continue;
		rnl_for_each(v, rnl_data(a), rnl_len(a)) {
			int vt = v->nla_type & NLA_TYPE_MASK;

			if (vt == DOM0GPU_A_MTRR_VAR_BASE ||
			    vt == DOM0GPU_A_MTRR_VAR_MASK ||
			    vt == DOM0GPU_A_MTRR_VAR_SIZE)
				s->forbidden++;
		}
	}
}

static void scan_replies(const char *buf, ssize_t n, struct nl_scan *s)
{
	const struct nlmsghdr *nlh;

	for (nlh = (const struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
	     nlh = NLMSG_NEXT(nlh, n)) {
		struct nlattr *a;

		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		s->messages++;
		rnl_for_each(a, rnl_attrs(nlh), rnl_attrlen(nlh)) {
			int t = a->nla_type & NLA_TYPE_MASK;

			if (t == DOM0GPU_A_XEN || t == DOM0GPU_A_MTRR)
				scan_nest(a, t, s);
		}
	}
}

/* dom0gpu-stat in every output format; each run's output in turn. */
static void stat_all(int out, void *arg)
{
	static const char * const formats[] = { "", "--json", "--prometheus",
						 "--dump" };
	const char *stat = arg;
	char cmd[512];
	unsigned int i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		FILE *p;
		char buf[4096];
		size_t n;

		snprintf(cmd, sizeof(cmd), "NO_COLOR=1 %s %s 2>&1", stat,
			 formats[i]);
		p = popen(cmd, "r");
		if (!p)
			_exit(8);
		while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
			put(out, buf, n);
		/* Its verdict is stat_test.sh's business; here only text. */
		pclose(p);
	}
}

static char out_root[OUT_MAX], out_nobody[OUT_MAX];

FIXTURE(priv) {
	int unused;
};

FIXTURE_SETUP(priv)
{
	if (getuid() != 0)
		SKIP(return, "needs root to compare root and nobody");
	gather_secrets();
	printf("# secrets: Xen command line %s, %d MTRR values\n",
	       *cmdline ? "known" : "none (not under Xen)", nsecrets);
}

FIXTURE_TEARDOWN(priv)
{
}

TEST_F(priv, sysfs)
{
	ssize_t r = as_user(false, sysfs_all, NULL, out_root, OUT_MAX);
	ssize_t n = as_user(true, sysfs_all, NULL, out_nobody, OUT_MAX);
	struct walk_count root = { 0 }, nob = { 0 };
	const char *c, *leak;

	ASSERT_LT(0, r);
	ASSERT_LT(0, n);
	c = memmem(out_root, r, "\nCOUNTS ", 8);
	ASSERT_NE(NULL, c);
	sscanf(c + 8, "%d %d", &root.files, &root.denied);
	c = memmem(out_nobody, n, "\nCOUNTS ", 8);
	ASSERT_NE(NULL, c);
	sscanf(c + 8, "%d %d", &nob.files, &nob.denied);
	printf("# root read %d files; nobody read %d, was denied %d\n",
	       root.files, nob.files, nob.denied);
	EXPECT_EQ(0, root.denied);
	/* Root sees the secrets there: the search finds them. */
	if (nsecrets || (*cmdline && !access(D0G_SYSFS "xen/cmdline", F_OK)))
		EXPECT_NE(NULL, text_leak(out_root, r));
	leak = text_leak(out_nobody, n);
	EXPECT_EQ(NULL, leak) TH_LOG("nobody reads %s in sysfs", leak);
	EXPECT_LT(0, nob.files);
}

TEST_F(priv, netlink)
{
	ssize_t r = as_user(false, netlink_all, NULL, out_root, OUT_MAX);
	ssize_t n = as_user(true, netlink_all, NULL, out_nobody, OUT_MAX);
	struct nl_scan sr = { 0 }, sn = { 0 };
	char buf[16];
	const char *leak;

	ASSERT_LT(0, r);
	ASSERT_LT(0, n);
	scan_replies(out_root, r, &sr);
	scan_replies(out_nobody, n, &sn);
	printf("# %d commands as request and dump: root got %d messages, nobody %d\n",
	       DOM0GPU_CMD_MAX, sr.messages, sn.messages);
	EXPECT_EQ(sr.messages, sn.messages);
	if (nsecrets || *cmdline) {
		EXPECT_LT(0, sr.forbidden);
		EXPECT_NE(NULL, binary_leak(out_root, r));
	}
	EXPECT_EQ(0, sn.forbidden);
	leak = binary_leak(out_nobody, n);
	EXPECT_EQ(NULL, leak) TH_LOG("nobody gets %s over netlink", leak);
	/* Nobody is told what was held back. */
	if (!d0g_sysfs("mtrr/readable", buf, sizeof(buf)) && buf[0] == '1')
		EXPECT_LT(0, sn.mtrr_restricted);
	if (*cmdline)
		EXPECT_LT(0, sn.xen_restricted);
	EXPECT_EQ(0, sr.mtrr_restricted + sr.xen_restricted);
}

TEST_F(priv, dom0gpu_stat)
{
	const char *stat = getenv("D0G_STAT");
	ssize_t r, n;
	const char *leak;

	if (!stat || !*stat || access(stat, X_OK))
		SKIP(return, "dom0gpu-stat not built");
	r = as_user(false, stat_all, (void *)stat, out_root, OUT_MAX);
	n = as_user(true, stat_all, (void *)stat, out_nobody, OUT_MAX);
	ASSERT_LT(0, r);
	ASSERT_LT(0, n);
	printf("# dom0gpu-stat (human, --json, --prometheus, --dump): root %zd bytes, nobody %zd bytes; root's shows a secret: %s\n",
	       r, n, text_leak(out_root, r) ?: "no");
	leak = text_leak(out_nobody, n);
	EXPECT_EQ(NULL, leak) TH_LOG("dom0gpu-stat shows nobody %s", leak);
}

TEST_HARNESS_MAIN
