/*
 * nolandlock.c - run a command as if on a kernel without Landlock, for
 * tests/scope.t.
 *
 *   nolandlock nosys CMD [ARG...]   landlock_create_ruleset fails ENOSYS
 *                                   (a kernel built without Landlock)
 *   nolandlock off CMD [ARG...]     ... EOPNOTSUPP (built, turned off)
 *   nolandlock abi4 CMD [ARG...]    Landlock ABI 4 (Linux 6.8): the
 *                                   version query answers 4, a ruleset
 *                                   with the ABI 6 scope field E2BIG
 *
 * A seccomp filter answers for the kernel.  It sets no_new_privs, which
 * the launchers set themselves before bwrap anyway.  For abi4 a number
 * must come back, which only a supervisor can give: this process stays
 * as CMD's parent, answers the version queries through a seccomp
 * listener, and exits with CMD's status.  Rulesets the size of ABI 4's
 * (two 64-bit access masks) go to the real kernel.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif

#define LL_VERSION 1    /* LANDLOCK_CREATE_RULESET_VERSION */
#define LL_ABI4_ATTR 16 /* handled_access_fs, handled_access_net */

/* The low 32 bits of argument I (little-endian). */
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))

static int
abi4(char **cmd)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_landlock_create_ruleset,
		    1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* flags: the version query goes to the supervisor */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, LL_VERSION, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		/* size: a field ABI 4 does not know */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(1)),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, LL_ABI4_ATTR, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | E2BIG),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	struct pollfd pfd;
	pid_t pid, w;
	int fd, status;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    (fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	         SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog)) < 0) {
		perror("nolandlock: seccomp");
		return 2;
	}
	if ((pid = fork()) < 0) {
		perror("nolandlock: fork");
		return 2;
	}
	if (pid == 0) {
		close(fd);
		execvp(cmd[0], cmd);
		perror(cmd[0]);
		_exit(127);
	}
	signal(SIGINT, SIG_IGN);
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 50) <= 0 || !(pfd.revents & POLLIN))
			continue;
		memset(&req, 0, sizeof(req));
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0)
			continue;
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.val = 4;
		/* gone already: nothing to answer */
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int
main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_landlock_create_ruleset,
		    1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (argc < 3 ||
	    (strcmp(argv[1], "nosys") != 0 && strcmp(argv[1], "off") != 0 &&
	        strcmp(argv[1], "abi4") != 0)) {
		fputs(
		    "usage: nolandlock nosys|off|abi4 CMD [ARG...]\n", stderr);
		return 2;
	}
	if (strcmp(argv[1], "abi4") == 0)
		return abi4(argv + 2);
	if (strcmp(argv[1], "off") == 0)
		f[3].k = SECCOMP_RET_ERRNO | EOPNOTSUPP;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		perror("nolandlock: seccomp");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
