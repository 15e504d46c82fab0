/*
 * review_host.c - this host as a launcher started here would see it, for
 * explain --resolve and why: the values of the launch-time variables, and
 * where a protected path is pinned, which depends on what exists here.
 *
 * The launchers find the same facts; these functions are kept together,
 * apart from the review commands, so that the runtime's host model can
 * replace them in one place.
 */
#include <sys/stat.h>

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "profile.h"
#include "plan.h"
#include "review.h"
#include "../runtime/sha256.h"

/* ------------------------------------------------------------------ */
/* The host's values, found the way the launchers find them            */

/* s as the launchers normalise a variable's path: repeated and trailing
 * slashes dropped; NULL when s is not absolute or has "." or "..". */
char *
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

void
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

/*
 * Where the launchers pin base/rel on this host (jail_pin), walking down
 * from base without following a link: at the first missing component
 * (made empty, for a read-only pin only), at a file where a directory
 * would be, else at the path itself.  NULL where they pin nothing here:
 * a symbolic link on the way (refused, or its target pinned elsewhere),
 * or a writable pin (.git) of anything but an existing directory.
 */
const char *
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
