// SPDX-License-Identifier: GPL-2.0
/*
 * The degraded source: what userspace alone can learn about the PAT, the
 * CPU and Xen, without the dom0gpu module. It runs in every mode (the
 * module's facts then overwrite these) because the CPU facts NVIDIA's
 * decision needs come from /proc/cpuinfo either way.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsroot.h"
#include "pat_types.h"
#include "source.h"

#define MSR_IA32_PAT	0x277

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || isspace((unsigned char)p[-1])) &&
		    (p[n] == '\0' || isspace((unsigned char)p[n])))
			return true;
		p += n;
	}
	return false;
}

/* The value of "key\t: value" in the first processor block. */
static bool cpuinfo_field(const char *buf, const char *key, char *out, size_t len)
{
	const char *p = buf;
	size_t n = strlen(key);

	while (p && *p && *p != '\n') {
		if (!strncmp(p, key, n) && (p[n] == '\t' || p[n] == ' ' || p[n] == ':')) {
			const char *v = strchr(p, ':'), *e;

			if (!v)
				return false;
			v++;
			while (*v == ' ')
				v++;
			e = strchr(v, '\n');
			if (!e)
				e = v + strlen(v);
			snprintf(out, len, "%.*s", (int)(e - v), v);
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static void read_cpuinfo(struct report *r)
{
	static const char path[] = "/proc/cpuinfo";
	unsigned long long v;
	char val[4096];
	/*
	 * Only the first processor block (it ends at an empty line): the
	 * kernel formats every CPU's block, which on a large host costs more
	 * than all else.
	 */
	char *buf = fsroot_slurp_until(path, "\n\n", NULL);

	if (!buf) {
		report_note(r, "%s: %s", path, strerror(errno));
		return;
	}
	if (cpuinfo_field(buf, "vendor_id", val, sizeof(val)))
		fact_set_str(r, F_CPU_VENDOR, val, SRC_CPUINFO, path);
	if (cpuinfo_field(buf, "cpu family", val, sizeof(val)) && parse_u64(val, &v))
		fact_set_int(r, F_CPU_FAMILY, (int64_t)v, SRC_CPUINFO, path);
	if (cpuinfo_field(buf, "model", val, sizeof(val)) && parse_u64(val, &v))
		fact_set_int(r, F_CPU_MODEL, (int64_t)v, SRC_CPUINFO, path);
	if (cpuinfo_field(buf, "cpuid level", val, sizeof(val)) && parse_u64(val, &v))
		fact_set_int(r, F_CPU_CPUID_LEVEL, (int64_t)v, SRC_CPUINFO, path);
	if (cpuinfo_field(buf, "microcode", val, sizeof(val)) && parse_u64(val, &v))
		fact_set_hex(r, F_CPU_MICROCODE, v, SRC_CPUINFO, path);
	if (cpuinfo_field(buf, "flags", val, sizeof(val))) {
		fact_set_bool(r, F_CPU_PAT, has_word(val, "pat"), SRC_CPUINFO, path);
		fact_set_bool(r, F_CPU_HYPERVISOR_BIT, has_word(val, "hypervisor"),
			      SRC_CPUINFO, path);
	}
	free(buf);
}

/* CPUID leaf 1 through the cpuid driver: the real EDX (PAT) and ECX[31]. */
static void read_cpuid(struct report *r)
{
	static const char path[] = "/dev/cpu/0/cpuid";
	uint32_t regs[4];
	int fd = fsroot_open(path, O_RDONLY);

	if (fd < 0)
		return;
	if (pread(fd, regs, sizeof(regs), 1) == (ssize_t)sizeof(regs)) {
		fact_set_hex(r, F_CPU_CPUID1_EDX, regs[3], SRC_CPUID, path);
		fact_set_bool(r, F_CPU_HYPERVISOR_BIT, !!(regs[2] & (1U << 31)), SRC_CPUID, path);
	}
	close(fd);
}

/* Every CPU's PAT through the msr driver (root, modprobe msr). */
static void read_msrs(struct report *r)
{
	struct dirent **list = NULL;
	char path[REPORT_FROM_LEN], from[REPORT_FROM_LEN] = "";
	uint64_t first = 0, other = 0;
	int n, i, read_ok = 0, err = 0;
	bool differ = false;

	n = fsroot_scan_cpus("/dev/cpu", &list);
	if (n < 0)
		return;
	for (i = 0; i < n; i++) {
		uint64_t v;
		int fd;

		snprintf(path, sizeof(path), "/dev/cpu/%.32s/msr", list[i]->d_name);
		fd = fsroot_open(path, O_RDONLY);
		if (fd < 0) {
			if (errno != ENOENT)
				err = errno;
			continue;
		}
		if (pread(fd, &v, sizeof(v), MSR_IA32_PAT) == (ssize_t)sizeof(v)) {
			if (!read_ok++) {
				first = v;
				snprintf(from, sizeof(from), "%s", path);
			} else if (v != first && (!differ || pat_other_more_telling(first, other, v))) {
				differ = true;
				other = v;
			}
		} else {
			err = errno;
		}
		close(fd);
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	if (!read_ok) {
		if (err)
			report_note(r, "/dev/cpu/*/msr: %s (PAT of each CPU not read)", strerror(err));
		return;
	}
	fact_set_hex(r, F_PAT_MSR, first, SRC_MSR, from);
	fact_set_int(r, F_PAT_CPUS_READ, read_ok, SRC_MSR, "/dev/cpu/*/msr");
	fact_set_bool(r, F_PAT_CONSISTENT, !differ, SRC_MSR, "/dev/cpu/*/msr");
	if (differ)
		fact_set_hex(r, F_PAT_MSR_OTHER, other, SRC_MSR, "/dev/cpu/*/msr");
}

struct log_scan {
	char pat_layout[128];
	char nvrm_pat[128];
	char booting[64];	/* "Xen", "Xen PVH", "Xen HVM", "bare hardware" */
	char hv_detected[64];
};

static void copy_rest(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
	str_trim(dst);
}

static int scan_line(const char *line, void *arg)
{
	static const char pat_key[] = "x86/PAT: Configuration [0-7]: ";
	static const char boot_key[] = "Booting paravirtualized kernel on ";
	static const char hv_key[] = "Hypervisor detected: ";
	struct log_scan *s = arg;
	const char *p;

	if ((p = strstr(line, pat_key)))
		copy_rest(s->pat_layout, sizeof(s->pat_layout), p + strlen(pat_key));
	else if ((p = strstr(line, "NVRM: ")) && strstr(p, "PAT"))
		copy_rest(s->nvrm_pat, sizeof(s->nvrm_pat), p);
	else if ((p = strstr(line, boot_key)))
		copy_rest(s->booting, sizeof(s->booting), p + strlen(boot_key));
	else if ((p = strstr(line, hv_key)))
		copy_rest(s->hv_detected, sizeof(s->hv_detected), p + strlen(hv_key));
	return 0;
}

static void read_kernel_log(struct report *r)
{
	struct log_scan s;
	char from[32], layout[128];
	uint64_t pat;
	int ret;

	memset(&s, 0, sizeof(s));
	ret = kmsg_foreach(scan_line, &s, from, sizeof(from));
	if (ret < 0) {
		report_note(r, "kernel log unreadable: %s (run as root)", strerror(-ret));
		return;
	}
	if (s.pat_layout[0] && pat_from_layout(s.pat_layout, &pat)) {
		pat_layout_text(pat, layout, sizeof(layout));
		fact_set_str(r, F_PAT_LAYOUT, layout, SRC_KMSG, from);
		if (!fact_known(r, F_PAT_MSR))
			fact_set_hex(r, F_PAT_MSR, pat, SRC_KMSG, from);
	} else if (!fact_known(r, F_PAT_MSR)) {
		report_note(r, "no x86/PAT: Configuration line in the kernel log (rotated out?)");
	}
	fact_set_str(r, F_NVIDIA_LOG_PAT, s.nvrm_pat, SRC_KMSG, from);
	if (s.booting[0] && !fact_known(r, F_XEN_DOMAIN_TYPE)) {
		const char *t = "none";

		if (!strcmp(s.booting, "Xen"))
			t = "pv";
		else if (!strcmp(s.booting, "Xen PVH"))
			t = "pvh";
		else if (!strcmp(s.booting, "Xen HVM"))
			t = "hvm";
		fact_set_str(r, F_XEN_DOMAIN_TYPE, t, SRC_KMSG, from);
	}
	if (s.hv_detected[0] && !fact_known(r, F_HYPERVISOR_TYPE)) {
		char t[64];
		size_t i;

		/* "Xen PV", "Xen HVM", "KVM", "Microsoft Hyper-V" -> first word */
		snprintf(t, sizeof(t), "%s", s.hv_detected);
		for (i = 0; t[i]; i++) {
			if (t[i] == ' ') {
				t[i] = '\0';
				break;
			}
			t[i] = (char)tolower((unsigned char)t[i]);
		}
		fact_set_str(r, F_HYPERVISOR_TYPE, t, SRC_KMSG, from);
	}
}

static void read_hypervisor(struct report *r)
{
	char buf[1024], path[128], maj[32], min[32], extra[64];
	unsigned long long feat;

	if (fsroot_read_line("/sys/hypervisor/type", buf, sizeof(buf)) > 0)
		fact_set_str(r, F_HYPERVISOR_TYPE, buf, SRC_SYS_HYPERVISOR, "/sys/hypervisor/type");
	if (!fact_str_is(r, F_HYPERVISOR_TYPE, "xen")) {
		if (!fact_known(r, F_HYPERVISOR_TYPE) && fact_false(r, F_CPU_HYPERVISOR_BIT))
			fact_set_str(r, F_HYPERVISOR_TYPE, "none", SRC_CPUINFO, "/proc/cpuinfo");
		if (!fact_known(r, F_XEN_DOMAIN_TYPE) && fact_known(r, F_HYPERVISOR_TYPE))
			fact_set_str(r, F_XEN_DOMAIN_TYPE, "none", r->f[F_HYPERVISOR_TYPE].src,
				     r->f[F_HYPERVISOR_TYPE].from);
		return;
	}
	if (fsroot_read_line("/sys/hypervisor/guest_type", buf, sizeof(buf)) > 0) {
		char *p;

		for (p = buf; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		fact_set_str(r, F_XEN_DOMAIN_TYPE, buf, SRC_SYS_HYPERVISOR,
			     "/sys/hypervisor/guest_type");
	}
	if (fsroot_read_line("/sys/hypervisor/version/major", maj, sizeof(maj)) > 0 &&
	    fsroot_read_line("/sys/hypervisor/version/minor", min, sizeof(min)) > 0) {
		if (fsroot_read_line("/sys/hypervisor/version/extra", extra, sizeof(extra)) < 0)
			extra[0] = '\0';
		snprintf(buf, sizeof(buf), "%s.%s%s", maj, min, extra);
		fact_set_str(r, F_XEN_VERSION, buf, SRC_SYS_HYPERVISOR, "/sys/hypervisor/version");
	}
	snprintf(path, sizeof(path), "/sys/hypervisor/properties/capabilities");
	if (fsroot_read_line(path, buf, sizeof(buf)) > 0) {
		fact_set_str(r, F_XEN_CAPABILITIES, buf, SRC_SYS_HYPERVISOR, path);
		fact_set_bool(r, F_XEN_HVM, strstr(buf, "hvm-") != NULL, SRC_SYS_HYPERVISOR, path);
	}
	/* XENFEAT_dom0 (bit 11), as systemd's virt.c reads it. */
	if (fsroot_read_line("/sys/hypervisor/properties/features", buf, sizeof(buf)) > 0) {
		char hex[48];

		snprintf(hex, sizeof(hex), "0x%.40s", buf);
		if (parse_u64(hex, &feat))
			fact_set_bool(r, F_XEN_INITIAL_DOMAIN, !!(feat & (1ULL << 11)),
				      SRC_SYS_HYPERVISOR, "/sys/hypervisor/properties/features");
	}
	if (!fact_known(r, F_XEN_INITIAL_DOMAIN) &&
	    fsroot_read_line("/proc/xen/capabilities", buf, sizeof(buf)) >= 0)
		fact_set_bool(r, F_XEN_INITIAL_DOMAIN, strstr(buf, "control_d") != NULL,
			      SRC_PROC_XEN, "/proc/xen/capabilities");
}

void src_degraded_collect(struct report *r)
{
	read_cpuinfo(r);
	read_cpuid(r);
	if (!fsroot_exists("/sys/kernel/dom0gpu"))
		read_msrs(r);
	read_kernel_log(r);
	read_hypervisor(r);
	if (fact_known(r, F_PAT_MSR) && !fact_known(r, F_PAT_WC_INDEX))
		fact_set_int(r, F_PAT_WC_INDEX, pat_wc_index(r->f[F_PAT_MSR].v.u),
			     r->f[F_PAT_MSR].src, r->f[F_PAT_MSR].from);
}
