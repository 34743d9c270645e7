// SPDX-License-Identifier: GPL-2.0
/*
 * NVML through dlopen(), as the probe loads libcuda. Signatures and values
 * from NVIDIA's nvml.h: nvmlReturn_t is an enum with NVML_SUCCESS 0;
 * nvmlEnableState_t has NVML_FEATURE_DISABLED 0 and NVML_FEATURE_ENABLED 1;
 * nvmlDeviceGetMigMode's modes are NVML_DEVICE_MIG_DISABLE 0 and
 * NVML_DEVICE_MIG_ENABLE 1; nvmlPciInfo_t (the _v3 layout) is busIdLegacy[16],
 * domain, bus, device, pciDeviceId, pciSubSystemId, busId[32]. A GPU
 * without MIG answers nvmlDeviceGetMigMode with NVML_ERROR_NOT_SUPPORTED.
 */
#include <stdio.h>
#include <string.h>

#include "dynload.h"
#include "src_nvml.h"

#define NVML_LIB		"libnvidia-ml.so.1"
#define NVML_SUCCESS		0
#define NVML_FEATURE_DISABLED	0
#define NVML_DEVICE_MIG_ENABLE	1

typedef int nvml_return;
typedef struct nvml_device *nvml_device;

struct nvml_pci_info {
	char bus_id_legacy[16];
	unsigned int domain;
	unsigned int bus;
	unsigned int device;
	unsigned int pci_device_id;
	unsigned int pci_subsystem_id;
	char bus_id[32];
};

struct nvml_api {
	nvml_return (*init)(void);
	nvml_return (*shutdown)(void);
	nvml_return (*count)(unsigned int *n);
	nvml_return (*handle)(unsigned int index, nvml_device *dev);
	nvml_return (*pci_info)(nvml_device dev, struct nvml_pci_info *pci);
	nvml_return (*persistence)(nvml_device dev, int *mode);
	nvml_return (*mig)(nvml_device dev, unsigned int *current, unsigned int *pending);
};

static const char *bind(void *lib, struct nvml_api *api)
{
	static const char *const names[] = {
		"nvmlInit_v2", "nvmlShutdown", "nvmlDeviceGetCount_v2",
		"nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetPciInfo_v3",
		"nvmlDeviceGetPersistenceMode", "nvmlDeviceGetMigMode",
	};
	void *fn[sizeof(names) / sizeof(names[0])];
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!(fn[i] = dynload_sym(lib, names[i])))
			return names[i];
	/* POSIX: a function's address round-trips through void *. */
	memcpy(&api->init, &fn[0], sizeof(fn[0]));
	memcpy(&api->shutdown, &fn[1], sizeof(fn[1]));
	memcpy(&api->count, &fn[2], sizeof(fn[2]));
	memcpy(&api->handle, &fn[3], sizeof(fn[3]));
	memcpy(&api->pci_info, &fn[4], sizeof(fn[4]));
	memcpy(&api->persistence, &fn[5], sizeof(fn[5]));
	memcpy(&api->mig, &fn[6], sizeof(fn[6]));
	return NULL;
}

/* The modes of every GPU NVML counts, by PCI address; GPUs it cannot
 * read are left out of both lists. */
static void gpu_modes(struct report *r, const struct nvml_api *api)
{
	char pm_off[512] = "", mig_on[512] = "";
	unsigned int i, n = 0;

	if (api->count(&n) != NVML_SUCCESS)
		n = 0;
	for (i = 0; i < n; i++) {
		struct nvml_pci_info pci;
		unsigned int cur, pending;
		nvml_device dev;
		char bus[24];
		int pm;

		memset(&pci, 0, sizeof(pci));
		if (api->handle(i, &dev) != NVML_SUCCESS ||
		    api->pci_info(dev, &pci) != NVML_SUCCESS)
			continue;
		/* GPUs are function 0; the same form as the PCI scan's slots */
		snprintf(bus, sizeof(bus), "%04x:%02x:%02x.0", pci.domain & 0xffff,
			 pci.bus & 0xff, pci.device & 0x1f);
		if (api->persistence(dev, &pm) == NVML_SUCCESS && pm == NVML_FEATURE_DISABLED)
			words_append(pm_off, sizeof(pm_off), bus);
		if (api->mig(dev, &cur, &pending) == NVML_SUCCESS &&
		    cur == NVML_DEVICE_MIG_ENABLE)
			words_append(mig_on, sizeof(mig_on), bus);
	}
	fact_set_str(r, F_CUDA_PERSISTENCE_OFF, pm_off, SRC_CUDA_PROBE,
		     "nvmlDeviceGetPersistenceMode");
	fact_set_str(r, F_CUDA_MIG_ENABLED, mig_on, SRC_CUDA_PROBE, "nvmlDeviceGetMigMode");
}

void nvml_facts(struct report *r)
{
	struct nvml_api api;
	const char *missing;
	char why[300];
	void *lib = dynload_open(NVML_LIB);
	nvml_return rc;

	memset(&api, 0, sizeof(api));
	if (!lib) {
		snprintf(why, sizeof(why), "no %s: %s", NVML_LIB, dynload_error());
		fact_set_str(r, F_CUDA_NVML, why, SRC_CUDA_PROBE, "dlopen");
		return;
	}
	if ((missing = bind(lib, &api))) {
		snprintf(why, sizeof(why), "%s lacks %s", NVML_LIB, missing);
		fact_set_str(r, F_CUDA_NVML, why, SRC_CUDA_PROBE, "dlsym");
	} else if ((rc = api.init()) != NVML_SUCCESS) {
		snprintf(why, sizeof(why), "nvmlInit_v2 returned %d", rc);
		fact_set_str(r, F_CUDA_NVML, why, SRC_CUDA_PROBE, "nvmlInit_v2");
	} else {
		fact_set_str(r, F_CUDA_NVML, "ok", SRC_CUDA_PROBE, "nvmlInit_v2");
		gpu_modes(r, &api);
		api.shutdown();
	}
	dynload_close(lib);
}
