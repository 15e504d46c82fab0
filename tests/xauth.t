#!/bin/sh
# xauth.t - runtime/xauth.c through build/xauthtest: DISPLAY values, and
# Xauthority files written by the real xauth(1) cut down to the one
# cookie a jail's display needs, which xauth(1) then reads back.
#
# Each file is made of records that xauth writes one file at a time and
# that are then put together with cat, so that their order is the one a
# case needs (xauth add puts its new record first).  Cookies are ASCII,
# so that a message that printed one would be seen.
. tests/lib.sh
tap_tmpdir xauth
X=$TOOLS/xauthtest

# display VALUE EXPECTED: "ok" cases print the number, others a reason.
display() {
	out=$("$X" display "$1" 2>&1)
	rc=$?
	case $2 in
	[0-9]*) [ $rc -eq 0 ] && [ "$out" = "$2" ] ;;
	*) [ $rc -eq 1 ] && case $out in *"$2"*) true ;; *) false ;; esac ;;
	esac
	r=$?
	tap $r "DISPLAY '$1': $2"
	[ $r -ne 0 ] && tap_diag "rc $rc: $out"
}
display ':0' 0
display ':0.0' 0
display ':12.3' 12
display 'unix:7' 7
display 'unix:7.1' 7
display ':59535' 59535
display ':59536' 'from 0 to 59535'
display ':4294967296' 'from 0 to 59535'
display ':01' 'without leading zeros'
display ':-1' 'not a decimal number'
display ':' 'not a decimal number'
display ':0.' 'screen number'
display ':0.01' 'screen number'
display ':0 ' 'not a display name'
display ':0:0' 'not a display name'
display '' 'not a display name'
display 'localhost:10.0' 'another host or over TCP'
display 'example.org:0' 'another host or over TCP'
display '/tmp/.X11-unix/X0' 'a socket path'
display 'unix:/tmp/.X11-unix/X0' 'a socket path'
display '../X0' 'not a display name'

if ! command -v xauth >/dev/null 2>&1; then
	tap_skip "Xauthority files" \
	    "no xauth(1) to write them (Debian: xauth; sh tools/deps.sh test)"
	tap_done
	exit
fi

host=$(uname -n)
other=not-$host
MIT="MIT-MAGIC-COOKIE-1"
XDM="XDM-AUTHORIZATION-1"
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
# rec FILE DISPLAYNAME NAME COOKIE: one record, appended to FILE.
rec() {
	: >"$TMP/one"
	xauth -q -f "$TMP/one" add "$2" "$3" "$(hex "$4")" &&
	    cat "$TMP/one" >>"$1" || made=1
}
# nrec FILE FAMILY-ADDRESS-NUMBER COOKIE: one MIT-MAGIC-COOKIE-1 record
# given in xauth's numeric form (nlist), appended.
nrec() {
	: >"$TMP/one"
	echo "$2 0012 $hmit $(printf %04x ${#3}) $(hex "$3")" |
	    xauth -q -f "$TMP/one" nmerge - && [ -s "$TMP/one" ] &&
	    cat "$TMP/one" >>"$1" || made=1
}
made=0
hmit=$(hex $MIT)

