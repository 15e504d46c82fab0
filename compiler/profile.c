/*
 * profile.c - from validated document trees to the merged profile IR.
 *
 * profile_read() reads a profile, validates it against the schema, and
 * applies it onto one accumulating IR: first every profile it extends
 * (recursively, in the order listed), then its `remove` table, then its
 * own entries.  The tree is schema-valid when it gets here, so types are
 * right; what the schema cannot say (variables, paths, duplicates across
 * files, order) is checked here.  All problems are reported; the IR is
 * returned whenever it is complete, errors or not, so that the pipeline
 * can run the checks of the stages above (seccomp_check()) on it as well
 * and report everything in one run.
 *
 * Merging keeps an index (name to position) of every list it builds, so
 * that dropping duplicates, `remove` and the duplicate-mount check stay
 * linear however long a hostile profile makes its lists.  Removed entries
 * are left as holes until the merge is over.
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"
#include "schema.h"
#include "protect.h"
#include "profile.h"

/* The longest chain of extends: a profile, its parent, ... 16 links up. */
#define MAX_EXTENDS_DEPTH 16

static const struct {
	const char *name;
	int is_path;
	int rank; /* mount order of destinations rooted here: sort_mounts() */
} vars[VAR_MAX] = {
	[VAR_NONE] = { NULL, 0, 0 },
	[VAR_HOME] = { "HOME", 1, 2 },
	[VAR_USER] = { "USER", 0, 0 },
	[VAR_UID] = { "UID", 0, 0 },
	[VAR_CWD] = { "CWD", 1, 6 },
	[VAR_PROJECT_ROOT] = { "PROJECT_ROOT", 1, 4 },
	[VAR_WORKTREE] = { "WORKTREE", 1, 5 },
	[VAR_PROJECT_ID] = { "PROJECT_ID", 0, 0 },
	[VAR_XDG_CONFIG_HOME] = { "XDG_CONFIG_HOME", 1, 3 },
	[VAR_XDG_CACHE_HOME] = { "XDG_CACHE_HOME", 1, 3 },
	[VAR_XDG_DATA_HOME] = { "XDG_DATA_HOME", 1, 3 },
	[VAR_XDG_STATE_HOME] = { "XDG_STATE_HOME", 1, 3 },
	[VAR_XDG_RUNTIME_DIR] = { "XDG_RUNTIME_DIR", 1, 1 },
	[VAR_WORKDIR] = { "WORKDIR", 1, 7 },
	/* sockets and a file, under /tmp, XDG_RUNTIME_DIR or HOME on
	 * every sane host, which no mount goes beneath: after those */
	[VAR_DISPLAY] = { "DISPLAY", 1, 3 },
	[VAR_WAYLAND_DISPLAY] = { "WAYLAND_DISPLAY", 1, 3 },
	[VAR_XAUTHORITY] = { "XAUTHORITY", 1, 3 },
	[VAR_SSH_AUTH_SOCK] = { "SSH_AUTH_SOCK", 1, 3 },
};

/* Mount options, as bits of the kinds table below. */
#define OPT_DEST 0x1
#define OPT_CREATE 0x2
#define OPT_OPTIONAL 0x4
#define OPT_MODE 0x8

/* The mount kind keys, in the order jail(5) lists them, with the options
 * each takes (the schema says the same; this is the IR's own check). */
static const struct {
	const char *key;
	enum mount_kind kind;
	unsigned opts;
} kinds[] = {
	{ "ro", MOUNT_RO, OPT_DEST | OPT_CREATE | OPT_OPTIONAL },
	{ "rw", MOUNT_RW, OPT_DEST | OPT_CREATE | OPT_OPTIONAL },
	{ "dev-bind", MOUNT_DEV_BIND, OPT_DEST | OPT_OPTIONAL },
	{ "tmpfs", MOUNT_TMPFS, OPT_MODE },
	{ "dir", MOUNT_DIR, OPT_MODE },
	{ "proc", MOUNT_PROC, 0 },
	{ "dev", MOUNT_DEV, 0 },
	{ "symlink", MOUNT_SYMLINK, OPT_DEST },
	{ "data", MOUNT_DATA, OPT_DEST | OPT_MODE },
};

static const struct {
	const char *key;
	unsigned bit;
} options[] = {
	{ "dest", OPT_DEST },
	{ "create", OPT_CREATE },
	{ "optional", OPT_OPTIONAL },
	{ "mode", OPT_MODE },
};

