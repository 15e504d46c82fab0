/*
 * diag.h - the message catalogue and the one function that reports.
 *
 * Included by: every compiler stage that reports (the front ends, schema.c,
 * profile.c, seccomp.c, lint.c, plan.c, review.c, main.c) and the test
 * tools.  Never by runtime/.
 *
 * Every message is an entry below: a stable ID (used in output, in
 * `risk.accept`, in JSON/SARIF) and a fixed text.  Its position in the list
 * decides its level: notes, then warnings, then errors.  A caller may add a
 * detail string after the fixed text.  Keep IDs stable once released.
 */
#ifndef JAILC_DIAG_H
#define JAILC_DIAG_H

#include <stdio.h>

#include "doc.h"

/* X(enum name, "stable-id", "fixed text") */
#define DIAG_NOTES                                                             \
	X(N_PREVIOUS, "previous", "first defined here")                        \
	X(N_OTHER_MOUNT, "other-mount", "the other mount is here")             \
	X(N_ENV_ALLOW_SECRET, "env-allow-secret",                              \
	    "this variable holds a credential and reaches the agent")          \
	X(N_NETWORK_HOST_SECRET, "network-host-secret",                        \
	    "host network and a credential in the environment: the agent "     \
	    "can send it anywhere")

#define DIAG_WARNINGS                                                          \
	X(W_ENV_ALLOW_SECRET_GLOB, "env-allow-secret-glob",                    \
	    "allow pattern also matches credential variables")                 \
	X(W_ENV_SSH_AGENT, "env-ssh-agent",                                    \
	    "SSH_AUTH_SOCK lets the agent use your SSH keys")                  \
	X(W_REMOVE_UNUSED, "remove-unused",                                    \
	    "remove names nothing that is inherited")                          \
	X(W_LITERAL_HOME, "literal-home",                                      \
	    "literal home directory path; write ~ so the profile is portable") \
	X(W_YAML_BOOL_WORD, "yaml-bool-word",                                  \
	    "YAML 1.1 boolean word read as a string")                          \
	X(W_ACCEPT_UNUSED, "accept-unused",                                    \
	    "risk.accept names a rule that has no finding here")               \
	X(W_PROTECT_REMOVED, "protect-removed",                                \
	    "protected path left writable")                                    \
	X(W_SHARE_PID, "share-pid",                                            \
	    "host PID namespace shared: the agent sees every process of the "  \
	    "host and can read the environment of the user's own")             \
	X(W_ENV_ALLOW_BROAD, "env-allow-broad",                                \
	    "allow pattern is too broad to review")                            \
	X(W_SECCOMP_OFF, "seccomp-off",                                        \
	    "seccomp filter turned off: terminal injection is no longer "      \
	    "blocked")                                                         \
	X(W_MOUNT_OPTIONAL_PROTECT, "mount-optional-protect",                  \
	    "optional mount protects a path: when its source is missing, the " \
	    "protection silently goes")                                        \
	X(W_PROJECT_ROOT_HOME, "project-root-home",                            \
	    "mount of the project directory exposes the whole home "           \
	    "directory when launched from ~")                                  \
	X(W_NIX_DAEMON, "nix-daemon",                                          \
	    "mount hands the jail the Nix daemon, which builds and fetches "   \
	    "outside the jail")                                                \
	X(W_SECCOMP_ALLOW_UNUSED, "seccomp-allow-unused",                      \
	    "seccomp.allow names a call the filter does not restrict")         \
	X(W_NESTED_SANDBOX, "nested-sandbox",                                  \
	    "nested sandboxes allowed: the agent may make user namespaces "    \
	    "and mounts of its own")                                           \
	X(W_ABSTRACT_SOCKETS_HOST, "abstract-sockets-host",                    \
	    "the host's abstract unix sockets are reachable: X11, D-Bus and "  \
	    "others listen there")                                             \
	X(W_NET_ALLOW_LOCAL, "net-allow-local",                                \
	    "network.allow opens the host's own services: a loopback, "        \
	    "private or link-local address, or localhost")                     \
	X(W_NET_ALLOW_WIDE, "net-allow-wide",                                  \
	    "wildcard allows a whole top-level or public-suffix domain")       \
	X(W_NET_DENY_UNUSED, "net-deny-unused",                                \
	    "network.deny entry can never apply: no network.allow entry "      \
	    "reaches what it names")                                           \
	X(W_LAUNCH_NETWORK_HOST, "launch-network-host",                        \
	    "a launch may give the jail the host's network "                   \
	    "(--jail-network host)")                                           \
	X(W_LAUNCH_RW_HOME, "launch-rw-home",                                  \
	    "a launch may bind a directory of the home directory writable "    \
	    "(--jail-rw)")                                                     \
	X(W_GUI_X11, "gui-x11",                                                \
	    "the jail gets the X display: every X client can read the "        \
	    "keystrokes and the screen of every other")                        \
	X(W_GUI_WAYLAND, "gui-wayland",                                        \
	    "the jail can open windows on the Wayland desktop")                \
	X(W_GUI_PIPEWIRE, "gui-pipewire",                                      \
	    "the jail gets PipeWire: the microphone, cameras and screen "      \
	    "streams the session offers")                                      \
	X(W_GUI_PULSEAUDIO, "gui-pulseaudio",                                  \
	    "the jail gets PulseAudio: it can record from the microphone")     \
	X(W_GUI_DBUS, "gui-dbus",                                              \
	    "the jail can call, or own, this name on the session bus")

