/*
 * verify.c - the blob verifier: all of a blob is checked before jailrun
 * resolves a variable, makes a directory or runs anything.
 *
 * The writer (compiler/emit_blob.c) already keeps every rule below; they
 * are checked again because a blob is a file, and a file can be cut
 * short, corrupted, or written by something else.  Every read goes
 * through an accessor that checks its bounds first.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "blob.h"
#include "landlock.h"
#include "netrule.h"
#include "verify.h"

/* Descriptors are small numbers: bwrap and the text form take them
 * as decimal words, and a launcher opens each one. */
#define RUN_MAX_FD 1023

static const char *const var_names[BLOB_NVARS] = {
#define X(id, deps) [BLOB_V_##id] = #id,
	VARTAB(X)
#undef X
};

/* The ops' rows of runtime/optab.h: names for messages, and the rules
 * below. */
static const struct {
	const char *name;
	unsigned need, tmpl, opts;
} ops[BLOB_NOPS] = {
#define X(id, name, need, tmpl, opts) [BLOB_##id] = { name, need, tmpl, opts },
	OPTAB(X)
#undef X
};

/* The mount kinds' rows: the strings and options each takes, and
 * whether bwrap has an optional (-try) form of it. */
static const struct {
	unsigned need, opts;
	int has_try;
} kinds[BLOB_NKINDS] = {
#define X(id, word, bw, bwtry, need, opts)                                     \
	[BLOB_K_##id] = { need, opts, bwtry != NULL },
	MKTAB(X)
#undef X
};

/* The limits jailrun can set, as process.limits names them. */
static const char *const limit_names[] = { "nofile", "nproc", "as", "fsize",
	"cpu", "core", "memory" };

#define VBIT(v) (1u << (v))

/* The blob being checked. */
struct vb {
	const unsigned char *p;
	size_t len;
	size_t tab;    /* offset of the string table */
	size_t tablen; /* its length */
};

static char msg[160];

static int fail(const char **why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
fail(const char **why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*why = msg;
	return -1;
}

const char *
run_var_name(unsigned v)
{
	return v > 0 && v < BLOB_NVARS ? var_names[v] : NULL;
}

unsigned
run_var_lookup(const char *s, size_t len)
{
	unsigned v;

	for (v = 1; v < BLOB_NVARS; v++)
		if (strlen(var_names[v]) == len &&
		    memcmp(var_names[v], s, len) == 0)
			return v;
	return 0;
}

int
run_is_ident(const char *s)
{
	size_t i;

	if (!(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') ||
	        (s[0] >= 'a' && s[0] <= 'z')))
		return 0;
	for (i = 1; s[i] != '\0'; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/* 32 bits at off, which must lie inside the blob. */
static int
get32(const struct vb *b, size_t off, uint32_t *v)
{
	if (off > b->len || b->len - off < 4)
		return -1;
	*v = blob_get32(b->p + off);
	return 0;
}

/* The string at table offset off (0: absent, *s = NULL).  The table
 * ends with a NUL, so a string in bounds is terminated in bounds. */
static int
get_str(const struct vb *b, uint32_t off, const char **s)
{
	if (off == 0) {
		*s = NULL;
		return 0;
	}
	if (off >= b->tablen)
		return -1;
	*s = (const char *)b->p + b->tab + off;
	return 0;
}

/* A template: "$$", "${NAME}" with NAME a variable, anything else
 * literal.  *vars gets the variables used. */
static int
check_tmpl(const char *s, unsigned *vars)
{
	const char *end;
	unsigned v;

	*vars = 0;
	for (; *s != '\0'; s++) {
		if (*s != '$')
			continue;
		if (s[1] == '$') {
			s++;
			continue;
		}
		if (s[1] != '{' || (end = strchr(s + 2, '}')) == NULL)
			return -1;
		if ((v = run_var_lookup(s + 2, (size_t)(end - s - 2))) == 0)
			return -1;
		*vars |= VBIT(v);
		s = end;
	}
	return 0;
}

/* A glob over variable names: what a name holds, and fnmatch's
 * wildcards, nothing that bash's case and fnmatch could read apart. */
static int
check_glob(const char *s)
{
	for (; *s != '\0'; s++)
		if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') ||
		        (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		        strchr("*?[]!", *s) != NULL))
			return -1;
	return 0;
}

/* The variables each variable is computed from (jail(5), VARIABLES). */
static unsigned
var_deps(unsigned v)
{
	static const unsigned deps[BLOB_NVARS] = {
#define X(id, d) [BLOB_V_##id] = (d),
		VARTAB(X)
#undef X
	};

	return v < BLOB_NVARS ? deps[v] : 0;
}

/* A well-known bus name as gui.dbus takes it (jail(5), [gui]): two or
 * more elements of [A-Za-z0-9_-], none starting with a digit, or such a
 * prefix and ".*"; at most 255 bytes. */
static int
check_dbus_name(const char *s)
{
	size_t n = strlen(s), elems = 0, len;
	int wild = n >= 2 && strcmp(s + n - 2, ".*") == 0;

	if (n == 0 || n > 255)
		return -1;
	if (wild)
		n -= 2;
	while (n > 0) {
		len = strspn(s,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789_-");
		if (len == 0 || len > n || (s[0] >= '0' && s[0] <= '9'))
			return -1;
		elems++;
		s += len;
		n -= len;
		if (n == 0)
			break;
		if (*s != '.' || n == 1)
			return -1;
		s++;
		n--;
	}
	return elems >= (wild ? 1u : 2u) ? 0 : -1;
}

/* A protected path as jailc writes it (compiler/protect.c): relative,
 * components neither empty nor "." nor "..", and only characters that
 * mean nothing to the shell's globbing but "*" and "?". */
static int
check_protect_path(const char *s)
{
	const char *p, *c;
	size_t len;

	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		        (*p >= '0' && *p <= '9') ||
		        strchr("._-+@,=:%*?/", *p) != NULL))
			return -1;
	for (c = s;; c += len + 1) {
		len = strcspn(c, "/");
		if (len == 0 || (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.'))
			return -1;
		if (c[len] == '\0')
			return 0;
	}
}

/* A git configuration key as jailc writes one: "section.name", letters,
 * digits, '-' and '.', starting with a letter (so never an option). */
static int
check_git_key(const char *s)
{
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return -1;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		        s[i] == '.'))
			return -1;
	return strchr(s, '.') != NULL && s[i - 1] != '.' && i < 128 ? 0 : -1;
}

/* A machine name as the kernel reports it: letters, digits, '_'. */
static int
check_machine(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return -1;
	return i > 0 && i < 32 ? 0 : -1;
}

/* A BPF program in hex: whole instructions of 8 bytes, lower case, at
 * most BPF_MAXINSNS (4096) of them, as the kernel takes. */
static int
check_bpf(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		        (s[i] >= 'a' && s[i] <= 'f')))
			return -1;
	return i > 0 && i % 16 == 0 && i / 16 <= 4096 ? 0 : -1;
}