static const char *const nsnames[NS_MAX] = { "user", "ipc", "pid", "uts",
	"cgroup" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
var_name(enum var v)
{
	return v < VAR_MAX ? vars[v].name : NULL;
}

int
var_is_path(enum var v)
{
	return v < VAR_MAX && vars[v].is_path;
}

static enum var
var_lookup(const char *s, size_t len)
{
	int v;

	for (v = VAR_NONE + 1; v < VAR_MAX; v++)
		if (strlen(vars[v].name) == len &&
		    memcmp(vars[v].name, s, len) == 0)
			return (enum var)v;
	return VAR_NONE;
}

/* The variable whose name is one edit away from s[0..len) ("${PWD}" for
 * "${CWD}"), or VAR_NONE.  Further guesses mislead: "${PROJECT_DIR}" is
 * two edits from PROJECT_ID, which is not even a path. */
static enum var
var_suggest(const char *s, size_t len)
{
	char *name = arena_strndup(s, len);
	int v;

	for (v = VAR_NONE + 1; v < VAR_MAX; v++)
		if (len > 1 && edit_distance(name, vars[v].name) == 1)
			return (enum var)v;
	return VAR_NONE;
}

/*
 * Split canonical text into parts: "${NAME}" is a variable, "$$" a
 * literal '$', anything else literal.  tmpl_parse() produced the text,
 * so it is well-formed.
 */
static void
tmpl_split(struct tmpl *t)
{
	const char *s = t->canon, *end;
	size_t cap = 0;
	struct buf lit = { 0 };
	struct tmpl_part *part;

	t->parts = NULL;
	t->nparts = 0;
	for (;;) {
		if (*s == '$' && s[1] == '$') {
			buf_putc(&lit, '$');
			s += 2;
			continue;
		}
		if (*s != '\0' && *s != '$') {
			buf_putc(&lit, *s++);
			continue;
		}
		if (lit.len > 0) {
			array_reserve(
			    &t->parts, &cap, t->nparts + 1, sizeof(*t->parts));
			part = &t->parts[t->nparts++];
			part->var = VAR_NONE;
			part->text = arena_strndup(lit.s, lit.len);
			part->len = lit.len;
			lit.len = 0;
		}
		if (*s == '\0')
			break;
		/* "${NAME}" */
		end = strchr(s, '}');
		array_reserve(
		    &t->parts, &cap, t->nparts + 1, sizeof(*t->parts));
		part = &t->parts[t->nparts++];
		part->var = var_lookup(s + 2, (size_t)(end - s - 2));
		part->text = vars[part->var].name;
		part->len = strlen(part->text);
		s = end + 1;
	}
}

/*
 * Normalise canonical path text: no empty or "." components, no trailing
 * '/'.  The text starts with '/' or with a variable, and neither "${NAME}"
 * nor "$$" holds a '/' or is a "." component, so working on the text is
 * working on the path.  Returns whether a ".." component was seen.
 */
static int
path_normalise(struct buf *b)
{
	struct buf out = { 0 };
	const char *s = b->s, *comp;
	size_t n;
	int dotdot = 0;

	if (s[0] == '/') {
		s++;
	} else {
		const char *end = strchr(s, '}');

		buf_add(&out, s, (size_t)(end - s + 1));
		s = end + 1;
	}
	while (*s != '\0') {
		while (*s == '/')
			s++;
		comp = s;
		while (*s != '\0' && *s != '/')
			s++;
		n = (size_t)(s - comp);
		if (n == 0 || (n == 1 && comp[0] == '.'))
			continue;
		if (n == 2 && comp[0] == '.' && comp[1] == '.')
			dotdot = 1;
		buf_putc(&out, '/');
		buf_add(&out, comp, n);
	}
	if (out.len == 0)
		buf_putc(&out, '/');
	*b = out;
	return dotdot;
}

/* Check that the canonical text of a path starts where a path may, and
 * normalise it; 0, or -1 after reporting. */
static int
tmpl_path(struct tmpl *t, struct buf *canon, const struct pos *pos)
{
	const struct tmpl_part *first;
	const char *orig;

	t->canon = canon->s;
	tmpl_split(t);
	first = t->nparts > 0 ? &t->parts[0] : NULL;
	if (first == NULL ||
	    (first->var == VAR_NONE && first->text[0] != '/')) {
		diag(pos, E_PATH_RELATIVE,
		    "'%s'; start it with '/', '~' or a path variable",
		    canon->s);
		return -1;
	}
	if (first->var != VAR_NONE) {
		const char *after = strchr(canon->s, '}') + 1;

		if (!vars[first->var].is_path) {
			diag(pos, E_VAR_NOT_PATH, "${%s}", first->text);
			return -1;
		}
		if (*after != '\0' && *after != '/') {
			diag(pos, E_VAR_SYNTAX,
			    "${%s} starts the path, so a '/' must follow it",
			    first->text);
			return -1;
		}
	}
	orig = canon->s;
	if (path_normalise(canon)) {
		diag(pos, E_PATH_DOTDOT, "%s", orig);
		return -1;
	}
	return 0;
}

int
tmpl_parse(struct tmpl *t, const char *s, size_t len, const struct pos *pos,
    int as_path)
{
	struct buf canon = { 0 };
	size_t i = 0, end;
	enum var v;
	int errors = 0;

	memset(t, 0, sizeof(*t));
	if (pos != NULL)
		t->pos = *pos;
	buf_add(&canon, "", 0);
	/* Every template ends up in argv, envp or a path: C strings. */
	if (memchr(s, '\0', len) != NULL) {
		diag(pos, E_NUL, NULL);
		return -1;
	}
	if (as_path &&
	    (memchr(s, '\n', len) != NULL || memchr(s, '\r', len) != NULL)) {
		diag(pos, E_PATH_CHAR, NULL);
		return -1;
	}
	if (as_path && len > 0 && s[0] == '~') {
		if (len > 1 && s[1] != '/') {
			diag(pos, E_TILDE,
			    "'~user' is not supported; write the path");
			return -1;
		}
		buf_puts(&canon, "${HOME}");
		i = 1;
	}
	/* A '~' anywhere else in a path is refused rather than kept: the
	 * author almost certainly expected it to expand. */
	if (as_path && memchr(s + i, '~', len - i) != NULL) {
		diag(pos, E_TILDE, NULL);
		errors++;
	}
	while (i < len) {
		if (s[i] != '$') {
			buf_putc(&canon, s[i++]);
			continue;
		}
		if (i + 1 < len && s[i + 1] == '$') {
			buf_puts(&canon, "$$");
			i += 2;
			continue;
		}
		if (i + 1 >= len || s[i + 1] != '{') {
			diag(pos, E_VAR_SYNTAX,
			    "write ${NAME} for a variable, $$ for a '$'");
			errors++;
			i++;
			continue;
		}
		for (end = i + 2; end < len && s[end] != '}'; end++)
			;
		if (end >= len) {
			diag(pos, E_VAR_SYNTAX, "'${' without its '}'");
			errors++;
			break;
		}
		if (end == i + 2) {
			diag(pos, E_VAR_SYNTAX, "'${}' names no variable");
			errors++;
		} else if ((v = var_lookup(s + i + 2, end - i - 2)) !=
		    VAR_NONE) {
			buf_printf(&canon, "${%s}", vars[v].name);
		} else if ((v = var_suggest(s + i + 2, end - i - 2)) !=
		    VAR_NONE) {
			diag(pos, E_VAR_UNKNOWN, "${%.*s}; did you mean ${%s}?",
			    (int)(end - i - 2), s + i + 2, vars[v].name);
			errors++;
		} else {
			diag(pos, E_VAR_UNKNOWN, "${%.*s}", (int)(end - i - 2),
			    s + i + 2);
			errors++;
		}
		i = end + 1;
	}
	if (errors > 0)
		return -1;
	if (as_path && tmpl_path(t, &canon, pos) != 0)
		return -1;
	t->canon = canon.s;
	tmpl_split(t);
	return 0;
}

int
path_within(const struct tmpl *a, const struct tmpl *b)
{
	size_t lb = strlen(b->canon);

	if (strcmp(b->canon, "/") == 0)
		return a->canon[0] == '/';
	return strncmp(a->canon, b->canon, lb) == 0 &&
	    (a->canon[lb] == '\0' || a->canon[lb] == '/');
}

int
tmpl_holds_nix_socket(const struct tmpl *src)
{
	const char *s = src->canon;
	size_t n = strlen(s);

	if (strchr(s, '$') != NULL)
		return 0;
	if (strcmp(s, "/") == 0)
		return 1;
	return strncmp(OPTAB_NIX_SOCKET, s, n) == 0 &&
	    (OPTAB_NIX_SOCKET[n] == '\0' || OPTAB_NIX_SOCKET[n] == '/');
}

/*
 * Where shipped profiles are looked for: JAILC_PATH (tests, and users
 * with their own collection), then next to the binary (an uninstalled
 * build), then the installed share directory relative to the binary (a
 * relocated install such as a Nix store path), then the configured one.
 */
const char **
profile_search_path(void)
{
	static const char **dirs;
	size_t n = 0, cap = 0;
	const char *env = getenv("JAILC_PATH");
	char exe[PATH_MAX];
	ssize_t len;
	struct arena *outer;

	if (dirs != NULL)
		return dirs;
	/* worked out once, for every profile of the run */
	outer = arena_switch(arena_process());
	while (env != NULL && *env != '\0') {
		size_t k = strcspn(env, ":");

		if (k > 0) {
			array_reserve(&dirs, &cap, n + 1, sizeof(*dirs));
			dirs[n++] = arena_strndup(env, k);
		}
		env += k;
		if (*env == ':')
			env++;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		char *slash;

		exe[len] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			array_reserve(&dirs, &cap, n + 2, sizeof(*dirs));
			dirs[n++] = arena_printf("%s/profiles", exe);
			dirs[n++] =
			    arena_printf("%s/../share/jailc/profiles", exe);
		}
	}
	array_reserve(&dirs, &cap, n + 2, sizeof(*dirs));
	dirs[n++] = JAILC_DATADIR "/profiles";
	dirs[n] = NULL;
	arena_switch(outer);
	return dirs;
}

/* ------------------------------------------------------------------ */
/* Indexes of merged lists                                             */

#define NOWHERE SIZE_MAX

/* A map from strings to positions (open addressing).  A removed entry
 * keeps its slot with the position NOWHERE. */
struct strmap_slot {
	const char *key;
	size_t val;
};

struct strmap {
	struct strmap_slot *v;
	size_t nslots, nused;
};

static size_t
str_hash(const char *s)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return (size_t)h;
}

static struct strmap_slot *
strmap_slot(const struct strmap *m, const char *key)
{
	size_t i = str_hash(key) & (m->nslots - 1);

	while (m->v[i].key != NULL && strcmp(m->v[i].key, key) != 0)
		i = (i + 1) & (m->nslots - 1);
	return &m->v[i];
}

/* The position stored for key, or NOWHERE. */
static size_t
strmap_get(const struct strmap *m, const char *key)
{
	const struct strmap_slot *s;

	if (m->nslots == 0)
		return NOWHERE;
	s = strmap_slot(m, key);
	return s->key != NULL ? s->val : NOWHERE;
}

static void
strmap_put(struct strmap *m, const char *key, size_t val)
{
	struct strmap_slot *s;

	if (2 * (m->nused + 1) > m->nslots) {
		struct strmap old = *m;
		size_t i;

		m->nslots = old.nslots ? 2 * old.nslots : 16;
		m->v = arena_alloc(m->nslots * sizeof(*m->v));
		for (i = 0; i < old.nslots; i++)
			if (old.v[i].key != NULL)
				*strmap_slot(m, old.v[i].key) = old.v[i];
	}
	s = strmap_slot(m, key);
	if (s->key == NULL) {
		s->key = key;
		m->nused++;
	}
	s->val = val;
}

/* ------------------------------------------------------------------ */
/* Loading and merging                                                 */

struct loader {
	struct profile *p;
	const char **stack; /* real paths of the files being applied */
	const char **names; /* the same files, as they were named */
	size_t depth, capstack, capnames;
	const char **done; /* real paths already applied (or refused) */
	size_t ndone, capdone;
	int unusable; /* a file did not load or validate */
	/* what is merged so far, name to position */
	struct strmap extends, packages, allow, deny, set, mounts, protect;
	struct strmap sc_allow, sc_deny;
	struct strmap net_allow, net_deny;
	struct strmap dbus[DBUS_MAX];
};

/* Append s to l unless it is there already: the first place is kept. */
static void
list_add(
    struct itemlist *l, struct strmap *ix, const char *s, const struct pos *pos)
{
	if (strmap_get(ix, s) != NOWHERE)
		return;
	array_reserve(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n].s = s;
	l->v[l->n].pos = *pos;
	strmap_put(ix, s, l->n++);
}

/* Remove s from l, leaving a hole; 0 when s was not there. */
static int
list_remove(struct itemlist *l, struct strmap *ix, const char *s)
{
	size_t i = strmap_get(ix, s);

	if (i == NOWHERE)
		return 0;
	l->v[i].s = NULL;
	strmap_put(ix, s, NOWHERE);
	return 1;
}

static void
list_compact(struct itemlist *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		if (l->v[i].s != NULL)
			l->v[n++] = l->v[i];
	l->n = n;
}

