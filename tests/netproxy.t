#!/bin/sh
# netproxy.t - jailrun's network proxy on its own (runtime/netproxy.c,
# run by build/netproxy_test), against local servers on the loopback: a
# plain HTTP one and an HTTPS one (python3's http.server and ssl, with a
# certificate made here by openssl), reached with real curl and node.
# What the proxy lets through, what it refuses and with which rule, the
# addresses it refuses after resolving (a name resolving to the loopback,
# played by an /etc/hosts of our own bound over the real one in a
# private mount namespace), its limits on a request head, an upstream
# proxy, and its summary and log of refusals.
. tests/lib.sh

NPT=$PWD/$TOOLS/netproxy_test
if [ ! -x "$NPT" ]; then
	echo "1..0 # SKIP $NPT is not built (make check builds it)"
	exit 0
fi
for c in python3 curl openssl; do
	if ! command -v $c >/dev/null; then
		echo "1..0 # SKIP $c is needed (tools/deps.sh test installs it)"
		exit 0
	fi
done
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY \
    no_proxy NO_PROXY
tap_tmpdir netproxy
pids=
# the servers and proxies this script started, by their ids
stop_all() {
	for sp in $pids; do
		kill "$sp" 2>/dev/null
	done
}
trap 'stop_all; rm -rf "$TMP"' EXIT
[ -n "${KEEP-}" ] && trap stop_all EXIT

# --- the servers -------------------------------------------------------

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=jailtest \
    -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:named.example.test,DNS:loop.example.test' \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1
tap $? "a certificate for the HTTPS server"

# Each answers with what it received: the request line and the header
# fields, so that what the proxy forwards can be read from the body.
cat >"$TMP/servers.py" <<'EOF'
import http.server, ssl, sys, threading

