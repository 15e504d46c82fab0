/*
 * review.c - what jailc explain, diff and why share: loading a profile
 * for review, plan ops as a reviewer reads them (where a mount goes, what
 * it shows, the entry behind it), aligned tables, pieces of JSON, and
 * which mount covers a path.
 *
 * Everything here reads the launch plan, the ops the back ends translate
 * one by one, so a reviewer is shown what the launcher does and not a
 * second reading of the profile; the IR is read only for what the plan
 * does not keep (where a default or a generated op comes from).
 */
#include <sys/stat.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "profile.h"
#include "plan.h"
#include "protect.h"
#include "review.h"
#include "seccomp.h"

const char *const review_nsnames[NS_MAX] = { "user", "ipc", "pid", "uts",
	"cgroup" };

/* ------------------------------------------------------------------ */
/* Loading                                                             */

/* Load and plan one profile; NULL when either reported an error. */
const struct plan *
review_load(const char *path, enum doc_format fmt, struct profile **pp)
{
	struct plan_defs defs = { NULL, NULL, NULL, NULL };
	unsigned before = diag_errors();
	struct profile *p;
	struct plan *pl;

	/* as jailc check loads it (main.c, load_profile) */
	if ((p = profile_read(path, fmt)) != NULL)
		seccomp_check(p);
	if (p == NULL || diag_errors() > before)
		return NULL;
	if ((pl = plan_build(p, &defs)) == NULL || diag_errors() > 0)
		return NULL;
	*pp = p;
	return pl;
}

/* Print the diagnostics so far on stderr; the status for a failed load:
 * 2 when one was an I/O error, else fail. */
int
review_flush_diags(int fail)
{
	struct diag *d;
	size_t i, n;
	int rc = fail;

	d = diag_list(&n);
	for (i = 0; i < n; i++)
		if (d[i].id == E_IO)
			rc = 2;
	diag_flush(stderr, DIAGFMT_TEXT, isatty(STDERR_FILENO));
	return rc;
}

int
review_finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		fatal("write error on standard output:");
	return rc;
}

/* s with repeated and trailing slashes dropped, for display; NULL when s
 * is not absolute or has "." or "..".  Not host_norm, which reports such
 * a path as a launch's problem. */
static char *
squeeze_path(const char *s)
{
	struct buf b = { NULL, 0, 0 };
	const char *c, *e;

	if (s == NULL || s[0] != '/')
		return NULL;
	for (c = s; *c != '\0'; c = e) {
		while (*c == '/')
			c++;
		if (*c == '\0')
			break;
		e = strchr(c, '/');
		if (e == NULL)
			e = c + strlen(c);
		if ((e - c == 1 && c[0] == '.') ||
		    (e - c == 2 && c[0] == '.' && c[1] == '.'))
			return NULL;
		buf_putc(&b, '/');
		buf_add(&b, c, (size_t)(e - c));
	}
	return b.len > 0 ? b.s : arena_strdup("/");
}

/* A template's text: canonical without a host, else with the host's
 * values put in (a variable without one stays ${NAME}). */
const char *
review_expand(const struct tmpl *t, const struct host *h)
{
	struct buf b = { NULL, 0, 0 };
	size_t i;
	char *norm;

	if (h == NULL || t->canon == NULL)
		return t->canon != NULL ? t->canon : "";
	buf_add(&b, "", 0);
	for (i = 0; i < t->nparts; i++) {
		const struct tmpl_part *part = &t->parts[i];

		if (part->var == VAR_NONE)
			buf_add(&b, part->text, part->len);
		else if (h->v[part->var] != NULL)
			buf_puts(&b, h->v[part->var]);
		else
			buf_printf(&b, "${%s}", var_name(part->var));
	}
	/* "/" for HOME and "/x" after it make "//x": squeeze it */
	if (b.s[0] == '/' && (norm = squeeze_path(b.s)) != NULL)
		return norm;
	return b.s;
}

/* Whether path a is b or lies beneath it (texts of one kind: both
 * canonical or both expanded). */
