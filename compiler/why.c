/*
 * why.c - jailc why: which entry makes a path visible in the jail (or
 * hides it), compared with this host's values, or decides whether a
 * variable passes.
 */
#include <sys/stat.h>

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "doc.h"
#include "profile.h"
#include "plan.h"
#include "protect.h"
#include "opt.h"
#include "review.h"

static const char usage_why[] =
    "usage: jailc why [--format text|json] [--input-format toml|yaml]\n"
    "                 PATH|ENVVAR|HOST[:PORT] FILE\n"
    "\n"
    "Say which entry of the profile makes PATH visible (or hides it) in\n"
    "the jail, decides whether the variable ENVVAR passes, or lets the\n"
    "jail reach HOST (a name with a dot, an IPv4 address, [IPv6], or\n"
    "any of these with :PORT; port 443 when none is given).  PATH is\n"
    "absolute and may use ~ and ${VARIABLES}; it is compared with this\n"
    "host's values.\n"
    "\n"
    "options:\n"
    "  --format text|json         one answer in text (default), or JSON\n"
    "  --input-format toml|yaml   read FILE as this syntax\n"
    "  -h, --help                 show this help\n"
    "\n"
    "exit status: 0 answered, 1 the profile has errors, 2 usage or I/O "
    "error\n";

/* A mount over the path asked about, and the place it is set up. */
struct cover {
	const struct plan_op *o;
	const char *dest;
};

/* What jailc why finds about a path. */
struct why_path {
	const char *path;          /* with this host's values */
	const struct plan_op *top; /* the mount on top there, or NULL */
	const char *dest;          /* where top is set up */
	const char *made; /* "directory" or "file": the launcher makes the
	                   * protected path top pins, missing here */
	struct cover *v;  /* the mounts over it, bottom to top */
	size_t n, cap;
	struct cover *unpinned; /* protections that glob to it but pin
	                         * nothing: what they match is missing */
	size_t nunpinned, capunpinned;
	struct cover refused; /* a link on the way to a protected path,
	                       * which stops the launcher: .dest the link */
};

static void
add_cover(struct cover **v, size_t *n, size_t *cap, const struct plan_op *o,
    const char *dest)
{
	array_reserve(v, cap, *n + 1, sizeof(**v));
	(*v)[*n].o = o;
	(*v)[*n].dest = dest;
	(*n)++;
}

/* Whether mount op i repeats an earlier one here: the launcher binds
 * ${PROJECT_ROOT} and ${WORKTREE} once when they are one directory, and
 * pins a protected path once whichever directory it came through. */
static int
same_as_earlier(
    const struct plan *pl, size_t i, const char *path, const struct host *h)
{
	const struct plan_op *o = &pl->ops[i], *e;
	const char *dest = review_cover_dest(o, path, h), *d;
	size_t j;

	for (j = 0; j < i; j++) {
		e = &pl->ops[j];
		if (e->op == o->op && e->mount.kind == o->mount.kind &&
		    (d = review_cover_dest(e, path, h)) != NULL &&
		    strcmp(d, dest) == 0 &&
		    strcmp(review_mount_source(e, h),
		        review_mount_source(o, h)) == 0)
			return 1;
	}
	return 0;
}

/* Whether w lists already that protection o matches dest but pins
 * nothing (one entry under ${PROJECT_ROOT} and ${CWD}, one place). */
static int
unpinned_already(
    const struct why_path *w, const struct plan_op *o, const char *dest)
{
	size_t i;

	for (i = 0; i < w->nunpinned; i++)
		if (strcmp(w->unpinned[i].dest, dest) == 0 &&
		    strcmp(w->unpinned[i].o->s, o->s) == 0)
			return 1;
	return 0;
}

