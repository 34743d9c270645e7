// SPDX-License-Identifier: GPL-2.0
/*
 * The rules. Every rule has a stable ID that scripts and support tickets
 * can rely on; IDs are never reused. Severities: a blocker makes the verdict
 * "blocked"; "undetermined" makes it "unknown" unless something blocks;
 * warnings and info never change it.
 */
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "rules_cuda.h"
#include "pat_types.h"

#define NVIDIA_VENDOR	0x10de

static const char remedy_pvh[] =
	"Boot dom0 as PVH with Xen's IOMMU enabled (dom0gpu-stat changes nothing itself; "
	"check the D0G-PVH findings first and keep a PV boot entry to fall back to):\n"
	"GRUB: add dom0=pvh to GRUB_CMDLINE_XEN_DEFAULT in /etc/default/grub, remove any "
	"iommu=no/0/off/false there, then run update-grub (Debian, Ubuntu) or "
	"grub2-mkconfig -o /boot/grub2/grub.cfg (RHEL, CentOS) and reboot.\n"
	"XCP-ng: /opt/xensource/libexec/xen-cmdline --set-xen dom0=pvh "
	"(and /opt/xensource/libexec/xen-cmdline --delete-xen iommu if it disables the IOMMU), "
	"then reboot.";

static const char *sval(const struct report *r, enum fact_id id)
{
	return r->f[id].known && r->f[id].s ? r->f[id].s : "";
}

/* ---- PAT: NVIDIA's decision ---- */

static bool nv_rejects_wc(const struct rule_ctx *c)
{
	return c->nv_known && c->pat.reason == NVPAT_REASON_UNSUPPORTED;
}

static struct finding *emit_pat(const struct rule_ctx *c)
{
	int lowest = pat_wc_index(c->nv_in.pat);
	char layout[64], scan[96] = "";
	struct finding *f;

	pat_layout_text(c->nv_in.pat, layout, sizeof(layout));
	if (lowest != c->pat.wc_index)
		snprintf(scan, sizeof(scan), " (its scan, in the order 0 4 1 5 2 6 3 7, meets "
			 "index %d before index %d)", c->pat.wc_index, lowest);
	f = rule_emit(c, -1, "PAT 0x%016llx (%s) has WC at index %d%s; NVIDIA accepts WC only at "
		      "index 1 and prints \"%s\"", (unsigned long long)c->nv_in.pat, layout,
		      c->pat.wc_index, scan, c->pat.message);
	finding_cite(f, F_PAT_MSR);
	finding_cite(f, F_PAT_WC_INDEX);
	return f;
}

static void check_pat_pv(const struct rule_ctx *c)
{
	struct finding *f;

	if (!c->pvh_recommended)
		return;
	f = emit_pat(c);
	finding_cite(f, F_XEN_DOMAIN_TYPE);
}

static void check_pat_other(const struct rule_ctx *c)
{
	struct finding *f;

	if (!nv_rejects_wc(c) || c->pv_dom0)
		return;
	f = emit_pat(c);
	finding_cite(f, F_XEN_DOMAIN_TYPE);
}

static void check_pat_no_wc(const struct rule_ctx *c)
{
	struct finding *f;

	if (!c->nv_known || c->pat.mode != NVPAT_MODE_DISABLED || c->pat.wc_index >= 0 ||
	    c->pat.message[0])
		return;
	f = rule_emit(c, -1, "PAT 0x%016llx has no WC entry and the kernel has PAT "
		      "(CONFIG_X86_PAT), so NVIDIA neither uses it nor rewrites it: no "
		      "write-combined mappings", (unsigned long long)c->nv_in.pat);
	finding_cite(f, F_PAT_MSR);
	finding_cite(f, F_KERNEL_X86_PAT);
}

static void check_pat_cpu(const struct rule_ctx *c)
{
	struct finding *f;

	if (!c->nv_known || c->pat.reason != NVPAT_REASON_NO_PAT)
		return;
	f = rule_emit(c, -1, "the CPU does not report PAT (X86_FEATURE_PAT clear); NVIDIA prints "
		      "\"%s\"", c->pat.message);
	finding_cite(f, F_CPU_PAT);
	finding_cite(f, F_CPU_VENDOR);
	finding_cite(f, F_CPU_FAMILY);
	finding_cite(f, F_CPU_MODEL);
}

/*
 * NVIDIA reads the PAT of whichever CPU runs its init, so what counts is
 * its decision on each CPU's PAT: other_pat holds it for the differing
 * PAT the sources kept (pat_other_more_telling()).
 */
static bool other_pat(const struct rule_ctx *c, struct nvpat_result *other)
{
	struct nvpat_input in = c->nv_in;

	if (!c->nv_known || !fact_false(c->r, F_PAT_CONSISTENT) ||
	    !fact_known(c->r, F_PAT_MSR_OTHER))
		return false;
	in.pat = c->r->f[F_PAT_MSR_OTHER].v.u;
	in.use_pat_param = NVPAT_USE_PAT_DEFAULT;
	nvpat_predict(&in, other);
	return true;
}

static bool other_pat_blocks(const struct rule_ctx *c)
{
	struct nvpat_result o;

	if (!other_pat(c, &o))
		return true;	/* the other PAT, or the boot CPU's, is unknown */
	return o.mode == NVPAT_MODE_DISABLED || c->pat.mode == NVPAT_MODE_DISABLED ||
	       o.mode != c->pat.mode;
}

