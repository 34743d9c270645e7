// SPDX-License-Identifier: GPL-2.0
/*
 * Every /sys/kernel/dom0gpu value against the platform's own evidence: the
 * kernel log's "x86/PAT: Configuration" line, /proc/cpuinfo, /proc/mtrr,
 * /sys/hypervisor, xenfs, /sys/bus/pci, /sys/kernel/iommu_groups and the
 * scenario the harness booted (D0G_* variables). Runs as root in each VM.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

/* The harness's own callbacks ignore some of their parameters. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "pvh_hotplug.h"

#define D0G		"/sys/kernel/dom0gpu/"
#define XEN_PV_PAT	0x0000050100070406ULL
#define NVRM_UNSUPPORTED "NVRM: PAT configuration unsupported."

static char *scenario(void)
{
	const char *s = getenv("D0G_SCENARIO");

	return (char *)(s ? s : "");
}

static bool is_xen(void)
{
	return !strncmp(scenario(), "xen-", 4);
}

static bool is_xen_pv(void)
{
	return !strcmp(scenario(), "xen-pv");
}

/* The file's first line without its newline; false if unreadable. */
static bool read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	bool ok;

	buf[0] = '\0';
	if (!f)
		return false;
	ok = fgets(buf, size, f) != NULL || feof(f);
	fclose(f);
	if (!ok)
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

/* A dom0gpu file; the test fails if it cannot be read. */
static char val[4096];

static const char *d0g(struct __test_metadata *_metadata, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), D0G "%s", name);
	if (!read_line(path, val, sizeof(val)))
		TH_LOG("cannot read %s: %s", path, strerror(errno));
	return val;
}

#define D0G_EQ(expected, name) EXPECT_STREQ(expected, d0g(_metadata, name))

static long long d0g_num(struct __test_metadata *_metadata, const char *name)
{
	return strtoll(d0g(_metadata, name), NULL, 0);
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Whole kernel log (ring buffer) as one string, or NULL. */
static char *kernel_log(void)
{
	int size = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	char *buf;
	int n;

	if (size <= 0)
		return NULL;
	buf = calloc(1, size + 1);
	if (!buf)
		return NULL;
	n = klogctl(3, buf, size);		/* SYSLOG_ACTION_READ_ALL */
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* The text after the last occurrence of @marker, up to the line's end. */
static bool log_line_after(const char *marker, char *out, size_t size)
{
	char *log = kernel_log(), *p, *last = NULL;

	if (!log)
		return false;
	for (p = log; (p = strstr(p, marker)); p++)
		last = p + strlen(marker);
	if (last)
		snprintf(out, size, "%.*s", (int)strcspn(last, "\n"), last);
	free(log);
	return last;
}

/* The kernel's PAT line as 8 names, single spaces, trailing space cut. */
static bool kernel_pat_layout(char *out, size_t size)
{
	char raw[256], *src, *dst;

	if (!log_line_after("x86/PAT: Configuration [0-7]: ", raw, sizeof(raw)))
		return false;
	for (src = raw, dst = out; *src && dst < out + size - 1; src++)
		if (!isspace((unsigned char)*src) ||
		    (dst > out && !isspace((unsigned char)dst[-1])))
			*dst++ = isspace((unsigned char)*src) ? ' ' : *src;
	while (dst > out && dst[-1] == ' ')
		dst--;
	*dst = '\0';
	return true;
}

/* The SDM encodings of the kernel's names. */
static int type_code(const char *name)
{
	static const char * const names[] = {
		"UC", "WC", NULL, NULL, "WT", "WP", "WB", "UC-",
	};
	int i;

	for (i = 0; i < 8; i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return -1;
}

/* PAT value that the kernel's printed layout stands for. */
static bool layout_to_msr(const char *layout, unsigned long long *msr)
{
	char copy[256], *tok, *save;
	int i = 0, code;

	snprintf(copy, sizeof(copy), "%s", layout);
	*msr = 0;
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		code = type_code(tok);
		if (i >= 8 || code < 0)
			return false;
		*msr |= (unsigned long long)code << (8 * i++);
	}
	return i == 8;
}

static bool cpu_flag(const char *flag)
{
	char line[8192], *p;
	FILE *f = fopen("/proc/cpuinfo", "r");
	bool found = false;
	size_t n = strlen(flag);

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		for (p = strchr(line, ':'); p && *p; p++)
			if (p[-1] == ' ' && !strncmp(p, flag, n) &&
			    (p[n] == ' ' || p[n] == '\n')) {
				found = true;
				break;
			}
		break;
	}
	fclose(f);
	return found;
}

/* Number of CPUs listed in a cpulist file such as "0-3,5". */
static int cpulist_count(const char *path)
{
	char buf[1024], *p;
	int count = 0, a, b;

	if (!read_line(path, buf, sizeof(buf)))
		return -1;
	for (p = buf; *p; ) {
		a = strtol(p, &p, 10);
		b = a;
		if (*p == '-')
			b = strtol(p + 1, &p, 10);
		count += b - a + 1;
		if (*p == ',')
			p++;
		else
			break;
	}
	return count;
}

static int online_cpus(void)
{
	return cpulist_count("/sys/devices/system/cpu/online");
}

static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &ma, &mi);
	return ma > major || (ma == major && mi >= minor);
}

