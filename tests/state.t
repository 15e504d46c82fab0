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
	rm -rf "$T/home" "$T/proj" "$T/outside"
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

tap_done
