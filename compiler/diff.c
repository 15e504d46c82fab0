/*
 * diff.c - jailc diff: how the access a new profile grants differs from
 * an old one's, change by change, and whether it widens it.
 */
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "profile.h"
#include "lint.h"
#include "plan.h"
#include "opt.h"
#include "review.h"

static const char usage_diff[] =
    "usage: jailc diff [--format text|json] [--input-format toml|yaml]\n"
    "                  OLD NEW\n"
    "\n"
    "Show how the access NEW grants differs from OLD's: mounts added,\n"
    "removed or widened, environment, network, namespaces, seccomp, limits\n"
    "and protections, and the exposure score before and after.\n"
    "\n"
    "options:\n"
    "  --format text|json         one screen of text (default), or JSON\n"
    "  --input-format toml|yaml   read both files as this syntax\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 NEW grants no more than OLD, 1 NEW widens access,\n"
    "2 errors in either profile, usage or I/O error\n";

enum effect { NEUTRAL, WIDENS, NARROWS };

struct change {
	const char *area;      /* "mount", "env", "network"... */
	const char *what;      /* "added", "removed", "changed" */
	const char *text;      /* what changed, in a few words */
	const struct pos *pos; /* the entry: NEW's, or OLD's when removed */
	enum effect effect;
};

struct changes {
	struct change *v;
	size_t n, cap;
	size_t widen;
	int score[2]; /* OLD's and NEW's exposure, in tenths */
};

