/*
 * lint.c - risk rules over the profile IR.
 *
 * Every rule is a diag_id in diag.h's catalogue; its band is its level.
 * Rules look only at the merged IR, so a finding in an inherited setting
 * points into the parent profile that wrote it.
 */
#include <sys/stat.h>

#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util.h"
#include "diag.h"
#include "profile.h"
#include "lint.h"
#include "protect.h"
#include "seccomp.h"

/*
 * The rules, and so what risk.accept may name, with their weight in the
 * exposure score and their help text.  The weights add up to 10000, so
 * that a rule's weight divided by 1000 is what its finding adds to the
 * score: most error-level rules add 0.5 or 0.6, enough on their own for
 * the MEDIUM band.  literal-home is about portability, not exposure.
 */
static const struct lint_rule rules[] = {
	{ N_ENV_ALLOW_SECRET, 100,
	    "A variable whose name says it holds a credential (a token, key, "
	    "password or secret) is allowed into the jail.  That is often the "
	    "point (an agent needs its API key), so this is only a note; it "
	    "is listed so that a reviewer sees every credential the agent "
	    "gets." },
	{ N_NETWORK_HOST_SECRET, 100,
	    "The jail has the host network (network.mode = \"host\") and a "
	    "credential reaches it through the environment.  Whatever the "
	    "agent reads, it can send to any host.  Pass only credentials "
	    "that are meant to leave the machine, and prefer scoped, "
	    "short-lived ones." },
	{ W_ENV_ALLOW_SECRET_GLOB, 200,
	    "An allow pattern with wildcards also matches a well-known "
	    "credential variable (GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY and "
	    "the like) that no deny pattern takes back.  Name the variables "
	    "the agent needs, or add a deny pattern for the credential." },
	{ W_ENV_SSH_AGENT, 200,
	    "SSH_AUTH_SOCK passes the host's SSH agent: whoever can connect "
	    "to it can sign with every key it holds, for as long as the jail "
	    "runs (push anywhere, log in anywhere the keys open).  Use a "
	    "deploy key with a separate agent, or accept the finding with a "
	    "reason." },
	{ W_LITERAL_HOME, 0,
	    "A mount names a home directory literally (/home/alice/...), so "
	    "the profile only works for that user.  Write ~ or ${HOME}.  "
	    "This is about portability, not exposure: its weight is 0." },
	{ W_SHARE_PID, 200,
	    "process.share lists \"pid\": the jail keeps the host's PID "
	    "namespace.  The agent sees every process on the host, can "
	    "signal and ptrace the user's own, and reads their "
	    "/proc/PID/environ, where the user's credentials live." },
	{ W_ENV_ALLOW_BROAD, 200,
	    "An allow pattern has fewer than three characters that are not "
	    "wildcards (\"A*\", \"*_*\"), so nobody can tell from the "
	    "profile which variables it lets in, today or after the next "
	    "tool sets a new one.  Name the variables, or use a prefix that "
	    "says what they are (\"LC_*\")." },
	{ W_SECCOMP_OFF, 200,
	    "seccomp.profile = \"off\" removes the system-call filter, and "
	    "with it the block on TIOCSTI and TIOCLINUX: a program in the "
	    "jail that shares the terminal can type commands into the "
	    "user's shell after the agent exits." },
	{ W_ABSTRACT_SOCKETS_HOST, 200,
	    "network.abstract-sockets = \"host\" with network.mode = "
	    "\"host\": the jail can connect to every abstract unix socket of "
	    "the host's network namespace, which no mount can hide.  The X "
	    "server usually listens on one (@/tmp/.X11-unix/X0), and an X "
	    "client can read keystrokes and type into the user's terminals; "
	    "D-Bus, editors and some agents listen there too.  Keep the "
	    "default, \"isolate\", which needs Landlock scopes (Linux 6.12); "
	    "on an older kernel prefer network.mode = \"none\"." },
	{ W_NET_ALLOW_LOCAL, 200,
	    "network.allow names a loopback, private, link-local or other "
	    "special address, or localhost (or a name below .localhost).  "
	    "The proxy runs on the host, so such an entry lets the jail "
	    "reach the services listening on the host itself or on its "
	    "local networks: databases, development servers, a Docker API "
	    "on TCP, a router's or a cloud's metadata service "
	    "(169.254.169.254).  Name only the one address and port the "
	    "agent needs, and accept the finding with a reason." },
	{ W_NET_ALLOW_WIDE, 100,
	    "A wildcard in network.allow covers a whole top-level domain "
	    "(\"*.com\") or a two-label public suffix (\"*.co.uk\"): "
	    "anyone can register a name under it, so the allowlist no "
	    "longer says where data may go.  Name the hosts, or the "
	    "organisation's own domain (\"*.example.com\")." },
	{ W_NET_DENY_UNUSED, 0,
	    "A network.deny entry names hosts that no network.allow entry "
	    "lets through anyway (the proxy refuses what nothing allows), "
	    "so it changes nothing; often it is meant for a host that an "
	    "allow entry spells differently.  Entries match the host the "
	    "program asks for, not the addresses a name resolves to.  "
	    "Remove it or fix it.  It widens nothing: its weight is 0." },
	{ W_LAUNCH_NETWORK_HOST, 100,
	    "launch.network lists \"host\" for a jail whose network.mode "
	    "gives less: whoever starts it can give the agent the host's "
	    "network, and with it every host and the services on the "
	    "host's own loopback, for one run, with no change to the "
	    "profile.  List \"proxy\" instead where the profile's hosts "
	    "are enough, or accept the finding with a reason." },
	{ W_LAUNCH_RW_HOME, 200,
	    "launch.mount has an rw entry that is, or holds, a directory "
	    "of the home directory (or \"/\"): whoever starts the jail can "
	    "hand the agent any directory beneath it writable, other "
	    "projects and their .git included (the project's protected "
	    "paths stay read-only in it, nothing else does).  Make it ro, "
	    "or name a narrower directory." },
	{ W_GUI_X11, 300,
	    "gui.x11 binds the X display's socket and a cookie for that "
	    "display alone, which is less than a mount of /tmp/.X11-unix "
	    "(mount-socket): no other display, no other cookie.  It is "
	    "still the whole display: X has no walls between its clients, "
	    "so a program in the jail can read the keystrokes typed into "
	    "every other window (the user's terminal and password "
	    "prompts), take screenshots, and send synthetic key presses "
	    "to other windows.  Prefer gui.wayland where the desktop runs "
	    "Wayland, or a nested server (Xephyr, Xpra) with a display of "
	    "its own." },
	{ W_GUI_WAYLAND, 100,
	    "gui.wayland binds the compositor's socket.  A Wayland client "
	    "sees only its own windows and input while it has the focus, "
	    "so this is the narrowest way to a desktop; the jail can still "
	    "open windows that look like another program's (a password "
	    "prompt), read the clipboard when focused, and use whatever "
	    "protocols the compositor offers every client (some offer "
	    "screen capture or virtual keyboards to all)." },
	{ W_GUI_PIPEWIRE, 200,
	    "gui.pipewire binds PipeWire's socket.  A client that is not a "
	    "Flatpak one gets the whole graph: it can record from every "
	    "microphone and camera, and read the screen-cast streams the "
	    "session has, without asking." },
	{ W_GUI_PULSEAUDIO, 100,
	    "gui.pulseaudio binds the PulseAudio socket: the jail can play "
	    "sound and record from the microphone, and change the volume "
	    "and routing of other programs' streams." },
	{ W_GUI_DBUS, 100,
	    "gui.dbus.talk or gui.dbus.own lists a name: the jail reaches "
	    "the session bus only through xdg-dbus-proxy, which lets it "
	    "call (or own) the names listed and nothing else, but what a "
	    "listed service does for its callers is the service's to "
	    "decide.  A portal (org.freedesktop.portal.*) asks the user; a "
	    "notification service shows text; others act at once.  List "
	    "the few names the program needs." },
	{ W_NESTED_SANDBOX, 100,
	    "process.nested-sandbox = true lets the jailed program create "
	    "user namespaces and mount inside them, so that it can run "
	    "sandboxes of its own (Claude Code and Codex run bwrap).  It "
	    "cannot reach the host's files that way, but user namespaces "
	    "open kernel code that is otherwise out of reach, a common "
	    "route of privilege escalation.  Accept it for agents that "
	    "need it." },
	{ W_PROTECT_REMOVED, 200,
	    "protect.remove leaves a protected path writable (or "
	    "git.protect-hooks = false leaves .git's hooks and "
	    "configuration writable).  Protected paths are the files other "
	    "programs run or trust later, outside the jail: git hooks, "
	    ".envrc, editor and agent settings, shell start-up files.  An "
	    "agent that can write one can run code as the user the next time "
	    "the user works in the project.  The reason given in "
	    "protect.remove is shown with the finding." },
	{ W_MOUNT_OPTIONAL_PROTECT, 100,
	    "A read-only mount beneath a writable one is a protection (it "
	    "keeps that part read-only), but it is optional: on a host where "
	    "its source is missing it is skipped without a word, and the "
	    "path beneath the writable mount stays writable.  Drop optional, "
	    "so that the launch fails instead." },
	{ W_PROJECT_ROOT_HOME, 200,
	    "A read-only bind of ${PROJECT_ROOT}, ${WORKTREE} or ${CWD} is "
	    "the home directory when the agent is started in ~ outside a "
	    "git repository, and then every credential under it is visible.  "
	    "Writable binds of these are refused at launch when they are "
	    "the home directory or above it; read-only ones are not.  Mount "
	    "the project writable (so the launcher's check applies), or a "
	    "fixed directory." },
	{ W_NIX_DAEMON, 200,
	    "A mount hands the jail the Nix daemon's socket "
	    "(/nix/var/nix/daemon-socket, the nix-daemon profile).  The "
	    "daemon runs as root outside the jail: its builds see none of "
	    "the jail's mounts, fixed-output derivations fetch from the "
	    "network whatever network.mode says, and a client the daemon "
	    "trusts (root, or trusted-users in nix.conf, often @wheel) can "
	    "pass --option post-build-hook and run code as root on the "
	    "host.  The launcher refuses the socket to a trusted client; "
	    "grant it only to jails that need to build, and accept the "
	    "finding with a reason." },
	{ E_MOUNT_SECRET, 600,
	    "A mount exposes a credential store (~/.ssh, ~/.gnupg, ~/.aws, "
	    "~/.kube, ~/.docker/config.json, ~/.password-store, "
	    "~/.config/gcloud, ~/.npmrc, ~/.pypirc, ~/.cargo/credentials, "
	    "keyrings and others), a path inside one, or a directory "
	    "holding one.  Read-only is no help: the agent only needs to "
	    "read a key to use it elsewhere." },
	{ E_MOUNT_HOME_RW, 600,
	    "The whole home directory (or /home, /root) is mounted writable: "
	    "the agent can read every credential in it and plant code in "
	    "shell start-up files, editor plugins and git hooks that runs "
	    "later outside the jail." },
	{ E_MOUNT_ROOT_RW, 500,
	    "The host's root filesystem is mounted writable: there is no "
	    "jail left but the namespaces." },
	{ E_ENV_SET_SECRET, 500,
	    "env.set writes a credential into the profile, by its name or "
	    "its shape.  Compiled launchers land in the world-readable Nix "
	    "store and in version control.  Allow the variable from the "
	    "host environment instead." },
	{ E_MOUNT_SOCKET, 600,
	    "A mount exposes a host socket: the Docker or Podman API (root "
	    "on the host), the D-Bus session or system bus (unfiltered: "
	    "secrets services, systemd --user, every desktop service), an "
	    "SSH agent, the X11 display (keystrokes and screen of every "
	    "window), or a tmux or screen server (type into the user's "
	    "other terminals).  A read-only bind does not stop connect(), "
	    "so a socket mount is always full access." },
	{ E_GUI_DBUS_ESCAPE, 500,
	    "gui.dbus lets the jail call or own a name (or a wildcard "
	    "covers one) whose service starts programs outside the jail "
	    "(systemd's manager, Flatpak's flatpak-spawn --host, a "
	    "terminal, the shell of the desktop with its Eval), hands out "
	    "stored passwords and keys (the Secret Service, GNOME Keyring, "
	    "KWallet), or stands behind the portals "
	    "(org.freedesktop.impl.portal.*, which trusts its callers to "
	    "be the portal).  Through it the jail is out.  Name the "
	    "service's portal instead, if it has one." },
	{ E_MOUNT_HOST_TMP, 500,
	    "The host's /tmp, /var/tmp, /dev/shm, /run, /run/user or "
	    "${XDG_RUNTIME_DIR} is mounted.  These hold other programs' "
	    "sockets (X11, tmux, SSH agents, D-Bus) and files, and a "
	    "writable shared /tmp lets the agent plant files other "
	    "programs trust.  The base profile gives the jail its own /tmp." },
	{ E_MOUNT_DEV_HOST, 400,
	    "dev-bind of the host's /dev gives the jail every device node "
	    "the user can open: disks of the user's groups, the terminal "
	    "devices of other sessions, input devices.  Use dev = \"/dev\" "
	    "(a minimal /dev) and dev-bind only the one device needed, such "
	    "as /dev/dri." },
	{ E_PROFILE_WRITABLE, 500,
	    "A writable mount contains this profile (or any profile of its "
	    "extends chain, or the launcher jailc compile -o is writing), "
	    "so the agent can edit the rules of its next jail.  "
	    "Paths are resolved with this check's HOME and XDG variables.  "
	    "${PROJECT_ROOT}, ${WORKTREE} and ${CWD} depend on where the "
	    "agent is launched: a writable bind of one is reported when an "
	    "extended profile lies in a git work tree, which is the project "
	    "when the agent is launched there, and the launcher does not "
	    "pin it read-only (a top-level *.jail, or protect.add).  Keep "
	    "profiles and launchers outside every writable mount." },
	{ E_MOUNT_PROC_ROOT, 500,
	    "A mount's source is /proc, a process's directory in it "
	    "(/proc/self, /proc/thread-self, /proc/PID, and task/TID below "
	    "them), or its root, cwd, fd or map_files entry, or /dev/fd.  "
	    "The kernel resolves these links in the process they belong "
	    "to: /proc/self/root, bound by the launcher, is the host's / "
	    "with every file the user can read, ~/.ssh among them, whatever "
	    "the rest of the profile hides.  Bind the directories the agent "
	    "needs instead." },
	{ E_MOUNT_DEV_KERNEL, 400,
	    "dev-bind gives the jail a device that reaches the kernel or "
	    "the hardware directly: /dev/kvm (the hypervisor's whole ioctl "
	    "surface), physical memory and I/O ports (/dev/mem, /dev/kmem, "
	    "/dev/port, /dev/cpu/*/msr), disks and their partitions, loop "
	    "and device-mapper devices, input devices and uinput (read or "
	    "type every keystroke), virtual consoles and the host's "
	    "/dev/pts, raw USB and PCI passthrough (/dev/bus, /dev/vfio, "
	    "/dev/vhost-*), TPMs, /dev/userfaultfd (around the seccomp "
	    "rule), /dev/net/tun and the watchdog.  GPUs (/dev/dri) and "
	    "sound are not in the list." },
	{ E_SHARE_USER, 200,
	    "process.share lists \"user\": the jail stays in the host's user "
	    "namespace.  bwrap then cannot add --disable-userns, so only "
	    "the seccomp filter stands between the agent and user "
	    "namespaces of its own, and a jail launched by root runs as "
	    "uid 0 of the host, the owner of every system file, with only "
	    "the capability bounding set between it and the rest." },
	{ E_SHARE_IPC, 200,
	    "process.share lists \"ipc\": the jail keeps the host's System "
	    "V IPC and POSIX message queues.  Shared memory segments of the "
	    "user's other programs (the X server's MIT-SHM images of "
	    "windows, databases, audio servers) can be attached and read or "
	    "written, and their semaphores and queues used." },
	{ E_SECCOMP_ALLOW_IOCTL, 200,
	    "seccomp.allow = [\"ioctl\"] removes the filter's only ioctl "
	    "rules, the ones that refuse TIOCSTI and TIOCLINUX.  A program "
	    "in the jail that shares the user's terminal can then type "
	    "commands into the user's shell, to run after the agent exits.  "
	    "ioctl itself is never refused: there is no reason to list it." },
	{ E_SECCOMP_ALLOW_ESCAPE, 200,
	    "seccomp.allow gives back a call the base filter refuses: new "
	    "namespaces and mounts (clone3, unshare, setns, mount and the "
	    "new mount API), the kernel keyrings, ptrace and "
	    "process_vm_readv (other processes' memory), BPF, perf, "
	    "userfaultfd, io_uring, modules, kexec and the like.  Each is a "
	    "known way out of a container or into kernel code that is "
	    "otherwise out of reach.  Give a debugger ptrace if it needs "
	    "it, and accept the finding with a reason." },
};

