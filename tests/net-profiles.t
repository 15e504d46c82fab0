#!/bin/sh
# net-profiles.t - the shipped profiles' network: every agent profile
# runs in network.mode = "proxy" with an allowlist and no Landlock
# scope; net-dev is a fragment an agent profile extends; a profile that
# extends an agent and sets mode = "host" compiles, without the parent's
# list and with the scope back.
. tests/lib.sh
tap_tmpdir net-profiles

for a in claude codex crush gemini-cli opencode; do
	"$JAILC" compile -t plan "profiles/$a.jail" >"$TMP/$a.plan" 2>"$TMP/err"
	grep -q '^net-proxy ' "$TMP/$a.plan" &&
		grep -q '^net-allow [a-z.-]*:443 ' "$TMP/$a.plan" &&
		! grep -q '^scope ' "$TMP/$a.plan" &&
		grep -q '^arg --unshare-net ' "$TMP/$a.plan"
	tap $? "$a: proxy mode, hosts on port 443, its own network namespace, no scope"
done
grep -q '^net-allow api.anthropic.com:443 ' "$TMP/claude.plan" &&
	grep -q '^net-allow api.openai.com:443 ' "$TMP/codex.plan" &&
	grep -q '^net-allow generativelanguage.googleapis.com:443 ' \
	    "$TMP/gemini-cli.plan"
tap $? "each agent's API host is allowed"

printf 'version = 1\nextends = ["claude", "net-dev"]\n' >"$TMP/dev.jail"
"$JAILC" compile -t plan "$TMP/dev.jail" >"$TMP/dev.plan" 2>"$TMP/err" &&
	grep -q '^net-allow api.anthropic.com:443 ' "$TMP/dev.plan" &&
	grep -q '^net-allow registry.npmjs.org:443 ' "$TMP/dev.plan" &&
	grep -q '^net-allow github.com:443 ' "$TMP/dev.plan"
tap $? "extends claude and net-dev: both lists"

printf 'version = 1\nextends = ["claude"]\n[network]\nmode = "host"\n' \
    >"$TMP/host.jail"
"$JAILC" compile -t plan "$TMP/host.jail" >"$TMP/host.plan" 2>"$TMP/err"
rc=$?
[ $rc = 0 ] && ! grep -q '^net-' "$TMP/host.plan" &&
	grep -q '^scope abstract-unix-socket ' "$TMP/host.plan" &&
	! grep -q '^arg --unshare-net ' "$TMP/host.plan"
tap $? "extends claude with mode = host: compiles, no list, the scope ($rc)"
[ $rc = 0 ] || tap_diag "$(cat "$TMP/err")"

printf 'version = 1\nextends = ["claude"]\n[network]\nmode = "host"\nallow = ["example.com"]\n' \
    >"$TMP/hostlist.jail"
"$JAILC" check "$TMP/hostlist.jail" >/dev/null 2>"$TMP/err"
[ $? = 1 ] && grep -q 'hostlist.jail:5:.*\[net-not-proxy\]' "$TMP/err"
tap $? "... but an allow entry of its own with mode = host is still an error"

printf 'version = 1\nextends = ["claude"]\n[network]\nmode = "none"\n' \
    >"$TMP/none.jail"
"$JAILC" compile -t plan "$TMP/none.jail" >"$TMP/none.plan" 2>"$TMP/err" &&
	! grep -q '^net-' "$TMP/none.plan"
tap $? "extends claude with mode = none: compiles, no list"

tap_done
