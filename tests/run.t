#!/bin/sh
# run.t - jailc run PROFILE [ARGS...]: a shipped name or a file is
# compiled into a single-file launcher kept in the user's cache and run
# in a real bwrap jail; a second run reuses the launcher (no compile, no
# second lint report), a changed file anywhere in the extends chain
# compiles again, and a cache directory or entry someone else could have
# written (a symbolic link, group- or world-writable, another user's) is
# refused before anything runs.  As root and as the unprivileged user
# jailtest.
. tests/lib.sh

case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac
tap_jail_users

T=$(mktemp -d /tmp/jailc-run.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
trap 'rm -rf "$T"' EXIT
[ -n "${KEEP-}" ] && trap - EXIT
if [ -n "$root_skip" ] && [ -n "$user_skip" ]; then
	echo "1..0 # SKIP $root_skip"
	exit 0
fi

# The profiles: p.jail extends parent.jail extends base; parent sets a
# variable the jail shows, and allows a credential (a lint note).
mkdir -p "$T/shipped" "$T/proj"
cat >"$T/parent.jail" <<'EOF'
version = 1
name = "parent"
extends = ["base"]
[env]
allow = ["ANTHROPIC_API_KEY"]
set = { RUN_T = "one" }
EOF
cat >"$T/p.jail" <<EOF
version = 1
name = "runt"
extends = ["./parent.jail"]
[command]
exec = "/bin/sh"
args = ["-c", "echo \"\$\$RUN_T:\$\$*\" >\"\$\$0\"", "$T/proj/out"]
[[mount]]
rw = "$T/proj"
EOF
cp "$T/p.jail" "$T/shipped/runt.jail"
cp "$T/parent.jail" "$T/shipped/parent.jail"
chmod -R a+rX "$T"

C=$T/cache/jailc
# run from the project, which the jail mounts
cd "$T/proj" || exit 1
entries() { find "$C" -mindepth 1 -maxdepth 1 -name '[0-9a-f]*' | wc -l; }

if [ -n "$root_skip" ]; then
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
		tap_skip "jailc run as root (case $i)" "$root_skip"
	done
else
	# --- a file ---------------------------------------------------
	rm -f "$T/proj/out"
	XDG_CACHE_HOME=$T/cache "$JAILC" run "$T/p.jail" a --help \
	    >"$T/o1" 2>"$T/e1"
	r=$?
	[ $r -eq 0 ] && [ "$(cat "$T/proj/out" 2>/dev/null)" = "one:a --help" ]
	tap $? "run FILE runs the jail with ARGS, --help included (status $r)"
	[ $r -eq 0 ] || tap_diag "$(cat "$T/e1")"
	grep -q 'env-allow-secret' "$T/e1"
	tap $? "the first run (a compile) reports lint's note"
	[ "$(stat -c %a "$C")" = 700 ] && [ "$(stat -c %a "$T/cache")" = 700 ]
	tap $? "the cache directory is made mode 0700"
	[ "$(entries)" -eq 1 ] &&
		[ -z "$(find "$C" -type f -perm /022)" ] &&
		[ -z "$(find "$C" -name '.*' -type f)" ]
	tap $? "one launcher, writable by no one else, no temporary left"
	e=$(find "$C" -mindepth 1 -maxdepth 1 -type f)
	before=$(stat -c '%i %Y' "$e")
	touch -d '2001-01-01' "$e"
	before=$(stat -c '%i %Y' "$e")

	# --- a cache hit ----------------------------------------------
	rm -f "$T/proj/out"
	XDG_CACHE_HOME=$T/cache "$JAILC" run "$T/p.jail" b >"$T/o2" 2>"$T/e2"
	r=$?
	[ $r -eq 0 ] && [ "$(cat "$T/proj/out" 2>/dev/null)" = "one:b" ]
	tap $? "a second run runs the jail (status $r)"
	[ "$(stat -c '%i %Y' "$e")" = "$before" ] && [ "$(entries)" -eq 1 ]
	tap $? "a second run reuses the launcher: not written again"
	! grep -q 'env-allow-secret' "$T/e2"
	tap $? "a cache hit does not report lint's note again"

	# --- a changed parent -----------------------------------------
	sed -i 's/"one"/"two"/' "$T/parent.jail"
	rm -f "$T/proj/out"
	XDG_CACHE_HOME=$T/cache "$JAILC" run "$T/p.jail" c >"$T/o3" 2>"$T/e3"
	[ "$(cat "$T/proj/out" 2>/dev/null)" = "two:c" ] && [ "$(entries)" -eq 2 ]
	tap $? "a changed parent in the extends chain compiles again"
	sed -i 's/"two"/"one"/' "$T/parent.jail"

	# --- a shipped name -------------------------------------------
	rm -f "$T/proj/out"
	JAILC_PATH=$T/shipped:$JAILC_PATH XDG_CACHE_HOME=$T/cache "$JAILC" run runt d \
	    >"$T/o4" 2>"$T/e4"
	r=$?
	[ $r -eq 0 ] && [ "$(cat "$T/proj/out" 2>/dev/null)" = "one:d" ]
	tap $? "run NAME finds a shipped profile on JAILC_PATH (status $r)"
	[ $r -eq 0 ] || tap_diag "$(cat "$T/e4")"
	JAILC_PATH=$T/shipped:$JAILC_PATH XDG_CACHE_HOME=$T/cache "$JAILC" run nosuch \
	    >/dev/null 2>"$T/e5"
	[ $? -eq 2 ] && grep -q "no shipped profile 'nosuch'" "$T/e5"
	tap $? "an unknown shipped name is refused, with where it looked"

	# --- a profile with errors ------------------------------------
	printf 'version = 1\nname = "bad"\n[command]\nexec = "/bin/sh"\n[[mount]]\nro = "relative"\n' \
	    >"$T/bad.jail"
	n=$(entries)
	XDG_CACHE_HOME=$T/cache "$JAILC" run "$T/bad.jail" >/dev/null 2>"$T/e6"
	[ $? -eq 1 ] && grep -q 'error:' "$T/e6" && [ "$(entries)" -eq "$n" ]
	tap $? "a profile with errors: its diagnostics, status 1, no launcher"

	# --- a cache that is not safe ---------------------------------
	mkdir -p "$T/elsewhere"
	rm -f "$T/proj/out"
	mkdir -p "$T/cl"
	ln -s "$T/elsewhere" "$T/cl/jailc"
	XDG_CACHE_HOME=$T/cl "$JAILC" run "$T/p.jail" >/dev/null 2>"$T/e7"
	[ $? -eq 2 ] && grep -q 'symbolic link' "$T/e7" &&
		[ ! -e "$T/proj/out" ] && [ -z "$(ls "$T/elsewhere")" ]
	tap $? "a cache directory that is a symbolic link is refused"
	[ -s "$T/e7" ] && tap_diag "$(cat "$T/e7")"
	chmod 0770 "$C"
	XDG_CACHE_HOME=$T/cache "$JAILC" run "$T/p.jail" >/dev/null 2>"$T/e8"
	[ $? -eq 2 ] && grep -q 'writable by group or others' "$T/e8" &&
		[ ! -e "$T/proj/out" ]
	tap $? "a group-writable cache directory is refused"
	chmod 0700 "$C"
	chmod 0757 "$e"
	XDG_CACHE_HOME=$T/cache "$JAILC" run "$T/p.jail" >/dev/null 2>"$T/e9"
	[ $? -eq 2 ] && grep -q 'writable by group or others' "$T/e9" &&
		[ ! -e "$T/proj/out" ]
	tap $? "a world-writable launcher in the cache is refused"
	chmod 0700 "$e"
	mv "$e" "$T/moved"
	ln -s "$T/moved" "$e"
	XDG_CACHE_HOME=$T/cache "$JAILC" run "$T/p.jail" >/dev/null 2>"$T/e10"
	[ $? -eq 2 ] && grep -q 'symbolic link' "$T/e10" &&
		[ ! -e "$T/proj/out" ]
	tap $? "a launcher in the cache that is a symbolic link is refused"
	rm -f "$e"
	XDG_CACHE_HOME=$T/cache "$JAILC" run "$T/p.jail" x >/dev/null 2>&1
	[ "$(cat "$T/proj/out" 2>/dev/null)" = "one:x" ] && [ -f "$e" ] &&
		[ ! -L "$e" ]
	tap $? "with the link gone, the launcher is compiled again"
	sh -c 'exit 0'
fi

# --- the unprivileged user --------------------------------------------
if [ -n "$user_skip" ]; then
	for i in 1 2 3; do
		tap_skip "jailc run as a user (case $i)" "$user_skip"
	done
else
	asuser() {
		if [ "$user_via" = setpriv ]; then
			setpriv --reuid=jailtest --regid=jailtest --clear-groups \
			    env HOME=/nonexistent JAILRUN="$JAILRUN" "$@"
		else
			"$@"
		fi
	}
	# jailc and the shipped profiles where the user reaches them
	JAILC=$(tap_user_reach "$T" "$JAILC") &&
		JAILC_PATH=$(tap_user_reach "$T" "${JAILC_PATH%%:*}") || exit 1
	export JAILC_PATH
	mkdir -p "$T/u"
	[ "$user_via" = setpriv ] && chown jailtest:jailtest "$T/u" "$T/proj"
	rm -f "$T/proj/out"
	asuser env XDG_CACHE_HOME="$T/u/cache" "$JAILC" run "$T/p.jail" u \
	    >"$T/u1" 2>"$T/ue1"
	r=$?
	[ $r -eq 0 ] && [ "$(cat "$T/proj/out" 2>/dev/null)" = "one:u" ] &&
		[ "$(stat -c %a "$T/u/cache/jailc")" = 700 ]
	tap $? "a user's run compiles into a cache of its own (status $r)"
	[ $r -eq 0 ] || tap_diag "$(cat "$T/ue1")"
	if [ "$user_via" = setpriv ]; then
		# root's cache, 0755: another user's, refused
		mkdir -p "$T/rc/jailc"
		chmod 0755 "$T/rc" "$T/rc/jailc"
		rm -f "$T/proj/out"
		asuser env XDG_CACHE_HOME="$T/rc" "$JAILC" run "$T/p.jail" \
		    >/dev/null 2>"$T/ue2"
		[ $? -eq 2 ] && grep -q 'not by you' "$T/ue2" &&
			[ ! -e "$T/proj/out" ]
		tap $? "a cache directory owned by another user is refused"
		ln -s "$T/elsewhere" "$T/u/cache/jailc.l"
		mv "$T/u/cache/jailc" "$T/u/cache/jailc.d"
		mv "$T/u/cache/jailc.l" "$T/u/cache/jailc"
		asuser env XDG_CACHE_HOME="$T/u/cache" "$JAILC" run "$T/p.jail" \
		    >/dev/null 2>"$T/ue3"
		[ $? -eq 2 ] && grep -q 'symbolic link' "$T/ue3"
		tap $? "a user's cache directory that is a symbolic link is refused"
	else
		tap_skip "a cache owned by another user" "not root: no other user"
		tap_skip "a user's cache that is a link" "not root"
	fi
fi

tap_done
