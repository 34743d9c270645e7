// SPDX-License-Identifier: GPL-2.0
/*
 * NVIDIA's real kernel driver as the judge of dom0gpu's prediction.
 *
 * The VM carries nvidia.ko built from Debian 12's nvidia-kernel-source
 * (selftests/vm/nvdriver.py). First dom0gpu's prediction is recorded: sysfs
 * nvidia/pat_mode and nvidia/reason, the netlink snapshot, and dom0gpu-stat's
 * report. Then drm and nvidia are loaded once, as the scenario says (insmod,
 * or modprobe with modprobe.d and the kernel command line), and the kernel
 * log the driver wrote is compared with the prediction.
 *
 * What the driver does (NVIDIA's kernel-open/nvidia/nv-pat.c and nv.c; the
 * same functions in the nvidia/ folder of Debian's package):
 * nvidia_init_module() -> nv_module_init() -> nv_module_state_init() ->
 * nv_init_pat_support(). That reads NVreg_UsePageAttributeTable: an explicit
 * 0 prints "NVRM: builtin PAT support disabled." and skips the rest.
 * Otherwise nv_enable_pat_support() -> nv_determine_pat_mode() prints
 * "NVRM: CPU does not support the PAT." or "NVRM: PAT configuration
 * unsupported." when it disables the PAT, and nothing when it takes the
 * kernel's WC entry (or, with CONFIG_X86_PAT, finds no WC entry). Only after
 * that does nvidia_init_module() count GPUs; without one it prints
 * "NVRM: No NVIDIA GPU found." and fails with ENODEV, so the module never
 * goes live: the kernel announces it coming and going (MODULE_STATE_GOING
 * from do_init_module()'s failure path), never MODULE_STATE_LIVE.
 *
 * Scenario variables (selftests/vm/scenarios.py): D0G_NVIDIA_LOAD (insmod or
 * modprobe), D0G_NVIDIA_CONF (a modprobe.d line written before the
 * prediction), D0G_NVIDIA_OPTION_FROM (where NVreg_UsePageAttributeTable=0
 * comes from: /proc/cmdline or the modprobe.d file; empty when not set).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json-c/json.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include "raw_nl.h"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#define NV_DIR		"/lib/dom0gpu/nvidia"	/* selftests/vm/mkinitramfs.sh */
#define KMOD_DIR	"/lib/dom0gpu/kmod"
#define CONF_PATH	"/etc/modprobe.d/nvidia.conf"
#define STAT_BEFORE	"/tmp/nvdriver-before.json"
#define STAT_AFTER	"/tmp/nvdriver-after.json"
#define MAX_LINES	256
#define LINE_LEN	512

/* nv.c, nvidia_init_module(): printed after nv_init_pat_support() ran. */
static const char no_gpu_line[] = "NVRM: No NVIDIA GPU found.";

/* The module's prediction as sysfs or netlink gave it. */
struct prediction {
	char mode[32];
	char reason[256];
	long long module_loaded;
	unsigned long long generation;
	bool read;
};

/* One netlink event of the module. */
struct nv_event {
	int cmd;
	struct prediction p;
};

static struct {
	bool expected;		/* the harness built nvidia.ko for this kernel */
	bool present;		/* nvidia.ko in this VM */
	bool with_stat;
	const char *load;	/* "insmod" or "modprobe" */
	const char *option_from;
	char pat_before[64], pat_after[64];
	struct prediction sys_before, sys_after, nl_before;
	int stat_before_rc, stat_after_rc;
	int load_rc;
	char load_out[2048];
	char lines[MAX_LINES][LINE_LEN];	/* NVRM lines, in log order */
	int nr_lines;
	int bugs;			/* WARN/BUG/... records since the load */
	struct nv_event events[16];
	int nr_events;
	char setup_error[256];
} g;

static const char *mode_name(unsigned long long m)
{
	switch (m) {
	case DOM0GPU_PAT_MODE_KERNEL:
		return "kernel";
	case DOM0GPU_PAT_MODE_BUILTIN:
		return "builtin";
	case DOM0GPU_PAT_MODE_DISABLED:
		return "disabled";
	}
	return "?";
}

static void sysfs_prediction(struct prediction *p)
{
	char buf[64];

	memset(p, 0, sizeof(*p));
	p->read = !d0g_sysfs("nvidia/pat_mode", p->mode, sizeof(p->mode)) &&
		  !d0g_sysfs("nvidia/reason", p->reason, sizeof(p->reason)) &&
		  !d0g_sysfs("nvidia/module_loaded", buf, sizeof(buf));
	p->module_loaded = p->read ? atoll(buf) : -1;
}

