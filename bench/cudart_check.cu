// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The check people write by hand with the CUDA runtime: select GPU 0,
 * allocate, copy there and back, compare. Built with nvcc on the GPU
 * machine for the side-by-side benchmark.
 */
#include <cstdio>
#include <cstring>

#include <cuda_runtime.h>

#define BYTES (1u << 20)

static unsigned char src[BYTES], dst[BYTES];

int main()
{
	void *d;
	cudaError_t err;

	memset(src, 0xa5, BYTES);
	if ((err = cudaSetDevice(0)) != cudaSuccess ||
	    (err = cudaMalloc(&d, BYTES)) != cudaSuccess ||
	    (err = cudaMemcpy(d, src, BYTES, cudaMemcpyHostToDevice)) != cudaSuccess ||
	    (err = cudaMemcpy(dst, d, BYTES, cudaMemcpyDeviceToHost)) != cudaSuccess) {
		printf("CUDA error %d: %s\n", err, cudaGetErrorString(err));
		return 1;
	}
	if (memcmp(src, dst, BYTES)) {
		printf("copy mismatch\n");
		return 1;
	}
	cudaFree(d);
	printf("ok\n");
	return 0;
}
