/*
 * review.c - jailc explain, jailc diff and jailc why: what a profile
 * grants, what a change to it grants more, and which entry decides.
 *
 * Everything here reads the launch plan, the ops the back ends translate
 * one by one, so a reviewer is shown what the launcher does and not a
 * second reading of the profile; the IR is read only for what the plan
 * does not keep (where a default or a generated op comes from).
 * explain --resolve and why also look at this host as a launcher started
 * here would: its variables, and for why the protected paths that exist,
 * since what a protection pins depends on them.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fnmatch.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "profile.h"
#include "lint.h"
#include "plan.h"
#include "protect.h"
#include "review.h"
#include "../runtime/sha256.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const review_nsnames[NS_MAX] = { "user", "ipc", "pid", "uts",
	"cgroup" };

/* ------------------------------------------------------------------ */
/* Loading and options                                                 */

static const char usage_explain[] =
    "usage: jailc explain [--resolve] [--format text|json]\n"
    "                     [--input-format toml|yaml] FILE\n"
    "\n"
    "Show every mount, environment rule, namespace and network setting the\n"
    "profile grants, each with the file:line of the entry behind it.\n"
    "\n"
    "options:\n"
    "  --resolve                  show paths with this host's values (HOME,\n"
    "                             USER, UID, CWD, PROJECT_ROOT, XDG_*...)\n"
    "  --format text|json         one screen of text (default), or JSON\n"
    "  --input-format toml|yaml   read FILE as this syntax\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 shown, 1 the profile has errors, 2 usage or I/O "
    "error\n";

static const char usage_diff[] =
    "usage: jailc diff [--format text|json] [--input-format toml|yaml]\n"
    "                  OLD NEW\n"
    "\n"
    "Show how the access NEW grants differs from OLD's: mounts added,\n"
    "removed or widened, environment, network, namespaces, seccomp, limits\n"
    "and protections, and the exposure score before and after.\n"
    "\n"
    "options:\n"
    "  --format text|json         one screen of text (default), or JSON\n"
    "  --input-format toml|yaml   read both files as this syntax\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 NEW grants no more than OLD, 1 NEW widens access,\n"
    "2 errors in either profile, usage or I/O error\n";

static const char usage_why[] =
    "usage: jailc why [--format text|json] [--input-format toml|yaml]\n"
    "                 PATH|ENVVAR FILE\n"
    "\n"
    "Say which entry of the profile makes PATH visible (or hides it) in\n"
    "the jail, or decides whether the variable ENVVAR passes.  PATH is\n"
    "absolute and may use ~ and ${VARIABLES}; it is compared with this\n"
    "host's values.\n"
    "\n"
    "options:\n"
    "  --format text|json         one answer in text (default), or JSON\n"
    "  --input-format toml|yaml   read FILE as this syntax\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 answered, 1 the profile has errors, 2 usage or I/O "
    "error\n";

struct review_opts {
	int json;
	int resolve;
	enum doc_format in;
};

static int
review_usage_error(const char *usage, const char *what, const char *arg)
{
	if (*arg != '\0')
		fprintf(stderr, "jailc: %s '%s'\n", what, arg);
	else
		fprintf(stderr, "jailc: %s\n", what);
	fputs(usage, stderr);
	return 2;
}

/*
 * Read the options shared by the three commands; *ip is left on the first
 * operand.  Returns -1 to go on, else the exit status (0 after --help).
 */
static int
review_parse_opts(int argc, char **argv, int *ip, const char *usage,
    int with_output, struct review_opts *o)
{
	const char *v;
	int i;

	memset(o, 0, sizeof(*o));
	o->in = FORMAT_AUTO;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (with_output == 2 &&
		    strcmp(argv[i], "--resolve") == 0) {
			o->resolve = 1;
		} else if (with_output > 0 &&
		    (v = option_value(argc, argv, &i, "--format"))) {
			if (strcmp(v, "json") == 0)
				o->json = 1;
			else if (strcmp(v, "text") != 0)
				return review_usage_error(
				    usage, "unknown output format", v);
		} else if ((v = option_value(
		                argc, argv, &i, "--input-format"))) {
			if ((o->in = doc_input_format(v)) == FORMAT_AUTO)
				return review_usage_error(
				    usage, "unknown input format", v);
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			return review_usage_error(
			    usage, "unknown option", argv[i]);
		} else {
			break;
		}
	}
	*ip = i;
	return -1;
}

/* Load and plan one profile; NULL when either reported an error. */
static const struct plan *
review_load(const char *path, enum doc_format fmt, struct profile **pp)
{
	struct plan_defs defs = { NULL, NULL, NULL };
	struct profile *p;
	struct plan *pl;

	if ((p = profile_load(path, fmt)) == NULL)
		return NULL;
	if ((pl = plan_build(p, &defs)) == NULL || diag_errors() > 0)
		return NULL;
	*pp = p;
	return pl;
}

/* Print the diagnostics so far on stderr; the status for a failed load:
 * 2 when one was an I/O error, else fail. */
static int
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

static int
review_finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		fatal("write error on standard output:");
	return rc;
}

/* ------------------------------------------------------------------ */
/* The host's values, found the way the launchers find them            */

/* The values of the launch-time variables on this host; NULL where there
 * is none (WORKDIR exists only while a jail runs). */
struct host {
	const char *v[VAR_MAX];
	const char *problem; /* why a launch here would stop, or NULL */
};

/* s as the launchers normalise a variable's path: repeated and trailing
 * slashes dropped; NULL when s is not absolute or has "." or "..". */
static char *
review_norm_path(const char *s)
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

/* dir/name, without doubling the slash of "/". */
static char *
join(const char *dir, const char *name)
{
	return arena_printf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir, name);
}

/* The directory path leads to, symbolic links resolved, or NULL. */
static char *
real_dir(const char *path)
{
	char *r = realpath(path, NULL), *copy;
	struct stat st;

	if (r == NULL)
		return NULL;
	copy = arena_strdup(r);
	free(r);
	return stat(copy, &st) == 0 && S_ISDIR(st.st_mode) ? copy : NULL;
}

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The first line of a file, or "" when it cannot be read (as bash's
 * `read` leaves it). */
static char *
first_line(const char *path)
{
	size_t len;
	char *s = read_file(path, &len), *nl;

	if (s == NULL)
		return arena_strdup("");
	nl = memchr(s, '\n', len);
	return arena_strndup(s, nl != NULL ? (size_t)(nl - s) : len);
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

/*
 * PROJECT_ROOT and WORKTREE for the directory cwd, by the rules of
 * jail_project_root in launcher.sh and its twin in jailrun.c: the nearest
 * directory holding .git; a .git directory makes it both; a .git file
 * leads to the main checkout only for a linked worktree that its
 * repository knows (COMMON/worktrees/NAME whose gitdir file leads back).
 * Outside any checkout both are cwd.
 */
static void
find_project(struct host *h, const char *cwd)
{
	char *d = arena_strdup(cwd), *dotgit, *line, *gitdir, *common, *back;
	struct stat st;

	h->v[VAR_PROJECT_ROOT] = h->v[VAR_WORKTREE] = cwd;
	for (;;) {
		dotgit = join(d, ".git");
		if (lstat(dotgit, &st) == 0 && S_ISLNK(st.st_mode)) {
			h->problem =
			    arena_printf("%s is a symbolic link; the "
			                 "launcher refuses to follow it",
			        dotgit);
			h->v[VAR_PROJECT_ROOT] = h->v[VAR_WORKTREE] = NULL;
			return;
		}
		if (stat(dotgit, &st) == 0 && S_ISDIR(st.st_mode)) {
			h->v[VAR_PROJECT_ROOT] = h->v[VAR_WORKTREE] = d;
			return;
		}
		if (stat(dotgit, &st) == 0 && S_ISREG(st.st_mode))
			break;
		if (strcmp(d, "/") == 0)
			return;
		*strrchr(d, '/') = '\0';
		if (*d == '\0')
			d = arena_strdup("/");
	}
	h->v[VAR_PROJECT_ROOT] = h->v[VAR_WORKTREE] = d;
	line = first_line(dotgit);
	if (strncmp(line, "gitdir: ", 8) != 0 || line[8] == '\0') {
		h->problem =
		    arena_printf("%s is not a git directory link", dotgit);
		h->v[VAR_PROJECT_ROOT] = h->v[VAR_WORKTREE] = NULL;
		return;
	}
	gitdir = line[8] == '/' ? line + 8 : join(d, line + 8);
	if ((gitdir = real_dir(gitdir)) == NULL)
		return;
	if (!is_file(join(gitdir, "commondir")) ||
	    !is_file(join(gitdir, "gitdir")))
		return;
	line = first_line(join(gitdir, "commondir"));
	common = line[0] == '/' ? line : join(gitdir, line);
	if ((common = real_dir(common)) == NULL)
		return;
	if (strcmp(
	        arena_strndup(gitdir, (size_t)(strrchr(gitdir, '/') - gitdir)),
	        join(common, "worktrees")) != 0)
		return;
	line = first_line(join(gitdir, "gitdir"));
	if (!ends_with(line, "/.git"))
		return;
	back = line[0] == '/' ? line : join(gitdir, line);
	back[strlen(back) - 5] = '\0';
	if ((back = real_dir(back)) == NULL || strcmp(back, d) != 0)
		return;
	if (ends_with(common, "/.git")) {
		common[strlen(common) - 5] = '\0';
		h->v[VAR_PROJECT_ROOT] = *common != '\0' ? common : "/";
	}
}

/* An XDG base directory: the host's value when absolute, else dflt. */
static const char *
xdg(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	if (v != NULL && v[0] == '/')
		return review_norm_path(v);
	return dflt;
}

static void
review_host_values(struct host *h)
{
	const char *home, *user;
	struct passwd *pw;
	char *cwd, hex[65];

	memset(h, 0, sizeof(*h));
	if ((home = review_norm_path(getenv("HOME"))) == NULL)
		h->problem = "HOME is not set to an absolute path";
	h->v[VAR_HOME] = home;
	if ((user = getenv("USER")) == NULL || *user == '\0')
		user = (pw = getpwuid(getuid())) != NULL ? pw->pw_name : NULL;
	h->v[VAR_USER] = user != NULL ? arena_strdup(user) : NULL;
	h->v[VAR_UID] = arena_printf("%lu", (unsigned long)getuid());
	if ((cwd = realpath(".", NULL)) != NULL) {
		h->v[VAR_CWD] = arena_strdup(cwd);
		free(cwd);
		find_project(h, h->v[VAR_CWD]);
	}
	if (h->v[VAR_PROJECT_ROOT] != NULL) {
		sha256_hex(h->v[VAR_PROJECT_ROOT],
		    strlen(h->v[VAR_PROJECT_ROOT]), hex);
		h->v[VAR_PROJECT_ID] = arena_strndup(hex, 16);
	}
	if (home != NULL) {
		h->v[VAR_XDG_CONFIG_HOME] =
		    xdg("XDG_CONFIG_HOME", join(home, ".config"));
		h->v[VAR_XDG_CACHE_HOME] =
		    xdg("XDG_CACHE_HOME", join(home, ".cache"));
		h->v[VAR_XDG_DATA_HOME] =
		    xdg("XDG_DATA_HOME", join(home, ".local/share"));
		h->v[VAR_XDG_STATE_HOME] =
		    xdg("XDG_STATE_HOME", join(home, ".local/state"));
	}
	h->v[VAR_XDG_RUNTIME_DIR] =
	    xdg("XDG_RUNTIME_DIR", arena_printf("/run/user/%s", h->v[VAR_UID]));
}

/* A template's text: canonical without a host, else with the host's
 * values put in (a variable without one stays ${NAME}). */
static const char *
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
	if (b.s[0] == '/' && (norm = review_norm_path(b.s)) != NULL)
		return norm;
	return b.s;
}

