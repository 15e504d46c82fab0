/*
 * emit_blob.c - the launch plan as a blob for jailrun (runtime/blob.h).
 *
 * One record per plan op, in plan order, with its strings in a table;
 * the numbering of ops, kinds and variables is the plan's own, which the
 * assertions below hold to.
 */
#include <string.h>

#include "util.h"
#include "profile.h"
#include "plan.h"
#include "emit.h"
#include "../runtime/blob.h"

/* The blob's numbering is the plan's and the IR's own. */
#define SAME(a, b) ((int)(a) == (int)(b))
_Static_assert(SAME(BLOB_VAR, PLAN_VAR) && SAME(BLOB_WORKDIR, PLAN_WORKDIR) &&
        SAME(BLOB_MKDIR, PLAN_MKDIR) && SAME(BLOB_ENV_ALLOW, PLAN_ENV_ALLOW) &&
        SAME(BLOB_ENV_DENY, PLAN_ENV_DENY) &&
        SAME(BLOB_ENV_EXTRA, PLAN_ENV_EXTRA) &&
        SAME(BLOB_ENV_SET, PLAN_ENV_SET) && SAME(BLOB_REDACT, PLAN_REDACT) &&
        SAME(BLOB_ARG, PLAN_ARG) && SAME(BLOB_MOUNT, PLAN_MOUNT) &&
        SAME(BLOB_GITCONFIG, PLAN_GITCONFIG) &&
        SAME(BLOB_PROTECT, PLAN_PROTECT) && SAME(BLOB_CHDIR, PLAN_CHDIR) &&
        SAME(BLOB_EXEC, PLAN_EXEC) && SAME(BLOB_EXEC_ARG, PLAN_EXEC_ARG) &&
        SAME(BLOB_SECCOMP, PLAN_SECCOMP) && SAME(BLOB_LIMIT, PLAN_LIMIT) &&
        SAME(BLOB_SCOPE, PLAN_SCOPE) && SAME(BLOB_GITPATH, PLAN_GITPATH) &&
        SAME(BLOB_NOPS, PLAN_GITPATH + 1),
    "blob ops are numbered as plan ops");
_Static_assert(SAME(BLOB_K_RO, MOUNT_RO) && SAME(BLOB_K_RW, MOUNT_RW) &&
        SAME(BLOB_K_DEV_BIND, MOUNT_DEV_BIND) &&
        SAME(BLOB_K_TMPFS, MOUNT_TMPFS) && SAME(BLOB_K_DIR, MOUNT_DIR) &&
        SAME(BLOB_K_PROC, MOUNT_PROC) && SAME(BLOB_K_DEV, MOUNT_DEV) &&
        SAME(BLOB_K_SYMLINK, MOUNT_SYMLINK) && SAME(BLOB_K_DATA, MOUNT_DATA) &&
        SAME(BLOB_NKINDS, MOUNT_DATA + 1),
    "blob mount kinds are numbered as the IR's");
_Static_assert(SAME(BLOB_V_HOME, VAR_HOME) && SAME(BLOB_V_USER, VAR_USER) &&
        SAME(BLOB_V_UID, VAR_UID) && SAME(BLOB_V_CWD, VAR_CWD) &&
        SAME(BLOB_V_PROJECT_ROOT, VAR_PROJECT_ROOT) &&
        SAME(BLOB_V_WORKTREE, VAR_WORKTREE) &&
        SAME(BLOB_V_PROJECT_ID, VAR_PROJECT_ID) &&
        SAME(BLOB_V_XDG_CONFIG_HOME, VAR_XDG_CONFIG_HOME) &&
        SAME(BLOB_V_XDG_CACHE_HOME, VAR_XDG_CACHE_HOME) &&
        SAME(BLOB_V_XDG_DATA_HOME, VAR_XDG_DATA_HOME) &&
        SAME(BLOB_V_XDG_STATE_HOME, VAR_XDG_STATE_HOME) &&
        SAME(BLOB_V_XDG_RUNTIME_DIR, VAR_XDG_RUNTIME_DIR) &&
        SAME(BLOB_V_WORKDIR, VAR_WORKDIR) && SAME(BLOB_NVARS, VAR_MAX),
    "blob variables are numbered as the IR's");

/* The string table: a leading NUL (offset 0 is "absent"), then strings. */
static uint32_t
str_add(struct buf *tab, const char *s, size_t len)
{
	uint32_t off = (uint32_t)tab->len;

	buf_add(tab, s, len);
	buf_putc(tab, '\0');
	return off;
}

static uint32_t
str_add0(struct buf *tab, const char *s)
{
	return s != NULL ? str_add(tab, s, strlen(s)) : 0;
}

static uint32_t
tmpl_add(struct buf *tab, const struct tmpl *t)
{
	return t->canon != NULL ? str_add0(tab, t->canon) : 0;
}

/* Bytes as lower-case hex text: strings in the table hold no NUL. */
static uint32_t
hex_add(struct buf *tab, const unsigned char *p, size_t len)
{
	uint32_t off = (uint32_t)tab->len;
	size_t i;

	for (i = 0; i < len; i++)
		buf_printf(tab, "%02x", p[i]);
	buf_putc(tab, '\0');
	return off;
}