/* A known limit with "unlimited" or at most 16 decimal digits (the
 * schema's maximum is below 2^52). */
/* A network.allow or network.deny entry in its canonical text, so that
 * the text plan and the blob say the same and the proxy reads what the
 * compiler checked. */
static int
check_netrule(const char *s)
{
	struct netrule r;
	char text[NETRULE_TEXTMAX];
	const char *why;

	if (netrule_parse(s, &r, &why) != 0 ||
	    netrule_format(&r, text, sizeof(text)) < 0)
		return -1;
	return strcmp(text, s) == 0 ? 0 : -1;
}

static int
check_limit(const char *name, const char *val)
{
	size_t i, known = 0;

	for (i = 0; i < sizeof(limit_names) / sizeof(limit_names[0]); i++)
		if (strcmp(name, limit_names[i]) == 0)
			known = 1;
	if (!known)
		return -1;
	if (strcmp(val, "unlimited") == 0)
		return 0;
	for (i = 0; val[i] != '\0'; i++)
		if (val[i] < '0' || val[i] > '9')
			return -1;
	return i > 0 && i <= 16 && (val[0] != '0' || i == 1) ? 0 : -1;
}

/* Strings op op (of mount kind kind) must have; all others must be
 * absent but an optional c. */
static unsigned
op_strings(unsigned op, uint32_t kind)
{
	if (ops[op].opts & OPF_KIND)
		return kind < BLOB_NKINDS ? kinds[kind].need : 0;
	return ops[op].need;
}

/* One op record; *defined holds the variables resolved so far, fds the
 * descriptors taken. */