static void check_pat_consistent(const struct rule_ctx *c)
{
	const struct report *r = c->r;
	struct nvpat_result o;
	struct finding *f;

	if (!fact_false(r, F_PAT_CONSISTENT) || !other_pat_blocks(c))
		return;
	if (other_pat(c, &o))
		f = rule_emit(c, -1, "CPUs disagree on the PAT: boot CPU 0x%016llx, another "
			      "0x%016llx; NVIDIA would decide \"%s\" on the first and \"%s\" on the "
			      "second, depending on the CPU that loads it",
			      (unsigned long long)r->f[F_PAT_MSR].v.u,
			      (unsigned long long)r->f[F_PAT_MSR_OTHER].v.u,
			      nvpat_mode_name(c->pat.mode), nvpat_mode_name(o.mode));
	else if (fact_known(r, F_PAT_MSR_OTHER))
		f = rule_emit(c, -1, "CPUs disagree on the PAT: boot CPU 0x%016llx, another 0x%016llx",
			      (unsigned long long)r->f[F_PAT_MSR].v.u,
			      (unsigned long long)r->f[F_PAT_MSR_OTHER].v.u);
	else
		f = rule_emit(c, -1, "CPUs disagree on the PAT (the differing value is not known, "
			      "so neither is NVIDIA's decision on it)");
	finding_cite(f, F_PAT_CONSISTENT);
	finding_cite(f, F_PAT_MSR);
	finding_cite(f, F_PAT_MSR_OTHER);
}

static void check_pat_differ_same_decision(const struct rule_ctx *c)
{
	const struct report *r = c->r;
	struct nvpat_result o;
	struct finding *f;

	if (!other_pat(c, &o) || other_pat_blocks(c))
		return;
	f = rule_emit(c, -1, "CPUs disagree on the PAT (boot CPU 0x%016llx, another 0x%016llx) but "
		      "not on NVIDIA's decision: \"%s\", WC found at index %d on both",
		      (unsigned long long)r->f[F_PAT_MSR].v.u,
		      (unsigned long long)r->f[F_PAT_MSR_OTHER].v.u,
		      nvpat_mode_name(o.mode), o.wc_index);
	finding_cite(f, F_PAT_CONSISTENT);
	finding_cite(f, F_PAT_MSR);
	finding_cite(f, F_PAT_MSR_OTHER);
}

static void check_pat_unknown(const struct rule_ctx *c)
{
	struct finding *f;

	if (c->nv_known)
		return;
	f = rule_emit(c, -1, "the PAT could not be read: no dom0gpu module, no readable "
		      "/dev/cpu/*/msr and no x86/PAT line in the kernel log");
	finding_cite(f, F_PAT_MSR);
}

static void check_pat_consistency_unchecked(const struct rule_ctx *c)
{
	struct finding *f;

	if (!c->nv_known || fact_known(c->r, F_PAT_CONSISTENT))
		return;
	f = rule_emit(c, -1, "only the boot CPU's PAT is known (source: %s); other CPUs were "
		      "not compared", src_name(c->r->f[F_PAT_MSR].src));
	finding_cite(f, F_PAT_MSR);
}

/* ---- NVIDIA driver ---- */

static void check_use_pat_param(const struct rule_ctx *c)
{
	const struct fact *use = &c->r->f[F_NVIDIA_USE_PAT];
	struct finding *f;

	if (!fact_known(c->r, F_NVIDIA_USE_PAT) || use->v.i != 0)
		return;
	f = rule_emit(c, -1, "NVreg_UsePageAttributeTable=0 (%s: %s): the driver is told not to "
		      "use the PAT and prints \"NVRM: builtin PAT support disabled.\"",
		      use->src == SRC_PROC_NVIDIA ? "the loaded driver's value" :
		      use->src == SRC_PROC_CMDLINE ? "the kernel command line, which modprobe "
						     "passes after every modprobe.d file" :
		      "the last setting modprobe passes", use->from);
	finding_cite(f, F_NVIDIA_USE_PAT);
}

static void check_log_confirms(const struct rule_ctx *c)
{
	const char *logged = sval(c->r, F_NVIDIA_LOG_PAT);
	struct finding *f;

	if (!logged[0] || !c->nv_known || strcmp(logged, c->nv.message))
		return;
	f = rule_emit(c, -1, "the NVIDIA driver logged \"%s\", as predicted", logged);
	finding_cite(f, F_NVIDIA_LOG_PAT);
}

static void check_log_differs(const struct rule_ctx *c)
{
	const char *logged = sval(c->r, F_NVIDIA_LOG_PAT);
	struct finding *f;

	if (!logged[0] || (c->nv_known && !strcmp(logged, c->nv.message)))
		return;
	f = rule_emit(c, -1, "the kernel log holds \"%s\" but the current platform predicts \"%s\" "
		      "(the log may predate a change)", logged,
		      c->nv_known ? (c->nv.message[0] ? c->nv.message : "no message") : "unknown");
	finding_cite(f, F_NVIDIA_LOG_PAT);
}

/*
 * While nvidia is loaded on a kernel without CONFIG_X86_PAT, its builtin
 * mode has put WC at index 1 of every CPU's PAT (nv-pat.c,
 * nv_setup_pat_entries()), and the module predicts from the PAT before
 * that rewrite: the PAT read now may then be the driver's own work.
 */
static bool module_mode_before_rewrite(const struct rule_ctx *c, const char *mode)
{
	struct nvpat_input in = c->nv_in;
	struct nvpat_result o;

	if (!fact_true(c->r, F_NVIDIA_LOADED) || in.kernel_has_pat)
		return false;
	in.pat = nvpat_before_builtin(in.pat, false);
	in.use_pat_param = NVPAT_USE_PAT_DEFAULT;
	nvpat_predict(&in, &o);
	return !strcmp(mode, nvpat_mode_name(o.mode));
}

/*
 * The module cannot see the driver's parameters, so it predicts with
 * UsePageAttributeTable at its default: compare with this tool's prediction
 * made the same way (c->pat), or a 0 here would look like a CPU difference.
 */
static void check_module_agrees(const struct rule_ctx *c)
{
	const char *mode = sval(c->r, F_MODULE_PAT_MODE);
	struct finding *f;

	if (!mode[0] || !c->nv_known || !strcmp(mode, nvpat_mode_name(c->pat.mode)) ||
	    module_mode_before_rewrite(c, mode))
		return;
	f = rule_emit(c, -1, "the module predicts NVIDIA PAT mode \"%s\", this tool \"%s\" from the "
		      "same PAT (both with UsePageAttributeTable at its default): a CPU fact differs "
		      "between them", mode, nvpat_mode_name(c->pat.mode));
	finding_cite(f, F_MODULE_PAT_MODE);
	finding_cite(f, F_PAT_MSR);
}

