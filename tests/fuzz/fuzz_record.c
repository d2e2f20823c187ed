// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the recording parser (user/model/record.c): parse, and when the input is
 * accepted, diagnose and render it as text and JSON, as `conctrace report` would, so that a
 * value the parser lets through but a renderer cannot take shows up too. Seeds: corpus/record/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "analysis/diagnose.h"
#include "model/lab.h"
#include "model/record.h"
#include "render/lab_render.h"
#include "render/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct ct_render_opts ro = { .top = 10 };
	struct ct_recording rec;

	if (!null)
		null = fopen("/dev/null", "w");
	if (!ct_record__parse(data, size, &rec) && null) {
		ct_diagnose_recording(&rec);
		if (rec.kind == CT_REC_PROFILE) {
			ct_render(CT_FMT_TEXT, &rec.prof, &rec.diag, null, &ro);
			ct_render(CT_FMT_JSON, &rec.prof, &rec.diag, null, &ro);
		} else {
			rec.lab->format = CT_LAB_FMT_TEXT;
			ct_lab__render(rec.lab, null, false);
			rec.lab->format = CT_LAB_FMT_JSON;
			ct_lab__render(rec.lab, null, false);
		}
	}
	ct_recording__free(&rec);
	return 0;
}
