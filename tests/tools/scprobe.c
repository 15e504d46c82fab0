/*
 * scprobe.c - runs inside a jail (tests/launch.t) and tries one system
 * call the seccomp filter is about; prints what happened: "ok", the
 * errno's name ("EPERM"), or "killed N" when the call killed the
 * process with signal N.
 *
 *   scprobe tiocsti        TIOCSTI on its own controlling terminal
 *   scprobe tiocsti-high   the same request with the upper 32 bits set
 *   scprobe tioclinux      TIOCLINUX on that terminal
 *   scprobe clone3         clone3(NULL, 0)
 *   scprobe userns         unshare(CLONE_NEWUSER)
 *   scprobe mount          mount a tmpfs on a new directory in /tmp
 *   scprobe ptrace         ptrace(PTRACE_TRACEME)
 *   scprobe keyctl         the session keyring's id
 *   scprobe io_uring       io_uring_setup
 *   scprobe x32            getpid through the x32 ABI (bit 30)
 *   scprobe i386           getpid through int 0x80 (x86_64 only)
 */
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

static const char *
errname(int e)
{
	switch (e) {
	case EPERM:
		return "EPERM";
	case ENOSYS:
		return "ENOSYS";
	case EINVAL:
		return "EINVAL";
	case EFAULT:
		return "EFAULT";
	case ENOTTY:
		return "ENOTTY";
	case EIO:
		return "EIO";
	case ENOSPC:
		return "ENOSPC";
	case EACCES:
		return "EACCES";
	case ENOKEY:
		return "ENOKEY";
	default:
		return strerror(e);
	}
}

static int
report(long rc)
{
	printf("%s\n", rc >= 0 ? "ok" : errname(errno));
	return 0;
}

/* A new session whose controlling terminal is a fresh pty, so that
 * TIOCSTI is allowed by the kernel's own rule; returns its fd. */
static int
own_tty(void)
{
	int m, s;
	char *name;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(m) != 0 ||
	    unlockpt(m) != 0 || (name = ptsname(m)) == NULL) {
		perror("scprobe: pty");
		exit(2);
	}
	if (setsid() < 0) {
		perror("scprobe: setsid");
		exit(2);
	}
	if ((s = open(name, O_RDWR)) < 0 || ioctl(s, TIOCSCTTY, 0) != 0) {
		perror("scprobe: controlling terminal");
		exit(2);
	}
	return s;
}

/* Run f in a child so that a kill by the filter is seen, not suffered. */
static int
in_child(int (*f)(const char *), const char *what)
{
	int st;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) < 0) {
		perror("scprobe: fork");
		return 2;
	}
	if (pid == 0) {
		st = f(what);
		fflush(stdout);
		_exit(st);
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("scprobe: waitpid");
		return 2;
	}
	if (WIFSIGNALED(st))
		printf("killed %d\n", WTERMSIG(st));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 0;
}

static int
probe(const char *what)
{
	char c = '#';
	int fd;

	if (strcmp(what, "tiocsti") == 0) {
		fd = own_tty();
		return report(
		    syscall(SYS_ioctl, fd, (unsigned long)TIOCSTI, &c));
	}
	if (strcmp(what, "tiocsti-high") == 0) {
		fd = own_tty();
		return report(syscall(SYS_ioctl, fd,
		    0xffffffff00000000ul | (unsigned long)TIOCSTI, &c));
	}
	if (strcmp(what, "tioclinux") == 0) {
		c = 7; /* TIOCL_GETSHIFTSTATE-style subcode; any will do */
		fd = own_tty();
		return report(
		    syscall(SYS_ioctl, fd, (unsigned long)TIOCLINUX, &c));
	}
	if (strcmp(what, "clone3") == 0)
		return report(syscall(SYS_clone3, NULL, 0));
	if (strcmp(what, "userns") == 0)
		return report(unshare(CLONE_NEWUSER));
	if (strcmp(what, "mount") == 0) {
		/* on a directory of its own, undone at once: harmless even
		 * when run as root outside a jail by mistake */
		char dir[] = "/tmp/scprobe.XXXXXX";
		long rc;

		if (mkdtemp(dir) == NULL) {
			perror("scprobe: mkdtemp");
			return 2;
		}
		rc = mount("none", dir, "tmpfs", 0, NULL);
		if (rc == 0)
			umount2(dir, MNT_DETACH);
		else
			rc = -errno;
		rmdir(dir);
		errno = (int)-rc;
		return report(rc);
	}
	if (strcmp(what, "ptrace") == 0)
		return report(ptrace(PTRACE_TRACEME, 0, NULL, NULL));
	if (strcmp(what, "keyctl") == 0)
		return report(syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */,
		    -3 /* KEY_SPEC_SESSION_KEYRING */, 0));
	if (strcmp(what, "io_uring") == 0) {
		unsigned char params[120];

		memset(params, 0, sizeof(params));
		return report(syscall(SYS_io_uring_setup, 1, params));
	}
	if (strcmp(what, "x32") == 0)
		return report(syscall(0x40000000L | SYS_getpid));
#if defined(__x86_64__)
	if (strcmp(what, "i386") == 0) {
		long rc = 20; /* getpid in the i386 table */

		__asm__ volatile("int $0x80" : "+a"(rc) : : "memory");
		printf("%s\n", rc >= 0 ? "ok" : errname((int)-rc));
		return 0;
	}
#endif
	fprintf(stderr, "scprobe: unknown probe %s\n", what);
	return 2;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: scprobe PROBE\n");
		return 2;
	}
	return in_child(probe, argv[1]);
}
