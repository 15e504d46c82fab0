#!/bin/sh
# harden-input.t - jailc's own input (issue 13, item 10): only regular
# files are read as profiles, within the size cap, wherever a profile is
# read (the command line, extends, explain --resolve, diff, why,
# compile); and no diagnostic, in text, JSON, SARIF or the caret line,
# quotes a value that looks like a credential.
#
# Every run that could hang is under a timeout, and the ones that could
# grow without end under ulimit -v, so that a regression fails instead
# of hanging the suite or the machine.
. tests/lib.sh
tap_tmpdir harden-input

# bounded CMD...: run CMD with at most 10 s and 512 MiB of address
# space; 124 when it was still running.  The sanitizer build
# (JAILC_BIN) maps terabytes of shadow memory up front, so it gets the
# time limit only.
bounded() {
	(
		if [ -z "${JAILC_BIN:-}" ]; then
			# shellcheck disable=SC3045 # dash and bash have ulimit -v
			ulimit -v 524288 2>/dev/null
		fi
		exec timeout -k 2 10 "$@"
	)
}

# --- only regular files ----------------------------------------------

mkfifo "$TMP/fifo.jail"
mkdir "$TMP/dir.jail"
printf 'version = 1\n[command]\nexec = "true"\n' >"$TMP/ok.jail"

for src in /dev/zero "$TMP/fifo.jail" "$TMP/dir.jail"; do
	case $src in
	/dev/zero) kind='not a regular file but a character device' ;;
	*fifo*) kind='not a regular file but a FIFO' ;;
	*) kind='Is a directory' ;;
	esac
	printf 'version = 1\nextends = ["%s"]\n[command]\nexec = "true"\n' \
	    "$src" >"$TMP/ext.jail"

	bounded "$JAILC" check "$TMP/ext.jail" >/dev/null 2>"$TMP/err"
	rc=$?
	{ [ $rc = 1 ] || [ $rc = 2 ]; } &&
	    grep -q "$src: error: cannot read file: $kind \[io\]\$" "$TMP/err"
	ok=$?
	tap $ok "extends $src: check ends, refusing it for what it is ($rc)"
	[ $ok = 0 ] || tap_diag "$(head -3 "$TMP/err")"

	bounded "$JAILC" check "$src" >/dev/null 2>"$TMP/err"
	rc=$?
	{ [ $rc = 1 ] || [ $rc = 2 ]; } &&
	    grep -q "$src: error: cannot read file: $kind \[io\]\$" "$TMP/err"
	tap $? "check $src on the command line is refused ($rc)"

	for cmd in "explain --resolve" "explain" "why /etc" "compile -t plan" \
	    "score"; do
		# shellcheck disable=SC2086 # the command's words
		bounded "$JAILC" $cmd "$TMP/ext.jail" >/dev/null 2>"$TMP/err"
		rc=$?
		{ [ $rc = 1 ] || [ $rc = 2 ]; } &&
		    grep -q "cannot read file: $kind" "$TMP/err"
		tap $? "extends $src: $cmd is refused ($rc)"
	done
	bounded "$JAILC" diff "$TMP/ok.jail" "$TMP/ext.jail" \
	    >/dev/null 2>"$TMP/err"
	rc=$?
	{ [ $rc = 1 ] || [ $rc = 2 ]; } &&
	    grep -q "cannot read file: $kind" "$TMP/err"
	tap $? "extends $src: diff is refused ($rc)"
done

# A FIFO with a writer that never stops: still refused, unread.
(
	exec 3<>"$TMP/fifo.jail"
	yes 'x = 1' >&3 2>/dev/null &
	echo $! >"$TMP/yes.pid"
	wait
) &
feeder=$!
tap_waitfor "$TMP/yes.pid"
printf 'version = 1\nextends = ["%s"]\n' "$TMP/fifo.jail" >"$TMP/ext.jail"
bounded "$JAILC" check "$TMP/ext.jail" >/dev/null 2>"$TMP/err"
rc=$?
grep -q 'not a regular file but a FIFO \[io\]$' "$TMP/err"
tap $? "extends a FIFO that is being written: refused ($rc)"
kill "$(cat "$TMP/yes.pid")" 2>/dev/null
wait "$feeder" 2>/dev/null