static void check_nvidia_not_loaded(const struct rule_ctx *c)
{
	struct finding *f;

	if (!report_nvidia_gpus(c->r) || !fact_false(c->r, F_NVIDIA_LOADED))
		return;
	f = rule_emit(c, -1, "%u NVIDIA GPU(s) present but the nvidia module is not loaded",
		      report_nvidia_gpus(c->r));
	finding_cite(f, F_NVIDIA_LOADED);
}

/* ---- GPUs ---- */

static void check_gpu_driver(const struct rule_ctx *c, const char *const *drivers, const char *what)
{
	unsigned int i, k;

	for (i = 0; i < c->r->nr_gpus; i++) {
		const struct gpu *g = &c->r->gpus[i];

		if (g->vendor != NVIDIA_VENDOR)
			continue;
		for (k = 0; drivers[k]; k++)
			if (!strcmp(g->driver, drivers[k]))
				rule_emit(c, (int)i, "NVIDIA GPU %s (%04x:%04x) is bound to %s%s",
					  g->slot, g->vendor, g->device, g->driver, what);
	}
}

static void check_gpu_pciback(const struct rule_ctx *c)
{
	static const char *const d[] = { "pciback", "xen-pciback", NULL };

	check_gpu_driver(c, d, ", reserved for guest passthrough");
}

static void check_gpu_vfio(const struct rule_ctx *c)
{
	static const char *const d[] = { "vfio-pci", NULL };

	check_gpu_driver(c, d, ", reserved for device assignment");
}

static void check_gpu_nouveau(const struct rule_ctx *c)
{
	static const char *const d[] = { "nouveau", NULL };

	check_gpu_driver(c, d, ", not nvidia: CUDA needs the NVIDIA driver");
}

static void check_gpu_hidden(const struct rule_ctx *c)
{
	unsigned int i;

	for (i = 0; i < c->r->nr_gpus; i++) {
		const struct gpu *g = &c->r->gpus[i];
		struct finding *f;

		if (g->vendor != NVIDIA_VENDOR || !g->hidden)
			continue;
		f = rule_emit(c, (int)i, "NVIDIA GPU %s is hidden from dom0 by xen-pciback.hide=%s",
			      g->slot, sval(c->r, F_KERNEL_PCIBACK_HIDE));
		finding_cite(f, F_KERNEL_PCIBACK_HIDE);
	}
}

static void check_nouveau_loaded(const struct rule_ctx *c)
{
	struct finding *f;
	unsigned int i;

	if (!fact_true(c->r, F_NOUVEAU_LOADED))
		return;
	for (i = 0; i < c->r->nr_gpus; i++)
		if (!strcmp(c->r->gpus[i].driver, "nouveau"))
			return;		/* D0G-GPU-003 says it already */
	f = rule_emit(c, -1, "the nouveau module is loaded; it binds NVIDIA GPUs before nvidia can");
	finding_cite(f, F_NOUVEAU_LOADED);
}

static void check_no_gpu(const struct rule_ctx *c)
{
	if (report_nvidia_gpus(c->r))
		return;
	rule_emit(c, -1, "no NVIDIA device (vendor 0x10de) on the PCI bus; %u display device(s) "
		  "seen: the verdict is about the platform only", c->r->nr_gpus);
}

/* ---- PVH preflight: only when PVH is recommended ---- */

/* A Xen command line of the context: the fact it was read from, as parsed. */
struct xen_line {
	enum fact_id id;
	const struct xencmd *x;
};

/* Xen's command line of this boot and the one configured for the next. */
static unsigned int xen_cmdlines(const struct rule_ctx *c, struct xen_line *l)
{
	unsigned int n = 0;

	if (c->xen_now_known)
		l[n++] = (struct xen_line){ F_XEN_CMDLINE, &c->xen_now };
	if (c->xen_next_known)
		l[n++] = (struct xen_line){ F_XEN_CMDLINE_NEXT, &c->xen_next };
	return n;
}

/*
 * The command lines the PVH preflight reads: both when PVH is recommended;
 * on a host that runs PVH now, the one configured for the next boot, as
 * long as it keeps dom0=pvh (check_pvh_next says when it does not).
 */
static unsigned int preflight_cmdlines(const struct rule_ctx *c, struct xen_line *l)
{
	if (c->pvh_recommended)
		return xen_cmdlines(c, l);
	if (!c->pvh_dom0 || !c->xen_next_known || !c->xen_next.dom0_pvh)
		return 0;
	l[0] = (struct xen_line){ F_XEN_CMDLINE_NEXT, &c->xen_next };
	return 1;
}

static void check_pvh_iommu_cmdline(const struct rule_ctx *c)
{
	struct xen_line l[2];
	unsigned int n, i;

	n = preflight_cmdlines(c, l);
	for (i = 0; i < n; i++) {
		const struct xencmd *x = l[i].x;
		struct finding *f;

		if (!x->iommu_disabled)
			continue;
		if (x->hwdom_none)
			f = rule_emit(c, -1, "%s has \"%s\" and dom0-iommu=none: Xen skips its check "
				      "and builds a PVH dom0 without the IOMMU its devices' DMA needs; "
				      "remove both", fact_defs[l[i].id].name, x->iommu_token);
		else
			f = rule_emit(c, -1, "%s has \"%s\": with dom0=pvh Xen panics at boot "
				      "(\"iommu must be enabled for PVH hardware domain\"); remove it",
				      fact_defs[l[i].id].name, x->iommu_token);
		finding_cite(f, l[i].id);
	}
}

