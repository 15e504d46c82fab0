#!/bin/sh
# demo.sh - what `make demo` shows: jailc check on good and bad profiles.
set -u
JAILC=${JAILC:-./jailc}

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say "$JAILC check profiles/*.jail"
"$JAILC" check profiles/*.jail
echo "(exit status $?: the shipped profiles are clean; notes do not fail)"

say "$JAILC check examples/broken.jail"
"$JAILC" check examples/broken.jail
echo "(exit status $?: every mistake in the file, with file:line:col)"

say "$JAILC check examples/risky.jail"
"$JAILC" check examples/risky.jail
echo "(exit status $?: valid, but the lint rules refuse what it exposes)"

say "$JAILC check --format json examples/risky.jail | head -n 12"
"$JAILC" check --format json examples/risky.jail | head -n 12
exit 0