static int
is_path_ref(const char *s)
{
	static const char *const sfx[] = { ".jail", ".toml", ".yaml", ".yml" };
	size_t n = strlen(s), i;

	if (strchr(s, '/') != NULL)
		return 1;
	for (i = 0; i < NELEM(sfx); i++) {
		size_t k = strlen(sfx[i]);

		if (n > k && strcmp(s + n - k, sfx[i]) == 0)
			return 1;
	}
	return 0;
}

/* Whether s is a shipped profile's name: ^[a-z0-9][a-z0-9._-]*$. */
static int
is_profile_name(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') ||
		        (i > 0 && strchr("._-", s[i]) != NULL)))
			return 0;
	return i > 0;
}

/* Resolve an extends entry named in file; NULL after reporting. */
static char *
resolve_extends(const char *file, const struct doc_node *entry)
{
	const char *s = entry->u.str.s;
	const char **dirs;
	struct buf tried = { 0 };
	char *path;
	size_t i;

	if (strlen(s) != entry->u.str.len) {
		diag(&entry->pos, E_PATH_CHAR, "in an extends entry");
		return NULL;
	}
	if (is_path_ref(s)) {
		const char *slash = strrchr(file, '/');

		if (s[0] == '/' || slash == NULL || strcmp(file, "-") == 0) {
			path = arena_strdup(s);
		} else {
			/* "./x" names x; keep messages free of "/./" */
			while (s[0] == '.' && s[1] == '/')
				for (s += 2; *s == '/'; s++)
					;
			path = arena_printf(
			    "%.*s/%s", (int)(slash - file), file, s);
		}
		if (access(path, R_OK) == 0)
			return path;
		diag(&entry->pos, E_EXTENDS_NOT_FOUND, "%s: %s", path,
		    strerror(errno));
		return NULL;
	}
	if (!is_profile_name(s)) {
		diag(&entry->pos, E_EXTENDS_NOT_FOUND,
		    "'%s' is neither a path nor a shipped profile's name "
		    "(lower-case letters, digits, '.', '_', '-')",
		    s);
		return NULL;
	}
	dirs = profile_search_path();
	for (i = 0; dirs[i] != NULL; i++) {
		path = arena_printf("%s/%s.jail", dirs[i], s);
		if (access(path, R_OK) == 0)
			return path;
		buf_printf(&tried, "%s%s", i > 0 ? ", " : "", dirs[i]);
	}
	diag(&entry->pos, E_EXTENDS_NOT_FOUND,
	    "no shipped profile '%s' (looked in %s)", s,
	    tried.s ? tried.s : "no directory");
	return NULL;
}

static int
valid_env_name(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= 'a' && s[i] <= 'z') ||
		        (i > 0 && s[i] >= '0' && s[i] <= '9')))
			return 0;
	return i > 0;
}

/* The first '[' of s that has no ']' to close it, or NULL.  As in
 * fnmatch(3), a ']' right after "[" or "[!" (or "[^") is a member of the
 * set, not its end. */
static const char *
unclosed_bracket(const char *s)
{
	const char *open;

	for (; *s != '\0'; s++) {
		if (*s != '[')
			continue;
		open = s++;
		if (*s == '!' || *s == '^')
			s++;
		if (*s == ']')
			s++;
		while (*s != '\0' && *s != ']')
			s++;
		if (*s == '\0')
			return open;
	}
	return NULL;
}

/* The end of the one-character element of glob s that starts at s: a
 * character, "\\c", "?" or a bracket expression ("[...]", in which
 * "[:class:]" may hold a ']'). */
static const char *
glob_element_end(const char *s)
{
	const char *q;

	if (*s == '\\' && s[1] != '\0')
		return s + 2;
	if (*s != '[')
		return s + 1;
	q = s + 1;
	if (*q == '!' || *q == '^')
		q++;
	if (*q == ']')
		q++;
	while (*q != '\0' && *q != ']') {
		if (q[0] == '[' && q[1] == ':') {
			const char *end = strstr(q + 2, ":]");

			if (end != NULL) {
				q = end + 2;
				continue;
			}
		}
		q++;
	}
	return *q == ']' ? q + 1 : s + 1;
}

/* Whether glob element x[0..n) matches every character of set. */
static int
element_covers(const char *x, size_t n, const char *set)
{
	const char *pat = arena_strndup(x, n);
	char c[2] = { 0, 0 };

	for (; *set != '\0'; set++) {
		c[0] = *set;
		if (fnmatch(pat, c, 0) != 0)
			return 0;
	}
	return 1;
}

/*
 * Whether allow pattern s (read by fnmatch(3) as the launchers read it)
 * lets every variable name ([A-Za-z_][A-Za-z0-9_]*) through: "*" in
 * disguise, such as "?*", "*?" or "[A-Za-z_]*".  Such a pattern matches
 * the one-character names, so it holds at most one element that is not
 * '*', X.  Then, with a '*' after X, it matches every name exactly when
 * X matches every character a name can start with; with '*' only before
 * it, when X matches every character a name can end with.
 */