static int
check_op(const struct vb *b, size_t i, unsigned *defined, unsigned char *fds,
    int *nexec, const char **why)
{
	const unsigned char *r = b->p + BLOB_HEADER_SIZE + i * BLOB_OP_SIZE;
	unsigned op = blob_get16(r + BLOB_O_OP);
	unsigned flags = blob_get16(r + BLOB_O_FLAGS);
	uint32_t kind = blob_get32(r + BLOB_O_KIND);
	uint32_t var = blob_get32(r + BLOB_O_VAR);
	uint32_t mode = blob_get32(r + BLOB_O_MODE);
	uint32_t fd = blob_get32(r + BLOB_O_FD);
	const char *s[3], *where;
	unsigned need, uses = 0, tv, bit;
	int k, usesfd;

	if (op >= BLOB_NOPS)
		return fail(why, "op %zu: unknown opcode %u", i, op);
	if (blob_get32(r + 36) != 0)
		return fail(why, "op %zu (%s): reserved field is not zero", i,
		    ops[op].name);
	for (k = 0; k < 3; k++)
		if (get_str(b, blob_get32(r + BLOB_O_A + 4 * k), &s[k]) != 0)
			return fail(why, "op %zu (%s): string %c out of bounds",
			    i, ops[op].name, 'a' + k);
	if (get_str(b, blob_get32(r + BLOB_O_WHERE), &where) != 0)
		return fail(why, "op %zu (%s): its position is out of bounds",
		    i, ops[op].name);

	if (flags &
	    ~((ops[op].opts & OPF_OPTIONAL ? BLOB_OPT_OPTIONAL : 0u) |
	        (ops[op].opts & OPF_DIR ? BLOB_OPT_DIR : 0u)))
		return fail(why, "op %zu (%s): unknown flags %#x", i,
		    ops[op].name, flags);
	if (ops[op].opts & OPF_KIND ? kind >= BLOB_NKINDS
	        : ops[op].opts & OPF_PIN
	        ? kind != BLOB_K_RO && kind != BLOB_K_RW
	        : ops[op].opts & OPF_RO ? kind != BLOB_K_RO
	                                : kind != 0)
		return fail(why, "op %zu (%s): bad mount kind %u", i,
		    ops[op].name, (unsigned)kind);
	/* A mode where bwrap takes --perms, optional where it has a -try
	 * form: the kind's row says (jailc writes nothing else). */
	if ((ops[op].opts & OPF_MODE) && (kinds[kind].opts & OPF_MODE)
	        ? mode > 07777 && mode != BLOB_NONE
	        : mode != BLOB_NONE)
		return fail(why, "op %zu (%s): bad mode %#x", i, ops[op].name,
		    (unsigned)mode);
	if ((flags & BLOB_OPT_OPTIONAL) && (ops[op].opts & OPF_KIND) &&
	    !kinds[kind].has_try)
		return fail(why,
		    "op %zu (%s): optional on a mount that is not "
		    "a bind",
		    i, ops[op].name);

	need = op_strings(op, kind);
	for (k = 0; k < 3; k++)
		if ((s[k] != NULL) != ((need >> k) & 1) &&
		    !(k == 2 && (ops[op].opts & OPF_C_OPT)))
			return fail(why, "op %zu (%s): string %c %s", i,
			    ops[op].name, 'a' + k,
			    s[k] != NULL ? "must be absent" : "is missing");

	usesfd = (ops[op].opts & OPF_FD) &&
	    (!(ops[op].opts & OPF_KIND) || (kinds[kind].opts & OPF_FD));
	if (!usesfd && fd != BLOB_NONE)
		return fail(
		    why, "op %zu (%s): unexpected descriptor", i, ops[op].name);
	if (usesfd) {
		if (fd < 4 || fd > RUN_MAX_FD)
			return fail(why,
			    "op %zu (%s): descriptor %u out of range", i,
			    ops[op].name, (unsigned)fd);
		if (fds[fd])
			return fail(why,
			    "op %zu (%s): descriptor %u used twice", i,
			    ops[op].name, (unsigned)fd);
		fds[fd] = 1;
	}

	if (ops[op].opts & OPF_VAR) {
		if (op == BLOB_VAR
		        ? var == 0 || var == BLOB_V_WORKDIR || var >= BLOB_NVARS
		        : var != BLOB_V_WORKDIR)
			return fail(why, "op %zu (%s): bad variable %u", i,
			    ops[op].name, (unsigned)var);
		bit = VBIT(var);
		if (*defined & bit)
			return fail(why, "op %zu (%s): %s resolved twice", i,
			    ops[op].name, var_names[var]);
		if ((var_deps(var) & ~*defined) != 0)
			return fail(why,
			    "op %zu (%s): %s is resolved before what it "
			    "depends on",
			    i, ops[op].name, var_names[var]);
		*defined |= bit;
		return 0;
	}
	if (var != 0)
		return fail(
		    why, "op %zu (%s): unexpected variable", i, ops[op].name);

	/* The strings' contents. */
	switch (op) {
	case BLOB_ENV_ALLOW:
	case BLOB_ENV_DENY:
	case BLOB_REDACT:
		if (check_glob(s[0]) != 0)
			return fail(
			    why, "op %zu (%s): bad pattern", i, ops[op].name);
		break;
	case BLOB_ENV_EXTRA:
	case BLOB_ENV_SET:
		if (!run_is_ident(s[0]))
			return fail(why, "op %zu (%s): bad variable name", i,
			    ops[op].name);
		break;
	case BLOB_EXEC:
		if (++*nexec > 1)
			return fail(why, "op %zu (exec): a second command", i);
		break;
	case BLOB_EXEC_ARG:
		if (*nexec == 0)
			return fail(why,
			    "op %zu (exec-arg): an argument before the "
			    "command",
			    i);
		break;
	case BLOB_GITCONFIG:
		uses |= VBIT(BLOB_V_PROJECT_ROOT); /* safe.directory */
		break;
	case BLOB_SECCOMP:
		if (check_machine(s[0]) != 0 || check_bpf(s[2]) != 0)
			return fail(why, "op %zu (seccomp): bad filter", i);
		return 0;
	case BLOB_LIMIT:
		if (check_limit(s[0], s[1]) != 0)
			return fail(why, "op %zu (limit): bad limit", i);
		/* only a cgroup's limits can be missing on a host */
		if ((flags & BLOB_OPT_OPTIONAL) &&
		    strcmp(s[0], "memory") != 0 && strcmp(s[0], "nproc") != 0)
			return fail(why,
			    "op %zu (limit): %s cannot be optional", i, s[0]);
		return 0;
	case BLOB_SCOPE:
		if (!ll_known(s[0]))
			return fail(why, "op %zu (scope): unknown scope", i);
		return 0;
	case BLOB_REPORT:
		if (strcmp(s[0], "warn") != 0 && strcmp(s[0], "fail") != 0)
			return fail(
			    why, "op %zu (report): not warn or fail", i);
		return 0;
	case BLOB_MOUNT:
		/* a writable bind is compared with the home directory
		 */
		if (kind == BLOB_K_RW || kind == BLOB_K_DEV_BIND)
			uses |= VBIT(BLOB_V_HOME);
		break;
	case BLOB_PROTECT:
		if (check_protect_path(s[1]) != 0)
			return fail(why, "op %zu (protect): bad path", i);
		if (kind == BLOB_K_RW)
			uses |= VBIT(BLOB_V_HOME);
		break;
	case BLOB_GITPATH:
		/* an argument of git's: never an option */
		if (check_git_key(s[1]) != 0)
			return fail(why, "op %zu (gitpath): bad key", i);
		break;
	case BLOB_NETALLOW:
	case BLOB_NETDENY:
		/* the proxy reads it as the compiler wrote it */
		if (check_netrule(s[0]) != 0)
			return fail(why, "op %zu (%s): bad host entry", i,
			    ops[op].name);
		return 0;
	case BLOB_NETPROXY:
	case BLOB_LAUNCH_SHELL:
		return 0;
	/* the desktop's sockets are found, and bound, under these */
	case BLOB_GUI_X11:
		uses |= VBIT(BLOB_V_DISPLAY) | VBIT(BLOB_V_XAUTHORITY) |
		    VBIT(BLOB_V_XDG_RUNTIME_DIR);
		break;
	case BLOB_GUI_WAYLAND:
		uses |=
		    VBIT(BLOB_V_WAYLAND_DISPLAY) | VBIT(BLOB_V_XDG_RUNTIME_DIR);
		break;
	case BLOB_GUI_PIPEWIRE:
	case BLOB_GUI_PULSE:
	case BLOB_DBUS:
		uses |= VBIT(BLOB_V_XDG_RUNTIME_DIR);
		break;
	case BLOB_DBUS_TALK:
	case BLOB_DBUS_OWN:
	case BLOB_DBUS_SEE:
		/* an argument of xdg-dbus-proxy's: never an option */
		if (check_dbus_name(s[0]) != 0)
			return fail(
			    why, "op %zu (%s): bad bus name", i, ops[op].name);
		return 0;
	case BLOB_LAUNCH_NET:
		if (strcmp(s[0], "none") != 0 && strcmp(s[0], "proxy") != 0 &&
		    strcmp(s[0], "host") != 0)
			return fail(
			    why, "op %zu (launch-network): unknown mode", i);
		return 0;
	case BLOB_LAUNCH_MOUNT:
		/* compared with the home directory, as a bind is */
		uses |= VBIT(BLOB_V_HOME);
		break;
	case BLOB_NIXDAEMON:
		/* compared with the binds' sources: an absolute path */
		if (s[0][0] != '/' || strstr(s[0], "/../") != NULL)
			return fail(
			    why, "op %zu (nix-daemon): bad socket path", i);
		return 0;
	default:
		break;
	}
	/* The templates among the strings; names, globs, option words,
	 * keys and data were checked above or are any text. */
	for (k = 0; k < 2; k++) {
		if (s[k] == NULL || !(ops[op].tmpl & (OPS_A << k)))
			continue;
		if (check_tmpl(s[k], &tv) != 0)
			return fail(why,
			    "op %zu (%s): bad template in string %c", i,
			    ops[op].name, 'a' + k);
		uses |= tv;
	}
	if ((uses & ~*defined) != 0) {
		for (bit = 1; bit < BLOB_NVARS; bit++)
			if (uses & ~*defined & VBIT(bit))
				break;
		return fail(why,
		    "op %zu (%s): %s is used before it is resolved", i,
		    ops[op].name, var_names[bit]);
	}
	return 0;
}

