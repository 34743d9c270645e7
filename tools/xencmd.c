// SPDX-License-Identifier: GPL-2.0
/*
 * Xen's command line, read the way Xen 4.17 reads it, to find what would
 * break a PVH dom0 and what Xen ignores or applies differently from how it
 * reads. The rules restated here, from Xen's sources:
 *
 * xen/common/kernel.c, parse_params(): options are separated by spaces only
 * and cut at 127 characters; the name is what precedes the first '='. A
 * "no-" prefix is stripped from every name, whatever its kind: a boolean
 * takes it as "false" (and "no-x=0" as true), a custom parser gets "no" when
 * there is no value and rejects any value, strings and numbers ignore the
 * prefix and take the value. A bare name sets a boolean, hands "" to a
 * custom parser (which rejects it), and stores "" or 0 in a string or a
 * number. Every option is applied in order, so the last one wins. Unknown
 * names are logged as "parameter ... unknown!", rejected values as
 * "parameter ... has invalid value ...", and parsing goes on.
 *
 * parse_bool(): 1 on yes true enable / 0 no off false disable, by length.
 * parse_boolean(name): "name", "no-name" (exact) or "name=<bool>".
 * cmdline_strcmp(): a name matches when followed by the end or , ; : =.
 * Sub-option lists (iommu=, dom0-iommu=, dom0=) apply every item they know
 * and return -EINVAL once for the whole list if any item is unknown.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xencmd.h"

/* Xen's MAX_PARAM_SIZE (xen/include/xen/param.h), less the NUL. */
#define XEN_PARAM_MAX	127

/* The kinds of xen/include/xen/param.h: boolean_param() and so on. */
enum xen_kind { XK_BOOL, XK_UINT, XK_SIZE, XK_STR, XK_CUSTOM, XK_IGNORE };

struct xen_param {
	const char *name;	/* a trailing '[' matches name[index]=value */
	enum xen_kind kind;
};

/*
 * The parameters an x86 build of Xen 4.17 registers (boolean_param(),
 * integer_param(), size_param(), string_param(), custom_param() and
 * ignore_param() outside xen/arch/arm), with their kinds.
 */