static int
matches_every_name(const char *s)
{
	static const char first[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
	static const char any[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789";
	const char *x = NULL, *xend = NULL, *q;
	int before = 0, after = 0;

	for (q = s; *q != '\0';) {
		if (*q == '*') {
			if (x == NULL)
				before = 1;
			else
				after = 1;
			q++;
			continue;
		}
		if (x != NULL)
			return 0; /* two elements miss the one-letter names */
		x = q;
		q = xend = glob_element_end(q);
	}
	if (x == NULL)
		return before; /* stars only */
	if (after)
		return element_covers(x, (size_t)(xend - x), first);
	return before && element_covers(x, (size_t)(xend - x), any);
}

/* Check an env glob: every '[' closed, and (allow only) not a pattern
 * that passes everything. */
static void
check_env_pattern(const char *s, const struct pos *pos, int is_allow)
{
	if (unclosed_bracket(s) != NULL)
		diag(pos, E_ENV_PATTERN, "'%s': '[' is not closed", s);
	else if (is_allow && strspn(s, "*") == strlen(s))
		diag(pos, E_ENV_ALLOW_ALL, NULL);
	else if (is_allow && matches_every_name(s))
		diag(pos, E_ENV_ALLOW_ALL,
		    "'%s' matches every variable name, as '*' does", s);
}

/* Check and append the env patterns of array node arr (if any) to l. */
static void
add_patterns(struct itemlist *l, struct strmap *ix, const struct doc_node *arr,
    int is_allow)
{
	size_t i;

	for (i = 0; arr != NULL && i < arr->u.array.n; i++) {
		const struct doc_node *e = arr->u.array.v[i];

		check_env_pattern(e->u.str.s, &e->pos, is_allow);
		list_add(l, ix, e->u.str.s, &e->pos);
	}
}

/* s with control bytes and DEL as \xNN, so that a diagnostic about it
 * stays on its line and moves no cursor. */
static const char *
shown(const char *s)
{
	struct buf b = { 0 };

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			buf_printf(&b, "\\x%02x", c);
		else
			buf_putc(&b, c);
	}
	return b.s != NULL ? b.s : "";
}

/* Append the entries of network.allow or network.deny in list to v,
 * each once (by its canonical text: the first place is kept); a
 * malformed one is reported where it is written. */
static void
add_netrules(struct netentry **v, size_t *n, size_t *cap, struct strmap *ix,
    const struct doc_node *list)
{
	char text[NETRULE_TEXTMAX];
	struct netrule r;
	const char *why;
	size_t i;

	for (i = 0; list != NULL && i < list->u.array.n; i++) {
		const struct doc_node *e = list->u.array.v[i];

		if (memchr(e->u.str.s, '\0', e->u.str.len) != NULL) {
			diag(&e->pos, E_NUL, NULL);
			continue;
		}
		if (netrule_parse(e->u.str.s, &r, &why) != 0) {
			diag(&e->pos, E_NET_ENTRY, "'%s': %s",
			    shown(e->u.str.s), why);
			continue;
		}
		if (netrule_format(&r, text, sizeof(text)) < 0)
			continue;
		if (strmap_get(ix, text) != NOWHERE)
			continue;
		array_reserve(v, cap, *n + 1, sizeof(**v));
		(*v)[*n].rule = r;
		(*v)[*n].text = arena_strdup(text);
		(*v)[*n].pos = e->pos;
		strmap_put(ix, (*v)[*n].text, *n);
		(*n)++;
	}
}

static void
apply_env(struct loader *l, const struct doc_node *env)
{
	struct profile *p = l->p;
	const struct doc_node *n;
	size_t i, j;

	if (env == NULL)
		return;
	add_patterns(&p->env_allow, &l->allow, doc_get(env, "allow"), 1);
	add_patterns(&p->env_deny, &l->deny, doc_get(env, "deny"), 0);
	for (n = doc_get(env, "set"), i = 0; n != NULL && i < n->u.table.n;
	     i++) {
		const struct doc_member *m = &n->u.table.v[i];
		struct envset e;

		if (!valid_env_name(m->key)) {
			diag(&m->keypos, E_ENV_NAME, "'%s'", m->key);
			continue;
		}
		e.name = m->key;
		e.pos = m->keypos;
		if (tmpl_parse(&e.value, m->val->u.str.s, m->val->u.str.len,
		        &m->val->pos, 0) != 0)
			continue;
		/* a later profile's value replaces an earlier one's */
		if ((j = strmap_get(&l->set, e.name)) == NOWHERE) {
			array_reserve(&p->env_set, &p->capenv_set,
			    p->nenv_set + 1, sizeof(*p->env_set));
			j = p->nenv_set++;
			strmap_put(&l->set, e.name, j);
		}
		p->env_set[j] = e;
	}
	if ((n = doc_get(env, "extra-from")) != NULL) {
		if (!valid_env_name(n->u.str.s))
			diag(&n->pos, E_ENV_NAME, "'%s'", n->u.str.s);
		p->extra_from.s = n->u.str.s;
		p->extra_from.pos = n->pos;
	}
}

static int
opt_bool(const struct doc_node *tbl, const char *key, int dflt)
{
	const struct doc_node *n = doc_get(tbl, key);

	return n != NULL ? n->u.b : dflt;
}

static const char *const limit_names[LIMIT_MAX] = { "nofile", "nproc", "as",
	"fsize", "cpu", "core", "memory" };

const char *
limit_name(enum limit_res r)
{
	return limit_names[r];
}

int
limit_is_bytes(enum limit_res r)
{
	return r == LIMIT_AS || r == LIMIT_FSIZE || r == LIMIT_CORE ||
	    r == LIMIT_MEMORY;
}

/* process.limits: a later file's value replaces an earlier one's.  The
 * schema checked the types and the range; sizes must be whole KiB,
 * because that is what ulimit counts in. */
static void
apply_limits(struct profile *p, const struct doc_node *t)
{
	const struct doc_node *n;
	struct limit *lim;
	int r;

	if (t == NULL)
		return;
	for (r = 0; r < LIMIT_MAX; r++) {
		if ((n = doc_get(t, limit_names[r])) == NULL)
			continue;
		lim = &p->limits[r];
		lim->set = 1;
		lim->pos = n->pos;
		if (n->type == DOC_STRING) {
			lim->value = LIMIT_UNLIMITED;
			continue;
		}
		lim->value = (unsigned long long)n->u.i;
		if (limit_is_bytes(r) && lim->value % 1024 != 0)
			diag(&n->pos, E_LIMIT_UNIT,
			    "%s = %llu is not a multiple of 1024",
			    limit_names[r], lim->value);
	}
}

/* process.limits-optional: a later file's list replaces an earlier
 * one's, so that a profile can make its parent's optional limits
 * required again with an empty list.  The schema let through only the
 * names of limits a cgroup gives. */
static void
apply_limits_optional(struct profile *p, const struct doc_node *t)
{
	const struct doc_node *n;
	size_t i;
	int r;

	if (t == NULL)
		return;
	for (r = 0; r < LIMIT_MAX; r++)
		p->limits[r].optional = 0;
	for (i = 0; i < t->u.array.n; i++) {
		n = t->u.array.v[i];
		for (r = 0; r < LIMIT_MAX; r++)
			if (strcmp(n->u.str.s, limit_names[r]) == 0) {
				p->limits[r].optional = 1;
				p->limits[r].opt_pos = n->pos;
			}
	}
}

/* Parse n's string as a template; -1 after reporting. */
static int
node_tmpl(struct tmpl *t, const struct doc_node *n, int as_path)
{
	return tmpl_parse(t, n->u.str.s, n->u.str.len, &n->pos, as_path);
}

static void
apply_mount(struct loader *l, const struct doc_node *t)
{
	struct profile *p = l->p;
	struct mount m;
	const struct doc_node *kv = NULL, *n;
	size_t i, k = NELEM(kinds), other;
	int failed = 0;

	memset(&m, 0, sizeof(m));
	m.pos = t->pos;
	m.mode = -1;
	for (i = 0; i < NELEM(kinds); i++) {
		if ((n = doc_get(t, kinds[i].key)) == NULL)
			continue;
		if (kv == NULL) {
			kv = n;
			k = i;
		} else {
			diag(&n->pos, E_MOUNT_OPTION,
			    "'%s' and '%s' in one mount", kinds[k].key,
			    kinds[i].key);
			failed = 1;
		}
	}
	if (kv == NULL) /* the schema requires a kind; be defensive */
		return;
	m.kind = kinds[k].kind;
	for (i = 0; i < NELEM(options); i++)
		if ((n = doc_get(t, options[i].key)) != NULL &&
		    !(kinds[k].opts & options[i].bit)) {
			diag(&n->pos, E_MOUNT_OPTION, "'%s' on a %s mount",
			    options[i].key, kinds[k].key);
			failed = 1;
		}
	if (failed)
		return;

	switch (m.kind) {
	case MOUNT_RO:
	case MOUNT_RW:
	case MOUNT_DEV_BIND:
		failed |= node_tmpl(&m.src, kv, 1);
		break;
	case MOUNT_SYMLINK:
		/* a link's target may well be relative: not a path here */
		failed |= node_tmpl(&m.src, kv, 0);
		break;
	case MOUNT_DATA:
		m.data = kv->u.str.s;
		m.datalen = kv->u.str.len;
		break;
	case MOUNT_TMPFS:
	case MOUNT_DIR:
	case MOUNT_PROC:
	case MOUNT_DEV:
		failed |= node_tmpl(&m.dest, kv, 1);
		break;
	}
	if ((n = doc_get(t, "dest")) != NULL) {
		failed |= node_tmpl(&m.dest, n, 1);
	} else if (m.kind == MOUNT_SYMLINK || m.kind == MOUNT_DATA) {
		diag(&t->pos, E_MOUNT_OPTION, "a %s mount needs 'dest'",
		    kinds[k].key);
		failed = 1;
	} else if (m.dest.canon == NULL) {
		m.dest = m.src; /* a bind appears where it is on the host */
	}
	if ((n = doc_get(t, "create")) == NULL)
		m.create = CREATE_NONE;
	else if (n->type == DOC_STRING)
		m.create =
		    strcmp(n->u.str.s, "file") == 0 ? CREATE_FILE : CREATE_DIR;
	else
		m.create = n->u.b ? CREATE_DIR : CREATE_NONE;
	m.optional = opt_bool(t, "optional", 0);
	if ((n = doc_get(t, "mode")) != NULL)
		m.mode = (int)strtol(n->u.str.s, NULL, 8);
	if (failed)
		return;

	if ((other = strmap_get(&l->mounts, m.dest.canon)) != NOWHERE) {
		diag(&m.pos, E_MOUNT_DUPLICATE, "%s", m.dest.canon);
		diag(&p->mounts[other].pos, N_OTHER_MOUNT, NULL);
		return;
	}
	array_reserve(
	    &p->mounts, &p->capmounts, p->nmounts + 1, sizeof(*p->mounts));
	strmap_put(&l->mounts, m.dest.canon, p->nmounts);
	p->mounts[p->nmounts++] = m;
}

/* Drop what the parents provided and the remove table names. */
static void
apply_remove(struct loader *l, const struct doc_node *rm)
{
	static const struct {
		const char *key;
		size_t list;
		size_t index;
	} lists[] = {
		{ "packages", offsetof(struct profile, packages),
		    offsetof(struct loader, packages) },
		{ "env-allow", offsetof(struct profile, env_allow),
		    offsetof(struct loader, allow) },
		{ "env-deny", offsetof(struct profile, env_deny),
		    offsetof(struct loader, deny) },
	};
	struct profile *p = l->p;
	const struct doc_node *n, *e;
	size_t i, j;

	if (rm == NULL)
		return;
	for (n = doc_get(rm, "mount"), i = 0; n != NULL && i < n->u.array.n;
	     i++) {
		struct tmpl t;

		e = n->u.array.v[i];
		if (node_tmpl(&t, e, 1) != 0)
			continue;
		if ((j = strmap_get(&l->mounts, t.canon)) == NOWHERE) {
			diag(&e->pos, W_REMOVE_UNUSED, "mount %s", t.canon);
			continue;
		}
		p->mounts[j].dest.canon = NULL; /* a hole, for now */
		strmap_put(&l->mounts, t.canon, NOWHERE);
	}
	for (j = 0; j < NELEM(lists); j++) {
		struct itemlist *il = (void *)((char *)p + lists[j].list);
		struct strmap *ix = (void *)((char *)l + lists[j].index);

		for (n = doc_get(rm, lists[j].key), i = 0;
		     n != NULL && i < n->u.array.n; i++) {
			e = n->u.array.v[i];
			if (!list_remove(il, ix, e->u.str.s))
				diag(&e->pos, W_REMOVE_UNUSED, "%s %s",
				    lists[j].key, e->u.str.s);
		}
	}
	/* command.args may repeat an entry ("-v -v"): every inherited one
	 * with the text named goes. */
	for (n = doc_get(rm, "command-args"), i = 0;
	     n != NULL && i < n->u.array.n; i++) {
		struct tmpl t;
		size_t k, kept;

		e = n->u.array.v[i];
		if (node_tmpl(&t, e, 0) != 0)
			continue;
		for (k = kept = 0; k < p->nargs; k++)
			if (strcmp(p->args[k].canon, t.canon) != 0)
				p->args[kept++] = p->args[k];
		if (kept == p->nargs)
			diag(&e->pos, W_REMOVE_UNUSED, "command-args %s",
			    e->u.str.s);
		p->nargs = kept;
	}
	for (n = doc_get(rm, "env-set"), i = 0; n != NULL && i < n->u.array.n;
	     i++) {
		e = n->u.array.v[i];
		if ((j = strmap_get(&l->set, e->u.str.s)) == NOWHERE) {
			diag(
			    &e->pos, W_REMOVE_UNUSED, "env-set %s", e->u.str.s);
			continue;
		}
		p->env_set[j].name = NULL;
		strmap_put(&l->set, e->u.str.s, NOWHERE);
	}
}

/* protect.add joins the list (checked here, where its position is
 * known); protect.remove is checked once everything is merged, since a
 * later file may remove what an earlier one added. */
static void
apply_protect(struct loader *l, const struct doc_node *t)
{
	struct profile *p = l->p;
	const struct doc_node *n, *e, *path, *reason;
	const char *why;
	size_t i;

	if (t == NULL)
		return;
	if ((n = doc_get(t, "on-exit")) != NULL) {
		p->protect_fail = strcmp(n->u.str.s, "fail") == 0;
		p->protect_fail_pos = n->pos;
	}
	for (n = doc_get(t, "add"), i = 0; n != NULL && i < n->u.array.n; i++) {
		e = n->u.array.v[i];
		if (!protect_path_ok(e->u.str.s, &why)) {
			diag(
			    &e->pos, E_PROTECT_PATH, "%s: %s", e->u.str.s, why);
			continue;
		}
		if (protect_find(e->u.str.s) == NULL)
			list_add(
			    &p->protect_add, &l->protect, e->u.str.s, &e->pos);
	}
	for (n = doc_get(t, "remove"), i = 0; n != NULL && i < n->u.array.n;
	     i++) {
		e = n->u.array.v[i];
		path = doc_get(e, "path");
		reason = doc_get(e, "reason");
		array_reserve(&p->unprotect, &p->capunprotect,
		    p->nunprotect + 1, sizeof(*p->unprotect));
		p->unprotect[p->nunprotect].path = path->u.str.s;
		p->unprotect[p->nunprotect].reason = reason->u.str.s;
		p->unprotect[p->nunprotect].pos = path->pos;
		p->nunprotect++;
	}
}

int
profile_unprotected(const struct profile *p, const char *s)
{
	size_t i;

	if (!p->protect_hooks && protect_is_git(s))
		return 1;
	for (i = 0; i < p->nunprotect; i++)
		if (strcmp(p->unprotect[i].path, s) == 0)
			return 1;
	return 0;
}

/* A writable mount right on a protected path would meet the path's pin
 * at launch as two mounts on one place; say why here instead.  Patterns
 * are left to the launch. */
static void
check_protect_mount(const struct profile *p, const char *written)
{
	static const char *const project[] = { "${PROJECT_ROOT}", "${WORKTREE}",
		"${CWD}" };
	enum protect_base base;
	const char *rel = protect_split(written, &base), *dest;
	size_t b, i, len = strlen(rel);

	/* neither a pattern nor a git: entry names a path yet */
	if (base == PROTECT_GIT || protect_is_glob(rel) ||
	    profile_unprotected(p, written))
		return;
	if (len > 0 && rel[len - 1] == '/')
		len--;
	for (b = 0; b < NELEM(project); b++) {
		if (base == PROTECT_HOME && b > 0)
			break;
		dest = arena_printf("%s/%.*s",
		    base == PROTECT_HOME ? "${HOME}" : project[b], (int)len,
		    rel);
		for (i = 0; i < p->nmounts; i++) {
			const struct mount *m = &p->mounts[i];

			if ((m->kind == MOUNT_RW ||
			        m->kind == MOUNT_DEV_BIND) &&
			    strcmp(m->dest.canon, dest) == 0)
				diag(&m->pos, E_PROTECT_MOUNT,
				    "%s (name %s in protect.remove, with the "
				    "reason, to make it writable)",
				    dest, written);
		}
	}
}

/* Every removal names a protected path exactly (lint reports each one,
 * with its reason, as protect-removed). */
static void
check_unprotect(const struct profile *p, const struct loader *l)
{
	const struct unprotect *u;
	size_t i;

	for (i = 0; i < p->nunprotect; i++) {
		u = &p->unprotect[i];
		if (protect_find(u->path) == NULL &&
		    strmap_get(&l->protect, u->path) == NOWHERE)
			diag(&u->pos, E_PROTECT_UNKNOWN, "%s", u->path);
	}
	for (i = 0; i < protect_count; i++)
		check_protect_mount(p, protect_written(&protect_list[i]));
	for (i = 0; i < p->protect_add.n; i++)
		check_protect_mount(p, p->protect_add.v[i].s);
}

static void
apply_risk(struct profile *p, const struct doc_node *accept)
{
	size_t i, j;

	for (i = 0; accept != NULL && i < accept->u.table.n; i++) {
		const struct doc_member *m = &accept->u.table.v[i];

		if (!diag_is_rule(diag_lookup(m->key))) {
			diag(&m->keypos, E_RISK_UNKNOWN_RULE, "'%s'", m->key);
			continue;
		}
		/* few rules exist, so a scan is enough */
		for (j = 0; j < p->naccepts; j++)
			if (strcmp(p->accepts[j].rule, m->key) == 0)
				break;
		if (j == p->naccepts) {
			array_reserve(&p->accepts, &p->capaccepts,
			    p->naccepts + 1, sizeof(*p->accepts));
			p->naccepts++;
		}
		p->accepts[j].rule = m->key;
		p->accepts[j].reason = m->val->u.str.s;
		p->accepts[j].pos = m->keypos;
		p->accepts[j].used = 0;
	}
}

/* Whether t uses the variable v. */
static int
uses_var(const struct tmpl *t, enum var v)
{
	size_t i;

	for (i = 0; i < t->nparts; i++)
		if (t->parts[i].var == v)
			return 1;
	return 0;
}

/* [launch]: each key a file writes replaces what it inherits, so a
 * child can take a choice away as well as give one. */
static void
apply_launch(struct loader *l, const struct doc_node *t)
{
	struct profile *p = l->p;
	const struct doc_node *n, *e, *k;
	size_t i;
	int m;

	if (t == NULL)
		return;
	if ((n = doc_get(t, "network")) != NULL) {
		memset(p->launch_net, 0, sizeof(p->launch_net));
		for (i = 0; i < n->u.array.n; i++) {
			e = n->u.array.v[i];
			m = strcmp(e->u.str.s, "host") == 0    ? NET_HOST
			    : strcmp(e->u.str.s, "proxy") == 0 ? NET_PROXY
			                                       : NET_NONE;
			p->launch_net[m] = 1;
			p->launch_net_pos[m] = e->pos;
		}
	}
	if ((n = doc_get(t, "shell")) != NULL) {
		p->launch_shell = n->u.b;
		p->launch_shell_pos = n->pos;
	}
	if ((n = doc_get(t, "mount")) != NULL) {
		p->nlaunch_mounts = 0;
		for (i = 0; i < n->u.array.n; i++) {
			struct launch_mount lm;

			e = n->u.array.v[i];
			lm.rw = (k = doc_get(e, "rw")) != NULL;
			if (k == NULL)
				k = doc_get(e, "ro");
			if (k == NULL || node_tmpl(&lm.path, k, 1) != 0)
				continue;
			/* resolved before the launch makes anything */
			if (uses_var(&lm.path, VAR_WORKDIR)) {
				diag(&k->pos, E_VAR_UNKNOWN,
				    "${WORKDIR} in launch.mount (it is made "
				    "after the choices are checked)");
				continue;
			}
			lm.pos = e->pos;
			array_reserve(&p->launch_mounts, &p->caplaunch_mounts,
			    p->nlaunch_mounts + 1, sizeof(*p->launch_mounts));
			p->launch_mounts[p->nlaunch_mounts++] = lm;
		}
	}
}

/* [gui]: each socket key replaces what the parents set; the bus's lists
 * are merged like every list, and a [gui.dbus] table anywhere turns the
 * filtered bus on. */
static void
apply_gui(struct loader *l, const struct doc_node *t)
{
	struct profile *p = l->p;
	const struct doc_node *n, *d;
	size_t i;
	int c, r;

	if (t == NULL)
		return;
	for (c = 0; c < GUI_MAX; c++)
		if ((n = doc_get(t, gui_cap_name((enum gui_cap)c))) != NULL) {
			p->gui[c] = n->u.b;
			p->gui_pos[c] = n->pos;
		}
	if ((d = doc_get(t, "dbus")) == NULL)
		return;
	if (!p->dbus_on) {
		p->dbus_on = 1;
		p->dbus_pos = d->pos;
	}
	for (r = 0; r < DBUS_MAX; r++)
		for (n = doc_get(d, dbus_rule_name((enum dbus_rule)r)), i = 0;
		     n != NULL && i < n->u.array.n; i++)
			list_add(&p->dbus[r], &l->dbus[r],
			    n->u.array.v[i]->u.str.s, &n->u.array.v[i]->pos);
}

/* Apply the entries a profile writes itself (not its parents'). */
static void
apply_own(struct loader *l, const struct doc_node *root)
{
	struct profile *p = l->p;
	const struct doc_node *t, *n;
	struct tmpl tmp;
	size_t i;
	int k;

	if ((n = doc_get(root, "name")) != NULL)
		p->name = n->u.str.s;
	if ((n = doc_get(root, "description")) != NULL)
		p->description = n->u.str.s;
	for (n = doc_get(root, "extends"), i = 0; n != NULL && i < n->u.array.n;
	     i++)
		list_add(&p->extends, &l->extends, n->u.array.v[i]->u.str.s,
		    &n->u.array.v[i]->pos);

	if ((t = doc_get(root, "command")) != NULL) {
		if ((n = doc_get(t, "exec")) != NULL &&
		    node_tmpl(&tmp, n, 0) == 0)
			p->exec = tmp;
		/* args append like every list, but keep repeats: "-v -v" */
		for (n = doc_get(t, "args"), i = 0;
		     n != NULL && i < n->u.array.n; i++) {
			if (node_tmpl(&tmp, n->u.array.v[i], 0) != 0)
				continue;
			array_reserve(&p->args, &p->capargs, p->nargs + 1,
			    sizeof(*p->args));
			p->args[p->nargs++] = tmp;
		}
	}
	if ((t = doc_get(root, "packages")) != NULL)
		for (n = doc_get(t, "include"), i = 0;
		     n != NULL && i < n->u.array.n; i++)
			list_add(&p->packages, &l->packages,
			    n->u.array.v[i]->u.str.s, &n->u.array.v[i]->pos);
	apply_env(l, doc_get(root, "env"));
	apply_launch(l, doc_get(root, "launch"));
	apply_gui(l, doc_get(root, "gui"));
	for (t = doc_get(root, "mount"), i = 0; t != NULL && i < t->u.array.n;
	     i++)
		apply_mount(l, t->u.array.v[i]);

	if ((t = doc_get(root, "network")) != NULL) {
		if ((n = doc_get(t, "mode")) != NULL) {
			p->network = strcmp(n->u.str.s, "host") == 0 ? NET_HOST
			    : strcmp(n->u.str.s, "proxy") == 0       ? NET_PROXY
			                                             : NET_NONE;
			p->network_pos = n->pos;
			/* The parents' host lists mean nothing to another
			 * mode: a profile may take an agent's out of the
			 * proxy (mode = "host") without undoing its list.
			 * Its own entries are still checked below. */
			if (p->network != NET_PROXY) {
				p->nnet_allow = p->nnet_deny = 0;
				memset(&l->net_allow, 0, sizeof(l->net_allow));
				memset(&l->net_deny, 0, sizeof(l->net_deny));
			}
		}
		if ((n = doc_get(t, "abstract-sockets")) != NULL) {
			p->abstract_host = strcmp(n->u.str.s, "host") == 0;
			p->abstract_pos = n->pos;
		}
		add_netrules(&p->net_allow, &p->nnet_allow, &p->capnet_allow,
		    &l->net_allow, doc_get(t, "allow"));
		add_netrules(&p->net_deny, &p->nnet_deny, &p->capnet_deny,
		    &l->net_deny, doc_get(t, "deny"));
	}
	if ((t = doc_get(root, "git")) != NULL) {
		if ((n = doc_get(t, "identity")) != NULL) {
			p->identity = strcmp(n->u.str.s, "host") == 0
			    ? IDENTITY_HOST
			    : IDENTITY_NONE;
			p->identity_pos = n->pos;
		}
		p->protect_hooks =
		    opt_bool(t, "protect-hooks", p->protect_hooks);
		if ((n = doc_get(t, "protect-hooks")) != NULL)
			p->hooks_pos = n->pos;
	}
	apply_protect(l, doc_get(root, "protect"));
	if ((t = doc_get(root, "state")) != NULL) {
		p->workdir = opt_bool(t, "workdir", p->workdir);
		if ((n = doc_get(t, "workdir")) != NULL)
			p->workdir_pos = n->pos;
		if ((n = doc_get(t, "per-project")) != NULL &&
		    node_tmpl(&tmp, n, 1) == 0)
			p->per_project = tmp;
	}
	if ((t = doc_get(root, "process")) != NULL) {
		p->die_with_parent =
		    opt_bool(t, "die-with-parent", p->die_with_parent);
		if ((n = doc_get(t, "hostname")) != NULL) {
			p->hostname = n->u.str.s;
			p->hostname_pos = n->pos;
		}
		for (n = doc_get(t, "share"), i = 0;
		     n != NULL && i < n->u.array.n; i++)
			for (k = 0; k < NS_MAX; k++)
				if (strcmp(n->u.array.v[i]->u.str.s,
				        nsnames[k]) == 0) {
					p->share[k] = 1;
					p->share_pos[k] = n->u.array.v[i]->pos;
				}
		if ((n = doc_get(t, "nested-sandbox")) != NULL) {
			p->nested_sandbox = n->u.b;
			p->nested_pos = n->pos;
		}
		apply_limits(p, doc_get(t, "limits"));
		apply_limits_optional(p, doc_get(t, "limits-optional"));
	}
	if ((t = doc_get(root, "seccomp")) != NULL) {
		p->seccomp_pos = t->pos;
		if ((n = doc_get(t, "profile")) != NULL)
			p->seccomp_off = strcmp(n->u.str.s, "off") == 0;
		for (n = doc_get(t, "allow"), i = 0;
		     n != NULL && i < n->u.array.n; i++)
			list_add(&p->sc_allow, &l->sc_allow,
			    n->u.array.v[i]->u.str.s, &n->u.array.v[i]->pos);
		for (n = doc_get(t, "deny"), i = 0;
		     n != NULL && i < n->u.array.n; i++)
			list_add(&p->sc_deny, &l->sc_deny,
			    n->u.array.v[i]->u.str.s, &n->u.array.v[i]->pos);
	}
	if ((t = doc_get(root, "risk")) != NULL)
		apply_risk(p, doc_get(t, "accept"));
}

/* Parse n as a template if it is a string; a quiet no-op otherwise. */
static void
try_tmpl(const struct doc_node *n, int as_path)
{
	struct tmpl t;

	if (n != NULL && n->type == DOC_STRING)
		node_tmpl(&t, n, as_path);
}

/* Call try_tmpl on every element of n if it is an array, or every member
 * value if it is a table. */
static void
try_tmpls(const struct doc_node *n, int as_path)
{
	size_t i;

	if (n != NULL && n->type == DOC_ARRAY)
		for (i = 0; i < n->u.array.n; i++)
			try_tmpl(n->u.array.v[i], as_path);
	if (n != NULL && n->type == DOC_TABLE)
		for (i = 0; i < n->u.table.n; i++)
			try_tmpl(n->u.table.v[i].val, as_path);
}

/*
 * A file that failed the schema is not merged, but its variables and
 * paths are still checked, so that one run reports those mistakes too.
 * Only values of the right type are looked at; the schema has reported
 * the others.
 */
static void
check_templates(const struct doc_node *root)
{
	static const char *const pathkeys[] = { "ro", "rw", "dev-bind", "tmpfs",
		"dir", "proc", "dev", "dest" };
	const struct doc_node *t, *m;
	size_t i, k;

	if (root->type != DOC_TABLE)
		return;
	if ((t = doc_get(root, "command")) != NULL && t->type == DOC_TABLE) {
		try_tmpl(doc_get(t, "exec"), 0);
		try_tmpls(doc_get(t, "args"), 0);
	}
	if ((t = doc_get(root, "env")) != NULL && t->type == DOC_TABLE)
		try_tmpls(doc_get(t, "set"), 0);
	if ((t = doc_get(root, "state")) != NULL && t->type == DOC_TABLE)
		try_tmpl(doc_get(t, "per-project"), 1);
	if ((t = doc_get(root, "mount")) == NULL || t->type != DOC_ARRAY)
		return;
	for (i = 0; i < t->u.array.n; i++) {
		if ((m = t->u.array.v[i])->type != DOC_TABLE)
			continue;
		for (k = 0; k < NELEM(pathkeys); k++)
			try_tmpl(doc_get(m, pathkeys[k]), 1);
		try_tmpl(doc_get(m, "symlink"), 0);
	}
}

static int
path_seen(const char **v, size_t n, const char *real)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], real) == 0)
			return 1;
	return 0;
}

