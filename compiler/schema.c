/*
 * schema.c - validating a profile against schema/jail.schema.json.
 *
 * The schema is data compiled into jailc (build/schema_data.c) and parsed
 * with the JSON front end on first use.  This is a validator for the part
 * of JSON Schema 2020-12 the schema uses; a keyword it does not know is a
 * fatal error, so the schema cannot say something the compiler ignores.
 *
 * Every violation is reported, each at the offending value (or key), with
 * a location such as mount[2].dest.  List indices in messages count from
 * 1, as people count mounts in a file.
 */
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"
#include "schema.h"

extern const unsigned char jail_schema[];
extern const size_t jail_schema_len;

static struct doc_node *schema_root;

/* Compiled patterns, keyed by the schema node holding the pattern. */
struct regex {
	const struct doc_node *node;
	pcre2_code *code;
};
static struct regex *regexes;
static size_t nregexes, capregexes;

/* Where a value sits and whether to speak: trial validation of oneOf and
 * anyOf branches counts errors without reporting them. */
struct ctx {
	const char *where; /* "mount[2].dest", "" for the top level */
	int quiet;
	const struct doc_node *oneof; /* the oneOf array being tried, or NULL */
	const char *kind;             /* its chosen branch's kind key */
};

static unsigned validate(
    const struct doc_node *, const struct doc_node *, const struct ctx *);

static const char *
place(const struct ctx *c)
{
	return c->where[0] != '\0' ? c->where : "[top level]";
}

static const char *
child_where(const struct ctx *c, const char *key)
{
	return c->where[0] != '\0' ? arena_printf("%s.%s", c->where, key) : key;
}

static struct doc_node *
resolve_ref(const struct doc_node *ref)
{
	const char *s = ref->u.str.s;
	struct doc_node *n;

	if (strncmp(s, "#/$defs/", 8) != 0 ||
	    (n = doc_get(doc_get(schema_root, "$defs"), s + 8)) == NULL)
		fatal("schema: cannot resolve $ref %s", s);
	return n;
}

/* pcre2 allocates from the arena too, so compiled patterns share the
 * compilation's lifetime and need no freeing of their own. */
static void *
pcre_alloc(PCRE2_SIZE size, void *data)
{
	(void)data;
	return arena_alloc(size);
}

static void
pcre_free(void *p, void *data)
{
	(void)p;
	(void)data;
}

static pcre2_general_context *gctx;
static pcre2_compile_context *cctx;

static void
pcre_contexts_reset(void)
{
	gctx = NULL;
	cctx = NULL;
}

static pcre2_code *
regex_for(const struct doc_node *pat)
{
	size_t i;
	int err;
	PCRE2_SIZE off;
	pcre2_code *code;

	for (i = 0; i < nregexes; i++)
		if (regexes[i].node == pat)
			return regexes[i].code;
	if (gctx == NULL) {
		gctx =
		    pcre2_general_context_create(pcre_alloc, pcre_free, NULL);
		cctx = pcre2_compile_context_create(gctx);
		if (gctx == NULL || cctx == NULL)
			fatal("out of memory");
	}
	code = pcre2_compile((PCRE2_SPTR)pat->u.str.s, pat->u.str.len,
	    PCRE2_UTF, &err, &off, cctx);
	if (code == NULL)
		fatal("schema: pattern %s does not compile at offset %zu",
		    pat->u.str.s, (size_t)off);
	array_reserve(&regexes, &capregexes, nregexes + 1, sizeof(*regexes));
	regexes[nregexes].node = pat;
	regexes[nregexes].code = code;
	nregexes++;
	return code;
}

