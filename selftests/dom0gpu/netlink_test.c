// SPDX-License-Identifier: GPL-2.0
/*
 * The dom0gpu generic netlink family, inside a test VM with dom0gpu.ko
 * loaded:
 *  - every value it reports equals the module's sysfs file for it;
 *  - the per-CPU PAT dump lists each CPU the kernel has online exactly once,
 *    in several parts when they do not fit in one;
 *  - offlining and onlining a CPU is multicast to the "events" group;
 *  - malformed requests get the documented errno and extack message;
 *  - callers without CAP_SYS_ADMIN/CAP_NET_ADMIN get no physical addresses
 *    and no Xen command line, but a "restricted" flag;
 *  - a socket survives the module's unload and reload.
 *
 * Requests are built and replies parsed with libnl; they are sent and read
 * on the raw socket so that parts, flags and acks can be checked exactly.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/dom0gpu.h>
/*
 * The harness's own signal handler has an unused parameter, and its fixture
 * wrapper keeps a local across setjmp().
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "pvh_hotplug.h"

#define SYSFS		"/sys/kernel/dom0gpu/"
#define MAX_MSGS	1024
#define NOBODY		65534

/* Everything read back for one request. */
struct reply {
	struct nlmsghdr *msg[MAX_MSGS];	/* data messages, malloc'd copies */
	int n;
	int parts;			/* datagrams read */
	bool ended;			/* an ack, an error or NLMSG_DONE came */
	bool intr;			/* a part had NLM_F_DUMP_INTR */
	int error;			/* positive errno of the ack, 0 if none */
	char extack[256];		/* NLMSGERR_ATTR_MSG, "" if none */
	int bad_offs;			/* NLMSGERR_ATTR_OFFS, -1 if none */
};

static void reply_free(struct reply *r)
{
	while (r->n)
		free(r->msg[--r->n]);
}

/* sysfs ------------------------------------------------------------------ */

/* A sysfs value without its newline, or -errno. */
static int sysfs_read(const char *rel, char *buf, size_t size)
{
	char path[256];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "%s%s", rel[0] == '/' ? "" : SYSFS, rel);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

static void sys_str(struct __test_metadata *_metadata, const char *rel,
		    char *buf, size_t size)
{
	int err = sysfs_read(rel, buf, size);

	ASSERT_EQ(0, err) TH_LOG("read %s: %s", rel, strerror(-err));
}

static void check_str(struct __test_metadata *_metadata, const char *rel,
		      const char *value)
{
	char buf[4096];

	sys_str(_metadata, rel, buf, sizeof(buf));
	EXPECT_STREQ(buf, value) TH_LOG("%s", rel);
}

static void check_num(struct __test_metadata *_metadata, const char *rel,
		      long long value)
{
	char buf[64], *end;
	long long v;

	sys_str(_metadata, rel, buf, sizeof(buf));
	errno = 0;
	v = (long long)strtoull(buf, &end, 0);
	if (buf[0] == '-')
		v = strtoll(buf, &end, 0);
	ASSERT_TRUE(errno == 0 && end != buf && *end == '\0')
		TH_LOG("%s: not a number: \"%s\"", rel, buf);
	EXPECT_EQ(value, v) TH_LOG("%s", rel);
}

/* attributes ------------------------------------------------------------- */

static struct nlattr *need(struct __test_metadata *_metadata,
			   struct nlattr **tb, int type, const char *what)
{
	ASSERT_NE(NULL, tb[type]) TH_LOG("attribute %s missing", what);
	return tb[type];
}

/* Any unsigned scalar by its length; signed 32-bit ones sign-extended. */
static uint64_t uval(const struct nlattr *a)
{
	switch (nla_len(a)) {
	case 1:
		return nla_get_u8((struct nlattr *)a);
	case 2:
		return nla_get_u16((struct nlattr *)a);
	case 4:
		return nla_get_u32((struct nlattr *)a);
	default:
		return nla_get_u64((struct nlattr *)a);
	}
}

static long long sval(const struct nlattr *a)
{
	return (int32_t)nla_get_u32((struct nlattr *)a);
}

#define U(tb, type)	((long long)uval(need(_metadata, tb, type, #type)))
#define S(tb, type)	sval(need(_metadata, tb, type, #type))
#define STR(tb, type)	nla_get_string(need(_metadata, tb, type, #type))

static void parse_top(struct nlmsghdr *nlh, struct nlattr **tb)
{
	genlmsg_parse(nlh, 0, tb, DOM0GPU_A_MAX, NULL);
}

static void parse_nest(struct nlattr *nest, int max, struct nlattr **tb)
{
	nla_parse_nested(tb, max, nest, NULL);
}

static const char *mem_name(uint32_t type)
{
	static const char * const names[] = {
		[DOM0GPU_MEM_TYPE_UC] = "UC",
		[DOM0GPU_MEM_TYPE_WC] = "WC",
		[DOM0GPU_MEM_TYPE_WT] = "WT",
		[DOM0GPU_MEM_TYPE_WP] = "WP",
		[DOM0GPU_MEM_TYPE_WB] = "WB",
		[DOM0GPU_MEM_TYPE_UC_MINUS] = "UC-",
		[DOM0GPU_MEM_TYPE_RESERVED] = "??",
	};

	return type < 8 && names[type] ? names[type] : "(bad)";
}

static const char *pat_mode_name(uint32_t mode)
{
	switch (mode) {
	case DOM0GPU_PAT_MODE_KERNEL:
		return "kernel";
	case DOM0GPU_PAT_MODE_BUILTIN:
		return "builtin";
	case DOM0GPU_PAT_MODE_DISABLED:
		return "disabled";
	}
	return "(bad)";
}

static const char *xen_domain_name(uint32_t type)
{
	static const char * const names[] = { "(bad)", "none", "pv", "pvh",
					       "hvm" };

	return type < 5 ? names[type] : "(bad)";
}

static const char *iommu_owner_name(uint32_t owner)
{
	static const char * const names[] = { "(bad)", "none", "linux", "xen" };

	return owner < 4 ? names[owner] : "(bad)";
}

static const char *iommu_domain_name(uint32_t domain)
{
	static const char * const names[] = { "(bad)", "none", "passthrough",
					       "translated", "unmanaged",
					       "blocked", "other" };

	return domain < 7 ? names[domain] : "(bad)";
}

/* The eight entries of a layout multi-attribute, as sysfs prints them. */
static void layout_str(struct nlattr *nest, int type, char *buf, size_t size,
		       int *count)
{
	struct nlattr *a;
	size_t len = 0;
	int rem;

	*count = 0;
	buf[0] = '\0';
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != type)
			continue;
		len += snprintf(buf + len, size - len, "%s%s", *count ? " " : "",
				mem_name(nla_get_u32(a)));
		++*count;
	}
}

/* netlink ---------------------------------------------------------------- */

struct d0g_ids {
	int family;
	int events;
};