/*
 * Host paths that hold credentials.  A mount of one of them, of something
 * inside one, or of a directory containing one hands the agent the keys.
 */
static const char *const secret_paths[] = {
	"~/.ssh",
	"~/.gnupg",
	"~/.aws",
	"~/.azure",
	"~/.kube",
	"~/.docker/config.json",
	"~/.netrc",
	"~/.git-credentials",
	"~/.password-store",
	"~/.config/gh",
	"~/.config/gcloud",
	"~/.npmrc",
	"~/.pypirc",
	"~/.cargo/credentials",
	"~/.cargo/credentials.toml",
	"~/.local/share/keyrings",
	"~/.local/share/kwalletd",
	"${XDG_CONFIG_HOME}/gh",
	"${XDG_CONFIG_HOME}/gcloud",
	"${XDG_DATA_HOME}/keyrings",
	"${XDG_RUNTIME_DIR}/keyring",
	"${XDG_RUNTIME_DIR}/gnupg",
	"~/.Xauthority",
	"${XAUTHORITY}",
};

/*
 * Host sockets that hand out more than the jail should have.  A socket
 * is reached with connect(), which a read-only bind does not stop, so any
 * bind of one (or of a directory holding one) counts as full access.
 */
static const char *const socket_paths[] = {
	"/run/docker.sock",
	"/var/run/docker.sock",
	"/run/podman",
	"/run/containerd/containerd.sock",
	"${XDG_RUNTIME_DIR}/docker.sock",
	"${XDG_RUNTIME_DIR}/podman",
	"${XDG_RUNTIME_DIR}/bus",
	"/run/dbus",
	"/var/run/dbus",
	"${XDG_RUNTIME_DIR}/ssh-agent.socket",
	"${XDG_RUNTIME_DIR}/gcr",
	"${XDG_RUNTIME_DIR}/openssh_agent",
	"/tmp/.X11-unix",
	"${DISPLAY}",
	"${SSH_AUTH_SOCK}",
	"/tmp/tmux-${UID}",
	"/run/screen",
	"/var/run/screen",
	"~/.screen",
};

