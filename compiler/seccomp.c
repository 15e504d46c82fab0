/*
 * seccomp.c - the system call filter: the base rules (jail(5), SECCOMP),
 * the profile's additions and removals, compiled by libseccomp into the
 * BPF program bwrap loads with --seccomp.
 *
 * The filter allows by default and refuses a short list: a jail is a
 * development environment, and an allowlist of system calls breaks
 * compilers, debuggers and language runtimes in ways no profile author
 * can predict.  What it refuses is what gets out of a bwrap jail or into
 * the kernel's least-tested code: terminal injection, new namespaces and
 * mounts, keyrings, modules, BPF, ptrace, io_uring.
 *
 * The output is deterministic (same profile, same libseccomp, same
 * bytes): rules are added in table order, then the profile's denials in
 * their order.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "util.h"
#include "diag.h"
#include "profile.h"
#include "seccomp.h"

/* Not in every libc's headers. */
#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

enum sc_cond {
	SC_ALWAYS,     /* every call */
	SC_IOCTL,      /* ioctl whose request's low 32 bits are .datum */
	SC_FLAGS_ARG0, /* calls whose first argument has .datum's bits */
};

struct sc_rule {
	const char *name;
	int err; /* the errno the call fails with */
	enum sc_cond cond;
	unsigned long long datum; /* see enum sc_cond */
	int nested;               /* lifted by process.nested-sandbox */
};

/*
 * The base filter.  EPERM where a program should take "no" for an
 * answer; ENOSYS where it should fall back: glibc and Go retry clone3
 * as clone, whose flags a filter can see (clone3's are in memory, out
 * of BPF's reach), and programs try the old mount calls when the new
 * mount API is missing.
 */
static const struct sc_rule base_rules[] = {
	/* Typing into the terminal the agent shares with the user's
	 * shell (CVE-2017-5226, CVE-2019-10063, CVE-2023-28100).  The
	 * kernel reads the request as 32 bits, so a caller can set the
	 * upper ones and still reach TIOCSTI: only the low 32 bits are
	 * compared. */
	{ "ioctl", EPERM, SC_IOCTL, TIOCSTI, 0 },
	{ "ioctl", EPERM, SC_IOCTL, TIOCLINUX, 0 },
	/* Namespaces and mounts: the way out of a jail (CVE-2021-41133).
	 * A nested sandbox needs the user namespace and the old mount
	 * calls; it never needs setns or the new mount API. */
	{ "clone3", ENOSYS, SC_ALWAYS, 0, 0 },
	{ "clone", EPERM, SC_FLAGS_ARG0, CLONE_NEWUSER, 1 },
	{ "unshare", EPERM, SC_FLAGS_ARG0, CLONE_NEWUSER, 1 },
	{ "setns", EPERM, SC_ALWAYS, 0, 0 },
	{ "mount", EPERM, SC_ALWAYS, 0, 1 },
	{ "umount2", EPERM, SC_ALWAYS, 0, 1 },
	{ "pivot_root", EPERM, SC_ALWAYS, 0, 1 },
	{ "chroot", EPERM, SC_ALWAYS, 0, 1 },
	{ "open_tree", ENOSYS, SC_ALWAYS, 0, 0 },
	{ "move_mount", ENOSYS, SC_ALWAYS, 0, 0 },
	{ "fsopen", ENOSYS, SC_ALWAYS, 0, 0 },
	{ "fsconfig", ENOSYS, SC_ALWAYS, 0, 0 },
	{ "fsmount", ENOSYS, SC_ALWAYS, 0, 0 },
	{ "fspick", ENOSYS, SC_ALWAYS, 0, 0 },
	{ "mount_setattr", ENOSYS, SC_ALWAYS, 0, 0 },
	/* Kernel keyrings are not namespaced: keys of the user's
	 * sessions outside the jail are reachable. */
	{ "add_key", EPERM, SC_ALWAYS, 0, 0 },
	{ "request_key", EPERM, SC_ALWAYS, 0, 0 },
	{ "keyctl", EPERM, SC_ALWAYS, 0, 0 },
	/* The kernel itself, and its least-tested interfaces. */
	{ "kexec_load", EPERM, SC_ALWAYS, 0, 0 },
	{ "kexec_file_load", EPERM, SC_ALWAYS, 0, 0 },
	{ "init_module", EPERM, SC_ALWAYS, 0, 0 },
	{ "finit_module", EPERM, SC_ALWAYS, 0, 0 },
	{ "delete_module", EPERM, SC_ALWAYS, 0, 0 },
	{ "bpf", EPERM, SC_ALWAYS, 0, 0 },
	{ "perf_event_open", EPERM, SC_ALWAYS, 0, 0 },
	{ "userfaultfd", EPERM, SC_ALWAYS, 0, 0 },
	{ "syslog", EPERM, SC_ALWAYS, 0, 0 },
	{ "acct", EPERM, SC_ALWAYS, 0, 0 },
	{ "swapon", EPERM, SC_ALWAYS, 0, 0 },
	{ "swapoff", EPERM, SC_ALWAYS, 0, 0 },
	{ "reboot", EPERM, SC_ALWAYS, 0, 0 },
	{ "io_uring_setup", EPERM, SC_ALWAYS, 0, 0 },
	{ "io_uring_enter", EPERM, SC_ALWAYS, 0, 0 },
	{ "io_uring_register", EPERM, SC_ALWAYS, 0, 0 },
	/* Other processes' memory; seccomp.allow gives them back to a
	 * debugger. */
	{ "ptrace", EPERM, SC_ALWAYS, 0, 0 },
	{ "process_vm_readv", EPERM, SC_ALWAYS, 0, 0 },
	{ "process_vm_writev", EPERM, SC_ALWAYS, 0, 0 },
	/* Takes its flags and mode in memory, out of BPF's reach, so
	 * setid_calls below cannot see them: callers fall back to
	 * openat, which it can. */
	{ "openat2", ENOSYS, SC_ALWAYS, 0, 0 },
};

