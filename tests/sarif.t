#!/bin/sh
# sarif.t - jailc check --format sarif writes a valid SARIF 2.1.0 log that
# agrees with the JSON output, and Microsoft's validator accepts it.
. tests/lib.sh
tap_tmpdir sarif

# A profile whose finding is accepted, at a relative path that needs
# percent-encoding in its URI.
rel=${TMP#"$PWD"/}
cat >"$TMP/accepted #1.jail" <<'EOF'
version = 1
name = "accepted"
extends = ["base"]

[command]
exec = "claude"

[env]
allow = ["TERM", "SSH_AUTH_SOCK"]

[risk.accept]
env-ssh-agent = "the agent pushes to git over ssh"
EOF
"$JAILC" rules >"$TMP/rules"
tap $? "jailc rules"

# Checks one log against the JSON output of the same run.
cat >"$TMP/check.py" <<'EOF'
import json, re, sys, urllib.parse

sarif_path, json_path, rules_path, version = sys.argv[1:5]
log = json.load(open(sarif_path))
diags = json.load(open(json_path))["diagnostics"]
lint = {}
for line in open(rules_path):
    f = line.split()
    lint[f[0]] = f[1]
problems = []

def need(cond, what):
    if not cond:
        problems.append(what)

need(log.get("version") == "2.1.0", "version is not 2.1.0")
need(log.get("$schema") == "https://json.schemastore.org/sarif-2.1.0.json",
     "wrong $schema")
need(len(log.get("runs", [])) == 1, "not exactly one run")
run = log["runs"][0]
driver = run["tool"]["driver"]
need(driver.get("name") == "jailc", "driver name")
need(driver.get("version") == version, "driver version")
rules = driver.get("rules", [])
ids = [r["id"] for r in rules]
need(len(ids) == len(set(ids)), "duplicate rule ids")
for r in rules:
    for k in ("shortDescription", "fullDescription", "help"):
        need(r.get(k, {}).get("text"), "rule %s lacks %s" % (r["id"], k))
    lvl = r.get("defaultConfiguration", {}).get("level")
    need(lvl in ("note", "warning", "error"), "rule %s level" % r["id"])
for rule, lvl in lint.items():
    need(rule in ids, "lint rule %s missing" % rule)
    if rule in ids:
        r = rules[ids.index(rule)]
        need(r["defaultConfiguration"]["level"] == lvl,
             "lint rule %s is not a %s" % (rule, lvl))
        need("DIAGNOSTICS" in r["help"]["text"] and
             "jailc(1)" in r["help"]["text"],
             "help of %s does not point to jailc(1) DIAGNOSTICS" % rule)

results = run.get("results", [])
need(len(results) == len(diags),
     "%d results, %d JSON diagnostics" % (len(results), len(diags)))
for i, (res, d) in enumerate(zip(results, diags)):
    where = "results[%d] (%s)" % (i, d["id"])
    need(res.get("ruleId") == d["id"], where + ": ruleId")
    need(res.get("ruleId") in ids, where + ": ruleId not among the rules")
    idx = res.get("ruleIndex", -1)
    need(0 <= idx < len(rules) and rules[idx]["id"] == res.get("ruleId"),
         where + ": ruleIndex does not match")
    need(res.get("level") == d["level"], where + ": level")
    text = d["message"] + (": " + d["detail"] if d["detail"] else "")
    need(res.get("message", {}).get("text") == text, where + ": message")
    fp = res.get("partialFingerprints", {}).get("jailcRule/v1", "")
    need(re.fullmatch("[0-9a-f]{16}", fp), where + ": fingerprint")
    if d["file"] is not None:
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        need(re.fullmatch(r"[A-Za-z0-9._~/:%-]*", uri),
             where + ": URI not percent-encoded: " + uri)
        path = urllib.parse.unquote(re.sub("^file://", "", uri))
        need(path == d["file"], where + ": URI %s is not %s" %
             (uri, d["file"]))
        if d["line"] > 0:
            reg = loc.get("region", {})
            need(reg.get("startLine") == d["line"] and
                 reg.get("startColumn") == d["column"],
                 where + ": region")
    else:
        need("locations" not in res, where + ": location without a file")
    if "suppressed" in d:
        need(res.get("suppressions") == [{"kind": "inSource",
             "justification": d["suppressed"]}], where + ": suppressions")
    else:
        need("suppressions" not in res, where + ": unexpected suppression")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF

version=$("$JAILC" --version | sed 's/^jailc //')
n=0
for f in examples/broken.jail examples/risky.jail profiles/claude.jail \
    "$rel/accepted #1.jail"; do
	n=$((n + 1))
	"$JAILC" check --format sarif "$f" >"$TMP/$n.sarif" 2>"$TMP/$n.err"
	rc=$?
	"$JAILC" check --format json "$f" >"$TMP/$n.json" 2>/dev/null
	tap $((rc != $?)) "$f: exit status as with --format json"
	[ ! -s "$TMP/$n.err" ]
	tap $? "$f: nothing on stderr"
	python3 -m json.tool "$TMP/$n.sarif" >/dev/null 2>"$TMP/out"
	tap $? "$f: output is JSON"
	python3 "$TMP/check.py" "$TMP/$n.sarif" "$TMP/$n.json" "$TMP/rules" \
	    "$version" >"$TMP/out" 2>&1
	tap $? "$f: log agrees with the JSON output and the rules"
	[ -s "$TMP/out" ] && tap_diag "$(cat "$TMP/out")"
done

# The same profile with lines added above the finding.
{
	printf '# moved\n# down\n# three lines\n'
	cat "$TMP/accepted #1.jail"
} >"$TMP/moved"
mv "$TMP/moved" "$TMP/accepted #1.jail"
"$JAILC" check --format sarif "$rel/accepted #1.jail" >"$TMP/5.sarif"
tap $? "edited profile checks"

# The accepted finding is there, suppressed in source; its fingerprint
# does not depend on the line, and its URI is relative and encoded.
python3 - "$TMP/4.sarif" "$TMP/5.sarif" "$rel" >"$TMP/out" 2>&1 <<'EOF'
import json, sys
a, b = (json.load(open(p))["runs"][0]["results"] for p in sys.argv[1:3])
sup = [r for r in a if r.get("suppressions")]
assert [r["ruleId"] for r in sup] == ["env-ssh-agent"], sup
assert sup[0]["suppressions"][0]["justification"] == \
    "the agent pushes to git over ssh"
uri = sup[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
assert uri == sys.argv[3] + "/accepted%20%231.jail", uri
fa = [r["partialFingerprints"]["jailcRule/v1"] for r in a]
fb = [r["partialFingerprints"]["jailcRule/v1"] for r in b]
assert fa == fb, (fa, fb)
la = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in a]
lb = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in b]
assert [x + 3 for x in la] == lb, (la, lb)
EOF
tap $? "risk.accept gives an inSource suppression; fingerprints ignore lines"
[ -s "$TMP/out" ] && tap_diag "$(cat "$TMP/out")"

