"""inventory: GET / answers the stock report as JSON, GET /healthz answers "ok".

`inventory --selftest` starts the server on a free port of 127.0.0.1, asks it for the report
over HTTP, prints the answer and exits: the exercise's check runs it that way.
"""

import json
import os
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from inventory import __version__
from inventory.stock import report


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/healthz":
            self._send(200, "text/plain", b"ok\n")
        elif self.path == "/":
            body = dict(service="inventory", version=__version__, **report())
            self._send(200, "application/json", (json.dumps(body) + "\n").encode())
        else:
            self._send(404, "text/plain", b"not found\n")

    def _send(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("inventory: " + (fmt % args) + "\n")


def selftest():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/" % server.server_address[1]
    with urllib.request.urlopen(url, timeout=10) as resp:
        print("GET / ->", resp.status, resp.read().decode().strip())
    server.shutdown()
    return 0


def main():
    if "--selftest" in sys.argv[1:]:
        return selftest()
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("", port), Handler)
    print("inventory %s listening on :%d" % (__version__, port), flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