# Standard input may be a pipe, but is read no further than the cap.
bounded "$JAILC" check - </dev/zero >/dev/null 2>"$TMP/err"
rc=$?
[ $rc = 1 ] && grep -q '<stdin>: error: input exceeds a limit' "$TMP/err"
tap $? "check - </dev/zero stops at the size cap ($rc)"
printf 'version = 1\n' | bounded "$JAILC" check - 2>"$TMP/err"
tap $? "check - still reads a profile from a pipe"

# A symbolic link to a regular file is read; to a device it is not.
ln -s ok.jail "$TMP/link.jail"
bounded "$JAILC" check "$TMP/link.jail" 2>"$TMP/err"
tap $? "a symbolic link to a regular file is read"
ln -s /dev/zero "$TMP/zero.jail"
printf 'version = 1\nextends = ["./zero.jail"]\n' >"$TMP/ext.jail"
bounded "$JAILC" check "$TMP/ext.jail" >/dev/null 2>"$TMP/err"
grep -q 'zero.jail: error: cannot read file: not a regular file but a character device \[io\]$' \
    "$TMP/err"
tap $? "a symbolic link to /dev/zero in extends is refused"

# --- no credential in a diagnostic -----------------------------------

# One sample of every documented shape (jailc(1), DIAGNOSTICS); none is
# a real key.
cat >"$TMP/samples" <<'EOF'
AKIAIOSFODNN7EXAMPLE
ASIAIOSFODNN7EXAMPLE
ghp_abcdefghijklmnopqrstuvwxyz0123456789
gho_abcdefghijklmnopqrstuvwxyz0123456789
ghu_abcdefghijklmnopqrstuvwxyz0123456789
ghs_abcdefghijklmnopqrstuvwxyz0123456789
ghr_abcdefghijklmnopqrstuvwxyz0123456789
github_pat_11ABCDEFG0123456789_abcdefghijklmno
glpat-abcdefghij0123456789
sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123
sk-proj-abcdefghijklmnopqrstuvwxyz012345
AIzaSyA1234567890abcdefghijklmnopqrstu
xoxb-123456789012-abcdefghijkl
xoxp-123456789012-abcdefghijkl
npm_abcdefghijklmnopqrstuvwxyz0123456789
hf_abcdefghijklmnopqrstuvwxyz0123456789AB
eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmN
wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY1
EOF
# secret_seen FILE: the samples (or their first 16 characters) FILE
# quotes.
secret_seen() {
	while read -r s; do
		p=$(printf '%s' "$s" | cut -c1-16)
		grep -qF -e "$p" "$1" && echo "$s"
	done <"$TMP/samples"
}

# A bare value in a .env-like file: the TOML front end quotes it.
: >"$TMP/leaks"
i=0
while read -r s; do
	i=$((i + 1))
	printf 'v = %s\n' "$s" >"$TMP/s$i.env"
	printf 'version = 1\nextends = ["./s%s.env"]\n' "$i" >"$TMP/s$i.jail"
	for fmt in text json sarif; do
		bounded "$JAILC" check --format $fmt "$TMP/s$i.jail" \
		    >"$TMP/out" 2>&1
		secret_seen "$TMP/out" | sed "s/^/$fmt: /" >>"$TMP/leaks"
	done
done <"$TMP/samples"
[ ! -s "$TMP/leaks" ]
tap $? "no credential shape is quoted in text, JSON or SARIF ($i shapes)"
[ -s "$TMP/leaks" ] && tap_diag "$(sort -u "$TMP/leaks")"

