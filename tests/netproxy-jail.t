#!/bin/sh
# netproxy-jail.t - network.mode = "proxy" in real jails: both forms of
# launcher (the shell wrapper hands jailrun the text plan, the single
# file carries the blob), as root and as an unprivileged user.  Local
# servers on the host's loopback play the Internet: a plain HTTP one and
# an HTTPS one that the profile allows by address, a loopback service it
# does not name, and an abstract unix socket.  Through the proxy, curl
# reaches the allowed ones and is refused the others with the rule in
# the answer; without it nothing leaves the jail (TCP, UDP, DNS, the
# abstract socket); the summary at exit and --jail-net-log list what was
# refused.
. tests/lib.sh

JAILRUN=$PWD/${JAILC_BIN:-.}/jailrun
if [ ! -x "$JAILRUN" ]; then
	echo "1..0 # SKIP $JAILRUN is not built (make check builds it)"
	exit 0
fi
for c in curl openssl /usr/bin/python3; do
	if ! command -v $c >/dev/null; then
		echo "1..0 # SKIP $c is needed (tools/deps.sh test installs it)"
		exit 0
	fi
done
export JAILRUN
case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY \
    no_proxy NO_PROXY

T=$(mktemp -d /tmp/jailc-netproxy.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
pids=
# the servers and proxies this script started, by their ids
stop_all() {
	for sp in $pids; do
		kill "$sp" 2>/dev/null
	done
}
trap 'stop_all; rm -rf "$T"' EXIT
tap_jail_users

# --- the servers on the host's loopback ----------------------------------

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=jailtest \
    -addext 'subjectAltName=IP:127.0.0.1' \
    -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1
chmod 0644 "$T/key.pem" "$T/cert.pem"
abs="jailc-netproxy-$$"
cat >"$T/servers.py" <<'EOF'
import http.server, os, socket, ssl, sys, threading

class Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        text = (self.requestline + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)
    def log_message(self, *a):
        pass

plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
tls = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
a.bind("\0" + sys.argv[4])
a.listen(5)
with open(sys.argv[3] + ".tmp", "w") as f:
    f.write("%d %d %d\n" % (plain.server_address[1], tls.server_address[1],
                            other.server_address[1]))
os.rename(sys.argv[3] + ".tmp", sys.argv[3])
threading.Thread(target=tls.serve_forever, daemon=True).start()
threading.Thread(target=other.serve_forever, daemon=True).start()
plain.serve_forever()
EOF
/usr/bin/python3 "$T/servers.py" "$T/cert.pem" "$T/key.pem" "$T/ports" "$abs" &
pids="$pids $!"
tap_waitfor "$T/ports"
tap $? "servers on the host's loopback and an abstract socket"
read -r HTTP HTTPS OTHER <"$T/ports"

# --- the launchers -------------------------------------------------------

cat >"$T/np.jail" <<EOF
version = 1
name = "np"
extends = ["base"]
[command]
exec = "/bin/sh"
[[mount]]
ro = "$T"
[network]
mode = "proxy"
allow = ["127.0.0.1:$HTTP", "127.0.0.1:$HTTPS"]
EOF
"$JAILC" compile --standalone -o "$T/np.shell" "$T/np.jail" 2>"$T/np.err" &&
	"$JAILC" compile -t exe -o "$T/np.exe" "$T/np.jail" 2>>"$T/np.err" &&
	chmod 0755 "$T/np.shell" "$T/np.exe"
tap $? "a profile with network.mode = \"proxy\" compiles to both forms"

as() {
	w=$1
	shift
	if [ "$w" = user ] && [ "$user_via" = setpriv ]; then
		setpriv --reuid=jailtest --regid=jailtest --clear-groups \
		    env HOME="$T/home" USER=jailtest "$@"
	else
		env HOME="$T/home" "$@"
	fi
}
mkdir -p "$T/home" "$T/out"
chmod 0777 "$T/home" "$T/out"

# What runs in the jail: each probe prints one line.
cat >"$T/probe.sh" <<EOF
cd /
echo "env \$HTTPS_PROXY"
curl -sS --max-time 10 http://127.0.0.1:$HTTP/plain 2>&1 | head -1
curl -sS --max-time 10 --cacert $T/cert.pem https://127.0.0.1:$HTTPS/tls 2>&1 | head -1
curl -sS -v --max-time 10 http://127.0.0.1:$OTHER/ 2>&1 | grep '^< HTTP' | sed 's/^/other /'
curl -sS -v --max-time 10 https://127.0.0.1:$OTHER/ 2>&1 | grep '^< HTTP' | sed 's/^/otherconnect /'
curl -sS --max-time 5 --noproxy '*' http://127.0.0.1:$HTTP/ >/dev/null 2>&1; echo "direct \$?"
/usr/bin/python3 -c '
import socket, sys
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x", ("8.8.8.8", 53))
    print("udp sent")
except OSError as e:
    print("udp", e.errno)
try:
    socket.getaddrinfo("example.com", 443)
    print("dns resolved")
except OSError as e:
    print("dns failed")
try:
    a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    a.connect("\0" + sys.argv[1])
    print("abstract connected")
except OSError as e:
    print("abstract", e.errno)
' "$abs"
EOF
chmod 0644 "$T/probe.sh"

for who in root user; do
	if [ "$who" = root ]; then skip=$root_skip; else skip=$user_skip; fi
	for form in shell exe; do
		d="$who $form"
		if [ -n "$skip" ]; then
			for t in allowed https refused connect direct udp dns \
			    abstract summary log; do
				tap_skip "$d: $t" "$skip"
			done
			continue
		fi
		log=$T/out/$who-$form.log
		(cd "$T" && as "$who" "$T/np.$form" --jail-net-log "$log" \
		    "$T/probe.sh") >"$T/out.txt" 2>"$T/err.txt"
		jrc=$?
		grep -q "^GET /plain HTTP/1.1$" "$T/out.txt"
		rc=$?
		tap $rc "$d: plain HTTP to an allowed host's address goes through (exit $jrc)"
		[ $rc -ne 0 ] && tap_diag "$(cat "$T/out.txt" "$T/err.txt")"
		grep -q "^GET /tls HTTP/1.1$" "$T/out.txt"
		tap $? "$d: HTTPS through CONNECT to an allowed one"
		grep -q "^other < HTTP/1.1 403 np: 127.0.0.1:$OTHER not in network.allow" \
		    "$T/out.txt"
		tap $? "$d: a host loopback service not named: 403 naming the rule"
		grep -q "^otherconnect < HTTP/1.1 403 np: 127.0.0.1:$OTHER not in network.allow" \
		    "$T/out.txt"
		tap $? "$d: ... and its CONNECT too"
		grep -q "^direct 7$" "$T/out.txt"
		tap $? "$d: a direct TCP connect past the proxy fails"
		grep -q "^udp [0-9]" "$T/out.txt"
		tap $? "$d: UDP does not leave the jail ($(grep '^udp' "$T/out.txt"))"
		grep -q "^dns failed$" "$T/out.txt"
		tap $? "$d: no DNS in the jail"
		grep -q "^abstract 111$" "$T/out.txt"
		tap $? "$d: the host's abstract socket is out of reach (ECONNREFUSED)"
		grep -q "^np: the network proxy refused 2 connections" "$T/err.txt" &&
		    grep -q "^  *2  127.0.0.1:$OTHER  not in network.allow$" \
		        "$T/err.txt"
		rc=$?
		tap $rc "$d: the summary at exit lists what was refused"
		[ $rc -ne 0 ] && tap_diag "$(cat "$T/err.txt")"
		grep -q "^2 127.0.0.1:$OTHER not in network.allow$" "$log"
		tap $? "$d: --jail-net-log writes it to the file"
	done
done

# The proxy's variables: NO_PROXY keeps the jail's own loopback direct,
# unless the allowlist names the loopback (the host's is meant).
sed -e 's/^allow = .*/allow = ["example.com:443"]/' "$T/np.jail" >"$T/pub.jail"
"$JAILC" compile -t exe -o "$T/pub.exe" "$T/pub.jail" 2>/dev/null &&
	(cd "$T" && "$T/pub.exe" --jail-dry-run) >"$T/dry.txt" 2>&1
grep -q "^    --setenv NO_PROXY localhost.,127.0.0.1.,::1 " "$T/dry.txt" &&
    grep -q "^    --setenv https_proxy http://127.0.0.1:3128 " "$T/dry.txt" &&
    grep -q "^    -- /.jailrun-net --jail-net-pre [0-9]* 3128 -- /bin/sh" \
        "$T/dry.txt"
rc=$?
tap $rc "dry run: the proxy's variables, and the helper before the command"
[ $rc -ne 0 ] && tap_diag "$(cat "$T/dry.txt")"
(cd "$T" && "$T/np.exe" --jail-dry-run) >"$T/dry.txt" 2>&1
grep -q "^    --setenv NO_PROXY '' " "$T/dry.txt"
tap $? "dry run: NO_PROXY empty when the allowlist names the loopback"
(cd "$T" && "$T/np.exe" --jail-net-log "$T/x.log" --jail-dry-run) >/dev/null 2>&1 &&
    "$T/pub.exe" --jail-net-log "$T/x.log" --jail-help >/dev/null 2>&1
tap $? "--jail-net-log goes before another launcher flag"

# On a kernel without Landlock (build/nolandlock answers for it), where
# a host-network jail with the abstract-socket scope refuses to start
# (tests/scope.t), a proxy jail runs: its own namespace keeps the
# abstract sockets out.
NOLL=$PWD/${JAILC_BIN:-build}/nolandlock
[ -x "$NOLL" ] || NOLL=$PWD/build/nolandlock
if [ -x "$NOLL" ]; then
	cp "$NOLL" "$T/nolandlock" && chmod 0755 "$T/nolandlock"
fi
for who in root user; do
	if [ "$who" = root ]; then skip=$root_skip; else skip=$user_skip; fi
	[ -x "$T/nolandlock" ] || skip="build/nolandlock is not built"
	for form in shell exe; do
		if [ -n "$skip" ]; then
			tap_skip "$who $form: no Landlock" "$skip"
			continue
		fi
		(cd "$T" && as "$who" "$T/nolandlock" nosys "$T/np.$form" -c \
		    "curl -sS http://127.0.0.1:$HTTP/noll") >"$T/out.txt" 2>&1
		grep -q "^GET /noll HTTP/1.1$" "$T/out.txt"
		tap $? "$who $form: without Landlock the proxy jail runs ($(head -c 200 "$T/out.txt"))"
	done
done

# Nothing refused, nothing said.
if [ -z "$root_skip" ]; then
	(cd "$T" && as root "$T/np.exe" -c "curl -sS http://127.0.0.1:$HTTP/ >/dev/null") \
	    >/dev/null 2>"$T/err.txt"
	[ ! -s "$T/err.txt" ]
	tap $? "root exe: nothing refused: no summary"
else
	tap_skip "nothing refused: no summary" "$root_skip"
fi

tap_done
