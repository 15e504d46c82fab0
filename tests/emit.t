#!/bin/sh
# emit.t - what `jailc compile` writes: the launch plan and the bash
# launcher, its failures, and the quoting of every value it emits.
#
# 1. Golden files.  Every shipped profile with a command, and every test
#    profile tests/golden/NAME.jail, has NAME.plan (`compile -t plan`,
#    the plan's text form) and NAME.sh (the launcher: a comment block,
#    then jailrun's exec with that same text as a here-document, which
#    is checked byte for byte).  A shipped profile without a command (a
#    parent such as base) cannot be compiled alone;
#    tests/golden/uses-NAME.jail gives it one.  GOLDEN_UPDATE=1 rewrites
#    the golden files (review the diff!).
# 2. Every launcher passes shellcheck as Nix's writeShellApplication runs
#    it (its shebang and `set -o` lines prepended, default severity, so
#    style and info findings count) and `bash -n -O extglob`; the
#    --standalone form passes shellcheck and `bash -n` as it is.
# 3. The failures of `jailc compile` and its -D, -t, -o and --standalone;
#    a file name that would break out of the header comment.
# 4. Quoting: profiles full of hostile strings, compiled and run with
#    --jail-print-argv (no bwrap needed), give bwrap exactly those bytes,
#    through the text form in the launcher and jailrun's reader.
. tests/lib.sh
tap_tmpdir emit

# The compile-time $BWRAP and $JAILRUN would change every launcher, and
# so would the jailrun found next to jailc: the golden launchers pin the
# installed one's default path, the quoting cases (4.) this build's.
RUNTIME=$JAILRUN
GJR=/usr/local/libexec/jailc/jailrun
unset BWRAP JAILRUN
nl='
'
have_sc=0
command -v shellcheck >/dev/null 2>&1 && have_sc=1

# size FILE: its length in bytes.
size() {
	wc -c <"$1" | tr -d ' '
}

# golden FILE GOT DESCRIPTION: GOT must equal FILE; GOLDEN_UPDATE=1 (with
# the plain build) rewrites FILE first.
golden() {
	if [ -n "${GOLDEN_UPDATE:-}" ] && [ -z "${JAILC_BIN:-}" ]; then
		cp "$2" "$1"
	fi
	if [ ! -f "$1" ]; then
		tap 1 "$3: no $1 (GOLDEN_UPDATE=1 writes it)"
	elif diff -u "$1" "$2" >"$TMP/diff"; then
		tap 0 "$3"
	else
		tap 1 "$3"
		tap_diag "$(cat "$TMP/diff")"
	fi
}

# nixwrap BODY OUT: BODY as writeShellApplication writes it.
nixwrap() {
	{
		printf '#!/usr/bin/env bash\n'
		printf 'set -o errexit\nset -o nounset\nset -o pipefail\n\n'
		printf 'export PATH="/nix/store/0000-jail-inputs/bin:$PATH"\n\n'
		cat "$1"
	} >"$2"
}

# mode FILE PERMS: whether ls -l shows FILE with PERMS (-rw-r--r--).
mode() {
	perms=$(ls -ld "$1") || return 1
	case $perms in
	"$2 "*) return 0 ;;
	esac
	return 1
}

# sc_ok FILE DESCRIPTION [OPTIONS...]: shellcheck FILE.
sc_ok() {
	f=$1 d=$2
	shift 2
	if [ "$have_sc" = 0 ]; then
		tap_skip "$d" "shellcheck not installed"
		return
	fi
	out=$(shellcheck "$@" "$f" 2>&1)
	tap $? "$d"
	[ -n "$out" ] && tap_diag "$out"
}

# bash_n FILE DESCRIPTION [OPTIONS...]
bash_n() {
	f=$1 d=$2
	shift 2
	out=$(bash -n "$@" "$f" 2>&1)
	tap $? "$d"
	[ -n "$out" ] && tap_diag "$out"
}

