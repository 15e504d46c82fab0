/*
 * schema.c - validating a profile against schema/jail.schema.json.
 *
 * The schema is data compiled into jailc (build/schema_data.c) and parsed
 * with the JSON front end on first use.  This is a validator for the part
 * of JSON Schema 2020-12 the schema uses.  The schema itself is checked
 * when it is loaded: a keyword this file does not implement, a value of
 * the wrong shape, a $ref that does not resolve, a pattern that does not
 * compile or a default its own schema refuses is fatal, so the schema
 * cannot say something the compiler silently ignores.
 *
 * Every violation is reported, each at the offending value (or key), with
 * a location such as mount[2].dest.  List indices in messages count from
 * 1, as people count mounts in a file.  Values quoted in messages are
 * shortened and their control characters escaped: they come from the
 * profile, and a message must not be able to drive the terminal.
 *
 * Where this validator knowingly differs from the standard:
 * - "integer" means an integer in the document's own syntax: TOML 1.0 is
 *   a float, not the integer 1 (its type system says so).
 * - TOML dates and times match no type, though doc_schema_type() calls
 *   them strings: `name = 07:32:00` is a mistake, not a name.
 * - "enum", "const" and "uniqueItems" compare by doc_equal(): 1 and 1.0
 *   differ.
 * - "uniqueItems" compares the scalar entries of a list only: every list
 *   the schema wants unique holds scalars, and comparing tables would let
 *   hostile input (two huge equal tables) cost quadratic time.
 */
#include <stdint.h>
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
	pcre2_match_data *md;
};
static struct regex *regexes;
static size_t nregexes, capregexes;

static pcre2_general_context *gctx;
static pcre2_compile_context *cctx;

/* "Did you mean" costs an edit distance per candidate; a hostile file
 * with a million unknown keys gets suggestions for the first ones only. */
#define SCHEMA_MAX_SUGGEST 200
static unsigned nsuggest;

/* Where a value sits and whether to speak: trial validation of oneOf and
 * anyOf branches counts errors without reporting them. */
struct ctx {
	const char *where; /* "mount[2].dest", "" for the top level */
	const char *owner; /* for a key checked by propertyNames: its table */
	int quiet;
	const struct doc_node *branch; /* oneOf branch chosen by a kind key */
	const struct doc_node *alts;   /* ... and the oneOf it belongs to */
	const char *kind;              /* ... and that kind key */
};

static unsigned validate(
    const struct doc_node *, const struct doc_node *, const struct ctx *);

/*
 * Rendering for messages.
 */

/* Append s[0..len) to b with control characters, C1 controls, bidi
 * overrides and bytes that are not UTF-8 escaped, cut after max code
 * points (0: no limit). */
