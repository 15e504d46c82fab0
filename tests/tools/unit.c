/*
 * unit.c - unit tests of the compiler's pieces, as TAP.
 *
 * The tree, templates and variables, path normalisation, path_within,
 * mount order, env patterns, extends and merging, the IR dump, and the
 * arena helpers.  Only the public headers are used; profiles are written
 * to a scratch directory and loaded as jailc check loads them:
 * profile_read(), then seccomp_check().
 */
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "doc.h"
#include "frontend.h"
#include "lint.h"
#include "profile.h"
#include "protect.h"
#include "seccomp.h"
#include "util.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int ntests, nfailed;
static char scratch[] = "/tmp/jailc-unit-XXXXXX";

static void ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntests++;
	if (!cond)
		nfailed++;
	printf("%sok %d - ", cond ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* What one call reported: the diagnostics, which are then forgotten. */
struct seen {
	size_t n;
	struct diag d[32];
};

static void
collect(struct seen *s)
{
	size_t i, n;
	struct diag *d = diag_list(&n);

	/* the details stay valid: diag_reset() leaves the arena alone */
	s->n = n < NELEM(s->d) ? n : NELEM(s->d);
	for (i = 0; i < s->n; i++)
		s->d[i] = d[i];
	for (i = 0; i < n; i++)
		printf("# reported %s:%u:%u: %s: %s\n",
		    d[i].pos.file ? d[i].pos.file : "-", d[i].pos.line,
		    d[i].pos.col, diag_idstr(d[i].id),
		    d[i].detail ? d[i].detail : "");
	diag_reset();
}

/* Whether s holds a diagnostic id (with detail containing sub, if given). */
static int
has(const struct seen *s, enum diag_id id, const char *sub)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->d[i].id == id &&
		    (sub == NULL ||
		        (s->d[i].detail && strstr(s->d[i].detail, sub))))
			return 1;
	return 0;
}

/* Exactly one diagnostic, of this id. */
static int
only(const struct seen *s, enum diag_id id)
{
	return s->n == 1 && s->d[0].id == id;
}

/* Parse s as a template; the canonical text or NULL on error. */
static const char *
canon(const char *s, int as_path, struct seen *seen)
{
	struct tmpl t;
	struct seen dummy;
	int rc;

	rc = tmpl_parse(&t, s, strlen(s), NULL, as_path);
	collect(seen != NULL ? seen : &dummy);
	return rc == 0 ? t.canon : NULL;
}

/* Canonical text of path s, or NULL when it is refused with id. */
static int
path_is(const char *s, const char *want)
{
	const char *c = canon(s, 1, NULL);

	if (!streq(c, want))
		printf("# '%s' became '%s', want '%s'\n", s, c ? c : "(error)",
		    want);
	return streq(c, want);
}

static int
path_refused(const char *s, enum diag_id id)
{
	struct seen seen;

	return canon(s, 1, &seen) == NULL && seen.n >= 1 && seen.d[0].id == id;
}

/* Write text to dir/name under the scratch directory; its path. */
static char *
put(const char *name, const char *text)
{
	char *path = arena_printf("%s/%s", scratch, name);
	char *slash = strrchr(path, '/');
	FILE *fp;

	*slash = '\0';
	mkdir(path, 0700);
	*slash = '/';
	if ((fp = fopen(path, "w")) == NULL ||
	    fwrite(text, 1, strlen(text), fp) != strlen(text) || fclose(fp))
		fatal("cannot write %s:", path);
	return path;
}

/* Load the profile at path as jailc check does (main.c, load_profile):
 * NULL when the IR or its seccomp lists had errors. */
static struct profile *
load_path(const char *path)
{
	unsigned before = diag_errors();
	struct profile *p = profile_read(path, FORMAT_AUTO);

	if (p != NULL)
		seccomp_check(p);
	return diag_errors() > before ? NULL : p;
}

/* Load text as a profile named name in the scratch directory. */
static struct profile *
load(const char *name, const char *text, struct seen *seen)
{
	struct profile *p = load_path(put(name, text));
	struct seen dummy;

	collect(seen != NULL ? seen : &dummy);
	return p;
}

static char *dump(const struct profile *);

/* Show text as TAP comments, for a failure. */
static void
show(const char *text)
{
	const char *nl;

	for (; *text != '\0'; text = nl + 1) {
		if ((nl = strchr(text, '\n')) == NULL)
			nl = text + strlen(text) - 1;
		printf("# | %.*s\n", (int)(nl - text), text);
	}
}

/* Whether the dump of p is want; shows it when not. */
static int
dump_is(const struct profile *p, const char *want)
{
	char *d = dump(p);

	if (!streq(d, want))
		show(d);
	return streq(d, want);
}

/* The IR dump of p as a string. */
static char *
dump(const struct profile *p)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);
	char *copy;

	if (fp == NULL)
		fatal("open_memstream:");
	profile_dump(fp, p);
	fclose(fp);
	copy = arena_strdup(s);
	free(s);
	return copy;
}

static void
test_tree(void)
{
	struct pos pos = { "t", 1, 1 };
	struct doc_node *a = doc_new(DOC_TABLE, &pos);
	struct doc_node *b = doc_new(DOC_TABLE, &pos);
	struct doc_node *x, *y, *arr, *arr2;
	struct doc_member *m;

	m = doc_table_add(
	    a, "k", 1, &pos, doc_new_str(DOC_STRING, &pos, "v", 1));
	ok(m != NULL && m->keylen == 1 && doc_table_find(a, "k", 1) == m,
	    "doc_table_add returns the member doc_table_find finds");
	doc_table_add(a, "n\0ul", 4, &pos, doc_new(DOC_BOOL, &pos));
	ok(doc_get(a, "k") != NULL && doc_get(a, "k")->u.str.len == 1,
	    "doc_get finds a member");
	ok(doc_get(a, "n") == NULL && doc_table_find(a, "n", 1) == NULL,
	    "keys with NUL compare by length, not as C strings");
	ok(doc_table_find(a, "n\0ul", 4) != NULL, "a key with NUL is found");
	ok(doc_table_find(a, "kk", 2) == NULL && doc_get(a, "") == NULL,
	    "absent keys are not found");
	ok(doc_equal(a, b) != 0, "tables with different members differ");
	doc_table_add(b, "n\0ul", 4, &pos, doc_new(DOC_BOOL, &pos));
	doc_table_add(b, "k", 1, &pos, doc_new_str(DOC_STRING, NULL, "v", 1));
	ok(doc_equal(a, b) == 0,
	    "tables are equal whatever the member order and positions");
	doc_get(b, "k")->u.str.s[0] = 'w';
	ok(doc_equal(a, b) != 0, "a changed value makes tables differ");

	x = doc_new(DOC_FLOAT, &pos);
	y = doc_new(DOC_FLOAT, NULL);
	x->u.f = NAN;
	y->u.f = NAN;
	ok(doc_equal(x, y) == 0, "NaN equals NaN in doc_equal");
	y->u.f = 1.0;
	ok(doc_equal(x, y) != 0 && doc_equal(y, x) != 0,
	    "NaN differs from 1.0, both ways");
	x->u.f = 1.0;
	ok(doc_equal(x, y) == 0, "1.0 equals 1.0");

	arr = doc_new(DOC_ARRAY, &pos);
	arr2 = doc_new(DOC_ARRAY, &pos);
	doc_array_push(arr, x);
	doc_array_push(arr, doc_new_str(DOC_STRING, NULL, "s", 1));
	doc_array_push(arr2, doc_new_str(DOC_STRING, NULL, "s", 1));
	doc_array_push(arr2, y);
	ok(arr->u.array.n == 2 && arr->u.array.v[0] == x,
	    "an array keeps its order");
	ok(doc_equal(arr, arr2) != 0, "arrays in a different order differ");
	ok(doc_equal(doc_new_str(DOC_STRING, NULL, "a\0b", 3),
	       doc_new_str(DOC_STRING, NULL, "a\0c", 3)) != 0,
	    "strings compare past a NUL byte");
	ok(streq(doc_schema_type(doc_new(DOC_DATE_LOCAL, NULL)), "string") &&
	        streq(doc_schema_type(doc_new(DOC_INTEGER, NULL)), "integer") &&
	        streq(doc_schema_type(doc_new(DOC_TABLE, NULL)), "object"),
	    "schema type names");
}

