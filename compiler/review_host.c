/*
 * review_host.c - this host as a launcher started here would see it, for
 * explain --resolve and why: the values of the launch-time variables, and
 * where a protected path is pinned, which depends on what exists here.
 *
 * The facts come from the runtime's host model (runtime/host.c), the
 * code jailrun runs, so that a review answers as the launch would.  This
 * file only gives it the compiler's arena and keeps its first complaint.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "profile.h"
#include "plan.h"
#include "review.h"

static void *
review_host_alloc(void *arg, size_t n)
{
	(void)arg;
	return arena_alloc(n);
}

/* A launch would stop at the first problem that is more than a note:
 * keep that one to say so. */
static void
review_host_error(void *arg, enum host_sev sev, const char *msg)
{
	struct host *h = arg;

	if (sev != HOST_NOTE && h->problem == NULL)
		h->problem = msg;
}

/* The source of a writable bind of the plan that holds the resolved path
 * real, as the launcher asks before it runs a helper; NULL when none
 * does (a source with a variable that has no value here is skipped). */
static const char *
review_host_writable(void *arg, const char *real)
{
	const struct host *h = arg;
	const struct plan *pl = h->plan;
	const char *src;
	char *rsrc;
	size_t i, n;

	for (i = 0; pl != NULL && i < pl->nops; i++) {
		const struct plan_op *o = &pl->ops[i];

		if (o->op != PLAN_MOUNT ||
		    (o->mount.kind != MOUNT_RW &&
		        o->mount.kind != MOUNT_DEV_BIND))
			continue;
		src = review_expand(&o->mount.src, h);
		if (strchr(src, '$') != NULL ||
		    (rsrc = realpath(src, NULL)) == NULL)
			continue;
		n = strlen(rsrc);
		if (strcmp(rsrc, "/") == 0 ||
		    (strncmp(real, rsrc, n) == 0 &&
		        (real[n] == '\0' || real[n] == '/'))) {
			free(rsrc);
			return src;
		}
		free(rsrc);
	}
	return NULL;
}

void
review_host_values(struct host *h, const struct plan *pl)
{
	unsigned v;

	memset(h, 0, sizeof(*h));
	h->ctx = arena_alloc(sizeof(*h->ctx));
	host_init(h->ctx, review_host_alloc, review_host_error, h);
	h->plan = pl;
	h->ctx->writable = review_host_writable;
	for (v = 1; v < VAR_MAX; v++)
		if (v != VAR_WORKDIR)
			h->v[v] = host_var(h->ctx, v);
}

const char *
review_pin_point(const struct host *h, const char *base, const char *rel,
    int ro, const char **link)
{
	struct host_pin p;

	host_pin_walk(h->ctx, NULL, ro, strcmp(base, "/") == 0 ? "" : base, rel,
	    0, NULL, &p);
	switch (p.kind) {
	case HOST_PIN_LINK:
		if (link != NULL)
			*link = p.path;
		return NULL;
	case HOST_PIN_NONE:
	case HOST_PIN_WATCH:
		return NULL;
	case HOST_PIN_PATH:
	case HOST_PIN_EMPTY:
	case HOST_PIN_TARGET:
	default:
		return p.path;
	}
}
