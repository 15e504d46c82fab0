/*
 * plan.h - the launch plan: the profile IR lowered into ordered ops.
 *
 * Included by: plan.c, the emitters (emit_shell.c, later emit_blob.c),
 * main.c and the tests.  The plan is the only input of a back end: an
 * emitter translates each op and decides nothing on its own, so the shell
 * wrapper and jailrun cannot drift apart in policy.
 *
 * What every back end does with the ops, in order (jail(5), LAUNCH):
 *  1. PLAN_VAR, PLAN_WORKDIR: resolve each variable the profile uses (and
 *     those they depend on), once, in plan order.
 *  2. PLAN_MKDIR, PLAN_MKFILE: note host directories and files that
 *     mounts say to create.
 *  3. PLAN_ENV_*: build the child environment (see below).
 *  4. PLAN_ARG, PLAN_MOUNT, PLAN_GITCONFIG, PLAN_PROTECT, PLAN_GITPATH,
 *     PLAN_SECCOMP, PLAN_CHDIR: append bwrap options in plan order
 *     (PLAN_PROTECT and PLAN_GITPATH note the empty paths they pin where
 *     one is missing; PLAN_SECCOMP first
 *     refuses a machine other than the one the filter is for);
 *     PLAN_LIMIT notes a limit; PLAN_NIXDAEMON refuses a bound Nix
 *     daemon socket to a client the daemon trusts.  Every required mount source
 *     must exist (or be one to create), no writable bind may expose the
 *     home directory or "/", no mount destination may lie at or above an
 *     earlier one's (the compile-time order re-checked on the values),
 *     and CWD must be on a bind.
 *  5. PLAN_EXEC, PLAN_EXEC_ARG: the command, its profile arguments, then
 *     the user's arguments.
 *  6. Only now, with every check passed: make the noted directories and
 *     the pinned empty paths, close every inherited descriptor above 2,
 *     open bwrap's, set the noted limits (in the process that becomes
 *     bwrap) and start bwrap; stay to remove the pinned empty paths when
 *     any were made.
 *
 * The child environment: bwrap gets --clearenv, then one --setenv per
 * variable, all through the --args descriptor (never on a command line):
 * first the host variables whose names are valid identifiers, match an
 * allow pattern and no deny pattern (the profile's, and PWD, OLDPWD,
 * SHLVL and _, which plan_build adds) and are not set by the profile, in
 * strcmp order of their names; then the names listed (comma-separated)
 * in the extra-from variable, under the same deny patterns, in listed
 * order, skipping any already passed; then the set values, by name.
 */
#ifndef JAILC_PLAN_H
#define JAILC_PLAN_H

#include <stddef.h>

#include "profile.h"

/*
 * The ops, from runtime/optab.h's OPTAB (numbered as the blob numbers
 * them); which fields of struct plan_op each one uses:
 *   VAR        resolve .var
 *   WORKDIR    make the per-run directory; defines WORKDIR
 *   MKDIR      make host directory .src (0700) when missing
 *   STATEDIR   .src is state.per-project's directory: record in it
 *              the project it belongs to (jailc state)
 *   MKFILE     make host file .src, empty (0600), when missing; its
 *              parents as MKDIR's, the file itself never through a
 *              symbolic link
 *   ENV_ALLOW  host variables matching glob .s may pass
 *   ENV_DENY   host variables matching glob .s never pass
 *   ENV_EXTRA  host variable .s lists more names to pass
 *   ENV_SET    child variable .s = template .src
 *   REDACT     --jail-dry-run hides values of names matching .s
 *   ARG        a fixed bwrap option word .s
 *   MOUNT      .mount: a profile mount
 *   GITCONFIG  generated gitconfig, read-only at .dest
 *   PROTECT    pin each path .src/.s (".s" may glob with * and ?) that
 *              a writable bind covers: bound onto itself read-only
 *              (mount.kind MOUNT_RO), or, for an existing directory,
 *              read-write only to make it a mount point (MOUNT_RW); a
 *              missing one is pinned at its first missing component,
 *              made empty (a directory there when .dir or not the last,
 *              else a file holding mount.data) and removed after the
 *              run; a symbolic link on the way is refused (jail(5),
 *              PROTECTED PATHS)
 *   CHDIR      start the command in .dest
 *   EXEC       the command .src
 *   EXEC_ARG   one profile argument .src
 *   SECCOMP    the filter .bpf (.bpflen bytes) for machine .s, on
 *              descriptor .fd: --seccomp FD
 *   LIMIT      set resource limit .s to .limit (both soft and hard)
 *              just before bwrap starts
 *   SCOPE      start bwrap in a Landlock domain with scope .s
 *              ("abstract-unix-socket"); a kernel without it stops the
 *              launch (runtime/landlock.h)
 *   GITPATH    where .src holds a .git, read git configuration key .s
 *              of that checkout with git (once for each directory), and
 *              pin the directory it names as PROTECT pins a directory:
 *              a relative value under .src, an absolute one (git
 *              expands "~/") walked from the deepest mount above it;
 *              nothing when git is missing or the key unset (jail(5),
 *              PROTECTED PATHS)
 *   NIXDAEMON  after the mounts: when a bind made so far holds the Nix
 *              daemon's socket .s, refuse the launch if the daemon
 *              trusts the user (root, or trusted-users in its
 *              nix.conf), or if that cannot be told (jail(5), NIX)
 *   REPORT     what the exit report does: .s "warn" or "fail"
 *   NETPROXY   network.mode = "proxy": the jail's own network
 *              namespace (an ARG --unshare-net comes with it), reached
 *              only through the launcher's proxy
 *   NETALLOW   the proxy lets host entry .s through (canonical text,
 *              runtime/netrule.h)
 *   NETDENY    the proxy refuses host entry .s, whatever allows it
 *   LAUNCH_NET --jail-network may choose mode .s ("none", "proxy",
 *              "host") though it gives more than network.mode
 *              (launch.network); a mode with less needs no op
 *   LAUNCH_SHELL --jail-shell may run a shell instead of the command
 *   LAUNCH_MOUNT --jail-ro (mount.kind MOUNT_RO or MOUNT_RW) and
 *              --jail-rw (MOUNT_RW) may bind directory .src or one
 *              beneath it, at the same path (launch.mount)
 */
