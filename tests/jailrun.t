#!/bin/sh
# jailrun.t - the runtime: blobs the verifier must refuse (cut short,
# corrupted, from a newer jailc, with an unknown op or a string out of
# bounds), and text plans the reader or the verifier must refuse
# (damaged lines, cut short, ops that break the blob's rules), each with
# exit status 2, a message naming the file, and bwrap never run; the same
# under valgrind; then a real launch in bubblewrap with the command's
# exit status passed through, and the text plan through a descriptor (as
# the shell launcher hands it) against the blob for one profile.
. tests/lib.sh

JAILRUN=$PWD/${JAILC_BIN:-.}/jailrun
tap_tmpdir jailrun

# A bwrap that records that it ran: no refused blob may get this far.
mkdir "$TMP/bin"
cat >"$TMP/bin/bwrap" <<EOF
#!/bin/sh
echo ran >"$TMP/bwrap-ran"
exit 0
EOF
chmod +x "$TMP/bin/bwrap"

# The tests run in the source tree, which may be a linked worktree: its
# PROJECT_ROOT is then the main checkout, and CWD is only in WORKTREE.
cat >"$TMP/t.jail" <<'EOF'
version = 1
name = "t"
extends = ["base"]
[command]
exec = "/bin/sh"
[[mount]]
rw = "${PROJECT_ROOT}"
[[mount]]
rw = "${WORKTREE}"
[[mount]]
data = "hello\n"
dest = "/etc/motd"
[state]
workdir = true
[network]
mode = "host"
EOF
if ! $JAILC compile -t blob -o "$TMP/t.jailb" "$TMP/t.jail" ||
	! $JAILC compile -t shell --standalone -o "$TMP/t.sh" "$TMP/t.jail"; then
	echo "Bail out! cannot compile the test profile"
	exit 1
fi
tap 0 "jailc compile -t blob"

# patch IN OUT ACTION: a damaged copy of a blob.  ACTION: "cut N" (keep
# N bytes), "flip N" (invert byte N), "format N", "magic", "opcode N"
# (op 0's opcode), "offset" (op 0's where beyond the table), "replace
# OLD NEW" (the first OLD after the header, same length).  All but
# cut and flip put the checksum right again, so that the check under
# test is the one that fires.
patch() {
	python3 - "$@" <<'EOF'
import sys, struct, zlib
src, dst, action = sys.argv[1], sys.argv[2], sys.argv[3:]
b = bytearray(open(src, "rb").read())
H, O = 80, 40
def recrc():
    struct.pack_into("<I", b, 36, 0)
    struct.pack_into("<I", b, 36, zlib.crc32(bytes(b)) & 0xffffffff)
if action[0] == "cut":
    b = b[:int(action[1])]
elif action[0] == "flip":
    b[int(action[1])] ^= 0xff
elif action[0] == "format":
    struct.pack_into("<I", b, 8, int(action[1])); recrc()
elif action[0] == "magic":
    b[0:8] = b"JAILBLOX"; recrc()
elif action[0] == "opcode":
    struct.pack_into("<H", b, H, int(action[1])); recrc()
elif action[0] == "offset":
    nops = struct.unpack_from("<I", b, 40)[0]
    tablen = len(b) - H - nops * O
    struct.pack_into("<I", b, H + 32, tablen); recrc()
elif action[0] in ("replace", "replace0"):
    # replace0: a whole string of the table, up to its NUL
    end = b"\0" if action[0] == "replace0" else b""
    old, new = action[1].encode() + end, action[2].encode() + end
    i = b.index(old, H)
    b[i:i + len(old)] = new; recrc()
elif action[0] == "trail":
    b += b"\0"
open(dst, "wb").write(bytes(b))
EOF
}

# refused NAME BLOB PATTERN: exit 2, a message naming the file that
# matches PATTERN, bwrap not run.
refused() {
	rm -f "$TMP/bwrap-ran"
	PATH="$TMP/bin:$PATH" $JAILRUN "$2" -c 'exit 0' >"$TMP/out" 2>"$TMP/err"
	st=$?
	ok=1
	if [ "$st" -eq 2 ] && [ ! -e "$TMP/bwrap-ran" ] &&
		grep -q "^jailrun: $2: .*$3" "$TMP/err"; then
		ok=0
	else
		tap_diag "status $st" "$(cat "$TMP/err")"
	fi
	tap "$ok" "refused: $1"
}