/* Directories shared by every program of the user (or of the host), full
 * of sockets and files that other programs trust. */
static const char *const shared_dirs[] = {
	"/tmp",
	"/var/tmp",
	"/dev/shm",
	"/run",
	"/var/run",
	"/run/user",
	"${XDG_RUNTIME_DIR}",
};

/*
 * Devices that reach the kernel or the hardware directly, as fnmatch(3)
 * patterns over whole components.  A dev-bind of one, of something in
 * one, or (for the directories) of a directory holding one is reported;
 * /dev itself is mount-dev-host's.
 */
static const char *const kernel_devs[] = {
	/* the hypervisor, physical memory, I/O ports, CPU registers */
	"/dev/kvm",
	"/dev/mem",
	"/dev/kmem",
	"/dev/port",
	"/dev/cpu",
	"/dev/nvram",
	"/dev/snapshot",
	/* disks, partitions and what is layered on them */
	"/dev/sd*",
	"/dev/hd*",
	"/dev/vd*",
	"/dev/xvd*",
	"/dev/nvme*",
	"/dev/mmcblk*",
	"/dev/sr*",
	"/dev/sg*",
	"/dev/bsg",
	"/dev/disk",
	"/dev/block",
	"/dev/mapper",
	"/dev/dm-*",
	"/dev/md*",
	"/dev/loop*",
	"/dev/zram*",
	"/dev/mtd*",
	"/dev/btrfs-control",
	/* keystrokes in and out, the consoles, other sessions' terminals */
	"/dev/input",
	"/dev/uinput",
	"/dev/hidraw*",
	"/dev/tty[0-9]*",
	"/dev/vcs*",
	"/dev/console",
	"/dev/pts",
	/* raw buses and passthrough */
	"/dev/bus",
	"/dev/vfio",
	"/dev/vhost-*",
	"/dev/i2c-*",
	"/dev/gpiochip*",
	"/dev/mei*",
	"/dev/tpm*",
	"/dev/tpmrm*",
	/* kernel facilities the seccomp filter or the namespaces keep out */
	"/dev/userfaultfd",
	"/dev/net",
	"/dev/watchdog*",
	"/dev/autofs",
};

/*
 * Names a careless allow pattern could let through.  A glob that matches
 * one of them (and that no deny pattern takes back) is reported.
 */
static const char *const secret_names[] = {
	"GITHUB_TOKEN",
	"GH_TOKEN",
	"GITLAB_TOKEN",
	"NPM_TOKEN",
	"HF_TOKEN",
	"VAULT_TOKEN",
	"AWS_ACCESS_KEY_ID",
	"AWS_SECRET_ACCESS_KEY",
	"AWS_SESSION_TOKEN",
	"ANTHROPIC_API_KEY",
	"OPENAI_API_KEY",
	"GEMINI_API_KEY",
	"GOOGLE_API_KEY",
	"DOCKER_PASSWORD",
	"PGPASSWORD",
	"DATABASE_URL",
	"SSH_AUTH_SOCK",
	"GPG_AGENT_INFO",
	"CLIENT_SECRET",
};

/* A variable name that says it holds a credential: not a count of
 * tokens (MAX_THINKING_TOKENS), nor an AWS region or profile name (the
 * AWS credentials say key, secret or token). */
static const char secret_name_re[] =
    "(?i)(token(?!s)|secret|passw(or)?d|passphrase|credential|api_?key|"
    "private_?key|access_?key|_key$|auth_sock$|^pgpassword$)";

/* A literal value shaped like a well-known credential format, or a long
 * run of key-like characters. */
static const char secret_value_re[] =
    "^(sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{"
    "20,}"
    "|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{16,}"
    "|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}"
    "|AIza[0-9A-Za-z_-]{30,}|npm_[A-Za-z0-9]{30,}|hf_[A-Za-z0-9]{30,}"
    "|-----BEGIN [A-Z ]*PRIVATE KEY-----.*"
    "|(?=[A-Za-z0-9+/=_-]*[0-9])(?=[A-Za-z0-9+/=_-]*[A-Z])"
    "(?=[A-Za-z0-9+/=_-]*[a-z])[A-Za-z0-9+/=_-]{32,})$";