# emit PROFILE NAME: the golden files and checks of one profile.
emit() {
	p=$1 name=$2 g=tests/golden/$2
	"$JAILC" compile -t plan "$p" >"$TMP/plan" 2>"$TMP/err"
	rc=$?
	tap "$rc" "$name: compile -t plan exits 0"
	[ "$rc" -eq 0 ] || tap_diag "$(cat "$TMP/err")"
	golden "$g.plan" "$TMP/plan" "$name: plan equals $g.plan"

	"$JAILC" compile -D "JAILRUN=$GJR" "$p" >"$TMP/sh" 2>"$TMP/err"
	tap $? "$name: compile exits 0"
	golden "$g.sh" "$TMP/sh" "$name: launcher equals $g.sh"
	# the here-document is the plan, byte for byte, and nothing else
	sed -n "/<<'JAILC_PLAN'\$/,/^JAILC_PLAN\$/p" "$TMP/sh" | sed '1d;$d' |
	    cmp -s - "$TMP/plan"
	tap $? "$name: the launcher carries the plan as -t plan writes it"
	[ "$(grep -c '^JAILC_PLAN$' "$TMP/sh")" = 1 ] &&
	    [ "$(sed -n '$p' "$TMP/sh")" = JAILC_PLAN ]
	tap $? "$name: one here-document, the launcher's last line ends it"
	nixwrap "$TMP/sh" "$TMP/nix"
	sc_ok "$TMP/nix" "$name: shellcheck, as writeShellApplication"
	bash_n "$TMP/nix" "$name: bash -n -O extglob, as writeShellApplication" \
	    -O extglob

	"$JAILC" compile --standalone -D "JAILRUN=$GJR" "$p" >"$TMP/st" \
	    2>"$TMP/err"
	tap $? "$name: compile --standalone exits 0"
	{
		printf '#!/bin/sh\n'
		cat "$TMP/sh"
	} | cmp -s - "$TMP/st"
	tap $? "$name: --standalone is the shebang and the launcher"
	sc_ok "$TMP/st" "$name: shellcheck --standalone"
	bash_n "$TMP/st" "$name: bash -n --standalone"
}

# 1, 2: the shipped profiles, then the test profiles.
for p in profiles/*.jail; do
	name=${p##*/}
	name=${name%.jail}
	if [ -f "tests/golden/$name.jail" ]; then
		tap 1 "$name: tests/golden/$name.jail shadows the shipped profile"
		continue
	fi
	"$JAILC" compile -t plan "$p" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q '\[no-command\]$' "$TMP/err"; then
		# A parent profile: compiled through tests/golden/uses-NAME.jail.
		[ ! -s "$TMP/out" ]
		tap $? "$name: no command, so no plan"
		[ -f "tests/golden/uses-$name.jail" ]
		tap $? "$name: no command; tests/golden/uses-$name.jail compiles it"
		continue
	fi
	emit "$p" "$name"
done
for p in tests/golden/*.jail; do
	name=${p##*/}
	emit "$p" "${name%.jail}"
done

# 3. Failures, and the options.
ok() { # COND DESCRIPTION
	tap "$(($1 == 0))" "$2"
}
printf 'version = 1\nname = "nocmd"\n' >"$TMP/nocmd.jail"
printf 'version = 1\nbogus = 1\n[command]\nexec = "sh"\n' >"$TMP/schema.jail"
printf 'version = 1\n[command]\nexec = "sh"\nargs = ["a\\u0000b"]\n' \
    >"$TMP/nul.jail"
printf 'version = 1\n[command]\nexec = "sh"\n[[mount]]\ndata = "a\\u0000b"\ndest = "/d"\n' \
    >"$TMP/nuldata.jail"
good=profiles/claude.jail

"$JAILC" compile -o "$TMP/o1" "$TMP/nocmd.jail" >"$TMP/out" 2>"$TMP/err"
ok $(($? == 1)) "no command.exec: exit 1"
grep -q 'no-command' "$TMP/err"
tap $? "no command.exec: the message names no-command"
[ ! -e "$TMP/o1" ]
tap $? "no command.exec: -o FILE is not created"
[ ! -s "$TMP/out" ]
tap $? "no command.exec: nothing on standard output"

"$JAILC" compile -o "$TMP/o2" "$TMP/schema.jail" >/dev/null 2>"$TMP/err"
ok $(($? == 1)) "schema error: exit 1"
grep -q 'unknown-key' "$TMP/err"
tap $? "schema error: reported"
[ ! -e "$TMP/o2" ]
tap $? "schema error: -o FILE is not created"
for f in "$TMP"/o2.tmp.* "$TMP"/o1.tmp.*; do
	[ -e "$f" ] && break
done
[ ! -e "$f" ]
tap $? "failures leave no temporary file behind"

