/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one platform snapshot. Each source file (pat.c, mtrr.c, hypervisor.c,
 * xen.c, iommu.c, gpu.c, nvidia.c) fills its own part; sysfs.c and netlink.c
 * only read it, under d0g_model_lock(), so a reader always sees one
 * consistent generation.
 *
 * What is cached and why: the PAT, MTRRs, CPUID and Xen facts are fixed
 * once the kernel has booted, so they are read at load; the PAT of a CPU is
 * read again whenever that CPU comes online (hotplug), and the GPU list is
 * refreshed on PCI add/remove and on nvidia load/unload (the NVIDIA driver's
 * builtin mode rewrites the PAT, so that also re-reads every CPU's PAT).
 * Every change bumps ->generation and is announced on d0g_model_notifier.
 *
 * Lock order: the CPU hotplug lock and a device's lock are taken before the
 * model lock, never under it; listeners run with the model lock held (from
 * CPU hotplug callbacks too), so they must not wait for hotplug, a device,
 * or sysfs file removal: defer such work (sysfs.c uses a work item).
 */
#ifndef _DOM0GPU_MODEL_H
#define _DOM0GPU_MODEL_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/notifier.h>
#include <linux/dom0gpu.h>
#include <dom0gpu_nvpat.h>

#define D0G_PAT_ENTRIES		8
#define D0G_MTRR_FIXED_MSRS	11
#define D0G_XEN_STR_LEN		1024	/* XENVER_commandline/capabilities size */
#define D0G_XEN_EXTRA_LEN	16	/* XENVER_extraversion size */
#define D0G_DRIVER_NAME_LEN	32
#define D0G_PCI_BARS		6

/* Version of the module and of the sysfs ABI it documents. */
#define D0G_VERSION		"0.1.0"

/* Memory type encodings of PAT entries and MTRRs (Intel SDM vol. 3, 11.12). */
#define D0G_PAT_TYPE_UC		0x00
#define D0G_PAT_TYPE_WC		0x01
#define D0G_PAT_TYPE_WT		0x04
#define D0G_PAT_TYPE_WP		0x05
#define D0G_PAT_TYPE_WB		0x06
#define D0G_PAT_TYPE_UC_MINUS	0x07

/* MTRR register fields (Intel SDM vol. 3, 11.11). */
#define D0G_MTRR_CAP_VCNT	0xffULL
#define D0G_MTRR_CAP_FIX	BIT_ULL(8)
#define D0G_MTRR_CAP_WC		BIT_ULL(10)
#define D0G_MTRR_CAP_SMRR	BIT_ULL(11)
#define D0G_MTRR_DEF_TYPE_MASK	0xffULL
#define D0G_MTRR_DEF_FE		BIT_ULL(10)
#define D0G_MTRR_DEF_E		BIT_ULL(11)
#define D0G_MTRR_BASE_TYPE	0xffULL
#define D0G_MTRR_MASK_V		BIT_ULL(11)
#define D0G_MTRR_ADDR_MASK	(~0xfffULL)

/* What is read of one CPU: its PAT, microcode revision and model name. */
struct d0g_cpu_pat {
	u64 msr;
	int err;		/* 0, or the -errno of the failed read */
	bool online;		/* slot holds a read made while the CPU was up */
	bool read;		/* the CPU was online once: microcode is known */
	u32 microcode;		/* cpu_data(cpu).microcode */
	char model_name[64];	/* cpu_data(cpu).x86_model_id */
};

struct d0g_pat {
	bool feature;			/* X86_FEATURE_PAT */
	bool kernel_enabled;		/* pat_enabled(); meaning varies by kernel */
	unsigned int nr_slots;		/* nr_cpu_ids */
	struct d0g_cpu_pat *cpus;	/* indexed by CPU number */
};

struct d0g_mtrr_var {
	u64 base;			/* MTRRphysBase_n, type in bits 7:0 */
	u64 mask;			/* MTRRphysMask_n, valid in bit 11 */
};

struct d0g_mtrr {
	bool feature;			/* X86_FEATURE_MTRR */
	bool readable;			/* MSR reads work (not under Xen PV) */
	int err;			/* the failing read's -errno if !readable */
	u64 cap;			/* MTRRcap */
	u64 def_type;			/* MTRRdefType */
	unsigned int nr_var;		/* entries in var[] (MTRRcap.VCNT) */
	struct d0g_mtrr_var *var;
	bool fixed_read;		/* fixed[] valid (FIX bit in MTRRcap) */
	u64 fixed[D0G_MTRR_FIXED_MSRS];	/* 64K_00000, 16K_80000/A0000, 4K_C0000..F8000 */
};

struct d0g_hypervisor {
	u32 x86_hyper_type;		/* enum x86_hypervisor_type, kernel's view */
	bool cpuid_bit;			/* CPUID.1:ECX[31] */
	u32 cpuid_max_leaf;		/* CPUID.0x40000000:EAX, 0 without the bit */
	char cpuid_signature[13];	/* EBX ECX EDX of 0x40000000, NUL ended */
};

struct d0g_xen {
	enum dom0gpu_xen_domain_type domain_type;
	bool initial_domain;
	u32 version_major;
	u32 version_minor;
	char extraversion[D0G_XEN_EXTRA_LEN + 1];
	char capabilities[D0G_XEN_STR_LEN + 1];
	char cmdline[D0G_XEN_STR_LEN + 1];	/* privileged */
};

struct d0g_iommu {
	enum dom0gpu_iommu_owner owner;		/* linux, xen (hypervisor) or none */
	bool linux_present;			/* an IOMMU is registered with Linux */
	enum dom0gpu_iommu_domain default_domain; /* Linux's default domain type */
	u32 group_count;			/* distinct groups among PCI devices */
	bool acpi_dmar;				/* ACPI DMAR table visible */
	bool acpi_ivrs;				/* ACPI IVRS table visible */
};

struct d0g_gpu {
	struct list_head node;
	u32 domain;
	u8 bus;
	u8 devfn;
	u16 vendor;
	u16 device;
	u32 class;			/* 24-bit PCI class code */
	char driver[D0G_DRIVER_NAME_LEN];	/* bound driver, "" if none */
	u64 bar_size[D0G_PCI_BARS];
	s32 numa_node;			/* -1 if none */
	s32 iommu_group;		/* -1 if not in a group */
	enum dom0gpu_iommu_domain iommu_domain;
};

struct d0g_nvidia {
	struct nvpat_input input;	/* as the driver would see it now */
	struct nvpat_result prediction;
	bool module_loaded;		/* nvidia is coming or live */
};

struct d0g_model {
	u64 generation;
	struct d0g_pat pat;
	struct d0g_mtrr mtrr;
	struct d0g_hypervisor hypervisor;
	struct d0g_xen xen;
	struct d0g_iommu iommu;
	struct d0g_nvidia nvidia;
	struct list_head gpus;		/* of struct d0g_gpu */
	unsigned int nr_gpus;
};

/* Announced on d0g_model_notifier, with a struct d0g_event as data. */
enum d0g_event_kind {
	D0G_EVENT_CPU_ONLINE = 1,
	D0G_EVENT_CPU_OFFLINE,
	D0G_EVENT_GPU_ADDED,
	D0G_EVENT_GPU_REMOVED,
	D0G_EVENT_NVIDIA_LOADED,
	D0G_EVENT_NVIDIA_UNLOADED,
	D0G_EVENT_GPU_CHANGED,		/* driver bound/unbound, group set */
	D0G_EVENT_NVIDIA_COMING,	/* its init is about to run */
};

struct d0g_event {
	enum d0g_event_kind kind;
	unsigned int cpu;		/* CPU events */
	u64 pat;			/* CPU events: that CPU's PAT */
	bool pat_consistent;		/* CPU events: all online CPUs agree */
	const struct d0g_gpu *gpu;	/* GPU events, valid during the call */
};

extern struct d0g_model d0g_model;
extern struct blocking_notifier_head d0g_model_notifier;

void d0g_model_lock(void);
void d0g_model_unlock(void);
/* Caller holds the lock: bump the generation and tell the listeners. */
void d0g_model_changed(const struct d0g_event *ev);

/*
 * Derived facts, computed here and only here from what the sources store.
 * Lock held.
 */
u64 d0g_pat_boot_msr(void);
int d0g_pat_boot_err(void);
int d0g_pat_wc_index(u64 pat);		/* lowest index holding WC, or -1 */
bool d0g_pat_consistent(void);
unsigned int d0g_pat_cpus_read(void);
unsigned int d0g_pat_cpus_failed(void);
u64 d0g_mtrr_var_size(const struct d0g_mtrr_var *var);
struct d0g_gpu *d0g_gpu_find(u32 domain, u8 bus, u8 devfn);
/*
 * The NVIDIA prediction from its inputs (nvpat_predict(), a pure function):
 * d0g_model_changed() runs it for every change; nvidia.c at load.
 */
void d0g_model_derive(void);

/*
 * Each source of truth fills its part of the model at load and keeps it
 * current; main.c calls these in order and unwinds in reverse.
 */
int d0g_pat_init(void);
void d0g_pat_uninit(void);
int d0g_mtrr_init(void);
void d0g_mtrr_uninit(void);
int d0g_hypervisor_init(void);
void d0g_hypervisor_uninit(void);
#if IS_ENABLED(CONFIG_XEN)
int d0g_xen_init(void);
void d0g_xen_uninit(void);
#else
/* A kernel built without Xen support (Kbuild leaves xen.c out) is in no Xen domain. */
static inline int d0g_xen_init(void)
{
	d0g_model_lock();
	d0g_model.xen.domain_type = DOM0GPU_XEN_DOMAIN_TYPE_NONE;
	d0g_model_unlock();
	return 0;
}

static inline void d0g_xen_uninit(void)
{
}
#endif
int d0g_iommu_init(void);
void d0g_iommu_uninit(void);
int d0g_gpu_init(void);
void d0g_gpu_uninit(void);
int d0g_nvidia_init(void);
void d0g_nvidia_uninit(void);
int d0g_sysfs_init(void);
void d0g_sysfs_uninit(void);

/* pat.c: read every online CPU's PAT again (nvidia may rewrite it). */
void d0g_pat_reread(void);
/* iommu.c: a device's IOMMU group and domain type, for gpu.c. */
struct device;
void d0g_iommu_dev(struct device *dev, s32 *group_id,
		   enum dom0gpu_iommu_domain *domain);

#endif /* _DOM0GPU_MODEL_H */