A=$TMP/a
: >"$A"
rec "$A" "$host/unix:0" $MIT "cookie-A-local-0"
rec "$A" "$other/unix:0" $MIT "cookie-B-other-0"
rec "$A" "$host/unix:1" $MIT "cookie-C-local-1"
rec "$A" "$host/unix:3" $XDM "cookie-D-xdm-3.."
rec "$A" "$host/unix:3" $MIT "cookie-E-mit-3.."
rec "$A" "$host/unix:4" $XDM "cookie-F-xdm-4.."
nrec "$A" "ffff 0000  0001 32" cookie-G-wild-2..
nrec "$A" "0000 0004 7f000001 0001 35" cookie-I-inet-5..
nrec "$A" "0100 0000  0001 38" cookie-L-noaddr-8
rec "$A" "$host/unix:9" "OTHER-KIND" "cookie-M-other-9"
W=$TMP/w
: >"$W"
nrec "$W" "ffff 0000  0000 " cookie-H-anynum..
rec "$W" "$host/unix:0" $MIT "cookie-J-local-0"
O=$TMP/o
: >"$O"
rec "$O" "$host/unix:6" $MIT "cookie-K-local-6"
nrec "$O" "ffff 0000  0001 36" cookie-N-wild-6..
[ $made -eq 0 ] && [ "$(xauth -f "$A" list | wc -l)" -eq 10 ] &&
    [ "$(xauth -f "$W" list | wc -l)" -eq 2 ] &&
    [ "$(xauth -f "$O" list | wc -l)" -eq 2 ]
tap $? "xauth wrote the test files"
tap_diag "$(xauth -f "$A" list)" "$(xauth -f "$W" list)" \
    "$(xauth -f "$O" list)"

# filter FILE HOST DISPLAY NEWDISPLAY COOKIE|none|XDM:COOKIE WHAT
filter() {
	rm -f "$TMP/out"
	n=$("$X" filter "$1" "$TMP/out" "$2" "$3" "$4" 2>"$TMP/err")
	rc=$?
	case $5 in
	none)
		[ $rc -eq 3 ] && [ "$n" = 0 ] && [ ! -s "$TMP/out" ]
		r=$?
		got="rc $rc, $(wc -c <"$TMP/out") bytes"
		;;
	*)
		kind=$MIT cookie=$5
		case $5 in XDM:*) kind=$XDM cookie=${5#XDM:} ;; esac
		got=$(xauth -f "$TMP/out" list 2>&1)
		[ $rc -eq 0 ] && [ "$n" = 1 ] &&
		    [ "$got" = "#ffff##:$4  $kind  $(hex "$cookie")" ] &&
		    xauth -f "$TMP/out" nlist | grep -q '^ffff 0000  '
		r=$?
		;;
	esac
	tap $r "$6"
	[ $r -ne 0 ] && tap_diag "rc $rc, printed '$n': $got" "$(cat "$TMP/err")"
}
filter "$A" "$host" 0 88 cookie-A-local-0 \
    ":0 on this host: its FamilyLocal cookie, as FamilyWild :88"
filter "$A" "$other" 0 88 cookie-B-other-0 \
    ":0 on another host name: that host's cookie"
filter "$A" "$host" 1 0 cookie-C-local-1 ":1 as :0"
filter "$A" "$host" 1 59535 cookie-C-local-1 ":1 as :59535"
filter "$A" "$host" 2 88 cookie-G-wild-2.. ":2: a FamilyWild cookie"
filter "$A" - 2 88 cookie-G-wild-2.. ":2 with no host name: FamilyWild still"
filter "$A" - 0 88 none ":0 with no host name: nothing"
filter "$A" "$host" 3 88 cookie-E-mit-3.. \
    ":3: MIT-MAGIC-COOKIE-1 chosen over the XDM-AUTHORIZATION-1 before it"
filter "$A" "$host" 4 88 XDM:cookie-F-xdm-4.. \
    ":4: XDM-AUTHORIZATION-1 when it is the only kind"
filter "$A" "$host" 5 88 none ":5: a FamilyInternet record is not taken"
filter "$A" "$host" 8 88 none \
    ":8: a FamilyLocal record with an empty address is not taken"
filter "$A" "" 8 88 none ":8 with an empty host name: not taken either"
filter "$A" "$host" 9 88 none ":9: a kind of cookie no client uses"
filter "$A" "$host" 10 88 none ":10: no record at all"
filter "$W" "$host" 0 88 cookie-H-anynum.. \
    ":0: a record with an empty number, first in the file, taken"
filter "$W" "$host" 7 88 cookie-H-anynum.. \
    ":7: the empty number matches every display"