/* Whether path a is b or lies beneath it (texts of one kind: both
 * canonical or both expanded). */
static int
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
static const struct tmpl *
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

static int
review_is_mount(const struct plan_op *o)
{
	return o->op == PLAN_MOUNT || o->op == PLAN_GITCONFIG ||
	    o->op == PLAN_PROTECT;
}

/* How much of the host a mount lets in: 0 nothing (it is made in the
 * jail), 1 host data read-only, 2 read-write, 3 with device access. */
static int
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

static const char *
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
static const char *
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

static const char *
mount_notes(const struct plan_op *o)
{
	struct buf b = { NULL, 0, 0 };

	buf_add(&b, "", 0);
	if (o->op == PLAN_PROTECT)
		return o->mount.kind == MOUNT_RW
		    ? "pinned in place where a writable mount holds it"
		    : o->dir ? "where a writable mount holds it; an empty "
		               "directory when missing"
		             : "where a writable mount holds it; a file when "
		               "missing";
	if (o->mount.optional)
		buf_printf(&b, "%soptional", b.len ? ", " : "");
	if (o->mount.create)
		buf_printf(&b, "%screated when missing", b.len ? ", " : "");
	if (o->mount.mode >= 0)
		buf_printf(&b, "%smode %04o", b.len ? ", " : "",
		    (unsigned)o->mount.mode);
	return b.s;
}

/* Where an op came from: the entry behind it, or the key that implies a
 * generated one, or NULL with why set for a default. */
struct origin {
	const struct pos *pos; /* line 0: none */
	const char *why;       /* what generated or implied it, or NULL */
	const char *fixed;     /* line 0: not a default but a rule of jailc */
};

static struct origin
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

/* A PLAN_GITPATH op as a reviewer reads it: the checkout and the key,
 * "${PROJECT_ROOT}/<git core.hooksPath>", since the path is known only
 * at launch. */
static const char *
review_gitpath_text(const struct plan_op *o, const struct host *h)
{
	return arena_printf("%s/<git %s>", review_expand(&o->src, h), o->s);
}

/* "base.jail:19", "claude.jail:40 (state.workdir)", "default
 * (git.protect-hooks)". */
static const char *
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

/* A setting's origin from its IR position alone. */
static const char *
pos_text(const struct pos *pos)
{
	return review_origin_text((struct origin){ pos, NULL, NULL });
}

/* ------------------------------------------------------------------ */
/* Aligned tables                                                      */

#define NCOL 5

struct row {
	const char *c[NCOL];
};

struct table {
	struct row *v;
	size_t n, cap;
};

static void
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
static void
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

static void
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

static void
review_jorigin(struct buf *b, struct origin r)
{
	jorigin_col(b, r, 0);
}

static void
review_jpos(struct buf *b, const struct pos *pos)
{
	review_jorigin(b, (struct origin){ pos, NULL, NULL });
}

/* An origin with its column, for jailc why. */
static void
review_jwhere(struct buf *b, struct origin r)
{
	jorigin_col(b, r, 1);
}

/* ------------------------------------------------------------------ */
/* jailc explain                                                       */

/* A resource limit's value as a reviewer reads it. */
static const char *
review_limit_text(unsigned long long v)
{
	return v == LIMIT_UNLIMITED ? "unlimited" : arena_printf("%llu", v);
}

static void
explain_text(FILE *fp, const struct profile *p, const struct plan *pl,
    const struct host *h)
{
	struct table t = { NULL, 0, 0 };
	const struct plan_op *o;
	size_t i;
	int k;

	fprintf(fp, "profile %s (%s)\n", pl->name, p->file);
	if (p->extends.n > 0) {
		fputs("extends", fp);
		for (i = 0; i < p->extends.n; i++)
			fprintf(fp, "%s %s (%s)", i > 0 ? "," : "",
			    p->extends.v[i].s,
			    plan_where(&p->extends.v[i].pos));
		fputc('\n', fp);
	}
	if (h != NULL) {
		fputs("\nvariables, as this host would set them\n", fp);
		for (i = 0; i < pl->nops; i++) {
			o = &pl->ops[i];
			if (o->op == PLAN_VAR)
				review_row(&t, var_name(o->var),
				    h->v[o->var] != NULL ? h->v[o->var]
				                         : "(unknown)",
				    NULL, NULL, NULL);
			else if (o->op == PLAN_WORKDIR)
				review_row(&t, "WORKDIR", "(made for each run)",
				    NULL, NULL, NULL);
		}
		review_table_print(fp, &t);
		if (h->problem != NULL)
			fprintf(fp, "  note: a launch here would stop: %s\n",
			    h->problem);
	}

	fputs("\nmounts, in launch order (a later one covers what lies "
	      "under it)\n",
	    fp);
	review_row(&t, "KIND", "JAIL PATH", "HOST PATH", "FROM", "NOTES");
	for (i = 0; i < pl->nops; i++) {
		o = &pl->ops[i];
		if (review_is_mount(o))
			review_row(&t, review_kind_word(o),
			    review_expand(review_mount_dest(o), h),
			    review_mount_source(o, h),
			    review_origin_text(review_op_origin(o, p)),
			    mount_notes(o));
		else if (o->op == PLAN_GITPATH)
			review_row(&t, "ro", review_gitpath_text(o, h),
			    "(itself)",
			    review_origin_text(review_op_origin(o, p)),
			    "read with git at launch, where a .git is; pinned "
			    "where a writable mount holds it; an empty "
			    "directory when missing");
	}
	review_table_print(fp, &t);

	fputs("\nenvironment (deny wins over allow; a set value replaces the "
	      "host's)\n",
	    fp);
	for (i = 0; i < pl->nops; i++) {
		o = &pl->ops[i];
		if (o->op == PLAN_ENV_ALLOW)
			review_row(&t, "allow", o->s,
			    review_origin_text(review_op_origin(o, p)), NULL,
			    NULL);
		else if (o->op == PLAN_ENV_DENY)
			review_row(&t, "deny", o->s,
			    review_origin_text(review_op_origin(o, p)), NULL,
			    NULL);
		else if (o->op == PLAN_ENV_EXTRA)
			review_row(&t, "extra", o->s,
			    review_origin_text(review_op_origin(o, p)),
			    arena_printf("the names listed in $%s pass too, "
			                 "under the same denials",
			        o->s),
			    NULL);
		else if (o->op == PLAN_ENV_SET)
			review_row(&t, "set",
			    arena_printf(
			        "%s=%s", o->s, review_expand(&o->src, h)),
			    review_origin_text(review_op_origin(o, p)), NULL,
			    NULL);
	}
	review_table_print(fp, &t);

	fputs("\nnamespaces and process\n", fp);
	review_row(&t, "network", p->network == NET_HOST ? "host" : "none",
	    pos_text(&p->network_pos),
	    p->network == NET_HOST ? "the host's network" : "loopback only",
	    NULL);
	review_row(&t, "abstract-sockets",
	    p->abstract_host ? "host" : "isolate", pos_text(&p->abstract_pos),
	    p->network == NET_NONE ? "the jail's own network namespace has none"
	        : p->abstract_host
	        ? "the host's are reachable (X11, D-Bus)"
	        : "the host's are kept out by a Landlock scope",
	    NULL);
	for (k = 0; k < NS_MAX; k++)
		review_row(&t, review_nsnames[k],
		    p->share[k] ? "shared" : "unshared",
		    pos_text(&p->share_pos[k]), NULL, NULL);
	review_row(&t, "die-with-parent", p->die_with_parent ? "yes" : "no",
	    NULL, NULL, NULL);
	review_row(&t, "hostname",
	    p->hostname != NULL ? p->hostname : "(the host's)",
	    pos_text(&p->hostname_pos), NULL, NULL);
	review_row(&t, "nested-sandbox", p->nested_sandbox ? "yes" : "no",
	    pos_text(&p->nested_pos),
	    p->nested_sandbox ? "the jailed program may make user namespaces"
	                      : NULL,
	    NULL);
	review_row(&t, "seccomp", p->seccomp_off ? "off" : "default filter",
	    pos_text(&p->seccomp_pos), NULL, NULL);
	for (i = 0; i < p->sc_allow.n; i++)
		review_row(&t, "seccomp allow", p->sc_allow.v[i].s,
		    pos_text(&p->sc_allow.v[i].pos), NULL, NULL);
	for (i = 0; i < p->sc_deny.n; i++)
		review_row(&t, "seccomp deny", p->sc_deny.v[i].s,
		    pos_text(&p->sc_deny.v[i].pos), NULL, NULL);
	for (i = 0; i < pl->nops; i++)
		if (pl->ops[i].op == PLAN_LIMIT)
			review_row(&t, arena_printf("limit %s", pl->ops[i].s),
			    review_limit_text(pl->ops[i].limit),
			    pos_text(&pl->ops[i].pos), NULL, NULL);
	review_row(&t, "protect-hooks", p->protect_hooks ? "yes" : "no",
	    pos_text(&p->hooks_pos),
	    p->protect_hooks ? ".git, .git/hooks, .git/config and "
	                       "core.hooksPath under PROJECT_ROOT (see "
	                       "mounts)"
	                     : NULL,
	    NULL);
	review_row(&t, "git-identity",
	    p->identity == IDENTITY_HOST ? "host" : "none",
	    pos_text(&p->identity_pos), NULL, NULL);
	review_table_print(fp, &t);

	if (p->exec.canon != NULL) {
		fputs("\ncommand\n", fp);
		review_row(&t, "exec", review_expand(&p->exec, h),
		    pos_text(&p->exec.pos), NULL, NULL);
		for (i = 0; i < p->nargs; i++)
			review_row(&t, "arg", review_expand(&p->args[i], h),
			    pos_text(&p->args[i].pos), NULL, NULL);
		review_table_print(fp, &t);
	}
}

