#!/bin/sh
# sha256.t - the runtime's SHA-256 (tests/tools/sha256test.c prints TAP).
. tests/lib.sh
exec "$TOOLS/sha256test"
