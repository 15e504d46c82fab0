/*
 * emit_shell.c - the launch plan as a bash wrapper around jailrun.
 *
 * The wrapper decides nothing: it hands the plan, in its text form
 * (runtime/plantext.h), to jailrun on a descriptor, by a here-document,
 * and jailrun does what it does with a blob.  Above it, a comment block
 * says what the jail grants, for whoever reviews the wrapper; it is read
 * off the plan and every byte of it is made harmless first (a newline in
 * a file name must not end the comment and start a command).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "profile.h"
#include "plan.h"
#include "emit.h"
#include "../runtime/blob.h"
#include "../runtime/plantext.h"
#include "../runtime/verify.h"

/* The here-document's delimiter: no line of the text form is this, as
 * every line starts with a word of the form, and none is this one. */
#define DELIM "JAILC_PLAN"

/* Printable ASCII of s for a comment line; '?' for anything else. */
static void
comment_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		buf_putc(b,
		    (unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e ? '?'
		                                                         : *s);
}

/* A comment line "#   head: w1 w2 ...", folded before 76 columns. */
static void
comment_list(struct buf *b, const char *head, const char *const *w, size_t n)
{
	size_t i, col, start;

	if (n == 0)
		return;
	start = b->len;
	buf_printf(b, "#   %s:", head);
	col = b->len - start;
	for (i = 0; i < n; i++) {
		if (col + 1 + strlen(w[i]) > 76 && col > 16) {
			buf_puts(b, "\n#      ");
			col = 8;
		}
		start = b->len;
		buf_putc(b, ' ');
		comment_text(b, w[i]);
		col += b->len - start;
	}
	buf_putc(b, '\n');
}

/* The protected paths of one base directory, as a comment list. */
struct prot {
	const char *base;
	const char **paths;
	size_t n;
};

/* What the jail grants, as a reviewer asks it. */
static void
emit_summary(struct buf *b, const struct plan *pl)
{
	const char **rw, **ro, **allow, **set, **deny, **cmd, **bases;
	const char **hosts, **nohosts, **choices, **desk;
	struct prot *prot;
	size_t nrw = 0, nro = 0, nallow = 0, nset = 0, ndeny = 0, ncmd = 0;
	size_t nprot = 0, nhosts = 0, nnohosts = 0, nchoices = 0, ndesk = 0;
	size_t i, j, k;
	size_t n = pl->nops + 1;
	int netns = 0, scope = 0, proxy = 0;

	rw = arena_alloc(n * sizeof(*rw));
	ro = arena_alloc(n * sizeof(*ro));
	allow = arena_alloc(n * sizeof(*allow));
	set = arena_alloc(n * sizeof(*set));
	deny = arena_alloc(n * sizeof(*deny));
	cmd = arena_alloc(n * sizeof(*cmd));
	bases = arena_alloc(n * sizeof(*bases));
	prot = arena_alloc(n * sizeof(*prot));
	hosts = arena_alloc(n * sizeof(*hosts));
	nohosts = arena_alloc(n * sizeof(*nohosts));
	choices = arena_alloc(n * sizeof(*choices));
	desk = arena_alloc(n * sizeof(*desk));
	for (i = 0; i < pl->nops; i++) {
		const struct plan_op *o = &pl->ops[i];

		switch (o->op) {
		case PLAN_MOUNT:
			if (o->mount.kind == MOUNT_RW ||
			    o->mount.kind == MOUNT_DEV_BIND)
				rw[nrw++] = o->dest.canon;
			else if (o->mount.kind == MOUNT_RO)
				ro[nro++] = o->dest.canon;
			break;
		case PLAN_ENV_ALLOW:
			allow[nallow++] = o->s;
			break;
		case PLAN_ENV_DENY:
			/* not the four plan_build adds to every jail */
			if (strcmp(o->s, "PWD") != 0 &&
			    strcmp(o->s, "OLDPWD") != 0 &&
			    strcmp(o->s, "SHLVL") != 0 &&
			    strcmp(o->s, "_") != 0)
				deny[ndeny++] = o->s;
			break;
		case PLAN_ENV_SET:
			set[nset++] = o->s;
			break;
		case PLAN_ARG:
			if (strcmp(o->s, "--unshare-net") == 0)
				netns = 1;
			break;
		case PLAN_PROTECT:
		case PLAN_GITPATH:
			for (j = 0; j < nprot; j++)
				if (strcmp(prot[j].base, o->src.canon) == 0)
					break;
			if (j == nprot) {
				prot[nprot].base = o->src.canon;
				prot[nprot].paths =
				    arena_alloc(n * sizeof(*prot->paths));
				prot[nprot++].n = 0;
			}
			prot[j].paths[prot[j].n++] = o->op == PLAN_GITPATH
			    ? arena_printf("<%s>", o->s)
			    : o->s;
			break;
		case PLAN_SCOPE:
			scope = 1;
			break;
		case PLAN_NETPROXY:
			proxy = 1;
			break;
		case PLAN_NETALLOW:
			hosts[nhosts++] = o->s;
			break;
		case PLAN_NETDENY:
			nohosts[nnohosts++] = o->s;
			break;
		case PLAN_LAUNCH_NET:
			choices[nchoices++] =
			    arena_printf("--jail-network %s", o->s);
			break;
		case PLAN_LAUNCH_SHELL:
			choices[nchoices++] = "--jail-shell";
			break;
		case PLAN_LAUNCH_MOUNT:
			choices[nchoices++] = arena_printf("--jail-%s %s/...",
			    o->mount.kind == MOUNT_RW ? "rw" : "ro",
			    o->src.canon);
			break;
		case PLAN_GUI_X11:
		case PLAN_GUI_WAYLAND:
		case PLAN_GUI_PIPEWIRE:
		case PLAN_GUI_PULSE:
		case PLAN_DBUS:
			desk[ndesk++] = plan_op_name(o->op);
			break;
		case PLAN_DBUS_TALK:
		case PLAN_DBUS_OWN:
		case PLAN_DBUS_SEE:
			desk[ndesk++] =
			    arena_printf("%s %s", plan_op_name(o->op), o->s);
			break;
		case PLAN_EXEC:
		case PLAN_EXEC_ARG:
			cmd[ncmd++] = o->src.canon;
			break;
		case PLAN_VAR:
		case PLAN_WORKDIR:
		case PLAN_MKDIR:
		case PLAN_MKFILE:
		case PLAN_STATEDIR:
		case PLAN_ENV_EXTRA:
		case PLAN_REDACT:
		case PLAN_GITCONFIG:
		case PLAN_CHDIR:
		case PLAN_SECCOMP:
		case PLAN_LIMIT:
		case PLAN_NIXDAEMON:
		case PLAN_REPORT:
			break;
		}
	}
	buf_puts(
	    b, "# What the jail grants (the plan below is the whole of it):\n");
	comment_list(b, "command", cmd, ncmd);
	buf_printf(b, "#   network: %s\n",
	    proxy       ? "through the launcher's proxy, to the hosts below"
	        : netns ? "none (loopback only)"
	        : scope ? "the host's (its abstract unix sockets kept out)"
	                : "the host's");
	if (proxy && nhosts == 0)
		buf_puts(b, "#   hosts allowed: none\n");
	comment_list(b, "hosts allowed", hosts, nhosts);
	comment_list(b, "hosts denied", nohosts, nnohosts);
	comment_list(b, "writable", rw, nrw);
	comment_list(b, "read-only", ro, nro);
	comment_list(b, "environment passed", allow, nallow);
	comment_list(b, "environment set", set, nset);
	comment_list(b, "environment never passed", deny, ndeny);
	comment_list(b, "desktop", desk, ndesk);
	comment_list(b, "a launch may choose", choices, nchoices);
	/* Bases with the same protected paths share one list. */
	for (i = 0; i < nprot; i++) {
		size_t nb = 0;

		if (prot[i].base == NULL)
			continue;
		bases[nb++] = prot[i].base;
		for (j = i + 1; j < nprot; j++) {
			if (prot[j].base == NULL || prot[j].n != prot[i].n)
				continue;
			for (k = 0; k < prot[i].n; k++)
				if (strcmp(prot[i].paths[k],
				        prot[j].paths[k]) != 0)
					break;
			if (k == prot[i].n) {
				bases[nb++] = prot[j].base;
				prot[j].base = NULL;
			}
		}
		comment_list(b, "kept read-only in", bases, nb);
		comment_list(b, "  these paths", prot[i].paths, prot[i].n);
	}
}

