// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the dom0gpu generic netlink family from inside a test VM: random
 * and mutated requests (every command and then some, random flags with
 * NLM_F_DUMP/ACK/ECHO combinations, attribute types, lengths and nesting,
 * truncated headers, wrong nlmsg_len, several messages per datagram), sent
 * as root and as nobody. Afterwards the module must still answer a normal
 * snapshot request with the values its sysfs files hold, hold no extra
 * module reference, and the kernel log must show no WARN, BUG, oops,
 * KASAN, UBSAN or lockdep report.
 *
 * D0G_FUZZ_ITERATIONS  messages as root (default 20000); nobody sends a
 *                      quarter of that again
 * D0G_FUZZ_SECONDS     stop each part after this long even if short of
 *                      the count (default 20, keeping make check short
 *                      where syscalls are slow, as in a Xen PV dom0 under
 *                      TCG); 0: no limit (make check-long)
 * D0G_FUZZ_SEED        PRNG seed (default: from the clock; always printed,
 *                      so a failing run can be replayed)
 */
#include <grp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include "raw_nl.h"
/* The harness's own signal handler has an unused parameter. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#define NOBODY		65534
#define MSG_MAX		4096
#define MAX_DEPTH	4

static uint64_t rng;

/* xorshift64*: small, fast, reproducible from the printed seed. */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* What the fuzzer saw; shared with the unprivileged child. */
struct stats {
	unsigned long sent;
	unsigned long send_err;
	unsigned long send_errors[136];	/* failed send() by errno */
	unsigned long replies;		/* data messages */
	unsigned long acks;		/* NLMSG_ERROR with 0 */
	unsigned long dones;		/* NLMSG_DONE */
	unsigned long enobufs;
	unsigned long errors[136];	/* NLMSG_ERROR by errno */
	unsigned long kinds[5];		/* messages built per generator */
};

struct fuzzer {
	int fd;
	uint16_t family;
	uint32_t seq;
	struct stats *st;
};

/* Random attributes at buf + *off, at most room bytes; nests recurse. */
static void gen_attrs(char *buf, size_t *off, size_t room, int depth)
{
	size_t end = *off + room;
	unsigned int n = below(7), i;

	for (i = 0; i < n; i++) {
		struct nlattr *a;
		size_t start = *off, len;
		uint16_t type;

		if (start + NLA_HDRLEN + 16 > end)
			return;
		a = (struct nlattr *)(buf + start);
		type = chance(85) ? below(DOM0GPU_A_MAX + 3) : below(1 << 14);
		if (chance(15))
			type |= NLA_F_NESTED;
		if (chance(3))
			type |= NLA_F_NET_BYTEORDER;
		*off += NLA_HDRLEN;
		if ((type & NLA_F_NESTED || chance(20)) && depth < MAX_DEPTH) {
			gen_attrs(buf, off, end - *off, depth + 1);
		} else if (chance(30)) {
			/* A cpu id, the only leaf any request takes. */
			uint32_t id = chance(70) ? below(4) : (uint32_t)rnd();

			rnl_put(buf, off, DOM0GPU_A_CPU_ID, &id,
				chance(80) ? 4 : below(5));
		} else {
			static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 7, 8,
							9, 12, 16, 17, 64 };

			len = sizes[below(sizeof(sizes) / sizeof(sizes[0]))];
			if (*off + len > end)
				len = end - *off;
			for (size_t k = 0; k < len; k++)
				buf[*off + k] = (char)rnd();
			*off += NLA_ALIGN(len);
			if (*off > end)
				*off = end;
		}
		a->nla_type = type;
		len = *off - start;
		a->nla_len = (uint16_t)len;
		if (chance(8)) {
			/* A length that lies: short, long, odd or huge. */
			static const uint16_t lies[] = { 0, 1, 3, 4, 5, 0xffff };

			a->nla_len = chance(50) ?
				lies[below(sizeof(lies) / sizeof(lies[0]))] :
				(uint16_t)(len + 1 + below(64));
		}
	}
}

