/*
 * jailrun.c - run a jail from its launch plan: the one interpreter of
 * the plan, for both back ends.
 *
 * The plan comes as a blob (runtime/blob.h): appended to this very
 * executable (jailc compile -t exe), or in a file named on the command
 * line; or as its text form (runtime/plantext.h) on a descriptor, from a
 * shell launcher's here-document (jailrun --plan-fd FD NAME ARGS...), or
 * in a file.  The text is turned into the blob it stands for, and either
 * way the blob is read whole and verified (verify.c) before anything
 * else happens.
 *
 * What it reads of the host (variables, the project, the protected-path
 * walk, git) is host.c's, which the compiler's review code shares.
 *
 * Then one switch walks the ops; host problems are collected in
 * --jail-check and fatal otherwise; only when every check has passed are
 * directories made and bwrap started.  Memory is never freed: the
 * process execs or exits soon after.
 */
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <locale.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "blob.h"
#include "host.h"
#include "xauth.h"
#include "landlock.h"
#include "netproxy.h"
#include "netrule.h"
#include "plantext.h"
#include "verify.h"

extern char **environ;

enum run_mode { MODE_RUN, MODE_DRY, MODE_CHECK, MODE_PRINT, MODE_HELP };

/* A growable byte string; always NUL-terminated. */
struct run_buf {
	char *s;
	size_t len, cap;
};

/* A list of strings. */
struct run_list {
	char **v;
	size_t n, cap;
};

/* A bind, as jail_binds, jail_bsrc and jail_bopt keep it. */
struct run_bind {
	const char *dest, *src;
	enum blob_kind kind; /* RO, RW or DEV_BIND */
	int optional;
};

/* One entry of bwrap's options, typed as the plan gives it; run_words
 * turns them into words once, when the argument vector is built. */
enum run_what {
	RUN_A_WORD,     /* a: an option word of the plan (arg) */
	RUN_A_CLEARENV, /* --clearenv */
	RUN_A_SETENV,   /* a: name, b: value */
	RUN_A_MOUNT,    /* kind, optional, mode, fd; a: source, b: dest */
	RUN_A_CHDIR,    /* b: the directory */
	RUN_A_SECCOMP,  /* fd */
};

struct run_arg {
	enum run_what what;
	enum blob_kind kind;
	int optional;
	int fd;        /* DATA mounts, SECCOMP */
	uint32_t mode; /* --perms, or BLOB_NONE */
	const char *a, *b;
};

/* A limit, its resource found once, when the op is read. */
struct run_limit {
	const char *name, *text; /* as the plan has them, for the outputs */
	int res;                 /* RLIMIT_*, or -1 for memory */
	rlim_t value;            /* RLIM_INFINITY for "unlimited" */
	int optional;            /* the launch may go without it */
};

/* A data descriptor's content. */
struct run_data {
	int fd;
	const char *text;
	size_t len;
	const char *secret; /* not NULL: what the text is, shown instead */
};

/* A directory to make once every check has passed. */
struct run_mk {
	const char *path, *where;
	mode_t mode;
	int file; /* an empty file, not a directory */
};

/* A directory the command line adds (--jail-ro, --jail-rw): as given,
 * and resolved on the host. */
struct run_choice {
	const char *given;
	char *real;
	int rw;
};

/* A pinned path: jail_pinned. */
struct run_pin {
	const char *path;
	enum blob_kind kind; /* RO, or RW for a writable mount point */
	size_t arg;          /* its mount in R.argv */
	int above;           /* bound only to stop a rename (run_pin_above) */
};

/* A missing protected path outside .git, looked for when the jail exits
 * (run_watch_check): path is the whole protected path, base the mount
 * its walk started from. */
struct run_watch {
	const char *base, *path, *where;
	int dir;
};

/* An empty path to make for a missing protected one, and remove after. */
struct run_ph {
	const char *path, *data;
	int dir;
	char *real; /* where it was made: its directory, resolved */
};

/* A cgroup a launch makes (jail_cg): its controller, the file that takes
 * the limit and the value; where it goes (the launcher's own cgroup),
 * what /proc/self/cgroup names it relative to the hierarchy, v2 or not;
 * the one made and its name as /proc/self/cgroup gives it; an earlier
 * one it shares a v2 directory with. */
struct run_cg {
	const char *ctl, *file, *max;
	char *parent, *rel, *cg, *want;
	int v2;
	struct run_cg *shared;
};

static struct {
	const unsigned char *blob;
	size_t tab; /* offset of the string table */
	size_t len;
	const char *name, *file, *bwrap, *git, *cmdname;
	enum run_mode mode;
	int failed;
	char *var[BLOB_NVARS];
	struct run_arg *argv; /* bwrap's options, typed */
	size_t nargv, capargv;
	int nouserns; /* the plan asks for --disable-userns */
	struct run_list args, cmd, dests, wheres, allow, deny, denywhere,
	    redact, setnames, setvals, setwhere, made;
	const char *extra;
	struct run_bind *binds;
	size_t nbinds, capbinds;
	struct run_data *data;
	size_t ndata, capdata;
	/* the data descriptors of GITCONFIG ops, by index in data */
	size_t *gitcfg;
	size_t ngitcfg, capgitcfg;
	struct run_mk *mk;
	size_t nmk, capmk;
	const char *statedir; /* state.per-project's, or NULL */
	/* the host: environment, variables, project, git (host.c) */
	struct host_ctx host;
	/* the work directory this run made, for removal */
	char *workdir;
	/* protected paths: pinned, and the empty ones to make */
	struct run_pin *pins;
	size_t npins, cappins;
	struct run_ph *ph;
	size_t nph, capph, phmade;
	struct run_watch *watch;
	size_t nwatch, capwatch;
	struct run_list checkouts; /* whose .git is pinned: run_gitlinks */
	int found;                 /* what run_watch_check moved aside */
	int report_fail; /* protect.on-exit = "fail": found fails the run */
	/* the seccomp filter (jail_bpf, jail_bpf_fd): bytes and hex */
	unsigned char *bpf;
	size_t bpflen;
	const char *bpfhex;
	int bpffd;
	/* the limits (jail_limits) */
	struct run_limit *limits;
	size_t nlimits, caplimits;
	struct run_list scopes; /* Landlock scopes for bwrap */
	/* the host's device nodes the jail sees: a dev mount's and the
	 * sources of dev-bind mounts, made read-only for a root launch */
	int devmount;
	struct run_list devbinds;
	/* the cgroups of the launch (pids for root's nproc, memory) */
	struct run_cg cgs[2];
	size_t ncgs;
	/* a memory limit a cgroup above the launcher already gives */
	const char *memby;
	unsigned long long memgiven;
	/* or a scope systemd makes (run_sdscope_ask): busctl, the bus */
	const char *busctl, *bus, *memmax;
	/* an optional limit the launch goes without, and why */
	const char *without[2];
	size_t nwithout;
	/* network.mode = "proxy": the lists, the proxy, --jail-net-log */
	int netproxy;
	struct run_list netallow, netdeny;
	struct np_cfg npcfg;
	struct np *np;
	FILE *netlog;
	const char *netlogname;
	int netfd; /* the jail's end of the socket pair, in the jail */
	/* the launch's choices (jail(5), [launch]): --jail-network's mode
	 * or NULL, --jail-shell, the directories of --jail-ro and
	 * --jail-rw, and whether they are in R.argv yet */
	const char *want_net;
	int want_shell;
	struct run_choice *want;
	size_t nwant, capwant;
	int want_mounted;
	/* [gui]: the sockets asked for (by op, BLOB_GUI_X11 on), and the
	 * session bus's proxy: its arguments, the socket it listens on
	 * (in a directory made at launch), its process and the pipe that
	 * keeps it alive */
	int gui[4];
	int dbus;
	struct run_list dbusrules, dbusargs;
	char *dbusdir, *dbussock;
	const char *dbusproxy, *dbuspin;
	pid_t dbuspid;
	int dbusfd, dbusmade;
} R;

static void run_cleanup(void);
static void run_unpin(void);
static void run_cgroup_remove(void);
static void run_dbus_stop(void);

/* "NAME: message" on stderr: NAME is the jail's. */
static void run_say(const char *, va_list)
    __attribute__((format(printf, 1, 0)));
static void
run_say(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", R.name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void run_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* jail_die: the message, the work directory removed, status 125. */
static void
run_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	run_say(fmt, ap);
	va_end(ap);
	run_cleanup();
	exit(125);
}

static void run_note(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* jail_note: a message, and the launch goes on. */
static void
run_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	run_say(fmt, ap);
	va_end(ap);
}

static void run_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* jail_fail: a problem with the host, listed by --jail-check, fatal
 * otherwise. */
static void
run_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	run_say(fmt, ap);
	va_end(ap);
	if (R.mode != MODE_CHECK) {
		run_cleanup();
		exit(125);
	}
	R.failed = 1;
}

/* Every allocation, on one list until exit: nothing is freed before
 * exec or exit, and a leak checker sees all of it still reachable. */
struct run_chunk {
	struct run_chunk *next;
	max_align_t mem[];
};

static struct run_chunk *run_chunks;

static void *
run_alloc(size_t n)
{
	struct run_chunk *c = malloc(sizeof(*c) + (n > 0 ? n : 1));

	if (c == NULL) {
		fprintf(stderr, "jailrun: out of memory\n");
		run_cleanup();
		exit(125);
	}
	c->next = run_chunks;
	run_chunks = c;
	return c->mem;
}

static void
run_grow(void *pv, size_t *cap, size_t need, size_t size)
{
	void **p = pv;
	size_t ncap = *cap > 0 ? *cap : 8;
	void *np;

	if (need <= *cap)
		return;
	while (ncap < need)
		ncap *= 2;
	/* the old block stays on the list: blobs and plans are small */
	np = run_alloc(ncap * size);
	if (*cap > 0)
		memcpy(np, *p, *cap * size);
	*p = np;
	*cap = ncap;
}

static void
buf_add(struct run_buf *b, const char *s, size_t n)
{
	run_grow(&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_puts(struct run_buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_putc(struct run_buf *b, char c)
{
	buf_add(b, &c, 1);
}

static char *
run_strdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(run_alloc(n), s, n);
}

static char *
run_cat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = run_alloc(la + lb + 1);

	memcpy(s, a, la);
	memcpy(s + la, b, lb + 1);
	return s;
}

static void
list_add(struct run_list *l, const char *s)
{
	run_grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = (char *)s;
}

static int
list_has(const struct run_list *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

/* jail_match: whether name matches one of the globs.  The verifier let
 * through only the characters on which fnmatch and bash's case agree. */
/* The index of the first pattern of pats that matches name, or -1. */
static size_t
run_match_at(const char *name, const struct run_list *pats)
{
	size_t i;

	for (i = 0; i < pats->n; i++)
		if (fnmatch(pats->v[i], name, 0) == 0)
			return i;
	return (size_t)-1;
}

static int
run_match(const char *name, const struct run_list *pats)
{
	return run_match_at(name, pats) != (size_t)-1;
}

/* A string from the verified table (0: absent).  Checked again: a
 * wrong offset here is a bug, and a bug must not read out of bounds. */
static const char *
run_str(uint32_t off)
{
	if (off == 0)
		return NULL;
	if (off >= R.len - R.tab) {
		fprintf(stderr, "jailrun: internal error: string offset\n");
		abort();
	}
	return (const char *)R.blob + R.tab + off;
}

/* A template with the variables' values: the shell's "${jail_v_NAME}". */
static char *
run_expand(const char *t)
{
	struct run_buf b = { NULL, 0, 0 };
	const char *end, *whole = t;
	unsigned v;

	buf_add(&b, "", 0);
	while (*t != '\0') {
		if (t[0] == '$' && t[1] == '$') {
			buf_putc(&b, '$');
			t += 2;
		} else if (t[0] == '$') {
			end = strchr(t, '}');
			v = end != NULL
			    ? run_var_lookup(t + 2, (size_t)(end - t - 2))
			    : 0;
			if (v == 0 || R.var[v] == NULL) {
				fprintf(stderr,
				    "jailrun: internal error: "
				    "unresolved template\n");
				abort();
			}
			/* a desktop variable the host leaves unset */
			if ((VARS_UNSET_OK & 1u << v) && R.var[v][0] == '\0')
				run_fail("%.*s is not set here, and the plan "
				         "needs it: %s",
				    (int)(end - t - 2), t + 2, whole);
			buf_puts(&b, R.var[v]);
			t = end + 1;
		} else {
			buf_putc(&b, *t++);
		}
	}
	return b.s;
}

/* Whether template t names a variable the host leaves unset (one of
 * VARS_UNSET_OK, resolved to ""). */
static int
run_tmpl_unset(const char *t)
{
	const char *end;
	unsigned v;

	for (; (t = strchr(t, '$')) != NULL; t = end + 1) {
		if (t[1] == '$') {
			end = t + 1;
			continue;
		}
		if ((end = strchr(t, '}')) == NULL)
			return 0;
		v = run_var_lookup(t + 2, (size_t)(end - t - 2));
		if ((VARS_UNSET_OK & 1u << v) && R.var[v] != NULL &&
		    R.var[v][0] == '\0')
			return 1;
	}
	return 0;
}

/* host.c's memory: run_alloc's, never freed. */
static void *
run_host_alloc(void *arg, size_t n)
{
	(void)arg;
	return run_alloc(n);
}

/* host.c's problems: a note is said, a host that cannot run the jail
 * is jail_fail, anything else jail_die. */
static void
run_host_error(void *arg, enum host_sev sev, const char *msg)
{
	(void)arg;
	switch (sev) {
	case HOST_NOTE:
		fprintf(stderr, "%s: %s\n", R.name, msg);
		break;
	case HOST_FAIL:
		run_fail("%s", msg);
		break;
	case HOST_FATAL:
	default:
		run_die("%s", msg);
	}
}

/* The host environment as bash sees it (host_init). */
static void
run_load_env(void)
{
	if (host_init(&R.host, run_host_alloc, run_host_error, NULL) != 0)
		run_die("cannot read the environment");
}

/* A host variable's value, or NULL: ${NAME-} of an exported one. */
static const char *
run_getenv(const char *name)
{
	return host_getenv(&R.host, name);
}

static int
run_isdir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
run_isreg(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* jail_var: the host's value (host_var dies through run_host_error
 * rather than answer NULL). */
static void
run_var(unsigned v)
{
	if ((R.var[v] = (char *)host_var(&R.host, v)) == NULL)
		run_die("internal error: unknown variable %u", v);
}

/* The last ten bytes of path replaced by random letters and digits;
 * -1 when the kernel gives no randomness. */
static int
run_tmpname(char *path)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz"
	                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char *x = path + strlen(path) - 10;
	unsigned char rnd[10];
	int i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -1;
	for (i = 0; i < 10; i++)
		x[i] = chars[rnd[i] % (sizeof(chars) - 1)];
	return 0;
}

/* mktemp -d BASE/jail.XXXXXXXXXX: all ten X replaced (glibc's mkdtemp
 * replaces only the last six), made 0700. */
static char *
run_mkdtemp(const char *base)
{
	char *path = run_cat(base, "/jail.XXXXXXXXXX");
	int tries;

	for (tries = 0; tries < 100; tries++) {
		if (run_tmpname(path) != 0)
			return NULL;
		if (mkdir(path, 0700) == 0)
			return path;
		if (errno != EEXIST)
			return NULL;
	}
	return NULL;
}

/* jail_workdir */
static void
run_workdir(void)
{
	const char *base = run_getenv("TMPDIR");
	char *dir;

	if (base == NULL || base[0] != '/')
		base = "/tmp";
	if (R.mode != MODE_RUN) {
		R.var[BLOB_V_WORKDIR] = run_cat(
		    host_norm(&R.host, "TMPDIR", base), "/jail.XXXXXXXXXX");
		list_add(&R.made, R.var[BLOB_V_WORKDIR]);
		return;
	}
	if ((dir = run_mkdtemp(base)) == NULL)
		run_die("cannot make the work directory in %s", base);
	R.workdir = dir;
	if ((R.var[BLOB_V_WORKDIR] = host_cdp(&R.host, dir)) == NULL)
		run_die("cannot enter the work directory");
}

/* renameat2(RENAME_NOREPLACE) through syscall(2): musl's headers, for
 * the static build, declare neither the wrapper nor the flag. */
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
static int
run_renameat2(int olddir, const char *old, int newdir, const char *new)
{
	return (int)syscall(
	    SYS_renameat2, olddir, old, newdir, new, RENAME_NOREPLACE);
}

/* Remove the directory open at fd's contents, never following a
 * symbolic link and never leaving the work directory (root): every
 * call is relative to a descriptor opened beneath it, with
 * O_NOFOLLOW.  A tree deeper than RM_DEPTH is moved up into root in
 * parts (*moved), so that descriptors stay few whatever the jailed
 * program built.  Returns the number of failures. */
#define RM_DEPTH 64

static int
rm_opendir(int dfd, const char *name, dev_t dev)
{
	char proc[64];
	struct stat st;
	int pfd, fd;

	pfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	/* --one-file-system: never descend onto another file system */
	if (fstat(pfd, &st) != 0 || st.st_dev != dev) {
		close(pfd);
		return -1;
	}
	/* chmod u+rwx, through the descriptor: the directory may have
	 * been left unreadable, and a name could be swapped for a link */
	if ((st.st_mode & 0700) != 0700) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
		(void)chmod(proc, (st.st_mode | 0700) & 07777);
	}
	fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(pfd);
	return fd;
}

static int
rm_contents(int fd, int root, dev_t dev, int depth, int *moved)
{
	static unsigned serial;
	struct dirent *e;
	struct stat st;
	char name[64];
	DIR *d;
	int dup_fd, cfd, errs = 0;

	if ((dup_fd = dup(fd)) < 0 || (d = fdopendir(dup_fd)) == NULL) {
		if (dup_fd >= 0)
			close(dup_fd);
		return 1;
	}
	/* a dup shares the offset, which an earlier pass left at the end */
	rewinddir(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			if (unlinkat(fd, e->d_name, 0) != 0 && errno != ENOENT)
				errs++;
			continue;
		}
		if (depth >= RM_DEPTH) {
			do
				snprintf(name, sizeof(name), ".jailrun-deep.%u",
				    serial++);
			while (run_renameat2(fd, e->d_name, root, name) != 0 &&
			    errno == EEXIST);
			*moved = 1;
			continue;
		}
		if ((cfd = rm_opendir(fd, e->d_name, dev)) < 0) {
			errs++;
			continue;
		}
		errs += rm_contents(cfd, root, dev, depth + 1, moved);
		close(cfd);
		if (unlinkat(fd, e->d_name, AT_REMOVEDIR) != 0 &&
		    errno != ENOENT)
			errs++;
	}
	closedir(d);
	return errs;
}

/* jail_cleanup: remove the work directory and nothing else. */
static void
run_cleanup(void)
{
	struct stat st;
	int fd, errs, moved, passes = 0;
	char *dir = R.workdir;

	run_unpin();
	run_cgroup_remove();
	run_dbus_stop();
	R.workdir = NULL; /* once, even when a failure here dies */
	if (dir == NULL || lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	if ((fd = rm_opendir(AT_FDCWD, dir, st.st_dev)) < 0) {
		errs = 1;
	} else {
		do {
			moved = 0;
			errs = rm_contents(fd, fd, st.st_dev, 0, &moved);
		} while (moved && ++passes < 100000);
		close(fd);
		if (rmdir(dir) != 0)
			errs++;
	}
	if (errs > 0)
		fprintf(stderr, "%s: cannot remove %s\n", R.name, dir);
}

/* jail_mkdir */
static void
run_mkdir(const char *path, mode_t mode, const char *where)
{
	if (run_isdir(path))
		return;
	list_add(&R.made, path);
	run_grow(&R.mk, &R.capmk, R.nmk + 1, sizeof(*R.mk));
	R.mk[R.nmk].path = path;
	R.mk[R.nmk].mode = mode;
	R.mk[R.nmk].where = where;
	R.mk[R.nmk].file = 0;
	R.nmk++;
}

/* jail_mkfile: a missing file a bind is to show, made at launch. */
static void
run_mkfile(const char *path, const char *where)
{
	struct stat st;

	/* anything there, even a dangling link, is bwrap's to judge */
	if (lstat(path, &st) == 0)
		return;
	list_add(&R.made, path);
	run_grow(&R.mk, &R.capmk, R.nmk + 1, sizeof(*R.mk));
	R.mk[R.nmk].path = path;
	R.mk[R.nmk].mode = 0600;
	R.mk[R.nmk].where = where;
	R.mk[R.nmk].file = 1;
	R.nmk++;
}

/* mkdir -p: each missing directory on the way to path. */
static int
run_mkdir_p(const char *path)
{
	char *p = run_strdup(path), *s;

	for (s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (p[0] != '\0' && mkdir(p, 0777) != 0 &&
			    (errno != EEXIST || !run_isdir(p)))
				return -1;
			*s = c;
		}
		if (*s == '\0')
			break;
	}
	return 0;
}

/*
 * Make the empty file m->path: its parents as mkdir -p makes them, then
 * the file, relative to the parent's descriptor, with O_EXCL and
 * O_NOFOLLOW, so that nothing that appeared there since it was looked
 * at (a link the jail left last time) is followed or truncated.
 */