void
emit_text(struct buf *b, const struct plan *pl)
{
	struct buf blob = { NULL, 0, 0 };
	const char *why;
	char *text;
	size_t tlen;

	emit_blob(&blob, pl);
	/* The compiler's own output: a failure here is a bug in jailc. */
	if (run_verify((const unsigned char *)blob.s, blob.len, &why) != 0)
		fatal("internal error: the plan does not verify: %s", why);
	if (ptext_write(
	        (const unsigned char *)blob.s, blob.len, &text, &tlen) != 0)
		fatal("out of memory");
	buf_add(b, text, tlen);
	free(text);
}

void
emit_shell(
    struct buf *b, const struct plan *pl, const char *jailrun, int standalone)
{
	if (standalone)
		buf_puts(b, "#!/bin/sh\n");
	buf_puts(b, "# The launcher of jail \"");
	comment_text(b, pl->name);
	buf_printf(b, "\", generated by jailc %s from ", JAILC_VERSION);
	comment_text(b, pl->file);
	buf_puts(b,
	    ".\n"
	    "# Do not edit: change the profile and compile it again.  "
	    "jailrun(1)\n"
	    "# reads the plan below and runs the jail; jailc(1) lists the\n"
	    "# launcher's flags, jailblob(5) the plan's words.\n"
	    "#\n");
	emit_summary(b, pl);
	/* An exported function named exec would run instead of the
	 * builtin: in POSIX mode, which this assignment turns on without
	 * running any command, special builtins come before functions. */
	buf_puts(b,
	    "\n# shellcheck disable=SC2034 # bash reads it\n"
	    "POSIXLY_CORRECT=${POSIXLY_CORRECT-y}\n"
	    "exec ");
	sh_quote(b, jailrun, strlen(jailrun));
	buf_puts(b, " --plan-fd 3 \"$0\" \"$@\" 3<<'" DELIM "'\n");
	emit_text(b, pl);
	buf_puts(b, DELIM "\n");
}

void
sh_quote(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_putc(b, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, s[i]);
	}
	buf_putc(b, '\'');
}
