#!/bin/sh
# harden-proc.t - what a jail cannot change on the host through the
# kernel's files and the host's device nodes, and what it cannot make
# (jail(5), PROC AND DEV, SECCOMP); and a blob whose header was changed
# (jailblob(5), Checksum).
#
# Live probes in real bwrap jails, for both forms of launcher (the shell
# wrapper hands jailrun the text plan, the single file carries the blob),
# as root and as the unprivileged user jailtest.  The probes never write
# a kernel file: /proc/sys/kernel/core_pattern is only opened for
# writing, and /dev/null is chmod'ed to the mode it already has.
. tests/lib.sh

JAILRUN=$PWD/${JAILC_BIN:-.}/jailrun
if [ ! -x "$JAILRUN" ]; then
	echo "1..0 # SKIP $JAILRUN is not built"
	exit 0
fi
export JAILRUN
case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac
PY=$(command -v python3) || {
	echo "1..0 # SKIP python3 is needed for the probe and the blob edits"
	exit 0
}

T=$(mktemp -d /tmp/jailc-hproc.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
trap 'rm -rf "$T"' EXIT
[ -n "${KEEP-}" ] && trap - EXIT

# --- The blob's header is covered by its checksum ---------------------

{
	printf 'version = 1\nname = "hdr"\nextends = ["base"]\n'
	printf '[command]\nexec = "/bin/sh"\n'
} >"$T/hdr.jail"
"$JAILC" compile -t blob -o "$T/hdr.jailb" "$T/hdr.jail" 2>"$T/err"
tap $? "a blob compiles"

# hdr ACTION OUT: a copy of the blob with one header field changed.
# "flip OFF": byte OFF inverted; "toggle OFF VALUE": the 32-bit field at
# OFF XORed with VALUE; "swap A B": the 32-bit fields at A and B exchanged;
# "version TEXT": the version text; "copy": nothing.  The payload and
# the checksum field are left as they are: the payload's CRC-32, what
# format 3 checked, still matches, and only a checksum over the header
# can tell.
hdr() {
	"$PY" - "$T/hdr.jailb" "$@" <<'EOF'
import struct, sys
src, action, out = sys.argv[1], sys.argv[2:-1], sys.argv[-1]
b = bytearray(open(src, "rb").read())
g = lambda o: struct.unpack_from("<I", b, o)[0]
if action[0] == "flip":
    b[int(action[1])] ^= 0xff
elif action[0] == "toggle":
    o = int(action[1])
    struct.pack_into("<I", b, o, g(o) ^ int(action[2]))
elif action[0] == "swap":
    x, y = int(action[1]), int(action[2])
    vx, vy = g(x), g(y)
    struct.pack_into("<I", b, x, vy)
    struct.pack_into("<I", b, y, vx)
elif action[0] == "version":
    b[16:32] = action[1].encode().ljust(16, b"\0")
open(out, "wb").write(bytes(b))
EOF
}

# refused NAME BLOB: exit 2 and the checksum named, nothing run.
refused() {
	rm -f "$T/ran"
	(cd "$T" && "$JAILRUN" "$2" -c ": >'$T/ran'") >"$T/out" 2>&1
	st=$?
	[ "$st" = 2 ] && [ ! -e "$T/ran" ] &&
		grep -q "^jailrun: $2: checksum mismatch" "$T/out"
	tap $? "header: $1 is refused ($st)"
	[ "$st" = 2 ] || tap_diag "$(cat "$T/out")"
}

hdr version 0.1.9 "$T/h-version.jailb"
refused "another version text" "$T/h-version.jailb"
hdr flip 20 "$T/h-vflip.jailb"
refused "a byte of the version text flipped" "$T/h-vflip.jailb"
hdr swap 56 60 "$T/h-namefile.jailb"
refused "the name and file offsets exchanged" "$T/h-namefile.jailb"
hdr swap 64 68 "$T/h-bwrap.jailb"
refused "the bwrap and command offsets exchanged" "$T/h-bwrap.jailb"
for f in 40:nops 48:flags 52:args-fd 56:name 60:file 64:bwrap 68:command; do
	hdr flip "${f%%:*}" "$T/h-flip${f%%:*}.jailb"
	refused "a byte of the ${f#*:} field flipped" "$T/h-flip${f%%:*}.jailb"
done
hdr toggle 48 1 "$T/h-stays.jailb"
refused "the stays flag toggled" "$T/h-stays.jailb"
# the checksum field itself, and a payload byte, as before
hdr flip 37 "$T/h-crc.jailb"
refused "a byte of the checksum flipped" "$T/h-crc.jailb"
hdr copy "$T/h-copy.jailb"
(cd /usr && "$JAILRUN" "$T/h-copy.jailb" --jail-print-argv) >/dev/null \
    2>"$T/out"
tap $? "control: the blob, copied unchanged, is accepted"
[ -s "$T/out" ] && tap_diag "$(cat "$T/out")"

# --- Live probes ------------------------------------------------------

tap_jail_users
mkdir -p "$T/home" "$T/proj"
chmod 0777 "$T/home" "$T/proj"

{
	printf 'version = 1\nname = "hp"\nextends = ["base"]\n'
	printf '[command]\nexec = "/bin/sh"\n'
	printf '[[mount]]\nro = "%s"\n' "$T"
	printf '[[mount]]\nrw = "%s"\n' "$T/proj"
} >"$T/hp.jail"
"$JAILC" compile --standalone -o "$T/hp.shell" "$T/hp.jail" 2>"$T/err" &&
	"$JAILC" compile -t exe -o "$T/hp.exe" "$T/hp.jail" 2>>"$T/err" &&
	chmod 0755 "$T/hp.shell" "$T/hp.exe"
tap $? "the probe's profile compiles both ways"

# The probe: one line per attempt, "NAME errno-name" or "NAME ok".
# Opens for writing without writing; chmods /dev/null to its own mode.
cat >"$T/probe.py" <<'EOF'
import ctypes, errno, os, sys
d = sys.argv[1]
def t(name, f):
    try:
        f()
        print(name, "ok")
    except OSError as e:
        print(name, errno.errorcode.get(e.errno, e.errno))
def ro(path):
    # the mount holding path, from mountinfo: its options' first word
    best, opts = "", ""
    for line in open("/proc/self/mountinfo"):
        f = line.split()
        if (path == f[4] or path.startswith(f[4].rstrip("/") + "/")) \
                and len(f[4]) >= len(best):
            best, opts = f[4], f[5]
    print("mount", path, best, opts.split(",")[0])
t("open-core_pattern",
  lambda: os.close(os.open("/proc/sys/kernel/core_pattern", os.O_WRONLY)))
for p in ("/proc/sys", "/proc/sys/kernel/core_pattern", "/proc/irq",
          "/proc/bus", "/proc/fs", "/proc/sysrq-trigger"):
    if os.path.lexists(p):
        ro(p)
t("read-keys", lambda: open("/proc/keys").read())
mode = os.stat("/dev/null").st_mode & 0o7777
t("chmod-devnull", lambda: os.chmod("/dev/null", mode))
t("write-devnull", lambda: open("/dev/null", "w").write("x"))
t("read-urandom", lambda: open("/dev/urandom", "rb").read(4))
f = os.path.join(d, "f")
open(f, "w").close()
t("chmod-plain", lambda: os.chmod(f, 0o755))
t("chmod-suid", lambda: os.chmod(f, 0o4755))
t("chmod-sgid", lambda: os.chmod(f, 0o2755))
fd = os.open(f, os.O_RDONLY)
t("fchmod-suid", lambda: os.fchmod(fd, 0o4755))
os.close(fd)
t("open-creat-suid",
  lambda: os.close(os.open(os.path.join(d, "g"), os.O_WRONLY | os.O_CREAT,
                           0o4755)))
t("open-creat-plain",
  lambda: os.close(os.open(os.path.join(d, "h"), os.O_WRONLY | os.O_CREAT,
                           0o755)))
t("mkdir-sgid", lambda: os.mkdir(os.path.join(d, "dg"), 0o2755))
t("mkdir-plain", lambda: os.mkdir(os.path.join(d, "dp"), 0o755))
t("mkfifo-suid", lambda: os.mkfifo(os.path.join(d, "p"), 0o4644))
t("tmpfile-suid",
  lambda: os.close(os.open(d, os.O_TMPFILE | os.O_WRONLY, 0o4755)))
t("tmpfile-plain",
  lambda: os.close(os.open(d, os.O_TMPFILE | os.O_WRONLY, 0o755)))
libc = ctypes.CDLL(None, use_errno=True)
def raw(name, *args):
    # by the numbers every architecture of the filter shares (openat2,
    # fchmodat2) or x86_64's (creat)
    r = libc.syscall(*args)
    print(name, "ok" if r >= 0 else errno.errorcode.get(ctypes.get_errno()))
    if r >= 0 and name.startswith(("openat2", "creat")):
        os.close(r)
raw("openat2", 437, -100, f.encode(), None, 0)
raw("fchmodat2-suid", 452, -100, f.encode(), 0o4755, 0)
if os.uname().machine == "x86_64":
    raw("creat-suid", 85, os.path.join(d, "c").encode(), 0o4755)
setid = [n for n in os.listdir(d)
         if os.stat(os.path.join(d, n)).st_mode & 0o6000]
print("setid-files", " ".join(sorted(setid)) or "none")
EOF

# as WHO CMD...: run CMD as root or as the unprivileged user.
as() {
	w=$1
	shift
	if [ "$w" = user ] && [ "$user_via" = setpriv ]; then
		setpriv --reuid=jailtest --regid=jailtest --clear-groups \
		    env HOME="$T/home" USER=jailtest "$@"
	else
		env HOME="$T/home" "$@"
	fi
}
# has LINE: the probe printed LINE.
has() {
	grep -qx "$1" "$T/out"
}
machine=$(uname -m)

for who in root user; do
	eval "skip=\$${who}_skip"
	for b in shell exe; do
		l="$who ($b)"
		if [ -n "$skip" ]; then
			tap_skip "$l: probes" "$skip"
			continue
		fi
		rm -rf "$T/proj"/*
		(cd "$T/proj" && as "$who" "$T/hp.$b" -c \
		    "python3 '$T/probe.py' '$T/proj'") >"$T/out" 2>&1
		tap $? "$l: the probe runs"
		if [ "$who" = root ]; then
			has "open-core_pattern EROFS"
			tap $? "$l: core_pattern cannot be opened for writing (EROFS)"
			has "chmod-devnull EROFS"
			tap $? "$l: /dev/null's mode cannot be changed (EROFS)"
		else
			grep -Eqx 'open-core_pattern (EROFS|EACCES)' "$T/out"
			tap $? "$l: core_pattern cannot be opened for writing"
			grep -Eqx 'chmod-devnull (EROFS|EPERM)' "$T/out"
			tap $? "$l: /dev/null's mode cannot be changed"
		fi
		for p in /proc/sys /proc/sys/kernel/core_pattern /proc/irq \
		    /proc/bus /proc/fs /proc/sysrq-trigger; do
			[ -e "$p" ] || continue
			grep -Eqx "mount $p [^ ]+ ro" "$T/out"
			tap $? "$l: $p is on a read-only mount"
		done
		if [ -e /proc/keys ]; then
			grep -Eqx 'read-keys (EACCES|EPERM)' "$T/out"
			tap $? "$l: /proc/keys is masked (cannot be read)"
		fi
		has "write-devnull ok" && has "read-urandom ok"
		tap $? "$l: /dev/null and /dev/urandom still work"
		for c in chmod-suid chmod-sgid fchmod-suid open-creat-suid \
		    mkdir-sgid mkfifo-suid tmpfile-suid fchmodat2-suid; do
			has "$c EPERM"
			tap $? "$l: $c fails with EPERM"
		done
		has "setid-files none"
		tap $? "$l: no set-id file was made in the project"
		has "chmod-plain ok" && has "open-creat-plain ok" &&
			has "mkdir-plain ok" && has "tmpfile-plain ok"
		tap $? "$l: chmod, open(O_CREAT|O_TMPFILE) and mkdir without set-id bits work"
		has "openat2 ENOSYS"
		tap $? "$l: openat2 fails with ENOSYS"
		if [ "$machine" = x86_64 ]; then
			has "creat-suid EPERM"
			tap $? "$l: creat-suid fails with EPERM"
		else
			tap_skip "$l: creat" "the probe knows its number on x86_64 only"
		fi
		tap_diag "$(cat "$T/out")"
	done
done

# --- Root: a dev-bind of a device node, the terminal, /sys ------------

{
	printf 'version = 1\nname = "hpdev"\nextends = ["base"]\n'
	printf '[command]\nexec = "/bin/sh"\n'
	printf '[[mount]]\nro = "%s"\n' "$T"
	printf '[[mount]]\nrw = "%s"\n' "$T/proj"
	printf '[[mount]]\ndev-bind = "/dev/zero"\ndest = "/dev/zero2"\n'
	printf '[[mount]]\nro = "/sys"\n'
} >"$T/hpdev.jail"
"$JAILC" compile --standalone -o "$T/hpdev.shell" "$T/hpdev.jail" \
    2>"$T/err" &&
	"$JAILC" compile -t exe -o "$T/hpdev.exe" "$T/hpdev.jail" 2>>"$T/err" &&
	chmod 0755 "$T/hpdev.shell" "$T/hpdev.exe"
tap $? "a profile with a dev-bind and /sys compiles both ways"
[ -s "$T/err" ] && tap_diag "$(cat "$T/err")"
# The probe's lines: "NAME errno-name" or "NAME ok", as above.
cat >"$T/devprobe.py" <<'EOF'
import errno, os
def t(name, f):
    try:
        f()
        print(name, "ok")
    except OSError as e:
        print(name, errno.errorcode.get(e.errno, e.errno))
def same(p):
    os.chmod(p, os.stat(p).st_mode & 0o7777)
t("chmod-zero2", lambda: same("/dev/zero2"))
t("read-zero2", lambda: open("/dev/zero2", "rb").read(2))
if os.path.exists("/dev/console"):
    t("chmod-console", lambda: same("/dev/console"))
print("firmware", "empty" if os.path.isdir("/sys/firmware") and
      not os.listdir("/sys/firmware") else "shown")
EOF
script_ok=
command -v script >/dev/null 2>&1 && script -qec true /dev/null \
    >/dev/null 2>&1 && script_ok=1
for b in shell exe; do
	l="root ($b)"
	if [ -n "$root_skip" ]; then
		tap_skip "$l: device probes" "$root_skip"
		continue
	fi
	(cd "$T/proj" && env HOME="$T/home" "$T/hpdev.$b" -c \
	    "python3 '$T/devprobe.py'") >"$T/out" 2>&1
	has "chmod-zero2 EROFS" && has "read-zero2 ok"
	tap $? "$l: a dev-bind device node works, its mode cannot be changed"
	if [ -d /sys/firmware ]; then
		has "firmware empty"
		tap $? "$l: /sys/firmware is masked under a bind of /sys"
	fi
	tap_diag "$(cat "$T/out")"
	# Without CAP_SYS_ADMIN, root's launcher cannot make its mount
	# namespace: it refuses, and --jail-check says so.
	if command -v setpriv >/dev/null 2>&1; then
		rm -f "$T/ran"
		(cd "$T/proj" && env HOME="$T/home" setpriv \
		    --bounding-set=-sys_admin --inh-caps=-sys_admin \
		    "$T/hpdev.$b" -c ": >'$T/ran'") >"$T/out" 2>&1
		rc=$?
		[ $rc = 125 ] && [ ! -e "$T/ran" ] &&
			grep -q "^hpdev: a jail launched by root cannot keep the host's device nodes unchangeable: " \
			    "$T/out"
		tap $? "$l: without a mount namespace the launch stops with 125 ($rc)"
		tap_diag "$(cat "$T/out")"
		(cd "$T/proj" && env HOME="$T/home" setpriv \
		    --bounding-set=-sys_admin --inh-caps=-sys_admin \
		    "$T/hpdev.$b" --jail-check) >"$T/out" 2>&1
		rc=$?
		[ $rc = 1 ] && grep -q 'cannot keep the host.s device nodes' \
		    "$T/out"
		tap $? "$l: ... and --jail-check fails, saying why ($rc)"
	else
		tap_skip "$l: without a mount namespace" "setpriv not found"
	fi
	if [ -z "$script_ok" ]; then
		tap_skip "$l: the terminal as /dev/console" \
		    "script(1) cannot give the launcher a terminal here"
		continue
	fi
	(cd "$T/proj" && env HOME="$T/home" script -qec \
	    "'$T/hpdev.$b' -c \"python3 '$T/devprobe.py'\"" /dev/null) \
	    2>&1 | tr -d '\r' >"$T/out"
	has "chmod-console EROFS"
	tap $? "$l: the terminal bound as /dev/console cannot change mode"
	tap_diag "$(cat "$T/out")"
done

tap_done
