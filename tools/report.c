// SPDX-License-Identifier: GPL-2.0
/*
 * The report model's vocabulary (fact names, sources, verdicts) and its
 * setters. The names here are the JSON schema's (docs/report.schema.json).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "report.h"

const struct fact_def fact_defs[F__COUNT] = {
	[F_DOM0GPU_VERSION]	= { "dom0gpu.version", FT_STR, "dom0gpu module version" },
	[F_PAT_MSR]		= { "pat.msr", FT_HEX, "IA32_PAT of the boot CPU" },
	[F_PAT_LAYOUT]		= { "pat.layout", FT_STR, "the 8 PAT entries by name" },
	[F_PAT_WC_INDEX]	= { "pat.wc_index", FT_INT, "lowest PAT index holding WC, -1 if none" },
	[F_PAT_CONSISTENT]	= { "pat.consistent", FT_BOOL, "every CPU read holds the same PAT" },
	[F_PAT_CPUS_READ]	= { "pat.cpus_read", FT_INT, "CPUs whose PAT was read" },
	[F_PAT_MSR_OTHER]	= { "pat.msr_other", FT_HEX, "a PAT value differing from the boot CPU's" },
	[F_PAT_KERNEL_ENABLED]	= { "pat.kernel_enabled", FT_BOOL, "the kernel's pat_enabled()" },
	[F_CPU_VENDOR]		= { "cpu.vendor", FT_STR, "CPUID vendor string" },
	[F_CPU_FAMILY]		= { "cpu.family", FT_INT, "CPU family" },
	[F_CPU_MODEL]		= { "cpu.model", FT_INT, "CPU model" },
	[F_CPU_CPUID_LEVEL]	= { "cpu.cpuid_level", FT_INT, "highest basic CPUID leaf" },
	[F_CPU_CPUID1_EDX]	= { "cpu.cpuid1_edx", FT_HEX, "CPUID.1:EDX (bit 16 is PAT)" },
	[F_CPU_MICROCODE]	= { "cpu.microcode", FT_HEX, "microcode revision of the boot CPU" },
	[F_CPU_PAT]		= { "cpu.pat_feature", FT_BOOL, "X86_FEATURE_PAT (cpuinfo flag pat)" },
	[F_CPU_HYPERVISOR_BIT]	= { "cpu.hypervisor_bit", FT_BOOL, "CPUID.1:ECX[31], the hypervisor bit" },
	[F_KERNEL_RELEASE]	= { "kernel.release", FT_STR, "running kernel release" },
	[F_KERNEL_CMDLINE]	= { "kernel.cmdline", FT_STR, "dom0 kernel command line" },
	[F_KERNEL_X86_PAT]	= { "kernel.config_x86_pat", FT_BOOL, "CONFIG_X86_PAT" },
	[F_KERNEL_XEN_PVH]	= { "kernel.config_xen_pvh", FT_BOOL, "CONFIG_XEN_PVH (kernel can boot as PVH dom0)" },
	[F_KERNEL_PCIBACK_HIDE]	= { "kernel.pciback_hide", FT_STR, "xen-pciback.hide= on the kernel command line" },
	[F_MODULE_PAT_MODE]	= { "module.pat_mode", FT_STR, "the module's prediction of NVIDIA's PAT mode" },
	[F_MODULE_PAT_REASON]	= { "module.pat_reason", FT_STR, "the module's predicted NVRM message" },
	[F_NVIDIA_LOADED]	= { "nvidia.loaded", FT_BOOL, "the nvidia module is loaded" },
	[F_NVIDIA_VERSION]	= { "nvidia.version", FT_STR, "NVIDIA kernel module version" },
	[F_NVIDIA_USE_PAT]	= { "nvidia.use_pat_param", FT_INT, "NVreg_UsePageAttributeTable" },
	[F_NVIDIA_LOG_PAT]	= { "nvidia.log_pat_message", FT_STR, "NVRM PAT line in the kernel log" },
	[F_NOUVEAU_LOADED]	= { "nouveau.loaded", FT_BOOL, "the nouveau module is loaded" },
	[F_HYPERVISOR_TYPE]	= { "hypervisor.type", FT_STR, "hypervisor Linux runs on, none if bare metal" },
	[F_XEN_DOMAIN_TYPE]	= { "xen.domain_type", FT_STR, "pv, pvh, hvm or none" },
	[F_XEN_INITIAL_DOMAIN]	= { "xen.initial_domain", FT_BOOL, "this is dom0" },
	[F_XEN_VERSION]		= { "xen.version", FT_STR, "Xen version" },
	[F_XEN_CAPABILITIES]	= { "xen.capabilities", FT_STR, "Xen's capabilities string" },
	[F_XEN_HVM]		= { "xen.hvm_supported", FT_BOOL, "Xen can run HVM/PVH domains" },
	[F_XEN_IOMMU]		= { "xen.iommu_enabled", FT_BOOL, "Xen enabled the IOMMU (I/O virtualisation)" },
	[F_XEN_HAP]		= { "xen.hap", FT_BOOL, "Xen can use hardware-assisted paging (EPT/NPT)" },
	[F_XEN_SHADOW]		= { "xen.shadow", FT_BOOL, "Xen is built with shadow paging" },
	[F_XEN_CMDLINE]		= { "xen.cmdline", FT_STR, "Xen's command line, this boot" },
	[F_XEN_CMDLINE_NEXT]	= { "xen.cmdline_configured", FT_STR, "Xen's command line configured for the next boot" },
	[F_CUDA_PROBE]		= { "cuda.probe", FT_STR, "CUDA probe outcome: ok, failed, wrong_data, hung, crashed, not_run" },
	[F_CUDA_PROBE_REASON]	= { "cuda.probe_reason", FT_STR, "the probe's one-line account: step, call, code or signal" },
	[F_CUDA_DRIVER_VERSION]	= { "cuda.driver_version", FT_INT, "cuDriverGetVersion, e.g. 13000 for CUDA 13.0" },
	[F_CUDA_GPUS]		= { "cuda.gpus", FT_INT, "GPUs the CUDA driver counts" },
	[F_CUDA_FAILED_STEP]	= { "cuda.failed_step", FT_STR, "the probe step that failed, hung or crashed" },
	[F_CUDA_FAILED_GPU]	= { "cuda.failed_gpu", FT_STR, "PCI address of the GPU the probe failed on" },
	[F_CUDA_FAILED_CALL]	= { "cuda.failed_call", FT_STR, "the driver entry point that failed" },
	[F_CUDA_RESULT]		= { "cuda.result", FT_INT, "CUresult of the failed call" },
	[F_CUDA_RESULT_NAME]	= { "cuda.result_name", FT_STR, "cuGetErrorName of that CUresult" },
	[F_CUDA_SIGNAL]		= { "cuda.signal", FT_INT, "signal that ended the probe process" },
	[F_CUDA_VISIBLE_DEVICES] = { "cuda.visible_devices", FT_STR, "CUDA_VISIBLE_DEVICES of the probe's process, as set (maybe empty)" },
	[F_CUDA_DEVICE_ORDER]	= { "cuda.device_order", FT_STR, "CUDA_DEVICE_ORDER of the probe's process, as set" },
	[F_CUDA_HIDDEN_GPUS]	= { "cuda.hidden_gpus", FT_STR, "PCI addresses of NVIDIA GPUs bound to nvidia that the CUDA driver did not count" },
	[F_CUDA_GPU_ORDER]	= { "cuda.gpu_order", FT_STR, "PCI addresses in CUDA ordinal order, when that is not the PCI bus order" },
	[F_CUDA_RLIMIT_AS]	= { "cuda.rlimit_as_kib", FT_INT, "the probe process's finite RLIMIT_AS (soft), KiB" },
	[F_CUDA_RLIMIT_MEMLOCK]	= { "cuda.rlimit_memlock_kib", FT_INT, "the probe process's finite RLIMIT_MEMLOCK (soft), KiB" },
	[F_CUDA_RLIMIT_NOFILE]	= { "cuda.rlimit_nofile", FT_INT, "the probe process's RLIMIT_NOFILE (soft)" },
	[F_CUDA_PROBE_LIMITS_RAISED] = { "cuda.probe_limits_raised", FT_STR, "outcome of the probe run again with those limits raised" },
	[F_CUDA_DEVICE_ACCESS]	= { "cuda.device_access", FT_STR, "NVIDIA device files this process cannot open read-write: path:errno(mode,uid,gid)" },
	[F_CUDA_NVML]		= { "cuda.nvml", FT_STR, "\"ok\" when NVIDIA's libnvidia-ml.so.1 answered, else why not (persistence and MIG mode then unknown)" },
	[F_CUDA_PERSISTENCE_OFF]	= { "cuda.persistence_off", FT_STR, "PCI addresses of NVIDIA GPUs whose persistence mode is off (NVML), maybe none" },
	[F_CUDA_MIG_ENABLED]	= { "cuda.mig_enabled", FT_STR, "PCI addresses of NVIDIA GPUs whose MIG mode is enabled (NVML), maybe none" },
};

static const char *const src_names[SRC__COUNT] = {
	[SRC_NONE]		= "none",
	[SRC_NETLINK]		= "netlink",
	[SRC_SYSFS]		= "sysfs",
	[SRC_KMSG]		= "kernel-log",
	[SRC_CPUINFO]		= "cpuinfo",
	[SRC_CPUID]		= "cpuid",
	[SRC_MSR]		= "msr",
	[SRC_SYS_HYPERVISOR]	= "sys-hypervisor",
	[SRC_PROC_XEN]		= "proc-xen",
	[SRC_PROC_NVIDIA]	= "proc-nvidia",
	[SRC_PROC_MODULES]	= "proc-modules",
	[SRC_SYS_PCI]		= "sys-pci",
	[SRC_PROC_CMDLINE]	= "proc-cmdline",
	[SRC_KCONFIG]		= "kernel-config",
	[SRC_UNAME]		= "uname",
	[SRC_GRUB]		= "grub",
	[SRC_MODPROBE]		= "modprobe-d",
	[SRC_XENCTRL]		= "libxenctrl",
	[SRC_XEN_CONSOLE]	= "xen-console",
	[SRC_DEFAULT]		= "default",
	[SRC_CUDA_PROBE]	= "cuda-probe",
};

static const char *const mode_names[] = {
	[MODE_NETLINK]	= "module-netlink",
	[MODE_SYSFS]	= "module-sysfs",
	[MODE_DEGRADED]	= "degraded",
	[MODE_REPORT]	= "report",
};

const char *src_name(enum src s)
{
	return (unsigned int)s < SRC__COUNT ? src_names[s] : "none";
}

static int name_index(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return -1;
}

int src_from_name(const char *name)
{
	return name_index(src_names, SRC__COUNT, name);
}

const char *mode_name(enum collect_mode m)
{
	return mode_names[m];
}

int mode_from_name(const char *name)
{
	return name_index(mode_names, (int)(sizeof(mode_names) / sizeof(mode_names[0])), name);
}

int fact_from_name(const char *name)
{
	int i;

	for (i = 0; i < F__COUNT; i++)
		if (!strcmp(fact_defs[i].name, name))
			return i;
	return -1;
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_READY:
		return "ready";
	case VERDICT_BLOCKED:
		return "blocked";
	case VERDICT_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO:
		return "info";
	case SEV_WARNING:
		return "warning";
	case SEV_BLOCKER:
		return "blocker";
	case SEV_UNDETERMINED:
		break;
	}
	return "undetermined";
}

void report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->mode = MODE_DEGRADED;
	r->verdict = VERDICT_UNKNOWN;
}

void report_free(struct report *r)
{
	unsigned int i;

	for (i = 0; i < F__COUNT; i++)
		free(r->f[i].s);
	for (i = 0; i < r->nr_notes; i++)
		free(r->notes[i]);
	json_object_put(r->module);
	memset(r, 0, sizeof(*r));
}

void report_set_module(struct report *r, struct json_object *tree)
{
	json_object_put(r->module);
	r->module = tree;
}

static struct fact *fact_prep(struct report *r, enum fact_id id, enum src s, const char *from)
{
	struct fact *f = &r->f[id];

	if (f->known && fact_precedence(id, s) < fact_precedence(id, f->src))
		return NULL;
	free(f->s);
	memset(f, 0, sizeof(*f));
	f->known = true;
	f->src = s;
	snprintf(f->from, sizeof(f->from), "%s", from ? from : "");
	return f;
}

void fact_set_bool(struct report *r, enum fact_id id, bool v, enum src s, const char *from)
{
	struct fact *f = fact_prep(r, id, s, from);

	if (f)
		f->v.b = v;
}

void fact_set_int(struct report *r, enum fact_id id, int64_t v, enum src s, const char *from)
{
	struct fact *f = fact_prep(r, id, s, from);

	if (f)
		f->v.i = v;
}

void fact_set_hex(struct report *r, enum fact_id id, uint64_t v, enum src s, const char *from)
{
	struct fact *f = fact_prep(r, id, s, from);

	if (f)
		f->v.u = v;
}

void fact_set_str(struct report *r, enum fact_id id, const char *v, enum src s, const char *from)
{
	struct fact *f = fact_prep(r, id, s, from);
	size_t n = strnlen(v, REPORT_STR_LEN - 1);

	if (!f)
		return;
	f->s = malloc(n + 1);
	if (!f->s) {
		f->known = false;
		return;
	}
	/*
	 * Strings come from files anyone may have written (--root, a module
	 * of another version): keep printable ASCII only, so that no output
	 * carries terminal escapes or bytes that are not UTF-8 into JSON.
	 */
	for (size_t i = 0; i < n; i++)
		f->s[i] = v[i] >= 0x20 && v[i] < 0x7f ? v[i] : '?';
	f->s[n] = '\0';
}