static void
test_variables(void)
{
	static const struct {
		const char *name;
		enum var v;
		int is_path;
	} all[] = {
		{ "HOME", VAR_HOME, 1 },
		{ "USER", VAR_USER, 0 },
		{ "UID", VAR_UID, 0 },
		{ "CWD", VAR_CWD, 1 },
		{ "PROJECT_ROOT", VAR_PROJECT_ROOT, 1 },
		{ "WORKTREE", VAR_WORKTREE, 1 },
		{ "PROJECT_ID", VAR_PROJECT_ID, 0 },
		{ "XDG_CONFIG_HOME", VAR_XDG_CONFIG_HOME, 1 },
		{ "XDG_CACHE_HOME", VAR_XDG_CACHE_HOME, 1 },
		{ "XDG_DATA_HOME", VAR_XDG_DATA_HOME, 1 },
		{ "XDG_STATE_HOME", VAR_XDG_STATE_HOME, 1 },
		{ "XDG_RUNTIME_DIR", VAR_XDG_RUNTIME_DIR, 1 },
		{ "WORKDIR", VAR_WORKDIR, 1 },
		{ "DISPLAY", VAR_DISPLAY, 1 },
		{ "WAYLAND_DISPLAY", VAR_WAYLAND_DISPLAY, 1 },
		{ "XAUTHORITY", VAR_XAUTHORITY, 1 },
		{ "SSH_AUTH_SOCK", VAR_SSH_AUTH_SOCK, 1 },
	};
	struct seen seen;
	struct tmpl t;
	size_t i;

	ok(NELEM(all) == VAR_MAX - 1, "the test knows every variable");
	for (i = 0; i < sizeof(all) / sizeof(*all); i++) {
		char *s = arena_printf("x${%s}y", all[i].name);
		int rc = tmpl_parse(&t, s, strlen(s), NULL, 0);

		collect(&seen);
		ok(rc == 0 && streq(t.canon, s) && t.nparts == 3 &&
		        t.parts[1].var == all[i].v &&
		        streq(t.parts[1].text, all[i].name) &&
		        streq(var_name(all[i].v), all[i].name) &&
		        var_is_path(all[i].v) == all[i].is_path,
		    "${%s}: parses, named, %s", all[i].name,
		    all[i].is_path ? "a path" : "not a path");
	}
	ok(var_name(VAR_NONE) == NULL && var_name(VAR_MAX) == NULL &&
	        !var_is_path(VAR_NONE) && !var_is_path(VAR_MAX),
	    "VAR_NONE and out-of-range values have no name");

	ok(canon("${NOPE}", 0, &seen) == NULL && only(&seen, E_VAR_UNKNOWN),
	    "unknown variable refused");
	ok(canon("${PWD}", 0, &seen) == NULL &&
	        has(&seen, E_VAR_UNKNOWN, "did you mean ${CWD}?"),
	    "a near miss suggests the variable");
	ok(canon("${PROJECT_DIR}", 0, &seen) == NULL &&
	        has(&seen, E_VAR_UNKNOWN, NULL) &&
	        !has(&seen, E_VAR_UNKNOWN, "did you mean"),
	    "a far miss suggests nothing");
	ok(canon("${home}", 0, &seen) == NULL && only(&seen, E_VAR_UNKNOWN),
	    "names are case-sensitive");
	ok(canon("$HOME", 0, &seen) == NULL && only(&seen, E_VAR_SYNTAX),
	    "$NAME without braces refused");
	ok(canon("${HOME", 0, &seen) == NULL && only(&seen, E_VAR_SYNTAX),
	    "unclosed ${ refused");
	ok(canon("${}", 0, &seen) == NULL && only(&seen, E_VAR_SYNTAX),
	    "${} refused");
	ok(canon("a$", 0, &seen) == NULL && only(&seen, E_VAR_SYNTAX),
	    "a trailing $ refused");
	ok(canon("$ {HOME}", 0, &seen) == NULL && only(&seen, E_VAR_SYNTAX),
	    "'$ {' refused");
	ok(canon("${A} $B ${HOME}", 0, &seen) == NULL && seen.n == 2 &&
	        seen.d[0].id == E_VAR_UNKNOWN && seen.d[1].id == E_VAR_SYNTAX,
	    "every mistake in one string is reported");
	ok(streq(canon("cost $$5", 0, NULL), "cost $$5"),
	    "$$ kept as an escaped dollar in the canonical text");
	ok(streq(canon("$$", 0, NULL), "$$"), "$$ alone");

	ok(tmpl_parse(&t, "a$${HOME}b${USER}", 17, NULL, 0) == 0 &&
	        t.nparts == 2 && t.parts[0].var == VAR_NONE &&
	        streq(t.parts[0].text, "a${HOME}b") && t.parts[0].len == 9 &&
	        t.parts[1].var == VAR_USER,
	    "$${HOME} is literal text, ${USER} a variable");
	ok(tmpl_parse(&t, "", 0, NULL, 0) == 0 && t.nparts == 0 &&
	        streq(t.canon, ""),
	    "an empty string is an empty template");
	ok(streq(canon("~/x", 0, NULL), "~/x") &&
	        streq(canon("a~b", 0, NULL), "a~b"),
	    "~ is plain text outside paths");
	ok(streq(canon("line\nbreak", 0, NULL), "line\nbreak"),
	    "line breaks are fine outside paths");
	ok(tmpl_parse(&t, "a\0b", 3, NULL, 0) != 0 &&
	        (collect(&seen), only(&seen, E_NUL)),
	    "a NUL byte is refused everywhere");
	{
		struct pos at = { "f.toml", 7, 9 };

		tmpl_parse(&t, "${X}", 4, &at, 0);
		collect(&seen);
		ok(seen.n == 1 && streq(seen.d[0].pos.file, "f.toml") &&
		        seen.d[0].pos.line == 7 && seen.d[0].pos.col == 9,
		    "errors point at the string");
		tmpl_parse(&t, "${HOME}", 7, &at, 0);
		ok(t.pos.line == 7 && t.pos.col == 9,
		    "a template keeps its position");
	}
}