static void
why_path_find(struct why_path *w, const struct plan *pl, const char *path,
    const struct host *h)
{
	const struct plan_op *o;
	const char *d;
	struct stat st;
	size_t i;

	memset(w, 0, sizeof(*w));
	w->path = path;
	if ((w->top = review_top_mount(pl, path, h)) != NULL)
		w->dest = review_cover_dest(w->top, path, h);
	/* a directory on the way, or as the entry says (jail_pin) */
	if (w->top != NULL && w->top->op == PLAN_PROTECT &&
	    lstat(w->dest, &st) != 0)
		w->made = w->top->dir ||
		        strcmp(w->dest,
		            review_expand(review_mount_dest(w->top), h)) != 0
		    ? "directory"
		    : "file";
	for (i = 0; i < pl->nops; i++) {
		o = &pl->ops[i];
		if (!review_is_mount(o))
			continue;
		if ((d = review_cover_dest(o, path, h)) != NULL) {
			if (!same_as_earlier(pl, i, path, h) &&
			    (o->op != PLAN_PROTECT ||
			        review_pins(review_top_before(pl, i, path, h),
			            path, h)))
				add_cover(&w->v, &w->n, &w->cap, o, d);
		} else if (o->op == PLAN_PROTECT && protect_is_glob(o->s) &&
		    (d = review_glob_dest(o, path, h)) != NULL &&
		    !unpinned_already(w, o, d) &&
		    review_pins(review_top_before(pl, i, path, h), path, h)) {
			add_cover(
			    &w->unpinned, &w->nunpinned, &w->capunpinned, o, d);
		} else if (w->refused.o == NULL &&
		    (d = review_pin_link(o, path, h)) != NULL &&
		    review_path_under(path, d) &&
		    review_pins(review_top_before(pl, i, path, h), path, h)) {
			/* where the jail could replace the link, no pin
			 * can hold it: the launch is refused */
			w->refused.o = o;
			w->refused.dest = d;
		}
	}
}

/* The answer for a path covered by a mount, on one line. */
static void
why_verdict_text(FILE *fp, const struct why_path *w, const struct host *h)
{
	const struct plan_op *top = w->top;
	const char *path = w->path, *dest = w->dest;

	if (w->made != NULL && strcmp(path, dest) == 0) {
		fprintf(fp,
		    "visible, read-only: missing here, the launcher makes "
		    "it %s and pins it\n",
		    strcmp(w->made, "directory") == 0 ? "an empty directory"
		        : top->mount.datalen > 0 ? "a file written by jailc"
		                                 : "an empty file");
		return;
	}
	if (w->made != NULL) {
		fprintf(fp,
		    "not visible: %s is missing here, the launcher makes "
		    "it an empty directory and pins it read-only\n",
		    dest);
		return;
	}
	switch (top->mount.kind) { /* a gitconfig is MOUNT_DATA */
	case MOUNT_RO:
	case MOUNT_RW:
	case MOUNT_DEV_BIND:
		fprintf(fp, "visible, %s, from the host's %s%s\n",
		    top->mount.kind == MOUNT_RO ? "read-only"
		        : top->mount.kind == MOUNT_RW
		        ? "read-write"
		        : "read-write with devices",
		    review_host_path(top, path, h),
		    top->mount.optional ? " (when it exists)" : "");
		break;
	case MOUNT_TMPFS:
	case MOUNT_DIR:
		if (strcmp(path, dest) == 0)
			fputs("visible, an empty directory made in the "
			      "jail\n",
			    fp);
		else
			fprintf(fp,
			    "not visible: hidden by the %s on %s, "
			    "which starts empty\n",
			    review_kind_word(top), dest);
		break;
	case MOUNT_PROC:
	case MOUNT_DEV:
		fprintf(fp, "visible, in the jail's own %s\n", dest);
		break;
	case MOUNT_SYMLINK:
	case MOUNT_DATA:
		if (strcmp(path, dest) == 0)
			fprintf(fp, "visible, %s\n",
			    top->mount.kind == MOUNT_SYMLINK
			        ? arena_printf("a symbolic link to %s",
			              review_expand(&top->src, h))
			        : "a read-only file written by jailc");
		else
			fprintf(fp, "not visible: %s is a %s\n", dest,
			    top->mount.kind == MOUNT_SYMLINK ? "symbolic link"
			                                     : "file");
		break;
	}
}

