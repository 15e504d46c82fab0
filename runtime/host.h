/*
 * host.h - the host as a launch finds it: the variables' values, the
 * project, the walk that pins a protected path, git's configuration.
 *
 * Included by: runtime/host.c and runtime/jailrun.c, and by
 * compiler/review.h for the review code (jailc explain --resolve, jailc
 * why), which must see the host as the launcher will.  Plain C11 and
 * libc only.
 *
 * No globals and no exit: everything lives in a struct host_ctx that the
 * caller owns, memory comes from its allocator, and every problem goes to
 * its error callback, which may stop the process (jailrun) or record the
 * problem and return (review).  A function whose callback returned after
 * HOST_FATAL returns NULL, or -1, and the context is still usable.
 * Nothing is freed: memory lives as long as the allocator keeps it.
 */
#ifndef JAILC_HOST_H
#define JAILC_HOST_H

#include <stddef.h>

#include "blob.h"

/* How bad a reported problem is. */
enum host_sev {
	HOST_NOTE,  /* worth saying; the answer is still good */
	HOST_FAIL,  /* the host cannot run this jail; look on */
	HOST_FATAL, /* no answer: the caller gets NULL or -1 */
};

/* A host variable, the last of its name in environ. */
struct host_env {
	const char *name, *value;
};

/* A git configuration value read for a checkout. */
struct host_gitval {
	const char *base, *key, *val;
};

struct host_ctx {
	/* Memory for n bytes, aligned as malloc's; never NULL (an
	 * allocator out of memory does not return). */
	void *(*alloc)(void *arg, size_t n);
	/* A problem, in words without the program's name. */
	void (*error)(void *arg, enum host_sev sev, const char *msg);
	void *arg;

	/* Set by the caller after host_init, or left NULL. */
	const char *git_pin; /* git pinned at compile time (absolute) */
	/* The source of a mount the jail can write that holds the real
	 * path real, or NULL: a helper there is refused. */
	const char *(*writable)(void *arg, const char *real);

	/* the rest is host.c's own */
	const char *git; /* the git found, once looked for */
	int looked_git;
	char **helper_env;    /* environ without GIT_*, for helpers */
	struct host_env *env; /* sorted by name */
	size_t nenv;
	const char *var[BLOB_NVARS]; /* "": a VARS_UNSET_OK one unset */
	long display;                /* DISPLAY's number, once found */
	const char *root, *tree;     /* the project, once found */
	int want_identity;           /* ask git for user.* with the first key */
	int have_identity;
	const char *git_name, *git_email;
	struct host_gitval *gitvals;
	size_t ngitvals, capgitvals;
};

/* Set up ctx with these callbacks, and take in the environment as bash
 * sees it: entries named by identifiers (none starting "jail_"), the
 * last of a name winning.  Returns 0, or -1 after HOST_FATAL. */
int host_init(struct host_ctx *ctx, void *(*alloc)(void *, size_t),
    void (*error)(void *, enum host_sev, const char *), void *arg);

/* A host variable's value, or NULL when it is not exported. */
const char *host_getenv(struct host_ctx *ctx, const char *name);

/* The value of variable v (enum blob_var, not WORKDIR), found once,
 * with the variables it depends on; NULL after HOST_FATAL; "" for one
 * of VARS_UNSET_OK the host does not set (runtime/optab.h). */
const char *host_var(struct host_ctx *ctx, unsigned v);

/* The number of the local X display DISPLAY names (the N of :N), or -1
 * when DISPLAY is unset or after HOST_FATAL (it names no local display). */
long host_display(struct host_ctx *ctx);

/* PROJECT_ID of the project at root, into id: the first 16 hex digits
 * of sha256(root).  jailc state names the directories so too. */
void host_project_id(const char *root, char id[17]);

/* The absolute path val (what names it) without empty components or a
 * trailing slash; "." and ".." refused, not resolved (HOST_FATAL). */
char *host_norm(struct host_ctx *ctx, const char *what, const char *val);

/* Where path leads, when it is a directory one may enter, as
 * $(cd -P -- path && pwd -P) says; else NULL. */
char *host_cdp(struct host_ctx *ctx, const char *path);

/* Whether path, resolved, is "/" or the home directory or holds it: what
 * no jail may mount writable.  0 when HOME cannot be found (after
 * HOST_FATAL). */
int host_holds_home(struct host_ctx *ctx, const char *path);

/* A jail's mounts so far, as the protected-path walk asks about them. */
struct host_mounts {
	/* whether the deepest mount holding path is a writable bind of the
	 * same host path */
	int (*writable)(void *arg, const char *path);
	/* whether path is pinned read-only already */
	int (*pinned_ro)(void *arg, const char *path);
	void *arg;
};

