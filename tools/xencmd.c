// SPDX-License-Identifier: GPL-2.0
/*
 * Xen's command line, read the way Xen 4.17 reads it (xen/common/kernel.c:
 * whitespace-separated options, exact names, "no-" inverts booleans, the
 * booleans yes/on/true/enable/1 and no/off/false/disable/0), to find what
 * would break a PVH dom0 and what Xen ignores (it logs "parameter ...
 * unknown!" or "... has invalid value" on its console and carries on).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xencmd.h"

struct xen_param {
	const char *name;	/* a trailing '[' matches name[index] */
	bool boolean;
};

/* The options documented in Xen 4.17's docs/misc/xen-command-line.pandoc. */
static const struct xen_param xen_params[] = {
	{ "acpi", false },
	{ "acpi_apic_instance", false },
	{ "acpi_pstate_strict", true },
	{ "acpi_skip_timer_override", true },
	{ "acpi_sleep", false },
	{ "allow_unsafe", true },
	{ "altp2m", true },
	{ "apic", false },
	{ "apic_verbosity", false },
	{ "apicv", true },
	{ "arat", true },
	{ "argo", false },
	{ "asid", true },
	{ "async-show-all", true },
	{ "ats", true },
	{ "availmem", false },
	{ "badpage", false },
	{ "bootscrub", false },
	{ "bootscrub_chunk", false },
	{ "cet", false },
	{ "clocksource", false },
	{ "cmci-threshold", false },
	{ "cmos-rtc-probe", true },
	{ "com1", false },
	{ "com2", false },
	{ "conring_size", false },
	{ "console", false },
	{ "console_timestamps", false },
	{ "console_to_ring", true },
	{ "conswitch", false },
	{ "core_parking", false },
	{ "cpu_type", false },
	{ "cpufreq", false },
	{ "cpuid", false },
	{ "cpuid_mask_cpu", false },
	{ "cpuid_mask_ecx", false },
	{ "cpuid_mask_edx", false },
	{ "cpuid_mask_ext_ecx", false },
	{ "cpuid_mask_ext_edx", false },
	{ "cpuid_mask_l7s0_eax", false },
	{ "cpuid_mask_l7s0_ebx", false },
	{ "cpuid_mask_thermal_ecx", false },
	{ "cpuid_mask_xsave_eax", false },
	{ "cpuidle", true },
	{ "cpuinfo", true },
	{ "crash-debug-debugkey", false },
	{ "crash-debug-hwdom", false },
	{ "crash-debug-kexeccmd", false },
	{ "crash-debug-panic", false },
	{ "crash-debug-watchdog", false },
	{ "crashinfo_maxaddr", false },
	{ "crashkernel", false },
	{ "credit2_balance_over", false },
	{ "credit2_balance_under", false },
	{ "credit2_cap_period_ms", false },
	{ "credit2_load_precision_shift", false },
	{ "credit2_load_window_shift", false },
	{ "credit2_runqueue", false },
	{ "dbgp", false },
	{ "debug_stack_lines", false },
	{ "debugtrace", false },
	{ "dit", true },
	{ "dma_bits", false },
	{ "dom0", false },
	{ "dom0-cpuid", false },
	{ "dom0-iommu", false },
	{ "dom0_ioports_disable", false },
	{ "dom0_max_vcpus", false },
	{ "dom0_mem", false },
	{ "dom0_nodes", false },
	{ "dom0_vcpus_pin", true },
	{ "dtuart", false },
	{ "e820-mtrr-clip", true },
	{ "e820-verbose", true },
	{ "edd", false },
	{ "edid", false },
	{ "efi", false },
	{ "ept", false },
	{ "ext_regions", true },
	{ "extra_guest_irqs", false },
	{ "flask", false },
	{ "font", false },
	{ "force-ept", true },
	{ "gdb", false },
	{ "global-pages", true },
	{ "gnttab", false },
	{ "gnttab_max_frames", false },
	{ "gnttab_max_maptrack_frames", false },
	{ "guest_loglvl", false },
	{ "hap", true },
	{ "hap_1gb", true },
	{ "hap_2mb", true },
	{ "hardware_dom", false },
	{ "hest_disable", true },
	{ "highmem-start", false },
	{ "hmp-unsafe", true },
	{ "hpet", false },
	{ "hpetbroadcast", true },
	{ "hvm_debug", false },
	{ "hvm_fep", true },
	{ "hvm_port80", true },
	{ "idle_latency_factor", false },
	{ "invpcid", true },
	{ "ioapic_ack", false },
	{ "iommu", false },
	{ "iommu_dev_iotlb_timeout", false },
	{ "iommu_inclusive_mapping", true },
	{ "irq-max-guests", false },
	{ "irq_ratelimit", false },
	{ "irq_vector_map", false },
	{ "ivmd", false },
	{ "ivrs_hpet[", false },
	{ "ivrs_ioapic[", false },
	{ "lapic", true },
	{ "lapic_timer_c2_ok", true },
	{ "ler", true },
	{ "loglvl", false },
	{ "low_crashinfo", false },
	{ "low_mem_virq_limit", false },
	{ "max_cstate", false },
	{ "max_gsi_irqs", false },
	{ "max_lpi_bits", false },
	{ "maxcpus", false },
	{ "mce", true },
	{ "mce_fb", true },
	{ "mce_verbosity", false },
	{ "mem", false },
	{ "memop-max-order", false },
	{ "mmcfg", false },
	{ "mmio-relax", false },
	{ "msi", true },
	{ "mtrr.show", true },
	{ "mwait-idle", true },
	{ "nmi", false },
	{ "no-real-mode", true },
	{ "noapic", false },
	{ "noirqbalance", true },
	{ "nolapic", true },
	{ "noreboot", true },
	{ "nosmp", true },
	{ "nr_irqs", false },
	{ "numa", false },
	{ "pci", false },
	{ "pci-passthrough", true },
	{ "pci-phantom", false },
	{ "pcid", false },
	{ "pku", true },
	{ "ple_gap", false },
	{ "ple_window", false },
	{ "preferred-cstates", false },
	{ "psr", false },
	{ "pv", false },
	{ "pv-l1tf", false },
	{ "pv-linear-pt", true },
	{ "pv-shim", true },
	{ "rcu-idle-timer-period-ms", false },
	{ "reboot", false },
	{ "rmrr", false },
	{ "ro-hpet", true },
	{ "sched", false },
	{ "sched-gran", false },
	{ "sched_credit2_max_cpus_runqueue", false },
	{ "sched_credit2_migrate_resist", false },
	{ "sched_credit_tslice_ms", false },
	{ "sched_ratelimit_us", false },
	{ "sched_smt_power_savings", true },
	{ "scrub-domheap", true },
	{ "serial_tx_buffer", false },
	{ "serrors", false },
	{ "shim_mem", false },
	{ "smap", false },
	{ "smep", false },
	{ "smt", true },
	{ "snb_igd_quirk", false },
	{ "spec-ctrl", false },
	{ "sync_console", true },
	{ "tboot", false },
	{ "tbuf_size", false },
	{ "tdt", true },
	{ "tevt_mask", false },
	{ "tickle_one_idle_cpu", true },
	{ "timer_slop", false },
	{ "tsc", false },
	{ "tsx", true },
	{ "ucode", false },
	{ "unrestricted_guest", true },
	{ "vcpu_migration_delay", false },
	{ "vesa-ram", false },
	{ "vga", false },
	{ "viridian-spinlock-retry-count", false },
	{ "viridian-version", false },
	{ "vm-notify-window", false },
	{ "vpid", true },
	{ "vpmu", false },
	{ "vwfi", false },
	{ "watchdog", false },
	{ "watchdog_timeout", false },
	{ "x2apic", true },
	{ "x2apic-mode", false },
	{ "x2apic_phys", true },
	{ "xenheap_megabytes", false },
	{ "xpti", false },
	{ "xsave", true },
	{ "xsm", false },
};