static void
test_paths(void)
{
	struct tmpl a, b;
	struct seen seen;

	ok(path_is("~", "${HOME}"), "~ is ${HOME}");
	ok(path_is("~/", "${HOME}"), "~/ is ${HOME}");
	ok(path_is("~/.claude", "${HOME}/.claude"), "~/x is ${HOME}/x");
	ok(path_is("//a//b/", "/a/b"), "repeated and trailing slashes go");
	ok(path_is("/a/./b/.", "/a/b"), "'.' components go");
	ok(path_is("/", "/"), "/ stays /");
	ok(path_is("/./", "/") && path_is("///", "/") && path_is("/.", "/"),
	    "/./, /// and /. are /");
	ok(path_is("${PROJECT_ROOT}/", "${PROJECT_ROOT}"),
	    "a trailing slash after a variable goes");
	ok(path_is("${HOME}//x/./y/", "${HOME}/x/y"),
	    "normalised after a variable");
	ok(path_is("/a/..b/c..", "/a/..b/c..") && path_is("/.../x", "/.../x"),
	    "..b, c.. and ... are names");
	ok(path_is("/a$$b/${USER}", "/a$$b/${USER}"),
	    "$$ and a later non-path variable are fine inside a path");
	ok(tmpl_parse(&a, "${HOME}/a/${USER}/b", 19, NULL, 1) == 0 &&
	        a.nparts == 4 && a.parts[0].var == VAR_HOME &&
	        streq(a.parts[1].text, "/a/") && a.parts[2].var == VAR_USER &&
	        streq(a.parts[3].text, "/b"),
	    "parts of a path with two variables");

	ok(path_refused("/a/../b", E_PATH_DOTDOT), ".. refused");
	ok(path_refused("/a/..", E_PATH_DOTDOT), "a trailing .. refused");
	ok(path_refused("/..", E_PATH_DOTDOT) &&
	        path_refused("${HOME}/..", E_PATH_DOTDOT) &&
	        path_refused("~/../x", E_PATH_DOTDOT),
	    ".. after / or a variable refused");
	ok(path_refused("a/b", E_PATH_RELATIVE), "relative path refused");
	ok(path_refused("", E_PATH_RELATIVE), "empty path refused");
	ok(path_refused(".", E_PATH_RELATIVE) &&
	        path_refused("./x", E_PATH_RELATIVE),
	    ". and ./x refused");
	ok(path_refused("$$/x", E_PATH_RELATIVE),
	    "a literal $ does not start a path");
	ok(path_refused("${USER}/x", E_VAR_NOT_PATH) &&
	        path_refused("${UID}", E_VAR_NOT_PATH) &&
	        path_refused("${PROJECT_ID}/x", E_VAR_NOT_PATH),
	    "${USER}, ${UID}, ${PROJECT_ID} cannot start a path");
	ok(path_refused("${HOME}x", E_VAR_SYNTAX), "${HOME}x refused");
	ok(path_refused("~bob", E_TILDE) && path_refused("~bob/x", E_TILDE),
	    "~user refused");
	ok(path_refused("/x/~/y", E_TILDE), "~ as a later component refused");
	ok(path_refused("/a~b", E_TILDE) && path_refused("~/a~", E_TILDE) &&
	        path_refused("${HOME}/~", E_TILDE),
	    "~ anywhere but the start refused");
	ok(path_refused("/a\nb", E_PATH_CHAR), "newline refused");
	ok(path_refused("/a\rb", E_PATH_CHAR), "carriage return refused");
	ok(tmpl_parse(&a, "/a\0b", 4, NULL, 1) != 0 &&
	        (collect(&seen), only(&seen, E_NUL)),
	    "NUL refused");
	ok(canon("/${NOPE}/~x", 1, &seen) == NULL && seen.n == 2,
	    "a bad variable and a tilde in one path: both reported");

	tmpl_parse(&a, "~/.ssh/id", 9, NULL, 1);
	tmpl_parse(&b, "~/.ssh", 6, NULL, 1);
	ok(path_within(&a, &b) && !path_within(&b, &a),
	    "path_within: a child is within, its parent is not");
	ok(path_within(&b, &b), "a path is within itself");
	tmpl_parse(&a, "~/.sshx", 7, NULL, 1);
	ok(!path_within(&a, &b),
	    "a sibling with a common prefix is not within");
	tmpl_parse(&a, "/etc/x", 6, NULL, 1);
	tmpl_parse(&b, "/", 1, NULL, 1);
	ok(path_within(&a, &b) && path_within(&b, &b),
	    "everything literal is within /");
	tmpl_parse(&a, "~/x", 3, NULL, 1);
	ok(!path_within(&a, &b), "a variable path is not known to be within /");
	tmpl_parse(&b, "${XDG_CONFIG_HOME}", 18, NULL, 1);
	ok(!path_within(&a, &b), "different roots are not within");
	tmpl_parse(&a, "/a//b/", 6, NULL, 1);
	tmpl_parse(&b, "/a/./", 5, NULL, 1);
	ok(path_within(&a, &b), "path_within compares normalised forms");
	collect(&seen);
}

/* Whether the mounts of p come in an order where nothing precedes a
 * mount it lies beneath, and roots never go backwards. */
static int
well_ordered(const struct profile *p)
{
	size_t i, j;

	for (i = 0; i < p->nmounts; i++)
		for (j = i + 1; j < p->nmounts; j++)
			if (path_within(
			        &p->mounts[i].dest, &p->mounts[j].dest) &&
			    !streq(p->mounts[i].dest.canon,
			        p->mounts[j].dest.canon))
				return 0;
	return 1;
}

static int
order_is(const struct profile *p, const char *const *want, size_t n)
{
	size_t i;
	int good = p != NULL && p->nmounts == n;

	for (i = 0; good && i < n; i++)
		if (!streq(p->mounts[i].dest.canon, want[i])) {
			printf("# mount %zu is %s, want %s\n", i,
			    p->mounts[i].dest.canon, want[i]);
			good = 0;
		}
	return good;
}