static void
explain_json(struct buf *b, const struct profile *p, const struct plan *pl,
    const struct host *h)
{
	const struct plan_op *o;
	const char *sep = "";
	size_t i;
	int k;

	buf_puts(b, "{\n  \"profile\": ");
	review_jstr(b, pl->name);
	buf_puts(b, ",\n  \"file\": ");
	review_jstr(b, p->file);
	buf_puts(b, ",\n  \"extends\": [");
	for (i = 0; i < p->extends.n; i++) {
		buf_printf(b, "%s{\"name\": ", i > 0 ? ", " : "");
		review_jstr(b, p->extends.v[i].s);
		buf_puts(b, ", ");
		review_jpos(b, &p->extends.v[i].pos);
		buf_puts(b, "}");
	}
	buf_puts(b, "],\n  \"variables\": {");
	for (i = 0; h != NULL && i < pl->nops; i++) {
		o = &pl->ops[i];
		if (o->op != PLAN_VAR && o->op != PLAN_WORKDIR)
			continue;
		buf_printf(b, "%s\"%s\": ", sep, var_name(o->var));
		review_jstr(b, h->v[o->var]);
		sep = ", ";
	}
	buf_puts(b, "},\n  \"mounts\": [");
	for (i = 0, sep = "\n"; i < pl->nops; i++) {
		o = &pl->ops[i];
		if (o->op == PLAN_GITPATH) {
			/* the path is git's at launch: the key instead */
			buf_printf(
			    b, "%s    {\"kind\": \"ro\", \"dest\": ", sep);
			review_jstr(b, review_gitpath_text(o, h));
			buf_puts(b,
			    ", \"src\": null, \"optional\": false, "
			    "\"create\": false, \"protect\": true, "
			    "\"git_key\": ");
			review_jstr(b, o->s);
			buf_puts(b, ", ");
			review_jorigin(b, review_op_origin(o, p));
			buf_puts(b, "}");
			sep = ",\n";
			continue;
		}
		if (!review_is_mount(o))
			continue;
		buf_printf(b, "%s    {\"kind\": \"%s\", \"dest\": ", sep,
		    review_kind_word(o));
		review_jstr(b, review_expand(review_mount_dest(o), h));
		buf_puts(b, ", \"src\": ");
		review_jstr(b,
		    review_rank(o) > 0 && o->op != PLAN_GITCONFIG
		        ? review_expand(&o->src, h)
		        : NULL);
		buf_printf(b,
		    ", \"optional\": %s, \"create\": %s, \"protect\": %s, ",
		    o->mount.optional ? "true" : "false",
		    o->mount.create ? "true" : "false",
		    o->op == PLAN_PROTECT ? "true" : "false");
		review_jorigin(b, review_op_origin(o, p));
		buf_puts(b, "}");
		sep = ",\n";
	}
	buf_puts(b, "],\n  \"env\": [");
	for (i = 0, sep = "\n"; i < pl->nops; i++) {
		static const char *const words[] = { [PLAN_ENV_ALLOW] = "allow",
			[PLAN_ENV_DENY] = "deny",
			[PLAN_ENV_EXTRA] = "extra-from",
			[PLAN_ENV_SET] = "set" };

		o = &pl->ops[i];
		if (o->op != PLAN_ENV_ALLOW && o->op != PLAN_ENV_DENY &&
		    o->op != PLAN_ENV_EXTRA && o->op != PLAN_ENV_SET)
			continue;
		buf_printf(b, "%s    {\"rule\": \"%s\", \"name\": ", sep,
		    words[o->op]);
		review_jstr(b, o->s);
		buf_puts(b, ", \"value\": ");
		review_jstr(b,
		    o->op == PLAN_ENV_SET ? review_expand(&o->src, h) : NULL);
		buf_puts(b, ", ");
		review_jorigin(b, review_op_origin(o, p));
		buf_puts(b, "}");
		sep = ",\n";
	}
	buf_puts(b, "],\n  \"network\": {\"mode\": ");
	review_jstr(b, p->network == NET_HOST ? "host" : "none");
	buf_puts(b, ", ");
	review_jpos(b, &p->network_pos);
	buf_puts(b, ", \"abstract_sockets\": {\"mode\": ");
	review_jstr(b, p->abstract_host ? "host" : "isolate");
	buf_printf(b, ", \"host_reachable\": %s, ",
	    p->network == NET_HOST && p->abstract_host ? "true" : "false");
	review_jpos(b, &p->abstract_pos);
	buf_puts(b, "}},\n  \"namespaces\": {");
	for (k = 0; k < NS_MAX; k++) {
		buf_printf(b, "%s\"%s\": {\"shared\": %s, ", k > 0 ? ", " : "",
		    review_nsnames[k], p->share[k] ? "true" : "false");
		review_jpos(b, &p->share_pos[k]);
		buf_puts(b, "}");
	}
	buf_printf(b, "},\n  \"die_with_parent\": %s",
	    p->die_with_parent ? "true" : "false");
	buf_puts(b, ",\n  \"hostname\": ");
	review_jstr(b, p->hostname);
	buf_printf(b, ",\n  \"nested_sandbox\": %s",
	    p->nested_sandbox ? "true" : "false");
	buf_printf(b, ",\n  \"seccomp\": {\"filter\": %s, ",
	    p->seccomp_off ? "false" : "true");
	review_jpos(b, &p->seccomp_pos);
	buf_puts(b, ", \"allow\": [");
	for (i = 0; i < p->sc_allow.n; i++) {
		buf_puts(b, i > 0 ? ", " : "");
		review_jstr(b, p->sc_allow.v[i].s);
	}
	buf_puts(b, "], \"deny\": [");
	for (i = 0; i < p->sc_deny.n; i++) {
		buf_puts(b, i > 0 ? ", " : "");
		review_jstr(b, p->sc_deny.v[i].s);
	}
	buf_puts(b, "]},\n  \"limits\": {");
	for (i = 0, sep = ""; i < pl->nops; i++) {
		o = &pl->ops[i];
		if (o->op != PLAN_LIMIT)
			continue;
		buf_printf(b, "%s\"%s\": ", sep, o->s);
		if (o->limit == LIMIT_UNLIMITED)
			buf_puts(b, "\"unlimited\"");
		else
			buf_printf(b, "%llu", o->limit);
		sep = ", ";
	}
	buf_printf(b, "},\n  \"protect_hooks\": {\"on\": %s, ",
	    p->protect_hooks ? "true" : "false");
	review_jpos(b, &p->hooks_pos);
	buf_printf(b, "},\n  \"git_identity\": {\"host\": %s, ",
	    p->identity == IDENTITY_HOST ? "true" : "false");
	review_jpos(b, &p->identity_pos);
	buf_puts(b, "},\n  \"command\": ");
	review_jstr(
	    b, p->exec.canon != NULL ? review_expand(&p->exec, h) : NULL);
	buf_puts(b, "\n}\n");
}