size=$(wc -c <"$TMP/t.jailb")
for n in 0 1 7 8 40 79 80 81 120 200 $((size / 2)) $((size - 2)) $((size - 1)); do
	patch "$TMP/t.jailb" "$TMP/cut$n.jailb" cut "$n"
	refused "cut to $n bytes" "$TMP/cut$n.jailb" ""
done
patch "$TMP/t.jailb" "$TMP/trail.jailb" trail
refused "a byte too many" "$TMP/trail.jailb" "trailing bytes"
for n in 85 130 $((size - 5)); do
	patch "$TMP/t.jailb" "$TMP/flip$n.jailb" flip "$n"
	refused "byte $n flipped" "$TMP/flip$n.jailb" "checksum"
done
patch "$TMP/t.jailb" "$TMP/newer.jailb" format 8
refused "a newer format" "$TMP/newer.jailb" \
	"compiled by a newer jailc (format 8); this jailrun reads format 7"
patch "$TMP/t.jailb" "$TMP/magic.jailb" magic
refused "bad magic" "$TMP/magic.jailb" "bad magic"
patch "$TMP/t.jailb" "$TMP/op.jailb" opcode 99
refused "unknown opcode" "$TMP/op.jailb" "unknown opcode 99"
patch "$TMP/t.jailb" "$TMP/off.jailb" offset
refused "string offset out of bounds" "$TMP/off.jailb" "out of bounds"
# op 0 is a var: an ARG there lacks its string
patch "$TMP/t.jailb" "$TMP/arg.jailb" opcode 8
refused "op without its string" "$TMP/arg.jailb" "string a is missing"
refused "not a file" "$TMP" "not a regular file"
# the seccomp filter starts by loading the architecture: 20000000 04000000
patch "$TMP/t.jailb" "$TMP/bpf.jailb" replace 2000000004000000 200000000400000g
refused "a seccomp filter that is not hex" "$TMP/bpf.jailb" "(seccomp): bad filter"
patch "$TMP/t.jailb" "$TMP/limit.jailb" replace0 core cord
refused "an unknown limit" "$TMP/limit.jailb" "(limit): bad limit"
patch "$TMP/t.jailb" "$TMP/scope.jailb" replace abstract-unix-socket \
    abstract-unix-sockex
refused "an unknown Landlock scope" "$TMP/scope.jailb" \
    "(scope): unknown scope"
# a git key goes to git as an argument: one that could be an option
patch "$TMP/t.jailb" "$TMP/gitkey.jailb" replace0 core.hooksPath -ore.hooksPath
refused "a git key that is not one" "$TMP/gitkey.jailb" "(gitpath): bad key"

# The text form: jailc's own, then damaged copies.  tedit IN OUT SED:
# the text plan IN changed by the sed script SED.
"$JAILC" compile -t plan -o "$TMP/t.plan" "$TMP/t.jail" 2>/dev/null
tap $? "jailc compile -t plan"
tedit() {
	sed "$3" "$1" >"$2"
}
# The first line of each kind of op, for the edits below.
tedit "$TMP/t.plan" "$TMP/p-end.plan" '$d'
refused "text: no end line" "$TMP/p-end.plan" "line [0-9]*: truncated: no \"end\" line"
head -c $(($(wc -c <"$TMP/t.plan") / 2)) "$TMP/t.plan" >"$TMP/p-half.plan"
refused "text: cut in half" "$TMP/p-half.plan" "line [0-9]*: "
printf 'jailplan 7\n' >"$TMP/p-head.plan"
refused "text: only the first line" "$TMP/p-head.plan" 'line 2: expected "jailc"'
tedit "$TMP/t.plan" "$TMP/p-fmt.plan" '1s/.*/jailplan 8/'
refused "text: a newer format" "$TMP/p-fmt.plan" \
    "line 1: compiled by a newer jailc (format 8); this jailrun reads format 7"