static void
test_mount_order(void)
{
	static const char *const want[] = { "/usr", "/b", "/a", "/usr/lib",
		"${XDG_RUNTIME_DIR}", "${HOME}", "${HOME}/.claude",
		"${XDG_CONFIG_HOME}/x", "${PROJECT_ROOT}",
		"${PROJECT_ROOT}/sub" };
	static const char *const ranks[] = { "/a/b/c/d", "${XDG_RUNTIME_DIR}",
		"${HOME}", "${XDG_CONFIG_HOME}", "${XDG_CACHE_HOME}",
		"${XDG_DATA_HOME}", "${XDG_STATE_HOME}", "${PROJECT_ROOT}",
		"${CWD}", "${WORKDIR}" };
	/* ranks[] written backwards: equal ranks keep that order */
	static const char *const ranked[] = { "/a/b/c/d", "${XDG_RUNTIME_DIR}",
		"${HOME}", "${XDG_STATE_HOME}", "${XDG_DATA_HOME}",
		"${XDG_CACHE_HOME}", "${XDG_CONFIG_HOME}", "${PROJECT_ROOT}",
		"${CWD}", "${WORKDIR}" };
	/* five mounts, three of them nested: every order of them */
	static const char *const set[] = { "tmpfs = \"~\"",
		"rw = \"~/.claude\"", "ro = \"~/.claude/settings.json\"",
		"ro = \"/etc\"", "tmpfs = \"${XDG_RUNTIME_DIR}\"" };
	struct profile *p;
	struct buf b = { 0 };
	size_t i;
	int perm[5] = { 0, 1, 2, 3, 4 }, good = 1, nperm = 0;

	p = load("order.toml",
	    "version = 1\n"
	    "[[mount]]\nrw = \"${PROJECT_ROOT}/sub\"\n"
	    "[[mount]]\nro = \"/usr/lib\"\n"
	    "[[mount]]\nrw = \"~/.claude\"\n"
	    "[[mount]]\ntmpfs = \"~\"\n"
	    "[[mount]]\nro = \"/usr\"\n"
	    "[[mount]]\nrw = \"${PROJECT_ROOT}\"\n"
	    "[[mount]]\nro = \"/b\"\n"
	    "[[mount]]\nro = \"/a\"\n"
	    "[[mount]]\ntmpfs = \"${XDG_RUNTIME_DIR}\"\n"
	    "[[mount]]\nro = \"${XDG_CONFIG_HOME}/x\"\n",
	    NULL);
	ok(order_is(p, want, 10),
	    "mounts ordered by root, then depth, in written order otherwise");
	ok(p != NULL && well_ordered(p), "no mount comes before its parent");
	ok(p != NULL && p->mounts[6].kind == MOUNT_RW &&
	        streq(p->mounts[6].src.canon, "${HOME}/.claude"),
	    "a bind's dest defaults to its source");

	buf_puts(&b, "version = 1\nstate.workdir = true\n");
	for (i = NELEM(ranks); i-- > 0;)
		buf_printf(&b, "[[mount]]\ntmpfs = \"%s\"\n", ranks[i]);
	p = load("ranks.toml", b.s, NULL);
	ok(order_is(p, ranked, NELEM(ranked)),
	    "root ranks: /, XDG_RUNTIME_DIR, HOME, XDG dirs, PROJECT_ROOT, "
	    "CWD, WORKDIR; rank before depth");

	p = load("stable1.toml",
	    "version = 1\n[[mount]]\nro = \"/z\"\n[[mount]]\nro = \"/a\"\n"
	    "[[mount]]\nro = \"${XDG_STATE_HOME}\"\n"
	    "[[mount]]\nro = \"${XDG_CACHE_HOME}\"\n",
	    NULL);
	{
		static const char *const w[] = { "/z", "/a",
			"${XDG_STATE_HOME}", "${XDG_CACHE_HOME}" };

		ok(order_is(p, w, 4), "equal keys keep the written order");
	}

	/* Heap's algorithm: every permutation of set[] */
	{
		int c[5] = { 0 }, k = 0;

		for (;;) {
			b.len = 0;
			buf_puts(&b, "version = 1\n");
			for (i = 0; i < 5; i++)
				buf_printf(&b, "[[mount]]\n%s\n", set[perm[i]]);
			p = load("perm.toml", b.s, NULL);
			nperm++;
			if (p == NULL || p->nmounts != 5 || !well_ordered(p) ||
			    !streq(p->mounts[0].dest.canon, "/etc"))
				good = 0;
			while (k < 5 && c[k] >= k) {
				c[k] = 0;
				k++;
			}
			if (k == 5)
				break;
			{
				int j = k % 2 ? c[k] : 0, tmp = perm[j];

				perm[j] = perm[k];
				perm[k] = tmp;
			}
			c[k]++;
			k = 0;
		}
	}
	ok(good && nperm == 120, "parent before child in all %d input orders",
	    nperm);
}

static void
test_mounts(void)
{
	struct seen seen;
	struct profile *p;
	char *d;

	p = load("dup.toml",
	    "version = 1\n"
	    "[[mount]]\nro = \"/etc/hosts\"\n" /* line 2 */
	    "[[mount]]\ntmpfs = \"/x\"\n"      /* line 4 */
	    "[[mount]]\nro = \"/srv/h\"\ndest = \"/etc//hosts/\"\n",
	    &seen);
	ok(p == NULL && seen.n == 2 && seen.d[0].id == E_MOUNT_DUPLICATE &&
	        seen.d[0].pos.line == 6 && seen.d[1].id == N_OTHER_MOUNT &&
	        seen.d[1].pos.line == 2,
	    "a duplicate destination: error at the later mount, note at the "
	    "earlier");

	p = load("kinds.toml",
	    "version = 1\n"
	    "[[mount]]\nsymlink = \"usr/bin\"\ndest = \"/bin\"\n"
	    "[[mount]]\ndata = \"a b\\n\\\\\"\ndest = \"/etc/motd\"\n"
	    "mode = \"644\"\n"
	    "[[mount]]\ndir = \"/d\"\nmode = \"0700\"\n"
	    "[[mount]]\nproc = \"/proc\"\n"
	    "[[mount]]\ndev = \"/dev\"\n"
	    "[[mount]]\ndev-bind = \"/dev/dri\"\noptional = true\n"
	    "[[mount]]\nro = \"/s p\"\ndest = \"/t\"\ncreate = true\n",
	    &seen);
	ok(p != NULL && seen.n == 0, "every mount kind loads");
	if (p == NULL)
		return;
	d = dump(p);
	ok(strstr(d, "mount symlink usr/bin -> /bin\n") != NULL,
	    "a symlink target may be relative");
	ok(strstr(d, "mount data a\\x20b\\x0a\\\\ -> /etc/motd mode=0644\n") !=
	        NULL,
	    "data is kept as written, escaped in the dump");
	ok(strstr(d, "mount dir /d mode=0700\n") != NULL &&
	        strstr(d, "mount proc /proc\n") != NULL &&
	        strstr(d, "mount dev /dev\n") != NULL,
	    "dir, proc and dev mounts dump their destination");
	ok(strstr(d, "mount dev-bind /dev/dri -> /dev/dri optional\n") != NULL,
	    "dev-bind with optional");
	ok(strstr(d, "mount ro /s\\x20p -> /t create\n") != NULL,
	    "spaces in mount fields are escaped, so ' -> ' is unambiguous");
	ok(p->mounts[0].kind == MOUNT_SYMLINK && p->mounts[0].mode == -1 &&
	        p->mounts[6].kind == MOUNT_DEV_BIND,
	    "shallow destinations first; mode is -1 when not given");
}