static void
change(struct changes *c, const char *area, const char *what, const char *text,
    const struct pos *pos, enum effect e)
{
	static const struct pos none = { NULL, 0, 0 };
	struct change *x;

	array_reserve(&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	x = &c->v[c->n++];
	x->area = area;
	x->what = what;
	x->text = text;
	x->pos = pos != NULL ? pos : &none;
	x->effect = e;
	if (e == WIDENS)
		c->widen++;
}

static const struct plan_op *
same_dest(const struct plan *pl, const struct plan_op *o)
{
	size_t i;

	/* a protection is compared with protections only: it pins what
	 * another mount put at the same place (the generated gitconfig
	 * and ~/.gitconfig's protection) */
	for (i = 0; i < pl->nops; i++)
		if (review_is_mount(&pl->ops[i]) &&
		    (pl->ops[i].op == PLAN_PROTECT) ==
		        (o->op == PLAN_PROTECT) &&
		    strcmp(review_mount_dest(&pl->ops[i])->canon,
		        review_mount_dest(o)->canon) == 0)
			return &pl->ops[i];
	return NULL;
}

/* "rw", "ro (host SRC)": a mount's kind, and its source when that is not
 * the same path as its destination. */
static const char *
mount_how(const struct plan_op *o)
{
	if (o->op == PLAN_PROTECT)
		return arena_printf("%s (protection)", review_kind_word(o));
	if (review_rank(o) > 0 && o->op != PLAN_GITCONFIG &&
	    strcmp(o->src.canon, review_mount_dest(o)->canon) != 0)
		return arena_printf(
		    "%s (host %s)", review_kind_word(o), o->src.canon);
	return review_kind_word(o);
}

/* "rw DEST", "ro DEST (host SRC)": a mount in few words. */
static const char *
mount_phrase(const struct plan_op *o)
{
	const char *how = mount_how(o), *sp = strchr(how, ' ');

	if (sp == NULL)
		return arena_printf("%s %s", how, review_mount_dest(o)->canon);
	return arena_printf(
	    "%.*s %s%s", (int)(sp - how), how, review_mount_dest(o)->canon, sp);
}

/* A mount's source as canonical text: a protected path is its own, and
 * a mount without one has "". */
static const char *
src_text(const struct plan_op *o)
{
	if (o->op == PLAN_PROTECT)
		return review_mount_dest(o)->canon;
	return o->src.canon != NULL ? o->src.canon : "";
}

/*
 * A mount only in NEW widens access when it lets in more of the host
 * than what covered its place in OLD: a bind under a read-only bind of
 * the same files adds nothing; a bind under a tmpfs or of other files
 * does.
 */
static enum effect
added_effect(const struct plan *old, const struct plan_op *n)
{
	const struct plan_op *c =
	    review_top_mount(old, review_mount_dest(n)->canon, NULL);

	if (n->op == PLAN_PROTECT)
		return NARROWS; /* it pins, even the writable .git */
	if (review_rank(n) == 0)
		return c != NULL && review_rank(c) > 0 ? NARROWS : NEUTRAL;
	if (c != NULL && review_rank(c) >= review_rank(n) &&
	    n->op != PLAN_GITCONFIG &&
	    strcmp(review_host_path(c, review_mount_dest(n)->canon, NULL),
	        src_text(n)) == 0)
		return review_rank(c) > review_rank(n) ? NARROWS : NEUTRAL;
	return WIDENS;
}

/* A mount only in OLD: its place now shows what covers it in NEW. */
static enum effect
removed_effect(const struct plan *new, const struct plan_op *o)
{
	const struct plan_op *c =
	    review_top_mount(new, review_mount_dest(o)->canon, NULL);

	if (o->op == PLAN_PROTECT)
		return WIDENS; /* a protection is gone, whatever is left */
	if (c != NULL && review_rank(c) > review_rank(o))
		return WIDENS;
	return review_rank(o) > 0 ? NARROWS : NEUTRAL;
}

/* One destination, two mounts: more of the host, or other host files,
 * widen access. */
static enum effect
changed_effect(const struct plan_op *o, const struct plan_op *n)
{
	if (review_rank(n) > review_rank(o))
		return WIDENS;
	if (review_rank(n) > 0 && strcmp(src_text(o), src_text(n)) != 0)
		return WIDENS;
	return review_rank(n) < review_rank(o) ? NARROWS : NEUTRAL;
}

/* The git: protections in a but not in b (by checkout and key). */
static void
diff_gitpaths(struct changes *c, const struct plan *a, const struct plan *b,
    const struct profile *pa, const char *what, enum effect e)
{
	const struct plan_op *o;
	size_t i, j;

	for (i = 0; i < a->nops; i++) {
		o = &a->ops[i];
		if (o->op != PLAN_GITPATH)
			continue;
		for (j = 0; j < b->nops; j++)
			if (b->ops[j].op == PLAN_GITPATH &&
			    strcmp(b->ops[j].s, o->s) == 0 &&
			    strcmp(b->ops[j].src.canon, o->src.canon) == 0)
				break;
		if (j == b->nops)
			change(c, "mount", what,
			    arena_printf("ro %s (protection)",
			        review_gitpath_text(o, NULL)),
			    review_op_origin(o, pa).pos, e);
	}
}

static void
diff_mounts(struct changes *c, const struct plan *old, const struct plan *new,
    const struct profile *pa, const struct profile *pb)
{
	const struct plan_op *o, *n;
	size_t i;

	for (i = 0; i < new->nops; i++) {
		n = &new->ops[i];
		if (!review_is_mount(n))
			continue;
		if ((o = same_dest(old, n)) == NULL) {
			change(c, "mount", "added", mount_phrase(n),
			    review_op_origin(n, pb).pos, added_effect(old, n));
			continue;
		}
		if (o->op == n->op && o->mount.kind == n->mount.kind &&
		    strcmp(src_text(o), src_text(n)) == 0)
			continue;
		change(c, "mount", "changed",
		    arena_printf("%s: %s -> %s", review_mount_dest(n)->canon,
		        mount_how(o), mount_how(n)),
		    review_op_origin(n, pb).pos, changed_effect(o, n));
	}
	for (i = 0; i < old->nops; i++) {
		o = &old->ops[i];
		if (review_is_mount(o) && same_dest(new, o) == NULL)
			change(c, "mount", "removed", mount_phrase(o),
			    review_op_origin(o, pa).pos,
			    removed_effect(new, o));
	}
	diff_gitpaths(c, new, old, pb, "added", NARROWS);
	diff_gitpaths(c, old, new, pa, "removed", WIDENS);
}

/* Ops with opcode op (by name) in a but not in b. */
static void
diff_names(struct changes *c, const struct plan *a, const struct plan *b,
    enum plan_opcode op, const char *what, const char *label, enum effect e)
{
	size_t i;

	for (i = 0; i < a->nops; i++)
		if (a->ops[i].op == op &&
		    review_find_op(b, op, a->ops[i].s) == NULL)
			change(c, "env", what,
			    arena_printf("%s %s", label, a->ops[i].s),
			    &a->ops[i].pos, e);
}

static void
diff_env(struct changes *c, const struct plan *old, const struct plan *new)
{
	const struct plan_op *o, *n;
	size_t i;

	diff_names(c, new, old, PLAN_ENV_ALLOW, "added", "allow", WIDENS);
	diff_names(c, old, new, PLAN_ENV_ALLOW, "removed", "allow", NARROWS);
	diff_names(c, old, new, PLAN_ENV_DENY, "removed", "deny", WIDENS);
	diff_names(c, new, old, PLAN_ENV_DENY, "added", "deny", NARROWS);
	diff_names(c, new, old, PLAN_ENV_EXTRA, "added", "extra-from", WIDENS);
	diff_names(
	    c, old, new, PLAN_ENV_EXTRA, "removed", "extra-from", NARROWS);
	/* Set values come from the profile, not from the host's
	 * environment: a change is worth reading, not a widening. */
	diff_names(c, new, old, PLAN_ENV_SET, "added", "set", NEUTRAL);
	diff_names(c, old, new, PLAN_ENV_SET, "removed", "set", NEUTRAL);
	for (i = 0; i < new->nops; i++) {
		n = &new->ops[i];
		if (n->op == PLAN_ENV_SET &&
		    (o = review_find_op(old, PLAN_ENV_SET, n->s)) != NULL &&
		    strcmp(o->src.canon, n->src.canon) != 0)
			change(c, "env", "changed",
			    arena_printf("set %s: %s -> %s", n->s, o->src.canon,
			        n->src.canon),
			    &n->pos, NEUTRAL);
	}
}

/* A yes/no setting that widens access when it turns to wide. */
static void
diff_flag(struct changes *c, const char *area, const char *name, int was,
    int is, int wide, const struct pos *pos)
{
	if (was == is)
		return;
	change(c, area, "changed",
	    arena_printf(
	        "%s: %s -> %s", name, was ? "yes" : "no", is ? "yes" : "no"),
	    pos, is == wide ? WIDENS : NARROWS);
}

/* Items of list a not in list b. */
static void
diff_items(struct changes *c, const char *area, const struct itemlist *a,
    const struct itemlist *b, const char *what, const char *label,
    enum effect e)
{
	size_t i, j;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++)
			if (strcmp(a->v[i].s, b->v[j].s) == 0)
				break;
		if (j == b->n)
			change(c, area, what,
			    arena_printf("%s %s", label, a->v[i].s),
			    &a->v[i].pos, e);
	}
}