for broken in nocmd schema nul; do
	printf 'the old launcher\n' >"$TMP/keep"
	chmod 0700 "$TMP/keep"
	"$JAILC" compile -o "$TMP/keep" "$TMP/$broken.jail" >/dev/null 2>&1
	ok $(($? == 1)) "$broken: exit 1 with an existing -o FILE"
	[ "$(cat "$TMP/keep")" = "the old launcher" ] &&
	    mode "$TMP/keep" -rwx------
	tap $? "$broken: the existing -o FILE is left untouched"
done

"$JAILC" compile "$TMP/nul.jail" >/dev/null 2>"$TMP/err"
ok $(($? == 1)) "NUL byte in command.args: exit 1"
grep -q 'nul-byte' "$TMP/err"
rc=$?
tap "$rc" "NUL byte in command.args: the message names nul-byte"
[ "$rc" -eq 0 ] || tap_diag "$(cat "$TMP/err")"
"$JAILC" compile "$TMP/nuldata.jail" >/dev/null 2>"$TMP/err"
ok $(($? == 1)) "NUL byte in mount data: exit 1"
grep -q 'nul-byte' "$TMP/err"
tap $? "NUL byte in mount data: the message names nul-byte"

"$JAILC" compile -D NOPE=1 "$good" >/dev/null 2>"$TMP/err"
ok $(($? == 2)) "-D NOPE=1: exit 2"
grep -q "unknown definition 'NOPE=1'" "$TMP/err"
tap $? "-D NOPE=1: the definition is named"
"$JAILC" compile -D BWRAP=bin/bwrap "$good" >/dev/null 2>&1
ok $(($? == 2)) "-D BWRAP=relative: exit 2"
"$JAILC" compile "$good" profiles/codex.jail >/dev/null 2>&1
ok $(($? == 2)) "two profiles: exit 2"
"$JAILC" compile -t foo "$good" >/dev/null 2>&1
ok $(($? == 2)) "-t foo: exit 2"
"$JAILC" compile "$TMP/no-such.jail" >/dev/null 2>&1
ok $(($? == 2)) "unreadable profile: exit 2"

"$JAILC" compile -D BWRAP=/opt/bwrap "$good" 2>/dev/null |
    grep -q -x "bwrap /opt/bwrap"
tap $? "-D BWRAP=/opt/bwrap: the launcher's plan says bwrap /opt/bwrap"
"$JAILC" compile -t plan -D BWRAP=/opt/bwrap "$good" 2>/dev/null |
    grep -q -x 'bwrap /opt/bwrap'
tap $? "-D BWRAP=/opt/bwrap: the plan's bwrap"
BWRAP=/env/bwrap "$JAILC" compile "$good" 2>/dev/null |
    grep -q -x "bwrap /env/bwrap"
tap $? "BWRAP=/env/bwrap at compile time: bwrap /env/bwrap"
BWRAP=/env/bwrap "$JAILC" compile -D BWRAP=/opt/bwrap "$good" 2>/dev/null |
    grep -q -x "bwrap /opt/bwrap"
tap $? "-D BWRAP overrides \$BWRAP"
BWRAP='' "$JAILC" compile "$good" 2>/dev/null | grep -q -x "bwrap bwrap"
tap $? "an empty \$BWRAP: bwrap bwrap"

# jailrun, pinned by absolute path.
xline="exec '/opt/j r/jailrun' --plan-fd 3 \"\$0\" \"\$@\" 3<<'JAILC_PLAN'"
"$JAILC" compile -D "JAILRUN=/opt/j r/jailrun" "$good" 2>/dev/null |
    grep -q -x -F "$xline"
tap $? "-D JAILRUN=PATH: the launcher execs that jailrun, quoted"
mkdir -p "$TMP/j r" && cp "$RUNTIME" "$TMP/j r/jailrun"
JAILRUN="$TMP/j r/jailrun" "$JAILC" compile "$good" 2>/dev/null |
    grep -q "^exec '$(cd "$TMP/j r" && pwd -P)/jailrun' --plan-fd 3 "
tap $? "JAILRUN=PATH at compile time: the launcher execs that jailrun"
JAILRUN=/env/jailrun "$JAILC" compile -D "JAILRUN=/opt/j r/jailrun" "$good" \
    2>/dev/null | grep -q -x -F "$xline"
tap $? "-D JAILRUN overrides \$JAILRUN"
jdir=$(cd "$(dirname "$JAILC")" && pwd -P)
"$JAILC" compile "$good" 2>/dev/null |
    grep -q -x -F "exec '$jdir/jailrun' --plan-fd 3 \"\$0\" \"\$@\" 3<<'JAILC_PLAN'"