static const struct xen_param xen_params[] = {
	{ "acpi", XK_CUSTOM },
	{ "acpi_apic_instance", XK_CUSTOM },
	{ "acpi_pstate_strict", XK_BOOL },
	{ "acpi_skip_timer_override", XK_BOOL },
	{ "acpi_sleep", XK_CUSTOM },
	{ "allow_unsafe", XK_BOOL },
	{ "altp2m", XK_BOOL },
	{ "apic", XK_CUSTOM },
	{ "apic_verbosity", XK_CUSTOM },
	{ "apicv", XK_BOOL },
	{ "arat", XK_BOOL },
	{ "argo", XK_CUSTOM },
	{ "asid", XK_BOOL },
	{ "async-show-all", XK_BOOL },
	{ "ats", XK_BOOL },
	{ "availmem", XK_SIZE },
	{ "badpage", XK_STR },
	{ "bootscrub", XK_CUSTOM },
	{ "bootscrub_chunk", XK_SIZE },
	{ "cet", XK_CUSTOM },
	{ "clocksource", XK_STR },
	{ "cmci-threshold", XK_UINT },
	{ "cmos-rtc-probe", XK_BOOL },
	{ "com1", XK_STR },
	{ "com2", XK_STR },
	{ "conring_size", XK_SIZE },
	{ "console", XK_STR },
	{ "console_timestamps", XK_CUSTOM },
	{ "console_to_ring", XK_BOOL },
	{ "conswitch", XK_STR },
	{ "core_parking", XK_CUSTOM },
	{ "cpu_type", XK_CUSTOM },
	{ "cpufreq", XK_CUSTOM },
	{ "cpuid", XK_CUSTOM },
	{ "cpuid_mask_cpu", XK_STR },
	{ "cpuid_mask_ecx", XK_UINT },
	{ "cpuid_mask_edx", XK_UINT },
	{ "cpuid_mask_ext_ecx", XK_UINT },
	{ "cpuid_mask_ext_edx", XK_UINT },
	{ "cpuid_mask_l7s0_eax", XK_UINT },
	{ "cpuid_mask_l7s0_ebx", XK_UINT },
	{ "cpuid_mask_thermal_ecx", XK_UINT },
	{ "cpuid_mask_xsave_eax", XK_UINT },
	{ "cpuidle", XK_BOOL },
	{ "cpuinfo", XK_BOOL },
	{ "crash-debug-debugkey", XK_STR },
	{ "crash-debug-hwdom", XK_STR },
	{ "crash-debug-kexeccmd", XK_STR },
	{ "crash-debug-panic", XK_STR },
	{ "crash-debug-watchdog", XK_STR },
	{ "crashinfo_maxaddr", XK_CUSTOM },
	{ "crashkernel", XK_CUSTOM },
	{ "credit2_balance_over", XK_UINT },
	{ "credit2_balance_under", XK_UINT },
	{ "credit2_cap_period_ms", XK_UINT },
	{ "credit2_load_precision_shift", XK_UINT },
	{ "credit2_load_window_shift", XK_UINT },
	{ "credit2_runqueue", XK_CUSTOM },
	{ "dbgp", XK_CUSTOM },
	{ "debug_stack_lines", XK_UINT },
	{ "debugtrace", XK_CUSTOM },
	{ "dit", XK_BOOL },
	{ "dma_bits", XK_UINT },
	{ "dom0", XK_CUSTOM },
	{ "dom0-cpuid", XK_CUSTOM },
	{ "dom0-iommu", XK_CUSTOM },
	{ "dom0_ioports_disable", XK_STR },
	{ "dom0_max_vcpus", XK_CUSTOM },
	{ "dom0_mem", XK_CUSTOM },
	{ "dom0_nodes", XK_CUSTOM },
	{ "dom0_vcpus_pin", XK_BOOL },
	{ "dtuart", XK_STR },
	{ "e820-mtrr-clip", XK_BOOL },
	{ "e820-verbose", XK_BOOL },
	{ "edd", XK_IGNORE },
	{ "edid", XK_IGNORE },
	{ "efi", XK_CUSTOM },
	{ "ept", XK_CUSTOM },
	{ "extra_guest_irqs", XK_CUSTOM },
	{ "flask", XK_CUSTOM },
	{ "font", XK_CUSTOM },
	{ "force-ept", XK_BOOL },
	{ "gdb", XK_STR },
	{ "global-pages", XK_BOOL },
	{ "gnttab", XK_CUSTOM },
	{ "gnttab_max_frames", XK_CUSTOM },
	{ "gnttab_max_maptrack_frames", XK_CUSTOM },
	{ "guest_loglvl", XK_CUSTOM },
	{ "hap", XK_BOOL },
	{ "hap_1gb", XK_BOOL },
	{ "hap_2mb", XK_BOOL },
	{ "hardware_dom", XK_UINT },
	{ "hest_disable", XK_BOOL },
	{ "highmem-start", XK_SIZE },
	{ "hpet", XK_CUSTOM },
	{ "hpetbroadcast", XK_BOOL },
	{ "hvm_debug", XK_UINT },
	{ "hvm_fep", XK_BOOL },
	{ "hvm_port80", XK_BOOL },
	{ "idle_latency_factor", XK_UINT },
	{ "invpcid", XK_BOOL },
	{ "ioapic_ack", XK_CUSTOM },
	{ "iommu", XK_CUSTOM },
	{ "iommu_dev_iotlb_timeout", XK_UINT },
	{ "iommu_inclusive_mapping", XK_BOOL },
	{ "irq-max-guests", XK_UINT },
	{ "irq_ratelimit", XK_UINT },
	{ "irq_vector_map", XK_CUSTOM },
	{ "ivmd", XK_CUSTOM },
	{ "ivrs_hpet[", XK_CUSTOM },
	{ "ivrs_ioapic[", XK_CUSTOM },
	{ "lapic", XK_BOOL },
	{ "lapic_timer_c2_ok", XK_BOOL },
	{ "ler", XK_BOOL },
	{ "loglvl", XK_CUSTOM },
	{ "low_crashinfo", XK_CUSTOM },
	{ "low_mem_virq_limit", XK_SIZE },
	{ "max_cstate", XK_CUSTOM },
	{ "max_gsi_irqs", XK_UINT },
	{ "maxcpus", XK_UINT },
	{ "mce", XK_BOOL },
	{ "mce_fb", XK_BOOL },
	{ "mce_verbosity", XK_CUSTOM },
	{ "mem", XK_SIZE },
	{ "memop-max-order", XK_CUSTOM },
	{ "mmcfg", XK_CUSTOM },
	{ "mmio-relax", XK_CUSTOM },
	{ "msi", XK_BOOL },
	{ "mtrr.show", XK_BOOL },
	{ "mwait-idle", XK_BOOL },
	{ "nmi", XK_STR },
	{ "noapic", XK_BOOL },
	{ "noirqbalance", XK_BOOL },
	{ "nolapic", XK_CUSTOM },
	{ "noreboot", XK_BOOL },
	{ "nosmp", XK_BOOL },
	{ "nr_irqs", XK_UINT },
	{ "numa", XK_CUSTOM },
	{ "pci", XK_CUSTOM },
	{ "pci-phantom", XK_CUSTOM },
	{ "pcid", XK_CUSTOM },
	{ "pku", XK_BOOL },
	{ "placeholder", XK_IGNORE },
	{ "ple_gap", XK_UINT },
	{ "ple_window", XK_UINT },
	{ "preferred-cstates", XK_STR },
	{ "psr", XK_CUSTOM },
	{ "pv", XK_CUSTOM },
	{ "pv-l1tf", XK_CUSTOM },
	{ "pv-linear-pt", XK_BOOL },
	{ "pv-shim", XK_BOOL },
	{ "rcu-idle-timer-period-ms", XK_UINT },
	{ "real-mode", XK_IGNORE },
	{ "reboot", XK_CUSTOM },
	{ "rmrr", XK_CUSTOM },
	{ "ro-hpet", XK_BOOL },
	{ "sched", XK_STR },
	{ "sched-gran", XK_CUSTOM },
	{ "sched_credit2_max_cpus_runqueue", XK_UINT },
	{ "sched_credit2_migrate_resist", XK_UINT },
	{ "sched_credit_tslice_ms", XK_UINT },
	{ "sched_ratelimit_us", XK_UINT },
	{ "sched_smt_power_savings", XK_BOOL },
	{ "scrub-domheap", XK_BOOL },
	{ "serial_tx_buffer", XK_SIZE },
	{ "shim_mem", XK_CUSTOM },
	{ "smap", XK_CUSTOM },
	{ "smep", XK_CUSTOM },
	{ "smt", XK_BOOL },
	{ "snb_igd_quirk", XK_CUSTOM },
	{ "spec-ctrl", XK_CUSTOM },
	{ "sync_console", XK_BOOL },
	{ "tboot", XK_UINT },
	{ "tbuf_size", XK_UINT },
	{ "tdt", XK_BOOL },
	{ "tevt_mask", XK_UINT },
	{ "tickle_one_idle_cpu", XK_BOOL },
	{ "timer_slop", XK_UINT },
	{ "tsc", XK_CUSTOM },
	{ "tsx", XK_CUSTOM },
	{ "ucode", XK_CUSTOM },
	{ "unrestricted_guest", XK_BOOL },
	{ "vcpu_migration_delay", XK_UINT },
	{ "vesa-ram", XK_UINT },
	{ "vga", XK_STR },
	{ "viridian-spinlock-retry-count", XK_UINT },
	{ "viridian-version", XK_CUSTOM },
	{ "vm-notify-window", XK_UINT },
	{ "vpid", XK_BOOL },
	{ "vpmu", XK_CUSTOM },
	{ "watchdog", XK_CUSTOM },
	{ "watchdog_timeout", XK_CUSTOM },
	{ "x2apic", XK_BOOL },
	{ "x2apic-mode", XK_CUSTOM },
	{ "x2apic_phys", XK_BOOL },
	{ "xpti", XK_CUSTOM },
	{ "xsave", XK_BOOL },
	{ "xsm", XK_CUSTOM },
};