/* Apply the profile at path (and its parents) onto l->p; from is the
 * extends entry that named it (NULL for the top-level file). */
static void
apply_file(struct loader *l, const char *path, enum doc_format fmt,
    const struct pos *from, int shipped)
{
	struct doc_node *root, *ext;
	char *real;
	size_t i;
	unsigned before = diag_errors();

	/* Files are told apart by their real path, so that a cycle or a
	 * second visit is seen however the paths were spelt. */
	if (strcmp(path, "-") == 0) {
		real = arena_strdup("-");
	} else if ((real = realpath(path, NULL)) != NULL) {
		char *copy = arena_strdup(real);

		free(real);
		real = copy;
	} else {
		real = arena_strdup(path); /* source_load says why */
	}
	if (path_seen(l->stack, l->depth, real)) {
		struct buf chain = { 0 };

		for (i = 0; i < l->depth; i++)
			buf_printf(&chain, "%s -> ", l->names[i]);
		buf_puts(&chain, path);
		diag(from, E_EXTENDS_CYCLE, "%s", chain.s);
		return;
	}
	/* A profile reached twice (base through two parents) is merged,
	 * or reported, once: at its first place. */
	if (path_seen(l->done, l->ndone, real))
		return;
	if (l->depth > MAX_EXTENDS_DEPTH) {
		diag(from, E_EXTENDS_DEPTH, "more than %d levels below %s",
		    MAX_EXTENDS_DEPTH, l->names[0]);
		return;
	}
	array_reserve(&l->done, &l->capdone, l->ndone + 1, sizeof(*l->done));
	l->done[l->ndone++] = real;
	if (from != NULL) {
		struct profile *p = l->p;

		array_reserve(
		    &p->chain, &p->capchain, p->nchain + 1, sizeof(*p->chain));
		p->chain[p->nchain].path = path;
		p->chain[p->nchain].from = *from;
		p->chain[p->nchain].shipped = shipped;
		p->nchain++;
	}

	root = source_load(path, fmt);
	if (root == NULL || schema_check(root) > 0 || diag_errors() > before) {
		if (root != NULL)
			check_templates(root);
		l->unusable = 1;
		return;
	}

	array_reserve(&l->stack, &l->capstack, l->depth + 1, sizeof(*l->stack));
	array_reserve(&l->names, &l->capnames, l->depth + 1, sizeof(*l->names));
	l->names[l->depth] = path;
	l->stack[l->depth++] = real;
	for (ext = doc_get(root, "extends"), i = 0;
	     ext != NULL && i < ext->u.array.n; i++) {
		const struct doc_node *e = ext->u.array.v[i];
		char *parent = resolve_extends(path, e);

		if (parent != NULL)
			apply_file(l, parent, FORMAT_AUTO, &e->pos,
			    !is_path_ref(e->u.str.s));
	}
	l->depth--;

	apply_remove(l, doc_get(root, "remove"));
	apply_own(l, root);
}