static int resolve(struct d0g_ids *ids)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret = -1;

	if (!sk)
		return -1;
	if (genl_connect(sk) == 0) {
		ids->family = genl_ctrl_resolve(sk, DOM0GPU_FAMILY_NAME);
		ids->events = genl_ctrl_resolve_grp(sk, DOM0GPU_FAMILY_NAME,
						    DOM0GPU_MCGRP_EVENTS);
		ret = ids->family > 0 && ids->events > 0 ? 0 : -1;
	}
	nl_socket_free(sk);
	return ret;
}

/* A netlink socket asking for extended acks without the request echoed. */
static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void parse_ack(struct reply *r, const struct nlmsghdr *nlh,
		      const void *tlvs)
{
	const struct nlattr *a;
	int len = (int)nlh->nlmsg_len - ((const char *)tlvs - (const char *)nlh);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	for (a = tlvs; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	     a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			snprintf(r->extack, sizeof(r->extack), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)a + NLA_HDRLEN);
		else if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_OFFS)
			r->bad_offs = *(const uint32_t *)((const char *)a +
							  NLA_HDRLEN);
	}
}

/*
 * Reads replies to sequence number seq until an ack, an error or the end
 * of a dump, reading datagrams of at most bufsize bytes. Returns false if
 * nothing ended the exchange within timeout_ms.
 */
static bool nl_read(int fd, uint32_t seq, size_t bufsize, int timeout_ms,
		    struct reply *r)
{
	char *buf = malloc(bufsize);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	memset(r, 0, sizeof(*r));
	r->bad_offs = -1;
	while (buf && !r->ended && poll(&pfd, 1, timeout_ms) == 1) {
		struct iovec iov = { .iov_base = buf, .iov_len = bufsize };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		struct nlmsghdr *nlh;
		ssize_t n = recvmsg(fd, &mh, 0);

		if (n <= 0 || (mh.msg_flags & MSG_TRUNC))
			break;
		r->parts++;
		for (nlh = (void *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				r->error = -e->error;
				r->ended = true;
				parse_ack(r, nlh, e + 1);
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				r->error = -*(int *)NLMSG_DATA(nlh);
				r->ended = true;
				parse_ack(r, nlh, (int *)NLMSG_DATA(nlh) + 1);
			} else if (r->n < MAX_MSGS) {
				r->intr |= nlh->nlmsg_flags & NLM_F_DUMP_INTR;
				r->msg[r->n] = malloc(nlh->nlmsg_len);
				memcpy(r->msg[r->n++], nlh, nlh->nlmsg_len);
			}
		}
	}
	free(buf);
	return r->ended;
}

static uint32_t next_seq = 1;

/* Sends len bytes of a request, stamping its sequence number. */
static uint32_t nl_send_raw(int fd, void *req, size_t len)
{
	struct nlmsghdr *nlh = req;

	nlh->nlmsg_seq = next_seq++;
	nlh->nlmsg_pid = 0;
	if (send(fd, req, len, 0) != (ssize_t)len)
		return 0;
	return nlh->nlmsg_seq;
}

/* A request of the family: libnl builds it, flags NLM_F_ACK at least. */
static struct nl_msg *req_new(const struct d0g_ids *ids, uint8_t cmd,
			      int flags)
{
	struct nl_msg *m = nlmsg_alloc();

	if (m && !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, ids->family, 0,
			      NLM_F_REQUEST | NLM_F_ACK | flags, cmd,
			      DOM0GPU_FAMILY_VERSION)) {
		nlmsg_free(m);
		m = NULL;
	}
	return m;
}

static bool transact(int fd, struct nl_msg *m, size_t bufsize,
		     struct reply *r)
{
	struct nlmsghdr *nlh = nlmsg_hdr(m);
	uint32_t seq = nl_send_raw(fd, nlh, nlh->nlmsg_len);

	nlmsg_free(m);
	if (!seq) {
		memset(r, 0, sizeof(*r));
		return false;
	}
	return nl_read(fd, seq, bufsize, 5000, r);
}

/* One do request without attributes; asserts that it succeeded. */
static void get(struct __test_metadata *_metadata, int fd,
		const struct d0g_ids *ids, uint8_t cmd, struct reply *r)
{
	struct nl_msg *m = req_new(ids, cmd, 0);

	ASSERT_NE(NULL, m);
	ASSERT_TRUE(transact(fd, m, 32768, r));
	ASSERT_EQ(0, r->error) TH_LOG("cmd %u: %s (%s)", cmd,
				      strerror(r->error), r->extack);
	ASSERT_EQ(1, r->n);
	ASSERT_EQ(ids->family, r->msg[0]->nlmsg_type);
	ASSERT_EQ(cmd, ((struct genlmsghdr *)NLMSG_DATA(r->msg[0]))->cmd);
}

static struct nl_msg *get_cpu_req(const struct d0g_ids *ids, uint32_t cpu)
{
	struct nl_msg *m = req_new(ids, DOM0GPU_CMD_GET_CPU, 0);
	struct nlattr *nest;

	nest = nla_nest_start(m, DOM0GPU_A_CPU | NLA_F_NESTED);
	nla_put_u32(m, DOM0GPU_A_CPU_ID, cpu);
	nla_nest_end(m, nest);
	return m;
}

/* platform --------------------------------------------------------------- */

/* Parses a kernel CPU list ("0-3,5") into a presence map. */
static int cpu_list(const char *path, bool *cpus, int max)
{
	char buf[4096], *p;
	int n = 0;

	if (sysfs_read(path, buf, sizeof(buf)))
		return -1;
	memset(cpus, 0, max * sizeof(*cpus));
	for (p = strtok(buf, ","); p; p = strtok(NULL, ",")) {
		int a, b;

		if (sscanf(p, "%d-%d", &a, &b) != 2)
			b = a = atoi(p);
		for (; a <= b && a < max; a++, n++)
			cpus[a] = true;
	}
	return n;
}

static int cpu_set_online(int cpu, bool online)
{
	char path[64];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, online ? "1" : "0", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}

/* the fixture ------------------------------------------------------------ */

FIXTURE(nl) {
	struct d0g_ids ids;
	int fd;
};

FIXTURE_SETUP(nl)
{
	ASSERT_EQ(0, resolve(&self->ids))
		TH_LOG("family " DOM0GPU_FAMILY_NAME " not found: module loaded?");
	self->fd = nl_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(nl)
{
	close(self->fd);
}

/* equality with sysfs ---------------------------------------------------- */

static void check_pat(struct __test_metadata *_metadata, struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_PAT_MAX + 1];
	char layout[128], buf[64];
	int count, err;

	parse_nest(nest, DOM0GPU_A_PAT_MAX, tb);
	check_num(_metadata, "pat/feature", U(tb, DOM0GPU_A_PAT_FEATURE));
	check_num(_metadata, "pat/kernel_enabled",
		  U(tb, DOM0GPU_A_PAT_KERNEL_ENABLED));
	check_num(_metadata, "pat/consistent", U(tb, DOM0GPU_A_PAT_CONSISTENT));
	check_num(_metadata, "pat/cpus_read", U(tb, DOM0GPU_A_PAT_CPUS_READ));
	check_num(_metadata, "pat/cpus_failed",
		  U(tb, DOM0GPU_A_PAT_CPUS_FAILED));
	err = sysfs_read("pat/msr", buf, sizeof(buf));
	if (err) {
		EXPECT_EQ(-err, U(tb, DOM0GPU_A_PAT_ERROR));
		EXPECT_EQ(NULL, tb[DOM0GPU_A_PAT_MSR]);
		return;
	}
	EXPECT_EQ(NULL, tb[DOM0GPU_A_PAT_ERROR]);
	check_num(_metadata, "pat/msr", U(tb, DOM0GPU_A_PAT_MSR));
	check_num(_metadata, "pat/wc_index", S(tb, DOM0GPU_A_PAT_WC_INDEX));
	layout_str(nest, DOM0GPU_A_PAT_LAYOUT, layout, sizeof(layout), &count);
	EXPECT_EQ(8, count);
	check_str(_metadata, "pat/layout", layout);
}