#define DIAG_ERRORS                                                            \
	X(E_IO, "io", "cannot read file")                                      \
	X(E_ENCODING, "encoding", "file is not valid UTF-8 text")              \
	X(E_LIMIT, "limit", "input exceeds a limit")                           \
	X(E_FORMAT_AMBIGUOUS, "format-ambiguous",                              \
	    "cannot tell whether this .jail file is TOML or YAML")             \
	X(E_TOML_SYNTAX, "toml-syntax", "TOML syntax error")                   \
	X(E_TOML_REDEFINE, "toml-redefine", "key or table defined twice")      \
	X(E_YAML_SYNTAX, "yaml-syntax", "YAML syntax error")                   \
	X(E_YAML_FEATURE, "yaml-feature",                                      \
	    "YAML feature not allowed in profiles")                            \
	X(E_YAML_DUPLICATE, "yaml-duplicate-key", "duplicate mapping key")     \
	X(E_YAML_NULL, "yaml-null",                                            \
	    "null value; give a value or omit the key")                        \
	X(E_YAML_KEY, "yaml-key", "mapping key is not a string")               \
	X(E_JSON_SYNTAX, "json-syntax", "JSON syntax error")                   \
	X(E_SCHEMA_UNKNOWN_KEY, "unknown-key", "unknown key")                  \
	X(E_SCHEMA_TYPE, "type", "wrong type")                                 \
	X(E_SCHEMA_ENUM, "enum", "value not allowed")                          \
	X(E_SCHEMA_CONST, "const", "value not allowed")                        \
	X(E_SCHEMA_PATTERN, "pattern",                                         \
	    "value does not match the required form")                          \
	X(E_SCHEMA_REQUIRED, "required", "required key missing")               \
	X(E_SCHEMA_RANGE, "range", "value out of range")                       \
	X(E_SCHEMA_LENGTH, "length", "wrong length")                           \
	X(E_SCHEMA_UNIQUE, "unique", "duplicate entry in a list")              \
	X(E_SCHEMA_ONE_OF, "one-of", "exactly one of these keys is needed")    \
	X(E_EXTENDS_NOT_FOUND, "extends-not-found", "profile not found")       \
	X(E_EXTENDS_CYCLE, "extends-cycle", "profiles extend each other")      \
	X(E_EXTENDS_DEPTH, "extends-depth", "extends chain too deep")          \
	X(E_VAR_UNKNOWN, "var-unknown", "unknown variable")                    \
	X(E_VAR_SYNTAX, "var-syntax", "malformed variable reference")          \
	X(E_VAR_NOT_PATH, "var-not-path",                                      \
	    "variable is not a path and cannot start one")                     \
	X(E_PATH_RELATIVE, "path-relative", "path is not absolute")            \
	X(E_PATH_DOTDOT, "path-dotdot", "path contains a '..' component")      \
	X(E_PATH_CHAR, "path-char",                                            \
	    "path contains a NUL byte or a line break")                        \
	X(E_TILDE, "tilde", "'~' is only allowed at the start of a path")      \
	X(E_MOUNT_DUPLICATE, "mount-duplicate",                                \
	    "two mounts on one destination")                                   \
	X(E_MOUNT_OPTION, "mount-option",                                      \
	    "option does not apply to this kind of mount")                     \
	X(E_PROTECT_PATH, "protect-path", "malformed protected path")          \
	X(E_PROTECT_UNKNOWN, "protect-unknown",                                \
	    "protect.remove names a path that is not protected")               \
	X(E_PROTECT_MOUNT, "protect-mount",                                    \
	    "writable mount of a protected path")                              \
	X(E_ENV_ALLOW_ALL, "env-allow-all",                                    \
	    "'*' passes the whole environment; list what the agent needs")     \
	X(E_ENV_NAME, "env-name", "invalid environment variable name")         \
	X(E_ENV_PATTERN, "env-pattern", "invalid environment pattern")         \
	X(E_ENV_SET_DENIED, "env-set-denied",                                  \
	    "variable is both set and denied")                                 \
	X(E_RISK_UNKNOWN_RULE, "risk-unknown-rule",                            \
	    "risk.accept names no lint rule")                                  \
	X(E_RESERVED, "reserved", "key is reserved for a later version")       \
	X(E_MOUNT_SECRET, "mount-secret", "mount exposes a credential store")  \
	X(E_MOUNT_HOME_RW, "mount-home-rw",                                    \
	    "whole home directory mounted writable")                           \
	X(E_MOUNT_ROOT_RW, "mount-root-rw",                                    \
	    "whole root filesystem mounted writable")                          \
	X(E_ENV_SET_SECRET, "env-set-secret",                                  \
	    "credential written into the profile; it would be baked into "     \
	    "the world-readable Nix store")                                    \
	X(E_MOUNT_SOCKET, "mount-socket",                                      \
	    "mount exposes a host socket; read-only does not stop connect()")  \
	X(E_MOUNT_HOST_TMP, "mount-host-tmp",                                  \
	    "host /tmp or runtime directory shared, with every socket in it")  \
	X(E_MOUNT_DEV_HOST, "mount-dev-host",                                  \
	    "host /dev bound with device access")                              \
	X(E_PROFILE_WRITABLE, "profile-writable",                              \
	    "profile is writable from inside the jail, so the agent can "      \
	    "loosen its own next jail")                                        \
	X(E_NO_COMMAND, "no-command",                                          \
	    "no command.exec: a launcher needs a command to run")              \
	X(E_HOSTNAME_SHARED, "hostname-shared",                                \
	    "process.hostname needs its own UTS namespace, but share "         \
	    "keeps the host's")                                                \
	X(E_NUL, "nul-byte",                                                   \
	    "value holds a NUL byte, which no argument, variable or "          \
	    "generated file can carry")                                        \
	X(E_SYSCALL_UNKNOWN, "syscall-unknown",                                \
	    "no such system call on this architecture")                        \
	X(E_SECCOMP_CONFLICT, "seccomp-conflict",                              \
	    "system call is both allowed and denied")                          \
	X(E_LIMIT_UNIT, "limit-unit", "size limit is not in whole KiB")        \
	X(E_MOUNT_PROC_ROOT, "mount-proc-root",                                \
	    "mount reaches a process's root, working directory or open files " \
	    "through /proc: the host's whole file system")                     \
	X(E_MOUNT_DEV_KERNEL, "mount-dev-kernel",                              \
	    "device bound into the jail reaches the kernel or the hardware "   \
	    "directly")                                                        \
	X(E_SHARE_USER, "share-user",                                          \
	    "host user namespace shared: no --disable-userns, and a jail "     \
	    "launched by root is uid 0 of the host")                           \
	X(E_SHARE_IPC, "share-ipc",                                            \
	    "host IPC namespace shared: the agent can attach to the shared "   \
	    "memory and message queues of the user's other programs")          \
	X(E_SECCOMP_ALLOW_IOCTL, "seccomp-allow-ioctl",                        \
	    "seccomp.allow of ioctl lifts the block on terminal injection "    \
	    "(TIOCSTI, TIOCLINUX)")                                            \
	X(E_SECCOMP_ALLOW_ESCAPE, "seccomp-allow-escape",                      \
	    "seccomp.allow gives back a call the filter refuses because it "   \
	    "leads out of the jail or into the kernel's least-tested code")    \
	X(E_NET_ENTRY, "net-entry",                                            \
	    "malformed network.allow or network.deny entry")                   \
	X(E_GUI_DBUS_ESCAPE, "gui-dbus-escape",                                \
	    "the filtered bus lets the jail reach a service that runs "        \
	    "commands outside it or hands out secrets")                        \
	X(E_NET_NOT_PROXY, "net-not-proxy",                                    \
	    "network.allow and network.deny need network.mode = \"proxy\"")

