/*
 * profile.h - the profile IR: typed, merged (extends resolved), checked.
 *
 * Included by: profile.c, the stages above it (seccomp.c, lint.c, plan.c,
 * the emitters, review.c, main.c) and the test tools.
 * The IR never points into the document tree except for positions.
 */
#ifndef JAILC_PROFILE_H
#define JAILC_PROFILE_H

#include <stddef.h>
#include <stdio.h>

#include "doc.h"
#include "../runtime/netrule.h"
#include "../runtime/optab.h"

/* The closed set of launch-time variables (jail(5), VARIABLES):
 * runtime/optab.h's VARTAB, numbered as the blob numbers them. */
enum var {
	VAR_NONE, /* literal text */
#define X(id, deps) VAR_##id,
	VARTAB(X)
#undef X
	    VAR_MAX
};

/* One piece of a template: literal bytes, or a variable. */
struct tmpl_part {
	enum var var; /* VAR_NONE: literal text[0..len) */
	const char *text;
	size_t len;
};

/* A string with variables, parsed once.  For paths the literal parts are
 * normalised (no "//", no "." components, no trailing "/"). */
struct tmpl {
	struct tmpl_part *parts;
	size_t nparts;
	const char *canon; /* canonical text: ${NAME} for variables, $$ for $ */
	struct pos pos;
};

/* A string from a list, with its position. */
struct item {
	const char *s;
	struct pos pos;
};

struct itemlist {
	struct item *v;
	size_t n, cap;
};

/* Mount kinds: runtime/optab.h's MKTAB (ro = SRC, rw = SRC, dev-bind =
 * SRC, tmpfs = DEST, dir = DEST, proc = DEST, dev = DEST, symlink =
 * TARGET with dest = DEST, data = CONTENT with dest = DEST). */
enum mount_kind {
#define X(id, word, bw, bwtry, need, opts) MOUNT_##id,
	MKTAB(X)
#undef X
};

/* What a bind's create makes when its source is missing. */
enum mount_create {
	CREATE_NONE,
	CREATE_DIR, /* create = true or "dir": a directory, 0700 */
	CREATE_FILE /* create = "file": an empty file, 0600 */
};

struct mount {
	enum mount_kind kind;
	struct tmpl src;  /* binds: host path; symlink: target; else empty */
	struct tmpl dest; /* always set; binds default to src */
	const char *data; /* MOUNT_DATA content, datalen bytes */
	size_t datalen;
	int create;     /* CREATE_*: make the host path when missing */
	int optional;   /* skip when the source is absent */
	int mode;       /* permission bits, or -1 when not given */
	struct pos pos; /* the mount's table in its profile */
};

struct envset {
	const char *name;
	struct tmpl value;
	struct pos pos;
};

enum network_mode { NET_NONE, NET_HOST, NET_PROXY };

/* [gui]'s sockets, in the order jail(5) lists them. */
enum gui_cap { GUI_X11, GUI_WAYLAND, GUI_PIPEWIRE, GUI_PULSE, GUI_MAX };

/* gui.dbus's lists, as xdg-dbus-proxy's --talk, --own and --see. */
enum dbus_rule { DBUS_TALK, DBUS_OWN, DBUS_SEE, DBUS_MAX };

/* An entry of network.allow or network.deny: the rule, its canonical
 * text (runtime/netrule.h), and where it was written. */
struct netentry {
	struct netrule rule;
	const char *text;
	struct pos pos;
};

enum git_identity { IDENTITY_NONE, IDENTITY_HOST };

/* Namespaces a jail may share with the host; all unshared by default. */
enum ns { NS_USER, NS_IPC, NS_PID, NS_UTS, NS_CGROUP, NS_MAX };

/* A protected path the profile leaves writable: protect.remove. */
struct unprotect {
	const char *path; /* exactly as the list writes it */
	const char *reason;
	struct pos pos;
};

/* process.limits, in the order jail(5) lists them; the launchers apply
 * them in this order. */
enum limit_res {
	LIMIT_NOFILE,
	LIMIT_NPROC,
	LIMIT_AS,
	LIMIT_FSIZE,
	LIMIT_CPU,
	LIMIT_CORE,
	LIMIT_MEMORY,
	LIMIT_MAX
};

#define LIMIT_UNLIMITED (~0ull)

struct limit {
	int set;                  /* given, or core's default of 0 */
	unsigned long long value; /* bytes, a count or seconds, or
	                           * LIMIT_UNLIMITED */
	struct pos pos;
	int optional; /* in process.limits-optional */
	struct pos opt_pos;
};

/* The key of a limit in process.limits ("nofile"). */
const char *limit_name(enum limit_res r);
/* Whether a limit is a size in bytes (ulimit counts it in KiB). */
int limit_is_bytes(enum limit_res r);

/* A directory a launch may add with --jail-ro or --jail-rw (launch.mount):
 * path itself or one beneath it; rw allows both flags, ro only --jail-ro. */
struct launch_mount {
	struct tmpl path;
	int rw;
	struct pos pos;
};

/* A finding accepted by the profile's author: risk.accept.RULE = REASON. */
struct accept {
	const char *rule;
	const char *reason;
	struct pos pos;
	int used; /* set by lint when it suppresses a finding */
};

/* A file the profile extends, directly or through another. */
struct chainfile {
	const char *path; /* as read */
	struct pos from;  /* the extends entry that named it first */
	int shipped;      /* named by its name, found in the search path */
};

