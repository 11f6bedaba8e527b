#!/usr/bin/env python3
"""Outbound sink for scripts/chaos.sh: one HTTP server on 127.0.0.1 whose path says how it answers.

  /ok     200        /500   500        /410   410 Gone        /hang   reads the request, never answers

Prints its port on the first line of stdout, then appends "<path> <webhook-id> <unix ms> <client port>" to the log
file (argument 1) for every request it has read, before answering. Stops when killed.
"""
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG_LOCK = threading.Lock()
LOG = open(sys.argv[1], "a", buffering=1)
STATUS = {"/ok": 200, "/500": 500, "/410": 410}


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with LOG_LOCK:
            LOG.write(f"{self.path} {self.headers.get('webhook-id', '-')} {int(time.time() * 1000)} "
                      f"{self.client_address[1]}\n")
        status = STATUS.get(self.path)
        if status is None:  # /hang (or anything unknown): hold the connection until the caller gives up
            time.sleep(3600)
            return
        body = b'{"ok":true}' if status == 200 else b'{"error":"chaos sink"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the gateway opens many connections at once: none may wait in a full listen backlog


server = Server(("127.0.0.1", 0), Sink)
print(server.server_address[1], flush=True)
server.serve_forever()
