/*
 * frontend.h - turning source text into a document tree.
 *
 * Included by: toml.c, yaml.c, json.c, source.c, schema.c (to load the
 * built-in schema), profile.c (to load parents) and the test tools.
 *
 * Every parser reports its errors through diag() with file:line:col and
 * returns NULL when it reported any error.  None of them crashes, hangs or
 * recurses without bound on hostile input: depth is limited to
 * DOC_MAX_DEPTH and input size to DOC_MAX_INPUT.
 */
#ifndef JAILC_FRONTEND_H
#define JAILC_FRONTEND_H

#include "doc.h"

/* Parse TOML 1.0 text into a root table. */
struct doc_node *toml_parse(const char *file, const char *text, size_t len);
/* Parse TOML 1.minor text (0 or 1); 1.1 adds \e and \x escapes, optional
 * seconds, and newlines and trailing commas in inline tables.  Profiles
 * are TOML 1.0; the conformance decoder tests both. */
struct doc_node *toml_parse_version(
    const char *file, const char *text, size_t len, int minor);
/* Parse a single-document YAML profile (no anchors, aliases, tags) into a
 * root table; plain scalars are typed by the YAML 1.2 core schema. */
struct doc_node *yamlfe_parse(const char *file, const char *text, size_t len);
/* Parse RFC 8259 JSON text into a tree (objects become DOC_TABLE). */
struct doc_node *json_parse(const char *file, const char *text, size_t len);

/* Decide the syntax of a file: by extension (.toml, .yaml, .yml), and for
 * .jail (or any other name) by content, as documented in jail(5); reports
 * E_FORMAT_AMBIGUOUS and returns FORMAT_AUTO when it cannot tell. */
enum doc_format source_detect(const char *file, const char *text, size_t len);
/* Read path, register it with diag_source(), choose the syntax (forced when
 * fmt is not FORMAT_AUTO) and parse it; NULL after reporting errors. */
struct doc_node *source_load(const char *path, enum doc_format fmt);

#endif