/* ------------------------------------------------------------------ */
/* Checks on the merged profile                                        */

/* Close the holes that remove left. */
static void
compact(struct profile *p)
{
	size_t i, n;

	list_compact(&p->packages);
	list_compact(&p->env_allow);
	list_compact(&p->env_deny);
	for (i = n = 0; i < p->nenv_set; i++)
		if (p->env_set[i].name != NULL)
			p->env_set[n++] = p->env_set[i];
	p->nenv_set = n;
	for (i = n = 0; i < p->nmounts; i++)
		if (p->mounts[i].dest.canon != NULL)
			p->mounts[n++] = p->mounts[i];
	p->nmounts = n;
}

/*
 * The launch order of mounts.  bubblewrap sets mounts up in argument
 * order, and a mount hides whatever an earlier mount put beneath its
 * destination: "/home/u/.claude" then "/home/u" (a tmpfs) leaves the
 * first one invisible.  So a parent must come before everything beneath
 * it, whatever order the profiles (and their parents) wrote them in.
 *
 * A destination is a root (a literal "/" or one path variable) followed
 * by components.  Within one root, a path beneath another has more
 * components, so ordering by depth puts every parent first.  Across roots
 * jailc cannot know the values at compile time, so it orders the roots
 * by where they nest on every sane host: system paths ("/"), then
 * XDG_RUNTIME_DIR, HOME, the XDG directories under HOME and the
 * desktop's sockets and cookie file, PROJECT_ROOT
 * (usually under HOME), WORKTREE (the project's, or a linked worktree),
 * CWD (in or under the worktree), WORKDIR.  The sort
 * is stable: equal keys keep the merged order, so the output does not
 * depend on the sort routine.  When the values are known, the launcher
 * re-checks the resolved destinations and refuses to start if a mount
 * would come after one beneath it (say, PROJECT_ROOT outside HOME but
 * HOME mounted over it), or if two resolve to the same place (binds
 * that are the same in every way excepted: WORKTREE is PROJECT_ROOT in
 * a main checkout).
 */