/* The NVIDIA driver's scan: 0,4,1,5,2,6,3,7, whole byte == 0x01. */
static int driver_wc_scan(unsigned long long pat)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (((pat >> (8 * i)) & 0xff) == 1)
			return i;
		if (((pat >> (8 * (i + 4))) & 0xff) == 1)
			return i + 4;
	}
	return -1;
}

/* pat/ */

TEST(pat_matches_kernel_log)
{
	char layout[256];
	unsigned long long msr;

	ASSERT_TRUE(kernel_pat_layout(layout, sizeof(layout)));
	TH_LOG("kernel log: %s", layout);
	D0G_EQ(layout, "pat/layout");
	ASSERT_TRUE(layout_to_msr(layout, &msr));
	EXPECT_EQ(msr, (unsigned long long)d0g_num(_metadata, "pat/msr"));
}

TEST(pat_msr_format)
{
	const char *v = d0g(_metadata, "pat/msr");

	EXPECT_EQ((size_t)18, strlen(v));
	EXPECT_EQ(0, strncmp(v, "0x", 2));
}

TEST(pat_wc_index)
{
	char layout[256], *tok, *save;
	int i = 0, expected = -1;

	ASSERT_TRUE(kernel_pat_layout(layout, sizeof(layout)));
	for (tok = strtok_r(layout, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), i++)
		if (expected < 0 && !strcmp(tok, "WC"))
			expected = i;
	EXPECT_EQ(expected, d0g_num(_metadata, "pat/wc_index"));
	/* The field story: Xen PV puts WC at 4, Linux's own layout at 1. */
	if (is_xen_pv()) {
		EXPECT_EQ(4, expected);
	} else {
		EXPECT_EQ(1, expected);
	}
}

TEST(pat_xen_pv_architectural_value)
{
	if (!is_xen_pv())
		SKIP(return, "not a Xen PV domain");
	D0G_EQ("0x0000050100070406", "pat/msr");
	D0G_EQ("WB WT UC- UC WC WP UC UC", "pat/layout");
}

TEST(pat_every_cpu_read_and_consistent)
{
	EXPECT_EQ(online_cpus(), d0g_num(_metadata, "pat/cpus_read"));
	EXPECT_EQ(0, d0g_num(_metadata, "pat/cpus_failed"));
	D0G_EQ("1", "pat/consistent");
}

TEST(pat_feature_matches_cpuinfo)
{
	D0G_EQ(cpu_flag("pat") ? "1" : "0", "pat/feature");
}

TEST(pat_kernel_enabled)
{
	char buf[256];
	const char *expected = "1";

	/* Before 5.19, pat_enabled() is false in Xen PV (no PAT write). */
	if (is_xen_pv() && !kernel_at_least(5, 19))
		expected = "0";
	if (log_line_after("x86/PAT: PAT support disabled", buf, sizeof(buf)))
		expected = "0";
	D0G_EQ(expected, "pat/kernel_enabled");
}

/* nvidia/ */