static void
test_env(void)
{
	struct seen seen;
	struct profile *p;

	p = load("env1.toml",
	    "version = 1\n[env]\nallow = [\"*\", \"**\", \"TERM\"]\n"
	    "deny = [\"*\"]\n",
	    &seen);
	ok(p == NULL && seen.n == 2 && seen.d[0].id == E_ENV_ALLOW_ALL &&
	        seen.d[1].id == E_ENV_ALLOW_ALL,
	    "allow '*' (or '**') refused; deny '*' is fine");
	p = load("env2.toml",
	    "version = 1\n[env]\n"
	    "allow = [\"LC_[A-Z\", \"X[]\", \"Y[!\", \"OK[]]\", \"OK[!]]\", "
	    "\"OK[^A]\", \"OK_[A-Z]*\"]\n",
	    &seen);
	ok(p == NULL && seen.n == 3 && has(&seen, E_ENV_PATTERN, "LC_[A-Z") &&
	        has(&seen, E_ENV_PATTERN, "X[]") &&
	        has(&seen, E_ENV_PATTERN, "Y[!"),
	    "unclosed '[' refused; a ']' first in a set is a member");
	p = load("env3.toml",
	    "version = 1\n[env]\ndeny = [\"F?O\", \"*_TOKEN\"]\n"
	    "set = { FOO = \"1\", FOOD = \"2\", GH_TOKEN = \"x\" }\n",
	    &seen);
	ok(p == NULL && seen.n == 2 &&
	        has(&seen, E_ENV_SET_DENIED, "FOO is denied by 'F?O'") &&
	        has(&seen, E_ENV_SET_DENIED, "GH_TOKEN is denied by '*_TOKEN'"),
	    "a variable both set and denied is refused (fnmatch)");
	p = load("env5.toml",
	    "version = 1\n[env]\nallow = [\"B\", \"A\"]\n"
	    "set = { Z = \"${HOME}\", A = \"1\", M = \"$$\" }\n"
	    "extra-from = \"EXTRA\"\n",
	    &seen);
	ok(p != NULL && p->nenv_set == 3 && streq(p->env_set[0].name, "A") &&
	        streq(p->env_set[1].name, "M") &&
	        streq(p->env_set[2].name, "Z") &&
	        streq(p->env_set[2].value.canon, "${HOME}") &&
	        p->env_set[2].value.parts[0].var == VAR_HOME,
	    "env.set is sorted by name, values are templates");
	ok(p != NULL && p->env_allow.n == 2 &&
	        streq(p->env_allow.v[0].s, "B") &&
	        streq(p->extra_from.s, "EXTRA"),
	    "allow keeps the written order; extra-from kept");
}

static void
test_defaults(void)
{
	struct seen seen;
	struct profile *p = load("min.toml", "version = 1\n", &seen);
	int i, none = 1;

	ok(p != NULL && seen.n == 0, "a minimal profile loads");
	if (p == NULL)
		return;
	for (i = 0; i < NS_MAX; i++)
		none &= !p->share[i];
	ok(p->network == NET_NONE && p->identity == IDENTITY_NONE &&
	        p->protect_hooks == 1 && p->workdir == 0 &&
	        p->die_with_parent == 1 && none && !p->seccomp_off &&
	        !p->nested_sandbox && !p->limits[LIMIT_CORE].set,
	    "defaults: no network, no identity, hooks protected, no workdir, "
	    "die with parent, nothing shared, filter on, no limits given");
	ok(p->exec.canon == NULL && p->per_project.canon == NULL &&
	        p->name == NULL && p->hostname == NULL && p->nmounts == 0 &&
	        p->nargs == 0 && p->extra_from.s == NULL,
	    "nothing else is set");
	ok(dump_is(p,
	       "network none\nnetwork-abstract-sockets isolate\n"
	       "git-identity none\n"
	       "git-protect-hooks yes\nworkdir no\n"
	       "die-with-parent yes\n"),
	    "the dump of an empty profile");
}

static void
test_full(void)
{
	struct seen seen;
	struct profile *p;

	p = load("full.yaml",
	    "version: 1\nname: full\n"
	    "description: \"tab\\there, back\\\\slash, caf\\u00e9\"\n"
	    "command:\n  exec: ${HOME}/bin/agent\n  args: [-v, -v, \"\"]\n"
	    "packages: {include: [git, python3Packages.black]}\n"
	    "network: {mode: host, abstract-sockets: host}\n"
	    "git: {identity: host, protect-hooks: false}\n"
	    "state: {workdir: true, per-project: "
	    "\"~/.local/state/j/${PROJECT_ID}/\"}\n"
	    "process: {die-with-parent: false, hostname: jail, "
	    "share: [pid, user], nested-sandbox: true, "
	    "limits: {nofile: 64, as: unlimited, core: 1024}}\n"
	    "seccomp: {profile: \"off\", allow: [ptrace], deny: [mknod]}\n"
	    "risk: {accept: {env-ssh-agent: \"signs commits here\"}}\n"
	    "mount:\n  - rw: ${WORKDIR}/x\n",
	    &seen);
	ok(p != NULL && only(&seen, W_SECCOMP_ALLOW_UNUSED) && p->seccomp_off &&
	        p->nested_sandbox,
	    "a full profile loads; allowing what \"off\" allows warns");
	if (p == NULL)
		return;
	ok(dump_is(p,
	       "name full\n"
	       "description tab\\x09here, back\\\\slash, caf\\xc3\\xa9\n"
	       "exec ${HOME}/bin/agent\n"
	       "arg -v\narg -v\narg \n"
	       "package git\npackage python3Packages.black\n"
	       "mount rw ${WORKDIR}/x -> ${WORKDIR}/x\n"
	       "network host\nnetwork-abstract-sockets host\n"
	       "git-identity host\ngit-protect-hooks no\n"
	       "workdir yes\nper-project ${HOME}/.local/state/j/${PROJECT_ID}\n"
	       "die-with-parent no\nhostname jail\n"
	       "share user\nshare pid\n"
	       "nested-sandbox yes\n"
	       "limit nofile 64\nlimit as unlimited\nlimit core 1024\n"
	       "seccomp off\nseccomp-allow ptrace\nseccomp-deny mknod\n"
	       "accept env-ssh-agent signs commits here\n"),
	    "the dump names every field, escaped, one per line");
	ok(p->naccepts == 1 && streq(p->accepts[0].rule, "env-ssh-agent") &&
	        p->accepts[0].pos.line == 13,
	    "risk.accept collected with its position");

	p = load("risk.toml",
	    "version = 1\n[risk.accept]\nno-such-rule = \"a reason here\"\n"
	    "io = \"not a lint rule\"\n",
	    &seen);
	ok(p == NULL && seen.n == 2 &&
	        has(&seen, E_RISK_UNKNOWN_RULE, "no-such-rule") &&
	        has(&seen, E_RISK_UNKNOWN_RULE, "'io'"),
	    "risk.accept of an unknown rule, or of a non-lint message, "
	    "refused");
	p = load("net.toml",
	    "version = 1\n[network]\nmode = \"host\"\nallow = [\"a.org\"]\n",
	    &seen);
	ok(p == NULL && only(&seen, E_NET_NOT_PROXY),
	    "network.allow needs network.mode = \"proxy\"");
	p = load("wd.toml",
	    "version = 1\n[command]\nexec = \"${WORKDIR}/x\"\n"
	    "args = [\"${WORKDIR}\"]\n[[mount]]\nrw = \"${WORKDIR}/a\"\n"
	    "[[mount]]\nro = \"/b\"\ndest = \"${WORKDIR}/b\"\n"
	    "[env.set]\nW = \"${WORKDIR}\"\n[state]\n"
	    "per-project = \"${WORKDIR}/s\"\n",
	    &seen);
	ok(p == NULL && seen.n == 6,
	    "${WORKDIR} without state.workdir: one error per use (%zu)",
	    seen.n);
	p = load("errors.toml",
	    "version = 1\n[command]\nexec = \"${X}\"\n[env]\n"
	    "allow = [\"*\"]\n[[mount]]\nro = \"rel\"\n[[mount]]\n"
	    "ro = \"/a\"\n[[mount]]\nro = \"/a\"\n",
	    &seen);
	ok(p == NULL && seen.n == 5,
	    "every error of a profile in one run (%zu diagnostics)", seen.n);
}