static uint16_t gen_flags(void)
{
	static const uint16_t bits[] = {
		NLM_F_ACK, NLM_F_ECHO, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC,
		NLM_F_MULTI, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED,
		NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE,
	};
	uint16_t f = chance(90) ? NLM_F_REQUEST : 0;
	unsigned int i;

	if (chance(35))
		f |= NLM_F_DUMP;
	if (chance(50))
		f |= NLM_F_ACK;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (chance(5))
			f |= bits[i];
	if (chance(2))
		f = (uint16_t)rnd();
	return f;
}

static uint8_t gen_cmd(void)
{
	return chance(90) ? (uint8_t)below(DOM0GPU_CMD_MAX + 3) :
			    (uint8_t)rnd();
}

/* One structured message: a genetlink header and random attributes. */
static size_t gen_structured(struct fuzzer *f, char *buf, size_t room)
{
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	uint16_t type = f->family;

	if (chance(3))
		type = (uint16_t)below(NLMSG_MIN_TYPE);
	gen_attrs(buf, &off, room - off, 0);
	rnl_hdr(buf, type, gen_flags(), ++f->seq, gen_cmd(), off);
	if (chance(10))
		((struct genlmsghdr *)NLMSG_DATA(buf))->version = (uint8_t)rnd();
	if (chance(5))
		((struct genlmsghdr *)NLMSG_DATA(buf))->reserved =
			(uint16_t)rnd();
	return off;
}

/* A request the module accepts, before mutation. */
static size_t gen_valid(struct fuzzer *f, char *buf)
{
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	uint8_t cmd = 1 + below(DOM0GPU_CMD_GET_GPU);
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;

	if (cmd == DOM0GPU_CMD_GET_GPU || (cmd == DOM0GPU_CMD_GET_CPU &&
					   chance(50))) {
		flags |= NLM_F_DUMP;
	} else if (cmd == DOM0GPU_CMD_GET_CPU) {
		struct nlattr *nest;
		uint32_t id = below(4);

		nest = rnl_put(buf, &off, DOM0GPU_A_CPU | NLA_F_NESTED, NULL, 0);
		rnl_put(buf, &off, DOM0GPU_A_CPU_ID, &id, sizeof(id));
		nest->nla_len = (uint16_t)((char *)buf + off - (char *)nest);
	}
	rnl_hdr(buf, f->family, flags, ++f->seq, cmd, off);
	return off;
}

/* Byte flips, bit flips, truncation or extension of a valid request. */
static size_t gen_mutated(struct fuzzer *f, char *buf, size_t room)
{
	size_t len = gen_valid(f, buf);
	unsigned int n = 1 + below(8), i;

	for (i = 0; i < n; i++) {
		size_t at = below((uint32_t)len);

		switch (below(4)) {
		case 0:
			buf[at] = (char)rnd();
			break;
		case 1:
			buf[at] ^= (char)(1 << below(8));
			break;
		case 2:
			len = below((uint32_t)len + 1);
			break;
		default:
			if (len + 8 <= room) {
				memset(buf + len, (int)below(256), 8);
				len += 8;
			}
		}
		if (!len)
			break;
	}
	return len;
}

/* Shorter than the netlink and/or genetlink header. */
static size_t gen_truncated(struct fuzzer *f, char *buf)
{
	size_t len = below(NLMSG_HDRLEN + GENL_HDRLEN + 4);

	rnl_hdr(buf, f->family, gen_flags(), ++f->seq, gen_cmd(),
		chance(50) ? len : NLMSG_HDRLEN + GENL_HDRLEN);
	return len;
}

/* A valid request whose nlmsg_len disagrees with the datagram. */
static size_t gen_bad_len(struct fuzzer *f, char *buf)
{
	static const uint32_t lens[] = { 0, 1, 15, 16, 17, 19, 20, 21, 0xffff,
					 0xffffffff, 0x80000000 };
	size_t len = gen_valid(f, buf);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	switch (below(3)) {
	case 0:
		nlh->nlmsg_len = lens[below(sizeof(lens) / sizeof(lens[0]))];
		break;
	case 1:
		nlh->nlmsg_len = (uint32_t)(len - 1 - below(8));
		break;
	default:
		nlh->nlmsg_len = (uint32_t)(len + 1 + below(64));
	}
	return len;
}