TEST(nvidia_prediction_from_kernel_log)
{
	char layout[256];
	unsigned long long msr;
	int wc;

	ASSERT_TRUE(cpu_flag("pat"));
	ASSERT_TRUE(kernel_pat_layout(layout, sizeof(layout)));
	ASSERT_TRUE(layout_to_msr(layout, &msr));
	wc = driver_wc_scan(msr);
	EXPECT_EQ(wc, d0g_num(_metadata, "nvidia/wc_index"));
	if (wc == 1) {
		D0G_EQ("kernel", "nvidia/pat_mode");
		D0G_EQ("", "nvidia/reason");
	} else if (wc >= 0) {
		D0G_EQ("disabled", "nvidia/pat_mode");
		D0G_EQ(NVRM_UNSUPPORTED, "nvidia/reason");
	}
}

TEST(nvidia_field_story)
{
	if (is_xen_pv()) {
		D0G_EQ("disabled", "nvidia/pat_mode");
		D0G_EQ(NVRM_UNSUPPORTED, "nvidia/reason");
		D0G_EQ("4", "nvidia/wc_index");
	} else {
		D0G_EQ("kernel", "nvidia/pat_mode");
		D0G_EQ("", "nvidia/reason");
		D0G_EQ("1", "nvidia/wc_index");
	}
}

TEST(nvidia_module_loaded)
{
	D0G_EQ(exists("/sys/module/nvidia") ? "1" : "0",
	       "nvidia/module_loaded");
}

/* mtrr/ */

TEST(mtrr_feature_matches_cpuinfo)
{
	D0G_EQ(cpu_flag("mtrr") ? "1" : "0", "mtrr/feature");
}

TEST(mtrr_readable)
{
	if (is_xen_pv()) {
		/* Xen PV faults MTRR MSR reads. */
		D0G_EQ("0", "mtrr/readable");
		D0G_EQ("0", "mtrr/enabled");
		EXPECT_NE(0, d0g_num(_metadata, "mtrr/read_error"));
		EXPECT_FALSE(exists(D0G "mtrr/var/0"));
	} else {
		ASSERT_TRUE(cpu_flag("mtrr"));
		D0G_EQ("1", "mtrr/readable");
		D0G_EQ("0", "mtrr/read_error");
	}
}

static const char *proc_mtrr_type(const char *ours)
{
	static const char * const map[][2] = {
		{ "UC", "uncachable" }, { "WC", "write-combining" },
		{ "WT", "write-through" }, { "WP", "write-protect" },
		{ "WB", "write-back" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], ours))
			return map[i][1];
	return "?";
}

/* /proc/mtrr lists the enabled variable ranges in register order. */
TEST(mtrr_ranges_match_proc_mtrr)
{
	char path[PATH_MAX], line[256], type[64], ptype[64];
	unsigned long long base, size, pbase, psize;
	int count, n, reg, valid;
	char unit;
	FILE *f;

	if (d0g_num(_metadata, "mtrr/readable") != 1)
		SKIP(return, "MTRRs not readable here");
	f = fopen("/proc/mtrr", "r");
	if (!f)
		SKIP(return, "no /proc/mtrr");
	count = d0g_num(_metadata, "mtrr/var_count");
	EXPECT_GT(count, 0);
	EXPECT_EQ(1, d0g_num(_metadata, "mtrr/enabled"));
	for (n = 0; n < count; n++) {
		snprintf(path, sizeof(path), "mtrr/var/%d/valid", n);
		valid = d0g_num(_metadata, path);
		if (!valid)
			continue;
		snprintf(path, sizeof(path), "mtrr/var/%d/base", n);
		base = d0g_num(_metadata, path);
		snprintf(path, sizeof(path), "mtrr/var/%d/size", n);
		size = d0g_num(_metadata, path);
		snprintf(path, sizeof(path), "mtrr/var/%d/type", n);
		snprintf(type, sizeof(type), "%s", d0g(_metadata, path));
		ASSERT_NE(NULL, fgets(line, sizeof(line), f));
		/* "reg00: base=0x080000000 ( 2048MB), size= 2048MB, count=1: uncachable" */
		ASSERT_EQ(5, sscanf(line,
				    "reg%d: base=%llx (%*[^)]), size=%llu%cB, count=%*d: %63s",
				    &reg, &pbase, &psize, &unit, ptype));
		EXPECT_EQ(n, reg);
		EXPECT_EQ(pbase, base);
		EXPECT_EQ(psize << (unit == 'M' ? 20 : 10), size);
		EXPECT_STREQ(proc_mtrr_type(type), ptype);
	}
	fclose(f);
}

