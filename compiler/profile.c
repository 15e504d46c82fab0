/*
 * profile.c - from validated document trees to the merged profile IR.
 *
 * profile_load() reads a profile, validates it against the schema, and
 * applies it onto one accumulating IR: first every profile it extends
 * (recursively, in the order listed), then its `remove` table, then its
 * own entries.  The tree is schema-valid when it gets here, so types are
 * right; what the schema cannot say (variables, paths, duplicates across
 * files, order) is checked here.  All problems are reported; the IR is
 * returned only when there were none.
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"
#include "schema.h"
#include "lint.h"
#include "profile.h"

#define MAX_EXTENDS_DEPTH 16

static const struct {
	const char *name;
	int is_path;
	int rank; /* mount order of paths rooted here; see mount_key() */
} vars[VAR_MAX] = {
	[VAR_NONE] = { NULL, 0, 0 },
	[VAR_HOME] = { "HOME", 1, 2 },
	[VAR_USER] = { "USER", 0, 0 },
	[VAR_UID] = { "UID", 0, 0 },
	[VAR_CWD] = { "CWD", 1, 5 },
	[VAR_PROJECT_ROOT] = { "PROJECT_ROOT", 1, 4 },
	[VAR_PROJECT_ID] = { "PROJECT_ID", 0, 0 },
	[VAR_XDG_CONFIG_HOME] = { "XDG_CONFIG_HOME", 1, 3 },
	[VAR_XDG_CACHE_HOME] = { "XDG_CACHE_HOME", 1, 3 },
	[VAR_XDG_DATA_HOME] = { "XDG_DATA_HOME", 1, 3 },
	[VAR_XDG_STATE_HOME] = { "XDG_STATE_HOME", 1, 3 },
	[VAR_XDG_RUNTIME_DIR] = { "XDG_RUNTIME_DIR", 1, 1 },
	[VAR_WORKDIR] = { "WORKDIR", 1, 6 },
};

/* The mount kind keys, in the order jail(5) lists them. */
static const struct {
	const char *key;
	enum mount_kind kind;
} kinds[] = {
	{ "ro", MOUNT_RO },
	{ "rw", MOUNT_RW },
	{ "dev-bind", MOUNT_DEV_BIND },
	{ "tmpfs", MOUNT_TMPFS },
	{ "dir", MOUNT_DIR },
	{ "proc", MOUNT_PROC },
	{ "dev", MOUNT_DEV },
	{ "symlink", MOUNT_SYMLINK },
	{ "data", MOUNT_DATA },
};

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

/*
 * Split canonical text into parts: "${NAME}" is a variable, "$$" a
 * literal '$', anything else literal.  The text was produced by
 * tmpl_parse's first pass, so it is well-formed.
 */
static void
tmpl_split(struct tmpl *t)
{
	const char *s = t->canon;
	size_t cap = 0;
	struct buf lit = { 0 };

	t->parts = NULL;
	t->nparts = 0;
	while (*s != '\0') {
		if (s[0] == '$' && s[1] == '$') {
			buf_putc(&lit, '$');
			s += 2;
			continue;
		}
		if (s[0] == '$' && s[1] == '{') {
			const char *end = strchr(s, '}');
			struct tmpl_part *part;

			if (lit.len > 0) {
				array_reserve(&t->parts, &cap, t->nparts + 1,
				    sizeof(*t->parts));
				part = &t->parts[t->nparts++];
				part->var = VAR_NONE;
				part->text = arena_strndup(lit.s, lit.len);
				part->len = lit.len;
				lit.len = 0;
			}
			array_reserve(
			    &t->parts, &cap, t->nparts + 1, sizeof(*t->parts));
			part = &t->parts[t->nparts++];
			part->var = var_lookup(s + 2, (size_t)(end - s - 2));
			part->text = vars[part->var].name;
			part->len = strlen(part->text);
			s = end + 1;
			continue;
		}
		buf_putc(&lit, *s++);
	}
	if (lit.len > 0) {
		struct tmpl_part *part;

		array_reserve(
		    &t->parts, &cap, t->nparts + 1, sizeof(*t->parts));
		part = &t->parts[t->nparts++];
		part->var = VAR_NONE;
		part->text = arena_strndup(lit.s, lit.len);
		part->len = lit.len;
	}
}