static void
put_safe(struct buf *b, const char *s, size_t len, size_t max)
{
	size_t i = 0, ncp = 0;

	buf_add(b, "", 0);
	while (i < len) {
		const unsigned char *u = (const unsigned char *)s + i;
		size_t n = utf8_seqlen(u, len - i);
		unsigned long cp;

		if (max > 0 && ncp++ == max) {
			buf_puts(b, "...");
			return;
		}
		if (n == 0) {
			buf_printf(b, "\\x%02X", u[0]);
			i++;
			continue;
		}
		cp = u[0];
		if (n == 2)
			cp = (u[0] & 0x1fUL) << 6 | (u[1] & 0x3fUL);
		else if (n == 3)
			cp = (u[0] & 0x0fUL) << 12 | (u[1] & 0x3fUL) << 6 |
			    (u[2] & 0x3fUL);
		if (cp == '\n')
			buf_puts(b, "\\n");
		else if (cp == '\t')
			buf_puts(b, "\\t");
		else if (cp < 0x20 || cp == 0x7f)
			buf_printf(b, "\\x%02lX", cp);
		else if ((cp >= 0x80 && cp < 0xa0) ||
		    (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			buf_printf(b, "\\u%04lX", cp);
		else
			buf_add(b, s + i, n);
		i += n;
	}
}

/* A value as a message quotes it: 'text', 3, 2.5, true. */
static const char *
show(const struct doc_node *n)
{
	struct buf b = { 0 };

	switch (n->type) {
	case DOC_STRING:
	case DOC_DATETIME:
	case DOC_DATETIME_LOCAL:
	case DOC_DATE_LOCAL:
	case DOC_TIME_LOCAL:
		buf_putc(&b, '\'');
		put_safe(&b, n->u.str.s, n->u.str.len, 40);
		buf_putc(&b, '\'');
		return b.s;
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

/* What a value is, for "must be X, not Y": a scalar is shown, so that
 * the string "true" reads differently from true. */
static const char *
describe(const struct doc_node *n)
{
	switch (n->type) {
	case DOC_STRING:
		return arena_printf("the string %s", show(n));
	case DOC_DATETIME:
	case DOC_DATETIME_LOCAL:
		return arena_printf("the date-time %s", show(n));
	case DOC_DATE_LOCAL:
		return arena_printf("the date %s", show(n));
	case DOC_TIME_LOCAL:
		return arena_printf("the time %s", show(n));
	case DOC_INTEGER:
		return arena_printf("the integer %s", show(n));
	case DOC_FLOAT:
		return arena_printf("the number %s", show(n));
	case DOC_BOOL:
	case DOC_TABLE:
	case DOC_ARRAY:
	case DOC_NULL:
		return show(n);
	}
	return "?";
}

/* The words a person would use for a schema type. */
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
	return "null";
}

/* A key as it appears in a location: bare when it is a plain word. */
static const char *
show_key(const char *key, size_t len)
{
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		           "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
		        key[i]) == NULL ||
		    key[i] == '\0')
			break;
	if (len > 0 && i == len)
		return arena_strndup(key, len);
	buf_putc(&b, '"');
	put_safe(&b, key, len, 40);
	buf_putc(&b, '"');
	return b.s;
}

static const char *
place(const struct ctx *c)
{
	return c->where[0] != '\0' ? c->where : "the top level";
}

static const char *
child_where(const struct ctx *c, const struct doc_member *m)
{
	const char *k = show_key(m->key, m->keylen);

	return c->where[0] != '\0' ? arena_printf("%s.%s", c->where, k) : k;
}

/* The subject of a message about inst: "name", or "key 'x' in env.set"
 * when inst is a key checked by propertyNames. */
static const char *
subject(const struct ctx *c, const struct doc_node *inst)
{
	if (c->owner != NULL)
		return arena_printf("key %s in %s", show(inst), c->owner);
	return place(c);
}

/*
 * The schema.
 */

static const struct doc_node *
resolve_ref(const struct doc_node *ref)
{
	const char *s = ref->u.str.s;
	const struct doc_node *n;

	if (strncmp(s, "#/$defs/", 8) != 0 ||
	    (n = doc_get(doc_get(schema_root, "$defs"), s + 8)) == NULL)
		fatal("schema: cannot resolve $ref %s", s);
	return n;
}

/* A schema with a top-level $ref followed (a branch is often only that). */
static const struct doc_node *
deref(const struct doc_node *s)
{
	const struct doc_node *ref;

	while (s->type == DOC_TABLE && (ref = doc_get(s, "$ref")) != NULL &&
	    s->u.table.n == 1)
		s = resolve_ref(ref);
	return s;
}

/* pcre2 allocates from the process arena, so compiled patterns live as
 * long as the schema they belong to and need no freeing of their own;
 * so does the memory pcre2_match() may add to a pattern's match data
 * while one profile's arena is in use. */
static void *
pcre_alloc(PCRE2_SIZE size, void *data)
{
	struct arena *outer = arena_switch(arena_process());
	void *p = arena_alloc(size);

	(void)data;
	arena_switch(outer);
	return p;
}

static void
pcre_free(void *p, void *data)
{
	(void)p;
	(void)data;
}

static struct regex *
regex_for(const struct doc_node *pat)
{
	struct arena *outer;
	struct regex *r;
	size_t i;
	int err;
	PCRE2_SIZE off;

	for (i = 0; i < nregexes; i++)
		if (regexes[i].node == pat)
			return &regexes[i];
	/* the patterns are compiled once, for every profile of the run */
	outer = arena_switch(arena_process());
	if (gctx == NULL) {
		gctx =
		    pcre2_general_context_create(pcre_alloc, pcre_free, NULL);
		cctx = pcre2_compile_context_create(gctx);
		if (gctx == NULL || cctx == NULL)
			fatal("out of memory");
	}
	array_reserve(&regexes, &capregexes, nregexes + 1, sizeof(*regexes));
	r = &regexes[nregexes];
	r->node = pat;
	/* JSON Schema patterns are ECMA-262 regular expressions, where '$'
	 * matches only at the very end: in PCRE's default it would also
	 * match before a final newline, letting "name\n" through. */
	r->code = pcre2_compile((PCRE2_SPTR)pat->u.str.s, pat->u.str.len,
	    PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &err, &off, cctx);
	if (r->code == NULL)
		fatal("schema: pattern %s does not compile at offset %zu",
		    pat->u.str.s, (size_t)off);
	r->md = pcre2_match_data_create_from_pattern(r->code, gctx);
	if (r->md == NULL)
		fatal("out of memory");
	nregexes++;
	arena_switch(outer);
	return r;
}

static int
regex_matches(const struct doc_node *pat, const char *s, size_t len)
{
	struct regex *r = regex_for(pat);

	/* a subject that is not UTF-8 is an error, so no match */
	return pcre2_match(r->code, (PCRE2_SPTR)s, len, 0, 0, r->md, NULL) >= 0;
}

/* What each keyword's value must look like. */
enum kwshape {
	KW_TEXT,       /* a string: title, description, ... */
	KW_ANY,        /* any value: default, const */
	KW_BOOL,       /* true or false */
	KW_COUNT,      /* a non-negative integer */
	KW_NUMBER,     /* an integer or a number */
	KW_SCHEMA,     /* a schema */
	KW_SCHEMAS,    /* a non-empty list of schemas */
	KW_SCHEMA_MAP, /* a table of schemas: properties, $defs */
	KW_NAMES,      /* a list of unique strings: required */
	KW_LIST,       /* a non-empty list: enum, examples */
	KW_TYPE,       /* a type name or a list of them */
	KW_PATTERN,    /* a regular expression */
	KW_REF         /* "#/$defs/NAME" */
};

static const struct keyword {
	const char *name;
	enum kwshape shape;
} keywords[] = {
	/* annotations: no assertion */
	{ "title", KW_TEXT },
	{ "description", KW_TEXT },
	{ "markdownDescription", KW_TEXT },
	{ "$comment", KW_TEXT },
	{ "$id", KW_TEXT },
	{ "$schema", KW_TEXT },
	{ "default", KW_ANY },
	{ "examples", KW_LIST },
	{ "deprecated", KW_BOOL },
	{ "$defs", KW_SCHEMA_MAP },
	/* assertions and applicators */
	{ "type", KW_TYPE },
	{ "enum", KW_LIST },
	{ "const", KW_ANY },
	{ "pattern", KW_PATTERN },
	{ "minLength", KW_COUNT },
	{ "maxLength", KW_COUNT },
	{ "minimum", KW_NUMBER },
	{ "maximum", KW_NUMBER },
	{ "properties", KW_SCHEMA_MAP },
	{ "additionalProperties", KW_SCHEMA },
	{ "propertyNames", KW_SCHEMA },
	{ "required", KW_NAMES },
	{ "items", KW_SCHEMA },
	{ "minItems", KW_COUNT },
	{ "maxItems", KW_COUNT },
	{ "uniqueItems", KW_BOOL },
	{ "oneOf", KW_SCHEMAS },
	{ "anyOf", KW_SCHEMAS },
	{ "allOf", KW_SCHEMAS },
	{ "$ref", KW_REF },
};

static const struct keyword *
keyword(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(*keywords); i++)
		if (strcmp(name, keywords[i].name) == 0)
			return &keywords[i];
	return NULL;
}

