/*
 * unit.c - unit tests of the compiler's pieces, as TAP.
 *
 * The tree, templates and variables, path normalisation, path_within,
 * mount order, and the arena helpers.  Only the public headers are used.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"
#include "profile.h"

static int ntests, nfailed;

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
}

/* Parse s as a template, quietly; the canonical text or NULL on error.
 * *id gets the first diagnostic's id (DIAG_MAX when none). */
static const char *
canon(const char *s, int as_path, enum diag_id *id)
{
	struct tmpl t;
	struct diag *d;
	size_t before, after;
	int rc;

	diag_list(&before);
	rc = tmpl_parse(&t, s, strlen(s), NULL, as_path);
	d = diag_list(&after);
	if (id != NULL)
		*id = after > before ? d[before].id : DIAG_MAX;
	diag_reset();
	return rc == 0 ? t.canon : NULL;
}

static void
test_tree(void)
{
	struct pos pos = { "t", 1, 1 };
	struct doc_node *a = doc_new(DOC_TABLE, &pos);
	struct doc_node *b = doc_new(DOC_TABLE, &pos);
	struct doc_node *x, *y, *arr;

	doc_table_add(a, "k", 1, &pos, doc_new_str(DOC_STRING, &pos, "v", 1));
	doc_table_add(a, "n\0ul", 4, &pos, doc_new(DOC_BOOL, &pos));
	ok(doc_get(a, "k") != NULL && doc_get(a, "k")->u.str.len == 1,
	    "doc_get finds a member");
	ok(doc_get(a, "n") == NULL, "keys with NUL compare by length");
	ok(doc_table_find(a, "n\0ul", 4) != NULL, "key with NUL found");
	ok(doc_equal(a, b) != 0, "different tables differ");
	doc_table_add(b, "n\0ul", 4, &pos, doc_new(DOC_BOOL, &pos));
	doc_table_add(b, "k", 1, &pos, doc_new_str(DOC_STRING, &pos, "v", 1));
	ok(doc_equal(a, b) == 0, "tables equal whatever the member order");

	x = doc_new(DOC_FLOAT, &pos);
	y = doc_new(DOC_FLOAT, NULL);
	x->u.f = NAN;
	y->u.f = NAN;
	ok(doc_equal(x, y) == 0, "NaN equals NaN in doc_equal");
	y->u.f = 1.0;
	ok(doc_equal(x, y) != 0, "NaN differs from 1.0");

	arr = doc_new(DOC_ARRAY, &pos);
	doc_array_push(arr, x);
	doc_array_push(arr, y);
	ok(arr->u.array.n == 2 && arr->u.array.v[1] == y, "array keeps order");
	ok(strcmp(doc_schema_type(doc_new(DOC_DATE_LOCAL, NULL)), "string") ==
	        0,
	    "date-time kinds are strings to the schema");
	ok(strcmp(doc_schema_type(doc_new(DOC_INTEGER, NULL)), "integer") == 0,
	    "integer schema type");
}

static void
test_variables(void)
{
	static const char *const names[] = { "HOME", "USER", "UID", "CWD",
		"PROJECT_ROOT", "PROJECT_ID", "XDG_CONFIG_HOME",
		"XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
		"XDG_RUNTIME_DIR", "WORKDIR" };
	enum diag_id id;
	size_t i;
	int v, all = 1;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		char *s = arena_printf("x${%s}y", names[i]);
		const char *c = canon(s, 0, &id);

		if (c == NULL || strcmp(c, s) != 0)
			all = 0;
	}
	ok(all, "every documented variable parses");
	for (v = VAR_NONE + 1; v < VAR_MAX; v++)
		if (var_name((enum var)v) == NULL)
			all = 0;
	ok(all && var_name(VAR_NONE) == NULL, "every variable has a name");
	ok(var_is_path(VAR_HOME) && var_is_path(VAR_WORKDIR) &&
	        !var_is_path(VAR_USER) && !var_is_path(VAR_UID) &&
	        !var_is_path(VAR_PROJECT_ID),
	    "path-valued variables");

	ok(canon("${NOPE}", 0, &id) == NULL && id == E_VAR_UNKNOWN,
	    "unknown variable refused");
	ok(canon("$HOME", 0, &id) == NULL && id == E_VAR_SYNTAX,
	    "$NAME without braces refused");
	ok(canon("${HOME", 0, &id) == NULL && id == E_VAR_SYNTAX,
	    "unclosed ${ refused");
	ok(canon("a$", 0, &id) == NULL && id == E_VAR_SYNTAX,
	    "trailing $ refused");
	ok(strcmp(canon("cost $$5", 0, NULL), "cost $$5") == 0,
	    "$$ kept as an escaped dollar");

	struct tmpl t;
	tmpl_parse(&t, "a$${HOME}b${USER}", 17, NULL, 0);
	ok(t.nparts == 2 && t.parts[0].var == VAR_NONE &&
	        strcmp(t.parts[0].text, "a${HOME}b") == 0 &&
	        t.parts[1].var == VAR_USER,
	    "$${HOME} is literal text, ${USER} a variable");
	ok(strcmp(canon("~/x", 0, NULL), "~/x") == 0,
	    "~ is plain text outside paths");
}

