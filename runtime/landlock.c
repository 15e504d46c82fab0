/*
 * landlock.c - Landlock scopes, with the kernel's interface spelled out
 * here: the C library has no wrappers, and the headers of older
 * distributions lack the scoped field.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock.h"

/* The same numbers on every architecture (the unified table). */
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif

#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LL_SCOPE_ABI 6 /* the first with scopes */

/* struct landlock_ruleset_attr as of ABI 6; the kernel takes its size. */
struct ll_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/* Each scope with what it keeps in, and the profile setting that does
 * without it. */
static const struct ll_scope {
	const char *name;
	uint64_t bit;
	const char *what;
	const char *instead;
} ll_scopes[] = {
	{ "abstract-unix-socket", LL_SCOPE_ABSTRACT_UNIX_SOCKET,
	    "the host's abstract unix sockets",
	    "network.mode = \"none\" keeps them out, "
	    "network.abstract-sockets = \"host\" lets the jail reach them" },
};

static const struct ll_scope *
ll_scope(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ll_scopes) / sizeof(ll_scopes[0]); i++)
		if (strcmp(ll_scopes[i].name, name) == 0)
			return &ll_scopes[i];
	return NULL;
}

int
ll_known(const char *name)
{
	return ll_scope(name) != NULL;
}

int
ll_check(const char *name, const char **why)
{
	static char msg[320];
	const struct ll_scope *sc;
	char have[64];
	long abi;

	if ((sc = ll_scope(name)) == NULL) {
		*why = "unknown Landlock scope";
		return -1;
	}
	abi = syscall(
	    SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
	if (abi >= LL_SCOPE_ABI)
		return 0;
	if (abi >= 0)
		snprintf(have, sizeof(have), "Landlock ABI %ld", abi);
	else if (errno == EOPNOTSUPP)
		snprintf(have, sizeof(have), "Landlock turned off");
	else
		snprintf(have, sizeof(have), "no Landlock");
	snprintf(msg, sizeof(msg),
	    "%s cannot be kept out of the jail: that takes Landlock ABI %d "
	    "(Linux 6.12), and this kernel has %s; %s",
	    sc->what, LL_SCOPE_ABI, have, sc->instead);
	*why = msg;
	return -1;
}

int
ll_report(const char *who, const char *name)
{
	const char *why;

	if (ll_check(name, &why) != 0) {
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", who, why);
		return -1;
	}
	printf("%s: Landlock scope %s: available\n", who, name);
	return 0;
}

int
ll_restrict(const char *const *names, int n, const char **why)
{
	static char msg[160];
	struct ll_attr attr;
	int i, fd;

	memset(&attr, 0, sizeof(attr));
	for (i = 0; i < n; i++) {
		if (ll_check(names[i], why) != 0)
			return -1;
		attr.scoped |= ll_scope(names[i])->bit;
	}
	if (attr.scoped == 0)
		return 0;
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0) {
		snprintf(msg, sizeof(msg),
		    "cannot create a Landlock ruleset: %s", strerror(errno));
		*why = msg;
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_landlock_restrict_self, fd, 0) != 0) {
		snprintf(msg, sizeof(msg), "cannot enter a Landlock domain: %s",
		    strerror(errno));
		*why = msg;
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
