// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The baseline for the probe's cost: the same CUDA driver calls, on GPU 0
 * only, in one process, with no isolation, timing or reporting. Prints
 * "ok" or the first failing call. The probe must stay within 5 % of it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cuda_work.h"

static struct cuda_api cu;

static void check(const char *call, CUresult rc)
{
	if (rc == CUDA_SUCCESS)
		return;
	printf("%s failed: %d\n", call, rc);
	exit(1);
}

int main(void)
{
	void *lib = dynload_open(CUDA_LIBRARY);
	int version, count;

	if (!lib || cuda_api_load(lib, &cu)) {
		printf("cannot load %s\n", CUDA_LIBRARY);
		return 1;
	}
	check("cuInit", cu.Init(0));
	check("cuDriverGetVersion", cu.DriverGetVersion(&version));
	check("cuDeviceGetCount", cu.DeviceGetCount(&count));
	if (cuda_work(&cu, 0, 0, NULL))
		return 1;
	printf("ok\n");
	return 0;
}
