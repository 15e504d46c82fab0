#!/bin/sh
# state.t - state on the host, in real bwrap jails, with both forms of
# launcher (the shell wrapper and the single file), as root and as the
# unprivileged user jailtest:
#  - a mount of a missing single file with create = "file" makes it, an
#    empty regular file of mode 0600, and never through a symbolic link
#    left in its place;
#  - generated files (a data mount, the gitconfig) bound into a writable
#    bind leave no empty file or directory in the host's directory when
#    the jail exits, and a file the user had there is untouched.
. tests/lib.sh

case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac
tap_jail_users

T=$(mktemp -d /tmp/jailc-state.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
# jailc and the shipped profiles where the user reaches them
JAILC=$(tap_user_reach "$T" "$JAILC") &&
	JAILC_PATH=$(tap_user_reach "$T" "${JAILC_PATH%%:*}") || exit 1
export JAILC_PATH
trap 'rm -rf "$T"' EXIT
[ -n "${KEEP-}" ] && trap - EXIT

# profile NAME TOML: /bin/sh -c ARGS..., the project writable, compiled
# into $T/NAME.shell and $T/NAME.exe.
profile() {
	{
		printf 'version = 1\nname = "%s"\nextends = ["base", "git"]\n' "$1"
		printf '[command]\nexec = "/bin/sh"\n'
		printf '[[mount]]\nrw = "${PROJECT_ROOT}"\n'
		printf '%s\n' "$2"
	} >"$T/$1.jail"
	"$JAILC" compile --standalone -o "$T/$1.shell" "$T/$1.jail" \
	    2>"$T/$1.err" &&
		"$JAILC" compile -t exe -o "$T/$1.exe" "$T/$1.jail" \
		    2>>"$T/$1.err" &&
		chmod 0755 "$T/$1.shell" "$T/$1.exe"
}
profile file '[[mount]]
rw = "~/.claude/history.jsonl"
create = "file"'
r=$?
tap $r 'a profile with create = "file" compiles'
[ $r -eq 0 ] || tap_diag "$(cat "$T/file.err")"
"$JAILC" compile -t plan "$T/file.jail" 2>/dev/null |
	grep -q '^mkfile ${HOME}/.claude/history.jsonl '
tap $? 'its plan makes the file: mkfile ${HOME}/.claude/history.jsonl'
profile gen '[[mount]]
data = "read me\n"
dest = "${PROJECT_ROOT}/SANDBOX.md"
[[mount]]
data = "deep\n"
dest = "${PROJECT_ROOT}/.jail/notes/NOTE.md"
[git]
identity = "host"'
tap $? "a profile with data mounts in the project and a gitconfig compiles"

# as WHO CMD...: run CMD as root, or as jailtest with its own HOME.
as() {
	as_who=$1
	shift
	if [ "$as_who" = user ] && [ "$user_via" = setpriv ]; then
		setpriv --reuid=jailtest --regid=jailtest --clear-groups \
		    env HOME="$HOME" "$@"
	else
		"$@"
	fi
}
# fresh WHO: a new home and project for WHO (owned by it).
fresh() {
	rm -rf "${T:?}/home" "${T:?}/proj" "${T:?}/outside"
	mkdir -p "$T/home" "$T/proj" "$T/outside"
	git -C "$T/proj" init -q
	if [ "$1" = user ] && [ "$user_via" = setpriv ]; then
		chown -R jailtest:jailtest "$T/home" "$T/proj" "$T/outside"
	fi
}
# empties DIR...: the empty files and directories under DIR, .git left
# out.
empties() {
	find "$@" -path '*/.git' -prune -o -empty -print | sort
}

for who in root user; do
	if [ "$who" = root ]; then skip=$root_skip; else skip=$user_skip; fi
	for form in shell exe; do
		if [ -n "$skip" ]; then
			for i in 1 2 3 4 5; do
				tap_skip "$who, $form launcher (case $i)" "$skip"
			done
			continue
		fi
		# run NAME ARGS: the launcher's first word is the name
		run() {
			rn=$1
			shift
			if [ "$form" = shell ]; then
				as "$who" bash "$T/$rn.shell" "$@"
			else
				as "$who" "$T/$rn.exe" "$@"
			fi
		}

		# --- create = "file" ---------------------------------
		fresh "$who"
		(cd "$T/proj" && HOME=$T/home run file -c \
		    'echo line >>"$HOME/.claude/history.jsonl"') \
		    >"$T/out" 2>&1
		r=$?
		h=$T/home/.claude/history.jsonl
		[ $r -eq 0 ] && [ -f "$h" ] && [ ! -L "$h" ] &&
			[ "$(cat "$h")" = line ] &&
			[ "$(stat -c %a "$h")" = 600 ]
		tap $? "$who, $form: create = \"file\" makes the missing file, 0600, and the jail writes it (status $r)"
		[ $r -eq 0 ] || tap_diag "$(cat "$T/out")"

		fresh "$who"
		mkdir -p "$T/home/.claude"
		ln -s "$T/outside/planted" "$T/home/.claude/history.jsonl"
		[ "$who" = user ] && [ "$user_via" = setpriv ] &&
			chown -R -h jailtest:jailtest "$T/home"
		(cd "$T/proj" && HOME=$T/home run file -c 'true') \
		    >"$T/out" 2>&1
		r=$?
		[ $r -ne 0 ] && [ ! -e "$T/outside/planted" ] &&
			[ -L "$T/home/.claude/history.jsonl" ]
		tap $? "$who, $form: a dangling link in its place is not followed: nothing made outside (status $r)"

		# --- generated files leave nothing behind ------------
		fresh "$who"
		before=$(empties "$T/proj" "$T/home")
		(cd "$T/proj" && HOME=$T/home run gen -c \
		    'cat SANDBOX.md .jail/notes/NOTE.md && git config user.name') \
		    >"$T/out" 2>&1
		r=$?
		[ $r -eq 0 ] && grep -q '^read me$' "$T/out" &&
			grep -q '^deep$' "$T/out"
		tap $? "$who, $form: the data mounts are there in the jail (status $r)"
		[ $r -eq 0 ] || tap_diag "$(cat "$T/out")"
		after=$(empties "$T/proj" "$T/home")
		[ "$before" = "$after" ] && [ ! -e "$T/proj/SANDBOX.md" ] &&
			[ ! -e "$T/proj/.jail" ]
		tap $? "$who, $form: no empty file or directory is left in the project or home"
		[ "$before" = "$after" ] || tap_diag "before: $before" "after: $after"

		# the user's own (empty) file, and a directory the jail
		# wrote in, stay
		fresh "$who"
		: >"$T/proj/SANDBOX.md"
		[ "$who" = user ] && [ "$user_via" = setpriv ] &&
			chown jailtest:jailtest "$T/proj/SANDBOX.md"
		(cd "$T/proj" && HOME=$T/home run gen -c \
		    'echo x >.jail/kept') >"$T/out" 2>&1
		[ -f "$T/proj/SANDBOX.md" ] && [ -f "$T/proj/.jail/kept" ] &&
			[ ! -e "$T/proj/.jail/notes" ]
		tap $? "$who, $form: the user's own empty file and what the jail wrote stay; only the empty mount points go"
	done
done

# --- jailc state list and gc --------------------------------------------
profile pp '[state]
per-project = "${HOME}/.local/state/jail/${PROJECT_ID}"'
tap $? "a profile with state.per-project compiles"
# id PATH: the PROJECT_ID of PATH
id16() { printf '%s' "$1" | sha256sum | cut -c1-16; }

for who in root user; do
	if [ "$who" = root ]; then skip=$root_skip; else skip=$user_skip; fi
	if [ -n "$skip" ]; then
		for i in 1 2 3 4 5 6 7 8; do
			tap_skip "$who: jailc state (case $i)" "$skip"
		done
		continue
	fi
	fresh "$who"
	S=$T/home/.local/state/jail
	mkdir -p "$T/p1" "$T/p2"
	[ "$who" = user ] && [ "$user_via" = setpriv ] &&
		chown jailtest:jailtest "$T/p1" "$T/p2"
	# a link planted where the record goes is replaced, not followed
	mkdir -p "$S/$(id16 "$T/p1")"
	ln -s "$T/outside/victim" "$S/$(id16 "$T/p1")/.jailc-project"
	[ "$who" = user ] && [ "$user_via" = setpriv ] &&
		chown -R -h jailtest:jailtest "$T/home"
	(cd "$T/p1" && HOME=$T/home as "$who" bash "$T/pp.shell" -c true) \
	    >"$T/out" 2>&1 &&
		(cd "$T/p2" && HOME=$T/home as "$who" "$T/pp.exe" -c true) \
		    >>"$T/out" 2>&1
	r=$?
	m1=$S/$(id16 "$T/p1")/.jailc-project
	m2=$S/$(id16 "$T/p2")/.jailc-project
	[ $r -eq 0 ] && [ "$(cat "$m1")" = "$T/p1" ] &&
		[ "$(cat "$m2")" = "$T/p2" ] && [ ! -L "$m1" ]
	tap $? "$who: both launchers record the project in its state directory (status $r)"
	[ $r -eq 0 ] || tap_diag "$(cat "$T/out")"
	[ ! -e "$T/outside/victim" ]
	tap $? "$who: a link planted in the record's place is not followed"

	# p2 is gone; plant what gc must leave alone
	rm -rf "$T/p2"
	g=$S/$(id16 "$T/p2")
	mkdir -p "$T/outside/dir"
	echo keep >"$T/outside/dir/keep"
	ln -s "$T/outside/dir" "$g/link"
	mkdir -p "$g/sub" && echo x >"$g/sub/file"
	mkdir -p "$S/nomark"
	mkdir -p "$S/forged" && echo "$T/nowhere" >"$S/forged/.jailc-project"
	ln -s "$T/outside/dir" "$S/$(id16 "$T/nowhere2")"
	[ "$who" = user ] && [ "$user_via" = setpriv ] &&
		chown -R -h jailtest:jailtest "$T/home" "$T/outside"
	HOME=$T/home as "$who" "$JAILC" state list "$T/pp.jail" >"$T/list" 2>&1
	r=$?
	printf '%s\n' "$S/$(id16 "$T/p1")	exists	$T/p1" \
	    "$g	gone	$T/p2" "$S/forged	unverified	$T/nowhere" \
	    "$S/nomark	unknown	-" | sort >"$T/want"
	grep -v 'not-a-dir' "$T/list" | sort >"$T/got"
	[ $r -eq 0 ] && cmp -s "$T/want" "$T/got" &&
		grep -q "^$S/$(id16 "$T/nowhere2")	not-a-dir	-\$" "$T/list"
	tap $? "$who: state list: each directory, its project and whether it exists"
	cmp -s "$T/want" "$T/got" || tap_diag "$(cat "$T/list")"

	HOME=$T/home as "$who" "$JAILC" state gc "$T/pp.jail" >"$T/gc" 2>&1
	r=$?
	[ $r -eq 0 ] && [ -d "$g" ] && grep -q "^would remove $g " "$T/gc" &&
		[ "$(grep -c 'would remove' "$T/gc")" -eq 1 ]
	tap $? "$who: state gc without --remove removes nothing, and says what it would"

	HOME=$T/home as "$who" "$JAILC" state gc --remove "$T/pp.jail" \
	    >"$T/gc" 2>&1
	r=$?
	[ $r -eq 0 ] && [ ! -e "$g" ] && grep -q "^removed $g " "$T/gc"
	tap $? "$who: state gc --remove removes the gone project's directory and says so"
	[ -f "$T/outside/dir/keep" ] && [ -L "$S/$(id16 "$T/nowhere2")" ]
	tap $? "$who: gc follows no link: what a link in it or in the base names stays"
	[ -d "$S/$(id16 "$T/p1")" ] && [ -d "$S/nomark" ] &&
		[ -f "$S/forged/.jailc-project" ]
	tap $? "$who: gc leaves the live project's, an unknown and a forged directory"
	HOME=$T/home as "$who" "$JAILC" state gc --remove "$T/pp.jail" \
	    >"$T/gc" 2>&1
	[ $? -eq 0 ] && [ ! -s "$T/gc" ]
	tap $? "$who: a second gc has nothing to do"
done

tap_done
