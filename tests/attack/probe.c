/*
 * probe.c - the attacker inside the jail, for tests/live.t.
 *
 * Run as a jail's command, it tries one attack per verb on its command
 * line and prints one line for each:
 *
 *	VERB [ARG]: blocked REASON	the attack failed (REASON: errno name,
 *					signal name, or what stopped it)
 *	VERB [ARG]: ESCAPED DETAIL	the attack worked
 *	VERB [ARG]: error DETAIL	the probe could not try (no terminal,
 *...)
 *
 * The exit status is 0 when every attack was blocked, with 1 added when
 * one escaped and 2 when one could not be tried, so that a test may
 * look at the status alone or at the lines.  Arguments starting with
 * "--" where a verb is expected are the profile's own arguments to the
 * agent (claude's --dangerously-skip-permissions) and are skipped.
 *
 * Every attempt on a system call runs in a child process: an attack that
 * works (a new user namespace, a mount) must not change the ground for
 * the next verb, and a seccomp filter that kills with SIGSYS kills the
 * child, which counts as blocked.  The probe is linked statically so
 * that it runs in any jail, whatever the jail mounts from the host.
 */
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
/* The x32 ABI: x86_64 numbers with this bit set (arch/x86 syscall ABI). */
#define X32_SYSCALL_BIT 0x40000000UL
/* unshare(2) in the i386 table, entered through int 0x80. */
#define I386_NR_UNSHARE 310
/* TIOCLINUX subcode 3: paste the console selection as typed input. */
#define TIOCL_PASTESEL 3

/* The bytes TIOCSTI tries to push; the test looks for them outside. */
#define STI_PLAIN "jailc-sti-plain\n"
#define STI_HIGH "jailc-sti-high\n"

/* clone3's argument block (the kernel's struct clone_args, version 0). */
struct probe_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls;
};

/* A verb: its name, how many arguments it takes, and what it does. */
struct verb {
	const char *name;
	int nargs;
	void (*run)(const char *label, char **args);
};

static int escaped, errored;

/*
 * Reporting.
 */

/* The symbolic name of an errno value. */
static const char *
errname(int e)
{
	const char *s = strerrorname_np(e);

	return s != NULL ? s : "E?";
}

