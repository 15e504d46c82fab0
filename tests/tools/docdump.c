/*
 * docdump.c - print the document tree a front end builds, with positions.
 *
 *   docdump [-f toml|yaml|json] FILE...   one line per node (below)
 *   docdump --equal A B                   "equal" or "different"
 *   docdump --detect FILE                 the syntax source_detect() picks
 *
 * Each node is one line: its path from the root ("$", "$.env.allow[0]",
 * "$[\"odd key\"]"), the key's position for table members, the value's
 * position, its type and, for scalars, its value:
 *
 *   $.version key@1:1 @1:10 integer 1
 *
 * Files are read with source_load(), so the syntax comes from the name or
 * the content unless -f forces it; "-" is standard input.  Diagnostics go
 * to stderr as jailc prints them.  Exit status: 0 when nothing failed
 * (warnings allowed), 1 after errors or for different trees, 2 on misuse.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"

static const char usage[] = "usage: docdump [-f toml|yaml|json] FILE...\n"
                            "       docdump --equal A B\n"
                            "       docdump --detect FILE\n";

static int
is_bare(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		        s[i] == '-'))
			return 0;
	return 1;
}

/* Print n and everything below it; depth is bounded by DOC_MAX_DEPTH. */
static void
dump(struct buf *out, struct buf *path, const struct pos *keypos,
    const struct doc_node *n)
{
	size_t i, mark = path->len;

	buf_add(out, path->s, path->len);
	if (keypos != NULL)
		buf_printf(out, " key@%u:%u", keypos->line, keypos->col);
	buf_printf(
	    out, " @%u:%u %s", n->pos.line, n->pos.col, doc_type_name(n->type));
	switch (n->type) {
	case DOC_TABLE:
		buf_putc(out, '\n');
		for (i = 0; i < n->u.table.n; i++) {
			const struct doc_member *m = &n->u.table.v[i];

			if (is_bare(m->key, m->keylen)) {
				buf_putc(path, '.');
				buf_add(path, m->key, m->keylen);
			} else {
				buf_putc(path, '[');
				buf_json_string(path, m->key, m->keylen);
				buf_putc(path, ']');
			}
			dump(out, path, &m->keypos, m->val);
			path->len = mark;
			path->s[mark] = '\0';
		}
		return;
	case DOC_ARRAY:
		buf_putc(out, '\n');
		for (i = 0; i < n->u.array.n; i++) {
			buf_printf(path, "[%zu]", i);
			dump(out, path, NULL, n->u.array.v[i]);
			path->len = mark;
			path->s[mark] = '\0';
		}
		return;
	case DOC_STRING:
	case DOC_DATETIME:
	case DOC_DATETIME_LOCAL:
	case DOC_DATE_LOCAL:
	case DOC_TIME_LOCAL:
		buf_putc(out, ' ');
		buf_json_string(out, n->u.str.s, n->u.str.len);
		break;
	case DOC_INTEGER:
		buf_printf(out, " %" PRId64, n->u.i);
		break;
	case DOC_FLOAT:
		if (isnan(n->u.f))
			buf_puts(out, " nan");
		else if (isinf(n->u.f))
			buf_puts(out, n->u.f < 0 ? " -inf" : " inf");
		else
			buf_printf(out, " %.17g", n->u.f);
		break;
	case DOC_BOOL:
		buf_puts(out, n->u.b ? " true" : " false");
		break;
	case DOC_NULL:
		break;
	}
	buf_putc(out, '\n');
}

static const char *
format_name(enum doc_format f)
{
	switch (f) {
	case FORMAT_TOML:
		return "toml";
	case FORMAT_YAML:
		return "yaml";
	case FORMAT_JSON:
		return "json";
	case FORMAT_AUTO:
		break;
	}
	return "ambiguous";
}

/* Flush diagnostics, free everything, and return rc. */
static int
finish(int rc)
{
	diag_flush(stderr, DIAGFMT_TEXT, 0);
	if (fflush(stdout) != 0)
		rc = 2;
	if (diag_errors() > 0 && rc == 0)
		rc = 1;
	arena_free_all();
	return rc;
}

int
main(int argc, char **argv)
{
	enum doc_format fmt = FORMAT_AUTO;
	struct buf out = { 0 }, path = { 0 };
	int i = 1, rc = 0;

	if (argc == 4 && strcmp(argv[1], "--equal") == 0) {
		struct doc_node *a = source_load(argv[2], FORMAT_AUTO);
		struct doc_node *b = source_load(argv[3], FORMAT_AUTO);

		if (a == NULL || b == NULL)
			return finish(1);
		rc = doc_equal(a, b) == 0 ? 0 : 1;
		puts(rc == 0 ? "equal" : "different");
		return finish(rc);
	}
	if (argc == 3 && strcmp(argv[1], "--detect") == 0) {
		const char *file =
		    strcmp(argv[2], "-") == 0 ? "<stdin>" : argv[2];
		size_t len;
		char *text = read_file(argv[2], &len);

		if (text == NULL)
			fatal("%s:", argv[2]);
		diag_source(file, text, len);
		puts(format_name(source_detect(file, text, len)));
		return finish(0);
	}
	if (argc > 2 && strcmp(argv[1], "-f") == 0) {
		if (strcmp(argv[2], "toml") == 0)
			fmt = FORMAT_TOML;
		else if (strcmp(argv[2], "yaml") == 0)
			fmt = FORMAT_YAML;
		else if (strcmp(argv[2], "json") == 0)
			fmt = FORMAT_JSON;
		else {
			fputs(usage, stderr);
			return 2;
		}
		i = 3;
	}
	if (i >= argc || (argv[i][0] == '-' && argv[i][1] != '\0')) {
		fputs(usage, stderr);
		return 2;
	}
	for (; i < argc; i++) {
		struct doc_node *root = source_load(argv[i], fmt);

		if (root == NULL) {
			rc = 1;
			continue;
		}
		buf_puts(&path, "$");
		dump(&out, &path, NULL, root);
		path.len = 0;
		fwrite(out.s, 1, out.len, stdout);
		out.len = 0;
	}
	return finish(rc);
}