tap $? "by default, the jailrun next to jailc, which -t exe copies"
"$JAILC" compile -D JAILRUN=bin/jailrun -o "$TMP/o3" "$good" >/dev/null \
    2>"$TMP/err"
ok $(($? == 2)) "-D JAILRUN=relative: exit 2"
[ ! -e "$TMP/o3" ]
tap $? "-D JAILRUN=relative: no launcher"
(cd "$jdir" && JAILRUN=./jailrun "./${JAILC##*/}" compile "$OLDPWD/$good") \
    2>/dev/null | grep -q "^exec '$jdir/jailrun' "
tap $? "a relative \$JAILRUN is pinned by its absolute path"
JAILRUN=/nonexistent/jailrun "$JAILC" compile -o "$TMP/o3" "$good" \
    >/dev/null 2>"$TMP/err"
[ $? = 2 ] && [ ! -e "$TMP/o3" ] && grep -q 'JAILRUN=/nonexistent/jailrun' "$TMP/err"
tap $? "a \$JAILRUN that names nothing: exit 2, said why, no launcher"

# A file name is text in the header comment: a line break in it must
# not end the comment and start a command.
evil="$TMP/x${nl}touch EMIT_PWNED${nl}#"
mkdir -p "$evil" && cp tests/golden/uses-base.jail "$evil/p.jail"
if "$JAILC" compile --standalone -D "JAILRUN=$RUNTIME" -o "$TMP/evil.sh" \
    "$evil/p.jail" 2>"$TMP/err"; then
	(cd "$TMP" && bash ./evil.sh --jail-help >/dev/null 2>&1)
	[ ! -e "$TMP/EMIT_PWNED" ] && ! grep -q '^touch EMIT_PWNED' "$TMP/evil.sh"
	tap $? "a line break in the profile's path stays in the comment"
else
	tap 1 "a line break in the profile's path stays in the comment"
	tap_diag "$(cat "$TMP/err")"
fi

# process.jail sets PATH itself; -D PATH replaces it.
"$JAILC" compile -t plan -D PATH=/x/bin tests/golden/process.jail \
    >"$TMP/plan" 2>/dev/null
[ "$(grep '^env-set PATH ' "$TMP/plan" | sed 's/ @.*//')" = "env-set PATH /x/bin" ]
tap $? "-D PATH=/x/bin: one env-set PATH /x/bin, the profile's replaced"
"$JAILC" compile -t plan -D PATH=/x/bin "$good" >"$TMP/plan" 2>/dev/null
[ "$(grep '^env-set PATH ' "$TMP/plan" | sed 's/ @.*//')" = "env-set PATH /x/bin" ]
tap $? "-D PATH=/x/bin: env-set PATH /x/bin in a profile without one"
"$JAILC" compile -D PATH=/x/bin "$good" 2>/dev/null |
    grep -q "^env-set PATH /x/bin @"
tap $? "-D PATH=/x/bin: in the launcher"

"$JAILC" compile --standalone "$good" 2>/dev/null | sed -n 1p >"$TMP/out"
[ "$(cat "$TMP/out")" = '#!/bin/sh' ]
tap $? "--standalone starts with #!/bin/sh (no shell through PATH)"
"$JAILC" compile --standalone -o "$TMP/st" "$good" 2>/dev/null
ok $(($? == 0)) "--standalone -o FILE: exit 0"
mode "$TMP/st" -rwxr-xr-x
tap $? "--standalone -o FILE: mode 0755"
"$JAILC" compile -o "$TMP/body" "$good" 2>/dev/null
mode "$TMP/body" -rw-r--r--
tap $? "-o FILE: mode 0644"
"$JAILC" compile "$good" 2>/dev/null | cmp -s - "$TMP/body"
tap $? "-o FILE holds what standard output gets"
"$JAILC" compile -t plan -o "$TMP/plan" "$good" 2>/dev/null
"$JAILC" compile -t plan "$good" 2>/dev/null | cmp -s - "$TMP/plan"
tap $? "-t plan -o FILE holds the plan"
mode "$TMP/plan" -rw-r--r--
tap $? "-t plan -o FILE: mode 0644"
# -o a FIFO: written through, not renamed over.  The reader gives up
# after 10 s, should jailc never open the FIFO.
if command -v timeout >/dev/null 2>&1 && mkfifo "$TMP/fifo" 2>/dev/null; then
	timeout 10 cat "$TMP/fifo" >"$TMP/fifo.out" &
	"$JAILC" compile -o "$TMP/fifo" "$good" 2>/dev/null
	rc=$?
	wait
	[ "$rc" -eq 0 ] && [ -p "$TMP/fifo" ] && cmp -s "$TMP/fifo.out" "$TMP/body"
	tap $? "-o FIFO: written in place, still a FIFO"