/* A limit not set is the host's, which may be anything: unlimited. */
static void
diff_limits(struct changes *c, const struct profile *a, const struct profile *b)
{
	unsigned long long was, is;
	int k;

	for (k = 0; k < LIMIT_MAX; k++) {
		was = a->limits[k].set ? a->limits[k].value : LIMIT_UNLIMITED;
		is = b->limits[k].set ? b->limits[k].value : LIMIT_UNLIMITED;
		if (was == is)
			continue;
		change(c, "process", "changed",
		    arena_printf("limit %s: %s -> %s", limit_name(k),
		        a->limits[k].set ? review_limit_text(was) : "(host's)",
		        b->limits[k].set ? review_limit_text(is) : "(host's)"),
		    b->limits[k].set ? &b->limits[k].pos : &a->limits[k].pos,
		    is > was ? WIDENS : NARROWS);
	}
	/* a limit the launch may go without is a limit a host may not
	 * give: making one optional widens */
	for (k = 0; k < LIMIT_MAX; k++) {
		int wo = a->limits[k].set && a->limits[k].optional;
		int io = b->limits[k].set && b->limits[k].optional;

		if (wo == io || !a->limits[k].set || !b->limits[k].set)
			continue;
		change(c, "process", io ? "added" : "removed",
		    arena_printf("limits-optional %s", limit_name(k)),
		    io ? &b->limits[k].opt_pos : &a->limits[k].opt_pos,
		    io ? WIDENS : NARROWS);
	}
}