/*
 * The lint rules among the messages above: what risk.accept may name,
 * what SARIF tags as security findings, what `jailc rules` lists.  Their
 * weights and help texts are lint.c's; it checks that it has one for
 * each of these and for nothing else.
 */
#define DIAG_RULES                                                             \
	R(N_ENV_ALLOW_SECRET)                                                  \
	R(N_NETWORK_HOST_SECRET)                                               \
	R(W_ENV_ALLOW_SECRET_GLOB)                                             \
	R(W_ENV_SSH_AGENT)                                                     \
	R(W_LITERAL_HOME)                                                      \
	R(W_SHARE_PID)                                                         \
	R(W_ENV_ALLOW_BROAD)                                                   \
	R(W_SECCOMP_OFF)                                                       \
	R(W_ABSTRACT_SOCKETS_HOST)                                             \
	R(W_NET_ALLOW_LOCAL)                                                   \
	R(W_NET_ALLOW_WIDE)                                                    \
	R(W_NET_DENY_UNUSED)                                                   \
	R(W_LAUNCH_NETWORK_HOST)                                               \
	R(W_LAUNCH_RW_HOME)                                                    \
	R(W_GUI_X11)                                                           \
	R(W_GUI_WAYLAND)                                                       \
	R(W_GUI_PIPEWIRE)                                                      \
	R(W_GUI_PULSEAUDIO)                                                    \
	R(W_GUI_DBUS)                                                          \
	R(W_NESTED_SANDBOX)                                                    \
	R(W_PROTECT_REMOVED)                                                   \
	R(W_MOUNT_OPTIONAL_PROTECT)                                            \
	R(W_PROJECT_ROOT_HOME)                                                 \
	R(W_NIX_DAEMON)                                                        \
	R(E_MOUNT_SECRET)                                                      \
	R(E_MOUNT_HOME_RW)                                                     \
	R(E_MOUNT_ROOT_RW)                                                     \
	R(E_ENV_SET_SECRET)                                                    \
	R(E_MOUNT_SOCKET)                                                      \
	R(E_GUI_DBUS_ESCAPE)                                                   \
	R(E_MOUNT_HOST_TMP)                                                    \
	R(E_MOUNT_DEV_HOST)                                                    \
	R(E_PROFILE_WRITABLE)                                                  \
	R(E_MOUNT_PROC_ROOT)                                                   \
	R(E_MOUNT_DEV_KERNEL)                                                  \
	R(E_SHARE_USER)                                                        \
	R(E_SHARE_IPC)                                                         \
	R(E_SECCOMP_ALLOW_IOCTL)                                               \
	R(E_SECCOMP_ALLOW_ESCAPE)

