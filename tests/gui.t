#!/bin/sh
# gui.t - [gui] in real jails: both forms of launcher (the shell wrapper
# hands jailrun the text plan, the single file carries the blob), as
# root and as an unprivileged user.
#
# The desktop is played by real programs where they exist here: Xvfb
# with a cookie (xauth), read from the jail by xdpyinfo and xauth, in
# the jail's own network namespace and in the host's under Landlock's
# abstract-socket scope; a private session bus (dbus-daemon) with two
# services (dbus-test-tool echo), called through the xdg-dbus-proxy the
# launcher starts, by gdbus.  Wayland, PipeWire and PulseAudio are
# stand-in sockets (a python listener that answers each connection with
# its own name): what is tested is that each arrives where its clients
# look, not the servers.
. tests/lib.sh

# The X server makes its socket in /tmp/.X11-unix and its keymaps in
# /var/lib/xkb: the whole test runs in a mount namespace of its own
# with both private, so nothing of it lands in this machine's.  A
# checkout under /tmp is bound back, through a descriptor opened before.
if [ -z "${JAILC_GUI_PRIVATE-}" ]; then
	if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
		echo "1..0 # SKIP needs root and a private mount namespace" \
		    "for the X server's /tmp"
		exit 0
	fi
	JAILC_GUI_PRIVATE=1 exec unshare -m --propagation private sh -c '
	    top=$(pwd -P) && exec 9<"$top" &&
	    mount -t tmpfs -o mode=1777 jailc-gui /tmp &&
	    { [ ! -d /var/lib/xkb ] ||
	        mount -t tmpfs jailc-gui /var/lib/xkb; } &&
	    case $top in
	    /tmp/*) mkdir -p "$top" &&
	        mount --no-canonicalize --bind /proc/self/fd/9 "$top" ;;
	    esac && exec 9<&- && cd "$top" && exec sh "$0"' "$0"
fi

JAILRUN=$PWD/${JAILC_BIN:-.}/jailrun
if [ ! -x "$JAILRUN" ]; then
	echo "1..0 # SKIP $JAILRUN is not built (make check builds it)"
	exit 0
fi
for c in Xvfb xdpyinfo xauth dbus-daemon dbus-test-tool gdbus \
    xdg-dbus-proxy /usr/bin/python3; do
	if ! command -v $c >/dev/null; then
		echo "1..0 # SKIP $c is needed (tools/deps.sh test installs it)"
		exit 0
	fi
done
export JAILRUN
case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac
unset DISPLAY WAYLAND_DISPLAY XAUTHORITY DBUS_SESSION_BUS_ADDRESS \
    PULSE_SERVER PIPEWIRE_REMOTE SSH_AUTH_SOCK

T=$(mktemp -d /tmp/jailc-gui.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
pids=
stop_all() {
	for sp in $pids; do
		kill "$sp" 2>/dev/null
	done
}
trap 'stop_all; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT PIPE TERM
tap_jail_users

# as WHO CMD...: CMD as root or as the unprivileged user, with the
# desktop of that user's session (its runtime directory, cookie, bus);
# in place of the shell that calls it (a subshell), so that $! is CMD.
as() {
	w=$1
	shift
	if [ "$w" = user ] && [ "$user_via" = setpriv ]; then
		exec setpriv --reuid=jailtest --regid=jailtest \
		    --clear-groups env HOME="$T/home-user" USER=jailtest \
		    XDG_RUNTIME_DIR="$T/run-user" "$@"
	else
		exec env HOME="$T/home-$w" XDG_RUNTIME_DIR="$T/run-$w" "$@"
	fi
}

# --- the X server: a free display number, a cookie -----------------------

# one whose abstract socket no other server of this network namespace has
n=70
while grep -q "@/tmp/.X11-unix/X$n\$" /proc/net/unix; do
	n=$((n + 1))
done
cookie=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
other=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
xauth -f "$T/server.auth" add ":$n" . "$cookie" 2>/dev/null
Xvfb ":$n" -nolisten tcp -auth "$T/server.auth" >"$T/xvfb.log" 2>&1 &
pids="$pids $!"
tap_waitfor "/tmp/.X11-unix/X$n"
tap $? "Xvfb on :$n with a cookie"

for who in root user; do
	mkdir -p "$T/home-$who" "$T/run-$who/pulse"
	# the user's cookie file: this display's cookie, and another
	# display's that the jail must not get
	xauth -f "$T/home-$who/.Xauthority" add ":$n" . "$cookie" 2>/dev/null
	xauth -f "$T/home-$who/.Xauthority" add ":$((n + 1))" . "$other" \
	    2>/dev/null
done
chown -R jailtest "$T/home-user" "$T/run-user" 2>/dev/null
chmod 0700 "$T/run-root" "$T/run-user"
mkdir -p "$T/out"
chmod 0777 "$T/out"

# --- per user: a session bus with two services, the stand-in sockets ------

cat >"$T/standin.py" <<'EOF'
import os, socket, sys, threading
# Each path given: a listening socket that writes its own name to every
# client.  Written to the file ARGV[1] when all listen.
ready, paths = sys.argv[1], sys.argv[2:]
def serve(s, name):
    while True:
        c, _ = s.accept()
        c.sendall(name.encode() + b"\n")
        c.close()
for p in paths:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(p)
    os.chmod(p, 0o777)
    s.listen(8)
    threading.Thread(target=serve, args=(s, os.path.basename(p)),
                     daemon=True).start()
open(ready, "w").close()
threading.Event().wait()
EOF
chmod 0644 "$T/standin.py"

for who in root user; do
	if [ "$who" = root ]; then skip=$root_skip; else skip=$user_skip; fi
	[ -n "$skip" ] && continue
	r=$T/run-$who
	as "$who" dbus-daemon --session --address="unix:path=$r/bus" \
	    --nofork --nopidfile >/dev/null 2>&1 &
	pids="$pids $!"
	tap_waitfor "$r/bus"
	for name in com.example.Echo org.other.Thing; do
		as "$who" env DBUS_SESSION_BUS_ADDRESS="unix:path=$r/bus" \
		    dbus-test-tool echo --name="$name" </dev/null \
		    >/dev/null 2>&1 &
		pids="$pids $!"
	done
	as "$who" /usr/bin/python3 "$T/standin.py" "$r/standin.ready" \
	    "$r/wayland-7" "$r/pipewire-0" "$r/pulse/native" &
	pids="$pids $!"
	tap_waitfor "$r/standin.ready"
	tap $? "$who: a session bus and the stand-in sockets in $r"
done
sleep 1

# --- the profiles ----------------------------------------------------------

# PROFILE NAME NETWORK-MODE EXTRA...: a jail with the whole desktop.
profile() {
	cat >"$T/$1.jail" <<EOF
version = 1
name = "$1"
extends = ["base"]
[command]
exec = "/bin/sh"
[[mount]]
ro = "$T/bin"
[network]
mode = "$2"
[gui]
x11 = true
wayland = true
pipewire = true
pulseaudio = true
[gui.dbus]
talk = ["com.example.Echo"]
EOF
	"$JAILC" compile --standalone -o "$T/$1.shell" "$T/$1.jail" \
	    2>"$T/$1.err" &&
		"$JAILC" compile -t exe -o "$T/$1.exe" "$T/$1.jail" \
		    2>>"$T/$1.err" &&
		chmod 0755 "$T/$1.shell" "$T/$1.exe"
}
profile own proxy
tap $? "a profile with every [gui] key compiles to both forms"
profile host host
tap $? "... and one with the host's network (the abstract-socket scope)"

# What runs in the jail: each probe prints one line.
mkdir -p "$T/bin"
cat >"$T/bin/probe.sh" <<'EOF'
cd /
echo "display $DISPLAY"
xdpyinfo 2>&1 | grep '^name of display' | sed 's/^/xdpyinfo /'
echo "xauthority $XAUTHORITY"
xauth -f "$XAUTHORITY" list 2>/dev/null | sed 's/^/cookie /'
echo "runtime $XDG_RUNTIME_DIR"
echo "wayland $WAYLAND_DISPLAY"
echo "pulse $PULSE_SERVER"
echo "bus $DBUS_SESSION_BUS_ADDRESS"
/usr/bin/python3 -c '
import os, socket
rt = os.environ["XDG_RUNTIME_DIR"]
for p in (os.environ["WAYLAND_DISPLAY"], "pipewire-0",
          os.environ["PULSE_SERVER"][len("unix:" + rt + "/"):]):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(rt + "/" + p)
        print("socket", p, s.recv(64).decode().strip())
    except OSError as e:
        print("socket", p, "error", e.errno)
'
gdbus call --session --dest com.example.Echo --object-path / \
    --method com.example.Echo.Ping 2>&1 | sed 's/^/talk /'
gdbus call --session --dest org.other.Thing --object-path / \
    --method org.other.Thing.Ping 2>&1 | sed 's/^/other /'
EOF
chmod 0755 "$T/bin"
chmod 0644 "$T/bin/probe.sh"

for who in root user; do
	if [ "$who" = root ]; then skip=$root_skip; else skip=$user_skip; fi
	r=$T/run-$who
	for net in own host; do
		for form in shell exe; do
			d="$who $form $net"
			if [ -n "$skip" ]; then
				for t in xdpyinfo number cookie wayland \
				    pipewire pulse talk other cleanup; do
					tap_skip "$d: $t" "$skip"
				done
				continue
			fi
			(cd "$T/bin" && as "$who" env DISPLAY=":$n" \
			    WAYLAND_DISPLAY=wayland-7 \
			    DBUS_SESSION_BUS_ADDRESS="unix:path=$r/bus" \
			    "$T/$net.$form" "$T/bin/probe.sh") >"$T/out.txt" \
			    2>"$T/err.txt"
			jrc=$?
			grep -q "^xdpyinfo name of display: *:[0-9]*$" \
			    "$T/out.txt"
			rc=$?
			tap $rc "$d: xdpyinfo opens the display through the bound socket (exit $jrc)"
			[ $rc -ne 0 ] &&
				tap_diag "$(cat "$T/out.txt" "$T/err.txt")"
			jn=$(sed -n 's/^display ://p' "$T/out.txt")
			if [ "$net" = own ]; then
				[ "$jn" = "$n" ]
				tap $? "$d: own network namespace (the proxy's): the host's number (:$jn)"
			else
				# Xvfb listens on @/tmp/.X11-unix/X$n too, which
				# the scope refuses with EPERM: another number
				[ -n "$jn" ] && [ "$jn" != "$n" ]
				tap $? "$d: host's namespace under the scope: a number no abstract socket has (:$jn for :$n)"
			fi
			# one entry: this display's cookie, as a wildcard,
			# numbered as the jail's display; not the other one
			[ "$(grep -c '^cookie ' "$T/out.txt")" = 1 ] &&
			    grep -q "^cookie #ffff#.*:$jn  MIT-MAGIC-COOKIE-1  $cookie$" \
			        "$T/out.txt" &&
			    ! grep -q "$other" "$T/out.txt"
			rc=$?
			tap $rc "$d: the jail's XAUTHORITY holds this display's cookie alone"
			[ $rc -ne 0 ] && tap_diag "$(grep '^cookie\|^xauth' "$T/out.txt")"
			grep -q "^socket wayland-7 wayland-7$" "$T/out.txt" &&
			    grep -q "^wayland wayland-7$" "$T/out.txt" &&
			    grep -q "^runtime $r$" "$T/out.txt"
			tap $? "$d: Wayland at XDG_RUNTIME_DIR/WAYLAND_DISPLAY"
			grep -q "^socket pipewire-0 pipewire-0$" "$T/out.txt"
			tap $? "$d: PipeWire's pipewire-0"
			grep -q "^socket pulse/native native$" "$T/out.txt" &&
			    grep -q "^pulse unix:$r/pulse/native$" "$T/out.txt"
			tap $? "$d: PulseAudio at PULSE_SERVER"
			grep -q "^talk ()$" "$T/out.txt" &&
			    grep -q "^bus unix:path=$r/bus$" "$T/out.txt"
			tap $? "$d: a name in gui.dbus.talk answers through the proxy"
			grep -q "^other .*ServiceUnknown" "$T/out.txt"
			rc=$?
			tap $rc "$d: a running service not listed is unknown to the jail"
			[ $rc -ne 0 ] && tap_diag "$(grep '^other\|^talk' "$T/out.txt")"
			# the proxy's directory and process are gone
			! ls -d "$r"/jail.* >/dev/null 2>&1 &&
			    ! pgrep -f "xdg-dbus-proxy.*$r/jail" >/dev/null
			tap $? "$d: the proxy stopped and its directory is removed"
		done
	done
done

# --- what the host does not have, and values that are not what they say ---

if [ -n "$root_skip" ]; then
	for t in unset dry display-tcp display-path not-socket no-proxy; do
		tap_skip "root: $t" "$root_skip"
	done
else
	r=$T/run-root
	# No DISPLAY, no WAYLAND_DISPLAY, no bus: nothing of them, and the
	# launch goes on.
	(cd "$T/bin" && env -u DBUS_SESSION_BUS_ADDRESS HOME="$T/home-root" \
	    XDG_RUNTIME_DIR="$T/empty" "$T/own.exe" -c \
	    'echo "d=$DISPLAY w=$WAYLAND_DISPLAY b=$DBUS_SESSION_BUS_ADDRESS"; ls /tmp/.X11-unix 2>&1 | head -1') \
	    >"$T/out.txt" 2>"$T/err.txt"
	grep -q "^d= w= b=$" "$T/out.txt" &&
	    grep -q "No such file" "$T/out.txt"
	tap $? "unset: a host without a display or bus runs the jail without them"
	# A cookie for any display (FamilyWild, an empty number): the
	# jail's copy names its display, longer than the original.
	printf 'ffff 0000  0000  0012 4d49542d4d414749432d434f4f4b49452d31 0010 %s\n' \
	    "$cookie" | xauth -f "$T/wild.auth" nmerge - 2>/dev/null
	(cd "$T/bin" && env HOME="$T/home-root" DISPLAY=":$n" \
	    XAUTHORITY="$T/wild.auth" XDG_RUNTIME_DIR="$r" \
	    DBUS_SESSION_BUS_ADDRESS="unix:path=$r/bus" "$T/own.exe" -c \
	    'xdpyinfo | grep "^name of display"; xauth -f "$XAUTHORITY" list 2>/dev/null') \
	    >"$T/out.txt" 2>"$T/err.txt"
	grep -q "^name of display" "$T/out.txt" &&
	    grep -q "^#ffff#.*:$n  MIT-MAGIC-COOKIE-1  $cookie$" "$T/out.txt"
	rc=$?
	tap $rc "a wildcard cookie with no display number: the jail's names its display"
	[ $rc -ne 0 ] && tap_diag "$(cat "$T/out.txt" "$T/err.txt")"
	# Both forms print the same invocation, the proxy's directory
	# named by its pattern (its name is drawn at launch).  (The host
	# network's jail: a network proxy's binds its launcher's own file.)
	for form in shell exe; do
		(cd "$T/bin" && env HOME="$T/home-root" DISPLAY=":$n" \
		    XDG_RUNTIME_DIR="$r" WAYLAND_DISPLAY=wayland-7 \
		    DBUS_SESSION_BUS_ADDRESS="unix:path=$r/bus" \
		    "$T/host.$form" --jail-print-argv) >"$T/argv.$form" 2>&1
	done
	cmp -s "$T/argv.shell" "$T/argv.exe" &&
	    grep -q "jail.XXXXXXXXXX/bus" "$T/argv.exe"
	rc=$?
	tap $rc "--jail-print-argv: both forms the same, the proxy's directory a pattern"
	[ $rc -ne 0 ] && tap_diag "$(diff "$T/argv.shell" "$T/argv.exe" | tr "\\0" " " | head -c 600)"
	# The cookie never shows in the dry run.
	(cd "$T/bin" && env HOME="$T/home-root" DISPLAY=":$n" \
	    XDG_RUNTIME_DIR="$r" "$T/own.exe" --jail-dry-run) \
	    >"$T/dry.txt" 2>&1
	! grep -q "$cookie" "$T/dry.txt" &&
	    grep -q "the cookie of display :$n (not shown)" "$T/dry.txt"
	tap $? "--jail-dry-run names the cookie file and does not show it"
	for bad in "localhost:10.0" ":0/../../etc" "$T/x"; do
		(cd "$T/bin" && env HOME="$T/home-root" DISPLAY="$bad" \
		    "$T/own.exe" -c 'echo ran') >"$T/out.txt" 2>"$T/err.txt"
		rc=$?
		[ $rc -eq 125 ] && ! grep -q ran "$T/out.txt" &&
		    grep -q "DISPLAY=.* is not a local X display" "$T/err.txt"
		tap $? "DISPLAY=$bad: refused with 125, nothing run"
	done
	# A file that is not a socket where PipeWire's should be.
	mkdir -p "$T/run-file/pulse"
	: >"$T/run-file/pipewire-0"
	(cd "$T/bin" && env HOME="$T/home-root" XDG_RUNTIME_DIR="$T/run-file" \
	    "$T/own.exe" -c 'echo ran') >"$T/out.txt" 2>"$T/err.txt"
	[ $? -eq 125 ] && grep -q "pipewire-0, which is not a socket" "$T/err.txt"
	tap $? "a regular file at XDG_RUNTIME_DIR/pipewire-0 stops the launch"
	# Without xdg-dbus-proxy the bus is refused, never passed
	# unfiltered: the helper hidden in a private mount namespace.
	if unshare -m true 2>/dev/null; then
		p=$(command -v xdg-dbus-proxy)
		(cd "$T/bin" && unshare -m sh -c "mount --bind /dev/null $p &&
		    exec env HOME=$T/home-root XDG_RUNTIME_DIR=$r \
		    DBUS_SESSION_BUS_ADDRESS=unix:path=$r/bus \
		    $T/own.exe -c 'echo ran'") >"$T/out.txt" 2>"$T/err.txt"
		[ $? -eq 125 ] && ! grep -q ran "$T/out.txt" &&
		    grep -q "gui.dbus needs xdg-dbus-proxy" "$T/err.txt"
		tap $? "no xdg-dbus-proxy: the launch stops, the bus is never passed unfiltered"
		# Pinned at compile time, the proxy is that one.
		cp "$p" "$T/bin/xdg-dbus-proxy" &&
			"$JAILC" compile -t exe \
			    -D DBUS_PROXY="$T/bin/xdg-dbus-proxy" \
			    -o "$T/pin.exe" "$T/own.jail" 2>/dev/null
		(cd "$T/bin" && unshare -m sh -c "mount --bind /dev/null $p &&
		    exec env HOME=$T/home-root XDG_RUNTIME_DIR=$r \
		    DBUS_SESSION_BUS_ADDRESS=unix:path=$r/bus \
		    $T/pin.exe -c 'gdbus call --session --dest com.example.Echo \
		    --object-path / --method com.example.Echo.Ping'") \
		    >"$T/out.txt" 2>"$T/err.txt"
		grep -q "^()$" "$T/out.txt"
		rc=$?
		tap $rc "-D DBUS_PROXY: the pinned proxy, whatever the system directories hold"
		[ $rc -ne 0 ] && tap_diag "$(cat "$T/out.txt" "$T/err.txt")"
	else
		tap_skip "no xdg-dbus-proxy" "no private mount namespace here"
		tap_skip "-D DBUS_PROXY" "no private mount namespace here"
	fi
fi

# --- the new variables in mounts -------------------------------------------

cat >"$T/vars.jail" <<EOF
version = 1
name = "vars"
extends = ["base"]
[command]
exec = "/bin/sh"
[[mount]]
ro = "$T/bin"
[[mount]]
ro = "\${SSH_AUTH_SOCK}"
optional = true
[[mount]]
ro = "\${DISPLAY}"
[risk.accept]
mount-socket = "the test's own X server"
EOF
"$JAILC" compile -t exe -o "$T/vars.exe" "$T/vars.jail" 2>"$T/vars.err"
tap $? "a profile mounting \${DISPLAY} and \${SSH_AUTH_SOCK} compiles"
[ "$(grep -c "accepted.*\[mount-socket\]" "$T/vars.err")" = 2 ]
tap $? "... and both are mount-socket findings"
if [ -n "$root_skip" ]; then
	tap_skip "vars" "$root_skip"
	tap_skip "vars unset" "$root_skip"
else
	(cd "$T/bin" && env HOME="$T/home-root" DISPLAY="unix:$n.0" \
	    "$T/vars.exe" -c "test -S /tmp/.X11-unix/X$n && echo bound") \
	    >"$T/out.txt" 2>"$T/err.txt"
	grep -q "^bound$" "$T/out.txt"
	rc=$?
	tap $rc "\${DISPLAY} is the display's socket; an unset optional \${SSH_AUTH_SOCK} is skipped"
	[ $rc -ne 0 ] && tap_diag "$(cat "$T/out.txt" "$T/err.txt")"
	(cd "$T/bin" && env HOME="$T/home-root" "$T/vars.exe" -c 'echo ran') \
	    >"$T/out.txt" 2>"$T/err.txt"
	[ $? -eq 125 ] && grep -q "DISPLAY is not set here" "$T/err.txt"
	tap $? "a required mount of an unset \${DISPLAY} stops the launch, naming it"
fi

# jailc why: the variables the launcher sets over the profile's rules.
(cd "$T" && "$JAILC" why DISPLAY own.jail && "$JAILC" why HTTPS_PROXY own.jail &&
    "$JAILC" why --format json DBUS_SESSION_BUS_ADDRESS own.jail) \
    >"$T/why.txt" 2>&1
grep -q "^DISPLAY: set by the launcher for gui.x11" "$T/why.txt" &&
    grep -q '^HTTPS_PROXY: set by the launcher for network.mode = "proxy"' \
        "$T/why.txt" &&
    grep -q '"verdict": "launcher"' "$T/why.txt" &&
    grep -q '"by": "gui.dbus' "$T/why.txt"
rc=$?
tap $rc "jailc why: DISPLAY, HTTPS_PROXY and the bus address are the launcher's"
[ $rc -ne 0 ] && tap_diag "$(cat "$T/why.txt")"

tap_done
