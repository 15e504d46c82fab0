/*
 * schema.h - validating a document tree against schema/jail.schema.json.
 *
 * Included by: profile.c and the test tools.  The schema text is compiled into
 * jailc at build time (build/schema_data.c) and parsed once on first use.
 */
#ifndef JAILC_SCHEMA_H
#define JAILC_SCHEMA_H

#include "doc.h"

/* Check a profile document; every violation is reported through diag()
 * (all of them in one pass, with "did you mean" for misspelt keys).
 * Returns the number of errors reported. */
unsigned schema_check(const struct doc_node *root);

/* Forget the parsed schema and compiled patterns (before arena_free_all()
 * in a process that validates more than once, such as a fuzz target). */
void schema_reset(void);

#endif