static void check_nvidia(struct __test_metadata *_metadata,
			 struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_NVIDIA_MAX + 1];

	parse_nest(nest, DOM0GPU_A_NVIDIA_MAX, tb);
	check_str(_metadata, "nvidia/pat_mode",
		  pat_mode_name(U(tb, DOM0GPU_A_NVIDIA_PAT_MODE)));
	check_str(_metadata, "nvidia/reason", STR(tb, DOM0GPU_A_NVIDIA_REASON));
	check_num(_metadata, "nvidia/module_loaded",
		  U(tb, DOM0GPU_A_NVIDIA_MODULE_LOADED));
	check_num(_metadata, "nvidia/wc_index",
		  S(tb, DOM0GPU_A_NVIDIA_WC_INDEX));
	check_num(_metadata, "nvidia/pat", U(tb, DOM0GPU_A_NVIDIA_INPUT_PAT));
	check_num(_metadata, "nvidia/kernel_has_pat",
		  U(tb, DOM0GPU_A_NVIDIA_INPUT_KERNEL_HAS_PAT));
}

static const char * const fixed_names[] = {
	"fix64K_00000", "fix16K_80000", "fix16K_A0000", "fix4K_C0000",
	"fix4K_C8000", "fix4K_D0000", "fix4K_D8000", "fix4K_E0000",
	"fix4K_E8000", "fix4K_F0000", "fix4K_F8000",
};

/* privileged: whether this reply went to a privileged caller. */
static void check_mtrr(struct __test_metadata *_metadata, struct nlattr *nest,
		       bool privileged)
{
	struct nlattr *tb[DOM0GPU_A_MTRR_MAX + 1], *a;
	int rem, vars = 0, fixed = 0;
	char rel[64];
	uint64_t cap;

	parse_nest(nest, DOM0GPU_A_MTRR_MAX, tb);
	check_num(_metadata, "mtrr/feature", U(tb, DOM0GPU_A_MTRR_FEATURE));
	check_num(_metadata, "mtrr/readable", U(tb, DOM0GPU_A_MTRR_READABLE));
	check_num(_metadata, "mtrr/read_error",
		  tb[DOM0GPU_A_MTRR_ERROR] ?
		  -(long long)U(tb, DOM0GPU_A_MTRR_ERROR) : 0);
	if (!U(tb, DOM0GPU_A_MTRR_READABLE)) {
		EXPECT_EQ(NULL, tb[DOM0GPU_A_MTRR_CAP]);
		EXPECT_EQ(NULL, tb[DOM0GPU_A_MTRR_VAR]);
		return;
	}
	cap = U(tb, DOM0GPU_A_MTRR_CAP);
	check_num(_metadata, "mtrr/cap", cap);
	check_num(_metadata, "mtrr/def_type", U(tb, DOM0GPU_A_MTRR_DEF_TYPE));
	check_num(_metadata, "mtrr/var_count", U(tb, DOM0GPU_A_MTRR_VAR_COUNT));
	check_num(_metadata, "mtrr/enabled", U(tb, DOM0GPU_A_MTRR_ENABLED));
	check_num(_metadata, "mtrr/fixed_enabled",
		  U(tb, DOM0GPU_A_MTRR_FIXED_ENABLED));
	check_str(_metadata, "mtrr/default_type",
		  mem_name(U(tb, DOM0GPU_A_MTRR_DEFAULT_TYPE)));
	check_num(_metadata, "mtrr/fixed_supported", (cap >> 8) & 1);
	check_num(_metadata, "mtrr/wc_supported", (cap >> 10) & 1);
	check_num(_metadata, "mtrr/smrr_supported", (cap >> 11) & 1);
	EXPECT_EQ(!privileged, !!tb[DOM0GPU_A_MTRR_RESTRICTED]);

	nla_for_each_nested(a, nest, rem) {
		struct nlattr *vt[DOM0GPU_A_MTRR_VAR_MAX + 1];
		unsigned int i;

		if (nla_type(a) == DOM0GPU_A_MTRR_FIXED) {
			ASSERT_GT(11, fixed);
			snprintf(rel, sizeof(rel), "mtrr/fixed/%s",
				 fixed_names[fixed++]);
			check_num(_metadata, rel, uval(a));
			continue;
		}
		if (nla_type(a) != DOM0GPU_A_MTRR_VAR)
			continue;
		parse_nest(a, DOM0GPU_A_MTRR_VAR_MAX, vt);
		i = U(vt, DOM0GPU_A_MTRR_VAR_INDEX);
		EXPECT_EQ(vars++, (int)i);
		snprintf(rel, sizeof(rel), "mtrr/var/%u/type", i);
		check_str(_metadata, rel, mem_name(U(vt, DOM0GPU_A_MTRR_VAR_TYPE)));
		snprintf(rel, sizeof(rel), "mtrr/var/%u/valid", i);
		check_num(_metadata, rel, U(vt, DOM0GPU_A_MTRR_VAR_VALID));
		if (!privileged) {
			EXPECT_EQ(NULL, vt[DOM0GPU_A_MTRR_VAR_BASE]);
			EXPECT_EQ(NULL, vt[DOM0GPU_A_MTRR_VAR_MASK]);
			EXPECT_EQ(NULL, vt[DOM0GPU_A_MTRR_VAR_SIZE]);
			continue;
		}
		snprintf(rel, sizeof(rel), "mtrr/var/%u/base", i);
		check_num(_metadata, rel,
			  U(vt, DOM0GPU_A_MTRR_VAR_BASE) & ~0xfffULL);
		snprintf(rel, sizeof(rel), "mtrr/var/%u/size", i);
		check_num(_metadata, rel, U(vt, DOM0GPU_A_MTRR_VAR_SIZE));
		EXPECT_NE(NULL, vt[DOM0GPU_A_MTRR_VAR_MASK]);
	}
	EXPECT_EQ((int)U(tb, DOM0GPU_A_MTRR_VAR_COUNT), vars);
	EXPECT_EQ((cap >> 8) & 1 ? 11 : 0, fixed);
}