static void
test_extends(void)
{
	struct seen seen;
	struct profile *p;
	const char **dirs = profile_search_path();
	int i;

	ok(streq(dirs[0], arena_printf("%s/shipped", scratch)),
	    "the search path starts with JAILC_PATH");
	for (i = 0; dirs[i] != NULL; i++)
		;
	ok(i >= 2 && strstr(dirs[i - 1], "/profiles") != NULL &&
	        strstr(dirs[i - 2], "share/jailc/profiles") != NULL,
	    "then the binary's profiles and share directories, then the "
	    "installed one");

	put("shipped/mini.jail",
	    "version = 1\nname = \"mini\"\n[packages]\ninclude = [\"mini\"]\n");
	p = load("uses-mini.toml",
	    "version = 1\nextends = [\"mini\"]\nname = \"child\"\n", &seen);
	ok(p != NULL && streq(p->name, "child") && p->packages.n == 1 &&
	        p->extends.n == 1 && streq(p->extends.v[0].s, "mini"),
	    "a shipped profile by name; the child's name wins");
	p = load("missing.toml",
	    "version = 1\nextends = [\"nope\", \"./none.toml\", \"Bad\"]\n",
	    &seen);
	ok(p == NULL && seen.n == 3 &&
	        has(&seen, E_EXTENDS_NOT_FOUND, "no shipped profile 'nope'") &&
	        has(&seen, E_EXTENDS_NOT_FOUND,
	            arena_printf("looked in %s/shipped, ", scratch)) &&
	        has(&seen, E_EXTENDS_NOT_FOUND, "/none.toml: No such file") &&
	        has(&seen, E_EXTENDS_NOT_FOUND, "'Bad' is neither"),
	    "missing parents: each reported with where jailc looked");

	put("cyc/a.toml", "version = 1\nextends = [\"b.toml\"]\n");
	put("cyc/b.toml", "version = 1\nextends = [\"../cyc/a.toml\"]\n");
	p = load_path(arena_printf("%s/cyc/a.toml", scratch));
	collect(&seen);
	ok(p == NULL && only(&seen, E_EXTENDS_CYCLE) &&
	        strstr(seen.d[0].detail, "a.toml -> ") != NULL &&
	        strstr(seen.d[0].detail, "b.toml -> ") != NULL &&
	        seen.d[0].pos.line == 2 &&
	        strstr(seen.d[0].pos.file, "b.toml") != NULL,
	    "a cycle is named, at the entry that closes it");
	p = load(
	    "self.toml", "version = 1\nextends = [\"self.toml\"]\n", &seen);
	ok(p == NULL && only(&seen, E_EXTENDS_CYCLE),
	    "a profile extending itself");

	/* chain/c0 extends c1 ... extends cN */
	for (i = 0; i <= 17; i++)
		put(arena_printf("chain/c%d.toml", i),
		    arena_printf("version = 1\nextends = [\"c%d.toml\"]\n"
		                 "[packages]\ninclude = [\"p%d\"]\n",
		        i + 1, i));
	put("chain/c16.toml", "version = 1\n");
	p = load_path(arena_printf("%s/chain/c0.toml", scratch));
	collect(&seen);
	ok(p != NULL && seen.n == 0 && p->packages.n == 16 &&
	        streq(p->packages.v[0].s, "p15") &&
	        streq(p->packages.v[15].s, "p0"),
	    "16 levels of extends load, deepest parent first");
	put("chain/c16.toml", "version = 1\nextends = [\"c17.toml\"]\n");
	put("chain/c17.toml", "version = 1\n");
	p = load_path(arena_printf("%s/chain/c0.toml", scratch));
	collect(&seen);
	ok(p == NULL && only(&seen, E_EXTENDS_DEPTH) &&
	        strstr(seen.d[0].pos.file, "c16.toml") != NULL,
	    "17 levels are too deep");

	/* a diamond: top extends l and r, both extend base */
	put("dia/base.toml",
	    "version = 1\n[[mount]]\ntmpfs = \"/tmp\"\n[packages]\n"
	    "include = [\"b\"]\n");
	put("dia/l.toml",
	    "version = 1\nextends = [\"base.toml\"]\n"
	    "[packages]\ninclude = [\"l\", \"b\"]\n");
	put("dia/r.toml",
	    "version = 1\nextends = [\"./base.toml\"]\n"
	    "[packages]\ninclude = [\"r\"]\n");
	p = load("dia/top.toml",
	    "version = 1\nextends = [\"l.toml\", \"r.toml\"]\n", &seen);
	ok(p != NULL && seen.n == 0 && p->nmounts == 1 && p->packages.n == 3 &&
	        streq(p->packages.v[0].s, "b") &&
	        streq(p->packages.v[1].s, "l") &&
	        streq(p->packages.v[2].s, "r"),
	    "a profile reached twice is merged once, at its first place");

	/* a parent that fails is reported once, however often it is named */
	put("bad/base.toml", "version = 1\nnmae = 1\n");
	put("bad/l.toml", "version = 1\nextends = [\"base.toml\"]\n");
	p = load("bad/top.toml",
	    "version = 1\nextends = [\"l.toml\", \"base.toml\"]\n", &seen);
	ok(p == NULL && seen.n == 1 &&
	        streq(diag_idstr(seen.d[0].id), "unknown-key") &&
	        strstr(seen.d[0].pos.file, "bad/base.toml") != NULL,
	    "a broken parent: one report, in the parent's file");

	/* merge rules */
	put("m/one.toml",
	    "version = 1\nname = \"one\"\n[command]\nexec = \"one\"\n"
	    "args = [\"-1\"]\n[network]\nmode = \"host\"\n"
	    "[git]\nprotect-hooks = false\n"
	    "[env]\nallow = [\"A\", \"B\"]\ndeny = [\"D\"]\n"
	    "set = { X = \"one\", Y = \"one\" }\n"
	    "[[mount]]\nro = \"/opt/a\"\n[[mount]]\nro = \"/opt/b\"\n"
	    "[[mount]]\nrw = \"${WORKDIR}\"\n"
	    "[process]\nshare = [\"ipc\"]\n");
	p = load("m/child.toml",
	    "version = 1\nextends = [\"one.toml\"]\n"
	    "[remove]\nmount = [\"/opt//a/\", \"/opt/zzz\"]\n"
	    "env-allow = [\"A\"]\nenv-deny = [\"D\"]\nenv-set = [\"Y\"]\n"
	    "packages = [\"none\"]\n"
	    "[command]\nargs = [\"-2\"]\n"
	    "[env]\nallow = [\"A\", \"C\", \"B\"]\nset = { X = \"child\" }\n"
	    "[[mount]]\nro = \"/srv\"\ndest = \"/opt/a\"\n"
	    "[state]\nworkdir = true\n[process]\nshare = [\"uts\"]\n",
	    &seen);
	ok(p != NULL && seen.n == 2 &&
	        has(&seen, W_REMOVE_UNUSED, "/opt/zzz") &&
	        has(&seen, W_REMOVE_UNUSED, "packages none"),
	    "remove: what it names nothing of is a warning");
	if (p == NULL)
		return;
	ok(dump_is(p,
	       "name one\nextends one.toml\nexec one\narg -1\narg -2\n"
	       "env-allow B\nenv-allow A\nenv-allow C\n"
	       "env-set X=child\n"
	       "mount ro /opt/b -> /opt/b\n"
	       "mount ro /srv -> /opt/a\n"
	       "mount rw ${WORKDIR} -> ${WORKDIR}\n"
	       "network host\nnetwork-abstract-sockets isolate\n"
	       "git-identity none\n"
	       "git-protect-hooks no\nworkdir yes\n"
	       "die-with-parent yes\nshare ipc\nshare uts\n"),
	    "merge: scalars inherited or overridden, lists appended, remove "
	    "before the child's own entries, ${WORKDIR} checked after the "
	    "merge");
	ok(p->nmounts == 3 && strstr(p->mounts[1].pos.file, "child.toml") &&
	        strstr(p->mounts[0].pos.file, "one.toml"),
	    "merged items keep the position in their own file");

	/* the same parent used twice in extends is refused by the schema;
	 * two spellings of one file are merged once */
	p = load("m/twice.toml",
	    "version = 1\nextends = [\"one.toml\", \"./one.toml\"]\n"
	    "state.workdir = true\n",
	    &seen);
	ok(p != NULL && seen.n == 0 && p->nmounts == 3 && p->extends.n == 2,
	    "one file under two spellings is merged once");

	p = load("m/dupe.toml",
	    "version = 1\nextends = [\"one.toml\"]\nstate.workdir = true\n"
	    "[[mount]]\ntmpfs = \"/opt/b\"\n",
	    &seen);
	ok(p == NULL && seen.n == 2 && seen.d[0].id == E_MOUNT_DUPLICATE &&
	        strstr(seen.d[0].pos.file, "dupe.toml") &&
	        seen.d[1].id == N_OTHER_MOUNT &&
	        strstr(seen.d[1].pos.file, "one.toml"),
	    "a duplicate across profiles: the note points into the parent");
}