filter "$O" "$host" 6 88 cookie-K-local-6 \
    ":6: the first MIT record in the file (FamilyLocal before FamilyWild)"
filter "$O" "$other" 6 88 cookie-N-wild-6.. \
    ":6 on another host name: the FamilyWild record"
: >"$TMP/empty"
filter "$TMP/empty" "$host" 0 88 none "an empty file: no record"

# The written record reads back through the filter as itself.
"$X" filter "$A" "$TMP/once" "$host" 0 88 >/dev/null &&
    "$X" filter "$TMP/once" "$TMP/twice" - 88 88 >/dev/null &&
    cmp -s "$TMP/once" "$TMP/twice"
tap $? "the written record, filtered again for its own display, is itself"

# refused FILE WHAT TEXT [OUTCAP]: an error that says TEXT, nothing
# written.
refused() {
	rm -f "$TMP/out"
	"$X" filter -c "${4:-131085}" "$1" "$TMP/out" "$host" 0 88 \
	    >/dev/null 2>"$TMP/err"
	rc=$?
	[ $rc -eq 1 ] && grep -q "$3" "$TMP/err" && [ ! -e "$TMP/out" ]
	r=$?
	tap $r "$2"
	[ $r -ne 0 ] && tap_diag "rc $rc: $(cat "$TMP/err")"
}
printf 'hello, world\n' >"$TMP/text"
refused "$TMP/text" "a text file is refused" "truncated or damaged"
printf '\377\377\377\377' >"$TMP/ff"
refused "$TMP/ff" "a length past the end is refused" "truncated or damaged"
cp "$A" "$TMP/tail"
printf '\001' >>"$TMP/tail"
refused "$TMP/tail" \
    "one stray byte after the records: refused, though :0 matched before it" \
    "truncated or damaged"
head -c 1048577 /dev/zero >"$TMP/big"
refused "$TMP/big" "a file of 1 MiB and one byte is refused" \
    "larger than 1 MiB"
# Ten zero bytes are a record (family 0, every field empty).
head -c 1048570 /dev/zero >"$TMP/big"
"$X" filter "$TMP/big" "$TMP/out" "$host" 0 88 >/dev/null 2>"$TMP/err"
[ $? -eq 3 ] && [ ! -s "$TMP/err" ]
tap $? "104857 empty records, just under 1 MiB: read whole, no match"
# The record for :88 is 2 + 2 + (2 + 2) + (2 + 18) + (2 + 16) bytes.
refused "$A" "45 bytes of room for a 46-byte record: refused" "no room" 45
"$X" filter -c 46 "$A" "$TMP/out" "$host" 0 88 >/dev/null &&
    [ "$(wc -c <"$TMP/out")" -eq 46 ]
tap $? "46 bytes of room: written, 46 bytes"

# Every prefix of A: refused unless it ends between two records, where
# it is a shorter file.  The ends are counted from xauth's own nlist.
ends=" 0 "
off=0
xauth -f "$A" nlist >"$TMP/nlist"
while read -r _fam rest; do
	# shellcheck disable=SC2086 # empty fields vanish, hence the shifts
	set -- $rest
	n=2
	for _f in 1 2 3 4; do
		len=$(printf %d "0x$1")
		shift
		n=$((n + 2 + len))
		[ "$len" -gt 0 ] && shift
	done
	off=$((off + n))
	ends="$ends$off "
done <"$TMP/nlist"
size=$(wc -c <"$A")
"$X" prefixes "$A" "$host" 0 88 >"$TMP/prefixes" 2>"$TMP/errs"
bad=""
k=1
while read -r len rc; do
	[ "$len" -eq $k ] || bad="$bad $len:order"
	case $ends in
	*" $k "*) [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || bad="$bad $k:$rc" ;;
	*) [ "$rc" -eq 1 ] || bad="$bad $k:$rc" ;;
	esac
	k=$((k + 1))