static void check_hypervisor(struct __test_metadata *_metadata,
			     struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_HYPERVISOR_MAX + 1];

	parse_nest(nest, DOM0GPU_A_HYPERVISOR_MAX, tb);
	check_str(_metadata, "hypervisor/type",
		  STR(tb, DOM0GPU_A_HYPERVISOR_TYPE));
	check_num(_metadata, "hypervisor/cpuid_bit",
		  U(tb, DOM0GPU_A_HYPERVISOR_CPUID_BIT));
	check_num(_metadata, "hypervisor/cpuid_max_leaf",
		  U(tb, DOM0GPU_A_HYPERVISOR_CPUID_MAX_LEAF));
	check_str(_metadata, "hypervisor/cpuid_signature",
		  STR(tb, DOM0GPU_A_HYPERVISOR_CPUID_SIGNATURE));
}

static void check_xen(struct __test_metadata *_metadata, struct nlattr *nest,
		      bool privileged)
{
	struct nlattr *tb[DOM0GPU_A_XEN_MAX + 1];
	const char *scenario = getenv("D0G_SCENARIO");
	char version[32];
	uint32_t type;

	parse_nest(nest, DOM0GPU_A_XEN_MAX, tb);
	type = U(tb, DOM0GPU_A_XEN_DOMAIN_TYPE);
	check_str(_metadata, "xen/domain_type", xen_domain_name(type));
	/* The platform: the harness booted dom0 as PV or PVH, or no Xen. */
	if (scenario) {
		uint32_t want = DOM0GPU_XEN_DOMAIN_TYPE_NONE;

		if (!strcmp(scenario, "xen-pv"))
			want = DOM0GPU_XEN_DOMAIN_TYPE_PV;
		else if (!strcmp(scenario, "xen-pvh"))
			want = DOM0GPU_XEN_DOMAIN_TYPE_PVH;
		EXPECT_EQ(want, type);
	}
	if (type == DOM0GPU_XEN_DOMAIN_TYPE_NONE) {
		EXPECT_EQ(NULL, tb[DOM0GPU_A_XEN_VERSION_MAJOR]);
		EXPECT_EQ(NULL, tb[DOM0GPU_A_XEN_CMDLINE]);
		EXPECT_EQ(NULL, tb[DOM0GPU_A_XEN_RESTRICTED]);
		return;
	}
	check_num(_metadata, "xen/initial_domain",
		  U(tb, DOM0GPU_A_XEN_INITIAL_DOMAIN));
	snprintf(version, sizeof(version), "%u.%u",
		 (unsigned int)U(tb, DOM0GPU_A_XEN_VERSION_MAJOR),
		 (unsigned int)U(tb, DOM0GPU_A_XEN_VERSION_MINOR));
	check_str(_metadata, "xen/version", version);
	check_str(_metadata, "xen/extraversion",
		  STR(tb, DOM0GPU_A_XEN_EXTRAVERSION));
	check_str(_metadata, "xen/capabilities",
		  STR(tb, DOM0GPU_A_XEN_CAPABILITIES));
	if (privileged) {
		EXPECT_EQ(NULL, tb[DOM0GPU_A_XEN_RESTRICTED]);
		check_str(_metadata, "xen/cmdline",
			  STR(tb, DOM0GPU_A_XEN_CMDLINE));
	} else {
		EXPECT_EQ(NULL, tb[DOM0GPU_A_XEN_CMDLINE]);
		EXPECT_NE(NULL, tb[DOM0GPU_A_XEN_RESTRICTED]);
	}
}

static void check_iommu(struct __test_metadata *_metadata,
			struct nlattr *nest)
{
	struct nlattr *tb[DOM0GPU_A_IOMMU_MAX + 1];

	parse_nest(nest, DOM0GPU_A_IOMMU_MAX, tb);
	check_str(_metadata, "iommu/owner",
		  iommu_owner_name(U(tb, DOM0GPU_A_IOMMU_OWNER)));
	check_num(_metadata, "iommu/linux_present",
		  U(tb, DOM0GPU_A_IOMMU_LINUX_PRESENT));
	check_str(_metadata, "iommu/default_domain",
		  iommu_domain_name(U(tb, DOM0GPU_A_IOMMU_DEFAULT_DOMAIN)));
	check_num(_metadata, "iommu/groups", U(tb, DOM0GPU_A_IOMMU_GROUP_COUNT));
	check_num(_metadata, "iommu/acpi_dmar", U(tb, DOM0GPU_A_IOMMU_ACPI_DMAR));
	check_num(_metadata, "iommu/acpi_ivrs", U(tb, DOM0GPU_A_IOMMU_ACPI_IVRS));
}

/* Checks one GPU against sysfs; returns "vendor:device:class". */
static void check_gpu(struct __test_metadata *_metadata, struct nlattr *nest,
		      char *id, size_t size)
{
	struct nlattr *tb[DOM0GPU_A_GPU_MAX + 1], *a;
	char dir[64], rel[96];
	int rem, bar = 0;

	parse_nest(nest, DOM0GPU_A_GPU_MAX, tb);
	snprintf(dir, sizeof(dir), "gpus/%04x:%02x:%02x.%x",
		 (unsigned int)U(tb, DOM0GPU_A_GPU_DOMAIN),
		 (unsigned int)U(tb, DOM0GPU_A_GPU_BUS),
		 (unsigned int)U(tb, DOM0GPU_A_GPU_SLOT),
		 (unsigned int)U(tb, DOM0GPU_A_GPU_FUNCTION));
#define GPU_FILE(name) (snprintf(rel, sizeof(rel), "%s/%s", dir, name), rel)
	check_num(_metadata, GPU_FILE("vendor"), U(tb, DOM0GPU_A_GPU_VENDOR));
	check_num(_metadata, GPU_FILE("device"), U(tb, DOM0GPU_A_GPU_DEVICE));
	check_num(_metadata, GPU_FILE("class"), U(tb, DOM0GPU_A_GPU_CLASS));
	check_str(_metadata, GPU_FILE("driver"), STR(tb, DOM0GPU_A_GPU_DRIVER));
	check_num(_metadata, GPU_FILE("numa_node"),
		  S(tb, DOM0GPU_A_GPU_NUMA_NODE));
	check_num(_metadata, GPU_FILE("iommu_group"),
		  S(tb, DOM0GPU_A_GPU_IOMMU_GROUP));
	check_str(_metadata, GPU_FILE("iommu_domain"),
		  iommu_domain_name(U(tb, DOM0GPU_A_GPU_IOMMU_DOMAIN)));
	nla_for_each_nested(a, nest, rem) {
		char name[8];

		if (nla_type(a) != DOM0GPU_A_GPU_BAR_SIZE)
			continue;
		ASSERT_GT(6, bar);
		snprintf(name, sizeof(name), "bar%d", bar++);
		check_num(_metadata, GPU_FILE(name), uval(a));
	}
#undef GPU_FILE
	EXPECT_EQ(6, bar);
	snprintf(id, size, "%04x:%04x:%06x",
		 (unsigned int)U(tb, DOM0GPU_A_GPU_VENDOR),
		 (unsigned int)U(tb, DOM0GPU_A_GPU_DEVICE),
		 (unsigned int)U(tb, DOM0GPU_A_GPU_CLASS));
}