/* Builds one datagram; returns its length. */
static size_t gen(struct fuzzer *f, char *buf)
{
	unsigned int kind = below(100);
	size_t len = 0, n;

	memset(buf, 0, MSG_MAX);
	if (kind < 45) {
		f->st->kinds[0]++;
		return gen_structured(f, buf, MSG_MAX);
	}
	if (kind < 70) {
		f->st->kinds[1]++;
		return gen_mutated(f, buf, MSG_MAX);
	}
	if (kind < 80) {
		f->st->kinds[2]++;
		return gen_truncated(f, buf);
	}
	if (kind < 90) {
		f->st->kinds[3]++;
		return gen_bad_len(f, buf);
	}
	/* Several messages in one datagram, the last maybe cut short. */
	f->st->kinds[4]++;
	for (n = 2 + below(3); n && len + 1024 <= MSG_MAX; n--)
		len += NLMSG_ALIGN(chance(50) ?
				   gen_structured(f, buf + len, 1024) :
				   gen_valid(f, buf + len));
	if (chance(20) && len > NLMSG_HDRLEN)
		len -= below(NLMSG_HDRLEN);
	return len;
}

/* Reads everything queued, so that dumps run to their end. */
static void drain(struct fuzzer *f)
{
	static char buf[RNL_BUF];
	ssize_t n;

	for (;;) {
		struct nlmsghdr *nlh;

		n = recv(f->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				f->st->enobufs++;
				continue;
			}
			return;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);
				unsigned int err = (unsigned int)-e->error;

				if (!e->error)
					f->st->acks++;
				else if (err < 136)
					f->st->errors[err]++;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				f->st->dones++;
			} else {
				f->st->replies++;
			}
		}
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sends up to iterations messages, until deadline if that is not 0. */
static void fuzz(struct fuzzer *f, unsigned long iterations, double deadline)
{
	static char buf[MSG_MAX] __attribute__((aligned(8)));
	unsigned long i;

	for (i = 0; i < iterations; i++) {
		if (deadline && !(i % 256) && now() > deadline)
			return;
		size_t len = gen(f, buf);

		if (send(f->fd, buf, len, 0) < 0) {
			f->st->send_err++;
			if (errno < 136)
				f->st->send_errors[errno]++;
		}
		f->st->sent++;
		drain(f);
	}
}

/* Sockets with and without extended acks and strict dump checking. */
static int fuzz_socket(bool ext)
{
	int fd = rnl_open(), one = 1;

	if (fd >= 0 && ext) {
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
		setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
			   sizeof(one));
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	}
	return fd;
}

static void print_stats(const char *who, const struct stats *st,
			double secs)
{
	static const char * const kinds[] = { "structured", "mutated",
		"truncated", "bad_nlmsg_len", "batched" };
	unsigned int i;

	printf("# %s: %lu messages in %.1f s (%.0f/s), %lu send errors\n", who,
	       st->sent, secs, secs > 0 ? st->sent / secs : 0.0, st->send_err);
	printf("# %s: generators:", who);
	for (i = 0; i < 5; i++)
		printf(" %s=%lu", kinds[i], st->kinds[i]);
	printf("\n# %s: replies: data=%lu done=%lu ack=%lu enobufs=%lu\n", who,
	       st->replies, st->dones, st->acks, st->enobufs);
	printf("# %s: send errors:", who);
	for (i = 0; i < 136; i++)
		if (st->send_errors[i])
			printf(" %s=%lu", strerrorname_np(i) ?: "?",
			       st->send_errors[i]);
	printf("\n# %s: error acks:", who);
	for (i = 0; i < 136; i++)
		if (st->errors[i])
			printf(" %s=%lu", strerrorname_np(i) ?: "?", st->errors[i]);
	printf("\n");
}

static unsigned long iterations(void)
{
	const char *s = getenv("D0G_FUZZ_ITERATIONS");

	return s && *s ? strtoul(s, NULL, 0) : 20000;
}