/* A host that runs PVH now but whose next boot goes back to PV. */
static void check_pvh_next(const struct rule_ctx *c)
{
	const struct xencmd *x = &c->xen_next;
	struct finding *f;

	if (!c->pvh_dom0 || !c->xen_next_known || x->dom0_pvh)
		return;
	if (x->dom0_token[0])
		f = rule_emit(c, -1, "dom0 runs PVH now, but xen.cmdline_configured ends with \"%s\": "
			      "the next boot starts a PV dom0, whose PAT (Xen's, WC at index 4) "
			      "NVIDIA rejects", x->dom0_token);
	else
		f = rule_emit(c, -1, "dom0 runs PVH now, but xen.cmdline_configured has no dom0=pvh: "
			      "the next boot starts a PV dom0, whose PAT (Xen's, WC at index 4) "
			      "NVIDIA rejects");
	finding_cite(f, F_XEN_CMDLINE_NEXT);
	finding_cite(f, F_XEN_DOMAIN_TYPE);
}

static void check_pvh_iommu_off(const struct rule_ctx *c)
{
	struct finding *f;

	if (!c->pvh_recommended || !fact_false(c->r, F_XEN_IOMMU))
		return;
	f = rule_emit(c, -1, "Xen reports I/O virtualisation disabled: a PVH dom0 needs Xen's IOMMU "
		      "(Intel VT-d / AMD-Vi enabled in the firmware)");
	finding_cite(f, F_XEN_IOMMU);
}

static void check_pvh_hvm(const struct rule_ctx *c)
{
	struct finding *f;

	if (!c->pvh_recommended || !fact_false(c->r, F_XEN_HVM))
		return;
	f = rule_emit(c, -1, "Xen offers no HVM guest type (capabilities \"%s\"): PVH needs "
		      "VT-x/AMD-V enabled in the firmware", sval(c->r, F_XEN_CAPABILITIES));
	finding_cite(f, F_XEN_HVM);
	finding_cite(f, F_XEN_CAPABILITIES);
}

static void check_pvh_kconfig(const struct rule_ctx *c)
{
	struct finding *f;

	if (!c->pvh_recommended || !fact_false(c->r, F_KERNEL_XEN_PVH))
		return;
	f = rule_emit(c, -1, "the dom0 kernel %s is built without CONFIG_XEN_PVH: it cannot boot "
		      "as a PVH dom0", sval(c->r, F_KERNEL_RELEASE));
	finding_cite(f, F_KERNEL_XEN_PVH);
	finding_cite(f, F_KERNEL_RELEASE);
}

static void check_pvh_paging(const struct rule_ctx *c)
{
	struct finding *f;

	if (!c->pvh_recommended || !fact_false(c->r, F_XEN_HAP) || !fact_false(c->r, F_XEN_SHADOW))
		return;
	f = rule_emit(c, -1, "Xen has neither hardware-assisted paging nor shadow paging: "
		      "a PVH dom0 cannot be built (xen-command-line, dom0=)");
	finding_cite(f, F_XEN_HAP);
	finding_cite(f, F_XEN_SHADOW);
}

static void check_pvh_incomplete(const struct rule_ctx *c)
{
	const struct report *r = c->r;
	char missing[256] = "";
	struct finding *f;

	if (!c->pvh_recommended)
		return;
	if (!fact_known(r, F_XEN_CMDLINE) && !fact_known(r, F_XEN_CMDLINE_NEXT))
		strcat(missing, " Xen's command line (load dom0gpu as root, or /etc/default/grub);");
	if (!fact_known(r, F_KERNEL_XEN_PVH))
		strcat(missing, " the kernel configuration (/boot/config-*, /proc/config.gz);");
	if (!fact_known(r, F_XEN_HVM))
		strcat(missing, " Xen's capabilities (/sys/hypervisor);");
	if (!missing[0])
		return;
	f = rule_emit(c, -1, "PVH preflight could not check:%s", missing);
	finding_cite(f, F_XEN_CMDLINE);
	finding_cite(f, F_KERNEL_XEN_PVH);
}

static void check_pvh_passthrough(const struct rule_ctx *c)
{
	struct xen_line l[2];
	unsigned int n, i;

	n = preflight_cmdlines(c, l);
	for (i = 0; i < n; i++) {
		if (l[i].x->dom0_passthrough)
			finding_cite(rule_emit(c, -1, "%s asks for dom0 IOMMU passthrough: Xen "
					       "hardwires it off for a PVH dom0 and ignores it",
					       fact_defs[l[i].id].name), l[i].id);
		if (l[i].x->nmi_dom0)
			finding_cite(rule_emit(c, -1, "%s has nmi=dom0: NMIs are not forwarded to a "
					       "PVH dom0 (SUPPORT.md)", fact_defs[l[i].id].name),
				     l[i].id);
	}
}

static void check_pvh_gives_up(const struct rule_ctx *c)
{
	if (!c->pvh_recommended)
		return;
	rule_emit(c, -1, "Xen 4.17's SUPPORT.md rates PVH dom0 \"Experimental\" and says it requires "
		  "an IOMMU (Intel VT-d / AMD IOMMU) and VMX/SVM; Xen's current SUPPORT.md lists what "
		  "a PVH dom0 still lacks: PCI passthrough to any kind of domU, PCI SR-IOV, native NMI "
		  "forwarding (nmi=dom0) and MCE handling. A host that passes GPUs or other PCI "
		  "devices through to VMs loses that under a PVH dom0");
}

/* ---- Xen ---- */

static void check_xen_ignored(const struct rule_ctx *c)
{
	struct xen_line l[2];
	unsigned int n, i, k;

	n = xen_cmdlines(c, l);
	for (i = 0; i < n; i++)
		for (k = 0; k < l[i].x->nr_issues; k++)
			finding_cite(rule_emit(c, -1, "%s: %s", fact_defs[l[i].id].name,
					       l[i].x->issues[k]), l[i].id);
}

/* ---- CPU ---- */

