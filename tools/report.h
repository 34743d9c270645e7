/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report model: every fact dom0gpu-stat knows, each labelled with the
 * source it came from, plus the GPUs and, once rules ran, the findings.
 * Sources fill it (source.h), rules.c judges it, out_*.c print it and
 * explain.c rebuilds it from a saved --json report.
 */
#ifndef DOM0GPU_STAT_REPORT_H
#define DOM0GPU_STAT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define REPORT_SCHEMA_VERSION	1
#define REPORT_STR_LEN		1024
#define REPORT_FROM_LEN		160
#define REPORT_MAX_GPUS		64
#define REPORT_MAX_FINDINGS	64
#define REPORT_MAX_NOTES	16

/* Where a fact came from; the JSON names are part of the schema. */
enum src {
	SRC_NONE = 0,
	SRC_NETLINK,		/* dom0gpu module, generic netlink */
	SRC_SYSFS,		/* dom0gpu module, /sys/kernel/dom0gpu */
	SRC_KMSG,		/* kernel log */
	SRC_CPUINFO,		/* /proc/cpuinfo */
	SRC_CPUID,		/* /dev/cpu/N/cpuid */
	SRC_MSR,		/* /dev/cpu/N/msr */
	SRC_SYS_HYPERVISOR,	/* /sys/hypervisor */
	SRC_PROC_XEN,		/* /proc/xen */
	SRC_PROC_NVIDIA,	/* /proc/driver/nvidia */
	SRC_PROC_MODULES,	/* /proc/modules */
	SRC_SYS_PCI,		/* /sys/bus/pci */
	SRC_PROC_CMDLINE,	/* /proc/cmdline */
	SRC_KCONFIG,		/* /boot/config-* or /proc/config.gz */
	SRC_UNAME,		/* uname(2) or /proc/sys/kernel/osrelease */
	SRC_GRUB,		/* /etc/default/grub (next boot) */
	SRC_MODPROBE,		/* modprobe.d options (next load of a module) */
	SRC_XENCTRL,		/* libxenctrl, loaded at run time */
	SRC_XEN_CONSOLE,	/* Xen's console ring */
	SRC_DEFAULT,		/* not read: the documented default assumed */
	SRC_CUDA_PROBE,		/* the CUDA probe: libcuda.so.1 in a child process */
	SRC__COUNT
};

enum fact_type { FT_BOOL, FT_INT, FT_HEX, FT_STR };

enum fact_id {
	F_DOM0GPU_VERSION,
	F_PAT_MSR,
	F_PAT_LAYOUT,
	F_PAT_WC_INDEX,
	F_PAT_CONSISTENT,
	F_PAT_CPUS_READ,
	F_PAT_MSR_OTHER,
	F_PAT_KERNEL_ENABLED,
	F_CPU_VENDOR,
	F_CPU_FAMILY,
	F_CPU_MODEL,
	F_CPU_CPUID_LEVEL,
	F_CPU_CPUID1_EDX,
	F_CPU_MICROCODE,
	F_CPU_PAT,
	F_CPU_HYPERVISOR_BIT,
	F_KERNEL_RELEASE,
	F_KERNEL_CMDLINE,
	F_KERNEL_X86_PAT,
	F_KERNEL_XEN_PVH,
	F_KERNEL_PCIBACK_HIDE,
	F_MODULE_PAT_MODE,
	F_MODULE_PAT_REASON,
	F_NVIDIA_LOADED,
	F_NVIDIA_VERSION,
	F_NVIDIA_USE_PAT,
	F_NVIDIA_LOG_PAT,
	F_NOUVEAU_LOADED,
	F_HYPERVISOR_TYPE,
	F_XEN_DOMAIN_TYPE,
	F_XEN_INITIAL_DOMAIN,
	F_XEN_VERSION,
	F_XEN_CAPABILITIES,
	F_XEN_HVM,
	F_XEN_IOMMU,
	F_XEN_HAP,
	F_XEN_SHADOW,
	F_XEN_CMDLINE,
	F_XEN_CMDLINE_NEXT,
	F_CUDA_PROBE,
	F_CUDA_PROBE_REASON,
	F_CUDA_DRIVER_VERSION,
	F_CUDA_GPUS,
	F_CUDA_FAILED_STEP,
	F_CUDA_FAILED_GPU,
	F_CUDA_FAILED_CALL,
	F_CUDA_RESULT,
	F_CUDA_RESULT_NAME,
	F_CUDA_SIGNAL,
	F_CUDA_VISIBLE_DEVICES,
	F_CUDA_DEVICE_ORDER,
	F_CUDA_HIDDEN_GPUS,
	F_CUDA_GPU_ORDER,
	F_CUDA_RLIMIT_AS,
	F_CUDA_RLIMIT_MEMLOCK,
	F_CUDA_RLIMIT_NOFILE,
	F_CUDA_PROBE_LIMITS_RAISED,
	F_CUDA_DEVICE_ACCESS,
	F_CUDA_NVML,
	F_CUDA_PERSISTENCE_OFF,
	F_CUDA_MIG_ENABLED,
	F__COUNT
};