/* hypervisor/ */

TEST(hypervisor_type)
{
	char gt[64] = "";

	if (!is_xen()) {
		D0G_EQ("native", "hypervisor/type");
		return;
	}
	ASSERT_TRUE(read_line("/sys/hypervisor/guest_type", gt, sizeof(gt)));
	/* The kernel calls a PVH domain an HVM one (X86_HYPER_XEN_HVM). */
	D0G_EQ(!strcmp(gt, "PV") ? "xen_pv" : "xen_hvm", "hypervisor/type");
}

TEST(hypervisor_cpuid)
{
	D0G_EQ(cpu_flag("hypervisor") ? "1" : "0", "hypervisor/cpuid_bit");
	if (is_xen()) {
		char type[32];

		ASSERT_TRUE(read_line("/sys/hypervisor/type", type, sizeof(type)));
		EXPECT_STREQ("xen", type);
		D0G_EQ("XenVMMXenVMM", "hypervisor/cpuid_signature");
		EXPECT_GE(d0g_num(_metadata, "hypervisor/cpuid_max_leaf"),
			  0x40000002);
	}
	if (!cpu_flag("hypervisor")) {
		D0G_EQ("", "hypervisor/cpuid_signature");
		D0G_EQ("0x00000000", "hypervisor/cpuid_max_leaf");
	}
}

/* xen/ */

TEST(xen_domain_type)
{
	char gt[64] = "";

	if (!is_xen()) {
		EXPECT_FALSE(exists("/sys/hypervisor/guest_type"));
		D0G_EQ("none", "xen/domain_type");
		D0G_EQ("0", "xen/initial_domain");
		return;
	}
	ASSERT_TRUE(read_line("/sys/hypervisor/guest_type", gt, sizeof(gt)));
	D0G_EQ(!strcmp(gt, "PV") ? "pv" : !strcmp(gt, "PVH") ? "pvh" : "hvm",
	       "xen/domain_type");
	D0G_EQ(!strcmp(scenario(), "xen-pv") ? "pv" : "pvh", "xen/domain_type");
}

TEST(xen_initial_domain)
{
	char caps[256] = "", uuid[64] = "";

	if (!is_xen())
		SKIP(return, "not on Xen");
	/* xenfs says "control_d" in the control (initial) domain. */
	mkdir("/tmp/xenfs", 0755);
	if (!mount("xenfs", "/tmp/xenfs", "xenfs", 0, NULL)) {
		read_line("/tmp/xenfs/capabilities", caps, sizeof(caps));
		umount("/tmp/xenfs");
		D0G_EQ(strstr(caps, "control_d") ? "1" : "0",
		       "xen/initial_domain");
		return;
	}
	/* Without xenfs: domain 0's handle is the nil UUID. */
	ASSERT_TRUE(read_line("/sys/hypervisor/uuid", uuid, sizeof(uuid)));
	TH_LOG("no xenfs; /sys/hypervisor/uuid is %s", uuid);
	D0G_EQ(!strcmp(uuid, "00000000-0000-0000-0000-000000000000") ? "1" : "0",
	       "xen/initial_domain");
}

TEST(xen_version_and_strings)
{
	char major[16], minor[16], extra[64], caps[1100], want[64];

	if (!is_xen()) {
		D0G_EQ("", "xen/version");
		D0G_EQ("", "xen/extraversion");
		D0G_EQ("", "xen/capabilities");
		D0G_EQ("", "xen/cmdline");
		return;
	}
	ASSERT_TRUE(read_line("/sys/hypervisor/version/major", major,
			      sizeof(major)));
	ASSERT_TRUE(read_line("/sys/hypervisor/version/minor", minor,
			      sizeof(minor)));
	snprintf(want, sizeof(want), "%s.%s", major, minor);
	D0G_EQ(want, "xen/version");
	if (read_line("/sys/hypervisor/version/extra", extra, sizeof(extra)))
		D0G_EQ(extra, "xen/extraversion");
	if (read_line("/sys/hypervisor/properties/capabilities", caps,
		      sizeof(caps)))
		D0G_EQ(caps, "xen/capabilities");
}

