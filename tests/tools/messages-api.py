# messages-api.py PORTFILE LOGFILE WORD - a stand-in for Anthropic's
# Messages API on 127.0.0.1, for tests/agents-proxy.t.  POST
# /v1/messages answers one assistant turn whose text is WORD, streamed
# (server-sent events) when the request asks for it; everything else is
# 404.  Each request's method, path and the fields that tell a request
# relayed by jailrun's proxy (Connection: close, no Proxy-* fields) go to
# LOGFILE as one JSON line; the port chosen goes to PORTFILE once the
# socket listens.
import http.server
import json
import os
import sys

portfile, logfile, word = sys.argv[1:4]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def note(self):
        line = {
            "method": self.command,
            "path": self.path,
            "host": self.headers.get("Host"),
            "connection": self.headers.get("Connection"),
            "proxy_fields": [k for k in self.headers
                             if k.lower().startswith("proxy-")],
        }
        with open(logfile, "a") as f:
            f.write(json.dumps(line) + "\n")

    def nothing(self):
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.note()
        self.nothing()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.note()
        if not self.path.startswith("/v1/messages"):
            return self.nothing()
        try:
            req = json.loads(body)
        except ValueError:
            req = {}
        msg = {"id": "msg_jailc", "type": "message", "role": "assistant",
               "model": req.get("model", "claude-test"), "content": [],
               "stop_reason": None, "stop_sequence": None,
               "usage": {"input_tokens": 1, "output_tokens": 1}}
        if not req.get("stream"):
            msg["content"] = [{"type": "text", "text": word}]
            msg["stop_reason"] = "end_turn"
            out = json.dumps(msg).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
            return
        events = [
            ("message_start", {"type": "message_start", "message": msg}),
            ("content_block_start", {"type": "content_block_start",
             "index": 0, "content_block": {"type": "text", "text": ""}}),
            ("content_block_delta", {"type": "content_block_delta",
             "index": 0, "delta": {"type": "text_delta", "text": word}}),
            ("content_block_stop", {"type": "content_block_stop",
                                    "index": 0}),
            ("message_delta", {"type": "message_delta",
             "delta": {"stop_reason": "end_turn", "stop_sequence": None},
             "usage": {"output_tokens": 1}}),
            ("message_stop", {"type": "message_stop"}),
        ]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        for name, data in events:
            self.wfile.write(
                ("event: %s\ndata: %s\n\n" % (name, json.dumps(data))).encode())
        self.wfile.flush()


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
