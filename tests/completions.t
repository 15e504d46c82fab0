#!/bin/sh
# completions.t - the bash, zsh and fish completions load, complete the
# subcommands, options and option values, and name every subcommand and
# option that `jailc ... --help` lists (so they cannot drift apart).
. tests/lib.sh
tap_tmpdir completions
B=completions/jailc.bash
Z=completions/_jailc
F=completions/jailc.fish

# --- bash (always present) ---------------------------------------------
out=$(bash --norc --noprofile -c '. "$1" && complete -p jailc' bash "$B" 2>&1)
echo "$out" | grep -q -- '-F _jailc jailc$'
r=$?
tap $r "bash: complete -p jailc names _jailc"
[ $r -eq 0 ] || tap_diag "$out"

# bcomp LINE: what _jailc offers for LINE (the cursor at its end), one a
# line.  No bash-completion here, so this runs the COMP_WORDS fallback.
bcomp() {
	# shellcheck disable=SC2016 # expanded by bash, not here
	bash --norc --noprofile -c '. "$1" || exit 1
		COMP_LINE=$2 COMP_POINT=${#2}
		read -ra COMP_WORDS <<<"$2"
		[[ $2 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_jailc jailc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' bash "$B" "$1"
}
# bexpect LINE WORD...: _jailc offers exactly WORD... for LINE.
bexpect() {
	line=$1
	shift
	got=$(bcomp "$line" 2>&1)
	want=$(printf '%s\n' "$@")
	[ "$got" = "$want" ]
	tap $? "bash: '$line' completes to: $*"
	[ "$got" = "$want" ] || tap_diag "got:" "$got"
}
bexpect 'jailc ' check compile diff explain rules run score state why
bexpect 'jailc -' --help --version
bexpect 'jailc check --format ' text json sarif
bexpect 'jailc check --input-format ' toml yaml
# The targets as compile --help spells them, so a new one is caught.
targets=$("$JAILC" compile --help | sed -n 's/.*-t \([a-z|]*\)\].*/\1/p' |
	tr '|' ' ')
[ -n "$targets" ]
tap $? "compile --help lists its targets: $targets"
# shellcheck disable=SC2086
bexpect 'jailc compile -t ' $targets
bexpect 'jailc compile --input-format ' toml yaml
bexpect 'jailc compile -D ' BWRAP= GIT= DBUS_PROXY= JAILRUN= PATH=
bexpect 'jailc rules -' -h --help
bexpect 'jailc explain --format ' text json
bexpect 'jailc diff --format ' text json
bexpect 'jailc why --input-format ' toml yaml
bexpect 'jailc why --format ' text json
bexpect 'jailc why -' --format --input-format -h --help
bexpect 'jailc check --min-severity ' note warning error
bexpect 'jailc score --format ' text json
# --explain completes to the rule IDs of the jailc on the PATH.
PATH=$(cd "$(dirname "$JAILC")" && pwd):$PATH bexpect \
    'jailc check --explain mount-s' mount-secret mount-socket
bexpect 'jailc score -' --format --threshold --input-format -h --help

# Positional arguments complete to profiles (and directories), not to
# other files.
mkdir "$TMP/d" && touch "$TMP/p.jail" "$TMP/p.toml" "$TMP/p.yaml" \
    "$TMP/p.yml" "$TMP/p.txt"
got=$(bcomp "jailc check $TMP/" | sort)
want=$(printf '%s\n' "$TMP/d" "$TMP/p.jail" "$TMP/p.toml" "$TMP/p.yaml" \
    "$TMP/p.yml" | sort)
[ "$got" = "$want" ]
tap $? "bash: profile arguments complete to *.jail *.toml *.yaml *.yml"
[ "$got" = "$want" ] || tap_diag "got:" "$got"
got=$(bcomp "jailc compile -o $TMP/p.t" | sort)
want=$(printf '%s\n' "$TMP/p.toml" "$TMP/p.txt" | sort)
[ "$got" = "$want" ]
tap $? "bash: -o completes any file"
[ "$got" = "$want" ] || tap_diag "got:" "$got"

# --- zsh and fish (when present, or installable) -------------------------
missing=""
command -v zsh >/dev/null 2>&1 || missing="$missing zsh"
command -v fish >/dev/null 2>&1 || missing="$missing fish"
why="not installed (sh tools/deps.sh test)"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		# shellcheck disable=SC2086 # one word per package
		DEBIAN_FRONTEND=noninteractive timeout 120 \
		    apt-get install -y -q --no-install-recommends $missing \
		    >"$TMP/apt" 2>&1 ||
			why="not installed; apt-get install$missing failed"
	else
		why="not installed, and not root with apt-get to install it"
	fi
fi

if command -v zsh >/dev/null 2>&1; then
	# shellcheck disable=SC2016 # expanded by zsh, not here
	out=$(zsh -f -c 'autoload -U compinit; compinit -u
		fpath=(completions $fpath); autoload -U +X _jailc &&
		(( $+functions[_jailc] ))' 2>&1)
	tap $? "zsh: _jailc autoloads and defines _jailc"
	[ -n "$out" ] && tap_diag "$out"
	out=$(zsh -n "$Z" 2>&1)
	tap $? "zsh: _jailc parses"
	[ -n "$out" ] && tap_diag "$out"
else
	tap_skip "zsh: _jailc loads" "zsh $why"
fi

if command -v fish >/dev/null 2>&1; then
	out=$(fish -n "$F" 2>&1)
	tap $? "fish: jailc.fish parses"
	[ -n "$out" ] && tap_diag "$out"
	got=$(fish -c 'source completions/jailc.fish
		complete -C"jailc check --format "' 2>&1 | cut -f1 | sort)
	[ "$got" = "$(printf '%s\n' json sarif text)" ]
	tap $? "fish: 'jailc check --format ' completes to text json sarif"
	[ "$got" = "$(printf '%s\n' json sarif text)" ] || tap_diag "got:" "$got"
	got=$(fish -c 'source completions/jailc.fish
		complete -C"jailc compile -t "' 2>&1 | cut -f1 | sort)
	# shellcheck disable=SC2086
	want=$(printf '%s\n' $targets | sort)
	[ "$got" = "$want" ]
	tap $? "fish: 'jailc compile -t ' completes to $targets"
	[ "$got" = "$want" ] || tap_diag "got:" "$got"
	got=$(fish -c 'source completions/jailc.fish
		complete -C"jailc why --format "' 2>&1 | cut -f1 | sort)
	[ "$got" = "$(printf '%s\n' json text)" ]
	tap $? "fish: 'jailc why --format ' completes to text json"
	[ "$got" = "$(printf '%s\n' json text)" ] || tap_diag "got:" "$got"
else
	tap_skip "fish: jailc.fish loads" "fish $why"
fi

# --- no drift from --help -----------------------------------------------
# has FILE WORD: FILE names WORD, as an option or value in its own syntax.
has() {
	case $1:$2 in
	*.fish:--*) grep -q -- "-l ${2#--}\\( \\|\$\\)" "$1" ;;
	*.fish:-?) grep -q -- "-s ${2#-}\\( \\|\$\\)" "$1" ;;
	*) grep -Eq -- "(^|[^-[:alnum:]])$2([^-[:alnum:]]|\$)" "$1" ;;
	esac
}
# check_words WHAT WORD...: every completion file names every WORD.
check_words() {
	what=$1
	shift
	for f in "$B" "$Z" "$F"; do
		miss=""
		for w in "$@"; do
			has "$f" "$w" || miss="$miss $w"
		done
		[ -z "$miss" ]
		tap $? "$f names $what"
		[ -n "$miss" ] && tap_diag "missing:$miss"
	done
}

"$JAILC" --help >"$TMP/help" 2>&1
tap $? "jailc --help"
cmds=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' "$TMP/help")
# The global options: those of the usage line.
gopts=$(sed -n '1s/^usage: jailc //p' "$TMP/help" | grep -o -- '--*[a-z][a-z-]*')
[ -n "$cmds" ] && [ -n "$gopts" ]
tap $? "jailc --help lists commands and options"
# shellcheck disable=SC2086 # one word each
check_words "the commands and global options" $cmds $gopts

for c in $cmds; do
	"$JAILC" "$c" --help >"$TMP/help.$c" 2>&1
	tap $? "jailc $c --help"
	# Options: every -x / --xyz word that starts an options: line or
	# follows a comma there, and the usage line's options.
	opts=$(sed -n '/^options:/,/^$/s/^  \(-.*\)/\1/p' "$TMP/help.$c" |
	    sed 's/   .*//; s/,/ /g' | tr ' ' '\n' | grep -- '^-' ;
	    sed -n '/^usage:/,/^$/p' "$TMP/help.$c" |
	    grep -o -- '\[--*[A-Za-z][A-Za-z-]*' | tr -d '[')
	# Values: the alternatives of "OPTION a|b|c".
	vals=$(grep -o -- '-[a-z-]* [a-z]*|[a-z|]*' "$TMP/help.$c" |
	    sed 's/.* //' | tr '|' '\n')
	# -D NAME=...: the NAMEs.
	names=$(sed -n 's/^  -D \([A-Z][A-Z]*\)=.*/\1/p' "$TMP/help.$c")
	# shellcheck disable=SC2086,SC2046 # one word each
	check_words "'$c' options, values and -D names" \
	    $(printf '%s\n' $opts $vals $names | sort -u)
done
tap_done
