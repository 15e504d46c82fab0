#!/bin/sh
# man.t - the manual pages are clean mdoc and agree with --help.
. tests/lib.sh
tap_tmpdir man

for page in man/*.[1-9]; do
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	tap $? "mandoc -T lint -W warning $page"
	[ -n "$out" ] && tap_diag "$out"
done

# --help and jailc(1) agree, command by command: every command the main
# usage lists has its entry; every option its --help lists is documented
# in that entry, with each of its values; every option the entry
# documents is in its --help (-h/--help aside: every command takes them).
cmds=$("$JAILC" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$cmds" ]
tap $? "jailc --help lists commands"
alt=$(printf '%s\n' $cmds | paste -s -d '|' -)
# section CMD: the lines of CMD's entry in jailc(1)
section() {
	awk -v cmd="$1" -v alt="$alt" '
	    /^\.Bl / { depth++ }
	    /^\.El/ { if (on && depth == d) on = 0; depth-- }
	    $0 ~ "^\\.It Cm (" alt ")( |$)" && (!on || depth == d) {
		on = ($3 == cmd); d = depth
	    }
	    /^\.Sh / { on = 0 }
	    on' man/jailc.1
}
for cmd in $cmds; do
	section "$cmd" >"$TMP/man.$cmd"
	[ -s "$TMP/man.$cmd" ]
	tap $? "jailc(1) documents the $cmd command"
	"$JAILC" "$cmd" --help >"$TMP/help.$cmd" 2>&1
	tap $? "jailc $cmd --help exits 0"
	# Option lines: two spaces, a dash; "-t a|b" gives -t and its values.
	sed -n 's/^  \(-[^ ].*\)/\1/p' "$TMP/help.$cmd" |
	    sed 's/   .*//; s/, / /g' >"$TMP/opts.$cmd"
	while read -r line; do
		for w in $line; do
			case $w in
			--*) pat="Fl \\\\-${w#--}" ;;
			-?) pat="Fl ${w#-}" ;;
			*'|'*)
				for v in $(printf '%s' "$w" | tr '|' ' '); do
					grep -E -q "(Cm|\\|) $v( |\$)" "$TMP/man.$cmd"
					echo "$? $cmd value $v"
				done
				continue
				;;
			*) continue ;;
			esac
			grep -q -- "$pat\( \|\$\)" "$TMP/man.$cmd"
			echo "$? $cmd option $w"
		done
	done <"$TMP/opts.$cmd" >"$TMP/res.$cmd"
	while read -r rc c what w; do
		tap "$rc" "jailc(1) documents $c's $what $w"
	done <"$TMP/res.$cmd"
	sed -n 's/^\.It Fl \\-\([a-z-]*\).*/--\1/p; s/^\.It Fl \([a-zA-Z]\)\( .*\)*$/-\1/p' \
	    "$TMP/man.$cmd" | sort -u | while read -r o; do
		case $o in -h | --help) continue ;; esac
		grep -q -- "^  $o\b\|, $o\b" "$TMP/help.$cmd"
		echo "$? $o"
	done >"$TMP/rev.$cmd"
	while read -r rc o; do
		tap "$rc" "jailc $cmd --help lists $o, which jailc(1) documents"
	done <"$TMP/rev.$cmd"
done

# The launcher flags: what --jail-help lists is in jailc(1)'s LAUNCHERS
# and in jailrun(1)'s synopsis, and nothing else is.
printf 'version = 1\nextends = ["base"]\n[command]\nexec = "true"\n' \
    >"$TMP/p.jail"
"$JAILC" compile --standalone -o "$TMP/l" "$TMP/p.jail" 2>/dev/null &&
	bash "$TMP/l" --jail-help >"$TMP/jh" 2>&1
tap $? "a launcher's --jail-help exits 0"
flags=$(sed -n 's/^  \(--jail-[a-z-]*\).*/\1/p' "$TMP/jh")
[ -n "$flags" ]
tap $? "--jail-help lists flags"
for f in $flags; do
	grep -q "^\.It Fl \\\\-${f#--}\$" man/jailc.1
	tap $? "jailc(1) LAUNCHERS documents $f"
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' man/jailrun.1 |
	    grep -q "Fl \\\\-${f#--}"
	tap $? "jailrun(1) SYNOPSIS has $f"
done
sed -n '/^\.Sh LAUNCHERS/,/^\.Sh /s/^\.It Fl \\-\(jail-[a-z-]*\).*/--\1/p' man/jailc.1 |
    while read -r f; do
	printf '%s\n' "$flags" | grep -q -x -- "$f"
	echo "$? $f"
done >"$TMP/jrev"
while read -r rc f; do
	tap "$rc" "--jail-help lists $f, which jailc(1) documents"
done <"$TMP/jrev"
# jailrun's own usage lines name the synopsis' first two forms.
./jailrun >/dev/null 2>"$TMP/ju"
sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' man/jailrun.1 >"$TMP/jsyn"
grep -q '^usage: jailrun FILE \[ARGS...\]$' "$TMP/ju" &&
	grep -q '^\.Ar file$' "$TMP/jsyn"
tap $? "jailrun's usage line and jailrun(1)'s synopsis agree: FILE"
grep -q '^       jailrun --plan-fd FD NAME \[ARGS...\]$' "$TMP/ju" &&
	grep -q '^\.Fl \\-plan-fd Ar fd name$' "$TMP/jsyn"
tap $? "jailrun's usage line and jailrun(1)'s synopsis agree: --plan-fd"

# Every lint rule `jailc rules` lists is documented in jailc(1), at the
# level it has.
rules=$("$JAILC" rules)
[ -n "$rules" ]
tap $? "jailc rules lists rules"
printf '%s\n' "$rules" | while read -r rule level _; do
	grep -A1 "^\.It Cm $rule\$" man/jailc.1 | grep -q "^($level)"
	echo "$? $rule $level"
done >"$TMP/rules"
while read -r rc rule level; do
	tap "$rc" "jailc(1) documents lint rule $rule as $level"
done <"$TMP/rules"
tap_done