struct profile {
	const char *file;        /* the file given on the command line */
	const char *name;        /* NULL when not given */
	const char *description; /* NULL when not given */
	struct itemlist extends; /* every file's entries as written, merged */
	struct chainfile *chain; /* every file extended, in the order read */
	size_t nchain, capchain;

	struct tmpl exec;  /* command.exec; exec.canon NULL when unset */
	struct tmpl *args; /* command.args */
	size_t nargs, capargs;

	struct itemlist packages;

	struct itemlist env_allow;
	struct itemlist env_deny;
	struct envset *env_set; /* sorted by name */
	size_t nenv_set, capenv_set;
	struct item extra_from; /* s NULL when unset */

	struct mount *mounts; /* in launch order: parents before children */
	size_t nmounts, capmounts;

	enum network_mode network;
	struct pos network_pos;
	int abstract_host;          /* network.abstract-sockets = "host" */
	struct pos abstract_pos;    /* line 0: the default */
	struct netentry *net_allow; /* network.allow, every file's */
	size_t nnet_allow, capnet_allow;
	struct netentry *net_deny; /* network.deny, every file's */
	size_t nnet_deny, capnet_deny;

	int gui[GUI_MAX]; /* gui.x11 ...: 1 when on */
	struct pos gui_pos[GUI_MAX];
	int dbus_on;                    /* a file has [gui.dbus] */
	struct pos dbus_pos;            /* the first such table */
	struct itemlist dbus[DBUS_MAX]; /* gui.dbus.talk ..., merged */

	enum git_identity identity;
	struct pos identity_pos;     /* line 0: the default */
	int protect_hooks;           /* 0: the .git entries are not protected */
	struct pos hooks_pos;        /* where protect-hooks was last set */
	struct itemlist protect_add; /* protect.add, as written */
	struct unprotect *unprotect; /* protect.remove, every file's */
	size_t nunprotect, capunprotect;
	int protect_fail;            /* protect.on-exit = "fail" */
	struct pos protect_fail_pos; /* where on-exit was last set */

	int workdir;
	struct pos workdir_pos;
	struct tmpl per_project; /* canon NULL when unset */

	int die_with_parent;
	const char *hostname; /* NULL when not given */
	struct pos hostname_pos;
	int share[NS_MAX]; /* 1: keep the host's namespace */
	struct pos share_pos[NS_MAX];

	int nested_sandbox; /* process.nested-sandbox */
	struct pos nested_pos;
	struct limit limits[LIMIT_MAX];

	int seccomp_off;          /* seccomp.profile = "off" */
	struct pos seccomp_pos;   /* the seccomp table, or generated */
	struct itemlist sc_allow; /* seccomp.allow, merged */
	struct itemlist sc_deny;  /* seccomp.deny, merged */

	/* [launch]: the choices a launch may make beyond narrowing; each
	 * key replaces what the parents set */
	int launch_net[NET_PROXY + 1]; /* by mode: --jail-network may pick */
	struct pos launch_net_pos[NET_PROXY + 1];
	int launch_shell; /* --jail-shell */
	struct pos launch_shell_pos;
	struct launch_mount *launch_mounts;
	size_t nlaunch_mounts, caplaunch_mounts;

	struct accept *accepts;
	size_t naccepts, capaccepts;
};

/* Load, validate and merge the profile at path (and everything it
 * extends); every problem is reported through diag().  Returns NULL when
 * it could not be made into an IR (a syntax or schema error, a missing
 * parent), else the IR, even when errors were reported in it: callers
 * run the later stages' checks on it too (seccomp_check()) and use it
 * only if diag_errors() did not grow. */
struct profile *profile_read(const char *path, enum doc_format fmt);

/* Whether p leaves the protected path written as s (".envrc",
 * "~/.bashrc") writable: protect.remove, or git.protect-hooks = false
 * for the paths in .git. */
int profile_unprotected(const struct profile *p, const char *s);

/* Write the IR as canonical text without positions: two profiles with the
 * same meaning (a TOML file and its YAML twin) print the same bytes. */
void profile_dump(FILE *fp, const struct profile *p);

/* The name of a variable ("HOME"), or NULL for VAR_NONE. */
const char *var_name(enum var v);
/* Whether a variable's value is an absolute path (HOME yes, USER no). */
int var_is_path(enum var v);

/* Parse s as a template; as_path demands an absolute path and normalises
 * it.  Reports problems at pos and returns -1 on error. */
int tmpl_parse(struct tmpl *t, const char *s, size_t len, const struct pos *pos,
    int as_path);

/* Whether path a is b or lies beneath b, comparing canonical forms
 * component by component (both must be parsed as paths). */
int path_within(const struct tmpl *a, const struct tmpl *b);

/* Whether a bind source with no variables is the Nix daemon's socket or
 * a directory above it (the launcher asks the same of the values). */
int tmpl_holds_nix_socket(const struct tmpl *src);

/* The launch-order key of a mount destination: the rank of its root
 * ("/" or a path variable) and its number of components.  Mounts sorted
 * by (rank, depth), stably, have every parent before its children. */
void mount_order_key(const struct tmpl *dest, int *rank, size_t *depth);

/* How much of the network a mode opens: 0 none, 1 the allowed hosts
 * (proxy), 2 all (host). */
int network_mode_rank(enum network_mode m);

/* The word of a network mode ("proxy"). */
const char *network_mode_name(enum network_mode m);

/* The key of a [gui] socket ("x11") and of a gui.dbus list ("talk"). */
const char *gui_cap_name(enum gui_cap c);
const char *dbus_rule_name(enum dbus_rule r);

/* Directories searched for shipped profiles, in order, NULL-terminated. */
const char **profile_search_path(void);

#endif