static const char *const kind_name[] = {
	[XK_BOOL] = "boolean", [XK_UINT] = "integer", [XK_SIZE] = "size",
	[XK_STR] = "string", [XK_CUSTOM] = "list", [XK_IGNORE] = "ignored",
};

static const struct xen_param *param_find(const char *opt, const char *key)
{
	const char *bracket = strpbrk(opt, "([{<");
	size_t i;

	for (i = 0; i < sizeof(xen_params) / sizeof(xen_params[0]); i++) {
		const char *p = xen_params[i].name;
		size_t n = strlen(p);

		if (!strcmp(p, key))
			return &xen_params[i];
		/* ivrs_hpet[0x0]=...: matched on the name up to its bracket. */
		if (p[n - 1] == '[' && bracket && (size_t)(bracket + 1 - opt) == n &&
		    !strncmp(p, opt, n))
			return &xen_params[i];
	}
	return NULL;
}

int xencmd_parse_bool(const char *s, size_t len)
{
	static const char *const yes[] = { "1", "on", "yes", "true", "enable" };
	static const char *const no[] = { "0", "no", "off", "false", "disable" };
	size_t i;

	for (i = 0; i < 5; i++) {
		if (strlen(yes[i]) == len && !strncmp(s, yes[i], len))
			return 1;
		if (strlen(no[i]) == len && !strncmp(s, no[i], len))
			return 0;
	}
	return -1;
}

