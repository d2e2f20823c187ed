// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the workload lab's parsing of a workload's one-line JSON result
 * (parse_result() and field() in user/lab/lab.c). They are static there, so this file includes
 * lab.c itself; the fuzzers link user/ objects from an archive, from which lab.o is then never
 * pulled (every symbol it defines is defined here). Input: the line the workload printed.
 */
#include <stdint.h>
#include "../../user/lab/lab.c"	// NOLINT(bugprone-suspicious-include): on purpose

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_lab_cell *c;
	char *json;

	json = strndup((const char *)data, size);
	c = calloc(1, sizeof(*c));
	if (json && c && parse_result(json, c)) {
		/* the two required keys were there */
		if (!strstr(json, "\"wall_s\":") || !strstr(json, "\"throughput\":"))
			abort();
	}
	free(c);
	free(json);
	return 0;
}