static void
test_paths(void)
{
	enum diag_id id;
	struct tmpl a, b;

	ok(strcmp(canon("~", 1, NULL), "${HOME}") == 0, "~ is ${HOME}");
	ok(strcmp(canon("~/.claude", 1, NULL), "${HOME}/.claude") == 0,
	    "~/x is ${HOME}/x");
	ok(strcmp(canon("//a//b/", 1, NULL), "/a/b") == 0,
	    "repeated and trailing slashes removed");
	ok(strcmp(canon("/a/./b/.", 1, NULL), "/a/b") == 0,
	    "'.' components removed");
	ok(strcmp(canon("/", 1, NULL), "/") == 0, "/ stays /");
	ok(strcmp(canon("/./", 1, NULL), "/") == 0, "/./ is /");
	ok(strcmp(canon("${PROJECT_ROOT}/", 1, NULL), "${PROJECT_ROOT}") == 0,
	    "trailing slash after a variable removed");
	ok(strcmp(canon("/a~b/c~", 1, NULL), "/a~b/c~") == 0,
	    "'~' inside a name is fine");
	ok(canon("/a/../b", 1, &id) == NULL && id == E_PATH_DOTDOT,
	    ".. refused");
	ok(canon("/a/..", 1, &id) == NULL && id == E_PATH_DOTDOT,
	    "trailing .. refused");
	ok(canon("/a/..b", 1, &id) != NULL, "..b is a name, not ..");
	ok(canon("a/b", 1, &id) == NULL && id == E_PATH_RELATIVE,
	    "relative path refused");
	ok(canon("", 1, &id) == NULL && id == E_PATH_RELATIVE,
	    "empty path refused");
	ok(canon("${USER}/x", 1, &id) == NULL && id == E_VAR_NOT_PATH,
	    "${USER} cannot start a path");
	ok(canon("${HOME}x", 1, &id) == NULL && id == E_VAR_SYNTAX,
	    "${HOME}x refused");
	ok(canon("~bob", 1, &id) == NULL && id == E_TILDE, "~user refused");
	ok(canon("/x/~/y", 1, &id) == NULL && id == E_TILDE,
	    "~ as a later component refused");
	ok(canon("/a\nb", 1, &id) == NULL && id == E_PATH_CHAR,
	    "newline refused");
	ok(tmpl_parse(&a, "/a\0b", 4, NULL, 1) != 0 &&
	        diag_list(&(size_t){ 0 })[0].id == E_PATH_CHAR,
	    "NUL refused");
	diag_reset();

	tmpl_parse(&a, "~/.ssh/id", 9, NULL, 1);
	tmpl_parse(&b, "~/.ssh", 6, NULL, 1);
	ok(path_within(&a, &b) && !path_within(&b, &a), "path_within child");
	ok(path_within(&b, &b), "a path is within itself");
	tmpl_parse(&a, "~/.sshx", 7, NULL, 1);
	ok(!path_within(&a, &b), "sibling with a common prefix is not within");
	tmpl_parse(&a, "/etc/x", 6, NULL, 1);
	tmpl_parse(&b, "/", 1, NULL, 1);
	ok(path_within(&a, &b), "everything literal is within /");
}

/* Write text to a temporary profile and load it. */
static struct profile *
load_text(const char *text)
{
	char path[] = "/tmp/jailc-unit-XXXXXX.toml";
	int fd = mkstemps(path, 5);
	struct profile *p;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fatal("cannot write a temporary profile:");
	close(fd);
	p = profile_load(path, FORMAT_AUTO);
	unlink(path);
	return p;
}

