# messages-api.py PORTFILE LOGFILE WORD - a stand-in for the model APIs
# the agents call, on 127.0.0.1, for tests/agents-proxy.t and
# tests/agents-turns.t.  Each answers one assistant turn whose text is
# WORD:
#   POST /v1/messages          Anthropic's Messages API (Claude Code,
#                              opencode), streamed (server-sent events)
#                              when the request asks for it;
#   POST /v1beta/models/M:generateContent, :streamGenerateContent
#                              the Gemini API (Gemini CLI), streamed as
#                              server-sent events for the second;
#   POST /v1/responses         OpenAI's Responses API (Codex), streamed
#                              when the request asks for it.
# Everything else is 404, a WebSocket upgrade (Codex tries one first)
# 426.  Each request's method, path and the fields that tell a request
# relayed by jailrun's proxy (Connection: close, no Proxy-* fields) go to
# LOGFILE as one JSON line; the port chosen goes to PORTFILE once the
# socket listens.
import http.server
import json
import os
import re
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
        if (self.headers.get("Upgrade") or "").lower() == "websocket":
            # (in HTTP/1.1, or Codex takes it for a broken handshake and
            # tries again before it falls back to plain requests)
            self.protocol_version = "HTTP/1.1"
            self.send_response(426)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            return
        self.nothing()

    def json_reply(self, obj):
        out = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    # events [(NAME or None, OBJECT)...]: a server-sent event stream, to
    # the end of the connection.
    def events(self, events):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        for name, data in events:
            ev = "event: %s\n" % name if name else ""
            self.wfile.write(
                (ev + "data: %s\n\n" % json.dumps(data)).encode())
        self.wfile.flush()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.note()
        try:
            req = json.loads(body)
        except ValueError:
            req = {}
        if not isinstance(req, dict):
            req = {}
        path = self.path.split("?")[0]
        if path.startswith("/v1/messages"):
            return self.messages(req)
        m = re.match(r"/v1(beta|alpha)?/models/([^/:]+):(\w+)$", path)
        if m and m.group(3) in ("generateContent", "streamGenerateContent"):
            return self.gemini(m.group(2), m.group(3) != "generateContent")
        if path in ("/v1/responses", "/responses"):
            return self.openai(req)
        self.nothing()

    def messages(self, req):
        msg = {"id": "msg_jailc", "type": "message", "role": "assistant",
               "model": req.get("model", "claude-test"), "content": [],
               "stop_reason": None, "stop_sequence": None,
               "usage": {"input_tokens": 1, "output_tokens": 1}}
        if not req.get("stream"):
            msg["content"] = [{"type": "text", "text": word}]
            msg["stop_reason"] = "end_turn"
            return self.json_reply(msg)
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
        self.events(events)

    # A GenerateContentResponse with one candidate, whole or as one
    # event of a stream.
    def gemini(self, model, stream):
        resp = {
            "candidates": [{
                "content": {"role": "model", "parts": [{"text": word}]},
                "finishReason": "STOP", "index": 0}],
            "usageMetadata": {"promptTokenCount": 1,
                              "candidatesTokenCount": 1,
                              "totalTokenCount": 2},
            "modelVersion": model,
            "responseId": "jailc-gemini",
        }
        if not stream:
            return self.json_reply(resp)
        self.events([(None, resp)])

    # One output message; the whole response object, or the stream of
    # events the Responses API sends for it, response.completed last.
    def openai(self, req):
        model = req.get("model", "gpt-test")
        text = {"type": "output_text", "text": word, "annotations": []}
        item = {"id": "msg_jailc", "type": "message", "role": "assistant",
                "status": "completed", "content": [text]}
        usage = {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2,
                 "input_tokens_details": {"cached_tokens": 0},
                 "output_tokens_details": {"reasoning_tokens": 0}}
        resp = {"id": "resp_jailc", "object": "response",
                "created_at": 0, "model": model, "status": "completed",
                "output": [item], "usage": usage}
        if not req.get("stream"):
            return self.json_reply(resp)
        start = dict(resp, status="in_progress", output=[], usage=None)
        part = {"item_id": "msg_jailc", "output_index": 0,
                "content_index": 0}
        seq = [
            ("response.created", {"response": start}),
            ("response.in_progress", {"response": start}),
            ("response.output_item.added", {"output_index": 0, "item": dict(
                item, status="in_progress", content=[])}),
            ("response.content_part.added", dict(part, part=dict(
                text, text=""))),
            ("response.output_text.delta", dict(part, delta=word)),
            ("response.output_text.done", dict(part, text=word)),
            ("response.content_part.done", dict(part, part=text)),
            ("response.output_item.done", {"output_index": 0,
                                           "item": item}),
            ("response.completed", {"response": resp}),
        ]
        events = []
        for n, (name, data) in enumerate(seq):
            events.append((name, dict(data, type=name, sequence_number=n)))
        self.events(events)

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
