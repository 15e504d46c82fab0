#!/bin/sh
# rules.t - every lint rule fires on its tests/rules/ID.bad.jail and stays
# quiet on ID.good.jail, in text, JSON and SARIF; its help is in --explain
# and in the SARIF rule; risk.accept is shown in every output; and the
# exposure score is the weighted share of the rules that fire.
#
# A "# findings: N" line in ID.bad.jail asks for exactly N findings of ID
# (default: at least one).  HOME is tests/, so that ~/rules holds the
# profiles (profile-writable resolves ~ with the checker's HOME).
. tests/lib.sh
tap_tmpdir rules
HOME=$PWD/tests
export HOME
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_RUNTIME_DIR

"$JAILC" rules >"$TMP/rules"
tap $? "jailc rules"
# The rules come from tests/rules/, not from the program under test:
# a rule that jailc stops knowing fails here, and one it gains without
# a pair of profiles too.
for f in tests/rules/*.bad.jail; do
	f=${f##*/}
	echo "${f%.bad.jail}"
done | sort >"$TMP/want"
cut -d ' ' -f 1 "$TMP/rules" | sort >"$TMP/got"
diff "$TMP/want" "$TMP/got" >"$TMP/out"
tap $? "jailc rules lists the rules of tests/rules/, no more, no fewer ($(wc -l <"$TMP/want"))"
[ -s "$TMP/out" ] && tap_diag "< tests/rules/, > jailc rules:" "$(cat "$TMP/out")"

# count FORMAT FILE ID: the number of ID's findings in FILE's check.
count() {
	case $1 in
	text)
		"$JAILC" check "$2" 2>&1 >/dev/null | grep -c "\[$3\]\$"
		;;
	json | sarif)
		"$JAILC" check --format "$1" "$2" 2>/dev/null |
		    python3 -c '
import json, sys
fmt, rule = sys.argv[1:3]
log = json.load(sys.stdin)
if fmt == "json":
    print(sum(d["id"] == rule for d in log["diagnostics"]))
else:
    print(sum(r["ruleId"] == rule for r in log["runs"][0]["results"]))
' "$1" "$3"
		;;
	esac
}

while read -r id; do
	level=$(sed -n "s/^$id  *\([a-z]*\) .*/\1/p" "$TMP/rules")
	bad=tests/rules/$id.bad.jail
	good=tests/rules/$id.good.jail
	if [ ! -f "$bad" ] || [ ! -f "$good" ]; then
		tap 1 "$id: $bad and $good exist"
		continue
	fi
	want=$(sed -n 's/^# findings: \([0-9]*\)$/\1/p' "$bad")
	for fmt in text json sarif; do
		got=$(count $fmt "$bad" "$id")
		if [ -n "$want" ]; then
			[ "$got" = "$want" ]
			tap $? "$id: $fmt: $want findings in $bad ($got)"
		else
			[ "${got:-0}" -ge 1 ]
			tap $? "$id: $fmt: fires on $bad ($got)"
		fi
		got=$(count $fmt "$good" "$id")
		[ "$got" = 0 ]
		tap $? "$id: $fmt: quiet on $good ($got)"
	done
	# The level in the text is the rule's level.
	"$JAILC" check "$bad" 2>&1 >/dev/null | grep "\[$id\]\$" |
	    grep -v -q ": $level: "
	tap $((!$?)) "$id: reported as $level"

	# --explain prints the help; SARIF carries it in the rule.
	"$JAILC" check --explain "$id" >"$TMP/explain"
	tap $? "$id: check --explain exits 0"
	"$JAILC" check --format sarif "$bad" >"$TMP/sarif" 2>/dev/null
	python3 - "$TMP/explain" "$TMP/sarif" "$id" >"$TMP/out" 2>&1 <<'EOF'
import json, sys
explain, sarif, rule = sys.argv[1:4]
text = open(explain).read().split("\n\n", 1)
assert text[0].startswith(rule + " ("), text[0]
help = " ".join(text[1].split())
assert len(help) > 60, help
rules = json.load(open(sarif))["runs"][0]["tool"]["driver"]["rules"]
r = [r for r in rules if r["id"] == rule][0]
assert help in " ".join(r["help"]["text"].split()), (help, r["help"])
weight = int(text[0].split("weight ")[1].split(")")[0])
if weight > 0:
    props = r["properties"]
    assert props["jailc-weight"] == weight, props
    assert props["security-severity"] == "%.1f" % (weight / 100), props
    assert "security" in props["tags"], props
else:
    assert "properties" not in r, r
EOF
	tap $? "$id: SARIF rule holds the --explain help and the weight"
	[ -s "$TMP/out" ] && tap_diag "$(cat "$TMP/out")"
done <"$TMP/want"