/* Whether every host and port entry e matches, c matches too. */
static int
netrule_covers(const struct netrule *c, const struct netrule *e)
{
	size_t cl, el;

	if (c->port != 0 && c->port != e->port)
		return 0;
	switch (c->kind) {
	case NR_NAME:
		return e->kind == NR_NAME && strcmp(c->host, e->host) == 0;
	case NR_WILD:
		if (e->kind != NR_NAME && e->kind != NR_WILD)
			return 0;
		if (e->kind == NR_WILD && strcmp(c->host, e->host) == 0)
			return 1;
		cl = strlen(c->host);
		el = strlen(e->host);
		return el > cl + 1 && e->host[el - cl - 1] == '.' &&
		    strcmp(e->host + el - cl, c->host) == 0;
	case NR_IP4:
		return e->kind == NR_IP4 && memcmp(c->addr, e->addr, 4) == 0;
	case NR_IP6:
		return e->kind == NR_IP6 && memcmp(c->addr, e->addr, 16) == 0;
	}
	return 0;
}

/* The entry of v[0..n) that covers e, or NULL. */
static const struct netentry *
net_covered(const struct netentry *v, size_t n, const struct netentry *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (netrule_covers(&v[i].rule, &e->rule))
			return &v[i];
	return NULL;
}

/*
 * The proxy's lists, where both sides have a list to compare (a jail
 * without a network allows no host; the host's network is compared by
 * its mode alone).  An allow entry that no old one covers widens (a new
 * host, a port or a wildcard wider than before); a deny entry taken
 * away widens too.
 */
static void
diff_hosts(struct changes *c, const struct profile *a, const struct profile *b)
{
	const struct netentry *was;
	size_t i, j, na, nda;

	if (b->network != NET_PROXY || a->network == NET_HOST)
		return;
	na = a->network == NET_PROXY ? a->nnet_allow : 0;
	nda = a->network == NET_PROXY ? a->nnet_deny : 0;
	for (i = 0; i < b->nnet_allow; i++) {
		const struct netentry *e = &b->net_allow[i];

		if (net_covered(a->net_allow, na, e) != NULL)
			continue;
		/* the same host, narrower before: a port or wildcard widened */
		for (j = 0, was = NULL; j < na && was == NULL; j++)
			if (a->net_allow[j].rule.kind == e->rule.kind &&
			    netrule_covers(&e->rule, &a->net_allow[j].rule))
				was = &a->net_allow[j];
		for (j = 0; j < na && was == NULL; j++)
			if (netrule_covers(&e->rule, &a->net_allow[j].rule))
				was = &a->net_allow[j];
		change(c, "network", was != NULL ? "widened" : "added",
		    was != NULL ? arena_printf("allow host %s (was %s)",
		                      e->text, was->text)
		                : arena_printf("allow host %s", e->text),
		    &e->pos, WIDENS);
	}
	for (i = 0; i < na; i++)
		if (net_covered(
		        b->net_allow, b->nnet_allow, &a->net_allow[i]) == NULL)
			change(c, "network", "removed",
			    arena_printf("allow host %s", a->net_allow[i].text),
			    &a->net_allow[i].pos, NARROWS);
	for (i = 0; i < b->nnet_deny; i++) {
		for (j = 0; j < nda; j++)
			if (strcmp(a->net_deny[j].text, b->net_deny[i].text) ==
			    0)
				break;
		if (j == nda)
			change(c, "network", "added",
			    arena_printf("deny host %s", b->net_deny[i].text),
			    &b->net_deny[i].pos, NARROWS);
	}
	for (i = 0; i < nda; i++) {
		for (j = 0; j < b->nnet_deny; j++)
			if (strcmp(a->net_deny[i].text, b->net_deny[j].text) ==
			    0)
				break;
		if (j == b->nnet_deny)
			change(c, "network", "removed",
			    arena_printf("deny host %s", a->net_deny[i].text),
			    &a->net_deny[i].pos, WIDENS);
	}
}