static void
run_make_file(const struct run_mk *m)
{
	char *parent = run_strdup(m->path), *slash = strrchr(parent, '/');
	const char *base;
	int dfd, fd;

	if (slash == NULL || slash[1] == '\0')
		run_die("cannot create %s (for %s)", m->path, m->where);
	base = slash + 1;
	*slash = '\0';
	if (parent[0] == '\0')
		parent = "/";
	else if (run_mkdir_p(parent) != 0)
		run_die("cannot create %s (for %s): %s", parent, m->where,
		    strerror(errno));
	if ((dfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		run_die("cannot open %s (for %s): %s", parent, m->where,
		    strerror(errno));
	fd = openat(dfd, base,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, m->mode);
	if (fd < 0 && errno == EEXIST) {
		/* made since it was looked at: what is there now is
		 * bound, as any existing source would be */
		close(dfd);
		return;
	}
	if (fd < 0 || fchmod(fd, m->mode) != 0)
		run_die("cannot create %s (for %s): %s", m->path, m->where,
		    strerror(errno));
	close(fd);
	close(dfd);
}

/* jail_make_dirs: parents as mkdir -p makes them, the last one with
 * exactly its mode, as mkdir -m sets it (the umask does not apply). */
static void
run_make_dirs(void)
{
	size_t i;
	char *parent, *slash;
	int fd;

	for (i = 0; i < R.nmk; i++) {
		const struct run_mk *m = &R.mk[i];

		if (m->file) {
			run_make_file(m);
			continue;
		}
		if (run_isdir(m->path))
			continue;
		parent = run_strdup(m->path);
		if ((slash = strrchr(parent, '/')) != NULL)
			slash[0] = '\0';
		if ((parent[0] != '\0' && run_mkdir_p(parent) != 0) ||
		    mkdir(m->path, m->mode) != 0)
			run_die("cannot create %s (for %s)", m->path, m->where);
		fd = open(
		    m->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fchmod(fd, m->mode) != 0)
			run_die("cannot create %s (for %s)", m->path, m->where);
		close(fd);
	}
}

/*
 * Record in state.per-project's directory the project it belongs to,
 * for jailc state: OPTAB_STATE_MARK holding PROJECT_ROOT and a newline.
 * The jail can write there, so the file is written new and renamed over
 * whatever is in its place, never opened where it is: a link or a FIFO
 * left there is replaced, not followed.  A failure only loses the
 * record, and is said.
 */
static void
run_state_mark(void)
{
	const char *root = R.var[BLOB_V_PROJECT_ROOT];
	char tmp[64];
	size_t len;
	int dfd, fd;

	if (R.statedir == NULL || root == NULL)
		return;
	snprintf(tmp, sizeof(tmp), "%s.%ld", OPTAB_STATE_MARK, (long)getpid());
	len = strlen(root);
	if ((dfd = open(R.statedir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto fail;
	(void)unlinkat(dfd, tmp, 0);
	fd = openat(dfd, tmp,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		close(dfd);
		goto fail;
	}
	if (write(fd, root, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    close(fd) != 0 || renameat(dfd, tmp, dfd, OPTAB_STATE_MARK) != 0) {
		(void)unlinkat(dfd, tmp, 0);
		close(dfd);
		goto fail;
	}
	close(dfd);
	return;
fail:
	fprintf(stderr, "%s: cannot record the project in %s/%s: %s\n", R.name,
	    R.statedir, OPTAB_STATE_MARK, strerror(errno));
}

/* A new entry of bwrap's options, what it is and nothing else set. */
static struct run_arg *
run_arg_add(enum run_what what)
{
	struct run_arg *e;

	run_grow(&R.argv, &R.capargv, R.nargv + 1, sizeof(*R.argv));
	e = &R.argv[R.nargv++];
	memset(e, 0, sizeof(*e));
	e->what = what;
	e->mode = BLOB_NONE;
	e->fd = -1;
	return e;
}

static void
run_setenv(const char *name, const char *value)
{
	struct run_arg *e = run_arg_add(RUN_A_SETENV);

	e->a = name;
	e->b = value;
}

/* A mount of kind at dest (from src, where it has one). */
static struct run_arg *
run_mount_add(enum blob_kind kind, const char *src, const char *dest)
{
	struct run_arg *e = run_arg_add(RUN_A_MOUNT);

	e->kind = kind;
	e->a = src;
	e->b = dest;
	return e;
}

/* jail_env: --clearenv, then the child environment as --setenv words. */
static void
run_env(void)
{
	struct run_list passed = { NULL, 0, 0 };
	const char *list, *val;
	char *item;
	size_t i, k, n;

	(void)run_arg_add(RUN_A_CLEARENV);
	for (i = 0; i < R.host.nenv; i++) {
		const struct host_env *e = &R.host.env[i];

		if (!run_match(e->name, &R.allow) ||
		    run_match(e->name, &R.deny) ||
		    run_match(e->name, &R.setnames))
			continue;
		run_setenv(e->name, e->value);
		list_add(&passed, e->name);
	}
	/* ${!jail_extra-}: a launcher variable could be named too, but
	 * only a host one can hold names for the jail */
	list = R.extra != NULL ? run_getenv(R.extra) : NULL;
	while (list != NULL && *list != '\0') {
		n = strcspn(list, ",");
		/* trim spaces, not other blanks: as the script does */
		while (n > 0 && *list == ' ')
			list++, n--;
		item = run_alloc(n + 1);
		memcpy(item, list, n);
		item[n] = '\0';
		while (n > 0 && item[n - 1] == ' ')
			item[--n] = '\0';
		list += strcspn(list, ",");
		if (*list == ',')
			list++;
		if (item[0] == '\0')
			continue;
		if (!run_is_ident(item)) {
			run_fail("%s names '%s', which is not a variable name",
			    R.extra, item);
			continue;
		}
		/* A name the user lists arrives, or the launch says why
		 * not: never dropped in silence. */
		if (list_has(&passed, item))
			continue;
		if ((k = run_match_at(item, &R.deny)) != (size_t)-1) {
			run_fail("%s names %s, which env.deny refuses: pattern "
			         "'%s' (%s); take it out of %s, or out of the "
			         "profile's env.deny",
			    R.extra, item, R.deny.v[k], R.denywhere.v[k],
			    R.extra);
			continue;
		}
		if ((k = run_match_at(item, &R.setnames)) != (size_t)-1) {
			run_fail(
			    "%s names %s, which env.set gives its own "
			    "value (%s): the host's is not passed; take it "
			    "out of %s",
			    R.extra, item, R.setwhere.v[k], R.extra);
			continue;
		}
		if ((val = run_getenv(item)) == NULL) {
			run_note("%s names %s, which is not set here: not "
			         "passed",
			    R.extra, item);
			continue;
		}
		run_setenv(item, val);
		list_add(&passed, item);
	}
	for (i = 0; i < R.setnames.n; i++)
		run_setenv(R.setnames.v[i], R.setvals.v[i]);
}

static void
run_dest(const char *dest, const char *where)
{
	list_add(&R.dests, dest);
	list_add(&R.wheres, where);
}

/* jail_check_rw: a writable "/" or home directory, however spelt. */
static int
run_check_rw(const char *src, const char *where)
{
	if (host_holds_home(&R.host, src)) {
		run_fail("refusing to mount %s writable: it is or holds the "
		         "home directory or / (mount at %s)",
		    src, where);
		return -1;
	}
	return 0;
}

/* Whether a bind of kind is writable. */
static int
run_writable(enum blob_kind kind)
{
	return kind == BLOB_K_RW || kind == BLOB_K_DEV_BIND;
}

/* jail_bind */
static void
run_bind(enum blob_kind kind, int optional, const char *src, const char *dest,
    const char *where)
{
	struct stat st;
	size_t i;

	/* the same bind twice is one bind */
	for (i = 0; i < R.nbinds; i++)
		if (strcmp(R.binds[i].dest, dest) == 0 &&
		    strcmp(R.binds[i].src, src) == 0 &&
		    R.binds[i].kind == kind && R.binds[i].optional == optional)
			return;
	/* [ -e ] follows a link */
	if (stat(src, &st) != 0 && !list_has(&R.made, src)) {
		if (optional)
			return;
		run_fail("%s does not exist (required by the mount at %s)", src,
		    where);
		return;
	}
	if (run_writable(kind) && run_check_rw(src, where) != 0)
		return;
	run_mount_add(kind, src, dest)->optional = optional;
	run_dest(dest, where);
	run_grow(&R.binds, &R.capbinds, R.nbinds + 1, sizeof(*R.binds));
	R.binds[R.nbinds].dest = dest;
	R.binds[R.nbinds].src = src;
	R.binds[R.nbinds].kind = kind;
	R.binds[R.nbinds].optional = optional;
	R.nbinds++;
}

static const char *
run_perms(uint32_t mode)
{
	char *s = run_alloc(16);

	snprintf(s, 16, "%04o", (unsigned)mode & 07777);
	return s;
}

/* Note an empty path to make before bwrap and remove after the run
 * (run_make_pins, run_unpin), once. */
static void
run_ph_add(const char *path, int dir)
{
	size_t i;

	for (i = 0; i < R.nph; i++)
		if (strcmp(R.ph[i].path, path) == 0)
			return;
	run_grow(&R.ph, &R.capph, R.nph + 1, sizeof(*R.ph));
	R.ph[R.nph].path = path;
	R.ph[R.nph].dir = dir;
	R.ph[R.nph].data = "";
	R.ph[R.nph].real = NULL;
	R.nph++;
}

/*
 * A generated file (a data mount, the gitconfig) bound at dest inside a
 * writable bind: bwrap would make its mount point, and the directories
 * above it, in the host directory the bind shows, and leave them there,
 * empty, when the jail exits.  Make them here instead, as the empty
 * paths of protected ones are made, so that they are removed after the
 * run while they are still empty and where they were made.  A symbolic
 * link or anything but a directory on the way: left to bwrap, as
 * before.
 */
static void
run_data_mount_point(const char *dest)
{
	const char *d, *best = NULL, *src = NULL;
	struct stat st;
	size_t i, n, len = 0, end;
	char *host, *up;

	for (i = 0; i < R.dests.n; i++) {
		d = R.dests.v[i];
		n = strlen(d);
		if (strcmp(d, dest) == 0)
			return; /* a mount point already */
		if ((strcmp(d, "/") == 0 ||
		        (strncmp(dest, d, n) == 0 && dest[n] == '/')) &&
		    (best == NULL || n >= len)) {
			best = d;
			len = n;
		}
	}
	if (best == NULL)
		return;
	for (i = R.nbinds; i-- > 0;)
		if (strcmp(R.binds[i].dest, best) == 0) {
			if (run_writable(R.binds[i].kind))
				src = R.binds[i].src;
			break;
		}
	if (src == NULL)
		return;
	if (strcmp(best, "/") == 0)
		len = 0;
	host = run_cat(src, dest + len);
	n = strlen(src);
	for (end = n + 1; end <= strlen(host); end++) {
		end += strcspn(host + end, "/");
		up = run_alloc(end + 1);
		memcpy(up, host, end);
		up[end] = '\0';
		if (lstat(up, &st) == 0) {
			if (!S_ISDIR(st.st_mode) || host[end] == '\0')
				return;
			continue;
		}
		if (errno != ENOENT)
			return;
		/* the first missing component: it and all below it */
		for (;;) {
			run_ph_add(up, host[end] != '\0');
			if (host[end] == '\0')
				return;
			end++;
			end += strcspn(host + end, "/");
			up = run_alloc(end + 1);
			memcpy(up, host, end);
			up[end] = '\0';
		}
	}
}

/* jail_data */
static void
run_data(int fd, uint32_t mode, const char *dest, const char *text, size_t len,
    const char *where)
{
	struct run_arg *e;

	run_data_mount_point(dest);
	e = run_mount_add(BLOB_K_DATA, NULL, dest);

	e->mode = mode;
	e->fd = fd;
	run_grow(&R.data, &R.capdata, R.ndata + 1, sizeof(*R.data));
	R.data[R.ndata].fd = fd;
	R.data[R.ndata].text = text;
	R.data[R.ndata].len = len;
	R.data[R.ndata].secret = NULL;
	R.ndata++;
	run_dest(dest, where);
}

/*
 * What every jail's /proc hides or keeps read-only, after bwrap's
 * --proc (jail(5), LAUNCH, Proc and dev).  The list is the union of
 * what bubblewrap means to cover (sys, sysrq-trigger, irq, bus; 0.8.0
 * leaves sys writable, and the others too in a user's jail) and the
 * ReadonlyPaths and MaskedPaths of the OCI runtimes (runc, moby's
 * defaults).  The
 * sources are the host's: bwrap resolves a bind's source outside the
 * new root, and none of these depends on the proc instance (sysctls
 * are looked up in the caller's namespaces, the rest is global).
 */
enum run_cover {
	COVER_RO,   /* bound over itself, read-only */
	COVER_NULL, /* a file: /dev/null bound over it, read-only */
	COVER_DIR,  /* a directory: an empty read-only tmpfs over it */
};

static const struct {
	const char *name;
	enum run_cover how;
	int must; /* every kernel has it: a missing one refuses */
} run_covers[] = {
	/* sysctls: core_pattern and modprobe run programs as host root */
	{ "sys", COVER_RO, 1 },
	/* reboots, crashes or freezes the machine */
	{ "sysrq-trigger", COVER_RO, 0 },
	/* interrupt affinity of the host's devices */
	{ "irq", COVER_RO, 0 },
	/* PCI and USB configuration space */
	{ "bus", COVER_RO, 0 },
	/* file system tunables (nfsd, xfs, ...) */
	{ "fs", COVER_RO, 0 },
	/* ACPI wakeup and other writable firmware controls */
	{ "acpi", COVER_DIR, 0 },
	/* sound cards' controls and information */
	{ "asound", COVER_DIR, 0 },
	/* adds and removes SCSI devices */
	{ "scsi", COVER_DIR, 0 },
	/* the physical memory of the machine */
	{ "kcore", COVER_NULL, 0 },
	/* the descriptions of the keys of the user's sessions */
	{ "keys", COVER_NULL, 0 },
	/* the host's processes, their names and timers; root resets it */
	{ "latency_stats", COVER_NULL, 0 },
	{ "timer_list", COVER_NULL, 0 },
	{ "timer_stats", COVER_NULL, 0 },
	{ "sched_debug", COVER_NULL, 0 },
};

/* An option word of bwrap's, as its own entry. */
static void
run_word(const char *w)
{
	run_arg_add(RUN_A_WORD)->a = w;
}

/* An empty read-only tmpfs over the directory dest. */
static void
run_cover_dir(const char *dest)
{
	run_mount_add(BLOB_K_TMPFS, NULL, dest)->mode = 0555;
	run_word("--remount-ro");
	run_word(dest);
}

/* The covers of a proc mounted at dest, for the entries the host's
 * kernel has: bwrap makes no mount point inside a proc. */
static void
run_proc_covers(const char *dest)
{
	struct stat st;
	const char *host, *jail;
	size_t i;

	for (i = 0; i < sizeof(run_covers) / sizeof(run_covers[0]); i++) {
		host = run_cat("/proc/", run_covers[i].name);
		jail = run_cat(strcmp(dest, "/") == 0 ? "" : dest,
		    run_cat("/", run_covers[i].name));
		if (lstat(host, &st) != 0) {
			if (run_covers[i].must)
				run_fail("%s is missing: jailrun cannot make "
				         "it read-only in the jail",
				    host);
			continue;
		}
		if (run_covers[i].how == COVER_NULL && S_ISREG(st.st_mode))
			run_mount_add(BLOB_K_RO, "/dev/null", jail);
		else if (run_covers[i].how == COVER_DIR && S_ISDIR(st.st_mode))
			run_cover_dir(jail);
		else
			run_mount_add(BLOB_K_RO, host, jail);
	}
}

/* Under a bind of the host's /sys (the shipped profiles have none), what
 * the OCI runtimes mask: an empty read-only tmpfs over each. */
static const char *const run_sys_covers[] = {
	/* ACPI tables, EFI variables, the firmware's memory map */
	"firmware",
	/* energy counters: a side channel (PLATYPUS, CVE-2020-8694) */
	"devices/virtual/powercap",
};

static void
run_sys_covers_add(const char *dest)
{
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(run_sys_covers) / sizeof(run_sys_covers[0]); i++)
		if (stat(run_cat("/sys/", run_sys_covers[i]), &st) == 0 &&
		    S_ISDIR(st.st_mode))
			run_cover_dir(
			    run_cat(dest, run_cat("/", run_sys_covers[i])));
}

/* One profile mount: jail_bind, jail_fs, jail_symlink or jail_data. */
static void
run_mount(const unsigned char *r, const char *where)
{
	uint32_t kind = blob_get32(r + BLOB_O_KIND);
	uint32_t mode = blob_get32(r + BLOB_O_MODE);
	int optional = (blob_get16(r + BLOB_O_FLAGS) & BLOB_OPT_OPTIONAL) != 0;
	const char *a = run_str(blob_get32(r + BLOB_O_A));
	const char *b = run_str(blob_get32(r + BLOB_O_B));
	const char *c;
	struct run_arg *e;
	char *dest;
	size_t n;

	/* ${SSH_AUTH_SOCK} and the like, unset: an optional bind of it
	 * has nothing to bind */
	if (optional &&
	    (run_tmpl_unset(a != NULL ? a : "") || run_tmpl_unset(b)))
		return;
	dest = run_expand(b);

	switch ((enum blob_kind)kind) {
	case BLOB_K_RO:
	case BLOB_K_RW:
	case BLOB_K_DEV_BIND:
		c = run_expand(a);
		n = R.nargv;
		run_bind((enum blob_kind)kind, optional, c, dest, where);
		if (R.nargv > n && strcmp(c, "/sys") == 0)
			run_sys_covers_add(dest);
		if (kind == BLOB_K_DEV_BIND)
			list_add(&R.devbinds, c);
		break;
	case BLOB_K_TMPFS:
	case BLOB_K_DIR:
	case BLOB_K_PROC:
	case BLOB_K_DEV:
		e = run_mount_add((enum blob_kind)kind, NULL, dest);
		e->mode = mode;
		run_dest(dest, where);
		if (kind == BLOB_K_PROC)
			run_proc_covers(dest);
		if (kind == BLOB_K_DEV)
			R.devmount = 1;
		break;
	case BLOB_K_SYMLINK:
		run_mount_add(BLOB_K_SYMLINK, run_expand(a), dest);
		run_dest(dest, where);
		break;
	case BLOB_K_DATA:
		c = run_str(blob_get32(r + BLOB_O_C));
		run_data((int)blob_get32(r + BLOB_O_FD), mode, dest, c,
		    strlen(c), where);
		break;
	case BLOB_NKINDS:
	default:
		fprintf(stderr, "jailrun: internal error: mount kind\n");
		abort();
	}
}

/* jail_gitquote */
static void
run_gitquote(struct run_buf *b, const char *v)
{
	buf_putc(b, '"');
	for (; *v != '\0'; v++) {
		switch (*v) {
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		default:
			buf_putc(b, *v);
		}
	}
	buf_putc(b, '"');
}

/* jail_gitconfig: the host's name and e-mail, nothing else.  The text
 * is written once every op has been seen (run_gitconfig_text): asked
 * then, the git that reads the first checkout's core.hooksPath has
 * answered the identity too.  Where the host has none, a name and an
 * address that say where the commit was made, so that a commit in the
 * jail does not fail with "Author identity unknown". */
#define RUN_GIT_FALLBACK_NAME "jailc agent"
#define RUN_GIT_FALLBACK_EMAIL "agent@jail.invalid"
static void
run_gitconfig(int fd, const char *dest, const char *where)
{
	run_grow(&R.gitcfg, &R.capgitcfg, R.ngitcfg + 1, sizeof(*R.gitcfg));
	R.gitcfg[R.ngitcfg++] = R.ndata;
	run_data(fd, BLOB_NONE, dest, "", 0, where);
}

static void
run_gitconfig_text(void)
{
	struct run_buf t = { NULL, 0, 0 }, below = { NULL, 0, 0 };
	const char *name, *email, *root;
	size_t i;

	if (R.ngitcfg == 0)
		return;
	host_git_identity(&R.host, &name, &email);
	if (name[0] == '\0')
		name = RUN_GIT_FALLBACK_NAME;
	if (email[0] == '\0')
		email = RUN_GIT_FALLBACK_EMAIL;
	buf_add(&t, "", 0);
	buf_puts(&t, "[user]\n\tname = ");
	run_gitquote(&t, name);
	buf_puts(&t, "\n\temail = ");
	run_gitquote(&t, email);
	buf_putc(&t, '\n');
	/* The project, and the repositories nested in it: git 2.46 and
	 * later read a value ending in slash-star as every path below;
	 * an older git takes it as one literal path, matching nothing. */
	buf_puts(&t, "[safe]\n\tdirectory = ");
	run_gitquote(&t, R.var[BLOB_V_PROJECT_ROOT]);
	root = R.var[BLOB_V_PROJECT_ROOT];
	buf_puts(&below, root);
	if (below.len == 0 || root[below.len - 1] != '/')
		buf_putc(&below, '/');
	buf_putc(&below, '*');
	buf_puts(&t, "\n\tdirectory = ");
	run_gitquote(&t, below.s);
	buf_putc(&t, '\n');
	for (i = 0; i < R.ngitcfg; i++) {
		R.data[R.gitcfg[i]].text = t.s;
		R.data[R.gitcfg[i]].len = t.len;
	}
}

/* jail_pin_writable: whether the deepest mount holding path is a
 * writable bind of the same host path. */
static int
run_pin_writable(const char *path)
{
	size_t i, n, len = 0;
	const char *d, *best = NULL;

	for (i = 0; i < R.dests.n; i++) {
		d = R.dests.v[i];
		n = strlen(d);
		if (strcmp(d, path) == 0 || strcmp(d, "/") == 0 ||
		    (strncmp(path, d, n) == 0 && path[n] == '/'))
			if (best == NULL || n >= len) {
				best = d;
				len = n;
			}
	}
	if (best == NULL)
		return 0;
	for (i = 0; i < R.npins; i++)
		if (strcmp(R.pins[i].path, best) == 0)
			return R.pins[i].kind == BLOB_K_RW;
	for (i = 0; i < R.nbinds; i++)
		if (strcmp(R.binds[i].dest, best) == 0)
			return strcmp(R.binds[i].src, best) == 0 &&
			    run_writable(R.binds[i].kind);
	return 0;
}

/* The pin of path, or NULL. */
static const struct run_pin *
run_pinned(const char *path)
{
	size_t i;

	for (i = 0; i < R.npins; i++)
		if (strcmp(R.pins[i].path, path) == 0)
			return &R.pins[i];
	return NULL;
}

static void run_pin_above(const char *path, const char *where);

/* jail_pin_add: path bound onto itself, read-only (RO) or as a writable
 * mount point (RW), each directory between it and the mount holding it
 * bound onto itself first (run_pin_above).  A read-only pin of a
 * directory bound only to stop a rename turns that bind read-only: in
 * its place, so that it still comes before the pins inside it. */
static void
run_pin_add(enum blob_kind kind, const char *path, const char *where)
{
	struct run_pin *pin = (struct run_pin *)run_pinned(path);

	if (pin != NULL) {
		if (pin->above && kind == BLOB_K_RO) {
			pin->kind = BLOB_K_RO;
			pin->above = 0;
			R.argv[pin->arg].kind = BLOB_K_RO;
		}
		return;
	}
	run_pin_above(path, where);
	run_grow(&R.pins, &R.cappins, R.npins + 1, sizeof(*R.pins));
	R.pins[R.npins].path = path;
	R.pins[R.npins].kind = kind;
	R.pins[R.npins].arg = R.nargv;
	R.pins[R.npins].above = 0;
	R.npins++;
	run_mount_add(kind, path, path);
	run_dest(path, where);
}

/*
 * jail_pin_above: a mount point cannot be renamed or removed (EBUSY),
 * but the directory holding it can, and the mount moves with it: "mv
 * .husky .husky.old; mkdir -p .husky/_" puts an unprotected hooks
 * directory where git looks.  So every directory between path and the
 * deepest mount holding it is bound onto itself, writable as it was,
 * shallow to deep and before path.  Each is a real directory: the walk
 * that found path followed no link below the mount, and one above the
 * walk's base is refused here.  A mount already inside one of them
 * would be hidden by its bind; the launch is refused instead.
 */
static void
run_pin_above(const char *path, const char *where)
{
	struct stat st;
	const char *d, *best = NULL;
	char *up;
	size_t i, n, len = 0, end, dn;

	for (i = 0; i < R.dests.n; i++) {
		d = R.dests.v[i];
		n = strcmp(d, "/") == 0 ? 0 : strlen(d);
		if (strncmp(path, d, n) == 0 && path[n] == '/' &&
		    (best == NULL || n >= len)) {
			best = d;
			len = n;
		}
	}
	if (best == NULL)
		return;
	for (end = len + 1; (end += strcspn(path + end, "/")) < strlen(path);
	     end++) {
		up = run_alloc(end + 1);
		memcpy(up, path, end);
		up[end] = '\0';
		if (run_pinned(up) != NULL)
			continue;
		if (lstat(up, &st) != 0 || !S_ISDIR(st.st_mode)) {
			run_fail("%s, above the protected %s, is not a "
			         "directory; it cannot be bound onto itself to "
			         "keep it from being renamed (for %s)",
			    up, path, where);
			return;
		}
		for (i = 0; i < R.dests.n; i++) {
			d = R.dests.v[i];
			dn = strlen(d);
			if (dn > end && strncmp(d, up, end) == 0 &&
			    d[end] == '/') {
				run_fail("the mount on %s (at %s) lies in %s, "
				         "above the protected %s: binding %s "
				         "onto itself to keep it from being "
				         "renamed would hide that mount (mount "
				         "%s itself first, or name the path in "
				         "protect.remove) (for %s)",
				    d, R.wheres.v[i], up, path, up, up, where);
				return;
			}
		}
		run_grow(&R.pins, &R.cappins, R.npins + 1, sizeof(*R.pins));
		R.pins[R.npins].path = up;
		R.pins[R.npins].kind = BLOB_K_RW;
		R.pins[R.npins].arg = R.nargv;
		R.pins[R.npins].above = 1;
		R.npins++;
		run_mount_add(BLOB_K_RW, up, up);
		run_dest(up, where);
	}
}

/* host_pin_walk asks the jail's mounts so far through these. */
static int
run_walk_writable(void *arg, const char *path)
{
	(void)arg;
	return run_pin_writable(path);
}

static int
run_walk_pinned_ro(void *arg, const char *path)
{
	const struct run_pin *pin = run_pinned(path);

	(void)arg;
	return pin != NULL && pin->kind == BLOB_K_RO;
}

/* jail_pin: base/rel, one component at a time, following no link
 * (host_pin_walk); pinned where the walk says. */
static void
run_pin(enum blob_kind kind, const char *base, const char *rel, int dir,
    const char *content, const char *where)
{
	static const struct host_mounts m = { run_walk_writable,
		run_walk_pinned_ro, NULL };
	struct host_pin pin;
	const char *full;
	size_t i;
	int ro = kind != BLOB_K_RW;

	host_pin_walk(&R.host, &m, ro, base, rel, dir, content, &pin);
	switch (pin.kind) {
	case HOST_PIN_NONE:
		break;
	case HOST_PIN_LINK:
		run_fail("%s is a symbolic link; a protected path is not "
		         "followed (replace the link, or name it in "
		         "protect.remove) (for %s)",
		    pin.path, where);
		break;
	case HOST_PIN_TARGET:
		run_pin_add(BLOB_K_RO, pin.path, where);
		break;
	case HOST_PIN_WATCH:
		full = run_cat(pin.path, run_cat("/", pin.data));
		for (i = 0; i < R.nwatch; i++)
			if (strcmp(R.watch[i].path, full) == 0)
				return;
		run_grow(&R.watch, &R.capwatch, R.nwatch + 1, sizeof(*R.watch));
		R.watch[R.nwatch].base = pin.path;
		R.watch[R.nwatch].path = full;
		R.watch[R.nwatch].where = where;
		R.watch[R.nwatch].dir = pin.dir;
		R.nwatch++;
		break;
	case HOST_PIN_EMPTY:
		run_grow(&R.ph, &R.capph, R.nph + 1, sizeof(*R.ph));
		R.ph[R.nph].path = pin.path;
		R.ph[R.nph].dir = pin.dir;
		R.ph[R.nph].data = pin.data;
		R.ph[R.nph].real = NULL;
		R.nph++;
		run_pin_add(BLOB_K_RO, pin.path, where);
		break;
	case HOST_PIN_PATH:
		/* a writable one: never "/" or the home directory */
		if (!ro && run_check_rw(pin.path, where) != 0)
			break;
		run_pin_add(kind, pin.path, where);
		if (!ro && strcmp(rel, ".git") == 0 &&
		    !list_has(&R.checkouts, base))
			list_add(&R.checkouts, base);
		break;
	default:
		fprintf(stderr, "jailrun: internal error: pin kind\n");
		abort();
	}
}

/* jail_protect: a pattern with * or ? pins what matches at launch, in
 * strcmp order of the paths, as the shell sorts them. */
static void
run_protect(enum blob_kind kind, const char *base, const char *pat, int dir,
    const char *content, const char *where)
{
	char **match;
	size_t i, n;

	if (strpbrk(pat, "*?") == NULL) {
		run_pin(kind, base, pat, dir, content, where);
		return;
	}
	match = host_glob(&R.host, base, pat, where, &n);
	for (i = 0; match != NULL && i < n; i++)
		run_pin(kind, base, match[i], dir, content, where);
}

/* jail_protect_git: pin the directory git configuration key names for
 * the checkout at base (core.hooksPath), as run_pin pins a directory.
 * No .git at base: no checkout, and no git run.  A relative value is
 * under base, where git runs hooks; the walk starts at the deepest
 * mount above the path, since what lies above a mount point cannot be
 * swapped. */
static void
run_protect_git(enum blob_kind kind, const char *base, const char *key, int dir,
    const char *where)
{
	const char *val, *best = NULL, *d;
	char *path;
	size_t i, dn;

	if ((path = host_git_path(&R.host, base, key, where, &val)) == NULL)
		return;
	for (i = 0; i < R.dests.n; i++) {
		d = strcmp(R.dests.v[i], "/") == 0 ? "" : R.dests.v[i];
		dn = strlen(d);
		if (strncmp(path, d, dn) == 0 && path[dn] == '/' &&
		    (best == NULL || dn >= strlen(best)))
			best = d;
	}
	if (best == NULL)
		best = "";
	run_pin(kind, best, path + strlen(best) + 1, dir, NULL,
	    run_cat(
	        where, run_cat(": git:", run_cat(key, run_cat(" = ", val)))));
}

/* jail_make_pins: the empty paths, once every check has passed. */
/* The directory holding path, resolved; NULL when it cannot be. */
static char *
run_parent_real(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real;

	if (slash == NULL || slash == path)
		return NULL;
	if ((dir = strndup(path, (size_t)(slash - path))) == NULL)
		return NULL;
	real = realpath(dir, NULL);
	free(dir);
	return real;
}

static void
run_make_pins(void)
{
	size_t i, len;
	int fd;

	for (i = 0; i < R.nph; i++) {
		struct run_ph *p = &R.ph[i];

		if (p->dir) {
			if (mkdir(p->path, 0755) != 0)
				run_die("cannot create %s (a protected path)",
				    p->path);
			R.phmade = i + 1;
			/* mode 0755 exactly, as mkdir -m sets it */
			fd = open(p->path,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0 || fchmod(fd, 0755) != 0)
				run_die("cannot create %s (a protected path)",
				    p->path);
			close(fd);
			p->real = run_parent_real(p->path);
			continue;
		}
		fd = open(p->path,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd < 0)
			run_die("cannot create %s (a protected path)", p->path);
		R.phmade = i + 1;
		p->real = run_parent_real(p->path);
		len = strlen(p->data);
		if (write(fd, p->data, len) != (ssize_t)len)
			run_die("cannot create %s (a protected path)", p->path);
		close(fd);
	}
}

/* jail_unpin: remove the empty paths this run made, last first, each
 * only while it is still what was made, in the directory it was made in
 * (the jail may have moved a parent away and left a link to elsewhere
 * in its place). */
static void
run_unpin(void)
{
	char buf[64], *real;
	ssize_t got;
	size_t i, len;
	int fd, same;

	for (i = R.phmade; i-- > 0;) {
		const struct run_ph *p = &R.ph[i];

		real = run_parent_real(p->path);
		same = real != NULL && p->real != NULL &&
		    strcmp(real, p->real) == 0;
		free(real);
		if (!same)
			continue;
		if (p->dir) {
			(void)rmdir(p->path);
			continue;
		}
		fd = open(p->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = strlen(p->data);
		got = read(fd, buf, sizeof(buf));
		close(fd);
		if (got == (ssize_t)len && memcmp(buf, p->data, len) == 0)
			(void)unlink(p->path);
	}
	R.phmade = 0;
}

/* The number of executable regular files in the directory name at dfd,
 * not descending (a hooks directory runs what is at its top). */
static size_t
run_count_exec(int dfd, const char *name)
{
	struct dirent *e;
	struct stat st;
	size_t n = 0;
	DIR *d;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' &&
		    fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0)
			n++;
	closedir(d);
	return n;
}

/* Move name at dfd (shown as shown) aside in its own directory, to
 * NAME.jail-quarantine, or .1, .2 and on where that is taken: never
 * over anything, never following a link, nothing removed. */
static void
run_quarantine(int dfd, const char *name, const char *shown, const char *why)
{
	struct stat st;
	const char *what;
	char q[PATH_MAX];
	size_t nexec = 0;
	unsigned i;
	int rc;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return;
	what = S_ISLNK(st.st_mode) ? "a symbolic link"
	    : S_ISDIR(st.st_mode)  ? "a directory"
	                           : "a file";
	if (S_ISDIR(st.st_mode))
		nexec = run_count_exec(dfd, name);
	R.found++;
	for (i = 0;; i++) {
		if (i == 0)
			snprintf(q, sizeof(q), "%s.jail-quarantine", name);
		else
			snprintf(
			    q, sizeof(q), "%s.jail-quarantine.%u", name, i);
		rc = run_renameat2(dfd, name, dfd, q);
		if (rc == 0 || errno != EEXIST || i >= 1000)
			break;
	}
	if (rc != 0) {
		fprintf(stderr,
		    "%s: the jail made %s (%s)%s, and it cannot be moved "
		    "aside: %s; remove it before you run anything there\n",
		    R.name, shown, what, why, strerror(errno));
		return;
	}
	fprintf(stderr, "%s: the jail made %s (%s)%s: moved aside to %s",
	    R.name, shown, what, why, q);
	if (nexec > 0)
		fprintf(stderr, " (%zu executable file%s in it)", nexec,
		    nexec == 1 ? "" : "s");
	fputc('\n', stderr);
}

/*
 * jail_watch_check: each protected path that was missing at launch and
 * has been made since is moved aside (run_quarantine), before the user
 * runs anything there.  The walk opens one component at a time from the
 * mount it started at, following no link: a link on the way that leads
 * to something at the protected name is itself what is moved (the jail
 * made it: the launch walk refused any link there).
 */
static void
run_watch_check(void)
{
	const struct run_watch *w;
	struct stat st;
	const char *rel, *comp;
	char *name, *shown;
	size_t i, n;
	int fd, nfd;

	for (i = 0; i < R.nwatch; i++) {
		w = &R.watch[i];
		fd = open(w->base[0] != '\0' ? w->base : "/",
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		rel = w->path + strlen(w->base) + 1;
		for (comp = rel;; comp += n + 1) {
			n = strcspn(comp, "/");
			name = run_alloc(n + 1);
			memcpy(name, comp, n);
			name[n] = '\0';
			shown = run_alloc((size_t)(comp - w->path) + n + 1);
			memcpy(shown, w->path, (size_t)(comp - w->path) + n);
			shown[(size_t)(comp - w->path) + n] = '\0';
			if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				break;
			if (comp[n] == '\0') {
				run_quarantine(
				    fd, name, shown, ", a protected path");
				break;
			}
			if (S_ISLNK(st.st_mode)) {
				/* stat only: does it lead to the name? */
				if (fstatat(fd, comp, &st, 0) == 0)
					run_quarantine(fd, name, shown,
					    run_cat(" on the way to the "
					            "protected ",
					        w->path));
				break;
			}
			if (!S_ISDIR(st.st_mode))
				break;
			nfd = openat(fd, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (nfd < 0)
				break;
			close(fd);
			fd = nfd;
		}
		close(fd);
	}
}

/* Whether git configuration key (section[.subsection].name, as
 * written) makes git run a command: the ones a status, diff, fetch or
 * checkout in a submodule may run. */
static int
run_git_key_runs(const char *sect, const char *key)
{
	static const char *const keys[] = { "core.fsmonitor", "core.hookspath",
		"core.sshcommand", "core.gitproxy", "core.askpass",
		"core.pager", "core.editor", "diff.external", "sequence.editor",
		"credential.helper", "uploadpack.packobjectshook" };
	char full[256];
	size_t i;

	if (strncmp(sect, "filter", 6) == 0 || strncmp(sect, "include", 7) == 0)
		return 1;
	if ((strncmp(sect, "diff ", 5) == 0 ||
	        strncmp(sect, "merge ", 6) == 0) &&
	    (strcmp(key, "textconv") == 0 || strcmp(key, "command") == 0 ||
	        strcmp(key, "driver") == 0))
		return 1;
	snprintf(full, sizeof(full), "%s.%s", sect, key);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(full, keys[i]) == 0)
			return 1;
	return 0;
}

/* What the git configuration file name in git directory gd would run:
 * the first such key (run_git_key_runs), or NULL.  Opened as git opens
 * it, through a link too (reading runs nothing), but never blocking on
 * a FIFO; one that is not a regular file, or larger than 1 MiB (padding
 * that would push a key past a shorter read), is itself the answer. */
static const char *
run_gitcfg_runs(int gd, const char *name)
{
	char sect[128] = "", plain[128], key[64], *buf, *line, *e;
	struct stat st;
	size_t k, len, got = 0;
	ssize_t n;
	int fd;

	fd = openat(gd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (1 << 20)) {
		close(fd);
		return run_cat(name, " (not a small regular file)");
	}
	buf = run_alloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size &&
	    ((n = read(fd, buf + got, (size_t)st.st_size - got)) > 0 ||
	        (n < 0 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	for (line = buf; line != NULL && *line != '\0'; line = e) {
		if ((e = strchr(line, '\n')) != NULL)
			*e++ = '\0';
		line += strspn(line, " \t\r");
		if (*line == '[') {
			len = strcspn(line + 1, "]");
			for (k = 0; k < len && k + 1 < sizeof(sect); k++)
				sect[k] =
				    (char)tolower((unsigned char)line[1 + k]);
			sect[k] = '\0';
			/* [a.b] is [a "b"] */
			if (strchr(sect, '"') == NULL &&
			    strchr(sect, '.') != NULL)
				*strchr(sect, '.') = ' ';
			/* a key may follow on the same line */
			line += 1 + len + (line[1 + len] == ']');
			line += strspn(line, " \t\r");
		}
		len = strcspn(line, " \t\r=");
		if (len == 0 || *line == '#' || *line == ';')
			continue;
		for (k = 0; k < len && k + 1 < sizeof(key); k++)
			key[k] = (char)tolower((unsigned char)line[k]);
		key[k] = '\0';
		/* the subsection without its quotes */
		for (k = 0, len = 0; sect[k] != '\0'; k++)
			if (sect[k] != '"')
				plain[len++] = sect[k];
		plain[len] = '\0';
		if (run_git_key_runs(plain, key))
			return run_cat(run_cat(plain, "."), key);
	}
	return NULL;
}

/* What in git directory gd would run a command: a key of its config or
 * config.worktree, a commondir (git would read another directory's
 * configuration and hooks), or "hooks" for a hook that is not a sample;
 * NULL for none. */
static const char *
run_gitdir_runs(int gd)
{
	const char *what;
	struct dirent *de;
	struct stat st;
	size_t len;
	DIR *d;
	int fd;

	if ((what = run_gitcfg_runs(gd, "config")) != NULL ||
	    (what = run_gitcfg_runs(gd, "config.worktree")) != NULL)
		return what;
	if (fstatat(gd, "commondir", &st, AT_SYMLINK_NOFOLLOW) == 0)
		return "a commondir";
	/* git follows a hooks directory that is a link: so does this */
	fd = openat(gd, "hooks", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    (len > 7 && strcmp(de->d_name + len - 7, ".sample") == 0))
			continue;
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISDIR(st.st_mode)) {
			closedir(d);
			return "hooks";
		}
	}
	closedir(d);
	return NULL;
}

/* The git directory of the submodule at path under checkout (open at
 * top): path/.git, a directory or a "gitdir:" file (read, its target
 * opened as git would), else .git/modules/path.  -1 for none. */
static int
run_submodule_gitdir(int top, const char *path)
{
	char buf[4096], *dir, *nl;
	ssize_t n;
	int fd, gd;

	dir = run_cat(path, "/.git");
	gd = openat(top, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (gd >= 0)
		return gd;
	fd = openat(top, dir, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 8 && strncmp(buf, "gitdir: ", 8) == 0) {
			buf[n] = '\0';
			if ((nl = strchr(buf, '\n')) != NULL)
				*nl = '\0';
			gd = buf[8] == '/'
			    ? open(buf + 8, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
			    : openat(top, run_cat(path, run_cat("/", buf + 8)),
			          O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (gd >= 0)
				return gd;
		}
	}
	return openat(top, run_cat(".git/modules/", path),
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static uint32_t
run_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Walk the index m (size bytes) of the checkout open at top, its hashes
 * hashlen bytes long; with report set, say which gitlinks' git
 * directories would run something.  Returns 0 when every entry parsed. */
static int
run_index_walk(int top, const char *checkout, const unsigned char *m,
    size_t size, size_t hashlen, int report)
{
	const unsigned char *p = m + 12, *end = m + size, *start;
	char path[PATH_MAX], prev[PATH_MAX] = "";
	const char *what;
	uint32_t ver = run_be32(m + 4), count = run_be32(m + 8), i, mode;
	size_t len, strip, plen, fixed = 40 + hashlen + 2;
	int gd;

	if (memcmp(m, "DIRC", 4) != 0 || ver < 2 || ver > 4)
		return -1;
	for (i = 0; i < count; i++) {
		start = p;
		if ((size_t)(end - p) < fixed + 2)
			return -1;
		mode = run_be32(p + 24);
		p += fixed;
		if (ver >= 3 && (p[-2] & 0x40) != 0)
			p += 2; /* extended flags */
		if (p >= end)
			return -1;
		if (ver == 4) {
			/* bytes to drop from the previous path: a varint */
			strip = *p & 0x7f;
			while (*p++ & 0x80) {
				if (p >= end)
					return -1;
				strip = ((strip + 1) << 7) | (*p & 0x7f);
			}
			plen = strlen(prev);
			len = strnlen((const char *)p, (size_t)(end - p));
			if (strip > plen || p + len >= end ||
			    plen - strip + len >= sizeof(path))
				return -1;
			memcpy(path, prev, plen - strip);
			memcpy(path + plen - strip, p, len);
			path[plen - strip + len] = '\0';
			p += len + 1;
		} else {
			len = strnlen((const char *)p, (size_t)(end - p));
			if (p + len >= end || len >= sizeof(path))
				return -1;
			memcpy(path, p, len);
			path[len] = '\0';
			/* NUL-padded to a multiple of 8 */
			p = start +
			    (((size_t)(p - start) + len + 8) & ~(size_t)7);
			if (p > end)
				return -1;
		}
		memcpy(prev, path, strlen(path) + 1);
		if (!report || (mode & 0170000) != 0160000)
			continue;
		if ((gd = run_submodule_gitdir(top, path)) < 0)
			continue;
		what = run_gitdir_runs(gd);
		close(gd);
		if (what == NULL)
			continue;
		R.found++;
		fprintf(stderr,
		    "%s: the index of %s has a submodule %s whose git "
		    "directory has %s, which the host's git status would "
		    "run; look, then git rm --cached %s\n",
		    R.name, checkout, path, what, path);
	}
	return 0;
}

/* Whether the repository of the checkout open at top names SHA-256
 * (extensions.objectFormat): its index holds 32-byte hashes. */
static int
run_git_sha256(int top)
{
	char buf[65536], *p;
	ssize_t n;
	size_t i;
	int fd;

	fd = openat(top, ".git/config", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (i = 0; i < (size_t)n; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	for (p = buf; (p = strstr(p, "objectformat")) != NULL;) {
		p += strlen("objectformat");
		p += strspn(p, " \t");
		if (*p == '=' &&
		    strncmp(p + 1 + strspn(p + 1, " \t\""), "sha256", 6) == 0)
			return 1;
	}
	return 0;
}

/*
 * jail_gitlinks: a submodule in the index (a gitlink, mode 160000) is
 * entered by the host's next git status, which runs what its own git
 * directory configures (core.fsmonitor, hooks, filters).  The jail can
 * make a repository of its own and add it so; no mount stops that and
 * keeps git usable.  So when the jail exits, the index of each checkout
 * whose .git was pinned is read here (no git is run: it would obey what
 * it reads), and each gitlink whose git directory would run something
 * is reported.  Index versions 2 to 4, SHA-1 or SHA-256 (as the
 * repository's configuration, pinned read-only, says), up to 64 MiB.
 */
static void
run_gitlinks(void)
{
	struct stat st;
	unsigned char *m;
	size_t c, hashlen;
	int top, fd;

	for (c = 0; c < R.checkouts.n; c++) {
		if ((top = open(R.checkouts.v[c],
		         O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		fd = openat(
		    top, ".git/index", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_size < 12 || st.st_size > (64 << 20) ||
		    (m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		         fd, 0)) == MAP_FAILED) {
			if (fd >= 0)
				close(fd);
			close(top);
			continue;
		}
		close(fd);
		hashlen = run_git_sha256(top) ? 32 : 20;
		(void)run_index_walk(
		    top, R.checkouts.v[c], m, (size_t)st.st_size, hashlen, 1);
		munmap(m, (size_t)st.st_size);
		close(top);
	}
}

/* Order destinations by text, then by position: the first of equal
 * ones comes first. */
static int
run_dest_cmp(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = strcmp(R.dests.v[i], R.dests.v[j]);

	if (c != 0)
		return c;
	return i < j ? -1 : i > j;
}

/* The position of the first mount on dest, or (size_t)-1. */
static size_t
run_dest_first(const size_t *idx, const char *dest)
{
	size_t lo = 0, hi = R.dests.n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(R.dests.v[idx[mid]], dest) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < R.dests.n && strcmp(R.dests.v[idx[lo]], dest) == 0)
		return idx[lo];
	return (size_t)-1;
}

/* jail_check_order */
static void
run_check_order(void)
{
	const char *cwd = R.var[BLOB_V_CWD], *a;
	size_t i, j, n, *idx;
	int inside = 0;

	for (i = 0; i < R.nbinds; i++) {
		a = R.binds[i].dest;
		n = strlen(a);
		if (strcmp(a, "/") == 0 || strcmp(a, cwd) == 0 ||
		    (strncmp(cwd, a, n) == 0 && cwd[n] == '/'))
			inside = 1;
	}
	if (!inside)
		run_fail("the current directory %s is not in the jail (no "
		         "mount holds it)",
		    cwd);
	/* As the shell does it: each destination once (the first), then
	 * each one's ancestors, a later mount on one hiding it.  A sorted
	 * index keeps it n log n for blobs with many mounts. */
	idx = run_alloc((R.dests.n > 0 ? R.dests.n : 1) * sizeof(*idx));
	for (i = 0; i < R.dests.n; i++)
		idx[i] = i;
	qsort(idx, R.dests.n, sizeof(*idx), run_dest_cmp);
	for (i = 0; i < R.dests.n; i++) {
		j = run_dest_first(idx, R.dests.v[i]);
		if (j != i)
			run_fail("two mounts on %s (at %s and %s)",
			    R.dests.v[i], R.wheres.v[j], R.wheres.v[i]);
	}
	for (i = 0; i < R.dests.n; i++) {
		char *up = run_strdup(R.dests.v[i]), *slash;

		a = R.dests.v[i];
		while (strcmp(up, "/") != 0) {
			slash = strrchr(up, '/');
			if (slash == up)
				up[1] = '\0';
			else
				*slash = '\0';
			j = run_dest_first(idx, up);
			if (j != (size_t)-1 && j > i)
				run_fail("the mount on %s (at %s) would hide "
				         "the mount on %s (at %s)",
				    up, R.wheres.v[j], a, R.wheres.v[i]);
		}
	}
}

static int
run_is_env_op(unsigned op)
{
	return op == BLOB_ENV_ALLOW || op == BLOB_ENV_DENY ||
	    op == BLOB_ENV_EXTRA || op == BLOB_ENV_SET || op == BLOB_REDACT;
}

/* jail_plan: every op, in order, by one switch. */
/* jail_machine: the kernel's name for this machine. */
static const char *
run_machine(void)
{
	static char m[65];
	struct utsname u;
	ssize_t n;
	int fd;

	if ((fd = open("/proc/sys/kernel/arch", O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, m, sizeof(m) - 1);
		close(fd);
		if (n > 0) {
			m[n] = '\0';
			m[strcspn(m, "\n")] = '\0';
			if (m[0] != '\0')
				return m;
		}
	}
	if (uname(&u) != 0)
		return "unknown";
	snprintf(m, sizeof(m), "%s", u.machine);
	return m;
}

static int
run_hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c - 'a' + 10;
}

/* jail_seccomp: the verifier checked the hex. */
static void
run_seccomp(int fd, const char *machine, const char *hex, const char *where)
{
	const char *here = run_machine();
	size_t i;

	if (strcmp(here, machine) != 0) {
		run_fail("the seccomp filter is for %s, this machine is %s "
		         "(compile the profile here; %s)",
		    machine, here, where);
		return;
	}
	run_arg_add(RUN_A_SECCOMP)->fd = fd;
	R.bpffd = fd;
	R.bpfhex = hex;
	R.bpflen = strlen(hex) / 2;
	R.bpf = run_alloc(R.bpflen);
	for (i = 0; i < R.bpflen; i++)
		R.bpf[i] = (unsigned char)(run_hexval(hex[2 * i]) << 4 |
		    run_hexval(hex[2 * i + 1]));
}

/*
 * The cgroups of a launch (jail(5), process.limits).  A launch by root
 * gets its nproc limit from a pids cgroup: the kernel applies
 * RLIMIT_NPROC to no process of the host's uid 0 (copy_process exempts
 * INIT_USER), and root in the jail is that uid outside.  Any launch
 * gets its memory limit from a memory cgroup, since no rlimit caps what
 * a jail's processes use together (RLIMIT_AS is per process, and a V8
 * or JavaScriptCore runtime reserves far more address space than it
 * uses).  Each cgroup is made in the launcher's own, in the hierarchy
 * that holds the controller (cgroup v1's, or v2's when its
 * cgroup.controllers lists it), so that the limits above it still
 * count; a memory limit that a cgroup above the launcher already gives
 * (systemd-run --scope -p MemoryMax=, a container's) needs none.
 */

/* Whether list, words separated by sep, holds word. */
static int
run_has_word(const char *list, const char *word, char sep)
{
	size_t n = strlen(word);
	const char *p;

	for (p = list; *p != '\0'; p++) {
		if ((p == list || p[-1] == sep) && strncmp(p, word, n) == 0 &&
		    (p[n] == sep || p[n] == '\0' || p[n] == '\n'))
			return 1;
	}
	return 0;
}

/* The launcher's cgroups as /proc/self/cgroup names them: in the v1
 * hierarchy holding ctl (*v1) and in v2 (*v2), or NULL. */
static void
run_cgroup_self(const char *ctl_want, char **v1, char **v2)
{
	char *line = NULL, *ctl, *rel;
	size_t cap = 0;
	ssize_t n;
	FILE *fp;

	*v1 = *v2 = NULL;
	if ((fp = fopen("/proc/self/cgroup", "re")) == NULL)
		return;
	while ((n = getline(&line, &cap, fp)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if ((ctl = strchr(line, ':')) == NULL ||
		    (rel = strchr(ctl + 1, ':')) == NULL)
			continue;
		*ctl++ = '\0';
		*rel++ = '\0';
		if (strcmp(line, "0") == 0 && ctl[0] == '\0')
			*v2 = run_strdup(rel);
		else if (run_has_word(ctl, ctl_want, ','))
			*v1 = run_strdup(rel);
	}
	free(line);
	fclose(fp);
}

/* The first line of path without its newline, or "" when it cannot be
 * read: a cgroup file that is not there is an answer here. */
static char *
run_firstline(const char *path)
{
	char *line = NULL, *copy;
	size_t cap = 0;
	ssize_t n;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL)
		return "";
	n = getline(&line, &cap, fp);
	fclose(fp);
	if (n <= 0) {
		free(line);
		return "";
	}
	line[strcspn(line, "\n")] = '\0';
	copy = run_strdup(line);
	free(line);
	return copy;
}

/* A cgroup mount that may hold a controller (jail_cgm). */
struct run_cgm {
	char *mp;
	int v2, ro, hidden;
};

/* jail_cgroup_mounts: the cgroup mounts that may hold ctl, in the
 * order of /proc/self/mountinfo; one that a later one on or above its
 * mount point hides is marked so (a read-only bind over /sys/fs/cgroup,
 * as in many containers, hides the writable mounts below it, which
 * mountinfo still lists first).  Lines are ID PARENT MAJ:MIN ROOT
 * MOUNTPOINT OPTIONS [TAGS...] - TYPE SOURCE SUPEROPTIONS; a mount of
 * part of a hierarchy (ROOT not /) or at an escaped name (\040 for a
 * space) is left out. */
static struct run_cgm *
run_cgroup_mounts(const char *ctl, size_t *count)
{
	struct run_cgm *m = NULL;
	size_t n = 0, capm = 0, i, nf, dash, cap = 0, len;
	char *line = NULL, *f[64], *p;
	ssize_t got;
	FILE *fp;

	if ((fp = fopen("/proc/self/mountinfo", "re")) == NULL) {
		*count = 0;
		return NULL;
	}
	while ((got = getline(&line, &cap, fp)) > 0) {
		if (line[got - 1] == '\n')
			line[got - 1] = '\0';
		nf = 0;
		for (p = strtok(line, " "); p != NULL && nf < 64;
		     p = strtok(NULL, " "))
			f[nf++] = p;
		if (nf < 5)
			continue;
		len = strlen(f[4]);
		for (i = 0; i < n; i++)
			if (strcmp(f[4], "/") == 0 ||
			    (strncmp(m[i].mp, f[4], len) == 0 &&
			        (m[i].mp[len] == '\0' || m[i].mp[len] == '/')))
				m[i].hidden = 1;
		for (dash = 6; dash < nf; dash++)
			if (strcmp(f[dash], "-") == 0)
				break;
		if (dash + 3 >= nf || strcmp(f[3], "/") != 0 ||
		    f[4][0] != '/' || strchr(f[4], '\\') != NULL)
			continue;
		if (strcmp(f[dash + 1], "cgroup2") != 0 &&
		    (strcmp(f[dash + 1], "cgroup") != 0 ||
		        !run_has_word(f[dash + 3], ctl, ',')))
			continue;
		run_grow(&m, &capm, n + 1, sizeof(*m));
		m[n].mp = run_strdup(f[4]);
		m[n].v2 = strcmp(f[dash + 1], "cgroup2") == 0;
		m[n].ro = run_has_word(f[5], "ro", ',') ||
		    run_has_word(f[dash + 3], "ro", ',');
		m[n].hidden = 0;
		n++;
	}
	free(line);
	fclose(fp);
	*count = n;
	return m;
}

static const char *run_why(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* The message, allocated: a reason for run_cgroup_find. */
static const char *
run_why(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p = run_alloc(len > 0 ? (size_t)len + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(p, len > 0 ? (size_t)len + 1 : 1, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * jail_cgroup_dir: the launcher's own cgroup directory in the hierarchy
 * that holds c->ctl, in c->parent (with c->rel and c->v2), or NULL with
 * *why saying why not.  With given set, also the limit of c->ctl that
 * the launcher's cgroup or one above it already sets, the smallest, in
 * *given (ULLONG_MAX: none), and the directory that sets it in *by.
 */
static void
run_cgroup_dir(struct run_cg *c, const char **why, unsigned long long *given,
    const char **by)
{
	const char *nowhy = run_why(
	    "no cgroup hierarchy with the %s controller is mounted", c->ctl);
	char *v1, *v2, *dir, *rel, *up, *val;
	const char *lim;
	struct run_cgm *m;
	size_t i, n, len;
	unsigned long long v;

	*why = nowhy;
	if (given != NULL)
		*given = ULLONG_MAX;
	run_cgroup_self(c->ctl, &v1, &v2);
	m = run_cgroup_mounts(c->ctl, &n);
	for (i = 0; i < n; i++) {
		if (m[i].hidden) {
			/* v1's holds ctl, v2's may not: the first names it */
			if (!m[i].v2 || *why == nowhy)
				*why = run_why("the cgroup file system at %s "
				               "is hidden under another mount",
				    m[i].mp);
			continue;
		}
		rel = m[i].v2 ? v2 : v1;
		if (rel == NULL || rel[0] != '/')
			continue;
		if (strstr(run_cat(rel, "/"), "/../") != NULL) {
			*why = run_why("the launcher's cgroup %s is outside "
			               "its cgroup namespace",
			    rel);
			continue;
		}
		dir = run_cat(m[i].mp, rel);
		while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
			dir[strlen(dir) - 1] = '\0';
		/* v2 offers a controller only where no v1 hierarchy holds
		 * it */
		if (m[i].v2 &&
		    !run_has_word(
		        run_firstline(run_cat(dir, "/cgroup.controllers")),
		        c->ctl, ' '))
			continue;
		/* a cgroup directory, not whatever covers the mount point */
		if (!run_isdir(dir) ||
		    !run_isreg(run_cat(dir, "/cgroup.procs"))) {
			*why = run_why(
			    "the launcher's cgroup %s is not there", dir);
			continue;
		}
		/* the limits already set, from the launcher's cgroup up
		 * to (not including) the hierarchy's root, which has none */
		lim = m[i].v2 ? "/memory.max" : "/memory.limit_in_bytes";
		for (up = run_strdup(dir); given != NULL &&
		     strlen(up) > strlen(m[i].mp) && strcmp(up, "/") != 0;) {
			val = run_firstline(run_cat(up, lim));
			if (val[0] >= '0' && val[0] <= '9') {
				v = strtoull(val, NULL, 10);
				if (v < *given) {
					*given = v;
					*by = up;
				}
			}
			len = strlen(up);
			while (len > 0 && up[len - 1] != '/')
				len--;
			up = run_strdup(up);
			up[len > 1 ? len - 1 : len] = '\0';
		}
		if (m[i].ro) {
			*why = run_why("the cgroup file system at %s is "
			               "mounted read-only",
			    m[i].mp);
			continue;
		}
		c->parent = dir;
		c->rel = rel;
		c->v2 = m[i].v2;
		return;
	}
}

/*
 * What is said, after the jail's name, of a limit NAME the host cannot
 * give (WHY), into BUF without allocating (the child says it too, after
 * fork): that the jail runs without it when OPTIONAL; else, for memory =
 * MEM, the refusal, whose way out is a cgroup the user starts the
 * launcher in where CGROUP, and dropping the limit.
 */
static void
run_without_text(char *buf, size_t n, const char *name, int optional,
    const char *why, const char *mem, int cgroup)
{
	if (optional)
		snprintf(buf, n,
		    "the jail runs without process.limits.%s (optional): %s",
		    name, why);
	else
		snprintf(buf, n,
		    "process.limits.memory = %s cannot be given: %s; "
		    "%s%s%sremove the limit from %s",
		    mem, why,
		    cgroup ? "start the launcher in a cgroup whose memory "
		             "limit is at most that (systemd-run --user "
		             "--scope -p MemoryMax="
		           : "",
		    cgroup ? mem : "", cgroup ? " ...), or " : "", R.file);
}

/* A limit the host cannot give: the launch stops, saying why and what
 * to do (REFUSAL), unless the profile lets it go without
 * (process.limits-optional), when it says so once and goes on. */
static void
run_cgroup_without(
    const char *name, int optional, const char *why, const char *refusal)
{
	char note[1024];

	if (!optional) {
		run_fail("%s", refusal);
		return;
	}
	run_without_text(note, sizeof(note), name, 1, why, NULL, 0);
	R.without[R.nwithout++] = run_why("%s: %s", R.name, note);
	if (R.mode == MODE_CHECK)
		printf("%s\n", R.without[R.nwithout - 1]);
}

/*
 * jail_sdscope_find: whether systemd can cap the jail's memory instead, in
 * a transient scope of the manager that owns the launcher's session
 * (the user's for an unprivileged launch, the system's for root), as
 * `systemd-run --user --scope -p MemoryMax=` would; systemd delegates
 * the memory controller to the user's manager.  busctl asks it
 * (run_sdscope_ask) and is found as the other helpers are, never through
 * PATH.  NULL, or why not.
 */
static const char *
run_sdscope_find(void)
{
	const char *rt;
	char *bus;
	struct stat st;

	if (getuid() == 0 || geteuid() == 0) {
		if (stat("/run/systemd/system", &st) != 0 ||
		    !S_ISDIR(st.st_mode))
			return "systemd is not the init system";
		bus = NULL;
	} else {
		/* the user's manager, where systemd-run --user finds it */
		rt = getenv("XDG_RUNTIME_DIR");
		if (rt == NULL || rt[0] != '/')
			return "XDG_RUNTIME_DIR is not set, so there is no "
			       "systemd user manager to ask";
		if (stat(run_cat(rt, "/systemd"), &st) != 0 ||
		    !S_ISDIR(st.st_mode) ||
		    stat(run_cat(rt, "/bus"), &st) != 0 ||
		    !S_ISSOCK(st.st_mode))
			return run_why("no systemd user manager runs for this "
			               "user (no %s/systemd and %s/bus)",
			    rt, rt);
		bus = run_cat("unix:path=", run_cat(rt, "/bus"));
	}
	/* one under a bind the jail can write fails the launch there */
	if ((R.busctl = host_helper(&R.host, "busctl", NULL)) == NULL)
		return "busctl, which asks systemd for a scope, is not in "
		       "/run/current-system/sw/bin, /usr/bin or /bin";
	R.bus = bus;
	return NULL;
}

/* jail_cgroup_find: which cgroups the launch needs, and where each would
 * go; where one cannot be had, the launch stops, or goes on without an
 * optional one. */
static void
run_cgroup_find(void)
{
	const char *nproc = NULL, *mem = NULL, *why, *by = NULL, *nowhy;
	char refusal[1024];
	int nproc_opt = 0, mem_opt = 0;
	struct run_cg *c;
	unsigned long long v, given;
	size_t i;

	for (i = 0; i < R.nlimits; i++) {
		if (strcmp(R.limits[i].name, "nproc") == 0) {
			nproc = R.limits[i].text;
			nproc_opt = R.limits[i].optional;
		}
		if (strcmp(R.limits[i].name, "memory") == 0) {
			mem = R.limits[i].text;
			mem_opt = R.limits[i].optional;
		}
	}
	if (nproc != NULL && strcmp(nproc, "unlimited") == 0)
		nproc = NULL;
	if (mem != NULL && strcmp(mem, "unlimited") == 0)
		mem = NULL;
	if (getuid() != 0 && geteuid() != 0)
		nproc = NULL;
	if (nproc == NULL && mem == NULL)
		return;
	if (access("/proc/self/mountinfo", R_OK) != 0 ||
	    access("/proc/self/cgroup", R_OK) != 0) {
		run_fail("cannot read /proc/self/mountinfo and "
		         "/proc/self/cgroup (is /proc mounted?)");
		return;
	}
	if (nproc != NULL) {
		c = &R.cgs[R.ncgs];
		c->ctl = "pids";
		c->file = "pids.max";
		/* pids.max takes at most PID_MAX_LIMIT, more pids than any
		 * machine has */
		v = strtoull(nproc, NULL, 10);
		c->max = strlen(nproc) > 7 || v > 4194304 ? "4194304" : nproc;
		run_cgroup_dir(c, &why, NULL, NULL);
		if (c->parent == NULL)
			run_cgroup_without("nproc", nproc_opt,
			    run_why("the kernel does not apply RLIMIT_NPROC "
			            "to uid 0, so a jail launched by root "
			            "needs a pids cgroup, and %s",
			        why),
			    run_why("process.limits.nproc cannot bind a jail "
			            "launched by root: the kernel does not "
			            "apply RLIMIT_NPROC to uid 0, and %s; "
			            "launch it as an unprivileged user, or "
			            "remove the limit from %s",
			        why, R.file));
		else {
			R.ncgs++;
			if (R.mode == MODE_CHECK)
				printf("%s: process.limits.nproc binds root "
				       "through a pids cgroup in %s\n",
				    R.name, c->parent);
		}
	}
	if (mem == NULL)
		return;
	c = &R.cgs[R.ncgs];
	c->ctl = "memory";
	c->max = mem;
	v = strtoull(mem, NULL, 10);
	run_cgroup_dir(c, &why, &given, &by);
	if (given <= v) {
		/* the cap is there already, and nothing in the jail can
		 * leave the cgroup that sets it */
		c->parent = NULL;
		R.memby = by;
		R.memgiven = given;
		if (R.mode == MODE_CHECK)
			printf("%s: process.limits.memory is given by the "
			       "cgroup %s (%llu bytes)\n",
			    R.name, by, given);
		return;
	}
	c->file = c->v2 ? "memory.max" : "memory.limit_in_bytes";
	if (c->parent != NULL && access(c->parent, W_OK) != 0) {
		why = run_why("the launcher's cgroup %s is not writable by "
		              "it (not delegated to this user)",
		    c->parent);
		c->parent = NULL;
	} else if (c->parent != NULL && c->v2 && strcmp(c->rel, "/") != 0 &&
	    !run_has_word(
	        run_firstline(run_cat(c->parent, "/cgroup.subtree_control")),
	        "memory", ' ')) {
		/* cgroup v2 enables a domain controller for a cgroup's
		 * children only while the cgroup holds no process, and the
		 * launcher is in its own */
		why = run_why("cgroup v2 cannot give the launcher's cgroup %s "
		              "a child with the memory controller while the "
		              "launcher is in it",
		    c->parent);
		c->parent = NULL;
	}
	if (c->parent == NULL) {
		if ((nowhy = run_sdscope_find()) == NULL) {
			R.memmax = mem;
			if (R.mode == MODE_CHECK)
				printf("%s: process.limits.memory caps the "
				       "jail through a scope systemd's %s "
				       "manager makes (%s)\n",
				    R.name, R.bus != NULL ? "user" : "system",
				    R.busctl);
			return;
		}
		why = run_why("%s; %s", why, nowhy);
		run_without_text(
		    refusal, sizeof(refusal), "memory", 0, why, mem, 1);
		run_cgroup_without("memory", mem_opt, why, refusal);
		return;
	}
	/* one v2 cgroup takes both controllers */
	for (i = 0; i < R.ncgs; i++)
		if (R.cgs[i].v2 && c->v2 &&
		    strcmp(R.cgs[i].parent, c->parent) == 0)
			c->shared = &R.cgs[i];
	R.ncgs++;
	if (R.mode == MODE_CHECK)
		printf("%s: process.limits.memory caps the jail through a "
		       "memory cgroup in %s\n",
		    R.name, c->parent);
}

/* Write s and a newline to path, whole, in one write. */
static int
run_putfile(const char *path, const char *s)
{
	char *text = run_cat(s, "\n");
	size_t len = strlen(text);
	int fd, ok;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -1;
	ok = write(fd, text, len) == (ssize_t)len;
	return close(fd) == 0 && ok ? 0 : -1;
}

/* jail_cgroup: make this run's cgroups, jailc.PID, with their limits;
 * the launcher then stays, to remove them after.  On v2 a controller
 * must be enabled in the parent first: pids is a threaded controller,
 * so the parent may hold processes (the launcher) and still enable it;
 * memory only at the root (run_cgroup_find).  Swap counts as memory:
 * v1's memory.memsw.limit_in_bytes gets the same limit, and v2's
 * memory.swap.max 0, where the kernel accounts swap.  Returns whether
 * it made one. */
static int
run_cgroup_make(void)
{
	char name[32], *ctl, *file;
	const char *swap;
	struct run_cg *c;
	size_t i;

	snprintf(name, sizeof(name), "/jailc.%ld", (long)getpid());
	for (i = 0; i < R.ncgs; i++) {
		c = &R.cgs[i];
		if (c->v2) {
			ctl = run_cat(c->parent, "/cgroup.subtree_control");
			if (!run_has_word(run_firstline(ctl), c->ctl, ' ') &&
			    run_putfile(ctl, run_cat("+", c->ctl)) != 0)
				run_die("cannot enable the %s controller in %s",
				    c->ctl, ctl);
		}
		if (c->shared != NULL) {
			c->cg = c->shared->cg;
			c->want = c->shared->want;
		} else {
			if (mkdir(run_cat(c->parent, name), 0755) != 0)
				run_die("cannot make the cgroup %s%s",
				    c->parent, name);
			c->cg = run_cat(c->parent, name);
			/* what /proc/self/cgroup names it: the relative
			 * path, "/" alone being the root */
			c->want = run_cat(
			    strcmp(c->rel, "/") == 0 ? "" : c->rel, name);
		}
		file = run_cat(c->cg, run_cat("/", c->file));
		if (run_putfile(file, c->max) != 0)
			run_die("cannot set %s of the cgroup %s to %s", c->file,
			    c->cg, c->max);
		if (strcmp(c->ctl, "memory") != 0)
			continue;
		swap =
		    c->v2 ? "/memory.swap.max" : "/memory.memsw.limit_in_bytes";
		swap = run_cat(c->cg, swap);
		if (run_isreg(swap) &&
		    run_putfile(swap, c->v2 ? "0" : c->max) != 0)
			run_die("cannot set %s", swap);
	}
	return R.ncgs > 0;
}

/* jail_cgroup_enter, in the child that becomes bwrap: move into each
 * cgroup, and check that /proc/self/cgroup now names it.  The parent
 * removes them on failure. */
static void
run_cgroup_enter(void)
{
	char pid[32], *v1, *v2, *got;
	struct run_cg *c;
	size_t i;

	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	for (i = 0; i < R.ncgs; i++) {
		c = &R.cgs[i];
		if (c->cg == NULL || c->shared != NULL)
			continue;
		if (run_putfile(run_cat(c->cg, "/cgroup.procs"), pid) == 0) {
			run_cgroup_self(c->ctl, &v1, &v2);
			got = c->v2 ? v2 : v1;
			if (got != NULL && strcmp(got, c->want) == 0)
				continue;
		}
		fprintf(stderr, "%s: cannot move the jail into the cgroup %s\n",
		    R.name, c->cg);
		_exit(125);
	}
}

/* jail_cgroup_remove: each directory made, by rmdir, which takes only
 * an empty cgroup and never follows a link.  A process just reaped
 * keeps its cgroup busy until its last switch out, a moment later, so
 * rmdir is tried again after 50 us, 100 us, ... for about a second in
 * all; a process left in it (a jail without its own pid namespace can
 * leave one) keeps it, and that is reported. */
static void
run_cgroup_remove(void)
{
	struct timespec tick;
	struct stat st;
	char *cg;
	size_t k;
	int i;

	for (k = 0; k < R.ncgs; k++) {
		cg = R.cgs[k].cg;
		R.cgs[k].cg = NULL;
		if (cg == NULL || R.cgs[k].shared != NULL)
			continue;
		tick.tv_sec = 0;
		tick.tv_nsec = 50 * 1000;
		for (i = 0; i < 16; i++) {
			if (lstat(cg, &st) != 0 || !S_ISDIR(st.st_mode) ||
			    rmdir(cg) == 0)
				break;
			if (errno != EBUSY)
				break;
			nanosleep(&tick, NULL);
			/* 50 us doubled 15 times is 0.8 s; the sum, 1.6 s */
			if (tick.tv_nsec < 400 * 1000 * 1000)
				tick.tv_nsec *= 2;
		}
		if (lstat(cg, &st) != 0)
			continue;
		if (run_firstline(run_cat(cg, "/cgroup.procs"))[0] != '\0')
			fprintf(stderr,
			    "%s: cannot remove the cgroup %s: a process of "
			    "the jail is still in it\n",
			    R.name, cg);
		else
			fprintf(stderr, "%s: cannot remove the cgroup %s\n",
			    R.name, cg);
	}
}

/* The limits jailrun sets, as process.limits names them. */
static const struct {
	const char *name;
	int res;
} run_limits[] = {
	{ "nofile", RLIMIT_NOFILE },
	{ "nproc", RLIMIT_NPROC },
	{ "as", RLIMIT_AS },
	{ "fsize", RLIMIT_FSIZE },
	{ "cpu", RLIMIT_CPU },
	{ "core", RLIMIT_CORE },
	/* no rlimit: a memory cgroup (run_cgroup_find) */
	{ "memory", -1 },
};

/* A limit op: its resource and value found once, here.  The verifier
 * let through only the names above, and "unlimited" or digits. */
static void
run_limit(const char *name, const char *val, int optional)
{
	struct run_limit *l;
	size_t k;

	for (k = 0; k < sizeof(run_limits) / sizeof(run_limits[0]); k++)
		if (strcmp(run_limits[k].name, name) == 0)
			break;
	if (k == sizeof(run_limits) / sizeof(run_limits[0]))
		run_die("internal error: unknown limit %s", name);
	run_grow(&R.limits, &R.caplimits, R.nlimits + 1, sizeof(*R.limits));
	l = &R.limits[R.nlimits++];
	l->name = name;
	l->text = val;
	l->optional = optional;
	l->res = run_limits[k].res;
	l->value = strcmp(val, "unlimited") == 0
	    ? RLIM_INFINITY
	    : (rlim_t)strtoull(val, NULL, 10);
}

/* jail_set_limits, in the process that becomes bwrap, after moving it
 * into the run's cgroup, if any.  setrlimit takes bytes where ulimit
 * takes KiB: the same limit either way. */
static void
run_set_limits(int child)
{
	struct rlimit rl;
	size_t i;

	run_cgroup_enter();
	for (i = 0; i < R.nlimits; i++) {
		const struct run_limit *l = &R.limits[i];

		if (l->res < 0)
			continue;
		rl.rlim_cur = rl.rlim_max = l->value;
		if (setrlimit(l->res, &rl) == 0)
			continue;
		if (!child)
			run_die(
			    "cannot set the %s limit to %s", l->name, l->text);
		/* the parent removes the work directory */
		fprintf(stderr, "%s: cannot set the %s limit to %s\n", R.name,
		    l->name, l->text);
		_exit(125);
	}
}

/* Bind the host's device node path over itself, read-only: a device on
 * a read-only mount still reads and writes, but its mode, owner and
 * ACL cannot change (EROFS).  bwrap binds it into the jail with the
 * flags it has here, and so keeps it read-only; its own --remount-ro
 * would add nodev and make the device unusable.  Anything but a device
 * is left alone. */
static int
run_devlock_one(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0 ||
	    !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
		return 0;
	if (mount(path, path, NULL, MS_BIND, NULL) != 0 ||
	    mount(NULL, path, NULL,
	        MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NOEXEC,
	        NULL) != 0)
		return -1;
	return 0;
}

/*
 * A jail launched by root is host uid 0 inside, the owner of the
 * device nodes bwrap's --dev binds from the host (and of those a
 * dev-bind names): it could chmod /dev/null, or make the user's
 * terminal writable by all.  In the process that becomes bwrap, before
 * the Landlock domain (which forbids mounts): a mount namespace of its
 * own, whose changes never reach the host's, where each such node is
 * bound over itself read-only.  Device nodes of bwrap's --dev (0.8.0),
 * and the terminal it binds as /dev/console.
 */
static void
run_devlock(int child)
{
	static const char *const nodes[] = { "/dev/null", "/dev/zero",
		"/dev/full", "/dev/random", "/dev/urandom", "/dev/tty" };
	const char *bad = NULL, *tty;
	size_t i;

	if (geteuid() != 0 || (!R.devmount && R.devbinds.n == 0))
		return;
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0)
		bad = "no mount namespace of its own";
	for (i = 0;
	     bad == NULL && R.devmount && i < sizeof(nodes) / sizeof(nodes[0]);
	     i++)
		if (run_devlock_one(nodes[i]) != 0)
			bad = nodes[i];
	if (bad == NULL && R.devmount && isatty(1) &&
	    (tty = ttyname(1)) != NULL && run_devlock_one(tty) != 0)
		bad = tty;
	for (i = 0; bad == NULL && i < R.devbinds.n; i++)
		if (run_devlock_one(R.devbinds.v[i]) != 0)
			bad = R.devbinds.v[i];
	if (bad == NULL)
		return;
	if (!child)
		run_die("a jail launched by root cannot keep the host's device "
		        "nodes unchangeable: %s: %s",
		    bad, strerror(errno));
	fprintf(stderr,
	    "%s: a jail launched by root cannot keep the host's device "
	    "nodes unchangeable: %s: %s\n",
	    R.name, bad, strerror(errno));
	_exit(125);
}

/* --jail-check: whether run_devlock can do its work here, tried in a
 * child that then exits; it says why not. */
static int
run_devlock_check(void)
{
	pid_t pid;
	int st;

	if (geteuid() != 0 || (!R.devmount && R.devbinds.n == 0))
		return 0;
	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		run_devlock(1);
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* The Landlock domain, in the process that becomes bwrap: everything in
 * the jail inherits it. */
static void
run_scope(int child)
{
	const char *why;

	if (R.scopes.n == 0)
		return;
	if (ll_restrict(
	        (const char *const *)R.scopes.v, (int)R.scopes.n, &why) == 0)
		return;
	if (!child)
		run_die("%s", why);
	fprintf(stderr, "%s: %s\n", R.name, why);
	_exit(125);
}

/* Whether the resolved path real is path, or lies beneath it. */
static int
run_beneath(const char *real, const char *path)
{
	size_t n = strlen(path);

	if (strcmp(path, "/") == 0)
		return 1;
	return strncmp(real, path, n) == 0 &&
	    (real[n] == '\0' || real[n] == '/');
}

/* The source of a bind so far (resolved) that holds the resolved path
 * real, writable ones only when rw; NULL when none does.  Helpers run
 * after the mounts (git for GITPATH and the identity, bwrap at the
 * end), so every bind is known by then. */
static const char *
run_bind_holding(const char *real, int rw)
{
	char *src;
	size_t i;

	for (i = 0; i < R.nbinds; i++) {
		if (rw && !run_writable(R.binds[i].kind))
			continue;
		if ((src = realpath(R.binds[i].src, NULL)) == NULL)
			continue;
		if (run_beneath(real, src)) {
			free(src);
			return R.binds[i].src;
		}
		free(src);
	}
	return NULL;
}

/* host.c asks before it runs a helper. */
static const char *
run_helper_writable(void *arg, const char *real)
{
	(void)arg;
	return run_bind_holding(real, 1);
}

/* jail_nix_daemon: a bind that holds the Nix daemon's socket hands the
 * jail the daemon, which runs the builds of a client it trusts with
 * whatever options the client passes (--option post-build-hook, sandbox
 * = false), as root, outside the jail. */
static void
run_nix_daemon(const char *sock, const char *where)
{
	const char *user, *how, *holder, *slash = strrchr(sock, '/');
	char *dir, *real;
	int trusted;

	/* the socket itself appears when the daemon starts: its directory
	 * says where it will be */
	dir = run_strdup(sock);
	dir[slash - sock] = '\0';
	if ((real = realpath(dir[0] != '\0' ? dir : "/", NULL)) == NULL)
		return; /* no daemon here, so no bind of it */
	dir = run_cat(real, slash);
	free(real);
	if ((holder = run_bind_holding(dir, 0)) == NULL)
		return;
	if ((trusted = host_nix_trusted(&R.host, &user, &how)) == 0)
		return;
	if (trusted > 0 && strcmp(user, "root") == 0)
		run_fail("refusing to hand the Nix daemon's socket %s to root "
		         "(the bind of %s; checked at %s): the daemon trusts "
		         "root always, and a trusted client can run code as "
		         "root outside the jail (--option post-build-hook); "
		         "run the jail as a user the daemon does not trust, "
		         "or drop nix-daemon from the profile",
		    sock, holder, where);
	else if (trusted > 0)
		run_fail("refusing to hand the Nix daemon's socket %s to %s "
		         "(the bind of %s; checked at %s): the daemon trusts "
		         "%s (%s), and a trusted client can run code as root "
		         "outside the jail (--option post-build-hook); remove "
		         "%s from trusted-users and extra-trusted-users (and "
		         "its groups), or drop nix-daemon from the profile",
		    sock, user, holder, where, user, how, user);
	else
		run_fail("refusing to hand the Nix daemon's socket %s to %s "
		         "(the bind of %s; checked at %s): cannot tell "
		         "whether the daemon trusts %s (%s), and a trusted "
		         "client can run code as root outside the jail; fix "
		         "the configuration, or drop nix-daemon from the "
		         "profile",
		    sock, user, holder, where, user, how);
}

static void run_words(void);
static void run_net_setup(void);

/* A network mode's rank: 0 none, 1 proxy, 2 host; -1 for no mode. */
static int
run_net_rank(const char *mode)
{
	return strcmp(mode, "none") == 0 ? 0
	    : strcmp(mode, "proxy") == 0 ? 1
	    : strcmp(mode, "host") == 0  ? 2
	                                 : -1;
}

/* The plan's op i. */
static const unsigned char *
run_op(uint32_t i)
{
	return R.blob + BLOB_HEADER_SIZE + (size_t)i * BLOB_OP_SIZE;
}

/* The profile's network mode, as its plan says it (an --unshare-net
 * with a proxy or without, or neither), and where it was set. */
static const char *
run_plan_net(const char **where)
{
	uint32_t nops = blob_get32(R.blob + BLOB_H_NOPS), i;
	const char *mode = "host", *w;
	unsigned op;

	*where = NULL;
	for (i = 0; i < nops; i++) {
		op = blob_get16(run_op(i) + BLOB_O_OP);
		w = run_str(blob_get32(run_op(i) + BLOB_O_WHERE));
		if (op == BLOB_NETPROXY) {
			mode = "proxy";
			*where = w;
		} else if (op == BLOB_ARG &&
		    strcmp(run_str(blob_get32(run_op(i) + BLOB_O_A)),
		        "--unshare-net") == 0 &&
		    strcmp(mode, "host") == 0) {
			mode = "none";
			*where = w;
		} else if (op == BLOB_SCOPE && *where == NULL) {
			*where = w;
		}
	}
	return mode;
}

/* The allowances of op kind in the plan, as "FILE:LINE, ..." for a
 * message; NULL when there are none.  With kind BLOB_LAUNCH_MOUNT,
 * each is followed by its mode and path. */
static const char *
run_allowances(unsigned kind)
{
	uint32_t nops = blob_get32(R.blob + BLOB_H_NOPS), i;
	struct run_buf b = { NULL, 0, 0 };
	const unsigned char *r;

	for (i = 0; i < nops; i++) {
		r = run_op(i);
		if (blob_get16(r + BLOB_O_OP) != kind)
			continue;
		if (b.len > 0)
			buf_puts(&b, ", ");
		if (kind == BLOB_LAUNCH_NET) {
			buf_puts(&b, run_str(blob_get32(r + BLOB_O_A)));
			buf_puts(&b, " at ");
		} else if (kind == BLOB_LAUNCH_MOUNT) {
			buf_puts(&b,
			    blob_get32(r + BLOB_O_KIND) == BLOB_K_RW ? "rw "
			                                             : "ro ");
			buf_puts(
			    &b, run_expand(run_str(blob_get32(r + BLOB_O_A))));
			buf_puts(&b, " at ");
		}
		buf_puts(&b, run_str(blob_get32(r + BLOB_O_WHERE)));
	}
	return b.s;
}

/* Whether the plan has an op of kind whose string a is s (NULL: any). */
static const char *
run_allowed(unsigned kind, const char *s)
{
	uint32_t nops = blob_get32(R.blob + BLOB_H_NOPS), i;
	const unsigned char *r;

	for (i = 0; i < nops; i++) {
		r = run_op(i);
		if (blob_get16(r + BLOB_O_OP) == kind &&
		    (s == NULL ||
		        strcmp(run_str(blob_get32(r + BLOB_O_A)), s) == 0))
			return run_str(blob_get32(r + BLOB_O_WHERE));
	}
	return NULL;
}

/* Whether path is dir or lies beneath it (both resolved). */
static int
run_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

/* A --jail-ro or --jail-rw directory: "~" and "~/" are the home
 * directory, then an absolute path with no "." or ".." component;
 * resolved (it must exist), and covered, resolved, by a launch.mount
 * allowance of its mode or a writable one.  A symbolic link on the way
 * is followed, and what it leads to is what must be allowed. */
static void
run_choice_mount(struct run_choice *c)
{
	uint32_t nops = blob_get32(R.blob + BLOB_H_NOPS), i;
	const char *flag = c->rw ? "--jail-rw" : "--jail-ro";
	const char *p = c->given, *ro_where = NULL, *list;
	const unsigned char *r;
	char *areal;
	int rw;

	if (strcmp(p, "~") == 0 || strncmp(p, "~/", 2) == 0)
		p = run_cat(R.var[BLOB_V_HOME], p + 1);
	/* absolute, no "." or ".." (dies saying so) */
	p = host_norm(&R.host, flag, p);
	if ((c->real = realpath(p, NULL)) == NULL)
		run_die("%s %s: %s", flag, c->given, strerror(errno));
	for (i = 0; i < nops; i++) {
		r = run_op(i);
		if (blob_get16(r + BLOB_O_OP) != BLOB_LAUNCH_MOUNT)
			continue;
		rw = blob_get32(r + BLOB_O_KIND) == BLOB_K_RW;
		areal = realpath(
		    run_expand(run_str(blob_get32(r + BLOB_O_A))), NULL);
		if (areal == NULL || !run_within(c->real, areal)) {
			free(areal);
			continue;
		}
		free(areal);
		if (rw || !c->rw)
			break;
		ro_where = run_str(blob_get32(r + BLOB_O_WHERE));
	}
	if (i < nops) {
		/* git runs what .git holds on the host: never writable */
		if (c->rw &&
		    (strstr(c->real, "/.git/") != NULL ||
		        (strlen(c->real) >= 5 &&
		            strcmp(c->real + strlen(c->real) - 5, "/.git") ==
		                0)))
			run_die(
			    "refusing --jail-rw %s (%s): it is or lies in a "
			    ".git directory, whose hooks and configuration "
			    "stay read-only; bind the checkout instead",
			    c->given, c->real);
		return;
	}
	if (ro_where != NULL)
		run_die("refusing %s %s: launch.mount at %s allows it "
		        "read-only only (use --jail-ro, or make that entry "
		        "{ rw = ... })",
		    flag, c->given, ro_where);
	if ((list = run_allowances(BLOB_LAUNCH_MOUNT)) != NULL)
		run_die("refusing %s %s (%s): no launch.mount entry holds it "
		        "(%s); add { %s = \"%s\" } to launch.mount in %s",
		    flag, c->given, c->real, list, c->rw ? "rw" : "ro",
		    c->given, R.file);
	run_die("refusing %s %s: the profile allows no directories at "
	        "launch; add launch.mount = [{ %s = \"%s\" }] to %s",
	    flag, c->given, c->rw ? "rw" : "ro", c->given, R.file);
}

/* The launch's choices against what the plan allows, before anything
 * is made on the host: narrowing always, the rest only as launch.*
 * allows it; a refusal names the lines there are, or the key to add. */
static void
run_choices_check(void)
{
	uint32_t nops = blob_get32(R.blob + BLOB_H_NOPS), i;
	const char *mode, *where, *list;
	size_t k;

	if (R.want_net != NULL) {
		if (run_net_rank(R.want_net) < 0)
			run_die("--jail-network %s: not a network mode (none, "
			        "proxy or host)",
			    R.want_net);
		mode = run_plan_net(&where);
		if (run_net_rank(R.want_net) > run_net_rank(mode) &&
		    run_allowed(BLOB_LAUNCH_NET, R.want_net) == NULL) {
			list = run_allowances(BLOB_LAUNCH_NET);
			if (list != NULL)
				run_die("refusing --jail-network %s: it gives "
				        "more than network.mode = \"%s\" (%s) "
				        "and launch.network lists only %s; add "
				        "\"%s\" there",
				    R.want_net, mode,
				    where != NULL ? where : R.file, list,
				    R.want_net);
			run_die("refusing --jail-network %s: it gives more "
			        "than network.mode = \"%s\" (%s); add "
			        "launch.network = [\"%s\"] to %s",
			    R.want_net, mode, where != NULL ? where : R.file,
			    R.want_net, R.file);
		}
	}
	if (R.want_shell && run_allowed(BLOB_LAUNCH_SHELL, NULL) == NULL)
		run_die("refusing --jail-shell: the profile does not allow a "
		        "shell; add launch.shell = true to %s",
		    R.file);
	if (R.nwant == 0)
		return;
	/* the allowances' variables, as run_plan will resolve them */
	for (i = 0; i < nops; i++)
		if (blob_get16(run_op(i) + BLOB_O_OP) == BLOB_VAR)
			run_var(blob_get32(run_op(i) + BLOB_O_VAR));
	for (k = 0; k < R.nwant; k++)
		run_choice_mount(&R.want[k]);
}

/*
 * The desktop ([gui]).  Each socket the host has is bound into the jail
 * where the jail's programs look for it, XDG_RUNTIME_DIR (the host's
 * path) for all but X's; what the host lacks is left out in silence, as
 * an optional mount is.  The variables were checked when they were
 * resolved (host.c): a socket path here is absolute and normalised.
 */

/* Whether path is a socket; a file of another kind stops the launch
 * (the jail would get the file instead). */
static int
run_gui_socket(const char *path, const char *what, const char *where)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		run_fail("%s names %s, which is not a socket (%s)", what, path,
		    where);
		return 0;
	}
	return 1;
}

/* The next descriptor free above those run_run places: --args (3), the
 * data files, the seccomp filter. */
static int
run_next_fd(void)
{
	size_t i;
	int max = 3;

	for (i = 0; i < R.ndata; i++)
		if (R.data[i].fd > max)
			max = R.data[i].fd;
	if (R.bpf != NULL && R.bpffd > max)
		max = R.bpffd;
	return max + 1;
}

/*
 * The display number the jail's clients use.  libxcb tries the abstract
 * socket @/tmp/.X11-unix/XN before the path, and falls back only when
 * the name is missing (ECONNREFUSED) or abstract sockets are not there
 * at all: in the host's network namespace under Landlock's
 * abstract-socket scope the host server's name answers EPERM, and the
 * client gives up.  So there the jail gets a number no abstract name of
 * the host uses, and its clients reach the path.  In the jail's own
 * network namespace no host name is visible, and N stays.
 */
static long
run_x11_number(long n)
{
	char *tab = NULL, want[40];
	size_t len = 0, cap = 0;
	ssize_t got;
	long k;
	int fd;

	if (!list_has(&R.scopes, "abstract-unix-socket"))
		return n;
	if ((fd = open("/proc/net/unix", O_RDONLY | O_CLOEXEC)) < 0)
		run_die("cannot read /proc/net/unix to choose the jail's X "
		        "display: %s",
		    strerror(errno));
	for (;;) {
		run_grow(&tab, &cap, len + 8192, 1);
		if ((got = read(fd, tab + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	tab[len] = '\0';
	/* N itself when the server listens on no abstract name */
	for (k = -1; k <= XAUTH_DISPLAYMAX; k++) {
		snprintf(want, sizeof(want), " @/tmp/.X11-unix/X%ld\n",
		    k < 0 ? n : k);
		if (strstr(tab, want) == NULL)
			return k < 0 ? n : k;
	}
	run_die("no X display number is free of the host's abstract "
	        "socket names");
	return -1;
}

/* gui.x11: the display's socket, and a cookie for it alone. */
static void
run_gui_x11(const char *rt, const char *where)
{
	const char *sock = R.var[BLOB_V_DISPLAY];
	const char *file = R.var[BLOB_V_XAUTHORITY], *why;
	unsigned char *in, *out;
	struct utsname u;
	size_t len = 0, outlen;
	ssize_t got;
	long n = host_display(&R.host), jn;
	int fd, k;
	char *dest, *val;

	if (sock[0] == '\0' || !run_gui_socket(sock, "DISPLAY", where))
		return;
	jn = run_x11_number(n);
	dest = run_alloc(40);
	snprintf(dest, 40, "/tmp/.X11-unix/X%ld", jn);
	run_bind(BLOB_K_RO, 0, sock, dest, where);
	val = run_alloc(24);
	snprintf(val, 24, ":%ld", jn);
	run_setenv("DISPLAY", val);

	/* Xlib reads the file a client names in XAUTHORITY whatever it
	 * is; a server without one takes clients without a cookie */
	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		if (errno != ENOENT)
			run_fail("cannot read %s (XAUTHORITY, for gui.x11 at "
			         "%s): %s",
			    file, where, strerror(errno));
		return;
	}
	in = run_alloc(XAUTH_FILEMAX + 1);
	while (len <= XAUTH_FILEMAX &&
	    (got = read(fd, in + len, XAUTH_FILEMAX + 1 - len)) > 0)
		len += (size_t)got;
	close(fd);
	if (len > XAUTH_FILEMAX) {
		run_fail("%s (XAUTHORITY) is larger than %d bytes (gui.x11 "
		         "at %s)",
		    file, XAUTH_FILEMAX, where);
		return;
	}
	if (uname(&u) != 0)
		run_die("uname: %s", strerror(errno));
	out = run_alloc(XAUTH_OUTMAX);
	k = xauth_filter(in, len, u.nodename, (unsigned)n, (unsigned)jn, out,
	    XAUTH_OUTMAX, &outlen, &why);
	if (k < 0) {
		run_fail(
		    "%s (XAUTHORITY): %s (gui.x11 at %s)", file, why, where);
		return;
	}
	if (k == 0)
		return;
	val = run_cat(rt, "/Xauthority");
	run_data(run_next_fd(), 0400, val, (const char *)out, outlen, where);
	R.data[R.ndata - 1].secret = run_alloc(64);
	snprintf((char *)R.data[R.ndata - 1].secret, 64,
	    "the cookie of display :%ld", n);
	run_setenv("XAUTHORITY", val);
}

/* gui.dbus: the proxy's socket, made at launch (run_dbus_start), bound
 * at XDG_RUNTIME_DIR/bus; the rules as xdg-dbus-proxy takes them. */
static void
run_gui_dbus(const char *rt, const char *where)
{
	const char *addr = run_getenv("DBUS_SESSION_BUS_ADDRESS"), *base;
	char *dest;
	size_t i;

	if (addr == NULL || addr[0] == '\0') {
		/* where libdbus and GLib look when it is unset */
		dest = run_cat(rt, "/bus");
		if (!run_gui_socket(dest, "XDG_RUNTIME_DIR/bus", where))
			return;
		addr = run_cat("unix:path=", dest);
	}
	for (i = 0; addr[i] != '\0'; i++)
		if ((unsigned char)addr[i] < 0x20 || addr[i] == 0x7f) {
			run_fail("DBUS_SESSION_BUS_ADDRESS holds a control "
			         "character (gui.dbus at %s)",
			    where);
			return;
		}
	if ((R.dbusproxy = host_helper(&R.host, "xdg-dbus-proxy", R.dbuspin)) ==
	    NULL) {
		if (R.dbuspin != NULL)
			run_fail("gui.dbus: %s (pinned with -D DBUS_PROXY) is "
			         "not there (%s); the jail never gets the bus "
			         "unfiltered",
			    R.dbuspin, where);
		else
			run_fail("gui.dbus needs xdg-dbus-proxy, which is in "
			         "none of /run/current-system/sw/bin, /usr/bin "
			         "and /bin: install it, or take [gui.dbus] out "
			         "(%s); the jail never gets the bus unfiltered",
			    where);
		return;
	}
	/* the directory run_dbus_start makes: named now, for bwrap's
	 * arguments, made only when the launch goes ahead (what a dry run
	 * shows keeps the X's: both forms of launcher print the same) */
	base = run_isdir(rt) ? rt : "/tmp";
	R.dbusdir = run_cat(base, "/jail.XXXXXXXXXX");
	if (R.mode == MODE_RUN && run_tmpname(R.dbusdir) != 0)
		run_die("no randomness for a directory's name: %s",
		    strerror(errno));
	R.dbussock = run_cat(R.dbusdir, "/bus");
	dest = run_cat(rt, "/bus");
	run_mount_add(BLOB_K_RO, R.dbussock, dest);
	run_dest(dest, where);
	run_setenv("DBUS_SESSION_BUS_ADDRESS", run_cat("unix:path=", dest));
	/* ADDRESS PATH --filter and the rules (R.dbusrules) */
	R.dbusargs.n = 0;
	list_add(&R.dbusargs, addr);
	list_add(&R.dbusargs, R.dbussock);
	list_add(&R.dbusargs, "--filter");
	for (i = 0; i < R.dbusrules.n; i++)
		list_add(&R.dbusargs, R.dbusrules.v[i]);
	R.dbus = 1;
}

static void
run_gui(const char *where[4], const char *dbuswhere)
{
	const char *rt = R.var[BLOB_V_XDG_RUNTIME_DIR], *sock, *ps;
	char *dest;
	int any = 0;

	if (R.gui[0]) {
		run_gui_x11(rt, where[0]);
		any = 1;
	}
	sock = R.var[BLOB_V_WAYLAND_DISPLAY];
	if (R.gui[1] && sock[0] != '\0' &&
	    run_gui_socket(sock, "WAYLAND_DISPLAY", where[1])) {
		dest = run_cat(rt, strrchr(sock, '/'));
		run_bind(BLOB_K_RO, 0, sock, dest, where[1]);
		run_setenv("WAYLAND_DISPLAY", strrchr(sock, '/') + 1);
		any = 1;
	}
	if (R.gui[2]) {
		sock = run_cat(rt, "/pipewire-0");
		if (run_gui_socket(
		        sock, "XDG_RUNTIME_DIR/pipewire-0", where[2])) {
			run_bind(BLOB_K_RO, 0, sock, sock, where[2]);
			any = 1;
		}
	}
	if (R.gui[3]) {
		/* PULSE_SERVER may name the socket: unix:/path */
		ps = run_getenv("PULSE_SERVER");
		sock = ps != NULL && strncmp(ps, "unix:/", 6) == 0 &&
		        strspn(ps + 5, "/") < 2
		    ? host_norm(&R.host, "PULSE_SERVER", ps + 5)
		    : run_cat(rt, "/pulse/native");
		dest = run_cat(rt, "/pulse/native");
		if (run_gui_socket(sock, "the PulseAudio socket", where[3])) {
			run_bind(BLOB_K_RO, 0, sock, dest, where[3]);
			run_setenv("PULSE_SERVER", run_cat("unix:", dest));
			any = 1;
		}
	}
	if (dbuswhere != NULL) {
		run_gui_dbus(rt, dbuswhere);
		any = 1;
	}
	if (any)
		run_setenv("XDG_RUNTIME_DIR", rt);
}

/* Whether op comes after the profile's mounts (plan.c orders them). */
static int
run_after_mounts(unsigned op)
{
	switch ((enum blob_op)op) {
	case BLOB_NIXDAEMON:
	case BLOB_PROTECT:
	case BLOB_GITPATH:
	case BLOB_REPORT:
	case BLOB_SECCOMP:
	case BLOB_LIMIT:
	case BLOB_SCOPE:
	case BLOB_NETPROXY:
	case BLOB_NETALLOW:
	case BLOB_NETDENY:
	case BLOB_LAUNCH_NET:
	case BLOB_LAUNCH_SHELL:
	case BLOB_LAUNCH_MOUNT:
	case BLOB_GUI_X11:
	case BLOB_GUI_WAYLAND:
	case BLOB_GUI_PIPEWIRE:
	case BLOB_GUI_PULSE:
	case BLOB_DBUS:
	case BLOB_DBUS_TALK:
	case BLOB_DBUS_OWN:
	case BLOB_DBUS_SEE:
	case BLOB_CHDIR:
	case BLOB_EXEC:
	case BLOB_EXEC_ARG:
		return 1;
	case BLOB_VAR:
	case BLOB_WORKDIR:
	case BLOB_MKDIR:
	case BLOB_MKFILE:
	case BLOB_STATEDIR:
	case BLOB_ENV_ALLOW:
	case BLOB_ENV_DENY:
	case BLOB_ENV_EXTRA:
	case BLOB_ENV_SET:
	case BLOB_REDACT:
	case BLOB_ARG:
	case BLOB_MOUNT:
	case BLOB_GITCONFIG:
	case BLOB_NOPS:
	default:
		return 0;
	}
}

/* The directories of --jail-ro and --jail-rw, after the profile's
 * mounts: bound where they are on the host, as resolved. */
static void
run_choice_binds(void)
{
	size_t k;

	R.want_mounted = 1;
	for (k = 0; k < R.nwant; k++)
		run_bind(R.want[k].rw ? BLOB_K_RW : BLOB_K_RO, 0,
		    R.want[k].real, R.want[k].real,
		    R.want[k].rw ? "--jail-rw" : "--jail-ro");
}

/* The same for each checkout right below a --jail-rw directory dir (a
 * directory, not a link, holding a .git), in name order: ~/src/NAME. */
static void
run_choice_protect_below(const unsigned char *r, const char *b, const char *dir)
{
	unsigned op = blob_get16(r + BLOB_O_OP);
	enum blob_kind kind =
	    blob_get32(r + BLOB_O_KIND) == BLOB_K_RW ? BLOB_K_RW : BLOB_K_RO;
	int isdir = (blob_get16(r + BLOB_O_FLAGS) & BLOB_OPT_DIR) != 0;
	struct dirent **v;
	struct stat st;
	const char *child;
	int i, n;

	if ((n = scandir(dir, &v, NULL, alphasort)) < 0)
		return;
	for (i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, ".") == 0 ||
		    strcmp(v[i]->d_name, "..") == 0)
			continue;
		child = run_cat(strcmp(dir, "/") == 0 ? "" : dir,
		    run_cat("/", v[i]->d_name));
		if (lstat(child, &st) != 0 || !S_ISDIR(st.st_mode) ||
		    lstat(run_cat(child, "/.git"), &st) != 0)
			continue;
		if (op == BLOB_GITPATH)
			run_protect_git(
			    BLOB_K_RO, child, b, isdir, "--jail-rw");
		else
			run_protect(kind, child, b, isdir,
			    run_str(blob_get32(r + BLOB_O_C)), "--jail-rw");
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A PROTECT or GITPATH op r of the project's list, pattern or key b,
 * for each --jail-rw directory: relative to it and to each directory
 * above it, so that a checkout the directory is in, or its .git, keeps
 * its protected paths read-only however deep the bind starts. */
static void
run_choice_protect(const unsigned char *r, const char *b)
{
	unsigned op = blob_get16(r + BLOB_O_OP);
	enum blob_kind kind =
	    blob_get32(r + BLOB_O_KIND) == BLOB_K_RW ? BLOB_K_RW : BLOB_K_RO;
	int dir = (blob_get16(r + BLOB_O_FLAGS) & BLOB_OPT_DIR) != 0;
	char *base, *slash, *full;
	size_t k;

	for (k = 0; k < R.nwant; k++) {
		if (!R.want[k].rw)
			continue;
		for (base = run_strdup(R.want[k].real); base[1] != '\0';
		     *slash = '\0') {
			full = run_cat(base, run_cat("/", b));
			if (op == BLOB_GITPATH)
				run_protect_git(
				    BLOB_K_RO, base, b, dir, "--jail-rw");
			/* above the bind, only what lies inside it */
			else if (strcmp(base, R.want[k].real) == 0 ||
			    (run_within(full, R.want[k].real) &&
			        strcmp(full, R.want[k].real) != 0))
				run_protect(kind, base, b, dir,
				    run_str(blob_get32(r + BLOB_O_C)),
				    "--jail-rw");
			base = run_strdup(base);
			if ((slash = strrchr(base, '/')) == base)
				break;
		}
		run_choice_protect_below(r, b, R.want[k].real);
	}
}

/* The network and command the choices ask for, once the plan's ops
 * are read: the mode's namespace, proxy and scope, and a shell. */
static void
run_choices_apply(int netarg)
{
	static const char shell[] =
	    "for s in \"${SHELL-}\" bash sh; do "
	    "[ -n \"$s\" ] && command -v \"$s\" >/dev/null 2>&1 && "
	    "exec \"$s\" \"$@\"; done; "
	    "echo 'no shell in the jail' >&2; exit 127";

	if (R.want_net != NULL) {
		if (strcmp(R.want_net, "host") == 0) {
			/* the host's abstract sockets kept out */
			if (!list_has(&R.scopes, "abstract-unix-socket"))
				list_add(&R.scopes, "abstract-unix-socket");
		} else {
			R.scopes.n = 0;
			if (!netarg)
				run_word("--unshare-net");
		}
		R.netproxy = strcmp(R.want_net, "proxy") == 0;
		if (!R.netproxy)
			R.netallow.n = R.netdeny.n = 0;
	}
	if (R.want_shell) {
		R.cmd.n = 0;
		list_add(&R.cmd, "sh");
		list_add(&R.cmd, "-c");
		list_add(&R.cmd, shell);
		list_add(&R.cmd, "sh");
	}
}

static void
run_plan(void)
{
	uint32_t nops = blob_get32(R.blob + BLOB_H_NOPS);
	const unsigned char *r;
	const char *a, *b, *where;
	const char *guiwhere[4] = { NULL, NULL, NULL, NULL }, *dbuswhere = NULL;
	uint32_t i;
	unsigned op;
	int in_env = 0, netarg = 0;

	/* git.identity = "host": one git answers it with the first
	 * checkout's core.hooksPath */
	for (i = 0; i < nops; i++) {
		r = R.blob + BLOB_HEADER_SIZE + (size_t)i * BLOB_OP_SIZE;
		if (blob_get16(r + BLOB_O_OP) == BLOB_GITCONFIG)
			host_git_want_identity(&R.host);
	}
	for (i = 0; i < nops; i++) {
		r = R.blob + BLOB_HEADER_SIZE + (size_t)i * BLOB_OP_SIZE;
		op = blob_get16(r + BLOB_O_OP);
		a = run_str(blob_get32(r + BLOB_O_A));
		b = run_str(blob_get32(r + BLOB_O_B));
		where = run_str(blob_get32(r + BLOB_O_WHERE));
		if (where == NULL)
			where = "";
		/* the environment is built after each run of environment
		 * ops, as the plan orders them */
		if (in_env && !run_is_env_op(op)) {
			run_env();
			in_env = 0;
		}
		/* the directories the launch adds: after the profile's
		 * mounts, before the checks and pins that look at them */
		if (!R.want_mounted && run_after_mounts(op))
			run_choice_binds();
		switch ((enum blob_op)op) {
		case BLOB_VAR:
			run_var(blob_get32(r + BLOB_O_VAR));
			break;
		case BLOB_WORKDIR:
			run_workdir();
			break;
		case BLOB_MKDIR:
			run_mkdir(run_expand(a), 0700, where);
			break;
		case BLOB_MKFILE:
			run_mkfile(run_expand(a), where);
			break;
		case BLOB_STATEDIR:
			R.statedir = run_expand(a);
			break;
		case BLOB_ENV_ALLOW:
			list_add(&R.allow, a);
			in_env = 1;
			break;
		case BLOB_ENV_DENY:
			list_add(&R.deny, a);
			list_add(&R.denywhere, where);
			in_env = 1;
			break;
		case BLOB_ENV_EXTRA:
			R.extra = a;
			in_env = 1;
			break;
		case BLOB_ENV_SET:
			list_add(&R.setnames, a);
			list_add(&R.setvals, run_expand(b));
			list_add(&R.setwhere, where);
			in_env = 1;
			break;
		case BLOB_REDACT:
			list_add(&R.redact, a);
			in_env = 1;
			break;
		case BLOB_ARG:
			if (strcmp(a, "--unshare-net") == 0) {
				netarg = 1;
				/* --jail-network host */
				if (R.want_net != NULL &&
				    strcmp(R.want_net, "host") == 0)
					break;
			}
			run_arg_add(RUN_A_WORD)->a = a;
			/* what --jail-check tries */
			if (strcmp(a, "--disable-userns") == 0)
				R.nouserns = 1;
			break;
		case BLOB_MOUNT:
			run_mount(r, where);
			break;
		case BLOB_GITCONFIG:
			run_gitconfig((int)blob_get32(r + BLOB_O_FD),
			    run_expand(b), where);
			break;
		case BLOB_PROTECT:
			run_protect(blob_get32(r + BLOB_O_KIND) == BLOB_K_RW
			        ? BLOB_K_RW
			        : BLOB_K_RO,
			    run_expand(a), b,
			    (blob_get16(r + BLOB_O_FLAGS) & BLOB_OPT_DIR) != 0,
			    run_str(blob_get32(r + BLOB_O_C)), where);
			/* a --jail-rw directory: the project's list */
			if (strcmp(a, "${PROJECT_ROOT}") == 0)
				run_choice_protect(r, b);
			break;
		case BLOB_GITPATH:
			run_protect_git(BLOB_K_RO, run_expand(a), b,
			    (blob_get16(r + BLOB_O_FLAGS) & BLOB_OPT_DIR) != 0,
			    where);
			if (strcmp(a, "${PROJECT_ROOT}") == 0)
				run_choice_protect(r, b);
			break;
		case BLOB_CHDIR:
			run_arg_add(RUN_A_CHDIR)->b = run_expand(b);
			break;
		case BLOB_EXEC:
			R.cmd.n = 0;
			list_add(&R.cmd, run_expand(a));
			break;
		case BLOB_EXEC_ARG:
			list_add(&R.cmd, run_expand(a));
			break;
		case BLOB_SECCOMP:
			run_seccomp((int)blob_get32(r + BLOB_O_FD), a,
			    run_str(blob_get32(r + BLOB_O_C)), where);
			break;
		case BLOB_LIMIT:
			run_limit(a, b,
			    (blob_get16(r + BLOB_O_FLAGS) &
			        BLOB_OPT_OPTIONAL) != 0);
			break;
		case BLOB_SCOPE:
			list_add(&R.scopes, a);
			break;
		case BLOB_NIXDAEMON:
			run_nix_daemon(a, where);
			break;
		case BLOB_REPORT:
			R.report_fail = strcmp(a, "fail") == 0;
			break;
		case BLOB_NETPROXY:
			R.netproxy = 1;
			break;
		case BLOB_NETALLOW:
			list_add(&R.netallow, a);
			break;
		case BLOB_NETDENY:
			list_add(&R.netdeny, a);
			break;
		case BLOB_LAUNCH_NET:
		case BLOB_LAUNCH_SHELL:
		case BLOB_LAUNCH_MOUNT:
			/* run_choices_check read them */
			break;
		case BLOB_GUI_X11:
		case BLOB_GUI_WAYLAND:
		case BLOB_GUI_PIPEWIRE:
		case BLOB_GUI_PULSE:
			R.gui[op - BLOB_GUI_X11] = 1;
			guiwhere[op - BLOB_GUI_X11] = where;
			break;
		case BLOB_DBUS:
			dbuswhere = where;
			break;
		case BLOB_DBUS_TALK:
			list_add(&R.dbusrules, run_cat("--talk=", a));
			break;
		case BLOB_DBUS_OWN:
			list_add(&R.dbusrules, run_cat("--own=", a));
			break;
		case BLOB_DBUS_SEE:
			list_add(&R.dbusrules, run_cat("--see=", a));
			break;
		case BLOB_NOPS:
		default:
			/* the verifier refused it; this is a bug */
			fprintf(stderr, "jailrun: internal error: op %u\n", op);
			run_cleanup();
			exit(2);
		}
	}
	if (in_env)
		run_env();
	if (!R.want_mounted)
		run_choice_binds();
	run_choices_apply(netarg);
	run_gui(guiwhere, dbuswhere);
	run_gitconfig_text();
	run_net_setup();
	run_words();
}

/* The data descriptors in increasing order, as bash lists an indexed
 * array's keys. */
static int
data_cmp(const void *x, const void *y)
{
	const struct run_data *a = x, *b = y;

	return (a->fd > b->fd) - (a->fd < b->fd);
}

/* bash's printf %q (5.2): '' for the empty word; $'...' when a
 * character is not printable in the locale; else a backslash before
 * each character the shell would read specially. */
static void
run_quote(struct run_buf *b, const char *s)
{
	static const char special[] = " \t\n!\"$&'()*,;<>?[\\]^`{|}";
	mbstate_t st;
	const char *p;
	wchar_t wc;
	size_t n;
	int ansi = 0;

	if (*s == '\0') {
		buf_puts(b, "''");
		return;
	}
	memset(&st, 0, sizeof(st));
	for (p = s; *p != '\0'; p += n) {
		n = mbrtowc(&wc, p, MB_CUR_MAX, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || !iswprint(wc)) {
			ansi = 1;
			break;
		}
	}
	if (ansi) {
		buf_puts(b, "$'");
		memset(&st, 0, sizeof(st));
		for (p = s; *p != '\0'; p += n) {
			unsigned char c = (unsigned char)*p;
			const char *esc = NULL;
			char oct[5];

			n = 1;
			switch (c) {
			case 033:
				esc = "\\E";
				break;
			case '\a':
				esc = "\\a";
				break;
			case '\v':
				esc = "\\v";
				break;
			case '\b':
				esc = "\\b";
				break;
			case '\f':
				esc = "\\f";
				break;
			case '\n':
				esc = "\\n";
				break;
			case '\r':
				esc = "\\r";
				break;
			case '\t':
				esc = "\\t";
				break;
			case '\\':
				esc = "\\\\";
				break;
			case '\'':
				esc = "\\'";
				break;
			default:
				break;
			}
			if (esc != NULL) {
				buf_puts(b, esc);
				continue;
			}
			if (c >= 0x80) {
				n = mbrtowc(&wc, p, MB_CUR_MAX, &st);
				if (n != (size_t)-1 && n != (size_t)-2 &&
				    n > 0 && iswprint(wc)) {
					buf_add(b, p, n);
					continue;
				}
				memset(&st, 0, sizeof(st));
				n = 1;
			} else if (isprint(c)) {
				buf_putc(b, (char)c);
				continue;
			}
			snprintf(oct, sizeof(oct), "\\%03o", c);
			buf_puts(b, oct);
		}
		buf_putc(b, '\'');
		return;
	}
	memset(&st, 0, sizeof(st));
	for (p = s; *p != '\0'; p += n) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x80) {
			n = mbrtowc(&wc, p, MB_CUR_MAX, &st);
			buf_add(b, p, n);
			continue;
		}
		n = 1;
		if (strchr(special, c) != NULL || (c == '#' && p == s) ||
		    (c == '~' && (p == s || p[-1] == ':' || p[-1] == '=')))
			buf_putc(b, '\\');
		buf_putc(b, (char)c);
	}
}

/* jail_redacted: the name in upper case against the redact globs. */
static int
run_redacted(const char *name)
{
	char *up = run_strdup(name), *p;

	for (p = up; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	return run_match(up, &R.redact);
}

static void
run_flush(struct run_buf *b)
{
	if (fwrite(b->s, 1, b->len, stdout) != b->len || fflush(stdout) != 0)
		run_die("cannot write the output: %s", strerror(errno));
}

/* bwrap's option for a mount of kind, -try where it is optional. */
static const char *const run_mount_words[BLOB_NKINDS][2] = {
	[BLOB_K_RO] = { "--ro-bind", "--ro-bind-try" },
	[BLOB_K_RW] = { "--bind", "--bind-try" },
	[BLOB_K_DEV_BIND] = { "--dev-bind", "--dev-bind-try" },
	[BLOB_K_TMPFS] = { "--tmpfs", "--tmpfs" },
	[BLOB_K_DIR] = { "--dir", "--dir" },
	[BLOB_K_PROC] = { "--proc", "--proc" },
	[BLOB_K_DEV] = { "--dev", "--dev" },
	[BLOB_K_SYMLINK] = { "--symlink", "--symlink" },
	[BLOB_K_DATA] = { "--ro-bind-data", "--ro-bind-data" },
};

static char *
run_fdword(int fd)
{
	char *s = run_alloc(16);

	snprintf(s, 16, "%d", fd);
	return s;
}

/* bwrap's options as words (jail_args), from the typed entries: the only
 * place that knows how bwrap spells them. */
static void
run_words(void)
{
	size_t i;

	for (i = 0; i < R.nargv; i++) {
		const struct run_arg *e = &R.argv[i];

		switch (e->what) {
		case RUN_A_WORD:
			list_add(&R.args, e->a);
			break;
		case RUN_A_CLEARENV:
			list_add(&R.args, "--clearenv");
			break;
		case RUN_A_SETENV:
			list_add(&R.args, "--setenv");
			list_add(&R.args, e->a);
			list_add(&R.args, e->b);
			break;
		case RUN_A_CHDIR:
			list_add(&R.args, "--chdir");
			list_add(&R.args, e->b);
			break;
		case RUN_A_SECCOMP:
			list_add(&R.args, "--seccomp");
			list_add(&R.args, run_fdword(e->fd));
			break;
		case RUN_A_MOUNT:
			if (e->mode != BLOB_NONE) {
				list_add(&R.args, "--perms");
				list_add(&R.args, run_perms(e->mode));
			}
			list_add(&R.args,
			    run_mount_words[e->kind][e->optional != 0]);
			if (e->kind == BLOB_K_DATA)
				list_add(&R.args, run_fdword(e->fd));
			else if (e->a != NULL)
				list_add(&R.args, e->a);
			list_add(&R.args, e->b);
			break;
		default:
			fprintf(stderr, "jailrun: internal error: option\n");
			abort();
		}
	}
}

/* jail_dry_run */
static void
run_dry(int argc, char **argv)
{
	struct run_buf out = { NULL, 0, 0 };
	size_t i;
	int k;
	char num[16];

	buf_puts(&out, R.bwrap);
	for (i = 0; i < R.args.n; i++) {
		const char *a = R.args.v[i];

		if (strcmp(a, "--setenv") == 0) {
			const char *name =
			    i + 1 < R.args.n ? R.args.v[i + 1] : "";
			buf_puts(&out, " \\\n    --setenv ");
			run_quote(&out, name);
			if (run_redacted(name)) {
				buf_puts(&out, " <redacted>");
			} else {
				buf_putc(&out, ' ');
				run_quote(&out,
				    i + 2 < R.args.n ? R.args.v[i + 2] : "");
			}
			i += 2;
		} else if (strncmp(a, "--", 2) == 0) {
			buf_puts(&out, " \\\n    ");
			run_quote(&out, a);
		} else {
			buf_putc(&out, ' ');
			run_quote(&out, a);
		}
	}
	buf_puts(&out, " \\\n    --");
	for (i = 0; i < R.cmd.n; i++) {
		buf_putc(&out, ' ');
		run_quote(&out, R.cmd.v[i]);
	}
	for (k = 0; k < argc; k++) {
		buf_putc(&out, ' ');
		run_quote(&out, argv[k]);
	}
	buf_putc(&out, '\n');
	for (i = 0; i < R.ndata; i++) {
		snprintf(num, sizeof(num), "%d", R.data[i].fd);
		buf_puts(&out, "\n# descriptor ");
		buf_puts(&out, num);
		buf_puts(&out, ":\n");
		if (R.data[i].secret != NULL) {
			buf_puts(&out, "# ");
			buf_puts(&out, R.data[i].secret);
			buf_puts(&out, " (not shown)\n");
		} else {
			buf_add(&out, R.data[i].text, R.data[i].len);
		}
	}
	if (R.bpfhex != NULL) {
		snprintf(num, sizeof(num), "%d", R.bpffd);
		buf_puts(&out, "\n# descriptor ");
		buf_puts(&out, num);
		buf_puts(&out, ": a seccomp filter of ");
		snprintf(num, sizeof(num), "%u", (unsigned)(R.bpflen / 8));
		buf_puts(&out, num);
		buf_puts(&out, " instructions\n");
	}
	for (i = 0; i < R.nlimits; i++) {
		buf_puts(&out, "# limit ");
		buf_puts(&out, R.limits[i].name);
		buf_putc(&out, ' ');
		buf_puts(&out, R.limits[i].text);
		buf_puts(&out, R.limits[i].optional ? " optional\n" : "\n");
	}
	for (i = 0; i < R.ncgs; i++) {
		buf_puts(&out, "# cgroup ");
		buf_puts(&out, R.cgs[i].parent);
		buf_puts(&out, "/jailc.PID ");
		buf_puts(&out, R.cgs[i].file);
		buf_putc(&out, ' ');
		buf_puts(&out, R.cgs[i].max);
		buf_putc(&out, '\n');
	}
	if (R.memby != NULL) {
		buf_puts(&out, "# memory given by the cgroup ");
		buf_puts(&out, R.memby);
		buf_putc(&out, '\n');
	}
	if (R.memmax != NULL) {
		buf_puts(&out,
		    R.bus != NULL ? "# systemd user scope MemoryMax "
		                  : "# systemd scope MemoryMax ");
		buf_puts(&out, R.memmax);
		buf_putc(&out, '\n');
	}
	for (i = 0; i < R.nwithout; i++) {
		buf_puts(&out, "# ");
		buf_puts(&out, R.without[i]);
		buf_putc(&out, '\n');
	}
	for (i = 0; i < R.scopes.n; i++) {
		buf_puts(&out, "# scope ");
		buf_puts(&out, R.scopes.v[i]);
		buf_putc(&out, '\n');
	}
	run_flush(&out);
}

/* jail_print_argv: all NUL-terminated. */
static void
run_print(int argc, char **argv)
{
	struct run_buf out = { NULL, 0, 0 };
	char num[24];
	size_t i;
	int k;

	snprintf(
	    num, sizeof(num), "%zu", 1 + R.args.n + 1 + R.cmd.n + (size_t)argc);
	buf_add(&out, num, strlen(num) + 1);
	buf_add(&out, R.bwrap, strlen(R.bwrap) + 1);
	for (i = 0; i < R.args.n; i++)
		buf_add(&out, R.args.v[i], strlen(R.args.v[i]) + 1);
	buf_add(&out, "--", 3);
	for (i = 0; i < R.cmd.n; i++)
		buf_add(&out, R.cmd.v[i], strlen(R.cmd.v[i]) + 1);
	for (k = 0; k < argc; k++)
		buf_add(&out, argv[k], strlen(argv[k]) + 1);
	for (i = 0; i < R.ndata; i++) {
		snprintf(num, sizeof(num), "%d", R.data[i].fd);
		buf_add(&out, num, strlen(num) + 1);
		if (R.data[i].secret != NULL)
			buf_puts(&out, R.data[i].secret);
		else
			buf_add(&out, R.data[i].text, R.data[i].len);
		buf_putc(&out, '\0');
	}
	if (R.bpfhex != NULL) {
		snprintf(num, sizeof(num), "%d", R.bpffd);
		buf_add(&out, num, strlen(num) + 1);
		buf_add(&out, R.bpfhex, strlen(R.bpfhex) + 1);
	}
	for (i = 0; i < R.nlimits; i++) {
		buf_puts(&out, "limit ");
		buf_puts(&out, R.limits[i].name);
		buf_putc(&out, ' ');
		buf_add(&out, R.limits[i].text, strlen(R.limits[i].text) + 1);
	}
	for (i = 0; i < R.scopes.n; i++) {
		buf_puts(&out, "scope ");
		buf_add(&out, R.scopes.v[i], strlen(R.scopes.v[i]) + 1);
	}
	run_flush(&out);
}

/* The bwrap to run: pinned at compile time, or from the system
 * directories (host.h), never through PATH; NULL after saying why. */
static char *
run_bwrap(void)
{
	int pinned = R.bwrap[0] == '/';
	char *path;

	if ((path = host_helper(&R.host, "bwrap", pinned ? R.bwrap : NULL)) ==
	    NULL) {
		if (!R.failed)
			fprintf(stderr, "%s: bwrap not found (looked for %s)\n",
			    R.name,
			    pinned ? R.bwrap
			           : "bwrap in /run/current-system/sw/bin, "
			             "/usr/bin and /bin");
		return NULL;
	}
	return path;
}

/* jail_check */
static int
run_check(void)
{
	char *path, *version;
	size_t i, j, len;

	if ((path = run_bwrap()) == NULL) {
		R.failed = 1;
	} else {
		char *vargv[] = { path, "--version", NULL };
		char *uargv[] = { path, "--unshare-user", "--ro-bind", "/", "/",
			"--", "/bin/sh", "-c", ":", NULL };
		char *dargv[] = { path, "--unshare-user", "--disable-userns",
			"--ro-bind", "/", "/", "--", "/bin/sh", "-c", ":",
			NULL };

		if (host_capture(&R.host, vargv, &version, &len, 0) != 0) {
			version = run_strdup("(no version)");
			len = strlen(version);
		}
		/* $(...): NUL bytes dropped, trailing newlines cut */
		for (i = j = 0; i < len; i++)
			if (version[i] != '\0')
				version[j++] = version[i];
		while (j > 0 && version[j - 1] == '\n')
			j--;
		version[j] = '\0';
		printf("%s: using %s: %s\n", R.name, path, version);
		fflush(stdout);
		if (host_capture(&R.host, uargv, NULL, NULL, 1) != 0) {
			fprintf(stderr,
			    "%s: bwrap cannot create a user namespace here\n",
			    R.name);
			R.failed = 1;
		} else if (R.nouserns &&
		    host_capture(&R.host, dargv, NULL, NULL, 1) != 0) {
			fprintf(stderr,
			    "%s: bwrap cannot run --disable-userns here "
			    "(it needs bwrap 0.8)\n",
			    R.name);
			R.failed = 1;
		}
	}
	for (i = 0; i < R.scopes.n; i++)
		if (ll_report(R.name, R.scopes.v[i]) != 0)
			R.failed = 1;
	/* gui.dbus: the proxy was found (run_gui_dbus failed the launch
	 * otherwise) */
	if (R.dbus)
		printf("%s: the session bus through %s\n", R.name, R.dbusproxy);
	fflush(stdout);
	if (run_devlock_check() != 0)
		R.failed = 1;
	if (!R.failed) {
		printf("%s: ready\n", R.name);
		return 0;
	}
	return 1;
}

static void
run_help(const char *prog)
{
	const char *cmd = R.cmdname != NULL ? R.cmdname : "";

	printf("usage: %s [--jail-net-log FILE] [--jail-network MODE] "
	       "[--jail-shell]\n"
	       "       [--jail-ro DIR] [--jail-rw DIR] [--jail-dry-run | "
	       "--jail-check |\n"
	       "       --jail-print-argv | --jail-help] [ARGS...]\n"
	       "\n"
	       "Run %s inside the jail \"%s\" (jailc profile %s).\n"
	       "ARGS go to %s unchanged.  Launcher flags are recognised only\n"
	       "before the first other argument, in any order:\n"
	       "\n"
	       "  --jail-network MODE  none, proxy or host: less than the "
	       "profile's\n"
	       "                     network always, more as its "
	       "launch.network allows\n"
	       "  --jail-shell       a shell instead of the command, if "
	       "launch.shell\n"
	       "  --jail-ro DIR      bind DIR read-only, within "
	       "launch.mount\n"
	       "  --jail-rw DIR      bind DIR writable, within an rw "
	       "launch.mount entry\n"
	       "  --jail-dry-run     print the bwrap command and environment "
	       "(secrets hidden)\n"
	       "  --jail-check       check that this host can run the jail, "
	       "run nothing\n"
	       "  --jail-print-argv  write bwrap's arguments NUL-separated, "
	       "for tests\n"
	       "  --jail-help        show this help\n"
	       "  --jail-net-log FILE  with network.mode = \"proxy\": write "
	       "what the proxy\n"
	       "                     refused to FILE\n"
	       "\n"
	       "Exit status: the command's own; 128+N when it dies of signal "
	       "N;\n"
	       "125 when the launcher cannot start the jail.\n",
	    prog, cmd, R.name, R.file, cmd);
}

/* Close every descriptor above 2: one open on a host directory is a
 * way out of any mount namespace. */
static void
run_closefds(void)
{
	DIR *d;
	struct dirent *e;
	int fd, self;

	/* through syscall(2), which musl's headers also have */
	if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0)
		return;
	if ((d = opendir("/proc/self/fd")) == NULL)
		run_die("cannot list open descriptors: /proc is not mounted");
	self = dirfd(d);
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		fd = atoi(e->d_name);
		if (fd > 2 && fd != self)
			close(fd);
	}
	closedir(d);
}

/* Put len bytes at s on descriptor fd, as a memfd: a file, never on
 * disk, read from its start, any size.  (The shell uses a pipe from a
 * process substitution; bwrap reads either to its end.)  Only
 * descriptors 0-2 and those already placed are open, and targets are
 * placed in increasing order, so the new memfd lands at or below fd. */
static void
run_fdfile(int fd, const char *s, size_t len)
{
	int m = memfd_create("jailrun", 0);
	size_t off = 0;
	ssize_t n;

	if (m < 0)
		run_die("cannot make descriptor %d: %s", fd, strerror(errno));
	while (off < len) {
		n = write(m, s + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			run_die("cannot write descriptor %d: %s", fd,
			    strerror(errno));
		off += (size_t)n;
	}
	if (lseek(m, 0, SEEK_SET) != 0)
		run_die("cannot rewind descriptor %d: %s", fd, strerror(errno));
	if (m != fd) {
		if (dup2(m, fd) != fd)
			run_die("cannot place descriptor %d: %s", fd,
			    strerror(errno));
		close(m);
	}
}

static volatile sig_atomic_t run_sig;
/* Whether the launch may go without its memory limit. */
static int
run_memory_optional(void)
{
	size_t i;

	for (i = 0; i < R.nlimits; i++)
		if (strcmp(R.limits[i].name, "memory") == 0)
			return R.limits[i].optional;
	return 0;
}

/* systemd's scope gave no memory limit (WHY): the note that the launch
 * goes without it, when optional, else the refusal (its way out a cgroup
 * of the user's where CGROUP); whether the launch goes on. */
static int
run_memory_missed(const char *why, int cgroup)
{
	char text[1024];
	int optional = run_memory_optional();

	run_without_text(
	    text, sizeof(text), "memory", optional, why, R.memmax, cgroup);
	fprintf(stderr, "%s: %s\n", R.name, text);
	return optional;
}

/*
 * jail_sdscope_ask, in the launcher, once the child that becomes bwrap
 * is forked and waits: ask systemd for a transient scope unit holding
 * the child, with the memory limit (MemoryMax, and MemorySwapMax 0, as
 * a cgroup the launcher makes would have), collected when it ends.  The
 * user's manager is asked on the user's bus at XDG_RUNTIME_DIR/bus, not
 * on whatever DBUS_SESSION_BUS_ADDRESS names; root's on the system bus.
 * Returns 0, or -1 with *why.
 */
static int
run_sdscope_ask(pid_t child, const char **why)
{
	char unit[64], pid[24], *out;
	size_t len;
	int rc;
	char *argv[] = { (char *)R.busctl,
		R.bus != NULL ? run_cat("--address=", R.bus) : "--system",
		"--quiet", "call", "org.freedesktop.systemd1",
		"/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
		"StartTransientUnit", "ssa(sv)a(sa(sv))", unit, "fail", "4",
		"PIDs", "au", "1", pid, "MemoryMax", "t", (char *)R.memmax,
		"MemorySwapMax", "t", "0", "CollectMode", "s",
		"inactive-or-failed", "0", NULL };

	snprintf(unit, sizeof(unit), "jailc-%ld-%ld.scope", (long)getpid(),
	    (long)child);
	snprintf(pid, sizeof(pid), "%ld", (long)child);
	if ((rc = host_capture(&R.host, argv, &out, &len, 0)) == 0)
		return 0;
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = '\0';
	*why = run_why("%s could not make the scope %s (%s%s%s)", R.busctl,
	    unit, len > 0 ? out : "", len > 0 ? ": " : "",
	    rc < 0 ? "cannot run it" : run_why("status %d", rc));
	return -1;
}

/* jail_sdscope_enter, in the child: wait for the launcher's word; when
 * systemd made the scope, wait (up to two seconds: the start job moves
 * the process) until a cgroup of the launcher's line caps memory as
 * asked, as run_cgroup_find would see it. */
static void
run_sdscope_enter(int fd)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct run_cg c;
	unsigned long long given, v = strtoull(R.memmax, NULL, 10);
	const char *why, *by;
	char word = 0;
	int i;

	while (read(fd, &word, 1) < 0 && errno == EINTR)
		;
	close(fd);
	if (word == 'w')
		return; /* going without: the launcher said so */
	if (word != 'g')
		_exit(125); /* the launcher said why */
	for (i = 0; i < 200; i++) {
		memset(&c, 0, sizeof(c));
		c.ctl = "memory";
		run_cgroup_dir(&c, &why, &given, &by);
		if (given <= v)
			return;
		nanosleep(&tick, NULL);
	}
	if (!run_memory_missed("systemd made the scope, but no cgroup of it "
	                       "caps memory as low (is the memory controller "
	                       "delegated to the manager?)",
	        0))
		_exit(125);
}

static volatile pid_t run_child;

/* Pass INT, TERM and HUP on to the jail. */
static void
run_forward(int sig)
{
	int saved = errno;

	run_sig = sig;
	if (run_child > 0)
		kill(run_child, sig);
	errno = saved;
}

/* jail_run: every check passed; make the directories, the descriptors,
 * and start bwrap. */
/* ---- network.mode = "proxy" ----------------------------------------- */

/*
 * The jail has a network namespace of its own (--unshare-net: a
 * loopback and nothing else), so neither the host's loopback services
 * nor its abstract unix sockets are there, on any kernel.  The proxy's
 * listening socket is made inside it, on 127.0.0.1:RUN_NET_PORT, by
 * this very executable run as the jail's first command (RUN_NET_HELPER,
 * bound read-only): it hands the socket out over a socket pair the
 * launcher made (SCM_RIGHTS), closes its own copy, and execs the jail's
 * command.  The launcher, outside and already bwrap's parent, accepts
 * on that socket and connects out in the host's namespace.  So no
 * process in the jail ever has the host's network, no socket of the
 * host is bound into the jail, and the socket exists before the command
 * runs (no race with its first request).
 */
#define RUN_NET_PORT 3128
#define RUN_NET_HELPER "/.jailrun-net"
#define RUN_NET_FLAG "--jail-net-pre"

/* Whether entry names the loopback ("localhost", 127/8, ::1): the
 * user means the host's, through the proxy. */
static int
run_net_loopback(const char *entry)
{
	struct netrule r;
	const char *why, *kind;

	if (netrule_parse(entry, &r, &why) != 0)
		return 0;
	if (r.kind == NR_NAME)
		return strcmp(r.host, "localhost") == 0;
	if (r.kind != NR_IP4 && r.kind != NR_IP6)
		return 0;
	kind = netrule_special(r.addr, r.kind == NR_IP4);
	return kind != NULL && strcmp(kind, "loopback") == 0;
}

static const char *
run_net_getenv(const char *name)
{
	return run_getenv(name);
}

/* What the plan's proxy ops add to bwrap's options and the command:
 * the namespace, the proxy's variables, the helper and its bind. */
static void
run_net_setup(void)
{
	static const char *const vars[] = { "HTTPS_PROXY", "https_proxy",
		"HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", NULL };
	struct run_list cmd = { NULL, 0, 0 };
	char *self, *url, *fd, *port;
	const char *noproxy = "localhost,127.0.0.1,::1";
	size_t i;

	if (!R.netproxy)
		return;
	url = run_alloc(64);
	snprintf(url, 64, "http://127.0.0.1:%d", RUN_NET_PORT);
	for (i = 0; vars[i] != NULL; i++)
		run_setenv(vars[i], url);
	/* The jail's own loopback (a server the agent starts) is reached
	 * directly; but when the allowlist names the loopback, it is the
	 * host's that is meant, through the proxy. */
	for (i = 0; i < R.netallow.n; i++)
		if (run_net_loopback(R.netallow.v[i]))
			noproxy = "";
	run_setenv("NO_PROXY", noproxy);
	run_setenv("no_proxy", noproxy);
	if ((self = realpath("/proc/self/exe", NULL)) == NULL)
		run_die("cannot find this executable (/proc/self/exe) to "
		        "start the network proxy's helper in the jail: %s",
		    strerror(errno));
	run_mount_add(BLOB_K_RO, self, RUN_NET_HELPER);
	/* the socket pair's end lands above the descriptors run_run
	 * places (--args, the data, the seccomp filter) */
	R.netfd = run_next_fd();
	fd = run_alloc(16);
	port = run_alloc(16);
	snprintf(fd, 16, "%d", R.netfd);
	snprintf(port, 16, "%d", RUN_NET_PORT);
	list_add(&cmd, RUN_NET_HELPER);
	list_add(&cmd, RUN_NET_FLAG);
	list_add(&cmd, fd);
	list_add(&cmd, port);
	list_add(&cmd, "--");
	for (i = 0; i < R.cmd.n; i++)
		list_add(&cmd, R.cmd.v[i]);
	R.cmd = cmd;
}

/*
 * The helper, in the jail: RUN_NET_HELPER RUN_NET_FLAG FD PORT -- CMD
 * ARGS...  Listens on 127.0.0.1:PORT, sends the socket on FD, and
 * execs CMD as bwrap would have.
 */
static int
run_net_pre(int argc, char **argv)
{
	struct sockaddr_in sin;
	struct msghdr msg;
	struct iovec iov;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct cmsghdr *cm;
	char byte = 'L';
	long fd, port;
	int s, one = 1, err;

	if (argc < 6 || strcmp(argv[4], "--") != 0 ||
	    (fd = strtol(argv[2], NULL, 10)) < 3 || fd > 1023 ||
	    (port = strtol(argv[3], NULL, 10)) < 1 || port > 65535) {
		fprintf(stderr, "jailrun: %s: bad arguments\n", RUN_NET_FLAG);
		return 125;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(s, 128) != 0) {
		fprintf(stderr,
		    "jailrun: cannot listen on 127.0.0.1:%ld in the jail: %s\n",
		    port, strerror(errno));
		return 125;
	}
	memset(&msg, 0, sizeof(msg));
	memset(&u, 0, sizeof(u));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof(u.buf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &s, sizeof(int));
	if (sendmsg((int)fd, &msg, MSG_NOSIGNAL) != 1) {
		fprintf(stderr,
		    "jailrun: cannot hand the proxy's socket to the "
		    "launcher: %s\n",
		    strerror(errno));
		return 125;
	}
	close(s);
	close((int)fd);
	execvp(argv[5], argv + 5);
	err = errno;
	fprintf(stderr, "jailrun: cannot run %s: %s\n", argv[5], strerror(err));
	return err == ENOENT ? 127 : 126;
}

/* The proxy's thread: the listening socket from the helper, then
 * serve.  A socket pair closed without one (the command never
 * started) ends it quietly. */
static void *
run_net_thread(void *arg)
{
	int sp = (int)(intptr_t)arg, lfd = -1;
	struct msghdr msg;
	struct iovec iov;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct cmsghdr *cm;
	char byte;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof(u.buf);
	while ((n = recvmsg(sp, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	close(sp);
	if (n != 1 || (cm = CMSG_FIRSTHDR(&msg)) == NULL ||
	    cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return NULL;
	memcpy(&lfd, CMSG_DATA(cm), sizeof(int));
	if (np_serve(R.np, lfd) != 0)
		fprintf(stderr, "%s: the network proxy stopped: %s\n", R.name,
		    strerror(errno));
	return NULL;
}

/* Before bwrap starts: the proxy, the socket pair; *child gets the
 * jail's end, at R.netfd in bwrap. */
static int
run_net_prepare(int *child)
{
	const char *why;
	int sp[2];

	R.npcfg.name = R.name;
	R.npcfg.allow = (const char *const *)R.netallow.v;
	R.npcfg.nallow = R.netallow.n;
	R.npcfg.deny = (const char *const *)R.netdeny.v;
	R.npcfg.ndeny = R.netdeny.n;
	R.npcfg.getenv = run_net_getenv;
	if ((R.np = np_new(&R.npcfg, &why)) == NULL)
		run_die("network proxy: %s", why);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) != 0)
		run_die("cannot make a socket pair: %s", strerror(errno));
	*child = sp[1];
	return sp[0];
}

/* After fork, in the launcher: the proxy's thread, with every signal
 * blocked (the launcher's own thread forwards them to the jail). */
static void
run_net_start(int sp)
{
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t t;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, run_net_thread, (void *)(intptr_t)sp))
		fprintf(stderr, "%s: cannot start the network proxy\n", R.name);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* When the jail has exited: what the proxy refused, on stderr (only if
 * anything was) and in --jail-net-log's file. */
static void
run_net_end(void)
{
	if (R.np == NULL)
		return;
	np_summary(R.np, stderr);
	if (R.netlog != NULL &&
	    (np_log(R.np, R.netlog) != 0 || fclose(R.netlog) != 0))
		fprintf(stderr, "%s: --jail-net-log %s: %s\n", R.name,
		    R.netlogname, strerror(errno));
}

/*
 * The session bus's proxy (gui.dbus), started before the jail: in a
 * directory of its own (0700) it listens on the socket bound into the
 * jail, and writes a byte on --fd's pipe when it does.  It ends when the
 * launcher closes the pipe's other end (run_dbus_stop), or dies with it.
 */
static void
run_dbus_start(void)
{
	char **argv, fdword[24], c;
	size_t i, n = 0;
	int sync[2], err;
	ssize_t got;

	if (!R.dbus)
		return;
	if (mkdir(R.dbusdir, 0700) != 0)
		run_die("cannot make %s for the bus proxy: %s", R.dbusdir,
		    strerror(errno));
	R.dbusmade = 1;
	if (pipe2(sync, O_CLOEXEC) != 0)
		run_die("cannot make a pipe: %s", strerror(errno));
	argv = run_alloc((R.dbusargs.n + 3) * sizeof(*argv));
	argv[n++] = (char *)R.dbusproxy;
	snprintf(fdword, sizeof(fdword), "--fd=%d", 3);
	argv[n++] = fdword;
	for (i = 0; i < R.dbusargs.n; i++)
		argv[n++] = R.dbusargs.v[i];
	argv[n] = NULL;
	fflush(NULL);
	if ((R.dbuspid = fork()) < 0)
		run_die("cannot fork: %s", strerror(errno));
	if (R.dbuspid == 0) {
		/* its pipe at 3, nothing else of the jail's: not the
		 * data files, which hold the cookie and the git identity */
		if (dup2(sync[1], 3) != 3)
			_exit(125);
		syscall(SYS_close_range, 4u, ~0u, 0u);
		execve(argv[0], argv, (char *[]){ NULL });
		fprintf(stderr, "%s: cannot run %s: %s\n", R.name, argv[0],
		    strerror(errno));
		_exit(127);
	}
	close(sync[1]);
	R.dbusfd = sync[0];
	while ((got = read(R.dbusfd, &c, 1)) < 0 && errno == EINTR)
		;
	if (got != 1) {
		err = errno;
		run_dbus_stop();
		run_die("xdg-dbus-proxy (%s) did not start%s%s", R.dbusproxy,
		    got < 0 ? ": " : "", got < 0 ? strerror(err) : "");
	}
}

/* Stop the proxy and remove its socket and directory, never following
 * a link. */
static void
run_dbus_stop(void)
{
	int dfd;

	if (R.dbuspid > 0) {
		close(R.dbusfd);
		kill(R.dbuspid, SIGTERM);
		while (waitpid(R.dbuspid, NULL, 0) < 0 && errno == EINTR)
			;
		R.dbuspid = 0;
	}
	if (!R.dbusmade)
		return;
	R.dbusmade = 0;
	if ((dfd = open(R.dbusdir,
	         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		(void)unlinkat(dfd, "bus", 0);
		close(dfd);
	}
	if (rmdir(R.dbusdir) != 0 && errno != ENOENT)
		fprintf(stderr, "%s: cannot remove %s: %s\n", R.name, R.dbusdir,
		    strerror(errno));
}

static void
run_run(int argc, char **argv, int stays)
{
	struct run_buf a = { NULL, 0, 0 };
	struct sigaction sa, ign;
	char **bargv, *empty_env[] = { NULL }, *bwrap;
	const char *why;
	size_t i, n = 0;
	int status, err, go[2] = { -1, -1 }, netsp = -1, netchild = -1;
	pid_t pid;

	/* found before anything is made on the host */
	if ((bwrap = run_bwrap()) == NULL) {
		run_cleanup();
		exit(127);
	}
	run_make_dirs();
	run_state_mark();
	run_make_pins();
	if (run_cgroup_make())
		stays = 1;
	/* the proxies live in the launcher, next to the jail */
	stays = stays || R.nph > 0 || R.nwatch > 0 || R.netproxy ||
	    R.memmax != NULL || R.dbus;
	for (i = 0; i < R.nwithout; i++)
		fprintf(stderr, "%s\n", R.without[i]);
	run_closefds();
	buf_add(&a, "", 0);
	for (i = 0; i < R.args.n; i++)
		buf_add(&a, R.args.v[i], strlen(R.args.v[i]) + 1);
	run_fdfile(3, a.s, a.len);
	for (i = 0; i < R.ndata; i++)
		run_fdfile(R.data[i].fd, R.data[i].text, R.data[i].len);
	if (R.bpf != NULL)
		run_fdfile(R.bpffd, (const char *)R.bpf, R.bpflen);
	run_dbus_start();
	if (R.netproxy) {
		netsp = run_net_prepare(&netchild);
		if (R.netlogname != NULL &&
		    (R.netlog = fopen(R.netlogname, "we")) == NULL)
			run_die("--jail-net-log %s: %s", R.netlogname,
			    strerror(errno));
	}

	bargv = run_alloc((R.cmd.n + (size_t)argc + 5) * sizeof(*bargv));
	bargv[n++] = (char *)R.bwrap;
	bargv[n++] = "--args";
	bargv[n++] = "3";
	bargv[n++] = "--";
	for (i = 0; i < R.cmd.n; i++)
		bargv[n++] = R.cmd.v[i];
	for (i = 0; i < (size_t)argc; i++)
		bargv[n++] = argv[i];
	bargv[n] = NULL;

	/* bwrap starts with an empty environment, as the shell's does
	 * (exec -c): it stays in the jail as its process 1, whose
	 * /proc/1/environ the jailed command can read.  The command's own
	 * comes from --clearenv and --setenv in the --args data. */
	if (!stays) {
		run_devlock(0);
		run_set_limits(0);
		run_scope(0);
		execve(bwrap, bargv, empty_env);
		err = errno;
		fprintf(stderr, "%s: cannot run %s: %s\n", R.name, bwrap,
		    strerror(err));
		exit(err == ENOENT ? 127 : 126);
	}

	/* the child waits for the launcher to ask systemd for its scope;
	 * made after the descriptors bwrap takes, above theirs */
	if (R.memmax != NULL && pipe2(go, O_CLOEXEC) != 0)
		run_die("cannot make a pipe: %s", strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0)
		run_die("cannot fork: %s", strerror(errno));
	if (pid == 0) {
		/* first the scope (its pipe is closed after), then the
		 * jail's end of the socket pair, where the helper looks for
		 * it, kept open across exec */
		if (go[0] >= 0) {
			close(go[1]);
			run_sdscope_enter(go[0]);
		}
		if (netchild >= 0 &&
		    (netchild == R.netfd ? fcntl(netchild, F_SETFD, 0)
		                         : dup2(netchild, R.netfd)) < 0)
			_exit(125);
		/* the dispositions the launcher was started with */
		run_devlock(1);
		run_set_limits(1);
		run_scope(1);
		execve(bwrap, bargv, empty_env);
		err = errno;
		fprintf(stderr, "%s: cannot run %s: %s\n", R.name, bwrap,
		    strerror(err));
		_exit(err == ENOENT ? 127 : 126);
	}
	run_child = pid;
	if (go[0] >= 0) {
		close(go[0]);
		if (run_sdscope_ask(pid, &why) == 0)
			err = 'g';
		else
			err = run_memory_missed(why, 1) ? 'w' : 0;
		/* nothing written: the child ends with 125 */
		if (err != 0 && write(go[1], &(char){ (char)err }, 1) != 1)
			run_die("cannot start the jail: %s", strerror(errno));
		close(go[1]);
	}
	/* jail_close_fds_parent */
	close(3);
	for (i = 0; i < R.ndata; i++)
		close(R.data[i].fd);
	if (R.bpf != NULL)
		close(R.bpffd);
	if (netsp >= 0) {
		close(netchild);
		run_net_start(netsp);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_forward;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}
	/* Finish the cleanup whatever arrives now: a half-removed work
	 * directory helps nobody. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, NULL);
	sigaction(SIGTERM, &ign, NULL);
	sigaction(SIGHUP, &ign, NULL);
	run_dbus_stop();
	run_watch_check();
	run_gitlinks();
	run_cleanup();
	run_net_end();
	if (R.found > 0) {
		fprintf(stderr,
		    "%s: %d thing%s the jail left would run on the host "
		    "(protect.on-exit); nothing removed\n",
		    R.name, R.found, R.found == 1 ? "" : "s");
		if (R.report_fail)
			exit(125);
	}
	if (status == -1)
		exit(run_sig != 0 ? 128 + run_sig : 125);
	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 125);
}

/* Read a regular file whole; *len its size.  Exits 2 on a problem. */
static unsigned char *
run_slurp(const char *what, int fd, off_t start, size_t len)
{
	unsigned char *p = run_alloc(len);
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = pread(fd, p + off, len - off, start + (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(
			    stderr, "jailrun: %s: %s\n", what, strerror(errno));
			exit(2);
		}
		if (n == 0) {
			fprintf(stderr,
			    "jailrun: %s: truncated while reading\n", what);
			exit(2);
		}
		off += (size_t)n;
	}
	return p;
}

/* The blob appended to this very executable, or NULL when there is no
 * trailer. */
static unsigned char *
run_self_blob(size_t *len)
{
	unsigned char t[BLOB_TRAILER_SIZE];
	struct stat st;
	uint64_t off, blen;
	int fd;

	if ((fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < BLOB_TRAILER_SIZE ||
	    pread(fd, t, sizeof(t), st.st_size - BLOB_TRAILER_SIZE) !=
	        (ssize_t)sizeof(t) ||
	    memcmp(t, BLOB_TRAILER_MAGIC, 8) != 0) {
		close(fd);
		return NULL;
	}
	off = blob_get64(t + 8);
	blen = blob_get64(t + 16);
	/* the blob runs from its offset to the trailer, exactly */
	if (blen > BLOB_HEADER_SIZE + (uint64_t)BLOB_MAX_PAYLOAD ||
	    off > (uint64_t)st.st_size - BLOB_TRAILER_SIZE ||
	    off + blen != (uint64_t)st.st_size - BLOB_TRAILER_SIZE) {
		fprintf(stderr, "jailrun: %s: bad launcher trailer\n",
		    "/proc/self/exe");
		exit(2);
	}
	*len = (size_t)blen;
	return run_slurp("/proc/self/exe", fd, (off_t)off, *len);
}

/* Read fd to its end, at most max bytes: a here-document may be a pipe.
 * Exits 2 on a problem. */
static unsigned char *
run_readfd(const char *what, int fd, size_t max, size_t *len)
{
	size_t cap = 65536;
	unsigned char *p = run_alloc(cap), *np;
	ssize_t n;

	*len = 0;
	for (;;) {
		if (*len == cap) {
			if (cap > max) {
				fprintf(stderr,
				    "jailrun: %s: too large for a plan\n",
				    what);
				exit(2);
			}
			np = run_alloc(cap * 2);
			memcpy(np, p, *len);
			p = np;
			cap *= 2;
		}
		n = read(fd, p + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(
			    stderr, "jailrun: %s: %s\n", what, strerror(errno));
			exit(2);
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	if (*len > max) {
		fprintf(stderr, "jailrun: %s: too large for a plan\n", what);
		exit(2);
	}
	return p;
}

/* The text form takes more room than the blob: every byte of a string
 * may be written as four, and each op is a line of words. */
#define RUN_MAX_TEXT (4 * (BLOB_HEADER_SIZE + (size_t)BLOB_MAX_PAYLOAD))

static unsigned char *
run_file_blob(const char *file, size_t *len)
{
	struct stat st;
	unsigned char *p;
	int fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "jailrun: %s: %s\n", file, strerror(errno));
		exit(2);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "jailrun: %s: not a regular file\n", file);
		exit(2);
	}
	if ((uint64_t)st.st_size > RUN_MAX_TEXT) {
		fprintf(stderr, "jailrun: %s: too large for a plan\n", file);
		exit(2);
	}
	*len = (size_t)st.st_size;
	p = run_slurp(file, fd, 0, *len);
	close(fd);
	return p;
}

/* The plan on descriptor fd (a shell launcher's here-document); the
 * descriptor is closed, as nothing else may read it. */
static unsigned char *
run_fd_plan(const char *arg, size_t *len)
{
	char *end;
	long fd;
	unsigned char *p;

	errno = 0;
	fd = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || fd < 0 || fd > 1023 ||
	    fcntl((int)fd, F_GETFD) < 0) {
		fprintf(stderr,
		    "jailrun: --plan-fd %s: not an open descriptor\n", arg);
		exit(2);
	}
	p = run_readfd("the plan's descriptor", (int)fd, RUN_MAX_TEXT, len);
	close((int)fd);
	return p;
}

/* A plan in either form as the blob to run; exits 2 when it is neither
 * a blob nor a text plan, or does not verify. */
static unsigned char *
run_decode(const char *what, unsigned char *p, size_t *len)
{
	unsigned char *blob;
	const char *why;
	size_t blen;

	if (ptext_is_text(p, *len)) {
		if (ptext_read((const char *)p, *len, &blob, &blen, &why) !=
		    0) {
			fprintf(stderr, "jailrun: %s: %s\n", what, why);
			exit(2);
		}
		p = blob;
		*len = blen;
	}
	if (run_verify(p, *len, &why) != 0) {
		fprintf(stderr, "jailrun: %s: %s\n", what, why);
		exit(2);
	}
	return p;
}

int
main(int argc, char **argv)
{
	const char *file = NULL, *flag, *prog;
	char *progbuf;
	unsigned char *blob;
	size_t len;
	int first, stays;

	/* the network proxy's helper, the first command in a jail */
	if (argc >= 2 && strcmp(argv[0], RUN_NET_HELPER) == 0 &&
	    strcmp(argv[1], RUN_NET_FLAG) == 0)
		return run_net_pre(argc, argv);
	/* bash quotes for --jail-dry-run in the user's locale */
	setlocale(LC_CTYPE, "");
	prog = argc > 0 && argv[0] != NULL ? argv[0] : "jailrun";
	if (strrchr(prog, '/') != NULL)
		prog = strrchr(prog, '/') + 1;
	if ((blob = run_self_blob(&len)) != NULL) {
		file = prog;
		first = 1;
		progbuf = run_strdup(prog);
	} else if (argc >= 4 && strcmp(argv[1], "--plan-fd") == 0) {
		/* a shell launcher: the plan on a descriptor, its own name */
		blob = run_fd_plan(argv[2], &len);
		prog = argv[3];
		if (strrchr(prog, '/') != NULL)
			prog = strrchr(prog, '/') + 1;
		file = prog;
		first = 4;
		progbuf = run_strdup(prog);
	} else {
		if (argc < 2 || argv[1][0] == '\0' ||
		    strcmp(argv[1], "--plan-fd") == 0) {
			fprintf(stderr,
			    "usage: jailrun FILE [ARGS...]\n"
			    "       jailrun --plan-fd FD NAME [ARGS...]\n");
			return 2;
		}
		file = argv[1];
		blob = run_file_blob(file, &len);
		first = 2;
		progbuf = run_alloc(strlen(prog) + strlen(file) + 2);
		sprintf(progbuf, "%s %s", prog, file);
	}
	blob = run_decode(file, blob, &len);
	R.blob = blob;
	R.len = len;
	R.tab = BLOB_HEADER_SIZE +
	    (size_t)blob_get32(blob + BLOB_H_NOPS) * BLOB_OP_SIZE;
	R.name = run_str(blob_get32(blob + BLOB_H_NAME));
	R.file = run_str(blob_get32(blob + BLOB_H_FILE));
	R.bwrap = run_str(blob_get32(blob + BLOB_H_BWRAP));
	R.git = run_str(blob_get32(blob + BLOB_H_GIT));
	R.dbuspin = run_str(blob_get32(blob + BLOB_H_DBUSPROXY));
	R.cmdname = run_str(blob_get32(blob + BLOB_H_CMDNAME));
	stays = (blob_get32(blob + BLOB_H_FLAGS) & BLOB_F_STAYS) != 0;

	/* jail_main */
	R.mode = MODE_RUN;
	/* the launcher's flags lead; the first other argument, and all
	 * after it, are the command's */
	for (; first < argc && strncmp(argv[first], "--jail-", 7) == 0;
	     first++) {
		enum run_mode m = MODE_RUN;

		flag = argv[first];
		if (strcmp(flag, "--jail-net-log") == 0 ||
		    strcmp(flag, "--jail-network") == 0 ||
		    strcmp(flag, "--jail-ro") == 0 ||
		    strcmp(flag, "--jail-rw") == 0) {
			if (first + 1 >= argc || argv[first + 1][0] == '\0')
				run_die(
				    "%s needs a value (see --jail-help)", flag);
			first++;
			if (flag[7] == 'n' && flag[10] == '-')
				R.netlogname = argv[first];
			else if (flag[7] == 'n')
				R.want_net = argv[first];
			else {
				run_grow(&R.want, &R.capwant, R.nwant + 1,
				    sizeof(*R.want));
				R.want[R.nwant].given = argv[first];
				R.want[R.nwant].real = NULL;
				R.want[R.nwant++].rw = flag[8] == 'w';
			}
			continue;
		}
		if (strcmp(flag, "--jail-shell") == 0)
			R.want_shell = 1;
		else if (strcmp(flag, "--jail-dry-run") == 0)
			m = MODE_DRY;
		else if (strcmp(flag, "--jail-check") == 0)
			m = MODE_CHECK;
		else if (strcmp(flag, "--jail-print-argv") == 0)
			m = MODE_PRINT;
		else if (strcmp(flag, "--jail-help") == 0)
			m = MODE_HELP;
		else
			run_die("unknown launcher flag '%s' (see --jail-help)",
			    flag);
		if (m != MODE_RUN && R.mode != MODE_RUN)
			run_die("%s: one of --jail-dry-run, --jail-check, "
			        "--jail-print-argv and --jail-help at a time",
			    flag);
		if (m != MODE_RUN)
			R.mode = m;
	}
	if (R.mode == MODE_HELP) {
		run_help(progbuf);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	run_load_env();
	R.host.git_pin = R.git;
	R.host.writable = run_helper_writable;
	run_choices_check();
	run_plan();
	if (R.netlogname != NULL && !R.netproxy)
		run_die("--jail-net-log: this jail has no network proxy "
		        "(its network.mode is not \"proxy\")");
	run_check_order();
	run_cgroup_find();
	argc -= first;
	argv += first;
	switch (R.mode) {
	case MODE_CHECK:
		return run_check();
	case MODE_DRY:
		if (R.ndata > 1)
			qsort(R.data, R.ndata, sizeof(*R.data), data_cmp);
		run_dry(argc, argv);
		return 0;
	case MODE_PRINT:
		if (R.ndata > 1)
			qsort(R.data, R.ndata, sizeof(*R.data), data_cmp);
		run_print(argc, argv);
		return 0;
	case MODE_RUN:
		if (R.ndata > 1)
			qsort(R.data, R.ndata, sizeof(*R.data), data_cmp);
		run_run(argc, argv, stays);
		return 125;
	case MODE_HELP:
	default:
		return 2;
	}
}