else
	tap_skip "-o FIFO: written in place, still a FIFO" "no mkfifo or timeout"
fi

# 4. Quoting.  Atoms: raw strings; a test string joins some of them.
tab=$(printf '\tx')
tab=${tab%x}
cr=$(printf '\rx')
cr=${cr%x}
esc=$(printf '\033x')
esc=${esc%x}
soh=$(printf '\001x')
soh=${soh%x}
del=$(printf '\177x')
del=${del%x}
na=0
atom() {
	eval "atom_$na=\$1"
	na=$((na + 1))
}
atom "'"
atom "''"
atom "'\\''"
atom '"'
atom '"$HOME"'
atom '$(touch pwned)'
atom '`touch pwned`'
atom '${HOME}'
atom '$1 $@ $* $# $? $$ $!'
atom '\'
atom '\\'
atom "\\'"
atom '\n'
atom "$nl"
atom "a${nl}b${nl}"
atom "$nl$nl"
atom "$tab"
atom "$cr"
atom "${esc}[31mred${esc}[0m"
atom "$soh$del"
atom '*'
atom '?'
atom '[a-z]*'
atom '{a,b}'
atom '~'
atom '~root'
atom '-rf'
atom '--'
atom '-'
atom '--jail-dry-run'
atom ' lead and trail '
atom ';|&&||<>>(#!)'
atom '!!'
atom '%s%n'
atom 'é'
atom '日本語'
atom '😀'
atom ' '
atom '‮'
atom 'x'

# toml STRING TEMPLATE: STRING as a TOML basic string in REPLY; a
# template (TEMPLATE=1) doubles each '$'.  Bytes one at a time: LC_ALL=C.
toml() {
	s=$1 REPLY='"'
	while [ -n "$s" ]; do
		rest=${s#?}
		ch=${s%"$rest"}
		s=$rest
		case $ch in
		\\) REPLY="$REPLY\\\\" ;;
		\") REPLY="$REPLY\\\"" ;;
		\$)
			REPLY="$REPLY\$"
			if [ "$2" = 1 ]; then REPLY="$REPLY\$"; fi
			;;
		[[:cntrl:]]) REPLY="$REPLY$(printf '\\u%04x' "'$ch")" ;;
		*) REPLY="$REPLY$ch" ;;
		esac
	done
	REPLY="$REPLY\""
}

# A path component from string $1: no '/', '~' or line break.
pathsafe() {
	REPLY=$(printf '%s' "$1" | tr -d "/~\r\n")
	REPLY=p$REPLY
}

seed=20261125
# rnd N: REPLY = a pseudo-random number below N (a fixed sequence).
rnd() {
	seed=$(((seed * 1103515245 + 12345) % 2147483648))
	REPLY=$((seed / 65536 % $1))
}
# str: REPLY = one to four atoms, joined.
str() {
	rnd 4
	k=$((REPLY + 1)) acc=
	while [ "$k" -gt 0 ]; do
		rnd "$na"
		eval "acc=\$acc\$atom_$REPLY"
		k=$((k - 1))
	done
	REPLY=$acc
}

mkdir -p "$TMP/home" "$TMP/run"
cwd=$(cd "$TMP/run" && pwd -P)
bwrap="/opt/b w'\"\$(x)\`y\`/bwrap"
path="/x bin:\$(touch pwned):\`id\`:'q'$nl"