static int
is_type_name(const struct doc_node *n)
{
	static const char *const names[] = { "object", "array", "string",
		"integer", "number", "boolean", "null" };
	size_t i;

	for (i = 0; n->type == DOC_STRING && i < 7; i++)
		if (strcmp(n->u.str.s, names[i]) == 0)
			return 1;
	return 0;
}

/* Schemas that carry a default, checked once the walk is done. */
static const struct doc_node **defaults;
static size_t ndefaults, capdefaults;

static void check_schema(const struct doc_node *, const char *);

static const char *branch_kind(const struct doc_node *);

/* A oneOf whose branches all have a kind (a first required key) is told
 * apart by it, so no two branches may share one. */
static void
check_kinds(const struct doc_node *alts, const char *at)
{
	size_t i, j;

	for (i = 0; i < alts->u.array.n; i++) {
		const char *k = branch_kind(alts->u.array.v[i]);

		if (k == NULL)
			return;
		for (j = 0; j < i; j++)
			if (strcmp(k, branch_kind(alts->u.array.v[j])) == 0)
				fatal("schema: two branches of kind '%s' at %s",
				    k, at);
	}
}

/* Check one keyword's value against its shape; fatal when wrong. */
static void
check_keyword(
    const struct doc_node *s, const struct doc_member *m, const char *path)
{
	const struct keyword *kw = keyword(m->key);
	const struct doc_node *v = m->val;
	const char *at = arena_printf("%s/%s", path, m->key);
	size_t i, j;
	int ok = 1;

	if (kw == NULL)
		fatal("schema: unknown keyword at %s", at);
	switch (kw->shape) {
	case KW_TEXT:
		ok = v->type == DOC_STRING;
		break;
	case KW_ANY:
		break;
	case KW_BOOL:
		ok = v->type == DOC_BOOL;
		break;
	case KW_COUNT:
		ok = v->type == DOC_INTEGER && v->u.i >= 0;
		break;
	case KW_NUMBER:
		ok = v->type == DOC_INTEGER || v->type == DOC_FLOAT;
		break;
	case KW_SCHEMA:
		check_schema(v, at);
		break;
	case KW_SCHEMAS:
		ok = v->type == DOC_ARRAY && v->u.array.n > 0;
		for (i = 0; ok && i < v->u.array.n; i++)
			check_schema(
			    v->u.array.v[i], arena_printf("%s/%zu", at, i));
		if (ok && strcmp(m->key, "oneOf") == 0)
			check_kinds(v, at);
		break;
	case KW_SCHEMA_MAP:
		ok = v->type == DOC_TABLE;
		for (i = 0; ok && i < v->u.table.n; i++)
			check_schema(v->u.table.v[i].val,
			    arena_printf("%s/%s", at, v->u.table.v[i].key));
		break;
	case KW_NAMES:
		ok = v->type == DOC_ARRAY;
		for (i = 0; ok && i < v->u.array.n; i++) {
			ok = v->u.array.v[i]->type == DOC_STRING;
			for (j = 0; ok && j < i; j++)
				ok = doc_equal(
				         v->u.array.v[i], v->u.array.v[j]) != 0;
		}
		break;
	case KW_LIST:
		ok = v->type == DOC_ARRAY && v->u.array.n > 0;
		break;
	case KW_TYPE:
		ok = is_type_name(v);
		if (v->type == DOC_ARRAY) {
			ok = v->u.array.n > 0;
			for (i = 0; ok && i < v->u.array.n; i++)
				ok = is_type_name(v->u.array.v[i]);
		}
		break;
	case KW_PATTERN:
		ok = v->type == DOC_STRING;
		if (ok)
			(void)regex_for(v);
		/* the message for a mismatch is built from the title */
		if (ok && doc_get(s, "title") == NULL)
			fatal("schema: pattern without a title at %s", at);
		break;
	case KW_REF:
		ok = v->type == DOC_STRING;
		if (ok)
			(void)resolve_ref(v);
		break;
	}
	if (!ok)
		fatal("schema: malformed value at %s", at);
}