/*
 * Normalise a canonical path in place: no empty or "." components, no
 * trailing '/'.  Returns the offset of a ".." component, or -1.
 */
static long
path_normalise(struct buf *b)
{
	struct buf out = { 0 };
	const char *s = b->s, *comp;
	size_t n;
	long dotdot = -1;

	/* the first component: "/" or a variable ("${HOME}") */
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
		if (n == 2 && comp[0] == '.' && comp[1] == '.' && dotdot < 0)
			dotdot = comp - b->s;
		buf_putc(&out, '/');
		buf_add(&out, comp, n);
	}
	if (out.len == 0)
		buf_putc(&out, '/');
	*b = out;
	return dotdot;
}

int
tmpl_parse(struct tmpl *t, const char *s, size_t len, const struct pos *pos,
    int as_path)
{
	struct buf canon = { 0 };
	struct pos at;
	size_t i = 0;
	int errors = 0;

	memset(t, 0, sizeof(*t));
	if (pos != NULL)
		t->pos = *pos;
	buf_add(&canon, "", 0);
	if (memchr(s, '\0', len) != NULL) {
		diag(pos, E_PATH_CHAR, "a NUL byte cannot be passed on");
		return -1;
	}
	if (as_path &&
	    (memchr(s, '\n', len) != NULL || memchr(s, '\r', len) != NULL)) {
		diag(pos, E_PATH_CHAR, NULL);
		return -1;
	}
	if (as_path && len > 0 && s[0] == '~') {
		if (len == 1 || s[1] == '/') {
			buf_puts(&canon, "${HOME}");
			i = 1;
		} else {
			diag(pos, E_TILDE,
			    "'~user' is not supported; write the "
			    "path");
			return -1;
		}
	}
	while (i < len) {
		if (s[i] == '$') {
			size_t end;
			enum var v;

			if (i + 1 < len && s[i + 1] == '$') {
				buf_puts(&canon, "$$");
				i += 2;
				continue;
			}
			at = pos != NULL ? *pos : (struct pos){ NULL, 0, 0 };
			if (i + 1 >= len || s[i + 1] != '{') {
				diag(&at, E_VAR_SYNTAX,
				    "write ${NAME} for a variable, $$ for a "
				    "'$'");
				errors++;
				i++;
				continue;
			}
			for (end = i + 2; end < len && s[end] != '}'; end++)
				;
			if (end >= len) {
				diag(&at, E_VAR_SYNTAX, "'${' without its '}'");
				errors++;
				break;
			}
			v = var_lookup(s + i + 2, end - i - 2);
			if (v == VAR_NONE) {
				diag(&at, E_VAR_UNKNOWN, "${%.*s}",
				    (int)(end - i - 2), s + i + 2);
				errors++;
			} else {
				buf_printf(&canon, "${%s}", vars[v].name);
			}
			i = end + 1;
			continue;
		}
		if (as_path && s[i] == '~' && i > 0 && s[i - 1] == '/') {
			diag(pos, E_TILDE, NULL);
			errors++;
		}
		buf_putc(&canon, s[i]);
		i++;
	}
	if (errors > 0)
		return -1;

	if (as_path) {
		struct tmpl first;
		long dotdot;

		t->canon = canon.s;
		tmpl_split(t);
		first = *t;
		if (first.nparts == 0 ||
		    (first.parts[0].var == VAR_NONE &&
		        first.parts[0].text[0] != '/')) {
			diag(pos, E_PATH_RELATIVE,
			    "'%s'; start it with '/', '~' or a path variable",
			    canon.s);
			return -1;
		}
		if (first.parts[0].var != VAR_NONE) {
			enum var v = first.parts[0].var;
			const char *after = strchr(canon.s, '}') + 1;

			if (!vars[v].is_path) {
				diag(
				    pos, E_VAR_NOT_PATH, "${%s}", vars[v].name);
				return -1;
			}
			if (*after != '\0' && *after != '/') {
				diag(pos, E_VAR_SYNTAX,
				    "${%s} starts the path, so a '/' must "
				    "follow it",
				    vars[v].name);
				return -1;
			}
		}
		dotdot = path_normalise(&canon);
		if (dotdot >= 0) {
			diag(pos, E_PATH_DOTDOT, "%s", t->canon);
			return -1;
		}
	}
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

/*
 * Where shipped profiles are looked for: JAILC_PATH, then next to the
 * binary (an uninstalled build), then the installed share directory
 * relative to the binary (a relocated install), then the configured one.
 */
const char **
profile_search_path(void)
{
	static const char **dirs;
	size_t n = 0, cap = 0;
	const char *env = getenv("JAILC_PATH");
	char exe[PATH_MAX];
	ssize_t len;

	if (dirs != NULL)
		return dirs;
	if (env != NULL && *env != '\0') {
		const char *s = env;

		while (*s != '\0') {
			const char *colon = strchr(s, ':');
			size_t k = colon ? (size_t)(colon - s) : strlen(s);

			if (k > 0) {
				array_reserve(
				    &dirs, &cap, n + 1, sizeof(*dirs));
				dirs[n++] = arena_strndup(s, k);
			}
			s += k;
			if (*s == ':')
				s++;
		}
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		char *slash;

		exe[len] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			array_reserve(&dirs, &cap, n + 3, sizeof(*dirs));
			dirs[n++] = arena_printf("%s/profiles", exe);
			dirs[n++] =
			    arena_printf("%s/../share/jailc/profiles", exe);
		}
	}
	array_reserve(&dirs, &cap, n + 2, sizeof(*dirs));
	dirs[n++] = JAILC_DATADIR "/profiles";
	dirs[n] = NULL;
	return dirs;
}