static void
why_path_text(FILE *fp, const struct profile *p, const struct why_path *w,
    const struct tmpl *q, const struct host *h)
{
	struct table t = { NULL, 0, 0 };
	const struct plan_op *top = w->top, *o;
	const char *path = w->path;
	size_t i;

	fprintf(fp, "%s", q->canon);
	if (strcmp(path, q->canon) != 0)
		fprintf(fp, " (here: %s)", path);
	fputs(": ", fp);
	if (top == NULL) {
		fputs("not visible: no mount covers it (the jail's root is an "
		      "empty tmpfs)\n",
		    fp);
		return;
	}
	why_verdict_text(fp, w, h);
	if (top->op == PLAN_PROTECT)
		fputs(
		    "  (a protected path: pinned where a writable mount holds "
		    "it)\n",
		    fp);
	for (i = 0; i < w->nunpinned; i++) {
		o = w->unpinned[i].o;
		fprintf(fp,
		    "  (not pinned by %s, %s: a pattern pins only what exists "
		    "when the launcher starts, and %s does not exist here)\n",
		    review_expand(review_mount_dest(o), h),
		    review_origin_text(review_op_origin(o, p)),
		    w->unpinned[i].dest);
	}
	if ((o = w->refused.o) != NULL)
		fprintf(fp,
		    "  (the launcher refuses to start: %s is a symbolic link "
		    "where it would pin %s, %s; replace the link, or name it "
		    "in protect.remove)\n",
		    w->refused.dest, review_expand(review_mount_dest(o), h),
		    review_origin_text(review_op_origin(o, p)));
	fputs("mounts covering it, bottom to top (the last decides):\n", fp);
	for (i = 0; i < w->n; i++) {
		o = w->v[i].o;
		review_row(&t, review_kind_word(o), w->v[i].dest,
		    review_mount_source(o, h),
		    review_origin_text(review_op_origin(o, p)),
		    o == top ? "<- decides" : "");
	}
	review_table_print(fp, &t);
}

/* A mount over the path, for --format json: where it is, what it
 * shows, the protected-path entry behind a pin, and its entry. */
static void
why_cover_json(struct buf *b, const struct cover *c, const struct plan_op *top,
    const struct profile *p, const struct host *h)
{
	const struct plan_op *o = c->o;
	const char *src = NULL;

	if (o->op == PLAN_PROTECT)
		src = c->dest; /* bound onto itself */
	else if (review_rank(o) > 0 && o->op != PLAN_GITCONFIG)
		src = review_expand(&o->src, h);
	buf_printf(b, "{\"kind\": \"%s\", \"dest\": ", review_kind_word(o));
	review_jstr(b, c->dest);
	buf_puts(b, ", \"src\": ");
	review_jstr(b, src);
	buf_printf(b, ", \"protect\": %s, \"pattern\": ",
	    o->op == PLAN_PROTECT ? "true" : "false");
	review_jstr(b,
	    o->op == PLAN_PROTECT ? review_expand(review_mount_dest(o), h)
	                          : NULL);
	buf_printf(b, ", \"decides\": %s, ", o == top ? "true" : "false");
	review_jwhere(b, review_op_origin(o, p));
	buf_puts(b, "}");
}

