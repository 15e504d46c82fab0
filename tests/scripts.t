#!/bin/sh
# scripts.t - the project's own shell scripts are shellcheck-clean (at
# severity warning and above).
. tests/lib.sh
if ! command -v shellcheck >/dev/null 2>&1; then
	echo "1..0 # SKIP shellcheck not installed (apt-get install shellcheck)"
	exit 0
fi
for f in .ci/run tools/*.sh bench/*.sh tests/*.t tests/lib.sh tests/mutate; do
	out=$(shellcheck -x -S warning "$f" 2>&1)
	tap $? "shellcheck $f"
	[ -n "$out" ] && tap_diag "$out"
done
tap_done