/* ------------------------------------------------------------------ */
/* Loading and merging                                                 */

struct loader {
	struct profile *p;
	const char **stack; /* real paths of the files being applied */
	const char **names; /* the same files, as they were named */
	size_t depth, capstack, capnames;
	int unusable;      /* a file did not load or validate */
	const char **done; /* real paths already applied */
	size_t ndone, capdone;
};

static int
is_path_ref(const char *s)
{
	size_t n = strlen(s);
	static const char *const sfx[] = { ".jail", ".toml", ".yaml", ".yml" };
	size_t i;

	if (strchr(s, '/') != NULL)
		return 1;
	for (i = 0; i < sizeof(sfx) / sizeof(*sfx); i++) {
		size_t k = strlen(sfx[i]);

		if (n > k && strcmp(s + n - k, sfx[i]) == 0)
			return 1;
	}
	return 0;
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

	if (is_path_ref(s)) {
		const char *slash = strrchr(file, '/');

		if (s[0] == '/' || slash == NULL || strcmp(file, "-") == 0)
			path = arena_strdup(s);
		else
			path = arena_printf(
			    "%.*s/%s", (int)(slash - file), file, s);
		if (access(path, R_OK) == 0)
			return path;
		diag(&entry->pos, E_EXTENDS_NOT_FOUND, "%s: %s", path,
		    strerror(errno));
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
	    tried.s ? tried.s : "");
	return NULL;
}

static int
itemlist_find(const struct itemlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].s, s) == 0)
			return (int)i;
	return -1;
}

static void
itemlist_add(struct itemlist *l, const char *s, const struct pos *pos)
{
	if (itemlist_find(l, s) >= 0)
		return;
	array_reserve(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n].s = s;
	l->v[l->n].pos = *pos;
	l->n++;
}

static int
itemlist_remove(struct itemlist *l, const char *s)
{
	int i = itemlist_find(l, s);

	if (i < 0)
		return 0;
	memmove(&l->v[i], &l->v[i + 1], (l->n - (size_t)i - 1) * sizeof(*l->v));
	l->n--;
	return 1;
}

/* Append the strings of array node arr (if any) to l. */
static void
add_strings(struct itemlist *l, const struct doc_node *arr)
{
	size_t i;

	if (arr == NULL)
		return;
	for (i = 0; i < arr->u.array.n; i++)
		itemlist_add(
		    l, arr->u.array.v[i]->u.str.s, &arr->u.array.v[i]->pos);
}