/* Check a schema and everything beneath it; fatal when wrong. */
static void
check_schema(const struct doc_node *s, const char *path)
{
	size_t i;

	if (s->type == DOC_BOOL)
		return;
	if (s->type != DOC_TABLE)
		fatal("schema: a schema must be an object at %s", path);
	for (i = 0; i < s->u.table.n; i++)
		check_keyword(s, &s->u.table.v[i], path);
	if (doc_get(s, "default") != NULL) {
		array_reserve(
		    &defaults, &capdefaults, ndefaults + 1, sizeof(*defaults));
		defaults[ndefaults++] = s;
	}
}

/*
 * Validation.
 */

static int
type_matches(const char *want, const struct doc_node *inst)
{
	const char *have = doc_schema_type(inst);

	/* an unquoted TOML date where text belongs is a mistake, though
	 * toml-test's JSON would call it a string */
	if (inst->type == DOC_DATETIME || inst->type == DOC_DATETIME_LOCAL ||
	    inst->type == DOC_DATE_LOCAL || inst->type == DOC_TIME_LOCAL)
		return 0;

	return strcmp(want, have) == 0 ||
	    (strcmp(want, "number") == 0 && strcmp(have, "integer") == 0);
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

/* The closest property name of props to key, or NULL. */
static const char *
suggest(const struct doc_node *props, const char *key)
{
	const char *best = NULL;
	size_t i, klen = strlen(key), bestd = SIZE_MAX;
	size_t limit = klen / 3 + 1;

	if (props == NULL || nsuggest >= SCHEMA_MAX_SUGGEST)
		return NULL;
	nsuggest++;
	if (limit > 2)
		limit = 2;
	for (i = 0; i < props->u.table.n; i++) {
		const char *name = props->u.table.v[i].key;
		size_t nlen = strlen(name), d;

		/* the length difference bounds the distance from below;
		 * skipping saves time on a file of a million bad keys */
		if ((nlen > klen ? nlen - klen : klen - nlen) > limit)
			continue;
		if ((d = edit_distance(key, name)) < bestd) {
			bestd = d;
			best = name;
		}
	}
	if (bestd <= limit)
		return best;
	/* a spelt-out name for an abbreviated key: "environment", "env" */
	for (i = 0; i < props->u.table.n; i++) {
		const char *name = props->u.table.v[i].key;
		size_t nlen = strlen(name);

		if (nlen >= 3 && nlen < klen && strncmp(key, name, nlen) == 0)
			return name;
	}
	return NULL;
}

/* The options of a kind branch: its properties other than the kind. */
static const char *
branch_options(const struct doc_node *branch, const char *kind)
{
	const struct doc_node *props = doc_get(branch, "properties");
	struct buf b = { 0 };
	size_t i;

	for (i = 0; props != NULL && i < props->u.table.n; i++)
		if (strcmp(props->u.table.v[i].key, kind) != 0)
			buf_printf(&b, "%s%s", b.len > 0 ? ", " : "",
			    props->u.table.v[i].key);
	return b.s;
}

/* Whether key is a property of some branch of alts. */
static int
some_branch_knows(const struct doc_node *alts, const char *key)
{
	size_t i;

	for (i = 0; alts != NULL && i < alts->u.array.n; i++)
		if (doc_get(doc_get(deref(alts->u.array.v[i]), "properties"),
		        key) != NULL)
			return 1;
	return 0;
}

static void
report_unknown(const struct doc_member *m, const struct doc_node *props,
    const struct ctx *c)
{
	const char *key =
	    show(doc_new_str(DOC_STRING, NULL, m->key, m->keylen));
	const char *hint;

	if (c->kind != NULL && some_branch_knows(c->alts, m->key)) {
		const char *opts = branch_options(c->branch, c->kind);

		if (opts != NULL)
			diag(&m->keypos, E_SCHEMA_UNKNOWN_KEY,
			    "option %s in %s does not apply to '%s', whose "
			    "options are: %s",
			    key, place(c), c->kind, opts);
		else
			diag(&m->keypos, E_SCHEMA_UNKNOWN_KEY,
			    "option %s in %s does not apply to '%s', which "
			    "takes no options",
			    key, place(c), c->kind);
	} else if ((hint = suggest(props, m->key)) != NULL) {
		diag(&m->keypos, E_SCHEMA_UNKNOWN_KEY,
		    "%s in %s; did you mean '%s'?", key, place(c), hint);
	} else {
		diag(&m->keypos, E_SCHEMA_UNKNOWN_KEY, "%s in %s", key,
		    place(c));
	}
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

	if (props == NULL && addl == NULL && names == NULL && req == NULL)
		return 0;
	for (i = 0; i < inst->u.table.n; i++) {
		const struct doc_member *m = &inst->u.table.v[i];
		const struct doc_member *pm =
		    doc_table_find(props, m->key, m->keylen);
		struct ctx cc = { child_where(c, m), NULL, c->quiet, NULL, NULL,
			NULL };

		if (names != NULL) {
			struct doc_node *keynode = doc_new_str(
			    DOC_STRING, &m->keypos, m->key, m->keylen);
			struct ctx kc = cc;

			kc.owner = place(c);
			errs += validate(names, keynode, &kc);
		}
		if (pm != NULL) {
			errs += validate(pm->val, m->val, &cc);
		} else if (addl != NULL && addl->type == DOC_BOOL &&
		    !addl->u.b) {
			errs++;
			if (!c->quiet)
				report_unknown(m, props, c);
		} else if (addl != NULL) {
			errs += validate(addl, m->val, &cc);
		}
	}
	for (i = 0; req != NULL && i < req->u.array.n; i++) {
		const struct doc_node *k = req->u.array.v[i];

		if (doc_table_find(inst, k->u.str.s, k->u.str.len) != NULL)
			continue;
		errs++;
		if (c->quiet)
			continue;
		if (c->kind != NULL && s == c->branch)
			diag(&inst->pos, E_SCHEMA_REQUIRED,
			    "'%s' in %s; '%s' needs it", k->u.str.s, place(c),
			    c->kind);
		else
			diag(&inst->pos, E_SCHEMA_REQUIRED, "'%s' in %s",
			    k->u.str.s, place(c));
	}
	return errs;
}

/* A hash of a scalar, consistent with doc_equal(). */
static uint64_t
scalar_hash(const struct doc_node *n)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)n->type, x;
	size_t i;

	switch (n->type) {
	case DOC_TABLE:
	case DOC_ARRAY:
		break; /* not compared */
	case DOC_STRING:
	case DOC_DATETIME:
	case DOC_DATETIME_LOCAL:
	case DOC_DATE_LOCAL:
	case DOC_TIME_LOCAL:
		for (i = 0; i < n->u.str.len; i++)
			h = (h ^ (unsigned char)n->u.str.s[i]) *
			    1099511628211ULL;
		return h;
	case DOC_INTEGER:
		return h ^ ((uint64_t)n->u.i * 0x9e3779b97f4a7c15ULL);
	case DOC_FLOAT:
		/* 0.0 and -0.0 are equal, all NaNs too: hash them alike;
		 * other equal doubles have equal bits */
		if (n->u.f == 0 || n->u.f != n->u.f)
			return h ^ (n->u.f == 0);
		memcpy(&x, &n->u.f, sizeof(x));
		return h ^ (x * 0x9e3779b97f4a7c15ULL);
	case DOC_BOOL:
		return h ^ (uint64_t)n->u.b;
	case DOC_NULL:
		return h;
	}
	return h;
}