TEST(xen_cmdline_as_passed)
{
	const char *passed = getenv("D0G_XEN_CMDLINE");

	if (!is_xen())
		SKIP(return, "not on Xen");
	ASSERT_NE(NULL, passed);
	D0G_EQ(passed, "xen/cmdline");
}

/* iommu/ */

static int count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

TEST(iommu)
{
	int groups = count_dir("/sys/kernel/iommu_groups");
	char line[256];

	EXPECT_EQ(groups, d0g_num(_metadata, "iommu/groups"));
	D0G_EQ(exists("/sys/firmware/acpi/tables/DMAR") ? "1" : "0",
	       "iommu/acpi_dmar");
	D0G_EQ(exists("/sys/firmware/acpi/tables/IVRS") ? "1" : "0",
	       "iommu/acpi_ivrs");
	D0G_EQ(is_xen() ? "xen" : groups ? "linux" : "none", "iommu/owner");
	D0G_EQ(groups ? "1" : "0", "iommu/linux_present");
	if (!groups) {
		D0G_EQ("none", "iommu/default_domain");
	} else if (log_line_after("iommu: Default domain type: ", line,
				  sizeof(line))) {
		/* e.g. "Passthrough (set via kernel command line)" */
		D0G_EQ(!strncmp(line, "Passthrough", 11) ? "passthrough" :
		       "translated", "iommu/default_domain");
	}
}

/* gpus/ */

static bool sysfs_hex(const char *dir, const char *name, unsigned long *v)
{
	char path[PATH_MAX], buf[64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!read_line(path, buf, sizeof(buf)))
		return false;
	*v = strtoul(buf, NULL, 16);
	return true;
}

static void link_name(const char *dir, const char *name, char *out,
		      size_t size, const char *none)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		snprintf(out, size, "%s", none);
		return;
	}
	target[n] = '\0';
	snprintf(out, size, "%s", strrchr(target, '/') + 1);
}

static void check_gpu(struct __test_metadata *_metadata, const char *addr,
		      unsigned long vendor, unsigned long device,
		      unsigned long class)
{
	char dir[300], ours[300], want[PATH_MAX], line[256];
	unsigned long long start, end, flags;
	FILE *f;
	int bar;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", addr);
	snprintf(ours, sizeof(ours), "gpus/%s/", addr);
#define GPU_EQ(expected, file) do {					\
		char p_[PATH_MAX];					\
		snprintf(p_, sizeof(p_), "%s%s", ours, file);		\
		D0G_EQ(expected, p_);					\
	} while (0)
	snprintf(want, sizeof(want), "0x%04lx", vendor);
	GPU_EQ(want, "vendor");
	snprintf(want, sizeof(want), "0x%04lx", device);
	GPU_EQ(want, "device");
	snprintf(want, sizeof(want), "0x%06lx", class);
	GPU_EQ(want, "class");
	GPU_EQ(vendor == 0x10de ? "1" : "0", "nvidia");
	link_name(dir, "driver", want, sizeof(want), "");
	GPU_EQ(want, "driver");
	link_name(dir, "iommu_group", want, sizeof(want), "-1");
	GPU_EQ(want, "iommu_group");
	snprintf(want, sizeof(want), "%s/numa_node", dir);
	if (read_line(want, line, sizeof(line)))
		GPU_EQ(line, "numa_node");
	snprintf(want, sizeof(want), "%s/resource", dir);
	f = fopen(want, "r");
	ASSERT_NE(NULL, f);
	for (bar = 0; bar < 6; bar++) {
		char file[8];

		ASSERT_NE(NULL, fgets(line, sizeof(line), f));
		ASSERT_EQ(3, sscanf(line, "%llx %llx %llx", &start, &end,
				    &flags));
		snprintf(want, sizeof(want), "%llu",
			 end ? end - start + 1 : 0);
		snprintf(file, sizeof(file), "bar%d", bar);
		GPU_EQ(want, file);
	}
	fclose(f);
#undef GPU_EQ
}