enum diag_id {
#define X(e, id, text) e,
	DIAG_NOTES
	    DIAG_WARNING_BAND, /* marker: entries after this are warnings */
	DIAG_WARNINGS
	    DIAG_ERROR_BAND, /* marker: entries after this are errors */
	DIAG_ERRORS
#undef X
	    DIAG_MAX
};

/* The lint rules counted: DIAG_NRULES. */
enum diag_rule_index {
#define R(e) DIAG_RULE_##e,
	DIAG_RULES
#undef R
	    DIAG_NRULES
};

enum diag_level { LEVEL_NOTE, LEVEL_WARNING, LEVEL_ERROR };

/* Output format of diagnostics: text, a JSON array, or a SARIF 2.1.0 log. */
enum diag_format { DIAGFMT_TEXT, DIAGFMT_JSON, DIAGFMT_SARIF };

/* One reported message. */
struct diag {
	enum diag_id id;
	struct pos pos;
	const char *detail;     /* NULL or extra text after the fixed text */
	const char *suppressed; /* reason from risk.accept, or NULL */
};

/* Report message id at pos (NULL: no position) with an optional printf-style
 * detail (fmt may be NULL).  Returns the stored diagnostic. */
struct diag *diag(const struct pos *pos, enum diag_id id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Mark d as accepted by risk.accept with the given reason; it no longer
 * counts towards diag_errors()/diag_warnings(). */
void diag_suppress(struct diag *d, const char *reason);
/* The level of a message, from its band. */
enum diag_level diag_level(enum diag_id id);
/* The stable ID string of a message ("toml-syntax"). */
const char *diag_idstr(enum diag_id id);
/* The fixed text of a message. */
const char *diag_text(enum diag_id id);
/* The message whose stable ID is s, or DIAG_MAX. */
enum diag_id diag_lookup(const char *s);
/* Whether id is a lint rule (in DIAG_RULES), and so may be named in
 * risk.accept. */
int diag_is_rule(enum diag_id id);
/* Remember the text of a source file so that diagnostics can quote lines
 * (the text is copied when a diagnostic first quotes it). */
void diag_source(const char *file, const char *text, size_t len);
/* Forget the sources no diagnostic quotes: call before releasing the
 * arena they were read into. */
void diag_release_sources(void);
/* Errors reported so far (not counting suppressed ones). */
unsigned diag_errors(void);
/* Warnings reported so far (not counting suppressed ones). */
unsigned diag_warnings(void);
/* Write every stored diagnostic to fp in the given format, in file, line
 * and column order (notes stay after the message they belong to), and
 * forget them; carets and colour only in text format when tty is set. */
void diag_flush(FILE *fp, enum diag_format fmt, int tty);
/* Tell diag_flush() the help text and exposure weight of each lint
 * rule, for SARIF. */
void diag_rule_help(
    const char *(*help)(enum diag_id id), int (*weight)(enum diag_id id));
/* Leave messages below lvl (and the notes that belong to them) out of
 * what diag_flush() writes; the counts are not changed. */
void diag_min_level(enum diag_level lvl);
/* Forget every diagnostic, source and count (before arena_free_all() in
 * a process that compiles more than once, such as a fuzz target). */
void diag_reset(void);
/* The diagnostics stored so far, in report order. */
struct diag *diag_list(size_t *np);

#endif
