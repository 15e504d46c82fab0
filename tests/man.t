#!/bin/sh
# man.t - the manual pages are clean mdoc and agree with --help.
. tests/lib.sh
tap_tmpdir man

for page in man/*.[1-9]; do
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	tap $? "mandoc -T lint -W warning $page"
	[ -n "$out" ] && tap_diag "$out"
done

# Every option `jailc check --help` lists is documented in jailc(1), and
# every command the main usage lists has its own entry.
help=$("$JAILC" check --help)
for opt in $(printf '%s\n' "$help" | grep -o -- '--[a-z-]*' | sort -u); do
	grep -q -- "Fl \\\\-${opt#--}" man/jailc.1
	tap $? "jailc(1) documents check $opt"
done
for cmd in $("$JAILC" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'); do
	grep -q "^\.It Cm $cmd" man/jailc.1
	tap $? "jailc(1) documents the $cmd command"
done

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
