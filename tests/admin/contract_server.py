#!/usr/bin/env python3
"""contract_server.py - a stand-in for examples/admin written from issue 17's
HTTP contract alone (Python's http.server, not tinyroute), with the routes
that other branches add to the real server: POST /api/firmware (raw or
multipart part `firmware`, answering {"bytes": N, "sha256": HEX}),
GET /api/logs and GET /api/events (a `status` event a second).  It exists
to run browser.py's firmware, logs and events parts before those branches
are merged, so that the test itself is known to be right:

    tests/admin/browser.py tests/admin/contract_server.py WORKDIR

It takes the real server's command line, `--cert F --key F [ADDR:]PORT
[ADDR:]PORT`, and ADMIN_PASSWORD and ADMIN_DIR.  Not a test of tinyroute.
"""
import base64
import hashlib
import json
import os
import re
import secrets
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASSWORD = os.environ.get("ADMIN_PASSWORD", "")
DIR = os.environ.get("ADMIN_DIR", "/tmp/admin")
WWW = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../examples/admin/www")
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css"}
SESSIONS = set()
STATE = {"wifi": {"ssid": "tinyroute", "channel": 6},
         "clients": ["02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"]}
START = time.time()


def status():
    return {"uptime": int(time.time() - START) + 100, "load": "0.00"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, code, body=b"", ctype="application/json", headers=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body, separators=(",", ":")).encode()
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if body:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def authed(self):
        m = re.search(r"sid=([0-9a-f]+)", self.headers.get("Cookie", ""))
        basic = "Basic " + base64.b64encode(("admin:" + PASSWORD).encode()).decode()
        if (m and m.group(1) in SESSIONS) or (PASSWORD and self.headers.get("Authorization") == basic):
            return True
        self.close_connection = True
        self.answer(401, {"error": "login first"})
        return False

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def do_GET(self):
        path = self.path.split("?")[0]
        if not path.startswith("/api/"):
            name = "index.html" if path == "/" else path.lstrip("/")
            try:
                with open(os.path.join(WWW, os.path.basename(name)), "rb") as f:
                    return self.answer(200, f.read(), TYPES.get(os.path.splitext(name)[1], "text/plain"))
            except OSError:
                return self.answer(404)
        if not self.authed():
            return
        if path == "/api/status":
            return self.answer(200, status())
        if path == "/api/wifi":
            return self.answer(200, STATE["wifi"])
        if path == "/api/clients":
            return self.answer(200, [{"mac": m, "name": "c"} for m in STATE["clients"]])
        if path == "/api/logs":
            with open(os.path.join(DIR, "log.txt"), "rb") as f:
                return self.answer(200, f.read(), "text/plain; charset=utf-8")
        if path == "/api/events":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"event: status\ndata: %s\n\n" % json.dumps(status()).encode())
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                return
        return self.answer(405 if path == "/api/firmware" else 404)

    def do_POST(self):
        if self.path == "/api/login":
            f = json.loads(self.body() or b"{}")
            if f.get("user") != "admin" or not PASSWORD or f.get("password") != PASSWORD:
                return self.answer(401, {"error": "bad user or password"})
            sid = secrets.token_hex(16)
            SESSIONS.add(sid)
            return self.answer(200, {"user": "admin"}, headers=[("Set-Cookie", "sid=%s; Path=/; HttpOnly" % sid)])
        if self.path == "/api/logout":
            m = re.search(r"sid=([0-9a-f]+)", self.headers.get("Cookie", ""))
            SESSIONS.discard(m and m.group(1))
            return self.answer(204, headers=[("Set-Cookie", "sid=; Path=/; Max-Age=0")])
        if self.path != "/api/firmware":
            return self.answer(404)
        if not self.authed():
            return
        data = self.body()
        m = re.search(r"boundary=([^;]+)", self.headers.get("Content-Type", ""))
        if m:  # the part named firmware, whole (this stand-in does not stream)
            for part in data.split(b"--" + m.group(1).strip('"').encode()):
                head, _, rest = part.partition(b"\r\n\r\n")
                if b'name="firmware"' in head:
                    data = rest[:-2]
                    break
        with open(os.path.join(DIR, "firmware.bin"), "wb") as f:
            f.write(data)
        return self.answer(200, {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})

    def do_PUT(self):
        if self.authed():
            STATE["wifi"] = json.loads(self.body())
            self.answer(200, STATE["wifi"])

    def do_DELETE(self):
        if self.authed():
            mac = urllib.parse.unquote(self.path.rsplit("/", 1)[1])
            if mac in STATE["clients"]:
                STATE["clients"].remove(mac)
                return self.answer(204)
            self.answer(404, {"error": "no such client"})


def serve(port, tls=None):
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*tls)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main():
    args = sys.argv[1:]
    cert = args[args.index("--cert") + 1]
    key = args[args.index("--key") + 1]
    ports = [int(a.rsplit(":", 1)[-1]) for a in args if re.fullmatch(r"([\d.]+:)?\d+", a)]
    serve(ports[0])
    serve(ports[1], (cert, key))
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