/* report LABEL VERDICT DETAIL: print one result line and remember it. */
static void report(const char *label, const char *verdict, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
report(const char *label, const char *verdict, const char *fmt, ...)
{
	va_list ap;

	if (strcmp(verdict, "ESCAPED") == 0)
		escaped = 1;
	else if (strcmp(verdict, "error") == 0)
		errored = 1;
	printf("%s: %s ", label, verdict);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/*
 * Children.  An attempt is a function run in a child process that
 * returns 0 when the attack worked and an errno value when it did not;
 * the child exits with that value.
 */

/* in_child's answer when there was no child to ask. */
#define NO_CHILD (-1000)

/*
 * Run ATTEMPT(ARG) in a child.  Returns 0 when it worked, an errno value
 * when it failed, minus the signal that killed it, or NO_CHILD.
 */
static int
in_child(int (*attempt)(void *), void *arg)
{
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) == -1)
		return NO_CHILD;
	if (pid == 0)
		_exit(attempt(arg) & 0xff);
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return NO_CHILD;
	if (WIFSIGNALED(st))
		return -WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* The outcome of in_child as a REASON word. */
static const char *
why(int r)
{
	static char buf[32];

	if (r == NO_CHILD)
		return "(no child)";
	if (r < 0) {
		snprintf(buf, sizeof(buf), "SIG%s",
		    sigabbrev_np(-r) != NULL ? sigabbrev_np(-r) : "?");
		return buf;
	}
	return errname(r);
}

/* Report the result of one in_child attempt. */
static void
verdict(const char *label, int r, const char *what)
{
	if (r == 0)
		report(label, "ESCAPED", "%s", what);
	else if (r == NO_CHILD)
		report(label, "error", "no child: %s", errname(errno));
	else
		report(label, "blocked", "%s", why(r));
}

/* errno as a child's exit value: never 0, which means success. */
static int
fail(void)
{
	return errno != 0 ? errno : EIO;
}

/*
 * Terminal injection.
 */

struct sti {
	int fd;
	const char *bytes;
	int high;
};

/*
 * Push each byte into the terminal's input queue.  With high set, the
 * request number carries a bit above 32: the kernel truncates it to an
 * int, and a filter that compares all 64 bits does not see TIOCSTI
 * (CVE-2019-10063, Flatpak).
 */
static int
try_sti(void *arg)
{
	struct sti *s = arg;
	unsigned long req = TIOCSTI;
	const char *p;

	if (s->high)
		req |= 1UL << 32;
	for (p = s->bytes; *p != '\0'; p++)
		if (syscall(SYS_ioctl, s->fd, req, p) == -1)
			return fail();
	return 0;
}

/* The controlling terminal, or -1 with an error reported. */
static int
open_tty(const char *label)
{
	int fd;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		report(label, "error", "no controlling terminal (%s)",
		    errname(errno));
	return fd;
}

static void
do_sti(const char *label, int high)
{
	struct sti s;

	if ((s.fd = open_tty(label)) == -1)
		return;
	s.bytes = high ? STI_HIGH : STI_PLAIN;
	s.high = high;
	verdict(label, in_child(try_sti, &s), "TIOCSTI pushed the bytes");
	close(s.fd);
}

static void
v_tiocsti(const char *label, char **args)
{
	(void)args;
	do_sti(label, 0);
}

static void
v_tiocsti_high(const char *label, char **args)
{
	(void)args;
	do_sti(label, 1);
}

/* TIOCLINUX paste: type the console selection (CVE-2023-1523, snapd). */
static int
try_linux(void *arg)
{
	char sub = TIOCL_PASTESEL;

	if (ioctl(*(int *)arg, TIOCLINUX, &sub) == -1)
		return fail();
	return 0;
}

static void
v_tioclinux(const char *label, char **args)
{
	int fd;

	(void)args;
	if ((fd = open_tty(label)) == -1)
		return;
	verdict(label, in_child(try_linux, &fd), "TIOCLINUX paste accepted");
	close(fd);
}

/*
 * Namespaces and mounts: the kernel's attack surface that a new user
 * namespace opens to an unprivileged process.
 */

static int
try_unshare(void *arg)
{
	(void)arg;
	return unshare(CLONE_NEWUSER) == -1 ? fail() : 0;
}

static void
v_unshare_user(const char *label, char **args)
{
	(void)args;
	verdict(label, in_child(try_unshare, NULL),
	    "a new user namespace was made");
}

/*
 * clone3 passes its flags in memory, where seccomp cannot look; a filter
 * must make it fail with ENOSYS so that libc falls back to clone.
 */
static int
try_clone3(void *arg)
{
	struct probe_clone_args ca;
	pid_t pid;
	int st;

	(void)arg;
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_NEWUSER;
	ca.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == -1)
		return fail();
	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	return 0;
}

static void
v_clone3(const char *label, char **args)
{
	(void)args;
	verdict(label, in_child(try_clone3, NULL),
	    "clone3(CLONE_NEWUSER) made a child");
}

/*
 * Mount a tmpfs on /tmp, in a mount namespace of the child's own, made
 * private first: run by mistake outside a jail, as root, the probe must
 * not cover the host's /tmp.  Making the namespace needs the same
 * capability as the mount, so the answer is the same.
 */
static int
try_mount(void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    mount("none", "/tmp", "tmpfs", 0, "") == -1)
		return fail();
	return 0;
}

static int
try_fsopen(void *arg)
{
	int fd;

	(void)arg;
	if ((fd = syscall(SYS_fsopen, "tmpfs", 0)) == -1)
		return fail();
	close(fd);
	return 0;
}

/* ATTEMPT, after entering a new user and mount namespace of its own. */
struct attempt {
	int (*run)(void *);
};

static int
try_in_userns(void *arg)
{
	struct attempt *a = arg;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == -1)
		return fail();
	return a->run(NULL);
}