# case NAME EXEC ARG...: compile a profile running EXEC with the ARGs
# (raw strings; an ARG "+S" is ${HOME} followed by S) and check what
# --jail-print-argv gives bwrap.  The env.set values, the dir mount's
# path and the data mount's content are taken from $v1, $v2, $dir, $data.
pcase() {
	c=$1
	shift
	f=$TMP/$c.jail
	toml "$1" 1
	{
		printf 'version = 1\nname = "%s"\n[command]\nexec = %s\nargs = [\n' \
		    "$c" "$REPLY"
	} >"$f"
	printf '%s\0' "$bwrap" --clearenv --setenv JAIL_V1 "$v1" \
	    --setenv JAIL_V2 "$v2" --setenv PATH "$path" --unshare-user \
	    --unshare-ipc --unshare-pid --unshare-uts --unshare-cgroup-try \
	    --unshare-net --disable-userns --cap-drop ALL --die-with-parent --dir "/$dir" \
	    --perms 0640 \
	    --ro-bind-data 4 /etc/data --ro-bind "$cwd" "$cwd" --chdir "$cwd" \
	    -- "$1" >"$TMP/words"
	shift
	for a; do
		case $a in
		+*)
			toml "${a#+}" 1
			printf '  "${HOME}%s,\n' "${REPLY#\"}" >>"$f"
			printf '%s\0' "$TMP/home${a#+}" >>"$TMP/words"
			;;
		*)
			toml "$a" 1
			printf '  %s,\n' "$REPLY" >>"$f"
			printf '%s\0' "$a" >>"$TMP/words"
			;;
		esac
	done
	printf ']\n[env]\nset = { ' >>"$f"
	toml "$v1" 1
	printf 'JAIL_V1 = %s, ' "$REPLY" >>"$f"
	toml "$v2" 1
	printf 'JAIL_V2 = %s }\n[git]\nprotect-hooks = false\n' "$REPLY" >>"$f"
	# the filter's bytes are tests/diff.t's business
	printf '[seccomp]\nprofile = "off"\n' >>"$f"
	toml "/$dir" 1
	printf '[[mount]]\ndir = %s\n' "$REPLY" >>"$f"
	toml "$data" 0
	printf '[[mount]]\ndata = %s\ndest = "/etc/data"\nmode = "0640"\n' \
	    "$REPLY" >>"$f"
	# the command starts in CWD, which a launcher insists is in the jail
	printf '[[mount]]\nro = "${CWD}"\n' >>"$f"
	# the word count, the words, then descriptor 4 and its content,
	# then the limits
	printf '%s\0' "user arg" "$nl" "" "'" >>"$TMP/words"
	{
		printf '%s\0' "$(tr -cd '\000' <"$TMP/words" | wc -c)"
		cat "$TMP/words"
		printf '%s\0' 4 "$data" "limit core 0"
	} >"$TMP/expect"

	if ! "$JAILC" compile -D "BWRAP=$bwrap" -D "PATH=$path" \
	    -D "JAILRUN=$RUNTIME" "$f" \
	    >"$TMP/$c.body" 2>"$TMP/err"; then
		tap 1 "quoting $c: compiles"
		tap_diag "$(cat "$TMP/err" "$f")"
		return
	fi
	nixwrap "$TMP/$c.body" "$TMP/$c.sh"
	(cd "$TMP/run" && env -i HOME="$TMP/home" PATH="$PATH" \
	    bash "$TMP/$c.sh" --jail-print-argv "user arg" "$nl" "" "'") \
	    >"$TMP/argv" 2>"$TMP/err"
	if cmp -s "$TMP/expect" "$TMP/argv"; then
		tap 0 "quoting $c: bwrap gets every value byte for byte"
	else
		tap 1 "quoting $c: bwrap gets every value byte for byte"
		tap_diag "profile:" "$(cat "$f")" "stderr:" "$(cat "$TMP/err")" \
		    "expected, then got:" "$(od -c "$TMP/expect" | head -n 40)" \
		    "$(od -c "$TMP/argv" | head -n 40)"
	fi
}

# Every atom once, as an argument, an argument after ${HOME}, a value.
i=0
while [ "$i" -lt "$na" ]; do
	eval "s=\$atom_$i"
	v1=$s v2="=$s" data=$s
	pathsafe "$s"
	dir=$REPLY
	pcase "atom$i" "$s" "$s" "+$s" "-$s" ""
	i=$((i + 1))
done
# Random joins.
i=0
while [ "$i" -lt 24 ]; do
	str
	v1=$REPLY
	str
	v2=$REPLY
	str
	data=$REPLY
	str
	pathsafe "$REPLY"
	dir=$REPLY
	str
	e=$REPLY
	str
	a1=$REPLY
	str
	a2=$REPLY
	str
	a3=$REPLY
	pcase "join$i" "$e" "$a1" "+$a2" "$a3" "$a1$a2$a3"
	i=$((i + 1))
done

tap_done