class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        text = (self.requestline + "\n" + str(self.headers)).encode() + body
        self.send_response(200)
        self.send_header("Content-Length", str(len(text)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(text)
    do_GET = do_POST = answer
    def log_message(self, *a):
        pass

plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
tls = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
with open(sys.argv[3] + ".tmp", "w") as f:
    f.write("%d %d\n" % (plain.server_address[1], tls.server_address[1]))
import os
os.rename(sys.argv[3] + ".tmp", sys.argv[3])
threading.Thread(target=tls.serve_forever, daemon=True).start()
plain.serve_forever()
EOF
python3 "$TMP/servers.py" "$TMP/cert.pem" "$TMP/key.pem" "$TMP/ports" &
pids="$pids $!"
tap_waitfor "$TMP/ports"
tap $? "the HTTP and HTTPS servers listen on the loopback"
read -r HTTP HTTPS <"$TMP/ports"
# a port nothing listens on, in no rule
CLOSED=$((HTTP == 65535 ? 65534 : HTTP + 1))

# --- the proxy ---------------------------------------------------------

# proxy NAME [netproxy_test ARGS]: start one; its port in $NAME's file,
# its pid in $TMP/NAME.pid, its stderr in $TMP/NAME.err.
proxy() {
	pn=$1
	shift
	rm -f "$TMP/$pn.port"
	${WRAP:-} "$NPT" "$@" >"$TMP/$pn.port.tmp" 2>"$TMP/$pn.err" &
	echo $! >"$TMP/$pn.pid"
	pids="$pids $!"
	pw=0
	while [ ! -s "$TMP/$pn.port.tmp" ] && [ $pw -lt 200 ]; do
		sleep 0.05
		pw=$((pw + 1))
	done
	mv "$TMP/$pn.port.tmp" "$TMP/$pn.port"
}
# stop NAME: SIGTERM, and wait for it to print and write its summary
stop() {
	# a proxy in bwrap (WRAP) is bwrap's child
	for sc in $(pgrep -P "$(cat "$TMP/$1.pid")"); do
		kill -TERM "$sc"
	done
	kill -TERM "$(cat "$TMP/$1.pid")" 2>/dev/null
	sw=0
	while kill -0 "$(cat "$TMP/$1.pid")" 2>/dev/null && [ $sw -lt 100 ]; do
		sleep 0.05
		sw=$((sw + 1))
	done
}
port() { cat "$TMP/$1.port"; }

# via NAME CURL-ARGS...: curl through proxy NAME; body in $TMP/body,
# headers and messages in $TMP/curl
via() {
	vp=$(port "$1")
	shift
	curl -sS -v --max-time 20 --cacert "$TMP/cert.pem" \
	    -x "http://127.0.0.1:$vp" -o "$TMP/body" "$@" >"$TMP/curl" 2>&1
}

proxy p -l "$TMP/p.log" "127.0.0.1:$HTTP" "127.0.0.1:$HTTPS" \
    "localhost:$HTTPS" -d "localhost:$HTTP"
[ -s "$TMP/p.port" ]
tap $? "the proxy listens and says where"

via p "http://127.0.0.1:$HTTP/hello?x=1" &&
    grep -q "^GET /hello?x=1 HTTP/1.1$" "$TMP/body"
tap $? "plain HTTP to an allowed address: forwarded in origin form"
grep -qi "^Host: 127.0.0.1:$HTTP$" "$TMP/body" &&
    grep -qi '^Connection: close$' "$TMP/body"
tap $? "... with the Host of the URL and Connection: close"
via p -H 'Proxy-Authorization: Basic c2VjcmV0OnNlY3JldA==' \
    -H 'Keep-Alive: 300' -H 'Connection: keep-alive, X-Drop' \
    -H 'X-Drop: 1' -H 'X-Keep: 2' -H 'Host: elsewhere.example' \
    "http://127.0.0.1:$HTTP/h" &&
    grep -q '^X-Keep: 2$' "$TMP/body" &&
    ! grep -qi -e '^Proxy-' -e '^Keep-Alive' -e '^X-Drop' \
        -e 'elsewhere' "$TMP/body"
tap $? "Proxy-*, hop-by-hop and Connection-named fields are dropped, Host replaced"
via p -d 'a=b&c=d' "http://127.0.0.1:$HTTP/post" &&
    grep -q '^POST /post HTTP/1.1$' "$TMP/body" &&
    grep -q 'a=b&c=d$' "$TMP/body"
tap $? "a POST's body follows its head"
via p "https://127.0.0.1:$HTTPS/tls" && grep -q '^GET /tls HTTP/1.1$' "$TMP/body"
tap $? "HTTPS through CONNECT to an allowed address"
via p -p "http://127.0.0.1:$HTTP/tunnel" &&
    grep -q '^GET /tunnel HTTP/1.1$' "$TMP/body"
tap $? "plain HTTP through CONNECT (curl -p)"
# A fresh root (mmdebstrap) may have no /etc/hosts, and then no
# localhost: those cases need the host to resolve it.
nolocal=
getent hosts localhost >/dev/null 2>&1 ||
	nolocal="this host does not resolve localhost (no /etc/hosts entry)"
if [ -n "$nolocal" ]; then
	tap_skip "localhost, named exactly with its port: allowed although it is the loopback" "$nolocal"
else
	via p "https://localhost:$HTTPS/name"
	tap $? "localhost, named exactly with its port: allowed although it is the loopback"
fi

head -c 8000000 /dev/urandom >"$TMP/big"
vp=$(port p)
curl -sS --max-time 30 --cacert "$TMP/cert.pem" -x "http://127.0.0.1:$vp" \
    --data-binary @"$TMP/big" "https://127.0.0.1:$HTTPS/big" >"$TMP/bigout" &&
    tail -c 8000000 "$TMP/bigout" | cmp -s - "$TMP/big"
tap $? "8 MB up and back through the tunnel, byte for byte"

# refusals: the status line and the body name the rule
via p "http://127.0.0.2:$HTTP/"
grep -q "^< HTTP/1.1 403 jail: 127.0.0.2:$HTTP not in network.allow" \
    "$TMP/curl" && grep -q "127.0.0.2:$HTTP not in network.allow" "$TMP/body"
tap $? "an address literal not listed: 403 naming it, not in network.allow"
via p "https://127.0.0.1:$CLOSED/"
grep -q "^< HTTP/1.1 403 jail: 127.0.0.1:$CLOSED not in network.allow" \
    "$TMP/curl" && grep -q "CONNECT tunnel failed, response 403" "$TMP/curl"
tap $? "an allowed address on a port not listed: CONNECT refused with 403"
via p "http://localhost:$HTTP/"
grep -q "^< HTTP/1.1 403 jail: localhost:$HTTP denied by network.deny entry localhost:$HTTP" \
    "$TMP/curl"
tap $? "a network.deny entry: refused, naming the entry"
via p "http://[::1]:$HTTP/"
grep -q "^< HTTP/1.1 403 jail: \[::1\]:$HTTP not in network.allow" "$TMP/curl"
tap $? "an IPv6 literal not listed: refused"
via p "http://example.invalid/"
grep -q "^< HTTP/1.1 403 jail: example.invalid:80 not in network.allow" \
    "$TMP/curl"
tap $? "a name not listed: refused before any lookup"

# requests the proxy does not take
req() { # req TEXT: send it raw, the answer's first line in $TMP/ans
	python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
s.settimeout(20)
d = b""
while True:
    b = s.recv(65536)
    if not b: break
    d += b
print(d.split(b"\r\n")[0].decode("latin-1"))' "$(port p)" "$1" >"$TMP/ans" 2>&1
}
req "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
grep -q '^HTTP/1.1 400 ' "$TMP/ans"
tap $? "origin-form (not a proxy request): 400"
req "GET https://127.0.0.1:$HTTPS/ HTTP/1.1\r\n\r\n"
grep -q '^HTTP/1.1 400 ' "$TMP/ans"
tap $? "absolute-form https://: 400 (https goes through CONNECT)"
req "CONNECT 127.0.0.1 HTTP/1.1\r\n\r\n"
grep -q '^HTTP/1.1 400 ' "$TMP/ans"
tap $? "CONNECT without a port: 400"
req "GET http://user@127.0.0.1:$HTTP/ HTTP/1.1\r\n\r\n"
grep -q '^HTTP/1.1 400 ' "$TMP/ans"
tap $? "user information in the URL: 400"
req "GET http://127.0.0.1:$HTTP/ HTTP/1.1\r\nX: a\r\n folded\r\n\r\n"
grep -q '^HTTP/1.1 400 ' "$TMP/ans"
tap $? "an obsolete folded header line: 400"
req "GET http://127.0.0.1:$HTTP/ HTTP/1.1\nX: a\n\n"
grep -q '^HTTP/1.1 400 ' "$TMP/ans"
tap $? "bare LF line ends: 400"
req "CONNECT 2130706433:$HTTP HTTP/1.1\r\n\r\n"
grep -q '^HTTP/1.1 400 ' "$TMP/ans"
tap $? "an address in a form getaddrinfo reads but rules never name: 400"
req "GET http://127.0.0.1:$HTTP/ HTTP/2.0\r\n\r\n"
grep -q '^HTTP/1.1 505 ' "$TMP/ans"
tap $? "HTTP/2.0 in the request line: 505"
req "GET http://127.0.0.1:$HTTP/ HTTP/1.1\r\nX-Big: $(head -c 17000 /dev/zero | tr '\0' a)\r\n\r\n"
grep -q '^HTTP/1.1 431 ' "$TMP/ans"
tap $? "a head over 16 KiB: 431"

# a silent client is dropped after the head's deadline
proxy slow -t 500 "127.0.0.1:$HTTP"
python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET http://127.0.0.1/ HTTP/1.1\r\n")
s.settimeout(10)
t = time.time()
d = s.recv(1000)
print(d.split(b"\r\n")[0].decode(), round(time.time() - t, 1))' \
    "$(port slow)" >"$TMP/ans" 2>&1
grep -q '^HTTP/1.1 408 the request head took too long 0\.[4-9]' "$TMP/ans"
tap $? "a client silent past the head's deadline: 408 and closed ($(cat "$TMP/ans"))"
stop slow
[ ! -s "$TMP/slow.err" ]
tap $? "nothing refused: no summary on stderr"

# --- names that resolve to private addresses --------------------------

printf '127.0.0.1 loop.example.test named.example.test\n' >"$TMP/hosts"
printf '10.255.255.1 ten.example.test\n::1 six.example.test\n' >>"$TMP/hosts"
hosts_skip=
if ! bwrap --dev-bind / / --ro-bind "$TMP/hosts" /etc/hosts \
    getent hosts loop.example.test >/dev/null 2>&1; then
	hosts_skip="cannot bind our own /etc/hosts with bwrap here"
fi
if [ -z "$hosts_skip" ]; then
	WRAP="bwrap --dev-bind / / --ro-bind $TMP/hosts /etc/hosts" \
	    proxy h -l "$TMP/h.log" '*.example.test' "named.example.test:$HTTPS" \
	    -d 'bad.example.test'
	via h "https://loop.example.test:$HTTPS/"
	grep -q "^< HTTP/1.1 403 jail: loop.example.test:$HTTPS resolves to a loopback address (127.0.0.1); name it exactly" \
	    "$TMP/curl"
	tap $? "a name a wildcard allows that resolves to 127.0.0.1: refused"
	via h "https://named.example.test:$HTTPS/n" &&
	    grep -q '^GET /n HTTP/1.1$' "$TMP/body"
	tap $? "the same address under a name named exactly: allowed"
	via h "http://ten.example.test/"
	grep -q "^< HTTP/1.1 403 jail: ten.example.test:80 resolves to a private address (10.255.255.1)" \
	    "$TMP/curl"
	tap $? "a name resolving to RFC 1918 space: refused"
	via h "http://six.example.test:$HTTP/"
	grep -q "resolves to a loopback address (::1)" "$TMP/curl"
	tap $? "a name resolving to ::1: refused"
	via h "http://bad.example.test/"
	grep -q "denied by network.deny entry bad.example.test" "$TMP/curl"
	tap $? "deny wins over a wildcard allow"
	stop h
	grep -q "^jail: the network proxy refused 4 connections" "$TMP/h.err" &&
	    grep -q "loop.example.test:$HTTPS  resolves to a loopback" "$TMP/h.err"
	tap $? "the summary at exit counts and names them"
else
	for t in loop named ten six deny summary; do
		tap_skip "private addresses: $t" "$hosts_skip"
	done
fi

# --- an upstream proxy ------------------------------------------------

# a second proxy plays the corporate one; it refuses 127.0.0.1:$HTTPS,
# which the jail's allows, so that its answer shows it was asked
proxy up -l "$TMP/up.log" "127.0.0.1:$HTTP" "localhost:$HTTP"
HTTPS_PROXY="http://user:p%40ss@127.0.0.1:$(port up)" \
    HTTP_PROXY="http://127.0.0.1:$(port up)" NO_PROXY="localhost" \
    proxy down "127.0.0.1:$HTTP" "127.0.0.1:$HTTPS" "localhost:$HTTPS" \
    "localhost:$HTTP" "10.0.0.1:$HTTP"
via down "http://127.0.0.1:$HTTP/up" && grep -q '^GET /up HTTP/1.1$' "$TMP/body"
tap $? "through an upstream proxy (HTTP_PROXY): allowed by both, passes"
via down "https://127.0.0.1:$HTTPS/"
grep -q "^< HTTP/1.1 502 .*the upstream proxy answered: HTTP/1.1 403 jail: 127.0.0.1:$HTTPS not in network.allow" \
    "$TMP/curl"
tap $? "... CONNECT goes to it (HTTPS_PROXY), and its refusal is passed on"
via down "http://127.0.0.2:$HTTP/"
grep -q "^< HTTP/1.1 403 jail: 127.0.0.2:$HTTP not in network.allow" "$TMP/curl"
tap $? "... the jail's allowlist is applied first"
if [ -n "$nolocal" ]; then
	tap_skip "... NO_PROXY: connected directly, past the upstream" "$nolocal"
else
	via down "https://localhost:$HTTPS/direct" &&
	    grep -q '^GET /direct HTTP/1.1$' "$TMP/body"
	tap $? "... NO_PROXY: connected directly, past the upstream"
fi
stop up
! grep -q "127.0.0.2" "$TMP/up.log" && grep -q "127.0.0.1:$HTTPS" "$TMP/up.log"
tap $? "... what the jail's proxy refused never reached the upstream"
stop down

# --- node --------------------------------------------------------------

# Node's fetch() before 22.21/24.5 does not read HTTPS_PROXY (AGENTS.md);
# the agents install a proxy agent of their own (undici's
# EnvHttpProxyAgent, or an http agent that sends absolute-form and
# CONNECT, as below).
if command -v node >/dev/null; then
	proxy n "127.0.0.1:$HTTP" "127.0.0.1:$HTTPS"
	NODE_EXTRA_CA_CERTS=$TMP/cert.pem node -e '
const http = require("http"), tls = require("tls");
const [pp, hp, sp] = process.argv.slice(1).map(Number);
http.get({ host: "127.0.0.1", port: pp, path: `http://127.0.0.1:${hp}/node` },
  (r) => { let b = ""; r.on("data", (d) => b += d);
    r.on("end", () => { console.log("plain", r.statusCode, b.split("\n")[0]);
      const c = http.request({ host: "127.0.0.1", port: pp, method: "CONNECT",
        path: `127.0.0.1:${sp}` });
      c.on("connect", (res, sock) => {
        const t = tls.connect({ socket: sock, servername: "localhost" }, () => {
          t.write("GET /nodetls HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); });
        let d = ""; t.on("data", (x) => d += x);
        t.on("end", () => console.log("tls", d.split("\r\n")[0],
          d.includes("GET /nodetls") ? "echoed" : ""));
      });
      c.end(); }); });' "$(port n)" "$HTTP" "$HTTPS" >"$TMP/node" 2>&1
	grep -q '^plain 200 GET /node HTTP/1.1$' "$TMP/node" &&
	    grep -q '^tls HTTP/1.1 200 OK echoed$' "$TMP/node"
	rc=$?
	tap $rc "node: absolute-form GET and a CONNECT tunnel with TLS"
	[ $rc -ne 0 ] && tap_diag "$(cat "$TMP/node")"
	stop n
else
	tap_skip "node through the proxy" "node is not installed"
fi

# --- the summary and the log -----------------------------------------

stop p
grep -q "^jail: the network proxy refused [0-9]* connections" "$TMP/p.err" &&
    grep -q "^  *1  127.0.0.2:$HTTP  not in network.allow$" "$TMP/p.err"
tap $? "the summary on stderr at exit: count, host:port, reason"
[ "$(wc -l <"$TMP/p.err")" -le 25 ]
tap $? "... one screen at most"
grep -q "^1 localhost:$HTTP denied by network.deny entry localhost:$HTTP$" \
    "$TMP/p.log" && grep -q "^1 127.0.0.2:$HTTP not in network.allow$" \
    "$TMP/p.log"
tap $? "the log: one line per host:port and reason, with its count"

tap_done