/*
 * Try ATTEMPT as the jail's process, then in a new user namespace, as
 * an attacker would (CVE-2022-0185: fsconfig in a user namespace).
 */
static void
twice(const char *label, int (*attempt)(void *), const char *what)
{
	struct attempt a = { attempt };
	int r, r2;

	if ((r = in_child(attempt, NULL)) == 0) {
		report(label, "ESCAPED", "%s", what);
		return;
	}
	if ((r2 = in_child(try_in_userns, &a)) == 0)
		report(label, "ESCAPED", "%s in a new user namespace", what);
	else if (r == NO_CHILD || r2 == NO_CHILD)
		report(label, "error", "no child: %s", errname(errno));
	else
		report(label, "blocked", "%s (in a new user namespace: %s)",
		    why(r), why(r2));
}

static void
v_mount(const char *label, char **args)
{
	(void)args;
	twice(label, try_mount, "a tmpfs was mounted on /tmp");
}

static void
v_fsopen(const char *label, char **args)
{
	(void)args;
	twice(label, try_fsopen, "fsopen(tmpfs) gave a context");
}

/*
 * Other processes.
 */

static pid_t ptrace_target;

static int
try_ptrace(void *arg)
{
	int st;

	(void)arg;
	if (ptrace(PTRACE_ATTACH, ptrace_target, NULL, NULL) == -1)
		return fail();
	waitpid(ptrace_target, &st, 0);
	ptrace(PTRACE_DETACH, ptrace_target, NULL, NULL);
	return 0;
}

/* Attach to a sibling: the probe's two children, one tracing the other. */
static void
v_ptrace_sibling(const char *label, char **args)
{
	int p[2], st;
	char c;

	(void)args;
	if (pipe(p) == -1) {
		report(label, "error", "pipe: %s", errname(errno));
		return;
	}
	fflush(stdout);
	if ((ptrace_target = fork()) == -1) {
		report(label, "error", "fork: %s", errname(errno));
		return;
	}
	if (ptrace_target == 0) {
		close(p[1]);
		while (read(p[0], &c, 1) == -1 && errno == EINTR)
			;
		_exit(0);
	}
	close(p[0]);
	verdict(label, in_child(try_ptrace, NULL),
	    "PTRACE_ATTACH to a sibling worked");
	close(p[1]);
	waitpid(ptrace_target, &st, 0);
}

/*
 * Files.
 */

static void
v_read(const char *label, char **args)
{
	char buf[4096];
	ssize_t n;
	int fd;

	if ((fd = open(args[0], O_RDONLY | O_CLOEXEC)) == -1) {
		report(label, "blocked", "%s", errname(errno));
		return;
	}
	if ((n = read(fd, buf, sizeof(buf))) == -1)
		report(label, "blocked", "%s", errname(errno));
	else
		report(label, "ESCAPED", "read %zd bytes", n);
	close(fd);
}

/* Append a line to FILE, creating it when missing, through symlinks. */
static void
v_write(const char *label, char **args)
{
	static const char line[] = "jailc-probe was here\n";
	int fd;

	fd = open(args[0], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0755);
	if (fd == -1) {
		report(label, "blocked", "%s", errname(errno));
		return;
	}
	if (write(fd, line, sizeof(line) - 1) == -1)
		report(label, "blocked", "write: %s", errname(errno));
	else
		report(label, "ESCAPED", "wrote a line");
	close(fd);
}

/* Create PATH, a directory when it ends in '/', which must not exist. */
static void
v_create(const char *label, char **args)
{
	size_t len = strlen(args[0]);
	int fd;

	if (len > 0 && args[0][len - 1] == '/') {
		if (mkdir(args[0], 0755) == -1)
			report(label, "blocked", "%s", errname(errno));
		else
			report(label, "ESCAPED", "made the directory");
		return;
	}
	fd = open(args[0], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd == -1) {
		report(label, "blocked", "%s", errname(errno));
		return;
	}
	report(label, "ESCAPED", "made the file");
	close(fd);
}