static void
test_arena(void)
{
	struct buf b = { 0 };
	char *s, *g;
	size_t i;
	int *v = NULL, good = 1;
	size_t cap = 0;

	s = arena_alloc(100);
	for (i = 0; i < 100; i++)
		good &= s[i] == 0;
	ok(good && ((uintptr_t)s % _Alignof(max_align_t)) == 0,
	    "arena_alloc returns zeroed, aligned memory");
	s = arena_alloc(1 << 20);
	s[(1 << 20) - 1] = 'x';
	ok(s[0] == 0, "a large block from the arena");
	g = arena_grow(arena_strdup("abc"), 4, 100);
	ok(streq(g, "abc") && g[99] == 0, "arena_grow keeps the contents");
	s = arena_strndup("a\0b", 3);
	ok(s[0] == 'a' && s[1] == 0 && s[2] == 'b' && s[3] == 0,
	    "arena_strndup copies NUL bytes and terminates");
	for (i = 0; i < 100000; i++)
		buf_putc(&b, 'x');
	ok(b.len == 100000 && b.s[b.len] == '\0',
	    "a buf grows and stays terminated");
	buf_printf(&b, "%d", 42);
	ok(streq(b.s + 100000, "42"), "buf_printf appends");
	buf_add(&b, "\0z", 2);
	ok(b.len == 100004 && b.s[100002] == 0 && b.s[100003] == 'z',
	    "buf_add takes NUL bytes");
	ok(streq(arena_printf("%s-%d", "a", 1), "a-1"), "arena_printf");
	for (i = 0; i < 1000; i++) {
		array_reserve(&v, &cap, i + 1, sizeof(*v));
		v[i] = (int)i;
	}
	good = cap >= 1000;
	for (i = 0; i < 1000; i++)
		good &= v[i] == (int)i;
	ok(good, "array_reserve keeps contents");
	ok(edit_distance("comand", "command") == 1 &&
	        edit_distance("abc", "abc") == 0 &&
	        edit_distance("", "abc") == 3 &&
	        edit_distance("mount", "network") > 2,
	    "edit_distance");
	b.len = 0;
	buf_json_string(&b, "a\"\\\n\x01\xff", 6);
	ok(streq(b.s, "\"a\\\"\\\\\\n\\u0001\\ufffd\""),
	    "buf_json_string escapes and replaces bad UTF-8");
	ok(hex_digit('0') == 0 && hex_digit('f') == 15 &&
	        hex_digit('F') == 15 && hex_digit('g') == -1 &&
	        hex_digit(-1) == -1,
	    "hex_digit");
	ok(utf8_seqlen((const unsigned char *)"\xc3\xa9", 2) == 2 &&
	        utf8_seqlen((const unsigned char *)"\xc0\xaf", 2) == 0 &&
	        utf8_seqlen((const unsigned char *)"\xed\xa0\x80", 3) == 0 &&
	        utf8_seqlen((const unsigned char *)"\xe2\x82", 2) == 0,
	    "utf8_seqlen: good, overlong, surrogate, truncated");
	b.len = 0;
	buf_put_utf8(&b, 0xe9);
	buf_put_utf8(&b, 0x1f600);
	ok(streq(b.s, "\xc3\xa9\xf0\x9f\x98\x80"), "buf_put_utf8");
}

/* jailc check reads each profile into an arena of its own and releases
 * it when done: a diagnostic must not point into it.  The profile's
 * strings are overwritten before the release, so that a pointer kept
 * into them shows in a plain build too, not only under ASan. */