TEST(gpus_match_pci)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	unsigned long vendor, device, class;
	char dir[300];
	struct dirent *e;
	int n = 0;

	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", e->d_name);
		if (!sysfs_hex(dir, "class", &class) || (class >> 16) != 0x03)
			continue;
		ASSERT_TRUE(sysfs_hex(dir, "vendor", &vendor));
		ASSERT_TRUE(sysfs_hex(dir, "device", &device));
		check_gpu(_metadata, e->d_name, vendor, device, class);
		n++;
	}
	closedir(d);
	EXPECT_EQ(n, d0g_num(_metadata, "gpus/count"));
	EXPECT_EQ(n + 1, count_dir(D0G "gpus"));	/* + "count" */
}

/* Each display device QEMU was given appears (vendor:device:class). */
TEST(gpus_include_qemu_devices)
{
	const char *given = getenv("D0G_DISPLAY_DEVICES");
	char copy[1024], *tok, *save, path[PATH_MAX], want[64];
	DIR *d;
	struct dirent *e;
	bool found;

	if (!given || !*given)
		SKIP(return, "no display devices given");
	snprintf(copy, sizeof(copy), "%s", given);
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		found = false;
		d = opendir(D0G "gpus");
		ASSERT_NE(NULL, d);
		while (!found && (e = readdir(d))) {
			char v[16], dv[16], c[16];

			if (e->d_name[0] == '.' || !strcmp(e->d_name, "count"))
				continue;
			snprintf(path, sizeof(path), D0G "gpus/%s/vendor", e->d_name);
			read_line(path, v, sizeof(v));
			snprintf(path, sizeof(path), D0G "gpus/%s/device", e->d_name);
			read_line(path, dv, sizeof(dv));
			snprintf(path, sizeof(path), D0G "gpus/%s/class", e->d_name);
			read_line(path, c, sizeof(c));
			snprintf(want, sizeof(want), "%s:%s:%s", v + 2, dv + 2, c + 2);
			found = !strcmp(want, tok);
		}
		closedir(d);
		EXPECT_TRUE(found) TH_LOG("%s not among gpus/", tok);
	}
}

/*
 * Privileges: verdicts for everyone, addresses and Xen's line for root.
 * The child opens relative to a directory root opened for it, so only the
 * modes of dom0gpu's own files and directories are tested.
 */

static int open_as_nobody(const char *relpath)
{
	int dirfd = open(D0G, O_RDONLY | O_DIRECTORY);
	int status, fd;
	pid_t pid;

	if (dirfd < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(100);
		fd = openat(dirfd, relpath, O_RDONLY);
		_exit(fd >= 0 ? 0 : errno);
	}
	close(dirfd);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(unprivileged_reads_verdicts)
{
	static const char * const files[] = {
		"version", "pat/msr", "pat/layout", "pat/wc_index",
		"pat/consistent", "pat/kernel_enabled", "nvidia/pat_mode",
		"nvidia/reason", "nvidia/wc_index", "mtrr/enabled",
		"hypervisor/type", "xen/domain_type", "xen/initial_domain",
		"xen/version", "iommu/owner", "gpus/count",
	};
	unsigned int i;
	int rc;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		rc = open_as_nobody(files[i]);
		if (rc)
			TH_LOG("nobody cannot open %s: %s", files[i], strerror(rc));
		EXPECT_EQ(0, rc);
	}
}

TEST(unprivileged_denied_addresses_and_cmdline)
{
	EXPECT_EQ(EACCES, open_as_nobody("xen/cmdline"));
	EXPECT_EQ(0, open_as_nobody("xen/domain_type"));
	if (exists(D0G "mtrr/var/0")) {
		EXPECT_EQ(EACCES, open_as_nobody("mtrr/var/0/base"));
		EXPECT_EQ(EACCES, open_as_nobody("mtrr/var/0/size"));
		EXPECT_EQ(0, open_as_nobody("mtrr/var/0/type"));
	}
}

/* CPU hotplug: the PAT of a CPU is dropped and re-read with it. */

static bool write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok;
}