/* Report scalar entries of a list that repeat an earlier one, in linear
 * time: an open-addressing table holds the index of each first one. */
static unsigned
check_unique(const struct doc_node *inst, const struct ctx *c)
{
	size_t n = inst->u.array.n, cap = 16, i, j;
	size_t *slot;
	unsigned errs = 0;

	if (n < 2)
		return 0;
	while (cap < 2 * n)
		cap *= 2;
	slot = arena_alloc(cap * sizeof(*slot)); /* index + 1; 0 is empty */
	for (i = 0; i < n; i++) {
		const struct doc_node *v = inst->u.array.v[i];

		if (v->type == DOC_TABLE || v->type == DOC_ARRAY)
			continue;
		for (j = scalar_hash(v) & (cap - 1); slot[j] != 0;
		     j = (j + 1) & (cap - 1))
			if (doc_equal(inst->u.array.v[slot[j] - 1], v) == 0)
				break;
		if (slot[j] == 0) {
			slot[j] = i + 1;
			continue;
		}
		errs++;
		if (c->quiet)
			continue;
		diag(&v->pos, E_SCHEMA_UNIQUE, "%s in %s", show(v), place(c));
		diag(&inst->u.array.v[slot[j] - 1]->pos, N_PREVIOUS, NULL);
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
	size_t i;

	if ((n = doc_get(s, "minItems")) != NULL &&
	    inst->u.array.n < (size_t)n->u.i) {
		errs++;
		if (!c->quiet)
			diag(&inst->pos, E_SCHEMA_LENGTH,
			    "%s needs at least %lld %s", place(c),
			    (long long)n->u.i,
			    n->u.i == 1 ? "entry" : "entries");
	}
	if ((n = doc_get(s, "maxItems")) != NULL &&
	    inst->u.array.n > (size_t)n->u.i) {
		errs++;
		if (!c->quiet)
			diag(&inst->pos, E_SCHEMA_LENGTH,
			    "%s takes at most %lld %s", place(c),
			    (long long)n->u.i,
			    n->u.i == 1 ? "entry" : "entries");
	}
	for (i = 0; items != NULL && i < inst->u.array.n; i++) {
		struct ctx cc = { arena_printf("%s[%zu]", place(c), i + 1),
			NULL, c->quiet, NULL, NULL, NULL };

		errs += validate(items, inst->u.array.v[i], &cc);
	}
	if ((n = doc_get(s, "uniqueItems")) != NULL && n->u.b)
		errs += check_unique(inst, c);
	return errs;
}

/* The first "required" key of a oneOf branch: its kind; NULL when the
 * branch has none. */
static const char *
branch_kind(const struct doc_node *b)
{
	const struct doc_node *req = doc_get(deref(b), "required");

	return req != NULL && req->u.array.n > 0 ? req->u.array.v[0]->u.str.s
	                                         : NULL;
}

/*
 * oneOf over tables told apart by a kind key, the first of each branch's
 * "required" keys (the mounts; check_schema() makes sure the kinds
 * differ).  When the table has exactly one kind key, that kind's branch
 * is the one the author meant, and its errors (a missing "dest", an
 * option of another kind) are the useful ones.  No kind key, or several:
 * one error naming the kinds found and allowed, with a guess at a
 * misspelt kind.
 */
static unsigned
validate_kinds(const struct doc_node *alts, const struct doc_node *inst,
    const struct ctx *c)
{
	const struct doc_node *chosen = NULL;
	size_t i, nkind = 0, left;
	struct buf found = { 0 }, all = { 0 };
	struct ctx cc = *c;

	for (i = 0; i < alts->u.array.n; i++) {
		const char *k = branch_kind(alts->u.array.v[i]);

		buf_printf(&all, "%s%s", i > 0 ? ", " : "", k);
		if (doc_get(inst, k) != NULL) {
			chosen = alts->u.array.v[i];
			nkind++;
		}
	}
	if (nkind == 1) {
		cc.branch = deref(chosen);
		cc.alts = alts;
		cc.kind = branch_kind(cc.branch);
		return validate(cc.branch, inst, &cc);
	}
	if (c->quiet)
		return 1;
	for (i = 0, left = nkind; i < alts->u.array.n; i++) {
		const char *k = branch_kind(alts->u.array.v[i]);

		if (doc_get(inst, k) == NULL)
			continue;
		left--;
		buf_printf(&found, "%s'%s'",
		    found.len == 0 ? ""
		        : left > 0 ? ", "
		                   : " and ",
		    k);
	}
	if (nkind > 1) {
		diag(&inst->pos, E_SCHEMA_ONE_OF,
		    "%s has %s; it needs exactly one of: %s", place(c), found.s,
		    all.s);
		return 1;
	}
	/* no kind at all: perhaps a misspelt one */
	for (i = 0; i < inst->u.table.n && nsuggest < SCHEMA_MAX_SUGGEST; i++) {
		const struct doc_member *m = &inst->u.table.v[i];
		const char *best = NULL;
		size_t j, d, bestd = 3;

		if (some_branch_knows(alts, m->key))
			continue;
		nsuggest++;
		for (j = 0; j < alts->u.array.n; j++) {
			const char *k = branch_kind(alts->u.array.v[j]);

			if ((d = edit_distance(m->key, k)) < bestd) {
				bestd = d;
				best = k;
			}
		}
		if (best != NULL && bestd <= strlen(best) / 3 + 1) {
			diag(&inst->pos, E_SCHEMA_ONE_OF,
			    "%s has none of: %s; did you mean '%s' instead of "
			    "%s?",
			    place(c), all.s, best,
			    show(doc_new_str(
			        DOC_STRING, NULL, m->key, m->keylen)));
			return 1;
		}
	}
	diag(
	    &inst->pos, E_SCHEMA_ONE_OF, "%s has none of: %s", place(c), all.s);
	return 1;
}

static unsigned
validate_oneof(const struct doc_node *alts, const struct doc_node *inst,
    const struct ctx *c)
{
	size_t i, npass = 0;

	if (inst->type == DOC_TABLE) {
		for (i = 0; i < alts->u.array.n; i++)
			if (branch_kind(alts->u.array.v[i]) == NULL)
				break;
		if (i == alts->u.array.n)
			return validate_kinds(alts, inst, c);
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
		    "%s matches %zu of the %zu alternatives", subject(c, inst),
		    npass, alts->u.array.n);
	return 1;
}

/* type; 0 when inst has one of the types, 1 after reporting otherwise. */
static unsigned
validate_type(
    const struct doc_node *t, const struct doc_node *inst, const struct ctx *c)
{
	struct buf want = { 0 };
	size_t i;

	if (t->type == DOC_STRING) {
		if (type_matches(t->u.str.s, inst))
			return 0;
		buf_puts(&want, type_word(t->u.str.s));
	} else {
		for (i = 0; i < t->u.array.n; i++) {
			if (type_matches(t->u.array.v[i]->u.str.s, inst))
				return 0;
			buf_printf(&want, "%s%s",
			    i == 0                     ? ""
			        : i + 1 < t->u.array.n ? ", "
			                               : " or ",
			    type_word(t->u.array.v[i]->u.str.s));
		}
	}
	if (!c->quiet)
		diag(&inst->pos, E_SCHEMA_TYPE, "%s must be %s, not %s",
		    subject(c, inst), want.s, describe(inst));
	return 1;
}

/* enum (a list of values) or, when is_const, const (one value). */
static unsigned
validate_enum(int is_const, const struct doc_node *v,
    const struct doc_node *inst, const struct ctx *c)
{
	struct buf b = { 0 };
	size_t j;

	if (is_const) {
		if (doc_equal(v, inst) == 0)
			return 0;
		if (!c->quiet)
			diag(&inst->pos, E_SCHEMA_CONST,
			    "%s for %s; it must be %s", show(inst),
			    subject(c, inst), show(v));
		return 1;
	}
	for (j = 0; j < v->u.array.n; j++)
		if (doc_equal(v->u.array.v[j], inst) == 0)
			return 0;
	if (c->quiet)
		return 1;
	for (j = 0; j < v->u.array.n; j++)
		buf_printf(
		    &b, "%s%s", j > 0 ? ", " : "", show(v->u.array.v[j]));
	diag(&inst->pos, E_SCHEMA_ENUM, "%s for %s; expected one of: %s",
	    show(inst), subject(c, inst), b.s);
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

	/* A type mismatch makes every other keyword meaningless. */
	if ((n = doc_get(s, "type")) != NULL && validate_type(n, inst, c) != 0)
		return 1;

	for (i = 0; i < s->u.table.n; i++) {
		const char *k = s->u.table.v[i].key;
		const struct doc_node *v = s->u.table.v[i].val;

		if (strcmp(k, "$ref") == 0) {
			errs += validate(resolve_ref(v), inst, c);
		} else if (strcmp(k, "enum") == 0) {
			errs += validate_enum(0, v, inst, c);
		} else if (strcmp(k, "const") == 0) {
			errs += validate_enum(1, v, inst, c);
		} else if (strcmp(k, "pattern") == 0) {
			if (inst->type != DOC_STRING ||
			    regex_matches(v, inst->u.str.s, inst->u.str.len))
				continue;
			errs++;
			if (!c->quiet)
				diag(&inst->pos, E_SCHEMA_PATTERN,
				    "%s is not a valid %s (%s)",
				    c->owner != NULL
				        ? subject(c, inst)
				        : arena_printf("%s for %s", show(inst),
				              place(c)),
				    doc_get(s, "title")->u.str.s, v->u.str.s);
		} else if (strcmp(k, "minLength") == 0 ||
		    strcmp(k, "maxLength") == 0) {
			size_t len;
			int min = k[1] == 'i';

			if (inst->type != DOC_STRING)
				continue;
			len = codepoints(inst->u.str.s, inst->u.str.len);
			if (min ? len >= (size_t)v->u.i : len <= (size_t)v->u.i)
				continue;
			errs++;
			if (c->quiet)
				continue;
			if (min && v->u.i == 1)
				diag(&inst->pos, E_SCHEMA_LENGTH,
				    "%s must not be empty", subject(c, inst));
			else
				diag(&inst->pos, E_SCHEMA_LENGTH,
				    "%s must be at %s %lld characters long, "
				    "not %zu",
				    subject(c, inst), min ? "least" : "most",
				    (long long)v->u.i, len);
		} else if (strcmp(k, "minimum") == 0 ||
		    strcmp(k, "maximum") == 0) {
			double x, lim;
			int min = k[1] == 'i';

			if (inst->type != DOC_INTEGER &&
			    inst->type != DOC_FLOAT)
				continue;
			x = inst->type == DOC_INTEGER ? (double)inst->u.i
			                              : inst->u.f;
			lim = v->type == DOC_INTEGER ? (double)v->u.i : v->u.f;
			if (min ? x >= lim : x <= lim)
				continue;
			errs++;
			if (!c->quiet)
				diag(&inst->pos, E_SCHEMA_RANGE,
				    "%s for %s; the %s is %s", show(inst),
				    subject(c, inst), k, show(v));
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
			if (hit)
				continue;
			errs++;
			if (!c->quiet)
				diag(&inst->pos, E_SCHEMA_ONE_OF,
				    "%s matches none of the alternatives",
				    subject(c, inst));
		} else if (strcmp(k, "allOf") == 0) {
			size_t j;

			for (j = 0; j < v->u.array.n; j++)
				errs += validate(v->u.array.v[j], inst, c);
		}
		/* the rest are annotations, "type", or keywords for
		 * tables and lists, handled below */
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
	defaults = NULL;
	ndefaults = capdefaults = 0;
	gctx = NULL;
	cctx = NULL;
}

static void
load_schema(void)
{
	struct ctx c = { "", NULL, 1, NULL, NULL, NULL };
	struct arena *outer;
	size_t i;

	if (schema_root != NULL)
		return;
	/* parsed once, for every profile of the run */
	outer = arena_switch(arena_process());
	schema_root = json_parse(
	    "jail.schema.json", (const char *)jail_schema, jail_schema_len);
	if (schema_root == NULL) {
		diag_flush(stderr, DIAGFMT_TEXT, 0);
		fatal("the built-in schema does not parse");
	}
	check_schema(schema_root, "#");
	for (i = 0; i < ndefaults; i++)
		if (validate(
		        defaults[i], doc_get(defaults[i], "default"), &c) != 0)
			fatal("schema: a default does not validate: %s",
			    show(doc_get(defaults[i], "default")));
	arena_switch(outer);
}

unsigned
schema_check(const struct doc_node *root)
{
	struct ctx c = { "", NULL, 0, NULL, NULL, NULL };

	load_schema();
	nsuggest = 0;
	return validate(schema_root, root, &c);
}