static const struct xen_param *param_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(xen_params) / sizeof(xen_params[0]); i++) {
		const char *p = xen_params[i].name;
		size_t n = strlen(p);

		if (p[n - 1] == '[' ? (len > n && !strncmp(name, p, n)) :
				      (len == n && !strncmp(name, p, n)))
			return &xen_params[i];
	}
	return NULL;
}

/* 1 true, 0 false, -1 not a boolean: Xen's parse_bool(). */
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

/* iommu=<list>: a bare boolean item switches the whole IOMMU on or off. */
static void parse_iommu(struct xencmd *x, const char *opt, const char *val, bool invert)
{
	const char *p = val;

	if (invert) {
		x->iommu_disabled = true;
		snprintf(x->iommu_token, sizeof(x->iommu_token), "%.95s", opt);
		return;
	}
	if (!*val) {
		x->iommu_disabled = false;
		return;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		int b = xencmd_parse_bool(p, n);

		if (b >= 0) {
			x->iommu_disabled = !b;
			snprintf(x->iommu_token, sizeof(x->iommu_token), "%.95s", opt);
		} else if ((n == 15 && !strncmp(p, "dom0-passthrough", 15)) ||
			   (n == 18 && !strncmp(p, "no-dom0-passthrough", 18))) {
			x->dom0_passthrough = n == 15;
		}
		p += n;
		if (*p == ',')
			p++;
	}
}

