#!/bin/sh
# embed.sh NAME FILE - print a C file defining NAME as FILE's bytes.
#
# The schema is data compiled into jailc this way, so the C code and the
# JSON Schema editors use cannot drift apart.
set -eu
[ $# -eq 2 ] || { echo "usage: embed.sh NAME FILE" >&2; exit 2; }
name=$1
file=$2
[ -r "$file" ] || { echo "embed.sh: cannot read $file" >&2; exit 1; }
printf '/* Generated from %s by tools/embed.sh; do not edit. */\n' "$file"
printf '#include <stddef.h>\n'
printf 'extern const unsigned char %s[];\n' "$name"
printf 'extern const size_t %s_len;\n' "$name"
printf 'const unsigned char %s[] = {\n' "$name"
od -An -v -tu1 "$file" | sed 's/[0-9][0-9]*/&,/g'
printf '0 };\n'
printf 'const size_t %s_len = sizeof(%s) - 1;\n' "$name" "$name"
