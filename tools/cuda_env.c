// SPDX-License-Identifier: GPL-2.0
/*
 * The probe process's own causes, as facts. The CUDA driver reads
 * CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER at cuInit; it needs address
 * space, descriptors and the device files /dev/nvidiactl, /dev/nvidia-uvm
 * and /dev/nvidiaN (NVIDIA's nvidia-modprobe creates them with mode 0666
 * by default; a device cgroup can still deny them).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cuda_api.h"
#include "cuda_env.h"

#define FROM_ENV	"environment"

/*
 * GPUs the driver counted against those on the bus: the NVIDIA GPUs bound
 * to nvidia that no CUDA ordinal names, and the ordinals' order when it is
 * not the bus order (nvidia-smi's numbering).
 */
static void gpu_facts(struct report *r, const struct cuda_probe_result *p)
{
	char hidden[512] = "", order[512] = "";
	bool counted = p->step[CUDA_STEP_DEVICE_COUNT].status == CUDA_STATUS_OK,
	     none = p->step[CUDA_STEP_INIT].status == CUDA_STATUS_FAILED &&
		    p->step[CUDA_STEP_INIT].cu_result == CUDA_ERROR_NO_DEVICE,
	     reordered = false;
	int g, last = -1;
	unsigned int i;

	if (!counted && !none)
		return;	/* the driver never said what it sees */
	for (i = 0; i < r->nr_gpus; i++) {
		const struct gpu *rg = &r->gpus[i];
		bool seen = false;

		if (rg->vendor != 0x10de || rg->index < 0 || strcmp(rg->driver, "nvidia"))
			continue;
		for (g = 0; counted && g < p->gpu_count && g < CUDA_PROBE_MAX_GPUS; g++)
			seen |= !strcasecmp(p->gpu[g].pci_bus_id, rg->slot);
		if (!seen)
			words_append(hidden, sizeof(hidden), rg->slot);
	}
	if (hidden[0])
		fact_set_str(r, F_CUDA_HIDDEN_GPUS, hidden, SRC_CUDA_PROBE,
			     "cuDeviceGetPCIBusId");
	for (g = 0; counted && g < p->gpu_count && g < CUDA_PROBE_MAX_GPUS; g++) {
		const struct gpu *rg = report_gpu_at(r, p->gpu[g].pci_bus_id);

		words_append(order, sizeof(order), p->gpu[g].pci_bus_id);
		if (rg && rg->index >= 0) {
			reordered |= rg->index < last;
			last = rg->index;
		}
	}
	if (reordered)
		fact_set_str(r, F_CUDA_GPU_ORDER, order, SRC_CUDA_PROBE,
			     "cuDeviceGetPCIBusId");
}

/*
 * Measured with NVIDIA 580.159.04 (docs/CUDA-PROBE.md): cuInit fails under
 * any RLIMIT_AS up to 8 GB (CUDA_ERROR_OUT_OF_MEMORY), cuCtxCreate under
 * RLIMIT_NOFILE of 64 with four GPUs (CUDA_ERROR_OPERATING_SYSTEM);
 * RLIMIT_MEMLOCK of 0 stops nothing (the driver pins memory itself), so it
 * is recorded but never suspected.
 */
static const struct {
	int resource;
	enum fact_id fact;
	rlim_t unit;		/* facts in KiB, as ulimit shows them */
	rlim_t below;		/* recorded under this soft limit; 0: if finite */
	bool suspect;		/* may stop the probe */
} limits[] = {
	{ RLIMIT_AS, F_CUDA_RLIMIT_AS, 1024, 0, true },
	{ RLIMIT_MEMLOCK, F_CUDA_RLIMIT_MEMLOCK, 1024, 0, false },
	/* 1024: Linux's default soft limit, under which the probe works */
	{ RLIMIT_NOFILE, F_CUDA_RLIMIT_NOFILE, 1, 1024, true },
};
#define NR_LIMITS (sizeof(limits) / sizeof(limits[0]))

/* Records the limits; returns how many suspects there are (was[] holds
 * them, the others as RLIM_INFINITY). */
static unsigned int limit_facts(struct report *r, struct rlimit *was)
{
	unsigned int i, n = 0;

	for (i = 0; i < NR_LIMITS; i++) {
		if (getrlimit(limits[i].resource, &was[i]) ||
		    was[i].rlim_cur == RLIM_INFINITY ||
		    (limits[i].below && was[i].rlim_cur >= limits[i].below)) {
			was[i].rlim_cur = RLIM_INFINITY;
			continue;
		}
		fact_set_int(r, limits[i].fact, (int64_t)(was[i].rlim_cur / limits[i].unit),
			     SRC_CUDA_PROBE, "getrlimit");
		if (limits[i].suspect)
			n++;
		else
			was[i].rlim_cur = RLIM_INFINITY;
	}
	return n;
}