/* Every device the harness gave QEMU is among the reported ones. */
static void check_display_devices(struct __test_metadata *_metadata,
				  const char *ids)
{
	const char *want = getenv("D0G_DISPLAY_DEVICES");
	char copy[512], *p;

	if (!want)
		return;
	snprintf(copy, sizeof(copy), "%s", want);
	for (p = strtok(copy, " "); p; p = strtok(NULL, " ")) {
		const char *dev = p;

		EXPECT_NE(NULL, strstr(ids, dev)) TH_LOG("%s not reported", dev);
	}
}

static void check_snapshot(struct __test_metadata *_metadata,
			   struct nlmsghdr *nlh, bool privileged)
{
	struct nlattr *tb[DOM0GPU_A_MAX + 1], *a;
	char ids[1024] = "", id[32];
	int rem, gpus = 0;

	parse_top(nlh, tb);
	need(_metadata, tb, DOM0GPU_A_GENERATION, "generation");
	check_str(_metadata, "version", STR(tb, DOM0GPU_A_VERSION));
	check_pat(_metadata, need(_metadata, tb, DOM0GPU_A_PAT, "pat"));
	check_nvidia(_metadata, need(_metadata, tb, DOM0GPU_A_NVIDIA, "nvidia"));
	check_mtrr(_metadata, need(_metadata, tb, DOM0GPU_A_MTRR, "mtrr"),
		   privileged);
	check_hypervisor(_metadata,
			 need(_metadata, tb, DOM0GPU_A_HYPERVISOR, "hypervisor"));
	check_xen(_metadata, need(_metadata, tb, DOM0GPU_A_XEN, "xen"),
		  privileged);
	check_iommu(_metadata, need(_metadata, tb, DOM0GPU_A_IOMMU, "iommu"));
	nla_for_each_attr(a, genlmsg_attrdata(NLMSG_DATA(nlh), 0),
			  genlmsg_attrlen(NLMSG_DATA(nlh), 0), rem) {
		if (nla_type(a) != DOM0GPU_A_GPU)
			continue;
		check_gpu(_metadata, a, id, sizeof(id));
		strncat(ids, id, sizeof(ids) - strlen(ids) - 2);
		strcat(ids, " ");
		gpus++;
	}
	check_num(_metadata, "gpus/count", gpus);
	check_display_devices(_metadata, ids);
}

TEST_F(nl, snapshot_equals_sysfs)
{
	struct reply r;

	get(_metadata, self->fd, &self->ids, DOM0GPU_CMD_GET_SNAPSHOT, &r);
	check_snapshot(_metadata, r.msg[0], true);
	reply_free(&r);
}

/* get-mtrr, get-xen and get-iommu send the very nests of the snapshot. */
TEST_F(nl, parts_equal_snapshot)
{
	static const struct {
		uint8_t cmd;
		int attrs[2];
	} parts[] = {
		{ DOM0GPU_CMD_GET_MTRR, { DOM0GPU_A_MTRR } },
		{ DOM0GPU_CMD_GET_XEN, { DOM0GPU_A_HYPERVISOR, DOM0GPU_A_XEN } },
		{ DOM0GPU_CMD_GET_IOMMU, { DOM0GPU_A_IOMMU } },
	};
	struct nlattr *snap[DOM0GPU_A_MAX + 1], *tb[DOM0GPU_A_MAX + 1];
	struct reply s, r;
	unsigned int i, j;

	get(_metadata, self->fd, &self->ids, DOM0GPU_CMD_GET_SNAPSHOT, &s);
	parse_top(s.msg[0], snap);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		get(_metadata, self->fd, &self->ids, parts[i].cmd, &r);
		parse_top(r.msg[0], tb);
		EXPECT_EQ(U(snap, DOM0GPU_A_GENERATION),
			  U(tb, DOM0GPU_A_GENERATION));
		EXPECT_EQ(NULL, tb[DOM0GPU_A_PAT]);
		for (j = 0; j < 2 && parts[i].attrs[j]; j++) {
			int t = parts[i].attrs[j];
			struct nlattr *a = need(_metadata, tb, t, "part");

			ASSERT_EQ(nla_len(snap[t]), nla_len(a));
			EXPECT_EQ(0, memcmp(nla_data(snap[t]), nla_data(a),
					    nla_len(a))) TH_LOG("attr %d", t);
		}
		reply_free(&r);
	}
	reply_free(&s);
}

/* per-CPU PAT dump ------------------------------------------------------- */

#define MAX_CPUS 4096

TEST_F(nl, cpu_dump_one_message_per_online_cpu)
{
	static bool online[MAX_CPUS], seen[MAX_CPUS];
	const char *vcpus = getenv("D0G_VCPUS");
	char boot_msr[64], consistent[8];
	struct nl_msg *m;
	struct reply r;
	int n, i;

	n = cpu_list("/sys/devices/system/cpu/online", online, MAX_CPUS);
	ASSERT_LT(0, n);
	/* The platform: the VM was given D0G_VCPUS CPUs, all online. */
	if (vcpus)
		ASSERT_EQ(atoi(vcpus), n);
	sys_str(_metadata, "pat/msr", boot_msr, sizeof(boot_msr));
	sys_str(_metadata, "pat/consistent", consistent, sizeof(consistent));

	/* 4 KiB datagrams: 64 CPUs do not fit in one. */
	m = req_new(&self->ids, DOM0GPU_CMD_GET_CPU, NLM_F_DUMP);
	ASSERT_TRUE(transact(self->fd, m, 4096, &r));
	ASSERT_EQ(0, r.error) TH_LOG("%s (%s)", strerror(r.error), r.extack);
	EXPECT_FALSE(r.intr);
	ASSERT_EQ(n, r.n);
	if (n >= 32)
		EXPECT_LT(2, r.parts) TH_LOG("%d CPUs in %d parts", n, r.parts);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < r.n; i++) {
		struct nlattr *tb[DOM0GPU_A_MAX + 1];
		struct nlattr *ct[DOM0GPU_A_CPU_MAX + 1];
		char layout[128], want[128];
		int count;
		uint32_t cpu;

		EXPECT_TRUE(r.msg[i]->nlmsg_flags & NLM_F_MULTI);
		parse_top(r.msg[i], tb);
		need(_metadata, tb, DOM0GPU_A_GENERATION, "generation");
		parse_nest(need(_metadata, tb, DOM0GPU_A_CPU, "cpu"),
			   DOM0GPU_A_CPU_MAX, ct);
		cpu = U(ct, DOM0GPU_A_CPU_ID);
		ASSERT_GT(MAX_CPUS, (int)cpu);
		EXPECT_TRUE(online[cpu]) TH_LOG("cpu %u is not online", cpu);
		EXPECT_FALSE(seen[cpu]) TH_LOG("cpu %u twice", cpu);
		seen[cpu] = true;
		EXPECT_EQ(1, U(ct, DOM0GPU_A_CPU_ONLINE));
		EXPECT_EQ(atoi(consistent), U(ct, DOM0GPU_A_CPU_PAT_CONSISTENT));
		/* Agreeing CPUs all hold the boot CPU's PAT. */
		if (atoi(consistent))
			EXPECT_EQ(strtoll(boot_msr, NULL, 0),
				  U(ct, DOM0GPU_A_CPU_MSR));
		layout_str(tb[DOM0GPU_A_CPU], DOM0GPU_A_CPU_LAYOUT, layout,
			   sizeof(layout), &count);
		EXPECT_EQ(8, count);
		if (cpu == 0) {
			sys_str(_metadata, "pat/layout", want, sizeof(want));
			EXPECT_STREQ(want, layout);
		}
	}
	reply_free(&r);
}