/* Whether allowance e of p lets a launch bind less than some entry of q
 * does not: q has one holding it, as writable if e is. */
static int
launch_mount_covered(const struct profile *q, const struct launch_mount *e)
{
	size_t i;

	for (i = 0; i < q->nlaunch_mounts; i++)
		if (path_within(&e->path, &q->launch_mounts[i].path) &&
		    (q->launch_mounts[i].rw || !e->rw))
			return 1;
	return 0;
}

/* [launch]: a network mode a launch may newly widen to, a shell, a
 * directory no old allowance held widen; the reverse narrows. */
static void
diff_launch(struct changes *c, const struct profile *a, const struct profile *b)
{
	size_t i;
	int m, was, is;

	for (m = 0; m <= NET_PROXY; m++) {
		was = a->launch_net[m] &&
		    network_mode_rank((enum network_mode)m) >
		        network_mode_rank(a->network);
		is = b->launch_net[m] &&
		    network_mode_rank((enum network_mode)m) >
		        network_mode_rank(b->network);
		if (was != is)
			change(c, "launch", is ? "added" : "removed",
			    arena_printf("--jail-network %s",
			        network_mode_name((enum network_mode)m)),
			    is ? &b->launch_net_pos[m] : &a->launch_net_pos[m],
			    is ? WIDENS : NARROWS);
	}
	diff_flag(c, "launch", "--jail-shell", a->launch_shell, b->launch_shell,
	    1, &b->launch_shell_pos);
	for (i = 0; i < b->nlaunch_mounts; i++)
		if (!launch_mount_covered(a, &b->launch_mounts[i]))
			change(c, "launch", "added",
			    arena_printf("--jail-%s %s",
			        b->launch_mounts[i].rw ? "rw" : "ro",
			        b->launch_mounts[i].path.canon),
			    &b->launch_mounts[i].pos, WIDENS);
	for (i = 0; i < a->nlaunch_mounts; i++)
		if (!launch_mount_covered(b, &a->launch_mounts[i]))
			change(c, "launch", "removed",
			    arena_printf("--jail-%s %s",
			        a->launch_mounts[i].rw ? "rw" : "ro",
			        a->launch_mounts[i].path.canon),
			    &a->launch_mounts[i].pos, NARROWS);
}

/* [gui]: a socket turned on, the bus, a name the bus lets through
 * widen; the reverse narrows.  (A name only seen widens too: the jail
 * learns who is on the bus.) */
static void
diff_gui(struct changes *c, const struct profile *a, const struct profile *b)
{
	size_t i;

	for (i = 0; i < GUI_MAX; i++)
		diff_flag(c, "gui", gui_cap_name((enum gui_cap)i), a->gui[i],
		    b->gui[i], 1, b->gui[i] ? &b->gui_pos[i] : &a->gui_pos[i]);
	diff_flag(c, "gui", "session bus (filtered)", a->dbus_on, b->dbus_on, 1,
	    b->dbus_on ? &b->dbus_pos : &a->dbus_pos);
	for (i = 0; i < DBUS_MAX; i++) {
		const char *label =
		    arena_printf("dbus %s", dbus_rule_name((enum dbus_rule)i));

		diff_items(
		    c, "gui", &b->dbus[i], &a->dbus[i], "added", label, WIDENS);
		diff_items(c, "gui", &a->dbus[i], &b->dbus[i], "removed", label,
		    NARROWS);
	}
}

static void
diff_settings(
    struct changes *c, const struct profile *a, const struct profile *b)
{
	int k;