#define NRULES (sizeof(rules) / sizeof(rules[0]))
/* One entry for each rule of diag.h's DIAG_RULES (the unit test checks
 * that they are the same ones). */
_Static_assert(NRULES == DIAG_NRULES, "rules[] and DIAG_RULES differ");
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const struct lint_rule *
lint_rule(enum diag_id id)
{
	size_t i;

	for (i = 0; i < NRULES; i++)
		if (rules[i].id == id)
			return &rules[i];
	return NULL;
}

const char *
lint_help(enum diag_id id)
{
	const struct lint_rule *r = lint_rule(id);

	return r != NULL ? r->help : NULL;
}

int
lint_weight(enum diag_id id)
{
	const struct lint_rule *r = lint_rule(id);

	return r != NULL ? r->weight : 0;
}

static pcre2_code *
regex(const char *re)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *code;

	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_DOTALL, &err, &off, NULL);
	if (code == NULL)
		fatal("internal regex does not compile at offset %zu",
		    (size_t)off);
	return code;
}

static int
regex_match(pcre2_code *code, const char *s, size_t len)
{
	pcre2_match_data *md;
	int rc;

	md = pcre2_match_data_create_from_pattern(code, NULL);
	if (md == NULL)
		fatal("out of memory");
	rc = pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

/* Whether some deny pattern of p removes name. */
static int
denied(const struct profile *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->env_deny.n; i++)
		if (fnmatch(p->env_deny.v[i].s, name, 0) == 0)
			return 1;
	return 0;
}

static int
has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/*
 * Characters of a pattern that are not wildcards; a bracket expression
 * counts as none, since it stands for one character of a set.
 */
static size_t
literal_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		/* s + 2: a ']' right after '[' is one of the set. */
		if (*s == '[' && s[1] != '\0') {
			const char *end = strchr(s + 2, ']');

			if (end != NULL) {
				s = end;
				continue;
			}
		}
		if (*s != '*' && *s != '?')
			n++;
	}
	return n;
}

/* Whether the credential-looking variable name would reach the agent. */
static int
is_secret_name(pcre2_code *name_re, const char *name)
{
	size_t j;

	for (j = 0; j < NELEM(secret_names); j++)
		if (strcmp(secret_names[j], name) == 0)
			return 1;
	return regex_match(name_re, name, strlen(name));
}

/*
 * The first credential the environment passes: a named variable that
 * looks like one, or a well-known one an allow pattern matches.  Deny
 * patterns are taken into account.  NULL when there is none.
 */
static const char *
secret_in_env(const struct profile *p, pcre2_code *name_re)
{
	size_t i, j;

	for (i = 0; i < p->env_allow.n; i++) {
		const char *a = p->env_allow.v[i].s;

		if (!has_glob(a)) {
			if (!denied(p, a) && is_secret_name(name_re, a))
				return a;
			continue;
		}
		for (j = 0; j < NELEM(secret_names); j++)
			if (fnmatch(a, secret_names[j], 0) == 0 &&
			    !denied(p, secret_names[j]))
				return secret_names[j];
	}
	return NULL;
}

/* Whether name lies strictly below domain dom. */
static int
name_below(const char *name, const char *dom)
{
	size_t n = strlen(name), d = strlen(dom);

	return n > d + 1 && name[n - d - 1] == '.' &&
	    strcmp(name + n - d, dom) == 0;
}

/* Whether some host and port matches both a and b. */
static int
netrules_meet(const struct netrule *a, const struct netrule *b)
{
	if (a->port != 0 && b->port != 0 && a->port != b->port)
		return 0;
	switch (a->kind) {
	case NR_NAME:
		return (b->kind == NR_NAME && strcmp(a->host, b->host) == 0) ||
		    (b->kind == NR_WILD && name_below(a->host, b->host));
	case NR_WILD:
		if (b->kind == NR_NAME)
			return name_below(b->host, a->host);
		return b->kind == NR_WILD &&
		    (strcmp(a->host, b->host) == 0 ||
		        name_below(a->host, b->host) ||
		        name_below(b->host, a->host));
	case NR_IP4:
		return b->kind == NR_IP4 && memcmp(a->addr, b->addr, 4) == 0;
	case NR_IP6:
		return b->kind == NR_IP6 && memcmp(a->addr, b->addr, 16) == 0;
	}
	return 0;
}

/* Whether an entry reaches the host's own services. */
static const char *
netrule_local(const struct netrule *r)
{
	const char *what;

	switch (r->kind) {
	case NR_IP4:
	case NR_IP6:
		what = netrule_special(r->addr, r->kind == NR_IP4);
		return what != NULL ? arena_printf("a %s address", what) : NULL;
	case NR_NAME:
	case NR_WILD:
		if (strcmp(r->host, "localhost") == 0 ||
		    name_below(r->host, "localhost"))
			return "the host's loopback by name";
		return NULL;
	}
	return NULL;
}

static void
lint_network(const struct profile *p, pcre2_code *name_re)
{
	const char *name;
	size_t i, j;

	if (p->network == NET_HOST &&
	    (name = secret_in_env(p, name_re)) != NULL)
		diag(&p->network_pos, N_NETWORK_HOST_SECRET, "%s", name);
	if (p->network != NET_PROXY)
		return;
	for (i = 0; i < p->nnet_allow; i++) {
		const struct netentry *e = &p->net_allow[i];

		if ((name = netrule_local(&e->rule)) != NULL)
			diag(&e->pos, W_NET_ALLOW_LOCAL, "'%s' is %s", e->text,
			    name);
		if (netrule_wide(&e->rule))
			diag(&e->pos, W_NET_ALLOW_WIDE, "'%s'", e->text);
	}
	for (i = 0; i < p->nnet_deny; i++) {
		const struct netentry *e = &p->net_deny[i];

		for (j = 0; j < p->nnet_allow; j++)
			if (netrules_meet(&p->net_allow[j].rule, &e->rule))
				break;
		if (j == p->nnet_allow)
			diag(&e->pos, W_NET_DENY_UNUSED, "'%s'", e->text);
	}
}

static void
lint_env(const struct profile *p, pcre2_code *name_re, pcre2_code *value_re)
{
	size_t i, j;

	for (i = 0; i < p->env_allow.n; i++) {
		const struct item *a = &p->env_allow.v[i];

		/* "*" alone is env-allow-all, an error of its own. */
		if (has_glob(a->s) && strcmp(a->s, "*") != 0 &&
		    literal_chars(a->s) < 3)
			diag(&a->pos, W_ENV_ALLOW_BROAD, "'%s'", a->s);
		if (!has_glob(a->s)) {
			if (denied(p, a->s))
				continue;
			if (strcmp(a->s, "SSH_AUTH_SOCK") == 0)
				diag(&a->pos, W_ENV_SSH_AGENT, NULL);
			else if (regex_match(name_re, a->s, strlen(a->s)))
				diag(&a->pos, N_ENV_ALLOW_SECRET, "%s", a->s);
			continue;
		}
		for (j = 0; j < sizeof(secret_names) / sizeof(*secret_names);
		     j++) {
			const char *name = secret_names[j];

			if (fnmatch(a->s, name, 0) != 0 || denied(p, name))
				continue;
			if (strcmp(name, "SSH_AUTH_SOCK") == 0)
				diag(&a->pos, W_ENV_SSH_AGENT,
				    "'%s' matches it", a->s);
			else
				diag(&a->pos, W_ENV_ALLOW_SECRET_GLOB,
				    "'%s' matches %s; name the variables the "
				    "agent needs, or deny this one",
				    a->s, name);
			break;
		}
	}

	for (i = 0; i < p->nenv_set; i++) {
		const struct envset *e = &p->env_set[i];
		const struct tmpl *t = &e->value;
		int literal = t->nparts == 1 && t->parts[0].var == VAR_NONE;

		if (!literal || t->parts[0].len == 0)
			continue;
		if (regex_match(name_re, e->name, strlen(e->name)) ||
		    regex_match(value_re, t->parts[0].text, t->parts[0].len))
			diag(&e->pos, E_ENV_SET_SECRET,
			    "%s; allow the variable from the host environment "
			    "instead",
			    e->name);
	}
}