done <"$TMP/prefixes"
[ -z "$bad" ] && [ "$off" -eq "$size" ] && [ $k -eq "$size" ]
tap $? "each of the $((size - 1)) prefixes of a $size-byte file: refused" \
    "unless it ends at a record's end (at$ends)"
[ -n "$bad" ] && tap_diag "prefix:status wrong:$bad"
# No message holds a cookie (they are ASCII, "cookie-...").
! grep -q cookie- "$TMP/errs" "$TMP/err" &&
    [ "$(grep -c 'truncated or damaged' "$TMP/errs")" -gt 0 ]
tap $? "no message shows a cookie"

# A real X server takes the record: Xvfb in a jail of its own (its /tmp
# and its network namespace, so that neither its socket nor its abstract
# one is the host's), the record filtered from a FamilyLocal cookie for
# its display N, and xdpyinfo in a second jail with another host name
# and the socket bound as display N + 1: what a gui jail does.
x11=""
for t in Xvfb xdpyinfo bwrap; do
	command -v $t >/dev/null 2>&1 || x11="$x11 $t"
done
if [ -n "$x11" ]; then
	tap_skip "a real X server takes the cookie" \
	    "missing:$x11 (Debian: xvfb x11-utils bubblewrap)"
	tap_done
	exit
fi
N=$(($$ % 100 + 100))
J=$((N + 1))
mkdir -p "$TMP/x11"
chmod 1777 "$TMP/x11"
: >"$TMP/srv"
xauth -q -f "$TMP/srv" add "$host/unix:$N" $MIT "$(hex cookie-X-server-$N)"
# Xvfb writes its compiled keymaps to /var/lib/xkb (Debian): a tmpfs.
xkb=""
[ -d /var/lib/xkb ] && xkb="--tmpfs /var/lib/xkb"
# shellcheck disable=SC2086 # $xkb is two words or none
bwrap --dev-bind / / --tmpfs /tmp --bind "$TMP/x11" /tmp/.X11-unix $xkb \
    --unshare-net --die-with-parent \
    Xvfb ":$N" -nolisten tcp -auth "$TMP/srv" >"$TMP/xvfb.log" 2>&1 &
xvfb=$!
tap_waitfor "$TMP/x11/X$N"
tap $? "Xvfb :$N is up in its jail"
"$X" filter "$TMP/srv" "$TMP/jail" "$host" "$N" "$J" >/dev/null
tap $? "the cookie of :$N, filtered for :$J"
# xdpyinfo CREDENTIALS: in a jail named jailhost, X socket N as J.
xdpyinfo_in_jail() {
	bwrap --ro-bind / / --tmpfs /tmp --dev /dev --proc /proc \
	    --unshare-net --unshare-pid --unshare-uts --hostname jailhost \
	    --bind "$TMP/x11/X$N" "/tmp/.X11-unix/X$J" \
	    --ro-bind "$1" /tmp/xauth --setenv XAUTHORITY /tmp/xauth \
	    --die-with-parent xdpyinfo -display ":$J" >"$TMP/xdpy" 2>&1
}
xdpyinfo_in_jail "$TMP/jail" && grep -q "^name of display: *:$J" "$TMP/xdpy"
r=$?
tap $r "xdpyinfo in a jail with another host name opens :$J with it"
[ $r -ne 0 ] && tap_diag "$(head -5 "$TMP/xdpy")" "$(cat "$TMP/xvfb.log")"
xdpyinfo_in_jail "$TMP/srv"
[ $? -ne 0 ] && grep -q 'uthori' "$TMP/xdpy"
r=$?
tap $r "... and not with the unfiltered file (its cookie is for $host, :$N)"
[ $r -ne 0 ] && tap_diag "$(head -5 "$TMP/xdpy")"
kill "$xvfb" 2>/dev/null
wait "$xvfb" 2>/dev/null

tap_done
