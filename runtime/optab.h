/*
 * optab.h - the launch plan's tables: ops, mount kinds, variables.
 *
 * Included by: runtime/blob.h (so by everything that reads or writes a
 * plan: compiler/plan.h, compiler/profile.h, the emitters, jailrun, the
 * verifier, the text form and the tests).  Plain C11, no includes.
 *
 * Each table is an X-macro: one row per entry, from which the enums of
 * the compiler (PLAN_*, MOUNT_*, VAR_*) and of the blob (BLOB_*,
 * BLOB_K_*, BLOB_V_*), their names, and the verifier's per-op rules are
 * generated.  Rows are in numbering order; the numbers are the blob
 * format's, so a row is only ever added at the end.
 *
 * An op's strings are a, b and c (runtime/blob.h).  Columns of
 * OPTAB(X): X(ID, name, need, tmpl, opts)
 *   ID    the enum suffix: PLAN_ID, BLOB_ID
 *   name  the op's word in the text plan, -t plan and messages
 *   need  the strings it must have (OPS_A, OPS_B, OPS_C); for a MOUNT
 *         the kind decides (MKTAB's need)
 *   tmpl  which of them are templates ("${HOME}/x")
 *   opts  OPF_* bits below
 */
#ifndef JAILC_OPTAB_H
#define JAILC_OPTAB_H

#define OPS_A 0x1
#define OPS_B 0x2
#define OPS_C 0x4

/* OPF_OPTIONAL: on a MOUNT of a bind kind, its -try form; on a LIMIT
 * (memory, nproc), the launch may go without it. */
#define OPF_VAR 0x001     /* names a variable (the var field) */
#define OPF_FD 0x002      /* takes a descriptor (MOUNT: kind DATA only) */
#define OPF_ENV 0x004     /* builds the child's environment */
#define OPF_KIND 0x008    /* any mount kind */
#define OPF_PIN 0x010     /* kind RO, or RW to make a mount point */
#define OPF_RO 0x020      /* kind RO only */
#define OPF_OPTIONAL 0x40 /* may carry the optional flag */
#define OPF_DIR 0x080     /* may carry the dir flag */
#define OPF_C_OPT 0x100   /* string c is optional */
#define OPF_MODE 0x200    /* may carry a mode (MOUNT: some kinds) */

/*
 * The Nix daemon's socket, where Nix puts it (NIX_STATE_DIR
 * /nix/var/nix): a client the daemon trusts can run code as root on the
 * host through it, so the launcher guards it (NIXDAEMON).
 */
#define OPTAB_NIX_SOCKET "/nix/var/nix/daemon-socket/socket"

/*
 * The file in state.per-project's directory that names the project it
 * belongs to (STATEDIR): its PROJECT_ROOT and a newline.  jailc state
 * reads it.
 */
#define OPTAB_STATE_MARK ".jailc-project"

/* clang-format off */
#define OPTAB(X)                                                         \
	X(VAR, "var", 0, 0, OPF_VAR)                                     \
	X(WORKDIR, "workdir", 0, 0, OPF_VAR)                             \
	X(MKDIR, "mkdir", OPS_A, OPS_A, 0)                               \
	X(ENV_ALLOW, "env-allow", OPS_A, 0, OPF_ENV)                     \
	X(ENV_DENY, "env-deny", OPS_A, 0, OPF_ENV)                       \
	X(ENV_EXTRA, "env-extra", OPS_A, 0, OPF_ENV)                     \
	X(ENV_SET, "env-set", OPS_A | OPS_B, OPS_B, OPF_ENV)             \
	X(REDACT, "redact", OPS_A, 0, OPF_ENV)                           \
	X(ARG, "arg", OPS_A, 0, 0)                                       \
	X(MOUNT, "mount", 0, OPS_A | OPS_B,                              \
	    OPF_KIND | OPF_FD | OPF_OPTIONAL | OPF_MODE)                 \
	X(GITCONFIG, "gitconfig", OPS_B, OPS_B, OPF_FD)                  \
	X(PROTECT, "protect", OPS_A | OPS_B, OPS_A,                      \
	    OPF_PIN | OPF_DIR | OPF_C_OPT)                               \
	X(CHDIR, "chdir", OPS_B, OPS_B, 0)                               \
	X(EXEC, "exec", OPS_A, OPS_A, 0)                                 \
	X(EXEC_ARG, "exec-arg", OPS_A, OPS_A, 0)                         \
	X(SECCOMP, "seccomp", OPS_A | OPS_C, 0, OPF_FD)                  \
	X(LIMIT, "limit", OPS_A | OPS_B, 0, OPF_OPTIONAL)                \
	X(SCOPE, "scope", OPS_A, 0, 0)                                   \
	X(GITPATH, "gitpath", OPS_A | OPS_B, OPS_A, OPF_RO | OPF_DIR)     \
	X(NIXDAEMON, "nix-daemon", OPS_A, 0, 0)                         \
	X(REPORT, "report", OPS_A, 0, 0)                                 \
	X(NETPROXY, "net-proxy", 0, 0, 0)                                \
	X(NETALLOW, "net-allow", OPS_A, 0, 0)                            \
	X(NETDENY, "net-deny", OPS_A, 0, 0)                              \
	X(MKFILE, "mkfile", OPS_A, OPS_A, 0)                             \
	X(STATEDIR, "state-dir", OPS_A, OPS_A, 0)                        \
	X(LAUNCH_NET, "launch-network", OPS_A, 0, 0)                     \
	X(LAUNCH_SHELL, "launch-shell", 0, 0, 0)                         \
	X(LAUNCH_MOUNT, "launch-mount", OPS_A, OPS_A, OPF_PIN)          \
	X(GUI_X11, "gui-x11", 0, 0, 0)                                   \
	X(GUI_WAYLAND, "gui-wayland", 0, 0, 0)                           \
	X(GUI_PIPEWIRE, "gui-pipewire", 0, 0, 0)                         \
	X(GUI_PULSE, "gui-pulseaudio", 0, 0, 0)                          \
	X(DBUS, "dbus-proxy", 0, 0, 0)                                   \
	X(DBUS_TALK, "dbus-talk", OPS_A, 0, 0)                           \
	X(DBUS_OWN, "dbus-own", OPS_A, 0, 0)                             \
	X(DBUS_SEE, "dbus-see", OPS_A, 0, 0)