enum plan_opcode {
#define X(id, name, need, tmpl, opts) PLAN_##id,
	OPTAB(X)
#undef X
};

struct plan_op {
	enum plan_opcode op;
	enum var var;             /* PLAN_VAR */
	const char *s;            /* patterns, names, option words */
	struct tmpl src;          /* see the opcodes */
	struct tmpl dest;         /* PLAN_GITCONFIG, PLAN_CHDIR */
	struct mount mount;       /* PLAN_MOUNT */
	int fd;                   /* PLAN_MOUNT data, PLAN_GITCONFIG and
	                           * PLAN_SECCOMP: its fd */
	int dir;                  /* PLAN_PROTECT: pin a missing path as an
	                           * empty directory, not a file */
	const unsigned char *bpf; /* PLAN_SECCOMP */
	size_t bpflen;
	unsigned long long limit; /* PLAN_LIMIT: LIMIT_UNLIMITED or a value
	                           * in bytes, a count or seconds */
	int optional;             /* PLAN_LIMIT: the launch may go without
	                           * it (process.limits-optional) */
	struct pos pos;           /* where the profile asked for it; generated
	                           * ops point at the key that implies them */
};

struct plan {
	const char *name; /* the profile's name, or its file's stem */
	const char *file; /* the profile given to jailc */
	struct plan_op *ops;
	size_t nops, capops;
	int cleanup;           /* 1: the launcher must stay and clean up */
	int argsfd;            /* the descriptor bwrap reads its options from */
	const char *bwrap;     /* how to find bwrap: a command name or a path */
	const char *git;       /* git's path, or NULL: the system's */
	const char *dbusproxy; /* xdg-dbus-proxy's path, or NULL */
	const char *command;   /* command.exec as written, for --jail-help */
};

/* Build-time definitions (jailc compile -D NAME=VALUE). */
struct plan_defs {
	const char *bwrap;     /* BWRAP: bwrap's path; NULL: "bwrap" */
	const char *git;       /* GIT: git's path; NULL: the system's */
	const char *path;      /* PATH: the child's PATH; NULL: the profile's */
	const char *dbusproxy; /* DBUS_PROXY: xdg-dbus-proxy's, or NULL */
};

/* Lower a loaded profile into its launch plan; problems are reported
 * through diag().  Returns NULL when any error was reported. */
struct plan *plan_build(const struct profile *p, const struct plan_defs *defs);

/* Where an op came from, as launch errors name it: "claude.jail:12", or
 * "claude.jail (generated)" for what jailc added. */
const char *plan_where(const struct pos *pos);

/* An op's word in the text plan ("gui-x11"), from runtime/optab.h. */
const char *plan_op_name(enum plan_opcode op);

/* The bwrap option for a mount kind ("--ro-bind"; with optional, the
 * "-try" form where bwrap has one). */
const char *plan_mount_option(enum mount_kind kind, int optional);

#endif