static void check_cpuid_bit(const struct rule_ctx *c)
{
	struct finding *f;

	if (!fact_known(c->r, F_CPU_HYPERVISOR_BIT))
		return;
	f = rule_emit(c, -1, "CPUID hypervisor bit is %s. NVIDIA's PAT decision does not read it: its "
		      "inputs are the PAT, X86_FEATURE_PAT, CPU vendor/family/model, CPUID.1:EDX, "
		      "CONFIG_X86_PAT and UsePageAttributeTable (nv_determine_pat_mode()). "
		      "It decides from where WC sits in the PAT: here %s",
		      fact_true(c->r, F_CPU_HYPERVISOR_BIT) ? "set" : "clear",
		      !c->nv_known ? "unknown" :
		      c->nv.wc_index == 1 ? "index 1, accepted" :
		      c->nv.wc_index < 0 ? "nowhere" : "not index 1, rejected");
	finding_cite(f, F_CPU_HYPERVISOR_BIT);
	finding_cite(f, F_PAT_WC_INDEX);
}

/* ---- sources ---- */

static void check_degraded(const struct rule_ctx *c)
{
	if (c->r->mode != MODE_DEGRADED)
		return;
	rule_emit(c, -1, "the dom0gpu module is not loaded: facts come from the kernel log, /proc "
		  "and /sys only (each PAT read on one CPU at most, Xen's command line unseen)");
}

