/*
 * doc.c - constructors and accessors of the document tree.
 */
#include <math.h>
#include <string.h>

#include "util.h"
#include "doc.h"

struct doc_node *
doc_new(enum doc_type type, const struct pos *pos)
{
	struct doc_node *n = arena_alloc(sizeof(*n));

	n->type = type;
	if (pos != NULL)
		n->pos = *pos;
	return n;
}

struct doc_node *
doc_new_str(
    enum doc_type type, const struct pos *pos, const char *s, size_t len)
{
	struct doc_node *n = doc_new(type, pos);

	n->u.str.s = arena_strndup(s, len);
	n->u.str.len = len;
	return n;
}

struct doc_member *
doc_table_add(struct doc_node *tbl, const char *key, size_t keylen,
    const struct pos *keypos, struct doc_node *val)
{
	struct doc_member *m;

	array_reserve(&tbl->u.table.v, &tbl->u.table.cap, tbl->u.table.n + 1,
	    sizeof(*tbl->u.table.v));
	m = &tbl->u.table.v[tbl->u.table.n++];
	m->key = arena_strndup(key, keylen);
	m->keylen = keylen;
	if (keypos != NULL)
		m->keypos = *keypos;
	else
		memset(&m->keypos, 0, sizeof(m->keypos));
	m->val = val;
	return m;
}

struct doc_member *
doc_table_find(const struct doc_node *tbl, const char *key, size_t keylen)
{
	size_t i;

	if (tbl == NULL || tbl->type != DOC_TABLE)
		return NULL;
	for (i = 0; i < tbl->u.table.n; i++) {
		struct doc_member *m = &tbl->u.table.v[i];

		if (m->keylen == keylen && memcmp(m->key, key, keylen) == 0)
			return m;
	}
	return NULL;
}

struct doc_node *
doc_get(const struct doc_node *tbl, const char *key)
{
	struct doc_member *m = doc_table_find(tbl, key, strlen(key));

	return m != NULL ? m->val : NULL;
}

void
doc_array_push(struct doc_node *arr, struct doc_node *v)
{
	array_reserve(&arr->u.array.v, &arr->u.array.cap, arr->u.array.n + 1,
	    sizeof(*arr->u.array.v));
	arr->u.array.v[arr->u.array.n++] = v;
}

const char *
doc_type_name(enum doc_type type)
{
	switch (type) {
	case DOC_TABLE:
		return "table";
	case DOC_ARRAY:
		return "array";
	case DOC_STRING:
		return "string";
	case DOC_INTEGER:
		return "integer";
	case DOC_FLOAT:
		return "float";
	case DOC_BOOL:
		return "boolean";
	case DOC_DATETIME:
		return "datetime";
	case DOC_DATETIME_LOCAL:
		return "datetime-local";
	case DOC_DATE_LOCAL:
		return "date-local";
	case DOC_TIME_LOCAL:
		return "time-local";
	case DOC_NULL:
		return "null";
	}
	return "?";
}

const char *
doc_schema_type(const struct doc_node *n)
{
	switch (n->type) {
	case DOC_TABLE:
		return "object";
	case DOC_ARRAY:
		return "array";
	case DOC_STRING:
	case DOC_DATETIME:
	case DOC_DATETIME_LOCAL:
	case DOC_DATE_LOCAL:
	case DOC_TIME_LOCAL:
		return "string";
	case DOC_INTEGER:
		return "integer";
	case DOC_FLOAT:
		return "number";
	case DOC_BOOL:
		return "boolean";
	case DOC_NULL:
		return "null";
	}
	return "?";
}

int
doc_equal(const struct doc_node *a, const struct doc_node *b)
{
	size_t i;

	if (a->type != b->type)
		return 1;
	switch (a->type) {
	case DOC_TABLE:
		if (a->u.table.n != b->u.table.n)
			return 1;
		for (i = 0; i < a->u.table.n; i++) {
			const struct doc_member *ma = &a->u.table.v[i];
			const struct doc_member *mb =
			    doc_table_find(b, ma->key, ma->keylen);

			if (mb == NULL || doc_equal(ma->val, mb->val) != 0)
				return 1;
		}
		return 0;
	case DOC_ARRAY:
		if (a->u.array.n != b->u.array.n)
			return 1;
		for (i = 0; i < a->u.array.n; i++)
			if (doc_equal(a->u.array.v[i], b->u.array.v[i]) != 0)
				return 1;
		return 0;
	case DOC_STRING:
	case DOC_DATETIME:
	case DOC_DATETIME_LOCAL:
	case DOC_DATE_LOCAL:
	case DOC_TIME_LOCAL:
		return a->u.str.len != b->u.str.len ||
		    memcmp(a->u.str.s, b->u.str.s, a->u.str.len) != 0;
	case DOC_INTEGER:
		return a->u.i != b->u.i;
	case DOC_FLOAT:
		if (isnan(a->u.f) && isnan(b->u.f))
			return 0;
		return a->u.f != b->u.f;
	case DOC_BOOL:
		return a->u.b != b->u.b;
	case DOC_NULL:
		return 0;
	}
	return 1;
}