int
review_path_under(const char *a, const char *b)
{
	size_t n = strlen(b);

	if (strcmp(b, "/") == 0)
		return a[0] == '/';
	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

/* ------------------------------------------------------------------ */
/* Plan ops as a reviewer sees them                                    */

/*
 * Where a mount op puts its mount in the jail.  A protected path is
 * bound onto itself, and the plan names it as a base directory (.src)
 * and a path under it (.s): its destination is the two joined.
 */
const struct tmpl *
review_mount_dest(const struct plan_op *o)
{
	struct tmpl *t;
	struct tmpl_part *last;

	if (o->op != PLAN_PROTECT)
		return &o->dest;
	t = arena_alloc(sizeof(*t));
	t->nparts = o->src.nparts + 1;
	t->parts = arena_alloc(t->nparts * sizeof(*t->parts));
	memcpy(t->parts, o->src.parts, o->src.nparts * sizeof(*t->parts));
	last = &t->parts[o->src.nparts];
	last->var = VAR_NONE;
	last->text = arena_printf("/%s", o->s);
	last->len = strlen(last->text);
	t->canon = arena_printf("%s/%s", o->src.canon, o->s);
	t->pos = o->pos;
	return t;
}

int
review_is_mount(const struct plan_op *o)
{
	return o->op == PLAN_MOUNT || o->op == PLAN_GITCONFIG ||
	    o->op == PLAN_PROTECT;
}

/* How much of the host a mount lets in: 0 nothing (it is made in the
 * jail), 1 host data read-only, 2 read-write, 3 with device access. */
int
review_rank(const struct plan_op *o)
{
	if (o->op == PLAN_GITCONFIG)
		return 1; /* the host's git identity */
	switch (o->mount.kind) {
	case MOUNT_RO:
		return 1;
	case MOUNT_RW:
		return 2;
	case MOUNT_DEV_BIND:
		return 3;
	case MOUNT_TMPFS:
	case MOUNT_DIR:
	case MOUNT_PROC:
	case MOUNT_DEV:
	case MOUNT_SYMLINK:
	case MOUNT_DATA:
		break;
	}
	return 0;
}

const char *
review_kind_word(const struct plan_op *o)
{
	if (o->op == PLAN_GITCONFIG)
		return "data";
	switch (o->mount.kind) {
	case MOUNT_RO:
		return "ro";
	case MOUNT_RW:
		return "rw";
	case MOUNT_DEV_BIND:
		return "dev-bind";
	case MOUNT_TMPFS:
		return "tmpfs";
	case MOUNT_DIR:
		return "dir";
	case MOUNT_PROC:
		return "proc";
	case MOUNT_DEV:
		return "dev";
	case MOUNT_SYMLINK:
		return "symlink";
	case MOUNT_DATA:
		return "data";
	}
	return "?";
}

/* What a mount shows at its destination, as one short phrase. */
const char *
review_mount_source(const struct plan_op *o, const struct host *h)
{
	if (o->op == PLAN_GITCONFIG)
		return "(gitconfig: the host's git identity)";
	if (o->op == PLAN_PROTECT)
		return "(itself)";
	switch (o->mount.kind) {
	case MOUNT_RO:
	case MOUNT_RW:
	case MOUNT_DEV_BIND:
		/* most binds show a host path at the same place */
		if (strcmp(o->src.canon, review_mount_dest(o)->canon) == 0)
			return "(same)";
		return review_expand(&o->src, h);
	case MOUNT_TMPFS:
		return "(empty, in memory)";
	case MOUNT_DIR:
		return "(empty directory)";
	case MOUNT_PROC:
		return "(the jail's processes)";
	case MOUNT_DEV:
		return "(a minimal /dev)";
	case MOUNT_SYMLINK:
		return arena_printf(
		    "(symlink to %s)", review_expand(&o->src, h));
	case MOUNT_DATA:
		return arena_printf(
		    "(%zu bytes from the profile)", o->mount.datalen);
	}
	return "";
}

struct origin
review_op_origin(const struct plan_op *o, const struct profile *p)
{
	struct origin r = { &o->pos, NULL, NULL };

	if (o->op == PLAN_GITCONFIG) {
		r.pos = &p->identity_pos;
		r.why = "git.identity";
	} else if (o->op == PLAN_PROTECT && o->pos.line != 0) {
		r.why = "protect.add";
	} else if (o->op == PLAN_GITPATH ||
	    (o->op == PLAN_PROTECT && protect_is_git(o->s))) {
		r.pos = &p->hooks_pos;
		r.why = "git.protect-hooks";
	} else if (o->op == PLAN_PROTECT) {
		r.fixed = "jailc (protected paths)";
	} else if (o->op == PLAN_MOUNT && o->pos.line == 0) {
		r.pos = &p->workdir_pos;
		r.why = "state.workdir";
	} else if (o->op == PLAN_ENV_DENY && o->pos.line == 0) {
		r.fixed = "jailc (every jail)";
	}
	return r;
}

/* A PLAN_GITPATH op as a reviewer reads it: with a host, the directory
 * git names for it here, found as the launcher finds it; else, or where
 * git names none, the checkout and the key,
 * "${PROJECT_ROOT}/<git core.hooksPath>". */
const char *
review_gitpath_text(const struct plan_op *o, const struct host *h)
{
	const char *base = review_expand(&o->src, h), *val;
	char *path;

	if (h != NULL && base[0] == '/' &&
	    (path = host_git_path(
	         h->ctx, base, o->s, plan_where(&o->pos), &val)) != NULL)
		return path;
	return arena_printf("%s/<git %s>", base, o->s);
}

/* "base.jail:19", "claude.jail:40 (state.workdir)", "default
 * (git.protect-hooks)". */
const char *
review_origin_text(struct origin r)
{
	if (r.pos->line > 0)
		return r.why != NULL
		    ? arena_printf("%s (%s)", plan_where(r.pos), r.why)
		    : plan_where(r.pos);
	if (r.fixed != NULL)
		return r.fixed;
	return r.why != NULL ? arena_printf("default (%s)", r.why) : "default";
}

/* ------------------------------------------------------------------ */
/* Aligned tables                                                      */

void
review_row(struct table *t, const char *a, const char *b, const char *c,
    const char *d, const char *e)
{
	struct row *r;

	array_reserve(&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	r = &t->v[t->n++];
	r->c[0] = a;
	r->c[1] = b;
	r->c[2] = c;
	r->c[3] = d;
	r->c[4] = e;
}

/* Print the rows indented, each column as wide as its widest cell; a
 * row's last cell is not padded. */
void
review_table_print(FILE *fp, struct table *t)
{
	size_t w[NCOL] = { 0 }, i, j, len;
	int last;

	for (i = 0; i < t->n; i++)
		for (j = 0; j < NCOL; j++)
			if (t->v[i].c[j] != NULL &&
			    (len = strlen(t->v[i].c[j])) > w[j])
				w[j] = len;
	for (i = 0; i < t->n; i++) {
		const struct row *r = &t->v[i];

		for (last = NCOL - 1; last > 0; last--)
			if (r->c[last] != NULL && r->c[last][0] != '\0')
				break;
		fputs("  ", fp);
		for (j = 0; j < (size_t)last; j++)
			fprintf(fp, "%-*s  ", (int)w[j],
			    r->c[j] != NULL ? r->c[j] : "");
		fprintf(fp, "%s\n", r->c[last] != NULL ? r->c[last] : "");
	}
	t->n = 0;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

void
review_jstr(struct buf *b, const char *s)
{
	if (s == NULL)
		buf_puts(b, "null");
	else
		buf_json_string(b, s, strlen(s));
}

/* "file": ..., "line": ..., "implied_by": ... of an origin, and "col"
 * after "line" when col is set (jailc why points at the entry itself;
 * explain and diff keep the keys they have always had). */
static void
jorigin_col(struct buf *b, struct origin r, int col)
{
	buf_puts(b, "\"file\": ");
	review_jstr(b, r.pos->line > 0 ? r.pos->file : NULL);
	if (r.pos->line > 0)
		buf_printf(b, ", \"line\": %u", r.pos->line);
	else
		buf_puts(b, ", \"line\": null");
	if (col && r.pos->line > 0)
		buf_printf(b, ", \"col\": %u", r.pos->col);
	else if (col)
		buf_puts(b, ", \"col\": null");
	buf_puts(b, ", \"implied_by\": ");
	review_jstr(b, r.fixed != NULL ? r.fixed : r.why);
}

void
review_jorigin(struct buf *b, struct origin r)
{
	jorigin_col(b, r, 0);
}

void
review_jpos(struct buf *b, const struct pos *pos)
{
	review_jorigin(b, (struct origin){ pos, NULL, NULL });
}

/* An origin with its column, for jailc why. */
void
review_jwhere(struct buf *b, struct origin r)
{
	jorigin_col(b, r, 1);
}

/* A resource limit's value as a reviewer reads it. */
const char *
review_limit_text(unsigned long long v)
{
	return v == LIMIT_UNLIMITED ? "unlimited" : arena_printf("%llu", v);
}

/* ------------------------------------------------------------------ */
/* Where a mount covers a path                                         */

/*
 * The jail path where the protection o, whose entry globs, would pin
 * path or a directory above it: the base joined with the leading
 * components of path the pattern matches; NULL when it matches none.
 */
const char *
review_glob_dest(
    const struct plan_op *o, const char *path, const struct host *h)
{
	const char *base = review_expand(&o->src, h), *rel;
	size_t n;

	if (!review_path_under(path, base) || strcmp(path, base) == 0)
		return NULL;
	rel = strcmp(base, "/") == 0 ? path + 1 : path + strlen(base) + 1;
	if ((n = protect_match(o->s, rel)) == 0)
		return NULL;
	return arena_strndup(path, (size_t)(rel - path) + n);
}

/* What protection o would pin under base for path: its entry, or what
 * an entry that globs matches on this host (a path that exists: glob(3)
 * and bash list directories); NULL when it matches nothing here. */
static const char *
protect_rel(const struct plan_op *o, const char *base, const char *path,
    const struct host *h)
{
	const char *m;
	struct stat st;

	if (!protect_is_glob(o->s))
		return o->s;
	if ((m = review_glob_dest(o, path, h)) == NULL || lstat(m, &st) != 0)
		return NULL;
	return m + strlen(base) + (strcmp(base, "/") != 0);
}

/* The symbolic link that stops protection o on its way to path, or
 * NULL. */
const char *
review_pin_link(const struct plan_op *o, const char *path, const struct host *h)
{
	const char *base, *rel, *link = NULL;

	if (o->op != PLAN_PROTECT || h == NULL ||
	    (base = review_expand(&o->src, h))[0] != '/' ||
	    (rel = protect_rel(o, base, path, h)) == NULL)
		return NULL;
	review_pin_point(h, base, rel, o->mount.kind != MOUNT_RW, &link);
	return link;
}

/*
 * Where mount op o is set up when that is path or above it, else NULL.
 * With a host, a protection is where the launchers would pin it on this
 * host now: an entry that globs pins what its pattern matches when the
 * launcher starts, and a missing path is pinned at its first missing
 * component.  Without one (jailc diff), or while its base is unknown
 * here, it is compared as text, as any other entry.
 */
const char *
review_cover_dest(
    const struct plan_op *o, const char *path, const struct host *h)
{
	const char *dest, *base, *rel;

	if (o->op == PLAN_PROTECT && h != NULL &&
	    (base = review_expand(&o->src, h))[0] == '/') {
		rel = protect_rel(o, base, path, h);
		dest = rel != NULL ? review_pin_point(h, base, rel,
		                         o->mount.kind != MOUNT_RW, NULL)
		                   : NULL;
		return dest != NULL && review_path_under(path, dest) ? dest
		                                                     : NULL;
	}
	dest = review_expand(review_mount_dest(o), h);
	return review_path_under(path, dest) ? dest : NULL;
}

/* Whether a protected path's op pins path: only where the mount on top
 * so far is a writable bind showing the same host path (jail(5),
 * PROTECTED PATHS); under a tmpfs or a read-only bind it does nothing. */
int
review_pins(const struct plan_op *top, const char *path, const struct host *h)
{
	return top != NULL &&
	    (top->mount.kind == MOUNT_RW ||
	        top->mount.kind == MOUNT_DEV_BIND) &&
	    (top->op == PLAN_MOUNT || top->op == PLAN_PROTECT) &&
	    strcmp(review_host_path(top, path, h), path) == 0;
}

/* The mount on top at path after the first n ops. */
const struct plan_op *
review_top_before(
    const struct plan *pl, size_t n, const char *path, const struct host *h)
{
	const struct plan_op *top = NULL, *o;
	size_t i;

	for (i = 0; i < n; i++) {
		o = &pl->ops[i];
		if (!review_is_mount(o) ||
		    review_cover_dest(o, path, h) == NULL)
			continue;
		if (o->op == PLAN_PROTECT && !review_pins(top, path, h))
			continue;
		top = o;
	}
	return top;
}

/* The mount on top at path: the last in launch order whose destination
 * is path or lies above it; NULL when none covers it. */
const struct plan_op *
review_top_mount(const struct plan *pl, const char *path, const struct host *h)
{
	return review_top_before(pl, pl->nops, path, h);
}

/* The host path a bind shows at path (under its destination). */
const char *
review_host_path(
    const struct plan_op *o, const char *path, const struct host *h)
{
	const char *dest = review_cover_dest(o, path, h);
	/* a protection binds its destination onto itself */
	const char *src =
	    o->op == PLAN_PROTECT ? dest : review_expand(&o->src, h);
	const char *rest = strcmp(dest, "/") == 0 ? path : path + strlen(dest);

	if (*rest == '\0')
		return src;
	return arena_printf("%s%s", strcmp(src, "/") == 0 ? "" : src, rest);
}

/* The op of plan pl with opcode op and name s, or NULL. */
const struct plan_op *
review_find_op(const struct plan *pl, enum plan_opcode op, const char *s)
{
	size_t i;

	for (i = 0; i < pl->nops; i++)
		if (pl->ops[i].op == op && strcmp(pl->ops[i].s, s) == 0)
			return &pl->ops[i];
	return NULL;
}