/* Xen's parse_boolean() on the item s[0..len): >= 0 the value, -1 no match, -2 bad value. */
static int parse_boolean(const char *name, const char *s, size_t len)
{
	bool neg = len >= 3 && !strncmp(s, "no-", 3);
	size_t n = strlen(name);
	int b;

	if (neg) {
		s += 3;
		len -= 3;
	}
	if (len < n || strncmp(s, name, n))
		return -1;
	if (len == n)
		return !neg;
	if (neg || s[n] != '=')
		return -1;
	b = xencmd_parse_bool(s + n + 1, len - n - 1);
	return b >= 0 ? b : -2;
}

/* Xen's cmdline_strcmp() == 0 on the item s[0..len). */
static bool item_is(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len >= n && !strncmp(s, name, n) &&
	       (len == n || strchr(",:;=", s[n]));
}

static void issue(struct xencmd *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void issue(struct xencmd *x, const char *fmt, ...)
{
	va_list ap;

	if (x->nr_issues >= XENCMD_MAX_ISSUES)
		return;
	va_start(ap, fmt);
	vsnprintf(x->issues[x->nr_issues++], sizeof(x->issues[0]), fmt, ap);
	va_end(ap);
}

/* One item of a sub-option list; false if the parser does not know it. */
typedef bool (*item_fn)(struct xencmd *x, const char *s, size_t len, const char *opt);

/* parse_iommu_param(), xen/drivers/passthrough/iommu.c (x86 build). */
static bool iommu_item(struct xencmd *x, const char *s, size_t len, const char *opt)
{
	static const char *const others[] = {
		"quarantine", "igfx", "qinval", "superpages", "verbose", "snoop",
		"intremap", "intpost", "crash-disable", "debug",
		"amd-iommu-perdev-intremap", "sharept",
	};
	size_t i;
	int v;

	if ((v = xencmd_parse_bool(s, len)) >= 0) {
		x->iommu_enable = v;
		snprintf(x->iommu_token, sizeof(x->iommu_token), "%s", opt);
	} else if ((v = parse_boolean("force", s, len)) >= 0 ||
		   (v = parse_boolean("required", s, len)) >= 0) {
		x->force_iommu = v;
	} else if ((v = parse_boolean("dom0-passthrough", s, len)) >= 0) {
		x->hwdom_passthrough = v;
	} else if ((v = parse_boolean("dom0-strict", s, len)) >= 0) {
		x->hwdom_strict = v;
	} else if (len == 23 && !strncmp(s, "quarantine=scratch-page", 23)) {
		return true;
	} else {
		for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
			if (parse_boolean(others[i], s, len) >= 0)
				return true;
		return false;
	}
	return true;
}

/* parse_dom0_iommu_param(), xen/drivers/passthrough/iommu.c. */
static bool dom0_iommu_item(struct xencmd *x, const char *s, size_t len, const char *opt)
{
	int v;

	(void)opt;
	if ((v = parse_boolean("passthrough", s, len)) >= 0)
		x->hwdom_passthrough = v;
	else if ((v = parse_boolean("strict", s, len)) >= 0)
		x->hwdom_strict = v;
	else if (parse_boolean("map-inclusive", s, len) >= 0 ||
		 parse_boolean("map-reserved", s, len) >= 0)
		return true;
	else if (item_is(s, len, "none"))
		x->hwdom_none = true;
	else
		return false;
	return true;
}

/* parse_dom0_param(), xen/arch/x86/dom0_build.c (CONFIG_PV, CONFIG_HVM, shadow paging). */
static bool dom0_item(struct xencmd *x, const char *s, size_t len, const char *opt)
{
	static const char *const others[] = { "shadow", "verbose", "cpuid-faulting", "msr-relaxed" };
	size_t i;

	if (item_is(s, len, "pv") || item_is(s, len, "pvh")) {
		x->dom0_pvh = item_is(s, len, "pvh");
		snprintf(x->dom0_token, sizeof(x->dom0_token), "%s", opt);
		return true;
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (parse_boolean(others[i], s, len) >= 0)
			return true;
	return false;
}

/*
 * Every comma-separated item goes to fn, as Xen's do { } while (*ss) loops
 * do (so "" and a trailing comma are items too). Unknown items are listed
 * in one finding; the ones Xen knows still apply.
 */
static void parse_list(struct xencmd *x, const char *opt, const char *key, const char *val,
		       item_fn fn)
{
	char bad[160] = "";
	const char *s = val;
	unsigned int known = 0;

	for (;;) {
		size_t len = strcspn(s, ","), o = strlen(bad);

		if (fn(x, s, len, opt))
			known++;
		else if (len)
			snprintf(bad + o, sizeof(bad) - o, "%s\"%.*s\"", o ? ", " : "", (int)len, s);
		else
			snprintf(bad + o, sizeof(bad) - o, "%san empty item", o ? ", " : "");
		if (!s[len])
			break;
		s += len + 1;
	}
	if (!bad[0])
		return;
	if (!*val)
		issue(x, "\"%s\" has no value: Xen logs parameter \"%s\" has invalid value \"\" "
		      "and changes nothing", opt, key);
	else
		issue(x, "\"%s\": Xen does not know %s (it logs parameter \"%s\" has invalid value "
		      "\"%s\") and %s%s", opt, bad, key, val,
		      known ? "applies only the rest" : "changes nothing",
		      !strcmp(key, "iommu") && strstr(bad, "\"pt\"") ?
		      "; iommu=pt is a Linux option, Xen's is dom0-iommu=passthrough" : "");
}

static void parse_custom(struct xencmd *x, const char *opt, const char *key, const char *name,
			 const char *val, bool negated)
{
	item_fn fn = !strcmp(name, "iommu") ? iommu_item :
		     !strcmp(name, "dom0-iommu") ? dom0_iommu_item :
		     !strcmp(name, "dom0") ? dom0_item : NULL;

	if (negated && *val) {
		issue(x, "\"%s\": a \"no-\" option takes no value; Xen logs parameter \"%s\" has "
		      "invalid value \"%s\" and changes nothing", opt, key, val);
		return;
	}
	if (fn)
		parse_list(x, opt, key, negated ? "no" : val, fn);
}

/* Xen's simple_strtoll(s, &e, 0) followed by "*e must be NUL". */
static bool xen_number(const char *s, bool size)
{
	const char *p = s + (*s == '-' && !size);
	const char *digits = "0123456789";

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && strchr("0123456789abcdefABCDEF", p[2]) &&
	    p[2]) {
		p += 2;
		digits = "0123456789abcdefABCDEF";
	} else if (p[0] == '0') {
		digits = "01234567";
	}
	p += strspn(p, digits);
	/* parse_size_and_unit(): one unit letter may follow. */
	if (size && *p && strchr("TtGgMmKkBb", *p))
		p++;
	return !*p;
}

static void parse_option(struct xencmd *x, const char *opt)
{
	char name[XEN_PARAM_MAX + 1];
	const char *eq = strchr(opt, '='), *val, *key;
	const struct xen_param *prm;
	bool negated;

	snprintf(name, sizeof(name), "%.*s", (int)(eq ? (size_t)(eq - opt) : strlen(opt)), opt);
	val = eq ? eq + 1 : "";
	negated = !strncmp(name, "no-", 3);
	key = name + (negated ? 3 : 0);
	prm = param_find(name, key);
	if (!prm) {
		issue(x, "\"%s\" is not a Xen 4.17 option: Xen logs parameter \"%s\" unknown! and "
		      "ignores it", opt, name);
		return;
	}
	switch (prm->kind) {
	case XK_BOOL:
		if (*val && xencmd_parse_bool(val, strlen(val)) < 0)
			issue(x, "\"%s\": Xen ignores this value (%s takes only yes/on/true/enable/1 or "
			      "no/off/false/disable/0)", opt, key);
		return;
	case XK_CUSTOM:
		parse_custom(x, opt, name, key, val, negated);
		return;
	case XK_IGNORE:
		return;
	case XK_UINT:
	case XK_SIZE:
		if (!xen_number(val, prm->kind == XK_SIZE)) {
			issue(x, "\"%s\": Xen logs parameter \"%s\" has invalid value \"%s\" (%s "
			      "expected)", opt, name, val, kind_name[prm->kind]);
			return;
		}
		break;
	case XK_STR:
		if (!strcmp(key, "nmi")) {
			x->nmi_set = true;
			snprintf(x->nmi, sizeof(x->nmi), "%s", val);
		}
		break;
	}
	/* Strings and numbers: Xen stores the value, "" or 0 when there is none. */
	if (negated)
		issue(x, "\"%s\": \"no-\" does not negate %s (a %s option): Xen sets it to %s%s%s",
		      opt, key, kind_name[prm->kind], *val ? "\"" : "", *val ? val :
		      prm->kind == XK_STR ? "an empty value" : "0", *val ? "\"" : "");
	else if (!eq)
		issue(x, "\"%s\" has no value: Xen sets this %s option to %s", opt,
		      kind_name[prm->kind], prm->kind == XK_STR ? "an empty value" : "0");
}

void xencmd_parse(const char *cmdline, struct xencmd *x)
{
	const char *p = cmdline;

	memset(x, 0, sizeof(*x));
	x->iommu_enable = true;
	while (*p) {
		char opt[XEN_PARAM_MAX + 1];
		/* Xen splits on spaces; a line read from a file ends with a newline. */
		size_t n = strcspn(p, " \n");

		if (!n) {
			p++;
			continue;
		}
		/* Xen keeps the first 127 characters of an option. */
		snprintf(opt, sizeof(opt), "%.*s", (int)(n < XEN_PARAM_MAX ? n : XEN_PARAM_MAX), p);
		p += n;
		parse_option(x, opt);
	}
	x->iommu_disabled = !x->iommu_enable;
	/* iommu_setup(): strict mode clears passthrough. */
	x->dom0_passthrough = x->hwdom_passthrough && !x->hwdom_strict;
	x->nmi_dom0 = x->nmi_set && x->nmi[0] == 'd';
	/*
	 * check_hwdom_reqs() -> arch_iommu_check_autotranslated_hwdom(): a PVH
	 * hardware domain without the IOMMU panics, unless dom0-iommu=none
	 * skips the check.
	 */
	x->pvh_panics = x->dom0_pvh && !x->iommu_enable && !x->hwdom_none;
}