static void
why_path_json(struct buf *b, const char *query, const struct profile *p,
    const struct why_path *w, const struct host *h)
{
	const struct plan_op *top = w->top;
	const char *verdict = "not-mounted", *shows = NULL, *access = NULL;
	const char *from = NULL, *target = NULL;
	int here = top != NULL && strcmp(w->path, w->dest) == 0;
	size_t i;

	if (w->made != NULL) {
		verdict = here ? "visible" : "hidden";
		shows = !here ? NULL
		    : strcmp(w->made, "directory") == 0
		    ? "placeholder-directory"
		    : "placeholder-file";
		access = here ? "read-only" : NULL;
		from = here ? w->dest : NULL;
	} else if (top != NULL) {
		switch (top->mount.kind) { /* a gitconfig is MOUNT_DATA */
		case MOUNT_RO:
		case MOUNT_RW:
		case MOUNT_DEV_BIND:
			verdict = "visible";
			shows = "host";
			access = top->mount.kind == MOUNT_RO ? "read-only"
			    : top->mount.kind == MOUNT_RW
			    ? "read-write"
			    : "read-write-devices";
			from = review_host_path(top, w->path, h);
			break;
		case MOUNT_TMPFS:
		case MOUNT_DIR:
			verdict = here ? "visible" : "hidden";
			shows = here ? "empty-directory" : NULL;
			break;
		case MOUNT_PROC:
		case MOUNT_DEV:
			verdict = "visible";
			shows = review_kind_word(top);
			break;
		case MOUNT_SYMLINK:
			verdict = here ? "visible" : "hidden";
			shows = here ? "symlink" : NULL;
			target = here ? review_expand(&top->src, h) : NULL;
			break;
		case MOUNT_DATA:
			verdict = here ? "visible" : "hidden";
			shows = here ? "file" : NULL;
			access = here ? "read-only" : NULL;
			break;
		}
	}
	buf_puts(b, "{\n  \"query\": ");
	review_jstr(b, query);
	buf_puts(b, ",\n  \"type\": \"path\",\n  \"path\": ");
	review_jstr(b, w->path);
	buf_printf(b, ",\n  \"verdict\": \"%s\",\n  \"shows\": ", verdict);
	review_jstr(b, shows);
	buf_puts(b, ",\n  \"access\": ");
	review_jstr(b, access);
	buf_puts(b, ",\n  \"host_path\": ");
	review_jstr(b, from);
	buf_puts(b, ",\n  \"target\": ");
	review_jstr(b, target);
	buf_printf(b, ",\n  \"optional\": %s,\n  \"protected\": %s",
	    top != NULL && top->mount.optional ? "true" : "false",
	    top != NULL && top->op == PLAN_PROTECT ? "true" : "false");
	buf_puts(b, ",\n  \"entries\": [");
	for (i = 0; i < w->n; i++) {
		buf_puts(b, i > 0 ? ",\n    " : "\n    ");
		why_cover_json(b, &w->v[i], top, p, h);
	}
	buf_puts(b, "],\n  \"unpinned\": [");
	for (i = 0; i < w->nunpinned; i++) {
		buf_puts(b, i > 0 ? ",\n    " : "\n    ");
		buf_puts(b, "{\"pattern\": ");
		review_jstr(
		    b, review_expand(review_mount_dest(w->unpinned[i].o), h));
		buf_puts(b, ", \"missing\": ");
		review_jstr(b, w->unpinned[i].dest);
		buf_puts(b, ", ");
		review_jwhere(b, review_op_origin(w->unpinned[i].o, p));
		buf_puts(b, "}");
	}
	buf_puts(b, "],\n  \"refused\": ");
	if (w->refused.o != NULL) {
		buf_puts(b, "{\"link\": ");
		review_jstr(b, w->refused.dest);
		buf_puts(b, ", \"pattern\": ");
		review_jstr(
		    b, review_expand(review_mount_dest(w->refused.o), h));
		buf_puts(b, ", ");
		review_jwhere(b, review_op_origin(w->refused.o, p));
		buf_puts(b, "}");
	} else {
		buf_puts(b, "null");
	}
	buf_puts(b, "\n}\n");
}

static int
pattern_match(const char *pat, const char *name)
{
	return fnmatch(pat, name, 0) == 0;
}

/* The first op with opcode op whose pattern matches name, or NULL. */
static const struct plan_op *
matching(
    const struct plan *pl, enum plan_opcode op, const char *name, int generated)
{
	size_t i;

	for (i = 0; i < pl->nops; i++)
		if (pl->ops[i].op == op &&
		    (pl->ops[i].pos.line == 0) == generated &&
		    pattern_match(pl->ops[i].s, name))
			return &pl->ops[i];
	return NULL;
}

/* What decides about a variable, in the order the launchers apply
 * the rules. */