/* The nvidia nest of a snapshot or nvidia event message. */
static void parse_nvidia(const struct nlmsghdr *nlh, struct prediction *p)
{
	struct nlattr *gen, *nest, *a;

	memset(p, 0, sizeof(*p));
	gen = rnl_find(rnl_attrs(nlh), rnl_attrlen(nlh), DOM0GPU_A_GENERATION);
	nest = rnl_find(rnl_attrs(nlh), rnl_attrlen(nlh), DOM0GPU_A_NVIDIA);
	if (!gen || !nest)
		return;
	p->generation = rnl_uint(gen);
	p->module_loaded = -1;
	a = rnl_find(rnl_data(nest), rnl_len(nest), DOM0GPU_A_NVIDIA_PAT_MODE);
	if (a)
		snprintf(p->mode, sizeof(p->mode), "%s", mode_name(rnl_uint(a)));
	a = rnl_find(rnl_data(nest), rnl_len(nest), DOM0GPU_A_NVIDIA_REASON);
	if (a)
		snprintf(p->reason, sizeof(p->reason), "%.*s", rnl_len(a),
			 (const char *)rnl_data(a));
	a = rnl_find(rnl_data(nest), rnl_len(nest),
		     DOM0GPU_A_NVIDIA_MODULE_LOADED);
	if (a)
		p->module_loaded = (long long)rnl_uint(a);
	p->read = p->mode[0] && a;
}

static void snapshot_cb(const struct nlmsghdr *nlh, void *arg)
{
	parse_nvidia(nlh, arg);
}

static int netlink_prediction(int fd, int family, struct prediction *p)
{
	char req[NLMSG_HDRLEN + GENL_HDRLEN] __attribute__((aligned(4)));
	static uint32_t seq = 1;
	struct rnl_result res;
	int err;

	rnl_hdr(req, family, NLM_F_REQUEST | NLM_F_ACK, ++seq,
		DOM0GPU_CMD_GET_SNAPSHOT, sizeof(req));
	if (send(fd, req, sizeof(req), 0) < 0)
		return -errno;
	err = rnl_collect(fd, seq, &res, snapshot_cb, p);
	return err ? err : -res.error;
}

/* The id of the module's "events" multicast group, through libnl. */
static int events_group(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int grp = -1;

	if (!sk)
		return -1;
	if (!genl_connect(sk))
		grp = genl_ctrl_resolve_grp(sk, DOM0GPU_FAMILY_NAME,
					    DOM0GPU_MCGRP_EVENTS);
	nl_socket_free(sk);
	return grp;
}

/* Every nvidia event queued on the subscribed socket. */
static void drain_events(int fd)
{
	static char buf[RNL_BUF];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (poll(&p, 1, 2000) == 1) {
		struct nlmsghdr *nlh;
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			struct genlmsghdr *gh = NLMSG_DATA(nlh);
			struct nv_event *e;

			if (nlh->nlmsg_type < NLMSG_MIN_TYPE ||
			    (gh->cmd != DOM0GPU_CMD_NVIDIA_LOAD &&
			     gh->cmd != DOM0GPU_CMD_NVIDIA_UNLOAD) ||
			    g.nr_events == (int)(sizeof(g.events) / sizeof(g.events[0])))
				continue;
			e = &g.events[g.nr_events++];
			e->cmd = gh->cmd;
			parse_nvidia(nlh, &e->p);
		}
	}
}

/* New kernel log records: NVRM lines kept, bug signs counted. */
static void read_log(int fd)
{
	char rec[8192];

	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *text, *end;

		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (kmsg_is_bug(rec)) {
			g.bugs++;
			printf("# kernel log: %s", rec);
		}
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		end = strchr(text, '\n');
		if (end)
			*end = '\0';
		text = strstr(text, "NVRM: ");
		if (text && g.nr_lines < MAX_LINES) {
			snprintf(g.lines[g.nr_lines], LINE_LEN, "%s", text);
			/* nv_printf()'s lines end in a newline; records may keep a space. */
			end = g.lines[g.nr_lines] + strlen(g.lines[g.nr_lines]);
			while (end > g.lines[g.nr_lines] && end[-1] == ' ')
				*--end = '\0';
			g.nr_lines++;
		}
	}
}