#define NRULES (sizeof(base_rules) / sizeof(base_rules[0]))

/*
 * No set-user-ID or set-group-ID file is made in a jail: one left in
 * the project runs with its owner's rights (root's, for a jail launched
 * by root) when someone runs it outside.  The semantics of systemd's
 * RestrictSUIDSGID=: each call below fails with EPERM when the mode it
 * is given, argument mode, carries S_ISUID or S_ISGID; a call with
 * creat set only when its flags, the argument before, make a file
 * (O_CREAT, or O_TMPFILE: a nameless file that linkat names later).
 */
static const struct {
	const char *name;
	unsigned mode;
	int creat;
} setid_calls[] = {
	{ "chmod", 1, 0 },
	{ "fchmod", 1, 0 },
	{ "fchmodat", 2, 0 },
	{ "fchmodat2", 2, 0 },
	{ "mkdir", 1, 0 },
	{ "mkdirat", 2, 0 },
	{ "mknod", 1, 0 },
	{ "mknodat", 2, 0 },
	{ "creat", 1, 0 },
	{ "open", 2, 1 },
	{ "openat", 3, 1 },
};

#define NSETID (sizeof(setid_calls) / sizeof(setid_calls[0]))

/* fchmodat2's number on every architecture of arches[] below, for a
 * libseccomp older than the call (Linux 6.6). */
#define SC_NR_FCHMODAT2 452

/* The architectures the filter is made for, by the name the kernel
 * reports (uname -m, /proc/sys/kernel/arch).  Only those where clone
 * and unshare take their flags first: s390 passes clone's second. */
static const struct {
	uint32_t token;
	const char *name;
} arches[] = {
	{ SCMP_ARCH_X86_64, "x86_64" },
	{ SCMP_ARCH_AARCH64, "aarch64" },
	{ SCMP_ARCH_RISCV64, "riscv64" },
	{ SCMP_ARCH_PPC64LE, "ppc64le" },
};

static int
syscall_nr(const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);

	if (nr < 0 && strcmp(name, "fchmodat2") == 0)
		return SC_NR_FCHMODAT2;
	return nr;
}

static int
listed(const struct itemlist *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].s != NULL && strcmp(l->v[i].s, name) == 0)
			return 1;
	return 0;
}

int
seccomp_base_refuses(const struct profile *p, const char *name)
{
	size_t i;

	for (i = 0; i < NRULES; i++)
		if (strcmp(base_rules[i].name, name) == 0 &&
		    !(base_rules[i].nested && p->nested_sandbox))
			return 1;
	for (i = 0; i < NSETID; i++)
		if (strcmp(setid_calls[i].name, name) == 0)
			return 1;
	return 0;
}

/* Whether the base filter, as the profile sets it up, restricts name. */
static int
base_restricts(const struct profile *p, const char *name)
{
	return !p->seccomp_off && seccomp_base_refuses(p, name);
}

static void
check_names(const struct itemlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].s != NULL && syscall_nr(l->v[i].s) < 0)
			diag(
			    &l->v[i].pos, E_SYSCALL_UNKNOWN, "'%s'", l->v[i].s);
}

void
seccomp_check(const struct profile *p)
{
	size_t i;

	check_names(&p->sc_allow);
	check_names(&p->sc_deny);
	for (i = 0; i < p->sc_allow.n; i++) {
		const struct item *it = &p->sc_allow.v[i];

		if (it->s == NULL || syscall_nr(it->s) < 0)
			continue;
		if (listed(&p->sc_deny, it->s))
			diag(&it->pos, E_SECCOMP_CONFLICT, "'%s'", it->s);
		else if (!base_restricts(p, it->s))
			diag(&it->pos, W_SECCOMP_ALLOW_UNUSED, "'%s'", it->s);
	}
}