static int
is_bind(enum mount_kind k)
{
	switch (k) {
	case MOUNT_RO:
	case MOUNT_RW:
	case MOUNT_DEV_BIND:
		return 1;
	case MOUNT_TMPFS:
	case MOUNT_DIR:
	case MOUNT_PROC:
	case MOUNT_DEV:
	case MOUNT_SYMLINK:
	case MOUNT_DATA:
		return 0;
	}
	return 0;
}

/* The literal prefix of a path template, if it starts with one. */
static int
literal_prefix(const struct tmpl *t, const char *prefix)
{
	size_t n = strlen(prefix);

	return t->nparts > 0 && t->parts[0].var == VAR_NONE &&
	    t->parts[0].len >= n && memcmp(t->parts[0].text, prefix, n) == 0;
}

/* Whether t is a directory that holds every user's home (or is $HOME). */
static int
is_home_or_above(const struct tmpl *t)
{
	const char *c = t->canon;

	return strcmp(c, "${HOME}") == 0 || strcmp(c, "/") == 0 ||
	    strcmp(c, "/home") == 0 || strcmp(c, "/root") == 0;
}

/* Parse a list of internal paths once. */
static struct tmpl *
parse_paths(const char *const *paths, size_t n)
{
	struct tmpl *t = arena_alloc(n * sizeof(*t));
	size_t i;

	for (i = 0; i < n; i++)
		if (tmpl_parse(&t[i], paths[i], strlen(paths[i]), NULL, 1) != 0)
			fatal("internal path %s does not parse", paths[i]);
	return t;
}

/* Whether a bind of src reaches a (is a or lies within it), or holds it. */
static int
reaches(const struct tmpl *src, const struct tmpl *a)
{
	return path_within(src, a) || path_within(a, src) ||
	    (is_home_or_above(src) && a->parts[0].var == VAR_HOME);
}

static void
lint_secret(const struct mount *m, const struct tmpl *secrets)
{
	size_t j;

	for (j = 0; j < NELEM(secret_paths); j++) {
		const struct tmpl *s = &secrets[j];

		if (path_within(&m->src, s)) {
			diag(&m->pos, E_MOUNT_SECRET, "%s", m->src.canon);
			return;
		}
		if (reaches(&m->src, s)) {
			diag(&m->pos, E_MOUNT_SECRET, "%s contains %s",
			    m->src.canon, s->canon);
			return;
		}
	}
}

/* Returns whether it reported: a shared directory says enough about the
 * sockets inside it. */
static int
lint_shared_dir(const struct mount *m, const struct tmpl *dirs)
{
	size_t j;

	for (j = 0; j < NELEM(shared_dirs); j++) {
		const struct tmpl *d = &dirs[j];

		if (strcmp(m->src.canon, d->canon) == 0) {
			diag(&m->pos, E_MOUNT_HOST_TMP, "%s", m->src.canon);
			return 1;
		}
		if (path_within(d, &m->src)) {
			diag(&m->pos, E_MOUNT_HOST_TMP, "%s contains %s",
			    m->src.canon, d->canon);
			return 1;
		}
	}
	return 0;
}

static void
lint_socket(const struct mount *m, const struct tmpl *sockets)
{
	size_t j;

	/* ssh-agent's own sockets: /tmp/ssh-XXXXXXXXXX/agent.PID */
	if (literal_prefix(&m->src, "/tmp/ssh-")) {
		diag(
		    &m->pos, E_MOUNT_SOCKET, "%s (an SSH agent)", m->src.canon);
		return;
	}
	for (j = 0; j < NELEM(socket_paths); j++) {
		const struct tmpl *s = &sockets[j];

		if (path_within(&m->src, s)) {
			diag(&m->pos, E_MOUNT_SOCKET, "%s", m->src.canon);
			return;
		}
		if (reaches(&m->src, s)) {
			diag(&m->pos, E_MOUNT_SOCKET, "%s contains %s",
			    m->src.canon, s->canon);
			return;
		}
	}
}

/* Whether a bind gives the jail the project directory as launched. */
static int
is_project_dir(const struct tmpl *t)
{
	return strcmp(t->canon, "${PROJECT_ROOT}") == 0 ||
	    strcmp(t->canon, "${WORKTREE}") == 0 ||
	    strcmp(t->canon, "${CWD}") == 0;
}

static int
is_writable(enum mount_kind k)
{
	return k == MOUNT_RW || k == MOUNT_DEV_BIND;
}

/*
 * An optional read-only bind beneath a writable one protects that path;
 * skipped on a host without its source, it leaves it writable.
 *
 * The writable mounts are sorted by destination once, so that each
 * optional mount looks up its own ancestors (one binary search per
 * component) instead of comparing itself with every mount: a profile
 * with n mounts costs n log n, not n squared.  path_within() says what
 * "beneath" means: equal to, or the canonical text followed by '/', and
 * "/" holds every literal path.  The finding names the first writable
 * mount in mount order that holds it, as a scan in that order would.
 */
struct writable {
	const char *canon;
	size_t len;
	size_t index; /* in p->mounts */
};

