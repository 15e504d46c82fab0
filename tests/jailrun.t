#!/bin/sh
# jailrun.t - the runtime: blobs the verifier must refuse (cut short,
# corrupted, from a newer jailc, with an unknown op or a string out of
# bounds), each with exit status 2, a message naming the file, and
# bwrap never run; the same under valgrind; then a real launch in
# bubblewrap with the command's exit status passed through, and the
# runtime's --jail-print-argv and --jail-dry-run against the bash
# launcher's for one profile.
. tests/lib.sh

if [ -n "${JAILC_BIN:-}" ]; then
	JAILRUN=$JAILC_BIN/jailrun
else
	JAILRUN=./jailrun
fi
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
    struct.pack_into("<I", b, 36, zlib.crc32(bytes(b[H:])) & 0xffffffff)
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
patch "$TMP/t.jailb" "$TMP/newer.jailb" format 4
refused "a newer format" "$TMP/newer.jailb" \
	"compiled by a newer jailc (format 4); this jailrun reads format 3"
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

# The same refusals under valgrind: no invalid read, no leak.
if command -v valgrind >/dev/null 2>&1 && [ -z "${JAILC_BIN:-}" ]; then
	for f in cut0 cut79 cut81 "cut$((size - 1))" trail flip130 newer \
		magic op off arg bpf limit scope gitkey; do
		valgrind -q --error-exitcode=9 --leak-check=full \
			$JAILRUN "$TMP/$f.jailb" >/dev/null 2>"$TMP/vg"
		st=$?
		[ "$st" -eq 2 ] || tap_diag "status $st" "$(cat "$TMP/vg")"
		tap "$([ "$st" -eq 2 ] && echo 0 || echo 1)" "valgrind: $f"
	done
	# and a whole shipped profile worked out, in every mode but a run
	# (memcheck does not follow into bwrap)
	"$JAILC" compile -t blob -o "$TMP/claude.jailb" profiles/claude.jail \
	    2>/dev/null
	for mode in --jail-print-argv --jail-dry-run --jail-help; do
		valgrind -q --error-exitcode=9 --leak-check=full \
			$JAILRUN "$TMP/claude.jailb" "$mode" >/dev/null 2>"$TMP/vg"
		st=$?
		[ "$st" -eq 0 ] || tap_diag "status $st" "$(cat "$TMP/vg")"
		tap "$st" "valgrind: claude.jailb $mode"
	done
else
	tap_skip "valgrind" "no valgrind, or a sanitizer build"
fi

# The runtime and the bash launcher agree, byte for byte.
for mode in --jail-print-argv --jail-dry-run; do
	bash "$TMP/t.sh" "$mode" -c 'a b' "x'y" >"$TMP/sh.out" 2>&1
	st1=$?
	$JAILRUN "$TMP/t.jailb" "$mode" -c 'a b' "x'y" >"$TMP/c.out" 2>&1
	st2=$?
	cmp -s "$TMP/sh.out" "$TMP/c.out" && [ "$st1" = "$st2" ]
	tap $? "$mode: as the bash launcher"
done
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