/*
 * Move DIR aside and put a symbolic link in its place, to a directory
 * the jail can write: the next launch would protect the link's target,
 * or nothing, while the host's tools follow the link.
 */
static void
v_symlink_replace(const char *label, char **args)
{
	char away[PATH_MAX];

	if (snprintf(away, sizeof(away), "%s.jailc-away", args[0]) >=
	    (int)sizeof(away)) {
		report(label, "error", "path too long");
		return;
	}
	if (rename(args[0], away) == -1) {
		report(label, "blocked", "%s", errname(errno));
		return;
	}
	if (symlink("/tmp", args[0]) == -1)
		report(label, "ESCAPED", "moved it away (symlink: %s)",
		    errname(errno));
	else
		report(label, "ESCAPED", "replaced it with a symbolic link");
}

/*
 * Sockets.  "@NAME" is an abstract socket, which lives in the network
 * namespace and needs no mount.
 */

/* Fill SUN for PATH; returns its length, or 0 when PATH is too long. */
static socklen_t
sockaddr_for(struct sockaddr_un *sun, const char *path)
{
	size_t len = strlen(path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (len >= sizeof(sun->sun_path))
		return 0;
	memcpy(sun->sun_path, path, len);
	if (path[0] == '@')
		sun->sun_path[0] = '\0';
	return offsetof(struct sockaddr_un, sun_path) + len +
	    (path[0] == '@' ? 0 : 1);
}

static void
v_connect(const char *label, char **args)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd;

	if ((len = sockaddr_for(&sun, args[0])) == 0) {
		report(label, "error", "socket path too long");
		return;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		report(label, "error", "socket: %s", errname(errno));
		return;
	}
	if (connect(fd, (struct sockaddr *)&sun, len) == -1)
		report(label, "blocked", "%s", errname(errno));
	else
		report(label, "ESCAPED", "connected");
	close(fd);
}

/*
 * serve SOCK READY: the host's side of connect.  Listen on SOCK, create
 * READY, and accept and close connections until killed.
 */
static void
v_serve(const char *label, char **args)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd, c;

	if ((len = sockaddr_for(&sun, args[0])) == 0 ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, len) == -1 ||
	    listen(fd, 16) == -1) {
		report(label, "error", "cannot listen: %s", errname(errno));
		return;
	}
	if ((c = open(args[1], O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) != -1)
		close(c);
	for (;;)
		if ((c = accept(fd, NULL, NULL)) != -1)
			close(c);
}

/*
 * The process itself.
 */

/*
 * Every open descriptor but 0, 1 and 2: bwrap's --args and data
 * descriptors, or anything else the launcher lets through.
 */