static int
writable_cmp(const void *va, const void *vb)
{
	const struct writable *a = va, *b = vb;
	int c = strcmp(a->canon, b->canon);

	if (c != 0)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* The writable mounts of p by destination, then mount order. */
static struct writable *
writable_index(const struct profile *p, size_t *np)
{
	struct writable *w = arena_alloc((p->nmounts + 1) * sizeof(*w));
	size_t i, n = 0;

	for (i = 0; i < p->nmounts; i++)
		if (is_writable(p->mounts[i].kind)) {
			w[n].canon = p->mounts[i].dest.canon;
			w[n].len = strlen(w[n].canon);
			w[n].index = i;
			n++;
		}
	qsort(w, n, sizeof(*w), writable_cmp);
	*np = n;
	return w;
}

/* The first mount (in mount order) of the writable ones w[0..n) whose
 * destination is s[0..len), or SIZE_MAX. */
static size_t
writable_find(const struct writable *w, size_t n, const char *s, size_t len)
{
	size_t lo = 0, hi = n;

	/* the first entry not below s[0..len): a longer one that starts
	 * with it is above it, as strcmp() sorted them */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strncmp(w[mid].canon, s, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && w[lo].len == len && strncmp(w[lo].canon, s, len) == 0)
		return w[lo].index;
	return SIZE_MAX;
}

static void
lint_optional_protect(const struct profile *p, const struct mount *m,
    const struct writable *w, size_t nw)
{
	const char *c = m->dest.canon;
	size_t i, k, first = SIZE_MAX;

	if (!m->optional || m->kind != MOUNT_RO)
		return;
	/* every prefix of c that ends where a component does */
	for (i = 0;; i++) {
		if (c[i] == '/' || c[i] == '\0') {
			k = writable_find(w, nw, c, i);
			if (k < first)
				first = k;
		}
		if (c[i] == '\0')
			break;
	}
	if (c[0] == '/' && (k = writable_find(w, nw, "/", 1)) < first)
		first = k;
	if (first != SIZE_MAX)
		diag(&m->pos, W_MOUNT_OPTIONAL_PROTECT,
		    "%s beneath writable %s", c, p->mounts[first].dest.canon);
}

/* Whether c[0..n) is a process's directory name in /proc. */
static int
is_pid_name(const char *c, size_t n)
{
	size_t i;

	if ((n == 4 && memcmp(c, "self", 4) == 0) ||
	    (n == 11 && memcmp(c, "thread-self", 11) == 0))
		return 1;
	for (i = 0; i < n; i++)
		if (c[i] < '0' || c[i] > '9')
			return 0;
	return n > 0;
}

/* Whether c[0..n) is a link of a process's directory that the kernel
 * resolves in that process: its root, its working directory, its open
 * files, its mapped files. */
static int
is_proc_link(const char *c, size_t n)
{
	static const char *const links[] = { "root", "cwd", "fd", "map_files" };
	size_t i;

	for (i = 0; i < NELEM(links); i++)
		if (strlen(links[i]) == n && memcmp(c, links[i], n) == 0)
			return 1;
	return 0;
}

/*
 * Whether a bind of t shows the jail a host process's root, working
 * directory or open files: /proc; /proc/PID (self, thread-self or a
 * number) and its task/ and task/TID/; root, cwd, fd or map_files in
 * either, and anything below them; /dev/fd (the C library's link to
 * /proc/self/fd) and below.
 */
static int
is_proc_root(const struct tmpl *t)
{
	const char *c, *comp[4];
	size_t len[4], n = 0;

	if (t->nparts != 1 || t->parts[0].var != VAR_NONE)
		return 0;
	c = t->canon;
	if (strcmp(c, "/dev/fd") == 0 || strncmp(c, "/dev/fd/", 8) == 0)
		return 1;
	if (strcmp(c, "/proc") == 0)
		return 1;
	if (strncmp(c, "/proc/", 6) != 0)
		return 0;
	for (c += 6; *c != '\0' && n < 4; n++) {
		comp[n] = c;
		len[n] = strcspn(c, "/");
		c += len[n];
		if (*c == '/')
			c++;
	}
	if (!is_pid_name(comp[0], len[0]))
		return 0;
	if (n == 1)
		return 1;
	if (is_proc_link(comp[1], len[1]))
		return 1;
	if (len[1] != 4 || memcmp(comp[1], "task", 4) != 0)
		return 0;
	return n <= 3 || is_proc_link(comp[3], len[3]);
}

/* The kernel_devs entry a dev-bind of t reaches, or NULL. */
static const char *
kernel_dev(const struct tmpl *t)
{
	const char *c = t->canon, *e;
	size_t i, k, n;

	if (t->nparts != 1 || t->parts[0].var != VAR_NONE)
		return NULL;
	for (i = 0; i < NELEM(kernel_devs); i++) {
		e = kernel_devs[i];
		/* as many components of c as e has */
		for (k = 0, n = 0; e[k] != '\0'; k++)
			n += e[k] == '/';
		for (k = 0; c[k] != '\0'; k++)
			if (c[k] == '/' && n-- == 0)
				break;
		if (fnmatch(e, arena_strndup(c, k), FNM_PATHNAME) == 0)
			return e;
	}
	return NULL;
}

static void
lint_mounts(const struct profile *p)
{
	static struct tmpl *secrets, *sockets, *dirs, dev;
	struct writable *w;
	const char *kdev;
	size_t i, nw;

	if (secrets == NULL) {
		/* parsed once, for every profile of the run */
		struct arena *outer = arena_switch(arena_process());

		secrets = parse_paths(secret_paths, NELEM(secret_paths));
		sockets = parse_paths(socket_paths, NELEM(socket_paths));
		dirs = parse_paths(shared_dirs, NELEM(shared_dirs));
		if (tmpl_parse(&dev, "/dev", 4, NULL, 1) != 0)
			fatal("internal path /dev does not parse");
		arena_switch(outer);
	}

	w = writable_index(p, &nw);
	for (i = 0; i < p->nmounts; i++) {
		const struct mount *m = &p->mounts[i];
		int writable = is_writable(m->kind);

		if (!is_bind(m->kind))
			continue;
		if (writable && strcmp(m->src.canon, "/") == 0)
			diag(&m->pos, E_MOUNT_ROOT_RW, NULL);
		else if (writable && is_home_or_above(&m->src))
			diag(&m->pos, E_MOUNT_HOME_RW, "%s", m->src.canon);
		if (m->kind == MOUNT_DEV_BIND && path_within(&dev, &m->src))
			diag(&m->pos, E_MOUNT_DEV_HOST, "%s", m->src.canon);
		else if (m->kind == MOUNT_DEV_BIND &&
		    (kdev = kernel_dev(&m->src)) != NULL)
			diag(&m->pos, E_MOUNT_DEV_KERNEL,
			    strcmp(kdev, m->src.canon) == 0 ? "%s" : "%s (%s)",
			    m->src.canon, kdev);
		if (is_proc_root(&m->src))
			diag(&m->pos, E_MOUNT_PROC_ROOT, "%s", m->src.canon);
		if (!writable && is_project_dir(&m->src))
			diag(&m->pos, W_PROJECT_ROOT_HOME, "%s", m->src.canon);
		if (tmpl_holds_nix_socket(&m->src))
			diag(&m->pos, W_NIX_DAEMON, "%s%s", m->src.canon,
			    p->network != NET_HOST
			        ? "; its builds reach the network whatever "
			          "network.mode says"
			        : "");

		lint_secret(m, secrets);
		if (!lint_shared_dir(m, dirs))
			lint_socket(m, sockets);
		lint_optional_protect(p, m, w, nw);

		if (literal_prefix(&m->src, "/home/") ||
		    literal_prefix(&m->src, "/root/"))
			diag(&m->src.pos, W_LITERAL_HOME, "%s", m->src.canon);
	}
}

/*
 * The host path t names for the user running this check, with symbolic
 * links resolved where it exists; NULL when it depends on where the
 * agent is launched (the project, the work directory) or on a variable
 * that is not set here.
 */
static const char *
resolve_here(const struct tmpl *t)
{
	static const struct {
		enum var var;
		const char *env, *below_home;
	} xdg[] = {
		{ VAR_XDG_CONFIG_HOME, "XDG_CONFIG_HOME", ".config" },
		{ VAR_XDG_CACHE_HOME, "XDG_CACHE_HOME", ".cache" },
		{ VAR_XDG_DATA_HOME, "XDG_DATA_HOME", ".local/share" },
		{ VAR_XDG_STATE_HOME, "XDG_STATE_HOME", ".local/state" },
		{ VAR_XDG_RUNTIME_DIR, "XDG_RUNTIME_DIR", NULL },
	};
	const char *home = getenv("HOME"), *v;
	char real[PATH_MAX];
	struct buf b = { 0 };
	size_t i, j;

	for (i = 0; i < t->nparts; i++) {
		const struct tmpl_part *part = &t->parts[i];

		if (part->var == VAR_NONE) {
			buf_add(&b, part->text, part->len);
			continue;
		}
		v = NULL;
		if (part->var == VAR_HOME)
			v = home;
		for (j = 0; j < NELEM(xdg); j++) {
			if (xdg[j].var != part->var)
				continue;
			v = getenv(xdg[j].env);
			if ((v == NULL || v[0] != '/') && home != NULL &&
			    xdg[j].below_home != NULL)
				v = arena_printf(
				    "%s/%s", home, xdg[j].below_home);
		}
		if (v == NULL || v[0] != '/')
			return NULL;
		buf_puts(&b, v);
	}
	if (b.len == 0)
		return NULL;
	if (realpath(b.s, real) != NULL)
		return arena_strdup(real);
	return b.s;
}

/* Whether path is dir or lies beneath it (both absolute). */
static int
str_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

static const char *launcher;

void
lint_launcher(const char *path)
{
	launcher = path;
}

/* The real path of a file that may not exist yet: its directory's real
 * path and its name.  NULL when the directory does not exist either. */
static const char *
real_new_file(const char *path)
{
	char real[PATH_MAX];
	const char *slash = strrchr(path, '/');
	const char *dir, *base;

	if (realpath(path, real) != NULL)
		return arena_strdup(real);
	dir = slash == NULL ? "."
	    : slash == path ? "/"
	                    : arena_strndup(path, (size_t)(slash - path));
	base = slash == NULL ? path : slash + 1;
	if (realpath(dir, real) == NULL)
		return NULL;
	return arena_printf("%s/%s", strcmp(real, "/") == 0 ? "" : real, base);
}

/* A profile file: its name as given (for messages) and its real path. */
struct pfile {
	const char *name, *real;
};

/* Add file to the list, once. */
static void
add_file(struct pfile **v, size_t *n, size_t *cap, const char *file)
{
	char real[PATH_MAX];
	size_t i;

	if (file == NULL || realpath(file, real) == NULL)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].real, real) == 0)
			return;
	array_reserve(v, cap, *n + 1, sizeof(**v));
	(*v)[*n].name = file;
	(*v)[*n].real = arena_strdup(real);
	(*n)++;
}

