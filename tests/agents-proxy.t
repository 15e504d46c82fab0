#!/bin/sh
# agents-proxy.t - the real Claude Code, from the npm registry, runs one
# non-interactive turn (claude -p) in the shipped claude profile, with
# network.mode = "proxy", against a stand-in for the Messages API on the
# host's loopback (tests/tools/messages-api.py).  The test profile only
# mounts the install and adds the stand-in's address to network.allow;
# the jail has its own network namespace, so the request can reach the
# host only through the launcher's proxy, and the stand-in sees it
# relayed (Connection: close, no Proxy-* fields).  Without the address
# in the allowlist the turn fails with the proxy's refusal, the
# stand-in sees nothing, and the launcher's summary names the address.
# Both forms of launcher, as root and as the unprivileged user jailtest.
# Older kernels: the same turn on a kernel without Landlock and on one
# with Landlock ABI 4 (Linux 6.8, no abstract-socket scope), both played
# by build/nolandlock, where the shipped profile with network.mode =
# "host" stops with 125 (the control that the simulation bites).
# Claude Code comes from build/agents/claude, installed (and kept) as
# tests/agents.t does; without it every case is skipped with the reason.
. tests/lib.sh
case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac

# Not under the source tree: the unprivileged user must reach it.
TMP=$(mktemp -d /tmp/jailc-agproxy.XXXXXX) || exit 1
chmod 0755 "$TMP"
tap_user_runtime "$TMP" || exit 1
mock=
trap '[ -n "$mock" ] && kill "$mock" 2>/dev/null; rm -rf "$TMP"' EXIT
[ -n "${KEEP-}" ] && trap '[ -n "$mock" ] && kill "$mock" 2>/dev/null' EXIT

NOLL=$PWD/build/nolandlock
# sets prefix, and skip when there is no Claude Code
tap_npm_agent claude @anthropic-ai/claude-code claude
py=
for c in /usr/bin/python3 python3; do
	command -v "$c" >/dev/null 2>&1 && py=$(command -v "$c") && break
done
[ -z "$skip" ] && [ -z "$py" ] && skip="python3 not found"
[ -z "$skip" ] && ! command -v timeout >/dev/null && skip="timeout not found"
[ -z "$skip" ] && [ ! -x "$NOLL" ] && skip="build/nolandlock not built (make build/nolandlock)"

tap_jail_users
uid0=
[ "$(id -u)" = 0 ] && uid0=1

# The stand-in, on a port of its choosing.
word=jailc-pong-$$
if [ -z "$skip" ]; then
	"$py" tests/tools/messages-api.py "$TMP/port" "$TMP/api.log" "$word" \
	    2>"$TMP/api.err" &
	mock=$!
	tap_waitfor "$TMP/port"
	tap $? "the Messages API stand-in listens"
	if [ ! -s "$TMP/port" ]; then
		tap_diag "$(cat "$TMP/api.err")"
		skip="the Messages API stand-in did not start"
	fi
fi
port=$(cat "$TMP/port" 2>/dev/null)

# compile NAME ALLOW: $TMP/NAME.jail extends the shipped claude with
# the install read-only and network.allow ALLOW, into both forms.
compile() {
	if [ -n "$2" ]; then
		printf 'version = 1\nextends = ["claude"]\n[[mount]]\nro = "%s"\n[network]\nallow = ["%s"]\n' \
		    "$prefix" "$2" >"$TMP/$1.jail"
	else
		printf 'version = 1\nextends = ["claude"]\n[[mount]]\nro = "%s"\n[network]\nmode = "host"\n' \
		    "$prefix" >"$TMP/$1.jail"
	fi
	"$JAILC" compile --standalone \
	    -D PATH="$prefix/node_modules/.bin:/usr/bin:/bin" \
	    -o "$TMP/$1.shell" "$TMP/$1.jail" 2>"$TMP/$1.err" &&
	    "$JAILC" compile -t exe \
	    -D PATH="$prefix/node_modules/.bin:/usr/bin:/bin" \
	    -o "$TMP/$1.exe" "$TMP/$1.jail" 2>>"$TMP/$1.err" &&
	    chmod 0755 "$TMP/$1.shell" "$TMP/$1.exe" && return 0
	tap_diag "cannot compile $1:" "$(cat "$TMP/$1.err")"
	return 1
}

if [ -n "$skip" ]; then
	tap_skip "the test profiles compile" "$skip"
else
	compile ok "127.0.0.1:$port" && compile other "127.0.0.1:1" &&
		compile host ""
	tap $? "the test profiles compile (the stand-in's address allowed, or another port; host mode)"
	[ -x "$TMP/other.exe" ] || skip="the test profiles did not compile"
fi

