/*
 * protect.c - the protected-path list, the one place it is written.
 *
 * Each entry is pinned read-only at launch wherever a writable bind
 * covers it (plan.c makes the ops, the launchers do the pinning), the
 * directories above it bound onto themselves; a missing one is pinned as
 * an empty file or directory in .git, and elsewhere moved aside when the
 * jail exits if the jail made it.  Why each is here: it is something the
 * user's own tools run or obey later, outside the jail.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "protect.h"

const struct protect_entry protect_list[] = {
	/* A missing path is pinned as an empty directory where git would
	 * otherwise list and commit an empty file; inside .git, where git
	 * reads it, as a file (a directory there stops git).
	 *
	 * .git onto itself first: a mount point cannot be renamed, so the
	 * git directory cannot be moved aside and rebuilt without hooks. */
	{ ".git", PROTECT_PROJECT, 1, NULL },
	/* the hooks directory git uses instead of .git/hooks (husky's
	 * .husky/_, .githooks): in the worktree, outside .git, so none of
	 * the .git entries covers it.  Early, so that it is pinned before
	 * anything an entry below may pin inside it. */
	{ "core.hooksPath", PROTECT_GIT, 0, NULL },
	/* what git runs, and the configuration that says what it runs */
	{ ".git/hooks/", PROTECT_PROJECT, 0, NULL },
	{ ".git/config", PROTECT_PROJECT, 0, "" },
	/* read only with extensions.worktreeConfig, which lives in config;
	 * pinned anyway, so that turning it on cannot be staged */
	{ ".git/config.worktree", PROTECT_PROJECT, 0, "" },
	/* git follows commondir to another repository's config and hooks;
	 * a missing one is pinned as ".", which git reads as "here" (an
	 * empty commondir stops git altogether) */
	{ ".git/commondir", PROTECT_PROJECT, 0, ".\n" },
	/* linked worktrees and submodules that exist at launch */
	{ ".git/worktrees/*/commondir", PROTECT_PROJECT, 0, "" },
	{ ".git/worktrees/*/gitdir", PROTECT_PROJECT, 0, "" },
	{ ".git/worktrees/*/config.worktree", PROTECT_PROJECT, 0, "" },
	{ ".git/modules/*/hooks/", PROTECT_PROJECT, 0, NULL },
	{ ".git/modules/*/config", PROTECT_PROJECT, 0, "" },
	{ ".gitmodules", PROTECT_PROJECT, 0, NULL },
	/* jail profiles at the top, existing at launch */
	{ "*.jail", PROTECT_PROJECT, 0, NULL },
	/* run by direnv, editors and agents when the user opens the
	 * project */
	{ ".envrc", PROTECT_PROJECT, 0, NULL },
	{ ".vscode/", PROTECT_PROJECT, 0, NULL },
	{ ".idea/", PROTECT_PROJECT, 0, NULL },
	{ ".mcp.json", PROTECT_PROJECT, 0, NULL },
	{ ".claude/commands/", PROTECT_PROJECT, 0, NULL },
	{ ".claude/agents/", PROTECT_PROJECT, 0, NULL },
	/* run by the user's shells and git; writable only where a profile
	 * binds one of them writable */
	{ ".bashrc", PROTECT_HOME, 0, NULL },
	{ ".zshrc", PROTECT_HOME, 0, NULL },
	{ ".profile", PROTECT_HOME, 0, NULL },
	{ ".bash_profile", PROTECT_HOME, 0, NULL },
	{ ".gitconfig", PROTECT_HOME, 0, NULL },
};

const size_t protect_count = sizeof(protect_list) / sizeof(protect_list[0]);

/* Characters a launcher can put in a glob without a meaning of their
 * own, besides "*" and "?": no brackets, braces, parentheses, quotes,
 * backslashes or blanks. */
static int
protect_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("._-+@,=:%*?", c) != NULL;
}

int
protect_path_ok(const char *s, const char **why)
{
	const char *p, *comp;
	size_t len;

	if (strncmp(s, "git:", 4) == 0) {
		*why = "git: entries are jailc's own (git:core.hooksPath), "
		       "not paths to add";
		return 0;
	}
	if (strncmp(s, "~/", 2) == 0)
		s += 2;
	if (*s == '\0' || *s == '/') {
		*why = "give a path relative to the project, or ~/...";
		return 0;
	}
	for (p = s; *p != '\0'; p++)
		if (*p != '/' && !protect_char_ok(*p)) {
			*why = "only letters, digits, ._-+@,=:% and the "
			       "globs * and ? are allowed";
			return 0;
		}
	for (comp = s; *comp != '\0'; comp += len + (comp[len] == '/')) {
		len = strcspn(comp, "/");
		if (len == 0) {
			*why = "empty path component";
			return 0;
		}
		if ((len == 1 && comp[0] == '.') ||
		    (len == 2 && strncmp(comp, "..", 2) == 0)) {
			*why = "'.' and '..' components are not allowed";
			return 0;
		}
	}
	return 1;
}

const char *
protect_added_content(const char *rel)
{
	size_t len = strlen(rel);

	return strncmp(rel, ".git/", 5) == 0 && rel[len - 1] != '/' ? "" : NULL;
}

const char *
protect_split(const char *s, enum protect_base *base)
{
	if (strncmp(s, "~/", 2) == 0) {
		*base = PROTECT_HOME;
		return s + 2;
	}
	if (strncmp(s, "git:", 4) == 0) {
		*base = PROTECT_GIT;
		return s + 4;
	}
	*base = PROTECT_PROJECT;
	return s;
}

const char *
protect_written(const struct protect_entry *e)
{
	switch (e->base) {
	case PROTECT_PROJECT:
		return e->path;
	case PROTECT_HOME:
		return arena_printf("~/%s", e->path);
	case PROTECT_GIT:
		return arena_printf("git:%s", e->path);
	}
	abort();
}

const struct protect_entry *
protect_find(const char *s)
{
	enum protect_base base;
	const char *rel = protect_split(s, &base);
	size_t i;

	for (i = 0; i < protect_count; i++)
		if (protect_list[i].base == base &&
		    strcmp(protect_list[i].path, rel) == 0)
			return &protect_list[i];
	return NULL;
}

int
protect_is_git(const char *s)
{
	return strcmp(s, ".git") == 0 || strncmp(s, ".git/", 5) == 0 ||
	    strncmp(s, "git:", 4) == 0;
}

int
protect_is_glob(const char *rel)
{
	return strpbrk(rel, "*?") != NULL;
}

/*
 * Component by component, as glob(3) in jailrun and bash's pathname
 * expansion in the launcher read the pattern: "*" and "?" never match a
 * "/", nor a leading "." (no GLOB_PERIOD, no dotglob).  The pattern holds
 * no other special character (protect_path_ok), so fnmatch agrees with
 * both on everything else.
 */
size_t
protect_match(const char *pat, const char *rel)
{
	const char *p = pat, *r = rel;
	size_t pn, rn;

	for (;;) {
		pn = strcspn(p, "/");
		rn = strcspn(r, "/");
		if (pn == 0 || rn == 0 ||
		    fnmatch(arena_strndup(p, pn), arena_strndup(r, rn),
		        FNM_PERIOD) != 0)
			return 0;
		p += pn;
		r += rn;
		if (*p == '/')
			p++;
		if (*p == '\0')
			return (size_t)(r - rel);
		if (*r != '/')
			return 0;
		r++;
	}
}
