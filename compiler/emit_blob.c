/*
 * emit_blob.c - the launch plan as a blob for jailrun (runtime/blob.h).
 *
 * One record per plan op, in plan order, laid out by ptext_build(), the
 * writer jailrun's text reader uses too; the numbering of ops, kinds and
 * variables is the plan's own (both come from runtime/optab.h).
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

static void
set_str(struct pt_op *r, int k, const char *s, size_t len)
{
	r->s[k] = s;
	r->len[k] = s != NULL ? len : 0;
}

static void
set_tmpl(struct pt_op *r, int k, const struct tmpl *t)
{
	set_str(r, k, t->canon, t->canon != NULL ? strlen(t->canon) : 0);
}

/* Bytes as lower-case hex text: strings in the table hold no NUL. */
static const char *
hex(const unsigned char *p, size_t len)
{
	char *s = arena_alloc(2 * len + 1);
	size_t i;

	for (i = 0; i < len; i++)
		snprintf(s + 2 * i, 3, "%02x", p[i]);
	s[2 * len] = '\0';
	return s;
}

/* The plan's op as a blob record: the strings each op uses (blob.h). */
static void
record(struct pt_op *r, const struct plan_op *o)
{
	const char *lim;

	memset(r, 0, sizeof(*r));
	r->op = (unsigned)o->op;
	r->var = (unsigned)o->var;
	r->mode = BLOB_NONE;
	r->fd = o->fd >= 0 ? (uint32_t)o->fd : BLOB_NONE;
	r->where = plan_where(&o->pos);
	switch (o->op) {
	case PLAN_VAR:
	case PLAN_WORKDIR:
	case PLAN_NETPROXY:
	case PLAN_LAUNCH_SHELL:
	case PLAN_GUI_X11:
	case PLAN_GUI_WAYLAND:
	case PLAN_GUI_PIPEWIRE:
	case PLAN_GUI_PULSE:
	case PLAN_DBUS:
		break;
	case PLAN_LAUNCH_MOUNT:
		r->kind = (unsigned)o->mount.kind;
		set_tmpl(r, 0, &o->src);
		break;
	case PLAN_MKDIR:
	case PLAN_MKFILE:
	case PLAN_STATEDIR:
	case PLAN_EXEC:
	case PLAN_EXEC_ARG:
		set_tmpl(r, 0, &o->src);
		break;
	case PLAN_ENV_ALLOW:
	case PLAN_ENV_DENY:
	case PLAN_ENV_EXTRA:
	case PLAN_REDACT:
	case PLAN_ARG:
	case PLAN_SCOPE:
	case PLAN_NIXDAEMON:
	case PLAN_REPORT:
	case PLAN_NETALLOW:
	case PLAN_NETDENY:
	case PLAN_LAUNCH_NET:
	case PLAN_DBUS_TALK:
	case PLAN_DBUS_OWN:
	case PLAN_DBUS_SEE:
		set_str(r, 0, o->s, strlen(o->s));
		break;
	case PLAN_ENV_SET:
		set_str(r, 0, o->s, strlen(o->s));
		set_tmpl(r, 1, &o->src);
		break;
	case PLAN_MOUNT:
		r->kind = (unsigned)o->mount.kind;
		if (o->mount.optional)
			r->flags |= BLOB_OPT_OPTIONAL;
		if (o->mount.mode >= 0)
			r->mode = (uint32_t)o->mount.mode;
		if (o->mount.kind != MOUNT_DATA)
			set_tmpl(r, 0, &o->mount.src);
		set_tmpl(r, 1, &o->dest);
		if (o->mount.kind == MOUNT_DATA)
			set_str(r, 2, o->mount.data, o->mount.datalen);
		break;
	case PLAN_GITCONFIG:
	case PLAN_CHDIR:
		set_tmpl(r, 1, &o->dest);
		break;
	case PLAN_SECCOMP:
		set_str(r, 0, o->s, strlen(o->s));
		set_str(r, 2, hex(o->bpf, o->bpflen), 2 * o->bpflen);
		break;
	case PLAN_LIMIT:
		set_str(r, 0, o->s, strlen(o->s));
		lim = o->limit == LIMIT_UNLIMITED
		    ? "unlimited"
		    : arena_printf("%llu", o->limit);
		set_str(r, 1, lim, strlen(lim));
		if (o->optional)
			r->flags |= BLOB_OPT_OPTIONAL;
		break;
	case PLAN_PROTECT:
	case PLAN_GITPATH:
		r->kind = (unsigned)o->mount.kind;
		if (o->dir)
			r->flags |= BLOB_OPT_DIR;
		set_tmpl(r, 0, &o->src);
		set_str(r, 1, o->s, strlen(o->s));
		if (o->op == PLAN_PROTECT && o->mount.data != NULL)
			set_str(r, 2, o->mount.data, o->mount.datalen);
		break;
	}
}

void
emit_blob(struct buf *b, const struct plan *pl)
{
	struct pt_head h = { .version = JAILC_VERSION,
		.name = pl->name,
		.file = pl->file,
		.bwrap = pl->bwrap,
		.cmdname = pl->command,
		.git = pl->git,
		.flags = pl->cleanup ? BLOB_F_STAYS : 0,
		.argsfd = (uint32_t)pl->argsfd,
		.dbusproxy = pl->dbusproxy };
	struct pt_op *r =
	    arena_alloc((pl->nops > 0 ? pl->nops : 1) * sizeof(*r));
	unsigned char *blob;
	const char *why;
	size_t i, len;

	for (i = 0; i < pl->nops; i++)
		record(&r[i], &pl->ops[i]);
	if (ptext_build(&h, r, pl->nops, &blob, &len, &why) != 0)
		fatal("%s (%zu ops)", why, pl->nops);
	buf_add(b, (const char *)blob, len);
	free(blob);
}

void
emit_exe(struct buf *b, const char *runtime, size_t rlen, const struct plan *pl)
{
	unsigned char t[BLOB_TRAILER_SIZE];
	size_t start;

	buf_add(b, runtime, rlen);
	start = b->len;
	emit_blob(b, pl);
	memcpy(t, BLOB_TRAILER_MAGIC, 8);
	blob_put64(t + 8, (uint64_t)start);
	blob_put64(t + 16, (uint64_t)(b->len - start));
	buf_add(b, (const char *)t, sizeof(t));
}