/* Runs cmd under sh; its output (first 2 KiB) in out; exit status. */
static int run(const char *cmd, char *out, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n = 0;
	int st;

	if (!f)
		return -1;
	if (out) {
		n = fread(out, 1, len - 1, f);
		out[n] = '\0';
	}
	while (fgetc(f) != EOF)
		;
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int stat_json(const char *path)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "NO_COLOR=1 %s --json >%s 2>/dev/null",
		 getenv("D0G_STAT"), path);
	return run(cmd, NULL, 0);
}

/*
 * The driver's way in, with kmod's tools (busybox's insmod would retry a
 * failed load with init_module() and run the driver's init twice).
 * insmod: drm and what it needs, then nvidia.ko, as modinfo's
 * "depends: drm" asks. modprobe: nvidia.ko installed where DKMS
 * puts it, depmod, then modprobe, which resolves drm itself and adds the
 * options of modprobe.d and of the kernel command line (kmod's modprobe).
 */
static int load_driver(void)
{
	char cmd[1024];
	struct utsname u;

	uname(&u);
	if (!strcmp(g.load, "modprobe"))
		snprintf(cmd, sizeof(cmd),
			 "set -e; d=/lib/modules/%s; mkdir -p $d/updates/dkms; "
			 "cp -a " NV_DIR "/tree/. $d/; "
			 "mv " NV_DIR "/nvidia.ko $d/updates/dkms/nvidia.ko; "
			 KMOD_DIR "/depmod -a 2>&1; " KMOD_DIR "/modprobe nvidia 2>&1",
			 u.release);
	else
		snprintf(cmd, sizeof(cmd),
			 "set -e; cd " NV_DIR "/tree; "
			 "for m in $(cat " NV_DIR "/order); do " KMOD_DIR "/insmod $m 2>&1; done; "
			 KMOD_DIR "/insmod " NV_DIR "/nvidia.ko 2>&1");
	return run(cmd, g.load_out, sizeof(g.load_out));
}

/* Loads the driver once; every test below reads what this recorded. */
static void attempt(void)
{
	int nl, grp, kmsg, family, err;

	/* The harness names the driver for the kernels it builds it for. */
	g.expected = getenv("D0G_NVIDIA_KO") && *getenv("D0G_NVIDIA_KO");
	g.present = !access(NV_DIR "/nvidia.ko", R_OK);
	g.load = getenv("D0G_NVIDIA_LOAD") ?: "insmod";
	g.option_from = getenv("D0G_NVIDIA_OPTION_FROM") ?: "";
	g.with_stat = getenv("D0G_STAT") && *getenv("D0G_STAT") &&
		      !access(getenv("D0G_STAT"), X_OK);
	if (!g.expected || !g.present)
		return;

	/* The administrator's configuration exists before anything predicts. */
	if (getenv("D0G_NVIDIA_CONF") && *getenv("D0G_NVIDIA_CONF")) {
		FILE *f;

		mkdir("/etc/modprobe.d", 0755);
		f = fopen(CONF_PATH, "w");
		if (!f || fprintf(f, "%s\n", getenv("D0G_NVIDIA_CONF")) < 0 ||
		    fclose(f)) {
			snprintf(g.setup_error, sizeof(g.setup_error),
				 "writing %s: %s", CONF_PATH, strerror(errno));
			return;
		}
	}

	nl = rnl_open();
	family = nl < 0 ? nl : rnl_family(nl, DOM0GPU_FAMILY_NAME);
	grp = events_group();
	if (nl < 0 || family < 0 || grp < 0 ||
	    setsockopt(nl, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp))) {
		snprintf(g.setup_error, sizeof(g.setup_error),
			 "netlink: socket %d, family %d, events group %d",
			 nl, family, grp);
		return;
	}
	sysfs_prediction(&g.sys_before);
	d0g_sysfs("pat/msr", g.pat_before, sizeof(g.pat_before));
	err = netlink_prediction(nl, family, &g.nl_before);
	if (err) {
		snprintf(g.setup_error, sizeof(g.setup_error),
			 "snapshot: %s", strerror(-err));
		return;
	}
	if (g.with_stat)
		g.stat_before_rc = stat_json(STAT_BEFORE);

	kmsg = kmsg_open_end();
	g.load_rc = load_driver();
	read_log(kmsg);
	close(kmsg);
	drain_events(nl);
	close(nl);

	sysfs_prediction(&g.sys_after);
	d0g_sysfs("pat/msr", g.pat_after, sizeof(g.pat_after));
	if (g.with_stat)
		g.stat_after_rc = stat_json(STAT_AFTER);
	/* Before the harness forks a child per test. */
	fflush(stdout);
}