static void
v_fds(const char *label, char **args)
{
	char list[2048], path[64], target[256];
	struct dirent *de;
	size_t used = 0;
	ssize_t n;
	DIR *d;
	int fd;

	(void)args;
	if ((d = opendir("/proc/self/fd")) == NULL) {
		report(label, "error", "/proc/self/fd: %s", errname(errno));
		return;
	}
	list[0] = '\0';
	while ((de = readdir(d)) != NULL) {
		fd = atoi(de->d_name);
		if (de->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if ((n = readlink(path, target, sizeof(target) - 1)) < 0)
			n = 0;
		target[n] = '\0';
		if (used < sizeof(list))
			used += snprintf(list + used, sizeof(list) - used,
			    " %d=%s", fd, target);
	}
	closedir(d);
	if (list[0] == '\0')
		report(label, "blocked", "only 0, 1 and 2 are open");
	else
		report(label, "ESCAPED", "open:%s", list);
}

/* The value of FIELD in /proc/self/status, into VAL. */
static int
status_field(const char *field, char *val, size_t size)
{
	char line[256];
	size_t flen = strlen(field);
	FILE *fp;
	int found = 0;

	if ((fp = fopen("/proc/self/status", "re")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
			snprintf(val, size, "%s",
			    line + flen + 1 + strspn(line + flen + 1, " \t"));
			val[strcspn(val, "\n")] = '\0';
			found = 1;
		}
	fclose(fp);
	return found;
}

/* NoNewPrivs: set-user-ID programs cannot raise privileges in the jail. */
static void
v_nnp(const char *label, char **args)
{
	char v[64];

	(void)args;
	if (!status_field("NoNewPrivs", v, sizeof(v)))
		report(label, "error", "no NoNewPrivs in /proc/self/status");
	else if (strcmp(v, "1") == 0)
		report(label, "blocked", "NoNewPrivs=1");
	else
		report(label, "ESCAPED", "NoNewPrivs=%s", v);
}

/* No capability is effective, permitted or ambient, even for root. */
static void
v_caps(const char *label, char **args)
{
	static const char *const sets[] = { "CapEff", "CapPrm", "CapAmb" };
	char v[64];
	size_t i;

	(void)args;
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		if (!status_field(sets[i], v, sizeof(v))) {
			report(label, "error", "no %s in /proc/self/status",
			    sets[i]);
			return;
		}
		if (strspn(v, "0") != strlen(v)) {
			report(label, "ESCAPED", "%s=%s", sets[i], v);
			return;
		}
	}
	report(label, "blocked", "CapEff=CapPrm=CapAmb=0");
}

/*
 * Other system call tables.  A filter written for x86_64 numbers must
 * also refuse the x32 and i386 entry points, or unshare there goes
 * unseen.
 */

static int
try_x32(void *arg)
{
	(void)arg;
	if (syscall(X32_SYSCALL_BIT | SYS_unshare, CLONE_NEWUSER) == -1)
		return fail();
	return 0;
}

static void
v_x32(const char *label, char **args)
{
	(void)args;
	verdict(label, in_child(try_x32, NULL),
	    "unshare(CLONE_NEWUSER) through the x32 table worked");
}

static int
try_i386(void *arg)
{
	long ret;

	(void)arg;
	/* int 0x80 in a 64-bit process: the i386 table, 32-bit arguments. */
	__asm__ volatile("int $0x80"
	                 : "=a"(ret)
	                 : "a"((long)I386_NR_UNSHARE), "b"((long)CLONE_NEWUSER)
	                 : "memory", "r8", "r9", "r10", "r11");
	if (ret < 0 && ret > -4096)
		return (int)-ret;
	return 0;
}

static void
v_i386(const char *label, char **args)
{
	(void)args;
	verdict(label, in_child(try_i386, NULL),
	    "unshare(CLONE_NEWUSER) through int 0x80 worked");
}

/*
 * forkbomb N: try to have N processes at once (each waiting on a pipe),
 * then let them all go.  Blocked when a fork fails first.
 */
static void
v_forkbomb(const char *label, char **args)
{
	long want = strtol(args[0], NULL, 10), made = 0;
	int p[2], err = 0;
	pid_t pid;
	char c;

	if (want <= 0 || want > 100000 || pipe(p) == -1) {
		report(label, "error", "bad count or no pipe");
		return;
	}
	fflush(stdout);
	while (made < want) {
		if ((pid = fork()) == -1) {
			err = errno;
			break;
		}
		if (pid == 0) {
			close(p[1]);
			while (read(p[0], &c, 1) == -1 && errno == EINTR)
				;
			_exit(0);
		}
		made++;
	}
	close(p[0]);
	close(p[1]);
	while (wait(NULL) != -1 || errno == EINTR)
		;
	if (made == want)
		report(label, "ESCAPED", "%ld processes", made);
	else
		report(label, "blocked", "%s after %ld processes", errname(err),
		    made);
}

/* The first line of FILE, the secret to look for, into BUF. */
static int
read_needle(const char *label, const char *file, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (n = read(fd, buf, size - 1)) <= 0) {
		report(label, "error", "cannot read the needle: %s",
		    errname(errno));
		if (fd != -1)
			close(fd);
		return 0;
	}
	close(fd);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (buf[0] == '\0') {
		report(label, "error", "empty needle");
		return 0;
	}
	return 1;
}