static void
test_arena_release(void)
{
	static const char src[] = "version = 1\nname = \"x\"\n";
	struct arena one = { NULL };
	struct arena *outer = arena_switch(&one);
	char *file = arena_strdup("released.toml");
	char *text = arena_strdup(src);
	char *detail = arena_strdup("a detail");
	char *reason = arena_strdup("a reason");
	struct pos at = { file, 2, 8 };
	struct diag *d;
	char *out = NULL;
	size_t n, len = 0;
	FILE *mem;

	ok(outer == arena_process(), "the process arena is in use at first");
	diag_source(file, text, strlen(text));
	diag_source(arena_strdup("quiet.toml"), text, strlen(text));
	d = diag(&at, W_SHARE_PID, "%s", detail);
	diag_suppress(d, reason);
	ok(arena_switch(outer) == &one,
	    "arena_switch returns the arena it leaves");
	diag_release_sources();
	memset(file, 'x', strlen(file));
	memset(text, 'x', strlen(text));
	memset(detail, 'x', strlen(detail));
	memset(reason, 'x', strlen(reason));
	arena_release(&one);
	ok(one.chunks == NULL, "a released arena is empty");
	d = diag_list(&n);
	ok(n == 1 && streq(d[0].pos.file, "released.toml") &&
	        streq(d[0].detail, "a detail") &&
	        streq(d[0].suppressed, "a reason"),
	    "a diagnostic outlives the arena it was reported from");
	if ((mem = open_memstream(&out, &len)) == NULL)
		fatal("open_memstream:");
	diag_flush(mem, DIAGFMT_TEXT, 1);
	fclose(mem);
	ok(strstr(out, "\n  name = \"x\"\n         ^\n") != NULL,
	    "... and quotes its source line after the release");
	if (strstr(out, "^\n") == NULL)
		show(out);
	free(out);
	diag_reset();
}

/* diag.h says which messages are rules; lint.c has a weight and help for
 * each of them and for nothing else. */
static void
test_rules(void)
{
	int id, n = 0, same = 1;

	for (id = 0; id < DIAG_MAX; id++) {
		const struct lint_rule *r = lint_rule((enum diag_id)id);

		if (diag_is_rule((enum diag_id)id) != (r != NULL))
			same = 0;
		if (r != NULL && (r->id != (enum diag_id)id || r->help == NULL))
			same = 0;
		n += diag_is_rule((enum diag_id)id);
	}
	ok(same && n == DIAG_NRULES,
	    "DIAG_RULES and lint.c's table name the same %d rules", n);
	ok(diag_is_rule(W_MOUNT_OPTIONAL_PROTECT) &&
	        diag_is_rule(N_ENV_ALLOW_SECRET) && !diag_is_rule(N_PREVIOUS) &&
	        !diag_is_rule(E_IO) && !diag_is_rule(DIAG_WARNING_BAND) &&
	        !diag_is_rule(DIAG_MAX),
	    "diag_is_rule: rules, plain messages, band markers, out of range");
}

static int
remove_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	return remove(path);
}

/* Remove the scratch directory, not following symbolic links. */
static void
cleanup(void)
{
	if (nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "unit: could not remove %s\n", scratch);
}

/* The filter of a profile whose [seccomp] and [process] tables are
 * given; NULL bytes when none. */
static struct seccomp_filter
filter_of(const char *name, const char *tables)
{
	struct seccomp_filter f;
	struct profile *p;

	memset(&f, 0, sizeof(f));
	p = load(name, arena_printf("version = 1\n%s", tables), NULL);
	if (p == NULL || seccomp_build(p, &f) != 0)
		f.len = (size_t)-1;
	return f;
}

static int
same_filter(const struct seccomp_filter *a, const struct seccomp_filter *b)
{
	return a->len == b->len && a->len != (size_t)-1 &&
	    memcmp(a->bpf, b->bpf, a->len) == 0;
}

static void
test_seccomp(void)
{
	struct seccomp_filter d1, d2, off, offdeny, nested, ptrace;

	d1 = filter_of("d1.toml", "");
	d2 = filter_of("d2.toml", "[seccomp]\nprofile = \"default\"\n");
	ok(d1.len > 0 && d1.len != (size_t)-1 && d1.len % 8 == 0 &&
	        d1.arch != NULL,
	    "the default filter: whole BPF instructions, for a machine");
	ok(same_filter(&d1, &d2), "the same profile gives the same bytes");
	off = filter_of("off.toml", "[seccomp]\nprofile = \"off\"\n");
	ok(off.len == 0 && off.bpf == NULL, "profile = \"off\": no filter");
	offdeny = filter_of("offdeny.toml",
	    "[seccomp]\nprofile = \"off\"\ndeny = [\"mknod\"]\n");
	ok(offdeny.len > 0 && offdeny.len < d1.len,
	    "off with deny: a filter of the denied calls only");
	nested = filter_of("nested.toml", "[process]\nnested-sandbox = true\n");
	ok(nested.len > 0 && nested.len < d1.len,
	    "nested-sandbox lifts rules from the filter");
	ptrace = filter_of("ptrace.toml", "[seccomp]\nallow = [\"ptrace\"]\n");
	ok(ptrace.len > 0 && !same_filter(&ptrace, &d1),
	    "allow = [\"ptrace\"] changes the filter");
}

/* Entry paths match as the launchers glob them: a component for a
 * component, no "/" and no leading "." under "*" or "?". */
static void
test_protect_match(void)
{
	static const struct {
		const char *pat, *rel;
		size_t len;
	} t[] = {
		{ "*.jail", "x.jail", 6 },
		{ "*.jail", "x.jail/inside", 6 },
		{ "*.jail", ".x.jail", 0 },
		{ "*.jail", "sub/x.jail", 0 },
		{ "*.jail", "x.jailx", 0 },
		{ "?.jail", "ab.jail", 0 },
		{ "?.jail", "a.jail", 6 },
		{ ".git/worktrees/*/gitdir", ".git/worktrees/wt/gitdir", 24 },
		{ ".git/worktrees/*/gitdir", ".git/worktrees/.wt/gitdir", 0 },
		{ ".git/worktrees/*/gitdir", ".git/worktrees/a/b/gitdir", 0 },
		{ ".git/worktrees/*/gitdir", ".git/worktrees/wt", 0 },
		{ ".git/modules/*/hooks", ".git/modules/m/hooks/pre-commit",
		    20 },
		{ ".vscode", ".vscode/tasks.json", 7 },
		{ ".vscode", ".vscodex", 0 },
		{ "*", "", 0 },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++)
		ok(protect_match(t[i].pat, t[i].rel) == t[i].len,
		    "protect_match(\"%s\", \"%s\") = %zu", t[i].pat, t[i].rel,
		    t[i].len);
	ok(protect_is_glob("*.jail") && protect_is_glob("a/?") &&
	        !protect_is_glob(".git/hooks"),
	    "protect_is_glob: * and ? only");
}

int
main(void)
{
	if (mkdtemp(scratch) == NULL)
		fatal("mkdtemp:");
	/* parents by name come from here; set before the first lookup */
	setenv("JAILC_PATH", arena_printf("%s/shipped", scratch), 1);
	test_tree();
	test_variables();
	test_paths();
	test_mount_order();
	test_mounts();
	test_env();
	test_defaults();
	test_full();
	test_extends();
	test_seccomp();
	test_protect_match();
	test_arena();
	test_arena_release();
	test_rules();
	printf("1..%d\n", ntests);
	cleanup();
	arena_free_all();
	return nfailed > 0;
}