static void
test_mount_order(void)
{
	struct profile *p;
	size_t i;
	int good = 1;

	p = load_text("version = 1\n"
	              "[[mount]]\nrw = \"${PROJECT_ROOT}/sub\"\n"
	              "[[mount]]\nro = \"/usr/lib\"\n"
	              "[[mount]]\nrw = \"~/.claude\"\n"
	              "[[mount]]\ntmpfs = \"~\"\n"
	              "[[mount]]\nro = \"/usr\"\n"
	              "[[mount]]\nrw = \"${PROJECT_ROOT}\"\n"
	              "[[mount]]\nro = \"/b\"\n"
	              "[[mount]]\nro = \"/a\"\n"
	              "[[mount]]\ntmpfs = \"${XDG_RUNTIME_DIR}\"\n"
	              "[[mount]]\nro = \"${XDG_CONFIG_HOME}/x\"\n");
	ok(p != NULL && p->nmounts == 10, "mount profile loads");
	if (p == NULL)
		return;
	static const char *const want[] = { "/usr", "/b", "/a", "/usr/lib",
		"${XDG_RUNTIME_DIR}", "${HOME}", "${HOME}/.claude",
		"${XDG_CONFIG_HOME}/x", "${PROJECT_ROOT}",
		"${PROJECT_ROOT}/sub" };
	for (i = 0; i < p->nmounts; i++)
		if (strcmp(p->mounts[i].dest.canon, want[i]) != 0) {
			good = 0;
			printf("# mount %zu is %s, want %s\n", i,
			    p->mounts[i].dest.canon, want[i]);
		}
	ok(good, "mounts ordered by root, then depth, stable otherwise");
	for (i = 0; i < p->nmounts; i++) {
		size_t j;

		for (j = i + 1; j < p->nmounts; j++)
			if (path_within(
			        &p->mounts[i].dest, &p->mounts[j].dest) &&
			    strcmp(p->mounts[i].dest.canon,
			        p->mounts[j].dest.canon) != 0)
				good = 0;
	}
	ok(good, "no mount comes before its parent");
	ok(p->mounts[6].kind == MOUNT_RW &&
	        strcmp(p->mounts[6].src.canon, "${HOME}/.claude") == 0,
	    "a bind's dest defaults to its source");
	diag_reset();
}

static void
test_defaults(void)
{
	struct profile *p = load_text("version = 1\n");

	ok(p != NULL, "minimal profile loads");
	if (p == NULL)
		return;
	ok(p->network == NET_NONE && p->identity == IDENTITY_NONE &&
	        p->protect_hooks && !p->workdir && p->die_with_parent &&
	        p->exec.canon == NULL && p->nmounts == 0,
	    "defaults: no network, hooks protected, die with parent");
	diag_reset();
}

static void
test_arena(void)
{
	struct buf b = { 0 };
	char *s;
	size_t i;
	int *v = NULL;
	size_t cap = 0;

	for (i = 0; i < 100000; i++)
		buf_putc(&b, 'x');
	ok(b.len == 100000 && b.s[b.len] == '\0',
	    "buf grows and stays "
	    "terminated");
	buf_printf(&b, "%d", 42);
	ok(strcmp(b.s + 100000, "42") == 0, "buf_printf appends");
	s = arena_printf("%s-%d", "a", 1);
	ok(strcmp(s, "a-1") == 0, "arena_printf");
	for (i = 0; i < 1000; i++) {
		array_reserve(&v, &cap, i + 1, sizeof(*v));
		v[i] = (int)i;
	}
	ok(cap >= 1000 && v[999] == 999 && v[0] == 0,
	    "array_reserve keeps contents");
	ok(edit_distance("comand", "command") == 1 &&
	        edit_distance("abc", "abc") == 0 &&
	        edit_distance("mount", "network") > 2,
	    "edit_distance");
	b.len = 0;
	buf_json_string(&b, "a\"\\\n\x01\xff", 6);
	ok(strcmp(b.s, "\"a\\\"\\\\\\n\\u0001\\ufffd\"") == 0,
	    "buf_json_string escapes and replaces bad UTF-8");
}

int
main(void)
{
	/* shipped profiles are not needed; keep the search path harmless */
	setenv("JAILC_PATH", "/nonexistent", 1);
	test_tree();
	test_variables();
	test_paths();
	test_mount_order();
	test_defaults();
	test_arena();
	printf("1..%d\n", ntests);
	arena_free_all();
	return nfailed > 0;
}
