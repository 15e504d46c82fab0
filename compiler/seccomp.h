/*
 * seccomp.h - the profile's system call filter, compiled with libseccomp.
 *
 * Included by: main.c and review.c (the names checked right after the
 * profile is read, never by profile.c), lint.c (which calls seccomp.allow
 * gives back), plan.c (the filter compiled into the plan) and the test
 * tools (irdump, unit).  Only this stage links
 * libseccomp; the launchers carry the compiled BPF and never need it.
 */
#ifndef JAILC_SECCOMP_H
#define JAILC_SECCOMP_H

#include <stddef.h>

#include "profile.h"

/* A compiled filter: classic BPF for bwrap's --seccomp, for one
 * architecture. */
struct seccomp_filter {
	const unsigned char *bpf; /* len bytes, 8 per instruction */
	size_t len;
	const char *arch; /* the kernel's name for it ("x86_64") */
};

/* Check p's seccomp.allow and seccomp.deny: every name a system call of
 * the build host's architecture, none in both; problems through diag().
 * The pipeline runs it on every IR profile_read() returns, before lint
 * and the plan. */
void seccomp_check(const struct profile *p);

/* Whether the base filter refuses name (in every use, or in some, as
 * ioctl's TIOCSTI) for a jail that does not turn it off: what
 * seccomp.allow would give back.  The nested-sandbox calls count only
 * when p does not lift them already. */
int seccomp_base_refuses(const struct profile *p, const char *name);

/* Compile p's filter.  Returns 0 with f->len 0 when the profile asks for
 * none (profile "off" and no deny), 0 with the filter, or -1 after
 * reporting. */
int seccomp_build(const struct profile *p, struct seccomp_filter *f);

#endif
