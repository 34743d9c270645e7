// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the --explain reader: any bytes as a saved report
 * file, then, when they are accepted, the rules and every output format,
 * as dom0gpu-stat --explain FILE would run them.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "output.h"
#include "report_load.h"
#include "report.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct report r;
	char path[64], err[512];
	int fd = memfd_create("report", 0);
	FILE *null;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	report_init(&r);
	if (!explain_load(path, &r, err, sizeof(err))) {
		rules_evaluate(&r);
		null = fopen("/dev/null", "w");
		if (null) {
			out_human(null, &r, false);
			out_json(null, &r);
			out_prometheus(null, &r);
			out_dump(null, &r);
			fclose(null);
		}
	}
	report_free(&r);
	close(fd);
	return 0;
}