enum env_verdict {
	ENV_NEVER,      /* jailc's own denials */
	ENV_LAUNCHER,   /* the launcher sets it: the proxy, the desktop */
	ENV_SET,        /* the profile sets it */
	ENV_DENIED,     /* a deny pattern matches it */
	ENV_PASSES,     /* an allow pattern matches it */
	ENV_EXTRA,      /* only when listed in the extra-from variable */
	ENV_NOT_ALLOWED /* nothing lets it in */
};

static const char *const env_verdict_words[] = { "never", "launcher", "set",
	"denied", "passes", "extra-from", "not-allowed" };

struct why_env {
	enum env_verdict verdict;
	const char *by; /* ENV_LAUNCHER: what makes the launcher set it */
	const struct plan_op *decides; /* NULL for ENV_NOT_ALLOWED */
	const struct plan_op *allow;   /* an allow that a deny overrides */
	const struct plan_op *extra;   /* extra-from, which a deny overrides */
};

/*
 * What makes the launcher set variable name itself, after the profile's
 * rules (so over any value they pass or set), or NULL: the proxy's
 * variables, and the desktop's where the host has the socket (jail(5),
 * NETWORK PROXY and [gui]).
 */
static const char *
launcher_sets(const struct profile *p, const char *name)
{
	static const char *const proxy[] = { "HTTPS_PROXY", "https_proxy",
		"HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
		"NO_PROXY", "no_proxy" };
	size_t i;

	for (i = 0;
	     p->network == NET_PROXY && i < sizeof(proxy) / sizeof(*proxy); i++)
		if (strcmp(name, proxy[i]) == 0)
			return "network.mode = \"proxy\" (the proxy in the "
			       "jail)";
	if (p->gui[GUI_X11] &&
	    (strcmp(name, "DISPLAY") == 0 || strcmp(name, "XAUTHORITY") == 0))
		return "gui.x11, when the host has the display";
	if (p->gui[GUI_WAYLAND] && strcmp(name, "WAYLAND_DISPLAY") == 0)
		return "gui.wayland, when the host has the compositor";
	if (p->gui[GUI_PULSE] && strcmp(name, "PULSE_SERVER") == 0)
		return "gui.pulseaudio, when the host has the socket";
	if (p->dbus_on && strcmp(name, "DBUS_SESSION_BUS_ADDRESS") == 0)
		return "gui.dbus, the proxy's socket, when the host has a bus";
	if (strcmp(name, "XDG_RUNTIME_DIR") == 0)
		for (i = 0; i < GUI_MAX; i++)
			if (p->gui[i] || p->dbus_on)
				return "[gui], when a socket is bound in it";
	return NULL;
}

static void
why_env_find(struct why_env *w, const struct profile *p, const struct plan *pl,
    const char *name)
{
	const struct plan_op *deny, *allow, *extra = NULL, *set;
	size_t i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < pl->nops; i++)
		if (pl->ops[i].op == PLAN_ENV_EXTRA)
			extra = &pl->ops[i];
	if ((w->decides = matching(pl, PLAN_ENV_DENY, name, 1)) != NULL) {
		w->verdict = ENV_NEVER;
	} else if ((w->by = launcher_sets(p, name)) != NULL) {
		w->verdict = ENV_LAUNCHER;
	} else if ((set = review_find_op(pl, PLAN_ENV_SET, name)) != NULL) {
		w->verdict = ENV_SET;
		w->decides = set;
	} else if ((deny = matching(pl, PLAN_ENV_DENY, name, 0)) != NULL) {
		w->verdict = ENV_DENIED;
		w->decides = deny;
		w->allow = matching(pl, PLAN_ENV_ALLOW, name, 0);
		w->extra = extra;
	} else if ((allow = matching(pl, PLAN_ENV_ALLOW, name, 0)) != NULL) {
		w->verdict = ENV_PASSES;
		w->decides = allow;
	} else if (extra != NULL) {
		w->verdict = ENV_EXTRA;
		w->decides = extra;
	} else {
		w->verdict = ENV_NOT_ALLOWED;
	}
}