static void parse_dom0(struct xencmd *x, const char *val)
{
	const char *p = val;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == 2 && !strncmp(p, "pv", 2))
			x->dom0_pvh = false;
		else if (n == 3 && !strncmp(p, "pvh", 3))
			x->dom0_pvh = true;
		p += n;
		if (*p == ',')
			p++;
	}
}

/* dom0-iommu=passthrough[=<bool>]: applies to PV dom0 only. */
static void parse_dom0_iommu(struct xencmd *x, const char *val)
{
	const char *p = val;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n >= 11 && !strncmp(p, "passthrough", 11)) {
			int b = n == 11 ? 1 : (p[11] == '=' ? xencmd_parse_bool(p + 12, n - 12) : -1);

			if (b >= 0)
				x->dom0_passthrough = b;
		} else if (n == 14 && !strncmp(p, "no-passthrough", 14)) {
			x->dom0_passthrough = false;
		}
		p += n;
		if (*p == ',')
			p++;
	}
}

void xencmd_parse(const char *cmdline, struct xencmd *x)
{
	const char *p = cmdline;

	memset(x, 0, sizeof(*x));
	while (*p) {
		char opt[256], name[256];
		const char *val, *key;
		const struct xen_param *prm;
		size_t n = strcspn(p, " \t\n");
		bool invert;

		if (!n) {
			p++;
			continue;
		}
		snprintf(opt, sizeof(opt), "%.*s", (int)n, p);
		p += n;
		val = strchr(opt, '=');
		snprintf(name, sizeof(name), "%.*s", (int)(val ? (size_t)(val - opt) : strlen(opt)), opt);
		val = val ? val + 1 : "";
		/* "no-real-mode" is a name of its own; "no-x" inverts boolean x. */
		key = name;
		invert = false;
		prm = param_find(name, strlen(name));
		if (!prm && !strncmp(name, "no-", 3)) {
			key = name + 3;
			invert = true;
			prm = param_find(key, strlen(key));
		}
		if (!prm) {
			issue(x, "\"%.80s\" is not a Xen 4.17 option: Xen ignores it", opt);
			continue;
		}
		if (prm->boolean && *val && (invert || xencmd_parse_bool(val, strlen(val)) < 0)) {
			issue(x, "\"%.60s\": Xen ignores this value (%.40s takes only yes/on/true/enable/1 "
			      "or no/off/false/disable/0)", opt, key);
			continue;
		}
		if (!strcmp(key, "iommu"))
			parse_iommu(x, opt, val, invert);
		else if (!strcmp(key, "dom0") && !invert)
			parse_dom0(x, val);
		else if (!strcmp(key, "dom0-iommu") && !invert)
			parse_dom0_iommu(x, val);
		else if (!strcmp(key, "nmi"))
			x->nmi_dom0 = !strcmp(val, "dom0");
	}
}