struct mount_key {
	int rank;
	size_t depth;
	size_t seq;
	struct mount m;
};

static int
mount_key_cmp(const void *a, const void *b)
{
	const struct mount_key *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
mount_order_key(const struct tmpl *dest, int *rank, size_t *depth)
{
	const char *s;

	*rank = vars[dest->parts[0].var].rank;
	*depth = 0;
	/* "/" has no components; otherwise one per '/' */
	if (strcmp(dest->canon, "/") != 0)
		for (s = dest->canon; *s != '\0'; s++)
			*depth += *s == '/';
}

static void
sort_mounts(struct profile *p)
{
	struct mount_key *k;
	size_t i;

	if (p->nmounts < 2)
		return;
	k = arena_alloc(p->nmounts * sizeof(*k));
	for (i = 0; i < p->nmounts; i++) {
		mount_order_key(&p->mounts[i].dest, &k[i].rank, &k[i].depth);
		k[i].seq = i;
		k[i].m = p->mounts[i];
	}
	qsort(k, p->nmounts, sizeof(*k), mount_key_cmp);
	for (i = 0; i < p->nmounts; i++)
		p->mounts[i] = k[i].m;
}

static void
check_workdir_in(const struct tmpl *t)
{
	if (uses_var(t, VAR_WORKDIR))
		diag(&t->pos, E_VAR_UNKNOWN,
		    "${WORKDIR} needs state.workdir = true");
}

/* ${WORKDIR} exists only when the merged profile asks for a work
 * directory; a parent may use it and leave the child to turn it on. */
static void
check_workdir(const struct profile *p)
{
	size_t i;

	if (p->workdir)
		return;
	check_workdir_in(&p->exec);
	for (i = 0; i < p->nargs; i++)
		check_workdir_in(&p->args[i]);
	for (i = 0; i < p->nenv_set; i++)
		check_workdir_in(&p->env_set[i].value);
	for (i = 0; i < p->nmounts; i++) {
		const struct mount *m = &p->mounts[i];

		check_workdir_in(&m->src);
		if (m->dest.parts != m->src.parts) /* not the default */
			check_workdir_in(&m->dest);
	}
	check_workdir_in(&p->per_project);
}

static int
env_set_cmp(const void *a, const void *b)
{
	return strcmp(
	    ((const struct envset *)a)->name, ((const struct envset *)b)->name);
}

static void
check_env(struct profile *p)
{
	size_t i, j;

	if (p->nenv_set > 1)
		qsort(
		    p->env_set, p->nenv_set, sizeof(*p->env_set), env_set_cmp);
	for (i = 0; i < p->nenv_set; i++)
		for (j = 0; j < p->env_deny.n; j++)
			if (fnmatch(p->env_deny.v[j].s, p->env_set[i].name,
			        0) == 0) {
				diag(&p->env_set[i].pos, E_ENV_SET_DENIED,
				    "%s is denied by '%s'", p->env_set[i].name,
				    p->env_deny.v[j].s);
				break;
			}
}

int
network_mode_rank(enum network_mode m)
{
	return m == NET_NONE ? 0 : m == NET_PROXY ? 1 : 2;
}

const char *
gui_cap_name(enum gui_cap c)
{
	static const char *const names[GUI_MAX] = { "x11", "wayland",
		"pipewire", "pulseaudio" };

	return c < GUI_MAX ? names[c] : "?";
}

const char *
dbus_rule_name(enum dbus_rule r)
{
	static const char *const names[DBUS_MAX] = { "talk", "own", "see" };

	return r < DBUS_MAX ? names[r] : "?";
}

const char *
network_mode_name(enum network_mode m)
{
	switch (m) {
	case NET_NONE:
		return "none";
	case NET_HOST:
		return "host";
	case NET_PROXY:
		return "proxy";
	}
	return "?";
}

/* network.allow and network.deny mean something only to the proxy. */
static void
check_network(const struct profile *p)
{
	const struct netentry *e;

	if (p->network == NET_PROXY)
		return;
	e = p->nnet_allow > 0  ? &p->net_allow[0]
	    : p->nnet_deny > 0 ? &p->net_deny[0]
	                       : NULL;
	if (e == NULL)
		return;
	if (p->network_pos.line != 0)
		diag(&e->pos, E_NET_NOT_PROXY,
		    "network.mode is \"%s\" (%s:%u:%u)",
		    network_mode_name(p->network), p->network_pos.file,
		    p->network_pos.line, p->network_pos.col);
	else
		diag(&e->pos, E_NET_NOT_PROXY,
		    "network.mode is \"%s\" (the default)",
		    network_mode_name(p->network));
}

struct profile *
profile_read(const char *path, enum doc_format fmt)
{
	struct loader l;
	struct profile *p = arena_alloc(sizeof(*p));

	memset(&l, 0, sizeof(l));
	l.p = p;
	p->file = path;
	p->network = NET_NONE;
	p->identity = IDENTITY_NONE;
	p->protect_hooks = 1;
	p->workdir = 0;
	p->die_with_parent = 1;
	apply_file(&l, path, fmt, NULL, 0);
	/* After a syntax or schema error the IR is incomplete, and checks on
	 * it would only add noise; otherwise report everything. */
	if (l.unusable)
		return NULL;

	compact(p);
	check_unprotect(p, &l);
	check_workdir(p);
	check_env(p);
	if (p->hostname != NULL && p->share[NS_UTS])
		diag(&p->hostname_pos, E_HOSTNAME_SHARED, NULL);
	check_network(p);
	sort_mounts(p);
	return p;
}

/* ------------------------------------------------------------------ */
/* Canonical dump                                                      */

/* Print s[0..len) with backslashes and bytes outside printable ASCII
 * escaped, so that every item stays on one line; in fields that are
 * followed by others on the line, spaces too. */
static void
dump_str(FILE *fp, const char *s, size_t len, int field)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			fputs("\\\\", fp);
		else if (c < 0x20 || c >= 0x7f || (field && c == ' '))
			fprintf(fp, "\\x%02x", c);
		else
			fputc(c, fp);
	}
}