TEST_F(nl, cpu_do)
{
	struct nlattr *tb[DOM0GPU_A_MAX + 1], *ct[DOM0GPU_A_CPU_MAX + 1];
	struct reply r;

	ASSERT_TRUE(transact(self->fd, get_cpu_req(&self->ids, 0), 8192, &r));
	ASSERT_EQ(0, r.error) TH_LOG("%s (%s)", strerror(r.error), r.extack);
	ASSERT_EQ(1, r.n);
	parse_top(r.msg[0], tb);
	parse_nest(need(_metadata, tb, DOM0GPU_A_CPU, "cpu"), DOM0GPU_A_CPU_MAX,
		   ct);
	EXPECT_EQ(0, U(ct, DOM0GPU_A_CPU_ID));
	EXPECT_EQ(1, U(ct, DOM0GPU_A_CPU_ONLINE));
	check_num(_metadata, "pat/msr", U(ct, DOM0GPU_A_CPU_MSR));
	reply_free(&r);
}

/* events ----------------------------------------------------------------- */

/*
 * Waits for the next event of command a or b and parses its nest of the
 * given type; returns the command, 0 on timeout, -1 without the nest.
 */
static int next_event(int fd, int a, int b, int nest, int max,
		      struct nlattr **nt, struct reply *r)
{
	char buf[8192];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	memset(r, 0, sizeof(*r));
	while (poll(&pfd, 1, 10000) == 1) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nlh = (void *)buf;
		struct nlattr *tb[DOM0GPU_A_MAX + 1];
		struct genlmsghdr *g = NLMSG_DATA(nlh);

		if (n <= 0 || !NLMSG_OK(nlh, (size_t)n))
			return 0;
		if (g->cmd != a && g->cmd != b)
			continue;
		r->msg[0] = malloc(nlh->nlmsg_len);
		memcpy(r->msg[0], nlh, nlh->nlmsg_len);
		r->n = 1;
		parse_top(r->msg[0], tb);
		if (!tb[DOM0GPU_A_GENERATION] || !tb[nest])
			return -1;
		parse_nest(tb[nest], max, nt);
		return g->cmd;
	}
	return 0;
}

static int next_cpu_event(int fd, struct nlattr **ct, struct reply *r)
{
	return next_event(fd, DOM0GPU_CMD_CPU_ONLINE, DOM0GPU_CMD_CPU_OFFLINE,
			  DOM0GPU_A_CPU, DOM0GPU_A_CPU_MAX, ct, r);
}

static void subscribe(struct __test_metadata *_metadata, int fd, int grp)
{
	ASSERT_EQ(0, setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
				sizeof(grp)));
}

static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) != (ssize_t)strlen(value))
		ret = -errno;
	close(fd);
	return ret;
}

/* Besides the events, the PAT counts (as sysfs_test's cpu_hotplug_tracked). */
TEST_F(nl, events_cpu_offline_online)
{
	static bool online[MAX_CPUS];
	struct nlattr *ct[DOM0GPU_A_CPU_MAX + 1];
	char boot_msr[64], consistent[8];
	int cpu = 1, err, before;
	struct reply r;

	if (access("/sys/devices/system/cpu/cpu1/online", W_OK))
		SKIP(return, "no CPU 1 that can be offlined");
	if (xen_pvh_guest())
		SKIP(return, PVH_HOTPLUG_SKIP);
	before = cpu_list("/sys/devices/system/cpu/online", online, MAX_CPUS);
	ASSERT_LT(1, before);
	sys_str(_metadata, "pat/msr", boot_msr, sizeof(boot_msr));
	subscribe(_metadata, self->fd, self->ids.events);

	err = cpu_set_online(cpu, false);
	ASSERT_EQ(0, err) TH_LOG("offline cpu1: %s", strerror(-err));
	check_num(_metadata, "pat/cpus_read", before - 1);
	EXPECT_EQ(DOM0GPU_CMD_CPU_OFFLINE, next_cpu_event(self->fd, ct, &r));
	if (r.n) {
		EXPECT_EQ(cpu, U(ct, DOM0GPU_A_CPU_ID));
		EXPECT_EQ(0, U(ct, DOM0GPU_A_CPU_ONLINE));
		/* Its last PAT, read while it was up. */
		EXPECT_EQ(strtoll(boot_msr, NULL, 0), U(ct, DOM0GPU_A_CPU_MSR));
		sys_str(_metadata, "pat/consistent", consistent,
			sizeof(consistent));
		EXPECT_EQ(atoi(consistent), U(ct, DOM0GPU_A_CPU_PAT_CONSISTENT));
		reply_free(&r);
	}

	err = cpu_set_online(cpu, true);
	ASSERT_EQ(0, err) TH_LOG("online cpu1: %s", strerror(-err));
	check_num(_metadata, "pat/cpus_read", before);
	check_num(_metadata, "pat/cpus_failed", 0);
	EXPECT_EQ(DOM0GPU_CMD_CPU_ONLINE, next_cpu_event(self->fd, ct, &r));
	if (r.n) {
		EXPECT_EQ(cpu, U(ct, DOM0GPU_A_CPU_ID));
		EXPECT_EQ(1, U(ct, DOM0GPU_A_CPU_ONLINE));
		EXPECT_EQ(strtoll(boot_msr, NULL, 0), U(ct, DOM0GPU_A_CPU_MSR));
		sys_str(_metadata, "pat/consistent", consistent,
			sizeof(consistent));
		EXPECT_EQ(atoi(consistent), U(ct, DOM0GPU_A_CPU_PAT_CONSISTENT));
		EXPECT_EQ(1, atoi(consistent));
		reply_free(&r);
	}
}

/* The PCI address of a GPU nest, as sysfs names it. */
static void gpu_address(struct __test_metadata *_metadata, struct nlattr **gt,
			char *buf, size_t size)
{
	snprintf(buf, size, "%04x:%02x:%02x.%x",
		 (unsigned int)U(gt, DOM0GPU_A_GPU_DOMAIN),
		 (unsigned int)U(gt, DOM0GPU_A_GPU_BUS),
		 (unsigned int)U(gt, DOM0GPU_A_GPU_SLOT),
		 (unsigned int)U(gt, DOM0GPU_A_GPU_FUNCTION));
}