"$JAILC" check --explain no-such-rule >/dev/null 2>"$TMP/err"
tap $(($? != 2)) "--explain of an unknown rule exits 2"
"$JAILC" check --explain unknown-key >/dev/null 2>&1
tap $(($? != 2)) "--explain of a message that is no lint rule exits 2"

# The weights add up to 10000, so that weight / 1000 is what a rule adds;
# jailc rules lists the weight --explain gives.
total=0
while read -r id _ weight _; do
	w=$("$JAILC" check --explain "$id" |
	    sed -n '1s/.*weight \([0-9]*\))$/\1/p')
	[ "$w" = "$weight" ] || echo "$id: rules says $weight, --explain $w"
	total=$((total + w))
done <"$TMP/rules" >"$TMP/out"
[ ! -s "$TMP/out" ]
tap $? "jailc rules and --explain give the same weights"
[ -s "$TMP/out" ] && tap_diag "$(cat "$TMP/out")"
total=$(awk '{ t += $3 } END { print t }' "$TMP/rules")
[ "$total" = 10000 ]
tap $? "rule weights add up to 10000 ($total)"

# risk.accept: the finding is kept, with the reason, in every output; it
# no longer fails the check, and still counts towards the exposure.
cp tests/rules/mount-socket.bad.jail "$TMP/accepted.jail"
cat >>"$TMP/accepted.jail" <<'EOF'
[risk.accept]
mount-socket = "a throw-away VM with nothing on the bus"
EOF
"$JAILC" check --strict "$TMP/accepted.jail" >/dev/null 2>"$TMP/err"
tap $? "accepted findings pass --strict"
n=$(grep -c 'accepted (a throw-away VM with nothing on the bus): .*\[mount-socket\]$' "$TMP/err")
[ "$n" = 5 ]
tap $? "text: accepted findings shown with the reason ($n)"
"$JAILC" check --format json "$TMP/accepted.jail" >"$TMP/json"
"$JAILC" check --format sarif "$TMP/accepted.jail" >"$TMP/sarif"
"$JAILC" score --format json "$TMP/accepted.jail" >"$TMP/score"
python3 - "$TMP/json" "$TMP/sarif" "$TMP/score" >"$TMP/out" 2>&1 <<'EOF'
import json, sys
why = "a throw-away VM with nothing on the bus"
j, s, sc = (json.load(open(p)) for p in sys.argv[1:4])
d = [d for d in j["diagnostics"] if d["id"] == "mount-socket"]
assert len(d) == 5 and all(x["suppressed"] == why for x in d), d
r = [r for r in s["runs"][0]["results"] if r["ruleId"] == "mount-socket"]
assert len(r) == 5, r
assert all(x["suppressions"] == [{"kind": "inSource", "justification": why}]
           for x in r), r
for prof in (j["profiles"][0], sc[0]):
    assert prof["exposure"] == 0.6 and prof["band"] == "MEDIUM", prof
    assert prof["contributors"] == [
        {"id": "mount-socket", "weight": 600, "accepted": why}], prof
EOF
tap $? "json, sarif and score: accepted findings kept with the reason"
[ -s "$TMP/out" ] && tap_diag "$(cat "$TMP/out")"

# --min-severity hides what is below it (with the notes that belong to
# it), and hidden warnings do not fail --strict.  (/dev/shm, not /tmp:
# the test may itself run under /tmp, in a Nix build, and a writable /tmp
# would then hold this profile, one more error.)
cat >"$TMP/mixed.jail" <<'EOF'
version = 1
[env]
allow = ["DEPLOY_API_KEY", "X*"]
[[mount]]
rw = "/dev/shm"
EOF
for min in note warning error; do
	"$JAILC" check --min-severity $min "$TMP/mixed.jail" 2>"$TMP/err"
	printf '%s ' "$(grep -c ': note: ' "$TMP/err")" \
	    "$(grep -c ': warning: ' "$TMP/err")" \
	    "$(grep -c ': error: ' "$TMP/err")" >>"$TMP/levels"
	"$JAILC" check --format sarif --min-severity $min "$TMP/mixed.jail" |
	    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["runs"][0]["results"]), end=" ")' \
	    >>"$TMP/levels"
	echo >>"$TMP/levels"
done
printf '1 1 1 3 \n0 1 1 2 \n0 0 1 1 \n' | diff - "$TMP/levels" >"$TMP/out"
tap $? "--min-severity note|warning|error in text and SARIF"
[ -s "$TMP/out" ] && tap_diag "$(cat "$TMP/out")"
printf 'version = 1\n[env]\nallow = ["X*"]\n' >"$TMP/warn.jail"
"$JAILC" check --strict --min-severity error "$TMP/warn.jail" 2>/dev/null
tap $? "--strict --min-severity error: a warning does not fail"
"$JAILC" check --strict --min-severity warning "$TMP/warn.jail" 2>/dev/null
tap $(($? != 1)) "--strict --min-severity warning: a warning fails"
"$JAILC" check --min-severity fatal "$TMP/warn.jail" >/dev/null 2>&1
tap $(($? != 2)) "--min-severity with an unknown level exits 2"

