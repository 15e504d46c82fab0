#!/bin/sh
# nix-presets.sh JAILC: the shipped agent profiles' merged package lists
# (jailc compile -t packages), as nix/presets.json holds them, so that
# nix/lib.nix's presets know their packages without import from
# derivation.  tests/nix.t compares; after changing a profile's packages:
#   sh tools/nix-presets.sh ./jailc >nix/presets.json
set -eu
jailc=$1
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sep='{'
for p in claude codex crush gemini-cli opencode; do
	"$jailc" compile -t packages -o "$tmp" "profiles/$p.jail" 2>/dev/null
	printf '%s\n  "%s": %s' "$sep" "$p" "$(cat "$tmp")"
	sep=,
done
printf '\n}\n'