TEST_F(nl, events_gpu_remove_rescan)
{
	struct nlattr *tb[DOM0GPU_A_MAX + 1], *gt[DOM0GPU_A_GPU_MAX + 1];
	char addr[32], got[32], path[128];
	long long vendor, device;
	struct reply r, e;
	int err, cmd;

	get(_metadata, self->fd, &self->ids, DOM0GPU_CMD_GET_SNAPSHOT, &r);
	parse_top(r.msg[0], tb);
	if (!tb[DOM0GPU_A_GPU]) {
		reply_free(&r);
		SKIP(return, "no display-class PCI device");
	}
	parse_nest(tb[DOM0GPU_A_GPU], DOM0GPU_A_GPU_MAX, gt);
	gpu_address(_metadata, gt, addr, sizeof(addr));
	vendor = U(gt, DOM0GPU_A_GPU_VENDOR);
	device = U(gt, DOM0GPU_A_GPU_DEVICE);
	reply_free(&r);
	subscribe(_metadata, self->fd, self->ids.events);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", addr);
	err = write_file(path, "1");
	ASSERT_EQ(0, err) TH_LOG("remove %s: %s", addr, strerror(-err));
	cmd = next_event(self->fd, DOM0GPU_CMD_GPU_DEL, DOM0GPU_CMD_GPU_DEL,
			 DOM0GPU_A_GPU, DOM0GPU_A_GPU_MAX, gt, &e);
	EXPECT_EQ(DOM0GPU_CMD_GPU_DEL, cmd);
	if (cmd > 0) {
		gpu_address(_metadata, gt, got, sizeof(got));
		EXPECT_STREQ(addr, got);
		EXPECT_EQ(vendor, U(gt, DOM0GPU_A_GPU_VENDOR));
		EXPECT_EQ(device, U(gt, DOM0GPU_A_GPU_DEVICE));
	}
	reply_free(&e);

	err = write_file("/sys/bus/pci/rescan", "1");
	ASSERT_EQ(0, err) TH_LOG("rescan: %s", strerror(-err));
	cmd = next_event(self->fd, DOM0GPU_CMD_GPU_ADD, DOM0GPU_CMD_GPU_ADD,
			 DOM0GPU_A_GPU, DOM0GPU_A_GPU_MAX, gt, &e);
	EXPECT_EQ(DOM0GPU_CMD_GPU_ADD, cmd);
	if (cmd > 0) {
		gpu_address(_metadata, gt, got, sizeof(got));
		EXPECT_STREQ(addr, got);
		EXPECT_EQ(vendor, U(gt, DOM0GPU_A_GPU_VENDOR));
		EXPECT_EQ(device, U(gt, DOM0GPU_A_GPU_DEVICE));
	}
	reply_free(&e);
}

/* bad input -------------------------------------------------------------- */

/* A request built by hand: header, then raw attribute bytes. */
struct raw_req {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	unsigned char attrs[64];
};

static size_t raw_init(struct raw_req *q, const struct d0g_ids *ids,
		       uint8_t cmd, int flags, const void *attrs, size_t len)
{
	memset(q, 0, sizeof(*q));
	q->nlh.nlmsg_type = ids->family;
	q->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	q->genl.cmd = cmd;
	q->genl.version = DOM0GPU_FAMILY_VERSION;
	memcpy(q->attrs, attrs, len);
	q->nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + len;
	return q->nlh.nlmsg_len;
}

/* Sends a raw request and asserts the errno, extack and bad attribute. */
static void expect_error(struct __test_metadata *_metadata, int fd,
			 struct raw_req *q, size_t len, int err,
			 const char *msg, int bad_offs)
{
	struct reply r;
	uint32_t seq = nl_send_raw(fd, q, len);

	ASSERT_NE(0U, seq);
	ASSERT_TRUE(nl_read(fd, seq, 8192, 5000, &r)) TH_LOG("no ack");
	EXPECT_EQ(0, r.n);
	EXPECT_EQ(err, r.error) TH_LOG("got %s (%s)", strerror(r.error),
				       r.extack);
	if (msg)
		EXPECT_STREQ(msg, r.extack);
	if (bad_offs >= 0)
		EXPECT_EQ(bad_offs, r.bad_offs);
	reply_free(&r);
}

#define ATTR_OFFS	(NLMSG_HDRLEN + GENL_HDRLEN)

/* Little-endian attribute bytes: len, type, payload. */
#define NLA(len, type)	(len) & 0xff, (len) >> 8, (type) & 0xff, (type) >> 8

TEST_F(nl, bad_unknown_command)
{
	struct raw_req q;
	size_t len = raw_init(&q, &self->ids, 200, 0, NULL, 0);

	expect_error(_metadata, self->fd, &q, len, EOPNOTSUPP, NULL, -1);
	/* Events are not requests. */
	len = raw_init(&q, &self->ids, DOM0GPU_CMD_CPU_ONLINE, 0, NULL, 0);
	expect_error(_metadata, self->fd, &q, len, EOPNOTSUPP, NULL, -1);
	/* get-gpu has no do, get-snapshot no dump. */
	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_GPU, 0, NULL, 0);
	expect_error(_metadata, self->fd, &q, len, EOPNOTSUPP, NULL, -1);
	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_SNAPSHOT, NLM_F_DUMP,
		       NULL, 0);
	expect_error(_metadata, self->fd, &q, len, EOPNOTSUPP, NULL, -1);
}

TEST_F(nl, bad_truncated_header)
{
	struct raw_req q;
	struct reply r;
	uint32_t seq;

	/* Room for the netlink header and half the genetlink one. */
	raw_init(&q, &self->ids, DOM0GPU_CMD_GET_SNAPSHOT, 0, NULL, 0);
	q.nlh.nlmsg_len = NLMSG_HDRLEN + 2;
	expect_error(_metadata, self->fd, &q, NLMSG_HDRLEN + 2, EINVAL, NULL,
		     -1);

	/* A length beyond the datagram: the kernel drops it unanswered. */
	raw_init(&q, &self->ids, DOM0GPU_CMD_GET_SNAPSHOT, 0, NULL, 0);
	q.nlh.nlmsg_len = 1024;
	seq = nl_send_raw(self->fd, &q, NLMSG_HDRLEN + GENL_HDRLEN);
	ASSERT_NE(0U, seq);
	EXPECT_FALSE(nl_read(self->fd, seq, 8192, 500, &r));
	EXPECT_EQ(0, r.n);
	reply_free(&r);

	/* The socket still works. */
	get(_metadata, self->fd, &self->ids, DOM0GPU_CMD_GET_IOMMU, &r);
	reply_free(&r);
}

TEST_F(nl, bad_attributes)
{
	const unsigned char unknown[] = { NLA(8, DOM0GPU_A_MAX + 1), 1, 0, 0, 0 };
	const unsigned char reply_only[] = { NLA(12, DOM0GPU_A_GENERATION),
					     1, 0, 0, 0, 0, 0, 0, 0 };
	const unsigned char too_long[] = { NLA(40, DOM0GPU_A_CPU | NLA_F_NESTED),
					   NLA(8, DOM0GPU_A_CPU_ID), 0, 0, 0, 0 };
	const unsigned char too_short[] = { NLA(2, DOM0GPU_A_CPU), 0, 0 };
	struct raw_req q;
	size_t len;

	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_SNAPSHOT, 0, unknown,
		       sizeof(unknown));
	expect_error(_metadata, self->fd, &q, len, EINVAL,
		     "Unknown attribute type", ATTR_OFFS);

	/* Attributes of replies are not accepted in requests. */
	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_MTRR, 0, reply_only,
		       sizeof(reply_only));
	expect_error(_metadata, self->fd, &q, len, EINVAL,
		     "Unsupported attribute", ATTR_OFFS);

	/* An attribute longer than the message. */
	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_CPU, 0, too_long,
		       sizeof(too_long));
	expect_error(_metadata, self->fd, &q, len, EINVAL,
		     "bytes leftover after parsing attributes", -1);

	/* An attribute shorter than its own header. */
	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_CPU, 0, too_short,
		       sizeof(too_short));
	expect_error(_metadata, self->fd, &q, len, EINVAL,
		     "bytes leftover after parsing attributes", -1);
}