static int
valid_env_name(const char *s)
{
	size_t i;

	if (!(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') ||
	        (s[0] >= 'a' && s[0] <= 'z')))
		return 0;
	for (i = 1; s[i] != '\0'; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/* Check an env glob: characters of names and glob syntax only, every '['
 * closed, and not a lone '*'. */
static void
check_env_pattern(const struct item *it, int is_allow)
{
	const char *s = it->s;
	int open = 0;

	if (is_allow && strcmp(s, "*") == 0) {
		diag(&it->pos, E_ENV_ALLOW_ALL, NULL);
		return;
	}
	for (; *s != '\0'; s++) {
		if (*s == '[')
			open = 1;
		else if (*s == ']')
			open = 0;
	}
	if (open)
		diag(&it->pos, E_ENV_PATTERN, "'%s': '[' is not closed", it->s);
}

/* Check and append the env patterns of array node arr (if any) to l. */
static void
add_patterns(struct itemlist *l, const struct doc_node *arr, int is_allow)
{
	size_t i;

	for (i = 0; arr != NULL && i < arr->u.array.n; i++) {
		struct item it = { arr->u.array.v[i]->u.str.s,
			arr->u.array.v[i]->pos };

		check_env_pattern(&it, is_allow);
		itemlist_add(l, it.s, &it.pos);
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
	add_patterns(&p->env_allow, doc_get(env, "allow"), 1);
	add_patterns(&p->env_deny, doc_get(env, "deny"), 0);
	if ((n = doc_get(env, "set")) != NULL)
		for (i = 0; i < n->u.table.n; i++) {
			const struct doc_member *m = &n->u.table.v[i];
			struct envset e;

			if (!valid_env_name(m->key)) {
				diag(&m->keypos, E_ENV_NAME, "'%s'", m->key);
				continue;
			}
			e.name = m->key;
			e.pos = m->keypos;
			if (tmpl_parse(&e.value, m->val->u.str.s,
			        m->val->u.str.len, &m->val->pos, 0) != 0)
				continue;
			for (j = 0; j < p->nenv_set; j++)
				if (strcmp(p->env_set[j].name, e.name) == 0)
					break;
			if (j == p->nenv_set) {
				array_reserve(&p->env_set, &p->capenv_set,
				    p->nenv_set + 1, sizeof(*p->env_set));
				p->nenv_set++;
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

static void
apply_mount(struct loader *l, const struct doc_node *t)
{
	struct mount m;
	const struct doc_node *kv = NULL, *dest, *mode;
	size_t i;
	int bind, failed = 0;

	memset(&m, 0, sizeof(m));
	m.pos = t->pos;
	m.mode = -1;
	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if ((kv = doc_get(t, kinds[i].key)) != NULL) {
			m.kind = kinds[i].kind;
			break;
		}
	if (kv == NULL) /* the schema requires a kind; be defensive */
		return;
	bind = m.kind == MOUNT_RO || m.kind == MOUNT_RW ||
	    m.kind == MOUNT_DEV_BIND;
	dest = doc_get(t, "dest");

	switch (m.kind) {
	case MOUNT_RO:
	case MOUNT_RW:
	case MOUNT_DEV_BIND:
		failed |=
		    tmpl_parse(&m.src, kv->u.str.s, kv->u.str.len, &kv->pos, 1);
		break;
	case MOUNT_SYMLINK:
		failed |=
		    tmpl_parse(&m.src, kv->u.str.s, kv->u.str.len, &kv->pos, 0);
		break;
	case MOUNT_DATA:
		m.data = kv->u.str.s;
		m.datalen = kv->u.str.len;
		break;
	case MOUNT_TMPFS:
	case MOUNT_DIR:
	case MOUNT_PROC:
	case MOUNT_DEV:
		failed |= tmpl_parse(
		    &m.dest, kv->u.str.s, kv->u.str.len, &kv->pos, 1);
		break;
	}
	if (dest != NULL) {
		if (!bind && m.kind != MOUNT_SYMLINK && m.kind != MOUNT_DATA) {
			diag(&dest->pos, E_MOUNT_OPTION, "dest");
			failed = 1;
		} else {
			failed |= tmpl_parse(&m.dest, dest->u.str.s,
			    dest->u.str.len, &dest->pos, 1);
		}
	} else if (bind) {
		m.dest = m.src;
	} else if (m.kind == MOUNT_SYMLINK || m.kind == MOUNT_DATA) {
		diag(&t->pos, E_MOUNT_OPTION, "a %s mount needs 'dest'",
		    m.kind == MOUNT_SYMLINK ? "symlink" : "data");
		failed = 1;
	}
	m.create = opt_bool(t, "create", 0);
	m.optional = opt_bool(t, "optional", 0);
	if ((mode = doc_get(t, "mode")) != NULL)
		m.mode = (int)strtol(mode->u.str.s, NULL, 8);
	if (failed)
		return;
	array_reserve(&l->p->mounts, &l->p->capmounts, l->p->nmounts + 1,
	    sizeof(*l->p->mounts));
	l->p->mounts[l->p->nmounts++] = m;
}

static void
apply_remove(struct loader *l, const struct doc_node *rm)
{
	struct profile *p = l->p;
	const struct doc_node *n;
	size_t i, j;

	if (rm == NULL)
		return;
	if ((n = doc_get(rm, "mount")) != NULL)
		for (i = 0; i < n->u.array.n; i++) {
			const struct doc_node *e = n->u.array.v[i];
			struct tmpl t;
			int found = 0;

			if (tmpl_parse(
			        &t, e->u.str.s, e->u.str.len, &e->pos, 1) != 0)
				continue;
			for (j = 0; j < p->nmounts; j++)
				if (strcmp(p->mounts[j].dest.canon, t.canon) ==
				    0) {
					memmove(&p->mounts[j],
					    &p->mounts[j + 1],
					    (p->nmounts - j - 1) *
					        sizeof(*p->mounts));
					p->nmounts--;
					found = 1;
					break;
				}
			if (!found)
				diag(&e->pos, W_REMOVE_UNUSED, "mount %s",
				    t.canon);
		}
	static const struct {
		const char *key;
		size_t off;
	} lists[] = {
		{ "packages", offsetof(struct profile, packages) },
		{ "env-allow", offsetof(struct profile, env_allow) },
		{ "env-deny", offsetof(struct profile, env_deny) },
	};
	for (j = 0; j < sizeof(lists) / sizeof(*lists); j++) {
		struct itemlist *il =
		    (struct itemlist *)((char *)p + lists[j].off);

		if ((n = doc_get(rm, lists[j].key)) == NULL)
			continue;
		for (i = 0; i < n->u.array.n; i++) {
			const struct doc_node *e = n->u.array.v[i];

			if (!itemlist_remove(il, e->u.str.s))
				diag(&e->pos, W_REMOVE_UNUSED, "%s %s",
				    lists[j].key, e->u.str.s);
		}
	}
	if ((n = doc_get(rm, "env-set")) != NULL)
		for (i = 0; i < n->u.array.n; i++) {
			const struct doc_node *e = n->u.array.v[i];

			for (j = 0; j < p->nenv_set; j++)
				if (strcmp(p->env_set[j].name, e->u.str.s) == 0)
					break;
			if (j == p->nenv_set) {
				diag(&e->pos, W_REMOVE_UNUSED, "env-set %s",
				    e->u.str.s);
				continue;
			}
			memmove(&p->env_set[j], &p->env_set[j + 1],
			    (p->nenv_set - j - 1) * sizeof(*p->env_set));
			p->nenv_set--;
		}
}

/* Apply the entries a profile writes itself (not its parents'). */
static void
apply_own(struct loader *l, const struct doc_node *root)
{
	struct profile *p = l->p;
	const struct doc_node *t, *n;
	size_t i;

	if ((n = doc_get(root, "name")) != NULL)
		p->name = n->u.str.s;
	if ((n = doc_get(root, "description")) != NULL)
		p->description = n->u.str.s;

	if ((t = doc_get(root, "command")) != NULL) {
		if ((n = doc_get(t, "exec")) != NULL)
			tmpl_parse(
			    &p->exec, n->u.str.s, n->u.str.len, &n->pos, 0);
		if ((n = doc_get(t, "args")) != NULL)
			for (i = 0; i < n->u.array.n; i++) {
				const struct doc_node *a = n->u.array.v[i];

				array_reserve(&p->args, &p->capargs,
				    p->nargs + 1, sizeof(*p->args));
				if (tmpl_parse(&p->args[p->nargs], a->u.str.s,
				        a->u.str.len, &a->pos, 0) == 0)
					p->nargs++;
			}
	}
	if ((t = doc_get(root, "packages")) != NULL)
		add_strings(&p->packages, doc_get(t, "include"));
	apply_env(l, doc_get(root, "env"));
	if ((t = doc_get(root, "mount")) != NULL)
		for (i = 0; i < t->u.array.n; i++)
			apply_mount(l, t->u.array.v[i]);

	if ((t = doc_get(root, "network")) != NULL) {
		if ((n = doc_get(t, "mode")) != NULL) {
			p->network = strcmp(n->u.str.s, "host") == 0 ? NET_HOST
			                                             : NET_NONE;
			p->network_pos = n->pos;
		}
		if ((n = doc_get(t, "allow")) != NULL)
			diag(&n->pos, E_RESERVED,
			    "network.allow (per-domain access) is not "
			    "implemented yet");
	}
	if ((t = doc_get(root, "git")) != NULL) {
		if ((n = doc_get(t, "identity")) != NULL)
			p->identity = strcmp(n->u.str.s, "host") == 0
			    ? IDENTITY_HOST
			    : IDENTITY_NONE;
		p->protect_hooks =
		    opt_bool(t, "protect-hooks", p->protect_hooks);
	}
	if ((t = doc_get(root, "state")) != NULL) {
		p->workdir = opt_bool(t, "workdir", p->workdir);
		if ((n = doc_get(t, "per-project")) != NULL)
			tmpl_parse(&p->per_project, n->u.str.s, n->u.str.len,
			    &n->pos, 1);
	}
	if ((t = doc_get(root, "process")) != NULL) {
		static const char *const nsnames[NS_MAX] = { "user", "ipc",
			"pid", "uts", "cgroup" };

		p->die_with_parent =
		    opt_bool(t, "die-with-parent", p->die_with_parent);
		if ((n = doc_get(t, "hostname")) != NULL)
			p->hostname = n->u.str.s;
		if ((n = doc_get(t, "share")) != NULL)
			for (i = 0; i < n->u.array.n; i++) {
				int k;

				for (k = 0; k < NS_MAX; k++)
					if (strcmp(n->u.array.v[i]->u.str.s,
					        nsnames[k]) == 0)
						p->share[k] = 1;
			}
	}
	if ((t = doc_get(root, "seccomp")) != NULL) {
		p->seccomp_given = 1;
		p->seccomp_pos = t->pos;
	}
	if ((t = doc_get(root, "risk")) != NULL &&
	    (n = doc_get(t, "accept")) != NULL)
		for (i = 0; i < n->u.table.n; i++) {
			const struct doc_member *m = &n->u.table.v[i];
			size_t j;

			if (!lint_is_rule(diag_lookup(m->key))) {
				diag(&m->keypos, E_RISK_UNKNOWN_RULE, "'%s'",
				    m->key);
				continue;
			}
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

/* Parse n as a template if it is a string; a quiet no-op otherwise. */
static void
try_tmpl(const struct doc_node *n, int as_path)
{
	struct tmpl t;

	if (n != NULL && n->type == DOC_STRING)
		tmpl_parse(&t, n->u.str.s, n->u.str.len, &n->pos, as_path);
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
		for (k = 0; k < sizeof(pathkeys) / sizeof(*pathkeys); k++)
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

/* Apply the profile at path (and its parents) onto l->p. */
static void
apply_file(struct loader *l, const char *path, enum doc_format fmt,
    const struct pos *from)
{
	struct doc_node *root, *ext;
	char *real;
	size_t i;
	unsigned before = diag_errors();

	real =
	    strcmp(path, "-") == 0 ? arena_strdup("-") : realpath(path, NULL);
	if (real == NULL) {
		/* source_load reports why it cannot be read */
		real = arena_strdup(path);
	} else if (real[0] == '/') {
		char *copy = arena_strdup(real);

		free(real);
		real = copy;
	}
	if (path_seen(l->stack, l->depth, real)) {
		struct buf chain = { 0 };

		for (i = 0; i < l->depth; i++)
			buf_printf(&chain, "%s -> ", l->names[i]);
		buf_puts(&chain, path);
		diag(from, E_EXTENDS_CYCLE, "%s", chain.s);
		return;
	}
	/* A profile reached twice (base through two parents) is merged
	 * once, at its first place. */
	if (path_seen(l->done, l->ndone, real))
		return;
	if (l->depth >= MAX_EXTENDS_DEPTH) {
		diag(from, E_EXTENDS_DEPTH, "more than %d levels",
		    MAX_EXTENDS_DEPTH);
		return;
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
	if ((ext = doc_get(root, "extends")) != NULL)
		for (i = 0; i < ext->u.array.n; i++) {
			const struct doc_node *e = ext->u.array.v[i];
			char *parent = resolve_extends(path, e);

			if (parent != NULL)
				apply_file(l, parent, FORMAT_AUTO, &e->pos);
		}
	l->depth--;
	array_reserve(&l->done, &l->capdone, l->ndone + 1, sizeof(*l->done));
	l->done[l->ndone++] = real;

	apply_remove(l, doc_get(root, "remove"));
	apply_own(l, root);
}

/* ------------------------------------------------------------------ */
/* Checks on the merged profile                                        */

/*
 * The mount order key.  bubblewrap sets mounts up in argument order, and a
 * mount hides whatever an earlier mount put beneath its destination.  So a
 * parent must come before its children.  Within one root (a literal "/" or
 * one variable) ordering by depth guarantees that: a parent always has
 * fewer components than its children.  Across roots jailc cannot know the
 * values at compile time, so it orders the roots by where they usually
 * live: system paths, XDG_RUNTIME_DIR, HOME, the XDG directories under
 * HOME, the project (usually under HOME), CWD (usually in the project),
 * WORKDIR.  The launcher re-checks the resolved paths before it starts.
 */
static void
mount_key(const struct mount *m, int *rank, int *depth)
{
	const char *s;

	*rank = m->dest.nparts > 0 ? vars[m->dest.parts[0].var].rank : 0;
	*depth = 0;
	if (strcmp(m->dest.canon, "/") == 0)
		return;
	for (s = m->dest.canon; *s != '\0'; s++)
		if (*s == '/')
			++*depth;
}

static void
sort_mounts(struct profile *p)
{
	size_t i, j;

	/* insertion sort: stable, and mount lists are short */
	for (i = 1; i < p->nmounts; i++) {
		struct mount m = p->mounts[i];
		int rank, depth;

		mount_key(&m, &rank, &depth);
		for (j = i; j > 0; j--) {
			int r, d;

			mount_key(&p->mounts[j - 1], &r, &d);
			if (r < rank || (r == rank && d <= depth))
				break;
			p->mounts[j] = p->mounts[j - 1];
		}
		p->mounts[j] = m;
	}
}

static void
check_duplicates(struct profile *p)
{
	size_t i, j;

	for (i = 1; i < p->nmounts; i++)
		for (j = 0; j < i; j++)
			if (strcmp(p->mounts[i].dest.canon,
			        p->mounts[j].dest.canon) == 0) {
				diag(&p->mounts[i].pos, E_MOUNT_DUPLICATE, "%s",
				    p->mounts[i].dest.canon);
				diag(&p->mounts[j].pos, N_OTHER_MOUNT, NULL);
				break;
			}
}

static int
uses_var(const struct tmpl *t, enum var v)
{
	size_t i;

	for (i = 0; i < t->nparts; i++)
		if (t->parts[i].var == v)
			return 1;
	return 0;
}

/* ${WORKDIR} exists only when the profile asks for a work directory. */
static void
check_workdir(struct profile *p)
{
	const struct tmpl *uses[4];
	size_t i, k;

	if (p->workdir)
		return;
	for (i = 0; i < p->nmounts; i++) {
		uses[0] = &p->mounts[i].src;
		uses[1] = &p->mounts[i].dest;
		for (k = 0; k < 2; k++)
			if (uses_var(uses[k], VAR_WORKDIR))
				diag(&uses[k]->pos, E_VAR_UNKNOWN,
				    "${WORKDIR} needs state.workdir = true");
	}
	for (i = 0; i < p->nenv_set; i++)
		if (uses_var(&p->env_set[i].value, VAR_WORKDIR))
			diag(&p->env_set[i].value.pos, E_VAR_UNKNOWN,
			    "${WORKDIR} needs state.workdir = true");
	for (i = 0; i < p->nargs; i++)
		if (uses_var(&p->args[i], VAR_WORKDIR))
			diag(&p->args[i].pos, E_VAR_UNKNOWN,
			    "${WORKDIR} needs state.workdir = true");
	uses[0] = &p->exec;
	uses[1] = &p->per_project;
	for (k = 0; k < 2; k++)
		if (uses[k]->canon != NULL && uses_var(uses[k], VAR_WORKDIR))
			diag(&uses[k]->pos, E_VAR_UNKNOWN,
			    "${WORKDIR} needs state.workdir = true");
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

struct profile *
profile_load(const char *path, enum doc_format fmt)
{
	struct loader l;
	struct profile *p = arena_alloc(sizeof(*p));
	unsigned before = diag_errors();

	memset(&l, 0, sizeof(l));
	l.p = p;
	p->file = path;
	p->protect_hooks = 1;
	p->die_with_parent = 1;
	apply_file(&l, path, fmt, NULL);
	/* After a syntax or schema error the IR is incomplete, and checks on
	 * it would only add noise; otherwise report everything. */
	if (l.unusable)
		return NULL;

	check_duplicates(p);
	check_workdir(p);
	check_env(p);
	sort_mounts(p);
	if (p->seccomp_given)
		diag(&p->seccomp_pos, W_SECCOMP_NOT_ENFORCED, NULL);
	return diag_errors() > before ? NULL : p;
}

/* ------------------------------------------------------------------ */
/* Canonical dump                                                      */

/* Print s[0..len) with backslash, and bytes outside printable ASCII,
 * escaped, so that every item stays on one line. */
static void
dump_str(FILE *fp, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			fputs("\\\\", fp);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(fp, "\\x%02x", c);
		else
			fputc(c, fp);
	}
}

static void
dump_line(FILE *fp, const char *key, const char *s)
{
	fprintf(fp, "%s ", key);
	dump_str(fp, s, strlen(s));
	fputc('\n', fp);
}

static const char *
kind_name(enum mount_kind k)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (kinds[i].kind == k)
			return kinds[i].key;
	return "?";
}

void
profile_dump(FILE *fp, const struct profile *p)
{
	static const char *const nsnames[NS_MAX] = { "user", "ipc", "pid",
		"uts", "cgroup" };
	size_t i;

	if (p->name != NULL)
		dump_line(fp, "name", p->name);
	if (p->description != NULL)
		dump_line(fp, "description", p->description);
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
		    strlen(p->env_set[i].value.canon));
		fputc('\n', fp);
	}
	if (p->extra_from.s != NULL)
		dump_line(fp, "env-extra-from", p->extra_from.s);
	for (i = 0; i < p->nmounts; i++) {
		const struct mount *m = &p->mounts[i];

		fprintf(fp, "mount %s", kind_name(m->kind));
		if (m->kind == MOUNT_DATA) {
			fputc(' ', fp);
			dump_str(fp, m->data, m->datalen);
		} else if (m->src.canon != NULL) {
			fputc(' ', fp);
			dump_str(fp, m->src.canon, strlen(m->src.canon));
		}
		fputs(" -> ", fp);
		dump_str(fp, m->dest.canon, strlen(m->dest.canon));
		if (m->create)
			fputs(" create", fp);
		if (m->optional)
			fputs(" optional", fp);
		if (m->mode >= 0)
			fprintf(fp, " mode=%04o", (unsigned)m->mode);
		fputc('\n', fp);
	}
	fprintf(fp, "network %s\n", p->network == NET_HOST ? "host" : "none");
	fprintf(fp, "git-identity %s\n",
	    p->identity == IDENTITY_HOST ? "host" : "none");
	fprintf(fp, "git-protect-hooks %s\n", p->protect_hooks ? "yes" : "no");
	fprintf(fp, "workdir %s\n", p->workdir ? "yes" : "no");
	if (p->per_project.canon != NULL)
		dump_line(fp, "per-project", p->per_project.canon);
	fprintf(fp, "die-with-parent %s\n", p->die_with_parent ? "yes" : "no");
	if (p->hostname != NULL)
		dump_line(fp, "hostname", p->hostname);
	for (i = 0; i < NS_MAX; i++)
		if (p->share[i])
			fprintf(fp, "share %s\n", nsnames[i]);
	if (p->seccomp_given)
		fputs("seccomp given\n", fp);
	for (i = 0; i < p->naccepts; i++) {
		fprintf(fp, "accept %s ", p->accepts[i].rule);
		dump_str(
		    fp, p->accepts[i].reason, strlen(p->accepts[i].reason));
		fputc('\n', fp);
	}
}
