// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A stand-in libnvidia-ml.so.1 for the probe's tests: the entry points
 * src_nvml.c calls, with the types and values of NVIDIA's nvml.h
 * (nvmlPciInfo_t in its _v3 layout, NVML_FEATURE_DISABLED/ENABLED 0/1,
 * NVML_DEVICE_MIG_DISABLE/ENABLE 0/1, NVML_ERROR_NOT_SUPPORTED 3 from
 * nvmlDeviceGetMigMode on a GPU without MIG). GPU i sits at 0000:(41+i):00.0,
 * as in the stand-in libcuda. Scripted by the environment:
 *
 *   FAKE_NVML_PM=DIGITS    persistence mode of GPU 0, 1, ... (one digit
 *                          each, 0 off, 1 on); its length is the GPU count
 *                          (default "1": one GPU, persistence mode on)
 *   FAKE_NVML_MIG=CHARS    MIG mode of each GPU: 0 disabled, 1 enabled,
 *                          - no MIG (NOT_SUPPORTED); default all -
 *   FAKE_NVML_INIT=CODE    nvmlInit_v2 returns CODE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))
#define NVML_SUCCESS			0
#define NVML_ERROR_INVALID_ARGUMENT	2
#define NVML_ERROR_NOT_SUPPORTED	3

typedef int nvmlReturn_t;
typedef struct nvml_device *nvmlDevice_t;

typedef struct {
	char busIdLegacy[16];
	unsigned int domain;
	unsigned int bus;
	unsigned int device;
	unsigned int pciDeviceId;
	unsigned int pciSubSystemId;
	char busId[32];
} nvmlPciInfo_t;

static const char *pm(void)
{
	const char *v = getenv("FAKE_NVML_PM");

	return v && *v ? v : "1";
}

/* A handle is its index plus one, never NULL. */
static int index_of(nvmlDevice_t dev)
{
	long i = (long)(size_t)dev - 1;

	return i >= 0 && i < (long)strlen(pm()) ? (int)i : -1;
}

EXPORT nvmlReturn_t nvmlInit_v2(void)
{
	const char *v = getenv("FAKE_NVML_INIT");

	return v ? atoi(v) : NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlShutdown(void)
{
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *n)
{
	*n = (unsigned int)strlen(pm());
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t *dev)
{
	if (i >= strlen(pm()))
		return NVML_ERROR_INVALID_ARGUMENT;
	*dev = (nvmlDevice_t)(size_t)(i + 1);
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t dev, nvmlPciInfo_t *pci)
{
	int i = index_of(dev);

	if (i < 0)
		return NVML_ERROR_INVALID_ARGUMENT;
	memset(pci, 0, sizeof(*pci));
	pci->bus = 0x41 + (unsigned int)i;
	pci->pciDeviceId = 0x233010de;
	/* NVML's own form: an eight-digit domain, capitals */
	snprintf(pci->busId, sizeof(pci->busId), "00000000:%02X:00.0", pci->bus);
	snprintf(pci->busIdLegacy, sizeof(pci->busIdLegacy), "0000:%02X:00.0", pci->bus);
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetPersistenceMode(nvmlDevice_t dev, int *mode)
{
	int i = index_of(dev);

	if (i < 0)
		return NVML_ERROR_INVALID_ARGUMENT;
	*mode = pm()[i] == '1';
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t dev, unsigned int *current,
					 unsigned int *pending)
{
	const char *mig = getenv("FAKE_NVML_MIG");
	int i = index_of(dev);

	if (i < 0)
		return NVML_ERROR_INVALID_ARGUMENT;
	if (!mig || (size_t)i >= strlen(mig) || mig[i] == '-')
		return NVML_ERROR_NOT_SUPPORTED;
	*current = *pending = mig[i] == '1';
	return NVML_SUCCESS;
}