static int
add_rule(scmp_filter_ctx ctx, const struct sc_rule *r)
{
	struct scmp_arg_cmp cmp;
	int nr = syscall_nr(r->name);

	/* a base rule for a call this architecture lacks; the profile's
	 * names were checked when it was loaded */
	if (nr < 0)
		return 0;
	switch (r->cond) {
	case SC_ALWAYS:
		return seccomp_rule_add_exact(
		    ctx, SCMP_ACT_ERRNO(r->err), nr, 0);
	case SC_IOCTL:
		cmp = (struct scmp_arg_cmp){ 1, SCMP_CMP_MASKED_EQ,
			0xffffffffull, r->datum };
		break;
	case SC_FLAGS_ARG0:
		cmp = (struct scmp_arg_cmp){ 0, SCMP_CMP_MASKED_EQ, r->datum,
			r->datum };
		break;
	}
	return seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(r->err), nr, 1, cmp);
}

/* The rules of setid_calls[i]: one a bit, and with creat one a bit and
 * a flag. */
static int
add_setid(scmp_filter_ctx ctx, size_t i)
{
	static const unsigned long long bits[] = { S_ISUID, S_ISGID };
	static const unsigned long long flags[] = { O_CREAT, O_TMPFILE };
	struct scmp_arg_cmp cmp[2];
	unsigned m = setid_calls[i].mode;
	int nr = syscall_nr(setid_calls[i].name);
	size_t b, f;

	if (nr < 0)
		return 0;
	for (b = 0; b < 2; b++) {
		cmp[0] = (struct scmp_arg_cmp){ m, SCMP_CMP_MASKED_EQ, bits[b],
			bits[b] };
		if (!setid_calls[i].creat) {
			if (seccomp_rule_add_exact(
			        ctx, SCMP_ACT_ERRNO(EPERM), nr, 1, cmp[0]) != 0)
				return -1;
			continue;
		}
		for (f = 0; f < 2; f++) {
			cmp[1] = (struct scmp_arg_cmp){ m - 1,
				SCMP_CMP_MASKED_EQ, flags[f], flags[f] };
			if (seccomp_rule_add_exact_array(
			        ctx, SCMP_ACT_ERRNO(EPERM), nr, 2, cmp) != 0)
				return -1;
		}
	}
	return 0;
}

/* The exported program, read back: libseccomp 2.5 writes to a
 * descriptor only. */
static int
export_bpf(scmp_filter_ctx ctx, struct seccomp_filter *f)
{
	struct stat st;
	unsigned char *p;
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = memfd_create("jailc-bpf", MFD_CLOEXEC)) < 0)
		return -1;
	if (seccomp_export_bpf(ctx, fd) != 0 || fstat(fd, &st) != 0 ||
	    st.st_size <= 0 || st.st_size % 8 != 0 ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	p = arena_alloc((size_t)st.st_size);
	while (off < (size_t)st.st_size) {
		n = read(fd, p + off, (size_t)st.st_size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	close(fd);
	f->bpf = p;
	f->len = off;
	return 0;
}

int
seccomp_build(const struct profile *p, struct seccomp_filter *f)
{
	scmp_filter_ctx ctx;
	uint32_t native = seccomp_arch_native();
	size_t i;
	int rc = 0;

	memset(f, 0, sizeof(*f));
	if (p->seccomp_off && p->sc_deny.n == 0)
		return 0;
	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (arches[i].token == native)
			f->arch = arches[i].name;
	if (f->arch == NULL) {
		struct pos gen = { p->file, 0, 0 };

		diag(p->seccomp_pos.file != NULL ? &p->seccomp_pos : &gen,
		    E_SYSCALL_UNKNOWN,
		    "jailc cannot make a seccomp filter for this "
		    "architecture; set seccomp.profile = \"off\"");
		return -1;
	}
	/* Calls from another ABI (i386 or x32 on x86_64) are not in the
	 * filter's numbering: libseccomp's default for them kills. */
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		fatal("libseccomp: cannot make a filter");
	for (i = 0; i < NRULES && !p->seccomp_off && rc == 0; i++) {
		const struct sc_rule *r = &base_rules[i];

		if ((r->nested && p->nested_sandbox) ||
		    listed(&p->sc_allow, r->name) ||
		    listed(&p->sc_deny, r->name))
			continue;
		rc = add_rule(ctx, r);
	}
	for (i = 0; i < NSETID && !p->seccomp_off && rc == 0; i++)
		if (!listed(&p->sc_allow, setid_calls[i].name) &&
		    !listed(&p->sc_deny, setid_calls[i].name))
			rc = add_setid(ctx, i);
	for (i = 0; i < p->sc_deny.n && rc == 0; i++) {
		struct sc_rule r = { p->sc_deny.v[i].s, EPERM, SC_ALWAYS, 0,
			0 };

		if (r.name != NULL)
			rc = add_rule(ctx, &r);
	}
	if (rc != 0 || export_bpf(ctx, f) != 0) {
		seccomp_release(ctx);
		fatal("libseccomp: cannot compile the filter");
	}
	seccomp_release(ctx);
	return 0;
}