static int
regex_matches(const struct doc_node *pat, const char *s, size_t len)
{
	pcre2_code *code = regex_for(pat);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	int rc;

	if (md == NULL)
		fatal("out of memory");
	rc = pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

/* The word a person would use for a schema type. */
static const char *
type_word(const char *t)
{
	if (strcmp(t, "object") == 0)
		return "a table";
	if (strcmp(t, "array") == 0)
		return "a list";
	if (strcmp(t, "string") == 0)
		return "a string";
	if (strcmp(t, "integer") == 0)
		return "an integer";
	if (strcmp(t, "number") == 0)
		return "a number";
	if (strcmp(t, "boolean") == 0)
		return "true or false";
	return t;
}

static int
type_matches(const char *want, const struct doc_node *inst)
{
	const char *have = doc_schema_type(inst);

	return strcmp(want, have) == 0 ||
	    (strcmp(want, "number") == 0 && strcmp(have, "integer") == 0);
}

/* A short rendering of a scalar for messages. */
static const char *
show(const struct doc_node *n)
{
	switch (n->type) {
	case DOC_STRING:
	case DOC_DATETIME:
	case DOC_DATETIME_LOCAL:
	case DOC_DATE_LOCAL:
	case DOC_TIME_LOCAL:
		if (n->u.str.len > 40)
			return arena_printf("'%.37s...'", n->u.str.s);
		return arena_printf("'%s'", n->u.str.s);
	case DOC_INTEGER:
		return arena_printf("%lld", (long long)n->u.i);
	case DOC_FLOAT:
		return arena_printf("%g", n->u.f);
	case DOC_BOOL:
		return n->u.b ? "true" : "false";
	case DOC_TABLE:
		return "a table";
	case DOC_ARRAY:
		return "a list";
	case DOC_NULL:
		return "null";
	}
	return "?";
}

static size_t
codepoints(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* The keywords that carry no assertion. */
static int
is_annotation(const char *k)
{
	static const char *const names[] = { "title", "description", "default",
		"examples", "$comment", "$id", "$schema", "$defs", "deprecated",
		"markdownDescription" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(k, names[i]) == 0)
			return 1;
	return 0;
}

/* The closest property name of schema s to key, or NULL. */
static const char *
suggest(const struct doc_node *props, const char *key)
{
	const char *best = NULL;
	size_t i, bestd = (size_t)-1, limit = strlen(key) / 3 + 1;

	if (props == NULL)
		return NULL;
	if (limit > 2)
		limit = 2;
	for (i = 0; i < props->u.table.n; i++) {
		size_t d = edit_distance(key, props->u.table.v[i].key);

		if (d < bestd) {
			bestd = d;
			best = props->u.table.v[i].key;
		}
	}
	return bestd <= limit ? best : NULL;
}

/* Whether key is a property of some branch of the oneOf other than the
 * chosen one: then it is an option that does not apply here. */
static int
other_branch_knows(const struct ctx *c, const char *key)
{
	size_t i;

	for (i = 0; c->oneof != NULL && i < c->oneof->u.array.n; i++) {
		const struct doc_node *b = c->oneof->u.array.v[i];
		const struct doc_node *ref = doc_get(b, "$ref");

		if (ref != NULL)
			b = resolve_ref(ref);
		if (doc_get(doc_get(b, "properties"), key) != NULL)
			return 1;
	}
	return 0;
}

static unsigned
validate_object(
    const struct doc_node *s, const struct doc_node *inst, const struct ctx *c)
{
	const struct doc_node *props = doc_get(s, "properties");
	const struct doc_node *addl = doc_get(s, "additionalProperties");
	const struct doc_node *names = doc_get(s, "propertyNames");
	const struct doc_node *req = doc_get(s, "required");
	unsigned errs = 0;
	size_t i;

	for (i = 0; i < inst->u.table.n; i++) {
		const struct doc_member *m = &inst->u.table.v[i];
		const struct doc_node *ps = doc_get(props, m->key);
		struct ctx cc = { child_where(c, m->key), c->quiet, NULL,
			NULL };

		if (names != NULL) {
			struct doc_node keynode;

			memset(&keynode, 0, sizeof(keynode));
			keynode.type = DOC_STRING;
			keynode.pos = m->keypos;
			keynode.u.str.s = (char *)m->key;
			keynode.u.str.len = m->keylen;
			errs += validate(names, &keynode, &cc);
		}
		if (ps != NULL) {
			errs += validate(ps, m->val, &cc);
			continue;
		}
		if (addl == NULL)
			continue;
		if (addl->type == DOC_BOOL && !addl->u.b) {
			const char *hint;

			errs++;
			if (c->quiet)
				continue;
			if (c->kind != NULL && other_branch_knows(c, m->key))
				diag(&m->keypos, E_SCHEMA_UNKNOWN_KEY,
				    "option '%s' does not apply to a '%s' "
				    "entry",
				    m->key, c->kind);
			else if ((hint = suggest(props, m->key)) != NULL)
				diag(&m->keypos, E_SCHEMA_UNKNOWN_KEY,
				    "'%s' in %s; did you mean '%s'?", m->key,
				    place(c), hint);
			else
				diag(&m->keypos, E_SCHEMA_UNKNOWN_KEY,
				    "'%s' in %s", m->key, place(c));
			continue;
		}
		if (addl->type == DOC_TABLE)
			errs += validate(addl, m->val, &cc);
	}
	for (i = 0; req != NULL && i < req->u.array.n; i++) {
		const struct doc_node *k = req->u.array.v[i];

		if (doc_table_find(inst, k->u.str.s, k->u.str.len) != NULL)
			continue;
		errs++;
		if (!c->quiet)
			diag(&inst->pos, E_SCHEMA_REQUIRED, "'%s' in %s",
			    k->u.str.s, place(c));
	}
	return errs;
}

static unsigned
validate_array(
    const struct doc_node *s, const struct doc_node *inst, const struct ctx *c)
{
	const struct doc_node *items = doc_get(s, "items");
	const struct doc_node *n;
	unsigned errs = 0;
	size_t i, j;

	if ((n = doc_get(s, "minItems")) != NULL &&
	    inst->u.array.n < (size_t)n->u.i) {
		errs++;
		if (!c->quiet)
			diag(&inst->pos, E_SCHEMA_LENGTH,
			    "%s needs at least %lld entries", place(c),
			    (long long)n->u.i);
	}
	if ((n = doc_get(s, "maxItems")) != NULL &&
	    inst->u.array.n > (size_t)n->u.i) {
		errs++;
		if (!c->quiet)
			diag(&inst->pos, E_SCHEMA_LENGTH,
			    "%s takes at most %lld entries", place(c),
			    (long long)n->u.i);
	}
	for (i = 0; items != NULL && i < inst->u.array.n; i++) {
		struct ctx cc = { arena_printf("%s[%zu]", place(c), i + 1),
			c->quiet, NULL, NULL };

		errs += validate(items, inst->u.array.v[i], &cc);
	}
	if ((n = doc_get(s, "uniqueItems")) != NULL && n->u.b)
		for (i = 1; i < inst->u.array.n; i++)
			for (j = 0; j < i; j++) {
				if (doc_equal(inst->u.array.v[i],
				        inst->u.array.v[j]) != 0)
					continue;
				errs++;
				if (!c->quiet) {
					diag(&inst->u.array.v[i]->pos,
					    E_SCHEMA_UNIQUE, "%s in %s",
					    show(inst->u.array.v[i]), place(c));
					diag(&inst->u.array.v[j]->pos,
					    N_PREVIOUS, NULL);
				}
				break;
			}
	return errs;
}

/* The first "required" key of a oneOf branch: its kind. */
static const char *
branch_kind(const struct doc_node *b)
{
	const struct doc_node *ref = doc_get(b, "$ref");
	const struct doc_node *req;

	if (ref != NULL)
		b = resolve_ref(ref);
	req = doc_get(b, "required");
	return req != NULL && req->u.array.n > 0 ? req->u.array.v[0]->u.str.s
	                                         : NULL;
}

/*
 * oneOf.  When the branches are tables told apart by a kind key (the
 * mounts), the kind present in the value picks the branch, and that
 * branch's errors are the useful ones.  Otherwise count the branches the
 * value passes.
 */
static unsigned
validate_oneof(const struct doc_node *alts, const struct doc_node *inst,
    const struct ctx *c)
{
	size_t i, nfound = 0, npass = 0;
	const struct doc_node *chosen = NULL;
	struct buf found = { 0 }, all = { 0 };
	int kinds = inst->type == DOC_TABLE;

	for (i = 0; i < alts->u.array.n; i++) {
		const char *k = branch_kind(alts->u.array.v[i]);

		if (k == NULL) {
			kinds = 0;
			break;
		}
		buf_printf(&all, "%s%s", i > 0 ? ", " : "", k);
		if (kinds && doc_get(inst, k) != NULL) {
			buf_printf(
			    &found, "%s'%s'", nfound > 0 ? " and " : "", k);
			nfound++;
			chosen = alts->u.array.v[i];
		}
	}
	if (kinds) {
		struct ctx cc = *c;

		if (nfound == 1) {
			cc.oneof = alts;
			cc.kind = branch_kind(chosen);
			return validate(chosen, inst, &cc);
		}
		if (!c->quiet)
			diag(&inst->pos, E_SCHEMA_ONE_OF,
			    "%s has %s; it needs exactly one of: %s", place(c),
			    nfound > 0 ? found.s : "none", all.s);
		return 1;
	}
	for (i = 0; i < alts->u.array.n; i++) {
		struct ctx cc = *c;

		cc.quiet = 1;
		if (validate(alts->u.array.v[i], inst, &cc) == 0)
			npass++;
	}
	if (npass == 1)
		return 0;
	if (!c->quiet)
		diag(&inst->pos, E_SCHEMA_ONE_OF,
		    "%s matches %zu of the %zu alternatives", place(c), npass,
		    alts->u.array.n);
	return 1;
}

static unsigned
validate(
    const struct doc_node *s, const struct doc_node *inst, const struct ctx *c)
{
	const struct doc_node *n;
	unsigned errs = 0;
	size_t i;

	if (s->type == DOC_BOOL)
		return s->u.b ? 0 : 1;
	if (s->type != DOC_TABLE)
		fatal("schema: a schema must be an object at %s", place(c));

	/* A type mismatch makes every other keyword meaningless. */
	if ((n = doc_get(s, "type")) != NULL) {
		int ok = 0;

		if (n->type == DOC_STRING)
			ok = type_matches(n->u.str.s, inst);
		else
			for (i = 0; i < n->u.array.n && !ok; i++)
				ok = type_matches(
				    n->u.array.v[i]->u.str.s, inst);
		if (!ok) {
			if (!c->quiet)
				diag(&inst->pos, E_SCHEMA_TYPE,
				    "%s must be %s, not %s", place(c),
				    type_word(n->type == DOC_STRING
				            ? n->u.str.s
				            : n->u.array.v[0]->u.str.s),
				    type_word(doc_schema_type(inst)));
			return 1;
		}
	}

	for (i = 0; i < s->u.table.n; i++) {
		const char *k = s->u.table.v[i].key;
		const struct doc_node *v = s->u.table.v[i].val;

		if (is_annotation(k) || strcmp(k, "type") == 0)
			continue;
		if (strcmp(k, "$ref") == 0) {
			errs += validate(resolve_ref(v), inst, c);
		} else if (strcmp(k, "properties") == 0 ||
		    strcmp(k, "additionalProperties") == 0 ||
		    strcmp(k, "propertyNames") == 0 ||
		    strcmp(k, "required") == 0 || strcmp(k, "items") == 0 ||
		    strcmp(k, "minItems") == 0 || strcmp(k, "maxItems") == 0 ||
		    strcmp(k, "uniqueItems") == 0) {
			continue; /* handled per instance type below */
		} else if (strcmp(k, "enum") == 0 || strcmp(k, "const") == 0) {
			size_t j;
			int hit = 0;

			if (v->type == DOC_ARRAY && k[0] == 'e') {
				for (j = 0; j < v->u.array.n && !hit; j++)
					hit = doc_equal(
					          v->u.array.v[j], inst) == 0;
			} else {
				hit = doc_equal(v, inst) == 0;
			}
			if (hit)
				continue;
			errs++;
			if (c->quiet)
				continue;
			if (k[0] == 'c') {
				diag(&inst->pos, E_SCHEMA_CONST,
				    "%s for %s; it must be %s", show(inst),
				    place(c), show(v));
			} else {
				struct buf b = { 0 };

				for (j = 0; j < v->u.array.n; j++)
					buf_printf(&b, "%s%s",
					    j > 0 ? ", " : "",
					    show(v->u.array.v[j]));
				diag(&inst->pos, E_SCHEMA_ENUM,
				    "%s for %s; expected one of: %s",
				    show(inst), place(c), b.s);
			}
		} else if (strcmp(k, "pattern") == 0) {
			if (inst->type != DOC_STRING ||
			    regex_matches(v, inst->u.str.s, inst->u.str.len))
				continue;
			errs++;
			if (!c->quiet) {
				const struct doc_node *title =
				    doc_get(s, "title");

				diag(&inst->pos, E_SCHEMA_PATTERN,
				    "%s for %s is not a valid %s (%s)",
				    show(inst), place(c),
				    title ? title->u.str.s : "value",
				    v->u.str.s);
			}
		} else if (strcmp(k, "minLength") == 0 ||
		    strcmp(k, "maxLength") == 0) {
			size_t len;

			if (inst->type != DOC_STRING)
				continue;
			len = codepoints(inst->u.str.s, inst->u.str.len);
			if (k[1] == 'i' ? len >= (size_t)v->u.i
			                : len <= (size_t)v->u.i)
				continue;
			errs++;
			if (!c->quiet)
				diag(&inst->pos, E_SCHEMA_LENGTH,
				    "%s must be at %s %lld characters long",
				    place(c), k[1] == 'i' ? "least" : "most",
				    (long long)v->u.i);
		} else if (strcmp(k, "minimum") == 0 ||
		    strcmp(k, "maximum") == 0) {
			double x, lim;

			if (inst->type != DOC_INTEGER &&
			    inst->type != DOC_FLOAT)
				continue;
			x = inst->type == DOC_INTEGER ? (double)inst->u.i
			                              : inst->u.f;
			lim = v->type == DOC_INTEGER ? (double)v->u.i : v->u.f;
			if (k[1] == 'i' ? x >= lim : x <= lim)
				continue;
			errs++;
			if (!c->quiet)
				diag(&inst->pos, E_SCHEMA_RANGE,
				    "%s for %s; the %s is %g", show(inst),
				    place(c), k, lim);
		} else if (strcmp(k, "oneOf") == 0) {
			errs += validate_oneof(v, inst, c);
		} else if (strcmp(k, "anyOf") == 0) {
			size_t j;
			int hit = 0;

			for (j = 0; j < v->u.array.n && !hit; j++) {
				struct ctx cc = *c;

				cc.quiet = 1;
				hit = validate(v->u.array.v[j], inst, &cc) == 0;
			}
			if (!hit) {
				errs++;
				if (!c->quiet)
					diag(&inst->pos, E_SCHEMA_ONE_OF,
					    "%s matches none of the "
					    "alternatives",
					    place(c));
			}
		} else if (strcmp(k, "allOf") == 0) {
			size_t j;

			for (j = 0; j < v->u.array.n; j++)
				errs += validate(v->u.array.v[j], inst, c);
		} else {
			fatal("schema: unknown keyword '%s'", k);
		}
	}
	if (inst->type == DOC_TABLE)
		errs += validate_object(s, inst, c);
	else if (inst->type == DOC_ARRAY)
		errs += validate_array(s, inst, c);
	return errs;
}

void
schema_reset(void)
{
	schema_root = NULL;
	regexes = NULL;
	nregexes = capregexes = 0;
	pcre_contexts_reset();
}

static void
load_schema(void)
{
	if (schema_root != NULL)
		return;
	schema_root = json_parse(
	    "jail.schema.json", (const char *)jail_schema, jail_schema_len);
	if (schema_root == NULL) {
		diag_flush(stderr, DIAGFMT_TEXT, 0);
		fatal("the built-in schema does not parse");
	}
}

unsigned
schema_check(const struct doc_node *root)
{
	struct ctx c = { "", 0, NULL, NULL };

	load_schema();
	return validate(schema_root, root, &c);
}