static void
why_env_text(FILE *fp, const struct profile *p, const struct why_env *w,
    const char *name)
{
	const struct plan_op *d = w->decides;

	switch (w->verdict) {
	case ENV_NEVER:
		fprintf(fp,
		    "%s: never passes: every jail denies PWD, OLDPWD, "
		    "SHLVL and _ (the launcher's own shell state)\n",
		    name);
		break;
	case ENV_LAUNCHER:
		fprintf(fp,
		    "%s: set by the launcher for %s; the host's value never "
		    "passes\n",
		    name, w->by);
		break;
	case ENV_SET:
		fprintf(fp,
		    "%s: set to %s by %s; the host's value never "
		    "passes\n",
		    name, d->src.canon,
		    review_origin_text(review_op_origin(d, p)));
		break;
	case ENV_DENIED:
		fprintf(fp, "%s: does not pass: denied by '%s' at %s", name,
		    d->s, review_origin_text(review_op_origin(d, p)));
		if (w->allow != NULL)
			fprintf(fp, "; deny wins over the allow '%s' at %s",
			    w->allow->s,
			    review_origin_text(review_op_origin(w->allow, p)));
		if (w->extra != NULL)
			fprintf(fp, "; listing it in $%s stops the launch",
			    w->extra->s);
		fputc('\n', fp);
		break;
	case ENV_PASSES:
		fprintf(fp,
		    "%s: passes from the host (when set there): "
		    "allowed by '%s' at %s\n",
		    name, d->s, review_origin_text(review_op_origin(d, p)));
		break;
	case ENV_EXTRA:
		fprintf(fp,
		    "%s: does not pass unless listed in $%s at launch "
		    "(extra-from at %s); no allow pattern matches it\n",
		    name, d->s, review_origin_text(review_op_origin(d, p)));
		break;
	case ENV_NOT_ALLOWED:
		fprintf(fp, "%s: does not pass: no allow pattern matches it\n",
		    name);
		break;
	}
}

/* An environment rule, for --format json, with the words of explain's. */
static void
why_rule_json(struct buf *b, const struct plan_op *o, int decides,
    const struct profile *p)
{
	buf_printf(b, "{\"rule\": \"%s\", \"name\": ",
	    o->op == PLAN_ENV_ALLOW      ? "allow"
	        : o->op == PLAN_ENV_DENY ? "deny"
	        : o->op == PLAN_ENV_SET  ? "set"
	                                 : "extra-from");
	review_jstr(b, o->s);
	buf_puts(b, ", \"value\": ");
	review_jstr(b, o->op == PLAN_ENV_SET ? o->src.canon : NULL);
	buf_printf(b, ", \"decides\": %s, ", decides ? "true" : "false");
	review_jwhere(b, review_op_origin(o, p));
	buf_puts(b, "}");
}

static void
why_env_json(struct buf *b, const struct profile *p, const struct why_env *w,
    const char *name)
{
	const struct plan_op *d = w->decides;
	const char *sep = "\n    ";

	buf_puts(b, "{\n  \"query\": ");
	review_jstr(b, name);
	buf_printf(b, ",\n  \"type\": \"variable\",\n  \"verdict\": \"%s\"",
	    env_verdict_words[w->verdict]);
	buf_puts(b, ",\n  \"value\": ");
	review_jstr(b, w->verdict == ENV_SET ? d->src.canon : NULL);
	buf_puts(b, ",\n  \"by\": ");
	review_jstr(b, w->by);
	buf_puts(b, ",\n  \"entries\": [");
	if (d != NULL) {
		buf_puts(b, sep);
		why_rule_json(b, d, 1, p);
		sep = ",\n    ";
	}
	if (w->allow != NULL) {
		buf_puts(b, sep);
		why_rule_json(b, w->allow, 0, p);
		sep = ",\n    ";
	}
	if (w->extra != NULL) {
		buf_puts(b, sep);
		why_rule_json(b, w->extra, 0, p);
	}
	buf_puts(b, "]\n}\n");
}