int
review_explain(int argc, char **argv)
{
	struct profile *p = NULL;
	const struct plan *pl;
	struct host host;
	struct review_opts o;
	int i, rc;

	if ((rc = review_parse_opts(argc, argv, &i, usage_explain, 2, &o)) >= 0)
		return rc;
	if (i >= argc)
		return review_usage_error(
		    usage_explain, "no profile given", "");
	if (i + 1 < argc)
		return review_usage_error(
		    usage_explain, "one profile at a time; extra", argv[i + 1]);
	pl = review_load(argv[i], o.in, &p);
	rc = review_flush_diags(1);
	if (pl == NULL)
		return rc;
	if (o.resolve)
		review_host_values(&host);
	if (o.json) {
		struct buf b = { NULL, 0, 0 };

		explain_json(&b, p, pl, o.resolve ? &host : NULL);
		fwrite(b.s, 1, b.len, stdout);
	} else {
		explain_text(stdout, p, pl, o.resolve ? &host : NULL);
	}
	return review_finish(0);
}

/* ------------------------------------------------------------------ */
/* jailc diff                                                          */

enum effect { NEUTRAL, WIDENS, NARROWS };

struct change {
	const char *area;      /* "mount", "env", "network"... */
	const char *what;      /* "added", "removed", "changed" */
	const char *text;      /* what changed, in a few words */
	const struct pos *pos; /* the entry: NEW's, or OLD's when removed */
	enum effect effect;
};

struct changes {
	struct change *v;
	size_t n, cap;
	size_t widen;
	int score[2]; /* OLD's and NEW's exposure, in tenths */
};