/*
 * Mount kinds: X(ID, word, bwrap, bwrap_try, need, opts)
 *   word       the profile's key (jail(5), MOUNTS)
 *   bwrap      bwrap's option; bwrap_try the optional form, or NULL
 *   need       the strings a MOUNT of this kind has: a the source (or a
 *              symbolic link's target), b the destination, c the data
 *   opts       OPF_MODE, OPF_FD where the kind takes them
 */
#define MKTAB(X)                                                         \
	X(RO, "ro", "--ro-bind", "--ro-bind-try", OPS_A | OPS_B, 0)      \
	X(RW, "rw", "--bind", "--bind-try", OPS_A | OPS_B, 0)            \
	X(DEV_BIND, "dev-bind", "--dev-bind", "--dev-bind-try",          \
	    OPS_A | OPS_B, 0)                                            \
	X(TMPFS, "tmpfs", "--tmpfs", NULL, OPS_B, OPF_MODE)              \
	X(DIR, "dir", "--dir", NULL, OPS_B, OPF_MODE)                    \
	X(PROC, "proc", "--proc", NULL, OPS_B, 0)                        \
	X(DEV, "dev", "--dev", NULL, OPS_B, 0)                           \
	X(SYMLINK, "symlink", "--symlink", NULL, OPS_A | OPS_B, 0)       \
	X(DATA, "data", "--ro-bind-data", NULL, OPS_B | OPS_C,           \
	    OPF_MODE | OPF_FD)

/*
 * Variables, numbered from 1 (0 is none, literal text):
 * X(ID, deps): deps, the variables it is computed from (jail(5),
 * VARIABLES), as VARBIT()s.
 */
#define VARBIT(id) (1u << VARNUM_##id)
#define VARTAB(X)                                                        \
	X(HOME, 0)                                                       \
	X(USER, 0)                                                       \
	X(UID, 0)                                                        \
	X(CWD, 0)                                                        \
	X(PROJECT_ROOT, VARBIT(CWD))                                     \
	X(WORKTREE, VARBIT(CWD))                                         \
	X(PROJECT_ID, VARBIT(PROJECT_ROOT))                              \
	X(XDG_CONFIG_HOME, VARBIT(HOME))                                 \
	X(XDG_CACHE_HOME, VARBIT(HOME))                                  \
	X(XDG_DATA_HOME, VARBIT(HOME))                                   \
	X(XDG_STATE_HOME, VARBIT(HOME))                                  \
	X(XDG_RUNTIME_DIR, VARBIT(UID))                                  \
	X(WORKDIR, 0)                                                    \
	X(DISPLAY, 0)                                                    \
	X(WAYLAND_DISPLAY, VARBIT(XDG_RUNTIME_DIR))                      \
	X(XAUTHORITY, VARBIT(HOME))                                      \
	X(SSH_AUTH_SOCK, 0)
/* clang-format on */

/*
 * The variables a host may leave unset (the desktop's and the SSH
 * agent's): a mount that names one is skipped when it is optional, and
 * anything else that does stops the launch (jail(5), VARIABLES).
 */
#define VARS_UNSET_OK                                                          \
	(VARBIT(DISPLAY) | VARBIT(WAYLAND_DISPLAY) | VARBIT(SSH_AUTH_SOCK))

/* The variables' numbers, for VARBIT. */
enum varnum {
	VARNUM_NONE,
#define X(id, deps) VARNUM_##id,
	VARTAB(X)
#undef X
	    VARNUM_MAX
};

#endif
