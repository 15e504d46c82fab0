/*
 * doc.h - the document tree: one node type for TOML, YAML and JSON input,
 * every node with its source position.
 *
 * Included by: the front ends (toml.c, yaml.c, json.c, source.c), schema.c,
 * profile.c, and test tools.  Emitters never see the tree.
 */
#ifndef JAILC_DOC_H
#define JAILC_DOC_H

#include <stddef.h>
#include <stdint.h>

/* A place in a source file; line and col are 1-based, col counts characters
 * (UTF-8 code points), so a caret lines up under the text a person sees.
 * line == 0 means "no position" (generated items). */
struct pos {
	const char *file;
	unsigned line;
	unsigned col;
};

enum doc_type {
	DOC_TABLE, /* TOML table, YAML mapping, JSON object */
	DOC_ARRAY, /* TOML array, YAML sequence, JSON array */
	DOC_STRING,
	DOC_INTEGER,
	DOC_FLOAT,
	DOC_BOOL,
	DOC_DATETIME,       /* offset date-time, text in str */
	DOC_DATETIME_LOCAL, /* local date-time, text in str */
	DOC_DATE_LOCAL,     /* local date, text in str */
	DOC_TIME_LOCAL,     /* local time, text in str */
	DOC_NULL            /* JSON null only; TOML has none, YAML refuses it */
};

struct doc_node;

/* One key of a table, in insertion order. */
struct doc_member {
	const char *key; /* may hold NUL bytes; keylen counts them */
	size_t keylen;
	struct pos keypos;
	struct doc_node *val;
};

struct doc_node {
	enum doc_type type;
	struct pos pos;   /* where the value (or table header) starts */
	unsigned feflags; /* private to the front end that built the node */
	union {
		struct {
			struct doc_member *v;
			size_t n, cap;
		} table;
		struct {
			struct doc_node **v;
			size_t n, cap;
		} array;
		struct {
			char *s; /* NUL-terminated, may contain NUL */
			size_t len;
		} str;     /* DOC_STRING and the four date-time kinds */
		int64_t i; /* DOC_INTEGER */
		double f;  /* DOC_FLOAT */
		int b;     /* DOC_BOOL: 0 or 1 */
	} u;
};

/* A new empty node of the given type at pos (pos may be NULL). */
struct doc_node *doc_new(enum doc_type type, const struct pos *pos);
/* A new DOC_STRING (or date-time kind) node holding a copy of s[0..len). */
struct doc_node *doc_new_str(
    enum doc_type type, const struct pos *pos, const char *s, size_t len);
/* Append key/val to a table; does not check for duplicates. */
struct doc_member *doc_table_add(struct doc_node *tbl, const char *key,
    size_t keylen, const struct pos *keypos, struct doc_node *val);
/* The member of tbl named key[0..keylen), or NULL. */
struct doc_member *doc_table_find(
    const struct doc_node *tbl, const char *key, size_t keylen);
/* The value of tbl's member named by the C string key, or NULL. */
struct doc_node *doc_get(const struct doc_node *tbl, const char *key);
/* Append v to an array. */
void doc_array_push(struct doc_node *arr, struct doc_node *v);
/* A type name for messages: "table", "array", "string", ... */
const char *doc_type_name(enum doc_type type);
/* The schema type name of a node: "object", "array", "string", "integer",
 * "number", "boolean", "null"; date-time kinds map to "string". */
const char *doc_schema_type(const struct doc_node *n);
/* Compare two trees by value, ignoring positions; 0 when equal. */
int doc_equal(const struct doc_node *a, const struct doc_node *b);

/* An index of table members by (table, key), one per parse, so that a
 * front end checking duplicate keys stays linear on hostile input (a
 * mapping with a million keys).  Tables of up to DOC_INDEX_SMALL members
 * are scanned instead, and enter the index when they grow past it. */
struct doc_index {
	struct doc_index_slot *slots;
	size_t nslots, nused;
};

#define DOC_INDEX_SMALL 8

/* Append key/val to tbl as doc_table_add() does, keeping ix up to date. */
struct doc_member *doc_index_add(struct doc_index *ix, struct doc_node *tbl,
    const char *key, size_t keylen, const struct pos *keypos,
    struct doc_node *val);
/* The member of tbl named key[0..keylen), or NULL; tbl's members must all
 * have been added through doc_index_add() with this index. */
struct doc_member *doc_index_find(const struct doc_index *ix,
    const struct doc_node *tbl, const char *key, size_t keylen);

/* Which syntax a source file is written in. */
enum doc_format { FORMAT_AUTO, FORMAT_TOML, FORMAT_YAML, FORMAT_JSON };

/* An --input-format value: "toml" or "yaml"; FORMAT_AUTO for others. */
enum doc_format doc_input_format(const char *name);

/* Limits every front end enforces, so hostile input cannot exhaust the
 * stack or memory. */
#define DOC_MAX_DEPTH 64         /* nesting of tables/arrays */
#define DOC_MAX_INPUT (4u << 20) /* bytes in one source file */

#endif