void fact_clear(struct report *r, enum fact_id id)
{
	free(r->f[id].s);
	memset(&r->f[id], 0, sizeof(r->f[id]));
}

const char *fact_value_text(const struct report *r, enum fact_id id, char *buf, size_t len)
{
	const struct fact *f = &r->f[id];

	if (!f->known) {
		snprintf(buf, len, "unknown");
		return buf;
	}
	switch (fact_defs[id].type) {
	case FT_BOOL:
		snprintf(buf, len, "%s", f->v.b ? "yes" : "no");
		break;
	case FT_INT:
		snprintf(buf, len, "%lld", (long long)f->v.i);
		break;
	case FT_HEX:
		snprintf(buf, len, "0x%016llx", (unsigned long long)f->v.u);
		break;
	case FT_STR:
		snprintf(buf, len, "%s", f->s ? f->s : "");
		break;
	}
	return buf;
}

void report_note(struct report *r, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (r->nr_notes >= REPORT_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->notes[r->nr_notes] = strdup(buf);
	if (r->notes[r->nr_notes])
		r->nr_notes++;
}

struct gpu *report_add_gpu(struct report *r)
{
	struct gpu *g;

	if (r->nr_gpus >= REPORT_MAX_GPUS)
		return NULL;
	g = &r->gpus[r->nr_gpus++];
	memset(g, 0, sizeof(*g));
	g->index = -1;
	return g;
}

static int gpu_cmp(const void *a, const void *b)
{
	return strcmp(((const struct gpu *)a)->slot, ((const struct gpu *)b)->slot);
}

void report_index_gpus(struct report *r)
{
	unsigned int i;
	int n = 0;

	qsort(r->gpus, r->nr_gpus, sizeof(r->gpus[0]), gpu_cmp);
	for (i = 0; i < r->nr_gpus; i++)
		r->gpus[i].index = r->gpus[i].vendor == 0x10de ? n++ : -1;
}

unsigned int report_nvidia_gpus(const struct report *r)
{
	unsigned int i, n = 0;

	for (i = 0; i < r->nr_gpus; i++)
		n += r->gpus[i].vendor == 0x10de;
	return n;
}

int report_gpu_index(const struct report *r, const char *slot)
{
	unsigned int i;

	for (i = 0; slot[0] && i < r->nr_gpus; i++)
		if (!strcasecmp(r->gpus[i].slot, slot))
			return (int)i;
	return -1;
}

struct gpu *report_gpu_at(struct report *r, const char *slot)
{
	int i = report_gpu_index(r, slot);

	return i < 0 ? NULL : &r->gpus[i];
}

void words_append(char *buf, size_t len, const char *word)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", n ? " " : "", word);
}