/* Whether the file at PATH holds NEEDLE; -1 when it cannot be read. */
static int
file_holds(const char *path, const char *needle)
{
	static char buf[1 << 20];
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (len < sizeof(buf) &&
	    (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	close(fd);
	return memmem(buf, len, needle, strlen(needle)) != NULL;
}

/*
 * Look for the secret in /proc/[pid]/WHAT of every process the jail can
 * see.  The secret is read from a file so that it is on no command line
 * itself.
 */
static void
scan_proc(const char *label, const char *what, const char *file)
{
	char needle[512], path[sizeof("/proc//environ") + NAME_MAX];
	struct dirent *de;
	int readable = 0, r;
	DIR *d;

	if (!read_needle(label, file, needle, sizeof(needle)))
		return;
	if ((d = opendir("/proc")) == NULL) {
		report(label, "error", "/proc: %s", errname(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strspn(de->d_name, "0123456789") != strlen(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/%s", de->d_name, what);
		if ((r = file_holds(path, needle)) == 1) {
			report(label, "ESCAPED", "found in %s", path);
			closedir(d);
			return;
		}
		readable += r == 0;
	}
	closedir(d);
	report(label, "blocked", "not in the %d readable", readable);
}

static void
v_scan_cmdline(const char *label, char **args)
{
	scan_proc(label, "cmdline", args[0]);
}

static void
v_scan_environ(const char *label, char **args)
{
	scan_proc(label, "environ", args[0]);
}

/*
 * hold READY GO: create READY and wait, up to 20 s, for GO, so that the
 * test can look at the host while the jail runs.
 */
static void
v_hold(const char *label, char **args)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	int fd, i;

	if ((fd = open(args[0], O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		report(label, "error", "%s: %s", args[0], errname(errno));
		return;
	}
	close(fd);
	for (i = 0; i < 400 && access(args[1], F_OK) == -1; i++)
		nanosleep(&ts, NULL);
	printf("%s: done\n", label);
}

static const struct verb verbs[] = {
	{ "tiocsti", 0, v_tiocsti },
	{ "tiocsti-high", 0, v_tiocsti_high },
	{ "tioclinux", 0, v_tioclinux },
	{ "unshare-user", 0, v_unshare_user },
	{ "clone3", 0, v_clone3 },
	{ "mount", 0, v_mount },
	{ "fsopen", 0, v_fsopen },
	{ "ptrace-sibling", 0, v_ptrace_sibling },
	{ "read", 1, v_read },
	{ "write", 1, v_write },
	{ "create", 1, v_create },
	{ "symlink-replace", 1, v_symlink_replace },
	{ "connect", 1, v_connect },
	{ "serve", 2, v_serve },
	{ "fds", 0, v_fds },
	{ "nnp", 0, v_nnp },
	{ "caps", 0, v_caps },
	{ "x32", 0, v_x32 },
	{ "i386", 0, v_i386 },
	{ "forkbomb", 1, v_forkbomb },
	{ "scan-cmdline", 1, v_scan_cmdline },
	{ "scan-environ", 1, v_scan_environ },
	{ "hold", 2, v_hold },
};

static const struct verb *
find_verb(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

int
main(int argc, char *argv[])
{
	static const struct verb skip = { "--", 0, NULL };
	const struct verb *v;
	char label[PATH_MAX + 64];
	int i, j;

	for (i = 1; i < argc; i += 1 + v->nargs) {
		if (strncmp(argv[i], "--", 2) == 0) {
			printf("# skipped the agent argument %s\n", argv[i]);
			v = &skip;
			continue;
		}
		if ((v = find_verb(argv[i])) == NULL) {
			fprintf(stderr, "probe: unknown verb %s\n", argv[i]);
			return 2;
		}
		if (i + v->nargs >= argc) {
			fprintf(stderr, "probe: %s needs %d argument(s)\n",
			    argv[i], v->nargs);
			return 2;
		}
		snprintf(label, sizeof(label), "%s", argv[i]);
		for (j = 1; j <= v->nargs; j++)
			snprintf(label + strlen(label),
			    sizeof(label) - strlen(label), " %s", argv[i + j]);
		v->run(label, argv + i + 1);
	}
	return (escaped ? 1 : 0) + (errored ? 2 : 0);
}