TEST(cpu_hotplug_tracked)
{
	const char *cpu1 = "/sys/devices/system/cpu/cpu1/online";
	int before = online_cpus();

	if (before < 2 || !exists(cpu1))
		SKIP(return, "no hot-pluggable cpu1");
	if (xen_pvh_guest())
		SKIP(return, PVH_HOTPLUG_SKIP);
	ASSERT_TRUE(write_str(cpu1, "0"));
	EXPECT_EQ(before - 1, online_cpus());
	EXPECT_EQ(before - 1, d0g_num(_metadata, "pat/cpus_read"));
	D0G_EQ("1", "pat/consistent");
	ASSERT_TRUE(write_str(cpu1, "1"));
	EXPECT_EQ(before, online_cpus());
	EXPECT_EQ(before, d0g_num(_metadata, "pat/cpus_read"));
	EXPECT_EQ(0, d0g_num(_metadata, "pat/cpus_failed"));
	D0G_EQ("1", "pat/consistent");
}

/* Waits up to 10 s for @path to (dis)appear: gpus/ directories follow
 * the model from a work item, which adds a directory, then its files.
 */
static bool wait_exists(const char *path, bool want)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (exists(path) == want)
			return true;
		usleep(100000);
	}
	return false;
}

/* PCI hotplug: a display device without a driver is removed and found
 * again by a rescan; its directory goes and comes back.
 */
TEST(gpu_hotplug_tracked)
{
	char dir[300], path[PATH_MAX], ours[PATH_MAX], addr[256] = "";
	char file[PATH_MAX + 8];
	unsigned long class, vendor;
	char want[16];
	struct dirent *e;
	long long count;
	DIR *d;

	d = opendir("/sys/bus/pci/devices");
	ASSERT_NE(NULL, d);
	while (!addr[0] && (e = readdir(d))) {
		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", e->d_name);
		snprintf(path, sizeof(path), "%s/driver", dir);
		if (e->d_name[0] != '.' && sysfs_hex(dir, "class", &class) &&
		    (class >> 16) == 0x03 && !exists(path))
			snprintf(addr, sizeof(addr), "%s", e->d_name);
	}
	closedir(d);
	if (!addr[0])
		SKIP(return, "no display device without a driver");
	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", addr);
	ASSERT_TRUE(sysfs_hex(dir, "vendor", &vendor));
	snprintf(ours, sizeof(ours), D0G "gpus/%s", addr);
	count = d0g_num(_metadata, "gpus/count");
	ASSERT_TRUE(exists(ours));

	snprintf(path, sizeof(path), "%s/remove", dir);
	ASSERT_TRUE(write_str(path, "1"));
	EXPECT_FALSE(exists(dir));
	EXPECT_EQ(count - 1, d0g_num(_metadata, "gpus/count"));
	EXPECT_TRUE(wait_exists(ours, false));

	ASSERT_TRUE(write_str("/sys/bus/pci/rescan", "1"));
	ASSERT_TRUE(exists(dir));
	EXPECT_EQ(count, d0g_num(_metadata, "gpus/count"));
	/* The file, not the directory: a reader can see the directory an
	 * instant before its files (on 64 vCPUs that one TCG thread takes
	 * turns with, once in about 140 boots).
	 */
	snprintf(file, sizeof(file), "%s/vendor", ours);
	ASSERT_TRUE(wait_exists(file, true));
	snprintf(want, sizeof(want), "0x%04lx", vendor);
	snprintf(path, sizeof(path), "gpus/%s/vendor", addr);
	D0G_EQ(want, path);
}

/* Unload and load again: everything is torn down and rebuilt (a WARN
 * would panic the VM, which the harness reports).
 */
TEST(module_reload)
{
	const char *ko = getenv("D0G_MODULE");
	char cmd[PATH_MAX + 64], layout[256];
	int i;

	ASSERT_NE(NULL, ko);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, system("rmmod dom0gpu"));
		EXPECT_FALSE(exists(D0G "version"));
		snprintf(cmd, sizeof(cmd), "insmod %s", ko);
		ASSERT_EQ(0, system(cmd));
	}
	ASSERT_TRUE(kernel_pat_layout(layout, sizeof(layout)));
	D0G_EQ(layout, "pat/layout");
	EXPECT_EQ(online_cpus(), d0g_num(_metadata, "pat/cpus_read"));
}

TEST_HARNESS_MAIN