	if (a->network != b->network)
		change(c, "network", "changed",
		    arena_printf("%s -> %s", network_mode_name(a->network),
		        network_mode_name(b->network)),
		    &b->network_pos,
		    network_mode_rank(b->network) >
		            network_mode_rank(a->network)
		        ? WIDENS
		        : NARROWS);
	diff_hosts(c, a, b);
	diff_launch(c, a, b);
	diff_gui(c, a, b);
	/* What counts is whether the host's abstract sockets are
	 * reachable, which takes both settings. */
	diff_flag(c, "network", "host abstract sockets reachable",
	    a->network == NET_HOST && a->abstract_host,
	    b->network == NET_HOST && b->abstract_host, 1, &b->abstract_pos);
	for (k = 0; k < NS_MAX; k++)
		diff_flag(c, "namespace",
		    arena_printf("share %s", review_nsnames[k]), a->share[k],
		    b->share[k], 1, &b->share_pos[k]);
	/* Without it the jail may outlive the launcher's parent. */
	diff_flag(c, "process", "die-with-parent", a->die_with_parent,
	    b->die_with_parent, 0, NULL);
	if ((a->hostname == NULL) != (b->hostname == NULL) ||
	    (a->hostname != NULL && strcmp(a->hostname, b->hostname) != 0))
		change(c, "process", "changed",
		    arena_printf("hostname: %s -> %s",
		        a->hostname ? a->hostname : "(host's)",
		        b->hostname ? b->hostname : "(host's)"),
		    &b->hostname_pos, NEUTRAL);
	diff_flag(c, "process", "nested-sandbox", a->nested_sandbox,
	    b->nested_sandbox, 1, &b->nested_pos);
	diff_flag(c, "seccomp", "filter off", a->seccomp_off, b->seccomp_off, 1,
	    &b->seccomp_pos);
	diff_items(
	    c, "seccomp", &b->sc_allow, &a->sc_allow, "added", "allow", WIDENS);
	diff_items(c, "seccomp", &a->sc_allow, &b->sc_allow, "removed", "allow",
	    NARROWS);
	diff_items(
	    c, "seccomp", &a->sc_deny, &b->sc_deny, "removed", "deny", WIDENS);
	diff_items(
	    c, "seccomp", &b->sc_deny, &a->sc_deny, "added", "deny", NARROWS);
	diff_limits(c, a, b);
	diff_flag(c, "protect", "git.protect-hooks", a->protect_hooks,
	    b->protect_hooks, 0, &b->hooks_pos);
	diff_flag(c, "git", "git.identity host", a->identity == IDENTITY_HOST,
	    b->identity == IDENTITY_HOST, 1, &b->identity_pos);
	if ((a->exec.canon == NULL) != (b->exec.canon == NULL) ||
	    (a->exec.canon != NULL &&
	        strcmp(a->exec.canon, b->exec.canon) != 0))
		change(c, "command", "changed",
		    arena_printf("exec: %s -> %s",
		        a->exec.canon ? a->exec.canon : "(none)",
		        b->exec.canon ? b->exec.canon : "(none)"),
		    &b->exec.pos, NEUTRAL);
}

static const char *const effect_words[] = { "", "widens", "narrows" };

/* The exposure score of a profile (jailc score), in tenths.  Its lint
 * findings are counted, not shown: that is jailc check's work. */
static int
exposure(struct profile *p)
{
	struct lint_score s;
	struct diag *d;
	size_t first, last;

	diag_list(&first);
	lint_profile(p);
	d = diag_list(&last);
	lint_score(d + first, last - first, &s);
	return s.tenths;
}