/* "KEY VALUE": the value is the rest of the line. */
static void
dump_line(FILE *fp, const char *key, const char *s)
{
	fprintf(fp, "%s ", key);
	dump_str(fp, s, strlen(s), 0);
	fputc('\n', fp);
}

static void
dump_mount(FILE *fp, const struct mount *m)
{
	size_t i;

	for (i = 0; i < NELEM(kinds); i++)
		if (kinds[i].kind == m->kind)
			fprintf(fp, "mount %s ", kinds[i].key);
	switch (m->kind) {
	case MOUNT_RO:
	case MOUNT_RW:
	case MOUNT_DEV_BIND:
	case MOUNT_SYMLINK:
		dump_str(fp, m->src.canon, strlen(m->src.canon), 1);
		fputs(" -> ", fp);
		break;
	case MOUNT_DATA:
		dump_str(fp, m->data, m->datalen, 1);
		fputs(" -> ", fp);
		break;
	case MOUNT_TMPFS:
	case MOUNT_DIR:
	case MOUNT_PROC:
	case MOUNT_DEV:
		break;
	}
	dump_str(fp, m->dest.canon, strlen(m->dest.canon), 1);
	if (m->create == CREATE_DIR)
		fputs(" create", fp);
	else if (m->create == CREATE_FILE)
		fputs(" create=file", fp);
	if (m->optional)
		fputs(" optional", fp);
	if (m->mode >= 0)
		fprintf(fp, " mode=%04o", (unsigned)m->mode);
	fputc('\n', fp);
}

void
profile_dump(FILE *fp, const struct profile *p)
{
	size_t i, j;

	if (p->name != NULL)
		dump_line(fp, "name", p->name);
	if (p->description != NULL)
		dump_line(fp, "description", p->description);
	for (i = 0; i < p->extends.n; i++)
		dump_line(fp, "extends", p->extends.v[i].s);
	if (p->exec.canon != NULL)
		dump_line(fp, "exec", p->exec.canon);
	for (i = 0; i < p->nargs; i++)
		dump_line(fp, "arg", p->args[i].canon);
	for (i = 0; i < p->packages.n; i++)
		dump_line(fp, "package", p->packages.v[i].s);
	for (i = 0; i < p->env_allow.n; i++)
		dump_line(fp, "env-allow", p->env_allow.v[i].s);
	for (i = 0; i < p->env_deny.n; i++)
		dump_line(fp, "env-deny", p->env_deny.v[i].s);
	for (i = 0; i < p->nenv_set; i++) {
		fprintf(fp, "env-set %s=", p->env_set[i].name);
		dump_str(fp, p->env_set[i].value.canon,
		    strlen(p->env_set[i].value.canon), 0);
		fputc('\n', fp);
	}
	if (p->extra_from.s != NULL)
		dump_line(fp, "env-extra-from", p->extra_from.s);
	for (i = 0; i < p->nmounts; i++)
		dump_mount(fp, &p->mounts[i]);
	fprintf(fp, "network %s\n", network_mode_name(p->network));
	fprintf(fp, "network-abstract-sockets %s\n",
	    p->abstract_host ? "host" : "isolate");
	for (i = 0; i < p->nnet_allow; i++)
		dump_line(fp, "network-allow", p->net_allow[i].text);
	for (i = 0; i < p->nnet_deny; i++)
		dump_line(fp, "network-deny", p->net_deny[i].text);
	for (i = 0; i < GUI_MAX; i++)
		if (p->gui[i])
			fprintf(fp, "gui %s\n", gui_cap_name((enum gui_cap)i));
	if (p->dbus_on)
		fputs("gui-dbus\n", fp);
	for (i = 0; i < DBUS_MAX; i++)
		for (j = 0; j < p->dbus[i].n; j++)
			fprintf(fp, "gui-dbus-%s %s\n",
			    dbus_rule_name((enum dbus_rule)i),
			    p->dbus[i].v[j].s);
	fprintf(fp, "git-identity %s\n",
	    p->identity == IDENTITY_HOST ? "host" : "none");
	fprintf(fp, "git-protect-hooks %s\n", p->protect_hooks ? "yes" : "no");
	for (i = 0; i < p->protect_add.n; i++)
		dump_line(fp, "protect-add", p->protect_add.v[i].s);
	if (p->protect_fail)
		fputs("protect-on-exit fail\n", fp);
	for (i = 0; i < p->nunprotect; i++) {
		fputs("protect-remove ", fp);
		dump_str(
		    fp, p->unprotect[i].path, strlen(p->unprotect[i].path), 1);
		fputc(' ', fp);
		dump_str(fp, p->unprotect[i].reason,
		    strlen(p->unprotect[i].reason), 0);
		fputc('\n', fp);
	}
	fprintf(fp, "workdir %s\n", p->workdir ? "yes" : "no");
	if (p->per_project.canon != NULL)
		dump_line(fp, "per-project", p->per_project.canon);
	fprintf(fp, "die-with-parent %s\n", p->die_with_parent ? "yes" : "no");
	if (p->hostname != NULL)
		dump_line(fp, "hostname", p->hostname);
	for (i = 0; i < NS_MAX; i++)
		if (p->share[i])
			fprintf(fp, "share %s\n", nsnames[i]);
	if (p->nested_sandbox)
		fputs("nested-sandbox yes\n", fp);
	for (i = 0; i < LIMIT_MAX; i++) {
		if (!p->limits[i].set)
			continue;
		if (p->limits[i].value == LIMIT_UNLIMITED)
			fprintf(fp, "limit %s unlimited", limit_name(i));
		else
			fprintf(fp, "limit %s %llu", limit_name(i),
			    p->limits[i].value);
		fputs(p->limits[i].optional ? " optional\n" : "\n", fp);
	}
	if (p->seccomp_off)
		fputs("seccomp off\n", fp);
	for (i = 0; i < p->sc_allow.n; i++)
		dump_line(fp, "seccomp-allow", p->sc_allow.v[i].s);
	for (i = 0; i < p->sc_deny.n; i++)
		dump_line(fp, "seccomp-deny", p->sc_deny.v[i].s);
	for (i = 0; i < p->naccepts; i++) {
		fprintf(fp, "accept %s ", p->accepts[i].rule);
		dump_str(
		    fp, p->accepts[i].reason, strlen(p->accepts[i].reason), 0);
		fputc('\n', fp);
	}
}
