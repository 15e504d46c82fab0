/*
 * protect.h - the protected paths: what stays read-only inside a
 * writable project or home mount (jail(5), PROTECTED PATHS).
 *
 * Included by: protect.c, profile.c (to check protect.remove), plan.c
 * (to lower the list into PLAN_PROTECT ops), review.c and the tests.  The list
 * is data, kept in protect.c and nowhere else; the back ends get each entry as
 * an op and know no path of their own.
 */
#ifndef JAILC_PROTECT_H
#define JAILC_PROTECT_H

#include <stddef.h>

/* Where an entry's path is relative to. */
enum protect_base {
	PROTECT_PROJECT, /* ${PROJECT_ROOT}, ${WORKTREE} and ${CWD} */
	PROTECT_HOME,    /* ${HOME}; written "~/..." */
	PROTECT_GIT      /* not a path: the directory a git configuration
	                  * key names, read with git at launch in each
	                  * checkout (${PROJECT_ROOT}, ${WORKTREE});
	                  * written "git:KEY" */
};

struct protect_entry {
	const char *path; /* as written: relative, "/" at the end for a
	                   * directory, "*" and "?" as globs */
	enum protect_base base;
	int pin_rw;          /* bind a directory onto itself writable, only
	                      * to make it a mount point (.git) */
	const char *content; /* a missing path is pinned as a file holding
	                      * this; NULL: as an empty directory */
};

/* The shipped list, in launch order (a directory before what is in it). */
extern const struct protect_entry protect_list[];
extern const size_t protect_count;

/* Whether s is a well-formed entry path (relative, no "." or ".."
 * components, no empty ones, only the characters the launchers can glob
 * safely); *why says what is wrong when it is not. */
int protect_path_ok(const char *s, const char **why);

/* What a missing path added by a profile is pinned as (see
 * protect_entry.content): a file inside .git, where git reads what is
 * there; elsewhere a directory, which git neither lists nor commits. */
const char *protect_added_content(const char *rel);

/* The entry path without its "~/" or "git:" prefix, and its base. */
const char *protect_split(const char *s, enum protect_base *base);

/* Entry e as a profile names it: ".vscode/", "~/.bashrc",
 * "git:core.hooksPath". */
const char *protect_written(const struct protect_entry *e);

/* Whether entry path s is one of git.protect-hooks': .git or below, or
 * a "git:" entry. */
int protect_is_git(const char *s);

/* The shipped entry written exactly as s, or NULL. */
const struct protect_entry *protect_find(const char *s);

/* Whether entry path rel has a "*" or "?": the launchers pin what it
 * matches at launch, and only what exists then. */
int protect_is_glob(const char *rel);

/* The length of the leading components of rel that entry path pat
 * matches, as the launchers glob it (a component for a component); 0
 * when they do not. */
size_t protect_match(const char *pat, const char *rel);

#endif
