/*
 * doc.c - constructors and accessors of the document tree.
 */
#include <math.h>
#include <stdint.h>
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

/* One entry of a member index: member idx of table tbl. */
struct doc_index_slot {
	const struct doc_node *tbl;
	size_t idx;
	uint64_t hash;
};

/* FNV-1a over the key, seeded with the table's address. */
static uint64_t
index_hash(const struct doc_node *tbl, const char *key, size_t keylen)
{
	uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)(uintptr_t)tbl;
	size_t i;

	for (i = 0; i < keylen; i++) {
		h ^= (unsigned char)key[i];
		h *= 0x100000001b3ull;
	}
	return h ^ (h >> 31);
}

static void
index_put(struct doc_index *ix, const struct doc_node *tbl, size_t idx)
{
	const struct doc_member *m = &tbl->u.table.v[idx];
	size_t j, k;

	/* keep the load below 3/4 so that probe runs stay short */
	if ((ix->nused + 1) * 4 >= ix->nslots * 3) {
		struct doc_index_slot *old = ix->slots;
		size_t oldn = ix->nslots;

		ix->nslots = oldn == 0 ? 64 : oldn * 2;
		ix->slots = arena_alloc(ix->nslots * sizeof(*ix->slots));
		for (k = 0; k < oldn; k++) {
			if (old[k].tbl == NULL)
				continue;
			j = old[k].hash & (ix->nslots - 1);
			while (ix->slots[j].tbl != NULL)
				j = (j + 1) & (ix->nslots - 1);
			ix->slots[j] = old[k];
		}
	}
	j = index_hash(tbl, m->key, m->keylen) & (ix->nslots - 1);
	while (ix->slots[j].tbl != NULL)
		j = (j + 1) & (ix->nslots - 1);
	ix->slots[j].tbl = tbl;
	ix->slots[j].idx = idx;
	ix->slots[j].hash = index_hash(tbl, m->key, m->keylen);
	ix->nused++;
}

struct doc_member *
doc_index_add(struct doc_index *ix, struct doc_node *tbl, const char *key,
    size_t keylen, const struct pos *keypos, struct doc_node *val)
{
	size_t n = tbl->u.table.n, i;

	doc_table_add(tbl, key, keylen, keypos, val);
	if (n == DOC_INDEX_SMALL) {
		for (i = 0; i <= n; i++)
			index_put(ix, tbl, i);
	} else if (n > DOC_INDEX_SMALL) {
		index_put(ix, tbl, n);
	}
	return &tbl->u.table.v[n];
}

struct doc_member *
doc_index_find(const struct doc_index *ix, const struct doc_node *tbl,
    const char *key, size_t keylen)
{
	uint64_t h;
	size_t j;

	if (tbl->u.table.n <= DOC_INDEX_SMALL)
		return doc_table_find(tbl, key, keylen);
	h = index_hash(tbl, key, keylen);
	for (j = h & (ix->nslots - 1); ix->slots[j].tbl != NULL;
	     j = (j + 1) & (ix->nslots - 1)) {
		struct doc_member *m;

		if (ix->slots[j].tbl != tbl || ix->slots[j].hash != h)
			continue;
		m = &tbl->u.table.v[ix->slots[j].idx];
		if (m->keylen == keylen && memcmp(m->key, key, keylen) == 0)
			return m;
	}
	return NULL;
}

enum doc_format
doc_input_format(const char *name)
{
	if (strcmp(name, "toml") == 0)
		return FORMAT_TOML;
	if (strcmp(name, "yaml") == 0)
		return FORMAT_YAML;
	return FORMAT_AUTO;
}