TEST_F(nl, bad_get_cpu)
{
	const unsigned char no_nest_flag[] = { NLA(12, DOM0GPU_A_CPU),
					       NLA(8, DOM0GPU_A_CPU_ID), 0, 0, 0, 0 };
	const unsigned char empty[] = { NLA(4, DOM0GPU_A_CPU | NLA_F_NESTED) };
	const unsigned char u8_id[] = { NLA(12, DOM0GPU_A_CPU | NLA_F_NESTED),
					NLA(5, DOM0GPU_A_CPU_ID), 0, 0, 0, 0 };
	const unsigned char msr[] = { NLA(16, DOM0GPU_A_CPU | NLA_F_NESTED),
				      NLA(12, DOM0GPU_A_CPU_MSR),
				      0, 0, 0, 0, 0, 0, 0, 0 };
	const unsigned char big_id[] = { NLA(12, DOM0GPU_A_CPU | NLA_F_NESTED),
					 NLA(8, DOM0GPU_A_CPU_ID),
					 0xff, 0xff, 0xff, 0x7f };
	struct raw_req q;
	struct reply r;
	uint32_t seq;
	size_t len;

	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_CPU, 0, NULL, 0);
	expect_error(_metadata, self->fd, &q, len, EINVAL, "missing cpu nest",
		     -1);

	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_CPU, 0, no_nest_flag,
		       sizeof(no_nest_flag));
	expect_error(_metadata, self->fd, &q, len, EINVAL,
		     "NLA_F_NESTED is missing", ATTR_OFFS);

	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_CPU, 0, empty,
		       sizeof(empty));
	expect_error(_metadata, self->fd, &q, len, EINVAL, "missing cpu id",
		     ATTR_OFFS);

	/* The id as a u8: wrong type. */
	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_CPU, 0, u8_id,
		       sizeof(u8_id));
	expect_error(_metadata, self->fd, &q, len, EINVAL,
		     "invalid attribute length", ATTR_OFFS + NLA_HDRLEN);

	/* Reply-only attributes inside the nest. */
	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_CPU, 0, msr,
		       sizeof(msr));
	expect_error(_metadata, self->fd, &q, len, EINVAL,
		     "Unsupported attribute", ATTR_OFFS + NLA_HDRLEN);

	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_CPU, 0, big_id,
		       sizeof(big_id));
	expect_error(_metadata, self->fd, &q, len, ERANGE,
		     "cpu id is not a possible CPU", ATTR_OFFS + NLA_HDRLEN);

	/*
	 * The dump takes no attribute, not even the do's. 5.10 and 6.1 do not
	 * hand genetlink's extack to a dump's start(): no message there.
	 */
	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_CPU, NLM_F_DUMP, big_id,
		       sizeof(big_id));
	seq = nl_send_raw(self->fd, &q, len);
	ASSERT_NE(0U, seq);
	ASSERT_TRUE(nl_read(self->fd, seq, 8192, 5000, &r));
	EXPECT_EQ(0, r.n);
	EXPECT_EQ(EINVAL, r.error);
	if (r.extack[0])
		EXPECT_STREQ("dump takes no attributes", r.extack);
	reply_free(&r);
}

/* privilege -------------------------------------------------------------- */

TEST_F(nl, unprivileged_caller)
{
	int status;
	pid_t pid;

	if (getuid() != 0)
		SKIP(return, "needs root to compare with an unprivileged child");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nlattr *tb[DOM0GPU_A_MAX + 1];
		struct reply r;
		int fd;

		/* Dropping every uid of root drops its capabilities. */
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		fd = nl_open();
		if (fd < 0)
			_exit(3);
		get(_metadata, fd, &self->ids, DOM0GPU_CMD_GET_SNAPSHOT, &r);
		check_snapshot(_metadata, r.msg[0], false);
		reply_free(&r);
		get(_metadata, fd, &self->ids, DOM0GPU_CMD_GET_MTRR, &r);
		parse_top(r.msg[0], tb);
		check_mtrr(_metadata, need(_metadata, tb, DOM0GPU_A_MTRR, "mtrr"),
			   false);
		reply_free(&r);
		_exit(_metadata->exit_code);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* module life cycle ------------------------------------------------------ */

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

TEST_F(nl, family_autoloads)
{
	const char *ko = getenv("D0G_MODULE");
	struct d0g_ids ids;
	struct utsname u;
	char cmd[512];

	if (!ko)
		SKIP(return, "D0G_MODULE not set");
	if (access("/sbin/modprobe", X_OK))
		SKIP(return, "no /sbin/modprobe: nothing can autoload");
	uname(&u);
	/* Put the module where modprobe finds it, as make install does. */
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p /lib/modules/%s/extra && cp %s /lib/modules/%s/extra/ && depmod %s",
		 u.release, ko, u.release, u.release);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, module_unload());
	/* Looking the family up makes genetlink request_module() it. */
	EXPECT_EQ(0, resolve(&ids));
	EXPECT_EQ(0, access(SYSFS "version", R_OK));
	if (access(SYSFS "version", R_OK))
		ASSERT_EQ(0, module_load(ko));
	snprintf(cmd, sizeof(cmd),
		 "rm -f /lib/modules/%s/extra/dom0gpu.ko && depmod %s",
		 u.release, u.release);
	EXPECT_EQ(0, system(cmd));
}

TEST_F(nl, socket_survives_reload)
{
	const char *ko = getenv("D0G_MODULE");
	struct d0g_ids ids;
	struct raw_req q;
	struct reply r;
	size_t len;
	int err;

	if (!ko)
		SKIP(return, "D0G_MODULE not set");
	get(_metadata, self->fd, &self->ids, DOM0GPU_CMD_GET_SNAPSHOT, &r);
	reply_free(&r);

	err = module_unload();
	ASSERT_EQ(0, err) TH_LOG("rmmod dom0gpu: %s", strerror(-err));
	len = raw_init(&q, &self->ids, DOM0GPU_CMD_GET_SNAPSHOT, 0, NULL, 0);
	expect_error(_metadata, self->fd, &q, len, ENOENT, NULL, -1);

	err = module_load(ko);
	ASSERT_EQ(0, err) TH_LOG("insmod %s: %s", ko, strerror(-err));
	ASSERT_EQ(0, resolve(&ids));
	get(_metadata, self->fd, &ids, DOM0GPU_CMD_GET_SNAPSHOT, &r);
	check_snapshot(_metadata, r.msg[0], true);
	reply_free(&r);
}

TEST_HARNESS_MAIN
