/*
 * landlock.h - Landlock scopes for the process that becomes bwrap.
 *
 * Included by: runtime/landlock.c, runtime/jailrun.c, runtime/verify.c.
 * libc only.
 *
 * With network.mode = "host" the jail shares the host's network
 * namespace, and with it every abstract unix socket (X11's, D-Bus's,
 * those of editors and agents): no mount can hide a name that is not in
 * the file system.  Landlock's scopes (ABI 6, Linux 6.12) can: a process
 * in a scoped domain cannot connect to an abstract socket bound outside
 * that domain.  jailrun puts bwrap in such a domain just before it
 * starts it; everything in the jail inherits it.
 */
#ifndef JAILRUN_LANDLOCK_H
#define JAILRUN_LANDLOCK_H

/* The scope names a plan may carry: "abstract-unix-socket". */

/* Whether name is a scope this runtime knows. */
int ll_known(const char *name);

/* Whether this kernel can apply scope name: 0, or -1 with why set to a
 * static message that says what is missing. */
int ll_check(const char *name, const char **why);

/* --jail-check's line for scope name: "WHO: Landlock scope NAME:
 * available" on standard output,
 * or "WHO: " and what is missing on standard error.  Returns 0 when
 * the scope is available, else -1. */
int ll_report(const char *who, const char *name);

/* Put this process (and what it will exec) in a new Landlock domain
 * with the scopes names[0..n).  Sets no_new_privs, which Landlock needs
 * and bwrap sets anyway.  Returns 0, or -1 with why set. */
int ll_restrict(const char *const *names, int n, const char **why);

#endif