/* The driver's lines from nv-pat.c: every NVRM line naming the PAT. */
static int driver_pat_lines(const char **first)
{
	int i, n = 0;

	*first = "";
	for (i = 0; i < g.nr_lines; i++)
		if (strstr(g.lines[i], "PAT")) {
			if (!n++)
				*first = g.lines[i];
		}
	return n;
}

static bool driver_logged(const char *line)
{
	int i;

	for (i = 0; i < g.nr_lines; i++)
		if (!strcmp(g.lines[i], line))
			return true;
	return false;
}

static void show_log(void)
{
	int i;

	printf("# load (%s) exit %d: %s\n", g.load, g.load_rc, g.load_out);
	for (i = 0; i < g.nr_lines; i++)
		printf("# driver: %s\n", g.lines[i]);
}

#define NEED_DRIVER()							\
	do {								\
		if (!g.expected)					\
			SKIP(return, "no NVIDIA driver built for this kernel"); \
		ASSERT_TRUE(g.present) TH_LOG(NV_DIR "/nvidia.ko missing"); \
		ASSERT_STREQ("", g.setup_error);			\
	} while (0)

/*
 * The driver got as far as its PAT decision: it counts GPUs only after
 * nv_init_pat_support(), and failed for want of one (ENODEV), not earlier.
 */
TEST(driver_reached_pat_decision)
{
	NEED_DRIVER();
	if (!driver_logged(no_gpu_line) || !g.load_rc)
		show_log();
	EXPECT_TRUE(driver_logged(no_gpu_line));
	EXPECT_NE(0, g.load_rc);
	EXPECT_NE(NULL, strstr(g.load_out, "No such device"));
}

/* At most one PAT line: nv_init_pat_support() decides once. */
TEST(driver_one_pat_decision)
{
	const char *line;

	NEED_DRIVER();
	EXPECT_GE(1, driver_pat_lines(&line)) show_log();
}

/*
 * The module predicts nv_determine_pat_mode(). With NVreg_UsePageAttributeTable=0
 * the driver never calls it, so there the judge is dom0gpu-stat's (below).
 */
static void judge(struct __test_metadata *_metadata,
		  const struct prediction *p, const char *what)
{
	const char *line;

	NEED_DRIVER();
	if (g.option_from[0])
		SKIP(return, "NVreg_UsePageAttributeTable=0 (%s): the driver skips nv_determine_pat_mode()",
		     g.option_from);
	ASSERT_TRUE(p->read) TH_LOG("%s prediction unreadable", what);
	driver_pat_lines(&line);
	EXPECT_STREQ(line, p->reason) {
		TH_LOG("%s predicted \"%s\" (%s), the driver printed \"%s\"",
		       what, p->reason, p->mode, line);
		show_log();
	}
	/*
	 * Silence means the kernel's WC entry, or (with CONFIG_X86_PAT, as
	 * every kernel here has) no WC entry at all: mode "kernel" or a
	 * silent "disabled"; a line always means "disabled".
	 */
	if (line[0]) {
		EXPECT_STREQ("disabled", p->mode);
	} else {
		EXPECT_STRNE("builtin", p->mode);
	}
	printf("# %s: predicted mode %s, line \"%s\"; driver printed \"%s\"\n",
	       what, p->mode, p->reason, line);
}

TEST(sysfs_prediction_is_driver_line)
{
	judge(_metadata, &g.sys_before, "sysfs nvidia/");
}

TEST(netlink_prediction_is_driver_line)
{
	judge(_metadata, &g.nl_before, "netlink snapshot");
	EXPECT_STREQ(g.sys_before.mode, g.nl_before.mode);
	EXPECT_STREQ(g.sys_before.reason, g.nl_before.reason);
}

