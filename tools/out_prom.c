// SPDX-License-Identifier: GPL-2.0
/*
 * --prometheus: node_exporter textfile collector format. Metric names start
 * with dom0gpu_; per-GPU series carry DCGM exporter's labels (gpu, UUID,
 * pci_bus_id) so they join with DCGM metrics.
 */
#include <stdio.h>
#include <string.h>

#include "cuda_report.h"
#include "nextboot.h"
#include "output.h"
#include "rules.h"

static void label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void head(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP dom0gpu_%s %s\n# TYPE dom0gpu_%s gauge\n", name, help, name);
}

static void gauge_fact(FILE *f, const struct report *r, enum fact_id id, const char *name,
		       const char *help)
{
	if (!r->f[id].known)
		return;
	head(f, name, help);
	if (fact_defs[id].type == FT_BOOL)
		fprintf(f, "dom0gpu_%s %d\n", name, r->f[id].v.b);
	else
		fprintf(f, "dom0gpu_%s %lld\n", name, (long long)r->f[id].v.i);
}

static const char *sv(const struct report *r, enum fact_id id)
{
	return r->f[id].known && r->f[id].s ? r->f[id].s : "";
}

/* Only where the next boot's Xen command line was read: no series means "not known". */
static void next_boot(FILE *f, const struct report *r)
{
	struct next_boot nb;

	next_boot_assess(r, &nb);
	if (!nb.known)
		return;
	head(f, "next_boot_info", "Xen command line configured for the next boot: dom0 mode, IOMMU.");
	fprintf(f, "dom0gpu_next_boot_info{dom0=\"%s\",iommu=\"%s\"} 1\n",
		nb.dom0_pvh ? "pvh" : "pv", nb.iommu_disabled ? "disabled" : "enabled");
	head(f, "next_boot_panic", "1 if the next boot asks for a PVH dom0 with Xen's IOMMU off: Xen panics.");
	fprintf(f, "dom0gpu_next_boot_panic %d\n", nb.panics);
	head(f, "next_boot_loses_pvh", "1 if dom0 runs PVH now and the next boot builds a PV dom0.");
	fprintf(f, "dom0gpu_next_boot_loses_pvh %d\n", nb.loses_pvh);
}

int out_prometheus(FILE *f, const struct report *r)
{
	unsigned int i;
	int blocked_any = 0;

	head(f, "verdict", "Verdict as the exit code: 0 ready, 1 blocked, 2 unknown.");
	fprintf(f, "dom0gpu_verdict %d\n", r->verdict == VERDICT_READY ? 0 :
		r->verdict == VERDICT_BLOCKED ? 1 : 2);
	head(f, "ready", "1 if the platform lets NVIDIA CUDA do real work.");
	fprintf(f, "dom0gpu_ready %d\n", r->verdict == VERDICT_READY);
	head(f, "degraded", "1 if facts came from userspace only (dom0gpu module not loaded).");
	fprintf(f, "dom0gpu_degraded %d\n", r->mode == MODE_DEGRADED);

	head(f, "finding", "Active findings by rule ID and severity.");
	for (i = 0; i < r->nr_findings; i++) {
		const struct finding *fd = &r->findings[i];

		fprintf(f, "dom0gpu_finding{id=\"%s\",severity=\"%s\"", fd->rule->id,
			severity_name(fd->rule->severity));
		if (fd->gpu >= 0)
			fprintf(f, ",pci_bus_id=\"%s\"", r->gpus[fd->gpu].slot);
		fprintf(f, "} 1\n");
		blocked_any |= fd->rule->severity == SEV_BLOCKER && fd->gpu < 0;
	}

	if (r->f[F_PAT_MSR].known) {
		char hex[24];

		head(f, "pat_info", "The boot CPU's PAT MSR and layout.");
		snprintf(hex, sizeof(hex), "0x%016llx", (unsigned long long)r->f[F_PAT_MSR].v.u);
		fprintf(f, "dom0gpu_pat_info{msr=\"%s\",layout=\"", hex);
		label_value(f, sv(r, F_PAT_LAYOUT));
		fprintf(f, "\"} 1\n");
	}
	gauge_fact(f, r, F_PAT_WC_INDEX, "pat_wc_index", "Lowest PAT index holding WC, -1 if none.");
	gauge_fact(f, r, F_PAT_CONSISTENT, "pat_consistent", "1 if every CPU read holds the same PAT.");
	gauge_fact(f, r, F_CPU_HYPERVISOR_BIT, "cpuid_hypervisor_bit", "CPUID.1:ECX[31].");
	gauge_fact(f, r, F_NVIDIA_LOADED, "nvidia_loaded", "1 if the nvidia module is loaded.");
	if (r->f[F_XEN_DOMAIN_TYPE].known) {
		head(f, "xen_info", "Xen domain type and version (domain_type none off Xen).");
		fprintf(f, "dom0gpu_xen_info{domain_type=\"");
		label_value(f, sv(r, F_XEN_DOMAIN_TYPE));
		fprintf(f, "\",version=\"");
		label_value(f, sv(r, F_XEN_VERSION));
		fprintf(f, "\"} 1\n");
	}

	next_boot(f, r);

	head(f, "gpu_info", "Display-class PCI devices; gpu and UUID as DCGM exporter labels them.");
	for (i = 0; i < r->nr_gpus; i++) {
		const struct gpu *g = &r->gpus[i];

		fprintf(f, "dom0gpu_gpu_info{gpu=\"");
		if (g->index >= 0)
			fprintf(f, "%d", g->index);
		fprintf(f, "\",UUID=\"");
		label_value(f, g->uuid);
		fprintf(f, "\",pci_bus_id=\"%s\",vendor=\"0x%04x\",device=\"0x%04x\",driver=\"",
			g->slot, g->vendor, g->device);
		label_value(f, g->driver);
		fprintf(f, "\"} 1\n");
	}
	head(f, "gpu_blocked", "1 if CUDA cannot use this NVIDIA GPU (platform or GPU blocker).");
	for (i = 0; i < r->nr_gpus; i++) {
		const struct gpu *g = &r->gpus[i];
		unsigned int k;
		int b = blocked_any;

		if (g->index < 0)
			continue;
		for (k = 0; k < r->nr_findings; k++)
			if (r->findings[k].gpu == (int)i &&
			    r->findings[k].rule->severity == SEV_BLOCKER)
				b = 1;
		fprintf(f, "dom0gpu_gpu_blocked{gpu=\"%d\",UUID=\"", g->index);
		label_value(f, g->uuid);
		fprintf(f, "\",pci_bus_id=\"%s\"} %d\n", g->slot, b);
	}
	if (r->probe && cuda_report_prometheus(f, r, r->probe))
		return -1;
	return ferror(f) ? -1 : 0;
}