/* The git work tree that holds the file at real path f (the nearest
 * directory above it with a .git), or NULL. */
static const char *
work_tree(const char *f)
{
	char *dir = arena_strdup(f), *slash;
	struct stat st;

	while ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if (lstat(arena_printf("%s/.git", dir[0] != '\0' ? dir : ""),
		        &st) == 0)
			return dir[0] != '\0' ? dir : "/";
	}
	return NULL;
}

/* Whether the project-relative path rel is pinned read-only at launch:
 * a shipped project entry the profile keeps, or one of protect.add. */
static int
protected_in_project(const struct profile *p, const char *rel)
{
	enum protect_base base;
	const char *pat;
	size_t i;

	for (i = 0; i < protect_count; i++) {
		const struct protect_entry *e = &protect_list[i];

		if (e->base == PROTECT_PROJECT &&
		    !profile_unprotected(p, e->path) &&
		    protect_match(e->path, rel) > 0)
			return 1;
	}
	for (i = 0; i < p->protect_add.n; i++) {
		pat = protect_split(p->protect_add.v[i].s, &base);
		if (base == PROTECT_PROJECT && protect_match(pat, rel) > 0)
			return 1;
	}
	return 0;
}

/*
 * A writable bind of the project (${PROJECT_ROOT}, ${WORKTREE} or
 * ${CWD}, or a directory below one) is a different directory at every
 * launch, but a profile this one extends that lies in a git work tree
 * is in that project when the agent is launched there, which is what a
 * profile kept in a project is for.  Unless the launcher pins it
 * read-only (the top-level *.jail, protect.add), the agent can then
 * rewrite it for the next compile.  Profiles found by their name (the
 * shipped ones) and the file given on the command line are left to the
 * check with this host's paths.
 */
static void
lint_project_profiles(const struct profile *p, const struct mount *m)
{
	const struct tmpl *t = &m->src;
	const char *below, *real, *tree, *rel;
	char buf[PATH_MAX];
	size_t i, n;

	if (t->nparts == 0 ||
	    (t->parts[0].var != VAR_PROJECT_ROOT &&
	        t->parts[0].var != VAR_WORKTREE && t->parts[0].var != VAR_CWD))
		return;
	for (i = 1; i < t->nparts; i++)
		if (t->parts[i].var != VAR_NONE)
			return;
	below = t->nparts > 1 ? arena_strndup(t->parts[1].text, t->parts[1].len)
	                      : "";
	for (i = 0; i < p->nchain; i++) {
		const struct chainfile *c = &p->chain[i];

		if (c->shipped || realpath(c->path, buf) == NULL ||
		    (tree = work_tree(buf)) == NULL)
			continue;
		real = buf;
		n = strcmp(tree, "/") == 0 ? 0 : strlen(tree);
		rel = real + n + 1;
		if (!str_within(real, arena_printf("%s%s", tree, below)) ||
		    protected_in_project(p, rel))
			continue;
		diag(&m->pos, E_PROFILE_WRITABLE,
		    "%s holds %s when the agent is launched in %s", t->canon,
		    c->path, tree);
		return;
	}
}

/*
 * A writable mount holding the profile, or a profile it extends (every
 * file of the extends chain, and every file that contributed a mount,
 * an environment rule or a parent).
 */
static void
lint_writable_profile(const struct profile *p)
{
	struct pfile *files = NULL;
	size_t nfiles = 0, cap = 0, i, j;
	const char *real;

	add_file(&files, &nfiles, &cap, p->file);
	for (i = 0; i < p->nchain; i++)
		add_file(&files, &nfiles, &cap, p->chain[i].path);
	for (i = 0; i < p->nmounts; i++)
		add_file(&files, &nfiles, &cap, p->mounts[i].pos.file);
	for (i = 0; i < p->env_allow.n; i++)
		add_file(&files, &nfiles, &cap, p->env_allow.v[i].pos.file);
	for (i = 0; i < p->extends.n; i++)
		add_file(&files, &nfiles, &cap, p->extends.v[i].pos.file);
	if (launcher != NULL && (real = real_new_file(launcher)) != NULL) {
		array_reserve(&files, &cap, nfiles + 1, sizeof(*files));
		files[nfiles].name = launcher;
		files[nfiles].real = real;
		nfiles++;
	}

	for (i = 0; i < p->nmounts; i++) {
		const struct mount *m = &p->mounts[i];
		const char *src;

		if (!is_writable(m->kind))
			continue;
		if ((src = resolve_here(&m->src)) == NULL) {
			lint_project_profiles(p, m);
			continue;
		}
		for (j = 0; j < nfiles; j++)
			if (str_within(files[j].real, src)) {
				diag(&m->pos, E_PROFILE_WRITABLE, "%s holds %s",
				    m->src.canon, files[j].name);
				break;
			}
	}
}

/* Every protected path the profile leaves writable, with its reason:
 * here rather than where protect.remove is read, so that risk.accept can
 * accept it like any other finding. */
static void
lint_protect(const struct profile *p)
{
	size_t i;

	for (i = 0; i < p->nunprotect; i++)
		diag(&p->unprotect[i].pos, W_PROTECT_REMOVED, "%s: %s",
		    p->unprotect[i].path, p->unprotect[i].reason);
	if (!p->protect_hooks)
		diag(&p->hooks_pos, W_PROTECT_REMOVED,
		    ".git, the paths in it and git:core.hooksPath: "
		    "git.protect-hooks = false");
}

/* What seccomp.allow gives back of the base filter. */
static void
lint_seccomp_allow(const struct profile *p)
{
	size_t i;

	if (p->seccomp_off)
		return; /* seccomp-off says it all */
	for (i = 0; i < p->sc_allow.n; i++) {
		const struct item *it = &p->sc_allow.v[i];

		if (it->s == NULL || !seccomp_base_refuses(p, it->s))
			continue;
		if (strcmp(it->s, "ioctl") == 0)
			diag(&it->pos, E_SECCOMP_ALLOW_IOCTL, NULL);
		else
			diag(&it->pos, E_SECCOMP_ALLOW_ESCAPE, "'%s'", it->s);
	}
}

/* [launch]: the host network for a jail that has less, and a writable
 * directory in (or holding) the home directory. */
static void
lint_launch(const struct profile *p)
{
	const struct tmpl *t;
	enum var v;
	size_t i;

	if (p->launch_net[NET_HOST] && p->network != NET_HOST)
		diag(&p->launch_net_pos[NET_HOST], W_LAUNCH_NETWORK_HOST, NULL);
	for (i = 0; i < p->nlaunch_mounts; i++) {
		if (!p->launch_mounts[i].rw)
			continue;
		t = &p->launch_mounts[i].path;
		v = t->nparts > 0 ? t->parts[0].var : VAR_NONE;
		if (v == VAR_HOME || v == VAR_XDG_CONFIG_HOME ||
		    v == VAR_XDG_CACHE_HOME || v == VAR_XDG_DATA_HOME ||
		    v == VAR_XDG_STATE_HOME || strcmp(t->canon, "/") == 0 ||
		    strcmp(t->canon, "/home") == 0 ||
		    strncmp(t->canon, "/home/", 6) == 0 ||
		    strcmp(t->canon, "/root") == 0 ||
		    strncmp(t->canon, "/root/", 6) == 0)
			diag(&t->pos, W_LAUNCH_RW_HOME, "%s", t->canon);
	}
}

