/*
 * review.h - the review commands: jailc explain, jailc diff, jailc why.
 *
 * Included by: main.c, for the three commands; explain.c, diff.c, why.c,
 * review.c and review_host.c, which share the rest.  They read the IR
 * and the plan (never the document tree) and print what a profile
 * grants, with the file and line of the entry that grants it.
 */
#ifndef JAILC_REVIEW_H
#define JAILC_REVIEW_H

#include <stdio.h>

#include "util.h"
#include "plan.h"
#include "../runtime/host.h"

/* jailc explain [--resolve] [--format text|json] FILE; returns the exit
 * status: 0 shown, 1 the profile has errors, 2 usage or I/O error. */
int review_explain(int argc, char **argv);

/* jailc diff [--format text|json] OLD NEW; returns 0 when NEW grants no
 * more than OLD, 1 when it widens access, 2 on any error. */
int review_diff(int argc, char **argv);

/* jailc why [--format text|json] PATH|ENVVAR FILE; returns 0 answered,
 * 1 the profile has errors, 2 usage or I/O error. */
int review_why(int argc, char **argv);

/* ------------------------------------------------------------------ */
/* For explain.c, diff.c, why.c: from review.c, review_host.c          */

/* The values of the launch-time variables on this host; NULL where there
 * is none (WORKDIR exists only while a jail runs).  ctx is the runtime's
 * host model that found them, a pointer so that it can be asked more
 * through a const struct host. */
struct host {
	struct host_ctx *ctx;
	const char *v[VAR_MAX];
	const char *problem;     /* why a launch here would stop, or NULL */
	const struct plan *plan; /* whose writable binds no helper may be
	                          * under, or NULL */
};

/* Where an op came from: the entry behind it, or the key that implies a
 * generated one, or NULL with why set for a default. */
struct origin {
	const struct pos *pos; /* line 0: none */
	const char *why;       /* what generated or implied it, or NULL */
	const char *fixed;     /* line 0: not a default but a rule of jailc */
};

#define NCOL 5

/* One row of an aligned table: NCOL cells, NULL or "" for none. */
struct row {
	const char *c[NCOL];
};

/* Rows to print aligned; starts as { NULL, 0, 0 }. */
struct table {
	struct row *v;
	size_t n, cap;
};

/* The namespaces' names, by enum ns. */
extern const char *const review_nsnames[NS_MAX];

/* Load and plan one profile; NULL when either reported an error. */
const struct plan *review_load(
    const char *path, enum doc_format fmt, struct profile **pp);
/* Print the diagnostics so far on stderr; the status for a failed load:
 * 2 when one was an I/O error, else fail. */
int review_flush_diags(int fail);
/* Flush standard output (a write error is fatal); returns rc. */
int review_finish(int rc);

/* This host's values, found by the runtime's host model (host.c); with
 * pl not NULL, git under one of its writable binds is refused, as the
 * launcher refuses it. */
void review_host_values(struct host *h, const struct plan *pl);
/* Where the launchers pin base/rel on host h, walking down from base
 * without following a link; NULL where they pin nothing here (*link, when
 * not NULL, set to the link that stops them). */
const char *review_pin_point(const struct host *h, const char *base,
    const char *rel, int ro, const char **link);

/* A template's text: canonical without a host, else with the host's
 * values put in (a variable without one stays ${NAME}). */
const char *review_expand(const struct tmpl *t, const struct host *h);
/* Whether path a is b or lies beneath it. */
int review_path_under(const char *a, const char *b);

/* Where a mount op puts its mount in the jail. */
const struct tmpl *review_mount_dest(const struct plan_op *o);
/* Whether o is a mount: a mount, the gitconfig or a protected path. */
int review_is_mount(const struct plan_op *o);
/* How much of the host a mount lets in: 0 nothing, 1 read-only, 2
 * read-write, 3 with device access. */
int review_rank(const struct plan_op *o);
/* A mount's kind in the words of the profile: "ro", "tmpfs"... */
const char *review_kind_word(const struct plan_op *o);
/* What a mount shows at its destination, as one short phrase. */
const char *review_mount_source(const struct plan_op *o, const struct host *h);
/* Where op o came from in profile p. */
struct origin review_op_origin(
    const struct plan_op *o, const struct profile *p);
/* A PLAN_GITPATH op as the directory git names on host h, or as
 * "${PROJECT_ROOT}/<git core.hooksPath>". */
const char *review_gitpath_text(const struct plan_op *o, const struct host *h);
/* An origin as "base.jail:19", "default (git.protect-hooks)"... */
const char *review_origin_text(struct origin r);

/* Add a row of up to five cells (NULL for none) to t. */
void review_row(struct table *t, const char *a, const char *b, const char *c,
    const char *d, const char *e);
/* Print t's rows indented and aligned, and empty it. */
void review_table_print(FILE *fp, struct table *t);

/* Append s as a JSON string, or null for NULL. */
void review_jstr(struct buf *b, const char *s);
/* Append an origin's "file", "line" and "implied_by" members. */
void review_jorigin(struct buf *b, struct origin r);
/* Append the members of an origin at pos alone. */
void review_jpos(struct buf *b, const struct pos *pos);
/* Append an origin's members with its "col", for jailc why. */
void review_jwhere(struct buf *b, struct origin r);

/* A resource limit's value as a reviewer reads it. */
const char *review_limit_text(unsigned long long v);

/* Where protection o, whose entry globs, would pin path or a directory
 * above it; NULL when it matches none. */
const char *review_glob_dest(
    const struct plan_op *o, const char *path, const struct host *h);
/* The symbolic link that stops protection o on its way to path, or
 * NULL. */
const char *review_pin_link(
    const struct plan_op *o, const char *path, const struct host *h);
/* Where mount op o is set up when that is path or above it, else NULL. */
const char *review_cover_dest(
    const struct plan_op *o, const char *path, const struct host *h);
/* Whether a protected path's op pins path under the mount top. */
int review_pins(
    const struct plan_op *top, const char *path, const struct host *h);
/* The mount on top at path after the first n ops of pl, or NULL. */
const struct plan_op *review_top_before(
    const struct plan *pl, size_t n, const char *path, const struct host *h);
/* The mount on top at path, or NULL when none covers it. */
const struct plan_op *review_top_mount(
    const struct plan *pl, const char *path, const struct host *h);
/* The host path a bind shows at path (under its destination). */
const char *review_host_path(
    const struct plan_op *o, const char *path, const struct host *h);
/* The op of plan pl with opcode op and name s, or NULL. */
const struct plan_op *review_find_op(
    const struct plan *pl, enum plan_opcode op, const char *s);

#endif
