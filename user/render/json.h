/* SPDX-License-Identifier: GPL-2.0 */
/* Streaming JSON writer shaped like bpftool's json_writer: commas, escaping, indentation inside. */
#ifndef CT_JSON_H
#define CT_JSON_H

#include <stdbool.h>
#include <stdio.h>

/*
 * A writer emits one value at a time; ct_json_key() in an object is followed by exactly one value
 * (a scalar or a whole object/array). Nesting depth is unlimited. Values written at the top level
 * one after another are separated by a newline (JSON Lines). Strings always come out as valid
 * UTF-8 JSON: '"', '\\', every byte < 0x20 and 0x7f are escaped, and each byte that is not part
 * of a valid UTF-8 sequence is written as \u00XX (as if it were Latin-1). Write errors are left in
 * the stream's error flag for the caller's ferror()/fclose().
 */
struct ct_json;

/*
 * Create a writer on @f (not owned: ct_json__free() does not close it).
 * @pretty: 2-space indentation and "key": value, one member per line
 * @return the writer, or NULL with errno set (EINVAL for a NULL @f, ENOMEM)
 */
struct ct_json *ct_json__new(FILE *f, bool pretty);

/* Free @j (NULL is fine), first ending the document with '\n' if anything was written. */
void ct_json__free(struct ct_json *j);

void ct_json_start_object(struct ct_json *j);
void ct_json_end_object(struct ct_json *j);
void ct_json_start_array(struct ct_json *j);
void ct_json_end_array(struct ct_json *j);

/* A member name inside an object; the next call must write its value. */
void ct_json_key(struct ct_json *j, const char *key);

/* A string value; NULL writes null. */
void ct_json_string(struct ct_json *j, const char *s);
void ct_json_int(struct ct_json *j, long long v);
void ct_json_uint(struct ct_json *j, unsigned long long v);
/* A number in %.9g form with '.' whatever the locale; NaN and infinities write null. */
void ct_json_double(struct ct_json *j, double v);
void ct_json_bool(struct ct_json *j, bool v);
void ct_json_null(struct ct_json *j);

/* ct_json_key() and the value in one call. */
void ct_json_kv_string(struct ct_json *j, const char *key, const char *s);
void ct_json_kv_int(struct ct_json *j, const char *key, long long v);
void ct_json_kv_uint(struct ct_json *j, const char *key, unsigned long long v);
void ct_json_kv_double(struct ct_json *j, const char *key, double v);
void ct_json_kv_bool(struct ct_json *j, const char *key, bool v);

#endif /* CT_JSON_H */