# as WHO COMMAND...: COMMAND as root, or as the unprivileged user.
as() {
	a_who=$1
	shift
	if [ "$a_who" = user ] && [ -n "$uid0" ]; then
		setpriv --reuid=jailtest --regid=jailtest --clear-groups "$@"
	else
		"$@"
	fi
}

# turn NAME [WRAPPER...]: one claude -p turn with the launcher NAME in $form, as
# $who, from a fresh project with a fresh fake home; the launcher's
# refusals in $TMP/net.log.  Output in $TMP/out and $TMP/err, status rc.
turn() {
	t_name=$1
	shift
	d=$TMP/$who-$form-$t_name${1:+-$2}
	mkdir -p "$d/home" "$d/tmp" "$d/proj" && chmod 0700 "$d/tmp" &&
		git init -q "$d/proj" || return 1
	: >"$TMP/net.log"
	if [ "$who" = user ] && [ -n "$uid0" ]; then
		chown -R jailtest:jailtest "$d" && chmod 0666 "$TMP/net.log" ||
			return 1
	fi
	: >"$TMP/api.log"
	# (a jail without the proxy refuses --jail-net-log)
	nlf=--jail-net-log
	[ "$t_name" = host ] && nlf=--
	(cd "$d/proj" && as "$who" env -i PATH="$PATH" HOME="$d/home" \
	    USER="$(as "$who" id -un)" TMPDIR="$d/tmp" NO_COLOR=1 \
	    ANTHROPIC_API_KEY=sk-ant-api03-jailc-test-not-a-key \
	    ANTHROPIC_BASE_URL="http://127.0.0.1:$port" \
	    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
	    timeout 60 "$@" "$TMP/$t_name.$form" $nlf "$TMP/net.log" \
	    -p 'say the word') >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
}

for who in root user; do
	for form in shell exe; do
		l="claude -p [$who, $form]"
		eval "s=\${skip:-\$${who}_skip}"
		if [ -n "$s" ]; then
			tap_skip "$l: one turn through the proxy" "$s"
			continue
		fi
		turn ok
		[ "$rc" -eq 0 ] && grep -qx "$word" "$TMP/out"
		r=$?
		tap $r "$l: one turn through the proxy answers the stand-in's word"
		[ $r = 0 ] ||
			tap_diag "exit status $rc:" "$(cat "$TMP/out" "$TMP/err")"
		grep -q '"method": "POST", "path": "/v1/messages' "$TMP/api.log" &&
			! grep -v -q '"connection": "close", "proxy_fields": \[\]' \
			    "$TMP/api.log"
		tap $? "$l: the stand-in saw the request, relayed by the proxy"
		[ -s "$TMP/api.log" ] || tap_diag "the stand-in saw nothing"
		[ ! -s "$TMP/net.log" ]
		tap $? "$l: nothing refused"
		[ -s "$TMP/net.log" ] && tap_diag "$(cat "$TMP/net.log")"

		turn other
		[ "$rc" -ne 0 ] &&
			grep -q "403 claude: 127.0.0.1:$port not in network.allow" \
			    "$TMP/out" "$TMP/err"
		tap $? "$l: not in the allowlist, the turn fails with the proxy's refusal"
		[ ! -s "$TMP/api.log" ]
		tap $? "$l: ... and the stand-in sees nothing"
		grep -q "127.0.0.1:$port  *not in network.allow" "$TMP/err" &&
			grep -qx "1 127.0.0.1:$port not in network.allow" \
			    "$TMP/net.log"
		tap $? "$l: ... and the summary and --jail-net-log name it"
		grep -q "127.0.0.1:$port" "$TMP/err" "$TMP/net.log" ||
			tap_diag "$(cat "$TMP/out" "$TMP/err" "$TMP/net.log")"

		for k in nosys abi4; do
			case $k in
			nosys) kern="a kernel without Landlock" have="no Landlock" ;;
			abi4) kern="Landlock ABI 4 (Linux 6.8)" have="Landlock ABI 4" ;;
			esac
			turn ok "$NOLL" "$k"
			[ "$rc" -eq 0 ] && grep -qx "$word" "$TMP/out" &&
				grep -q '"path": "/v1/messages' "$TMP/api.log"
			tap $? "$l, $kern: the proxy jail runs the turn"
			[ "$rc" -eq 0 ] ||
				tap_diag "exit status $rc:" "$(cat "$TMP/out" "$TMP/err")"
			turn host "$NOLL" "$k"
			[ "$rc" -eq 125 ] && [ ! -s "$TMP/api.log" ] &&
				grep -q "cannot be kept out of the jail: .*this kernel has $have;" \
				    "$TMP/err"
			tap $? "$l, $kern: with mode = host it stops with 125 ($rc)"
			[ "$rc" -eq 125 ] || tap_diag "$(cat "$TMP/out" "$TMP/err")"
		done
	done
done

tap_done