/* Raise the finite soft limits as far as allowed; false if none moved.
 * Root may lift the hard limit too: to unlimited, or for RLIMIT_NOFILE to
 * the kernel's fs.nr_open (1048576 by default) or, failing that, 4096. */
static bool raise_limits(const struct rlimit *was)
{
	static const rlim_t nofile[] = { 1048576, 4096 };
	bool moved = false;
	unsigned int i, k;

	for (i = 0; i < NR_LIMITS; i++) {
		struct rlimit up = was[i];
		bool nf = limits[i].resource == RLIMIT_NOFILE;
		int rc = -1;

		if (was[i].rlim_cur == RLIM_INFINITY)
			continue;
		for (k = 0; rc && k < (nf ? 2u : 1u); k++) {
			up.rlim_cur = up.rlim_max = nf ? nofile[k] : RLIM_INFINITY;
			rc = setrlimit(limits[i].resource, &up);
		}
		if (rc && was[i].rlim_max > was[i].rlim_cur) {
			up = was[i];
			up.rlim_cur = up.rlim_max;
			rc = setrlimit(limits[i].resource, &up);
		}
		moved |= !rc;
	}
	return moved;
}

static void restore_limits(const struct rlimit *was)
{
	unsigned int i;

	for (i = 0; i < NR_LIMITS; i++)
		if (was[i].rlim_cur != RLIM_INFINITY)
			setrlimit(limits[i].resource, &was[i]);
}

/*
 * The device files the driver opens, as this process would (read-write):
 * EACCES is the file's mode or owner. Only the control files are opened,
 * which sets no GPU up (opening /dev/nvidiaN of a GPU without persistence
 * mode would): EPERM there is a device cgroup (or an LSM) saying no.
 */
static void device_facts(struct report *r)
{
	char denied[512] = "";
	struct dirent *d;
	DIR *dev = opendir("/dev");

	if (!dev)
		return;
	while ((d = readdir(dev))) {
		char path[300], word[400];
		bool ctl = !strcmp(d->d_name, "nvidiactl") || !strcmp(d->d_name, "nvidia-uvm");
		struct stat st;
		int fd, err = 0;

		if (!ctl && (strncmp(d->d_name, "nvidia", 6) || !d->d_name[6] ||
			     strspn(d->d_name + 6, "0123456789") != strlen(d->d_name + 6)))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", d->d_name);
		if (stat(path, &st) || !S_ISCHR(st.st_mode))
			continue;
		if (faccessat(AT_FDCWD, path, R_OK | W_OK, AT_EACCESS))
			err = errno;
		else if (ctl && (fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY)) < 0)
			err = errno;
		else if (ctl)
			close(fd);
		if (err != EACCES && err != EPERM)
			continue;
		snprintf(word, sizeof(word), "%s:%s(mode=%04o,uid=%u,gid=%u)", path,
			 err == EACCES ? "EACCES" : "EPERM",
			 (unsigned int)(st.st_mode & 07777), (unsigned int)st.st_uid,
			 (unsigned int)st.st_gid);
		words_append(denied, sizeof(denied), word);
	}
	closedir(dev);
	if (denied[0])
		fact_set_str(r, F_CUDA_DEVICE_ACCESS, denied, SRC_CUDA_PROBE, "open");
}

void cuda_env_before(struct report *r)
{
	const char *v;

	if ((v = getenv("CUDA_VISIBLE_DEVICES")))
		fact_set_str(r, F_CUDA_VISIBLE_DEVICES, v, SRC_CUDA_PROBE, FROM_ENV);
	if ((v = getenv("CUDA_DEVICE_ORDER")))
		fact_set_str(r, F_CUDA_DEVICE_ORDER, v, SRC_CUDA_PROBE, FROM_ENV);
	device_facts(r);
}

void cuda_env_after(struct report *r, const struct cuda_probe_result *p,
		    double timeout_s)
{
	static struct cuda_probe_result again;
	struct rlimit was[NR_LIMITS];

	gpu_facts(r, p);
	if (!limit_facts(r, was) || p->outcome == CUDA_PROBE_OK ||
	    p->outcome == CUDA_PROBE_NOT_RUN || p->outcome == CUDA_PROBE_WRONG_DATA)
		return;
	if (!raise_limits(was))
		return;
	cuda_probe_run(timeout_s, &again);
	restore_limits(was);
	fact_set_str(r, F_CUDA_PROBE_LIMITS_RAISED, cuda_probe_outcome_id(again.outcome),
		     SRC_CUDA_PROBE, "setrlimit");
}