tedit "$TMP/t.plan" "$TMP/p-op.plan" '0,/^var /s/^var /frob /'
refused "text: an unknown op" "$TMP/p-op.plan" "line 9: unknown op"
tedit "$TMP/t.plan" "$TMP/p-kind.plan" '0,/^mount --bind /s/^mount --bind /mount --bond /'
refused "text: an unknown mount kind" "$TMP/p-kind.plan" "unknown mount kind"
tedit "$TMP/t.plan" "$TMP/p-var.plan" '0,/^var HOME/s/^var HOME/var HOMER/'
refused "text: an unknown variable" "$TMP/p-var.plan" "line 9: unknown variable"
tedit "$TMP/t.plan" "$TMP/p-sp.plan" '0,/^var HOME /s/^var HOME /var  HOME /'
refused "text: two spaces" "$TMP/p-sp.plan" "line 9: the variable is missing"
tedit "$TMP/t.plan" "$TMP/p-tail.plan" '0,/^exec /s/$/ x/'
refused "text: a word too many" "$TMP/p-tail.plan" "unexpected text at the end of the line"
printf 'jailplan 7\njailc 0.1.0\nname t\nfile t.jail\nbwrap bwrap\nargs-fd 3\nstays no\nexec "a\\x00b"\nend\n' \
    >"$TMP/p-nul.plan"
refused "text: a NUL byte escaped" "$TMP/p-nul.plan" 'line 8: bad \\x escape'
printf 'jailplan 7\njailc 0.1.0\nname t\nfile t.jail\nbwrap bwrap\nargs-fd 3\nstays no\nexec "a\tb"\nend\n' \
    >"$TMP/p-ctl.plan"
refused "text: a raw control character in a string" "$TMP/p-ctl.plan" \
    "line 8: raw byte 0x09 in a string"
printf 'jailplan 7\njailc 0.1.0\nname t\nfile t.jail\nbwrap bwrap\nargs-fd 3\nstays no\nexec "a\n' \
    >"$TMP/p-open.plan"
refused "text: an unterminated string" "$TMP/p-open.plan" "line 8: unterminated string"
{ cat "$TMP/t.plan"; echo 'exec /bin/sh'; } >"$TMP/p-after.plan"
refused "text: an op after end" "$TMP/p-after.plan" 'text after "end"'
# Well-formed lines that break the blob's rules: the verifier's words.
tedit "$TMP/t.plan" "$TMP/p-2exec.plan" 's/^exec \(.*\)$/exec \1\nexec \1/'
refused "text: a second command" "$TMP/p-2exec.plan" "(exec): a second command"
tedit "$TMP/t.plan" "$TMP/p-fd.plan" '0,/fd=4/s/fd=4/fd=3/'
refused "text: the arguments' descriptor taken" "$TMP/p-fd.plan" "descriptor 3 out of range"
tedit "$TMP/t.plan" "$TMP/p-tmpl.plan" '0,/\${PROJECT_ROOT}/s/\${PROJECT_ROOT}/${NOPE}/'
refused "text: an unknown variable in a template" "$TMP/p-tmpl.plan" "bad template"
tedit "$TMP/t.plan" "$TMP/p-order.plan" '/^var CWD /d'
refused "text: a variable used before it is resolved" "$TMP/p-order.plan" \
    "is resolved before what it depends on"
tedit "$TMP/t.plan" "$TMP/p-try.plan" '0,/^mount --proc /s/^mount --proc /mount --proc-try /'
refused "text: an optional form bwrap does not have" "$TMP/p-try.plan" "unknown mount kind"
tedit "$TMP/t.plan" "$TMP/p-dir.plan" '0,/^exec /s/^exec \(.*\) @/exec \1 dir @/'
refused "text: a flag the op does not take" "$TMP/p-dir.plan" "(exec): unknown flags"

# The same refusals under valgrind: no invalid read, no leak.
if command -v valgrind >/dev/null 2>&1 && [ -z "${JAILC_BIN:-}" ]; then
	for f in cut0.jailb cut79.jailb cut81.jailb "cut$((size - 1)).jailb" \
		trail.jailb flip130.jailb newer.jailb magic.jailb op.jailb \
		off.jailb arg.jailb bpf.jailb limit.jailb scope.jailb \
		gitkey.jailb p-end.plan p-half.plan p-head.plan p-op.plan \
		p-kind.plan p-nul.plan p-open.plan p-after.plan p-2exec.plan \
		p-tmpl.plan p-try.plan; do
		valgrind -q --error-exitcode=9 --leak-check=full \
			$JAILRUN "$TMP/$f" >/dev/null 2>"$TMP/vg"
		st=$?
		[ "$st" -eq 2 ] || tap_diag "status $st" "$(cat "$TMP/vg")"
		tap "$([ "$st" -eq 2 ] && echo 0 || echo 1)" "valgrind: $f"
	done
	# and a whole shipped profile worked out, in every mode but a run
	# (memcheck does not follow into bwrap)
	"$JAILC" compile -t blob -o "$TMP/claude.jailb" profiles/claude.jail \
	    2>/dev/null
	"$JAILC" compile -t plan -o "$TMP/claude.plan" profiles/claude.jail \
	    2>/dev/null
	for f in claude.jailb claude.plan; do
		for mode in --jail-print-argv --jail-dry-run --jail-help; do
			valgrind -q --error-exitcode=9 --leak-check=full \
				$JAILRUN "$TMP/$f" "$mode" >/dev/null 2>"$TMP/vg"
			st=$?
			[ "$st" -eq 0 ] || tap_diag "status $st" "$(cat "$TMP/vg")"
			tap "$st" "valgrind: $f $mode"
		done
	done