# The control: a value that is no credential is quoted as before, so the
# test above sees what the front end quotes.
printf 'v = hello_world\n' >"$TMP/plain.env"
printf 'version = 1\nextends = ["./plain.env"]\n' >"$TMP/plain.jail"
"$JAILC" check "$TMP/plain.jail" 2>&1 | grep -q "invalid value 'hello_world'"
tap $? "a value that is no credential is still quoted"
"$JAILC" check "$TMP/s1.jail" 2>&1 | grep -q "invalid value '\[redacted\]'"
tap $? "a credential is replaced by [redacted]"

# A .env full of keys, as the review found it: nothing of it in any
# output, the caret line on a terminal included.
cat >"$TMP/keys.env" <<'EOF'
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY1
GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789
DB_PASSWORD=hunter2hunter2
EOF
printf 'version = 1\nextends = ["./keys.env"]\n' >"$TMP/keys.jail"
for fmt in text json sarif; do
	bounded "$JAILC" check --format $fmt "$TMP/keys.jail" >"$TMP/out" 2>&1
	! grep -qE 'AKIAIOSF|wJalrXUt|ghp_abcd|hunter2' "$TMP/out"
	tap $? "a .env in extends: $fmt quotes no key"
done
if command -v script >/dev/null 2>&1; then
	# script's -c runs the command on a terminal: the caret line.
	bounded script -qec "$JAILC check $TMP/keys.jail" /dev/null \
	    >"$TMP/out" 2>&1
	grep -q '^  AWS_ACCESS_KEY_ID=\*\*\*\*' "$TMP/out" &&
	    ! grep -qE 'AKIAIOSF|wJalrXUt|ghp_abcd|hunter2' "$TMP/out"
	ok=$?
	tap $ok "a .env in extends: the caret line is masked"
	[ $ok = 0 ] || tap_diag "$(cat "$TMP/out")"
	# The value of a credential name is masked too, where no shape
	# would find it.
	printf 'DB_PASSWORD=hunter2hunter2\n' >"$TMP/pw.env"
	printf 'version = 1\nextends = ["./pw.env"]\n' >"$TMP/pw.jail"
	bounded script -qec "$JAILC check $TMP/pw.jail" /dev/null \
	    >"$TMP/out" 2>&1
	grep -q "invalid value '\[redacted\]'" "$TMP/out" &&
	    grep -q '^  DB_PASSWORD=\*\*\*\*\*\*\*\*\*\*\*\*\*\*' "$TMP/out" &&
	    ! grep -q hunter2 "$TMP/out"
	ok=$?
	tap $ok "the value of a credential name is redacted in the detail and masked in the caret line"
	[ $ok = 0 ] || tap_diag "$(cat "$TMP/out")"
else
	tap_skip "the caret line is masked" "no script(1) to run jailc on a terminal"
	tap_skip "the value of a credential name is masked" "no script(1)"
fi

# risk.accept's reason is an author's text, shown in every format: a
# key pasted there is redacted too.
cat >"$TMP/reason.jail" <<'EOF'
version = 1
[[mount]]
ro = "/run/dbus"
[risk.accept]
mount-socket = "ghp_abcdefghijklmnopqrstuvwxyz0123456789 is fine"
EOF
for fmt in text json sarif; do
	"$JAILC" check --format $fmt "$TMP/reason.jail" >"$TMP/out" 2>&1
	! grep -q ghp_abcd "$TMP/out" && grep -q '\[redacted\] is fine' "$TMP/out"
	tap $? "risk.accept's reason: $fmt quotes no key"
done

# What is no credential stays: paths and names in ordinary messages.
printf 'version = 1\n[[mount]]\nro = "/nix/store/0123456789abcdefghijklmnopqrstuv-ABCDEFGH1234567890abcdefgh"\ndest = "/x"\n[[mount]]\nro = "/nix/store/0123456789abcdefghijklmnopqrstuv-ABCDEFGH1234567890abcdefgh"\ndest = "/x"\n' \
    >"$TMP/paths.jail"
"$JAILC" check "$TMP/paths.jail" >"$TMP/out" 2>&1
! grep -q redacted "$TMP/out"
ok=$?
tap $ok "a long path in a message is not taken for a key"
[ $ok = 0 ] || tap_diag "$(cat "$TMP/out")"

tap_done