struct fact_def {
	const char *name;	/* JSON key, e.g. "pat.msr" */
	enum fact_type type;
	const char *doc;
};

struct fact {
	bool known;
	enum src src;
	char from[REPORT_FROM_LEN];	/* path or call it was read from */
	union {
		bool b;
		int64_t i;
		uint64_t u;
	} v;
	char *s;			/* FT_STR, owned */
};

struct gpu {
	char slot[16];			/* 0000:01:00.0 */
	uint16_t vendor;
	uint16_t device;
	uint32_t class;
	char driver[32];		/* bound driver, "" if none */
	bool hidden;			/* listed in xen-pciback.hide */
	char uuid[48];			/* NVIDIA's GPU UUID when known */
	int index;			/* NVIDIA GPU index (PCI order), -1 if not NVIDIA */
	enum src src;
};

enum severity { SEV_INFO, SEV_WARNING, SEV_BLOCKER, SEV_UNDETERMINED };
enum verdict { VERDICT_READY, VERDICT_BLOCKED, VERDICT_UNKNOWN };

struct rule;

struct finding {
	const struct rule *rule;
	char evidence[512];
	enum fact_id facts[8];		/* facts the evidence rests on */
	unsigned int nr_facts;
	int gpu;			/* index into gpus[], or -1 */
};

enum collect_mode {
	MODE_NETLINK,			/* the module, over generic netlink */
	MODE_SYSFS,			/* the module, through sysfs */
	MODE_DEGRADED,			/* userspace only */
	MODE_REPORT,			/* rebuilt from a saved report */
};

struct cuda_probe_result;
struct boot_plan;
struct json_object;

struct report {
	enum collect_mode mode;
	char generated[32];		/* UTC, ISO 8601 */
	struct fact f[F__COUNT];
	struct gpu gpus[REPORT_MAX_GPUS];
	unsigned int nr_gpus;
	char *notes[REPORT_MAX_NOTES];	/* what could not be read, and why */
	unsigned int nr_notes;
	/* --probe's step-by-step detail; NULL without --probe and for --explain. */
	const struct cuda_probe_result *probe;
	/* --plan's PVH trial steps (plan.h); NULL without --plan. */
	const struct boot_plan *plan;
	/*
	 * The module's snapshot as netlink gave it (nl_decode.h), the
	 * report's "module" object; NULL when it was not read over netlink.
	 */
	struct json_object *module;

	/* Filled by rules_evaluate(). */
	enum verdict verdict;
	struct finding findings[REPORT_MAX_FINDINGS];
	unsigned int nr_findings;
};

extern const struct fact_def fact_defs[F__COUNT];

const char *src_name(enum src s);
int src_from_name(const char *name);		/* -1 if unknown */
const char *mode_name(enum collect_mode m);
int mode_from_name(const char *name);
const char *verdict_name(enum verdict v);
const char *severity_name(enum severity s);
int fact_from_name(const char *name);		/* -1 if unknown */

void report_init(struct report *r);
void report_free(struct report *r);
/* The report's "module" object; the report takes the reference. */
void report_set_module(struct report *r, struct json_object *tree);

/*
 * Setters replace a fact unless a source of higher precedence set it
 * (precedence.c): the order the sources run in does not decide.
 */
void fact_set_bool(struct report *r, enum fact_id id, bool v, enum src s, const char *from);
void fact_set_int(struct report *r, enum fact_id id, int64_t v, enum src s, const char *from);
void fact_set_hex(struct report *r, enum fact_id id, uint64_t v, enum src s, const char *from);
void fact_set_str(struct report *r, enum fact_id id, const char *v, enum src s, const char *from);
void fact_clear(struct report *r, enum fact_id id);
/* Rank of source s for fact id: higher wins; 0 for a source the table does not list. */
unsigned int fact_precedence(enum fact_id id, enum src s);

static inline bool fact_known(const struct report *r, enum fact_id id)
{
	return r->f[id].known;
}

static inline bool fact_true(const struct report *r, enum fact_id id)
{
	return r->f[id].known && r->f[id].v.b;
}

static inline bool fact_false(const struct report *r, enum fact_id id)
{
	return r->f[id].known && !r->f[id].v.b;
}

static inline bool fact_str_is(const struct report *r, enum fact_id id, const char *v)
{
	return r->f[id].known && r->f[id].s && !strcmp(r->f[id].s, v);
}

/* Value as text ("true", "0x...", "42", the string) into buf. */
const char *fact_value_text(const struct report *r, enum fact_id id, char *buf, size_t len);

void report_note(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct gpu *report_add_gpu(struct report *r);
/* NVIDIA GPUs in PCI order get index 0..n-1, as nvidia-smi numbers them. */
void report_index_gpus(struct report *r);
unsigned int report_nvidia_gpus(const struct report *r);
/* The GPU at PCI address slot ("0000:00:06.0", any case): its index in
 * r->gpus or -1; the GPU itself or NULL. */
int report_gpu_index(const struct report *r, const char *slot);
struct gpu *report_gpu_at(struct report *r, const char *slot);
/* Appends word to the space-separated list in buf (truncated at len). */
void words_append(char *buf, size_t len, const char *word);

#endif /* DOM0GPU_STAT_REPORT_H */