static void
change(struct changes *c, const char *area, const char *what, const char *text,
    const struct pos *pos, enum effect e)
{
	static const struct pos none = { NULL, 0, 0 };
	struct change *x;

	array_reserve(&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	x = &c->v[c->n++];
	x->area = area;
	x->what = what;
	x->text = text;
	x->pos = pos != NULL ? pos : &none;
	x->effect = e;
	if (e == WIDENS)
		c->widen++;
}

/* The mount on top at path: the last in launch order whose destination
 * is path or lies above it; NULL when none covers it. */
static const char *review_host_path(
    const struct plan_op *o, const char *path, const struct host *h);

/*
 * The jail path where the protection o, whose entry globs, would pin
 * path or a directory above it: the base joined with the leading
 * components of path the pattern matches; NULL when it matches none.
 */
static const char *
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

/*
 * Where the launchers pin base/rel on this host (jail_pin), walking down
 * from base without following a link: at the first missing component
 * (made empty, for a read-only pin only), at a file where a directory
 * would be, else at the path itself.  NULL where they pin nothing here:
 * a symbolic link on the way (refused, or its target pinned elsewhere),
 * or a writable pin (.git) of anything but an existing directory.
 */
static const char *
review_pin_point(const char *base, const char *rel, int ro, const char **link)
{
	struct buf cur = { NULL, 0, 0 };
	struct stat st;
	size_t n;

	buf_puts(&cur, strcmp(base, "/") == 0 ? "" : base);
	for (;;) {
		n = strcspn(rel, "/");
		buf_putc(&cur, '/');
		buf_add(&cur, rel, n);
		rel += n;
		if (*rel == '/')
			rel++;
		if (lstat(cur.s, &st) == 0 && S_ISLNK(st.st_mode)) {
			if (link != NULL)
				*link = cur.s;
			return NULL;
		}
		if (stat(cur.s, &st) != 0)
			return ro ? cur.s : NULL;
		if (*rel == '\0')
			break;
		if (!S_ISDIR(st.st_mode))
			return ro ? cur.s : NULL;
	}
	return ro || S_ISDIR(st.st_mode) ? cur.s : NULL;
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
static const char *
review_pin_link(const struct plan_op *o, const char *path, const struct host *h)
{
	const char *base, *rel, *link = NULL;

	if (o->op != PLAN_PROTECT || h == NULL ||
	    (base = review_expand(&o->src, h))[0] != '/' ||
	    (rel = protect_rel(o, base, path, h)) == NULL)
		return NULL;
	review_pin_point(base, rel, o->mount.kind != MOUNT_RW, &link);
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
static const char *
review_cover_dest(
    const struct plan_op *o, const char *path, const struct host *h)
{
	const char *dest, *base, *rel;

	if (o->op == PLAN_PROTECT && h != NULL &&
	    (base = review_expand(&o->src, h))[0] == '/') {
		rel = protect_rel(o, base, path, h);
		dest = rel != NULL ? review_pin_point(base, rel,
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
static int
review_pins(const struct plan_op *top, const char *path, const struct host *h)
{
	return top != NULL &&
	    (top->mount.kind == MOUNT_RW ||
	        top->mount.kind == MOUNT_DEV_BIND) &&
	    (top->op == PLAN_MOUNT || top->op == PLAN_PROTECT) &&
	    strcmp(review_host_path(top, path, h), path) == 0;
}

/* The mount on top at path after the first n ops. */
static const struct plan_op *
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

static const struct plan_op *
review_top_mount(const struct plan *pl, const char *path, const struct host *h)
{
	return review_top_before(pl, pl->nops, path, h);
}

/* The host path a bind shows at path (under its destination). */
static const char *
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

static const struct plan_op *
same_dest(const struct plan *pl, const struct plan_op *o)
{
	size_t i;

	/* a protection is compared with protections only: it pins what
	 * another mount put at the same place (the generated gitconfig
	 * and ~/.gitconfig's protection) */
	for (i = 0; i < pl->nops; i++)
		if (review_is_mount(&pl->ops[i]) &&
		    (pl->ops[i].op == PLAN_PROTECT) ==
		        (o->op == PLAN_PROTECT) &&
		    strcmp(review_mount_dest(&pl->ops[i])->canon,
		        review_mount_dest(o)->canon) == 0)
			return &pl->ops[i];
	return NULL;
}

/* "rw", "ro (host SRC)": a mount's kind, and its source when that is not
 * the same path as its destination. */
static const char *
mount_how(const struct plan_op *o)
{
	if (o->op == PLAN_PROTECT)
		return arena_printf("%s (protection)", review_kind_word(o));
	if (review_rank(o) > 0 && o->op != PLAN_GITCONFIG &&
	    strcmp(o->src.canon, review_mount_dest(o)->canon) != 0)
		return arena_printf(
		    "%s (host %s)", review_kind_word(o), o->src.canon);
	return review_kind_word(o);
}

/* "rw DEST", "ro DEST (host SRC)": a mount in few words. */
static const char *
mount_phrase(const struct plan_op *o)
{
	const char *how = mount_how(o), *sp = strchr(how, ' ');

	if (sp == NULL)
		return arena_printf("%s %s", how, review_mount_dest(o)->canon);
	return arena_printf(
	    "%.*s %s%s", (int)(sp - how), how, review_mount_dest(o)->canon, sp);
}

/* A mount's source as canonical text: a protected path is its own, and
 * a mount without one has "". */
static const char *
src_text(const struct plan_op *o)
{
	if (o->op == PLAN_PROTECT)
		return review_mount_dest(o)->canon;
	return o->src.canon != NULL ? o->src.canon : "";
}

/*
 * A mount only in NEW widens access when it lets in more of the host
 * than what covered its place in OLD: a bind under a read-only bind of
 * the same files adds nothing; a bind under a tmpfs or of other files
 * does.
 */
static enum effect
added_effect(const struct plan *old, const struct plan_op *n)
{
	const struct plan_op *c =
	    review_top_mount(old, review_mount_dest(n)->canon, NULL);

	if (n->op == PLAN_PROTECT)
		return NARROWS; /* it pins, even the writable .git */
	if (review_rank(n) == 0)
		return c != NULL && review_rank(c) > 0 ? NARROWS : NEUTRAL;
	if (c != NULL && review_rank(c) >= review_rank(n) &&
	    n->op != PLAN_GITCONFIG &&
	    strcmp(review_host_path(c, review_mount_dest(n)->canon, NULL),
	        src_text(n)) == 0)
		return review_rank(c) > review_rank(n) ? NARROWS : NEUTRAL;
	return WIDENS;
}

/* A mount only in OLD: its place now shows what covers it in NEW. */
static enum effect
removed_effect(const struct plan *new, const struct plan_op *o)
{
	const struct plan_op *c =
	    review_top_mount(new, review_mount_dest(o)->canon, NULL);

	if (o->op == PLAN_PROTECT)
		return WIDENS; /* a protection is gone, whatever is left */
	if (c != NULL && review_rank(c) > review_rank(o))
		return WIDENS;
	return review_rank(o) > 0 ? NARROWS : NEUTRAL;
}

/* One destination, two mounts: more of the host, or other host files,
 * widen access. */
static enum effect
changed_effect(const struct plan_op *o, const struct plan_op *n)
{
	if (review_rank(n) > review_rank(o))
		return WIDENS;
	if (review_rank(n) > 0 && strcmp(src_text(o), src_text(n)) != 0)
		return WIDENS;
	return review_rank(n) < review_rank(o) ? NARROWS : NEUTRAL;
}

/* The git: protections in a but not in b (by checkout and key). */
static void
diff_gitpaths(struct changes *c, const struct plan *a, const struct plan *b,
    const struct profile *pa, const char *what, enum effect e)
{
	const struct plan_op *o;
	size_t i, j;

	for (i = 0; i < a->nops; i++) {
		o = &a->ops[i];
		if (o->op != PLAN_GITPATH)
			continue;
		for (j = 0; j < b->nops; j++)
			if (b->ops[j].op == PLAN_GITPATH &&
			    strcmp(b->ops[j].s, o->s) == 0 &&
			    strcmp(b->ops[j].src.canon, o->src.canon) == 0)
				break;
		if (j == b->nops)
			change(c, "mount", what,
			    arena_printf("ro %s (protection)",
			        review_gitpath_text(o, NULL)),
			    review_op_origin(o, pa).pos, e);
	}
}

static void
diff_mounts(struct changes *c, const struct plan *old, const struct plan *new,
    const struct profile *pa, const struct profile *pb)
{
	const struct plan_op *o, *n;
	size_t i;

	for (i = 0; i < new->nops; i++) {
		n = &new->ops[i];
		if (!review_is_mount(n))
			continue;
		if ((o = same_dest(old, n)) == NULL) {
			change(c, "mount", "added", mount_phrase(n),
			    review_op_origin(n, pb).pos, added_effect(old, n));
			continue;
		}
		if (o->op == n->op && o->mount.kind == n->mount.kind &&
		    strcmp(src_text(o), src_text(n)) == 0)
			continue;
		change(c, "mount", "changed",
		    arena_printf("%s: %s -> %s", review_mount_dest(n)->canon,
		        mount_how(o), mount_how(n)),
		    review_op_origin(n, pb).pos, changed_effect(o, n));
	}
	for (i = 0; i < old->nops; i++) {
		o = &old->ops[i];
		if (review_is_mount(o) && same_dest(new, o) == NULL)
			change(c, "mount", "removed", mount_phrase(o),
			    review_op_origin(o, pa).pos,
			    removed_effect(new, o));
	}
	diff_gitpaths(c, new, old, pb, "added", NARROWS);
	diff_gitpaths(c, old, new, pa, "removed", WIDENS);
}

/* The op of plan pl with opcode op and name s, or NULL. */
static const struct plan_op *
review_find_op(const struct plan *pl, enum plan_opcode op, const char *s)
{
	size_t i;

	for (i = 0; i < pl->nops; i++)
		if (pl->ops[i].op == op && strcmp(pl->ops[i].s, s) == 0)
			return &pl->ops[i];
	return NULL;
}

/* Ops with opcode op (by name) in a but not in b. */
static void
diff_names(struct changes *c, const struct plan *a, const struct plan *b,
    enum plan_opcode op, const char *what, const char *label, enum effect e)
{
	size_t i;

	for (i = 0; i < a->nops; i++)
		if (a->ops[i].op == op &&
		    review_find_op(b, op, a->ops[i].s) == NULL)
			change(c, "env", what,
			    arena_printf("%s %s", label, a->ops[i].s),
			    &a->ops[i].pos, e);
}

static void
diff_env(struct changes *c, const struct plan *old, const struct plan *new)
{
	const struct plan_op *o, *n;
	size_t i;

	diff_names(c, new, old, PLAN_ENV_ALLOW, "added", "allow", WIDENS);
	diff_names(c, old, new, PLAN_ENV_ALLOW, "removed", "allow", NARROWS);
	diff_names(c, old, new, PLAN_ENV_DENY, "removed", "deny", WIDENS);
	diff_names(c, new, old, PLAN_ENV_DENY, "added", "deny", NARROWS);
	diff_names(c, new, old, PLAN_ENV_EXTRA, "added", "extra-from", WIDENS);
	diff_names(
	    c, old, new, PLAN_ENV_EXTRA, "removed", "extra-from", NARROWS);
	/* Set values come from the profile, not from the host's
	 * environment: a change is worth reading, not a widening. */
	diff_names(c, new, old, PLAN_ENV_SET, "added", "set", NEUTRAL);
	diff_names(c, old, new, PLAN_ENV_SET, "removed", "set", NEUTRAL);
	for (i = 0; i < new->nops; i++) {
		n = &new->ops[i];
		if (n->op == PLAN_ENV_SET &&
		    (o = review_find_op(old, PLAN_ENV_SET, n->s)) != NULL &&
		    strcmp(o->src.canon, n->src.canon) != 0)
			change(c, "env", "changed",
			    arena_printf("set %s: %s -> %s", n->s, o->src.canon,
			        n->src.canon),
			    &n->pos, NEUTRAL);
	}
}

/* A yes/no setting that widens access when it turns to wide. */
static void
diff_flag(struct changes *c, const char *area, const char *name, int was,
    int is, int wide, const struct pos *pos)
{
	if (was == is)
		return;
	change(c, area, "changed",
	    arena_printf(
	        "%s: %s -> %s", name, was ? "yes" : "no", is ? "yes" : "no"),
	    pos, is == wide ? WIDENS : NARROWS);
}

/* Items of list a not in list b. */
static void
diff_items(struct changes *c, const char *area, const struct itemlist *a,
    const struct itemlist *b, const char *what, const char *label,
    enum effect e)
{
	size_t i, j;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++)
			if (strcmp(a->v[i].s, b->v[j].s) == 0)
				break;
		if (j == b->n)
			change(c, area, what,
			    arena_printf("%s %s", label, a->v[i].s),
			    &a->v[i].pos, e);
	}
}

/* A limit not set is the host's, which may be anything: unlimited. */
static void
diff_limits(struct changes *c, const struct profile *a, const struct profile *b)
{
	unsigned long long was, is;
	int k;

	for (k = 0; k < LIMIT_MAX; k++) {
		was = a->limits[k].set ? a->limits[k].value : LIMIT_UNLIMITED;
		is = b->limits[k].set ? b->limits[k].value : LIMIT_UNLIMITED;
		if (was == is)
			continue;
		change(c, "process", "changed",
		    arena_printf("limit %s: %s -> %s", limit_name(k),
		        a->limits[k].set ? review_limit_text(was) : "(host's)",
		        b->limits[k].set ? review_limit_text(is) : "(host's)"),
		    b->limits[k].set ? &b->limits[k].pos : &a->limits[k].pos,
		    is > was ? WIDENS : NARROWS);
	}
}

static void
diff_settings(
    struct changes *c, const struct profile *a, const struct profile *b)
{
	int k;

	if (a->network != b->network)
		change(c, "network", "changed",
		    a->network == NET_NONE ? "none -> host" : "host -> none",
		    &b->network_pos, b->network == NET_HOST ? WIDENS : NARROWS);
	/* What counts is whether the host's abstract sockets are
	 * reachable, which takes both settings. */
	diff_flag(c, "network", "host abstract sockets reachable",
	    a->network == NET_HOST && a->abstract_host,
	    b->network == NET_HOST && b->abstract_host, 1, &b->abstract_pos);
	for (k = 0; k < NS_MAX; k++)
		diff_flag(c, "namespace",
		    arena_printf("share %s", review_nsnames[k]), a->share[k],
		    b->share[k], 1, &b->share_pos[k]);
	/* Without it the jail may outlive the launcher's parent. */
	diff_flag(c, "process", "die-with-parent", a->die_with_parent,
	    b->die_with_parent, 0, NULL);
	if ((a->hostname == NULL) != (b->hostname == NULL) ||
	    (a->hostname != NULL && strcmp(a->hostname, b->hostname) != 0))
		change(c, "process", "changed",
		    arena_printf("hostname: %s -> %s",
		        a->hostname ? a->hostname : "(host's)",
		        b->hostname ? b->hostname : "(host's)"),
		    &b->hostname_pos, NEUTRAL);
	diff_flag(c, "process", "nested-sandbox", a->nested_sandbox,
	    b->nested_sandbox, 1, &b->nested_pos);
	diff_flag(c, "seccomp", "filter off", a->seccomp_off, b->seccomp_off, 1,
	    &b->seccomp_pos);
	diff_items(
	    c, "seccomp", &b->sc_allow, &a->sc_allow, "added", "allow", WIDENS);
	diff_items(c, "seccomp", &a->sc_allow, &b->sc_allow, "removed", "allow",
	    NARROWS);
	diff_items(
	    c, "seccomp", &a->sc_deny, &b->sc_deny, "removed", "deny", WIDENS);
	diff_items(
	    c, "seccomp", &b->sc_deny, &a->sc_deny, "added", "deny", NARROWS);
	diff_limits(c, a, b);
	diff_flag(c, "protect", "git.protect-hooks", a->protect_hooks,
	    b->protect_hooks, 0, &b->hooks_pos);
	diff_flag(c, "git", "git.identity host", a->identity == IDENTITY_HOST,
	    b->identity == IDENTITY_HOST, 1, &b->identity_pos);
	if ((a->exec.canon == NULL) != (b->exec.canon == NULL) ||
	    (a->exec.canon != NULL &&
	        strcmp(a->exec.canon, b->exec.canon) != 0))
		change(c, "command", "changed",
		    arena_printf("exec: %s -> %s",
		        a->exec.canon ? a->exec.canon : "(none)",
		        b->exec.canon ? b->exec.canon : "(none)"),
		    &b->exec.pos, NEUTRAL);
}

static const char *const effect_words[] = { "", "widens", "narrows" };

/* The exposure score of a profile (jailc score), in tenths.  Its lint
 * findings are counted, not shown: that is jailc check's work. */
static int
exposure(struct profile *p)
{
	struct lint_score s;
	struct diag *d;
	size_t first, last;

	diag_list(&first);
	lint_profile(p);
	d = diag_list(&last);
	lint_score(d + first, last - first, &s);
	return s.tenths;
}

static void
diff_text(FILE *fp, const struct changes *c, const char *oldf, const char *newf)
{
	struct table t = { NULL, 0, 0 };
	size_t i;

	fprintf(fp, "jailc diff %s %s\n", oldf, newf);
	for (i = 0; i < c->n; i++) {
		const struct change *x = &c->v[i];
		const char *sign = strcmp(x->what, "added") == 0 ? "+"
		    : strcmp(x->what, "removed") == 0            ? "-"
		                                                 : "~";

		review_row(&t, x->area, arena_printf("%s %s", sign, x->text),
		    x->pos->line > 0 ? plan_where(x->pos) : "",
		    effect_words[x->effect], NULL);
	}
	review_table_print(fp, &t);
	fprintf(fp,
	    "score: %d.%d -> %d.%d (%s -> %s; jailc score: higher is "
	    "more exposed)\n",
	    c->score[0] / 10, c->score[0] % 10, c->score[1] / 10,
	    c->score[1] % 10, lint_band(c->score[0]), lint_band(c->score[1]));
	if (c->n == 0)
		fputs("no change in the access granted\n", fp);
	else if (c->widen > 0)
		fprintf(fp, "%zu change%s, %zu widen%s access\n", c->n,
		    c->n == 1 ? "" : "s", c->widen, c->widen == 1 ? "s" : "");
	else
		fprintf(fp, "%zu change%s, none widens access\n", c->n,
		    c->n == 1 ? "" : "s");
}

static void
diff_json(
    struct buf *b, const struct changes *c, const char *oldf, const char *newf)
{
	size_t i;

	buf_puts(b, "{\n  \"old\": ");
	review_jstr(b, oldf);
	buf_puts(b, ",\n  \"new\": ");
	review_jstr(b, newf);
	buf_printf(b, ",\n  \"widens\": %s,\n  \"changes\": [",
	    c->widen > 0 ? "true" : "false");
	for (i = 0; i < c->n; i++) {
		const struct change *x = &c->v[i];

		buf_printf(b, "%s\n    {\"area\": \"%s\", \"change\": \"%s\", ",
		    i > 0 ? "," : "", x->area, x->what);
		buf_puts(b, "\"text\": ");
		review_jstr(b, x->text);
		buf_printf(b, ", \"effect\": \"%s\", ",
		    x->effect == WIDENS        ? "widens"
		        : x->effect == NARROWS ? "narrows"
		                               : "neutral");
		review_jpos(b, x->pos);
		buf_puts(b, "}");
	}
	buf_printf(b,
	    "],\n  \"score\": {\"old\": %d.%d, \"new\": %d.%d, "
	    "\"old_band\": \"%s\", \"new_band\": \"%s\"}\n}\n",
	    c->score[0] / 10, c->score[0] % 10, c->score[1] / 10,
	    c->score[1] % 10, lint_band(c->score[0]), lint_band(c->score[1]));
}

int
review_diff(int argc, char **argv)
{
	struct profile *pa = NULL, *pb = NULL;
	const struct plan *a, *b;
	struct changes c = { NULL, 0, 0, 0, { 0, 0 } };
	struct review_opts o;
	int i, rc;

	if ((rc = review_parse_opts(argc, argv, &i, usage_diff, 1, &o)) >= 0)
		return rc;
	if (argc - i != 2)
		return review_usage_error(usage_diff,
		    "two profiles needed, got", arena_printf("%d", argc - i));
	a = review_load(argv[i], o.in, &pa);
	b = review_load(argv[i + 1], o.in, &pb);
	review_flush_diags(2);
	if (a == NULL || b == NULL)
		return 2;
	c.score[0] = exposure(pa);
	c.score[1] = exposure(pb);
	diag_reset();
	diff_mounts(&c, a, b, pa, pb);
	diff_env(&c, a, b);
	diff_settings(&c, pa, pb);
	if (o.json) {
		struct buf out = { NULL, 0, 0 };

		diff_json(&out, &c, argv[i], argv[i + 1]);
		fwrite(out.s, 1, out.len, stdout);
	} else {
		diff_text(stdout, &c, argv[i], argv[i + 1]);
	}
	return review_finish(c.widen > 0 ? 1 : 0);
}

/* ------------------------------------------------------------------ */
/* jailc why                                                           */

/* A mount over the path asked about, and the place it is set up. */
struct cover {
	const struct plan_op *o;
	const char *dest;
};

/* What jailc why finds about a path. */
struct why_path {
	const char *path;          /* with this host's values */
	const struct plan_op *top; /* the mount on top there, or NULL */
	const char *dest;          /* where top is set up */
	const char *made; /* "directory" or "file": the launcher makes the
	                   * protected path top pins, missing here */
	struct cover *v;  /* the mounts over it, bottom to top */
	size_t n, cap;
	struct cover *unpinned; /* protections that glob to it but pin
	                         * nothing: what they match is missing */
	size_t nunpinned, capunpinned;
	struct cover refused; /* a link on the way to a protected path,
	                       * which stops the launcher: .dest the link */
};

static void
add_cover(struct cover **v, size_t *n, size_t *cap, const struct plan_op *o,
    const char *dest)
{
	array_reserve(v, cap, *n + 1, sizeof(**v));
	(*v)[*n].o = o;
	(*v)[*n].dest = dest;
	(*n)++;
}

/* Whether mount op i repeats an earlier one here: the launcher binds
 * ${PROJECT_ROOT} and ${WORKTREE} once when they are one directory, and
 * pins a protected path once whichever directory it came through. */
static int
same_as_earlier(
    const struct plan *pl, size_t i, const char *path, const struct host *h)
{
	const struct plan_op *o = &pl->ops[i], *e;
	const char *dest = review_cover_dest(o, path, h), *d;
	size_t j;

	for (j = 0; j < i; j++) {
		e = &pl->ops[j];
		if (e->op == o->op && e->mount.kind == o->mount.kind &&
		    (d = review_cover_dest(e, path, h)) != NULL &&
		    strcmp(d, dest) == 0 &&
		    strcmp(review_mount_source(e, h),
		        review_mount_source(o, h)) == 0)
			return 1;
	}
	return 0;
}

/* Whether w lists already that protection o matches dest but pins
 * nothing (one entry under ${PROJECT_ROOT} and ${CWD}, one place). */
static int
unpinned_already(
    const struct why_path *w, const struct plan_op *o, const char *dest)
{
	size_t i;

	for (i = 0; i < w->nunpinned; i++)
		if (strcmp(w->unpinned[i].dest, dest) == 0 &&
		    strcmp(w->unpinned[i].o->s, o->s) == 0)
			return 1;
	return 0;
}

static void
why_path_find(struct why_path *w, const struct plan *pl, const char *path,
    const struct host *h)
{
	const struct plan_op *o;
	const char *d;
	struct stat st;
	size_t i;

	memset(w, 0, sizeof(*w));
	w->path = path;
	if ((w->top = review_top_mount(pl, path, h)) != NULL)
		w->dest = review_cover_dest(w->top, path, h);
	/* a directory on the way, or as the entry says (jail_pin) */
	if (w->top != NULL && w->top->op == PLAN_PROTECT &&
	    lstat(w->dest, &st) != 0)
		w->made = w->top->dir ||
		        strcmp(w->dest,
		            review_expand(review_mount_dest(w->top), h)) != 0
		    ? "directory"
		    : "file";
	for (i = 0; i < pl->nops; i++) {
		o = &pl->ops[i];
		if (!review_is_mount(o))
			continue;
		if ((d = review_cover_dest(o, path, h)) != NULL) {
			if (!same_as_earlier(pl, i, path, h) &&
			    (o->op != PLAN_PROTECT ||
			        review_pins(review_top_before(pl, i, path, h),
			            path, h)))
				add_cover(&w->v, &w->n, &w->cap, o, d);
		} else if (o->op == PLAN_PROTECT && protect_is_glob(o->s) &&
		    (d = review_glob_dest(o, path, h)) != NULL &&
		    !unpinned_already(w, o, d) &&
		    review_pins(review_top_before(pl, i, path, h), path, h)) {
			add_cover(
			    &w->unpinned, &w->nunpinned, &w->capunpinned, o, d);
		} else if (w->refused.o == NULL &&
		    (d = review_pin_link(o, path, h)) != NULL &&
		    review_path_under(path, d) &&
		    review_pins(review_top_before(pl, i, path, h), path, h)) {
			/* where the jail could replace the link, no pin
			 * can hold it: the launch is refused */
			w->refused.o = o;
			w->refused.dest = d;
		}
	}
}

/* The answer for a path covered by a mount, on one line. */
static void
why_verdict_text(FILE *fp, const struct why_path *w, const struct host *h)
{
	const struct plan_op *top = w->top;
	const char *path = w->path, *dest = w->dest;

	if (w->made != NULL && strcmp(path, dest) == 0) {
		fprintf(fp,
		    "visible, read-only: missing here, the launcher makes "
		    "it %s and pins it\n",
		    strcmp(w->made, "directory") == 0 ? "an empty directory"
		        : top->mount.datalen > 0 ? "a file written by jailc"
		                                 : "an empty file");
		return;
	}
	if (w->made != NULL) {
		fprintf(fp,
		    "not visible: %s is missing here, the launcher makes "
		    "it an empty directory and pins it read-only\n",
		    dest);
		return;
	}
	switch (top->mount.kind) { /* a gitconfig is MOUNT_DATA */
	case MOUNT_RO:
	case MOUNT_RW:
	case MOUNT_DEV_BIND:
		fprintf(fp, "visible, %s, from the host's %s%s\n",
		    top->mount.kind == MOUNT_RO ? "read-only"
		        : top->mount.kind == MOUNT_RW
		        ? "read-write"
		        : "read-write with devices",
		    review_host_path(top, path, h),
		    top->mount.optional ? " (when it exists)" : "");
		break;
	case MOUNT_TMPFS:
	case MOUNT_DIR:
		if (strcmp(path, dest) == 0)
			fputs("visible, an empty directory made in the "
			      "jail\n",
			    fp);
		else
			fprintf(fp,
			    "not visible: hidden by the %s on %s, "
			    "which starts empty\n",
			    review_kind_word(top), dest);
		break;
	case MOUNT_PROC:
	case MOUNT_DEV:
		fprintf(fp, "visible, in the jail's own %s\n", dest);
		break;
	case MOUNT_SYMLINK:
	case MOUNT_DATA:
		if (strcmp(path, dest) == 0)
			fprintf(fp, "visible, %s\n",
			    top->mount.kind == MOUNT_SYMLINK
			        ? arena_printf("a symbolic link to %s",
			              review_expand(&top->src, h))
			        : "a read-only file written by jailc");
		else
			fprintf(fp, "not visible: %s is a %s\n", dest,
			    top->mount.kind == MOUNT_SYMLINK ? "symbolic link"
			                                     : "file");
		break;
	}
}

static void
why_path_text(FILE *fp, const struct profile *p, const struct why_path *w,
    const struct tmpl *q, const struct host *h)
{
	struct table t = { NULL, 0, 0 };
	const struct plan_op *top = w->top, *o;
	const char *path = w->path;
	size_t i;

	fprintf(fp, "%s", q->canon);
	if (strcmp(path, q->canon) != 0)
		fprintf(fp, " (here: %s)", path);
	fputs(": ", fp);
	if (top == NULL) {
		fputs("not visible: no mount covers it (the jail's root is an "
		      "empty tmpfs)\n",
		    fp);
		return;
	}
	why_verdict_text(fp, w, h);
	if (top->op == PLAN_PROTECT)
		fputs(
		    "  (a protected path: pinned where a writable mount holds "
		    "it)\n",
		    fp);
	for (i = 0; i < w->nunpinned; i++) {
		o = w->unpinned[i].o;
		fprintf(fp,
		    "  (not pinned by %s, %s: a pattern pins only what exists "
		    "when the launcher starts, and %s does not exist here)\n",
		    review_expand(review_mount_dest(o), h),
		    review_origin_text(review_op_origin(o, p)),
		    w->unpinned[i].dest);
	}
	if ((o = w->refused.o) != NULL)
		fprintf(fp,
		    "  (the launcher refuses to start: %s is a symbolic link "
		    "where it would pin %s, %s; replace the link, or name it "
		    "in protect.remove)\n",
		    w->refused.dest, review_expand(review_mount_dest(o), h),
		    review_origin_text(review_op_origin(o, p)));
	fputs("mounts covering it, bottom to top (the last decides):\n", fp);
	for (i = 0; i < w->n; i++) {
		o = w->v[i].o;
		review_row(&t, review_kind_word(o), w->v[i].dest,
		    review_mount_source(o, h),
		    review_origin_text(review_op_origin(o, p)),
		    o == top ? "<- decides" : "");
	}
	review_table_print(fp, &t);
}

/* A mount over the path, for --format json: where it is, what it
 * shows, the protected-path entry behind a pin, and its entry. */
static void
why_cover_json(struct buf *b, const struct cover *c, const struct plan_op *top,
    const struct profile *p, const struct host *h)
{
	const struct plan_op *o = c->o;
	const char *src = NULL;

	if (o->op == PLAN_PROTECT)
		src = c->dest; /* bound onto itself */
	else if (review_rank(o) > 0 && o->op != PLAN_GITCONFIG)
		src = review_expand(&o->src, h);
	buf_printf(b, "{\"kind\": \"%s\", \"dest\": ", review_kind_word(o));
	review_jstr(b, c->dest);
	buf_puts(b, ", \"src\": ");
	review_jstr(b, src);
	buf_printf(b, ", \"protect\": %s, \"pattern\": ",
	    o->op == PLAN_PROTECT ? "true" : "false");
	review_jstr(b,
	    o->op == PLAN_PROTECT ? review_expand(review_mount_dest(o), h)
	                          : NULL);
	buf_printf(b, ", \"decides\": %s, ", o == top ? "true" : "false");
	review_jwhere(b, review_op_origin(o, p));
	buf_puts(b, "}");
}

static void
why_path_json(struct buf *b, const char *query, const struct profile *p,
    const struct why_path *w, const struct host *h)
{
	const struct plan_op *top = w->top;
	const char *verdict = "not-mounted", *shows = NULL, *access = NULL;
	const char *from = NULL, *target = NULL;
	int here = top != NULL && strcmp(w->path, w->dest) == 0;
	size_t i;

	if (w->made != NULL) {
		verdict = here ? "visible" : "hidden";
		shows = !here ? NULL
		    : strcmp(w->made, "directory") == 0
		    ? "placeholder-directory"
		    : "placeholder-file";
		access = here ? "read-only" : NULL;
		from = here ? w->dest : NULL;
	} else if (top != NULL) {
		switch (top->mount.kind) { /* a gitconfig is MOUNT_DATA */
		case MOUNT_RO:
		case MOUNT_RW:
		case MOUNT_DEV_BIND:
			verdict = "visible";
			shows = "host";
			access = top->mount.kind == MOUNT_RO ? "read-only"
			    : top->mount.kind == MOUNT_RW
			    ? "read-write"
			    : "read-write-devices";
			from = review_host_path(top, w->path, h);
			break;
		case MOUNT_TMPFS:
		case MOUNT_DIR:
			verdict = here ? "visible" : "hidden";
			shows = here ? "empty-directory" : NULL;
			break;
		case MOUNT_PROC:
		case MOUNT_DEV:
			verdict = "visible";
			shows = review_kind_word(top);
			break;
		case MOUNT_SYMLINK:
			verdict = here ? "visible" : "hidden";
			shows = here ? "symlink" : NULL;
			target = here ? review_expand(&top->src, h) : NULL;
			break;
		case MOUNT_DATA:
			verdict = here ? "visible" : "hidden";
			shows = here ? "file" : NULL;
			access = here ? "read-only" : NULL;
			break;
		}
	}
	buf_puts(b, "{\n  \"query\": ");
	review_jstr(b, query);
	buf_puts(b, ",\n  \"type\": \"path\",\n  \"path\": ");
	review_jstr(b, w->path);
	buf_printf(b, ",\n  \"verdict\": \"%s\",\n  \"shows\": ", verdict);
	review_jstr(b, shows);
	buf_puts(b, ",\n  \"access\": ");
	review_jstr(b, access);
	buf_puts(b, ",\n  \"host_path\": ");
	review_jstr(b, from);
	buf_puts(b, ",\n  \"target\": ");
	review_jstr(b, target);
	buf_printf(b, ",\n  \"optional\": %s,\n  \"protected\": %s",
	    top != NULL && top->mount.optional ? "true" : "false",
	    top != NULL && top->op == PLAN_PROTECT ? "true" : "false");
	buf_puts(b, ",\n  \"entries\": [");
	for (i = 0; i < w->n; i++) {
		buf_puts(b, i > 0 ? ",\n    " : "\n    ");
		why_cover_json(b, &w->v[i], top, p, h);
	}
	buf_puts(b, "],\n  \"unpinned\": [");
	for (i = 0; i < w->nunpinned; i++) {
		buf_puts(b, i > 0 ? ",\n    " : "\n    ");
		buf_puts(b, "{\"pattern\": ");
		review_jstr(
		    b, review_expand(review_mount_dest(w->unpinned[i].o), h));
		buf_puts(b, ", \"missing\": ");
		review_jstr(b, w->unpinned[i].dest);
		buf_puts(b, ", ");
		review_jwhere(b, review_op_origin(w->unpinned[i].o, p));
		buf_puts(b, "}");
	}
	buf_puts(b, "],\n  \"refused\": ");
	if (w->refused.o != NULL) {
		buf_puts(b, "{\"link\": ");
		review_jstr(b, w->refused.dest);
		buf_puts(b, ", \"pattern\": ");
		review_jstr(
		    b, review_expand(review_mount_dest(w->refused.o), h));
		buf_puts(b, ", ");
		review_jwhere(b, review_op_origin(w->refused.o, p));
		buf_puts(b, "}");
	} else {
		buf_puts(b, "null");
	}
	buf_puts(b, "\n}\n");
}

static int
pattern_match(const char *pat, const char *name)
{
	return fnmatch(pat, name, 0) == 0;
}

/* The first op with opcode op whose pattern matches name, or NULL. */
static const struct plan_op *
matching(
    const struct plan *pl, enum plan_opcode op, const char *name, int generated)
{
	size_t i;

	for (i = 0; i < pl->nops; i++)
		if (pl->ops[i].op == op &&
		    (pl->ops[i].pos.line == 0) == generated &&
		    pattern_match(pl->ops[i].s, name))
			return &pl->ops[i];
	return NULL;
}

/* What decides about a variable, in the order the launchers apply
 * the rules. */
enum env_verdict {
	ENV_NEVER,      /* jailc's own denials */
	ENV_SET,        /* the profile sets it */
	ENV_DENIED,     /* a deny pattern matches it */
	ENV_PASSES,     /* an allow pattern matches it */
	ENV_EXTRA,      /* only when listed in the extra-from variable */
	ENV_NOT_ALLOWED /* nothing lets it in */
};

static const char *const env_verdict_words[] = { "never", "set", "denied",
	"passes", "extra-from", "not-allowed" };

struct why_env {
	enum env_verdict verdict;
	const struct plan_op *decides; /* NULL for ENV_NOT_ALLOWED */
	const struct plan_op *allow;   /* an allow that a deny overrides */
	const struct plan_op *extra;   /* extra-from, which a deny overrides */
};

static void
why_env_find(struct why_env *w, const struct plan *pl, const char *name)
{
	const struct plan_op *deny, *allow, *extra = NULL, *set;
	size_t i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < pl->nops; i++)
		if (pl->ops[i].op == PLAN_ENV_EXTRA)
			extra = &pl->ops[i];
	if ((w->decides = matching(pl, PLAN_ENV_DENY, name, 1)) != NULL) {
		w->verdict = ENV_NEVER;
	} else if ((set = review_find_op(pl, PLAN_ENV_SET, name)) != NULL) {
		w->verdict = ENV_SET;
		w->decides = set;
	} else if ((deny = matching(pl, PLAN_ENV_DENY, name, 0)) != NULL) {
		w->verdict = ENV_DENIED;
		w->decides = deny;
		w->allow = matching(pl, PLAN_ENV_ALLOW, name, 0);
		w->extra = extra;
	} else if ((allow = matching(pl, PLAN_ENV_ALLOW, name, 0)) != NULL) {
		w->verdict = ENV_PASSES;
		w->decides = allow;
	} else if (extra != NULL) {
		w->verdict = ENV_EXTRA;
		w->decides = extra;
	} else {
		w->verdict = ENV_NOT_ALLOWED;
	}
}

static void
why_env_text(FILE *fp, const struct profile *p, const struct why_env *w,
    const char *name)
{
	const struct plan_op *d = w->decides;

	switch (w->verdict) {
	case ENV_NEVER:
		fprintf(fp,
		    "%s: never passes: every jail denies PWD, OLDPWD, "
		    "SHLVL and _ (the launcher's own shell state)\n",
		    name);
		break;
	case ENV_SET:
		fprintf(fp,
		    "%s: set to %s by %s; the host's value never "
		    "passes\n",
		    name, d->src.canon,
		    review_origin_text(review_op_origin(d, p)));
		break;
	case ENV_DENIED:
		fprintf(fp, "%s: does not pass: denied by '%s' at %s", name,
		    d->s, review_origin_text(review_op_origin(d, p)));
		if (w->allow != NULL)
			fprintf(fp, "; deny wins over the allow '%s' at %s",
			    w->allow->s,
			    review_origin_text(review_op_origin(w->allow, p)));
		if (w->extra != NULL)
			fprintf(fp, "; listing it in $%s does not help either",
			    w->extra->s);
		fputc('\n', fp);
		break;
	case ENV_PASSES:
		fprintf(fp,
		    "%s: passes from the host (when set there): "
		    "allowed by '%s' at %s\n",
		    name, d->s, review_origin_text(review_op_origin(d, p)));
		break;
	case ENV_EXTRA:
		fprintf(fp,
		    "%s: does not pass unless listed in $%s at launch "
		    "(extra-from at %s); no allow pattern matches it\n",
		    name, d->s, review_origin_text(review_op_origin(d, p)));
		break;
	case ENV_NOT_ALLOWED:
		fprintf(fp, "%s: does not pass: no allow pattern matches it\n",
		    name);
		break;
	}
}

/* An environment rule, for --format json, with the words of explain's. */
static void
why_rule_json(struct buf *b, const struct plan_op *o, int decides,
    const struct profile *p)
{
	buf_printf(b, "{\"rule\": \"%s\", \"name\": ",
	    o->op == PLAN_ENV_ALLOW      ? "allow"
	        : o->op == PLAN_ENV_DENY ? "deny"
	        : o->op == PLAN_ENV_SET  ? "set"
	                                 : "extra-from");
	review_jstr(b, o->s);
	buf_puts(b, ", \"value\": ");
	review_jstr(b, o->op == PLAN_ENV_SET ? o->src.canon : NULL);
	buf_printf(b, ", \"decides\": %s, ", decides ? "true" : "false");
	review_jwhere(b, review_op_origin(o, p));
	buf_puts(b, "}");
}

static void
why_env_json(struct buf *b, const struct profile *p, const struct why_env *w,
    const char *name)
{
	const struct plan_op *d = w->decides;
	const char *sep = "\n    ";

	buf_puts(b, "{\n  \"query\": ");
	review_jstr(b, name);
	buf_printf(b, ",\n  \"type\": \"variable\",\n  \"verdict\": \"%s\"",
	    env_verdict_words[w->verdict]);
	buf_puts(b, ",\n  \"value\": ");
	review_jstr(b, w->verdict == ENV_SET ? d->src.canon : NULL);
	buf_puts(b, ",\n  \"entries\": [");
	if (d != NULL) {
		buf_puts(b, sep);
		why_rule_json(b, d, 1, p);
		sep = ",\n    ";
	}
	if (w->allow != NULL) {
		buf_puts(b, sep);
		why_rule_json(b, w->allow, 0, p);
		sep = ",\n    ";
	}
	if (w->extra != NULL) {
		buf_puts(b, sep);
		why_rule_json(b, w->extra, 0, p);
	}
	buf_puts(b, "]\n}\n");
}

/* Whether s is a variable name a launcher could pass: [A-Za-z_][A-Za-z0-9_]*.
 */
static int
env_name(const char *s)
{
	const char *c;

	if (*s == '\0' || (*s >= '0' && *s <= '9'))
		return 0;
	for (c = s; *c != '\0'; c++)
		if (!(*c == '_' || (*c >= 'a' && *c <= 'z') ||
		        (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return 0;
	return 1;
}

int
review_why(int argc, char **argv)
{
	struct profile *p = NULL;
	const struct plan *pl;
	const char *what;
	struct buf out = { NULL, 0, 0 };
	struct why_path wp;
	struct why_env we;
	struct host host;
	struct tmpl q;
	struct review_opts o;
	int i, rc, is_path;

	if ((rc = review_parse_opts(argc, argv, &i, usage_why, 1, &o)) >= 0)
		return rc;
	if (argc - i != 2)
		return review_usage_error(usage_why,
		    "a path or variable name and a profile needed, got",
		    arena_printf("%d arguments", argc - i));
	what = argv[i];
	is_path = what[0] == '/' || what[0] == '~' || what[0] == '$';
	if (!is_path && !env_name(what))
		return review_usage_error(usage_why,
		    "neither an absolute path nor a variable name:", what);
	if (is_path && tmpl_parse(&q, what, strlen(what), NULL, 1) != 0)
		return review_flush_diags(2);
	pl = review_load(argv[i + 1], o.in, &p);
	rc = review_flush_diags(1);
	if (pl == NULL)
		return rc;
	if (is_path) {
		review_host_values(&host);
		why_path_find(&wp, pl, review_expand(&q, &host), &host);
		if (o.json)
			why_path_json(&out, what, p, &wp, &host);
		else
			why_path_text(stdout, p, &wp, &q, &host);
	} else {
		why_env_find(&we, pl, what);
		if (o.json)
			why_env_json(&out, p, &we, what);
		else
			why_env_text(stdout, p, &we, what);
	}
	if (o.json)
		fwrite(out.s, 1, out.len, stdout);
	return review_finish(0);
}