void
emit_blob(struct buf *b, const struct plan *pl)
{
	struct buf tab = { NULL, 0, 0 };
	unsigned char *ops, *h;
	size_t i, opslen, payload;

	buf_putc(&tab, '\0');
	opslen = pl->nops * BLOB_OP_SIZE;
	ops = arena_alloc(opslen > 0 ? opslen : 1);
	for (i = 0; i < pl->nops; i++) {
		const struct plan_op *o = &pl->ops[i];
		unsigned char *r = ops + i * BLOB_OP_SIZE;
		uint32_t a = 0, bb = 0, c = 0;
		uint16_t flags = 0;

		switch (o->op) {
		case PLAN_VAR:
		case PLAN_WORKDIR:
			break;
		case PLAN_MKDIR:
		case PLAN_EXEC:
		case PLAN_EXEC_ARG:
			a = tmpl_add(&tab, &o->src);
			break;
		case PLAN_ENV_ALLOW:
		case PLAN_ENV_DENY:
		case PLAN_ENV_EXTRA:
		case PLAN_REDACT:
		case PLAN_ARG:
			a = str_add0(&tab, o->s);
			break;
		case PLAN_ENV_SET:
			a = str_add0(&tab, o->s);
			bb = tmpl_add(&tab, &o->src);
			break;
		case PLAN_MOUNT:
			if (o->mount.optional)
				flags |= BLOB_OPT_OPTIONAL;
			a = tmpl_add(&tab, &o->mount.src);
			bb = tmpl_add(&tab, &o->dest);
			if (o->mount.kind == MOUNT_DATA)
				c = str_add(
				    &tab, o->mount.data, o->mount.datalen);
			break;
		case PLAN_GITCONFIG:
		case PLAN_CHDIR:
			bb = tmpl_add(&tab, &o->dest);
			break;
		case PLAN_SECCOMP:
			a = str_add0(&tab, o->s);
			c = hex_add(&tab, o->bpf, o->bpflen);
			break;
		case PLAN_SCOPE:
			a = str_add0(&tab, o->s);
			break;
		case PLAN_LIMIT:
			a = str_add0(&tab, o->s);
			bb = str_add0(&tab,
			    o->limit == LIMIT_UNLIMITED
			        ? "unlimited"
			        : arena_printf("%llu", o->limit));
			break;
		case PLAN_PROTECT:
			if (o->dir)
				flags |= BLOB_OPT_DIR;
			a = tmpl_add(&tab, &o->src);
			bb = str_add0(&tab, o->s);
			if (o->mount.data != NULL)
				c = str_add(
				    &tab, o->mount.data, o->mount.datalen);
			break;
		case PLAN_GITPATH:
			if (o->dir)
				flags |= BLOB_OPT_DIR;
			a = tmpl_add(&tab, &o->src);
			bb = str_add0(&tab, o->s);
			break;
		}
		blob_put16(r + BLOB_O_OP, (uint16_t)o->op);
		blob_put16(r + BLOB_O_FLAGS, flags);
		blob_put32(r + BLOB_O_KIND,
		    o->op == PLAN_MOUNT || o->op == PLAN_PROTECT ||
		            o->op == PLAN_GITPATH
		        ? (uint32_t)o->mount.kind
		        : 0);
		blob_put32(r + BLOB_O_VAR, (uint32_t)o->var);
		blob_put32(r + BLOB_O_MODE,
		    o->op == PLAN_MOUNT && o->mount.mode >= 0
		        ? (uint32_t)o->mount.mode
		        : BLOB_NONE);
		blob_put32(
		    r + BLOB_O_FD, o->fd >= 0 ? (uint32_t)o->fd : BLOB_NONE);
		blob_put32(r + BLOB_O_A, a);
		blob_put32(r + BLOB_O_B, bb);
		blob_put32(r + BLOB_O_C, c);
		blob_put32(
		    r + BLOB_O_WHERE, str_add0(&tab, plan_where(&o->pos)));
	}

	h = arena_alloc(BLOB_HEADER_SIZE);
	memcpy(h + BLOB_H_MAGIC, BLOB_MAGIC, 8);
	blob_put32(h + BLOB_H_FORMAT, BLOB_FORMAT);
	blob_put32(h + BLOB_H_HSIZE, BLOB_HEADER_SIZE);
	strncpy((char *)h + BLOB_H_VERSION, JAILC_VERSION, 15);
	blob_put32(h + BLOB_H_NOPS, (uint32_t)pl->nops);
	blob_put32(h + BLOB_H_OPSIZE, BLOB_OP_SIZE);
	blob_put32(h + BLOB_H_FLAGS, pl->cleanup ? BLOB_F_STAYS : 0);
	blob_put32(h + BLOB_H_ARGSFD, (uint32_t)pl->argsfd);
	blob_put32(h + BLOB_H_NAME, str_add0(&tab, pl->name));
	blob_put32(h + BLOB_H_FILE, str_add0(&tab, pl->file));
	blob_put32(h + BLOB_H_BWRAP, str_add0(&tab, pl->bwrap));
	blob_put32(h + BLOB_H_CMDNAME, str_add0(&tab, pl->command));

	payload = opslen + tab.len;
	if (payload > BLOB_MAX_PAYLOAD || pl->nops > BLOB_MAX_OPS)
		fatal("the plan is too large for a blob (%zu ops, %zu bytes)",
		    pl->nops, payload);
	blob_put32(h + BLOB_H_PAYLOAD_LEN, (uint32_t)payload);
	buf_add(b, (const char *)h, BLOB_HEADER_SIZE);
	buf_add(b, (const char *)ops, opslen);
	buf_add(b, tab.s, tab.len);
	blob_put32((unsigned char *)b->s +
	        (b->len - payload - BLOB_HEADER_SIZE) + BLOB_H_CRC,
	    blob_crc32(
	        (const unsigned char *)b->s + b->len - payload, payload));
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
