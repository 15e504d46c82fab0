/*
 * schemacheck.c - run the schema validator alone, for tests/schema.t.
 *
 *   schemacheck [-f toml|yaml|json] FILE...   validate each file
 *   schemacheck --schema                       check the built-in schema
 *   schemacheck --schema-text                  print the built-in schema
 *
 * Files are read with source_load() (syntax from the name or content
 * unless -f forces it) and checked with schema_check() only: no profile
 * IR, so the messages seen are the schema's own.  Diagnostics go to
 * stderr as jailc prints them.
 *
 * --schema loads the built-in schema the way schema_check() does (which
 * dies on a keyword it does not implement, a pattern that does not
 * compile or a default that does not validate), then walks it on its
 * own: every "$ref" must name an existing "#/$defs/" entry and every
 * entry must be used.  It prints one line per finding and a summary.
 *
 * Exit status: 0 when valid, 1 after errors, 2 on misuse.
 */
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"
#include "schema.h"

extern const unsigned char jail_schema[];
extern const size_t jail_schema_len;

static const char usage[] = "usage: schemacheck [-f toml|yaml|json] FILE...\n"
                            "       schemacheck --schema\n"
                            "       schemacheck --schema-text\n";

struct refwalk {
	const struct doc_node *defs;
	unsigned *used; /* per $defs member */
	unsigned nrefs, bad;
};

/* Visit every "$ref" under n, wherever it sits. */
static void
walk_refs(struct refwalk *w, const struct doc_node *n, const char *path)
{
	size_t i;

	if (n->type == DOC_ARRAY)
		for (i = 0; i < n->u.array.n; i++)
			walk_refs(w, n->u.array.v[i],
			    arena_printf("%s/%zu", path, i));
	if (n->type != DOC_TABLE)
		return;
	for (i = 0; i < n->u.table.n; i++) {
		const struct doc_member *m = &n->u.table.v[i];
		const char *name;
		size_t j;

		walk_refs(w, m->val, arena_printf("%s/%s", path, m->key));
		if (strcmp(m->key, "$ref") != 0)
			continue;
		w->nrefs++;
		if (m->val->type != DOC_STRING ||
		    strncmp(m->val->u.str.s, "#/$defs/", 8) != 0) {
			printf("%s: $ref is not a local #/$defs/ reference\n",
			    path);
			w->bad++;
			continue;
		}
		name = m->val->u.str.s + 8;
		for (j = 0; w->defs != NULL && j < w->defs->u.table.n; j++)
			if (strcmp(w->defs->u.table.v[j].key, name) == 0)
				break;
		if (w->defs == NULL || j == w->defs->u.table.n) {
			printf("%s: $ref %s does not resolve\n", path,
			    m->val->u.str.s);
			w->bad++;
			continue;
		}
		w->used[j]++;
	}
}

static int
check_builtin(void)
{
	struct doc_node *root, *empty;
	struct refwalk w;
	size_t j;

	/* schema_check() loads and checks the schema, or dies */
	empty = doc_new(DOC_TABLE, NULL);
	(void)schema_check(empty);
	diag_reset();

	root = json_parse(
	    "jail.schema.json", (const char *)jail_schema, jail_schema_len);
	if (root == NULL) {
		diag_flush(stderr, DIAGFMT_TEXT, 0);
		return 1;
	}
	memset(&w, 0, sizeof(w));
	w.defs = doc_get(root, "$defs");
	if (w.defs != NULL && w.defs->type == DOC_TABLE)
		w.used = arena_alloc((w.defs->u.table.n + 1) * sizeof(*w.used));
	else
		w.defs = NULL;
	walk_refs(&w, root, "#");
	for (j = 0; w.defs != NULL && j < w.defs->u.table.n; j++)
		if (w.used[j] == 0) {
			printf("#/$defs/%s: never used\n",
			    w.defs->u.table.v[j].key);
			w.bad++;
		}
	printf("%u refs, %zu defs, %u problems\n", w.nrefs,
	    w.defs != NULL ? w.defs->u.table.n : 0, w.bad);
	return w.bad > 0;
}

int
main(int argc, char **argv)
{
	enum doc_format fmt = FORMAT_AUTO;
	int i = 1, rc = 0;

	if (argc == 2 && strcmp(argv[1], "--schema") == 0) {
		rc = check_builtin();
		arena_free_all();
		return rc;
	}
	if (argc == 2 && strcmp(argv[1], "--schema-text") == 0) {
		fwrite(jail_schema, 1, jail_schema_len, stdout);
		return ferror(stdout) ? 1 : 0;
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

		if (root != NULL)
			(void)schema_check(root);
	}
	rc = diag_errors() > 0;
	diag_flush(stderr, DIAGFMT_TEXT, 0);
	diag_reset();
	schema_reset();
	arena_free_all();
	return rc;
}