# score: the exposure is the sum of the firing rules' weights / 1000,
# with the band for it, for every rule's bad profile.
for f in $(sed 's|^\([^ ]*\) .*|tests/rules/\1.bad.jail|' "$TMP/rules") \
    profiles/*.jail examples/risky.jail; do
	"$JAILC" score --format json "$f" >"$TMP/score" 2>/dev/null
	"$JAILC" check --format json "$f" >"$TMP/json" 2>/dev/null
	python3 - "$TMP/score" "$TMP/json" "$TMP/rules" >"$TMP/out" 2>&1 <<'EOF'
import json, sys
sc = json.load(open(sys.argv[1]))[0]
ck = json.load(open(sys.argv[2]))
rules = [l.split()[0] for l in open(sys.argv[3])]
weightless = {l.split()[0] for l in open(sys.argv[3]) if l.split()[2] == "0"}
assert ck["profiles"][0] == sc, (ck["profiles"], sc)
fired = {d["id"] for d in ck["diagnostics"] if d["id"] in rules}
got = {c["id"] for c in sc["contributors"]}
assert got == fired - weightless, (got, fired)
total = sum(c["weight"] for c in sc["contributors"])
assert sc["exposure"] == round(total / 1000, 1), (sc, total)
bands = [(0.1, "PERFECT"), (0.3, "SAFE"), (0.5, "OK"), (1.1, "MEDIUM"),
         (2.2, "EXPOSED"), (3.7, "UNSAFE"), (99, "DANGEROUS")]
assert sc["band"] == [b for lim, b in bands if sc["exposure"] < lim][0], sc
w = [c["weight"] for c in sc["contributors"]]
assert w == sorted(w, reverse=True), w
EOF
	tap $? "$f: score is the weighted share of the rules that fire"
	[ -s "$TMP/out" ] && tap_diag "$(cat "$TMP/out")"
done

"$JAILC" score profiles/base.jail >"$TMP/out"
tap $? "score of base exits 0"
grep -q '^profiles/base.jail: exposure 0.0 PERFECT$' "$TMP/out"
tap $? "base is PERFECT"
"$JAILC" score examples/risky.jail >"$TMP/out"
head -1 "$TMP/out" | grep -q '^examples/risky.jail: exposure [0-9.]* UNSAFE$'
tap $? "risky is UNSAFE"
sed -n 2p "$TMP/out" | grep -q '^  weight  rule  *finding$'
tap $? "score prints a table of what contributes"
sed -n 3p "$TMP/out" | grep -q '^     600  mount-'
tap $? "the heaviest contribution comes first"
"$JAILC" score --threshold 2.5 examples/risky.jail >/dev/null 2>"$TMP/err"
tap $(($? != 1)) "--threshold below the exposure exits 1"
grep -q 'examples/risky.jail: exposure [0-9.]* is above the threshold 2.5' \
    "$TMP/err"
tap $? "--threshold: the profile over it is named"
"$JAILC" score --threshold 5 examples/risky.jail >/dev/null 2>&1
tap $? "--threshold above the exposure exits 0"
"$JAILC" score --threshold=0 profiles/base.jail >/dev/null 2>&1
tap $? "--threshold=0 holds for a PERFECT profile"
"$JAILC" score --threshold 11 profiles/base.jail >/dev/null 2>&1
tap $(($? != 2)) "--threshold out of range exits 2"
"$JAILC" score --threshold x profiles/base.jail >/dev/null 2>&1
tap $(($? != 2)) "--threshold that is no number exits 2"
"$JAILC" score examples/broken.jail >/dev/null 2>"$TMP/err"
tap $(($? != 1)) "score of a profile with errors exits 1"
grep -q ': error: ' "$TMP/err"
tap $? "score of a profile with errors says why"
"$JAILC" score "$TMP/no-such.jail" >/dev/null 2>&1
tap $(($? != 2)) "score of a missing file exits 2"

# compile -o: a launcher written where the jail can write is reported,
# and not written.
mkdir -p "$TMP/home/work"
printf '%s\n' 'version = 1' '[command]' 'exec = "true"' '[[mount]]' \
    'rw = "~/work"' >"$TMP/launch.jail"
HOME=$TMP/home "$JAILC" compile -o "$TMP/home/work/launcher" \
    "$TMP/launch.jail" 2>"$TMP/err"
tap $(($? != 1)) "compile -o into a writable mount exits 1"
grep -q "holds $TMP/home/work/launcher \[profile-writable\]\$" "$TMP/err"
tap $? "compile -o into a writable mount: profile-writable names it"
[ ! -e "$TMP/home/work/launcher" ]
tap $? "compile -o into a writable mount: nothing written"
HOME=$TMP/home "$JAILC" compile -o "$TMP/launcher" "$TMP/launch.jail"
tap $? "compile -o outside the writable mounts succeeds"

# env-allow-all: a pattern that matches every variable name is '*' in
# disguise, and refused as '*' is; one that misses some names is not.
for pat in '?*' '*?' '*?*' '**' '[A-Za-z_]*' '[!0]*' '*[A-Za-z0-9_]' \
    '*[_a-zA-Z]*'; do
	printf 'version = 1\n[env]\nallow = ["%s"]\n' "$pat" >"$TMP/all.jail"
	"$JAILC" check "$TMP/all.jail" 2>"$TMP/err"
	rc=$?
	[ $rc = 1 ] && grep -q "error: .* \[env-allow-all\]\$" "$TMP/err"
	tap $? "env.allow '$pat' passes every name: env-allow-all ($rc)"
done
for pat in 'LC_*' '??*' '*[A-Za-z_]' '[A-Z]*' '?' '[!_]*' '_*'; do
	printf 'version = 1\n[env]\nallow = ["%s"]\n' "$pat" >"$TMP/all.jail"
	"$JAILC" check "$TMP/all.jail" 2>"$TMP/err"
	! grep -q 'env-allow-all' "$TMP/err"
	tap $? "env.allow '$pat' misses some names: no env-allow-all"
done

# profile-writable covers every file of the extends chain, also one
# that adds nothing the IR keeps a position of (no mount, no variable,
# no extends of its own).
mkdir -p "$TMP/home/jails" "$TMP/proj/.git" "$TMP/proj/jails"
printf 'version = 1\n[command]\nexec = "true"\n' >"$TMP/home/jails/leaf.jail"
printf '%s\n' 'version = 1' "extends = [\"$TMP/home/jails/leaf.jail\"]" \
    '[[mount]]' 'rw = "~/jails"' >"$TMP/chain.jail"
HOME=$TMP/home "$JAILC" check "$TMP/chain.jail" 2>"$TMP/err"
tap $(($? != 1)) "a writable mount holding an extended file fails"
grep -q "chain.jail:3:1: error: .*: \${HOME}/jails holds $TMP/home/jails/leaf.jail \[profile-writable\]\$" "$TMP/err"
tap $? "profile-writable names the extended file"
[ $? = 0 ] || tap_diag "$(cat "$TMP/err")"
# A profile kept in a project (a git work tree), extended by one at its
# top, is in the jail's writable project when the agent is launched
# there: reported, unless the launcher pins it (protect.add, or the
# top-level *.jail it always pins).
printf 'version = 1\n[command]\nexec = "true"\n' >"$TMP/proj/jails/common.jail"
printf 'version = 1\n' >"$TMP/proj/top.jail"
printf '%s\n' 'version = 1' 'extends = ["jails/common.jail", "top.jail"]' \
    '[[mount]]' 'rw = "${PROJECT_ROOT}"' >"$TMP/proj/claude.jail"
"$JAILC" check "$TMP/proj/claude.jail" 2>"$TMP/err"
tap $(($? != 1)) "an extended profile in the writable project fails"
grep -q "claude.jail:3:1: error: .*: \${PROJECT_ROOT} holds $TMP/proj/jails/common.jail when the agent is launched in $TMP/proj \[profile-writable\]\$" "$TMP/err" &&
    [ "$(grep -c profile-writable "$TMP/err")" = 1 ]
ok=$?
tap $ok "profile-writable names it, and not the top-level top.jail"
[ $ok = 0 ] || tap_diag "$(cat "$TMP/err")"
printf '[protect]\nadd = ["jails/"]\n' >>"$TMP/proj/claude.jail"
"$JAILC" check "$TMP/proj/claude.jail" 2>"$TMP/err"
tap $? "protect.add of its directory: no finding"
printf '%s\n' 'version = 1' 'extends = ["jails/common.jail"]' \
    '[[mount]]' 'rw = "${PROJECT_ROOT}/src"' >"$TMP/proj/src.jail"
"$JAILC" check "$TMP/proj/src.jail" 2>"$TMP/err"
tap $? "a writable mount beside it in the project: no finding"

# Shipped profiles: no rule beyond notes fires on them.
"$JAILC" check --strict profiles/*.jail >/dev/null 2>&1
tap $? "shipped profiles pass check --strict"
tap_done
