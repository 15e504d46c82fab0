#!/bin/sh
# netrule.t - network.allow and network.deny entries, alone
# (runtime/netrule.c; tests/tools/netruletest.c prints TAP).
. tests/lib.sh
exec "$TOOLS/netruletest"