/*
 * Session services that let a caller out of the jail: they run commands
 * for it, or hand out secrets, or trust it to be a portal.  A name is
 * matched by its prefix, element by element: "org.gnome.keyring" covers
 * org.gnome.keyring.SystemPrompter too.
 */
static const char *const dbus_escapes[] = {
	"org.freedesktop.systemd1",
	"org.freedesktop.Flatpak",
	"org.freedesktop.secrets",
	"org.freedesktop.impl.portal",
	"org.gnome.keyring",
	"org.gnome.Shell",
	"org.gnome.Terminal",
	"org.gnome.Console",
	"org.kde.kwalletd5",
	"org.kde.kwalletd6",
	"org.kde.klauncher5",
	"org.kde.KLauncher",
	"org.kde.konsole",
	"org.kde.plasmashell",
	"org.kde.krunner",
	"com.canonical.Unity",
};

/* Whether name a ("org.gnome.Shell") is name b or beneath it. */
static int
dbus_beneath(const char *a, const char *b)
{
	size_t n = strlen(b);

	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '.');
}

/* Whether gui.dbus entry e (a name, or a prefix and ".*") reaches the
 * service of name s. */
static int
dbus_reaches(const char *e, const char *s)
{
	size_t n = strlen(e);
	char *prefix;

	if (n < 2 || strcmp(e + n - 2, ".*") != 0)
		return dbus_beneath(e, s);
	prefix = arena_strndup(e, n - 2);
	return dbus_beneath(s, prefix) || dbus_beneath(prefix, s);
}

/* [gui]: each socket, and each name the bus proxy lets the jail call or
 * own (what it may only see it cannot call). */
static void
lint_gui(const struct profile *p)
{
	static const enum diag_id caps[GUI_MAX] = { W_GUI_X11, W_GUI_WAYLAND,
		W_GUI_PIPEWIRE, W_GUI_PULSEAUDIO };
	const struct item *it;
	size_t i, j, r;

	for (i = 0; i < GUI_MAX; i++)
		if (p->gui[i])
			diag(&p->gui_pos[i], caps[i], NULL);
	for (r = DBUS_TALK; r <= DBUS_OWN; r++)
		for (i = 0; i < p->dbus[r].n; i++) {
			it = &p->dbus[r].v[i];
			for (j = 0; j < NELEM(dbus_escapes); j++)
				if (dbus_reaches(it->s, dbus_escapes[j]))
					break;
			if (j < NELEM(dbus_escapes))
				diag(&it->pos, E_GUI_DBUS_ESCAPE, "%s %s: %s",
				    dbus_rule_name((enum dbus_rule)r), it->s,
				    dbus_escapes[j]);
			else
				diag(&it->pos, W_GUI_DBUS, "%s %s",
				    dbus_rule_name((enum dbus_rule)r), it->s);
		}
}

static void
lint_process(const struct profile *p)
{
	if (p->share[NS_PID])
		diag(&p->share_pos[NS_PID], W_SHARE_PID, NULL);
	if (p->share[NS_USER])
		diag(&p->share_pos[NS_USER], E_SHARE_USER, NULL);
	if (p->share[NS_IPC])
		diag(&p->share_pos[NS_IPC], E_SHARE_IPC, NULL);
	if (p->seccomp_off)
		diag(&p->seccomp_pos, W_SECCOMP_OFF, NULL);
	lint_seccomp_allow(p);
	if (p->nested_sandbox)
		diag(&p->nested_pos, W_NESTED_SANDBOX, NULL);
	if (p->network == NET_HOST && p->abstract_host)
		diag(&p->abstract_pos, W_ABSTRACT_SOCKETS_HOST, NULL);
	lint_launch(p);
}

/*
 * Apply risk.accept: every finding of an accepted rule reported since
 * `first` is suppressed with the author's reason.
 */
static void
apply_accepts(struct profile *p, size_t first)
{
	size_t i, j, n;
	struct diag *d = diag_list(&n);

	for (i = 0; i < p->naccepts; i++) {
		struct accept *a = &p->accepts[i];
		enum diag_id id = diag_lookup(a->rule);

		for (j = first; j < n; j++)
			if (d[j].id == id) {
				diag_suppress(&d[j], a->reason);
				a->used = 1;
			}
		if (!a->used)
			diag(&a->pos, W_ACCEPT_UNUSED, "%s", a->rule);
	}
}

void
lint_profile(struct profile *p)
{
	pcre2_code *name_re = regex(secret_name_re);
	pcre2_code *value_re = regex(secret_value_re);
	size_t first;

	diag_list(&first);
	lint_mounts(p);
	lint_writable_profile(p);
	lint_env(p, name_re, value_re);
	lint_network(p, name_re);
	lint_process(p);
	lint_gui(p);
	lint_protect(p);
	apply_accepts(p, first);
	pcre2_code_free(name_re);
	pcre2_code_free(value_re);
}

/*
 * The bands, after systemd-analyze security's names.  A weighted mean
 * over every rule stays low while few rules fire, so the bands are set
 * for that: notes alone are SAFE, a warning or two OK, one error-level
 * finding MEDIUM, and it takes several to reach DANGEROUS.
 */
static const struct {
	int below; /* exposure in tenths under which the band applies */
	const char *name;
} bands[] = {
	{ 1, "PERFECT" },
	{ 3, "SAFE" },
	{ 5, "OK" },
	{ 11, "MEDIUM" },
	{ 22, "EXPOSED" },
	{ 37, "UNSAFE" },
	{ 101, "DANGEROUS" },
};

const char *
lint_band(int tenths)
{
	size_t i;

	for (i = 0; i < NELEM(bands) - 1; i++)
		if (tenths < bands[i].below)
			return bands[i].name;
	return bands[NELEM(bands) - 1].name;
}

static int
contrib_cmp(const void *va, const void *vb)
{
	const struct lint_contrib *a = va, *b = vb;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return strcmp(diag_idstr(a->id), diag_idstr(b->id));
}

void
lint_score(const struct diag *d, size_t n, struct lint_score *s)
{
	long total = 0, bad = 0;
	size_t i, j;

	memset(s, 0, sizeof(*s));
	s->v = arena_alloc(NRULES * sizeof(*s->v));
	for (i = 0; i < NRULES; i++)
		total += rules[i].weight;
	for (i = 0; i < n; i++) {
		const struct lint_rule *r = lint_rule(d[i].id);

		if (r == NULL || r->weight == 0)
			continue;
		for (j = 0; j < s->n; j++)
			if (s->v[j].id == r->id)
				break;
		if (j < s->n) {
			/* badness is 1 however often a rule fires; it stays
			 * accepted only if every finding is */
			if (d[i].suppressed == NULL)
				s->v[j].accepted = NULL;
			continue;
		}
		s->v[s->n].id = r->id;
		s->v[s->n].weight = r->weight;
		s->v[s->n].detail = d[i].detail;
		s->v[s->n].accepted = d[i].suppressed;
		s->n++;
		bad += r->weight;
	}
	qsort(s->v, s->n, sizeof(*s->v), contrib_cmp);
	s->tenths = total > 0 ? (int)((bad * 100 + total / 2) / total) : 0;
	s->band = lint_band(s->tenths);
}
