/*
 * plan.c - lower the profile IR into the launch plan (plan.h).
 *
 * Every decision a launcher makes is taken here: which variables to
 * resolve, which mounts jailc generates (gitconfig, protected git files,
 * the work and state directories) and where they go in the mount order,
 * which namespaces to unshare, how the environment is assembled.  The
 * emitters only translate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "diag.h"
#include "profile.h"
#include "protect.h"
#include "plan.h"
#include "seccomp.h"

/*
 * Names whose values --jail-dry-run hides, as globs over the name in
 * upper case.  A superset of what lint calls a secret: showing a value
 * that is harmless costs nothing, showing a key costs the key.
 */
static const char *const redact[] = {
	"*TOKEN*",
	"*SECRET*",
	"*PASSW*",
	"*PASSPHRASE*",
	"*CREDENTIAL*",
	"*API_KEY*",
	"*APIKEY*",
	"*PRIVATE*",
	"*ACCESS_KEY*",
	"*_KEY",
	"*AUTH*",
	"*COOKIE*",
	"*SESSION*",
	"AWS_*",
	"DATABASE_URL",
};

/* Variables that describe the launching shell (jail(5), LAUNCH). */
static const char *const shell_state[] = { "PWD", "OLDPWD", "SHLVL", "_" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A mount on its way into the plan: a profile mount or a generated one. */
struct pmount {
	enum plan_opcode op; /* PLAN_MOUNT or PLAN_GITCONFIG */
	struct mount m;
	int rank;
	size_t depth, seq;
};

static struct plan_op *
add(struct plan *pl, enum plan_opcode op, const struct pos *pos)
{
	struct plan_op *o;

	array_reserve(&pl->ops, &pl->capops, pl->nops + 1, sizeof(*pl->ops));
	o = &pl->ops[pl->nops++];
	memset(o, 0, sizeof(*o));
	o->op = op;
	o->fd = -1;
	if (pos != NULL)
		o->pos = *pos;
	return o;
}

/* A template jailc writes itself; the text is known to parse. */
static struct tmpl
gen_tmpl(const char *s, const struct pos *pos)
{
	struct tmpl t;

	if (tmpl_parse(&t, s, strlen(s), pos, 1) != 0)
		fatal("internal error: generated path '%s' does not parse", s);
	return t;
}

static void
mark_vars(unsigned *need, const struct tmpl *t)
{
	size_t i;

	for (i = 0; i < t->nparts; i++)
		if (t->parts[i].var != VAR_NONE)
			*need |= 1u << t->parts[i].var;
}

static int
pmount_cmp(const void *a, const void *b)
{
	const struct pmount *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
push_mount(struct pmount **v, size_t *n, size_t *cap, enum plan_opcode op,
    const struct mount *m)
{
	struct pmount *pm;

	array_reserve(v, cap, *n + 1, sizeof(**v));
	pm = &(*v)[*n];
	pm->op = op;
	pm->m = *m;
	mount_order_key(&m->dest, &pm->rank, &pm->depth);
	pm->seq = (*n)++;
}

/*
 * The profile's mounts plus the ones jailc generates, in launch order.
 * The profile's are already sorted; the generated ones join them under
 * the same key, so a gitconfig in the home directory lands after the
 * home tmpfs.  The protected paths come after all of them (add_protect).
 */
static struct pmount *
all_mounts(const struct profile *p, size_t *np)
{
	struct pmount *v = NULL;
	size_t n = 0, cap = 0, i;
	struct pos gen = { p->file, 0, 0 };
	struct mount m;

	for (i = 0; i < p->nmounts; i++)
		push_mount(&v, &n, &cap, PLAN_MOUNT, &p->mounts[i]);
	if (p->workdir) {
		memset(&m, 0, sizeof(m));
		m.kind = MOUNT_RW;
		m.src = m.dest = gen_tmpl("${WORKDIR}", &gen);
		m.mode = -1;
		m.pos = gen;
		push_mount(&v, &n, &cap, PLAN_MOUNT, &m);
	}
	if (p->per_project.canon != NULL) {
		memset(&m, 0, sizeof(m));
		m.kind = MOUNT_RW;
		m.src = m.dest = p->per_project;
		m.create = CREATE_DIR;
		m.mode = -1;
		m.pos = p->per_project.pos;
		push_mount(&v, &n, &cap, PLAN_MOUNT, &m);
	}
	if (p->identity == IDENTITY_HOST) {
		memset(&m, 0, sizeof(m));
		m.kind = MOUNT_DATA;
		m.dest = gen_tmpl("${HOME}/.gitconfig", &gen);
		m.mode = -1;
		m.pos = gen;
		push_mount(&v, &n, &cap, PLAN_GITCONFIG, &m);
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), pmount_cmp);
	*np = n;
	return v;
}

/*
 * profile.c already refused two profile mounts on one destination; a
 * generated mount can still land on a profile's (a hand-written
 * ~/.gitconfig next to git.identity = "host").  There are at most four
 * generated mounts, so each is compared with every mount.
 */
static int
check_generated(const struct pmount *v, size_t n, size_t nprofile)
{
	size_t i, j;
	int errors = 0;

	for (i = 0; i < n; i++)
		for (j = 0; j < n && v[i].seq >= nprofile; j++) {
			const char *why;

			/* each pair once: generated i against profile j, or
			 * against a generated j that comes later */
			if (j == i || (v[j].seq >= nprofile && j < i))
				continue;
			if (strcmp(v[i].m.dest.canon, v[j].m.dest.canon) != 0)
				continue;
			why = v[i].op == PLAN_GITCONFIG
			    ? "git.identity = \"host\""
			    : "the [state] table";
			diag(&v[j].m.pos, E_MOUNT_DUPLICATE,
			    "%s (%s puts a mount there)", v[j].m.dest.canon,
			    why);
			errors++;
		}
	return errors;
}

static void
add_protect_op(struct plan *pl, const char *base, const char *rel, int pin_rw,
    const char *content, const struct pos *pos)
{
	struct plan_op *o = add(pl, PLAN_PROTECT, pos);
	size_t len = strlen(rel);

	o->src = gen_tmpl(base, pos);
	o->mount.kind = pin_rw ? MOUNT_RW : MOUNT_RO;
	o->s =
	    len > 0 && rel[len - 1] == '/' ? arena_strndup(rel, len - 1) : rel;
	o->dir = content == NULL;
	if (content != NULL && content[0] != '\0') {
		o->mount.data = content;
		o->mount.datalen = strlen(content);
	}
}

/* A git: entry: read in the checkout at base, pinned as a directory. */
static void
add_protect_git_op(
    struct plan *pl, const char *base, const char *key, const struct pos *pos)
{
	struct plan_op *o = add(pl, PLAN_GITPATH, pos);

	o->src = gen_tmpl(base, pos);
	o->mount.kind = MOUNT_RO;
	o->s = key;
	o->dir = 1;
}

/*
 * The protected paths, after every mount: a profile mount of ${CWD} (the
 * project's top, often) would otherwise bind the project again over
 * them.  Each entry once for each directory it is relative to, the
 * shipped list first, then protect.add; the launcher pins only what a
 * writable bind covers, and each path once.
 */
static void
add_protect(struct plan *pl, const struct profile *p)
{
	static const char *const project[] = { "${PROJECT_ROOT}", "${WORKTREE}",
		"${CWD}" };
	struct pos gen = { p->file, 0, 0 };
	const struct protect_entry *e;
	enum protect_base base;
	const char *rel, *dir, *written;
	size_t b, i;
	int home;

	for (b = 0; b <= NELEM(project); b++) {
		home = b == NELEM(project);
		dir = home ? "${HOME}" : project[b];
		for (i = 0; i < protect_count; i++) {
			e = &protect_list[i];
			written = protect_written(e);
			if (profile_unprotected(p, written))
				continue;
			/* git resolves a relative hooks path in the
			 * checkout it runs in, never in CWD below it */
			if (e->base == PROTECT_GIT) {
				if (!home && b < 2)
					add_protect_git_op(
					    pl, dir, e->path, &gen);
				continue;
			}
			if ((e->base == PROTECT_HOME) != home)
				continue;
			add_protect_op(
			    pl, dir, e->path, e->pin_rw, e->content, &gen);
		}
		for (i = 0; i < p->protect_add.n; i++) {
			const struct item *it = &p->protect_add.v[i];

			rel = protect_split(it->s, &base);
			if ((base == PROTECT_HOME) != home ||
			    profile_unprotected(p, it->s))
				continue;
			add_protect_op(pl, dir, rel, 0,
			    protect_added_content(rel), &it->pos);
		}
	}
}

/* Variables a variable's value is computed from directly (jail(5),
 * VARIABLES): runtime/optab.h's VARTAB, numbered as enum var. */
static unsigned
var_deps(enum var v)
{
	static const unsigned deps[VAR_MAX] = {
#define X(id, d) [VAR_##id] = (d),
		VARTAB(X)
#undef X
	};

	return v < VAR_MAX ? deps[v] : 0;
}

/* Canonical template text for a literal: '$' doubled. */
static const char *
dollars(const char *s)
{
	struct buf b = { NULL, 0, 0 };

	buf_add(&b, "", 0);
	for (; *s != '\0'; s++)
		buf_puts(&b, *s == '$' ? "$$" : (char[]){ *s, '\0' });
	return b.s;
}

/* Insert PATH from -D into the sorted set list, replacing the profile's. */
static struct envset *
env_with_path(const struct profile *p, const char *path, size_t *np)
{
	struct envset *v = arena_alloc((p->nenv_set + 1) * sizeof(*v));
	struct pos gen = { p->file, 0, 0 };
	size_t i, n = 0;
	int done = 0;

	for (i = 0; i <= p->nenv_set; i++) {
		const struct envset *e =
		    i < p->nenv_set ? &p->env_set[i] : NULL;
		int c = e != NULL ? strcmp(e->name, "PATH") : 1;

		if (!done && path != NULL && c >= 0) {
			v[n].name = "PATH";
			memset(&v[n].value, 0, sizeof(v[n].value));
			v[n].value.parts =
			    arena_alloc(sizeof(struct tmpl_part));
			v[n].value.parts[0].var = VAR_NONE;
			v[n].value.parts[0].text = path;
			v[n].value.parts[0].len = strlen(path);
			v[n].value.nparts = 1;
			v[n].value.canon = dollars(path);
			v[n].value.pos = gen;
			v[n].pos = gen;
			n++;
			done = 1;
			if (c == 0)
				continue;
		}
		if (e != NULL)
			v[n++] = *e;
	}
	*np = n;
	return v;
}

struct plan *
plan_build(const struct profile *p, const struct plan_defs *defs)
{
	struct plan *pl = arena_alloc(sizeof(*pl));
	struct pos gen = { p->file, 0, 0 };
	struct pmount *mounts;
	struct envset *set;
	struct seccomp_filter filter;
	const struct pos *npos;
	unsigned need = 0;
	static const enum plan_opcode gui_ops[GUI_MAX] = { PLAN_GUI_X11,
		PLAN_GUI_WAYLAND, PLAN_GUI_PIPEWIRE, PLAN_GUI_PULSE };
	static const enum plan_opcode dbus_ops[DBUS_MAX] = { PLAN_DBUS_TALK,
		PLAN_DBUS_OWN, PLAN_DBUS_SEE };
	size_t nmounts, nset, i, j, nbind;
	int v, fd, errors = 0;
	const char *base;

	base = strrchr(p->file, '/');
	base = base != NULL ? base + 1 : p->file;
	pl->name =
	    p->name != NULL ? p->name : arena_strndup(base, strcspn(base, "."));
	pl->file = p->file;
	pl->argsfd = 3;
	pl->bwrap = defs->bwrap != NULL ? defs->bwrap : "bwrap";
	pl->git = defs->git;
	pl->dbusproxy = defs->dbusproxy;
	pl->cleanup = p->workdir;
	pl->command = p->exec.canon;

	if (p->exec.canon == NULL) {
		diag(&gen, E_NO_COMMAND, NULL);
		return NULL;
	}

	mounts = all_mounts(p, &nmounts);
	if (check_generated(mounts, nmounts, p->nmounts) > 0)
		return NULL;
	set = env_with_path(p, defs->path, &nset);

	/* Which variables the launcher resolves: the ones used, the ones
	 * they are computed from, CWD, where the command starts, and HOME. */
	need |= 1u << VAR_CWD;
	need |= 1u << VAR_HOME; /* writable binds are checked against it */
	/* the protected paths are relative to these */
	need |= 1u << VAR_PROJECT_ROOT | 1u << VAR_WORKTREE;
	mark_vars(&need, &p->exec);
	for (i = 0; i < p->nargs; i++)
		mark_vars(&need, &p->args[i]);
	for (i = 0; i < nset; i++)
		mark_vars(&need, &set[i].value);
	for (i = 0; i < nmounts; i++) {
		mark_vars(&need, &mounts[i].m.src);
		mark_vars(&need, &mounts[i].m.dest);
	}
	for (i = 0; i < p->nlaunch_mounts; i++)
		mark_vars(&need, &p->launch_mounts[i].path);
	if (p->identity == IDENTITY_HOST)
		need |= 1u << VAR_PROJECT_ROOT; /* safe.directory */
	/* where the desktop's sockets are, on the host and in the jail */
	for (i = 0; i < GUI_MAX; i++)
		if (p->gui[i] || p->dbus_on)
			need |= 1u << VAR_XDG_RUNTIME_DIR;
	if (p->gui[GUI_X11])
		need |= 1u << VAR_DISPLAY | 1u << VAR_XAUTHORITY;
	if (p->gui[GUI_WAYLAND])
		need |= 1u << VAR_WAYLAND_DISPLAY;
	for (v = VAR_MAX - 1; v > VAR_NONE; v--)
		if (need & 1u << v)
			need |= var_deps((enum var)v);

	/* tmpl_parse() refused NUL bytes in every template; data content
	 * is not a template, and bash cannot hold a NUL either. */
	for (i = 0; i < nmounts; i++) {
		const struct mount *m = &mounts[i].m;

		if (m->data != NULL &&
		    memchr(m->data, '\0', m->datalen) != NULL) {
			diag(&m->pos, E_NUL, NULL);
			errors++;
		}
	}
	if (errors > 0)
		return NULL;

	/* 1. Variables, in enum order: every one after those it needs. */
	for (v = VAR_NONE + 1; v < VAR_MAX; v++)
		if (need & 1u << v && v != VAR_WORKDIR)
			add(pl, PLAN_VAR, &gen)->var = (enum var)v;
	if (p->workdir)
		add(pl, PLAN_WORKDIR, &gen)->var = VAR_WORKDIR;

	/* 2. Host directories and files to create, parents first. */
	for (i = 0; i < nmounts; i++)
		if (mounts[i].op == PLAN_MOUNT &&
		    mounts[i].m.create != CREATE_NONE)
			add(pl,
			    mounts[i].m.create == CREATE_FILE ? PLAN_MKFILE
			                                      : PLAN_MKDIR,
			    &mounts[i].m.pos)
			    ->src = mounts[i].m.src;

	/* The per-project directory says whose it is (jailc state). */
	if (p->per_project.canon != NULL)
		add(pl, PLAN_STATEDIR, &p->per_project.pos)->src =
		    p->per_project;

	/* 4. The environment. */
	for (i = 0; i < p->env_allow.n; i++)
		add(pl, PLAN_ENV_ALLOW, &p->env_allow.v[i].pos)->s =
		    p->env_allow.v[i].s;
	for (i = 0; i < p->env_deny.n; i++)
		add(pl, PLAN_ENV_DENY, &p->env_deny.v[i].pos)->s =
		    p->env_deny.v[i].s;
	/* The launcher's own shell state, not the host's: the shell
	 * wrapper's bash rewrites PWD, SHLVL and _ when it starts, so that
	 * neither form of launcher passes them on, or the two would differ. */
	for (i = 0; i < NELEM(shell_state); i++)
		add(pl, PLAN_ENV_DENY, &gen)->s = shell_state[i];
	if (p->extra_from.s != NULL)
		add(pl, PLAN_ENV_EXTRA, &p->extra_from.pos)->s =
		    p->extra_from.s;
	for (i = 0; i < nset; i++) {
		struct plan_op *o = add(pl, PLAN_ENV_SET, &set[i].pos);

		o->s = set[i].name;
		o->src = set[i].value;
	}
	for (i = 0; i < NELEM(redact); i++)
		add(pl, PLAN_REDACT, &gen)->s = redact[i];

	/* 5. Namespaces and process options. */
	if (!p->share[NS_USER])
		add(pl, PLAN_ARG, &gen)->s = "--unshare-user";
	if (!p->share[NS_IPC])
		add(pl, PLAN_ARG, &gen)->s = "--unshare-ipc";
	if (!p->share[NS_PID])
		add(pl, PLAN_ARG, &gen)->s = "--unshare-pid";
	if (!p->share[NS_UTS])
		add(pl, PLAN_ARG, &gen)->s = "--unshare-uts";
	/* Kernels without cgroup namespaces still run the jail. */
	if (!p->share[NS_CGROUP])
		add(pl, PLAN_ARG, &gen)->s = "--unshare-cgroup-try";
	/* proxy: the jail's own namespace too, reached only through the
	 * launcher's proxy */
	if (p->network != NET_HOST)
		add(pl, PLAN_ARG, &p->network_pos)->s = "--unshare-net";
	/* No user namespaces below the jail's own unless the profile
	 * wants a nested sandbox.  bwrap does this in the user namespace
	 * it makes, so a shared one keeps only the seccomp rule. */
	if (!p->nested_sandbox && !p->share[NS_USER])
		add(pl, PLAN_ARG, &gen)->s = "--disable-userns";
	/* bwrap keeps root's capabilities in the jail unless told; a user
	 * has none to drop, and the option costs nothing then. */
	add(pl, PLAN_ARG, &gen)->s = "--cap-drop";
	add(pl, PLAN_ARG, &gen)->s = "ALL";
	if (p->die_with_parent)
		add(pl, PLAN_ARG, &gen)->s = "--die-with-parent";
	if (p->hostname != NULL) {
		add(pl, PLAN_ARG, &gen)->s = "--hostname";
		add(pl, PLAN_ARG, &gen)->s = p->hostname;
	}

	/* The mounts, each data file with its own descriptor. */
	fd = pl->argsfd + 1;
	for (i = 0; i < nmounts; i++) {
		const struct pmount *pm = &mounts[i];
		struct plan_op *o = add(pl, pm->op, &pm->m.pos);

		o->mount = pm->m;
		o->dest = pm->m.dest;
		o->src = pm->m.src;
		if (pm->m.kind == MOUNT_DATA)
			o->fd = fd++;
	}

	/* The Nix daemon's socket runs code as root for a client it
	 * trusts: whatever bind hands it over (the values are known only
	 * at launch), the launcher asks.  The op points at a mount that
	 * names it, if one does. */
	for (i = 0, npos = NULL, nbind = 0; i < nmounts; i++) {
		const struct mount *m = &mounts[i].m;

		if (mounts[i].op != PLAN_MOUNT ||
		    (m->kind != MOUNT_RO && m->kind != MOUNT_RW &&
		        m->kind != MOUNT_DEV_BIND))
			continue;
		nbind++;
		if (npos == NULL && tmpl_holds_nix_socket(&m->src))
			npos = &m->pos;
	}
	if (nbind > 0)
		add(pl, PLAN_NIXDAEMON, npos != NULL ? npos : &gen)->s =
		    OPTAB_NIX_SOCKET;

	add_protect(pl, p);
	/* what the jail left at a protected path fails the launch too */
	if (p->protect_fail)
		add(pl, PLAN_REPORT, &p->protect_fail_pos)->s = "fail";

	/* The filter, on the descriptor after the data files'. */
	if (seccomp_build(p, &filter) != 0)
		return NULL;
	if (filter.len > 0) {
		struct plan_op *o = add(pl, PLAN_SECCOMP,
		    p->seccomp_pos.file != NULL ? &p->seccomp_pos : &gen);

		o->s = filter.arch;
		o->bpf = filter.bpf;
		o->bpflen = filter.len;
		o->fd = fd++;
	}
	/* The limits; no core dumps unless the profile wants them. */
	for (i = 0; i < LIMIT_MAX; i++) {
		const struct limit *lim = &p->limits[i];
		struct plan_op *o;

		if (!lim->set && i != LIMIT_CORE)
			continue;
		o = add(pl, PLAN_LIMIT, lim->set ? &lim->pos : &gen);
		o->s = limit_name((enum limit_res)i);
		o->limit = lim->set ? lim->value : 0;
		o->optional = lim->set && lim->optional;
	}
	/* The host's network namespace holds its abstract unix sockets,
	 * which no mount can hide. */
	if (p->network == NET_HOST && !p->abstract_host)
		add(pl, PLAN_SCOPE,
		    p->abstract_pos.line != 0 ? &p->abstract_pos
		                              : &p->network_pos)
		    ->s = "abstract-unix-socket";
	/* The proxy's rules: its own namespace keeps the abstract sockets
	 * out, so no scope is needed on any kernel. */
	if (p->network == NET_PROXY) {
		add(pl, PLAN_NETPROXY, &p->network_pos);
		for (i = 0; i < p->nnet_allow; i++)
			add(pl, PLAN_NETALLOW, &p->net_allow[i].pos)->s =
			    p->net_allow[i].text;
		for (i = 0; i < p->nnet_deny; i++)
			add(pl, PLAN_NETDENY, &p->net_deny[i].pos)->s =
			    p->net_deny[i].text;
	}

	/* The desktop's sockets, after the profile's mounts, and the
	 * filtered bus (jail(5), [gui]). */
	for (i = 0; i < GUI_MAX; i++)
		if (p->gui[i])
			add(pl, gui_ops[i], &p->gui_pos[i]);
	if (p->dbus_on) {
		add(pl, PLAN_DBUS, &p->dbus_pos);
		for (i = 0; i < DBUS_MAX; i++)
			for (j = 0; j < p->dbus[i].n; j++)
				add(pl, dbus_ops[i], &p->dbus[i].v[j].pos)->s =
				    p->dbus[i].v[j].s;
	}

	/* What a launch may choose beyond narrowing (jail(5), [launch]). */
	for (i = 0; i < NELEM(p->launch_net); i++)
		if (p->launch_net[i] &&
		    network_mode_rank((enum network_mode)i) >
		        network_mode_rank(p->network))
			add(pl, PLAN_LAUNCH_NET, &p->launch_net_pos[i])->s =
			    network_mode_name((enum network_mode)i);
	if (p->launch_shell)
		add(pl, PLAN_LAUNCH_SHELL, &p->launch_shell_pos);
	for (i = 0; i < p->nlaunch_mounts; i++) {
		struct plan_op *o =
		    add(pl, PLAN_LAUNCH_MOUNT, &p->launch_mounts[i].pos);

		o->src = p->launch_mounts[i].path;
		o->mount.kind = p->launch_mounts[i].rw ? MOUNT_RW : MOUNT_RO;
	}

	add(pl, PLAN_CHDIR, &gen)->dest = gen_tmpl("${CWD}", &gen);

	/* 6. The command. */
	add(pl, PLAN_EXEC, &p->exec.pos)->src = p->exec;
	for (i = 0; i < p->nargs; i++)
		add(pl, PLAN_EXEC_ARG, &p->args[i].pos)->src = p->args[i];
	return pl;
}

const char *
plan_where(const struct pos *pos)
{
	const char *f = pos->file != NULL ? pos->file : "";
	const char *slash = strrchr(f, '/');

	if (slash != NULL)
		f = slash + 1;
	return pos->line > 0 ? arena_printf("%s:%u", f, pos->line)
	                     : arena_printf("%s (generated)", f);
}

const char *
plan_op_name(enum plan_opcode op)
{
	static const char *const names[] = {
#define X(id, name, need, tmpl, opts) [PLAN_##id] = name,
		OPTAB(X)
#undef X
	};

	return (size_t)op < NELEM(names) ? names[op] : "?";
}

const char *
plan_mount_option(enum mount_kind kind, int optional)
{
	static const char *const opt[][2] = {
#define X(id, word, bw, bwtry, need, opts) [MOUNT_##id] = { bw, bwtry },
		MKTAB(X)
#undef X
	};

	return optional && opt[kind][1] != NULL ? opt[kind][1] : opt[kind][0];
}