/* json-c helpers over a saved report. */
static json_object *load_json(struct __test_metadata *_metadata,
			      const char *path)
{
	json_object *o = json_object_from_file(path);

	EXPECT_NE(NULL, o) TH_LOG("%s: not JSON", path);
	return o;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

static json_object *jfact(json_object *root, const char *name)
{
	json_object *facts, *f;

	if (!json_object_object_get_ex(root, "facts", &facts) ||
	    !json_object_object_get_ex(facts, name, &f))
		return NULL;
	return f;
}

/* The finding with this rule id, or NULL. */
static json_object *jfinding(json_object *root, const char *id)
{
	json_object *list;
	size_t i;

	if (!json_object_object_get_ex(root, "findings", &list))
		return NULL;
	for (i = 0; i < json_object_array_length(list); i++) {
		json_object *f = json_object_array_get_idx(list, i);
		const char *fid = jstr(f, "id");

		if (fid && !strcmp(fid, id))
			return f;
	}
	return NULL;
}

static bool cites(json_object *finding, const char *fact)
{
	json_object *list;
	size_t i;

	if (!finding || !json_object_object_get_ex(finding, "facts", &list))
		return false;
	for (i = 0; i < json_object_array_length(list); i++)
		if (!strcmp(json_object_get_string(
				json_object_array_get_idx(list, i)), fact))
			return true;
	return false;
}

/*
 * The NVRM lines a report says the driver will print: each finding quotes
 * the line it expects ("... prints \"NVRM: ...\"").
 */
static int predicted_lines(json_object *root, char out[][LINE_LEN], int max)
{
	json_object *list;
	size_t i;
	int n = 0, k;

	if (!json_object_object_get_ex(root, "findings", &list))
		return 0;
	for (i = 0; i < json_object_array_length(list); i++) {
		const char *ev = jstr(json_object_array_get_idx(list, i),
				      "evidence");
		const char *p = ev;

		while (p && (p = strstr(p, "\"NVRM: "))) {
			size_t len = strcspn(p + 1, "\"");
			bool dup = false;

			for (k = 0; k < n; k++)
				dup |= !strncmp(out[k], p + 1, len) &&
				       !out[k][len];
			if (!dup && n < max)
				snprintf(out[n++], LINE_LEN, "%.*s", (int)len,
					 p + 1);
			p += len + 1;
		}
	}
	return n;
}

/* "path" or "path:line", as dom0gpu-stat names where an option was set. */
static bool names_file(const char *from, const char *path)
{
	size_t n = strlen(path);
	const char *p;

	if (!from || strncmp(from, path, n))
		return false;
	p = from + n;
	if (!*p)
		return true;
	if (*p++ != ':' || !*p)
		return false;
	return strspn(p, "0123456789") == strlen(p);
}

/*
 * Before the driver loaded, dom0gpu-stat named the line it prints (none
 * for silence), and with the option, where the option came from.
 */
TEST(stat_predicted_driver_line)
{
	char lines[8][LINE_LEN];
	json_object *root, *f, *use_pat;
	const char *line;
	int n, i;

	NEED_DRIVER();
	if (!g.with_stat)
		SKIP(return, "dom0gpu-stat not built");
	root = load_json(_metadata, STAT_BEFORE);
	ASSERT_NE(NULL, root);
	driver_pat_lines(&line);
	n = predicted_lines(root, lines, 8);
	for (i = 0; i < n; i++)
		printf("# dom0gpu-stat before: predicts \"%s\"\n", lines[i]);
	if (g.option_from[0]) {
		f = jfinding(root, "D0G-NV-001");
		use_pat = jfact(root, "nvidia.use_pat_param");
		EXPECT_NE(NULL, f) TH_LOG("no D0G-NV-001 before the load");
		EXPECT_TRUE(cites(f, "nvidia.use_pat_param"));
		EXPECT_NE(NULL, use_pat);
		if (use_pat) {
			EXPECT_TRUE(names_file(jstr(use_pat, "from"), g.option_from))
				TH_LOG("from \"%s\", want %s[:line]",
				       jstr(use_pat, "from"), g.option_from);
			printf("# option NVreg_UsePageAttributeTable=%s from %s (%s)\n",
			       jstr(use_pat, "value"), jstr(use_pat, "from"),
			       jstr(use_pat, "source"));
		}
		EXPECT_NE(NULL, f && strstr(jstr(f, "evidence"), line) ?
			  f : NULL) TH_LOG("D0G-NV-001 does not quote \"%s\"", line);
	} else if (line[0]) {
		EXPECT_EQ(1, n) show_log();
		EXPECT_STREQ(line, n ? lines[0] : "");
	} else {
		EXPECT_EQ(0, n) show_log();
	}
	json_object_put(root);
}

/* After the attempt, the driver's own line is the evidence. */
TEST(stat_cites_driver_line)
{
	json_object *root, *fact, *f;
	const char *line;

	NEED_DRIVER();
	if (!g.with_stat)
		SKIP(return, "dom0gpu-stat not built");
	root = load_json(_metadata, STAT_AFTER);
	ASSERT_NE(NULL, root);
	driver_pat_lines(&line);
	fact = jfact(root, "nvidia.log_pat_message");
	ASSERT_NE(NULL, fact) TH_LOG("no nvidia.log_pat_message fact");
	EXPECT_STREQ(line, jstr(fact, "value"));
	EXPECT_STREQ("kernel-log", jstr(fact, "source"));
	if (line[0]) {
		f = jfinding(root, "D0G-NV-002");
		EXPECT_NE(NULL, f) TH_LOG("no D0G-NV-002 (log confirms)");
		EXPECT_TRUE(cites(f, "nvidia.log_pat_message"));
		if (f)
			printf("# dom0gpu-stat after: %s\n", jstr(f, "evidence"));
	}
	EXPECT_EQ(NULL, jfinding(root, "D0G-NV-003"))
		TH_LOG("D0G-NV-003: %s", jstr(jfinding(root, "D0G-NV-003"),
					      "evidence"));
	json_object_put(root);
}

TEST(stat_same_verdict)
{
	json_object *before, *after;

	NEED_DRIVER();
	if (!g.with_stat)
		SKIP(return, "dom0gpu-stat not built");
	before = load_json(_metadata, STAT_BEFORE);
	after = load_json(_metadata, STAT_AFTER);
	ASSERT_NE(NULL, before);
	ASSERT_NE(NULL, after);
	EXPECT_STREQ(jstr(before, "verdict"), jstr(after, "verdict"));
	EXPECT_EQ(g.stat_before_rc, g.stat_after_rc);
	printf("# verdict before %s (exit %d), after %s (exit %d)\n",
	       jstr(before, "verdict"), g.stat_before_rc,
	       jstr(after, "verdict"), g.stat_after_rc);
	json_object_put(before);
	json_object_put(after);
}

/*
 * The module saw the driver go: one nvidia-unload event on the "events"
 * group, with the prediction unchanged; never live, so no nvidia-load.
 */
TEST(module_saw_driver_go)
{
	int i, unloads = 0, loads = 0;

	NEED_DRIVER();
	for (i = 0; i < g.nr_events; i++) {
		const struct nv_event *e = &g.events[i];

		printf("# event %s: generation %llu, mode %s, reason \"%s\", module_loaded %lld\n",
		       e->cmd == DOM0GPU_CMD_NVIDIA_LOAD ? "nvidia-load" : "nvidia-unload",
		       e->p.generation, e->p.mode, e->p.reason, e->p.module_loaded);
		if (e->cmd == DOM0GPU_CMD_NVIDIA_LOAD) {
			loads++;
			continue;
		}
		unloads++;
		EXPECT_TRUE(e->p.read);
		EXPECT_LT(g.nl_before.generation, e->p.generation);
		EXPECT_STREQ(g.nl_before.mode, e->p.mode);
		EXPECT_STREQ(g.nl_before.reason, e->p.reason);
		EXPECT_EQ(0, e->p.module_loaded);
	}
	EXPECT_EQ(1, unloads);
	EXPECT_EQ(0, loads);
}

/* Afterwards: no nvidia, the same PAT and prediction, no kernel bug. */
TEST(state_after_driver)
{
	NEED_DRIVER();
	EXPECT_NE(0, access("/sys/module/nvidia", F_OK));
	EXPECT_EQ(0, g.sys_after.module_loaded);
	EXPECT_STREQ(g.pat_before, g.pat_after);
	EXPECT_STREQ(g.sys_before.mode, g.sys_after.mode);
	EXPECT_STREQ(g.sys_before.reason, g.sys_after.reason);
	EXPECT_EQ(0, g.bugs);
}

/* Nothing of dom0gpu stays pinned: it unloads and loads back cleanly. */
TEST(module_reloads_after_driver)
{
	struct prediction p;
	char cmd[512], out[512];
	int kmsg;

	NEED_DRIVER();
	kmsg = kmsg_open_end();
	EXPECT_EQ(0, run("rmmod dom0gpu 2>&1", out, sizeof(out))) TH_LOG("%s", out);
	snprintf(cmd, sizeof(cmd), "insmod %s 2>&1", getenv("D0G_MODULE"));
	ASSERT_EQ(0, run(cmd, out, sizeof(out))) TH_LOG("%s", out);
	sysfs_prediction(&p);
	EXPECT_STREQ(g.sys_before.mode, p.mode);
	EXPECT_STREQ(g.sys_before.reason, p.reason);
	EXPECT_EQ(0, kmsg_bugs(kmsg));
	close(kmsg);
}

int main(int argc, char **argv)
{
	attempt();
	return test_harness_run(argc, argv);
}