else
	tap_skip "valgrind" "no valgrind, or a sanitizer build"
fi

# One plan, four ways in: the shell launcher (text on a descriptor),
# the text form as a file, the same text on a descriptor by hand, and
# the blob: the same bytes out, the same status.
for mode in --jail-print-argv --jail-dry-run; do
	$JAILRUN "$TMP/t.jailb" "$mode" -c 'a b' "x'y" >"$TMP/c.out" 2>&1
	st0=$?
	bash "$TMP/t.sh" "$mode" -c 'a b' "x'y" >"$TMP/sh.out" 2>&1
	st1=$?
	$JAILRUN "$TMP/t.plan" "$mode" -c 'a b' "x'y" >"$TMP/tf.out" 2>&1
	st2=$?
	$JAILRUN --plan-fd 7 t.sh "$mode" -c 'a b' "x'y" 7<"$TMP/t.plan" \
	    >"$TMP/fd.out" 2>&1
	st3=$?
	cmp -s "$TMP/sh.out" "$TMP/c.out" && [ "$st0" = "$st1" ]
	tap $? "$mode: the shell launcher's, as the blob's"
	cmp -s "$TMP/tf.out" "$TMP/c.out" && [ "$st0" = "$st2" ]
	tap $? "$mode: the text plan's from a file, as the blob's"
	cmp -s "$TMP/fd.out" "$TMP/c.out" && [ "$st0" = "$st3" ]
	tap $? "$mode: the text plan's from a descriptor, as the blob's"
done
$JAILRUN --plan-fd 9 t.sh --jail-dry-run 2>"$TMP/err" >/dev/null
[ $? = 2 ] && grep -q '^jailrun: --plan-fd 9: not an open descriptor' "$TMP/err"
tap $? "--plan-fd of a closed descriptor: exit 2, said so"
$JAILRUN --plan-fd 7 2>"$TMP/err" >/dev/null 7<"$TMP/t.plan"
[ $? = 2 ] && grep -q '^usage: jailrun' "$TMP/err"
tap $? "--plan-fd without the launcher's name: usage, exit 2"
$JAILRUN --plan-fd 7 t.sh --jail-dry-run 7<"$TMP/t.jailb" >"$TMP/fd.out" 2>&1
[ $? = 0 ] && grep -q -- '--clearenv' "$TMP/fd.out"
tap $? "--plan-fd takes a blob too"
$JAILRUN "$TMP/t.jailb" --jail-bogus >/dev/null 2>"$TMP/err"
st=$?
[ "$st" -eq 125 ] && grep -q "^t: unknown launcher flag '--jail-bogus'" "$TMP/err"
tap $? "unknown --jail- flag: 125"

# A real launch.
if ! bwrap --unshare-user --ro-bind / / -- /bin/sh -c : 2>/dev/null; then
	tap_skip "run in bwrap" "bwrap cannot create a user namespace here"
	tap_skip "exit status" "bwrap cannot create a user namespace here"
	tap_skip "work directory removed" "no user namespace"
else
	out=$($JAILRUN "$TMP/t.jailb" -c 'echo hi; cat /etc/motd' 2>&1)
	[ "$out" = "hi
hello" ]
	st=$?
	[ "$st" -eq 0 ] || tap_diag "$out"
	tap "$st" "run in bwrap"
	TMPDIR=$TMP $JAILRUN "$TMP/t.jailb" \
		-c "ls -d '$TMP'/jail.* >/dev/null || exit 1; exit 42"
	st=$?
	[ "$st" -eq 42 ]
	tap $? "exit status passes through (42, got $st)"
	left=$(find "$TMP" -maxdepth 1 -name 'jail.*' | wc -l)
	[ "$left" -eq 0 ]
	tap $? "work directory removed"
fi

tap_done
