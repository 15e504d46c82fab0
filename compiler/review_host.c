/*
 * review_host.c - this host as a launcher started here would see it, for
 * explain --resolve and why: the values of the launch-time variables, and
 * where a protected path is pinned, which depends on what exists here.
 *
 * The facts come from the runtime's host model (runtime/host.c), the
 * code jailrun runs, so that a review answers as the launch would.  This
 * file only gives it the compiler's arena and keeps its first complaint.
 */
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

void
review_host_values(struct host *h)
{
	unsigned v;

	memset(h, 0, sizeof(*h));
	h->ctx = arena_alloc(sizeof(*h->ctx));
	host_init(h->ctx, review_host_alloc, review_host_error, h);
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
