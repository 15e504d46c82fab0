#!/bin/sh
# twins.t - every shipped profile and its YAML twin give the same IR.
#
# tests/twins/NAME.yaml is the YAML form of profiles/NAME.jail; irdump
# prints the merged IR without positions, so equal output means the two
# front ends produced the same typed profile.
. tests/lib.sh
tap_tmpdir twins

for jail in profiles/*.jail; do
	name=$(basename "$jail" .jail)
	twin=tests/twins/$name.yaml
	if [ ! -f "$twin" ]; then
		tap 1 "$name: no YAML twin at $twin"
		continue
	fi
	"$TOOLS/irdump" "$jail" >"$TMP/toml" 2>"$TMP/err1"
	r1=$?
	"$TOOLS/irdump" "$twin" >"$TMP/yaml" 2>"$TMP/err2"
	r2=$?
	if [ $r1 -ne 0 ] || [ $r2 -ne 0 ]; then
		tap 1 "$name: both forms load"
		tap_diag "$(cat "$TMP/err1" "$TMP/err2")"
		continue
	fi
	# A dump that lost fields would compare equal too; require substance.
	[ "$(wc -l <"$TMP/toml")" -ge 5 ]
	tap $? "$name: IR dump is not trivially short"
	diff -u "$TMP/toml" "$TMP/yaml" >"$TMP/diff"
	tap $? "$name: TOML and YAML twins give identical IR"
	[ -s "$TMP/diff" ] && tap_diag "$(cat "$TMP/diff")"
done

# The comparison can fail: a twin that differs in one value must differ.
sed 's/DISABLE_AUTOUPDATER: "1"/DISABLE_AUTOUPDATER: "0"/' \
    tests/twins/claude.yaml >"$TMP/claude.yaml"
"$TOOLS/irdump" "$TMP/claude.yaml" >"$TMP/yaml2" 2>"$TMP/err"
tap $? "the changed twin loads"
"$TOOLS/irdump" profiles/claude.jail >"$TMP/toml2" 2>/dev/null
[ "$(diff "$TMP/toml2" "$TMP/yaml2" | grep -c '^[<>]')" -eq 2 ]
tap $? "a changed value shows up as exactly one changed IR line"
tap_done