/* 0, or when a fuzzing part started now must stop. */
static double deadline(void)
{
	const char *s = getenv("D0G_FUZZ_SECONDS");
	double secs = s && *s ? strtod(s, NULL) : 20;

	return secs > 0 ? now() + secs : 0;
}

/* All messages were sent, or the time limit stopped the part early. */
static bool complete(unsigned long want, const struct stats *st,
		     const char *who)
{
	if (st->sent == want)
		return true;
	printf("# %s: stopped by D0G_FUZZ_SECONDS after %lu of %lu messages\n",
	       who, st->sent, want);
	return false;
}

static long module_refcnt(void)
{
	char buf[32];
	FILE *f = fopen("/sys/module/dom0gpu/refcnt", "r");
	long v = -1;

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			v = strtol(buf, NULL, 10);
		fclose(f);
	}
	return v;
}

/* Compares a snapshot reply with sysfs; counts mismatches. */
struct snap_check {
	int mismatches;
	int gpus;
	bool version;
};

static void snap_cb(const struct nlmsghdr *nlh, void *arg)
{
	static const char * const modes[] = { "?", "kernel", "builtin",
					      "disabled" };
	static const char * const doms[] = { "?", "none", "pv", "pvh", "hvm" };
	struct snap_check *c = arg;
	char want[256];
	struct nlattr *a, *x;

	rnl_for_each(a, rnl_attrs(nlh), rnl_attrlen(nlh)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case DOM0GPU_A_VERSION:
			c->version = true;
			if (d0g_sysfs("version", want, sizeof(want)) ||
			    strncmp(want, rnl_data(a), rnl_len(a))) {
				printf("# version differs from sysfs\n");
				c->mismatches++;
			}
			break;
		case DOM0GPU_A_PAT:
			x = rnl_find(rnl_data(a), rnl_len(a), DOM0GPU_A_PAT_MSR);
			if (x && (d0g_sysfs("pat/msr", want, sizeof(want)) ||
				  strtoull(want, NULL, 16) != rnl_uint(x))) {
				printf("# pat msr differs from sysfs\n");
				c->mismatches++;
			}
			break;
		case DOM0GPU_A_NVIDIA:
			x = rnl_find(rnl_data(a), rnl_len(a),
				     DOM0GPU_A_NVIDIA_PAT_MODE);
			if (!x || rnl_uint(x) > 3 ||
			    d0g_sysfs("nvidia/pat_mode", want, sizeof(want)) ||
			    strcmp(want, modes[rnl_uint(x)])) {
				printf("# nvidia pat_mode differs from sysfs\n");
				c->mismatches++;
			}
			break;
		case DOM0GPU_A_XEN:
			x = rnl_find(rnl_data(a), rnl_len(a),
				     DOM0GPU_A_XEN_DOMAIN_TYPE);
			if (!x || rnl_uint(x) > 4 ||
			    d0g_sysfs("xen/domain_type", want, sizeof(want)) ||
			    strcmp(want, doms[rnl_uint(x)])) {
				printf("# xen domain_type differs from sysfs\n");
				c->mismatches++;
			}
			break;
		case DOM0GPU_A_GPU:
			c->gpus++;
			break;
		}
	}
}

/* 0 if a plain get-snapshot answers with what sysfs says. */
static int check_snapshot(int fd, uint16_t family)
{
	char req[64] __attribute__((aligned(4)));
	size_t len = NLMSG_HDRLEN + GENL_HDRLEN;
	struct snap_check c = { 0 };
	struct rnl_result res;
	char buf[32];
	int err;

	rnl_hdr(req, family, NLM_F_REQUEST | NLM_F_ACK, 7,
		DOM0GPU_CMD_GET_SNAPSHOT, len);
	if (send(fd, req, len, 0) < 0)
		return -errno;
	err = rnl_collect(fd, 7, &res, snap_cb, &c);
	if (err || res.error || res.data != 1) {
		printf("# snapshot: err %d, ack error %d, %d replies\n", err,
		       res.error, res.data);
		return -1;
	}
	if (d0g_sysfs("gpus/count", buf, sizeof(buf)) ||
	    atoi(buf) != c.gpus) {
		printf("# snapshot has %d gpus, sysfs gpus/count %s\n", c.gpus,
		       buf);
		c.mismatches++;
	}
	return c.version ? c.mismatches : -1;
}