/* Whether s is a variable name a launcher could pass: [A-Za-z_][A-Za-z0-9_]*.
 */
static int
env_name(const char *s)
{
	const char *c;

	if (*s == '\0' || (*s >= '0' && *s <= '9'))
		return 0;
	for (c = s; *c != '\0'; c++)
		if (!(*c == '_' || (*c >= 'a' && *c <= 'z') ||
		        (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return 0;
	return 1;
}

/* What jailc why finds about a host. */
struct why_host {
	struct nethost h;
	unsigned port;
	enum netrule_verdict verdict;
	const struct netentry *entry; /* the deciding entry, or NULL */
	const struct netentry *allow; /* an allow entry deny overrides */
};

static void
why_host_find(struct why_host *w, const struct profile *p)
{
	size_t i;

	w->entry = w->allow = NULL;
	w->verdict = NETRULE_NONE;
	if (p->network != NET_PROXY)
		return;
	for (i = 0; i < p->nnet_deny && w->entry == NULL; i++)
		if (netrule_match(&p->net_deny[i].rule, &w->h, w->port)) {
			w->entry = &p->net_deny[i];
			w->verdict = NETRULE_DENY;
		}
	for (i = 0; i < p->nnet_allow; i++)
		if (netrule_match(&p->net_allow[i].rule, &w->h, w->port)) {
			if (w->entry == NULL) {
				w->entry = &p->net_allow[i];
				w->verdict = NETRULE_ALLOW;
			} else if (w->allow == NULL)
				w->allow = &p->net_allow[i];
		}
}

/* The verdict in one word, for JSON. */
static const char *
why_host_word(const struct why_host *w, const struct profile *p)
{
	if (p->network == NET_HOST)
		return "host";
	if (p->network == NET_NONE)
		return "no-network";
	return w->verdict == NETRULE_ALLOW ? "allowed"
	    : w->verdict == NETRULE_DENY   ? "denied"
	                                   : "not-allowed";
}

static void
why_host_text(FILE *fp, const struct profile *p, const struct why_host *w,
    const char *host)
{
	const char *special;

	fprintf(fp, "%s:%u: ", host, w->port);
	switch (p->network) {
	case NET_HOST:
		fputs("reachable: network.mode is \"host\", the host's "
		      "network; no list applies\n",
		    fp);
		return;
	case NET_NONE:
		fputs("not reachable: network.mode is \"none\", loopback "
		      "only\n",
		    fp);
		return;
	case NET_PROXY:
		break;
	}
	switch (w->verdict) {
	case NETRULE_DENY:
		fprintf(fp, "refused: denied by '%s' at %s", w->entry->text,
		    plan_where(&w->entry->pos));
		if (w->allow != NULL)
			fprintf(fp, "; deny wins over the allow '%s' at %s",
			    w->allow->text, plan_where(&w->allow->pos));
		fputc('\n', fp);
		return;
	case NETRULE_NONE:
		fputs("refused: no network.allow entry matches it\n", fp);
		return;
	case NETRULE_ALLOW:
		break;
	}
	fprintf(fp, "allowed by '%s' at %s", w->entry->text,
	    plan_where(&w->entry->pos));
	special = w->h.kind != NR_NAME
	    ? netrule_special(w->h.addr, w->h.kind == NR_IP4)
	    : NULL;
	if (special != NULL)
		fprintf(fp, "; a %s address: the host's own services", special);
	else if (w->h.kind == NR_NAME && w->entry->rule.kind == NR_WILD)
		fputs("; through a wildcard, so not if the name resolves to a "
		      "loopback or private address",
		    fp);
	fputc('\n', fp);
}

static void
why_host_json(struct buf *b, const struct profile *p, const struct why_host *w,
    const char *query, const char *host)
{
	buf_puts(b, "{\"query\": ");
	review_jstr(b, query);
	buf_puts(b, ", \"host\": ");
	review_jstr(b, host);
	buf_printf(b, ", \"port\": %u, \"mode\": ", w->port);
	review_jstr(b, network_mode_name(p->network));
	buf_puts(b, ", \"verdict\": ");
	review_jstr(b, why_host_word(w, p));
	buf_puts(b, ", \"entry\": ");
	if (w->entry == NULL)
		buf_puts(b, "null");
	else {
		buf_puts(b, "{\"entry\": ");
		review_jstr(b, w->entry->text);
		buf_puts(b, ", ");
		review_jpos(b, &w->entry->pos);
		buf_puts(b, "}");
	}
	buf_puts(b, ", \"overridden_allow\": ");
	if (w->allow == NULL)
		buf_puts(b, "null");
	else {
		buf_puts(b, "{\"entry\": ");
		review_jstr(b, w->allow->text);
		buf_puts(b, ", ");
		review_jpos(b, &w->allow->pos);
		buf_puts(b, "}");
	}
	buf_puts(b, "}\n");
}

/* Whether s asks about a host: a dot, a colon or a bracket, which no
 * path or variable name has in that place. */
static int
host_query(const char *s)
{
	return s[0] == '[' || strchr(s, '.') != NULL || strchr(s, ':') != NULL;
}

int
review_why(int argc, char **argv)
{
	struct profile *p = NULL;
	const struct plan *pl;
	const char *what;
	struct buf out = { NULL, 0, 0 };
	struct why_path wp;
	struct why_env we;
	struct why_host wh;
	struct netrule qr;
	char hosttext[NETRULE_TEXTMAX];
	const char *why;
	struct host host;
	struct tmpl q;
	enum doc_format in = FORMAT_AUTO;
	int json = 0, i, rc, is_path, is_host;
	const struct opt opts[] = {
		OPT_FORMAT_TEXT_JSON(&json),
		OPT_INPUT_FORMAT(&in),
		OPT_END,
	};

	if ((rc = opt_parse(argc, argv, opts, usage_why, &i)) >= 0)
		return rc;
	if (argc - i != 2)
		return opt_usage_error(usage_why,
		    "a path or variable name and a profile needed, got '%d "
		    "arguments'",
		    argc - i);
	what = argv[i];
	is_path = what[0] == '/' || what[0] == '~' || what[0] == '$';
	is_host = !is_path && host_query(what);
	if (is_host) {
		if (netrule_parse(what, &qr, &why) != 0)
			return opt_usage_error(
			    usage_why, "not a host: '%s': %s", what, why);
		if (qr.kind == NR_WILD)
			return opt_usage_error(usage_why,
			    "a wildcard is not one host: '%s'", what);
		memset(&wh, 0, sizeof(wh));
		wh.port = qr.port != 0 ? qr.port : 443;
		qr.port = 0;
		if (netrule_format(&qr, hosttext, sizeof(hosttext)) < 0 ||
		    netrule_host(hosttext, &wh.h, &why) != 0)
			return opt_usage_error(
			    usage_why, "not a host: '%s': %s", what, why);
	} else if (!is_path && !env_name(what))
		return opt_usage_error(usage_why,
		    "neither an absolute path nor a variable name: '%s'", what);
	if (is_path && tmpl_parse(&q, what, strlen(what), NULL, 1) != 0)
		return review_flush_diags(2);
	pl = review_load(argv[i + 1], in, &p);
	rc = review_flush_diags(1);
	if (pl == NULL)
		return rc;
	if (is_host) {
		why_host_find(&wh, p);
		if (json)
			why_host_json(&out, p, &wh, what, hosttext);
		else
			why_host_text(stdout, p, &wh, hosttext);
	} else if (is_path) {
		review_host_values(&host, pl);
		why_path_find(&wp, pl, review_expand(&q, &host), &host);
		if (json)
			why_path_json(&out, what, p, &wp, &host);
		else
			why_path_text(stdout, p, &wp, &q, &host);
	} else {
		why_env_find(&we, p, pl, what);
		if (json)
			why_env_json(&out, p, &we, what);
		else
			why_env_text(stdout, p, &we, what);
	}
	if (json)
		fwrite(out.s, 1, out.len, stdout);
	return review_finish(0);
}
