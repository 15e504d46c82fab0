/*
 * toml_decoder.c - the toml-test decoder interface to the TOML front end.
 *
 * Reads TOML on stdin and writes toml-test's tagged JSON on stdout (every
 * scalar as {"type": ..., "value": "..."}); exit 0.  Invalid input: the
 * diagnostics on stderr, exit 1.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"

/* The shortest %g form that reads back as the same double. */
static void
put_float(struct buf *b, double f)
{
	char tmp[64];
	int prec;

	if (isnan(f)) {
		buf_puts(b, "nan");
		return;
	}
	if (isinf(f)) {
		buf_puts(b, f < 0 ? "-inf" : "inf");
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	snprintf(tmp, sizeof(tmp), "%.*g", prec, f);
	buf_puts(b, tmp);
}

static void
put_tagged(struct buf *b, const char *type, const char *val, size_t len)
{
	buf_puts(b, "{\"type\":\"");
	buf_puts(b, type);
	buf_puts(b, "\",\"value\":");
	buf_json_string(b, val, len);
	buf_putc(b, '}');
}

/* Depth is bounded by the parser's DOC_MAX_DEPTH, so recursion is safe. */
static void
emit(struct buf *b, const struct doc_node *n)
{
	struct buf v = { 0 };
	size_t i;

	switch (n->type) {
	case DOC_TABLE:
		buf_putc(b, '{');
		for (i = 0; i < n->u.table.n; i++) {
			const struct doc_member *m = &n->u.table.v[i];

			if (i > 0)
				buf_putc(b, ',');
			buf_json_string(b, m->key, m->keylen);
			buf_putc(b, ':');
			emit(b, m->val);
		}
		buf_putc(b, '}');
		break;
	case DOC_ARRAY:
		buf_putc(b, '[');
		for (i = 0; i < n->u.array.n; i++) {
			if (i > 0)
				buf_putc(b, ',');
			emit(b, n->u.array.v[i]);
		}
		buf_putc(b, ']');
		break;
	case DOC_STRING:
	case DOC_DATETIME:
	case DOC_DATETIME_LOCAL:
	case DOC_DATE_LOCAL:
	case DOC_TIME_LOCAL:
		put_tagged(b, doc_type_name(n->type), n->u.str.s, n->u.str.len);
		break;
	case DOC_INTEGER:
		buf_printf(&v, "%" PRId64, n->u.i);
		put_tagged(b, "integer", v.s, v.len);
		break;
	case DOC_FLOAT:
		put_float(&v, n->u.f);
		put_tagged(b, "float", v.s, v.len);
		break;
	case DOC_BOOL:
		put_tagged(
		    b, "bool", n->u.b ? "true" : "false", n->u.b ? 4 : 5);
		break;
	case DOC_NULL:
		fatal("null value in a TOML tree");
	}
}

int
main(int argc, char **argv)
{
	struct doc_node *root;
	struct buf out = { 0 };
	size_t len;
	char *text;
	int minor = 0;

	if (argc == 3 && strcmp(argv[1], "--toml") == 0 &&
	    (strcmp(argv[2], "1.0") == 0 || strcmp(argv[2], "1.1") == 0))
		minor = argv[2][2] - '0';
	else if (argc != 1) {
		fputs("usage: toml-decoder [--toml 1.0|1.1] < FILE\n", stderr);
		return 2;
	}

	if ((text = read_file("-", &len)) == NULL)
		fatal("stdin:");
	diag_source("stdin", text, len);
	root = toml_parse_version("stdin", text, len, minor);
	if (root == NULL || diag_errors() > 0) {
		diag_flush(stderr, DIAGFMT_TEXT, 0);
		arena_free_all();
		return 1;
	}
	emit(&out, root);
	buf_putc(&out, '\n');
	fwrite(out.s, 1, out.len, stdout);
	arena_free_all();
	return fflush(stdout) == 0 ? 0 : 2;
}
