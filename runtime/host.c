/*
 * host.c - the host as a launch finds it (host.h).
 *
 * What the launch reads of the host is decided here once: the
 * environment as bash imports it, the variables and how their paths are
 * normalised, PROJECT_ROOT and WORKTREE, the walk that pins a protected
 * path, and what git's configuration says.  The jail's own state (its
 * mounts so far) is the caller's, asked through struct host_mounts.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "xauth.h"
#include "sha256.h"
#include "verify.h"

extern char **environ;

/* A growable byte string from the context's allocator; NUL-terminated
 * once anything is in it. */
struct hbuf {
	char *s;
	size_t len, cap;
};

static void *
hgrow(struct host_ctx *ctx, void *p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap > 0 ? *cap : 8;
	void *np;

	if (need <= *cap)
		return p;
	while (ncap < need)
		ncap *= 2;
	/* the old block stays with the allocator, which frees it or not */
	np = ctx->alloc(ctx->arg, ncap * size);
	if (*cap > 0)
		memcpy(np, p, *cap * size);
	*cap = ncap;
	return np;
}

static void
hbuf_add(struct host_ctx *ctx, struct hbuf *b, const char *s, size_t n)
{
	b->s = hgrow(ctx, b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
hbuf_puts(struct host_ctx *ctx, struct hbuf *b, const char *s)
{
	hbuf_add(ctx, b, s, strlen(s));
}

static void
hbuf_putc(struct host_ctx *ctx, struct hbuf *b, char c)
{
	hbuf_add(ctx, b, &c, 1);
}

static char *
hstrdup(struct host_ctx *ctx, const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(ctx->alloc(ctx->arg, n), s, n);
}

static char *
hcat(struct host_ctx *ctx, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = ctx->alloc(ctx->arg, la + lb + 1);

	memcpy(s, a, la);
	memcpy(s + la, b, lb + 1);
	return s;
}

static void herr(struct host_ctx *ctx, enum host_sev sev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Report a problem through the caller's callback. */
static void
herr(struct host_ctx *ctx, enum host_sev sev, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = ctx->alloc(ctx->arg, len > 0 ? (size_t)len + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(msg, len > 0 ? (size_t)len + 1 : 1, fmt, ap);
	va_end(ap);
	ctx->error(ctx->arg, sev, msg);
}

/* The host environment as bash sees it: entries whose names are
 * identifiers, the last of a name winning (bash imports environ in
 * order, so a later entry overwrites an earlier one, and getenv(3),
 * which returns the first, would disagree), sorted by name. */
static int
env_cmp(const void *a, const void *b)
{
	return strcmp(((const struct host_env *)a)->name,
	    ((const struct host_env *)b)->name);
}

int
host_init(struct host_ctx *ctx, void *(*alloc)(void *, size_t),
    void (*error)(void *, enum host_sev, const char *), void *arg)
{
	size_t n = 0, i, j, cap = 0;
	char **e;

	memset(ctx, 0, sizeof(*ctx));
	ctx->alloc = alloc;
	ctx->error = error;
	ctx->arg = arg;
	for (e = environ; *e != NULL; e++) {
		const char *eq = strchr(*e, '=');
		char *name;

		if (eq == NULL)
			continue;
		name = ctx->alloc(ctx->arg, (size_t)(eq - *e) + 1);
		memcpy(name, *e, (size_t)(eq - *e));
		name[eq - *e] = '\0';
		/* not identifiers: not variables; jail_ names were the
		 * old bash launcher's state, and stay out so that no plan's
		 * meaning changed with it */
		if (!run_is_ident(name) || strncmp(name, "jail_", 5) == 0)
			continue;
		ctx->env = hgrow(ctx, ctx->env, &cap, n + 1, sizeof(*ctx->env));
		ctx->env[n].name = name;
		ctx->env[n].value = eq + 1;
		n++;
	}
	/* stable: among equal names, keep the last in environ */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (ctx->env[j].name != NULL &&
			    ctx->env[i].name != NULL &&
			    strcmp(ctx->env[i].name, ctx->env[j].name) == 0) {
				ctx->env[i].value = ctx->env[j].value;
				ctx->env[j].name = NULL;
			}
	for (i = j = 0; i < n; i++)
		if (ctx->env[i].name != NULL)
			ctx->env[j++] = ctx->env[i];
	ctx->nenv = j;
	if (j > 1)
		qsort(ctx->env, j, sizeof(*ctx->env), env_cmp);
	return 0;
}

const char *
host_getenv(struct host_ctx *ctx, const char *name)
{
	struct host_env key = { name, NULL }, *e;

	if (ctx->nenv == 0)
		return NULL;
	e = bsearch(&key, ctx->env, ctx->nenv, sizeof(*ctx->env), env_cmp);
	return e != NULL ? e->value : NULL;
}

char *
host_norm(struct host_ctx *ctx, const char *what, const char *val)
{
	struct hbuf out = { NULL, 0, 0 };
	const char *p = val, *comp;
	size_t n;

	if (val[0] != '/') {
		herr(ctx, HOST_FATAL, "%s is not an absolute path: '%s'", what,
		    val);
		return NULL;
	}
	hbuf_add(ctx, &out, "", 0);
	while (*p != '\0') {
		while (*p == '/')
			p++;
		comp = p;
		n = strcspn(p, "/");
		p += n;
		if (n == 0)
			continue;
		if ((n == 1 && comp[0] == '.') ||
		    (n == 2 && comp[0] == '.' && comp[1] == '.')) {
			herr(ctx, HOST_FATAL,
			    "%s has a '.' or '..' component: '%s'", what, val);
			return NULL;
		}
		hbuf_putc(ctx, &out, '/');
		hbuf_add(ctx, &out, comp, n);
	}
	return out.len > 0 ? out.s : hstrdup(ctx, "/");
}

char *
host_cdp(struct host_ctx *ctx, const char *path)
{
	struct stat st;
	char *real, *copy;

	/* bash's cd '' stays where it is */
	if ((real = realpath(path[0] != '\0' ? path : ".", NULL)) == NULL)
		return NULL;
	copy = hstrdup(ctx, real);
	free(real);
	if (stat(copy, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    access(copy, X_OK) != 0)
		return NULL;
	return copy;
}

static int
host_isdir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
host_isreg(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* IFS= read -r line <file: the first line, without its newline.  On a
 * file that cannot be opened line keeps what it held, as in bash, and
 * bash's complaint is a note. */
static void
host_readline(struct host_ctx *ctx, const char *path, char **line)
{
	struct hbuf b = { NULL, 0, 0 };
	FILE *fp;
	int c;

	if ((fp = fopen(path, "re")) == NULL) {
		herr(ctx, HOST_NOTE, "%s: %s", path, strerror(errno));
		return;
	}
	hbuf_add(ctx, &b, "", 0);
	/* bash's read drops NUL bytes */
	while ((c = getc(fp)) != EOF && c != '\n')
		if (c != '\0')
			hbuf_putc(ctx, &b, (char)c);
	fclose(fp);
	*line = b.s;
}

/* jail_project_root: .git and what it points to may be an attacker's
 * (CWD need not be the user's own directory): a .git link is refused,
 * a .git directory makes its directory the root, and a .git file leads
 * elsewhere only to a linked worktree that its repository knows.
 * Returns 0, or -1 after HOST_FATAL. */
static int
host_project(struct host_ctx *ctx)
{
	const char *cwd;
	char *d, *p, *gitdir, *line, *common, *real;
	struct stat st;
	size_t n;

	if (ctx->tree != NULL)
		return 0;
	if ((cwd = host_var(ctx, BLOB_V_CWD)) == NULL)
		return -1;
	line = hstrdup(ctx, "");
	d = hstrdup(ctx, cwd);
	for (;;) {
		p = hcat(ctx, d, "/.git");
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
			herr(ctx, HOST_FATAL,
			    "%s/.git is a symbolic link; refusing to follow "
			    "it",
			    d);
			return -1;
		}
		if (host_isdir(p)) {
			ctx->root = ctx->tree = d;
			return 0;
		}
		if (host_isreg(p))
			break;
		if (strcmp(d, "/") == 0) {
			ctx->root = ctx->tree = hstrdup(ctx, cwd);
			return 0;
		}
		/* up one: d=${d%/...}, "/" when empty */
		if ((p = strrchr(d, '/')) != NULL)
			*p = '\0';
		if (d[0] == '\0')
			d = hstrdup(ctx, "/");
	}
	host_readline(ctx, p, &line);
	if (strncmp(line, "gitdir: ", 8) != 0 || line[8] == '\0') {
		herr(ctx, HOST_FATAL, "%s/.git is not a git directory link", d);
		return -1;
	}
	ctx->root = ctx->tree = d;
	gitdir = line + 8;
	if (gitdir[0] != '/')
		gitdir = hcat(ctx, hcat(ctx, d, "/"), gitdir);
	if ((gitdir = host_cdp(ctx, gitdir)) == NULL)
		return 0;
	if (!host_isreg(hcat(ctx, gitdir, "/commondir")) ||
	    !host_isreg(hcat(ctx, gitdir, "/gitdir")))
		return 0;
	host_readline(ctx, hcat(ctx, gitdir, "/commondir"), &line);
	common =
	    line[0] == '/' ? line : hcat(ctx, hcat(ctx, gitdir, "/"), line);
	if ((common = host_cdp(ctx, common)) == NULL)
		return 0;
	/* the git directory is COMMON/worktrees/NAME */
	p = strrchr(gitdir, '/');
	n = strlen(common);
	if (p == NULL || (size_t)(p - gitdir) != n + 10 ||
	    strncmp(gitdir, common, n) != 0 ||
	    strncmp(gitdir + n, "/worktrees", 10) != 0)
		return 0;
	/* whose gitdir file leads back to this .git */
	host_readline(ctx, hcat(ctx, gitdir, "/gitdir"), &line);
	n = strlen(line);
	if (n < 5 || strcmp(line + n - 5, "/.git") != 0)
		return 0;
	if (line[0] != '/')
		line = hcat(ctx, hcat(ctx, gitdir, "/"), line);
	line[strlen(line) - 5] = '\0';
	if ((real = host_cdp(ctx, line)) == NULL || strcmp(real, d) != 0)
		return 0;
	n = strlen(common);
	if (n >= 5 && strcmp(common + n - 5, "/.git") == 0) {
		common[n - 5] = '\0';
		ctx->root = common[0] != '\0' ? common : hstrdup(ctx, "/");
	}
	return 0;
}

/* jail_xdg: the host's value when absolute, else dflt under the
 * variable base (HOME or UID). */
static const char *
host_xdg(struct host_ctx *ctx, const char *name, unsigned base,
    const char *prefix, const char *suffix)
{
	const char *val = host_getenv(ctx, name), *b;

	if (val != NULL && val[0] == '/')
		return host_norm(ctx, name, val);
	if ((b = host_var(ctx, base)) == NULL)
		return NULL;
	return hcat(ctx, hcat(ctx, prefix, b), suffix);
}

/* s for a message: at most 60 bytes, control characters as '?', so that
 * a hostile value cannot move the terminal's cursor or fill the screen. */
static const char *
hshow(struct host_ctx *ctx, const char *s)
{
	size_t n = strlen(s), i;
	char *t;

	if (n > 60)
		n = 60;
	t = ctx->alloc(ctx->arg, n + 4);
	for (i = 0; i < n; i++)
		t[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	strcpy(t + n, strlen(s) > n ? "..." : "");
	return t;
}

/* ${DISPLAY}: the socket of the local X display DISPLAY names, "" when
 * it is unset; a name that is not a local display stops the launch. */
static const char *
host_display_var(struct host_ctx *ctx)
{
	const char *s = host_getenv(ctx, "DISPLAY"), *why;
	unsigned n;
	char *p;

	ctx->display = -1;
	if (s == NULL || s[0] == '\0')
		return "";
	if (xauth_display(s, &n, &why) != 0) {
		herr(ctx, HOST_FATAL,
		    "DISPLAY=%s is not a local X display (:N or unix:N): %s; "
		    "the jail takes only a local display's socket",
		    hshow(ctx, s), why);
		return NULL;
	}
	ctx->display = n;
	p = ctx->alloc(ctx->arg, 32);
	snprintf(p, 32, "/tmp/.X11-unix/X%u", n);
	return p;
}

/* ${WAYLAND_DISPLAY}: the compositor's socket, as libwayland finds it
 * (an absolute value, else a name in XDG_RUNTIME_DIR); "" when unset. */
static const char *
host_wayland_var(struct host_ctx *ctx)
{
	const char *s = host_getenv(ctx, "WAYLAND_DISPLAY"), *rt;
	size_t i;

	if (s == NULL || s[0] == '\0')
		return "";
	if (s[0] == '/')
		return host_norm(ctx, "WAYLAND_DISPLAY", s);
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] == '/' || (unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			break;
	if (s[i] != '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
		herr(ctx, HOST_FATAL,
		    "WAYLAND_DISPLAY=%s is neither a socket's name in "
		    "XDG_RUNTIME_DIR nor an absolute path",
		    hshow(ctx, s));
		return NULL;
	}
	if ((rt = host_var(ctx, BLOB_V_XDG_RUNTIME_DIR)) == NULL)
		return NULL;
	return hcat(ctx, hcat(ctx, rt, "/"), s);
}

/* An absolute path a host variable names, "" when it is unset. */
static const char *
host_path_var(struct host_ctx *ctx, const char *name)
{
	const char *s = host_getenv(ctx, name);

	if (s == NULL || s[0] == '\0')
		return "";
	if (s[0] != '/') {
		herr(ctx, HOST_FATAL, "%s=%s is not an absolute path", name,
		    hshow(ctx, s));
		return NULL;
	}
	return host_norm(ctx, name, s);
}

long
host_display(struct host_ctx *ctx)
{
	if (host_var(ctx, BLOB_V_DISPLAY) == NULL)
		return -1;
	return ctx->display;
}

/* jail_var */
void
host_project_id(const char *root, char id[17])
{
	char hex[65];

	sha256_hex(root, strlen(root), hex);
	memcpy(id, hex, 16);
	id[16] = '\0';
}

const char *
host_var(struct host_ctx *ctx, unsigned v)
{
	const char *s;
	char *p, hex[65];
	struct passwd *pw;

	if (v >= BLOB_NVARS)
		return NULL;
	if (ctx->var[v] != NULL)
		return ctx->var[v];
	switch ((enum blob_var)v) {
	case BLOB_V_HOME:
		if ((s = host_getenv(ctx, "HOME")) == NULL || s[0] == '\0') {
			herr(ctx, HOST_FATAL, "HOME is not set");
			return NULL;
		}
		ctx->var[v] = host_norm(ctx, "HOME", s);
		break;
	case BLOB_V_USER:
		s = host_getenv(ctx, "USER");
		if (s == NULL || s[0] == '\0') {
			/* id -un: the effective user's name */
			if ((pw = getpwuid(geteuid())) == NULL) {
				herr(ctx, HOST_FATAL,
				    "cannot find the user name");
				return NULL;
			}
			s = pw->pw_name;
		}
		ctx->var[v] = hstrdup(ctx, s);
		break;
	case BLOB_V_UID:
		p = ctx->alloc(ctx->arg, 24);
		snprintf(p, 24, "%u", (unsigned)getuid());
		ctx->var[v] = p;
		break;
	case BLOB_V_CWD:
		if ((p = getcwd(NULL, 0)) == NULL) {
			herr(ctx, HOST_FATAL,
			    "cannot find the current directory");
			return NULL;
		}
		ctx->var[v] = hstrdup(ctx, p);
		free(p);
		break;
	case BLOB_V_PROJECT_ROOT:
		if (host_project(ctx) != 0)
			return NULL;
		ctx->var[v] = ctx->root;
		break;
	case BLOB_V_WORKTREE:
		if (host_project(ctx) != 0)
			return NULL;
		ctx->var[v] = ctx->tree;
		break;
	case BLOB_V_PROJECT_ID:
		if ((s = host_var(ctx, BLOB_V_PROJECT_ROOT)) == NULL)
			return NULL;
		host_project_id(s, hex);
		ctx->var[v] = hstrdup(ctx, hex);
		break;
	case BLOB_V_XDG_CONFIG_HOME:
		ctx->var[v] = host_xdg(
		    ctx, "XDG_CONFIG_HOME", BLOB_V_HOME, "", "/.config");
		break;
	case BLOB_V_XDG_CACHE_HOME:
		ctx->var[v] =
		    host_xdg(ctx, "XDG_CACHE_HOME", BLOB_V_HOME, "", "/.cache");
		break;
	case BLOB_V_XDG_DATA_HOME:
		ctx->var[v] = host_xdg(
		    ctx, "XDG_DATA_HOME", BLOB_V_HOME, "", "/.local/share");
		break;
	case BLOB_V_XDG_STATE_HOME:
		ctx->var[v] = host_xdg(
		    ctx, "XDG_STATE_HOME", BLOB_V_HOME, "", "/.local/state");
		break;
	case BLOB_V_XDG_RUNTIME_DIR:
		ctx->var[v] = host_xdg(
		    ctx, "XDG_RUNTIME_DIR", BLOB_V_UID, "/run/user/", "");
		break;
	case BLOB_V_DISPLAY:
		ctx->var[v] = host_display_var(ctx);
		break;
	case BLOB_V_WAYLAND_DISPLAY:
		ctx->var[v] = host_wayland_var(ctx);
		break;
	case BLOB_V_XAUTHORITY:
		/* Xlib's default when unset */
		if ((ctx->var[v] = host_path_var(ctx, "XAUTHORITY")) != NULL &&
		    ctx->var[v][0] == '\0') {
			if ((s = host_var(ctx, BLOB_V_HOME)) == NULL)
				return NULL;
			ctx->var[v] = hcat(ctx, s, "/.Xauthority");
		}
		break;
	case BLOB_V_SSH_AUTH_SOCK:
		ctx->var[v] = host_path_var(ctx, "SSH_AUTH_SOCK");
		break;
	case BLOB_V_NONE:
	case BLOB_V_WORKDIR:
	case BLOB_NVARS:
	default:
		/* none, or the launcher's own, not the host's */
		return NULL;
	}
	return ctx->var[v];
}

int
host_holds_home(struct host_ctx *ctx, const char *path)
{
	const char *h = host_var(ctx, BLOB_V_HOME);
	char *real = host_cdp(ctx, path), *home;
	size_t n;

	if (h == NULL)
		return 0;
	if ((home = host_cdp(ctx, h)) == NULL)
		home = hstrdup(ctx, h);
	if (real == NULL)
		real = hstrdup(ctx, path);
	n = strlen(real);
	return strcmp(real, "/") == 0 || strcmp(real, home) == 0 ||
	    (strncmp(home, real, n) == 0 && home[n] == '/');
}

static int
walk_writable(const struct host_mounts *m, const char *path)
{
	return m == NULL || m->writable(m->arg, path);
}

void
host_pin_walk(struct host_ctx *ctx, const struct host_mounts *m, int ro,
    const char *base, const char *rel, int dir, const char *content,
    struct host_pin *out)
{
	struct hbuf cur = { NULL, 0, 0 };
	struct stat st;
	const char *rel0 = rel;
	char *real, *copy;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->kind = HOST_PIN_NONE;
	hbuf_puts(ctx, &cur, base);
	for (;;) {
		n = strcspn(rel, "/");
		hbuf_putc(ctx, &cur, '/');
		hbuf_add(ctx, &cur, rel, n);
		rel += n;
		if (*rel == '/')
			rel++;
		if (m != NULL && m->pinned_ro(m->arg, cur.s))
			return;
		if (lstat(cur.s, &st) == 0 && S_ISLNK(st.st_mode)) {
			/* refused where the jail could replace it; else,
			 * when it is the last component of a read-only
			 * entry, what it leads to is pinned where a
			 * writable bind holds it */
			if (walk_writable(m, cur.s)) {
				out->kind = HOST_PIN_LINK;
				out->path = cur.s;
				return;
			}
			if (*rel != '\0' || !ro ||
			    (real = realpath(cur.s, NULL)) == NULL)
				return;
			copy = hstrdup(ctx, real);
			free(real);
			if (walk_writable(m, copy)) {
				out->kind = HOST_PIN_TARGET;
				out->path = copy;
			}
			return;
		}
		if (stat(cur.s, &st) != 0) {
			if (!ro || !walk_writable(m, cur.s))
				return;
			/* Outside .git an empty one is what the host's
			 * tools see too (an .mcp.json or .envrc
			 * directory), and what a killed launcher leaves:
			 * the launcher looks for the path when the jail
			 * exits instead.  In .git, where only git reads,
			 * a missing one cannot be made: pin an empty one
			 * (a hook planted there would run on the host's
			 * next git command, while the jail still runs). */
			n = strlen(base) + 1;
			if (strncmp(cur.s + n, ".git/", 5) != 0) {
				out->kind = HOST_PIN_WATCH;
				out->path = hstrdup(ctx, base);
				/* a missing .git is a repository the jail
				 * may make: that, whole */
				out->data = strcmp(cur.s + n, ".git") == 0
				    ? ".git"
				    : hstrdup(ctx, rel0);
				out->dir = dir;
				return;
			}
			out->kind = HOST_PIN_EMPTY;
			out->path = cur.s;
			out->dir = *rel != '\0' || dir;
			out->data = out->dir || content == NULL ? "" : content;
			return;
		}
		if (*rel == '\0')
			break;
		/* a file where a directory would be: pin the file */
		if (!S_ISDIR(st.st_mode)) {
			if (ro && walk_writable(m, cur.s)) {
				out->kind = HOST_PIN_PATH;
				out->path = cur.s;
			}
			return;
		}
	}
	/* a writable one is a mount point only, and only where it is
	 * writable already */
	if ((!ro && !S_ISDIR(st.st_mode)) || !walk_writable(m, cur.s))
		return;
	out->kind = HOST_PIN_PATH;
	out->path = cur.s;
}

static int
host_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
host_glob(struct host_ctx *ctx, const char *base, const char *pat,
    const char *where, size_t *np)
{
	glob_t g;
	char *full, **v = NULL;
	const char *c;
	size_t i, n = strlen(base);
	int rc;

	*np = 0;
	/* the base is literal: escape what glob would read in it */
	full = ctx->alloc(ctx->arg, 2 * n + strlen(pat) + 2);
	for (i = 0, c = base; *c != '\0'; c++) {
		if (strchr("*?[]\\", *c) != NULL)
			full[i++] = '\\';
		full[i++] = *c;
	}
	full[i++] = '/';
	strcpy(full + i, pat);
	memset(&g, 0, sizeof(g));
	rc = glob(full, GLOB_NOSORT, NULL, &g);
	if (rc != 0 && rc != GLOB_NOMATCH) {
		globfree(&g);
		herr(ctx, HOST_FATAL, "cannot list %s (for %s)", full, where);
		*np = (size_t)-1;
		return NULL;
	}
	if (rc == 0 && g.gl_pathc > 0) {
		/* in strcmp order of the paths, as the shell sorts them */
		if (g.gl_pathc > 1)
			qsort(g.gl_pathv, g.gl_pathc, sizeof(*g.gl_pathv),
			    host_strcmp);
		v = ctx->alloc(ctx->arg, g.gl_pathc * sizeof(*v));
		for (i = 0; i < g.gl_pathc; i++)
			v[i] = hstrdup(ctx, g.gl_pathv[i] + n + 1);
		*np = g.gl_pathc;
	}
	globfree(&g);
	return v;
}

/* Whether path is an executable regular file. */
static int
host_is_exe(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

char *
host_helper(struct host_ctx *ctx, const char *name, const char *pinned)
{
	static const char *const dirs[] = { HOST_HELPER_DIRS };
	const char *cand = NULL, *holder;
	char *real, *path;
	size_t i;

	if (pinned != NULL) {
		if (pinned[0] == '/' && host_is_exe(pinned))
			cand = pinned;
	} else {
		for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			path = hcat(ctx, hcat(ctx, dirs[i], "/"), name);
			if (host_is_exe(path)) {
				cand = path;
				break;
			}
		}
	}
	if (cand == NULL)
		return NULL;
	/* what runs is where the links lead: a link in a system directory
	 * to a file the jail can write is that file */
	if ((real = realpath(cand, NULL)) == NULL)
		return NULL;
	path = hstrdup(ctx, real);
	free(real);
	if (ctx->writable != NULL &&
	    (holder = ctx->writable(ctx->arg, path)) != NULL) {
		herr(ctx, HOST_FAIL,
		    "refusing to run %s (%s): it lies under %s, which the "
		    "jail can write, so an earlier jail could have replaced "
		    "it; install %s where no jail can write (%s), or pin one "
		    "there with jailc compile -D",
		    cand, path, holder, name,
		    pinned != NULL ? "the Nix store, /usr/bin"
		                   : "/usr/bin, /bin, "
		                     "/run/current-system/sw/bin");
		return NULL;
	}
	return cand == pinned ? hstrdup(ctx, cand) : (char *)cand;
}

/* The git the launch runs: pinned, or from the system directories;
 * looked for once. */
static char *
host_git(struct host_ctx *ctx)
{
	if (!ctx->looked_git) {
		ctx->looked_git = 1;
		ctx->git = host_helper(ctx, "git", ctx->git_pin);
	}
	return (char *)ctx->git;
}

/* Whether environment entry e names a file git reads its configuration
 * from, as HOME and XDG_CONFIG_HOME do: the user's git in the same shell
 * reads the same file. */
static int
host_git_file_var(const char *e)
{
	return strncmp(e, "GIT_CONFIG_GLOBAL=", 18) == 0 ||
	    strncmp(e, "GIT_CONFIG_SYSTEM=", 18) == 0 ||
	    strncmp(e, "GIT_CONFIG_NOSYSTEM=", 20) == 0;
}

/* The environment a helper runs with: the launcher's, without git's
 * own variables but those that name its configuration files.  GIT_DIR,
 * GIT_COMMON_DIR, GIT_CONFIG_COUNT with GIT_CONFIG_KEY_n/VALUE_n,
 * GIT_CONFIG_PARAMETERS and the rest change what git config answers
 * for this one checkout, so that the hooks directory pinned would not
 * be the one the user's git runs there.  Made before the fork. */
static char **
host_helper_env(struct host_ctx *ctx)
{
	char **v, **e;
	size_t n = 0;

	if (ctx->helper_env != NULL)
		return ctx->helper_env;
	for (e = environ; *e != NULL; e++)
		n++;
	v = ctx->alloc(ctx->arg, (n + 1) * sizeof(*v));
	for (n = 0, e = environ; *e != NULL; e++)
		if (strncmp(*e, "GIT_", 4) != 0 || host_git_file_var(*e))
			v[n++] = *e;
	v[n] = NULL;
	return ctx->helper_env = v;
}

int
host_capture(struct host_ctx *ctx, char *const argv[], char **out, size_t *len,
    int quiet_err)
{
	struct hbuf b = { NULL, 0, 0 };
	char chunk[512];
	ssize_t n;
	pid_t pid;
	int p[2] = { -1, -1 }, status, null;

	(void)host_helper_env(ctx);
	if (out != NULL) {
		hbuf_add(ctx, &b, "", 0);
		*out = b.s;
		*len = 0;
		if (pipe2(p, O_CLOEXEC) != 0)
			return -1;
	}
	if ((pid = fork()) < 0) {
		if (out != NULL) {
			close(p[0]);
			close(p[1]);
		}
		return -1;
	}
	if (pid == 0) {
		if (out != NULL && (dup2(p[1], 1) < 0 || dup2(p[1], 2) < 0))
			_exit(127);
		if (quiet_err) {
			null = open("/dev/null", O_WRONLY | O_CLOEXEC);
			if (null < 0 || dup2(null, 2) < 0)
				_exit(127);
		}
		execve(argv[0], argv, host_helper_env(ctx));
		_exit(127);
	}
	if (out != NULL) {
		close(p[1]);
		for (;;) {
			n = read(p[0], chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			hbuf_add(ctx, &b, chunk, (size_t)n);
		}
		close(p[0]);
		*out = b.s;
		*len = b.len;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * Git.  A launch may need two things of git's configuration: the host's
 * identity (git.identity = "host": user.name and user.email of the
 * global configuration, includes followed, as git itself reads them) and
 * core.hooksPath of each checkout.  Each git is most of what jailrun
 * costs beyond bwrap, so one git answers both where it can:
 *
 *   git --git-dir=BASE/.git config -z --show-scope --get-regexp
 *       '^(user\.(name|email)|core\.hookspath)$'
 *
 * reads every file git reads for that checkout (system, global, local,
 * worktree, GIT_CONFIG_COUNT and -c ones, includes and includeIf
 * followed, or only $GIT_CONFIG when it is set), in git's order, so the
 * last core.hookspath is what `config --get` gives, and the user.* of
 * scope "global" are the identity.  It cannot do git's --type=path
 * expansion, so a value git would expand (~/, ~user/, %(prefix)/, or a
 * future :(...) prefix) or that is empty or has no '=' is asked again
 * with --type=path --get: a wrong "unset" would leave a hooks directory
 * writable, and only git knows how it reads its paths.  Any other
 * failure (an old git without --show-scope, a configuration it cannot
 * parse) falls back to the one-question gits, which say it as before.
 */

/* The one-question git: --type=path --get key.  --git-dir, as the shell
 * has it: git's own search would skip a repository another user owns,
 * or go up past a .git it does not take for a repository.  Trailing
 * newlines are dropped, as $(...) drops them. */
static const char *
git_get_one(struct host_ctx *ctx, const char *git, const char *base,
    const char *key, const char *where)
{
	char *argv[7], *out;
	size_t len;
	int rc;

	argv[0] = (char *)git;
	argv[1] = hcat(ctx, "--git-dir=", hcat(ctx, base, "/.git"));
	argv[2] = "config";
	argv[3] = "--type=path";
	argv[4] = "--get";
	argv[5] = (char *)key;
	argv[6] = NULL;
	rc = host_capture(ctx, argv, &out, &len, 1);
	if (rc < 0)
		rc = 127; /* as the shell says of what it cannot run */
	if (rc != 0) {
		if (rc != 1 && rc != 128)
			herr(ctx, HOST_FAIL,
			    "cannot read %s for %s: git exited %d "
			    "(git --git-dir=%s/.git config --get %s "
			    "says why) (for %s)",
			    key, base, rc, base, key, where);
		len = 0;
	}
	while (len > 0 && out[len - 1] == '\n')
		len--;
	out[len] = '\0';
	return out;
}

/* key as --get-regexp names it, section and name in lower case, when
 * it is SECTION.NAME of letters, digits and '-': else NULL (a
 * subsection is case-sensitive, and not worth a regexp). */
static char *
git_simple_key(struct host_ctx *ctx, const char *key)
{
	char *k = hstrdup(ctx, key), *p;
	int dots = 0;

	for (p = k; *p != '\0'; p++) {
		if (*p == '.')
			dots++;
		else if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if (!(*p >= 'a' && *p <= 'z') &&
		    !(*p >= '0' && *p <= '9') && *p != '-')
			return NULL;
	}
	if (dots != 1 || k[0] == '.' || p[-1] == '.')
		return NULL;
	return k;
}

/* Whether git's --type=path would give raw as it is. */
static int
git_plain_path(const char *raw)
{
	return raw != NULL && raw[0] != '\0' && raw[0] != '~' &&
	    raw[0] != '%' && raw[0] != ':';
}

/* The combined git described above, for key of the checkout at base.
 * Returns key's value, or NULL when the one-question git must answer;
 * sets the identity when git answered. */
static const char *
git_get_both(
    struct host_ctx *ctx, const char *git, const char *base, const char *key)
{
	struct hbuf re = { NULL, 0, 0 };
	char *argv[8], *out, *lkey, *k, *scope = NULL, *rec, *val;
	const char *raw = NULL, *name = "", *email = "";
	size_t len, i, vlen;
	int rc, found = 0;

	if ((lkey = git_simple_key(ctx, key)) == NULL)
		return NULL;
	hbuf_puts(ctx, &re, "^(user\\.(name|email)|");
	for (k = lkey; *k != '\0'; k++) {
		if (*k == '.')
			hbuf_putc(ctx, &re, '\\');
		hbuf_putc(ctx, &re, *k);
	}
	hbuf_puts(ctx, &re, ")$");
	argv[0] = (char *)git;
	argv[1] = hcat(ctx, "--git-dir=", hcat(ctx, base, "/.git"));
	argv[2] = "config";
	argv[3] = "-z";
	argv[4] = "--show-scope";
	argv[5] = "--get-regexp";
	argv[6] = re.s;
	argv[7] = NULL;
	/* 1: none of them is set */
	rc = host_capture(ctx, argv, &out, &len, 1);
	if (rc != 0 && rc != 1)
		return NULL;
	/* records: SCOPE NUL KEY [NL VALUE] NUL, the last of a key winning;
	 * only whole ones count, as bash's read -d '' takes them */
	for (i = 0, rec = out; i < len; i++) {
		if (out[i] != '\0')
			continue;
		if (scope == NULL) {
			scope = rec;
			rec = out + i + 1;
			continue;
		}
		if ((val = strchr(rec, '\n')) != NULL)
			*val++ = '\0';
		if (strcmp(rec, lkey) == 0) {
			/* no '=': NULL, which git refuses as a path */
			raw = val;
			found = 1;
		} else if (strcmp(scope, "global") == 0 &&
		    strcmp(rec, "user.name") == 0)
			name = val != NULL ? val : "";
		else if (strcmp(scope, "global") == 0 &&
		    strcmp(rec, "user.email") == 0)
			email = val != NULL ? val : "";
		scope = NULL;
		rec = out + i + 1;
	}
	ctx->git_name = name;
	ctx->git_email = email;
	ctx->have_identity = 1;
	if (!found)
		return "";
	if (!git_plain_path(raw))
		return NULL;
	/* $(...) drops trailing newlines */
	vlen = strlen(raw);
	while (vlen > 0 && raw[vlen - 1] == '\n')
		vlen--;
	val = ctx->alloc(ctx->arg, vlen + 1);
	memcpy(val, raw, vlen);
	val[vlen] = '\0';
	return val;
}

void
host_git_want_identity(struct host_ctx *ctx)
{
	ctx->want_identity = 1;
}

const char *
host_git_get(
    struct host_ctx *ctx, const char *base, const char *key, const char *where)
{
	const char *val = NULL;
	char *git;
	size_t i;

	for (i = 0; i < ctx->ngitvals; i++)
		if (strcmp(ctx->gitvals[i].base, base) == 0 &&
		    strcmp(ctx->gitvals[i].key, key) == 0)
			return ctx->gitvals[i].val;
	if ((git = host_git(ctx)) == NULL) {
		/* as the shell: no git, no value and no identity */
		val = "";
	} else {
		if (ctx->want_identity && !ctx->have_identity)
			val = git_get_both(ctx, git, base, key);
		if (val == NULL)
			val = git_get_one(ctx, git, base, key, where);
	}
	ctx->gitvals = hgrow(ctx, ctx->gitvals, &ctx->capgitvals,
	    ctx->ngitvals + 1, sizeof(*ctx->gitvals));
	ctx->gitvals[ctx->ngitvals].base = base;
	ctx->gitvals[ctx->ngitvals].key = key;
	ctx->gitvals[ctx->ngitvals].val = val;
	return ctx->gitvals[ctx->ngitvals++].val;
}

/* git config --global --includes -z --get-regexp '^user\.(name|email)$',
 * where no checkout's git answered it: -z ends each "key\nvalue" record
 * with a NUL; the last value of a key wins.  Its status does not
 * matter: no values, no identity. */
void
host_git_identity(struct host_ctx *ctx, const char **name, const char **email)
{
	char *git, *out, *rec, *nl;
	char *argv[] = { NULL, "config", "--global", "--includes", "-z",
		"--get-regexp", "^user\\.(name|email)$", NULL };
	size_t len, i;

	if (!ctx->have_identity) {
		ctx->have_identity = 1;
		ctx->git_name = ctx->git_email = "";
		if ((git = host_git(ctx)) != NULL) {
			argv[0] = git;
			if (host_capture(ctx, argv, &out, &len, 1) < 0)
				len = 0;
			/* bash's read -d '' takes only records that end in
			 * a NUL */
			for (i = 0, rec = out; i < len; i++) {
				if (out[i] != '\0')
					continue;
				if ((nl = strchr(rec, '\n')) != NULL)
					*nl++ = '\0';
				else
					nl = rec + strlen(rec); /* key only */
				if (strcmp(rec, "user.name") == 0)
					ctx->git_name = nl;
				else if (strcmp(rec, "user.email") == 0)
					ctx->git_email = nl;
				rec = out + i + 1;
			}
		}
	}
	*name = ctx->git_name;
	*email = ctx->git_email;
}

char *
host_git_path(struct host_ctx *ctx, const char *base, const char *key,
    const char *where, const char **valp)
{
	struct hbuf out = { NULL, 0, 0 };
	struct stat st;
	const char *val, *rest, *d;
	size_t n = 0, trusted = 0, len;

	*valp = "";
	/* no .git at base: no checkout, and no git run */
	if (lstat(hcat(ctx, base, "/.git"), &st) != 0)
		return NULL;
	*valp = val = host_git_get(ctx, base, key, where);
	if (*val == '\0')
		return NULL;
	hbuf_add(ctx, &out, "", 0);
	/* base is resolved already: a ".." may go up through it, but not
	 * through a directory of the value, which the jail could swap for
	 * a link that git would follow */
	if (*val != '/') {
		hbuf_puts(ctx, &out, base);
		for (d = base; *d != '\0'; d++)
			n += *d == '/';
		trusted = n;
	}
	for (rest = val; *rest != '\0'; rest += len + (rest[len] == '/')) {
		len = strcspn(rest, "/");
		if (len == 0 || (len == 1 && rest[0] == '.'))
			continue;
		if (len == 2 && rest[0] == '.' && rest[1] == '.') {
			if (n > trusted) {
				herr(ctx, HOST_FAIL,
				    "%s = %s has a '..' after a directory the "
				    "jail could replace; not followed (for %s)",
				    key, val, where);
				return NULL;
			}
			if (n > 0) {
				out.len = (size_t)(strrchr(out.s, '/') - out.s);
				out.s[out.len] = '\0';
				trusted = --n;
			}
			continue;
		}
		hbuf_putc(ctx, &out, '/');
		hbuf_add(ctx, &out, rest, len);
		n++;
	}
	return out.len > 0 ? out.s : NULL;
}

/*
 * The Nix daemon's trust.  A client the daemon trusts may set any
 * option for its builds (post-build-hook, sandbox = false, builders),
 * and the daemon runs as root outside the jail: such a client is root
 * on the host.  The daemon trusts root, and the users trusted-users
 * names (a user, @group, or *), extra-trusted-users adding to it.  It
 * reads HOST_NIX_CONF, following include (a missing file is an error)
 * and !include (a missing file is skipped), relative to the including
 * file, then its user configuration files; a line it would refuse
 * leaves us unable to tell.
 */
struct nixentry {
	const char *name; /* a user, @group or * */
	const char *from; /* the file that named it */
};

struct nixtrust {
	struct nixentry *v; /* the trusted-users entries now */
	size_t n, cap;
	const char *why; /* cannot tell: why */
};

#define NIX_CONF_MAX (1u << 20)
#define NIX_INCLUDE_DEPTH 16

static int nix_conf(struct host_ctx *ctx, struct nixtrust *t, const char *path,
    int must, int depth);

/* One line of a nix.conf, its comment cut: 0, or -1 with t->why. */
static int
nix_line(struct host_ctx *ctx, struct nixtrust *t, const char *path,
    unsigned lineno, char *line, int depth)
{
	const char *tok[3];
	char *p = line, *inc, *slash, *save = NULL;
	size_t ntok = 0;

	for (p = strtok_r(line, " \t\r", &save); p != NULL && ntok < 3;
	     p = ntok < 3 ? strtok_r(NULL, " \t\r", &save) : NULL)
		tok[ntok++] = p;
	if (ntok == 0)
		return 0;
	if (strcmp(tok[0], "include") == 0 || strcmp(tok[0], "!include") == 0) {
		if (ntok != 2 || strtok_r(NULL, " \t\r", &save) != NULL) {
			t->why = hcat(ctx, path, ": a malformed include line");
			return -1;
		}
		if (tok[1][0] == '/') {
			inc = hstrdup(ctx, tok[1]);
		} else {
			inc = hstrdup(ctx, path);
			slash = strrchr(inc, '/');
			slash[1] = '\0';
			inc = hcat(ctx, inc, tok[1]);
		}
		if (depth >= NIX_INCLUDE_DEPTH) {
			t->why = hcat(ctx, path, ": includes nested too deep");
			return -1;
		}
		return nix_conf(ctx, t, inc, tok[0][0] != '!', depth + 1);
	}
	if (ntok < 2 || strcmp(tok[1], "=") != 0) {
		p = ctx->alloc(ctx->arg, strlen(path) + 64);
		sprintf(
		    p, "%s:%u: a line the daemon would refuse", path, lineno);
		t->why = p;
		return -1;
	}
	if (strcmp(tok[0], "trusted-users") == 0)
		t->n = 0;
	else if (strcmp(tok[0], "extra-trusted-users") != 0)
		return 0;
	if (ntok < 3)
		return 0;
	for (p = (char *)tok[2]; p != NULL;
	     p = strtok_r(NULL, " \t\r", &save)) {
		t->v = hgrow(ctx, t->v, &t->cap, t->n + 1, sizeof(*t->v));
		t->v[t->n].name = hstrdup(ctx, p);
		t->v[t->n++].from = path;
	}
	return 0;
}

/* A nix.conf: 0 (a missing one that need not exist too), or -1 with
 * t->why. */
static int
nix_conf(struct host_ctx *ctx, struct nixtrust *t, const char *path, int must,
    int depth)
{
	struct stat st;
	char *buf, *line, *end, *hash;
	unsigned lineno = 0;
	ssize_t got;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		if (errno == ENOENT && !must)
			return 0;
		t->why = hcat(ctx, hcat(ctx, "cannot read ", path),
		    hcat(ctx, ": ", strerror(errno)));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (off_t)NIX_CONF_MAX) {
		close(fd);
		t->why = hcat(ctx, path, ": not a regular file of a sane size");
		return -1;
	}
	buf = ctx->alloc(ctx->arg, (size_t)st.st_size + 1);
	while (len < (size_t)st.st_size) {
		got = read(fd, buf + len, (size_t)st.st_size - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	buf[len] = '\0';
	if (memchr(buf, '\0', len) != NULL) {
		t->why = hcat(ctx, path, ": holds a NUL byte");
		return -1;
	}
	for (line = buf; line < buf + len; line = end + 1) {
		if ((end = strchr(line, '\n')) == NULL)
			end = buf + len;
		*end = '\0';
		lineno++;
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if (nix_line(ctx, t, path, lineno, line, depth) != 0)
			return -1;
	}
	return 0;
}

/* Whether the group named g holds this process's user: the daemon asks
 * the primary group's name and the group's member list; the process's
 * supplementary groups are asked too, where they differ. */
static int
nix_in_group(const char *g, const char *user, const char *primary)
{
	struct group *gr;
	gid_t groups[NGROUPS_MAX + 1];
	char **m;
	int n, i;

	if (primary != NULL && strcmp(g, primary) == 0)
		return 1;
	if ((gr = getgrnam(g)) == NULL)
		return 0;
	for (m = gr->gr_mem; *m != NULL; m++)
		if (strcmp(*m, user) == 0)
			return 1;
	if (gr->gr_gid == getgid())
		return 1;
	n = getgroups(NGROUPS_MAX + 1, groups);
	for (i = 0; i < n; i++)
		if (groups[i] == gr->gr_gid)
			return 1;
	return 0;
}

int
host_nix_trusted(struct host_ctx *ctx, const char **user, const char **how)
{
	struct nixtrust t = { NULL, 0, 0, NULL };
	struct passwd *pw;
	struct group *gr;
	const char *files[3], *primary = NULL, *e;
	char *num;
	size_t i, nfiles = 0;

	num = ctx->alloc(ctx->arg, 24);
	snprintf(num, 24, "%u", (unsigned)getuid());
	*user =
	    (pw = getpwuid(getuid())) != NULL ? hstrdup(ctx, pw->pw_name) : num;
	if (getuid() == 0 || geteuid() == 0) {
		*user = "root";
		*how = "the daemon trusts root always";
		return 1;
	}
	if ((gr = getgrgid(getgid())) != NULL)
		primary = hstrdup(ctx, gr->gr_name);
	/* its default */
	t.v = hgrow(ctx, t.v, &t.cap, 1, sizeof(*t.v));
	t.v[0].name = "root";
	t.v[0].from = "the default";
	t.n = 1;
	files[nfiles++] = HOST_NIX_CONF;
	files[nfiles++] = HOST_NIX_XDG_CONF;
	/* root's own, where this user may read it (BUGS) */
	if ((pw = getpwuid(0)) != NULL && pw->pw_dir[0] == '/')
		files[nfiles++] =
		    hcat(ctx, pw->pw_dir, "/.config/nix/nix.conf");
	for (i = 0; i < nfiles; i++) {
		if (i == 2 && access(files[i], F_OK) != 0 &&
		    (errno == EACCES || errno == ENOENT || errno == ENOTDIR))
			continue;
		if (nix_conf(ctx, &t, files[i], 0, 0) != 0) {
			*how = t.why;
			return -1;
		}
	}
	for (i = 0; i < t.n; i++) {
		e = t.v[i].name;
		if (strcmp(e, "*") == 0 || strcmp(e, *user) == 0 ||
		    strcmp(e, num) == 0 ||
		    (e[0] == '@' && nix_in_group(e + 1, *user, primary))) {
			*how = hcat(ctx,
			    hcat(ctx, "trusted-users in ", t.v[i].from),
			    hcat(ctx, " names ", e));
			return 1;
		}
	}
	return 0;
}