int
run_verify(const unsigned char *blob, size_t len, const char **why)
{
	struct vb b = { blob, len, 0, 0 };
	unsigned char fds[RUN_MAX_FD + 1];
	uint32_t v, payload, nops, flags;
	unsigned defined = 0;
	const char *s;
	int nexec = 0, workdir = 0, nfilters = 0, nproxy = 0;
	size_t i;

	if (len < BLOB_HEADER_SIZE)
		return fail(
		    why, "truncated: %zu bytes, less than a header", len);
	if (memcmp(blob + BLOB_H_MAGIC, BLOB_MAGIC, 8) != 0)
		return fail(why, "not a jailc blob (bad magic)");
	(void)get32(&b, BLOB_H_FORMAT, &v);
	if (v > BLOB_FORMAT)
		return fail(why,
		    "compiled by a newer jailc (format %u); this "
		    "jailrun "
		    "reads format %d",
		    (unsigned)v, BLOB_FORMAT);
	if (v == 3)
		return fail(why,
		    "compiled by an older jailc (format 3, whose checksum "
		    "left the header out); compile the profile again");
	if (v == 4)
		return fail(why,
		    "compiled by an older jailc (format 4, without the "
		    "network proxy's ops); compile the profile again");
	if (v != BLOB_FORMAT)
		return fail(why, "unknown blob format %u", (unsigned)v);
	if (get32(&b, BLOB_H_HSIZE, &v) != 0 || v != BLOB_HEADER_SIZE)
		return fail(why, "bad header size %u", (unsigned)v);
	if (get32(&b, BLOB_H_OPSIZE, &v) != 0 || v != BLOB_OP_SIZE)
		return fail(why, "bad op record size %u", (unsigned)v);
	(void)get32(&b, BLOB_H_PAYLOAD_LEN, &payload);
	if (payload > BLOB_MAX_PAYLOAD)
		return fail(
		    why, "payload too large (%u bytes)", (unsigned)payload);
	if (payload != len - BLOB_HEADER_SIZE)
		return fail(why,
		    "%s: the header says %u bytes of payload, there "
		    "are %zu",
		    payload > len - BLOB_HEADER_SIZE ? "truncated"
		                                     : "trailing bytes",
		    (unsigned)payload, len - BLOB_HEADER_SIZE);
	(void)get32(&b, BLOB_H_CRC, &v);
	if (blob_checksum(blob, len) != v)
		return fail(why, "checksum mismatch: the blob is corrupt");
	(void)get32(&b, BLOB_H_NOPS, &nops);
	if (nops > BLOB_MAX_OPS ||
	    (uint64_t)nops * BLOB_OP_SIZE >= (uint64_t)payload)
		return fail(why, "bad op count %u", (unsigned)nops);
	b.tab = BLOB_HEADER_SIZE + (size_t)nops * BLOB_OP_SIZE;
	b.tablen = len - b.tab;
	if (blob[b.tab] != '\0' || blob[len - 1] != '\0')
		return fail(why, "malformed string table");
	(void)get32(&b, BLOB_H_FLAGS, &flags);
	if (flags & ~(uint32_t)BLOB_F_STAYS)
		return fail(why, "unknown header flags %#x", (unsigned)flags);
	if (get32(&b, BLOB_H_ARGSFD, &v) != 0 || v != 3)
		return fail(why, "bad arguments descriptor %u", (unsigned)v);
	for (i = BLOB_H_NAME; i <= BLOB_H_DBUSPROXY; i += 4) {
		(void)get32(&b, i, &v);
		if (get_str(&b, v, &s) != 0)
			return fail(why, "header string out of bounds");
		if (s == NULL && i != BLOB_H_CMDNAME && i != BLOB_H_GIT &&
		    i != BLOB_H_DBUSPROXY)
			return fail(why, "header string missing");
		/* the name starts every message: no terminal controls
		 */
		if (i == BLOB_H_NAME)
			for (; *s != '\0'; s++)
				if ((unsigned char)*s < 0x20 || *s == 0x7f)
					return fail(why,
					    "control character in "
					    "the jail's name");
		/* git: an absolute path; never looked up in PATH */
		if (i == BLOB_H_GIT && s != NULL && s[0] != '/')
			return fail(why, "git is not an absolute path");
		if (i == BLOB_H_DBUSPROXY && s != NULL && s[0] != '/')
			return fail(
			    why, "xdg-dbus-proxy is not an absolute path");
		/* bwrap: a name looked up in the system directories, or
		 * an absolute path */
		if (i == BLOB_H_BWRAP && s[0] != '/' && strchr(s, '/') != NULL)
			return fail(why,
			    "bwrap is neither a name nor an "
			    "absolute path");
	}

	memset(fds, 0, sizeof(fds));
	for (i = 0; i < nops; i++) {
		unsigned op =
		    blob_get16(blob + BLOB_HEADER_SIZE + i * BLOB_OP_SIZE);

		if (check_op(&b, i, &defined, fds, &nexec, why) != 0)
			return -1;
		/* one proxy, before the entries it filters with */
		if (op == BLOB_NETPROXY && ++nproxy > 1)
			return fail(
			    why, "op %zu (net-proxy): a second proxy", i);
		if ((op == BLOB_NETALLOW || op == BLOB_NETDENY) && nproxy == 0)
			return fail(why,
			    "op %zu (%s): a host entry without net-proxy", i,
			    ops[op].name);
		if (blob_get16(blob + BLOB_HEADER_SIZE + i * BLOB_OP_SIZE) ==
		    BLOB_WORKDIR)
			workdir = 1;
		/* bwrap takes one --seccomp; jailrun keeps one filter
		 */
		if (blob_get16(blob + BLOB_HEADER_SIZE + i * BLOB_OP_SIZE) ==
		        BLOB_SECCOMP &&
		    ++nfilters > 1)
			return fail(
			    why, "op %zu (seccomp): a second filter", i);
	}
	if (nexec == 0)
		return fail(why, "no command");
	/* The order check compares with CWD, the writable-bind check
	 * with HOME. */
	if (!(defined & VBIT(BLOB_V_CWD)))
		return fail(why, "CWD is never resolved");
	if (!(defined & VBIT(BLOB_V_HOME)))
		return fail(why, "HOME is never resolved");
	/* A work directory is removed by a launcher that stays. */
	if (workdir != ((flags & BLOB_F_STAYS) != 0))
		return fail(
		    why, "the work directory and the stay flag disagree");
	return 0;
}