/* What the walk found to pin. */
enum host_pin_kind {
	HOST_PIN_NONE,   /* nothing, here or now */
	HOST_PIN_PATH,   /* path, bound onto itself */
	HOST_PIN_EMPTY,  /* path is missing: an empty one, made and bound */
	HOST_PIN_TARGET, /* a link's target, bound read-only onto itself */
	HOST_PIN_LINK,   /* path is a link the jail could replace: refuse */
	HOST_PIN_WATCH,  /* missing, outside .git: nothing made or bound;
	                  * data (under path, the walk's base) looked for
	                  * when the jail exits */
};

struct host_pin {
	enum host_pin_kind kind;
	const char *path;
	int dir;          /* HOST_PIN_EMPTY: a directory, else a file */
	const char *data; /* HOST_PIN_EMPTY: the file's content;
	                   * HOST_PIN_WATCH: the path, under path */
};

/* Walk base/rel one component at a time, following no link, and say
 * where to pin it, read-only (ro) or as a writable mount point: at the
 * first missing component (made empty, read-only only, when rel is in
 * .git; else HOST_PIN_WATCH, path the whole of base/rel), at a file where
 * a directory would be, else at the path itself.  dir and content say
 * what a missing last component would be.  With m NULL every path is
 * taken as writable and nothing as pinned. */
void host_pin_walk(struct host_ctx *ctx, const struct host_mounts *m, int ro,
    const char *base, const char *rel, int dir, const char *content,
    struct host_pin *out);

/* The paths under base that the pattern pat (with * or ?) matches now,
 * relative to base, in strcmp order; *n their number.  NULL with *n 0
 * when none; NULL with *n (size_t)-1 after HOST_FATAL.  where names the
 * profile entry in messages. */
char **host_glob(struct host_ctx *ctx, const char *base, const char *pat,
    const char *where, size_t *n);

/* Ask for the host's git identity (user.name, user.email of the global
 * configuration) before the first host_git_get, so that one git answers
 * both. */
void host_git_want_identity(struct host_ctx *ctx);

/* Git configuration key of the checkout at base, as git reads it for the
 * user (--type=path), or "" when git is missing, key unset, or git
 * cannot read the configuration there (when it runs no hooks there
 * either); "" too when git failed otherwise, after HOST_FAIL.  Once for
 * each base and key. */
const char *host_git_get(
    struct host_ctx *ctx, const char *base, const char *key, const char *where);

/* The host's git user.name and user.email, "" where unset or no git. */
void host_git_identity(
    struct host_ctx *ctx, const char **name, const char **email);

/* The absolute path that git configuration key of the checkout at base
 * names (a relative one is under base), or NULL when there is none: no
 * .git at base, the key unset, or a '..' after a directory the jail
 * could replace (HOST_FAIL).  *val is the value as git gave it. */
char *host_git_path(struct host_ctx *ctx, const char *base, const char *key,
    const char *where, const char **val);

/* Where a helper is looked for when none was pinned at compile time,
 * in this order: never the caller's PATH, which may name a directory an
 * earlier jail could write (a project's .venv/bin or .direnv/bin). */
#define HOST_HELPER_DIRS "/run/current-system/sw/bin", "/usr/bin", "/bin"

/* The helper name to run on the host: pinned (an absolute path) when
 * not NULL, else the first executable in HOST_HELPER_DIRS; NULL when
 * there is none, or after HOST_FAIL when its real path lies under a
 * mount the jail can write (ctx->writable). */
char *host_helper(struct host_ctx *ctx, const char *name, const char *pinned);

/* The daemon's configuration: its nix.conf, and the user configuration
 * files it reads as root (those that can be read). */
#define HOST_NIX_CONF "/etc/nix/nix.conf"
#define HOST_NIX_XDG_CONF "/etc/xdg/nix/nix.conf"

/* Whether the Nix daemon trusts this process's user as a client: root
 * always, else as trusted-users and extra-trusted-users of its
 * configuration say (include and !include followed).  1: trusted, *how
 * says why; 0: not; -1: cannot tell, *how says why.  *user is the name
 * the daemon would match. */
int host_nix_trusted(struct host_ctx *ctx, const char **user, const char **how);

/* Run argv, with the environment less git's GIT_* variables but
 * GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM and GIT_CONFIG_NOSYSTEM (which
 * name files, as HOME does).  When out is not NULL, *out is what it wrote (*len
 * bytes and a NUL) to stdout, and to stderr unless quiet_err; quiet_err sends
 * stderr to /dev/null.  Returns its exit status, 128+N when signal N
 * ended it, or -1 when it could not run. */
int host_capture(struct host_ctx *ctx, char *const argv[], char **out,
    size_t *len, int quiet_err);

#endif