static void
diff_text(FILE *fp, const struct changes *c, const char *oldf, const char *newf)
{
	struct table t = { NULL, 0, 0 };
	size_t i;

	fprintf(fp, "jailc diff %s %s\n", oldf, newf);
	for (i = 0; i < c->n; i++) {
		const struct change *x = &c->v[i];
		const char *sign = strcmp(x->what, "added") == 0 ? "+"
		    : strcmp(x->what, "removed") == 0            ? "-"
		                                                 : "~";

		review_row(&t, x->area, arena_printf("%s %s", sign, x->text),
		    x->pos->line > 0 ? plan_where(x->pos) : "",
		    effect_words[x->effect], NULL);
	}
	review_table_print(fp, &t);
	fprintf(fp,
	    "score: %d.%d -> %d.%d (%s -> %s; jailc score: higher is "
	    "more exposed)\n",
	    c->score[0] / 10, c->score[0] % 10, c->score[1] / 10,
	    c->score[1] % 10, lint_band(c->score[0]), lint_band(c->score[1]));
	if (c->n == 0)
		fputs("no change in the access granted\n", fp);
	else if (c->widen > 0)
		fprintf(fp, "%zu change%s, %zu widen%s access\n", c->n,
		    c->n == 1 ? "" : "s", c->widen, c->widen == 1 ? "s" : "");
	else
		fprintf(fp, "%zu change%s, none widens access\n", c->n,
		    c->n == 1 ? "" : "s");
}

static void
diff_json(
    struct buf *b, const struct changes *c, const char *oldf, const char *newf)
{
	size_t i;

	buf_puts(b, "{\n  \"old\": ");
	review_jstr(b, oldf);
	buf_puts(b, ",\n  \"new\": ");
	review_jstr(b, newf);
	buf_printf(b, ",\n  \"widens\": %s,\n  \"changes\": [",
	    c->widen > 0 ? "true" : "false");
	for (i = 0; i < c->n; i++) {
		const struct change *x = &c->v[i];

		buf_printf(b, "%s\n    {\"area\": \"%s\", \"change\": \"%s\", ",
		    i > 0 ? "," : "", x->area, x->what);
		buf_puts(b, "\"text\": ");
		review_jstr(b, x->text);
		buf_printf(b, ", \"effect\": \"%s\", ",
		    x->effect == WIDENS        ? "widens"
		        : x->effect == NARROWS ? "narrows"
		                               : "neutral");
		review_jpos(b, x->pos);
		buf_puts(b, "}");
	}
	buf_printf(b,
	    "],\n  \"score\": {\"old\": %d.%d, \"new\": %d.%d, "
	    "\"old_band\": \"%s\", \"new_band\": \"%s\"}\n}\n",
	    c->score[0] / 10, c->score[0] % 10, c->score[1] / 10,
	    c->score[1] % 10, lint_band(c->score[0]), lint_band(c->score[1]));
}

int
review_diff(int argc, char **argv)
{
	struct profile *pa = NULL, *pb = NULL;
	const struct plan *a, *b;
	struct changes c = { NULL, 0, 0, 0, { 0, 0 } };
	enum doc_format in = FORMAT_AUTO;
	int json = 0, i, rc;
	const struct opt opts[] = {
		OPT_FORMAT_TEXT_JSON(&json),
		OPT_INPUT_FORMAT(&in),
		OPT_END,
	};

	if ((rc = opt_parse(argc, argv, opts, usage_diff, &i)) >= 0)
		return rc;
	if (argc - i != 2)
		return opt_usage_error(
		    usage_diff, "two profiles needed, got '%d'", argc - i);
	a = review_load(argv[i], in, &pa);
	b = review_load(argv[i + 1], in, &pb);
	review_flush_diags(2);
	if (a == NULL || b == NULL)
		return 2;
	c.score[0] = exposure(pa);
	c.score[1] = exposure(pb);
	diag_reset();
	diff_mounts(&c, a, b, pa, pb);
	diff_env(&c, a, b);
	diff_settings(&c, pa, pb);
	if (json) {
		struct buf out = { NULL, 0, 0 };

		diff_json(&out, &c, argv[i], argv[i + 1]);
		fwrite(out.s, 1, out.len, stdout);
	} else {
		diff_text(stdout, &c, argv[i], argv[i + 1]);
	}
	return review_finish(c.widen > 0 ? 1 : 0);
}