const struct rule rules[] = {
	{ "D0G-PAT-001", SEV_BLOCKER, "NVIDIA rejects Xen PV's PAT layout", remedy_pvh, check_pat_pv,
	  RD_NV | RD_PVH_RECOMMENDED, NO_FACTS },
	{ "D0G-PAT-002", SEV_BLOCKER, "NVIDIA rejects the PAT layout (WC not at index 1)",
	  "The kernel programmed a PAT with WC outside index 1. Boot a kernel that keeps the "
	  "standard layout (WB WC UC- UC ...) and remove nopat from the kernel command line.",
	  check_pat_other, RD_NV | RD_DOMAIN, NO_FACTS },
	{ "D0G-PAT-003", SEV_BLOCKER, "PAT has no write-combining entry",
	  "Remove nopat from the kernel command line so that the kernel programs WC at index 1.",
	  check_pat_no_wc, RD_NV, NO_FACTS },
	{ "D0G-PAT-004", SEV_BLOCKER, "NVIDIA sees no PAT support in the CPU",
	  "Expose the PAT CPUID flag (CPUID.1:EDX[16]) to this kernel: under a hypervisor, "
	  "enable PAT in the guest CPU model.",
	  check_pat_cpu, RD_NV, NO_FACTS },
	{ "D0G-PAT-005", SEV_BLOCKER, "PAT differs between CPUs",
	  "Every CPU must hold the same PAT: update the firmware/microcode and check for tools "
	  "that write IA32_PAT (wrmsr 0x277).",
	  check_pat_consistent, RD_NV, FACT_LIST(F_PAT_CONSISTENT, F_PAT_MSR, F_PAT_MSR_OTHER) },
	{ "D0G-PAT-008", SEV_WARNING, "PAT differs between CPUs, NVIDIA's decision does not",
	  "Every CPU should hold the same PAT: update the firmware/microcode and check for tools "
	  "that write IA32_PAT (wrmsr 0x277).", check_pat_differ_same_decision,
	  RD_NV, FACT_LIST(F_PAT_CONSISTENT, F_PAT_MSR, F_PAT_MSR_OTHER) },
	{ "D0G-PAT-006", SEV_UNDETERMINED, "PAT unknown",
	  "Run as root after modprobe dom0gpu (or modprobe msr) so the PAT can be read.",
	  check_pat_unknown, RD_NV, NO_FACTS },
	{ "D0G-PAT-007", SEV_INFO, "PAT compared on one CPU only",
	  "modprobe dom0gpu to compare every CPU's PAT.", check_pat_consistency_unchecked,
	  RD_NV, FACT_LIST(F_PAT_CONSISTENT, F_PAT_MSR) },
	{ "D0G-NV-001", SEV_BLOCKER, "NVIDIA told not to use the PAT",
	  "Remove NVreg_UsePageAttributeTable=0 where the finding says it comes from: the nvidia "
	  "options in modprobe.d (/etc, /run, /usr/local/lib, /usr/lib, /lib; the last setting "
	  "wins) or nvidia.NVreg_UsePageAttributeTable= on the kernel command line; then reload "
	  "nvidia (rebuild the initramfs if it loads nvidia).",
	  check_use_pat_param, 0, FACT_LIST(F_NVIDIA_USE_PAT) },
	{ "D0G-NV-002", SEV_INFO, "NVIDIA's own log confirms the PAT verdict", NULL, check_log_confirms,
	  RD_NV, FACT_LIST(F_NVIDIA_LOG_PAT) },
	{ "D0G-NV-003", SEV_WARNING, "NVIDIA's log disagrees with the current platform",
	  "Reload nvidia (or reboot) and compare its new NVRM lines.", check_log_differs,
	  RD_NV, FACT_LIST(F_NVIDIA_LOG_PAT) },
	{ "D0G-NV-004", SEV_WARNING, "module and tool disagree on NVIDIA's PAT decision",
	  "Report this with --json output attached.", check_module_agrees,
	  RD_NV, FACT_LIST(F_MODULE_PAT_MODE, F_NVIDIA_LOADED) },
	{ "D0G-NV-005", SEV_WARNING, "NVIDIA driver not loaded",
	  "modprobe nvidia (install the NVIDIA driver if it is missing).", check_nvidia_not_loaded,
	  0, FACT_LIST(F_NVIDIA_LOADED) },
	{ "D0G-GPU-001", SEV_BLOCKER, "NVIDIA GPU bound to pciback",
	  "Unbind it from pciback (xl pci-assignable-remove, or remove it from xen-pciback.hide) "
	  "and bind nvidia.", check_gpu_pciback,
	  0, NO_FACTS },
	{ "D0G-GPU-002", SEV_BLOCKER, "NVIDIA GPU bound to vfio-pci",
	  "Unbind it from vfio-pci (remove its vfio-pci.ids entry) and bind nvidia.", check_gpu_vfio,
	  0, NO_FACTS },
	{ "D0G-GPU-003", SEV_BLOCKER, "NVIDIA GPU driven by nouveau",
	  "Blacklist nouveau (modprobe.blacklist=nouveau), rebuild the initramfs and load nvidia.",
	  check_gpu_nouveau, 0, NO_FACTS },
	{ "D0G-GPU-004", SEV_BLOCKER, "NVIDIA GPU hidden from dom0",
	  "Remove the GPU from xen-pciback.hide= on the dom0 kernel command line and reboot.",
	  check_gpu_hidden, 0, FACT_LIST(F_KERNEL_PCIBACK_HIDE) },
	{ "D0G-GPU-005", SEV_WARNING, "nouveau loaded",
	  "Blacklist nouveau (modprobe.blacklist=nouveau) so that nvidia gets the GPU.",
	  check_nouveau_loaded, 0, FACT_LIST(F_NOUVEAU_LOADED) },
	{ "D0G-GPU-006", SEV_WARNING, "no NVIDIA GPU seen", NULL, check_no_gpu,
	  0, NO_FACTS },
	{ "D0G-PVH-001", SEV_WARNING, "PVH preflight: Xen's IOMMU disabled on its command line",
	  "Remove iommu=no/0/off/false/disable (and no-iommu) from Xen's command line before "
	  "adding dom0=pvh, and from the configured next boot before rebooting a PVH dom0.",
	  check_pvh_iommu_cmdline,
	  RD_PVH_RECOMMENDED | RD_DOMAIN | RD_XEN_NOW | RD_XEN_NEXT, NO_FACTS },
	{ "D0G-PVH-002", SEV_WARNING, "PVH preflight: Xen's IOMMU is off",
	  "Enable VT-d / AMD-Vi (IOMMU) in the firmware setup.", check_pvh_iommu_off,
	  RD_PVH_RECOMMENDED, FACT_LIST(F_XEN_IOMMU) },
	{ "D0G-PVH-003", SEV_WARNING, "PVH preflight: no HVM support",
	  "Enable VT-x / AMD-V in the firmware setup.", check_pvh_hvm,
	  RD_PVH_RECOMMENDED, FACT_LIST(F_XEN_HVM, F_XEN_CAPABILITIES) },
	{ "D0G-PVH-004", SEV_WARNING, "PVH preflight: dom0 kernel lacks CONFIG_XEN_PVH",
	  "Boot a dom0 kernel built with CONFIG_XEN_PVH=y.", check_pvh_kconfig,
	  RD_PVH_RECOMMENDED, FACT_LIST(F_KERNEL_XEN_PVH, F_KERNEL_RELEASE) },
	{ "D0G-PVH-005", SEV_INFO, "PVH preflight incomplete",
	  "Run as root with the dom0gpu module loaded to complete the preflight.",
	  check_pvh_incomplete,
	  RD_PVH_RECOMMENDED,
	  FACT_LIST(F_XEN_CMDLINE, F_XEN_CMDLINE_NEXT, F_KERNEL_XEN_PVH, F_XEN_HVM) },
	{ "D0G-PVH-006", SEV_WARNING, "PVH preflight: Xen options that do nothing for a PVH dom0",
	  "Drop dom0-iommu=passthrough / iommu=dom0-passthrough and nmi=dom0 when moving to PVH.",
	  check_pvh_passthrough,
	  RD_PVH_RECOMMENDED | RD_DOMAIN | RD_XEN_NOW | RD_XEN_NEXT, NO_FACTS },
	{ "D0G-PVH-007", SEV_INFO, "what a PVH dom0 gives up", NULL, check_pvh_gives_up,
	  RD_PVH_RECOMMENDED, NO_FACTS },
	{ "D0G-PVH-008", SEV_WARNING, "PVH preflight: no HAP and no shadow paging",
	  "Enable EPT/NPT (VT-x/AMD-V) in the firmware, or use a Xen built with shadow paging.",
	  check_pvh_paging, RD_PVH_RECOMMENDED, FACT_LIST(F_XEN_HAP, F_XEN_SHADOW) },
	{ "D0G-PVH-009", SEV_WARNING, "the configured next boot drops dom0=pvh",
	  "Keep dom0=pvh in GRUB_CMDLINE_XEN_DEFAULT (/etc/default/grub) or with XCP-ng's "
	  "xen-cmdline --set-xen dom0=pvh before the next reboot.", check_pvh_next,
	  RD_DOMAIN | RD_XEN_NEXT, NO_FACTS },
	{ "D0G-XEN-001", SEV_WARNING, "Xen ignores a command-line option",
	  "Fix or remove the option; Xen only logs \"parameter ... unknown!\" or \"... has "
	  "invalid value\" on its console (xl dmesg).", check_xen_ignored,
	  RD_XEN_NOW | RD_XEN_NEXT, NO_FACTS },
	{ "D0G-CPU-001", SEV_INFO, "CPUID hypervisor bit (not a factor)", NULL, check_cpuid_bit,
	  RD_NV, FACT_LIST(F_CPU_HYPERVISOR_BIT) },
	{ "D0G-SRC-001", SEV_INFO, "degraded mode: dom0gpu module not loaded",
	  "modprobe dom0gpu (as root) for the full picture.", check_degraded,
	  0, NO_FACTS },
	{ "D0G-CUDA-001", SEV_BLOCKER, "CUDA probe confirms the PAT blocker",
	  "Fix the PAT finding reported with it (for a Xen PV dom0, D0G-PAT-001: boot dom0 as "
	  "PVH); CUDA cannot allocate until NVIDIA can map write-combined memory. Run "
	  "dom0gpu-stat --probe again afterwards to confirm.", check_cuda_pat_confirmed,
	  RD_NV,
	  FACT_LIST(F_CUDA_PROBE, F_CUDA_RESULT, F_CUDA_FAILED_STEP, F_CUDA_FAILED_CALL,
		    F_CUDA_FAILED_GPU, F_NVIDIA_LOG_PAT) },
	{ "D0G-CUDA-002", SEV_BLOCKER, "CUDA probe failed",
	  "Look for NVRM and Xid lines in the kernel log (dmesg) from the time of the probe, "
	  "check that nvidia-smi lists the GPU, and that the user-space driver (libcuda.so.1) "
	  "matches the kernel module (/proc/driver/nvidia/version).", check_cuda_failed,
	  RD_NV,
	  FACT_LIST(F_CUDA_PROBE, F_CUDA_RESULT, F_NVIDIA_LOG_PAT, F_CUDA_PROBE_LIMITS_RAISED,
		    F_CUDA_RLIMIT_AS, F_CUDA_RLIMIT_NOFILE, F_CUDA_DEVICE_ACCESS,
		    F_CUDA_MIG_ENABLED, F_CUDA_HIDDEN_GPUS, F_CUDA_FAILED_GPU,
		    F_CUDA_PROBE_REASON) },
	{ "D0G-CUDA-003", SEV_BLOCKER, "CUDA probe got wrong data back",
	  "Data sent to the GPU did not come back intact: look for Xid errors in dmesg, run "
	  "NVIDIA's diagnostics (dcgmi diag, nvidia-smi -q -d ECC) and check the platform's "
	  "IOMMU/DMA setup.", check_cuda_wrong_data,
	  0, FACT_LIST(F_CUDA_PROBE, F_CUDA_PROBE_REASON, F_CUDA_FAILED_GPU) },
	{ "D0G-CUDA-004", SEV_BLOCKER, "CUDA probe hung",
	  "The driver did not answer within the time limit: look for NVRM and Xid lines in "
	  "dmesg; a GPU stuck here usually needs the nvidia module reloaded or a reboot. Raise "
	  "--timeout if the host is only slow.", check_cuda_hung,
	  0,
	  FACT_LIST(F_CUDA_PROBE, F_CUDA_PROBE_LIMITS_RAISED, F_CUDA_RESULT, F_CUDA_RLIMIT_AS,
		    F_CUDA_RLIMIT_NOFILE, F_CUDA_DEVICE_ACCESS, F_CUDA_PERSISTENCE_OFF,
		    F_CUDA_MIG_ENABLED, F_CUDA_HIDDEN_GPUS, F_CUDA_FAILED_GPU,
		    F_CUDA_PROBE_REASON) },
	{ "D0G-CUDA-005", SEV_BLOCKER, "CUDA probe crashed",
	  "The CUDA driver library ended the probe process: check that libcuda.so.1 comes from "
	  "the same NVIDIA driver release as the kernel module (/proc/driver/nvidia/version) "
	  "and reinstall the driver if not.", check_cuda_crashed,
	  0,
	  FACT_LIST(F_CUDA_PROBE, F_CUDA_PROBE_LIMITS_RAISED, F_CUDA_RESULT, F_CUDA_RLIMIT_AS,
		    F_CUDA_RLIMIT_NOFILE, F_CUDA_DEVICE_ACCESS, F_CUDA_MIG_ENABLED,
		    F_CUDA_HIDDEN_GPUS, F_CUDA_FAILED_GPU, F_CUDA_PROBE_REASON) },
	{ "D0G-CUDA-006", SEV_UNDETERMINED, "NVIDIA GPU present but the CUDA probe could not run",
	  "Install the NVIDIA user-space driver (libcuda.so.1) of the kernel module's release "
	  "and load nvidia (modprobe nvidia).", check_cuda_not_run_gpu,
	  0,
	  FACT_LIST(F_CUDA_PROBE, F_CUDA_HIDDEN_GPUS, F_CUDA_DEVICE_ACCESS, F_CUDA_PROBE_REASON) },
	{ "D0G-CUDA-007", SEV_INFO, "CUDA probe not run", NULL, check_cuda_not_run,
	  0, FACT_LIST(F_CUDA_PROBE, F_CUDA_PROBE_REASON) },
	{ "D0G-CUDA-008", SEV_INFO, "CUDA probe passed", NULL, check_cuda_passed,
	  0, FACT_LIST(F_CUDA_PROBE, F_CUDA_PROBE_REASON) },
	{ "D0G-CUDA-009", SEV_WARNING, "CUDA probe contradicts NVIDIA's PAT decision",
	  "Report this with the --json output attached: the PAT rules expected the NVIDIA "
	  "driver to refuse write-combining.", check_cuda_contradicts,
	  RD_NV, FACT_LIST(F_CUDA_PROBE, F_NVIDIA_LOG_PAT) },
	{ "D0G-CUDA-010", SEV_UNDETERMINED, "CUDA_VISIBLE_DEVICES hides NVIDIA GPUs from the probe",
	  "Run the probe without it (env -u CUDA_VISIBLE_DEVICES dom0gpu-stat --probe), or list "
	  "every GPU in it (indexes or UUIDs from nvidia-smi -L): the driver ignores the list from "
	  "its first entry that names no GPU, and an empty list hides them all.",
	  check_cuda_env_hides, 0, FACT_LIST(F_CUDA_VISIBLE_DEVICES, F_CUDA_HIDDEN_GPUS) },
	{ "D0G-CUDA-011", SEV_UNDETERMINED, "NVIDIA GPU not counted by the CUDA driver",
	  "Look at /proc/driver/nvidia/gpus/ADDRESS/information ('GPU Excluded: Yes' comes from "
	  "NVreg_ExcludedGpus), nvidia-smi, access to /dev/nvidiaN (D0G-CUDA-014) and NVRM or Xid "
	  "lines in dmesg for those GPUs.", check_cuda_not_counted,
	  0, FACT_LIST(F_CUDA_VISIBLE_DEVICES, F_CUDA_HIDDEN_GPUS) },
	{ "D0G-CUDA-012", SEV_UNDETERMINED, "CUDA GPUs reordered by the probe's environment",
	  "Unset CUDA_VISIBLE_DEVICES, or set CUDA_DEVICE_ORDER=PCI_BUS_ID and list the GPUs in "
	  "bus order, so that CUDA and nvidia-smi number the GPUs alike.", check_cuda_env_order,
	  0, FACT_LIST(F_CUDA_GPU_ORDER, F_CUDA_VISIBLE_DEVICES, F_CUDA_DEVICE_ORDER) },
	{ "D0G-CUDA-013", SEV_UNDETERMINED, "a resource limit of the probe's process stops CUDA",
	  "Run dom0gpu-stat without the limit: ulimit -v unlimited (CUDA needs an unlimited address "
	  "space) and ulimit -n 1024 or more; in a systemd unit LimitAS=infinity and LimitNOFILE=.",
	  check_cuda_limits,
	  0,
	  FACT_LIST(F_CUDA_PROBE, F_CUDA_PROBE_LIMITS_RAISED, F_CUDA_RESULT, F_CUDA_RLIMIT_AS,
		    F_CUDA_RLIMIT_NOFILE, F_CUDA_FAILED_GPU, F_CUDA_PROBE_REASON) },
	{ "D0G-CUDA-014", SEV_UNDETERMINED, "NVIDIA device files not usable by this process",
	  "Run as a user the files allow (NVIDIA's default mode is 0666: the nvidia module's "
	  "NVreg_DeviceFileMode, NVreg_DeviceFileUID and NVreg_DeviceFileGID set it), or, in a "
	  "container or service with a device cgroup, allow the nvidia character devices (major "
	  "195 and nvidia-uvm's, see /proc/devices): DeviceAllow=/dev/nvidiactl rw, ... or "
	  "devices.allow 'c 195:* rwm'.", check_cuda_device_access,
	  0, FACT_LIST(F_CUDA_DEVICE_ACCESS) },
	{ "D0G-CUDA-015", SEV_WARNING, "NVIDIA GPUs without persistence mode: slow first CUDA init",
	  "Keep the GPUs set up between programs: run NVIDIA's nvidia-persistenced (its systemd "
	  "unit), or nvidia-smi -pm 1 as root (lost at reboot).", check_cuda_persistence_slow,
	  0, FACT_LIST(F_CUDA_PROBE, F_CUDA_FAILED_GPU, F_CUDA_PERSISTENCE_OFF) },
	{ "D0G-CUDA-016", SEV_UNDETERMINED, "CUDA probe hung on GPUs without persistence mode",
	  "Enable persistence mode (nvidia-persistenced, or nvidia-smi -pm 1 as root) and probe "
	  "again, or give the first init more time with --timeout; if it still hangs, look for "
	  "NVRM and Xid lines in dmesg.", check_cuda_persistence_hung,
	  0,
	  FACT_LIST(F_CUDA_PROBE, F_CUDA_FAILED_GPU, F_CUDA_PERSISTENCE_OFF, F_CUDA_PROBE_REASON) },
	{ "D0G-CUDA-017", SEV_WARNING, "NVIDIA GPUs in MIG mode",
	  "Run CUDA programs on a MIG instance: CUDA_VISIBLE_DEVICES=MIG-<uuid> from nvidia-smi -L "
	  "(create instances with nvidia-smi mig -cgi ... -C), or disable MIG (nvidia-smi -mig 0 "
	  "as root, then reset the GPU) to use the whole GPU.", check_cuda_mig_info,
	  0, FACT_LIST(F_CUDA_PROBE, F_CUDA_FAILED_GPU, F_CUDA_HIDDEN_GPUS, F_CUDA_MIG_ENABLED) },
	{ "D0G-CUDA-018", SEV_UNDETERMINED, "CUDA probe failed on a GPU in MIG mode",
	  "Probe a MIG instance (CUDA_VISIBLE_DEVICES=MIG-<uuid> dom0gpu-stat --probe, UUIDs from "
	  "nvidia-smi -L; create one with nvidia-smi mig -cgi ... -C if none is listed), or "
	  "disable MIG (nvidia-smi -mig 0 as root, then reset the GPU) and probe again.",
	  check_cuda_mig_failed,
	  0,
	  FACT_LIST(F_CUDA_PROBE, F_CUDA_FAILED_GPU, F_CUDA_HIDDEN_GPUS, F_CUDA_MIG_ENABLED,
		    F_CUDA_PROBE_REASON) },
	{ "D0G-CUDA-019", SEV_INFO, "persistence and MIG mode not read (no NVML)",
	  "Install NVIDIA's libnvidia-ml.so.1 of the kernel module's release (it ships with "
	  "the user-space driver, beside libcuda.so.1).",
	  check_cuda_nvml_absent, 0, FACT_LIST(F_CUDA_NVML) },
};

const unsigned int nr_rules = sizeof(rules) / sizeof(rules[0]);

const struct rule *rule_find(const char *id)
{
	unsigned int i;

	for (i = 0; i < nr_rules; i++)
		if (!strcmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

void rules_evaluate(struct report *r)
{
	struct rule_ctx c;
	bool blocked = false, undetermined = false;
	unsigned int i;

	r->nr_findings = 0;
	rule_ctx_derive(&c, r);
	for (i = 0; i < nr_rules; i++) {
		c.rule = &rules[i];
		rules[i].check(&c);
	}
	for (i = 0; i < r->nr_findings; i++) {
		blocked |= r->findings[i].rule->severity == SEV_BLOCKER;
		undetermined |= r->findings[i].rule->severity == SEV_UNDETERMINED;
	}
	r->verdict = blocked ? VERDICT_BLOCKED : undetermined ? VERDICT_UNKNOWN : VERDICT_READY;
}