# Two findings of one rule in one file differ by their detail.
python3 - "$TMP/2.sarif" >"$TMP/out" 2>&1 <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"]
fps = [r["partialFingerprints"]["jailcRule/v1"] for r in res]
assert len(fps) == len(set(fps)), fps
EOF
tap $? "fingerprints of distinct findings differ"
[ -s "$TMP/out" ] && tap_diag "$(cat "$TMP/out")"

# Microsoft's validator, installed once into build/sarif.  Its npm package
# carries a self-contained .NET binary.
dir=$PWD/build/sarif
mt=$dir/node_modules/.bin/sarif-multitool
skip=
if [ ! -e "$mt" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		skip="npm is not installed"
	else
		mkdir -p "$dir/home"
		HOME=$dir/home npm_config_cache=$dir/npm-cache \
		    npm_config_update_notifier=false \
		    timeout 120 npm install --prefix "$dir" --no-audit --no-fund \
		    @microsoft/sarif-multitool >"$dir/install.log" 2>&1 ||
		    skip="npm install @microsoft/sarif-multitool failed (registry unreachable?): $(grep -m1 'ERR' "$dir/install.log")"
	fi
fi
# multitool ARGS...: run the validator without touching the real home.
multitool() {
	mkdir -p "$dir/home"
	HOME=$dir/home DOTNET_CLI_TELEMETRY_OPTOUT=1 \
	    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 timeout 120 "$mt" "$@"
}
if [ -z "$skip" ] && ! multitool --version >"$TMP/out" 2>&1; then
	skip="sarif-multitool does not run here: $(grep -m1 . "$TMP/out")"
fi

# Count what the validator reports at level error in its own log.
cat >"$TMP/errors.py" <<'EOF'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = run["tool"]["driver"].get("rules", [])
n = 0
for r in run.get("results", []):
    lvl = r.get("level")
    if lvl is None and 0 <= r.get("ruleIndex", -1) < len(rules):
        lvl = rules[r["ruleIndex"]].get("defaultConfiguration", {}) \
            .get("level")
    if (lvl or "warning") == "error":
        n += 1
        print(r.get("ruleId"), r.get("message"))
sys.exit(1 if n else 0)
EOF

# validate FILE: 0 when the validator ran and reported no errors.
validate() {
	rm -f "$1.val"
	multitool validate "$1" -o "$1.val" --log ForceOverwrite \
	    >"$TMP/val.out" 2>&1 && [ -s "$1.val" ] &&
	    python3 "$TMP/errors.py" "$1.val" >"$TMP/val.err" 2>&1
}

if [ -n "$skip" ]; then
	tap_skip "sarif-multitool finds errors in a broken log" "$skip"
else
	cat >"$TMP/bad.sarif" <<'EOF'
{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":[]}},
"results":[{"ruleId":"x","ruleIndex":3,"message":{"text":"m"},
"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a b"},
"region":{"startLine":0}}}]}]}]}
EOF
	! validate "$TMP/bad.sarif" && [ -s "$TMP/bad.sarif.val" ]
	tap $? "sarif-multitool finds errors in a broken log"
fi
n=0
for f in examples/broken.jail examples/risky.jail profiles/claude.jail \
    "$rel/accepted #1.jail"; do
	n=$((n + 1))
	if [ -n "$skip" ]; then
		tap_skip "$f: sarif-multitool validate" "$skip"
		continue
	fi
	validate "$TMP/$n.sarif"
	tap $? "$f: sarif-multitool validate reports no errors"
	[ -s "$TMP/val.err" ] && tap_diag "$(cat "$TMP/val.err")"
	grep -q ': warning ' "$TMP/val.out" &&
	    tap_diag "$(grep ': warning ' "$TMP/val.out")"
done
tap_done
