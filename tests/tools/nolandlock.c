/*
 * nolandlock.c - run a command as if on a kernel without Landlock, for
 * tests/scope.t.
 *
 *   nolandlock nosys CMD [ARG...]   landlock_create_ruleset fails ENOSYS
 *                                   (a kernel built without Landlock)
 *   nolandlock off CMD [ARG...]     ... EOPNOTSUPP (built, turned off)
 *
 * A seccomp filter answers for the kernel.  It sets no_new_privs, which
 * the launchers set themselves before bwrap anyway.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif

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
	    (strcmp(argv[1], "nosys") != 0 && strcmp(argv[1], "off") != 0)) {
		fputs("usage: nolandlock nosys|off CMD [ARG...]\n", stderr);
		return 2;
	}
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