FIXTURE(fuzz) {
	struct stats *st;
	int family;
	int kmsg;
	long refcnt;
	uint64_t seed;
};

FIXTURE_SETUP(fuzz)
{
	const char *s = getenv("D0G_FUZZ_SEED");
	int fd = rnl_open();

	ASSERT_LE(0, fd);
	self->family = rnl_family(fd, DOM0GPU_FAMILY_NAME);
	close(fd);
	ASSERT_LT(0, self->family) TH_LOG("family %s not registered",
					  DOM0GPU_FAMILY_NAME);
	self->st = mmap(NULL, sizeof(*self->st), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->st);
	memset(self->st, 0, sizeof(*self->st));
	self->kmsg = kmsg_open_end();
	self->refcnt = module_refcnt();
	self->seed = s && *s ? strtoull(s, NULL, 0) :
		     (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	if (!self->seed)
		self->seed = 1;
	rng = self->seed;
	printf("# seed %llu (D0G_FUZZ_SEED=%llu replays this test)\n",
	       (unsigned long long)self->seed,
	       (unsigned long long)self->seed);
}

FIXTURE_TEARDOWN(fuzz)
{
	munmap(self->st, sizeof(*self->st));
	if (self->kmsg >= 0)
		close(self->kmsg);
}

/* The module answers, holds no reference and the kernel stayed clean. */
static void check_after(struct __test_metadata *_metadata,
			FIXTURE_DATA(fuzz) *self)
{
	int fd = rnl_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(self->family, rnl_family(fd, DOM0GPU_FAMILY_NAME));
	EXPECT_EQ(0, check_snapshot(fd, self->family));
	close(fd);
	/* Sockets closed: no dump may still pin the module. */
	EXPECT_EQ(self->refcnt, module_refcnt());
	EXPECT_EQ(0, kmsg_bugs(self->kmsg));
}

TEST_F_TIMEOUT(fuzz, as_root, 7200)
{
	struct fuzzer f = { .family = self->family, .st = self->st };
	unsigned long n = iterations();
	double t0 = now(), end = deadline();
	int plain = fuzz_socket(false), ext = fuzz_socket(true);

	ASSERT_LE(0, plain);
	ASSERT_LE(0, ext);
	/* Half the time (or count) on each socket. */
	f.fd = plain;
	fuzz(&f, n / 2, end ? t0 + (end - t0) / 2 : 0);
	f.fd = ext;
	fuzz(&f, n - self->st->sent, end);
	close(plain);
	close(ext);
	print_stats("root", self->st, now() - t0);
	/* Short of the count only where a time limit was set. */
	if (!complete(n, self->st, "root"))
		EXPECT_NE(0, end);
	EXPECT_LT(0UL, self->st->sent);
	/* The fuzzer reached the module: it answered and it refused. */
	EXPECT_LT(0UL, self->st->replies);
	EXPECT_LT(0UL, self->st->errors[EINVAL]);
	check_after(_metadata, self);
}

TEST_F_TIMEOUT(fuzz, as_nobody, 7200)
{
	unsigned long n = iterations() / 4;
	double t0 = now(), end = deadline();
	int status;
	pid_t pid;

	if (getuid() != 0)
		SKIP(return, "needs root to become nobody");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct fuzzer f = { .family = self->family, .st = self->st };

		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		f.fd = fuzz_socket(true);
		if (f.fd < 0)
			_exit(3);
		fuzz(&f, n, end);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	print_stats("nobody", self->st, now() - t0);
	/* Short of the count only where a time limit was set. */
	if (!complete(n, self->st, "nobody"))
		EXPECT_NE(0, end);
	EXPECT_LT(0UL, self->st->sent);
	EXPECT_LT(0UL, self->st->replies);
	check_after(_metadata, self);
}

TEST_HARNESS_MAIN
